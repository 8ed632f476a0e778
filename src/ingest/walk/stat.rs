//! The metadata a walk needs of an entry, read relative to an open handle on the root.
//!
//! An unchanged re-scan is mostly stat calls (one per file and one per folder, to check
//! its kept listing), and in the kernel most of a stat by absolute path is the lookup
//! of each path component. Relative to a handle on the root, the root's own components
//! (often three or more: `/mnt/share/client/...`) are not looked up again for every
//! entry. It is also the right question to ask: the entry under the root the walk
//! opened, even if a folder above it is renamed meanwhile.

use super::listing::DirStamp;
use std::path::Path;
use std::time::SystemTime;

/// Size, modification time and, for a folder, its stamp. Links are not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryStat {
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub stamp: Option<DirStamp>,
}

impl EntryStat {
    pub fn of(meta: &std::fs::Metadata) -> EntryStat {
        EntryStat {
            len: meta.len(),
            modified: meta.modified().ok(),
            stamp: if meta.is_dir() {
                DirStamp::of(meta)
            } else {
                None
            },
        }
    }
}

/// A root folder held open for stat calls under it.
pub struct RootHandle {
    /// How paths under the root begin (the root and its separator): the rest of such
    /// a path is its name relative to the handle, found without parsing components.
    #[cfg(unix)]
    prefix: Vec<u8>,
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl RootHandle {
    /// Opens `root` (its own link followed, as the walk does). If it cannot be opened,
    /// stat calls take the whole path instead: the walk reports the folder's errors
    /// itself.
    pub fn open(root: &Path) -> RootHandle {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // A directory opened read-only serves as the base of `fstatat`; the handle
            // is not read.
            let fd = std::fs::File::open(root)
                .ok()
                .map(std::os::fd::OwnedFd::from);
            // `join` adds the separator unless the root ends with one ("/").
            let joined = root.join("x");
            let bytes = joined.as_os_str().as_bytes();
            RootHandle {
                prefix: bytes[..bytes.len() - 1].to_vec(),
                fd,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = root;
            RootHandle {}
        }
    }

    /// The metadata of `path`, an entry under the root; links are not followed.
    pub fn stat(&self, path: &Path) -> std::io::Result<EntryStat> {
        #[cfg(unix)]
        if let Some(fd) = &self.fd {
            use std::os::unix::ffi::OsStrExt;
            let bytes = path.as_os_str().as_bytes();
            if bytes.len() > self.prefix.len() && bytes.starts_with(&self.prefix) {
                return stat_at(fd, &bytes[self.prefix.len()..]);
            }
        }
        std::fs::symlink_metadata(path).map(|m| EntryStat::of(&m))
    }
}

/// `fstatat(fd, rel, AT_SYMLINK_NOFOLLOW)` for the relative name `bytes`, built on the
/// stack when it fits.
#[cfg(unix)]
// The casts are no-ops on Linux x86-64 but not everywhere: `stat`'s field types differ
// by platform (on macOS `st_dev` is an i32).
#[allow(clippy::unnecessary_cast)]
fn stat_at(fd: &std::os::fd::OwnedFd, bytes: &[u8]) -> std::io::Result<EntryStat> {
    use std::os::fd::AsRawFd;
    if bytes.contains(&0) {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    }
    let mut stack = [0u8; 512];
    let heap;
    let name: &[u8] = if bytes.len() < stack.len() {
        stack[..bytes.len()].copy_from_slice(bytes);
        &stack[..=bytes.len()]
    } else {
        heap = [bytes, &[0]].concat();
        &heap
    };
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `name` is NUL-terminated with no NUL inside, `fd` is an open directory
    // and `st` is written by the call before it is read (only on success).
    let r = unsafe {
        libc::fstatat(
            fd.as_raw_fd(),
            name.as_ptr().cast(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fstatat succeeded, so it filled `st`.
    let st = unsafe { st.assume_init() };
    let (mtime, mtime_nsec) = (st.st_mtime as i64, st.st_mtime_nsec as i64);
    let is_dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
    Ok(EntryStat {
        len: st.st_size as u64,
        modified: system_time(mtime, mtime_nsec),
        stamp: is_dir.then(|| DirStamp {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            mtime_ns: mtime * 1_000_000_000 + mtime_nsec,
            ctime_ns: st.st_ctime as i64 * 1_000_000_000 + st.st_ctime_nsec as i64,
        }),
    })
}

/// Seconds and nanoseconds since the epoch as std spells them (negative seconds
/// count back, nanoseconds forward).
#[cfg(unix)]
fn system_time(sec: i64, nsec: i64) -> Option<SystemTime> {
    use std::time::{Duration, UNIX_EPOCH};
    let nsec = Duration::from_nanos(u64::try_from(nsec).ok()?);
    if sec >= 0 {
        UNIX_EPOCH
            .checked_add(Duration::from_secs(sec as u64))?
            .checked_add(nsec)
    } else {
        UNIX_EPOCH
            .checked_sub(Duration::from_secs(sec.unsigned_abs()))?
            .checked_add(nsec)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    fn by_path(path: &Path) -> std::io::Result<EntryStat> {
        std::fs::symlink_metadata(path).map(|m| EntryStat::of(&m))
    }

    #[test]
    fn a_stat_relative_to_the_root_says_what_a_stat_by_path_says() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("share");
        std::fs::create_dir_all(root.join("it/deep/er")).unwrap();
        std::fs::write(root.join("it/deep/er/.env"), "DB_PASSWORD=x\n").unwrap();
        std::fs::write(root.join("top.txt"), "").unwrap();
        let odd = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9.ini"));
        std::fs::write(&odd, "pw = 1\n").unwrap();
        std::os::unix::fs::symlink("top.txt", root.join("link")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("dangling")).unwrap();
        let old = SystemTime::UNIX_EPOCH - std::time::Duration::from_millis(1500);
        std::fs::File::options()
            .write(true)
            .open(root.join("top.txt"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let long = root
            .join("l".repeat(200))
            .join("m".repeat(200))
            .join("n".repeat(200));
        std::fs::create_dir_all(&long).unwrap();
        std::fs::write(long.join("f"), "abc").unwrap();

        let handle = RootHandle::open(&root);
        let paths = [
            root.join("it"),
            root.join("it/deep/er"),
            root.join("it/deep/er/.env"),
            root.join("top.txt"),
            odd,
            root.join("link"),
            root.join("dangling"),
            long.join("f"),
            long.clone(),
        ];
        for p in &paths {
            assert_eq!(
                handle.stat(p).unwrap(),
                by_path(p).unwrap(),
                "{}",
                p.display()
            );
        }
        assert_eq!(
            handle.stat(&root.join("top.txt")).unwrap().modified,
            Some(old)
        );
        assert!(handle.stat(&root.join("it")).unwrap().stamp.is_some());
        assert!(handle.stat(&root.join("top.txt")).unwrap().stamp.is_none());
        let gone = handle.stat(&root.join("it/missing")).unwrap_err();
        assert_eq!(gone.kind(), std::io::ErrorKind::NotFound);
        // Outside the root (never asked by the walk): the whole path is used.
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "12345").unwrap();
        assert_eq!(handle.stat(&outside).unwrap().len, 5);
    }

    #[test]
    fn a_root_that_cannot_be_opened_falls_back_to_whole_paths() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("not-yet");
        let handle = RootHandle::open(&missing);
        std::fs::create_dir(&missing).unwrap();
        std::fs::write(missing.join("a"), "xy").unwrap();
        assert_eq!(handle.stat(&missing.join("a")).unwrap().len, 2);
    }
}
