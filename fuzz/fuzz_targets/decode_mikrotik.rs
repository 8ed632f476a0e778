#![no_main]
//! MikroTik user.dat records: the first line is the user name, the rest the record.
use credence::detect::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let user = String::from_utf8_lossy(&data[..split]);
    let _ = decode::mikrotik_user_dat(&user, data.get(split + 1..).unwrap_or(&[]));
});
