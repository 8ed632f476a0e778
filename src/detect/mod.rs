//! Detect: turn extracted text and tables into raw findings.
//!
//! One aho-corasick pass over each text finds every keyword of every detector (rules,
//! key/value, prose, dialects); only detectors whose keywords occur run, and only around
//! their hits, so most bytes never reach a regex. Detectors return [`RawFinding`]s that
//! still hold the plaintext (in a [`Secret`]); `scan` judges, masks and fingerprints
//! them and drops the plaintext before anything leaves the worker.

pub mod context;
pub mod decode;
pub mod dialects;
pub mod filters;
pub mod keyvalue;
pub mod knowledge;
pub mod prefilter;
pub mod prose;
pub mod rules;
pub mod table;

use crate::finding::{Category, Confidence, Flag};
use crate::ingest::{TextHint, text::LineIndex};
use crate::secret::Secret;
use std::borrow::Cow;
use std::ops::Range;

/// A credential as a detector sees it: plaintext still inside, location relative to
/// the text it was found in.
#[derive(Debug, Clone)]
pub struct RawFinding {
    /// Built-in detectors name themselves with static strings, so a finding costs
    /// no allocation for its rule (a credential sheet makes 100,000 of them).
    pub rule_id: Cow<'static, str>,
    pub rule_name: Cow<'static, str>,
    pub category: Category,
    pub confidence: Confidence,
    /// The value to judge and fingerprint. For reversible formats this is the decoded
    /// plaintext, so the same password in clear and encoded shares one fingerprint.
    pub secret: Secret,
    /// Byte range in the text of what was found (the encoded form where encoded).
    pub span: Option<Range<usize>>,
    /// Set directly by table detectors; derived from `span` for text.
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub cell: Option<String>,
    pub label: Option<String>,
    pub username: Option<String>,
    pub system: Option<String>,
    pub flags: Vec<Flag>,
    pub hash_algorithm: Option<String>,
    pub vendor_hint: Option<String>,
    /// A short technical remark ("Cisco type 7, decoded", "not decodable: bad hex").
    pub detail: Option<String>,
    /// Context line already masked (tables build it from the row); text derives it.
    pub context: Option<String>,
    /// Which detector wins when two report the same span: higher is more specific.
    pub specificity: u8,
}

impl RawFinding {
    /// A finding with the required fields; the rest are filled with builder calls.
    pub fn new(
        rule_id: impl Into<Cow<'static, str>>,
        rule_name: impl Into<Cow<'static, str>>,
        category: Category,
        confidence: Confidence,
        secret: Secret,
    ) -> Self {
        RawFinding {
            rule_id: rule_id.into(),
            rule_name: rule_name.into(),
            category,
            confidence,
            secret,
            span: None,
            line: None,
            column: None,
            cell: None,
            label: None,
            username: None,
            system: None,
            flags: Vec::new(),
            hash_algorithm: None,
            vendor_hint: None,
            detail: None,
            context: None,
            specificity: 50,
        }
    }

    pub fn with_span(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_user(mut self, user: Option<String>) -> Self {
        self.username = user;
        self
    }

    pub fn with_system(mut self, system: Option<String>) -> Self {
        self.system = system;
        self
    }

    pub fn flag(mut self, flag: Flag) -> Self {
        if !self.flags.contains(&flag) {
            self.flags.push(flag);
        }
        self
    }

    pub fn specificity(mut self, s: u8) -> Self {
        self.specificity = s;
        self
    }
}

/// What a text detector is given.
pub struct TextInput<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    /// Display name (root-relative path, `!member`), for hints such as `.pgpass`.
    pub name: &'a str,
    pub hint: TextHint,
}

impl<'a> TextInput<'a> {
    /// The line (without newline) containing byte `offset`, and its start offset.
    pub fn line_at(&self, offset: usize) -> (&'a str, usize) {
        let n = self.lines.line_of(offset);
        let r = self.lines.line_range(self.text, n);
        (&self.text[r.clone()], r.start)
    }

    /// File name without directories, lowercased.
    pub fn base_name(&self) -> String {
        self.name
            .rsplit(['/', '\\', '!'])
            .next()
            .unwrap_or(self.name)
            .to_ascii_lowercase()
    }
}

