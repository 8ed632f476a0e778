//! Scan with live progress: the scan runs on its own thread with its own connection to
//! the engagement file; a ticker emits `scan-progress` events (files, MB/s, findings,
//! ETA) four times a second and a last one when it ends. The UI never waits on it.
//!
//! Pause is cancel + scan again: the library records each file with its findings as it
//! goes, so the next scan of the same sources skips the files already done; a scan the
//! app did not finish (crash, power cut, killed) is resumed under the same scan id.

use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::state::{AppState, RunningScan};
use credence::ingest::walk::WalkOptions;
use credence::scan::{FileIssue, Progress, ScanOptions, Scanner};
use credence::store::Engagement;
use credence::store::query::ScanRow;
use credence::store::sources::FileProblem;
use credence::vault::FingerprintKey;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

pub const PROGRESS_EVENT: &str = "scan-progress";
const TICK: Duration = Duration::from_millis(250);

/// One progress report. `state`: running, completed, cancelled or failed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScanProgress {
    pub engagement: String,
    pub state: &'static str,
    pub scan_id: Option<i64>,
    pub resumed: bool,
    pub files_found: u64,
    pub files_done: u64,
    pub bytes_done: u64,
    pub findings: u64,
    pub walk_finished: bool,
    pub elapsed_ms: u64,
    pub mb_per_s: f64,
    /// Seconds left, once the walk has counted every file.
    pub eta_seconds: Option<f64>,
    pub errors: usize,
    pub message: Option<String>,
}

/// Seconds left at the current file rate, known once every file has been counted.
pub fn eta_seconds(found: u64, done: u64, walk_finished: bool, elapsed: Duration) -> Option<f64> {
    if !walk_finished || done == 0 || elapsed.is_zero() {
        return None;
    }
    let per_file = elapsed.as_secs_f64() / done as f64;
    Some(found.saturating_sub(done) as f64 * per_file)
}

fn snapshot(engagement: &Path, p: &Progress, elapsed: Duration) -> ScanProgress {
    let done = p.files_done.load(Ordering::Relaxed);
    let found = p.files_found.load(Ordering::Relaxed);
    let bytes = p.bytes_done.load(Ordering::Relaxed);
    let walk_finished = p.walk_finished.load(Ordering::Relaxed);
    let secs = elapsed.as_secs_f64().max(0.001);
    ScanProgress {
        engagement: engagement.display().to_string(),
        state: "running",
        scan_id: None,
        resumed: false,
        files_found: found,
        files_done: done,
        bytes_done: bytes,
        findings: p.findings.load(Ordering::Relaxed),
        walk_finished,
        elapsed_ms: elapsed.as_millis() as u64,
        mb_per_s: bytes as f64 / 1e6 / secs,
        eta_seconds: eta_seconds(found, done, walk_finished, elapsed),
        errors: 0,
        message: None,
    }
}

#[derive(Debug, Serialize)]
pub struct ScanStarted {
    pub roots: Vec<String>,
}

/// Starts a scan of every source of the open engagement.
#[tauri::command]
pub fn start_scan<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<ScanStarted> {
    let (path, key, roots) = state.with_session(|s| {
        let roots: Vec<String> = s.eng.sources()?.into_iter().map(|x| x.root).collect();
        if roots.is_empty() {
            return Err(CommandError::invalid(
                "add a folder or file to scan first (Sources and zones)",
            ));
        }
        let missing: Vec<&String> = roots.iter().filter(|r| !Path::new(r).exists()).collect();
        if !missing.is_empty() {
            return Err(CommandError::invalid(format!(
                "sources not found (moved or unmounted?): {}",
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok((s.path.clone(), s.key.clone(), roots))
    })?;
    let progress = Arc::new(Progress::default());
    {
        let mut running = state.running();
        if running.is_some() {
            return Err(CommandError::new(
                ErrorKind::Busy,
                "a scan is already running",
            ));
        }
        *running = Some(RunningScan {
            engagement: path.clone(),
            progress: progress.clone(),
        });
    }
    let thread_roots = roots.clone();
    let spawned = std::thread::Builder::new()
        .name("credence-desktop-scan".into())
        .spawn(move || scan_thread(app, path, key, thread_roots, progress));
    if let Err(e) = spawned {
        *state.running() = None;
        return Err(CommandError::new(
            ErrorKind::Io,
            format!("cannot start the scan thread: {e}"),
        ));
    }
    Ok(ScanStarted { roots })
}

fn scan_thread<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    key: FingerprintKey,
    roots: Vec<String>,
    progress: Arc<Progress>,
) {
    let started = Instant::now();
    let done = AtomicBool::new(false);
    let outcome = std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let _ = app.emit(
                    PROGRESS_EVENT,
                    snapshot(&path, &progress, started.elapsed()),
                );
                std::thread::sleep(TICK);
            }
        });
        let r = run_scan(&path, key, &roots, &progress);
        done.store(true, Ordering::Relaxed);
        r
    });
    let mut last = snapshot(&path, &progress, started.elapsed());
    last.eta_seconds = None;
    let state = app.state::<AppState>();
    match outcome {
        Ok(r) => {
            last.state = if r.result.summary.cancelled {
                "cancelled"
            } else {
                "completed"
            };
            last.scan_id = Some(r.scan.id);
            last.resumed = r.scan.resumed;
            last.errors = r.result.summary.errors.len();
            last.findings = r.result.findings.len() as u64;
            let mut guard = state.session();
            if let Some(s) = guard.as_mut().filter(|s| s.path == path) {
                s.cache = None;
                s.walk_errors = r.result.summary.errors;
            }
        }
        Err(e) => {
            last.state = "failed";
            last.message = Some(e.message);
        }
    }
    *state.running() = None;
    let _ = app.emit(PROGRESS_EVENT, last);
}

