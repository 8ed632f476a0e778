//! Walking the sources: several roots, include/exclude globs, hidden files included
//! (`.env`, `.pgpass`, `.netrc`, `.git-credentials` are hidden), symlinks not followed
//! unless asked and loop-safe when they are, special files (FIFOs, devices, sockets)
//! skipped without ever being opened. Every problem is an event, never an abort.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub follow_symlinks: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_symlinks: false,
            include: vec![],
            exclude: vec![],
            max_file_size: 256 * 1024 * 1024,
        }
    }
}

/// A regular file to scan.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub root: PathBuf,
    pub path: PathBuf,
    /// Root-relative with `/` separators (lossy for names that are not UTF-8).
    pub rel: String,
    pub size: u64,
    pub mtime: Option<SystemTime>,
}

#[derive(Debug)]
pub enum WalkEvent {
    File(SourceFile),
    /// Not scanned on purpose (special file, too large, excluded symlink).
    Skipped {
        path: String,
        reason: String,
    },
    /// Could not be read (permissions, loop, vanished).
    Error {
        path: String,
        reason: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("invalid glob '{glob}': {source}")]
    BadGlob {
        glob: String,
        source: globset::Error,
    },
}

fn build_set(globs: &[String]) -> Result<Option<GlobSet>, WalkError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A bare name like `*.log` should match at any depth, as users expect.
        let pattern = if g.contains('/') {
            g.clone()
        } else {
            format!("**/{g}")
        };
        b.add(Glob::new(&pattern).map_err(|source| WalkError::BadGlob {
            glob: g.clone(),
            source,
        })?);
    }
    Ok(Some(b.build().map_err(|source| WalkError::BadGlob {
        glob: globs.join(","),
        source,
    })?))
}

/// Root-relative display path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

/// Walks every root in turn, calling `sink` for each event. Returns early only on a
/// bad glob (a usage error); everything else is reported through events.
pub fn walk(
    roots: &[PathBuf],
    opts: &WalkOptions,
    mut sink: impl FnMut(WalkEvent),
) -> Result<(), WalkError> {
    let filters = Filters::new(opts)?;
    for root in roots {
        let place = Place::of(root, opts, &filters);
        let mut it = place.walker(root, true).into_iter();
        while let Some(entry) = it.next() {
            if place.visit(entry, &mut sink) == Visit::SkipDir {
                it.skip_current_dir();
            }
        }
    }
    Ok(())
}

/// Walks like [`walk`] (the same events), with `threads` walkers over the
/// subdirectories of each root: the listing and stat of a large tree is the floor of
/// an unchanged re-scan, and one thread waits on the file system most of the time.
/// Events arrive from several threads in no fixed order. Followed symlinks keep the
/// single walker: its loop detection needs every ancestor in one walk.
pub fn walk_parallel(
    roots: &[PathBuf],
    opts: &WalkOptions,
    threads: usize,
    sink: impl Fn(WalkEvent) + Sync,
) -> Result<(), WalkError> {
    if threads <= 1 || opts.follow_symlinks {
        return walk(roots, opts, sink);
    }
    let filters = Filters::new(opts)?;
    for root in roots {
        let place = Place::of(root, opts, &filters);
        let mut sink_ref = &sink;
        // Breadth first, one directory level at a time, until there are enough
        // subtrees to share out; the entries met on the way are visited here.
        let mut queue = std::collections::VecDeque::from([(root.clone(), true)]);
        let mut subtrees: Vec<PathBuf> = Vec::new();
        while let Some((dir, is_root)) = queue.pop_front() {
            if subtrees.len() + queue.len() + 1 >= threads * SUBTREES_PER_THREAD {
                subtrees.push(dir);
                continue;
            }
            for entry in place.walker(&dir, is_root).max_depth(1) {
                // The directory itself was visited by its parent's listing (or is
                // the root, visited here).
                if let Ok(e) = &entry
                    && e.depth() == 0
                    && !is_root
                {
                    continue;
                }
                let descend = entry
                    .as_ref()
                    .is_ok_and(|e| e.depth() > 0 && e.file_type().is_dir());
                let path = entry.as_ref().ok().map(|e| e.path().to_path_buf());
                if place.visit(entry, &mut sink_ref) == Visit::Descend
                    && descend
                    && let Some(path) = path
                {
                    queue.push_back((path, false));
                }
            }
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    let mut sink_ref = &sink;
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(dir) = subtrees.get(i) else { break };
                        let mut it = place.walker(dir, false).into_iter();
                        while let Some(entry) = it.next() {
                            if let Ok(e) = &entry
                                && e.depth() == 0
                            {
                                continue; // visited by the listing that found it
                            }
                            if place.visit(entry, &mut sink_ref) == Visit::SkipDir {
                                it.skip_current_dir();
                            }
                        }
                    }
                });
            }
        });
    }
    Ok(())
}

