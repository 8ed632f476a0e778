//! The maturity templates are data a consultant can read and extend, so they are held
//! to their format: every shipped template loads and validates; every practice has
//! guidance, a known mapping and a gap risk; and a broken template is refused with an
//! error naming the file, the line and the field.

mod common;

use common::engagement::{run, stderr, stdout};
use credence::assess::template::{self, Template};
use credence::assess::{frameworks, validate::TemplateError};
use std::path::PathBuf;

fn folder() -> PathBuf {
    common::repo().join("assessment-templates")
}

fn shipped() -> Vec<Template> {
    template::load_dir(&folder()).unwrap_or_else(|e| panic!("shipped templates invalid:\n{e}"))
}

#[test]
fn every_shipped_template_loads_and_validates_and_the_binary_embeds_them_all() {
    let on_disk = shipped();
    assert!(on_disk.len() >= 2);
    let mut names: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut embedded: Vec<String> = template::builtin_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        names, embedded,
        "every template in the folder is shipped in the binary"
    );
    let builtin = template::builtin().unwrap();
    for (a, b) in on_disk.iter().zip(&builtin) {
        assert_eq!(a.model.id, b.model.id);
        assert_eq!(a.practices.len(), b.practices.len());
    }
}

#[test]
fn every_practice_has_guidance_a_known_mapping_and_a_gap_risk() {
    for t in shipped() {
        for p in &t.practices {
            let at = format!("{} {}", t.model.id, p.id);
            assert!(p.guidance.len() > 40, "{at}: guidance too thin");
            assert!(!p.evidence_examples.is_empty(), "{at}");
            assert!(!p.mappings.is_empty(), "{at}: no mapping");
            for (family, _, ids) in p.mappings.families() {
                for id in ids {
                    assert!(
                        frameworks::title(family, id).is_some(),
                        "{at}: {family} {id}"
                    );
                }
            }
            assert!(
                !p.gap_risk.title.is_empty() && !p.gap_risk.recommendation.is_empty(),
                "{at}"
            );
            assert!(
                (1..=5).contains(&p.gap_risk.impact) && (1..=5).contains(&p.gap_risk.likelihood)
            );
        }
        if t.ships_attack() {
            let notice = t.model.attack_notice.as_deref().unwrap_or("");
            assert!(
                notice.contains("The MITRE Corporation") && notice.contains("permission"),
                "{}",
                t.model.id
            );
        }
    }
}

#[test]
fn the_core_model_has_40_to_70_practices_on_3_levels_mapped_to_all_five_frameworks() {
    let t = shipped()
        .into_iter()
        .find(|t| t.model.id == "credence-itot-identity")
        .unwrap();
    assert_eq!(t.max_level(), 3);
    assert!(
        (40..=70).contains(&t.practices.len()),
        "{}",
        t.practices.len()
    );
    let domains: Vec<&str> = t.domains.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        domains,
        [
            "DISCOVER",
            "CONTEXT",
            "CONTROLS",
            "PRIVILEGE",
            "MONITOR",
            "GOVERN",
            "IMPROVE"
        ]
    );
    for level in 1..=3 {
        assert!(t.practices.iter().any(|p| p.level == level));
    }
    for p in &t.practices {
        let m = &p.mappings;
        assert!(
            m.c2m2.iter().all(|id| id.starts_with("ACCESS-")) && !m.c2m2.is_empty(),
            "{}",
            p.id
        );
        assert!(!m.csf.is_empty(), "{}", p.id);
        assert!(
            !m.iec62443_3_3.is_empty() || !m.iec62443_2_1.is_empty(),
            "{}",
            p.id
        );
        assert!(!m.attack.is_empty(), "{}", p.id);
    }
    // The PR.AA subcategories are all covered somewhere.
    for sub in ["PR.AA-01", "PR.AA-02", "PR.AA-03", "PR.AA-05"] {
        assert!(
            t.practices
                .iter()
                .any(|p| p.mappings.csf.iter().any(|c| c == sub)),
            "{sub}"
        );
    }
    // The issue's own example: "no shared admin accounts" is refuted by shared
    // privileged credentials.
    let priv2 = t.practice("PRIV-2").unwrap();
    assert!(priv2.refuted_by.iter().any(|i| i == "shared_privileged"));
    // Gap risk titles are reused, so the register groups them into board-level risks.
    let titles: std::collections::BTreeSet<&str> = t
        .practices
        .iter()
        .map(|p| p.gap_risk.title.as_str())
        .collect();
    assert!(
        titles.len() < t.practices.len() / 2,
        "{} titles",
        titles.len()
    );
}

