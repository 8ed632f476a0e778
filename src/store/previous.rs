//! What the last scans of an engagement recorded, loaded for a re-scan: each file's
//! latest good version (to skip it when unchanged) and that version's findings.

use super::schema::ROWS_OF;
use super::{Result, StoreError};
use crate::finding::Finding;
use rusqlite::Connection;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// A file's latest good record in the engagement.
#[derive(Debug)]
pub(super) struct Prev {
    pub(super) scan_id: i64,
    pub(super) file_id: i64,
    pub(super) size: u64,
    pub(super) mtime_ns: Option<i64>,
    pub(super) hash: Option<String>,
    pub(super) racy: bool,
    /// The version has findings (they are loaded with the records).
    pub(super) has_findings: bool,
    /// Offered for reuse in the scan being run: a mark on the record itself, as the
    /// walkers settle files side by side and a shared list would be a lock per file.
    pub(super) offered: std::sync::atomic::AtomicBool,
}

/// Hash maps keyed by paths and ids read from the tree: foldhash is several times
/// faster than SipHash on short keys and is seeded per process, so crafted file names
/// cannot be made to collide.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// Latest good records by root-relative path, for one root. The paths live in one
/// arena and the table holds where each starts: 20,000 records are two allocations
/// to make and to free, where a `String` per path made the load and the drop at the
/// scan's end a measurable part of an unchanged re-scan.
pub(super) struct PrevByPath {
    arena: String,
    /// (start of the path in `arena`, its length, the record).
    table: hashbrown::HashTable<(u32, u32, Prev)>,
    hasher: foldhash::fast::RandomState,
}

impl PrevByPath {
    fn with_capacity(records: usize) -> PrevByPath {
        PrevByPath {
            // Paths of a tree are some tens of bytes.
            arena: String::with_capacity(records.saturating_mul(40)),
            table: hashbrown::HashTable::with_capacity(records),
            hasher: Default::default(),
        }
    }

    fn path(&self, (start, len, _): &(u32, u32, Prev)) -> &str {
        &self.arena[*start as usize..(*start + *len) as usize]
    }

    pub(super) fn get(&self, path: &str) -> Option<&Prev> {
        let hash = self.hasher.hash_one(path);
        self.table
            .find(hash, |e| self.path(e) == path)
            .map(|(_, _, prev)| prev)
    }

    /// Keeps `make()` as the record of `path` unless it has one: the first record
    /// of a path wins. `false` when it had one; `make` is not called then.
    fn insert_first(&mut self, path: &str, make: impl FnOnce() -> Prev) -> bool {
        let hash = self.hasher.hash_one(path);
        if self.table.find(hash, |e| self.path(e) == path).is_some() {
            return false;
        }
        let (Ok(start), Ok(len)) = (u32::try_from(self.arena.len()), u32::try_from(path.len()))
        else {
            // Past 4 GiB of paths: the rest are simply read again.
            return false;
        };
        if start.checked_add(len).is_none() {
            return false;
        }
        let prev = make();
        self.arena.push_str(path);
        let (arena, hasher) = (&self.arena, &self.hasher);
        self.table
            .insert_unique(hash, (start, len, prev), |(s, l, _)| {
                hasher.hash_one(&arena[*s as usize..(*s + *l) as usize])
            });
        true
    }
}
/// Latest good records by root, then by path. Roots are few (the scan's own): they are
/// found by comparing strings, not hashed, as every walked file and every loaded row
/// asks for one; the path is one hashed lookup by `&str`, so checking a walked file
/// allocates nothing.
#[derive(Default)]
pub(super) struct PrevFiles(Vec<(String, PrevByPath)>);

impl PrevFiles {
    /// The record of `path` under `root`. Roots are stored as `display()` spells
    /// them: the bytes of a UTF-8 root compare as they are, and only a root that is
    /// not UTF-8 is spelt again, lossily, to compare.
    pub(super) fn get(&self, root: &std::path::Path, path: &str) -> Option<&Prev> {
        let bytes = root.as_os_str().as_encoded_bytes();
        let found = self.0.iter().find(|(r, _)| r.as_bytes() == bytes);
        let (_, by_path) = match found {
            Some(f) => f,
            // A UTF-8 root is stored as it is: not found means no records.
            None if root.to_str().is_some() => return None,
            None => {
                let shown = root.display().to_string();
                self.0.iter().find(|(r, _)| *r == shown)?
            }
        };
        by_path.get(path)
    }

