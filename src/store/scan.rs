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

mod row;
mod writer;

pub use row::ScanStart;
use row::{Counts, METRICS_WAIT, finish_in, rows_all_in_snapshot, still_ours, store_metrics};
use writer::{FileMsg, Written, mtime_ns, write_loop, write_reused};

use super::previous::{Prev, Previous, previous_files};
use super::{Engagement, Result, StoreError};
use crate::finding::Finding;
use crate::ingest::walk::SourceFile;
use crate::ingest::walk::listing::{KeptListings, ListingCache, Listings};
use crate::scan::{FileRecord, Progress, ScanOptions, ScanResult, ScanSink, Scanner};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, OnceLock};

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
