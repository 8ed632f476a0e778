//! Reading one file for the scan, bounded. A file is read whole (the detectors and
//! parsers want one buffer), except when it cannot be worth it:
//! - its first block sniffs as binary: only that block is returned, so a 20 GB disk
//!   image or sparse file costs one read, not 20 GB of memory;
//! - it grew past the size limit after the walk measured it (a log being written
//!   during the scan): reading stops at the limit, so a fast writer cannot make the
//!   read unbounded.

use crate::ingest::{FileKind, sniff};
use std::io::Read;
use std::path::Path;

/// How much of the file the buffer holds.
pub(super) enum Extent {
    /// All of it: the content hash identifies the file.
    Whole,
    /// Only the first block (binary): enough to sniff and skip, not to identify.
    BinaryHead,
    /// The first `limit` bytes of a file that kept growing.
    Truncated,
}

/// The block sniffing looks at (same size as the scanner's sniff head).
const HEAD: usize = 8192;

/// Reads `path` into `bytes` (cleared first), bounded as the module says. `expected`
/// is the size the walk saw: room is reserved for it, but the file is read to its
/// end (or the limit) whatever it has become since (no `fstat` per file for a hint).
pub(super) fn read_bounded(
    path: &Path,
    expected: u64,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> std::io::Result<Extent> {
    bytes.clear();
    let file = std::fs::File::open(path)?;
    let mut reader = file.take(limit.saturating_add(1));
    bytes.reserve(expected.min(limit) as usize + 1);
    (&mut reader).take(HEAD as u64).read_to_end(bytes)?;
    if bytes.len() == HEAD && sniff(bytes) == FileKind::Binary {
        return Ok(Extent::BinaryHead);
    }
    reader.read_to_end(bytes)?;
    if bytes.len() as u64 > limit {
        bytes.truncate(limit as usize);
        return Ok(Extent::Truncated);
    }
    Ok(Extent::Whole)
}

/// The largest read buffer a worker keeps for its next file. Reusing it spares the
/// allocator fresh pages (the kernel zeroes every one) for each of 100,000 files; a
/// buffer grown by one huge file is let go rather than held for the rest of the scan.
const KEPT_BUFFER_MAX: usize = 8 << 20;

thread_local! {
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// This worker's read buffer (empty, with the capacity of earlier reads).
pub(super) fn take_buffer() -> Vec<u8> {
    READ_BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()))
}

/// Returns a buffer for the worker's next file, unless it grew too large.
pub(super) fn return_buffer(mut bytes: Vec<u8>) {
    if bytes.capacity() <= KEPT_BUFFER_MAX {
        bytes.clear();
        READ_BUFFER.with(|b| *b.borrow_mut() = bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_costs_one_block() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("disk.img");
        std::fs::File::create(&p).unwrap().set_len(1 << 30).unwrap();
        let mut bytes = Vec::new();
        let extent = read_bounded(&p, 0, u64::MAX, &mut bytes).unwrap();
        assert_eq!(bytes.len(), HEAD);
        assert!(matches!(extent, Extent::BinaryHead));
    }

    #[test]
    fn text_is_read_whole_and_a_grown_file_stops_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        std::fs::write(&p, "line\n".repeat(10_000)).unwrap();
        // One buffer for both reads, as a worker reuses its own.
        let mut bytes = b"left over from the last file".to_vec();
        let extent = read_bounded(&p, 10, 1 << 20, &mut bytes).unwrap();
        assert_eq!(bytes.len(), 50_000);
        assert!(matches!(extent, Extent::Whole));
        let extent = read_bounded(&p, 50_000, 20_000, &mut bytes).unwrap();
        assert_eq!(bytes.len(), 20_000);
        assert!(matches!(extent, Extent::Truncated));
    }
}
