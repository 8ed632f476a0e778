//! Scans into an engagement: unchanged files are skipped on re-scan, drift between
//! scans is listed, findings are filtered and triaged, and a scan killed at any moment
//! (SIGKILL) resumes to exactly the findings of an uninterrupted scan.

mod common;

use common::engagement::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A tree of `n` files, one in `every` holding an invented credential.
fn tree(root: &Path, n: usize, every: usize) {
    tree_sized(root, n, every, 0)
}

/// Same, each file padded with `filler` lines of ordinary prose.
fn tree_sized(root: &Path, n: usize, every: usize, filler: usize) {
    let pad: String = (0..filler)
        .map(|l| format!("line {l}: the quick brown fox reviews the maintenance schedule for pump station {l}\n"))
        .collect();
    for i in 0..n {
        let p = root.join(format!(
            "d{:02}/s{:02}/f{i:05}.{}",
            i % 37,
            i % 11,
            if i % every == 0 { "ini" } else { "txt" }
        ));
        if i % every == 0 {
            write(
                &p,
                &format!(
                    "[database]\nserver = db{i}.corp.example\nuser = svc_app{i}\npassword = Vq7#kLp2{i}zX\n"
                ),
            );
        } else {
            write(
                &p,
                &format!("meeting notes {i}\nnothing to see here, item {i}\n{pad}"),
            );
        }
    }
}

fn ids(o: &std::process::Output) -> BTreeSet<String> {
    stdout(o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_rescan_of_unchanged_files_reuses_them_and_a_changed_file_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("share");
    tree(&root, 60, 5);
    let f = new_engagement(tmp.path(), "e.credence");
    // This file's mtime is made "racy" (within 2 s of the scan that records it) on
    // purpose, for the last step below; on a loaded machine the tree can be older.
    let racy = root.join("d01/s01/f00001.txt");
    std::fs::File::options()
        .write(true)
        .open(&racy)
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    let a = scan(tmp.path(), &f, &[&root], &[]);
    let b = scan(tmp.path(), &f, &[&root], &[]);
    assert_eq!(ids(&a).len(), 12);
    assert_eq!(ids(&a), ids(&b), "same findings, same ids");
    let s = rows(
        &f,
        "SELECT id, status, files_seen, files_scanned, files_reused, findings FROM scans ORDER BY id",
    );
    assert_eq!(s[0][1..], ["completed", "60", "60", "0", "12"]);
    assert_eq!(
        s[1][1..],
        ["completed", "60", "0", "60", "12"],
        "every unchanged file skipped"
    );
    // One file changes (size and mtime): only it is read again.
    write(
        &root.join("d00/s00/f00000.ini"),
        "[database]\nuser = svc_app0\npassword = Zz9!rotated-2025\n",
    );
    let c = scan(tmp.path(), &f, &[&root], &[]);
    assert_eq!(ids(&c).len(), 12);
    let s = rows(
        &f,
        "SELECT files_scanned, files_reused FROM scans WHERE id = 3",
    );
    assert_eq!(s[0], ["1", "59"]);
    // Same size and mtime but other content, within the racy window: hashed, re-read.
    let p = racy;
    let meta = std::fs::metadata(&p).unwrap();
    std::fs::write(&p, "meeting notes 9\nnothing to see here, item 9\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&p)
        .unwrap()
        .set_modified(meta.modified().unwrap())
        .unwrap();
    scan(tmp.path(), &f, &[&root], &[]);
    let s = rows(
        &f,
        "SELECT files_scanned, files_reused FROM scans WHERE id = 4",
    );
    assert_eq!(
        s[0],
        ["1", "59"],
        "content change under an unchanged mtime is caught by the hash"
    );
}

/// Folder listings kept in the engagement: once a tree has settled, a re-scan reads
/// again only the folders whose stamp changed, and still finds a file added to an
/// existing folder and forgets a removed one (the findings equal a fresh scan's).
#[test]
fn a_rescan_with_kept_folder_listings_sees_added_and_removed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("share");
    tree(&root, 60, 5);
    let f = new_engagement(tmp.path(), "e.credence");
    scan(tmp.path(), &f, &[&root], &[]);
    assert_eq!(
        one(&f, "SELECT count(*) FROM dir_listings"),
        "0",
        "folders changed seconds ago are not kept"
    );
    // Past the racy window (3 s): now every folder's listing is kept.
    std::thread::sleep(Duration::from_secs(4));
    scan(tmp.path(), &f, &[&root], &[]);
    assert_eq!(one(&f, "SELECT scan_id FROM dir_listings"), "2");
    write(
        &root.join("d02/s02/added.ini"),
        "[database]\nuser = svc_added\npassword = Hn4#qRt8vW2zK\n",
    );
    std::fs::remove_file(root.join("d00/s00/f00000.ini")).unwrap();
    let c = scan(tmp.path(), &f, &[&root], &[]);
    assert_eq!(
        one(&f, "SELECT scan_id FROM dir_listings"),
        "3",
        "the changed folders' listings are stored again"
    );
    assert_eq!(
        rows(
            &f,
            "SELECT files_seen, files_scanned FROM scans WHERE id = 3"
        )[0],
        ["60", "1"]
    );
    // Finding ids are keyed per engagement: compare where and what was found.
    let places = |o: &std::process::Output| -> BTreeSet<String> {
        stdout(o)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                format!("{} {} {}", v["path"], v["line"], v["rule"])
            })
            .collect()
    };
    let fresh = new_engagement(tmp.path(), "fresh.credence");
    let expected = scan(tmp.path(), &fresh, &[&root], &[]);
    assert_eq!(places(&c).len(), 12);
    assert_eq!(places(&c), places(&expected));
    assert!(stdout(&c).contains("added.ini"));
    assert!(!stdout(&c).contains("f00000.ini"));
}

