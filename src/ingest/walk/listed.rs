//! The walker for links not followed: several threads share the folders of a root, and
//! a folder whose stamp is unchanged since an earlier walk is taken from its kept
//! listing instead of being read (see [`super::listing`]). Every entry, listed or
//! kept, goes through the same [`Place::decide`] as walkdir's, so both walkers give
//! the same events; a test holds them to it.

use super::listing::{DirListing, EntryKind, KeptListings, Listings};
use super::stat::{EntryStat, RootHandle};
use super::{Place, Visit, WalkEvent, io_reason, relative};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

/// A folder waiting to be walked.
struct Job {
    path: PathBuf,
    rel: String,
    /// Its metadata when already known (the root's, links followed).
    meta: Option<EntryStat>,
}

/// What one walker thread learnt: listings read afresh and kept ones used (by
/// [`KeptDir::at`](super::listing::KeptDir::at): no copy of the path per folder).
#[derive(Default)]
struct Learnt {
    fresh: Vec<(String, DirListing)>,
    reused: Vec<u32>,
}

/// Folders not yet walked, and how many are being walked (more may come from those).
struct Queue {
    state: Mutex<QueueState>,
    more: Condvar,
}

struct QueueState {
    jobs: Vec<Job>,
    active: usize,
    /// A walker panicked: the others stop instead of waiting for its folders.
    aborted: bool,
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        // No walker panics while holding the lock; a poisoned one is still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next folder, or `None` when every folder is done (or a walker panicked).
    fn take(&self) -> Option<Job> {
        let mut state = self.lock();
        loop {
            if state.aborted {
                return None;
            }
            if let Some(job) = state.jobs.pop() {
                state.active += 1;
                return Some(job);
            }
            if state.active == 0 {
                return None;
            }
            state = self.more.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// One folder done, with the subfolders it found.
    fn done(&self, found: Vec<Job>) {
        let mut state = self.lock();
        state.active -= 1;
        let wake = !found.is_empty() || state.active == 0;
        state.jobs.extend(found);
        drop(state);
        if wake {
            self.more.notify_all();
        }
    }
}

/// Held by a walker while it walks: if it unwinds, the others are told to stop, so the
/// panic reaches the caller instead of leaving them waiting for its folders forever.
struct AbortOnPanic<'q>(&'q Queue);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().aborted = true;
            self.0.more.notify_all();
        }
    }
}

/// Walks one root with `threads` walkers. Returns the root's listings when they differ
/// from `previous` (`None` when they do not, or the root is not a folder).
pub(super) fn walk_root(
    place: &Place<'_>,
    threads: usize,
    previous: Option<&KeptListings>,
    started_ns: i64,
    sink: &(impl Fn(WalkEvent) + Sync),
) -> Option<Listings> {
    let root = place.root;
    // The root's own link is followed, as walkdir's `follow_root_links` does.
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            sink(WalkEvent::Error {
                path: relative(&place.base, root),
                reason: io_reason(&e),
            });
            return None;
        }
    };
    let kind = EntryKind::of(&meta.file_type());
    let rel = relative(&place.base, root);
    let mut sink_ref = sink;
    let meta = EntryStat::of(&meta);
    if kind != EntryKind::Dir {
        place.decide(root.into(), rel, kind, true, &mut sink_ref, |_| Ok(meta));
        return None;
    }
    let handle = RootHandle::open(root);
    let queue = Queue {
        state: Mutex::new(QueueState {
            jobs: vec![Job {
                path: root.clone(),
                rel: String::new(),
                meta: Some(meta),
            }],
            active: 0,
            aborted: false,
        }),
        more: Condvar::new(),
    };
    let walker = || {
        let _guard = AbortOnPanic(&queue);
        let mut learnt = Learnt::default();
        while let Some(job) = queue.take() {
            let found = walk_folder(place, &handle, job, previous, started_ns, &mut learnt, sink);
            queue.done(found);
        }
        learnt
    };
    let learnt: Vec<Learnt> = if threads <= 1 {
        vec![walker()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(walker)).collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a walker thread does not panic"))
                .collect()
        })
    };
    merge(learnt, previous)
}

