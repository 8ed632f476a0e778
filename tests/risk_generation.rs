//! Risk generation as a worked example: seven hand-made findings through the built-in
//! risk rules, with every likelihood, impact and the order worked out by hand in the
//! comments. Then the maturity gaps: grouped by the title of the risk they raise, with
//! a contradiction raising likelihood even for an answer of "Fully implemented".

mod common;

use common::risk::{F, engagement, finding, maturity, stored};
use credence::assess::results::Answer;
use credence::finding::{Category, Flag::*};
use credence::identity;
use credence::risk::generate::{Input, generate};
use credence::risk::{Band, Origin, RiskContent, rules};

/// The findings (root /r); zones come from the default zone rules:
/// A  it-share/notes.md           svc_hist@historian01  IT (2) → OT-L3 (4), privileged service
/// A2 engineering-share/scada/h.ini svc_hist@10.1.2.3 same secret, OT-L2 (5) → OT-L2 (5)
/// B  engineering-share/plc-backups admin@plc-07 default, privileged, 2000 days, OT-L1 → OT-L1
/// C  it-share/IT/a.ps1           jdoe@fs01.corp.example, 1500 days, IT → IT
/// D  vendor-drop/k.pem           a private key, no account, vendor → vendor
/// E  it-share/x.xlsx [Passwords]C2  operator@hmi-02, weak, IT (2) → OT-L2 (5)
/// X  it-share/fp.txt             triaged false positive: not evidence
fn example() -> Vec<credence::store::query::StoredFinding> {
    let mut a = finding(&F {
        path: "it-share/notes.md",
        user: Some("svc_hist"),
        system: Some("historian01"),
        fp: "aaaa1111",
        flags: &[NonHuman, Privileged],
        age: 400,
    });
    a.id = "A".into();
    let mut a2 = finding(&F {
        path: "engineering-share/scada/h.ini",
        user: Some("svc_hist"),
        system: Some("10.1.2.3"),
        fp: "aaaa1111",
        flags: &[NonHuman, Privileged],
        age: 30,
    });
    a2.id = "A2".into();
    let mut b = finding(&F {
        path: "engineering-share/plc-backups/x.txt",
        user: Some("admin"),
        system: Some("plc-07"),
        fp: "bbbb2222",
        flags: &[Default, Privileged],
        age: 2000,
    });
    b.id = "B".into();
    let mut c = finding(&F {
        path: "it-share/IT/a.ps1",
        user: Some("jdoe"),
        system: Some("fs01.corp.example"),
        fp: "cccc3333",
        flags: &[],
        age: 1500,
    });
    c.id = "C".into();
    let mut d = finding(&F {
        path: "vendor-drop/k.pem",
        user: None,
        system: None,
        fp: "dddd4444",
        flags: &[NonHuman],
        age: 10,
    });
    d.id = "D".into();
    d.category = Category::PrivateKey;
    let mut e = finding(&F {
        path: "it-share/x.xlsx",
        user: Some("operator"),
        system: Some("hmi-02"),
        fp: "eeee5555",
        flags: &[Weak],
        age: 100,
    });
    e.id = "E".into();
    e.sheet = Some("Passwords".into());
    e.cell = Some("C2".into());
    let mut x = finding(&F {
        path: "it-share/fp.txt",
        user: Some("x"),
        system: Some("scada-9"),
        fp: "ffff6666",
        flags: &[Privileged],
        age: 1,
    });
    x.id = "X".into();
    vec![
        stored(a, "open"),
        stored(a2, "open"),
        stored(b, "confirmed"),
        stored(c, "open"),
        stored(d, "open"),
        stored(e, "open"),
        stored(x, "false_positive"),
    ]
}

fn by_key<'a>(risks: &'a [RiskContent], key: &str) -> &'a RiskContent {
    risks
        .iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("no risk {key}"))
}

