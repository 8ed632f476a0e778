//! CSV for spreadsheets and ticketing imports: one finding a row, flags joined by `;`.

use crate::finding::Finding;
use std::io::Write;

const HEADER: &[&str] = &[
    "id",
    "path",
    "member",
    "line",
    "column",
    "sheet",
    "cell",
    "label",
    "rule",
    "rule_name",
    "category",
    "confidence",
    "username",
    "system",
    "secret_masked",
    "secret_length",
    "fingerprint",
    "flags",
    "hash_algorithm",
    "vendor_hint",
    "age_days",
    "zone_hints",
    "reuse_count",
    "detail",
    "context",
];

pub fn write(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    for f in findings {
        w.write_record([
            f.id.clone(),
            f.path.clone(),
            opt(&f.member),
            num(f.line),
            num(f.column),
            opt(&f.sheet),
            opt(&f.cell),
            opt(&f.label),
            f.rule.clone(),
            f.rule_name.clone(),
            f.category.as_str().to_string(),
            f.confidence.as_str().to_string(),
            opt(&f.username),
            opt(&f.system),
            f.secret_masked.clone(),
            f.secret_length.to_string(),
            f.fingerprint.clone(),
            f.flags
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            opt(&f.hash_algorithm),
            opt(&f.vendor_hint),
            num(f.age_days),
            f.zone_hints.join(";"),
            f.reuse_count.to_string(),
            opt(&f.detail),
            // Spreadsheet apps run cells that start with = + - @ as formulas.
            defuse_formula(&f.context),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Prefixes a quote to text a spreadsheet would evaluate as a formula (CSV injection).
fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
