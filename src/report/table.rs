//! The terminal table: findings grouped by file, the worst first within a file, then a
//! summary of what was read, skipped and could not be read.

use crate::finding::{Confidence, Finding, Flag};
use crate::scan::Summary;
use console::Style;
use std::io::Write;

pub fn write(
    findings: &[Finding],
    summary: &Summary,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let st = |s: Style| if color { s } else { Style::new() };
    let bold = st(Style::new().bold());
    let dim = st(Style::new().dim());
    let red = st(Style::new().red().bold());
    let yellow = st(Style::new().yellow());
    let cyan = st(Style::new().cyan());
    let mut current: Option<(String, String, Option<String>)> = None;
    for f in findings {
        let key = (f.root.clone(), f.path.clone(), f.member.clone());
        if current.as_ref() != Some(&key) {
            let mut title = f.path.clone();
            if let Some(m) = &f.member {
                title.push_str(&format!(" ! {m}"));
            }
            writeln!(out, "\n{}", bold.apply_to(title))?;
            current = Some(key);
        }
        let place = match (&f.sheet, &f.cell, f.line) {
            (Some(s), Some(c), _) => format!("[{s}]{c}"),
            (_, _, Some(l)) => format!("{l}"),
            _ => "-".into(),
        };
        let sev = match f.confidence {
            Confidence::High => red.apply_to(f.category.as_str()),
            Confidence::Medium => yellow.apply_to(f.category.as_str()),
            Confidence::Low => dim.apply_to(f.category.as_str()),
        };
        let mut who = String::new();
        if let Some(u) = &f.username {
            who.push_str(u);
        }
        if let Some(s) = &f.system {
            who.push_str(&format!("@{s}"));
        }
        let flags: Vec<&str> = f.flags.iter().map(|x| x.as_str()).collect();
        let reuse = if f.reuse_count > 1 {
            format!(" reused x{}", f.reuse_count)
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:>8}  {:<18} {:<16} {:<24} {}{}",
            place,
            sev,
            f.secret_masked,
            who,
            cyan.apply_to(flags.join(",")),
            yellow.apply_to(reuse),
        )?;
        writeln!(
            out,
            "  {:>8}  {} {}",
            "",
            dim.apply_to(&f.rule),
            dim.apply_to(&f.context)
        )?;
    }
    write_summary(findings, summary, out, color)
}

pub fn write_summary(
    findings: &[Finding],
    s: &Summary,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    let bold = if color {
        Style::new().bold()
    } else {
        Style::new()
    };
    let count = |flag: Flag| findings.iter().filter(|f| f.has_flag(flag)).count();
    writeln!(out)?;
    writeln!(
        out,
        "{} {} findings in {} files ({} scanned, {} identical copies, {}{} MB) in {:.1}s",
        bold.apply_to("Summary:"),
        findings.len(),
        s.files_seen,
        s.files_scanned,
        s.files_duplicate,
        if s.files_reused > 0 {
            format!("{} unchanged since the last scan, ", s.files_reused)
        } else {
            String::new()
        },
        s.bytes_scanned / 1_000_000,
        s.duration_ms as f64 / 1000.0
    )?;
    writeln!(
        out,
        "  privileged {}  default {}  weak {}  reversible {}  hashed {}  stale {}  hidden {}",
        count(Flag::Privileged),
        count(Flag::Default),
        count(Flag::Weak),
        count(Flag::Reversible),
        count(Flag::Hashed),
        count(Flag::Stale),
        count(Flag::Hidden)
    )?;
    if !s.skipped.is_empty() {
        let parts: Vec<String> = s.skipped.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        writeln!(out, "  skipped: {}", parts.join(", "))?;
    }
    for i in &s.skipped_files {
        writeln!(out, "  skipped {}: {}", i.path, i.reason)?;
    }
    for i in &s.notices {
        writeln!(out, "  note    {}: {}", i.path, i.reason)?;
    }
    for i in &s.errors {
        writeln!(out, "  error   {}: {}", i.path, i.reason)?;
    }
    if s.cancelled {
        writeln!(out, "  scan cancelled before the end: results are partial")?;
    }
    Ok(())
}
