//! Weakness of a plaintext password: length and character classes, the common list,
//! keyboard walks, season/month + year, the user, vendor or site name inside it,
//! numeric PINs and filler.

use std::collections::HashSet;

const WALKS: &[&str] = &[
    "qwerty", "asdf", "zxcv", "1qaz", "2wsx", "qazwsx", "12345", "23456", "34567", "45678",
    "56789", "54321", "98765", "1q2w3e", "q1w2e3", "azerty", "qwertz", "!qaz", "abcdef", "abc123",
];
const SEASONS: &[&str] = &[
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "fruehling",
    "sommer",
    "herbst",
    "winter",
    "januar",
    "februar",
    "maerz",
    "mai",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "printemps",
    "ete",
    "automne",
    "hiver",
];
/// Vendor and product names that often end up inside device passwords.
pub const VENDORS: &[&str] = &[
    "cisco",
    "juniper",
    "junos",
    "arista",
    "fortinet",
    "fortigate",
    "palo",
    "mikrotik",
    "aruba",
    "procurve",
    "siemens",
    "simatic",
    "scalance",
    "moxa",
    "hirschmann",
    "westermo",
    "schneider",
    "modicon",
    "rockwell",
    "allen",
    "abb",
    "honeywell",
    "emerson",
    "deltav",
    "yokogawa",
    "wago",
    "phoenix",
    "beckhoff",
    "omron",
    "mitsubishi",
    "ge",
    "wonderware",
    "wincc",
    "osisoft",
];

/// Reasons a password is weak (empty when it is not).
pub fn weakness(
    pw: &str,
    user: Option<&str>,
    system: Option<&str>,
    common: &HashSet<String>,
) -> Vec<&'static str> {
    let mut why = Vec::new();
    let n = pw.chars().count();
    let lower = pw.to_lowercase();
    let classes = [
        pw.chars().any(|c| c.is_lowercase()),
        pw.chars().any(|c| c.is_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if n < 8 {
        why.push("shorter than 8");
    } else if n < 12 && classes < 3 {
        why.push("under 12 characters with fewer than 3 character classes");
    }
    if pw.chars().all(|c| c.is_ascii_digit()) {
        why.push("numeric PIN");
    }
    if common.contains(&lower) || common.contains(base_word(&lower)) {
        why.push("common password");
    }
    if WALKS.iter().any(|w| lower.contains(w)) {
        why.push("keyboard walk or sequence");
    }
    if season_year(&lower) {
        why.push("season or month with a year");
    }
    // Context labels ("snmp RO", "line vty 0 4", "ntp") are not user names.
    if let Some(u) =
        user.filter(|u| !u.contains(' ') && !["ntp", "isakmp", "enable", "snmp", "vnc"].contains(u))
    {
        let u = u.rsplit(['\\', '/']).next().unwrap_or(u).to_lowercase();
        if u.len() >= 3 && lower.contains(&u) {
            why.push("contains the user name");
        }
    }
    if VENDORS.iter().any(|v| v.len() >= 4 && lower.contains(v)) {
        why.push("contains a vendor name");
    }
    if let Some(s) = system {
        let s = s.to_lowercase();
        if s.split(['-', '_', '.', ' '])
            .any(|part| part.len() >= 4 && lower.contains(part))
        {
            why.push("contains the system or site name");
        }
    }
    let mut distinct: Vec<char> = Vec::new();
    for c in pw.chars() {
        if !distinct.contains(&c) {
            distinct.push(c);
        }
    }
    if n >= 4 && distinct.len() <= 2 {
        why.push("repeated characters");
    }
    why
}

/// The word before trailing digits and symbols (`Welcome2024!` -> `welcome`).
fn base_word(lower: &str) -> &str {
    lower.trim_end_matches(|c: char| c.is_ascii_digit() || !c.is_alphanumeric())
}

/// `Summer2024!`, `march23`, `Winter-2019`: a season or month followed by a year.
fn season_year(lower: &str) -> bool {
    let letters: String = lower.chars().take_while(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || !SEASONS.contains(&letters.as_str()) {
        return false;
    }
    let rest = &lower[letters.len()..];
    let digits: String = rest
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.len() == 2 || digits.len() == 4
}
