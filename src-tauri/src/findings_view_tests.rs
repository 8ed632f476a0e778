//! Worked examples of the findings view: four findings from two files, filtered,
//! sorted, grouped, collapsed and windowed.

use super::*;
use credence::finding::{Category, Confidence, Flag};

fn row(
    path: &str,
    line: u32,
    rule: &str,
    user: Option<&str>,
    system: Option<&str>,
    zones: (&str, &str),
) -> Row {
    let f = Finding {
        id: format!("{path}:{line}"),
        path: path.into(),
        root: "/share".into(),
        member: None,
        line: Some(line),
        column: Some(1),
        sheet: None,
        cell: None,
        label: None,
        rule: rule.into(),
        rule_name: rule.into(),
        category: if rule.starts_with("key") {
            Category::PrivateKey
        } else {
            Category::Password
        },
        confidence: if line == 1 {
            Confidence::High
        } else {
            Confidence::Medium
        },
        username: user.map(String::from),
        system: system.map(String::from),
        secret_masked: "S*******!".into(),
        secret_length: 9,
        fingerprint: format!("fp-{user:?}"),
        flags: if user == Some("admin") {
            vec![Flag::Privileged, Flag::Default]
        } else {
            vec![]
        },
        hash_algorithm: None,
        vendor_hint: None,
        age_days: None,
        zone_hints: vec![],
        context: "password = S*******!".into(),
        file_size: 10,
        file_mtime: None,
        reuse_count: 1,
        detail: None,
    };
    let identity = match (&f.username, &f.system) {
        (None, None) => String::new(),
        (u, s) => format!(
            "{}@{}",
            u.as_deref().unwrap_or("?"),
            s.as_deref().unwrap_or("?")
        ),
    };
    Row {
        location: f.location(),
        identity,
        finding: f,
        status: "open".into(),
        note: None,
        who: None,
        exposure_zone: zones.0.into(),
        target_zone: zones.1.into(),
    }
}

fn sample() -> Vec<Row> {
    vec![
        row(
            "it/notes.txt",
            1,
            "prose.password",
            Some("svc_hist"),
            Some("hist01"),
            ("IT", "OT-L3"),
        ),
        row(
            "it/notes.txt",
            7,
            "generic.assignment",
            Some("jdoe"),
            None,
            ("IT", "IT"),
        ),
        row(
            "ot/switch.cfg",
            3,
            "cisco.enable",
            Some("admin"),
            Some("sw-ot-1"),
            ("OT-L2", "OT-L2"),
        ),
        row(
            "ot/switch.cfg",
            9,
            "keys.pem",
            None,
            None,
            ("OT-L2", "OT-L2"),
        ),
    ]
}

fn items(entries: &[Entry], rows: &[Row]) -> Vec<String> {
    entries
        .iter()
        .map(|e| match e {
            Entry::Group {
                key,
                count,
                collapsed,
            } => format!("# {key} ({count}){}", if *collapsed { " +" } else { "" }),
            Entry::Item(i) => rows[*i as usize].location.clone(),
        })
        .collect()
}

#[test]
fn default_view_is_every_finding_in_report_order() {
    let rows = sample();
    let e = build(&rows, &Query::default());
    assert_eq!(
        items(&e, &rows),
        [
            "it/notes.txt:1",
            "it/notes.txt:7",
            "ot/switch.cfg:3",
            "ot/switch.cfg:9"
        ]
    );
}

#[test]
fn filters_combine_and_text_is_case_insensitive_words() {
    let rows = sample();
    let q = |f: fn(&mut Query)| {
        let mut q = Query::default();
        f(&mut q);
        items(&build(&rows, &q), &rows)
    };
    assert_eq!(
        q(|q| q.zone = "OT-L3".into()),
        ["it/notes.txt:1"],
        "target zone counts"
    );
    assert_eq!(q(|q| q.zone = "OT-L2".into()).len(), 2);
    assert_eq!(q(|q| q.flag = "privileged".into()), ["ot/switch.cfg:3"]);
    assert_eq!(q(|q| q.text = "SWITCH admin".into()), ["ot/switch.cfg:3"]);
    assert_eq!(q(|q| q.rule = "cisco.*".into()), ["ot/switch.cfg:3"]);
    assert_eq!(
        q(|q| q.category = "private_key".into()),
        ["ot/switch.cfg:9"]
    );
    assert_eq!(
        q(|q| q.identity = "svc_hist@hist01".into()),
        ["it/notes.txt:1"]
    );
    assert_eq!(q(|q| q.identity = "jdoe@?".into()), ["it/notes.txt:7"]);
    assert_eq!(q(|q| q.file = "ot/switch.cfg".into()).len(), 2);
    assert!(q(|q| q.system = "nowhere".into()).is_empty());
}

