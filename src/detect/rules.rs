//! Rules as data: TOML files under `src/detect/rules/`, embedded in the binary and
//! validated at start. Each rule names its keywords (prefilter), a regex whose `secret`
//! group (or whole match) is the credential, optional `user` and `host` groups, and
//! examples that must match and negatives that must not (checked by tests for every
//! rule).
//!
//! ```toml
//! [[rule]]
//! id = "aws.access_key_id"
//! name = "AWS access key ID"
//! category = "cloud_credential"
//! confidence = "high"
//! keywords = ["akia", "asia"]
//! pattern = '''\b(?P<secret>(?:AKIA|ASIA)[A-Z2-7]{16})\b'''
//! examples = ["aws_access_key_id = AKIAZ3MSQLXWN5QE2DVB"]
//! negative_examples = ["AKIAIOSFODNN7EXAMPLE"]
//! ```

use super::{Detector, RawFinding, TextInput, filters};
use crate::finding::{Category, Confidence, Flag};
use crate::secret::Secret;
// Rules match bytes in ASCII mode: `\w`, `\s`, `\b` and case folding are ASCII, which
// keeps every rule a small automaton (Unicode classes in bounded repetitions made
// some rules megabytes of NFA and slow to build). Credentials are ASCII tokens; any
// match is widened to character boundaries before it is read as text.
use regex::bytes::Regex;
use serde::Deserialize;

/// The rule files compiled into the binary, by file name (for error messages).
pub const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
    ("private_keys.toml", include_str!("rules/private_keys.toml")),
    ("cloud.toml", include_str!("rules/cloud.toml")),
    ("services.toml", include_str!("rules/services.toml")),
    (
        "services_more.toml",
        include_str!("rules/services_more.toml"),
    ),
    (
        "services_infra.toml",
        include_str!("rules/services_infra.toml"),
    ),
    (
        "connection_strings.toml",
        include_str!("rules/connection_strings.toml"),
    ),
    (
        "credential_files.toml",
        include_str!("rules/credential_files.toml"),
    ),
    ("hashes.toml", include_str!("rules/hashes.toml")),
    ("scripts.toml", include_str!("rules/scripts.toml")),
];

/// How far around a keyword hit a single-line rule looks on very long lines: keeps a
/// 2 GB single-line file linear instead of quadratic.
const LINE_WINDOW: usize = 4096;
/// How far past its keyword a multi-line rule (a PEM block) may extend.
const MULTILINE_WINDOW: usize = 64 * 1024;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    pub category: Category,
    #[serde(default)]
    pub confidence: Confidence,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub pattern: String,
    /// The match may span lines (private key blocks).
    #[serde(default)]
    pub multiline: bool,
    /// How many bytes past its keyword a multi-line match may reach (default 64 KiB,
    /// enough for a key block). Entries of a few lines set it small: a keyword as
    /// common as `default` must not send 64 KiB to the regex at every hit.
    #[serde(default)]
    pub window: Option<usize>,
    /// Only files with one of these base names (lowercase) are offered to the rule.
    #[serde(default)]
    pub file_names: Vec<String>,
    /// Flags every finding of the rule carries (e.g. `non_human` for API keys).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Skip the placeholder filter (for formats whose values are never placeholders).
    #[serde(default = "yes")]
    pub filter_placeholders: bool,
    #[serde(default)]
    pub hash_algorithm: Option<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Free text for the technical report: what it is, how to fix it.
    #[serde(default)]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleSpec>,
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: rule '{id}': {message}")]
    Invalid {
        file: String,
        id: String,
        message: String,
    },
}

/// A compiled rule.
pub struct Rule {
    pub spec: RuleSpec,
    regex: Regex,
    secret_group: Option<usize>,
    user_group: Option<usize>,
    host_group: Option<usize>,
    flags: Vec<Flag>,
}

pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut specs = Vec::new();
        for (file, src) in BUILTIN_RULE_FILES {
            specs.extend(parse_specs(file, src)?.into_iter().map(|s| (*file, s)));
        }
        // Compiling the patterns is most of an engine's start, paid before a scan's
        // first file while the other cores wait: they compile too (order is kept).
        use rayon::prelude::*;
        let rules: Vec<Rule> = specs
            .into_par_iter()
            .map(|(file, spec)| compile(file, spec))
            .collect::<Result<_, _>>()?;
        let mut seen = std::collections::HashSet::new();
        for r in &rules {
            if !seen.insert(r.spec.id.clone()) {
                return Err(RuleError::Invalid {
                    file: "(built-in rules)".into(),
                    id: r.spec.id.clone(),
                    message: "duplicate rule id".into(),
                });
            }
        }
        Ok(RuleSet { rules })
    }

    /// One detector per rule, except that neighbouring rules with the same keywords
    /// and reach (three rules wake on every `password`) become one [`RuleGroup`].
    /// Only neighbours are grouped, so the detectors' order, which breaks ties
    /// between overlapping findings, stays the rules' order.
    pub fn into_detectors(self) -> Vec<Box<dyn Detector>> {
        let mut out: Vec<Box<dyn Detector>> = Vec::new();
        let mut run: Vec<Rule> = Vec::new();
        let flush = |run: &mut Vec<Rule>, out: &mut Vec<Box<dyn Detector>>| match run.len() {
            0 => {}
            1 => out.push(Box::new(run.pop().expect("one rule"))),
            _ => out.push(Box::new(RuleGroup::new(std::mem::take(run)))),
        };
        for rule in self.rules {
            if run.last().is_some_and(|last| !last.same_reach(&rule)) {
                flush(&mut run, &mut out);
            }
            run.push(rule);
        }
        flush(&mut run, &mut out);
        out
    }
}

