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

pub(super) fn read_bounded(path: &Path, limit: u64) -> std::io::Result<(Vec<u8>, Extent)> {
    let file = std::fs::File::open(path)?;
    let expected = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = file.take(limit.saturating_add(1));
    let mut bytes = Vec::with_capacity(expected.min(limit) as usize + 1);
    (&mut reader).take(HEAD as u64).read_to_end(&mut bytes)?;
    if bytes.len() == HEAD && sniff(&bytes) == FileKind::Binary {
        return Ok((bytes, Extent::BinaryHead));
    }
    reader.read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        bytes.truncate(limit as usize);
        return Ok((bytes, Extent::Truncated));
    }
    Ok((bytes, Extent::Whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_file_costs_one_block() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("disk.img");
        std::fs::File::create(&p).unwrap().set_len(1 << 30).unwrap();
        let (bytes, extent) = read_bounded(&p, u64::MAX).unwrap();
        assert_eq!(bytes.len(), HEAD);
        assert!(matches!(extent, Extent::BinaryHead));
    }

    #[test]
    fn text_is_read_whole_and_a_grown_file_stops_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("app.log");
        std::fs::write(&p, "line\n".repeat(10_000)).unwrap();
        let (bytes, extent) = read_bounded(&p, 1 << 20).unwrap();
        assert_eq!(bytes.len(), 50_000);
        assert!(matches!(extent, Extent::Whole));
        let (bytes, extent) = read_bounded(&p, 20_000).unwrap();
        assert_eq!(bytes.len(), 20_000);
        assert!(matches!(extent, Extent::Truncated));
    }
}