/// Subtrees handed out per walker thread: enough that one deep subtree does not leave
/// the other threads idle for long.
const SUBTREES_PER_THREAD: usize = 16;

/// The include and exclude globs of a walk.
struct Filters {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filters {
    fn new(opts: &WalkOptions) -> Result<Filters, WalkError> {
        Ok(Filters {
            include: build_set(&opts.include)?,
            exclude: build_set(&opts.exclude)?,
        })
    }
}

/// One root being walked: what relative paths are relative to, and the rules.
struct Place<'a> {
    root: &'a PathBuf,
    /// Relative paths start here: the root, or its folder when the root is a file.
    base: PathBuf,
    opts: &'a WalkOptions,
    filters: &'a Filters,
}

#[derive(PartialEq, Eq)]
enum Visit {
    /// A directory to walk into (or an entry that is not a directory).
    Descend,
    /// An excluded directory: nothing under it is walked.
    SkipDir,
}

impl<'a> Place<'a> {
    fn of(root: &'a PathBuf, opts: &'a WalkOptions, filters: &'a Filters) -> Place<'a> {
        // A root given as a file is scanned as itself.
        let root_is_file = std::fs::metadata(root)
            .map(|m| m.is_file())
            .unwrap_or(false);
        let base = if root_is_file {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            root.clone()
        };
        Place {
            root,
            base,
            opts,
            filters,
        }
    }

    /// A walker from `dir`, sorted by name; only the root's own link is followed
    /// unless links are followed everywhere.
    fn walker(&self, dir: &Path, is_root: bool) -> walkdir::WalkDir {
        walkdir::WalkDir::new(dir)
            .follow_links(self.opts.follow_symlinks)
            .follow_root_links(is_root)
            .sort_by_file_name()
    }

    /// Turns one walked entry into its event, if any.
    fn visit(
        &self,
        entry: walkdir::Result<walkdir::DirEntry>,
        sink: &mut impl FnMut(WalkEvent),
    ) -> Visit {
        let (base, opts) = (&self.base, self.opts);
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative(base, p))
                    .unwrap_or_else(|| self.root.display().to_string());
                let reason = if err.loop_ancestor().is_some() {
                    "symlink loop: not followed again".to_string()
                } else if let Some(io) = err.io_error() {
                    io_reason(io)
                } else {
                    err.to_string()
                };
                sink(WalkEvent::Error { path, reason });
                return Visit::Descend;
            }
        };
        let rel = relative(base, entry.path());
        let ft = entry.file_type();
        let is_root = entry.path() == self.root.as_path();
        if ft.is_dir() {
            if !is_root
                && let Some(ex) = &self.filters.exclude
                && (ex.is_match(&rel) || ex.is_match(format!("{rel}/")))
            {
                return Visit::SkipDir;
            }
            return Visit::Descend;
        }
        if let Some(ex) = &self.filters.exclude
            && ex.is_match(&rel)
        {
            return Visit::Descend;
        }
        if let Some(inc) = &self.filters.include
            && !inc.is_match(&rel)
        {
            return Visit::Descend;
        }
        if ft.is_symlink() {
            // Only reached when links are not followed.
            sink(WalkEvent::Skipped {
                path: rel,
                reason: "symlink not followed (use --follow-symlinks)".into(),
            });
            return Visit::Descend;
        }
        if !ft.is_file() {
            sink(WalkEvent::Skipped {
                path: rel,
                reason: special_kind(&ft).into(),
            });
            return Visit::Descend;
        }
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(err) => {
                sink(WalkEvent::Error {
                    path: rel,
                    reason: err
                        .io_error()
                        .map(io_reason)
                        .unwrap_or_else(|| err.to_string()),
                });
                return Visit::Descend;
            }
        };
        if meta.len() > opts.max_file_size {
            sink(WalkEvent::Skipped {
                path: rel,
                reason: format!(
                    "too large: {} bytes > --max-size {} bytes",
                    meta.len(),
                    opts.max_file_size
                ),
            });
            return Visit::Descend;
        }
        sink(WalkEvent::File(SourceFile {
            root: self.root.clone(),
            path: entry.path().to_path_buf(),
            rel,
            size: meta.len(),
            mtime: meta.modified().ok(),
        }));
        Visit::Descend
    }
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "special file (FIFO): not opened"
    } else if ft.is_socket() {
        "special file (socket): not opened"
    } else if ft.is_block_device() || ft.is_char_device() {
        "special file (device): not opened"
    } else {
        "special file: not opened"
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> &'static str {
    "special file: not opened"
}

