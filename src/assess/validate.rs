//! The checks a parsed template must pass before anyone answers it: ids unique and
//! resolvable, levels contiguous, every practice with guidance, a known mapping and a
//! gap risk, applicability questions without cycles, ATT&CK notice present where ATT&CK
//! ids are shipped. Each error names the file, the line and the field.

use super::evidence;
use super::frameworks;
use super::template::Template;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplateError {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    /// Dotted path of the field, e.g. `practice[PRIV-2].mappings.c2m2`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

struct Errors<'a> {
    file: &'a str,
    list: Vec<TemplateError>,
}

impl Errors<'_> {
    fn push(&mut self, line: usize, field: impl Into<String>, message: impl Into<String>) {
        self.list.push(TemplateError {
            file: self.file.to_string(),
            line,
            field: field.into(),
            message: message.into(),
        });
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Every problem of a template (empty: valid).
pub fn check(t: &Template) -> Vec<TemplateError> {
    let mut e = Errors {
        file: &t.file,
        list: Vec::new(),
    };
    check_model(t, &mut e);
    let levels: BTreeSet<u8> = t.levels.iter().map(|l| l.number).collect();
    let questions: BTreeSet<&str> = t.questions.iter().map(|q| q.id.as_str()).collect();

    let mut seen = BTreeMap::new();
    for d in &t.domains {
        let f = format!("domain[{}]", d.id);
        if let Some(first) = seen.insert(d.id.as_str(), d.line) {
            e.push(
                d.line,
                format!("{f}.id"),
                format!("duplicate domain id (first at line {first})"),
            );
        }
        if blank(&d.id) || blank(&d.name) || blank(&d.purpose) {
            e.push(d.line, f.clone(), "id, name and purpose must not be empty");
        }
        for q in &d.applies_if {
            if !questions.contains(q.as_str()) {
                e.push(
                    d.line,
                    format!("{f}.applies_if"),
                    format!("unknown applicability question '{q}'"),
                );
            }
        }
        if !t.practices.iter().any(|p| p.domain == d.id) {
            e.push(d.line, f, "domain has no practice");
        }
    }

    check_questions(t, &mut e);

    let mut seen = BTreeMap::new();
    for p in &t.practices {
        let f = format!("practice[{}]", p.id);
        if let Some(first) = seen.insert(p.id.as_str(), p.line) {
            e.push(
                p.line,
                format!("{f}.id"),
                format!("duplicate practice id (first at line {first})"),
            );
        }
        if t.domain(&p.domain).is_none() {
            e.push(
                p.line,
                format!("{f}.domain"),
                format!("unknown domain '{}'", p.domain),
            );
        }
        if !levels.contains(&p.level) {
            e.push(
                p.line,
                format!("{f}.level"),
                format!("level {} is not declared in [[level]]", p.level),
            );
        }
        for (field, value) in [
            ("id", &p.id),
            ("question", &p.question),
            ("guidance", &p.guidance),
            ("gap_risk.title", &p.gap_risk.title),
            ("gap_risk.recommendation", &p.gap_risk.recommendation),
        ] {
            if blank(value) {
                e.push(p.line, format!("{f}.{field}"), "must not be empty");
            }
        }
        if p.evidence_examples.iter().all(|x| blank(x)) {
            e.push(
                p.line,
                format!("{f}.evidence_examples"),
                "give at least one example of evidence",
            );
        }
        for (field, v) in [
            ("likelihood", p.gap_risk.likelihood),
            ("impact", p.gap_risk.impact),
        ] {
            if !(1..=5).contains(&v) {
                e.push(
                    p.line,
                    format!("{f}.gap_risk.{field}"),
                    format!("{v} is outside 1-5"),
                );
            }
        }
        for q in &p.applies_if {
            if !questions.contains(q.as_str()) {
                e.push(
                    p.line,
                    format!("{f}.applies_if"),
                    format!("unknown applicability question '{q}'"),
                );
            }
        }
        check_mappings(p, &f, &mut e);
        let known_indicators = evidence::indicator_ids();
        for i in &p.indicators {
            if !known_indicators.contains(&i.as_str()) {
                e.push(
                    p.line,
                    format!("{f}.indicators"),
                    format!(
                        "unknown indicator '{i}' (known: {})",
                        known_indicators.join(", ")
                    ),
                );
            }
        }
        for i in &p.refuted_by {
            if !p.indicators.contains(i) {
                e.push(
                    p.line,
                    format!("{f}.refuted_by"),
                    format!("'{i}' must also be listed in indicators (the assessor sees what refutes an answer)"),
                );
            }
        }
    }
    e.list
}

fn check_model(t: &Template, e: &mut Errors<'_>) {
    let m = &t.model;
    if m.id.is_empty()
        || !m
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        e.push(1, "model.id", "use lower-case letters, digits and '-' only");
    }
    for (field, value) in [
        ("model.name", &m.name),
        ("model.version", &m.version),
        ("model.source", &m.source),
        ("model.licence", &m.licence),
    ] {
        if blank(value) {
            e.push(1, field, "must not be empty");
        }
    }
    if m.zone_classes.is_empty() {
        e.push(1, "model.zone_classes", "list at least one zone class");
    }
    if t.ships_attack()
        && !m
            .attack_notice
            .as_deref()
            .is_some_and(|n| n.contains("MITRE"))
    {
        e.push(
            1,
            "model.attack_notice",
            "the model ships MITRE ATT&CK ids: reproduce MITRE's copyright and licence notice",
        );
    }
    let mut numbers: Vec<u8> = t.levels.iter().map(|l| l.number).collect();
    numbers.sort_unstable();
    let expected: Vec<u8> = (1..=t.levels.len() as u8).collect();
    if numbers != expected {
        e.push(
            1,
            "level.number",
            format!(
                "levels must be numbered 1..{} once each, found {numbers:?}",
                t.levels.len()
            ),
        );
    }
    if t.practices.is_empty() {
        e.push(1, "practice", "the model has no practice");
    }
}

