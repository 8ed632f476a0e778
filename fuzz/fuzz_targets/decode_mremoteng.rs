#![no_main]
//! The decoder on arbitrary input: an error is fine, a panic is not.
use credence::detect::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;
    let _ = decode::mremoteng(s);
});