    /// The records offered for reuse in the scan being run, and not already in it.
    pub(super) fn offered_outside(&self, scan_id: i64) -> Vec<i64> {
        use std::sync::atomic::Ordering;
        self.records()
            .filter(|p| p.scan_id != scan_id && p.offered.load(Ordering::Relaxed))
            .map(|p| p.file_id)
            .collect()
    }

    /// How many records, all roots together.
    pub(super) fn len(&self) -> usize {
        self.0.iter().map(|(_, by_path)| by_path.table.len()).sum()
    }

    /// Each root with its records (path and record), in no particular order.
    pub(super) fn roots(
        &self,
    ) -> impl Iterator<Item = (&str, impl Iterator<Item = (&str, &Prev)>)> {
        self.0.iter().map(|(root, by_path)| {
            let records = by_path.table.iter().map(|e| (by_path.path(e), &e.2));
            (root.as_str(), records)
        })
    }

    /// Every record, all roots together.
    pub(super) fn records(&self) -> impl Iterator<Item = &Prev> {
        self.0
            .iter()
            .flat_map(|(_, by_path)| by_path.table.iter().map(|(_, _, p)| p))
    }

    /// The same records (every field but the offer marks) under the same roots
    /// and paths.
    #[cfg(any(test, debug_assertions))]
    pub(super) fn same_records(&self, other: &PrevFiles) -> bool {
        let same = |a: &Prev, b: &Prev| {
            (
                a.scan_id,
                a.file_id,
                a.size,
                a.mtime_ns,
                &a.hash,
                a.racy,
                a.has_findings,
            ) == (
                b.scan_id,
                b.file_id,
                b.size,
                b.mtime_ns,
                &b.hash,
                b.racy,
                b.has_findings,
            )
        };
        self.len() == other.len()
            && self.roots().all(|(root, mut records)| {
                records.all(|(path, p)| {
                    other
                        .get(std::path::Path::new(root), path)
                        .is_some_and(|q| same(p, q))
                })
            })
    }

    /// Where the records of `root` are, made empty the first time; the first root
    /// gets room for `capacity` (usually the scan's only one), others grow.
    fn slot(&mut self, root: &str, capacity: usize) -> usize {
        match self.0.iter().position(|(r, _)| r == root) {
            Some(at) => at,
            None => {
                let room = if self.0.is_empty() { capacity } else { 0 };
                self.0
                    .push((root.to_string(), PrevByPath::with_capacity(room)));
                self.0.len() - 1
            }
        }
    }
}
/// Stored findings of those records, by file id (only records with findings).
type PrevFindings = FastMap<i64, Vec<Finding>>;

/// A snapshot (its id) of a scan's good versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SnapshotOf {
    pub(super) scan_id: i64,
    pub(super) snapshot_id: i64,
}

/// What the last scans recorded: each file's latest good version and its findings.
#[derive(Default)]
pub(super) struct Previous {
    pub(super) files: PrevFiles,
    pub(super) findings: PrevFindings,
    /// The snapshot every record came from, when one did (see `snapshot`).
    pub(super) from_snapshot: Option<SnapshotOf>,
}

/// One stored version as the loader keeps it, borrowed from a row of the join or from
/// a snapshot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Version<'a> {
    pub(super) file_id: i64,
    pub(super) root: &'a str,
    pub(super) path: &'a str,
    pub(super) size: u64,
    pub(super) mtime_ns: Option<i64>,
    pub(super) racy: bool,
    /// Only for a racy version: only those are ever compared by content.
    pub(super) hash: Option<&'a str>,
    pub(super) has_findings: bool,
}

/// Where the loader is: the records so far and the root of the last version kept
/// (nearly every version shares it with the one before).
struct Keeper {
    files: PrevFiles,
    last_root: Option<(String, usize)>,
    expected: usize,
}

impl Keeper {
    fn new(expected: usize) -> Keeper {
        Keeper {
            files: PrevFiles::default(),
            last_root: None,
            expected,
        }
    }

