//! HPE ProCurve / Aruba switches: `password manager user-name U plaintext V`,
//! AOS-CX `user U group G password plaintext|ciphertext V`, ArubaOS controller
//! `mgmt-user U ROLE HASH`. SNMP communities are read by the IOS-like grammar.

use super::common::{Cred, Form, build, first_value_after, lines, tokens, unquote};
use super::{Family, family};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct HpDetector;

impl Detector for HpDetector {
    fn name(&self) -> &'static str {
        "dialect-hp-aruba"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "password manager",
            "password operator",
            "mgmt-user",
            " group ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::IosLike {
            return;
        }
        let host = first_value_after(input.text, &["hostname"]).map(str::to_string);
        for (off, line) in lines(input.text) {
            let toks = tokens(line);
            let w = |i: usize| {
                toks.get(i)
                    .map(|t| t.1.to_ascii_lowercase())
                    .unwrap_or_default()
            };
            let (vi, user, form, privileged) = match w(0).as_str() {
                "password" if w(1) == "manager" || w(1) == "operator" => {
                    let mut i = 2;
                    let mut user = w(1);
                    if w(2) == "user-name" {
                        user = toks
                            .get(3)
                            .map(|t| t.1.trim_matches('"').to_string())
                            .unwrap_or(user);
                        i = 4;
                    }
                    let form = match w(i).as_str() {
                        "sha1" => Form::Hash("procurve-sha1"),
                        _ => Form::Plain,
                    };
                    (i + 1, user, form, w(1) == "manager")
                }
                "user" if w(2) == "group" && w(4) == "password" => {
                    let form = match w(5).as_str() {
                        "ciphertext" => Form::Opaque("AOS-CX ciphertext (device key)"),
                        _ => Form::Plain,
                    };
                    let user = toks.get(1).map(|t| t.1.to_string()).unwrap_or_default();
                    (6, user, form, w(3).contains("admin"))
                }
                "mgmt-user" => {
                    let user = toks.get(1).map(|t| t.1.to_string()).unwrap_or_default();
                    (3, user, Form::Hash("arubaos-mgmt-user"), w(2) == "root")
                }
                _ => continue,
            };
            let Some(&(toff, tok)) = toks.get(vi) else {
                continue;
            };
            let (voff, v) = unquote(toff, tok);
            let start = off + voff;
            let category = if matches!(form, Form::Hash(_)) {
                Category::Hash
            } else {
                Category::Password
            };
            let flags: &[Flag] = if privileged { &[Flag::Privileged] } else { &[] };
            if let Some(f) = build(Cred {
                rule: "dialect.hp-aruba",
                name: "HPE/Aruba switch credential",
                category,
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
    }
}
