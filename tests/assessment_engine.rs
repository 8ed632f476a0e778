//! The questionnaire's moves as library calls (what the desktop app wraps): rounds that
//! resume, applicability that skips branches, answers checked before they are stored,
//! evidence files kept once by hash (and refused when they hold a credential), answers
//! files imported whole or not at all.

mod common;

use credence::assess::engine::{self, Item};
use credence::assess::template::{self, Template};
use credence::assess::{self, Answer, answers_file};
use credence::store::{Engagement, NewEngagement, schema};
use std::path::Path;

fn core() -> Template {
    template::builtin()
        .unwrap()
        .into_iter()
        .find(|t| t.model.id == "credence-itot-identity")
        .unwrap()
}

fn engagement(dir: &Path, name: &str) -> Engagement {
    let key = credence::vault::FingerprintKey::random().unwrap();
    let rec = credence::vault::engagement::wrap("u", &key, "pw").unwrap();
    let meta = NewEngagement {
        client: "Example Water".into(),
        site: "Plant 3".into(),
        ..Default::default()
    };
    Engagement::create(&dir.join(name), &meta, "u", &rec).unwrap()
}

fn practice(id: &str, zone: Option<&str>) -> Item {
    Item::Practice {
        id: id.into(),
        zone: zone.map(Into::into),
    }
}

fn question(id: &str) -> Item {
    Item::Question { id: id.into() }
}

#[test]
fn a_round_starts_once_and_resumes_at_the_first_unanswered_item() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    assert!(
        assess::maturity_of(&eng, None).unwrap().is_none(),
        "nothing started yet"
    );
    let mut s = engine::start_or_resume(&mut eng, &t).unwrap();
    // The zone-class questions come first: they decide how often zoned practices are asked.
    assert_eq!(s.next_unanswered(&t), Some(question("ot")));
    engine::set_applicability(&mut eng, &t, &mut s, "ot", true).unwrap();
    engine::set_applicability(&mut eng, &t, &mut s, "iiot", false).unwrap();
    assert_eq!(s.zones_in_scope(&t), ["IT", "OT"]);
    assert_eq!(s.next_unanswered(&t), Some(practice("DISC-1", Some("IT"))));
    engine::record_answer(
        &mut eng,
        &t,
        &mut s,
        "DISC-1",
        Some("IT"),
        Answer::Largely,
        Some("AD export seen"),
    )
    .unwrap();
    drop(eng);

    // Another sitting: same round, next item.
    let mut eng = Engagement::open(&tmp.path().join("e.credence")).unwrap();
    let s2 = engine::start_or_resume(&mut eng, &t).unwrap();
    assert_eq!(s2.id(), s.id());
    assert_eq!(s2.next_unanswered(&t), Some(practice("DISC-1", Some("OT"))));
    let r = s2.answer_of("DISC-1", Some("IT")).unwrap();
    assert_eq!(
        (r.answer, r.note.as_deref()),
        (Answer::Largely, Some("AD export seen"))
    );
    let disc = s2
        .progress(&t)
        .into_iter()
        .find(|d| d.domain == "DISCOVER")
        .unwrap();
    // 9 practices, 4 of them per zone (IT and OT in scope: 8 slots) and 5 once; the one
    // for certificates and the one for automation agents count while their question is open.
    assert_eq!((disc.answered, disc.applicable), (1, 13));
    assert!(assess::maturity_of(&eng, None).unwrap().is_some());
}

#[test]
fn a_no_skips_the_branch_and_its_follow_up_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    let mut s = engine::start_or_resume(&mut eng, &t).unwrap();
    let vendor_items = |s: &engine::State| {
        s.items(&t)
            .into_iter()
            .filter(|i| matches!(i, Item::Practice { id, .. } if ["PRIV-3", "PRIV-5", "PRIV-6", "GOV-5"].contains(&id.as_str()))
                || matches!(i, Item::Question { id } if id == "vendor_remote_ot"))
            .count()
    };
    assert_eq!(vendor_items(&s), 5);
    engine::set_applicability(&mut eng, &t, &mut s, "vendor_remote", false).unwrap();
    assert_eq!(
        vendor_items(&s),
        0,
        "vendor practices and the follow-up question are skipped"
    );
    assert_eq!(
        s.question_status(&t, "vendor_remote_ot"),
        engine::QuestionStatus::Moot
    );
    let r = assess::scoring::score(&t, &s, &assess::Evidence::default());
    assert!(r.practices.iter().all(|p| p.practice_id != "PRIV-5"));
}