    /// Keeps `v`, seen by `scan_id`, unless its path has a record already (the
    /// loader reads newest first: the first good version of a path is its latest).
    fn keep(&mut self, scan_id: i64, v: &Version<'_>) {
        let slot = match &self.last_root {
            Some((r, at)) if r == v.root => *at,
            _ => {
                let at = self.files.slot(v.root, self.expected);
                self.last_root = Some((v.root.to_string(), at));
                at
            }
        };
        self.files.0[slot].1.insert_first(v.path, || Prev {
            scan_id,
            file_id: v.file_id,
            size: v.size,
            mtime_ns: v.mtime_ns,
            racy: v.racy,
            hash: v.hash.map(str::to_string),
            has_findings: v.has_findings,
            offered: Default::default(),
        });
    }
}

/// The columns `version_of_row` reads.
const VERSION_COLUMNS: &str =
    "f.id, f.root, f.path, f.size, f.mtime_ns, f.content_hash, f.findings, f.recorded_scan";

/// A row of `VERSION_COLUMNS`, strings borrowed from it. `started`: each scan's start
/// (unix seconds), to tell a racy version (modified within 2 s of its recording, so
/// size and mtime alone cannot prove it unchanged).
fn version_of_row<'r>(
    r: &'r rusqlite::Row<'_>,
    started: &HashMap<i64, i64>,
) -> rusqlite::Result<Version<'r>> {
    let text = |i: usize| -> rusqlite::Result<&'r str> {
        r.get_ref(i)?.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    let mtime: Option<i64> = r.get(4)?;
    let recorded: i64 = r.get(7)?;
    let scan_started = started.get(&recorded).copied().unwrap_or(i64::MAX);
    let racy = mtime.is_none_or(|m| m >= (scan_started - 2) * 1_000_000_000);
    let hash = match racy {
        true => r.get_ref(5)?.as_str_or_null().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
        })?,
        false => None,
    };
    Ok(Version {
        file_id: r.get(0)?,
        root: text(1)?,
        path: text(2)?,
        size: r.get::<_, i64>(3)? as u64,
        mtime_ns: mtime,
        racy,
        hash,
        has_findings: r.get::<_, i64>(6)? > 0,
    })
}

/// Each scan's start (unix seconds), by id.
fn scan_starts(conn: &Connection) -> Result<HashMap<i64, i64>> {
    Ok(conn
        .prepare("SELECT id, started_unix FROM scans")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A whole scan's good versions in one join (all of them, as `take` sees them).
fn join_whole_scan(
    conn: &Connection,
    scan_id: i64,
    started: &HashMap<i64, i64>,
    mut take: impl FnMut(&Version<'_>) -> Result<()>,
) -> Result<()> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM scan_files sf JOIN files f ON f.id = sf.file_id
          WHERE sf.scan_id = {ROWS_OF} AND f.status != 'error' ORDER BY sf.file_id"
    ))?;
    let mut rows = st.query([scan_id])?;
    while let Some(r) = rows.next()? {
        take(&version_of_row(r, started)?)?;
    }
    Ok(())
}

