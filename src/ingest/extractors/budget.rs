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
        mut r: impl Read,
        compressed: Option<u64>,
    ) -> Result<Vec<u8>, ExtractError> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    return Err(ExtractError::Corrupt {
                        format: "archive member",
                        detail: format!("{what}: truncated or corrupt compressed data"),
                    });
                }
            };
            out.extend_from_slice(&buf[..n]);
            self.check(what, out.len() as u64, compressed)?;
        }
        self.total_out += out.len() as u64;
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

/// A member name that would escape an extraction folder (`../`, absolute, drive).
pub fn is_traversal(name: &str) -> bool {
    let n = name.replace('\\', "/");
    n.starts_with('/')
        || n.split('/').any(|p| p == "..")
        || (n.len() > 1 && n.as_bytes()[1] == b':')
}
