//! A scan's row in `scans`: its start (or the resumption of an interrupted scan of the
//! same roots), its end (status, counts, `last_seen` of its findings, metrics), and
//! which process on which host runs it.

use crate::store::schema::ROWS_OF;
use crate::store::{Engagement, Result, StoreError, now};
use rusqlite::{OptionalExtension, params};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a scan row came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanStart {
    pub id: i64,
    /// True when an interrupted scan of the same roots is continued.
    pub resumed: bool,
}

impl Engagement {
    /// Starts a scan of `roots`, or continues the interrupted one of the same roots.
    pub fn begin_scan(&mut self, roots: &[String]) -> Result<ScanStart> {
        let roots_json = serde_json::to_string(roots).expect("strings serialise");
        let tx = self.conn.transaction()?;
        let running: Option<(i64, String, Option<i64>, Option<String>)> = tx
            .query_row(
                "SELECT id, roots, pid, host FROM scans WHERE status = 'running' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let me = std::process::id() as i64;
        let host = hostname();
        if let Some((id, _, Some(pid), Some(h))) = &running
            && *h == host
            && *pid != me
            && process_alive(*pid)
        {
            return Err(StoreError::Invalid(format!(
                "scan {id} of this engagement is running in another process (pid {pid}); wait for it or stop it first"
            )));
        }
        let start = match running {
            Some((id, r, _, _)) if r == roots_json => {
                tx.execute(
                    "UPDATE scans SET resumed = resumed + 1, pid = ?2, host = ?3 WHERE id = ?1",
                    params![id, me, host],
                )?;
                ScanStart { id, resumed: true }
            }
            other => {
                if let Some((id, ..)) = other {
                    // Interrupted scan of other roots: closed as failed, its files kept.
                    tx.execute(
                        "UPDATE scans SET status = 'failed', finished = ?2 WHERE id = ?1",
                        params![id, now()],
                    )?;
                }
                let unix = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0);
                tx.execute(
                    "INSERT INTO scans (started, started_unix, status, roots, pid, host) VALUES (?1, ?2, 'running', ?3, ?4, ?5)",
                    params![now(), unix as i64, roots_json, me, host],
                )?;
                ScanStart {
                    id: tx.last_insert_rowid(),
                    resumed: false,
                }
            }
        };
        for r in roots {
            tx.execute(
                "INSERT OR IGNORE INTO sources (root, added) VALUES (?1, ?2)",
                params![r, now()],
            )?;
        }
        crate::store::touch(&tx)?;
        tx.commit()?;
        Ok(start)
    }

    /// Closes a scan with its status; counts come from what was persisted. Used
    /// where the scan's own close could not record it (a failed walk or store).
    pub fn finish_scan(&mut self, id: i64, status: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        finish_in(&tx, id, status, None)?;
        tx.commit()?;
        Ok(())
    }
}

/// Records a scan's end in `tx`: its status, its counts from what was persisted (a
/// reused file is never an error: only good records are offered for reuse, so
/// errors are counted among the files read) and `last_seen` of its findings.
/// `known`: the counts, when the caller knows them exactly (a scan that was not
/// interrupted: its rows are the ones it just wrote, or those of the scan it saw the
/// same files as); else they are counted here.
pub(super) fn finish_in(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    status: &str,
    known: Option<Counts>,
) -> Result<()> {
    let counts = match known {
        Some(c) => {
            // Debug builds check the caller against the rows.
            #[cfg(debug_assertions)]
            assert_eq!(c, count_rows(tx, id)?, "counts of scan {id}");
            c
        }
        None => count_rows(tx, id)?,
    };
    let Counts {
        seen,
        scanned,
        reused,
        errors,
    } = counts;
    tx.execute(
        &format!(
            "UPDATE scans SET status = ?2, finished = ?3, files_seen = ?4, files_scanned = ?5,
               files_reused = ?6, files_errors = ?7,
               findings = (SELECT count(*) FROM file_findings ff WHERE EXISTS
                           (SELECT 1 FROM scan_files sf WHERE sf.scan_id = {ROWS_OF} AND sf.file_id = ff.file_id))
             WHERE id = ?1"
        ),
        params![id, status, now(), seen, scanned, reused, errors],
    )?;
    // Findings are driven from `file_findings` (only file versions with findings,
    // a few in a hundred) with one key lookup each in the scan's files, rather
    // than a lookup in `file_findings` for every file the scan saw.
    tx.execute(
        &format!(
            "UPDATE findings SET last_seen = ?1 WHERE last_seen < ?1
               AND id IN (SELECT ff.finding_id FROM file_findings ff WHERE EXISTS
                          (SELECT 1 FROM scan_files sf WHERE sf.scan_id = {ROWS_OF} AND sf.file_id = ff.file_id))"
        ),
        params![id],
    )?;
    crate::store::touch(tx)?;
    Ok(())
}

