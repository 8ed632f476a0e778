//! Risk rules as data: the TOML under `src/risk/rules/` says which findings make which
//! risk, in words a board reads, with ATT&CK ids, a treatment tied to practices and the
//! residual expected after it. Loaded once and validated with errors that name the rule
//! and the field, so a consultant extending the file sees what is wrong.

use crate::finding::{Category, Flag};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The built-in rule files, in load order.
const BUILTIN: &[(&str, &str)] = &[("risks.toml", include_str!("rules/risks.toml"))];

/// Traits a rule can test. The finding flags, plus what the identity graph and the
/// finding's place add (see `risks.toml` for their meaning).
pub const TRAITS: &[&str] = &[
    "reversible",
    "default",
    "weak",
    "privileged",
    "non_human",
    "hashed",
    "stale",
    "hidden",
    "shared",
    "cross_boundary",
    "reused",
    "sheet",
    "device_config",
    "clear",
];

/// The zone kinds a `target_zones` entry can name (a trailing `*` matches a prefix).
const ZONE_KINDS: &[&str] = crate::store::zones::KINDS;

/// Likelihood and impact once the treatment is done. 0 = unchanged.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Residual {
    #[serde(default)]
    pub likelihood: u8,
    #[serde(default)]
    pub impact: u8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRule {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub traits_all: Vec<String>,
    #[serde(default)]
    pub traits_any: Vec<String>,
    #[serde(default)]
    pub traits_none: Vec<String>,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub target_zones: Vec<String>,
    pub attack: Vec<String>,
    pub treatment: String,
    #[serde(default)]
    pub practices: Vec<String>,
    pub owner_role: String,
    #[serde(default)]
    pub residual: Residual,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RiskRule>,
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("risk rules {file}: {message}")]
    Parse { file: String, message: String },
    #[error("risk rules {file}, rule '{rule}': {message}")]
    Invalid {
        file: String,
        rule: String,
        message: String,
    },
}

/// What a finding looks like to the rules: its traits, category and the kind of the
/// zone it unlocks.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub traits: BTreeSet<&'static str>,
    pub category: Option<Category>,
    pub target_kind: String,
}

impl RiskRule {
    pub fn matches(&self, f: &Facts) -> bool {
        let has = |t: &String| f.traits.contains(t.as_str());
        self.traits_all.iter().all(has)
            && (self.traits_any.is_empty() || self.traits_any.iter().any(has))
            && !self.traits_none.iter().any(has)
            && (self.categories.is_empty()
                || f.category.is_some_and(|c| self.categories.contains(&c)))
            && (self.target_zones.is_empty()
                || self
                    .target_zones
                    .iter()
                    .any(|z| zone_kind_matches(z, &f.target_kind)))
    }
}

fn zone_kind_matches(pattern: &str, kind: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => kind.starts_with(prefix),
        None => kind == pattern,
    }
}

/// The trait name of a finding flag.
pub fn flag_trait(flag: Flag) -> &'static str {
    flag.as_str()
}

/// An ATT&CK technique id: T0xxx (ICS) or T1xxx (Enterprise), optionally `.nnn`.
pub fn valid_attack_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix('T') else {
        return false;
    };
    let (main, sub) = match rest.split_once('.') {
        Some((m, s)) => (m, Some(s)),
        None => (rest, None),
    };
    main.len() == 4
        && main.bytes().all(|b| b.is_ascii_digit())
        && (main.starts_with('0') || main.starts_with('1'))
        && sub.is_none_or(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// Loads and validates rule files given as (name, TOML text).
pub fn load(files: &[(&str, &str)]) -> Result<Vec<RiskRule>, RuleError> {
    let mut rules: Vec<RiskRule> = Vec::new();
    let mut ids = BTreeSet::new();
    for (file, text) in files {
        let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        for r in parsed.rule {
            let bad = |message: String| RuleError::Invalid {
                file: file.to_string(),
                rule: r.id.clone(),
                message,
            };
            if r.id.is_empty()
                || !r
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(bad("id must be lowercase letters, digits and '-'".into()));
            }
            if !ids.insert(r.id.clone()) {
                return Err(bad("duplicate id".into()));
            }
            for (field, v) in [
                ("title", &r.title),
                ("description", &r.description),
                ("treatment", &r.treatment),
                ("owner_role", &r.owner_role),
            ] {
                if v.trim().is_empty() {
                    return Err(bad(format!("{field} is empty")));
                }
            }
            for t in r
                .traits_all
                .iter()
                .chain(&r.traits_any)
                .chain(&r.traits_none)
            {
                if !TRAITS.contains(&t.as_str()) {
                    return Err(bad(format!(
                        "unknown trait '{t}' (known: {})",
                        TRAITS.join(", ")
                    )));
                }
            }
            for z in &r.target_zones {
                let ok = match z.strip_suffix('*') {
                    Some(p) => ZONE_KINDS.iter().any(|k| k.starts_with(p)),
                    None => ZONE_KINDS.contains(&z.as_str()),
                };
                if !ok {
                    return Err(bad(format!(
                        "unknown zone kind '{z}' (known: {})",
                        ZONE_KINDS.join(", ")
                    )));
                }
            }
            if r.attack.is_empty() {
                return Err(bad("attack needs at least one ATT&CK technique id".into()));
            }
            if let Some(a) = r.attack.iter().find(|a| !valid_attack_id(a)) {
                return Err(bad(format!(
                    "'{a}' is not an ATT&CK technique id (T0xxx, T1xxx or T1xxx.nnn)"
                )));
            }
            for (what, v) in [
                ("residual.likelihood", r.residual.likelihood),
                ("residual.impact", r.residual.impact),
            ] {
                if v > 5 {
                    return Err(bad(format!("{what} {v} is outside 0-5 (0 = unchanged)")));
                }
            }
            if r.traits_all.is_empty() && r.traits_any.is_empty() && r.categories.is_empty() {
                return Err(bad(
                    "matches every finding: give traits_all, traits_any or categories".into(),
                ));
            }
            rules.push(r);
        }
    }
    Ok(rules)
}

/// The built-in rules. They are part of the binary and validated by tests, so a
/// failure here is a build defect.
pub fn builtin() -> Result<Vec<RiskRule>, RuleError> {
    load(BUILTIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_ids() {
        for ok in ["T0859", "T0812", "T1552.001", "T1078"] {
            assert!(valid_attack_id(ok), "{ok}");
        }
        for bad in ["T859", "T2552", "T1552.1", "M0801", "t0859", "T0859."] {
            assert!(!valid_attack_id(bad), "{bad}");
        }
    }

    #[test]
    fn zone_patterns() {
        assert!(zone_kind_matches("OT-*", "OT-L2"));
        assert!(!zone_kind_matches("OT-*", "IT"));
        assert!(zone_kind_matches("IoT", "IoT"));
    }
}
