//! Outputs: machine formats for a scan (JSON Lines, SARIF 2.1.0, CSV) and the table a
//! person reads in a terminal. Every format writes only finding records, which hold
//! masked previews and fingerprints, never a plaintext. For the engagement: the risk
//! register (`register`: CSV, JSON, table), the XLSX workbook (`xlsx`), the board PDF
//! (`pdf`) and the engineers' technical appendix (`appendix`, HTML), all from one
//! gathered `data::ReportData`.

pub mod appendix;
pub mod csv;
pub mod data;
pub mod engagement;
pub mod jsonl;
pub mod pdf;
pub mod register;
pub mod sarif;
pub mod table;
pub mod xlsx;

use crate::finding::Finding;
use crate::scan::Summary;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Sarif,
    Csv,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(Format::Table),
            "jsonl" | "json-lines" => Ok(Format::Jsonl),
            "sarif" => Ok(Format::Sarif),
            "csv" => Ok(Format::Csv),
            other => Err(format!(
                "unknown format '{other}' (table, jsonl, sarif, csv)"
            )),
        }
    }
}

/// Writes findings in `format`. `color` only affects the table.
pub fn write(
    format: Format,
    findings: &[Finding],
    summary: &Summary,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::write(findings, summary, out, color),
        Format::Jsonl => jsonl::write(findings, out),
        Format::Sarif => sarif::write(findings, summary, out),
        Format::Csv => csv::write(findings, out),
    }
}
