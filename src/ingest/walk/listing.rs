//! Folder listings kept between walks, so a re-scan lists again only the folders that
//! changed (the idea of git's untracked cache).
//!
//! A folder's entries can change only by creating, removing or renaming one of them,
//! and each of those moves the folder's change time (ctime) and modification time. So
//! a listing is reused when the folder's stamp (device, inode, mtime, ctime) is the one
//! recorded with it. A file changed in place does not touch its folder; files are still
//! stat-ed one by one, as before. Two guards keep the reuse exact:
//! - Racy stamps: a listing is kept only when the folder's last change is at least
//!   [`RACY_SECS`] older than the walk that read it, so a change in the same clock tick
//!   as the read (which could keep the stamp) cannot hide behind it.
//! - Where a platform has no change time or inode (Windows), nothing is kept and every
//!   folder is read.
//!
//! Listings hold names and entry kinds only (no content), encoded in a small
//! self-checking binary form; anything that does not decode is ignored, never trusted.

use crate::blob::{Reader, put_bytes, put_u32};
use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::BuildHasher;
use std::time::{SystemTime, UNIX_EPOCH};

/// How much older than the walk a folder's last change must be for its listing to be
/// kept: wider than any file system's timestamp granularity (FAT: 2 s).
pub const RACY_SECS: i64 = 3;

/// What identifies one state of a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirStamp {
    pub dev: u64,
    pub ino: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
}

impl DirStamp {
    /// The stamp of a folder's metadata; `None` where the platform has none.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<DirStamp> {
        use std::os::unix::fs::MetadataExt;
        Some(DirStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<DirStamp> {
        None
    }

    /// Whether a listing read at `walk_started_ns` can be trusted later with this stamp:
    /// the folder's last change is well before the read.
    pub fn settled_before(&self, walk_started_ns: i64) -> bool {
        self.ctime_ns.max(self.mtime_ns) < walk_started_ns - RACY_SECS * 1_000_000_000
    }
}

/// Now, in nanoseconds since the epoch, as stamps count.
pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// An entry's kind as the listing saw it (from the directory entry, links not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Fifo,
    Socket,
    Device,
    /// Anything else (not a file, folder or link).
    Other,
}

impl EntryKind {
    pub fn of(ft: &std::fs::FileType) -> EntryKind {
        if ft.is_file() {
            return EntryKind::File;
        }
        if ft.is_dir() {
            return EntryKind::Dir;
        }
        if ft.is_symlink() {
            return EntryKind::Symlink;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_fifo() {
                return EntryKind::Fifo;
            }
            if ft.is_socket() {
                return EntryKind::Socket;
            }
            if ft.is_block_device() || ft.is_char_device() {
                return EntryKind::Device;
            }
        }
        EntryKind::Other
    }

    fn code(self) -> u8 {
        match self {
            EntryKind::File => 0,
            EntryKind::Dir => 1,
            EntryKind::Symlink => 2,
            EntryKind::Fifo => 3,
            EntryKind::Socket => 4,
            EntryKind::Device => 5,
            EntryKind::Other => 6,
        }
    }

    fn from_code(c: u8) -> Option<EntryKind> {
        Some(match c {
            0 => EntryKind::File,
            1 => EntryKind::Dir,
            2 => EntryKind::Symlink,
            3 => EntryKind::Fifo,
            4 => EntryKind::Socket,
            5 => EntryKind::Device,
            6 => EntryKind::Other,
            _ => return None,
        })
    }
}

/// One folder's entries, sorted by name, with the stamp they were read under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirListing {
    pub stamp: DirStamp,
    pub entries: Vec<(OsString, EntryKind)>,
}

/// Folder listings by root-relative path. foldhash: a re-scan looks up every folder
/// of the tree here, and SipHash was a measurable part of that; it is seeded per
/// process, so crafted folder names cannot be made to collide.
pub type DirListings = HashMap<String, DirListing, foldhash::fast::RandomState>;

/// The kept listings of one root, by root-relative folder path (`""` is the root).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Listings {
    pub dirs: DirListings,
}

/// Where a walk finds the listings of earlier walks and leaves its own. A root's
/// listings are handed back whole when its walk is over, and only when they changed
/// (a folder read afresh or gone).
pub trait ListingCache: Sync {
    fn listings(&self, root: &std::path::Path) -> Option<std::sync::Arc<KeptListings>>;
    fn keep(&self, root: &std::path::Path, listings: Listings);
}