#[test]
fn answers_that_do_not_fit_the_template_are_refused_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    let mut s = engine::start_or_resume(&mut eng, &t).unwrap();
    for (p, z, why) in [
        ("PRIV-2", Some("OT"), "answered once"),
        ("DISC-1", None, "per zone class"),
        ("DISC-1", Some("DMZ"), "not a zone class"),
        ("NOPE-1", None, "no practice"),
    ] {
        let e = engine::record_answer(&mut eng, &t, &mut s, p, z, Answer::Fully, None).unwrap_err();
        assert!(e.to_string().contains(why), "{p}: {e}");
    }
    assert!(engine::set_target(&mut eng, &t, &mut s, "PRIVILEGE", 4).is_err());
    assert!(engine::set_target(&mut eng, &t, &mut s, "NOWHERE", 1).is_err());
    assert!(engine::set_applicability(&mut eng, &t, &mut s, "nope", true).is_err());
    assert!(s.answers.is_empty() && s.targets.is_empty() && s.applicability.is_empty());
    engine::set_target(&mut eng, &t, &mut s, "PRIVILEGE", 2).unwrap();
    assert_eq!(s.targets.get("PRIVILEGE"), Some(&2));
}

#[test]
fn evidence_files_are_kept_once_by_hash_and_a_file_holding_a_credential_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("e.credence");
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    let mut s = engine::start_or_resume(&mut eng, &t).unwrap();
    let policy = tmp.path().join("access-policy.txt");
    std::fs::write(
        &policy,
        "Vendor accounts expire after 30 days. Reviewed quarterly by the OT lead.\n",
    )
    .unwrap();
    let a = engine::attach_evidence(&mut eng, &t, &mut s, "PRIV-5", None, &policy).unwrap();
    let b = engine::attach_evidence(&mut eng, &t, &mut s, "GOV-5", None, &policy).unwrap();
    assert_eq!(a.hash, b.hash);
    assert_eq!(
        a.hash,
        blake3::hash(&std::fs::read(&policy).unwrap())
            .to_hex()
            .to_string()
    );
    assert_eq!(s.evidence.len(), 2);
    assert_eq!(
        common::engagement::one(&path, "SELECT count(*) FROM evidence_files"),
        "1"
    );
    assert_eq!(
        eng.evidence_content(&a.hash).unwrap().unwrap(),
        std::fs::read(&policy).unwrap()
    );

    let leaky = tmp.path().join("vpn-howto.txt");
    let secret = "Kx9!mQ2#vendorVPN";
    std::fs::write(&leaky, format!("VPN login: vendor1\npassword = {secret}\n")).unwrap();
    let e = engine::attach_evidence(&mut eng, &t, &mut s, "CTL-2", None, &leaky).unwrap_err();
    assert!(e.to_string().contains("holds 1 credential"), "{e}");
    assert_eq!(s.evidence.len(), 2);
    drop(eng);
    for file in [path.clone(), path.with_extension("credence-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            assert!(
                !common::contains(&bytes, secret.as_bytes()),
                "{}",
                file.display()
            );
        }
    }
}

