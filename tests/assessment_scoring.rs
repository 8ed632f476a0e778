//! The scoring rule, pinned with worked examples on a small model:
//!
//! domain A: A-1 (level 1), A-2 (level 1), A-3 (level 2, answered per zone), A-4 (level 3)
//! domain B: B-1 (level 1), B-2 (level 2, only if the site has vendor remote access)
//!
//! A level is achieved in a domain when every applicable practice at that level and
//! below is Fully or Largely implemented. Each test states the answers and the levels
//! they must give, worked out by hand.

use credence::assess::engine::{Recorded, State};
use credence::assess::evidence::{Evidence, Indicator};
use credence::assess::results::Answer::{self, *};
use credence::assess::scoring::{overall_level, score};
use credence::assess::template::{self, Template};
use credence::store::assessment::AssessmentRow;
use std::collections::BTreeMap;

const MODEL: &str = r#"[model]
id = "worked"
name = "Worked examples"
version = "1"
source = "test"
licence = "test"
attack_notice = "© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation."
zone_classes = ["IT", "OT", "IoT"]

[[level]]
number = 1
name = "L1"
description = "-"
[[level]]
number = 2
name = "L2"
description = "-"
[[level]]
number = 3
name = "L3"
description = "-"

[[question]]
id = "iiot"
text = "IIoT?"
zone_class = "IoT"
[[question]]
id = "vendor"
text = "Vendor remote access?"

[[domain]]
id = "A"
name = "Domain A"
purpose = "-"
[[domain]]
id = "B"
name = "Domain B"
purpose = "-"

[[practice]]
id = "A-1"
domain = "A"
level = 1
question = "q"
guidance = "g"
evidence_examples = ["e"]
indicators = ["shared_privileged"]
refuted_by = ["shared_privileged"]
mappings = { csf = ["PR.AA-05"], attack = ["T0859"] }
gap_risk = { title = "Shared administrator accounts", likelihood = 5, impact = 5, recommendation = "r" }

[[practice]]
id = "A-2"
domain = "A"
level = 1
question = "q"
guidance = "g"
evidence_examples = ["e"]
mappings = { csf = ["PR.AA-01"] }
gap_risk = { title = "Unknown identities", likelihood = 3, impact = 2, recommendation = "r" }

[[practice]]
id = "A-3"
domain = "A"
level = 2
zone_specific = true
question = "q"
guidance = "g"
evidence_examples = ["e"]
indicators = ["default_credentials"]
refuted_by = ["default_credentials"]
mappings = { csf = ["PR.AA-03"] }
gap_risk = { title = "Vendor default passwords still in use", likelihood = 4, impact = 4, recommendation = "r" }

[[practice]]
id = "A-4"
domain = "A"
level = 3
question = "q"
guidance = "g"
evidence_examples = ["e"]
mappings = { csf = ["PR.AA-05"] }
gap_risk = { title = "Trust granted by network location", likelihood = 2, impact = 3, recommendation = "r" }

[[practice]]
id = "B-1"
domain = "B"
level = 1
question = "q"
guidance = "g"
evidence_examples = ["e"]
mappings = { csf = ["GV.RR-02"] }
gap_risk = { title = "No single owner of identity risk", likelihood = 3, impact = 4, recommendation = "r" }

[[practice]]
id = "B-2"
domain = "B"
level = 2
applies_if = ["vendor"]
question = "q"
guidance = "g"
evidence_examples = ["e"]
mappings = { csf = ["GV.SC-07"] }
gap_risk = { title = "Vendor remote access never expires", likelihood = 4, impact = 5, recommendation = "r" }
"#;

fn model() -> Template {
    template::parse("worked.toml", MODEL).unwrap()
}

/// A round with these answers: `("A-3@OT", Fully)` answers A-3 for the OT zone class.
fn round(answers: &[(&str, Answer)]) -> State {
    State {
        assessment: AssessmentRow {
            id: 1,
            model_id: "worked".into(),
            model_version: "1".into(),
            label: "test".into(),
            started: String::new(),
            updated: String::new(),
        },
        answers: answers
            .iter()
            .map(|(slot, a)| {
                let (p, z) = slot.split_once('@').unwrap_or((slot, ""));
                (
                    (p.to_string(), z.to_string()),
                    Recorded {
                        answer: *a,
                        note: None,
                        answered_at: String::new(),
                    },
                )
            })
            .collect(),
        applicability: BTreeMap::new(),
        targets: BTreeMap::new(),
        evidence: vec![],
    }
}

fn all(a: Answer) -> Vec<(&'static str, Answer)> {
    vec![
        ("A-1", a),
        ("A-2", a),
        ("A-3@IT", a),
        ("A-3@OT", a),
        ("A-3@IoT", a),
        ("A-4", a),
        ("B-1", a),
        ("B-2", a),
    ]
}

