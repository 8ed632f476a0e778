//! Cloud VPN customer-gateway configurations (AWS): `<pre_shared_key>` in the XML
//! download and `"PreSharedKey"` in the API's JSON, including the XML embedded as an
//! escaped JSON string.

use super::common::{Cred, Form, build};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct AwsVpnDetector;

impl Detector for AwsVpnDetector {
    fn name(&self) -> &'static str {
        "dialect-aws-vpn"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["pre_shared_key".into(), "presharedkey".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let text = input.text;
        let mut push = |start: usize, v: &str| {
            out.extend(build(Cred {
                rule: "dialect.aws-vpn",
                name: "AWS VPN tunnel pre-shared key",
                category: Category::PresharedKey,
                span: start..start + v.len(),
                value: v,
                form: Form::Plain,
                user: Some("vpn tunnel".into()),
                system: None,
                flags: &[Flag::NonHuman],
            }));
        };
        let mut from = 0;
        while let Some(p) = text[from..].find("<pre_shared_key>") {
            let start = from + p + "<pre_shared_key>".len();
            let end = text[start..]
                .find('<')
                .map(|e| start + e)
                .unwrap_or(text.len());
            push(start, &text[start..end]);
            from = end;
        }
        from = 0;
        while let Some(p) = text[from..].find("\"PreSharedKey\"") {
            let rest_at = from + p + "\"PreSharedKey\"".len();
            from = rest_at;
            let rest = &text[rest_at..];
            let Some(colon) = rest.find(':') else { break };
            let after = &rest[colon + 1..];
            let lead = after.len() - after.trim_start().len();
            if !after.trim_start().starts_with('"') {
                continue;
            }
            let start = rest_at + colon + 1 + lead + 1;
            let end = text[start..]
                .find('"')
                .map(|e| start + e)
                .unwrap_or(text.len());
            push(start, &text[start..end]);
        }
    }
}