/// Each good version `scan_id` saw, read by the join in file id order (what its
/// snapshot is made of).
pub(super) fn each_version_of(
    conn: &Connection,
    scan_id: i64,
    take: impl FnMut(&Version<'_>) -> Result<()>,
) -> Result<()> {
    join_whole_scan(conn, scan_id, &scan_starts(conn)?, take)
}

/// The records the loader keeps from `scan_id`'s rows alone.
#[cfg(test)]
pub(super) fn whole_scan(conn: &Connection, scan_id: i64) -> Result<PrevFiles> {
    let mut keeper = Keeper::new(0);
    each_version_of(conn, scan_id, |v| {
        keeper.keep(scan_id, v);
        Ok(())
    })?;
    Ok(keeper.files)
}

/// Loads each file's latest good version seen by one of the last scans, and the
/// findings of those versions. Files not seen lately are simply read again.
///
/// Every scan lists every file it saw (or names the scan it saw the same files as),
/// so the last scans of one tree repeat the same file ids. Each scan's ids are read
/// index-only, newest first; a scan that brings many new versions (the last completed
/// one: the scan being run is the newest and usually empty) is read whole, from its
/// snapshot when it has one, else in one join; a few new versions are looked up by id.
pub(super) fn previous_files(conn: &Connection, file: &std::path::Path) -> Result<Previous> {
    let scans: Vec<(i64, String, String, i64)> = conn
        .prepare("SELECT id, roots, status, files_seen FROM scans ORDER BY id DESC LIMIT ?1")?
        .query_map([RECENT_SCANS], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Room for as many records as the largest of these scans saw (a completed scan
    // has its count), so the maps do not grow by rehashing 20,000 entries.
    let expected = scans
        .iter()
        .map(|s| usize::try_from(s.3).unwrap_or(0))
        .max()
        .unwrap_or(0)
        .min(1 << 20);
    let started = scan_starts(conn)?;
    // The ids a scan saw, index-only; the versions not met yet, one lookup each.
    let mut ids = conn.prepare(&format!(
        "SELECT file_id FROM scan_files WHERE scan_id = {ROWS_OF}"
    ))?;
    let mut version = conn.prepare(&format!(
        "SELECT {VERSION_COLUMNS} FROM files f WHERE f.id = ?1 AND f.status != 'error'"
    ))?;
    // The file ids met so far, built only when a second scan is read (usually none
    // is: a newer completed scan covers the older ones).
    let mut seen: std::collections::HashSet<i64, foldhash::fast::RandomState> = Default::default();
    let mut first_ids: Vec<i64> = Vec::with_capacity(expected);
    let mut keeper = Keeper::new(expected);
    // Every record is from this snapshot (none from another scan): the scan being run,
    // if it ends up seeing exactly these versions, takes the same snapshot.
    let mut from_snapshot: Option<SnapshotOf> = None;
    // Roots a newer completed scan walked whole: an older scan of only these roots
    // has nothing to add but versions since changed, removed or unreadable, so it is
    // not read (at worst a file is read again).
    let mut covered: std::collections::HashSet<String> = Default::default();
    for (scan_id, roots, status, _) in &scans {
        let roots: Vec<String> = serde_json::from_str(roots).unwrap_or_default();
        if !roots.is_empty() && roots.iter().all(|r| covered.contains(r)) {
            continue;
        }
        if status == "completed" {
            covered.extend(roots);
        }
        let scan_id = *scan_id;
        if first_ids.is_empty() {
            // The first scan with files (the latest completed one, usually): all its
            // versions are new, so it is read whole; reading its ids first as well
            // was a second pass over as many rows.
            let from = read_whole(conn, scan_id, &started, &mut |v| {
                first_ids.push(v.file_id);
                keeper.keep(scan_id, v);
                Ok(())
            })?;
            // Nothing read yet before this scan: what it gave is all there is.
            if keeper.files.len() > 0 {
                from_snapshot = from.map(|snapshot_id| SnapshotOf {
                    scan_id,
                    snapshot_id,
                });
            }
            continue;
        }
        if seen.is_empty() {
            seen.extend(first_ids.iter().copied());
        }
        let mut fresh: Vec<i64> = Vec::new();
        let mut rows = ids.query([scan_id])?;
        while let Some(r) = rows.next()? {
            let file_id: i64 = r.get(0)?;
            if seen.insert(file_id) {
                fresh.push(file_id);
            }
        }
        let records_before = keeper.files.len();
        if fresh.len() > JOIN_FROM {
            // Mostly new versions: all of them read whole; `keep` keeps the first
            // version of each path, so those seen already change nothing.
            read_whole(conn, scan_id, &started, &mut |v| {
                keeper.keep(scan_id, v);
                Ok(())
            })?;
        } else {
            for file_id in fresh {
                let mut rows = version.query([file_id])?;
                if let Some(r) = rows.next()? {
                    keeper.keep(scan_id, &version_of_row(r, &started)?);
                }
            }
        }
        if keeper.files.len() > records_before {
            from_snapshot = None;
        }
    }
    let files = keeper.files;
    let mut findings: PrevFindings = Default::default();
    let mut st = conn.prepare(
        "SELECT fd.data FROM file_findings ff JOIN findings fd ON fd.id = ff.finding_id
             WHERE ff.file_id = ?1",
    )?;
    for file_id in files
        .records()
        .filter(|p| p.has_findings)
        .map(|p| p.file_id)
    {
        let mut rows = st.query([file_id])?;
        while let Some(r) = rows.next()? {
            let data: String = r.get(0)?;
            let f: Finding = serde_json::from_str(&data).map_err(|e| {
                StoreError::Corrupt(file.to_path_buf(), format!("finding record: {e}"))
            })?;
            findings.entry(file_id).or_default().push(f);
        }
    }
    Ok(Previous {
        files,
        findings,
        from_snapshot,
    })
}

/// Every good version of `scan_id`, from its snapshot when it has one that decodes
/// (its id is returned), else from the join.
fn read_whole(
    conn: &Connection,
    scan_id: i64,
    started: &HashMap<i64, i64>,
    take: &mut dyn FnMut(&Version<'_>) -> Result<()>,
) -> Result<Option<i64>> {
    if let Some((snapshot_id, data)) = super::snapshot::read(conn, scan_id)?
        && let Some(versions) = super::snapshot::decode(&data)
    {
        #[cfg(debug_assertions)]
        check_against_join(conn, scan_id, started, &versions)?;
        for v in &versions {
            take(v)?;
        }
        return Ok(Some(snapshot_id));
    }
    join_whole_scan(conn, scan_id, started, take)?;
    Ok(None)
}

/// Debug builds: a snapshot holds exactly what the join reads for its scan, or the
/// build stops here (every engagement test checks it, resumed and changed trees too).
#[cfg(debug_assertions)]
fn check_against_join(
    conn: &Connection,
    scan_id: i64,
    started: &HashMap<i64, i64>,
    versions: &[Version<'_>],
) -> Result<()> {
    let mut from_join = Keeper::new(0);
    join_whole_scan(conn, scan_id, started, |v| {
        from_join.keep(scan_id, v);
        Ok(())
    })?;
    let mut from_snapshot = Keeper::new(0);
    for v in versions {
        from_snapshot.keep(scan_id, v);
    }
    assert!(
        from_join.files.same_records(&from_snapshot.files),
        "the snapshot of scan {scan_id} differs from its rows"
    );
    Ok(())
}

/// From how many new file versions in one scan a single join beats a lookup each.
const JOIN_FROM: usize = 64;

/// How many of the latest scans offer files for reuse.
pub(super) const RECENT_SCANS: i64 = 5;

#[cfg(test)]
mod tests {
    use super::*;

    fn prev(file_id: i64) -> Prev {
        Prev {
            scan_id: 1,
            file_id,
            size: 10,
            mtime_ns: Some(1),
            hash: None,
            racy: false,
            has_findings: false,
            offered: Default::default(),
        }
    }

    /// Records are found by root and path; the first record of a path is kept (the
    /// loader reads newest first), and a later one is not even made.
    #[test]
    fn the_first_record_of_a_path_is_kept_and_found() {
        let mut files = PrevFiles::default();
        let a = files.slot("/srv/share", 4);
        let b = files.slot("/srv/other", 4);
        assert_eq!(files.slot("/srv/share", 4), a, "one slot per root");
        assert!(files.0[a].1.insert_first("it/.env", || prev(7)));
        assert!(files.0[a].1.insert_first("ot/plc.cfg", || prev(8)));
        assert!(
            !files.0[a]
                .1
                .insert_first("it/.env", || panic!("not made for a path already kept"))
        );
        assert!(files.0[b].1.insert_first("it/.env", || prev(9)));
        assert_eq!(files.len(), 3);
        let get = |root: &str, path: &str| files.get(std::path::Path::new(root), path);
        assert_eq!(get("/srv/share", "it/.env").unwrap().file_id, 7);
        assert_eq!(get("/srv/share", "ot/plc.cfg").unwrap().file_id, 8);
        assert_eq!(get("/srv/other", "it/.env").unwrap().file_id, 9);
        assert!(get("/srv/share", "it/.en").is_none());
        assert!(get("/srv/share", "it/.env2").is_none());
        assert!(get("/srv", "it/.env").is_none());
        // Marked records of other scans are the ones to record as reused.
        use std::sync::atomic::Ordering;
        let mark = |root: &str, path: &str| {
            get(root, path)
                .unwrap()
                .offered
                .store(true, Ordering::Relaxed)
        };
        mark("/srv/share", "it/.env");
        mark("/srv/other", "it/.env");
        let mut offered = files.offered_outside(2);
        offered.sort();
        assert_eq!(offered, [7, 9]);
        assert!(files.offered_outside(1).is_empty(), "already in scan 1");
    }
}
