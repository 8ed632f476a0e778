//! Junos: set-format (`set system login user U authentication encrypted-password ..`),
//! curly-brace (`system { login { user U { authentication { ... } } } }`) and the XML
//! form. `$9$` secrets are decoded; `$1$/$5$/$6$` are hashes.

use super::common::{Cred, Form, build, cisco_form, lines, tokens, unquote};
use super::{Family, family};
use crate::detect::decode::hashes;
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};
use std::collections::HashSet;

pub struct JuniperDetector;

const RULE: &str = "dialect.juniper";
const NAME: &str = "Junos config credential";

impl Detector for JuniperDetector {
    fn name(&self) -> &'static str {
        "dialect-juniper"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "password",
            "secret",
            "authentication-key",
            "pre-shared-key",
            "community",
            "trap-group",
            "key ",
            "$1$",
            "$5$",
            "$6$",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::Junos {
            return;
        }
        scan(input.text, out);
    }
}

/// Words that carry no context in a user label.
const NOISE: &[&str] = &[
    "set",
    "system",
    "security",
    "protocols",
    "authentication",
    "{",
    "}",
];

pub fn scan(text: &str, out: &mut Vec<RawFinding>) {
    let host = host_name(text);
    // Users of class super-user, and read-write communities (set-format spreads one
    // object over several lines).
    let mut supers: HashSet<String> = HashSet::new();
    let mut rw: HashSet<String> = HashSet::new();
    let mut curly_user: Option<String> = None;
    for (_, line) in lines(text) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.len() == 3 && w[0] == "user" && w[2] == "{" {
            curly_user = Some(w[1].to_string());
        }
        if w.first() == Some(&"class")
            && w.get(1).is_some_and(|c| c.starts_with("super-user"))
            && let Some(u) = &curly_user
        {
            supers.insert(u.clone());
        }
        if let Some(p) = w.iter().position(|x| *x == "user")
            && w.get(p + 2) == Some(&"class")
            && w.get(p + 3).is_some_and(|c| c.contains("super-user"))
        {
            supers.insert(w[p + 1].trim_matches('"').to_string());
        }
        if let Some(p) = w.iter().position(|x| *x == "community")
            && w.contains(&"read-write")
            && let Some(c) = w.get(p + 1)
        {
            rw.insert(c.trim_matches('"').to_string());
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut xml_user: Option<String> = None;
    let mut pending_comm: Option<usize> = None;
    let mut seen_comm: HashSet<String> = HashSet::new();
    for (off, line) in lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('<') {
            xml_line(off, line, &host, &mut xml_user, out);
            continue;
        }
        let toks = tokens(line);
        let mut path: Vec<String> = stack.clone();
        path.extend(
            toks.iter()
                .map(|t| t.1.trim_end_matches(';').trim_matches('"').to_string()),
        );
        if t.ends_with('{') {
            stack.push(t.trim_end_matches('{').trim().to_string());
        } else if t.starts_with('}') {
            stack.pop();
            if stack.last().is_none_or(|s| !s.starts_with("snmp")) {
                pending_comm = None;
            }
        }
        if t.contains("read-write")
            && let Some(i) = pending_comm
            && let Some(f) = out.get_mut(i)
        {
            f.username = Some("snmp RW".into());
            if !f.flags.contains(&Flag::Privileged) {
                f.flags.push(Flag::Privileged);
            }
        }
        let flat: Vec<&str> = path.iter().flat_map(|p| p.split_whitespace()).collect();
        let user = user_of(&flat);
        let in_snmp = flat.contains(&"snmp");
        for (k, (toff, tok)) in toks.iter().enumerate() {
            let w = tok.to_ascii_lowercase();
            let (cat, skip) = match w.as_str() {
                "encrypted-password" => (Category::Hash, 0),
                "secret" | "authentication-key" | "hello-authentication-key" => {
                    (Category::PresharedKey, 0)
                }
                "pre-shared-key" => (Category::PresharedKey, 1),
                "key"
                    if matches!(
                        toks.get(k + 1).map(|t| t.1),
                        Some("hexadecimal" | "ascii-text")
                    ) =>
                {
                    (Category::PresharedKey, 1)
                }
                "community" | "trap-group" if in_snmp || k == 0 => (Category::Community, 0),
                _ => {
                    // Any crypt hash on an authentication line (typos included).
                    let (_, v) = unquote(*toff, tok);
                    if k > 0
                        && hashes::identify(v).is_some()
                        && flat.iter().any(|x| x.starts_with("authen"))
                    {
                        push(
                            out,
                            *toff + off,
                            tok,
                            Category::Hash,
                            user.clone(),
                            &supers,
                            &host,
                        );
                    }
                    continue;
                }
            };
            let Some((voff, vtok)) = toks.get(k + 1 + skip).copied() else {
                break;
            };
            if vtok == "{" || vtok.ends_with("-chain") {
                if cat == Category::Community && vtok == "{" {
                    continue;
                }
                break;
            }
            if cat == Category::Community {
                let name = vtok.trim_end_matches(';').trim_matches('"');
                if !seen_comm.insert(name.to_string()) {
                    break;
                }
                let write = rw.contains(name) || t.contains("read-write");
                let before = out.len();
                push_comm(out, off + voff, vtok, write, &host);
                if out.len() > before && t.ends_with('{') {
                    pending_comm = Some(out.len() - 1);
                }
                break;
            }
            let label = if user.is_some() {
                user.clone()
            } else {
                label_of(&flat, &w)
            };
            push(out, off + voff, vtok, cat, label, &supers, &host);
            break;
        }
    }
}

