//! Password hash formats: recognise them, say how strong they are, and check a
//! candidate password against one (for the bounded default/common-password check).

use md5::{Digest, Md5};

/// The crypt alphabet used by md5crypt, sha-crypt and Cisco types 4/8/9.
const ITOA64: &[u8] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// How costly one check of a candidate is, which bounds how many candidates are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// One digest (NTLM, Cisco type 4): microseconds.
    Cheap,
    /// 1000-5000 digest rounds (md5crypt, sha-crypt): about a millisecond.
    Moderate,
    /// PBKDF2 20000 rounds or scrypt (Cisco 8/9), bcrypt: milliseconds or more.
    Expensive,
    /// Not checkable here.
    Unsupported,
}

/// Names a hash format from its text, or None when it is not one we recognise.
pub fn identify(hash: &str) -> Option<&'static str> {
    let h = hash.trim();
    let crypt_tail = |s: &str| s.bytes().all(|b| ITOA64.contains(&b) || b == b'$');
    if let Some(rest) = h.strip_prefix("$1$") {
        return (rest.contains('$') && crypt_tail(rest)).then_some("md5crypt");
    }
    // Named by prefix and alphabet; only `verify` needs the exact crypt(3) shape (a
    // truncated sha512crypt copied into a config is still a hash, not a password).
    let sha_crypt_like = |rest: &str| {
        let rest = match rest.strip_prefix("rounds=") {
            Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => rest,
        };
        rest.contains('$') && crypt_tail(rest)
    };
    if let Some(rest) = h.strip_prefix("$5$") {
        return sha_crypt_like(rest).then_some("sha256crypt");
    }
    if let Some(rest) = h.strip_prefix("$6$") {
        return sha_crypt_like(rest).then_some("sha512crypt");
    }
    if let Some(rest) = h.strip_prefix("$8$") {
        return (rest.len() == 14 + 1 + 43 && crypt_tail(rest)).then_some("cisco-type8");
    }
    if let Some(rest) = h.strip_prefix("$9$")
        && rest.len() == 14 + 1 + 43
        && rest.as_bytes().get(14) == Some(&b'$')
        && crypt_tail(rest)
    {
        return Some("cisco-type9");
    }
    if h.starts_with("$2a$") || h.starts_with("$2b$") || h.starts_with("$2y$") {
        return Some("bcrypt");
    }
    if h.starts_with("$sha512$") {
        return Some("cisco-sha512");
    }
    None
}

/// Most sha-crypt rounds a candidate check will spend: the default is 5000; a hash
/// asking for more (up to 999,999,999) is recognised but not checked, so a hostile file
/// cannot make the default-password check run for minutes.
const MAX_CHECKED_SHA_CRYPT_ROUNDS: u64 = 10_000;

/// `[rounds=N$]salt$hash` after the `$5$`/`$6$` prefix, when it has the exact shape
/// crypt(3) writes: rounds a number, salt without `$`, hash `hash_len` crypt characters.
/// Returns the rounds (5000 when absent).
fn sha_crypt_parts(rest: &str, hash_len: usize) -> Option<u64> {
    let mut parts: Vec<&str> = rest.split('$').collect();
    let rounds = match parts.first()?.strip_prefix("rounds=") {
        Some(n) => {
            let n = n.parse::<u64>().ok()?;
            parts.remove(0);
            n
        }
        None => 5000,
    };
    let [salt, hash] = parts[..] else {
        return None;
    };
    let well_formed = salt.len() <= 16
        && hash.len() == hash_len
        && hash.bytes().all(|b| ITOA64.contains(&b) && b != b'$');
    well_formed.then_some(rounds)
}

/// How hard a hash format is to attack offline: "weak" (fast or unsalted), "moderate"
/// (iterated), "strong" (memory-hard or adaptive), or "unknown".
pub fn strength(algorithm: &str) -> &'static str {
    match algorithm {
        "ntlm"
        | "cisco-type4"
        | "cisco-type5"
        | "md5crypt"
        | "cisco-asa-md5"
        | "fortios-sha1"
        | "fortios-sha256"
        | "procurve-sha1"
        | "arubaos-mgmt-user"
        | "snmpv3-localized-key" => "weak",
        "sha256crypt" | "sha512crypt" | "cisco-type8" | "cisco-asa-pbkdf2" | "cisco-sha512" => {
            "moderate"
        }
        "cisco-type9" | "bcrypt" => "strong",
        _ => "unknown",
    }
}

pub fn cost(algorithm: &str) -> Cost {
    match algorithm {
        "ntlm" | "cisco-type4" => Cost::Cheap,
        "md5crypt" | "sha256crypt" | "sha512crypt" => Cost::Moderate,
        "cisco-type8" | "cisco-type9" => Cost::Expensive,
        _ => Cost::Unsupported,
    }
}

