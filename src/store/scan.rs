//! Scans into an engagement: the [`ScanSink`] that persists every file with its findings
//! and lets unchanged files be skipped.
//!
//! - Skip: a file whose root, path, size and mtime equal its latest good record reuses
//!   that record's findings without being read. When the recorded mtime is close to the
//!   start of the scan that recorded it (a change in the same clock tick could keep the
//!   mtime), the file is hashed and compared first ("racy" mtime, as git does).
//! - Storage: a file version (`files`) is stored once with its findings; each scan
//!   records which versions it saw (`scan_files`), so an unchanged file costs a re-scan
//!   one small row; those rows are written together when the scan closes. A scan that
//!   saw exactly the versions of the scan it loaded (nothing changed) writes no row
//!   per file but `scans.same_files_as`: queries find its rows through `ROWS_OF`.
//! - Resume: each file's version, findings and `scan_files` row are written in one
//!   transaction (a writer thread batches several whole files per transaction), so a
//!   scan killed at any moment leaves only whole files. The next `scan` of the same
//!   roots continues the interrupted scan: its done files are skipped as above, and the
//!   writes are idempotent (keyed by scan, file and finding id), so no duplicates.
//!   A killed scan loses only its unchanged files' rows, which cost nothing to redo.

use super::previous::{Prev, Previous, previous_files};
use super::schema::ROWS_OF;
use super::{Engagement, Result, StoreError, now};
use crate::finding::Finding;
use crate::ingest::walk::SourceFile;
use crate::ingest::walk::listing::{KeptListings, ListingCache, Listings};
use crate::scan::{FileRecord, FileStatus, Progress, ScanOptions, ScanResult, ScanSink, Scanner};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn mtime_ns(t: Option<SystemTime>) -> Option<i64> {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
}

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
        super::touch(&tx)?;
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
fn finish_in(
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
    super::touch(tx)?;
    Ok(())
}

/// A scan's file counts, as `scans` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    seen: i64,
    scanned: i64,
    reused: i64,
    errors: i64,
}

