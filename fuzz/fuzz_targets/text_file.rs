#![no_main]
//! Bytes scanned as `notes.txt`: sniffing, the extractor for that format and every
//! detector behind it.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::scan_as("notes.txt", data));
