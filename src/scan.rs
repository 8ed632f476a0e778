//! The scan pipeline: walk → read → sniff → extract → detect → judge → mask and
//! fingerprint. Files are processed in parallel (rayon) as the walker finds them, so
//! memory is bounded by the files in flight, not by the size of the tree. A file's
//! problem is a per-file record; only a usage error stops a scan.

use crate::detect::{Engine, RawFinding, TextInput, knowledge::FileFacts, knowledge::Knowledge};
use crate::finding::{Confidence, Finding, Flag};
use crate::ingest::text::{LineIndex, decode};
use crate::ingest::walk::listing::ListingCache;
use crate::ingest::walk::{SourceFile, WalkEvent, WalkOptions, io_reason, walk_parallel};
use crate::ingest::{ExtractInput, Extractor, FileKind, Limits, Origin, Part, TextHint, sniff};
use crate::vault::FingerprintKey;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

mod finalize;
mod handoff;
mod read;
pub use finalize::link_reuse;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub limits: Limits,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    pub min_confidence: Confidence,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            roots: vec![],
            walk: WalkOptions::default(),
            limits: Limits::default(),
            threads: 0,
            min_confidence: Confidence::Low,
        }
    }
}

/// Live counters for a progress bar or the UI; read while the scan runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub files_found: AtomicU64,
    pub files_done: AtomicU64,
    pub bytes_done: AtomicU64,
    pub findings: AtomicU64,
    pub walk_finished: AtomicBool,
    pub cancel: AtomicBool,
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum FileStatus {
    Scanned,
    /// Same content as a file already scanned: findings copied, not re-detected.
    Duplicate,
    Skipped(String),
    Error(String),
}

/// One file's record: what the engagement store persists to skip or resume.
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    pub root: String,
    pub path: String,
    pub size: u64,
    pub mtime: Option<SystemTime>,
    /// blake3 of the content, hex (None when it could not be read).
    pub content_hash: Option<String>,
    pub status: FileStatus,
    pub findings: u32,
}

/// Lets a caller (the engagement store) persist per file and skip unchanged files.
pub trait ScanSink: Sync {
    /// Return previously stored findings to reuse them instead of reading the file.
    /// A file it returns `Some` for is never read.
    fn reuse(&self, _file: &SourceFile) -> Option<Vec<Finding>> {
        None
    }
    /// Whether [`ScanSink::reuse`] answers at once now (its records are loaded): the
    /// walk then settles unchanged files itself instead of handing them to the
    /// workers. Until then the workers ask, and wait.
    fn reuse_ready(&self) -> bool {
        false
    }
    /// A file read (or that could not be): its record and findings. Not called for
    /// a file [`ScanSink::reuse`] settled: the sink knows those already.
    fn file_done(&self, _record: &FileRecord, _findings: &[Finding]) {}
    /// Where the walk keeps folder listings between scans, if anywhere.
    fn listing_cache(&self) -> Option<&dyn ListingCache> {
        None
    }
}

/// No persistence: a bare scan.
pub struct NoSink;
impl ScanSink for NoSink {}

/// A per-file problem or notice, for the summary.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileIssue {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files_seen: u64,
    pub files_scanned: u64,
    pub files_duplicate: u64,
    pub files_reused: u64,
    pub bytes_scanned: u64,
    /// Skips by reason class ("binary", "too large", ...), counted.
    pub skipped: BTreeMap<String, u64>,
    /// Skips worth listing (not plain binaries): special files, too large, symlinks.
    pub skipped_files: Vec<FileIssue>,
    pub errors: Vec<FileIssue>,
    /// "encrypted, not scanned" and similar remarks from extractors.
    pub notices: Vec<FileIssue>,
    pub findings: u64,
    pub duration_ms: u64,
    pub cancelled: bool,
}

pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