/// The counts from the scan's rows.
fn count_rows(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Counts> {
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
fn rows_all_in_snapshot(
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
fn still_ours(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<bool> {
    let owner: Option<(Option<i64>, Option<String>)> = tx
        .query_row("SELECT pid, host FROM scans WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(owner == Some((Some(std::process::id() as i64), Some(hostname()))))
}

/// How a scan ends, for [`StoreSink::close`]: its status, and its metrics when they
/// come (computed meanwhile on another thread; `None` for none).
pub struct Ending {
    pub status: &'static str,
    pub metrics: std::sync::mpsc::Receiver<Option<String>>,
}

/// What [`StoreSink::close`] did.
#[derive(Debug, Default)]
pub struct Closed {
    /// False when the metrics came too late for the closing transaction (the
    /// caller then stores them).
    pub metrics_stored: bool,
}

/// How long the closing transaction, which holds the write lock, waits for the
/// metrics: usually they are ready before it asks.
const METRICS_WAIT: Duration = Duration::from_millis(200);

fn store_metrics(tx: &rusqlite::Transaction<'_>, id: i64, json: &str) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO scan_metrics (scan_id, metrics) VALUES (?1, ?2)",
        params![id, json],
    )?;
    Ok(())
}

/// A file read in this scan, with its findings, for the writer thread.
struct FileMsg {
    record: FileRecord,
    findings: Vec<Finding>,
}

/// Persists each file with its findings; offers stored findings for unchanged files.
pub struct StoreSink {
    scan_id: i64,
    /// Filled by the loader thread; the first file to ask waits for it.
    previous: OnceLock<Previous>,
    loader: Mutex<Option<std::thread::JoinHandle<Result<Previous>>>>,
    /// Why the previous files could not be loaded (reported by `close`).
    load_error: Mutex<Option<StoreError>>,
    /// The folder listings kept by earlier walks, by root, checked and indexed.
    listings_kept: HashMap<String, Arc<KeptListings>>,
    /// Listings this scan's walk hands back, written when the scan closes.
    listings_new: Mutex<Vec<(String, Vec<u8>)>>,
    conn_path: PathBuf,
    tx: Mutex<Option<SyncSender<FileMsg>>>,
    /// The writer thread; it hands its connection back when the channel closes.
    writer: Mutex<Option<std::thread::JoinHandle<Result<Written>>>>,
    /// The scan was interrupted and is resumed: it may have rows already.
    resumed: bool,
}

/// A root as the store spells it (`display()`), borrowed when it is valid UTF-8.
fn root_key(root: &std::path::Path) -> std::borrow::Cow<'_, str> {
    match root.to_str() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(root.display().to_string()),
    }
}

impl StoreSink {
    /// `resumed`: the scan already has files (rows may need replacing).
    pub fn new(eng: &Engagement, scan_id: i64, resumed: bool) -> Result<StoreSink> {
        // The last scans' records load on their own connection while the walk starts:
        // on an unchanged tree the two are most of the time, and they overlap.
        let file = eng.path().to_path_buf();
        let loader = std::thread::Builder::new()
            .name("credence-store-previous".into())
            .spawn(move || {
                let conn = Connection::open(&file)?;
                super::configure(&conn)?;
                previous_files(&conn, &file)
            })
            .map_err(|e| StoreError::Invalid(format!("cannot start the loader thread: {e}")))?;
        // The blobs of this scan's roots only (an engagement may hold many sources),
        // needed before the walk can start.
        let listings_kept = eng
            .conn
            .prepare(
                "SELECT root, data FROM dir_listings WHERE root IN
                   (SELECT value FROM json_each((SELECT roots FROM scans WHERE id = ?1)))",
            )?
            .query_map([scan_id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            // A blob that does not decode is ignored: those folders are read again.
            .filter_map(|(root, data)| Some((root, Arc::new(KeptListings::decode(data)?))))
            .collect();
        let conn = Connection::open(eng.path())?;
        super::configure(&conn)?;
        // WAL + NORMAL: a commit is atomic and survives a killed process; only a power
        // cut can lose the last batches, which a resumed scan then reads again.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let (tx, rx) = sync_channel::<FileMsg>(1024);
        let writer = std::thread::Builder::new()
            .name("credence-store-writer".into())
            .spawn(move || write_loop(conn, scan_id, resumed, rx))
            .map_err(|e| StoreError::Invalid(format!("cannot start the writer thread: {e}")))?;
        Ok(StoreSink {
            scan_id,
            previous: OnceLock::new(),
            loader: Mutex::new(Some(loader)),
            load_error: Mutex::new(None),
            listings_kept,
            listings_new: Mutex::new(Vec::new()),
            conn_path: eng.path().to_path_buf(),
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            resumed,
        })
    }

    /// Waits for every file to be written, then records the unchanged files, the
    /// walk's new listings and, given an `ending`, the scan's end (status, counts,
    /// metrics), all in one transaction on the writer's connection: a killed scan
    /// leaves either all of it or none (the scan then resumes). The writer's error,
    /// if any.
    pub fn close(&self, ending: Option<Ending>) -> Result<Closed> {
        self.previous();
        drop(self.tx.lock().expect("no poisoned lock").take());
        let writer_done = match self.writer.lock().expect("no poisoned lock").take() {
            Some(h) => Some(
                h.join()
                    .map_err(|_| StoreError::Invalid("the writer thread panicked".into()))??,
            ),
            None => None,
        };
        if let Some(e) = self.load_error.lock().expect("no poisoned lock").take() {
            return Err(e);
        }
        // Stored versions of unchanged files, seen once more (marked when offered).
        // Written in one statement here rather than one message and row each (or not
        // at all, below, when the scan saw the same files as the one it loaded). A
        // killed scan loses only these rows; the resumed scan finds the same files
        // unchanged again.
        let mut reused = self.previous().files.offered_outside(self.scan_id);
        // In key order the rows append to the index instead of landing all over it.
        reused.sort_unstable();
        let listings = std::mem::take(&mut *self.listings_new.lock().expect("no poisoned lock"));
        if reused.is_empty() && listings.is_empty() && ending.is_none() {
            return Ok(Closed::default());
        }
        // A scan that was not interrupted has as rows what the writer wrote and the
        // reused versions (or the rows of the scan it saw the same files as): its
        // counts are known without counting them again.
        let (writer_conn, written) = match writer_done {
            Some(w) => (Some(w.conn), Some((w.files, w.scanned, w.errors))),
            None => (None, None),
        };
        let mut conn = match writer_conn {
            Some(c) => c,
            None => {
                let c = Connection::open(&self.conn_path)?;
                super::configure(&c)?;
                c.pragma_update(None, "synchronous", "NORMAL")?;
                c
            }
        };
        // The reused ids were read from `files` when this scan began, file rows are
        // never deleted (nothing in the store deletes them) and the scan row is this
        // scan's: the foreign-key checks, two index lookups per row and half the cost
        // of this insert on an unchanged tree, can prove nothing here. The pragma
        // cannot change inside a transaction, hence before it; the connection ends
        // with this call.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // The batches before may be lost to a power cut (a resumed scan reads their
        // files again), but a scan that says it completed must have: this last
        // commit is synced, with everything the scan wrote before it.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let tx = conn.transaction()?;
        // What the writer wrote is all the scan's other rows, unless the scan was
        // resumed, or taken over meanwhile by a process on another host (which then
        // wrote rows in it too).
        let sole = !self.resumed && still_ours(&tx, self.scan_id)?;
        let written = written.filter(|_| sole);
        // Every version the loader offered came from one snapshot, every one was
        // reused and nothing else was recorded: this scan saw exactly that snapshot's
        // versions, and takes it as its own.
        let previous = self.previous();
        let same_snapshot = previous
            .from_snapshot
            .filter(|_| written.is_some_and(|w| w.0 == 0) && reused.len() == previous.files.len());
        // A scan that completes so saw the same files as the scan it loaded, if that
        // scan's rows were all good ones (an unreadable file's row is not in the
        // snapshot): it records that instead of a row per file.
        let completing = ending.as_ref().is_some_and(|e| e.status == "completed");
        let same_files_as = match same_snapshot {
            Some(of) if completing => rows_all_in_snapshot(&tx, of.scan_id, reused.len())?,
            _ => None,
        };
        let reused_rows = match same_files_as {
            Some(base) => {
                tx.execute(
                    "UPDATE scans SET same_files_as = ?2 WHERE id = ?1",
                    params![self.scan_id, base],
                )?;
                write_reused(&tx, self.scan_id, &[], listings)?;
                reused.len() as i64
            }
            None => write_reused(&tx, self.scan_id, &reused, listings)?,
        };
        let mut metrics_stored = false;
        if let Some(ending) = ending {
            // The counts and `last_seen` are done while the metrics are computed. The
            // wait for them is short, as this transaction holds the write lock: late
            // metrics are stored by the caller, after this commit.
            let counts = written.map(|(files, scanned, errors)| Counts {
                seen: files + reused_rows,
                scanned,
                reused: reused_rows,
                errors,
            });
            finish_in(&tx, self.scan_id, ending.status, counts)?;
            if completing {
                super::snapshot::keep(&tx, self.scan_id, same_snapshot.map(|of| of.snapshot_id))?;
            }
            match ending.metrics.recv_timeout(METRICS_WAIT) {
                Ok(Some(json)) => {
                    store_metrics(&tx, self.scan_id, &json)?;
                    metrics_stored = true;
                }
                // None to store, or their thread is gone (it panicked).
                Ok(None) | Err(RecvTimeoutError::Disconnected) => metrics_stored = true,
                Err(RecvTimeoutError::Timeout) => {}
            }
        }
        tx.commit()?;
        Ok(Closed { metrics_stored })
    }

    pub fn scan_id(&self) -> i64 {
        self.scan_id
    }

    /// The last scans' records, once loaded. A failed load offers nothing for reuse
    /// (every file is read) and `close` reports it.
    fn previous(&self) -> &Previous {
        self.previous.get_or_init(|| {
            let loader = self.loader.lock().expect("no poisoned lock").take();
            let loaded = match loader.map(|h| h.join()) {
                Some(Ok(r)) => r,
                Some(Err(_)) => Err(StoreError::Invalid("the loader thread panicked".into())),
                None => Ok(Previous::default()),
            };
            loaded.unwrap_or_else(|e| {
                *self.load_error.lock().expect("no poisoned lock") = Some(e);
                Previous::default()
            })
        })
    }

    fn prev_of(&self, root: &std::path::Path, path: &str) -> Option<&Prev> {
        self.previous().files.get(root, path)
    }

    fn send(&self, msg: FileMsg) {
        if let Some(tx) = self.tx.lock().expect("no poisoned lock").as_ref() {
            // A closed channel means the writer failed; close() reports why.
            let _ = tx.send(msg);
        }
    }
}

/// Listings are self-checking (each folder's stamp is compared before use), so any
/// kept set is safe to offer, even one from a scan that was later interrupted.
impl ListingCache for StoreSink {
    fn listings(&self, root: &std::path::Path) -> Option<Arc<KeptListings>> {
        self.listings_kept.get(root_key(root).as_ref()).cloned()
    }

    fn keep(&self, root: &std::path::Path, listings: Listings) {
        self.listings_new
            .lock()
            .expect("no poisoned lock")
            .push((root_key(root).into_owned(), listings.encode()));
    }
}

impl ScanSink for StoreSink {
    fn listing_cache(&self) -> Option<&dyn ListingCache> {
        Some(self)
    }

    fn reuse_ready(&self) -> bool {
        self.previous.get().is_some()
    }

    fn reuse(&self, file: &SourceFile) -> Option<Vec<Finding>> {
        let prev = self.prev_of(&file.root, &file.rel)?;
        let mt = mtime_ns(file.mtime);
        if prev.size != file.size || mt.is_none() || prev.mtime_ns != mt {
            return None;
        }
        if prev.racy {
            let bytes = std::fs::read(&file.path).ok()?;
            if prev.hash.as_deref() != Some(blake3::hash(&bytes).to_hex().as_str()) {
                return None;
            }
        }
        // Offered means settled: the scanner records a reused file without reading it,
        // so its stored version is marked here, with the record at hand; the close
        // records the marked versions (but those this very scan recorded before it
        // was interrupted: they are already there).
        prev.offered
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if !prev.has_findings {
            return Some(Vec::new());
        }
        Some(
            self.previous()
                .findings
                .get(&prev.file_id)
                .cloned()
                .unwrap_or_default(),
        )
    }

    /// Files read; those `reuse` offered were marked there.
    fn file_done(&self, record: &FileRecord, findings: &[Finding]) {
        self.send(FileMsg {
            record: record.clone(),
            findings: findings.to_vec(),
        });
    }
}

/// The rows of the unchanged files and the walk's new folder listings; how many rows
/// were added.
fn write_reused(
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
struct Written {
    conn: Connection,
    files: i64,
    /// Of those, read whole (`scanned` or `duplicate`), and unreadable.
    scanned: i64,
    errors: i64,
}

/// Writes the files that were read, in batches.
fn write_loop(
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

/// One engagement scan, start (or resume) to finish.
pub struct EngagementScanResult {
    pub scan: ScanStart,
    pub result: ScanResult,
}

/// Scans `opts.roots` into the engagement. Roots should be canonical paths so that a
/// re-scan from another working directory matches the stored files.
pub fn run(
    eng: &mut Engagement,
    scanner: &Scanner,
    opts: &ScanOptions,
    progress: &Progress,
) -> Result<EngagementScanResult> {
    let roots: Vec<String> = opts
        .roots
        .iter()
        .map(|r: &PathBuf| r.display().to_string())
        .collect();
    let start = eng.begin_scan(&roots)?;
    let sink = StoreSink::new(eng, start.id, start.resumed)?;
    let scanned = scanner.scan_with(opts, progress, &sink);
    let status = match &scanned {
        Ok(r) if r.summary.cancelled => Some("cancelled"),
        Ok(_) => Some("completed"),
        Err(_) => None,
    };
    // What is left overlaps: the close writes the unchanged files' rows and the
    // scan's counts on the writer's connection while another thread builds the
    // identity graph of the findings (it reads only the zones); the close then stores
    // the metrics in the same transaction. On an unchanged tree the two are most of
    // the tail.
    let (metrics_tx, metrics_rx) = std::sync::mpsc::channel();
    let ending = status.map(|status| Ending {
        status,
        metrics: metrics_rx,
    });
    let (closed, metrics) = std::thread::scope(|scope| {
        // The metrics on a new thread, the close on this one: the close is the longer
        // of the two, and a new thread can wait a scheduler tick before it runs.
        let engagement = &mut *eng;
        let scanned = &scanned;
        let computing = scope.spawn(move || {
            // Owned here, so a panic below drops it and the close stops waiting.
            let metrics_tx = metrics_tx;
            let metrics = match scanned {
                Ok(r) if !r.summary.cancelled => Some(engagement.metrics_json(&r.findings)),
                _ => None,
            };
            // Metrics that could not be computed leave the scan completed without
            // them (the error is returned below).
            let json = metrics.as_ref().and_then(|m| m.as_ref().ok()).cloned();
            let _ = metrics_tx.send(json);
            metrics
        });
        let closed = sink.close(ending);
        // A panic while computing them goes on once the close is done, as it would
        // have on this thread.
        let metrics = computing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (closed, metrics)
    });
    let result = match (scanned, closed) {
        (Ok(r), Ok(closed)) => {
            if let (false, Some(Ok(json))) = (closed.metrics_stored, &metrics) {
                let tx = eng.conn.transaction()?;
                store_metrics(&tx, start.id, json)?;
                tx.commit()?;
            }
            r
        }
        (Err(e), _) => {
            eng.finish_scan(start.id, "failed")?;
            return Err(StoreError::Invalid(e.to_string()));
        }
        (_, Err(e)) => {
            let _ = eng.finish_scan(start.id, "failed");
            return Err(e);
        }
    };
    metrics.transpose()?;
    Ok(EngagementScanResult {
        scan: start,
        result,
    })
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
