//! Reading compressed entries within [`Limits`]: bytes are counted while they are
//! inflated (declared sizes are never trusted), so a zip bomb stops at the limit with
//! a reason instead of filling memory.

use crate::ingest::{ExtractError, Limits};
use std::io::Read;

/// Below this many inflated bytes a member's ratio is not judged: a small file of
/// repeated characters compresses well without being a bomb.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// What one container has inflated so far.
pub struct Budget<'l> {
    limits: &'l Limits,
    /// Size of the container as stored (for the overall ratio).
    input_len: u64,
    total_out: u64,
    entries: u64,
}

impl<'l> Budget<'l> {
    pub fn new(limits: &'l Limits, input_len: usize) -> Self {
        Budget {
            limits,
            input_len: input_len as u64,
            total_out: 0,
            entries: 0,
        }
    }

    /// Counts one entry against the entry limit.
    pub fn entry(&mut self) -> Result<(), ExtractError> {
        self.entries += 1;
        if self.entries > self.limits.max_archive_entries {
            return Err(ExtractError::LimitExceeded(format!(
                "more than {} entries",
                self.limits.max_archive_entries
            )));
        }
        Ok(())
    }

    /// Reads a whole entry, counting bytes while inflating. `compressed` is the
    /// entry's stored size where the container says it (zip), for its own ratio.
    pub fn read(
        &mut self,
        what: &str,
        r: impl Read,
        compressed: Option<u64>,
    ) -> Result<Vec<u8>, ExtractError> {
        self.read_into(what, r, compressed, true, 0)
    }

    /// Like [`Budget::read`], with room reserved for `declared` bytes (capped by the
    /// member limit: a declared size is a hint, never trusted).
    pub fn read_sized(
        &mut self,
        what: &str,
        r: impl Read,
        compressed: Option<u64>,
        declared: u64,
    ) -> Result<Vec<u8>, ExtractError> {
        self.read_into(what, r, compressed, true, declared)
    }

    /// Inflates an entry only to count it against the limits (the bomb guard for
    /// entries another parser reads); keeps nothing. Returns the inflated size.
    pub fn count(
        &mut self,
        what: &str,
        r: impl Read,
        compressed: Option<u64>,
    ) -> Result<u64, ExtractError> {
        let before = self.total_out;
        self.read_into(what, r, compressed, false, 0)?;
        Ok(self.total_out - before)
    }

    fn read_into(
        &mut self,
        what: &str,
        mut r: impl Read,
        compressed: Option<u64>,
        keep: bool,
        declared: u64,
    ) -> Result<Vec<u8>, ExtractError> {
        let mut out = Vec::with_capacity(declared.min(self.limits.max_member_size) as usize);
        // Kept bytes are inflated straight into `out` (no copy through a scratch
        // buffer: for a workbook's sheet that is tens of megabytes moved once more);
        // counted bytes go through the scratch buffer. Either way the limits are
        // checked after every chunk, so a bomb stops at its first chunk over them.
        let mut scratch = if keep { Vec::new() } else { vec![0u8; CHUNK] };
        let mut inflated = 0u64;
        loop {
            let read = if keep {
                (&mut r).take(CHUNK as u64).read_to_end(&mut out)
            } else {
                read_some(&mut r, &mut scratch)
            };
            let n = match read {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    return Err(ExtractError::Corrupt {
                        format: "archive member",
                        detail: format!("{what}: truncated or corrupt compressed data"),
                    });
                }
            };
            inflated += n as u64;
            self.check(what, inflated, compressed)?;
        }
        self.total_out += inflated;
        Ok(out)
    }

    fn check(&self, what: &str, member: u64, compressed: Option<u64>) -> Result<(), ExtractError> {
        let l = self.limits;
        let refuse = |why: String| Err(ExtractError::LimitExceeded(format!("{what}: {why}")));
        if member > l.max_member_size {
            return refuse(format!(
                "member larger than {} MiB uncompressed",
                l.max_member_size >> 20
            ));
        }
        let total = self.total_out + member;
        if total > l.max_archive_total {
            return refuse(format!(
                "archive larger than {} MiB uncompressed",
                l.max_archive_total >> 20
            ));
        }
        if let Some(c) = compressed
            && member > RATIO_FLOOR
            && member / c.max(1) > l.max_compression_ratio
        {
            return refuse(format!(
                "compression ratio over {}:1 (zip bomb?)",
                l.max_compression_ratio
            ));
        }
        if total > RATIO_FLOOR && total / self.input_len.max(1) > l.max_compression_ratio {
            return refuse(format!(
                "archive compression ratio over {}:1 (zip bomb?)",
                l.max_compression_ratio
            ));
        }
        Ok(())
    }
}

/// Bytes inflated between two checks of the limits.
const CHUNK: usize = 64 * 1024;

/// One `read`, retried when interrupted.
fn read_some(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A member name that would escape an extraction folder (`../`, absolute, drive).
pub fn is_traversal(name: &str) -> bool {
    let n = name.replace('\\', "/");
    n.starts_with('/')
        || n.split('/').any(|p| p == "..")
        || (n.len() > 1 && n.as_bytes()[1] == b':')
}
