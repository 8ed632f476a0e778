//! What a scan writes to `files`, `findings` and `scan_files`: each file read (a
//! writer thread, whole files in batched transactions) and, at the close, the rows of
//! the unchanged files and the walk's new folder listings.

use crate::finding::Finding;
use crate::scan::{FileRecord, FileStatus};
use crate::store::Result;
use rusqlite::{Connection, params};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub(super) fn mtime_ns(t: Option<SystemTime>) -> Option<i64> {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
}

/// A file read in this scan, with its findings, for the writer thread.
pub(super) struct FileMsg {
    pub(super) record: FileRecord,
    pub(super) findings: Vec<Finding>,
}

/// The rows of the unchanged files and the walk's new folder listings; how many rows
/// were added.
pub(super) fn write_reused(
    tx: &rusqlite::Transaction<'_>,
    scan_id: i64,
    reused: &[i64],
    listings: Vec<(String, Vec<u8>)>,
) -> Result<i64> {
    let mut added = 0;
    if !reused.is_empty() {
        let ids = serde_json::to_string(reused).expect("integers serialise");
        added = tx.execute(
            "INSERT OR IGNORE INTO scan_files (scan_id, file_id, reused)
             SELECT ?1, value, 1 FROM json_each(?2)",
            params![scan_id, ids],
        )? as i64;
    }
    for (root, data) in listings {
        tx.execute(
            "INSERT OR REPLACE INTO dir_listings (root, scan_id, data) VALUES (?1, ?2, ?3)",
            params![root, scan_id, data],
        )?;
    }
    Ok(added)
}

const BATCH_FILES: usize = 256;

const BATCH_TIME: Duration = Duration::from_millis(50);

/// What the writer hands back when its channel closes: its connection, and what it
/// recorded.
pub(super) struct Written {
    pub(super) conn: Connection,
    pub(super) files: i64,
    /// Of those, read whole (`scanned` or `duplicate`), and unreadable.
    pub(super) scanned: i64,
    pub(super) errors: i64,
}

/// Writes the files that were read, in batches.
pub(super) fn write_loop(
    mut conn: Connection,
    scan_id: i64,
    resumed: bool,
    rx: Receiver<FileMsg>,
) -> Result<Written> {
    let (mut files, mut scanned, mut errors) = (0, 0, 0);
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        let deadline = Instant::now() + BATCH_TIME;
        while batch.len() < BATCH_FILES {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(m) => batch.push(m),
                Err(_) => break,
            }
        }
        let tx = conn.transaction()?;
        for m in &batch {
            write_file(&tx, scan_id, resumed, &m.record, &m.findings)?;
        }
        tx.commit()?;
        for m in &batch {
            files += 1;
            match m.record.status {
                FileStatus::Scanned | FileStatus::Duplicate => scanned += 1,
                FileStatus::Error(_) => errors += 1,
                FileStatus::Skipped(_) => {}
            }
        }
    }
    Ok(Written {
        conn,
        files,
        scanned,
        errors,
    })
}

fn write_file(
    tx: &rusqlite::Transaction<'_>,
    scan_id: i64,
    resumed: bool,
    r: &FileRecord,
    findings: &[Finding],
) -> Result<()> {
    if resumed {
        // The file may have been recorded before the interruption and changed since.
        tx.prepare_cached(
            "DELETE FROM scan_files WHERE scan_id = ?1
               AND file_id IN (SELECT id FROM files WHERE root = ?2 AND path = ?3)",
        )?
        .execute(params![scan_id, r.root, r.path])?;
    }
    let (status, reason) = match &r.status {
        FileStatus::Scanned => ("scanned", None),
        FileStatus::Duplicate => ("duplicate", None),
        FileStatus::Skipped(why) => ("skipped", Some(why.as_str())),
        FileStatus::Error(why) => ("error", Some(why.as_str())),
    };
    tx.prepare_cached(
        "INSERT INTO files (root, path, size, mtime_ns, content_hash, status, reason, findings, recorded_scan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        r.root,
        r.path,
        r.size as i64,
        mtime_ns(r.mtime),
        r.content_hash,
        status,
        reason,
        findings.len() as i64,
        scan_id
    ])?;
    let file_id = tx.last_insert_rowid();
    if !findings.is_empty() {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO findings (id, root, path, rule, category, username, system, fingerprint, flags, data, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
             ON CONFLICT(id) DO UPDATE SET data = excluded.data, flags = excluded.flags, username = excluded.username,
                system = excluded.system, last_seen = max(last_seen, excluded.last_seen)",
        )?;
        let mut link = tx.prepare_cached(
            "INSERT OR IGNORE INTO file_findings (file_id, finding_id) VALUES (?1, ?2)",
        )?;
        for f in findings {
            let flags: Vec<&str> = f.flags.iter().map(|x| x.as_str()).collect();
            let data = serde_json::to_string(f).expect("finding serialises");
            upsert.execute(params![
                f.id,
                f.root,
                f.path,
                f.rule,
                f.category.as_str(),
                f.username,
                f.system,
                f.fingerprint,
                flags.join(","),
                data,
                scan_id
            ])?;
            link.execute(params![file_id, f.id])?;
        }
    }
    tx.prepare_cached(
        "INSERT OR REPLACE INTO scan_files (scan_id, file_id, reused) VALUES (?1, ?2, 0)",
    )?
    .execute(params![scan_id, file_id])?;
    Ok(())
}
