//! The register keeps what people decide. Edits (owner, due date, status, wording,
//! note) survive regeneration; a risk whose evidence disappears is marked resolved,
//! never deleted, and reopens with its human status if the evidence comes back;
//! assessment risks are not resolved by a regeneration that had no answers to read;
//! manual risks are never resolved by the evidence; ids are never reused.

mod common;

use common::engagement::*;
use common::risk::engagement;
use credence::risk::register::{ManualRisk, load};
use credence::risk::{Origin, RiskContent, Status};
use credence::store::risks::{Looked, RiskEdits};

fn content(key: &str, origin: Origin, title: &str, l: u8, i: u8) -> RiskContent {
    RiskContent {
        origin,
        key: key.into(),
        title: title.into(),
        description: format!("{title}, generated"),
        zones: vec!["OT-L2".into()],
        systems: vec![],
        identities: vec![],
        findings: vec![format!("f-{key}")],
        answers: vec![],
        attack: vec!["T0859".into()],
        likelihood: l,
        impact: i,
        derivation: vec![],
        treatment: "Generated treatment.".into(),
        practices: vec![],
        owner_role: "CISO".into(),
        residual_likelihood: 1,
        residual_impact: i,
        blast_radius: 0,
        age_days: 0,
        contradictions: vec![],
    }
}

const BOTH: Looked = Looked {
    findings: true,
    answers: true,
};

#[test]
fn edits_survive_regeneration_and_vanished_evidence_resolves_without_deleting() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "r.credence");
    let a = content("rule:a", Origin::Rule, "Shared admin passwords", 4, 5);
    let b = content("rule:b", Origin::Rule, "Default passwords", 3, 3);
    let g = content("gap:mfa", Origin::Gap, "No MFA on remote OT access", 3, 4);
    eng.sync_risks(&[a.clone(), b.clone(), g.clone()], BOTH, "2026-11-01")
        .unwrap();
    let ids: Vec<String> = load(&eng).unwrap().iter().map(|r| r.id.clone()).collect();
    // Ids in order of first sight (a, b, g); the register in order of score: 20, 12, 9.
    assert_eq!(ids, ["R-001", "R-003", "R-002"]);

    eng.edit_risk(
        "R-001",
        &RiskEdits {
            owner: Some("Maria Chen (OT operations)".into()),
            due: Some("2026-12-15".into()),
            status: Some(Status::InProgress),
            title: Some("Shared admin passwords open the SCADA servers".into()),
            note: Some("Vault purchase approved".into()),
            ..Default::default()
        },
        Some("auditor"),
    )
    .unwrap();
    eng.edit_risk(
        "R-003",
        &RiskEdits {
            status: Some(Status::Accepted),
            note: Some("Compensating control: no route".into()),
            ..Default::default()
        },
        None,
    )
    .unwrap();

    // A re-scan: A's evidence changed (new wording, more findings), B's is gone.
    let mut a2 = a.clone();
    a2.description = "Shared admin passwords, now 9 findings".into();
    a2.findings = (0..9).map(|i| format!("f{i}")).collect();
    eng.sync_risks(&[a2.clone(), g.clone()], BOTH, "2026-11-20")
        .unwrap();
    let reg = load(&eng).unwrap();
    let r1 = reg.iter().find(|r| r.id == "R-001").unwrap();
    assert_eq!(
        r1.content.title, "Shared admin passwords open the SCADA servers",
        "the person's wording"
    );
    assert_eq!(
        r1.content.description, "Shared admin passwords, now 9 findings",
        "the new evidence"
    );
    assert_eq!(r1.finding_count(), 9);
    assert_eq!(r1.owner.as_deref(), Some("Maria Chen (OT operations)"));
    assert_eq!((r1.due.as_str(), r1.due_suggested), ("2026-12-15", false));
    assert_eq!(r1.status, Status::InProgress);
    assert_eq!(r1.first_seen, "2026-11-01");
    assert_eq!(r1.edited, ["title", "owner", "due", "status", "note"]);
    let gap = reg.iter().find(|r| r.id == "R-003").unwrap();
    assert_eq!(
        (gap.status, gap.note.as_deref()),
        (Status::Accepted, Some("Compensating control: no route"))
    );
    let b_risk = reg.iter().find(|r| r.id == "R-002").unwrap();
    assert_eq!(b_risk.status, Status::Resolved, "evidence gone: resolved");
    assert_eq!(b_risk.evidence_gone.as_deref(), Some("2026-11-20"));
    assert_eq!(reg.last().unwrap().id, "R-002", "resolved risks go last");

    // A regeneration without answers leaves the gap risk as it was.
    eng.sync_risks(
        &[a2.clone()],
        Looked {
            findings: true,
            answers: false,
        },
        "2026-11-21",
    )
    .unwrap();
    let reg = load(&eng).unwrap();
    assert_eq!(
        reg.iter().find(|r| r.id == "R-003").unwrap().status,
        Status::Accepted
    );

    // B's evidence comes back: same id, open again; a new risk gets a new id.
    let c = content("rule:c", Origin::Rule, "Reversible passwords", 2, 2);
    eng.sync_risks(&[a2, b, c, g], BOTH, "2026-12-01").unwrap();
    let reg = load(&eng).unwrap();
    let b_risk = reg.iter().find(|r| r.id == "R-002").unwrap();
    assert_eq!(
        (b_risk.status, b_risk.evidence_gone.clone()),
        (Status::Open, None)
    );
    assert!(
        reg.iter()
            .any(|r| r.id == "R-004" && r.content.key == "rule:c")
    );
    assert_eq!(reg.len(), 4);

    // An empty value puts the generated text back.
    eng.edit_risk(
        "R-001",
        &RiskEdits {
            title: Some(String::new()),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    let reg = load(&eng).unwrap();
    assert_eq!(
        reg.iter().find(|r| r.id == "R-001").unwrap().content.title,
        "Shared admin passwords"
    );
    assert!(
        eng.edit_risk(
            "R-999",
            &RiskEdits {
                owner: Some("x".into()),
                ..Default::default()
            },
            None
        )
        .unwrap_err()
        .to_string()
        .contains("no risk with id 'R-999'")
    );
    assert!(
        eng.edit_risk(
            "R-001",
            &RiskEdits {
                due: Some("next week".into()),
                ..Default::default()
            },
            None
        )
        .unwrap_err()
        .to_string()
        .contains("not a date")
    );
}

#[test]
fn a_manual_risk_is_kept_until_a_person_closes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "m.credence");
    let manual = ManualRisk {
        title: "Vendor laptop bridges the OT network".into(),
        description: "Seen on the site walk".into(),
        likelihood: 3,
        impact: 5,
        treatment: "Ban dual-homed laptops".into(),
        zones: vec!["OT-L2".into()],
        systems: vec![],
        attack: vec!["T0822".into()],
        residual_likelihood: Some(1),
        residual_impact: None,
        author: Some("J. Rivera".into()),
    };
    let id = eng
        .add_manual_risk(&manual.content().unwrap(), "2026-11-01")
        .unwrap();
    assert_eq!(id, "R-001");
    eng.sync_risks(&[], BOTH, "2026-11-20").unwrap();
    let reg = load(&eng).unwrap();
    assert_eq!(reg.len(), 1);
    let r = &reg[0];
    assert_eq!((r.status, r.score, r.residual_score), (Status::Open, 15, 5));
    assert_eq!(
        r.content.derivation,
        ["likelihood 3, impact 5: set by J. Rivera"]
    );
    assert_eq!(
        r.band,
        credence::risk::Band::High,
        "15 = 3 x 5: critical starts at 20"
    );
    assert_eq!(r.due, "2026-12-31", "high: 60 days");
    let bad = ManualRisk {
        likelihood: 6,
        ..manual
    };
    assert_eq!(bad.content().unwrap_err(), "likelihood 6 is outside 1-5");
}