#[test]
fn the_csf_model_uses_the_four_tiers() {
    let t = shipped()
        .into_iter()
        .find(|t| t.model.id == "nist-csf2-identity")
        .unwrap();
    let names: Vec<&str> = t.levels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Tier 1 Partial",
            "Tier 2 Risk Informed",
            "Tier 3 Repeatable",
            "Tier 4 Adaptive"
        ]
    );
    for sub in [
        "PR.AA-01", "PR.AA-02", "PR.AA-03", "PR.AA-04", "PR.AA-05", "PR.AA-06",
    ] {
        assert!(t.practices.iter().any(|p| p.id.starts_with(sub)), "{sub}");
    }
}

#[test]
fn the_readme_documents_every_field_and_carries_the_attack_notice() {
    let readme = std::fs::read_to_string(folder().join("README.md")).unwrap();
    assert!(readme.contains("© 2025 The MITRE Corporation"));
    for field in [
        "attack_notice",
        "zone_classes",
        "applies_if",
        "requires",
        "zone_class",
        "zone_specific",
        "evidence_examples",
        "indicators",
        "refuted_by",
        "gap_risk",
        "likelihood",
        "impact",
        "recommendation",
        "c2m2",
        "csf",
        "iec62443_3_3",
        "iec62443_2_1",
        "attack",
    ] {
        assert!(
            readme.contains(&format!("`{field}`")),
            "README lacks `{field}`"
        );
    }
    for id in credence::assess::evidence::indicator_ids() {
        assert!(
            readme.contains(&format!("`{id}`")),
            "README lacks indicator `{id}`"
        );
    }
}

/// A small valid template; each bad-input test breaks one thing in it.
const GOOD: &str = r#"[model]
id = "tiny"
name = "Tiny"
version = "1"
source = "test"
licence = "test"

[[level]]
number = 1
name = "One"
description = "first"

[[question]]
id = "remote"
text = "Remote access?"

[[domain]]
id = "D"
name = "Domain"
purpose = "testing"

[[practice]]
id = "D-1"
domain = "D"
level = 1
question = "Is it done?"
guidance = "Ask for proof."
evidence_examples = ["a record"]
[practice.mappings]
csf = ["PR.AA-01"]
[practice.gap_risk]
title = "Risk"
likelihood = 3
impact = 4
recommendation = "Do it."
"#;

fn errors_of(text: &str) -> Vec<TemplateError> {
    template::parse("tiny.toml", text).err().unwrap_or_default()
}

#[test]
fn the_small_template_used_below_is_valid() {
    let t = template::parse("tiny.toml", GOOD).unwrap();
    assert_eq!(t.practices[0].line, 22, "the practice's [[practice]] line");
}

#[test]
fn a_missing_field_names_file_line_and_field() {
    let text = GOOD.replace("guidance = \"Ask for proof.\"\n", "");
    let e = errors_of(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].file.as_str(), e[0].field.as_str()),
        ("tiny.toml", "guidance")
    );
    assert!((22..=27).contains(&e[0].line), "{}", e[0]);
    assert!(e[0].to_string().starts_with("tiny.toml:"), "{}", e[0]);
}

#[test]
fn a_duplicate_practice_id_names_both_places() {
    let second = &GOOD[GOOD.find("[[practice]]").unwrap()..];
    let text = format!("{GOOD}\n{second}");
    let e = errors_of(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].field, "practice[D-1].id");
    assert!(
        e[0].message.contains("duplicate") && e[0].message.contains("line 22"),
        "{}",
        e[0]
    );
    assert_eq!(e[0].line, 38, "the id line of the second practice");
}