fn check_mappings(p: &super::template::Practice, f: &str, e: &mut Errors<'_>) {
    if p.mappings.is_empty() {
        e.push(
            p.line,
            format!("{f}.mappings"),
            "map the practice to at least one framework",
        );
    }
    let known = frameworks::known();
    for (family, _, ids) in p.mappings.families() {
        let Some(table) = known.get(family) else {
            continue;
        };
        for id in ids {
            if !table.contains_key(id) {
                e.push(
                    p.line,
                    format!("{f}.mappings.{family}"),
                    format!("unknown mapping '{id}' (not in assessment-templates/frameworks/known-ids.toml)"),
                );
            }
        }
    }
}

fn check_questions(t: &Template, e: &mut Errors<'_>) {
    let mut seen = BTreeMap::new();
    for q in &t.questions {
        let f = format!("question[{}]", q.id);
        if let Some(first) = seen.insert(q.id.as_str(), q.line) {
            e.push(
                q.line,
                format!("{f}.id"),
                format!("duplicate question id (first at line {first})"),
            );
        }
        if blank(&q.id) || blank(&q.text) {
            e.push(q.line, f.clone(), "id and text must not be empty");
        }
        for r in &q.requires {
            if t.question(r).is_none() {
                e.push(
                    q.line,
                    format!("{f}.requires"),
                    format!("unknown applicability question '{r}'"),
                );
            }
        }
        if let Some(z) = &q.zone_class
            && !t.model.zone_classes.contains(z)
        {
            e.push(
                q.line,
                format!("{f}.zone_class"),
                format!("'{z}' is not one of the model's zone classes"),
            );
        }
    }
    // A question is asked only once those it requires are answered yes: a cycle would
    // never be asked. Depth-first search, reporting each cycle once.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1 = on the path, 2 = done
    fn visit<'t>(
        t: &'t Template,
        id: &'t str,
        path: &mut Vec<&'t str>,
        state: &mut BTreeMap<&'t str, u8>,
        e: &mut Errors<'_>,
    ) {
        match state.get(id) {
            Some(2) => return,
            Some(1) => {
                let start = path.iter().position(|p| *p == id).unwrap_or(0);
                let mut cycle: Vec<&str> = path[start..].to_vec();
                cycle.push(id);
                let line = t.question(id).map(|q| q.line).unwrap_or(0);
                e.push(
                    line,
                    format!("question[{id}].requires"),
                    format!(
                        "applicability questions form a cycle: {}",
                        cycle.join(" → ")
                    ),
                );
                return;
            }
            _ => {}
        }
        let Some(q) = t.question(id) else { return };
        state.insert(id, 1);
        path.push(id);
        for r in &q.requires {
            visit(t, r, path, state, e);
        }
        path.pop();
        state.insert(id, 2);
    }
    for q in &t.questions {
        visit(t, &q.id, &mut Vec::new(), &mut state, e);
    }
}