fn host_name(text: &str) -> Option<String> {
    for (_, line) in lines(text) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if let Some(p) = w.iter().position(|x| *x == "host-name")
            && let Some(h) = w.get(p + 1)
        {
            return Some(h.trim_end_matches(';').trim_matches('"').to_string());
        }
        if let Some(s) = line.find("<host-name>")
            && let Some(e) = line.find("</host-name>")
            && e > s + 11
        {
            return Some(line[s + 11..e].to_string());
        }
    }
    None
}

fn user_of(flat: &[&str]) -> Option<String> {
    if flat.contains(&"root-authentication") {
        return Some("root".into());
    }
    let p = flat.iter().position(|x| *x == "user")?;
    flat.get(p + 1).map(|u| u.to_string())
}

fn label_of(flat: &[&str], trigger: &str) -> Option<String> {
    // Key-chain secrets are named by their chain: `key-chain bgp-auth key 0`.
    if let Some(p) = flat.iter().position(|x| *x == "key-chain")
        && let Some(name) = flat.get(p + 1)
    {
        let key = flat.get(p + 3).filter(|_| flat.get(p + 2) == Some(&"key"));
        return Some(match key {
            Some(k) => format!("key-chain {name} key {k}"),
            None => format!("key-chain {name}"),
        });
    }
    let end = flat
        .iter()
        .position(|x| x.eq_ignore_ascii_case(trigger))
        .unwrap_or(flat.len());
    let words: Vec<&str> = flat[..end]
        .iter()
        .copied()
        .filter(|w| !NOISE.contains(w))
        .collect();
    let n = words.len();
    (n > 0).then(|| words[n.saturating_sub(2)..].join(" "))
}

fn push(
    out: &mut Vec<RawFinding>,
    abs: usize,
    tok: &str,
    cat: Category,
    user: Option<String>,
    supers: &HashSet<String>,
    host: &Option<String>,
) {
    let (d, v) = unquote(0, tok);
    let v = v.trim();
    let mut form = cisco_form(None, v);
    if cat == Category::Hash && form == Form::Plain {
        form = Form::Hash("junos-unknown");
    }
    if let Form::Hash("md5crypt") = form {
        form = Form::Hash("md5crypt");
    }
    let privileged = user
        .as_deref()
        .is_some_and(|u| u == "root" || supers.contains(u));
    let flags: &[Flag] = match (cat, privileged) {
        (Category::PresharedKey, _) => &[Flag::NonHuman],
        (_, true) => &[Flag::Privileged],
        _ => &[],
    };
    let lead = tok[d..].len() - tok[d..].trim_start().len();
    let start = abs + d + lead;
    if let Some(f) = build(Cred {
        rule: RULE,
        name: NAME,
        category: cat,
        span: start..start + v.len(),
        value: v,
        form,
        user,
        system: host.clone(),
        flags,
    }) {
        out.push(f);
    }
}

fn push_comm(out: &mut Vec<RawFinding>, abs: usize, tok: &str, write: bool, host: &Option<String>) {
    let (d, v) = unquote(0, tok);
    let flags: &[Flag] = if write {
        &[Flag::NonHuman, Flag::Privileged]
    } else {
        &[Flag::NonHuman]
    };
    let start = abs + d;
    if let Some(f) = build(Cred {
        rule: RULE,
        name: NAME,
        category: Category::Community,
        span: start..start + v.len(),
        value: v,
        form: Form::Plain,
        user: Some(if write { "snmp RW" } else { "snmp RO" }.into()),
        system: host.clone(),
        flags,
    }) {
        out.push(f);
    }
}

/// `<encrypted-password>$1$..</encrypted-password>` and friends; the user is the last
/// `<name>` seen.
fn xml_line(
    off: usize,
    line: &str,
    host: &Option<String>,
    user: &mut Option<String>,
    out: &mut Vec<RawFinding>,
) {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    let Some(gt) = t.find('>') else { return };
    let tag = &t[1..gt];
    let Some(end) = t.find("</") else { return };
    if end <= gt {
        return;
    }
    let value = &t[gt + 1..end];
    let abs = off + lead + gt + 1;
    match tag {
        "name" => *user = Some(value.to_string()),
        "encrypted-password" => push(
            out,
            abs,
            value,
            Category::Hash,
            user.clone(),
            &HashSet::new(),
            host,
        ),
        "secret" | "authentication-key" | "ascii-text" => push(
            out,
            abs,
            value,
            Category::PresharedKey,
            None,
            &HashSet::new(),
            host,
        ),
        _ => {}
    }
}
