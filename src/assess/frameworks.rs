//! The framework identifiers a practice may map to (`assessment-templates/frameworks/
//! known-ids.toml`), so an unknown or mistyped mapping is an error before it reaches a
//! report, and reports can print a short title next to an id.

use std::collections::BTreeMap;
use std::sync::OnceLock;

const KNOWN_IDS: &str = include_str!("../../assessment-templates/frameworks/known-ids.toml");

/// family (`c2m2`, `csf`, `iec62443_3_3`, `iec62443_2_1`, `attack`) → id → short title.
pub type KnownIds = BTreeMap<String, BTreeMap<String, String>>;

pub fn known() -> &'static KnownIds {
    static IDS: OnceLock<KnownIds> = OnceLock::new();
    IDS.get_or_init(|| {
        // Shipped data, checked by `tests/assessment_templates.rs`: failing to parse it
        // is a build defect, not an input error.
        toml::from_str(KNOWN_IDS).expect("assessment-templates/frameworks/known-ids.toml parses")
    })
}

/// The short title of a mapping id, if known.
pub fn title(family: &str, id: &str) -> Option<&'static str> {
    known().get(family)?.get(id).map(String::as_str)
}

/// The families a template may use.
pub fn families() -> Vec<&'static str> {
    known().keys().map(String::as_str).collect()
}
