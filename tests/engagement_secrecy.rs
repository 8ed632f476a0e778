//! The engagement file is safe to hand to a client: no planted secret of sample-data,
//! in clear, base64, hex, UTF-16 or URL form, appears in any byte of the engagement
//! file, its WAL, an export file, or the output of any engagement command.

mod common;

use common::engagement::*;
use common::{contains, encodings, searchable_secrets};

#[test]
fn no_planted_secret_in_the_engagement_file_its_wal_or_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "s.credence");
    let e = f.to_str().unwrap();
    // An open connection keeps the WAL on disk after the CLI exits, so it can be read.
    let holder = rusqlite::Connection::open(&f).unwrap();
    let _: i64 = holder
        .query_row("SELECT count(*) FROM engagement", [], |r| r.get(0))
        .unwrap();
    let sample = common::sample_data();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut keep = |name: &str, o: std::process::Output| {
        outputs.push((format!("{name} stdout"), o.stdout));
        outputs.push((format!("{name} stderr"), o.stderr));
    };
    for format in ["jsonl", "table", "csv", "sarif"] {
        let o = run(
            tmp.path(),
            &["scan", "-e", e, "-f", format, sample.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        keep(&format!("scan {format}"), o);
    }
    for (name, args) in [
        ("findings table", vec!["findings", "-e", e]),
        ("findings jsonl", vec!["findings", "-e", e, "-f", "jsonl"]),
        ("findings csv", vec!["findings", "-e", e, "-f", "csv"]),
        ("metrics", vec!["metrics", "-e", e]),
        ("metrics json", vec!["metrics", "-e", e, "-f", "json"]),
        ("graph dot", vec!["graph", "-e", e, "-f", "dot"]),
        ("graph graphml", vec!["graph", "-e", e, "-f", "graphml"]),
        ("graph json", vec!["graph", "-e", e, "-f", "json"]),
        ("diff", vec!["diff", "-e", e, "-f", "json"]),
        ("scans", vec!["scans", "-e", e]),
        ("zones", vec!["zones", "-e", e, "list"]),
    ] {
        keep(name, run(tmp.path(), &args));
    }
    let export = tmp.path().join("k.export");
    keep(
        "key export",
        run(
            tmp.path(),
            &["key", "export", export.to_str().unwrap(), "-e", e],
        ),
    );
    let wal = tmp.path().join("s.credence-wal");
    assert!(wal.exists(), "the WAL is checked too");
    outputs.push(("engagement file".into(), std::fs::read(&f).unwrap()));
    outputs.push(("WAL".into(), std::fs::read(&wal).unwrap()));
    outputs.push(("key export file".into(), std::fs::read(&export).unwrap()));
    // Positive control: the search does see what is stored (usernames are kept).
    assert!(
        outputs
            .iter()
            .filter(|(n, _)| n == "engagement file" || n == "WAL")
            .any(|(_, b)| contains(b, b"svc_hist"))
    );
    let secrets = searchable_secrets();
    assert!(
        secrets.len() >= 10,
        "enough planted secrets to mean something"
    );
    let mut leaks = Vec::new();
    for s in &secrets {
        for (enc, needle) in encodings(s) {
            for (name, hay) in &outputs {
                if contains(hay, &needle) {
                    leaks.push(format!(
                        "a planted secret ({enc}, {} chars) in {name}",
                        s.chars().count()
                    ));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    drop(holder);
}
