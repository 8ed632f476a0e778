//! A maturity model as data: the types a template file deserialises into, and the
//! loader that turns a TOML file into a validated [`Template`] (checks in `validate`).
//!
//! The format is documented in `assessment-templates/README.md`. Every element that a
//! later check may need to point at keeps the line it was written on, so an error reads
//! `file:line: field: what is wrong`.

use super::validate::{self, TemplateError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The answer scale every model uses; the zone classes a zone-specific practice is
/// answered for, unless the model lists its own.
pub const DEFAULT_ZONE_CLASSES: &[&str] = &["IT", "OT", "IoT"];

/// A model ready to use: parsed and validated.
#[derive(Debug, Clone, Serialize)]
pub struct Template {
    /// Where it was loaded from (`builtin:<name>` for the shipped ones).
    pub file: String,
    pub model: ModelInfo,
    pub levels: Vec<Level>,
    pub domains: Vec<Domain>,
    pub questions: Vec<Question>,
    pub practices: Vec<Practice>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelInfo {
    pub id: String,
    pub name: String,
    pub version: String,
    /// What the model is built from, and who wrote it.
    pub source: String,
    pub licence: String,
    /// MITRE's notice, required when the model ships ATT&CK ids.
    #[serde(default)]
    pub attack_notice: Option<String>,
    #[serde(default = "default_zone_classes")]
    pub zone_classes: Vec<String>,
}

fn default_zone_classes() -> Vec<String> {
    DEFAULT_ZONE_CLASSES.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub number: u8,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Domain {
    pub id: String,
    pub name: String,
    pub purpose: String,
    /// Applicability questions that must all be answered yes for the domain to apply.
    pub applies_if: Vec<String>,
    pub line: usize,
}

/// An applicability question: answering no skips every practice (or domain) that
/// names it in `applies_if`, and every question that `requires` it.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    /// Questions that must be answered yes before this one is asked.
    pub requires: Vec<String>,
    /// Answering no takes this zone class out of the assessment's scope.
    pub zone_class: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    #[serde(default)]
    pub c2m2: Vec<String>,
    #[serde(default)]
    pub csf: Vec<String>,
    #[serde(default)]
    pub iec62443_3_3: Vec<String>,
    #[serde(default)]
    pub iec62443_2_1: Vec<String>,
    #[serde(default)]
    pub attack: Vec<String>,
}

impl Mappings {
    /// `(family, prefix used in results, ids)`, in a fixed order.
    pub fn families(&self) -> [(&'static str, &'static str, &[String]); 5] {
        [
            ("c2m2", "C2M2", &self.c2m2),
            ("csf", "CSF", &self.csf),
            ("iec62443_3_3", "62443-3-3", &self.iec62443_3_3),
            ("iec62443_2_1", "62443-2-1", &self.iec62443_2_1),
            ("attack", "ATT&CK", &self.attack),
        ]
    }

    /// Flat labels as the results carry them: `C2M2:ACCESS-1a`, `CSF:PR.AA-01`, ...
    pub fn labels(&self) -> Vec<String> {
        self.families()
            .iter()
            .flat_map(|(_, prefix, ids)| ids.iter().map(move |id| format!("{prefix}:{id}")))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.families().iter().all(|(_, _, ids)| ids.is_empty())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GapRiskSpec {
    pub title: String,
    pub likelihood: u8,
    pub impact: u8,
    pub recommendation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Practice {
    pub id: String,
    pub domain: String,
    pub level: u8,
    /// Answered once per zone class in scope (IT, OT, IoT) rather than once.
    pub zone_specific: bool,
    pub applies_if: Vec<String>,
    pub question: String,
    pub guidance: String,
    pub evidence_examples: Vec<String>,
    /// Evidence indicators shown next to the question.
    pub indicators: Vec<String>,
    /// Indicators whose non-zero count refutes a Fully/Largely answer.
    pub refuted_by: Vec<String>,
    pub mappings: Mappings,
    pub gap_risk: GapRiskSpec,
    pub line: usize,
}

// ---- the file as written -------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    model: ModelInfo,
    #[serde(rename = "level")]
    levels: Vec<Level>,
    #[serde(rename = "domain")]
    domains: Vec<Spanned<RawDomain>>,
    #[serde(rename = "question", default)]
    questions: Vec<Spanned<RawQuestion>>,
    #[serde(rename = "practice")]
    practices: Vec<Spanned<RawPractice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    id: String,
    name: String,
    purpose: String,
    #[serde(default)]
    applies_if: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    text: String,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    zone_class: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    id: String,
    domain: String,
    level: u8,
    #[serde(default)]
    zone_specific: bool,
    #[serde(default)]
    applies_if: Vec<String>,
    question: String,
    guidance: String,
    evidence_examples: Vec<String>,
    #[serde(default)]
    indicators: Vec<String>,
    #[serde(default)]
    refuted_by: Vec<String>,
    mappings: Mappings,
    gap_risk: GapRiskSpec,
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `field` from a serde message such as "missing field `guidance`".
fn field_of(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .map(str::to_string)
        .unwrap_or_else(|| "-".into())
}

/// The line of `field`'s own key inside the element that starts at `element_line` (the
/// element's `[[...]]` line when the key is not written, e.g. a missing list).
fn field_line(text: &str, element_line: usize, field: &str) -> usize {
    let Some(key) = field.rsplit('.').next().filter(|k| !k.contains('[')) else {
        return element_line;
    };
    if element_line == 0 {
        return 0;
    }
    for (i, l) in text.lines().enumerate().skip(element_line) {
        let l = l.trim_start();
        if l.starts_with("[[") {
            break;
        }
        let written = l
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if written {
            return i + 1;
        }
    }
    element_line
}

/// Parses and validates one template. Every problem found is returned, not just the
/// first; a syntax or shape error stops at that one (nothing else can be trusted).
pub fn parse(file: &str, text: &str) -> Result<Template, Vec<TemplateError>> {
    let raw: RawTemplate = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
        vec![TemplateError {
            file: file.to_string(),
            line,
            field: field_of(e.message()),
            message: e.message().trim().to_string(),
        }]
    })?;
    let at = |s: &std::ops::Range<usize>| line_of(text, s.start);
    let t = Template {
        file: file.to_string(),
        model: raw.model,
        levels: raw.levels,
        domains: raw
            .domains
            .into_iter()
            .map(|d| {
                let line = at(&d.span());
                let d = d.into_inner();
                Domain {
                    id: d.id,
                    name: d.name,
                    purpose: d.purpose,
                    applies_if: d.applies_if,
                    line,
                }
            })
            .collect(),
        questions: raw
            .questions
            .into_iter()
            .map(|q| {
                let line = at(&q.span());
                let q = q.into_inner();
                Question {
                    id: q.id,
                    text: q.text,
                    requires: q.requires,
                    zone_class: q.zone_class,
                    line,
                }
            })
            .collect(),
        practices: raw
            .practices
            .into_iter()
            .map(|p| {
                let line = at(&p.span());
                let p = p.into_inner();
                Practice {
                    id: p.id,
                    domain: p.domain,
                    level: p.level,
                    zone_specific: p.zone_specific,
                    applies_if: p.applies_if,
                    question: p.question,
                    guidance: p.guidance,
                    evidence_examples: p.evidence_examples,
                    indicators: p.indicators,
                    refuted_by: p.refuted_by,
                    mappings: p.mappings,
                    gap_risk: p.gap_risk,
                    line,
                }
            })
            .collect(),
    };
    let mut errors = validate::check(&t);
    for e in &mut errors {
        e.line = field_line(text, e.line, &e.field);
    }
    if errors.is_empty() {
        Ok(t)
    } else {
        Err(errors)
    }
}

/// The templates shipped in the binary (the files of `assessment-templates/`).
const BUILTIN: &[(&str, &str)] = &[
    (
        "credence-itot-identity.toml",
        include_str!("../../assessment-templates/credence-itot-identity.toml"),
    ),
    (
        "nist-csf2-identity.toml",
        include_str!("../../assessment-templates/nist-csf2-identity.toml"),
    ),
];

/// The model an assessment uses when none is named.
pub const DEFAULT_MODEL: &str = "credence-itot-identity";

/// Errors of a whole catalogue (one or many files).
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct CatalogueError(pub Vec<TemplateError>);

/// The shipped templates, validated.
pub fn builtin() -> Result<Vec<Template>, CatalogueError> {
    collect(
        BUILTIN
            .iter()
            .map(|(name, text)| (format!("builtin:{name}"), text.to_string())),
    )
}

/// The names of the shipped template files (a test holds them to the folder).
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// Every `*.toml` directly in `dir`, validated (sorted by name).
pub fn load_dir(dir: &Path) -> Result<Vec<Template>, CatalogueError> {
    let read_err = |path: &Path, e: std::io::Error| {
        CatalogueError(vec![TemplateError {
            file: path.display().to_string(),
            line: 0,
            field: "-".into(),
            message: format!("cannot read: {e}"),
        }])
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| read_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(CatalogueError(vec![TemplateError {
            file: dir.display().to_string(),
            line: 0,
            field: "-".into(),
            message: "no *.toml template in this folder".into(),
        }]));
    }
    let mut files = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| read_err(&p, e))?;
        files.push((p.display().to_string(), text));
    }
    collect(files.into_iter())
}

/// Parses every file; the catalogue is refused when any file has an error, or when two
/// files declare the same model id.
fn collect(files: impl Iterator<Item = (String, String)>) -> Result<Vec<Template>, CatalogueError> {
    let mut out: Vec<Template> = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in files {
        match parse(&file, &text) {
            Ok(t) => {
                if let Some(other) = out.iter().find(|o| o.model.id == t.model.id) {
                    errors.push(TemplateError {
                        file: file.clone(),
                        line: line_of(&text, text.find("id").unwrap_or(0)),
                        field: "model.id".into(),
                        message: format!(
                            "model id '{}' is already declared by {}",
                            t.model.id, other.file
                        ),
                    });
                } else {
                    out.push(t);
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(CatalogueError(errors))
    }
}

/// Where templates come from: the shipped ones, or a folder a consultant maintains
/// (`--templates DIR`, else `CREDENCE_TEMPLATES`).
pub fn catalogue(dir: Option<&Path>) -> Result<Vec<Template>, CatalogueError> {
    let env = std::env::var_os("CREDENCE_TEMPLATES").map(PathBuf::from);
    match dir.map(Path::to_path_buf).or(env) {
        Some(d) => load_dir(&d),
        None => builtin(),
    }
}

impl Template {
    pub fn practice(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id == id)
    }

    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn max_level(&self) -> u8 {
        self.levels.iter().map(|l| l.number).max().unwrap_or(0)
    }

    /// Shipped ATT&CK ids anywhere in the model.
    pub fn ships_attack(&self) -> bool {
        self.practices.iter().any(|p| !p.mappings.attack.is_empty())
    }
}