/// Everything a scan needs that is built once: detectors, extractors, the key.
pub struct Scanner {
    pub engine: Engine,
    pub extractors: Vec<Box<dyn Extractor>>,
    pub key: FingerprintKey,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{0}")]
    Walk(#[from] crate::ingest::walk::WalkError),
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

/// Whether the sink was asked to reuse a file before it reached a worker.
#[derive(Clone, Copy)]
enum Reuse {
    Asked,
    NotAsked,
}

/// Per-scan shared state.
struct Shared<'a> {
    scanner: &'a Scanner,
    opts: &'a ScanOptions,
    progress: &'a Progress,
    sink: &'a dyn ScanSink,
    findings: Mutex<Vec<Finding>>,
    summary: Mutex<Summary>,
    /// Files settled from the sink's stored findings: counted apart from `summary`, as
    /// on an unchanged tree nearly every file is one and the two workers would take
    /// turns at the summary's lock for each.
    reused: AtomicU64,
    /// Content hash → findings of the first file with that content.
    seen: Mutex<HashMap<[u8; 32], Arc<Vec<Finding>>>>,
}

impl Scanner {
    pub fn new(key: FingerprintKey) -> Result<Scanner, crate::detect::rules::RuleError> {
        Ok(Scanner::with_engine(Engine::builtin()?, key))
    }

    /// A scanner over an engine built elsewhere (the CLI builds it while the key is
    /// being unwrapped), with the built-in extractors.
    pub fn with_engine(engine: Engine, key: FingerprintKey) -> Scanner {
        Scanner {
            engine,
            extractors: crate::ingest::extractors::builtin(),
            key,
        }
    }

    /// Scans one file held in memory as if it were at `name`: the same sniffing,
    /// extractors and detectors as a tree scan, without the walk, the sink or the
    /// panic guard (the fuzz targets want a parser's panic to surface). `Err` is the
    /// per-file reason a tree scan would record.
    pub fn scan_memory(&self, name: &str, bytes: &[u8]) -> Result<Vec<Finding>, String> {
        let opts = ScanOptions::default();
        let progress = Progress::default();
        let shared = Shared::new(self, &opts, &progress, &NoSink);
        let file = SourceFile {
            root: std::path::Path::new("").into(),
            path: PathBuf::from(name),
            rel: name.to_string(),
            size: bytes.len() as u64,
            mtime: None,
        };
        let (findings, outcome) = shared.scan_bytes(&file, bytes);
        outcome.map(|_| findings)
    }

    /// Scans with no persistence and a private progress record.
    pub fn scan(&self, opts: &ScanOptions) -> Result<ScanResult, ScanError> {
        self.scan_with(opts, &Progress::default(), &NoSink)
    }

    pub fn scan_with(
        &self,
        opts: &ScanOptions,
        progress: &Progress,
        sink: &dyn ScanSink,
    ) -> Result<ScanResult, ScanError> {
        let started = Instant::now();
        let shared = Shared::new(self, opts, progress, sink);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .thread_name(|i| format!("credence-scan-{i}"))
            .build()
            .map_err(|e| ScanError::Threads(e.to_string()))?;
        // Bounded queue: the walker never runs far ahead of the workers (a few MB of
        // names at most). It may run some way ahead: while an engagement's previous
        // records load, the workers wait and the walk goes on.
        let (batcher, rx) = handoff::channel(16 * 1024);
        let walk_result = std::thread::scope(|scope| {
            let walker = scope.spawn(|| {
                // As many walkers as workers: an unchanged re-scan is mostly the walk.
                let walkers = pool.current_num_threads();
                let cache = shared.sink.listing_cache();
                let r = walk_parallel(&opts.roots, &opts.walk, walkers, cache, |event| {
                    if progress.cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    match event {
                        WalkEvent::File(f) => {
                            progress.files_found.fetch_add(1, Ordering::Relaxed);
                            // On an unchanged tree nearly every file is settled here
                            // from the sink's records: a hand-off to a worker would
                            // cost more than the settling. A file asked about here is
                            // not asked again (a racy record would be read twice).
                            if shared.sink.reuse_ready() {
                                if let Some(f) = shared.try_reuse(f) {
                                    batcher.push((f, Reuse::Asked));
                                }
                            } else {
                                batcher.push((f, Reuse::NotAsked));
                            }
                        }
                        WalkEvent::Skipped { path, reason } => shared.record_skip(path, reason),
                        WalkEvent::Error { path, reason } => shared.record_error(path, reason),
                    }
                });
                progress.walk_finished.store(true, Ordering::Relaxed);
                batcher.finish();
                r
            });
            pool.install(|| {
                rx.into_iter().par_bridge().for_each(|batch| {
                    for (file, reuse) in batch {
                        if progress.cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        shared.process_file(file, reuse);
                    }
                });
            });
            walker.join().expect("walker thread does not panic")
        });
        walk_result?;
        let mut findings = shared.findings.into_inner().expect("no poisoned lock");
        finalize::sort_findings(&mut findings);
        link_reuse(&mut findings);
        let mut summary = shared.summary.into_inner().expect("no poisoned lock");
        let reused = shared.reused.into_inner();
        summary.files_seen += reused;
        summary.files_reused += reused;
        summary.findings = findings.len() as u64;
        summary.duration_ms = started.elapsed().as_millis() as u64;
        summary.cancelled = progress.cancel.load(Ordering::Relaxed);
        summary.errors.sort();
        summary.skipped_files.sort();
        summary.notices.sort();
        Ok(ScanResult { findings, summary })
    }
}

/// Debug builds only: `CREDENCE_FAULT_PANIC_ON=<name>` panics while reading a file
/// whose path contains `<name>`, with the file's first line in the panic message, so
/// tests can prove a worker panic neither ends the scan nor prints scanned data.
#[cfg(debug_assertions)]
fn fault_injection(file: &SourceFile, bytes: &[u8]) {
    if let Some(pattern) = std::env::var_os("CREDENCE_FAULT_PANIC_ON")
        && file.rel.contains(&*pattern.to_string_lossy())
    {
        let first_line =
            String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or(b""));
        panic!("injected fault while reading {first_line}");
    }
}

