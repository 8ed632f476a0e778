//! The risk register as rows: the one column list the CSV, the XLSX Register sheet and
//! the terminal table share, plus the CSV, JSON and table writers.

use crate::risk::Risk;
use std::io::Write;

/// A cell value: text or a whole number (kept numeric in spreadsheets).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format!("{n}"),
        }
    }
}

/// The register's columns, in order. `Register` sheet headers are these names.
pub const COLUMNS: &[&str] = &[
    "Rank",
    "Id",
    "Title",
    "Priority",
    "Score",
    "Likelihood",
    "Impact",
    "Status",
    "Owner",
    "Suggested owner",
    "Due",
    "Zones",
    "Systems",
    "Identities",
    "Findings",
    "Evidence",
    "ATT&CK",
    "Treatment",
    "Practices",
    "Residual likelihood",
    "Residual impact",
    "Residual score",
    "Blast radius",
    "Age (days)",
    "Contradictions",
    "Description",
    "Derivation",
    "Origin",
    "First seen",
    "Evidence gone",
    "Note",
    "Edited",
];

/// Column index of a header (panics on a name not in `COLUMNS`: a programming error).
pub fn col(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no register column {name}"))
}

/// How evidence reads in one cell: finding ids (first few) or practice answers.
pub fn evidence_summary(r: &Risk) -> String {
    const SHOWN: usize = 5;
    let mut parts = Vec::new();
    let f = &r.content.findings;
    if !f.is_empty() {
        let shown: Vec<&str> = f.iter().take(SHOWN).map(String::as_str).collect();
        let more = f.len().saturating_sub(SHOWN);
        parts.push(format!(
            "{} finding(s): {}{}",
            f.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    for a in &r.content.answers {
        parts.push(format!(
            "{}: {}{}",
            a.practice_id,
            a.answer.map(|x| x.label()).unwrap_or("unanswered"),
            if a.contradiction.is_some() {
                " (contradicted by the scan)"
            } else {
                ""
            }
        ));
    }
    parts.join("; ")
}

/// One register row, in `COLUMNS` order.
pub fn row(r: &Risk) -> Vec<Cell> {
    let t = |s: &str| Cell::Text(s.to_string());
    let n = |v: f64| Cell::Number(v);
    let c = &r.content;
    vec![
        n(r.rank as f64),
        t(&r.id),
        t(&c.title),
        t(r.band.label()),
        n(r.score as f64),
        n(c.likelihood as f64),
        n(c.impact as f64),
        t(r.status.as_str()),
        t(r.owner.as_deref().unwrap_or("")),
        t(&c.owner_role),
        t(&r.due),
        t(&c.zones.join(", ")),
        t(&c.systems.join(", ")),
        n(c.identities.len() as f64),
        n(c.findings.len() as f64),
        t(&evidence_summary(r)),
        t(&c.attack.join(", ")),
        t(&c.treatment),
        t(&c.practices.join(", ")),
        n(c.residual_likelihood as f64),
        n(c.residual_impact as f64),
        n(r.residual_score as f64),
        n(c.blast_radius as f64),
        n(c.age_days as f64),
        t(&c.contradictions.join(" | ")),
        t(&c.description),
        t(&c.derivation.join("; ")),
        t(c.origin.as_str()),
        t(&r.first_seen),
        t(r.evidence_gone.as_deref().unwrap_or("")),
        t(r.note.as_deref().unwrap_or("")),
        t(&r.edited.join(", ")),
    ]
}

/// Prefixes a quote to text a spreadsheet would run as a formula (CSV injection).
pub fn defuse_formula(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub fn csv(risks: &[Risk], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for r in risks {
        w.write_record(row(r).iter().map(|c| match c {
            Cell::Text(s) => defuse_formula(s),
            Cell::Number(_) => c.text(),
        }))?;
    }
    w.flush()?;
    Ok(())
}

pub fn json(risks: &[Risk], out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, risks)?;
    writeln!(out)
}

/// Cuts to `width` characters with an ellipsis.
fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub fn table(risks: &[Risk], out: &mut dyn Write) -> std::io::Result<()> {
    if risks.is_empty() {
        writeln!(
            out,
            "No risks: no scan and no assessment answers yet (run `credence scan -e FILE PATH`)."
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{:>4} {:<6} {:<9} {:>5} {:<12} {:<22} {:<10} {:>8}  title",
        "rank", "id", "priority", "score", "status", "owner", "due", "evidence"
    )?;
    for r in risks {
        let owner = match &r.owner {
            Some(o) => o.clone(),
            None => format!("({})", r.content.owner_role),
        };
        let evidence = if r.content.findings.is_empty() {
            format!("{} ans", r.content.answers.len())
        } else {
            format!("{} fnd", r.content.findings.len())
        };
        writeln!(
            out,
            "{:>4} {:<6} {:<9} {:>2}={}x{} {:<12} {:<22} {:<10} {:>8}  {}",
            r.rank,
            r.id,
            r.band.label(),
            r.score,
            r.content.likelihood,
            r.content.impact,
            r.status.as_str(),
            cut(&owner, 22),
            r.due,
            evidence,
            r.content.title
        )?;
        for c in &r.content.contradictions {
            writeln!(out, "{:>29} contradiction: {c}", "")?;
        }
    }
    Ok(())
}
