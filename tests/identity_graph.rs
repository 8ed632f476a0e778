//! The identity graph answers the leadership questions. First on a hand-made set of
//! findings with every number worked out by hand, then on the sample engagement: the
//! historian service account's password, written in an IT project note, unlocks the
//! historian in OT — the IT-to-OT path the tool exists to show.

mod common;

use common::engagement::*;
use credence::finding::{Category, Confidence, Finding, Flag};
use credence::identity::{self, Metrics};
use credence::store::{Engagement, NewEngagement};

fn finding(
    path: &str,
    user: Option<&str>,
    system: Option<&str>,
    fp: &str,
    flags: &[Flag],
    age: u32,
) -> Finding {
    Finding {
        id: format!("{path}:{fp}"),
        path: path.into(),
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
        username: user.map(Into::into),
        system: system.map(Into::into),
        secret_masked: "S******!".into(),
        secret_length: 8,
        fingerprint: fp.into(),
        flags: flags.to_vec(),
        hash_algorithm: None,
        vendor_hint: None,
        age_days: Some(age),
        zone_hints: vec![],
        context: String::new(),
        file_size: 10,
        file_mtime: None,
        reuse_count: 1,
        detail: None,
    }
}

#[test]
fn metrics_of_a_hand_made_engagement_match_the_hand_count() {
    let tmp = tempfile::tempdir().unwrap();
    let key = credence::vault::FingerprintKey::random().unwrap();
    let rec = credence::vault::engagement::wrap("u", &key, "pw").unwrap();
    let meta = NewEngagement {
        client: "c".into(),
        site: "s".into(),
        ..std::default::Default::default()
    };
    let eng = Engagement::create(&tmp.path().join("x.credence"), &meta, "u", &rec).unwrap();
    let zones = eng.zone_map().unwrap();
    use Flag::*;
    let findings = vec![
        // fp A: one password, an IT note and the SCADA config: svc_hist on two systems.
        finding(
            "it-share/notes.md",
            Some("svc_hist"),
            Some("historian01"),
            "aaaa1111",
            &[NonHuman],
            400,
        ),
        finding(
            "engineering-share/scada/h.ini",
            Some("svc_hist"),
            Some("10.1.2.3"),
            "aaaa1111",
            &[NonHuman],
            30,
        ),
        // fp B: a privileged default admin on a PLC, exposed on the OT share only.
        finding(
            "engineering-share/plc-backups/x.txt",
            Some("admin"),
            Some("plc-07"),
            "bbbb2222",
            &[Default, Privileged],
            2000,
        ),
        // fp C: an IT account on an IT host, old.
        finding(
            "it-share/IT/a.ps1",
            Some("jdoe"),
            Some("fs01.corp.example"),
            "cccc3333",
            &[],
            1500,
        ),
        // fp D: a key with no known account, in a vendor drop.
        finding("vendor-drop/k.pem", None, None, "dddd4444", &[NonHuman], 10),
    ];
    let g = identity::build(&findings, &zones);
    let a = &g.analysis;
    assert_eq!(
        a.metrics,
        Metrics {
            identities: 5, // svc_hist@historian01, svc_hist@10.1.2.3, admin@plc-07, jdoe@fs01, key D
            credentials: 4,
            privileged: 1,         // admin@plc-07
            shared: 2,             // both svc_hist accounts share fp A
            shared_credentials: 1, // A (two systems, two files)
            non_human: 3,          // two svc_hist identities and key D
            cross_boundary: 2,     // the svc_hist identities (A exposed in IT)
            cross_boundary_paths: 2,
            reused_across_zones: 1, // A: IT, OT-L3, OT-L2
            default: 1,
            older_than_1y: 3, // svc_hist@historian01 (400), admin (2000), jdoe (1500)
            older_than_4y: 2, // admin, jdoe
        }
    );
    let paths: Vec<String> = a.cross_boundary.iter().map(|p| p.spelled()).collect();
    assert_eq!(
        paths,
        [
            "it-share/notes.md (IT) → S******! [aaaa1111] → svc_hist@10.1.2.3 → OT-L2 (criticality 2 → 5)",
            "it-share/notes.md (IT) → S******! [aaaa1111] → svc_hist@historian01 → OT-L3 (criticality 2 → 4)",
        ]
    );
    // Blast radius of A: zones OT-L2 (5) + OT-L3 (4), systems 10.1.2.3 (5) + historian01 (4).
    let a_report = a
        .credentials
        .iter()
        .find(|c| c.fingerprint == "aaaa1111")
        .unwrap();
    assert_eq!(a_report.blast_radius, 18);
    assert_eq!(
        a.credentials[0].fingerprint, "aaaa1111",
        "largest blast radius first"
    );
    // Graph shape: 4 credentials, 4 accounts, 4 systems, 4 sources + 1... zones used.
    let kinds = |k: &str| {
        g.graph
            .node_weights()
            .filter(|n| serde_json::to_value(n).unwrap()["type"] == k)
            .count()
    };
    assert_eq!(
        (
            kinds("credential"),
            kinds("account"),
            kinds("system"),
            kinds("source")
        ),
        (4, 4, 4, 5)
    );
}

