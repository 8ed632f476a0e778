//! Moxa switches and gateways (EDS/IKS/ICS managed switches, NPort, MGate): the
//! configuration export is an ini-style text (`[Section]`, `Key = Value`) whose keys
//! are the web console's field names. The Moxa user manuals document those fields:
//! accounts with "User Name", "Password" and "Authority" (`admin` = read/write,
//! `user` = read-only; the factory accounts are `admin` and `user`), SNMP "Read
//! Community" and "Write/Read Community" (or numbered community names with an access
//! type), and SNMPv3 "Admin/User Data Encryption Key".
//!
//! Fields are matched by their normalised name (lowercase letters and digits only), so
//! `V1, V2c Write/Read Community` and `WriteReadCommunity` read the same. Several
//! accounts in one section are told apart by a trailing number (`User Name 2`).

use super::common::{Cred, Form, build, cisco_form, sections};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};
use std::collections::BTreeMap;
use std::ops::Range;

pub struct MoxaDetector;

impl Detector for MoxaDetector {
    fn name(&self) -> &'static str {
        "dialect-moxa"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["moxa".to_string()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if !is_moxa_export(input.text) {
            return;
        }
        scan(input.text, out);
    }
}

/// A Moxa export names its maker in its head and is made of `[Section]`s.
pub fn is_moxa_export(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(4096)];
    let names_moxa = head.windows(4).any(|w| w.eq_ignore_ascii_case(b"moxa"));
    names_moxa
        && text.lines().take(400).any(|l| {
            let t = l.trim();
            t.len() > 2 && t.starts_with('[') && t.ends_with(']')
        })
}