#[cfg(not(debug_assertions))]
fn fault_injection(_file: &SourceFile, _bytes: &[u8]) {}

/// Coarse class of a skip reason, for counting.
fn reason_class(reason: &str) -> String {
    reason
        .split([':', '('])
        .next()
        .unwrap_or(reason)
        .trim()
        .to_string()
}

impl<'a> Shared<'a> {
    /// Fresh per-scan state: no findings, an empty summary and dedupe cache.
    fn new(
        scanner: &'a Scanner,
        opts: &'a ScanOptions,
        progress: &'a Progress,
        sink: &'a dyn ScanSink,
    ) -> Shared<'a> {
        Shared {
            scanner,
            opts,
            progress,
            sink,
            findings: Mutex::new(Vec::new()),
            summary: Mutex::new(Summary::default()),
            reused: AtomicU64::new(0),
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn record_skip(&self, path: String, reason: String) {
        let mut s = self.summary.lock().expect("no poisoned lock");
        s.files_seen += 1;
        *s.skipped.entry(reason_class(&reason)).or_default() += 1;
        if !reason.starts_with("binary") && !reason.starts_with("empty") {
            s.skipped_files.push(FileIssue { path, reason });
        }
    }

    fn record_error(&self, path: String, reason: String) {
        let mut s = self.summary.lock().expect("no poisoned lock");
        s.files_seen += 1;
        s.errors.push(FileIssue { path, reason });
    }

    /// A fresh record of `file`, before anything is known of its content.
    fn record_of(file: &SourceFile) -> FileRecord {
        FileRecord {
            // What `display()` prints, without the formatting machinery (per file).
            root: file.root.to_string_lossy().into_owned(),
            path: file.rel.clone(),
            size: file.size,
            mtime: file.mtime,
            content_hash: None,
            status: FileStatus::Scanned,
            findings: 0,
        }
    }

    /// Settles `file` with the sink's stored findings when it offers them; gives the
    /// file back when it has to be read. No record is made of a settled file: the
    /// sink has it (on an unchanged tree this runs for every file, on the walkers).
    fn try_reuse(&self, file: SourceFile) -> Option<SourceFile> {
        let Some(mut reused) = self.sink.reuse(&file) else {
            return Some(file);
        };
        for f in &mut reused {
            f.reuse_count = 1;
        }
        self.progress.files_done.fetch_add(1, Ordering::Relaxed);
        self.reused.fetch_add(1, Ordering::Relaxed);
        self.keep_findings(reused);
        None
    }

    fn process_file(&self, file: SourceFile, reuse: Reuse) {
        // Files the walk met while the sink's records were still loading are checked
        // here.
        let file = match reuse {
            Reuse::Asked => file,
            Reuse::NotAsked => match self.try_reuse(file) {
                Some(file) => file,
                None => return,
            },
        };
        let mut record = Self::record_of(&file);
        let mut bytes = read::take_buffer();
        let limit = self.opts.walk.max_file_size;
        let extent = match read::read_bounded(&file.path, file.size, limit, &mut bytes) {
            Ok(extent) => extent,
            Err(e) => {
                let reason = io_reason(&e);
                self.record_error(file.rel.clone(), reason.clone());
                record.status = FileStatus::Error(reason);
                self.progress.files_done.fetch_add(1, Ordering::Relaxed);
                self.sink.file_done(&record, &[]);
                return;
            }
        };
        // Only a whole read identifies the file: a binary head or a file cut at the
        // size limit is neither recorded by hash nor deduplicated against others.
        let hash = matches!(extent, read::Extent::Whole).then(|| *blake3::hash(&bytes).as_bytes());
        record.content_hash = hash.map(hex::encode);
        if !matches!(extent, read::Extent::BinaryHead) {
            record.size = bytes.len() as u64;
        }
        self.progress
            .bytes_done
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if matches!(extent, read::Extent::Truncated) {
            self.summary
                .lock()
                .expect("no poisoned lock")
                .notices
                .push(FileIssue {
                    path: file.rel.clone(),
                    reason: format!(
                        "grew past the size limit during the scan: read up to {} bytes",
                        bytes.len()
                    ),
                });
        }

        let cached =
            hash.and_then(|h| self.seen.lock().expect("no poisoned lock").get(&h).cloned());
        let (findings, outcome) = match cached {
            Some(prev) => (
                prev.iter().cloned().collect::<Vec<_>>(),
                Ok(Outcome::Duplicate),
            ),
            None => {
                // A panic in a parser must not end the scan: it becomes this file's error.
                // The payload is not recorded: it could quote file content.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    fault_injection(&file, &bytes);
                    self.scan_bytes(&file, &bytes)
                }));
                match result {
                    Ok(r) => r,
                    Err(_) => (
                        Vec::new(),
                        Err("internal error while reading this file (parser panic); reported, scan continued".to_string()),
                    ),
                }
            }
        };
        read::return_buffer(bytes);
        let mut findings = findings;
        for f in &mut findings {
            finalize::apply_file_facts(f, &file, &self.scanner.engine.knowledge);
        }
        match outcome {
            Ok(Outcome::Scanned { notices, skipped }) => {
                let mut s = self.summary.lock().expect("no poisoned lock");
                s.files_seen += 1;
                s.bytes_scanned += record.size;
                match skipped {
                    Some(reason) => {
                        *s.skipped.entry(reason_class(&reason)).or_default() += 1;
                        if !reason.starts_with("binary") && !reason.starts_with("empty") {
                            s.skipped_files.push(FileIssue {
                                path: file.rel.clone(),
                                reason: reason.clone(),
                            });
                        }
                        record.status = FileStatus::Skipped(reason);
                    }
                    None => s.files_scanned += 1,
                }
                for n in notices {
                    s.notices.push(n);
                }
                drop(s);
                if let Some(hash) = hash {
                    self.seen
                        .lock()
                        .expect("no poisoned lock")
                        .entry(hash)
                        .or_insert_with(|| Arc::new(findings.clone()));
                }
            }
            Ok(Outcome::Duplicate) => {
                let mut s = self.summary.lock().expect("no poisoned lock");
                s.files_seen += 1;
                s.files_duplicate += 1;
                record.status = FileStatus::Duplicate;
            }
            Err(reason) => {
                self.record_error(file.rel.clone(), reason.clone());
                record.status = FileStatus::Error(reason);
            }
        }
        record.findings = findings.len() as u32;
        self.progress.files_done.fetch_add(1, Ordering::Relaxed);
        self.finish(record, findings);
    }

    fn finish(&self, record: FileRecord, findings: Vec<Finding>) {
        self.sink.file_done(&record, &findings);
        self.keep_findings(findings);
    }

    fn keep_findings(&self, findings: Vec<Finding>) {
        self.progress
            .findings
            .fetch_add(findings.len() as u64, Ordering::Relaxed);
        if !findings.is_empty() {
            self.findings
                .lock()
                .expect("no poisoned lock")
                .extend(findings);
        }
    }

    /// Reads one file's bytes into findings (path-independent parts only).
    fn scan_bytes(
        &self,
        file: &SourceFile,
        bytes: &[u8],
    ) -> (Vec<Finding>, Result<Outcome, String>) {
        let mut ctx = FileCtx {
            shared: self,
            file,
            findings: Vec::new(),
            notices: Vec::new(),
        };
        let r = ctx.read(bytes, &file.rel, Origin::default(), 0);
        let findings = ctx.findings;
        match r {
            Ok(skipped) => (
                findings,
                Ok(Outcome::Scanned {
                    notices: ctx.notices,
                    skipped,
                }),
            ),
            Err(e) => (findings, Err(e)),
        }
    }
}

