//! SARIF 2.1.0, validated against the OASIS schema in tests. Each rule that produced a
//! finding is listed in the driver; results carry the fingerprint as a partial
//! fingerprint so code-scanning platforms track them across runs.

use crate::finding::{Confidence, Finding};
use crate::scan::Summary;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

pub fn document(findings: &[Finding], summary: &Summary) -> Value {
    let mut rules: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in findings {
        rules.entry(f.rule.as_str()).or_insert(f);
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let driver_rules: Vec<Value> = rules
        .values()
        .map(|f| {
            json!({
                "id": f.rule,
                "name": f.rule_name,
                "shortDescription": { "text": f.rule_name },
                "properties": { "category": f.category.as_str() }
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut physical = json!({
                "artifactLocation": { "uri": uri_path(&f.path), "uriBaseId": "SRCROOT" }
            });
            if let Some(line) = f.line {
                let mut region = json!({ "startLine": line });
                if let Some(c) = f.column {
                    region["startColumn"] = json!(c);
                }
                physical["region"] = region;
            }
            let mut props = json!({
                "category": f.category.as_str(),
                "confidence": f.confidence.as_str(),
                "secretMasked": f.secret_masked,
                "secretLength": f.secret_length,
                "flags": f.flags.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
                "reuseCount": f.reuse_count,
            });
            for (k, v) in [
                ("member", &f.member),
                ("sheet", &f.sheet),
                ("cell", &f.cell),
                ("username", &f.username),
                ("system", &f.system),
                ("hashAlgorithm", &f.hash_algorithm),
                ("vendorHint", &f.vendor_hint),
            ] {
                if let Some(v) = v {
                    props[k] = json!(v);
                }
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index[f.rule.as_str()],
                "level": match f.confidence { Confidence::High => "error", Confidence::Medium => "warning", Confidence::Low => "note" },
                "message": { "text": message(f) },
                "locations": [ { "physicalLocation": physical } ],
                "partialFingerprints": { "credenceFingerprint/v1": f.fingerprint },
                "properties": props
            })
        })
        .collect();
    let notifications: Vec<Value> = summary
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "warning",
                "message": { "text": format!("{}: {}", e.path, e.reason) }
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [ {
            "tool": { "driver": {
                "name": "Credence",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules
            } },
            "invocations": [ {
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications
            } ],
            "results": results
        } ]
    })
}

fn message(f: &Finding) -> String {
    let mut m = format!("{} ({})", f.rule_name, f.secret_masked);
    if let Some(u) = &f.username {
        m.push_str(&format!(" for user {u}"));
    }
    if let Some(s) = &f.system {
        m.push_str(&format!(" on {s}"));
    }
    if let Some(c) = &f.cell {
        m.push_str(&format!(" at {}!{c}", f.sheet.as_deref().unwrap_or("")));
    }
    if let Some(mb) = &f.member {
        m.push_str(&format!(" in archive member {mb}"));
    }
    m
}

/// Percent-encodes what a URI reference cannot hold (spaces, `#`, `?`, `%`).
fn uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn write(findings: &[Finding], summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(findings, summary))?;
    out.write_all(b"\n")
}
