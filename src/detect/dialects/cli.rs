//! The command-line grammar shared by IOS-like, Junos set-format and industrial
//! switch exports: which words introduce a secret, and where its value sits after
//! type digits, algorithm words and `address X` qualifiers.

use crate::finding::Category;

/// Words that introduce a secret value somewhere after them, with the category.
pub fn trigger(word: &str) -> Option<Category> {
    let w = word.to_ascii_lowercase();
    Some(match w.as_str() {
        "password" | "secret" | "passwd" | "encrypted-password" | "plain-text-password-value" => {
            Category::Password
        }
        "key-string"
        | "message-digest-key"
        | "server-key"
        | "shared-secret"
        | "shared-secondary-secret"
        | "pre-shared-key"
        | "domain-password"
        | "area-password"
        | "key-hash"
        | "wpa-psk"
        | "set-key"
        | "md5-key" => Category::PresharedKey,
        _ if w.ends_with("authentication-key") => Category::PresharedKey,
        _ => return None,
    })
}

/// Words skipped between a trigger and its value.
const SKIP: &[&str] = &[
    "md5",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "sha-256",
    "sha-512",
    "text",
    "ascii",
    "ascii-text",
    "hex",
    "hexadecimal",
    "local",
    "remote",
    "key",
    "unencrypted",
    "encrypted",
    "cleartext",
    "hmac-sha1",
    "hmac-sha-1",
    "hmac-sha2-256",
    "hmac-sha-256",
    "hmac-md5",
    "cmac",
    "cmac-aes-128",
    "sha384",
    "sha-384",
    "aes",
    "aes-128",
    "plaintext",
    "simple",
    "password",
];
/// Words followed by one argument that is not the value.
const PAIRS: &[&str] = &[
    "address", "hostname", "index", "level", "host", "vrf", "view", "id",
];

/// Values that are keywords of the grammar, not secrets.
pub const RESERVED: &[&str] = &[
    "ip",
    "ipaddress",
    "snmp",
    "{",
    "}",
    "encryption",
    "strength-check",
    "hash",
    "required",
    "enable",
    "disable",
    "none",
    "level",
    "0",
    "7",
    "5",
    "auth",
    "priv",
    "policy",
    "minimum-length",
    "maximum-length",
    "format",
    "change-type",
    "prompt",
    "option",
    "options",
    "aaa",
    "authentication",
    "key-chain",
    "keychain",
    "chain",
    "mode",
    "recovery",
    "encrypted",
];

/// The index of the value after position `i` (the first token after the trigger),
/// and the type digit when one precedes it.
pub fn value_after<'a>(
    toks: &[(usize, &'a str)],
    mut i: usize,
) -> Option<(usize, Option<&'a str>)> {
    let mut ty = None;
    let mut guard = 0;
    while i < toks.len() && guard < 12 {
        guard += 1;
        let t = toks[i].1;
        let lower = t.to_ascii_lowercase();
        if SKIP.contains(&lower.as_str()) && i + 1 < toks.len() {
            i += 1;
            continue;
        }
        if PAIRS.contains(&lower.as_str()) && i + 2 < toks.len() {
            i += 2;
            if lower == "address" && toks[i - 1].1.eq_ignore_ascii_case("ipv6") {
                i += 1;
            }
            continue;
        }
        // Type digits: 0-9, and 10 (IOS-XR sha512 secrets).
        if ty.is_none()
            && (t.len() == 1 && t.as_bytes()[0].is_ascii_digit() || t == "10")
            && i + 1 < toks.len()
        {
            ty = Some(t);
            i += 1;
            continue;
        }
        return Some((i, ty));
    }
    None
}

/// A value is a plausible secret (not a grammar keyword, not a bare number used as
/// an index).
pub fn plausible(v: &str) -> bool {
    let lower = v.trim_matches('"').to_ascii_lowercase();
    !lower.is_empty()
        && !RESERVED.contains(&lower.as_str())
        && !PROSE.contains(&lower.as_str())
        && !lower.starts_with('{')
        && !lower.starts_with('}')
        && lower.chars().any(|c| c.is_alphanumeric())
        && !lower.starts_with('=')
        && !lower.starts_with(':')
        && !lower.starts_with("=>")
}

/// Words that follow "password" in sentences and code, never in device configs.
const PROSE: &[&str] = &[
    "is", "was", "are", "for", "to", "the", "and", "of", "in", "on", "with", "from", "as", "a",
    "an", "be", "by", "if", "or", "not", "this", "that", "must", "should", "will", "can", "please",
    "field", "reset", "change", "expired", "policy", "prompt", "manager", "=", ":", "==", "!=",
    "->", "=>", ":=", "(", ")", "+", "-", "|",
];