/// Neighbouring rules woken by the same keywords over the same windows: the windows
/// are cut once and each is searched once for all of them (a regex set), then only
/// the rules that match it read their captures. Findings come out rule by rule, as
/// the separate rules gave them.
pub struct RuleGroup {
    rules: Vec<Rule>,
    /// Compiled on first use: an engine is built for every scan, and a re-scan of an
    /// unchanged tree reads no text at all (compiling it up front cost such a re-scan
    /// about a tenth of its time).
    set: std::sync::OnceLock<regex::bytes::RegexSet>,
}

impl RuleGroup {
    fn new(rules: Vec<Rule>) -> RuleGroup {
        RuleGroup {
            rules,
            set: std::sync::OnceLock::new(),
        }
    }

    fn set(&self) -> &regex::bytes::RegexSet {
        self.set.get_or_init(|| {
            regex::bytes::RegexSetBuilder::new(self.rules.iter().map(|r| r.spec.pattern.as_str()))
                .unicode(false)
                .dfa_size_limit(8 << 20)
                .build()
                .expect("each pattern compiled alone with the same settings")
        })
    }
}

impl Detector for RuleGroup {
    fn name(&self) -> &'static str {
        "rule"
    }

    fn keywords(&self) -> Vec<String> {
        self.rules[0].spec.keywords.clone()
    }

    fn detect(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>) {
        let first = &self.rules[0];
        if !first.offered(input) {
            return;
        }
        let mut per_rule: Vec<Vec<RawFinding>> = self.rules.iter().map(|_| Vec::new()).collect();
        let mut last_end = vec![0usize; self.rules.len()];
        for w in first.windows_for(input, hits) {
            let hay = input.text[w.clone()].as_bytes();
            for i in self.set().matches(hay).iter() {
                self.rules[i].captures_in(input, &w, &mut last_end[i], &mut per_rule[i]);
            }
        }
        for found in per_rule {
            out.extend(found);
        }
    }
}

/// Parses and compiles one rule file; errors name the file and the rule.
pub fn parse_rules(file: &str, src: &str) -> Result<Vec<Rule>, RuleError> {
    parse_specs(file, src)?
        .into_iter()
        .map(|spec| compile(file, spec))
        .collect()
}

