#![no_main]
//! A maturity-model template (TOML) through the loader and the validator: errors are
//! fine (they name file, line and field), a panic is not.
use credence::assess::{template, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(t) = template::parse("fuzz.toml", &text) {
        let _ = validate::check(&t);
    }
});
