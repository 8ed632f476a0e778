//! Every built-in rule proves itself on its own examples: each example yields at least
//! one finding of that rule, each negative example none. Also checks the rule set's
//! invariants and that a malformed rule file is reported with its file and rule.

use credence::detect::rules::{Rule, RuleError, RuleSet, parse_rules};
use credence::detect::{RawFinding, TextInput};
use credence::ingest::{TextHint, text::LineIndex};
use std::collections::HashSet;

/// Runs one rule over `text` as the engine would: the keyword hits of the rule's own
/// keywords (ASCII case-insensitive), and a file name the rule accepts.
fn scan(rule: &Rule, text: &str) -> Vec<RawFinding> {
    let lines = LineIndex::new(text);
    let name = rule
        .spec
        .file_names
        .first()
        .cloned()
        .unwrap_or_else(|| "example.txt".to_string());
    let input = TextInput {
        text,
        lines: &lines,
        name: &name,
        hint: TextHint::Unknown,
    };
    let lower = text.to_ascii_lowercase();
    let mut hits: Vec<usize> = Vec::new();
    for k in &rule.spec.keywords {
        let k = k.to_ascii_lowercase();
        let mut from = 0;
        while let Some(p) = lower[from..].find(&k) {
            hits.push(from + p);
            from += p + 1;
        }
    }
    hits.sort_unstable();
    hits.dedup();
    let mut out = Vec::new();
    if rule.spec.keywords.is_empty() || !hits.is_empty() {
        rule.scan(&input, &hits, &mut out);
    }
    out
}

#[test]
fn every_example_matches_and_every_negative_does_not() {
    let set = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for rule in &set.rules {
        for ex in &rule.spec.examples {
            if scan(rule, ex).is_empty() {
                failures.push(format!("{}: example not matched: {ex:?}", rule.id()));
            }
        }
        for neg in &rule.spec.negative_examples {
            let found = scan(rule, neg);
            if !found.is_empty() {
                failures.push(format!(
                    "{}: negative example matched ({} finding(s)): {neg:?}",
                    rule.id(),
                    found.len()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rules_are_complete_and_unique() {
    let set = RuleSet::builtin().expect("built-in rules load");
    assert!(set.rules.len() >= 40, "only {} rules", set.rules.len());
    let mut ids = HashSet::new();
    for rule in &set.rules {
        let s = &rule.spec;
        assert!(ids.insert(s.id.clone()), "duplicate rule id {}", s.id);
        assert!(s.examples.len() >= 2, "{}: needs >= 2 examples", s.id);
        assert!(
            s.negative_examples.len() >= 2,
            "{}: needs >= 2 negative examples",
            s.id
        );
        assert!(
            s.description.as_deref().is_some_and(|d| d.len() > 20),
            "{}: needs a description",
            s.id
        );
        assert!(
            s.file_names.iter().all(|n| *n == n.to_ascii_lowercase()),
            "{}: file_names must be lowercase base names",
            s.id
        );
        if s.category == credence::Category::Hash {
            assert!(
                s.hash_algorithm.is_some(),
                "{}: hash without algorithm",
                s.id
            );
        }
    }
}

#[test]
fn secrets_exclude_surrounding_quotes() {
    let set = RuleSet::builtin().expect("built-in rules load");
    for rule in &set.rules {
        for ex in &rule.spec.examples {
            for f in scan(rule, ex) {
                let span = f.span.clone().expect("rules report spans");
                let v = ex[span].trim();
                let quoted = |c: char| matches!(c, '"' | '\'' | '`');
                assert!(
                    !v.starts_with(quoted) && !v.ends_with(quoted),
                    "{}: secret keeps surrounding quotes in {ex:?}",
                    rule.id()
                );
            }
        }
    }
}

#[test]
fn malformed_rule_file_names_file_and_rule() {
    let bad_regex = r#"
[[rule]]
id = "test.broken"
name = "Broken"
category = "password"
keywords = ["broken"]
pattern = '''(?P<secret>[a-z'''
examples = ["broken abc"]
"#;
    let err = parse_rules("broken.toml", bad_regex)
        .err()
        .expect("must fail");
    let msg = err.to_string();
    assert!(matches!(err, RuleError::Invalid { .. }), "{msg}");
    assert!(
        msg.contains("broken.toml") && msg.contains("test.broken"),
        "{msg}"
    );

    let bad_category = r#"
[[rule]]
id = "test.category"
name = "Bad category"
category = "passwords"
keywords = ["abc"]
pattern = 'abc'
examples = ["abc"]
"#;
    let err = parse_rules("cat.toml", bad_category)
        .err()
        .expect("must fail");
    assert!(err.to_string().contains("cat.toml"), "{err}");

    let short_keyword = r#"
[[rule]]
id = "test.keyword"
name = "Short keyword"
category = "token"
keywords = ["ab"]
pattern = 'abc'
examples = ["abc"]
"#;
    let err = parse_rules("kw.toml", short_keyword)
        .err()
        .expect("must fail");
    let msg = err.to_string();
    assert!(
        msg.contains("kw.toml") && msg.contains("test.keyword"),
        "{msg}"
    );
}

/// Neighbouring rules with the same keywords run as one group in the engine (one
/// window cut, one regex-set pass): the engine finds exactly what it finds with every
/// rule on its own, on all examples of all rules and on the sample data's text files.
#[test]
fn grouped_rules_find_what_the_rules_find_alone() {
    use credence::detect::{Detector, Engine};
    let set = RuleSet::builtin().expect("built-in rules");
    let mut text = String::new();
    for r in &set.rules {
        for e in r.spec.examples.iter().chain(&r.spec.negative_examples) {
            text.push_str(e);
            text.push('\n');
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut texts = vec![text];
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if let Ok(t) = std::fs::read_to_string(e.path()) {
            texts.push(t);
        }
    }
    let grouped = Engine::builtin().expect("engine");
    let alone = {
        let mut detectors: Vec<Box<dyn Detector>> = RuleSet::builtin()
            .expect("rules")
            .rules
            .into_iter()
            .map(|r| Box::new(r) as Box<dyn Detector>)
            .collect();
        detectors.extend(credence::detect::dialects::all());
        detectors.push(Box::new(credence::detect::keyvalue::KeyValueDetector::new()));
        detectors.push(Box::new(credence::detect::prose::ProseDetector::new()));
        Engine::from_detectors(detectors)
    };
    assert!(
        grouped.detector_names().len() < alone.detector_names().len(),
        "some rules are grouped"
    );
    let mut compared = 0;
    for text in &texts {
        let lines = LineIndex::new(text);
        let input = TextInput {
            text,
            lines: &lines,
            name: "notes.txt",
            hint: TextHint::Unknown,
        };
        let key = |f: &RawFinding| (f.rule_id.to_string(), f.span.clone(), f.username.clone());
        let a: Vec<_> = grouped.detect_text(&input).iter().map(key).collect();
        let b: Vec<_> = alone.detect_text(&input).iter().map(key).collect();
        assert_eq!(a, b);
        compared += a.len();
    }
    assert!(compared > 100, "only {compared} findings compared");
}