/// A scan's file counts, as `scans` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    pub(super) seen: i64,
    pub(super) scanned: i64,
    pub(super) reused: i64,
    pub(super) errors: i64,
}

/// The counts from the scan's rows.
pub(super) fn count_rows(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Counts> {
    let same_files: bool = tx.query_row(
        "SELECT same_files_as IS NOT NULL FROM scans WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if same_files {
        // Every version an earlier scan recorded, each of them reused.
        let seen: i64 = tx.query_row(
            &format!("SELECT count(*) FROM scan_files WHERE scan_id = {ROWS_OF}"),
            [id],
            |r| r.get(0),
        )?;
        return Ok(Counts {
            seen,
            scanned: 0,
            reused: seen,
            errors: 0,
        });
    }
    // Two passes over the scan's rows instead of four subqueries: on an unchanged
    // tree they are all reused, and only the files read are joined for a status.
    let (seen, reused): (i64, i64) = tx.query_row(
        "SELECT count(*), coalesce(sum(reused), 0) FROM scan_files WHERE scan_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (scanned, errors): (i64, i64) = tx.query_row(
        "SELECT coalesce(sum(f.status IN ('scanned','duplicate')), 0), coalesce(sum(f.status = 'error'), 0)
           FROM scan_files sf JOIN files f ON f.id = sf.file_id
          WHERE sf.scan_id = ?1 AND sf.reused = 0",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Counts {
        seen,
        scanned,
        reused,
        errors,
    })
}

/// The scan whose rows `scan_id`'s are (itself, or the one it saw the same files
/// as), when they are exactly the `records` good versions its snapshot holds (none
/// is an unreadable file's) and cannot change: neither scan was ever resumed. A
/// resumed scan may have been taken over by a process on another host, which may
/// still be writing rows in it after this one completed it.
pub(super) fn rows_all_in_snapshot(
    tx: &rusqlite::Transaction<'_>,
    scan_id: i64,
    records: usize,
) -> Result<Option<i64>> {
    let (seen, base, resumed): (i64, i64, i64) = tx.query_row(
        "SELECT s.files_seen, b.id, s.resumed + b.resumed
           FROM scans s JOIN scans b ON b.id = coalesce(s.same_files_as, s.id)
          WHERE s.id = ?1",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok((resumed == 0 && usize::try_from(seen).ok() == Some(records)).then_some(base))
}

/// Whether the scan's row still names this process (on this host) as running it.
pub(super) fn still_ours(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<bool> {
    let owner: Option<(Option<i64>, Option<String>)> = tx
        .query_row("SELECT pid, host FROM scans WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(owner == Some((Some(std::process::id() as i64), Some(hostname()))))
}

/// How long the closing transaction, which holds the write lock, waits for the
/// metrics: usually they are ready before it asks.
pub(super) const METRICS_WAIT: Duration = Duration::from_millis(200);

pub(super) fn store_metrics(tx: &rusqlite::Transaction<'_>, id: i64, json: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO scan_metrics (scan_id, metrics) VALUES (?1, ?2)",
        params![id, json],
    )?;
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .unwrap_or_default()
}

/// Whether a process with this id exists (Unix: signal 0). Elsewhere: assume not, so
/// an interrupted scan can always be resumed.
fn process_alive(pid: i64) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}
