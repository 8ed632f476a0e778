#![no_main]
//! Hash identification and verification (what the default-password check runs on
//! every hash it meets): first line the hash, second the candidate.
use credence::detect::decode::hashes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (hash, candidate) = text.split_once('\n').unwrap_or((&text, "admin"));
    if let Some(algorithm) = hashes::identify(hash)
        && matches!(hashes::cost(algorithm), hashes::Cost::Cheap | hashes::Cost::Moderate)
    {
        let _ = hashes::verify(algorithm, hash, candidate);
    }
});
