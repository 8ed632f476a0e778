//! A completed scan's good file versions, kept in one blob: what the loader of the
//! next scan would otherwise join `scan_files` with `files` for, 20,000 rows on a
//! 20,000-file tree and most of the loader's time on an unchanged re-scan.
//!
//! It is a cache, never the only copy: a snapshot is made from that very join when a
//! scan completes, and the rows of a completed scan never change afterwards (but for
//! one that was resumed, and so perhaps taken over by another host's process, which
//! may still be writing: no scan takes such a scan's rows as its own). A scan
//! that reused every version of one snapshot and recorded nothing else saw exactly
//! those versions, so it takes the same snapshot without making it again (a tag, not
//! a copy). A blob that does not decode is ignored and the loader joins instead.
//! Debug builds check every snapshot they read against the join.

use super::Result;
use super::previous::{Version, each_version_of};
use crate::blob::{Reader, put_bytes, put_u32, put_u64};
use rusqlite::{OptionalExtension, Transaction, params};

/// Format tag; a blob with another is ignored.
const MAGIC: &[u8; 8] = b"CRDVER01";

const HAS_MTIME: u8 = 1;
const RACY: u8 = 2;
const HAS_FINDINGS: u8 = 4;
const HAS_HASH: u8 = 8;

/// The fewest bytes a record takes (root index, empty path, id, size, mtime, flags).
const RECORD_MIN: usize = 4 + 4 + 8 + 8 + 8 + 1;

/// How many of the latest scans keep their snapshot: the loader reads the latest
/// `RECENT_SCANS` scans, and the first of those is the one it loads for, still empty.
const KEPT_FOR_SCANS: i64 = super::previous::RECENT_SCANS - 1;

/// Versions as one blob, in the order pushed: the roots, then each version with the
/// index of its root. A snapshot is made from the join, in file id order: the same
/// rows give the same bytes, and the loader meets the versions in the order it would
/// meet the rows.
#[derive(Default)]
pub(super) struct Encoder {
    roots: Vec<String>,
    body: Vec<u8>,
    count: usize,
}

impl Encoder {
    pub(super) fn push(&mut self, v: &Version<'_>) {
        // Roots are few (the scan's own): a look along a short list.
        let root = match self.roots.iter().rposition(|r| r == v.root) {
            Some(i) => i,
            None => {
                self.roots.push(v.root.to_string());
                self.roots.len() - 1
            }
        };
        let body = &mut self.body;
        put_u32(body, root);
        put_bytes(body, v.path.as_bytes());
        put_u64(body, v.file_id as u64);
        put_u64(body, v.size);
        put_u64(body, v.mtime_ns.unwrap_or(0) as u64);
        let flags = (v.mtime_ns.is_some() as u8 * HAS_MTIME)
            | (v.racy as u8 * RACY)
            | (v.has_findings as u8 * HAS_FINDINGS)
            | (v.hash.is_some() as u8 * HAS_HASH);
        body.push(flags);
        if let Some(h) = v.hash {
            put_bytes(body, h.as_bytes());
        }
        self.count += 1;
    }

    pub(super) fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 64);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, self.roots.len());
        for root in &self.roots {
            put_bytes(&mut out, root.as_bytes());
        }
        put_u32(&mut out, self.count);
        out.extend_from_slice(&self.body);
        out
    }
}

/// The versions in `data`, borrowed from it; `None` unless `data` is exactly an
/// encoding of this format (checked whole before anything is used).
pub(super) fn decode(data: &[u8]) -> Option<Vec<Version<'_>>> {
    let mut r = Reader::new(data);
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let roots = (0..r.u32()?)
        .map(|_| std::str::from_utf8(r.bytes()?).ok())
        .collect::<Option<Vec<&str>>>()?;
    let n = r.u32()?;
    // Never trust a count for an allocation.
    let mut out = Vec::with_capacity(n.min(r.rest().len() / RECORD_MIN));
    for _ in 0..n {
        let root = *roots.get(r.u32()?)?;
        let path = std::str::from_utf8(r.bytes()?).ok()?;
        let file_id = r.u64()? as i64;
        let size = r.u64()?;
        let mtime = r.u64()? as i64;
        let flags = r.u8()?;
        if flags & !(HAS_MTIME | RACY | HAS_FINDINGS | HAS_HASH) != 0 {
            return None;
        }
        let hash = if flags & HAS_HASH != 0 {
            Some(std::str::from_utf8(r.bytes()?).ok()?)
        } else {
            None
        };
        out.push(Version {
            file_id,
            root,
            path,
            size,
            mtime_ns: (flags & HAS_MTIME != 0).then_some(mtime),
            racy: flags & RACY != 0,
            hash,
            has_findings: flags & HAS_FINDINGS != 0,
        });
    }
    r.at_end().then_some(out)
}