/// The rules of one file as written, not yet compiled.
fn parse_specs(file: &str, src: &str) -> Result<Vec<RuleSpec>, RuleError> {
    let parsed: RuleFile = toml::from_str(src).map_err(|e| RuleError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    Ok(parsed.rule)
}

fn compile(file: &str, spec: RuleSpec) -> Result<Rule, RuleError> {
    let invalid = |message: String| RuleError::Invalid {
        file: file.to_string(),
        id: spec.id.clone(),
        message,
    };
    if spec.keywords.is_empty() && spec.file_names.is_empty() {
        return Err(invalid(
            "needs keywords (prefilter) or file_names: a rule without either would run on every byte".into(),
        ));
    }
    if spec.keywords.iter().any(|k| k.len() < 3) {
        return Err(invalid("keywords must be at least 3 characters".into()));
    }
    if spec.examples.is_empty() {
        return Err(invalid("needs at least one example".into()));
    }
    let regex = regex::bytes::RegexBuilder::new(&spec.pattern)
        .unicode(false)
        .dfa_size_limit(8 << 20)
        .build()
        .map_err(|e| invalid(format!("pattern: {e}")))?;
    let group = |name: &str| regex.capture_names().position(|n| n == Some(name));
    let secret_group = group("secret");
    if secret_group.is_none()
        && regex.captures_len()
            > 1 + group("user").is_some() as usize + group("host").is_some() as usize
    {
        return Err(invalid(
            "pattern has unnamed groups but no (?P<secret>...) group; use (?:...) for grouping"
                .into(),
        ));
    }
    let flags = spec
        .flags
        .iter()
        .map(|f| Flag::parse(f).ok_or_else(|| invalid(format!("unknown flag '{f}'"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule {
        user_group: group("user"),
        host_group: group("host"),
        secret_group,
        regex,
        flags,
        spec,
    })
}

/// Byte windows of `text` around the hits, merged, never splitting a UTF-8 character.
fn windows(
    input: &TextInput<'_>,
    hits: &[usize],
    multiline: Option<usize>,
) -> Vec<std::ops::Range<usize>> {
    let text = input.text;
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for &h in hits {
        let line = input.lines.line_of(h);
        let lr = input.lines.line_range(text, line);
        let mut start = lr.start.max(h.saturating_sub(LINE_WINDOW));
        let mut end = if let Some(reach) = multiline {
            (h + reach).min(text.len())
        } else {
            lr.end.min(h + LINE_WINDOW)
        };
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        match out.last_mut() {
            Some(prev) if start <= prev.end => prev.end = prev.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

/// Widens a byte range to character boundaries (an ASCII-mode match may stop inside
/// a multi-byte character).
fn char_range(text: &str, mut start: usize, mut end: usize) -> std::ops::Range<usize> {
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    /// Rules with these keywords, file names and reach cut the same windows.
    fn same_reach(&self, other: &Rule) -> bool {
        let words = |r: &Rule| {
            let mut w: Vec<String> = r
                .spec
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect();
            w.sort();
            w.dedup();
            w
        };
        !self.spec.keywords.is_empty()
            && words(self) == words(other)
            && self.spec.file_names == other.spec.file_names
            && self.spec.multiline == other.spec.multiline
            && self.spec.window == other.spec.window
    }

    /// Is the rule offered this text at all (its file names, when it names some)?
    fn offered(&self, input: &TextInput<'_>) -> bool {
        self.spec.file_names.is_empty() || self.spec.file_names.contains(&input.base_name())
    }

    /// The windows the rule reads: around the keyword hits, or the whole (small) file
    /// for rules selected by file name alone.
    fn windows_for(&self, input: &TextInput<'_>, hits: &[usize]) -> Vec<std::ops::Range<usize>> {
        if self.spec.keywords.is_empty() {
            std::iter::once(0..input.text.len()).collect()
        } else {
            windows(
                input,
                hits,
                self.spec
                    .multiline
                    .then(|| self.spec.window.unwrap_or(MULTILINE_WINDOW)),
            )
        }
    }

    /// Runs the rule alone over a text (used by the examples test and by `detect`).
    pub fn scan(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>) {
        if !self.offered(input) {
            return;
        }
        let mut last_end = 0usize;
        for w in self.windows_for(input, hits) {
            // A lazy-DFA `is_match` first: captures are the expensive part.
            if self.regex.is_match(input.text[w.clone()].as_bytes()) {
                self.captures_in(input, &w, &mut last_end, out);
            }
        }
    }

    /// The rule's findings in one window; `last_end` carries over between windows so
    /// a match seen from two overlapping windows is reported once.
    fn captures_in(
        &self,
        input: &TextInput<'_>,
        w: &std::ops::Range<usize>,
        last_end: &mut usize,
        out: &mut Vec<RawFinding>,
    ) {
        let hay = input.text[w.clone()].as_bytes();
        let text_of = |m: regex::bytes::Match<'_>| {
            char_range(input.text, w.start + m.start(), w.start + m.end())
        };
        for caps in self.regex.captures_iter(hay) {
            let m = match self.secret_group {
                Some(g) => match caps.get(g) {
                    Some(m) => m,
                    None => continue,
                },
                None => caps.get(0).expect("group 0 always matches"),
            };
            let span = text_of(m);
            if span.start < *last_end {
                continue; // already reported from an overlapping window
            }
            let value = &input.text[span.clone()];
            if value.trim().is_empty() {
                continue;
            }
            if self.spec.filter_placeholders && filters::is_not_a_secret(value) {
                continue;
            }
            if filters::is_documentation_example(value) {
                continue;
            }
            *last_end = span.end;
            let user = self
                .user_group
                .and_then(|g| caps.get(g))
                .map(|m| input.text[text_of(m)].to_string())
                .filter(|u| !u.is_empty());
            let host = self
                .host_group
                .and_then(|g| caps.get(g))
                .map(|m| input.text[text_of(m)].to_string())
                .filter(|h| !h.is_empty());
            let mut f = RawFinding::new(
                self.spec.id.clone(),
                self.spec.name.clone(),
                self.spec.category,
                self.spec.confidence,
                Secret::new(value),
            )
            .with_span(span)
            .with_user(user)
            .with_system(host)
            .specificity(match self.spec.confidence {
                Confidence::High => 85,
                Confidence::Medium => 75,
                Confidence::Low => 60,
            });
            for fl in &self.flags {
                f = f.flag(*fl);
            }
            if let Some(alg) = &self.spec.hash_algorithm {
                f.hash_algorithm = Some(alg.clone());
                f = f.flag(Flag::Hashed);
            }
            out.push(f);
        }
    }
}

impl Detector for Rule {
    fn name(&self) -> &'static str {
        "rule"
    }

    fn keywords(&self) -> Vec<String> {
        self.spec.keywords.clone()
    }

    fn detect(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>) {
        self.scan(input, hits, out)
    }
}
