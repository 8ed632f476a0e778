//! Cisco type 7 and Juniper `$9$`: XOR/alphabet obfuscations with published keys.

use super::{DecodeError, from_hex, text_secret};
use crate::secret::Secret;

/// The type 7 key stream (published in Cisco's own field notices and many tools).
const XLAT: &[u8] = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

/// Decodes a Cisco type 7 value: two decimal digits of offset into the key, then
/// one hex byte per character.
pub fn cisco_type7(encoded: &str) -> Result<Secret, DecodeError> {
    let e = encoded.trim();
    if e.is_empty() {
        return Err(DecodeError::Empty);
    }
    if e.len() < 4 {
        return Err(DecodeError::WrongLength);
    }
    if !e.as_bytes()[..2].iter().all(u8::is_ascii_digit) {
        return Err(DecodeError::BadPrefix);
    }
    let (seed, rest) = e.split_at(2);
    let seed: usize = seed.parse().map_err(|_| DecodeError::BadPrefix)?;
    if seed >= XLAT.len() {
        return Err(DecodeError::BadPrefix);
    }
    let bytes = from_hex(rest)?;
    let plain: Vec<u8> = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ XLAT[(seed + i) % XLAT.len()])
        .collect();
    text_secret(plain)
}

/// Encodes as type 7 with the given offset (0..=15 as IOS does).
pub fn cisco_type7_encode(plain: &str, seed: usize) -> String {
    let seed = seed % 16;
    let mut out = format!("{seed:02}");
    for (i, b) in plain.bytes().enumerate() {
        out.push_str(&format!("{:02X}", b ^ XLAT[(seed + i) % XLAT.len()]));
    }
    out
}

/// Juniper's alphabet families (Junos `$9$`, documented by Crypt::Juniper).
const FAMILY: [&str; 4] = [
    "QzF3n6/9CAtpu0O",
    "B1IREhcSyrleKvMW8LXx",
    "7N-dVbwsY2g4oaJZGUDj",
    "iHkq.mPf5T",
];
const ENCODING: [&[u32]; 7] = [
    &[1, 4, 32],
    &[1, 16, 32],
    &[1, 8, 32],
    &[1, 64],
    &[1, 32],
    &[1, 4, 16, 128],
    &[1, 32, 64],
];

/// The families joined, with `-` moved to the end (as Junos orders it).
fn alphabet() -> Vec<u8> {
    let mut a: Vec<u8> = FAMILY
        .iter()
        .flat_map(|f| f.bytes())
        .filter(|&b| b != b'-')
        .collect();
    a.push(b'-');
    a
}

fn index_of(alpha: &[u8], c: u8) -> Option<usize> {
    alpha.iter().position(|&a| a == c)
}

/// How many filler characters follow the salt character.
fn extra(c: u8) -> Option<usize> {
    FAMILY
        .iter()
        .position(|f| f.as_bytes().contains(&c))
        .map(|fam| 3 - fam)
}

/// Decodes a Juniper `$9$` secret.
pub fn juniper9(encoded: &str) -> Result<Secret, DecodeError> {
    let body = encoded
        .trim()
        .trim_matches('"')
        .strip_prefix("$9$")
        .ok_or(DecodeError::BadPrefix)?;
    let alpha = alphabet();
    let chars = body.as_bytes();
    if chars.is_empty() {
        return Err(DecodeError::Empty);
    }
    if chars.iter().any(|&c| index_of(&alpha, c).is_none()) {
        return Err(DecodeError::BadPrefix);
    }
    let first = chars[0];
    let toss = extra(first).ok_or(DecodeError::BadPrefix)?;
    let mut pos = 1 + toss;
    if pos > chars.len() {
        return Err(DecodeError::WrongLength);
    }
    let mut prev = first;
    let mut out = Vec::new();
    while pos < chars.len() {
        let dec = ENCODING[out.len() % ENCODING.len()];
        if pos + dec.len() > chars.len() {
            return Err(DecodeError::WrongLength);
        }
        let mut num: i64 = 0;
        for (i, &c) in chars[pos..pos + dec.len()].iter().enumerate() {
            let a = index_of(&alpha, prev).unwrap_or(0) as i64;
            let b = index_of(&alpha, c).unwrap_or(0) as i64;
            let gap = (b - a).rem_euclid(alpha.len() as i64) - 1;
            num += gap * dec[i] as i64;
            prev = c;
        }
        out.push(num.rem_euclid(256) as u8);
        pos += dec.len();
    }
    text_secret(out)
}

/// Encodes as Juniper `$9$` with a fixed salt character and filler (deterministic,
/// for fixtures).
pub fn juniper9_encode(plain: &str, salt: char) -> String {
    let alpha = alphabet();
    let salt = if salt.is_ascii() && index_of(&alpha, salt as u8).is_some() {
        salt as u8
    } else {
        b'a'
    };
    let mut out = vec![salt];
    for _ in 0..extra(salt).unwrap_or(0) {
        out.push(salt);
    }
    let mut prev = salt;
    for (pos, b) in plain.bytes().enumerate() {
        let enc = ENCODING[pos % ENCODING.len()];
        let mut v = b as u32;
        let mut gaps = vec![0u32; enc.len()];
        for (i, m) in enc.iter().enumerate().rev() {
            gaps[i] = v / m;
            v %= m;
        }
        for g in gaps {
            let idx = (g as usize + index_of(&alpha, prev).unwrap_or(0) + 1) % alpha.len();
            prev = alpha[idx];
            out.push(prev);
        }
    }
    format!("$9${}", String::from_utf8_lossy(&out))
}