#[test]
fn diff_lists_new_gone_and_changed_findings_between_scans() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("share");
    tree(&root, 20, 5);
    let f = new_engagement(tmp.path(), "e.credence");
    scan(tmp.path(), &f, &[&root], &[]);
    std::fs::remove_file(root.join("d05/s05/f00005.ini")).unwrap();
    write(
        &root.join("d00/s00/f00000.ini"),
        "[database]\nserver = db0.corp.example\nuser = svc_app0\npassword = Rotated#2025-xyz\n",
    );
    write(
        &root.join("new/added.ini"),
        "[database]\nuser = svc_new\npassword = Brand#New-2025q\n",
    );
    scan(tmp.path(), &f, &[&root], &[]);
    let o = run(
        tmp.path(),
        &["diff", "-e", f.to_str().unwrap(), "-f", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths = |k: &str| -> Vec<String> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("new"), ["new/added.ini"]);
    assert_eq!(paths("gone"), ["d05/s05/f00005.ini"]);
    let changed = d["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0][1]["path"], "d00/s00/f00000.ini");
    assert_ne!(changed[0][0]["fingerprint"], changed[0][1]["fingerprint"]);
    let table = stdout(&run(
        tmp.path(),
        &[
            "diff",
            "-e",
            f.to_str().unwrap(),
            "--from",
            "1",
            "--to",
            "2",
        ],
    ));
    assert!(table.contains("1 new, 1 gone, 1 changed"), "{table}");
    let same = run(
        tmp.path(),
        &[
            "diff",
            "-e",
            f.to_str().unwrap(),
            "--from",
            "2",
            "--to",
            "2",
        ],
    );
    assert_eq!(same.status.code(), Some(0));
}

#[test]
fn findings_are_filtered_and_triaged() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "e.credence");
    let sample = common::sample_data();
    scan(tmp.path(), &f, &[&sample], &["--exclude", "EXPECTED.tsv"]);
    let e = f.to_str().unwrap();
    let list = |extra: &[&str]| {
        let mut a = vec!["findings", "-e", e, "-f", "jsonl"];
        a.extend_from_slice(extra);
        stdout(&run(tmp.path(), &a))
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let all = list(&[]);
    assert!(all.len() >= 10, "{}", all.len());
    assert!(all.iter().all(|v| v["status"] == "open"));
    let privileged = list(&["--privileged"]);
    assert!(!privileged.is_empty() && privileged.len() < all.len());
    assert!(privileged.iter().all(|v| {
        v["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "privileged")
    }));
    let ot = list(&["--zone", "OT-L2"]);
    assert!(
        ot.iter()
            .any(|v| v["path"] == "engineering-share/scada/historian.ini")
    );
    assert!(
        !ot.iter()
            .any(|v| v["path"] == "it-share/Projects/historian-migration/notes.md")
    );
    let l3 = list(&["--zone", "OT-L3"]);
    let note = l3
        .iter()
        .find(|v| v["path"] == "it-share/Projects/historian-migration/notes.md")
        .expect("the IT note unlocks the historian (OT-L3)");
    assert_eq!(note["exposure_zone"], "IT");
    assert_eq!(note["target_zone"], "OT-L3");
    let id = all[0]["id"].as_str().unwrap().to_string();
    let o = run(
        tmp.path(),
        &[
            "triage",
            "-e",
            e,
            &id,
            "--status",
            "confirmed",
            "--note",
            "rotated by client",
            "--who",
            "ana",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let confirmed = list(&["--status", "confirmed"]);
    assert_eq!(confirmed.len(), 1);
    assert_eq!(confirmed[0]["note"], "rotated by client");
    assert_eq!(confirmed[0]["who"], "ana");
    let bad = run(
        tmp.path(),
        &["triage", "-e", e, &id, "nope", "--status", "fixed"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(list(&["--status", "confirmed"]).len(), 1, "all or nothing");
    let bad = run(tmp.path(), &["triage", "-e", e, &id, "--status", "maybe"]);
    assert_eq!(bad.status.code(), Some(2));
    // Triage survives a re-scan.
    scan(tmp.path(), &f, &[&sample], &["--exclude", "EXPECTED.tsv"]);
    assert_eq!(list(&["--status", "confirmed"]).len(), 1);
    let csv = stdout(&run(tmp.path(), &["findings", "-e", e, "-f", "csv"]));
    assert!(csv.starts_with("id,status,exposure_zone,target_zone"));
}

/// Cheap pseudo-random numbers from the clock (no dependency, different every run).
fn jitter(range_ms: u64, salt: u64) -> u64 {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (n.wrapping_mul(6364136223846793005)
        .wrapping_add(salt * 1442695040888963407)
        >> 17)
        % range_ms.max(1)
}

#[test]
fn a_scan_killed_at_random_points_resumes_to_the_uninterrupted_result() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tree");
    tree_sized(&root, 3000, 7, 60);
    let fresh = new_engagement(tmp.path(), "fresh.credence");
    // Same key for both: the killed engagement is a copy of the fresh one before scans.
    let killed = tmp.path().join("killed.credence");
    std::fs::copy(&fresh, &killed).unwrap();
    let copy_before_scans = tmp.path().join("busy-src.credence");
    std::fs::copy(&fresh, &copy_before_scans).unwrap();
    let t0 = Instant::now();
    let reference = ids(&scan(tmp.path(), &fresh, &[&root], &["--threads", "1"]));
    let full_ms = t0.elapsed().as_millis() as u64;
    assert_eq!(reference.len(), 3000 / 7 + 1);

    // While a scan runs, a second scan of the same engagement is refused (exit 2).
    {
        let busy = tmp.path().join("busy.credence");
        std::fs::copy(&copy_before_scans, &busy).unwrap();
        let busy = &busy;
        let mut child = cmd(tmp.path())
            .args([
                "scan",
                "-q",
                "-e",
                busy.to_str().unwrap(),
                "-f",
                "jsonl",
                "--threads",
                "1",
            ])
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while rows(busy, "SELECT id FROM scans WHERE status = 'running'").is_empty() {
            assert!(t.elapsed() < Duration::from_secs(180), "scan never started");
            std::thread::sleep(Duration::from_millis(5));
        }
        let second = run(
            tmp.path(),
            &[
                "scan",
                "-q",
                "-e",
                busy.to_str().unwrap(),
                root.to_str().unwrap(),
            ],
        );
        let finished_first = child.try_wait().unwrap().is_some();
        if !finished_first {
            assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
            assert!(
                stderr(&second).contains("running in another process"),
                "{}",
                stderr(&second)
            );
        }
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let mut interrupted = 0;
    let mut points = Vec::new();
    // Kill points drawn over a full scan's time, until one run gets through (at most 8
    // runs): every kill that leaves the scan `running` is then resumed.
    for k in 0..10u64 {
        let wait = 40 + jitter(full_ms.max(100) * 2 / 3, k);
        let mut child = cmd(tmp.path())
            .args([
                "scan",
                "-q",
                "-e",
                killed.to_str().unwrap(),
                "-f",
                "jsonl",
                "--threads",
                "1",
            ])
            .arg(&root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let status = rows(&killed, "SELECT status FROM scans ORDER BY id DESC LIMIT 1")
            .pop()
            .map(|r| r[0].clone())
            .unwrap_or_else(|| "not started".into());
        let done = one(
            &killed,
            "SELECT count(*) FROM scan_files WHERE scan_id =
               (SELECT coalesce(same_files_as, id) FROM scans ORDER BY id DESC LIMIT 1)",
        );
        points.push(format!("{wait}ms:{status}:{done} files"));
        if status == "running" {
            interrupted += 1;
        } else if status == "completed" {
            break;
        }
    }
    eprintln!(
        "kill points (uninterrupted scan {full_ms} ms): {}",
        points.join(", ")
    );
    let resumed = ids(&scan(tmp.path(), &killed, &[&root], &["--threads", "1"]));
    assert!(interrupted >= 1, "no kill landed mid-scan: {points:?}");
    assert_eq!(resumed, reference, "identical finding set after resume");
    // Exactly one finding row per id in the final scan, no duplicates anywhere.
    let scan_id = one(&killed, "SELECT max(id) FROM scans");
    assert_eq!(
        one(
            &killed,
            &format!("SELECT status FROM scans WHERE id = {scan_id}")
        ),
        "completed"
    );
    assert_eq!(
        one(
            &killed,
            &format!("SELECT count(*) FROM scan_findings WHERE scan_id = {scan_id}")
        ),
        reference.len().to_string()
    );
    assert_eq!(
        one(&killed, "SELECT count(*) FROM findings"),
        reference.len().to_string()
    );
    // The scan's rows: its own, or those of the scan it saw the same files as (a
    // kill that landed after the close leaves an unchanged re-scan last).
    assert_eq!(
        one(
            &killed,
            &format!(
                "SELECT count(*) FROM scan_files WHERE scan_id =
                   (SELECT coalesce(same_files_as, id) FROM scans WHERE id = {scan_id})"
            )
        ),
        "3000"
    );
    assert_eq!(one(&killed, "PRAGMA integrity_check"), "ok");
    let in_db: BTreeSet<String> = rows(
        &killed,
        &format!("SELECT finding_id FROM scan_findings WHERE scan_id = {scan_id}"),
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert_eq!(in_db, reference);
}

/// The closing transaction holds the write lock, so it waits for the scan's metrics
/// only briefly: metrics that have not come by then are left to the caller (the scan
/// is closed without them). A metrics thread that is gone (it panicked) does not hang
/// the close either. No timing is asserted: the sender is simply still holding its
/// metrics, or gone, when the close asks.
#[test]
fn the_close_neither_waits_for_late_metrics_nor_hangs_without_them() {
    use credence::store::scan::{Ending, StoreSink};
    let tmp = tempfile::tempdir().unwrap();
    let key = credence::vault::FingerprintKey::random().unwrap();
    let rec = credence::vault::engagement::wrap("u", &key, "pw").unwrap();
    let meta = credence::store::NewEngagement {
        client: "Example Water".into(),
        site: "Plant 3".into(),
        ..Default::default()
    };
    let path = tmp.path().join("late.credence");
    let mut eng = credence::store::Engagement::create(&path, &meta, "u", &rec).unwrap();
    for gone in [false, true] {
        let start = eng.begin_scan(&[format!("/srv/share-{gone}")]).unwrap();
        let sink = StoreSink::new(&eng, start.id, start.resumed).unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<Option<String>>();
        if gone {
            drop(tx);
            let closed = sink
                .close(Some(Ending {
                    status: "completed",
                    metrics: rx,
                }))
                .unwrap();
            assert!(closed.metrics_stored, "nothing left for the caller");
        } else {
            let closed = sink
                .close(Some(Ending {
                    status: "completed",
                    metrics: rx,
                }))
                .unwrap();
            assert!(!closed.metrics_stored, "the late metrics are the caller's");
            drop(tx);
        }
        let scan = eng
            .scans()
            .unwrap()
            .into_iter()
            .find(|s| s.id == start.id)
            .unwrap();
        assert_eq!(scan.status, "completed", "closed without the metrics");
    }
}