#[test]
fn answers_files_round_trip_and_a_bad_one_saves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "a.credence");
    let t = core();
    let mut s = engine::start_or_resume(&mut eng, &t).unwrap();
    engine::set_applicability(&mut eng, &t, &mut s, "iiot", false).unwrap();
    engine::set_target(&mut eng, &t, &mut s, "CONTROLS", 2).unwrap();
    engine::record_answer(
        &mut eng,
        &t,
        &mut s,
        "PRIV-2",
        None,
        Answer::Partially,
        Some("two shared admins on HMIs"),
    )
    .unwrap();
    engine::record_answer(&mut eng, &t, &mut s, "CTL-1", Some("OT"), Answer::Not, None).unwrap();
    for ext in ["toml", "json"] {
        let file = tmp.path().join(format!("answers.{ext}"));
        answers_file::write(&file, &answers_file::export(&t, &s)).unwrap();
        let mut other = engagement(tmp.path(), &format!("b-{ext}.credence"));
        let mut s2 = engine::start_or_resume(&mut other, &t).unwrap();
        assert_eq!(
            answers_file::import(&mut other, &t, &mut s2, &file).unwrap(),
            2
        );
        let said = |s: &engine::State| -> Vec<_> {
            s.answers
                .iter()
                .map(|(k, r)| (k.clone(), r.answer, r.note.clone()))
                .collect()
        };
        assert_eq!(said(&s2), said(&s));
        assert_eq!(
            (&s2.targets, &s2.applicability),
            (&s.targets, &s.applicability)
        );
    }

    let mut b = engagement(tmp.path(), "c.credence");
    let mut sb = engine::start_or_resume(&mut b, &t).unwrap();
    let good = "model = \"credence-itot-identity\"\nmodel_version = \"1.0\"\n\n[targets]\nPRIVILEGE = 2\n\n[[answer]]\npractice = \"PRIV-1\"\nzone = \"IT\"\nanswer = \"fully\"\n\n[[answer]]\npractice = \"PRIV-2\"\nanswer = \"largely\"\n";
    let cases = [
        (
            good.replace("\"1.0\"", "\"0.9\""),
            "answers.toml:2: model_version: answers are for credence-itot-identity version 0.9",
        ),
        (
            format!("{good}\n[[answer]]\npractice = \"PRIV-4\"\nanswer = \"mostly\"\n"),
            "answers.toml:16: answer #3 (PRIV-4): answer 'mostly' is not one of",
        ),
        (
            format!("{good}\n[[answer]]\npractice = \"PRIV-2\"\nanswer = \"not\"\n"),
            "answer #3 (PRIV-2): answered twice (first as answer #2)",
        ),
        (
            format!("{good}\n[[answer]]\npractice = \"PRIV-9\"\nanswer = \"not\"\n"),
            "answer #3 (PRIV-9): credence-itot-identity has no practice 'PRIV-9'",
        ),
        (
            good.replace("PRIVILEGE = 2", "PRIVILEGE = 7"),
            "answers.toml:5: targets.PRIVILEGE: level 7 is above 3",
        ),
        (
            good.replace(
                "answer = \"largely\"",
                "answer = \"largely\"\nevidence = [{ name = \"x.pdf\", hash = \"00ff\" }]",
            ),
            "evidence 'x.pdf' (00ff) is not stored",
        ),
        (
            good.replace("practice = \"PRIV-2\"", "practise = \"PRIV-2\""),
            "answers.toml:13: unknown field `practise`",
        ),
    ];
    for (text, expected) in cases {
        let file = tmp.path().join("answers.toml");
        std::fs::write(&file, &text).unwrap();
        let e = answers_file::import(&mut b, &t, &mut sb, &file)
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "expected {expected:?} in {e:?}");
        let file_name = file.display().to_string();
        assert!(e.starts_with(&file_name), "{e}");
        assert!(
            sb.answers.is_empty() && sb.targets.is_empty(),
            "nothing saved half-way"
        );
    }
    std::fs::write(tmp.path().join("answers.toml"), good).unwrap();
    assert_eq!(
        answers_file::import(&mut b, &t, &mut sb, &tmp.path().join("answers.toml")).unwrap(),
        2
    );
}