enum Outcome {
    Scanned {
        notices: Vec<FileIssue>,
        /// The whole file was skipped (binary, unsupported), with the reason.
        skipped: Option<String>,
    },
    Duplicate,
}

/// Reading state for one file (and, recursively, its members).
struct FileCtx<'s, 'a> {
    shared: &'s Shared<'a>,
    file: &'s SourceFile,
    findings: Vec<Finding>,
    notices: Vec<FileIssue>,
}

impl FileCtx<'_, '_> {
    /// Reads bytes of a file or member. `Ok(Some(reason))` = skipped as a whole.
    fn read(
        &mut self,
        bytes: &[u8],
        name: &str,
        origin: Origin,
        depth: u32,
    ) -> Result<Option<String>, String> {
        let head = &bytes[..bytes.len().min(8192)];
        let kind = sniff(head);
        match kind {
            FileKind::Empty => return Ok(Some("empty".into())),
            // Text files an extractor claims by name or content (CSV as a table, mail,
            // note and vault exports) go to it; the rest to the text detectors.
            FileKind::Text
                if !self
                    .shared
                    .scanner
                    .extractors
                    .iter()
                    .any(|e| e.accepts_text(name, head)) =>
            {
                self.read_text(bytes, name, &origin, TextHint::from_name(name));
                return Ok(None);
            }
            _ => {}
        }
        let scanner = self.shared.scanner;
        let chosen = |e: &dyn Extractor| match kind {
            FileKind::Text => e.accepts_text(name, head),
            _ => e.accepts(kind),
        };
        let Some(extractor) = scanner.extractors.iter().find(|e| chosen(e.as_ref())) else {
            return Ok(Some(match kind {
                FileKind::Binary => "binary".to_string(),
                other => format!("unsupported format ({}): not scanned", other.as_str()),
            }));
        };
        let shared = self.shared;
        let limits = &shared.opts.limits;
        let input = ExtractInput {
            bytes,
            name,
            kind,
            depth,
            limits,
        };
        // Parts are read as they are emitted (an archive's members one at a time, so
        // memory holds one member, not the archive). Parts emitted before an error are
        // still read: a truncated archive keeps the members that came out whole.
        let res = extractor.extract(&input, &mut |p| self.read_part(p, name, &origin, depth));
        match res {
            Ok(()) => Ok(None),
            Err(crate::ingest::ExtractError::Encrypted { format }) => {
                self.notices.push(FileIssue {
                    path: display(&self.file.rel, &origin),
                    reason: format!("encrypted {format}, not scanned"),
                });
                Ok(None)
            }
            Err(e) if depth == 0 => Err(e.to_string()),
            Err(e) => {
                self.notices.push(FileIssue {
                    path: display(&self.file.rel, &origin),
                    reason: e.to_string(),
                });
                Ok(None)
            }
        }
    }

