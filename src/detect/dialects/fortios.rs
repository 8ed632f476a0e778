//! FortiOS: `config` / `edit` / `set` blocks. `ENC` values are decoded with the key
//! disclosed by CVE-2019-6693, except admin hashes (`SH2...`, `AK1...`).

use super::common::{Cred, Form, build, lines, tokens, unquote};
use super::{Family, family};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct FortiDetector;

const RULE: &str = "dialect.fortios";
const NAME: &str = "FortiOS config credential";

impl Detector for FortiDetector {
    fn name(&self) -> &'static str {
        "dialect-fortios"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "set pass",
            "set psk",
            "set pks",
            "secret",
            "set community",
            "snmp community",
            "set key",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::FortiOs {
            return;
        }
        scan(input.text, out);
    }
}

/// Route-map `set community` values that are BGP attributes, not SNMP communities.
fn bgp_community(v: &str, rest: &str) -> bool {
    let l = v.to_ascii_lowercase();
    v.bytes().all(|b| b.is_ascii_digit())
        || v.contains(':')
        || v.starts_with('(')
        || v.starts_with('$')
        || [
            "gshut",
            "internet",
            "local-as",
            "no-advertise",
            "no-export",
            "none",
            "p2p",
            "additive",
            "delete",
            "community-list",
        ]
        .contains(&l.as_str())
        || rest.contains("additive")
        || rest.contains("delete")
}

pub fn scan(text: &str, out: &mut Vec<RawFinding>) {
    let mut host: Option<String> = None;
    for (_, line) in lines(text) {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("set hostname ") {
            host = Some(h.trim().trim_matches('"').to_string());
            break;
        }
    }
    let mut config: Vec<String> = Vec::new();
    let mut edit: Option<String> = None;
    let mut superuser = false;
    for (off, line) in lines(text) {
        let t = line.trim();
        if let Some(c) = t.strip_prefix("config ") {
            config.push(c.to_string());
            continue;
        }
        if t == "end" {
            config.pop();
            continue;
        }
        if let Some(e) = t.strip_prefix("edit ") {
            edit = Some(e.trim().trim_matches('"').to_string());
            superuser = false;
            continue;
        }
        if t == "next" {
            edit = None;
            continue;
        }
        let toks = tokens(line);
        if toks.len() < 3 || toks[0].1 != "set" {
            continue;
        }
        let field = toks[1].1.to_ascii_lowercase();
        let section = config.last().map(String::as_str).unwrap_or("");
        if field == "accprofile" && toks[2].1.contains("super_admin") {
            superuser = true;
        }
        let admin = section == "system admin";
        let (cat, user, flags): (Category, Option<String>, &[Flag]) = match field.as_str() {
            "password" | "passwd" => {
                let privileged = admin && (superuser || edit.as_deref() == Some("admin"));
                let f: &[Flag] = if privileged { &[Flag::Privileged] } else { &[] };
                (Category::Password, edit.clone(), f)
            }
            "psksecret" | "pksecret" | "psk" | "secret" | "key" | "server-secret" => {
                let label = edit.as_ref().map(|e| {
                    if section.is_empty() {
                        e.clone()
                    } else {
                        format!("{section} {e}")
                    }
                });
                (Category::PresharedKey, label, &[Flag::NonHuman])
            }
            "name" if section == "system snmp community" => {
                (Category::Community, Some("snmp".into()), &[Flag::NonHuman])
            }
            "community" => {
                let rest: Vec<&str> = toks[3..].iter().map(|t| t.1).collect();
                if bgp_community(toks[2].1, &rest.join(" ")) || toks[2].1.len() < 4 {
                    continue;
                }
                (Category::Community, Some("snmp".into()), &[Flag::NonHuman])
            }
            _ => continue,
        };
        let (vi, form) = if toks[2].1 == "ENC" {
            let Some(v) = toks.get(3) else { continue };
            let f = if v.1.starts_with("SH2") {
                Form::Hash("fortios-sha256")
            } else if v.1.starts_with("AK1") {
                Form::Hash("fortios-sha1")
            } else {
                Form::FortiEnc
            };
            (3, f)
        } else {
            (2, Form::Plain)
        };
        if toks[vi].1 == "<removed>" {
            continue;
        }
        let (voff, v) = unquote(toks[vi].0, toks[vi].1);
        let start = off + voff;
        let cat = if matches!(form, Form::Hash(_)) {
            Category::Hash
        } else {
            cat
        };
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
}