#[test]
fn a_new_round_is_compared_with_the_previous_one() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    let mut first = engine::start_or_resume(&mut eng, &t).unwrap();
    engine::record_answer(
        &mut eng,
        &t,
        &mut first,
        "GOV-1",
        None,
        Answer::Partially,
        None,
    )
    .unwrap();
    engine::record_answer(&mut eng, &t, &mut first, "GOV-2", None, Answer::Fully, None).unwrap();
    assert!(assess::previous_maturity(&eng, None).unwrap().is_none());
    let mut second = engine::start_new(&mut eng, &t, "2026 Q3").unwrap();
    engine::record_answer(
        &mut eng,
        &t,
        &mut second,
        "GOV-1",
        None,
        Answer::Fully,
        None,
    )
    .unwrap();
    engine::record_answer(
        &mut eng,
        &t,
        &mut second,
        "GOV-2",
        None,
        Answer::Fully,
        None,
    )
    .unwrap();
    // Resuming picks the latest round.
    assert_eq!(
        engine::start_or_resume(&mut eng, &t).unwrap().id(),
        second.id()
    );
    let now = assess::maturity_of(&eng, None).unwrap().unwrap();
    let gov = now.domains.iter().find(|d| d.id == "GOVERN").unwrap();
    assert_eq!((gov.achieved, gov.previous), (1, Some(0)));
    let before = assess::previous_maturity(&eng, None).unwrap().unwrap();
    let trend = assess::trend::compare(&now, &before, "round 1");
    let gov1 = trend.practices.iter().find(|p| p.id == "GOV-1").unwrap();
    assert_eq!(gov1.change, assess::trend::Change::Improved);
    let d = trend.domains.iter().find(|d| d.id == "GOVERN").unwrap();
    assert_eq!(
        (d.previous, d.current, d.change),
        (0, 1, assess::trend::Change::Improved)
    );
}

#[test]
fn the_assessment_tables_come_with_the_latest_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = engagement(tmp.path(), "e.credence");
    assert_eq!(eng.schema_version().unwrap(), schema::LATEST);
    assert!(schema::MIGRATIONS.contains(&schema::ASSESS_SQL));
    let tables = common::engagement::rows(
        &tmp.path().join("e.credence"),
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%assessment%' ORDER BY name",
    );
    assert_eq!(tables.len(), 5, "{tables:?}");
}

#[test]
fn the_indicators_of_a_practice_come_from_the_latest_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = engagement(tmp.path(), "e.credence");
    let t = core();
    let before = assess::indicators_for(&eng, &t, "PRIV-2").unwrap();
    assert!(before.is_empty(), "no scan yet: nothing to show");
    // One administrator password written in two places: a shared privileged credential.
    let share = tmp.path().join("share");
    std::fs::create_dir_all(share.join("ot")).unwrap();
    std::fs::write(
        share.join("handover.txt"),
        "admin password for hmi01: Wq7!tRz2#Lp\n",
    )
    .unwrap();
    std::fs::write(
        share.join("ot/notes.txt"),
        "admin password for hmi02: Wq7!tRz2#Lp\n",
    )
    .unwrap();
    let scanner =
        credence::Scanner::new(credence::vault::FingerprintKey::random().unwrap()).unwrap();
    let opts = credence::ScanOptions {
        roots: vec![share.canonicalize().unwrap()],
        ..Default::default()
    };
    credence::store::scan::run(&mut eng, &scanner, &opts, &Default::default()).unwrap();
    let shown = assess::indicators_for(&eng, &t, "PRIV-2").unwrap();
    let ids: Vec<&str> = shown.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        ["shared_privileged", "shared_credentials"],
        "the template's order"
    );
    assert_eq!((shown[0].count, shown[1].count), (1, 1));
    assert_eq!(
        shown[0].examples.len(),
        1,
        "one credential, first place shown"
    );
    assert!(
        shown[0].examples[0].contains("admin@hmi0"),
        "{:?}",
        shown[0].examples
    );
    assert!(!shown[0].examples[0].contains("Wq7!tRz2#Lp"));
    assert!(assess::indicators_for(&eng, &t, "NOPE").is_err());
}