fn run_scan(
    path: &Path,
    key: FingerprintKey,
    roots: &[String],
    progress: &Progress,
) -> CmdResult<credence::store::scan::EngagementScanResult> {
    let mut eng = Engagement::open(path)?;
    let scanner = Scanner::new(key)
        .map_err(|e| CommandError::new(ErrorKind::Store, format!("built-in rules: {e}")))?;
    let opts = ScanOptions {
        roots: roots.iter().map(PathBuf::from).collect(),
        walk: WalkOptions::default(),
        ..Default::default()
    };
    Ok(credence::store::scan::run(
        &mut eng, &scanner, &opts, progress,
    )?)
}

#[tauri::command]
pub fn cancel_scan(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(match state.running().as_ref() {
        Some(r) => {
            r.cancel();
            true
        }
        None => false,
    })
}

#[derive(Debug, Serialize)]
pub struct ScanStatus {
    pub running: bool,
    pub scans: Vec<ScanRow>,
    /// A scan left `running` by an app that stopped: the next scan resumes it.
    pub interrupted: Option<i64>,
}

#[tauri::command]
pub fn scan_status(state: State<'_, AppState>) -> CmdResult<ScanStatus> {
    let running = state.running().as_ref().is_some_and(|r| {
        state
            .with_session(|s| Ok(s.path == r.engagement))
            .unwrap_or(false)
    });
    state.with_session(|s| {
        let scans = s.eng.scans()?;
        let interrupted = if running {
            None
        } else {
            scans
                .iter()
                .rev()
                .find(|x| x.status == "running")
                .map(|x| x.id)
        };
        Ok(ScanStatus {
            running,
            scans,
            interrupted,
        })
    })
}

#[derive(Debug, Serialize)]
pub struct FileErrors {
    pub scan: Option<i64>,
    /// Files the scan recorded as errors (unreadable, corrupt, refused).
    pub files: Vec<FileProblem>,
    /// Everything the last scan of this session reported, folders that could not be
    /// listed included (those are not stored in the file).
    pub last_run: Vec<FileIssue>,
}

/// Per-file errors of `scan` (default: the latest scan).
#[tauri::command]
pub fn file_errors(state: State<'_, AppState>, scan: Option<i64>) -> CmdResult<FileErrors> {
    state.with_session(|s| {
        let scans = s.eng.scans()?;
        let id = match scan {
            Some(id) if scans.iter().any(|x| x.id == id) => Some(id),
            Some(id) => return Err(CommandError::invalid(format!("no scan {id}"))),
            None => scans.last().map(|x| x.id),
        };
        Ok(FileErrors {
            scan: id,
            files: match id {
                Some(id) => s.eng.file_problems(id)?,
                None => Vec::new(),
            },
            last_run: s.walk_errors.clone(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_needs_the_full_count_and_some_progress() {
        let ten = Duration::from_secs(10);
        assert_eq!(
            eta_seconds(100, 50, false, ten),
            None,
            "still counting files"
        );
        assert_eq!(eta_seconds(100, 0, true, ten), None, "no rate yet");
        assert_eq!(eta_seconds(100, 50, true, ten), Some(10.0));
        assert_eq!(eta_seconds(100, 100, true, ten), Some(0.0));
    }
}