fn with(
    mut base: Vec<(&'static str, Answer)>,
    slot: &'static str,
    a: Answer,
) -> Vec<(&'static str, Answer)> {
    base.iter_mut().find(|(s, _)| *s == slot).unwrap().1 = a;
    base
}

/// (domain A level, domain B level).
fn levels(s: &State) -> (u8, u8) {
    let r = score(&model(), s, &Evidence::default());
    (r.domains[0].achieved, r.domains[1].achieved)
}

#[test]
fn everything_fully_implemented_reaches_the_top_level_in_every_domain() {
    // B's top practice is level 2, and level 3 has no practice in B: it does not block.
    let s = round(&all(Fully));
    assert_eq!(levels(&s), (3, 3));
    let r = score(&model(), &s, &Evidence::default());
    assert_eq!(overall_level(&r), 3);
    assert!(r.gaps().is_empty());
}

#[test]
fn largely_counts_as_achieved_like_fully() {
    assert_eq!(levels(&round(&all(Largely))), (3, 3));
}

#[test]
fn one_partially_at_level_2_caps_the_domain_at_level_1() {
    // A-3 for OT Partially: level 2 not achieved, so level 3 cannot be either, even
    // though A-4 (level 3) is Fully implemented.
    let s = round(&with(all(Fully), "A-3@OT", Partially));
    assert_eq!(levels(&s), (1, 3));
    let r = score(&model(), &s, &Evidence::default());
    assert_eq!(overall_level(&r), 1);
    let gaps: Vec<&str> = r.gaps().iter().map(|p| p.practice_id.as_str()).collect();
    assert_eq!(gaps, ["A-3"]);
}

#[test]
fn a_level_1_gap_means_level_0_and_not_and_unknown_block_like_partially() {
    for blocking in [Partially, Not, Unknown] {
        assert_eq!(
            levels(&round(&with(all(Fully), "A-1", blocking))),
            (0, 3),
            "{blocking:?}"
        );
    }
}

#[test]
fn an_unanswered_practice_blocks_its_level() {
    let answers: Vec<_> = all(Fully)
        .into_iter()
        .filter(|(s, _)| *s != "A-2")
        .collect();
    let s = round(&answers);
    assert_eq!(levels(&s), (0, 3));
    let r = score(&model(), &s, &Evidence::default());
    let a2 = r.practices.iter().find(|p| p.practice_id == "A-2").unwrap();
    assert_eq!(a2.answer, None);
    assert!(!a2.is_gap(), "unanswered is not yet a gap");
    assert_eq!(
        (
            r.domains[0].practices_answered,
            r.domains[0].practices_applicable
        ),
        (3, 4)
    );
}

#[test]
fn not_applicable_practices_are_excluded_not_counted_as_gaps() {
    // A-1 Not applicable, A-2 Fully: level 1 rests on A-2 alone.
    let s = round(&with(all(Fully), "A-1", NotApplicable));
    assert_eq!(levels(&s), (3, 3));
    let r = score(&model(), &s, &Evidence::default());
    assert!(r.practices.iter().all(|p| p.practice_id != "A-1"));
    assert_eq!(r.domains[0].practices_applicable, 3);
    // A domain with nothing applicable scores 0 and says so.
    let s = round(&[("B-1", NotApplicable), ("B-2", NotApplicable)]);
    let r = score(&model(), &s, &Evidence::default());
    assert_eq!(
        (r.domains[1].achieved, r.domains[1].practices_applicable),
        (0, 0)
    );
}

#[test]
fn a_no_to_an_applicability_question_removes_the_branch() {
    // B-2 only applies with vendor remote access; its Not implemented stops counting.
    let mut s = round(&with(all(Fully), "B-2", Not));
    assert_eq!(levels(&s), (3, 1));
    s.applicability.insert("vendor".into(), false);
    assert_eq!(levels(&s), (3, 3));
    let r = score(&model(), &s, &Evidence::default());
    assert!(r.practices.iter().all(|p| p.practice_id != "B-2"));
}

#[test]
fn per_zone_answers_score_with_the_weakest_zone() {
    let s = round(&with(
        with(all(Fully), "A-3@IT", Largely),
        "A-3@IoT",
        Partially,
    ));
    let r = score(&model(), &s, &Evidence::default());
    let a3 = r.practices.iter().find(|p| p.practice_id == "A-3").unwrap();
    assert_eq!(a3.answer, Some(Partially));
    assert_eq!(
        a3.zone_answers,
        vec![
            ("IT".to_string(), Largely),
            ("OT".to_string(), Fully),
            ("IoT".to_string(), Partially)
        ]
    );
    assert_eq!(levels(&s), (1, 3));
    // A zone answered Not applicable is left out of the weakest-zone rule.
    let s = round(&with(
        with(all(Fully), "A-3@IT", Largely),
        "A-3@IoT",
        NotApplicable,
    ));
    assert_eq!(levels(&s), (3, 3));
    // No IIoT at the site: the IoT zone class leaves the scope, A-3 is scored on IT and OT.
    let mut s = round(&with(all(Fully), "A-3@IoT", Not));
    assert_eq!(levels(&s), (1, 3));
    s.applicability.insert("iiot".into(), false);
    assert_eq!(levels(&s), (3, 3));
    // Until every zone in scope is answered, the practice is unanswered.
    let answers: Vec<_> = all(Fully)
        .into_iter()
        .filter(|(s, _)| *s != "A-3@OT")
        .collect();
    let r = score(&model(), &round(&answers), &Evidence::default());
    assert_eq!(
        r.practices
            .iter()
            .find(|p| p.practice_id == "A-3")
            .unwrap()
            .answer,
        None
    );
}

#[test]
fn targets_are_reported_per_domain_next_to_the_achieved_level() {
    let mut s = round(&with(all(Fully), "A-3@OT", Partially));
    s.targets.insert("A".into(), 2);
    let r = score(&model(), &s, &Evidence::default());
    assert_eq!((r.domains[0].achieved, r.domains[0].target), (1, Some(2)));
    assert_eq!(r.domains[1].target, None);
}

#[test]
fn gaps_are_ordered_by_level_then_impact() {
    // Gaps: A-2 (L1, impact 2), B-1 (L1, impact 4), A-4 (L3, impact 3), B-2 (L2, impact 5).
    let s = round(&with(
        with(
            with(with(all(Fully), "A-2", Not), "B-1", Partially),
            "A-4",
            Unknown,
        ),
        "B-2",
        Not,
    ));
    let r = score(&model(), &s, &Evidence::default());
    let gaps: Vec<&str> = r.gaps().iter().map(|p| p.practice_id.as_str()).collect();
    assert_eq!(gaps, ["B-1", "A-2", "B-2", "A-4"]);
    let b2 = r.practices.iter().find(|p| p.practice_id == "B-2").unwrap();
    assert_eq!(b2.gap_risk.title, "Vendor remote access never expires");
    assert_eq!(b2.mappings, vec!["CSF:GV.SC-07".to_string()]);
    let a1 = r.practices.iter().find(|p| p.practice_id == "A-1").unwrap();
    assert_eq!(a1.gap_risk.attack, vec!["T0859".to_string()]);
}

fn evidence(id: &str, total: u32, by_zone: &[(&str, u32)]) -> Evidence {
    let mut e = Evidence {
        scan: Some(1),
        indicators: BTreeMap::new(),
    };
    e.indicators.insert(
        id.into(),
        Indicator {
            id: id.into(),
            label: credence::assess::evidence::label_of(id).into(),
            count: total,
            by_zone: by_zone.iter().map(|(z, n)| (z.to_string(), *n)).collect(),
            examples: vec![],
        },
    );
    e
}

#[test]
fn the_scan_contradicts_fully_and_largely_but_not_an_honest_gap() {
    let ev = evidence("shared_privileged", 9, &[("OT", 9)]);
    let r = score(&model(), &round(&all(Fully)), &ev);
    let a1 = r.practices.iter().find(|p| p.practice_id == "A-1").unwrap();
    assert_eq!(
        a1.contradiction.as_deref(),
        Some("answered Fully implemented, but the scan found 9 shared privileged credentials")
    );
    assert_eq!(r.contradictions().count(), 1);
    // Scoring itself is unchanged: the flag goes with the answer to the register.
    assert_eq!(r.domains[0].achieved, 3);
    let r = score(&model(), &round(&with(all(Fully), "A-1", Partially)), &ev);
    assert_eq!(r.contradictions().count(), 0);
    // No scan yet: nothing to contradict with.
    let r = score(&model(), &round(&all(Fully)), &Evidence::default());
    assert_eq!(r.contradictions().count(), 0);
}

#[test]
fn a_zone_answer_is_judged_by_the_evidence_of_its_zone() {
    // Default credentials only unlock OT systems: the IT answer stands, the OT one not.
    let ev = evidence("default_credentials", 4, &[("OT", 4)]);
    let r = score(&model(), &round(&with(all(Fully), "A-3@IT", Largely)), &ev);
    let a3 = r.practices.iter().find(|p| p.practice_id == "A-3").unwrap();
    assert_eq!(
        a3.contradiction.as_deref(),
        Some(
            "OT: answered Fully implemented, but the scan found 4 vendor default credentials in OT"
        )
    );
}
