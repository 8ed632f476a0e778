//! Walking the sources: several roots, include/exclude globs, hidden files included
//! (`.env`, `.pgpass`, `.netrc`, `.git-credentials` are hidden), symlinks not followed
//! unless asked and loop-safe when they are, special files (FIFOs, devices, sockets)
//! skipped without ever being opened. Every problem is an event, never an abort.

mod listed;
pub mod listing;
pub mod stat;

use globset::{Glob, GlobSet, GlobSetBuilder};
use listing::{EntryKind, ListingCache};
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
    /// Shared by every file of the root (a re-scan makes one per file of the tree).
    pub root: std::sync::Arc<Path>,
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
        let mut it = place.walker().into_iter();
        while let Some(entry) = it.next() {
            if place.visit(entry, &mut sink) == Visit::SkipDir {
                it.skip_current_dir();
            }
        }
    }
    Ok(())
}

/// Walks like [`walk`] (the same events, in no fixed order) with `threads` walkers
/// sharing the folders: the listing and stat of a large tree is the floor of an
/// unchanged re-scan, and one thread waits on the file system most of the time.
///
/// With a `cache`, a folder whose stamp has not changed since an earlier walk is not
/// listed again (see [`listing`]), and each root's listings are handed back to it.
/// Followed symlinks take [`walk`] (walkdir): its loop detection needs every ancestor
/// in one walk, and a listing says nothing about where a link leads.
pub fn walk_parallel(
    roots: &[PathBuf],
    opts: &WalkOptions,
    threads: usize,
    cache: Option<&dyn ListingCache>,
    sink: impl Fn(WalkEvent) + Sync,
) -> Result<(), WalkError> {
    walk_parallel_at(roots, opts, threads, cache, listing::now_ns(), sink)
}

/// [`walk_parallel`] as if it started at `started_ns`: tests walk "later" to see kept
/// listings used, as a folder's change time cannot be set back.
fn walk_parallel_at(
    roots: &[PathBuf],
    opts: &WalkOptions,
    threads: usize,
    cache: Option<&dyn ListingCache>,
    started_ns: i64,
    sink: impl Fn(WalkEvent) + Sync,
) -> Result<(), WalkError> {
    if opts.follow_symlinks {
        return walk(roots, opts, sink);
    }
    let filters = Filters::new(opts)?;
    for root in roots {
        let place = Place::of(root, opts, &filters);
        let previous = cache.and_then(|c| c.listings(root));
        let walked = listed::walk_root(
            &place,
            threads.max(1),
            previous.as_deref(),
            started_ns,
            &sink,
        );
        if let (Some(cache), Some(listings)) = (cache, walked) {
            cache.keep(root, listings);
        }
    }
    Ok(())
}

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
    /// The root as each of its files carries it.
    shared_root: std::sync::Arc<Path>,
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
            shared_root: std::sync::Arc::from(root.as_path()),
            base,
            opts,
            filters,
        }
    }

    /// walkdir from the root, sorted by name; only the root's own link is followed
    /// unless links are followed everywhere.
    fn walker(&self) -> walkdir::WalkDir {
        walkdir::WalkDir::new(self.root)
            .follow_links(self.opts.follow_symlinks)
            .follow_root_links(true)
            .sort_by_file_name()
    }

    /// Turns one entry walked by walkdir into its event, if any.
    fn visit(
        &self,
        entry: walkdir::Result<walkdir::DirEntry>,
        sink: &mut impl FnMut(WalkEvent),
    ) -> Visit {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative(&self.base, p))
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
        let rel = relative(&self.base, entry.path());
        let is_root = entry.path() == self.root.as_path();
        let kind = EntryKind::of(&entry.file_type());
        self.decide(entry.path().into(), rel, kind, is_root, sink, |_| {
            entry
                .metadata()
                .map(|m| stat::EntryStat::of(&m))
                .map_err(|err| {
                    err.io_error()
                        .map(io_reason)
                        .unwrap_or_else(|| err.to_string())
                })
        })
    }

    /// What to do with one entry, whichever walker met it: its event, if any, and
    /// whether to walk into it. `meta` (asked only of files, with the entry's path)
    /// gives size and mtime. A file's event takes `path` as it is when it is owned.
    fn decide(
        &self,
        path: std::borrow::Cow<'_, Path>,
        rel: String,
        kind: EntryKind,
        is_root: bool,
        sink: &mut impl FnMut(WalkEvent),
        meta: impl FnOnce(&Path) -> Result<stat::EntryStat, String>,
    ) -> Visit {
        if kind == EntryKind::Dir {
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
        if kind != EntryKind::File {
            // A symlink is only met here when links are not followed.
            sink(WalkEvent::Skipped {
                path: rel,
                reason: skip_reason(kind).into(),
            });
            return Visit::Descend;
        }
        let meta = match meta(&path) {
            Ok(m) => m,
            Err(reason) => {
                sink(WalkEvent::Error { path: rel, reason });
                return Visit::Descend;
            }
        };
        if meta.len > self.opts.max_file_size {
            sink(WalkEvent::Skipped {
                path: rel,
                reason: format!(
                    "too large: {} bytes > --max-size {} bytes",
                    meta.len, self.opts.max_file_size
                ),
            });
            return Visit::Descend;
        }
        sink(WalkEvent::File(SourceFile {
            root: self.shared_root.clone(),
            path: path.into_owned(),
            rel,
            size: meta.len,
            mtime: meta.modified,
        }));
        Visit::Descend
    }
}

/// Why an entry that is neither a file nor a folder is not scanned.
fn skip_reason(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Symlink => "symlink not followed (use --follow-symlinks)",
        EntryKind::Fifo => "special file (FIFO): not opened",
        EntryKind::Socket => "special file (socket): not opened",
        EntryKind::Device => "special file (device): not opened",
        EntryKind::File | EntryKind::Dir | EntryKind::Other => "special file: not opened",
    }
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
mod tests;
