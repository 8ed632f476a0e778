#![no_main]
//! WinSCP's obfuscation is keyed by user and host: the input is split into the three.
use credence::detect::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (user, host, encoded) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let _ = decode::winscp(user, host, encoded);
});