#[test]
fn seven_findings_make_seven_grouped_risks_scored_as_worked_out_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = engagement(tmp.path(), "g.credence");
    let zones = eng.zone_map().unwrap();
    let findings = example();
    let plain: Vec<_> = findings.iter().map(|s| s.finding.clone()).collect();
    let analysis = identity::build(&plain, &zones).analysis;
    let rules = rules::builtin().unwrap();
    let risks = generate(
        &rules,
        &Input {
            findings: &findings,
            zones: &zones,
            analysis: &analysis,
            maturity: None,
        },
    );

    // In rule order (src/risk/rules/risks.toml: the specific risks first).
    let keys: Vec<&str> = risks.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "rule:vendor-defaults-ot",         // B: default, opens OT-L1
            "rule:it-to-ot-shared-privileged", // A, A2: on an IT-to-OT path, privileged and shared
            "rule:it-to-ot-path",              // E: on a path, neither privileged nor shared
            "rule:credential-spreadsheets",    // E: a sheet cell
            "rule:privileged-no-owner",        // A, A2: privileged and shared / non-human
            "rule:clear-passwords-in-files",   // A, A2, B, C (E is a sheet, D a key)
            "rule:private-keys-exposed",       // D
        ]
    );
    let findings_of = |k: &str| by_key(&risks, k).findings.clone();
    assert_eq!(findings_of("rule:it-to-ot-shared-privileged"), ["A", "A2"]);
    assert_eq!(
        findings_of("rule:clear-passwords-in-files"),
        ["A", "A2", "B", "C"]
    );
    assert!(
        risks.iter().all(|r| !r.findings.contains(&"X".to_string())),
        "a false positive is not evidence"
    );

    // (likelihood, impact). A risk is scored on its worst finding among those that do
    // not already score an earlier risk (a finding scores the first risk it joins).
    // B (vendor-defaults-ot): clear 3 +1 default +1 age (2000 days > 4 years) = 5;
    //   OT-L1 safety 5, privileged: full impact 5.
    // A (shared-privileged, worst of A and A2): clear 3 +1 reach IT(2)→OT-L3(4) = 4;
    //   OT-L3 availability 4, privileged: 4. 16 beats A2: 3 (kept in OT-L2, no
    //   reach) x OT-L2 5 = 15.
    // E (it-to-ot-path): clear 3 +1 reach IT(2)→OT-L2(5) = 4; OT-L2 5 -1 not
    //   privileged = 4.
    // Spreadsheets (E) and privileged-no-owner (A, A2): every finding already scores
    //   an earlier risk, so all of them compete again: E (4, 4) and A (4, 4).
    // Clear passwords: A, A2 and B score earlier risks; C is what this risk adds:
    //   clear 3 +1 age (1500 days) = 4; IT 2 -1 not privileged = 1. Low.
    // D (private key): clear 3; vendor availability 3 -1 = 2.
    let li = |k: &str| {
        let r = by_key(&risks, k);
        (r.likelihood, r.impact)
    };
    assert_eq!(li("rule:vendor-defaults-ot"), (5, 5));
    assert_eq!(li("rule:it-to-ot-shared-privileged"), (4, 4));
    assert_eq!(li("rule:it-to-ot-path"), (4, 4));
    assert_eq!(li("rule:credential-spreadsheets"), (4, 4));
    assert_eq!(li("rule:privileged-no-owner"), (4, 4));
    assert_eq!(li("rule:clear-passwords-in-files"), (4, 1));
    assert_eq!(li("rule:private-keys-exposed"), (3, 2));
    let clear = by_key(&risks, "rule:clear-passwords-in-files");
    assert_eq!(
        clear.derivation[0],
        "scored on the worst of 1 of 4 finding(s) (3 already score an earlier, more specific risk): it-share/IT/a.ps1:1 (C)"
    );
    assert!(
        by_key(&risks, "rule:privileged-no-owner").derivation[0]
            .contains("all of which also score an earlier, more specific risk")
    );

    let shared = by_key(&risks, "rule:it-to-ot-shared-privileged");
    assert_eq!(
        shared.derivation,
        [
            "scored on the worst of 2 finding(s): it-share/notes.md:1 (A)",
            "likelihood 3: exposure, readable by whoever opens the file (1 in clear text)",
            "+1 reach: kept in IT (criticality 2), opens OT-L3 (criticality 4)",
            "impact 4: OT-L3 availability 4 (safety 3, availability 4, regulatory 3)",
            "privileged access: control of the system, the zone's full impact (1)",
        ]
    );
    assert_eq!(shared.zones, ["OT-L2", "OT-L3"]);
    assert_eq!(shared.systems, ["10.1.2.3", "historian01"]);
    assert_eq!(
        shared.identities,
        ["svc_hist@10.1.2.3", "svc_hist@historian01"]
    );
    assert_eq!(shared.attack, ["T0859", "T0886", "T1552.001", "T1078"]);
    assert_eq!((shared.residual_likelihood, shared.residual_impact), (1, 4));
    assert_eq!(
        shared.blast_radius, 18,
        "credential A: OT-L2 5 + OT-L3 4 + 10.1.2.3 5 + historian01 4"
    );
    assert!(
        shared
            .description
            .starts_with("2 privileged or shared credential occurrence(s)")
    );
    assert_eq!(
        clear.blast_radius,
        18 + 10 + 4,
        "A, B (OT-L1 5 + plc-07 5) and C (IT 2 + fs01 2)"
    );
    assert_eq!(clear.age_days, 2000);
}

