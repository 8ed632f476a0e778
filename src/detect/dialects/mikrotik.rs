//! MikroTik RouterOS `/export` files: a `/path` line sets the menu, then
//! `add`/`set` lines carry `key=value` pairs (`/user add name=x password=y`,
//! `/ppp secret`, `/snmp community`, wireless and IPsec pre-shared keys).

use super::common::{Cred, Form, build, lines, unquote};
use super::{Family, family};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct MikrotikDetector;

impl Detector for MikrotikDetector {
    fn name(&self) -> &'static str {
        "dialect-mikrotik"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "password=",
            "secret=",
            "pre-shared-key=",
            "passphrase=",
            "/snmp community",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::Mikrotik {
            return;
        }
        scan(input.text, out);
    }
}

/// `key=value` pairs of a line with the absolute offset of each value.
fn pairs(off: usize, line: &str) -> Vec<(&str, usize, &str)> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let ks = i;
        while i < b.len() && b[i] != b'=' && b[i] != b' ' {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        let key = &line[ks..i];
        i += 1;
        let vs = i;
        if i < b.len() && b[i] == b'"' {
            i += 1;
            while i < b.len() && !(b[i] == b'"' && b[i - 1] != b'\\') {
                i += 1;
            }
            i = (i + 1).min(b.len());
        } else {
            while i < b.len() && b[i] != b' ' {
                i += 1;
            }
        }
        let (voff, v) = unquote(vs, &line[vs..i]);
        out.push((key, off + voff, v));
    }
    out
}

pub fn scan(text: &str, out: &mut Vec<RawFinding>) {
    let mut host = None;
    let mut menu = String::new();
    for (_, line) in lines(text) {
        let t = line.trim();
        if t.starts_with("/system identity")
            || (menu == "/system identity" && t.starts_with("set "))
        {
            if let Some((_, _, v)) = pairs(0, t).into_iter().find(|p| p.0 == "name") {
                host = Some(v.to_string());
            }
        }
        if t.starts_with('/') {
            menu = t
                .split_whitespace()
                .take(3)
                .take_while(|w| !w.contains('=') && *w != "add" && *w != "set")
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    menu.clear();
    for (off, line) in lines(text) {
        let t = line.trim_start();
        let lead = line.len() - t.len();
        if t.starts_with('/') {
            menu = t
                .split_whitespace()
                .take_while(|w| !w.contains('=') && *w != "add" && *w != "set")
                .collect::<Vec<_>>()
                .join(" ");
        }
        if t.starts_with('#') {
            continue;
        }
        let kv = pairs(off + lead, t);
        let get = |k: &str| kv.iter().find(|p| p.0 == k).map(|p| p.2.to_string());
        let name = get("name");
        for (key, start, v) in &kv {
            let (cat, user, flags): (Category, Option<String>, &[Flag]) =
                match (menu.as_str(), *key) {
                    ("/user", "password") => {
                        let full = get("group").as_deref() == Some("full");
                        (
                            Category::Password,
                            name.clone(),
                            if full { &[Flag::Privileged] } else { &[] },
                        )
                    }
                    ("/ppp secret", "password") => (Category::Password, name.clone(), &[]),
                    ("/snmp community", "name") => {
                        let rw = get("write-access").as_deref() == Some("yes");
                        let f: &[Flag] = if rw {
                            &[Flag::NonHuman, Flag::Privileged]
                        } else {
                            &[Flag::NonHuman]
                        };
                        (
                            Category::Community,
                            Some(if rw { "snmp RW" } else { "snmp RO" }.into()),
                            f,
                        )
                    }
                    (_, "wpa-pre-shared-key" | "wpa2-pre-shared-key" | "passphrase") => (
                        Category::PresharedKey,
                        Some(format!("wifi {}", name.clone().unwrap_or_default())),
                        &[Flag::NonHuman],
                    ),
                    (m, "secret") if m.contains("ipsec") || m.contains("radius") => (
                        Category::PresharedKey,
                        Some(m.trim_start_matches('/').to_string()),
                        &[Flag::NonHuman],
                    ),
                    (_, "password") if !menu.is_empty() => {
                        (Category::Password, get("user").or(name.clone()), &[])
                    }
                    _ => continue,
                };
            if let Some(f) = build(Cred {
                rule: "dialect.mikrotik",
                name: "MikroTik export credential",
                category: cat,
                span: *start..*start + v.len(),
                value: v,
                form: Form::Plain,
                user,
                system: host.clone(),
                flags,
            }) {
                out.push(f);
            }
        }
    }
}