#[test]
fn sort_is_stable_and_reversible() {
    let rows = sample();
    let mut q = Query {
        sort: "username".into(),
        ..Default::default()
    };
    // None sorts first; equal keys keep report order.
    assert_eq!(
        items(&build(&rows, &q), &rows),
        [
            "ot/switch.cfg:9",
            "ot/switch.cfg:3",
            "it/notes.txt:7",
            "it/notes.txt:1"
        ]
    );
    q.descending = true;
    assert_eq!(items(&build(&rows, &q), &rows)[0], "it/notes.txt:1");
    let q = Query {
        sort: "confidence".into(),
        ..Default::default()
    };
    assert_eq!(
        items(&build(&rows, &q), &rows)[0],
        "it/notes.txt:1",
        "high confidence first"
    );
}

#[test]
fn groups_have_headers_counts_and_collapse() {
    let rows = sample();
    let mut q = Query {
        group: "zone".into(),
        ..Default::default()
    };
    assert_eq!(
        items(&build(&rows, &q), &rows),
        [
            "# IT (1)",
            "it/notes.txt:7",
            "# IT → OT-L3 (1)",
            "it/notes.txt:1",
            "# OT-L2 (2)",
            "ot/switch.cfg:3",
            "ot/switch.cfg:9"
        ]
    );
    q.collapsed = vec!["OT-L2".into()];
    let e = build(&rows, &q);
    assert_eq!(items(&e, &rows).last().unwrap(), "# OT-L2 (2) +");
    // "Everything shown" includes collapsed groups' findings.
    assert_eq!(ids(&rows, &q).len(), 4);
    let q = Query {
        group: "identity".into(),
        ..Default::default()
    };
    assert_eq!(items(&build(&rows, &q), &rows)[0], "# (no account) (1)");
}

#[test]
fn windows_are_bounded_slices_of_the_view() {
    let rows = sample();
    let e = build(
        &rows,
        &Query {
            group: "file".into(),
            ..Default::default()
        },
    );
    let w = window(&rows, &e, 1, 2);
    assert_eq!(w.len(), 2);
    assert!(matches!(&w[0], DisplayRow::Finding(f) if f.location == "it/notes.txt:1"));
    assert!(window(&rows, &e, 99, 10).is_empty());
    let json = serde_json::to_value(&w[0]).unwrap();
    assert_eq!(json["kind"], "finding");
    assert_eq!(json["masked"], "S*******!");
}

#[test]
fn queries_are_validated() {
    assert!(
        Query {
            sort: "drop table".into(),
            ..Default::default()
        }
        .validate()
        .is_err()
    );
    assert!(
        Query {
            group: "password".into(),
            ..Default::default()
        }
        .validate()
        .is_err()
    );
    assert!(
        Query {
            status: "pwned".into(),
            ..Default::default()
        }
        .validate()
        .is_err()
    );
    assert!(
        Query {
            text: "x".repeat(501),
            ..Default::default()
        }
        .validate()
        .is_err()
    );
    assert!(
        Query {
            sort: "rule".into(),
            group: "zone".into(),
            status: "open".into(),
            ..Default::default()
        }
        .validate()
        .is_ok()
    );
}

#[test]
fn facets_count_values_most_frequent_first() {
    let f = facets(&sample());
    assert_eq!(f.total, 4);
    assert_eq!(f.zone[0], ("IT".to_string(), 2), "ties by name");
    assert_eq!(f.zone[1], ("OT-L2".to_string(), 2));
    assert!(
        f.zone.contains(&("OT-L3".to_string(), 1)),
        "target zones counted too"
    );
    assert_eq!(
        f.flag,
        [("default".to_string(), 1), ("privileged".to_string(), 1)]
    );
}
