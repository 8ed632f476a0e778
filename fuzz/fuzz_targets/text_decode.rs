#![no_main]
//! Encoding detection, decoding, newline normalisation and line positions of any bytes.
use credence::ingest::text::{LineIndex, decode, normalize_newlines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _encoding) = decode(data);
    let text = normalize_newlines(text);
    let index = LineIndex::new(&text);
    for offset in (0..=text.len()).step_by(97) {
        let line = index.line_of(offset);
        assert!(line < index.line_count().max(1) + 1);
        let _ = index.position(&text, offset);
    }
});