    fn read_part(&mut self, part: Part, name: &str, parent: &Origin, depth: u32) {
        match part {
            Part::Text {
                origin,
                text,
                first_line,
                hint,
            } => {
                let origin = merge_origin(parent, origin);
                self.detect_text(&text, name, &origin, first_line, hint);
            }
            Part::Table { origin, table } => {
                let origin = merge_origin(parent, origin);
                let engine = &self.shared.scanner.engine;
                let prose = |cell: &str| {
                    let lines = LineIndex::new(cell);
                    engine.detect_text(&TextInput {
                        text: cell,
                        lines: &lines,
                        name,
                        hint: TextHint::Prose,
                    })
                };
                let raws = engine.table.detect(&table, &origin, &prose);
                for raw in raws {
                    self.push(raw, &origin, None);
                }
            }
            Part::Member {
                name: member,
                bytes,
                hidden,
            } => {
                let limits = &self.shared.opts.limits;
                let mut origin = parent.clone();
                origin.member = Some(match &parent.member {
                    Some(m) => format!("{m}!{member}"),
                    None => member.clone(),
                });
                origin.hidden |= hidden;
                let member_name = format!(
                    "{}!{}",
                    self.file.rel,
                    origin.member.as_deref().unwrap_or("")
                );
                if depth + 1 > limits.max_archive_depth {
                    self.notices.push(FileIssue {
                        path: member_name,
                        reason: format!(
                            "refused: nested deeper than {} levels",
                            limits.max_archive_depth
                        ),
                    });
                    return;
                }
                match self.read(&bytes, &member_name, origin.clone(), depth + 1) {
                    Ok(Some(reason))
                        if !reason.starts_with("binary") && !reason.starts_with("empty") =>
                    {
                        self.notices.push(FileIssue {
                            path: member_name,
                            reason,
                        })
                    }
                    Ok(_) => {}
                    Err(reason) => self.notices.push(FileIssue {
                        path: member_name,
                        reason,
                    }),
                }
            }
            Part::Notice { origin, message } => {
                let origin = merge_origin(parent, origin);
                self.notices.push(FileIssue {
                    path: display(&self.file.rel, &origin),
                    reason: message,
                });
            }
            Part::Finding { origin, finding } => {
                let origin = merge_origin(parent, origin);
                self.push(*finding, &origin, None);
            }
        }
    }