/// True when `candidate` hashes to `hash` under `algorithm`.
pub fn verify(algorithm: &str, hash: &str, candidate: &str) -> bool {
    let h = hash.trim();
    match algorithm {
        "md5crypt" => {
            let Some(rest) = h.strip_prefix("$1$") else {
                return false;
            };
            let Some((salt, _)) = rest.split_once('$') else {
                return false;
            };
            md5crypt(candidate.as_bytes(), salt.as_bytes()) == h
        }
        // Checked only when well formed (sha-crypt 0.5 panics on a malformed hash
        // string, found by fuzzing) and within the rounds bound.
        "sha256crypt" => {
            h.strip_prefix("$5$")
                .and_then(|r| sha_crypt_parts(r, 43))
                .is_some_and(|rounds| rounds <= MAX_CHECKED_SHA_CRYPT_ROUNDS)
                && sha_crypt::sha256_check(candidate, h).is_ok()
        }
        "sha512crypt" => {
            h.strip_prefix("$6$")
                .and_then(|r| sha_crypt_parts(r, 86))
                .is_some_and(|rounds| rounds <= MAX_CHECKED_SHA_CRYPT_ROUNDS)
                && sha_crypt::sha512_check(candidate, h).is_ok()
        }
        "cisco-type4" => {
            use sha2::Sha256;
            cisco_b64(&Sha256::digest(candidate.as_bytes())) == h
        }
        "cisco-type8" => {
            let Some((salt, want)) = h.strip_prefix("$8$").and_then(|r| r.split_once('$')) else {
                return false;
            };
            let mut out = [0u8; 32];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
                candidate.as_bytes(),
                salt.as_bytes(),
                20_000,
                &mut out,
            );
            cisco_b64(&out) == want
        }
        "cisco-type9" => {
            let Some((salt, want)) = h.strip_prefix("$9$").and_then(|r| r.split_once('$')) else {
                return false;
            };
            let Ok(params) = scrypt::Params::new(14, 1, 1, 32) else {
                return false;
            };
            let mut out = [0u8; 32];
            if scrypt::scrypt(candidate.as_bytes(), salt.as_bytes(), &params, &mut out).is_err() {
                return false;
            }
            cisco_b64(&out) == want
        }
        "ntlm" => {
            let utf16: Vec<u8> = candidate
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect();
            hex::encode(md4::Md4::digest(&utf16)).eq_ignore_ascii_case(h)
        }
        _ => false,
    }
}

/// Cisco's base64: standard bit order, crypt alphabet, no padding.
pub fn cisco_b64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        let n = chunk.len() + 1;
        for i in 0..n {
            out.push(ITOA64[((v >> (18 - 6 * i)) & 0x3f) as usize] as char);
        }
    }
    out
}

/// md5crypt (`$1$salt$hash`), as in FreeBSD's crypt-md5 (used by Cisco type 5 and
/// Junos `$1$`).
pub fn md5crypt(pw: &[u8], salt: &[u8]) -> String {
    let salt = &salt[..salt.len().min(8)];
    let magic = b"$1$";
    let alt = {
        let mut c = Md5::new();
        c.update(pw);
        c.update(salt);
        c.update(pw);
        c.finalize()
    };
    let mut ctx = Md5::new();
    ctx.update(pw);
    ctx.update(magic);
    ctx.update(salt);
    let mut left = pw.len();
    while left > 0 {
        let n = left.min(16);
        ctx.update(&alt[..n]);
        left -= n;
    }
    let mut i = pw.len();
    while i != 0 {
        if i & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&pw[..1.min(pw.len())]);
        }
        i >>= 1;
    }
    let mut fin = ctx.finalize();
    for r in 0..1000 {
        let mut c = Md5::new();
        if r & 1 == 1 {
            c.update(pw);
        } else {
            c.update(fin);
        }
        if r % 3 != 0 {
            c.update(salt);
        }
        if r % 7 != 0 {
            c.update(pw);
        }
        if r & 1 == 1 {
            c.update(fin);
        } else {
            c.update(pw);
        }
        fin = c.finalize();
    }
    let mut out = String::from("$1$");
    out.push_str(&String::from_utf8_lossy(salt));
    out.push('$');
    let mut to64 = |mut v: u32, n: usize| {
        for _ in 0..n {
            out.push(ITOA64[(v & 0x3f) as usize] as char);
            v >>= 6;
        }
    };
    for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
        to64(
            ((fin[a] as u32) << 16) | ((fin[b] as u32) << 8) | fin[c] as u32,
            4,
        );
    }
    to64(fin[11] as u32, 2);
    out
}