/// Format tag of the encoding below; a different tag is ignored.
const MAGIC: &[u8; 8] = b"CRDLST01";

impl Listings {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.dirs.len() * 96);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, self.dirs.len());
        // In path order: a walk meets a folder's subfolders one after another, and
        // their records are then neighbours in memory as it reads them in place.
        let mut dirs: Vec<(&String, &DirListing)> = self.dirs.iter().collect();
        dirs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (path, l) in dirs {
            put_bytes(&mut out, path.as_bytes());
            out.extend_from_slice(&l.stamp.dev.to_le_bytes());
            out.extend_from_slice(&l.stamp.ino.to_le_bytes());
            out.extend_from_slice(&l.stamp.mtime_ns.to_le_bytes());
            out.extend_from_slice(&l.stamp.ctime_ns.to_le_bytes());
            put_u32(&mut out, l.entries.len());
            for (name, kind) in &l.entries {
                out.push(kind.code());
                put_bytes(&mut out, name_bytes(name));
            }
        }
        out
    }

    /// `None` for anything that is not exactly an encoding of this format. (Walks
    /// read listings in place, through [`KeptListings`]; this owned form is for tests.)
    #[cfg(test)]
    pub fn decode(data: &[u8]) -> Option<Listings> {
        let kept = KeptListings::decode(data.to_vec())?;
        let dirs = kept
            .index
            .iter()
            .filter_map(|&at| kept.at(at))
            .map(|(path, dir)| (path.to_string(), dir.to_listing()))
            .collect();
        Some(Listings { dirs })
    }
}

/// Kept listings as a walk reads them: the encoded bytes and an index of where each
/// folder's record starts. Nothing is copied out until a folder is met, and then only
/// its stamp: names are read in place. Decoding every folder into owned names before
/// the walk could start was a tenth of an unchanged re-scan (one allocation per
/// folder and per entry, and as many frees after).
pub struct KeptListings {
    data: Vec<u8>,
    /// Offsets of folder records, found by the hash of the folder's path.
    index: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

/// One kept folder: the stamp its listing was read under and its entries, in place.
#[derive(Debug, Clone, Copy)]
pub struct KeptDir<'a> {
    pub stamp: DirStamp,
    /// Where its record starts: names it for [`KeptListings::at`].
    pub at: u32,
    count: usize,
    entries: &'a [u8],
}

impl KeptListings {
    /// `None` for anything that is not exactly an encoding of this format (every
    /// record is checked here, so reading a folder later cannot fail).
    pub fn decode(data: Vec<u8>) -> Option<KeptListings> {
        u32::try_from(data.len()).ok()?;
        let hasher = foldhash::fast::RandomState::default();
        let mut r = Reader::new(&data);
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let n = r.u32()?;
        let mut index = hashbrown::HashTable::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let at = r.position() as u32;
            let path = std::str::from_utf8(r.bytes()?).ok()?;
            r.take(32)?;
            for _ in 0..r.u32()? {
                EntryKind::from_code(*r.take(1)?.first()?)?;
                let _name = r.bytes()?;
                // Names round-trip as UTF-8 where they are not bytes.
                #[cfg(not(unix))]
                std::str::from_utf8(_name).ok()?;
            }
            let hash = hasher.hash_one(path.as_bytes());
            // A path recorded twice: the later record wins, as a map's insert would.
            match index.find_mut(hash, |&o| path_at(&data, o) == path.as_bytes()) {
                Some(slot) => *slot = at,
                None => {
                    index.insert_unique(hash, at, |&o| hasher.hash_one(path_at(&data, o)));
                }
            }
        }
        r.at_end().then_some(KeptListings {
            data,
            index,
            hasher,
        })
    }

    /// How many folders are kept.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The kept listing of the folder at root-relative `rel` (`""` is the root).
    pub fn get(&self, rel: &str) -> Option<KeptDir<'_>> {
        let hash = self.hasher.hash_one(rel.as_bytes());
        let &at = self
            .index
            .find(hash, |&o| path_at(&self.data, o) == rel.as_bytes())?;
        self.at(at).map(|(_, dir)| dir)
    }

    /// The folder whose record starts at `at` (a [`KeptDir::at`]), with its path.
    pub fn at(&self, at: u32) -> Option<(&str, KeptDir<'_>)> {
        let mut r = Reader::at(&self.data, at as usize);
        // Checked by `decode`: the reads below cannot fail.
        let path = std::str::from_utf8(r.bytes()?).ok()?;
        let stamp = DirStamp {
            dev: r.u64()?,
            ino: r.u64()?,
            mtime_ns: r.u64()? as i64,
            ctime_ns: r.u64()? as i64,
        };
        let count = r.u32()?;
        Some((
            path,
            KeptDir {
                stamp,
                at,
                count,
                entries: r.rest(),
            },
        ))
    }
}