#[test]
fn an_unknown_mapping_is_refused() {
    let text = GOOD.replace(
        "csf = [\"PR.AA-01\"]",
        "csf = [\"PR.AA-01\"]\nc2m2 = [\"ACCESS-9z\"]",
    );
    let e = errors_of(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].line, e[0].field.as_str()),
        (31, "practice[D-1].mappings.c2m2"),
        "the line of the c2m2 key"
    );
    assert!(
        e[0].message.contains("unknown mapping 'ACCESS-9z'"),
        "{}",
        e[0]
    );
    // A framework family the format does not know is a shape error on its line.
    let text = GOOD.replace(
        "csf = [\"PR.AA-01\"]",
        "csf = [\"PR.AA-01\"]\niso27001 = [\"A.5.15\"]",
    );
    let e = errors_of(&text);
    assert_eq!(e[0].field, "iso27001", "{e:?}");
    assert_eq!(e[0].line, 31, "{}", e[0]);
}

#[test]
fn a_cycle_in_applicability_is_refused() {
    let text = GOOD.replace(
        "[[question]]\nid = \"remote\"\ntext = \"Remote access?\"\n",
        "[[question]]\nid = \"remote\"\ntext = \"Remote access?\"\nrequires = [\"vendor\"]\n\n[[question]]\nid = \"vendor\"\ntext = \"Vendors?\"\nrequires = [\"remote\"]\n",
    );
    let e = errors_of(&text);
    assert_eq!(e.len(), 1, "reported once: {e:?}");
    assert_eq!(e[0].field, "question[remote].requires");
    assert!(
        e[0].message.contains("cycle: remote → vendor → remote"),
        "{}",
        e[0]
    );
    assert_eq!(
        e[0].line, 16,
        "the requires line of the first question in the cycle"
    );
}

#[test]
fn other_mistakes_are_each_named() {
    for (from, to, field) in [
        (
            "level = 1\nquestion",
            "level = 4\nquestion",
            "practice[D-1].level",
        ),
        (
            "domain = \"D\"\nlevel",
            "domain = \"X\"\nlevel",
            "practice[D-1].domain",
        ),
        ("impact = 4", "impact = 9", "practice[D-1].gap_risk.impact"),
        (
            "level = 1\nquestion",
            "level = 1\napplies_if = [\"nope\"]\nquestion",
            "practice[D-1].applies_if",
        ),
        (
            "level = 1\nquestion",
            "level = 1\nindicators = [\"nope\"]\nquestion",
            "practice[D-1].indicators",
        ),
        (
            "csf = [\"PR.AA-01\"]",
            "attack = [\"T0859\"]",
            "model.attack_notice",
        ),
        (
            "evidence_examples = [\"a record\"]",
            "evidence_examples = []",
            "practice[D-1].evidence_examples",
        ),
    ] {
        let e = errors_of(&GOOD.replace(from, to));
        assert!(e.iter().any(|e| e.field == field), "{field}: {e:?}");
    }
}

#[test]
fn templates_check_exits_2_with_every_error_and_0_on_the_shipped_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["templates", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("credence-itot-identity 1.0"),
        "{}",
        stdout(&o)
    );
    let o = run(
        tmp.path(),
        &["templates", "check", folder().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let bad = tmp.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("a.toml"), GOOD.replace("impact = 4", "impact = 0")).unwrap();
    std::fs::write(
        bad.join("b.toml"),
        GOOD.replace("id = \"tiny\"", "id = \"other\"")
            .replace("guidance = \"Ask for proof.\"\n", ""),
    )
    .unwrap();
    let o = run(tmp.path(), &["templates", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("a.toml:34: practice[D-1].gap_risk.impact: 0 is outside 1-5"),
        "{err}"
    );
    assert!(
        err.contains("b.toml:") && err.contains(": guidance: missing field `guidance`"),
        "{err}"
    );
    assert!(err.contains("2 template error(s)"), "{err}");
}