/// A detector over text. It declares prefilter keywords (ASCII, matched
/// case-insensitively); `detect` runs only when one occurs, with the sorted byte
/// offsets of every hit. A detector with no keywords is offered every text.
pub trait Detector: Send + Sync {
    fn name(&self) -> &'static str;
    fn keywords(&self) -> Vec<String>;
    fn detect(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>);
}

/// All detectors plus the prefilter that routes keyword hits to them.
pub struct Engine {
    detectors: Vec<Box<dyn Detector>>,
    prefilter: prefilter::Prefilter,
    pub table: table::TableDetector,
    pub knowledge: knowledge::Knowledge,
}

impl Engine {
    /// The built-in engine: rules from `src/detect/rules/*.toml`, dialects, key/value
    /// assignments and prose, in that order of specificity.
    pub fn builtin() -> Result<Engine, rules::RuleError> {
        let rules = rules::RuleSet::builtin()?;
        let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
        detectors.extend(rules.into_detectors());
        detectors.extend(dialects::all());
        detectors.push(Box::new(keyvalue::KeyValueDetector::new()));
        detectors.push(Box::new(prose::ProseDetector::new()));
        Ok(Self::from_detectors(detectors))
    }

    pub fn from_detectors(detectors: Vec<Box<dyn Detector>>) -> Engine {
        let keyword_sets: Vec<Vec<String>> = detectors.iter().map(|d| d.keywords()).collect();
        Engine {
            prefilter: prefilter::Prefilter::new(&keyword_sets),
            detectors,
            table: table::TableDetector::new(),
            knowledge: knowledge::Knowledge::builtin(),
        }
    }

    pub fn detector_names(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    /// Runs every detector whose keywords occur, then resolves overlaps: where two
    /// findings cover the same bytes, the more specific detector's finding is kept.
    pub fn detect_text(&self, input: &TextInput<'_>) -> Vec<RawFinding> {
        let hits = self.prefilter.find(input.text);
        let mut out = Vec::new();
        for (i, det) in self.detectors.iter().enumerate() {
            match hits.for_detector(i) {
                Some(offsets) => det.detect(input, offsets, &mut out),
                None => continue,
            }
        }
        resolve_overlaps(out)
    }
}

/// Keeps, among findings whose spans overlap, the one with the highest specificity
/// (then the earliest detector). Findings without a span are always kept.
pub fn resolve_overlaps(mut found: Vec<RawFinding>) -> Vec<RawFinding> {
    if found.len() < 2 {
        return found;
    }
    // Stable sort: higher specificity first; the detector order breaks ties.
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by(|&a, &b| found[b].specificity.cmp(&found[a].specificity));
    // Kept spans never overlap each other, so in a map by start only the nearest span
    // starting before `s.end` can overlap `s`: O(n log n) even for 100k findings.
    let mut kept_spans: std::collections::BTreeMap<usize, usize> =
        std::collections::BTreeMap::new();
    let mut keep = vec![false; found.len()];
    for i in order {
        match &found[i].span {
            None => keep[i] = true,
            Some(s) => {
                let overlaps = kept_spans
                    .range(..s.end.max(s.start + 1))
                    .next_back()
                    .is_some_and(|(&start, &end)| {
                        start < s.end.max(s.start + 1) && s.start < end.max(start + 1)
                    });
                if !overlaps {
                    kept_spans.insert(s.start, s.end);
                    keep[i] = true;
                }
            }
        }
    }
    let mut idx = 0;
    found.retain(|_| {
        let k = keep[idx];
        idx += 1;
        k
    });
    found.sort_by_key(|f| f.span.as_ref().map(|s| s.start).unwrap_or(0));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(span: Range<usize>, specificity: u8, id: &'static str) -> RawFinding {
        RawFinding::new(
            id,
            id,
            Category::Password,
            Confidence::Medium,
            Secret::new("x"),
        )
        .with_span(span)
        .specificity(specificity)
    }

    #[test]
    fn the_more_specific_detector_wins_an_overlap() {
        let kept = resolve_overlaps(vec![
            raw(10..20, 55, "keyvalue"),
            raw(12..18, 90, "dialect"),
            raw(30..40, 45, "prose"),
            raw(35..45, 45, "prose-late"),
            raw(50..60, 55, "separate"),
        ]);
        let ids: Vec<&str> = kept.iter().map(|f| f.rule_id.as_ref()).collect();
        assert_eq!(ids, ["dialect", "prose", "separate"]);
    }
}