/// A short, stable reason for an I/O error (no OS-specific prose where avoidable).
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        PermissionDenied => "permission denied".into(),
        NotFound => "vanished during the scan (not found)".into(),
        _ => format!("I/O error: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(root: &Path, opts: &WalkOptions) -> Vec<String> {
        let mut out = vec![];
        walk(&[root.to_path_buf()], opts, |e| match e {
            WalkEvent::File(f) => out.push(format!("file {}", f.rel)),
            WalkEvent::Skipped { path, reason } => out.push(format!("skip {path}: {reason}")),
            WalkEvent::Error { path, reason } => out.push(format!("error {path}: {reason}")),
        })
        .unwrap();
        out
    }

    #[test]
    fn hidden_files_are_walked_and_globs_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home/jdoe")).unwrap();
        std::fs::write(dir.path().join("home/jdoe/.pgpass"), "x").unwrap();
        std::fs::write(dir.path().join("home/jdoe/app.log"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("node_modules/x")).unwrap();
        std::fs::write(dir.path().join("node_modules/x/a.js"), "x").unwrap();
        let opts = WalkOptions {
            exclude: vec!["*.log".into(), "node_modules".into()],
            ..Default::default()
        };
        assert_eq!(collect(dir.path(), &opts), vec!["file home/jdoe/.pgpass"]);
        let opts = WalkOptions {
            include: vec!["*.log".into()],
            ..Default::default()
        };
        assert_eq!(
            collect(dir.path(), &opts),
            vec!["file home/jdoe/app.log", "file node_modules/x/a.js"]
                .into_iter()
                .filter(|s| s.ends_with(".log"))
                .collect::<Vec<_>>()
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_fifos_are_events_not_failures() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("a")).unwrap();
        std::fs::write(d.join("a/f.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("a"), d.join("a/loop")).unwrap();
        let fifo = d.join("pipe");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        let not_followed = collect(d, &WalkOptions::default());
        assert!(not_followed.contains(&"file a/f.txt".to_string()));
        assert!(
            not_followed
                .iter()
                .any(|l| l.starts_with("skip a/loop: symlink"))
        );
        if status.map(|s| s.success()).unwrap_or(false) {
            assert!(
                not_followed
                    .iter()
                    .any(|l| l.starts_with("skip pipe: special file (FIFO)"))
            );
        }
        let followed = collect(
            d,
            &WalkOptions {
                follow_symlinks: true,
                ..Default::default()
            },
        );
        assert!(
            followed
                .iter()
                .any(|l| l.starts_with("error a/loop") && l.contains("loop"))
        );
    }

    /// Several walkers give the events of one walker (in another order): a tree wide
    /// and deep enough to be split, with excluded folders, an include glob, a symlink
    /// and a file that is too large.
    #[test]
    fn parallel_walkers_report_what_one_walker_reports() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..40 {
            for j in 0..3 {
                let sub = d.join(format!("site{i:02}/area{j}/cab"));
                std::fs::create_dir_all(&sub).unwrap();
                std::fs::write(sub.join("notes.txt"), "x").unwrap();
                std::fs::write(sub.join("app.log"), "x").unwrap();
                std::fs::write(d.join(format!("site{i:02}/area{j}/big.bin")), [0u8; 64]).unwrap();
            }
            std::fs::create_dir_all(d.join(format!("site{i:02}/node_modules/x"))).unwrap();
            std::fs::write(d.join(format!("site{i:02}/node_modules/x/a.js")), "x").unwrap();
        }
        std::fs::write(d.join("top.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("site01"), d.join("site00/link")).unwrap();
        let sorted_events = |opts: &WalkOptions, threads: usize| {
            let out = std::sync::Mutex::new(Vec::new());
            walk_parallel(&[d.to_path_buf()], opts, threads, |e| {
                out.lock().unwrap().push(match e {
                    WalkEvent::File(f) => format!("file {} {}", f.rel, f.size),
                    WalkEvent::Skipped { path, reason } => format!("skip {path}: {reason}"),
                    WalkEvent::Error { path, reason } => format!("error {path}: {reason}"),
                })
            })
            .unwrap();
            let mut v = out.into_inner().unwrap();
            v.sort();
            v
        };
        for opts in [
            WalkOptions {
                exclude: vec!["node_modules".into(), "*.log".into()],
                max_file_size: 10,
                ..Default::default()
            },
            WalkOptions {
                include: vec!["*.log".into()],
                ..Default::default()
            },
        ] {
            let one = sorted_events(&opts, 1);
            assert!(one.len() > 100, "{}", one.len());
            assert_eq!(sorted_events(&opts, 2), one);
            assert_eq!(sorted_events(&opts, 5), one);
        }
    }

    #[test]
    fn too_large_files_are_skipped_with_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.txt"), vec![b'a'; 100]).unwrap();
        let opts = WalkOptions {
            max_file_size: 10,
            ..Default::default()
        };
        let got = collect(dir.path(), &opts);
        assert!(got[0].starts_with("skip big.txt: too large: 100 bytes"));
    }
}
