//! Output files that appear whole or not at all. Reports, registers and exports are
//! written beside their destination under a hidden partial name, flushed to disk, then
//! renamed over it: a process killed mid-write (SIGKILL, power loss) leaves the previous
//! file intact instead of a truncated PDF that a board member opens next morning.
//! A partial left by a killed run is removed by the next write to the same path.
//! What is written is readable by its owner only (0600, the partial's mode, also when
//! it replaces a file): a report on a client's credentials is not for every account.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Marks our partial files, so a later write can tell them from the user's own files.
const PARTIAL_MARK: &str = ".credence-partial-";

/// A file being written: `commit` publishes it at its destination; dropping it without
/// a commit (an error on the way) removes the partial and leaves the destination as it was.
pub struct OutputFile {
    dest: PathBuf,
    /// `None` when writing straight into a destination that is not a regular file.
    partial: Option<tempfile::NamedTempFile>,
    writer: Option<BufWriter<File>>,
}

impl OutputFile {
    /// Starts writing `dest`: the partial lives in the same folder (a rename across
    /// file systems would not be atomic).
    pub fn create(dest: &Path) -> io::Result<OutputFile> {
        // A device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a pipe) is written
        // to directly: renaming over it would replace the device with a plain file.
        if let Ok(meta) = std::fs::metadata(dest)
            && !meta.is_file()
        {
            return Ok(OutputFile {
                dest: dest.to_path_buf(),
                partial: None,
                writer: Some(BufWriter::new(File::create(dest)?)),
            });
        }
        // A symlink to a file is followed: the file it names is replaced, the link stays.
        let resolved;
        let dest = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => {
                resolved = std::fs::canonicalize(dest)?;
                resolved.as_path()
            }
            _ => dest,
        };
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dest
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?
            .to_string_lossy()
            .into_owned();
        remove_stale_partials(&dir, &name);
        let partial = tempfile::Builder::new()
            .prefix(&format!(".{name}{PARTIAL_MARK}"))
            .tempfile_in(&dir)?;
        let writer = BufWriter::new(partial.as_file().try_clone()?);
        Ok(OutputFile {
            dest: dest.to_path_buf(),
            partial: Some(partial),
            writer: Some(writer),
        })
    }

    /// Flushes to disk and renames over the destination.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        let Some(partial) = self.partial.take() else {
            return Ok(()); // written in place (a device or a pipe)
        };
        partial.as_file().sync_all()?;
        partial.persist(&self.dest).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.as_mut().expect("not committed").write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.as_mut().expect("not committed").flush()
    }
}

/// Writes `bytes` to `dest` whole or not at all.
pub fn write_atomically(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OutputFile::create(dest)?;
    f.write_all(bytes)?;
    f.commit()
}

/// Removes the partials of `name` that a killed run left in `dir`. Best effort: a
/// partial another live process is writing to the same destination would be removed
/// too, and that process's rename then fails loudly (two writers to one path is a
/// mistake either way).
fn remove_stale_partials(dir: &Path, name: &str) {
    let prefix = format!(".{name}{PARTIAL_MARK}");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.pdf");
        std::fs::write(&dest, b"old report").unwrap();
        write_atomically(&dest, b"new report").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new report");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_abandoned_write_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("register.csv");
        std::fs::write(&dest, b"id,title\n").unwrap();
        {
            let mut f = OutputFile::create(&dest).unwrap();
            f.write_all(b"half a regis").unwrap();
            // Dropped without commit: an error happened on the way.
        }
        assert_eq!(std::fs::read(&dest).unwrap(), b"id,title\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_device_is_written_through_never_replaced() {
        use std::os::unix::fs::FileTypeExt;
        // A FIFO stands for `/dev/null` and pipes (a test must not risk the real device).
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomically(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the FIFO must stay a FIFO");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_destination_keeps_its_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn a_partial_left_by_a_killed_run_is_cleared_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("board.pdf");
        let stale = dir.path().join(format!(".board.pdf{PARTIAL_MARK}x1y2z3"));
        std::fs::write(&stale, b"%PDF-1.7 trunc").unwrap();
        let unrelated = dir.path().join(".board.pdf.notes");
        std::fs::write(&unrelated, b"mine").unwrap();
        write_atomically(&dest, b"%PDF-1.7 whole").unwrap();
        assert!(!stale.exists());
        assert!(unrelated.exists(), "only our own partials are removed");
    }
}
