//! Hand-made findings and engagements for the risk and report tests.
#![allow(dead_code)]

use credence::assess::results::{Answer, DomainResult, GapRisk, MaturityResult, PracticeOutcome};
use credence::finding::{Category, Confidence, Finding, Flag};
use credence::store::query::StoredFinding;
use credence::store::{Engagement, NewEngagement};

pub struct F<'a> {
    pub path: &'a str,
    pub user: Option<&'a str>,
    pub system: Option<&'a str>,
    pub fp: &'a str,
    pub flags: &'a [Flag],
    pub age: u32,
}

pub fn finding(f: &F<'_>) -> Finding {
    Finding {
        id: format!("{}:{}", f.path, f.fp),
        path: f.path.into(),
        root: "/r".into(),
        member: None,
        line: Some(1),
        column: Some(1),
        sheet: None,
        cell: None,
        label: None,
        rule: "generic.password_assignment".into(),
        rule_name: "Password".into(),
        category: Category::Password,
        confidence: Confidence::High,
        username: f.user.map(Into::into),
        system: f.system.map(Into::into),
        secret_masked: "S******!".into(),
        secret_length: 8,
        fingerprint: f.fp.into(),
        flags: f.flags.to_vec(),
        hash_algorithm: None,
        vendor_hint: None,
        age_days: Some(f.age),
        zone_hints: vec![],
        context: String::new(),
        file_size: 10,
        file_mtime: None,
        reuse_count: 1,
        detail: None,
    }
}

pub fn stored(f: Finding, status: &str) -> StoredFinding {
    StoredFinding {
        finding: f,
        status: status.into(),
        note: None,
        who: None,
        triaged_at: None,
        first_seen: 1,
        last_seen: 1,
    }
}

/// A new engagement file (passphrase-wrapped key) in `dir`.
pub fn engagement(dir: &std::path::Path, name: &str) -> Engagement {
    let key = credence::vault::FingerprintKey::random().unwrap();
    let rec = credence::vault::engagement::wrap("u", &key, "pw").unwrap();
    let meta = NewEngagement {
        client: "ACME Water".into(),
        site: "Plant 3".into(),
        assessor: Some("J. Rivera".into()),
        marking: Some("CONFIDENTIAL - CLIENT".into()),
    };
    Engagement::create(&dir.join(name), &meta, "u", &rec).unwrap()
}

fn practice(
    id: &str,
    answer: Option<Answer>,
    title: &str,
    l: u8,
    i: u8,
    contradiction: Option<&str>,
) -> PracticeOutcome {
    PracticeOutcome {
        practice_id: id.into(),
        domain_id: "ACCESS".into(),
        level: 2,
        question: format!("Question of {id}"),
        answer,
        zone_answers: vec![],
        note: None,
        contradiction: contradiction.map(Into::into),
        gap_risk: GapRisk {
            title: title.into(),
            likelihood: l,
            impact: i,
            recommendation: format!("Implement {id}."),
            attack: vec!["T0822".into()],
        },
        mappings: vec![],
    }
}

/// A hand-made assessment: two gaps sharing one risk title, an answer the scan
/// contradicts, an achieved practice and an unanswered one.
pub fn maturity() -> MaturityResult {
    MaturityResult {
        model_id: "m".into(),
        model_name: "Identity model".into(),
        model_version: "1".into(),
        max_level: 3,
        domains: vec![DomainResult {
            id: "ACCESS".into(),
            name: "Access".into(),
            achieved: 1,
            target: Some(2),
            previous: None,
            practices_applicable: 5,
            practices_answered: 5,
        }],
        practices: vec![
            practice(
                "ACCESS-1.h",
                Some(Answer::Not),
                "No MFA on remote OT access",
                3,
                4,
                None,
            ),
            practice(
                "ACCESS-1.i",
                Some(Answer::Partially),
                "No MFA on remote OT access",
                2,
                5,
                None,
            ),
            practice(
                "ACCESS-2.d",
                Some(Answer::Fully),
                "Least privilege is not enforced",
                3,
                3,
                Some(
                    "answered Fully implemented, but the scan found 9 shared privileged passwords",
                ),
            ),
            practice(
                "ACCESS-2.e",
                Some(Answer::Fully),
                "Duties are not separated",
                2,
                2,
                None,
            ),
            practice(
                "ACCESS-3.a",
                None,
                "Physical access not controlled",
                2,
                2,
                None,
            ),
        ],
    }
}
