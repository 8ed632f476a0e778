//! PAN-OS: set-format (`set mgt-config users U phash H`) and XML (`<phash>`).

use super::common::{Cred, Form, build, lines, tokens};
use super::{Family, family};
use crate::detect::decode::hashes;
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct PanDetector;

impl Detector for PanDetector {
    fn name(&self) -> &'static str {
        "dialect-panos"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["phash".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::PanOs {
            return;
        }
        let text = input.text;
        let mut host = None;
        let mut supers: Vec<String> = Vec::new();
        for (_, line) in lines(text) {
            let w: Vec<&str> = line.split_whitespace().collect();
            if w.starts_with(&["set", "deviceconfig", "system", "hostname"]) {
                host = w.get(4).map(|h| h.trim_matches('"').to_string());
            }
            if let (Some(s), Some(e)) = (line.find("<hostname>"), line.find("</hostname>"))
                && e > s + 10
            {
                host = Some(line[s + 10..e].to_string());
            }
            if w.starts_with(&["set", "mgt-config", "users"]) && line.contains("superuser yes") {
                supers.push(w.get(3).unwrap_or(&"").to_string());
            }
        }
        let mut xml_user: Option<String> = None;
        for (off, line) in lines(text) {
            if let Some(p) = line.find("<entry name=\"") {
                let rest = &line[p + 13..];
                xml_user = rest.split('"').next().map(str::to_string);
            }
            let (user, start, v) =
                if let (Some(s), Some(e)) = (line.find("<phash>"), line.find("</phash>")) {
                    if e <= s + 7 {
                        continue;
                    }
                    (xml_user.clone(), off + s + 7, &line[s + 7..e])
                } else {
                    let toks = tokens(line);
                    let Some(k) = toks.iter().position(|t| t.1 == "phash") else {
                        continue;
                    };
                    let Some(&(voff, v)) = toks.get(k + 1) else {
                        continue;
                    };
                    (
                        toks.get(3).map(|t| t.1.to_string()),
                        off + voff,
                        v.trim_matches('"'),
                    )
                };
            let privileged = user
                .as_deref()
                .is_some_and(|u| u == "admin" || supers.iter().any(|s| s == u));
            let flags: &[Flag] = if privileged { &[Flag::Privileged] } else { &[] };
            let alg = hashes::identify(v).unwrap_or("panos-phash");
            if let Some(f) = build(Cred {
                rule: "dialect.panos",
                name: "PAN-OS admin password hash",
                category: Category::Hash,
                span: start..start + v.len(),
                value: v,
                form: Form::Hash(alg),
                user,
                system: host.clone(),
                flags,
            }) {
                out.push(f);
            }
        }
    }
}