#[test]
fn priority_is_score_then_blast_radius_then_age_then_id() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "p.credence");
    let zones = eng.zone_map().unwrap();
    let findings = example();
    let plain: Vec<_> = findings.iter().map(|s| s.finding.clone()).collect();
    let analysis = identity::build(&plain, &zones).analysis;
    let rules = rules::builtin().unwrap();
    let input = Input {
        findings: &findings,
        zones: &zones,
        analysis: &analysis,
        maturity: None,
    };
    let risks =
        credence::risk::register::refresh(&mut eng, &rules, &input, true, "2026-11-29").unwrap();
    // Ids in generation order: R-001 vendor-defaults-ot, R-002 shared-privileged,
    // R-003 it-to-ot-path, R-004 spreadsheets, R-005 privileged-no-owner,
    // R-006 clear passwords, R-007 private keys.
    // 25: R-001. 16: R-002 and R-005 (blast 18, age 400: tie, by id), then R-003 and
    // R-004 (blast 10, age 100: by id). 6: R-007. 4: R-006.
    let order: Vec<(&str, u8)> = risks.iter().map(|r| (r.id.as_str(), r.score)).collect();
    assert_eq!(
        order,
        [
            ("R-001", 25),
            ("R-002", 16),
            ("R-005", 16),
            ("R-003", 16),
            ("R-004", 16),
            ("R-007", 6),
            ("R-006", 4)
        ]
    );
    assert_eq!(
        risks.iter().map(|r| r.rank).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6, 7]
    );
    let bands: Vec<Band> = risks.iter().map(|r| r.band).collect();
    assert_eq!(
        bands,
        [
            Band::Critical,
            Band::High,
            Band::High,
            Band::High,
            Band::High,
            Band::Medium,
            Band::Low
        ]
    );
    // Suggested due dates: first seen + 30 days (critical), 60 (high), 90 (medium),
    // 180 (low).
    assert_eq!(
        (risks[0].due.as_str(), risks[0].due_suggested),
        ("2026-12-29", true)
    );
    assert_eq!(risks[1].due, "2027-01-28");
    assert_eq!(risks[5].due, "2027-02-27");
    assert_eq!(risks[6].due, "2027-05-28");
    assert_eq!(risks[0].owner, None);
    assert_eq!(risks[0].content.owner_role, "Control systems engineer");
}

#[test]
fn gaps_sharing_a_title_make_one_risk_and_a_contradiction_raises_likelihood() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = engagement(tmp.path(), "m.credence");
    let zones = eng.zone_map().unwrap();
    let analysis = identity::build(&[], &zones).analysis;
    let m = maturity();
    let risks = generate(
        &rules::builtin().unwrap(),
        &Input {
            findings: &[],
            zones: &zones,
            analysis: &analysis,
            maturity: Some(&m),
        },
    );
    // ACCESS-2.e is achieved and uncontradicted, ACCESS-3.a unanswered: no risk.
    let titles: Vec<&str> = risks.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "No MFA on remote OT access",
            "Least privilege is not enforced"
        ]
    );
    let mfa = &risks[0];
    assert_eq!(mfa.origin, Origin::Gap);
    assert_eq!(mfa.key, "gap:no-mfa-on-remote-ot-access");
    // In the contract's gap order: same level, higher impact hint first.
    assert_eq!(mfa.practices, ["ACCESS-1.i", "ACCESS-1.h"]);
    assert_eq!(
        (mfa.likelihood, mfa.impact),
        (3, 5),
        "the highest hints of the two"
    );
    assert!(mfa.contradictions.is_empty());
    assert_eq!(mfa.treatment, "Implement ACCESS-1.i. Implement ACCESS-1.h.");
    let lp = &risks[1];
    assert_eq!(
        (lp.likelihood, lp.impact),
        (4, 3),
        "hint 3 + 1 for the contradiction"
    );
    assert_eq!(
        lp.contradictions,
        [
            "ACCESS-2.d: answered Fully implemented, but the scan found 9 shared privileged passwords"
        ]
    );
    assert_eq!(lp.answers[0].answer, Some(Answer::Fully));
    assert!(
        lp.derivation
            .iter()
            .any(|d| d.contains("contradicts 1 answer"))
    );
}

#[test]
fn the_built_in_rules_load_and_every_rule_is_checked() {
    let rules = rules::builtin().unwrap();
    assert!(rules.len() >= 10);
    for r in &rules {
        assert!(
            r.attack.iter().all(|a| rules::valid_attack_id(a)),
            "{}",
            r.id
        );
        assert!(
            !r.practices.is_empty(),
            "{} ties its treatment to practices",
            r.id
        );
    }
    let bad = |toml: &str| rules::load(&[("t.toml", toml)]).unwrap_err().to_string();
    let base = "[[rule]]\nid = \"x\"\ntitle = \"T\"\ndescription = \"D\"\ntreatment = \"R\"\nowner_role = \"O\"\n";
    assert!(
        bad(&format!(
            "{base}traits_all = [\"sticky\"]\nattack = [\"T0859\"]\n"
        ))
        .contains("unknown trait 'sticky'")
    );
    assert!(
        bad(&format!(
            "{base}traits_all = [\"default\"]\nattack = [\"M0801\"]\n"
        ))
        .contains("'M0801' is not an ATT&CK technique id")
    );
    assert!(bad(&format!("{base}attack = [\"T0859\"]\n")).contains("matches every finding"));
    assert!(
        bad(&format!(
            "{base}traits_all = [\"default\"]\ntarget_zones = [\"OT-L9\"]\nattack = [\"T0859\"]\n"
        ))
        .contains("unknown zone kind 'OT-L9'")
    );
    let one = format!("{base}traits_all = [\"default\"]\nattack = [\"T0859\"]\n");
    assert!(bad(&format!("{one}{one}")).contains("duplicate id"));
    assert!(bad(&format!("{one}colour = \"red\"\n")).contains("colour"));
    assert!(rules::load(&[("t.toml", &one)]).is_ok());
}