#[test]
fn one_password_copied_into_three_it_files_for_two_ot_accounts_is_two_paths_not_six() {
    // fp P in three IT files (a note, a script, a list) naming two OT accounts; the
    // same password also sits in an OT-L2 config. One credential opens both accounts
    // from any of its files, so the routes are IT → eng@plc-07 and IT →
    // operator@hmi-02, each with the three IT files as evidence. The OT-L2 copy
    // (criticality 5) opens nothing more critical (OT-L1 and OT-L2 are both 5).
    let tmp = tempfile::tempdir().unwrap();
    let key = credence::vault::FingerprintKey::random().unwrap();
    let rec = credence::vault::engagement::wrap("u", &key, "pw").unwrap();
    let meta = NewEngagement {
        client: "c".into(),
        site: "s".into(),
        ..std::default::Default::default()
    };
    let eng = Engagement::create(&tmp.path().join("p.credence"), &meta, "u", &rec).unwrap();
    let zones = eng.zone_map().unwrap();
    let f = |path: &str, user: &str, system: &str| {
        finding(path, Some(user), Some(system), "pppp9999", &[], 10)
    };
    let findings = vec![
        f("it-share/a/notes.md", "eng", "plc-07"),
        f("it-share/b/run.ps1", "eng", "plc-07"),
        f("it-share/c/list.txt", "operator", "hmi-02"),
        f("engineering-share/scada/hmi.ini", "operator", "hmi-02"),
    ];
    let a = identity::build(&findings, &zones).analysis;
    let paths: Vec<String> = a.cross_boundary.iter().map(|p| p.spelled()).collect();
    assert_eq!(
        paths,
        [
            "it-share/a/notes.md, it-share/b/run.ps1 and 1 more file (IT) → S******! [pppp9999] → eng@plc-07 → OT-L1 (criticality 2 → 5)",
            "it-share/a/notes.md, it-share/b/run.ps1 and 1 more file (IT) → S******! [pppp9999] → operator@hmi-02 → OT-L2 (criticality 2 → 5)",
        ]
    );
    assert_eq!(
        a.metrics.cross_boundary_paths, 2,
        "was 3 files x 2 accounts = 6"
    );
    assert_eq!(
        a.cross_boundary[0].files,
        [
            "it-share/a/notes.md",
            "it-share/b/run.ps1",
            "it-share/c/list.txt"
        ]
    );
    assert_eq!(a.metrics.cross_boundary, 2, "the two accounts");
}

