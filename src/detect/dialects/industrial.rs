//! Industrial switches and gateways: Westermo WeOS (`management` → `snmp` with
//! `rocommunity` / `rwcommunity` / `trapcommunity`, per the WeOS management guide)
//! and Hirschmann HiOS CLI scripts (`users password USER VALUE`). Lines of the
//! IOS-like grammar in the same files are read by [`super::cisco::scan`], SCALANCE
//! `user-account` lines included; [`scalance_roles`] adds what their roles grant.

use super::common::{Cred, Form, build, cisco_form, first_value_after, lines, tokens, unquote};
use super::{Family, cisco, family};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct IndustrialDetector;

impl Detector for IndustrialDetector {
    fn name(&self) -> &'static str {
        "dialect-industrial"
    }
    fn keywords(&self) -> Vec<String> {
        ["community", "users password", "password"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::Industrial {
            return;
        }
        let host = first_value_after(input.text, &["hostname", "system name"]).map(str::to_string);
        for (off, line) in lines(input.text) {
            let toks = tokens(line);
            let w0 = toks
                .first()
                .map(|t| t.1.to_ascii_lowercase())
                .unwrap_or_default();
            let (vi, cat, user, flags): (usize, Category, String, &[Flag]) = match w0.as_str() {
                "rocommunity" | "read-community" | "trapcommunity" => {
                    (1, Category::Community, "snmp RO".into(), &[Flag::NonHuman])
                }
                "rwcommunity" | "write-community" => (
                    1,
                    Category::Community,
                    "snmp RW".into(),
                    &[Flag::NonHuman, Flag::Privileged],
                ),
                "users" if toks.get(1).is_some_and(|t| t.1 == "password") => {
                    let u = toks.get(2).map(|t| t.1.to_string()).unwrap_or_default();
                    let f: &[Flag] = if u == "admin" {
                        &[Flag::Privileged]
                    } else {
                        &[]
                    };
                    (3, Category::Password, u, f)
                }
                _ => continue,
            };
            let Some(&(toff, tok)) = toks.get(vi) else {
                continue;
            };
            let (voff, v) = unquote(toff, tok);
            let start = off + voff;
            let form = if cat == Category::Password {
                cisco_form(None, v)
            } else {
                Form::Plain
            };
            if let Some(f) = build(Cred {
                rule: "dialect.industrial",
                name: "Industrial switch credential",
                category: cat,
                span: start..start + v.len(),
                value: v,
                form,
                user: Some(user),
                system: host.clone(),
                flags,
            }) {
                out.push(f);
            }
        }
        cisco::scan(input.text, out);
    }
}

/// SCALANCE XM-400/XR-500 self-defined roles: the CLI manual's `role NAME
/// function-rights 1|15` (1 reads device parameters, 15 may change them). A
/// `user-account U password P role NAME` whose role has rights 15 is privileged like
/// the built-in `admin` role.
pub fn scalance_roles(text: &str, found: &mut [RawFinding]) {
    let mut full: Vec<&str> = Vec::new();
    for (_, line) in lines(text) {
        let toks = tokens(line);
        let w = |i: usize| toks.get(i).map(|t| t.1).unwrap_or("");
        if w(0) == "role" && w(2) == "function-rights" && w(3) == "15" {
            full.push(w(1));
        }
    }
    if full.is_empty() {
        return;
    }
    for f in found {
        let Some(at) = f.span.as_ref().map(|s| s.start) else {
            continue;
        };
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let toks = tokens(&text[start..end]);
        let role = toks
            .iter()
            .position(|t| t.1 == "role")
            .and_then(|i| toks.get(i + 1))
            .map(|t| t.1);
        if toks.first().map(|t| t.1) == Some("user-account")
            && role.is_some_and(|r| full.contains(&r))
            && !f.flags.contains(&Flag::Privileged)
        {
            f.flags.push(Flag::Privileged);
        }
    }
}
