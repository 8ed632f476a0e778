#![no_main]
//! Bytes scanned as `keepass-export.xml`: sniffing, the extractor for that format and every
//! detector behind it.
use libfuzzer_sys::fuzz_target;
#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::scan_as("keepass-export.xml", data));