#[test]
fn the_sample_engagement_shows_the_it_to_ot_historian_path_and_shared_credentials() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "sample.credence");
    let sample = common::sample_data();
    scan(tmp.path(), &f, &[&sample], &["--exclude", "EXPECTED.tsv"]);
    let o = run(
        tmp.path(),
        &["metrics", "-e", f.to_str().unwrap(), "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // One path per (file zone, credential, account), its files as evidence: here one
    // tuple per file of the route, to find the note's routes.
    let paths: Vec<(String, String, String, String)> = v["cross_boundary"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            p["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f.as_str().unwrap().to_string(),
                        s("source_zone"),
                        s("account"),
                        s("target_zone"),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let routes: std::collections::BTreeSet<(String, String, String)> = v["cross_boundary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("source_zone"), s("fingerprint"), s("account"))
        })
        .collect();
    assert_eq!(
        routes.len(),
        v["cross_boundary"].as_array().unwrap().len(),
        "no route is listed twice"
    );
    let note = "it-share/Projects/historian-migration/notes.md".to_string();
    for expected in [
        (
            note.clone(),
            "IT".to_string(),
            "svc_hist@Historian".to_string(),
            "OT-L3".to_string(),
        ),
        (
            note.clone(),
            "IT".to_string(),
            "svc_hist@192.0.2.21".to_string(),
            "OT-L2".to_string(),
        ),
        (
            note.clone(),
            "IT".to_string(),
            "administrator@Jump host".to_string(),
            "DMZ".to_string(),
        ),
    ] {
        assert!(
            paths.contains(&expected),
            "missing path {expected:?} in {paths:#?}"
        );
    }
    // The historian password is one credential: two files, two systems.
    let hist = v["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["systems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "192.0.2.21")
        })
        .expect("historian credential");
    assert_eq!(hist["shared"], true);
    assert_eq!(
        hist["systems"],
        serde_json::json!(["192.0.2.21", "Historian"])
    );
    assert_eq!(
        hist["sources"],
        serde_json::json!([
            "engineering-share/scada/historian.ini",
            "it-share/Projects/historian-migration/notes.md"
        ])
    );
    let m = &v["metrics"];
    assert!(
        m["privileged"].as_u64().unwrap() >= 3,
        "admin, sa, administrator: {m}"
    );
    assert!(m["shared_credentials"].as_u64().unwrap() >= 1);
    assert!(m["cross_boundary_paths"].as_u64().unwrap() >= 3);
    assert!(m["non_human"].as_u64().unwrap() >= 2);
    // Table and graph formats.
    let table = stdout(&run(tmp.path(), &["metrics", "-e", f.to_str().unwrap()]));
    assert!(
        table.contains("Cross-boundary paths") && table.contains("svc_hist@Historian → OT-L3"),
        "{table}"
    );
    let dot = stdout(&run(
        tmp.path(),
        &["graph", "-e", f.to_str().unwrap(), "-f", "dot"],
    ));
    assert!(
        dot.starts_with("digraph identity {")
            && dot.contains("unlocks")
            && dot.contains("located-in")
    );
    let gml = stdout(&run(
        tmp.path(),
        &["graph", "-e", f.to_str().unwrap(), "-f", "graphml"],
    ));
    assert!(gml.contains("<graphml") && gml.contains("svc_hist@Historian"));
    let json: serde_json::Value = serde_json::from_str(&stdout(&run(
        tmp.path(),
        &["graph", "-e", f.to_str().unwrap(), "-f", "json"],
    )))
    .unwrap();
    assert!(json["edges"].as_array().unwrap().len() > 10);
    // Stored with the scan for trends.
    assert_eq!(one(&f, "SELECT count(*) FROM scan_metrics"), "1");
}

#[test]
fn zones_are_edited_and_user_cidrs_place_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "z.credence");
    let e = f.to_str().unwrap();
    let sample = common::sample_data();
    scan(tmp.path(), &f, &[&sample], &["--exclude", "EXPECTED.tsv"]);
    let target_of = |ip: &str| {
        stdout(&run(tmp.path(), &["findings", "-e", e, "-f", "jsonl"]))
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|v| v["system"] == ip)
            .map(|v| v["target_zone"].as_str().unwrap().to_string())
            .unwrap()
    };
    // No address range is assumed: 192.0.2.40 is placed by its file (scada → OT-L2).
    assert_eq!(target_of("192.0.2.40"), "OT-L2");
    let o = run(
        tmp.path(),
        &[
            "zones",
            "-e",
            e,
            "rule-add",
            "OT-L3",
            "--kind",
            "cidr",
            "--pattern",
            "192.0.2.32/27",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(target_of("192.0.2.40"), "OT-L3");
    assert_eq!(target_of("192.0.2.21"), "OT-L2", "outside the /27");
    let o = run(
        tmp.path(),
        &[
            "zones",
            "-e",
            e,
            "add",
            "Substation",
            "--kind",
            "OT-L1",
            "--safety",
            "5",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(
        tmp.path(),
        &["zones", "-e", e, "set-criticality", "IT", "2", "3", "4"],
    );
    assert_eq!(o.status.code(), Some(0));
    let list = stdout(&run(tmp.path(), &["zones", "-e", e, "list"]));
    assert!(
        list.contains("Substation") && list.contains("192.0.2.32/27"),
        "{list}"
    );
    for bad in [
        vec!["zones", "-e", e, "set-criticality", "IT", "9", "1", "1"],
        vec![
            "zones",
            "-e",
            e,
            "rule-add",
            "Nowhere",
            "--kind",
            "path-glob",
            "--pattern",
            "**/x/**",
        ],
        vec![
            "zones",
            "-e",
            e,
            "rule-add",
            "IT",
            "--kind",
            "cidr",
            "--pattern",
            "10.0.0.0/99",
        ],
        vec!["zones", "-e", e, "add", "IT", "--kind", "IT"],
    ] {
        assert_eq!(run(tmp.path(), &bad).status.code(), Some(2), "{bad:?}");
    }
}