/// The snapshot of `scan_id`, if it has one: its id and blob.
pub(super) fn read(conn: &rusqlite::Connection, scan_id: i64) -> Result<Option<(i64, Vec<u8>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT v.id, v.data FROM scan_snapshots s JOIN version_snapshots v ON v.id = s.snapshot_id
              WHERE s.scan_id = ?1",
        )?
        .query_row([scan_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Gives the completed scan `scan_id` its snapshot, in its closing transaction:
/// `same_as`, the snapshot its versions are known to equal, or one made now from its
/// rows. Snapshots of scans the loader no longer reads are dropped.
pub(super) fn keep(tx: &Transaction<'_>, scan_id: i64, same_as: Option<i64>) -> Result<()> {
    // The shared blob may have been dropped since it was loaded (by another scan of
    // the same file closing meanwhile): then one is made.
    let shared = match same_as {
        Some(id) => tx
            .query_row(
                "SELECT id FROM version_snapshots WHERE id = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?,
        None => None,
    };
    let snapshot_id = match shared {
        Some(id) => id,
        None => {
            let mut encoder = Encoder::default();
            each_version_of(tx, scan_id, |v| {
                encoder.push(v);
                Ok(())
            })?;
            let data = encoder.finish();
            tx.execute("INSERT INTO version_snapshots (data) VALUES (?1)", [data])?;
            tx.last_insert_rowid()
        }
    };
    tx.execute(
        "INSERT OR REPLACE INTO scan_snapshots (scan_id, snapshot_id) VALUES (?1, ?2)",
        params![scan_id, snapshot_id],
    )?;
    tx.execute(
        "DELETE FROM scan_snapshots WHERE scan_id NOT IN
           (SELECT id FROM scans ORDER BY id DESC LIMIT ?1)",
        [KEPT_FOR_SCANS],
    )?;
    tx.execute(
        "DELETE FROM version_snapshots WHERE id NOT IN (SELECT snapshot_id FROM scan_snapshots)",
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{Progress, ScanOptions, Scanner};
    use crate::store::previous::{previous_files, whole_scan};
    use crate::store::{Engagement, NewEngagement};
    use crate::vault::{FingerprintKey, engagement::wrap};
    use std::path::Path;

    const RACY_HASH: &str = "9f2c4e0b7a1d3f5e8c6b4a29170e5d3c2b1a0f9e8d7c6b5a4938271605f4e3d2";

    /// Versions of every kind a snapshot holds: with and without an mtime, racy
    /// with its hash, with findings, under two roots.
    fn sample() -> Vec<Version<'static>> {
        let v = |file_id, root, path, mtime_ns, racy: bool, has_findings| Version {
            file_id,
            root,
            path,
            size: 1000 + file_id as u64,
            mtime_ns,
            racy,
            hash: racy.then_some(RACY_HASH),
            has_findings,
        };
        vec![
            v(11, "/srv/it-share", "ops/notes.txt", Some(-5), false, false),
            v(
                12,
                "/srv/it-share",
                "ops/vpn.conf",
                Some(1_700_000_000_000_000_001),
                false,
                true,
            ),
            v(13, "/srv/it-share", "plant/hmi.ini", None, true, true),
            v(14, "/srv/ot-export", "plc/rack1.cfg", Some(42), true, false),
            v(15, "/srv/it-share", "", Some(0), false, false),
        ]
    }

    fn encode(versions: &[Version<'_>]) -> Vec<u8> {
        let mut e = Encoder::default();
        versions.iter().for_each(|v| e.push(v));
        e.finish()
    }

    #[test]
    fn a_snapshot_reads_back_every_version_exactly_and_encodes_the_same_each_time() {
        let data = encode(&sample());
        assert_eq!(decode(&data).unwrap(), sample());
        assert_eq!(encode(&decode(&data).unwrap()), data, "deterministic bytes");
        assert_eq!(decode(&encode(&[])).unwrap(), []);
    }

    #[test]
    fn a_damaged_snapshot_is_not_read() {
        let data = encode(&sample());
        assert!(
            decode(&[data.as_slice(), b"x"].concat()).is_none(),
            "trailing bytes"
        );
        for cut in 0..data.len() {
            assert!(decode(&data[..cut]).is_none(), "cut at {cut}");
        }
        let mut magic = data.clone();
        magic[7] = b'9';
        assert!(decode(&magic).is_none(), "another format");
        // The first record: its root index, then its flags.
        let roots = 4 + "/srv/it-share".len() + 4 + "/srv/ot-export".len();
        let record = 8 + 4 + roots + 4;
        let mut root = data.clone();
        root[record..record + 4].copy_from_slice(&2u32.to_le_bytes());
        assert!(decode(&root).is_none(), "a root that is not listed");
        let flags = record + 4 + 4 + "ops/notes.txt".len() + 24;
        assert_eq!(data[flags], HAS_MTIME);
        let mut unknown = data.clone();
        unknown[flags] = 0x80;
        assert!(
            decode(&unknown).is_none(),
            "a flag this format does not know"
        );
        // Counts far past the blob allocate nothing and fail.
        let mut count = data.clone();
        count[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&count).is_none());
        let mut count = data.clone();
        count[record - 4..record].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&count).is_none());
    }

    fn scan(eng: &mut Engagement, scanner: &Scanner, root: &Path) -> i64 {
        let opts = ScanOptions {
            roots: vec![root.to_path_buf()],
            ..Default::default()
        };
        let done = crate::store::scan::run(eng, scanner, &opts, &Progress::default()).unwrap();
        done.scan.id
    }

    /// Each scan's snapshot (its id), or none.
    fn tags(eng: &Engagement) -> Vec<(i64, i64)> {
        eng.conn
            .prepare("SELECT scan_id, snapshot_id FROM scan_snapshots ORDER BY scan_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn blobs(eng: &Engagement) -> i64 {
        eng.conn
            .query_row("SELECT count(*) FROM version_snapshots", [], |r| r.get(0))
            .unwrap()
    }

    /// The scan a scan saw the same files as, its own rows, and its counts
    /// (seen, reused).
    fn membership(eng: &Engagement, scan_id: i64) -> (Option<i64>, i64, (i64, i64)) {
        let own: i64 = eng
            .conn
            .query_row(
                "SELECT count(*) FROM scan_files WHERE scan_id = ?1",
                [scan_id],
                |r| r.get(0),
            )
            .unwrap();
        let (same, seen, reused) = eng
            .conn
            .query_row(
                "SELECT same_files_as, files_seen, files_reused FROM scans WHERE id = ?1",
                [scan_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        (same, own, (seen, reused))
    }

    fn finding_ids(eng: &Engagement, scan_id: i64) -> Vec<String> {
        let mut ids: Vec<String> = eng
            .findings_of_scan(scan_id)
            .unwrap()
            .into_iter()
            .map(|f| f.finding.id)
            .collect();
        ids.sort();
        ids
    }

    /// What the next scan's loader reads equals the join of the latest scan's rows,
    /// and comes from that scan's snapshot.
    fn assert_loader_reads_snapshot_of(eng: &Engagement, scan_id: i64) {
        let loaded = previous_files(&eng.conn, eng.path()).unwrap();
        let (snapshot_id, data) = read(&eng.conn, scan_id).unwrap().expect("a snapshot");
        assert_eq!(
            loaded.from_snapshot.map(|s| s.snapshot_id),
            Some(snapshot_id)
        );
        assert!(
            loaded
                .files
                .same_records(&whole_scan(&eng.conn, scan_id).unwrap())
        );
        let mut joined = Encoder::default();
        each_version_of(&eng.conn, scan_id, |v| {
            joined.push(v);
            Ok(())
        })
        .unwrap();
        assert_eq!(data, joined.finish(), "the rows, in order");
    }

    /// An engagement and a small tree (a credential among plain files) to scan.
    fn engagement() -> (tempfile::TempDir, Engagement, Scanner, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("share");
        for (path, text) in [
            (
                "it/db.ini",
                "[database]\nuser = svc_hist\npassword = Rq4#nWm8vLp2\n",
            ),
            ("it/readme.txt", "nothing here\n"),
            ("ot/plc.txt", "line 1\nline 2\n"),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let root = std::fs::canonicalize(&root).unwrap();
        let key = FingerprintKey::random().unwrap();
        let rec = wrap("test", &key, "test passphrase").unwrap();
        let meta = NewEngagement {
            client: "Example Water".into(),
            site: "Plant 1".into(),
            ..Default::default()
        };
        let eng = Engagement::create(&tmp.path().join("e.credence"), &meta, "test", &rec).unwrap();
        let scanner = Scanner::new(key).unwrap();
        (tmp, eng, scanner, root)
    }

    #[test]
    fn each_completed_scan_keeps_a_snapshot_of_its_rows_shared_while_nothing_changes() {
        let (_tmp, mut eng, scanner, root) = engagement();

        let first = scan(&mut eng, &scanner, &root);
        let [(_, made)] = tags(&eng)[..] else {
            panic!("one snapshot: {:?}", tags(&eng))
        };
        assert_loader_reads_snapshot_of(&eng, first);

        // Unchanged: the same versions, so the same blob under a second tag, and no
        // row per file: the second scan saw the same files as the first.
        let second = scan(&mut eng, &scanner, &root);
        assert_eq!(tags(&eng), [(first, made), (second, made)]);
        assert_eq!(blobs(&eng), 1);
        assert_loader_reads_snapshot_of(&eng, second);
        assert_eq!(membership(&eng, first), (None, 3, (3, 0)));
        assert_eq!(membership(&eng, second), (Some(first), 0, (3, 3)));
        assert_eq!(finding_ids(&eng, second), finding_ids(&eng, first));
        assert_eq!(finding_ids(&eng, second).len(), 1);

        // A changed file: a new version, so a new snapshot made from the rows.
        std::fs::write(root.join("it/readme.txt"), "nothing here, still\n").unwrap();
        let third = scan(&mut eng, &scanner, &root);
        let latest = tags(&eng).last().copied().unwrap();
        assert_eq!(latest.0, third);
        assert_ne!(latest.1, made);
        assert_loader_reads_snapshot_of(&eng, third);
        assert_eq!(membership(&eng, third), (None, 3, (3, 2)));

        // A removed file: nothing was read, yet the versions differ; the new
        // snapshot does not offer the file any more.
        std::fs::remove_file(root.join("ot/plc.txt")).unwrap();
        let fourth = scan(&mut eng, &scanner, &root);
        let (_, data) = read(&eng.conn, fourth).unwrap().unwrap();
        let paths: Vec<&str> = decode(&data).unwrap().iter().map(|v| v.path).collect();
        assert_eq!(paths, ["it/db.ini", "it/readme.txt"]);
        assert_loader_reads_snapshot_of(&eng, fourth);
        assert_eq!(membership(&eng, fourth), (None, 2, (2, 2)));

        // Only the scans the next loader can read keep theirs (it reads the latest
        // five, its own among them); unused blobs go.
        let fifth = scan(&mut eng, &scanner, &root);
        assert_eq!(
            blobs(&eng),
            3,
            "the first scan's (the second's too), the third's, the fourth's (the fifth's too)"
        );
        let last = (0..2)
            .map(|_| scan(&mut eng, &scanner, &root))
            .last()
            .unwrap();
        let kept: Vec<i64> = tags(&eng).iter().map(|t| t.0).collect();
        assert_eq!(kept, [fourth, fifth, last - 1, last]);
        assert_eq!(blobs(&eng), 1, "the fourth scan's, shared since");
        // Each saw the same files as the fourth (the scan with the rows), not as the
        // one before it.
        for scan_id in [fifth, last - 1, last] {
            assert_eq!(membership(&eng, scan_id), (Some(fourth), 0, (2, 2)));
            assert_eq!(finding_ids(&eng, scan_id), finding_ids(&eng, fourth));
        }

        // A damaged blob is passed over: the loader joins, to the same records.
        eng.conn
            .execute("UPDATE version_snapshots SET data = x'00'", [])
            .unwrap();
        let loaded = previous_files(&eng.conn, eng.path()).unwrap();
        assert_eq!(loaded.from_snapshot, None);
        assert!(
            loaded
                .files
                .same_records(&whole_scan(&eng.conn, last).unwrap())
        );
        // ...and the next scan, unable to share it, makes a good one again.
        let after = scan(&mut eng, &scanner, &root);
        assert_loader_reads_snapshot_of(&eng, after);
        assert_eq!(
            membership(&eng, after),
            (None, 2, (2, 2)),
            "rows of its own"
        );
    }

    /// A shared blob that is gone by the close (dropped by another scan of the file
    /// meanwhile) is not pointed at: a snapshot is made instead.
    #[test]
    fn a_snapshot_dropped_before_the_close_is_made_again_not_pointed_at() {
        let (tmp, mut eng, scanner, root) = engagement();
        let first = scan(&mut eng, &scanner, &root);
        let tx = eng.conn.transaction().unwrap();
        keep(&tx, first, Some(9_999)).unwrap();
        tx.commit().unwrap();
        let [(scan_id, snapshot_id)] = tags(&eng)[..] else {
            panic!("{:?}", tags(&eng))
        };
        assert_eq!(scan_id, first);
        assert_ne!(snapshot_id, 9_999);
        assert_loader_reads_snapshot_of(&eng, first);
        drop(tmp);
    }

    /// A scan another host took over while it ran (and wrote in) shares nothing: its
    /// counts and its snapshot come from its rows.
    #[test]
    fn a_scan_taken_over_by_another_host_shares_no_snapshot_and_lends_no_rows() {
        use crate::store::scan::{Ending, StoreSink};
        let (tmp, mut eng, scanner, root) = engagement();
        let first = scan(&mut eng, &scanner, &root);
        let made = tags(&eng)[0].1;
        let start = eng.begin_scan(&[root.display().to_string()]).unwrap();
        let sink = StoreSink::new(&eng, start.id, start.resumed).unwrap();
        let opts = ScanOptions {
            roots: vec![root.clone()],
            ..Default::default()
        };
        scanner
            .scan_with(&opts, &Progress::default(), &sink)
            .unwrap();
        eng.conn
            .execute(
                // As `begin_scan` on that host does.
                "UPDATE scans SET host = 'ot-historian-02', resumed = resumed + 1 WHERE id = ?1",
                [start.id],
            )
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(None).unwrap();
        sink.close(Some(Ending {
            status: "completed",
            metrics: rx,
        }))
        .unwrap();
        assert_eq!(tags(&eng)[0], (first, made));
        assert_ne!(tags(&eng)[1].1, made, "made from its rows, not shared");
        assert_eq!(membership(&eng, start.id), (None, 3, (3, 3)));
        assert_loader_reads_snapshot_of(&eng, start.id);
        // The other host may still be writing in it: the next unchanged scan shares
        // its snapshot but not its rows; the one after shares both with that one.
        let next = scan(&mut eng, &scanner, &root);
        assert_eq!(membership(&eng, next), (None, 3, (3, 3)));
        let after = scan(&mut eng, &scanner, &root);
        assert_eq!(membership(&eng, after), (Some(next), 0, (3, 3)));
        drop(tmp);
    }

    /// A scan that reused every version of the snapshot it loaded, and read nothing,
    /// saw the same files as the scan it loaded only if that scan met no unreadable
    /// file (an unreadable file's row is not in a snapshot).
    #[test]
    fn a_scan_after_one_that_met_an_unreadable_file_keeps_rows_of_its_own() {
        let (_tmp, mut eng, scanner, root) = engagement();
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "Password").unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        let cut = root.join("it/users.xlsx");
        std::fs::write(&cut, &xlsx[..xlsx.len() / 2]).unwrap();
        let first = scan(&mut eng, &scanner, &root);
        assert_eq!(membership(&eng, first), (None, 4, (4, 0)));
        assert_eq!(eng.file_problems(first).unwrap().len(), 1);

        std::fs::remove_file(&cut).unwrap();
        let second = scan(&mut eng, &scanner, &root);
        assert_eq!(membership(&eng, second), (None, 3, (3, 3)));
        assert!(eng.file_problems(second).unwrap().is_empty());
        assert_loader_reads_snapshot_of(&eng, second);

        let third = scan(&mut eng, &scanner, &root);
        assert_eq!(membership(&eng, third), (Some(second), 0, (3, 3)));
        assert!(eng.file_problems(third).unwrap().is_empty());
    }
}
