//! What the last scans of an engagement recorded, loaded for a re-scan: each file's
//! latest good version (to skip it when unchanged) and that version's findings.

use super::{Result, StoreError};
use crate::finding::Finding;
use rusqlite::Connection;
use std::collections::HashMap;

/// A file's latest good record in the engagement.
#[derive(Debug, Clone)]
pub(super) struct Prev {
    pub(super) scan_id: i64,
    pub(super) file_id: i64,
    pub(super) size: u64,
    pub(super) mtime_ns: Option<i64>,
    pub(super) hash: Option<String>,
    pub(super) racy: bool,
}

/// Hash maps keyed by paths and ids read from the tree: foldhash is several times
/// faster than SipHash on short keys and is seeded per process, so crafted file names
/// cannot be made to collide.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// Latest good records by root-relative path, for one root.
type PrevByPath = FastMap<String, Prev>;
/// Latest good records by root, then by path. Roots are few (the scan's own): they are
/// found by comparing strings, not hashed, as every walked file and every loaded row
/// asks for one; the path is one hashed lookup by `&str`, so checking a walked file
/// allocates nothing.
#[derive(Default)]
pub(super) struct PrevFiles(Vec<(String, PrevByPath)>);

impl PrevFiles {
    pub(super) fn get(&self, root: &str, path: &str) -> Option<&Prev> {
        let (_, by_path) = self.0.iter().find(|(r, _)| r == root)?;
        by_path.get(path)
    }

    /// Where the records of `root` are, made empty the first time; the first root
    /// gets room for `capacity` (usually the scan's only one), others grow.
    fn slot(&mut self, root: &str, capacity: usize) -> usize {
        match self.0.iter().position(|(r, _)| r == root) {
            Some(at) => at,
            None => {
                let room = if self.0.is_empty() { capacity } else { 0 };
                self.0.push((
                    root.to_string(),
                    PrevByPath::with_capacity_and_hasher(room, Default::default()),
                ));
                self.0.len() - 1
            }
        }
    }
}
/// Stored findings of those records, by file id (only records with findings).
type PrevFindings = FastMap<i64, Vec<Finding>>;

/// What the last scans recorded: each file's latest good version and its findings.
#[derive(Default)]
pub(super) struct Previous {
    pub(super) files: PrevFiles,
    pub(super) findings: PrevFindings,
}

/// Loads each file's latest good version seen by one of the last scans, and the
/// findings of those versions. Files not seen lately are simply read again.
///
/// Every scan lists every file it saw, so the last scans of one tree repeat the same
/// file ids. Each scan's ids are read index-only, newest first; a scan that brings
/// many new versions (the last completed one: the scan being run is the newest and
/// usually empty) is read in one join, and a few new versions are looked up by id.
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
        .min(1 << 22);
    let started: HashMap<i64, i64> = conn
        .prepare("SELECT id, started_unix FROM scans")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let columns =
        "f.id, f.root, f.path, f.size, f.mtime_ns, f.content_hash, f.findings, f.recorded_scan";
    // A whole scan's versions in one join.
    let mut whole_scan = conn.prepare(&format!(
        "SELECT {columns} FROM scan_files sf JOIN files f ON f.id = sf.file_id
             WHERE sf.scan_id = ?1 AND f.status != 'error'"
    ))?;
    // The ids a scan saw, index-only; the versions not met yet, one lookup each.
    let mut ids = conn.prepare("SELECT file_id FROM scan_files WHERE scan_id = ?1")?;
    let mut version = conn.prepare(&format!(
        "SELECT {columns} FROM files f WHERE f.id = ?1 AND f.status != 'error'"
    ))?;
    // The file ids met so far, built only when a second scan is read (usually none
    // is: a newer completed scan covers the older ones).
    let mut seen: std::collections::HashSet<i64, foldhash::fast::RandomState> = Default::default();
    let mut first_ids: Vec<i64> = Vec::with_capacity(expected);
    let mut prev = PrevFiles::default();
    // The root of the last row and its records' slot: nearly every row shares it.
    let mut last_root: Option<(String, usize)> = None;
    let mut wanted: Vec<i64> = Vec::new();
    // Newest scan first: the first good version of a path is its latest. Nearly every
    // row shares its root with the one before and is new: strings are borrowed from
    // the row and copied only when kept.
    let mut take = |scan_id: i64, r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
        let file_id: i64 = r.get(0)?;
        let text = |i: usize| -> rusqlite::Result<&str> {
            r.get_ref(i)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        };
        let root = text(1)?;
        let slot_of_root = match &last_root {
            Some((r, at)) if r == root => *at,
            _ => {
                let at = prev.slot(root, expected);
                last_root = Some((root.to_string(), at));
                at
            }
        };
        let by_path = &mut prev.0[slot_of_root].1;
        let path = text(2)?;
        // Nearly every path is new here (a scan has one version of each), so the key
        // is made at once and hashed once.
        let std::collections::hash_map::Entry::Vacant(slot) = by_path.entry(path.to_string())
        else {
            return Ok(());
        };
        let mtime: Option<i64> = r.get(4)?;
        let recorded: i64 = r.get(7)?;
        let scan_started = started.get(&recorded).copied().unwrap_or(i64::MAX);
        if r.get::<_, i64>(6)? > 0 {
            wanted.push(file_id);
        }
        let racy = mtime.is_none_or(|m| m >= (scan_started - 2) * 1_000_000_000);
        slot.insert(Prev {
            scan_id,
            file_id,
            size: r.get::<_, i64>(3)? as u64,
            mtime_ns: mtime,
            racy,
            // Only a racy record is ever compared by content.
            hash: if racy { r.get(5)? } else { None },
        });
        Ok(())
    };
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
            // versions are new, so the join alone is read; reading its ids first as
            // well was a second pass over as many rows.
            let mut rows = whole_scan.query([scan_id])?;
            while let Some(r) = rows.next()? {
                first_ids.push(r.get(0)?);
                take(scan_id, r)?;
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
        if fresh.len() > JOIN_FROM {
            // Mostly new versions (the latest completed scan, as the scan being run
            // is the newest and usually empty): all of them in one join; `take`
            // keeps the first version of each path, so rows seen already change
            // nothing.
            let mut rows = whole_scan.query([scan_id])?;
            while let Some(r) = rows.next()? {
                take(scan_id, r)?;
            }
            continue;
        }
        for file_id in fresh {
            let mut rows = version.query([file_id])?;
            if let Some(r) = rows.next()? {
                take(scan_id, r)?;
            }
        }
    }
    let mut findings: PrevFindings = Default::default();
    let mut st = conn.prepare(
        "SELECT fd.data FROM file_findings ff JOIN findings fd ON fd.id = ff.finding_id
             WHERE ff.file_id = ?1",
    )?;
    for file_id in wanted {
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
        files: prev,
        findings,
    })
}

/// From how many new file versions in one scan a single join beats a lookup each.
const JOIN_FROM: usize = 64;

/// How many of the latest scans offer files for reuse.
const RECENT_SCANS: i64 = 5;