/// The folder path of the record at `at`, as bytes (`decode` checked it is UTF-8;
/// comparing bytes spares checking it again at every lookup).
fn path_at(data: &[u8], at: u32) -> &[u8] {
    Reader::at(data, at as usize).bytes().unwrap_or_default()
}

impl<'a> KeptDir<'a> {
    /// The folder's entries, names read in place.
    pub fn entries(
        &self,
    ) -> impl Iterator<Item = (std::borrow::Cow<'a, std::ffi::OsStr>, EntryKind)> + use<'a> {
        let mut r = Reader::new(self.entries);
        (0..self.count).map_while(move |_| {
            let kind = EntryKind::from_code(*r.take(1)?.first()?)?;
            Some((name_in_place(r.bytes()?), kind))
        })
    }

    /// An owned copy, for listings carried over to the next walk.
    pub fn to_listing(&self) -> DirListing {
        DirListing {
            stamp: self.stamp,
            entries: self
                .entries()
                .map(|(name, kind)| (name.into_owned(), kind))
                .collect(),
        }
    }
}

#[cfg(unix)]
fn name_in_place(b: &[u8]) -> std::borrow::Cow<'_, std::ffi::OsStr> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn name_in_place(b: &[u8]) -> std::borrow::Cow<'_, std::ffi::OsStr> {
    // `decode` checked the name is UTF-8 there.
    std::borrow::Cow::Owned(OsString::from(std::str::from_utf8(b).unwrap_or_default()))
}

#[cfg(unix)]
fn name_bytes(name: &OsString) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes()
}

