//! Industrial switches and gateways: Westermo WeOS (`management` → `snmp` with
//! `rocommunity` / `rwcommunity` / `trapcommunity`, per the WeOS management guide)
//! and Hirschmann HiOS CLI scripts (`users password USER VALUE`). Lines of the
//! IOS-like grammar in the same files are read by [`super::cisco::scan`].

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
