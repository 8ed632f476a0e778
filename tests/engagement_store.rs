//! The engagement file as a consultant relies on it: versioned schema with forward
//! migrations, WAL, and a clear refusal (exit 2, file untouched) of anything it does
//! not understand — not SQLite, another application's SQLite, a newer schema, a damaged
//! file, a file locked by another process.

mod common;

use common::engagement::*;
use credence::store::{Engagement, StoreError, schema};
use std::path::Path;

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn new_engagement_is_wal_with_foreign_keys_ids_and_default_zones() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "a.credence");
    assert_eq!(one(&f, "PRAGMA journal_mode"), "wal");
    assert_eq!(
        one(&f, "PRAGMA application_id"),
        schema::APPLICATION_ID.to_string()
    );
    assert_eq!(one(&f, "PRAGMA user_version"), schema::LATEST.to_string());
    assert_eq!(
        one(&f, "SELECT client || '/' || site FROM engagement"),
        "ACME Water/Plant 3"
    );
    let zones: Vec<String> = rows(&f, "SELECT name FROM zones ORDER BY id")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        zones,
        [
            "IT", "DMZ", "OT-L3", "OT-L2", "OT-L1", "OT-L0", "IoT", "vendor", "cloud"
        ]
    );
    let e = Engagement::open(&f).unwrap();
    e.integrity_check().unwrap();
    let fk: i64 = e.schema_version().unwrap();
    assert_eq!(fk, schema::LATEST);
    // Refuses to overwrite.
    let again = run(
        tmp.path(),
        &["new", f.to_str().unwrap(), "--client", "x", "--site", "y"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
}

/// A file made by every earlier schema version (from that version's own SQL) opens and
/// is migrated to the current version with its data kept.
#[test]
fn files_of_every_earlier_schema_version_open_and_migrate() {
    for version in 1..=schema::LATEST {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join(format!("v{version}.credence"));
        {
            let c = rusqlite::Connection::open(&f).unwrap();
            for sql in &schema::MIGRATIONS[..version as usize] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "application_id", schema::APPLICATION_ID)
                .unwrap();
            c.pragma_update(None, "user_version", version).unwrap();
            c.execute(
                "INSERT INTO engagement (id, uid, client, site, created, updated) VALUES (1, 'u', 'Old Client', 'Old Site', 't', 't')",
                [],
            )
            .unwrap();
            // A scan that saw one file with one finding, as every version stores it.
            c.execute_batch(
                "INSERT INTO scans (id, started, started_unix, status, roots) VALUES (1, 't', 0, 'completed', '[\"/srv/share\"]');
                 INSERT INTO files (id, root, path, size, status, findings, recorded_scan) VALUES (1, '/srv/share', 'it/db.ini', 10, 'scanned', 1, 1);
                 INSERT INTO scan_files (scan_id, file_id, reused) VALUES (1, 1, 0);
                 INSERT INTO findings (id, root, path, rule, category, fingerprint, flags, data, first_seen, last_seen)
                   VALUES ('F1', '/srv/share', 'it/db.ini', 'r', 'password', 'fp', '', '{}', 1, 1);
                 INSERT INTO file_findings (file_id, finding_id) VALUES (1, 'F1');",
            )
            .unwrap();
        }
        let e = Engagement::open(&f).unwrap();
        assert_eq!(
            e.schema_version().unwrap(),
            schema::LATEST,
            "from v{version}"
        );
        assert_eq!(e.meta().unwrap().client, "Old Client");
        e.integrity_check().unwrap();
        drop(e);
        // The scan still sees its file and finding through the current view.
        let c = rusqlite::Connection::open(&f).unwrap();
        let seen: Vec<(String, String)> = c
            .prepare("SELECT finding_id, path FROM scan_findings WHERE scan_id = 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(seen, [("F1".into(), "it/db.ini".into())], "from v{version}");
    }
}

fn assert_refused(tmp: &Path, f: &Path, expect: &str) {
    let before = bytes(f);
    let o = run(tmp, &["findings", "-e", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(expect), "stderr: {}", stderr(&o));
    assert_eq!(bytes(f), before, "the file was modified");
    let o = run(
        tmp,
        &[
            "scan",
            "-q",
            "-e",
            f.to_str().unwrap(),
            common::sample_data().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(bytes(f), before, "the file was modified by scan");
    assert!(!f.with_extension("credence-wal").exists() || expect.contains("newer"));
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "new.credence");
    {
        let c = rusqlite::Connection::open(&f).unwrap();
        c.pragma_update(None, "user_version", schema::LATEST + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    assert_refused(tmp.path(), &f, "newer Credence");
    assert!(matches!(
        Engagement::open(&f),
        Err(StoreError::TooNew { .. })
    ));
}

#[test]
fn a_foreign_sqlite_file_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("other.credence");
    {
        let c = rusqlite::Connection::open(&f).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    assert_refused(tmp.path(), &f, "another application");
}

#[test]
fn a_non_sqlite_or_empty_file_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("notes.credence");
    std::fs::write(&f, "just some text, not a database\n").unwrap();
    assert_refused(tmp.path(), &f, "not an engagement file");
    let e = tmp.path().join("empty.credence");
    std::fs::write(&e, "").unwrap();
    assert_refused(tmp.path(), &e, "not an engagement file");
    let missing = run(
        tmp.path(),
        &[
            "findings",
            "-e",
            tmp.path().join("nope.credence").to_str().unwrap(),
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no such engagement file"));
}

#[test]
fn a_damaged_file_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "bad.credence");
    {
        let c = rusqlite::Connection::open(&f).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let mut b = bytes(&f);
    // Keep the SQLite header, overwrite the rest of the first page and beyond.
    for x in b.iter_mut().skip(100).take(8000) {
        *x = 0xA5;
    }
    std::fs::write(&f, &b).unwrap();
    let before = bytes(&f);
    let o = run(tmp.path(), &["findings", "-e", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("damaged") || stderr(&o).contains("not an engagement"),
        "{}",
        stderr(&o)
    );
    assert_eq!(bytes(&f), before);
}

#[test]
fn a_file_locked_by_another_process_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "locked.credence");
    let holder = rusqlite::Connection::open(&f).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE engagement SET site = site;")
        .unwrap();
    let o = run(
        tmp.path(),
        &[
            "scan",
            "-q",
            "-e",
            f.to_str().unwrap(),
            common::sample_data().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("locked by another process"),
        "{}",
        stderr(&o)
    );
    let o = run(
        tmp.path(),
        &[
            "triage",
            "-e",
            f.to_str().unwrap(),
            "abc",
            "--status",
            "confirmed",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(one(&f, "SELECT count(*) FROM scans"), "0");
}