/// Lowercase letters and digits of a key: `V1, V2c Read Community` → `v1v2creadcommunity`.
fn normalise(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Splits a trailing account/community number off a key: `User Name 2` → (`User Name`, 2).
fn numbered(key: &str) -> (&str, u32) {
    let t = key.trim_end();
    let digits = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits == t.len() {
        return (t, 0);
    }
    let n = t[t.len() - digits..].parse().unwrap_or(0);
    (t[..t.len() - digits].trim_end(), n)
}

/// Setting words that stand where a key or community could be: not secrets.
const SETTINGS: &[&str] = &[
    "enable",
    "enabled",
    "disable",
    "disabled",
    "none",
    "no-auth",
    "md5-auth",
    "sha-auth",
    "yes",
    "no",
    "on",
    "off",
    "read only",
    "read/write",
    "readonly",
    "readwrite",
];

/// What a field of one account or community group holds.
#[derive(Default)]
struct Group<'a> {
    user: Option<&'a str>,
    authority: Option<&'a str>,
    access: Option<&'a str>,
    /// (normalised key without number, value, range)
    secrets: Vec<(String, &'a str, Range<usize>)>,
}

fn scan(text: &str, out: &mut Vec<RawFinding>) {
    let secs = sections(text);
    let system = secs
        .iter()
        .flat_map(|s| s.entries.iter())
        .find_map(|(k, v, _)| {
            let n = normalise(k);
            ([
                "switchname",
                "servername",
                "devicename",
                "systemname",
                "gatewayname",
                "routername",
                "hostname",
            ]
            .contains(&n.as_str())
                && !v.trim().is_empty())
            .then(|| v.trim().to_string())
        });
    for sec in &secs {
        let section = normalise(sec.name);
        let mut groups: BTreeMap<u32, Group<'_>> = BTreeMap::new();
        for (k, v, r) in &sec.entries {
            let (base, n) = numbered(k);
            let key = normalise(base);
            let g = groups.entry(n).or_default();
            match key.as_str() {
                "username" | "user" | "account" | "accountname" | "loginname" => g.user = Some(v),
                "name" if section.contains("account") || section.contains("user") => {
                    g.user = Some(v)
                }
                "authority" | "privilege" | "role" | "accesslevel" | "level" => {
                    g.authority = Some(v)
                }
                _ if key.contains("community") && key.contains("access") => g.access = Some(v),
                "accesstype" | "access" => g.access = Some(v),
                _ if is_secret_key(&key) => g.secrets.push((key, v, r.clone())),
                _ => {}
            }
        }
        for g in groups.values() {
            for (key, value, range) in &g.secrets {
                if SETTINGS.contains(&value.trim().to_ascii_lowercase().as_str()) {
                    continue;
                }
                if let Some(f) = finding(key, value, range.clone(), g, system.clone()) {
                    out.push(f);
                }
            }
        }
    }
}

/// Keys that hold a password, community or SNMPv3 key (never its confirmation,
/// policy or length settings).
fn is_secret_key(key: &str) -> bool {
    if [
        "confirm",
        "length",
        "policy",
        "complexity",
        "retry",
        "expire",
        "type",
    ]
    .iter()
    .any(|w| key.contains(w))
    {
        return false;
    }
    key.ends_with("password")
        || key.ends_with("passwd")
        || key.contains("community")
        || key.ends_with("encryptionkey")
        || key.ends_with("authkey")
        || key.ends_with("privkey")
}

fn finding(
    key: &str,
    value: &str,
    span: Range<usize>,
    g: &Group<'_>,
    system: Option<String>,
) -> Option<RawFinding> {
    let nh_rw: &[Flag] = &[Flag::NonHuman, Flag::Privileged];
    let nh: &[Flag] = &[Flag::NonHuman];
    let privileged: &[Flag] = &[Flag::Privileged];
    let (category, user, flags, form): (Category, String, &[Flag], Form) = if key
        .contains("community")
    {
        let access = g.access.unwrap_or("").to_ascii_lowercase();
        let rw = key.contains("write")
            || access.contains("write")
            || access.replace(['/', ' '], "") == "rw";
        if key.contains("trap") {
            (Category::Community, "snmp trap".into(), nh, Form::Plain)
        } else if rw {
            (Category::Community, "snmp RW".into(), nh_rw, Form::Plain)
        } else {
            (Category::Community, "snmp RO".into(), nh, Form::Plain)
        }
    } else if key.ends_with("encryptionkey") || key.ends_with("authkey") || key.ends_with("privkey")
    {
        // SNMPv3: Moxa names the two v3 users `admin` and `user`.
        let who = if key.starts_with("admin") {
            "admin"
        } else {
            "user"
        };
        let flags = if who == "admin" { nh_rw } else { nh };
        (
            Category::Password,
            format!("snmpv3 {who}"),
            flags,
            Form::Plain,
        )
    } else {
        // `Password` beside `User Name`, or `Admin Password` naming its account.
        let prefix = key
            .strip_suffix("password")
            .or_else(|| key.strip_suffix("passwd"))
            .unwrap_or("");
        let user = match (g.user, prefix) {
            (Some(u), _) if !u.trim().is_empty() => u.trim().to_string(),
            (_, p) if !p.is_empty() && p != "login" && p != "user" => p.to_string(),
            (_, "user") => "user".to_string(),
            _ => return None,
        };
        let authority = g.authority.unwrap_or("").to_ascii_lowercase();
        let admin = authority.contains("admin")
            || (authority.is_empty() && user.eq_ignore_ascii_case("admin"));
        let flags = if admin { privileged } else { &[] };
        (Category::Password, user, flags, cisco_form(None, value))
    };
    build(Cred {
        rule: "dialect.moxa",
        name: "Moxa device credential",
        category,
        span,
        value,
        form,
        user: Some(user),
        system,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_keys() {
        assert_eq!(numbered("User Name 2"), ("User Name", 2));
        assert_eq!(numbered("Password"), ("Password", 0));
        assert_eq!(
            numbered("V1, V2c Read Community"),
            ("V1, V2c Read Community", 0)
        );
        assert_eq!(numbered("123"), ("123", 0));
    }

    #[test]
    fn normalised_names() {
        assert_eq!(
            normalise("V1, V2c Write/Read Community"),
            "v1v2cwritereadcommunity"
        );
        assert!(is_secret_key("adminpassword"));
        assert!(!is_secret_key("confirmpassword"));
        assert!(!is_secret_key("adminauthtype"));
        assert!(is_secret_key("admindataencryptionkey"));
    }
}
