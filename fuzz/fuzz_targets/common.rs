//! Shared by the fuzz targets: one scanner (rules compiled once per process) and the
//! call every file-format target makes.

use credence::Scanner;
use credence::vault::FingerprintKey;
use std::sync::OnceLock;

pub fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| Scanner::new(FingerprintKey::from_bytes([9; 32])).expect("rules load"))
}

/// Scans `data` as a file called `name`. A per-file error is a fine outcome; a panic,
/// a hang or runaway memory is what the fuzzer is looking for.
pub fn scan_as(name: &str, data: &[u8]) {
    let _ = scanner().scan_memory(name, data);
}