#[test]
fn through_the_cli_an_owner_set_before_a_rescan_is_still_there_after_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("share");
    let sample = common::sample_data();
    for f in [
        "home/jdoe/notes/vpn.txt",
        "engineering-share/control-room/credentials.xlsx",
    ] {
        let to = site.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(sample.join(f), &to).unwrap();
    }
    let eng = new_engagement(tmp.path(), "e.credence");
    let e = eng.to_str().unwrap();
    scan(tmp.path(), &eng, &[&site], &[]);
    let json = |tmp: &std::path::Path| -> Vec<serde_json::Value> {
        let o = run(
            tmp,
            &["register", "-e", e, "-f", "json", "--date", "2026-11-29"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let reg = json(tmp.path());
    let sheet = reg
        .iter()
        .find(|r| r["key"] == "rule:credential-spreadsheets")
        .expect("the credential sheet is a risk");
    let id = sheet["id"].as_str().unwrap().to_string();
    let o = run(
        tmp.path(),
        &[
            "register",
            "-e",
            e,
            "edit",
            &id,
            "--owner",
            "Plant IT lead",
            "--due",
            "2027-01-15",
            "--status",
            "in_progress",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // The sheet is deleted on site; the re-scan no longer sees it.
    std::fs::remove_file(site.join("engineering-share/control-room/credentials.xlsx")).unwrap();
    scan(tmp.path(), &eng, &[&site], &[]);
    let reg = json(tmp.path());
    let after = reg
        .iter()
        .find(|r| r["id"] == id.as_str())
        .expect("never deleted");
    assert_eq!(after["status"], "resolved");
    assert_eq!(after["owner"], "Plant IT lead");
    assert_eq!(after["due"], "2027-01-15");
    assert_eq!(after["evidence_gone"], "2026-11-29");
    let table = stdout(&run(
        tmp.path(),
        &["register", "-e", e, "--date", "2026-11-29"],
    ));
    assert!(table.contains(&id) && table.contains("resolved"), "{table}");
    let csv = stdout(&run(
        tmp.path(),
        &["register", "-e", e, "-f", "csv", "--date", "2026-11-29"],
    ));
    assert!(
        csv.starts_with("Rank,Id,Title,Priority,Score,Likelihood,Impact,Status,Owner"),
        "{csv}"
    );
    let o = run(
        tmp.path(),
        &["register", "-e", e, "edit", "R-999", "--owner", "x"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no risk with id 'R-999'"));
}