/// The root's listings after the walk: the fresh ones and the kept ones still valid;
/// `None` when nothing was read afresh and every kept folder was met again (each is
/// met at most once, so the counts decide).
fn merge(learnt: Vec<Learnt>, previous: Option<&KeptListings>) -> Option<Listings> {
    let reused: usize = learnt.iter().map(|l| l.reused.len()).sum();
    let fresh: usize = learnt.iter().map(|l| l.fresh.len()).sum();
    if fresh == 0 && reused == previous.map_or(0, |p| p.len()) {
        return None;
    }
    let mut out = Listings::default();
    for l in learnt {
        out.dirs.extend(l.fresh);
        if let Some(prev) = previous {
            for at in l.reused {
                if let Some((rel, listing)) = prev.at(at) {
                    out.dirs.insert(rel.to_string(), listing.to_listing());
                }
            }
        }
    }
    Some(out)
}

/// Lists one folder (or takes its kept listing), visits each entry and returns the
/// subfolders to walk.
fn walk_folder(
    place: &Place<'_>,
    handle: &RootHandle,
    job: Job,
    previous: Option<&KeptListings>,
    started_ns: i64,
    learnt: &mut Learnt,
    sink: &(impl Fn(WalkEvent) + Sync),
) -> Vec<Job> {
    let mut sink_ref = sink;
    let meta = match job.meta {
        Some(m) => Ok(m),
        None => handle.stat(&job.path),
    };
    let stamp = meta.ok().and_then(|m| m.stamp);
    let kept = previous
        .and_then(|p| p.get(&job.rel))
        .filter(|l| stamp == Some(l.stamp));
    let mut partial = false;
    let fresh = if let Some(listing) = kept {
        learnt.reused.push(listing.at);
        None
    } else {
        // The root's own errors carry its name, as walkdir reports them.
        let shown = if job.rel.is_empty() {
            relative(&place.base, &job.path)
        } else {
            job.rel.clone()
        };
        let Some(listing) = read_folder(&job.path, &shown, sink, &mut partial) else {
            return Vec::new();
        };
        Some(listing)
    };
    let mut found = Vec::new();
    let mut visit = |name: &OsStr, kind: EntryKind| {
        let path = job.path.join(name);
        let rel = child_rel(&job.rel, name);
        let stat = |path: &std::path::Path| handle.stat(path).map_err(|e| io_reason(&e));
        if kind != EntryKind::Dir {
            // The file's event takes the joined path as it is.
            place.decide(path.into(), rel, kind, false, &mut sink_ref, stat);
        } else if place.decide(
            (&path).into(),
            rel.clone(),
            kind,
            false,
            &mut sink_ref,
            stat,
        ) == Visit::Descend
        {
            found.push(Job {
                path,
                rel,
                meta: None,
            });
        }
    };
    match (kept, &fresh) {
        (Some(listing), _) => listing
            .entries()
            .for_each(|(name, kind)| visit(&name, kind)),
        (None, Some(entries)) => entries.iter().for_each(|(name, kind)| visit(name, *kind)),
        (None, None) => {}
    }
    if let Some(entries) = fresh
        && let Some(stamp) = stamp
        && stamp.settled_before(started_ns)
        && !partial
    {
        learnt.fresh.push((job.rel, DirListing { stamp, entries }));
    }
    found
}

/// A folder's entries sorted by name (walkdir's order), or `None` when it cannot be
/// opened (reported). An entry that cannot be read is reported and leaves the listing
/// partial, so it is not kept.
fn read_folder(
    path: &std::path::Path,
    shown: &str,
    sink: &impl Fn(WalkEvent),
    partial: &mut bool,
) -> Option<Vec<(OsString, EntryKind)>> {
    let dir = match std::fs::read_dir(path) {
        Ok(d) => d,
        Err(e) => {
            sink(WalkEvent::Error {
                path: shown.to_string(),
                reason: io_reason(&e),
            });
            return None;
        }
    };
    let mut entries = Vec::new();
    for entry in dir {
        let typed = entry.and_then(|e| e.file_type().map(|ft| (e.file_name(), ft)));
        match typed {
            Ok((name, ft)) => entries.push((name, EntryKind::of(&ft))),
            Err(e) => {
                *partial = true;
                sink(WalkEvent::Error {
                    path: shown.to_string(),
                    reason: io_reason(&e),
                });
            }
        }
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Some(entries)
}

/// `rel/name` as [`relative`] spells it (lossy UTF-8, `/` separators).
fn child_rel(parent: &str, name: &OsStr) -> String {
    let name = name.to_string_lossy();
    let mut rel = String::with_capacity(parent.len() + 1 + name.len());
    if !parent.is_empty() {
        rel.push_str(parent);
        rel.push('/');
    }
    rel.push_str(&name);
    if rel.contains('\\') {
        rel = rel.replace('\\', "/");
    }
    rel
}