    fn read_text(&mut self, bytes: &[u8], name: &str, origin: &Origin, hint: TextHint) {
        let (text, _enc) = decode(bytes);
        self.detect_text(&text, name, origin, 1, hint);
    }

    fn detect_text(
        &mut self,
        text: &str,
        name: &str,
        origin: &Origin,
        first_line: u32,
        hint: TextHint,
    ) {
        let lines = LineIndex::new(text);
        let input = TextInput {
            text,
            lines: &lines,
            name,
            hint,
        };
        let raws = self.shared.scanner.engine.detect_text(&input);
        if raws.is_empty() {
            return;
        }
        let spans: Vec<std::ops::Range<usize>> =
            raws.iter().filter_map(|r| r.span.clone()).collect();
        for raw in raws {
            let text_ctx = finalize::TextCtx {
                text,
                lines: &lines,
                first_line,
                all_spans: &spans,
            };
            self.push(raw, origin, Some(&text_ctx));
        }
    }

    fn push(&mut self, mut raw: RawFinding, origin: &Origin, text: Option<&finalize::TextCtx<'_>>) {
        if raw.confidence < self.shared.opts.min_confidence {
            return;
        }
        let knowledge: &Knowledge = &self.shared.scanner.engine.knowledge;
        knowledge.judge(
            &mut raw,
            &FileFacts {
                name: &self.file.rel,
                mtime: self.file.mtime,
            },
        );
        if origin.hidden && !raw.flags.contains(&Flag::Hidden) {
            raw.flags.push(Flag::Hidden);
        }
        let f = finalize::to_finding(raw, origin, text, &self.shared.scanner.key);
        self.findings.push(f);
    }
}

fn merge_origin(parent: &Origin, child: Origin) -> Origin {
    Origin {
        member: child.member.or_else(|| parent.member.clone()),
        sheet: child.sheet.or_else(|| parent.sheet.clone()),
        label: child.label.or_else(|| parent.label.clone()),
        hidden: parent.hidden || child.hidden,
    }
}

fn display(rel: &str, origin: &Origin) -> String {
    match &origin.member {
        Some(m) => format!("{rel}!{m}"),
        None => rel.to_string(),
    }
}