// Nothing is kept where stamps do not exist; names only need to round-trip as UTF-8.
#[cfg(not(unix))]
fn name_bytes(name: &OsString) -> &[u8] {
    name.to_str().map(str::as_bytes).unwrap_or(b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listings {
        let stamp = DirStamp {
            dev: 2049,
            ino: 77,
            mtime_ns: 1_700_000_000_123_456_789,
            ctime_ns: 1_700_000_001_000_000_000,
        };
        let mut dirs = DirListings::default();
        dirs.insert(
            String::new(),
            DirListing {
                stamp,
                entries: vec![
                    ("it-share".into(), EntryKind::Dir),
                    (".pgpass".into(), EntryKind::File),
                    ("pipe".into(), EntryKind::Fifo),
                ],
            },
        );
        dirs.insert(
            "it-share".into(),
            DirListing {
                stamp: DirStamp { ino: 78, ..stamp },
                entries: vec![],
            },
        );
        Listings { dirs }
    }

    #[test]
    fn listings_round_trip_through_their_encoding() {
        let l = sample();
        assert_eq!(Listings::decode(&l.encode()), Some(l));
    }

    /// The same folders give the same bytes, whatever order they were met in (the
    /// records are in path order).
    #[test]
    fn the_encoding_does_not_depend_on_the_order_folders_were_met() {
        let l = sample();
        let mut reversed = Listings::default();
        let mut paths: Vec<&String> = l.dirs.keys().collect();
        paths.sort();
        for p in paths.into_iter().rev() {
            reversed.dirs.insert(p.clone(), l.dirs[p].clone());
        }
        assert_eq!(reversed.encode(), l.encode());
        let bytes = l.encode();
        let root_at = MAGIC.len() + 4;
        assert_eq!(
            &bytes[root_at..root_at + 4],
            &0u32.to_le_bytes(),
            "\"\" first"
        );
    }

    /// What a walk reads in place is what was kept: each folder's stamp and entries,
    /// found by its path, and nothing for a folder that was not kept.
    #[test]
    fn kept_listings_read_in_place_say_what_was_kept() {
        let l = sample();
        let kept = KeptListings::decode(l.encode()).expect("a whole encoding");
        assert_eq!(kept.len(), l.dirs.len());
        for (path, listing) in &l.dirs {
            let dir = kept.get(path).expect("every kept folder is found");
            assert_eq!(dir.to_listing(), *listing, "{path:?}");
            let (at_path, at_dir) = kept.at(dir.at).unwrap();
            assert_eq!(at_path, path);
            assert_eq!(at_dir.to_listing(), *listing);
        }
        assert!(kept.get("it-share/missing").is_none());
        assert!(kept.get("it-shar").is_none());
        let root: Vec<(String, EntryKind)> = kept
            .get("")
            .unwrap()
            .entries()
            .map(|(n, k)| (n.to_string_lossy().into_owned(), k))
            .collect();
        assert_eq!(
            root,
            [
                ("it-share".to_string(), EntryKind::Dir),
                (".pgpass".to_string(), EntryKind::File),
                ("pipe".to_string(), EntryKind::Fifo),
            ]
        );
    }

    /// A folder recorded twice (no walk writes that) reads as its later record, as
    /// decoding into a map would.
    #[test]
    fn a_folder_recorded_twice_reads_as_its_later_record() {
        let one = |ino: u64, name: &str| {
            let mut dirs = DirListings::default();
            dirs.insert(
                "cab".to_string(),
                DirListing {
                    stamp: DirStamp {
                        dev: 1,
                        ino,
                        mtime_ns: 5,
                        ctime_ns: 6,
                    },
                    entries: vec![(name.into(), EntryKind::File)],
                },
            );
            Listings { dirs }.encode()
        };
        let (first, second) = (one(1, "old.txt"), one(2, "new.txt"));
        let mut both = MAGIC.to_vec();
        both.extend_from_slice(&2u32.to_le_bytes());
        let header = MAGIC.len() + 4;
        both.extend_from_slice(&first[header..]);
        both.extend_from_slice(&second[header..]);
        let kept = KeptListings::decode(both).unwrap();
        assert_eq!(kept.len(), 1);
        let dir = kept.get("cab").unwrap();
        assert_eq!(dir.stamp.ino, 2);
        assert_eq!(dir.to_listing().entries[0].0, "new.txt");
    }

    /// A damaged or foreign blob is never half-trusted: any cut, any trailing byte,
    /// another format tag, an unknown entry kind gives nothing at all.
    #[test]
    fn a_damaged_encoding_gives_nothing() {
        let bytes = sample().encode();
        let neither =
            |b: &[u8]| Listings::decode(b).is_none() && KeptListings::decode(b.to_vec()).is_none();
        for cut in 0..bytes.len() {
            assert!(neither(&bytes[..cut]), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(neither(&longer));
        let mut foreign = bytes.clone();
        foreign[7] = b'9';
        assert!(neither(&foreign));
        // One root folder with one entry: the kind byte follows the tag, the count,
        // the empty path, the stamp and the entry count.
        let mut one = sample();
        one.dirs.retain(|path, _| path.is_empty());
        one.dirs.get_mut("").unwrap().entries.truncate(1);
        let mut odd_kind = one.encode();
        let kind_at = MAGIC.len() + 4 + 4 + 32 + 4;
        assert_eq!(odd_kind[kind_at], EntryKind::Dir.code());
        odd_kind[kind_at] = 42;
        assert!(neither(&odd_kind));
        // A folder path that is not UTF-8 (paths are stored as the walk spells them).
        let mut odd_path = one.clone();
        odd_path.dirs = [("cab".to_string(), odd_path.dirs.remove("").unwrap())]
            .into_iter()
            .collect();
        let mut odd_path = odd_path.encode();
        let path_at = MAGIC.len() + 4 + 4;
        assert_eq!(&odd_path[path_at..path_at + 3], b"cab");
        odd_path[path_at] = 0xff;
        assert!(neither(&odd_path));
    }

    /// A folder changed within a few seconds of the walk that read it is not trusted
    /// later: the change and a second one in the same tick would share a stamp.
    #[test]
    fn only_settled_folders_are_trusted() {
        let walk = 1_800_000_000 * 1_000_000_000i64;
        let at = |secs_before: i64| DirStamp {
            dev: 1,
            ino: 1,
            mtime_ns: walk - secs_before * 1_000_000_000,
            ctime_ns: walk - secs_before * 1_000_000_000,
        };
        assert!(at(60).settled_before(walk));
        assert!(at(RACY_SECS + 1).settled_before(walk));
        assert!(!at(RACY_SECS).settled_before(walk));
        assert!(!at(0).settled_before(walk));
        assert!(
            !at(-5).settled_before(walk),
            "a folder changed after the read"
        );
        let ctime_late = DirStamp {
            ctime_ns: walk,
            ..at(60)
        };
        assert!(
            !ctime_late.settled_before(walk),
            "a chmod or rename moves ctime only"
        );
    }
}
