//! `credence report`: the board PDF, the XLSX workbook, the engineers' technical
//! appendix (HTML) and the register as CSV/JSON, from one regeneration.

use super::EngagementOpt;
use anyhow::{Context, Result, bail};
use clap::Args;
use credence::report::data::{ReportData, today};
use credence::report::{appendix, pdf, register, xlsx};
use credence::store::Engagement;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    /// The executive PDF.
    #[arg(long, value_name = "OUT")]
    pub pdf: Option<PathBuf>,
    /// The XLSX workbook (register, heat map, findings, identities, maturity).
    #[arg(long, value_name = "OUT")]
    pub xlsx: Option<PathBuf>,
    /// The technical appendix for engineers (HTML, self-contained).
    #[arg(long, value_name = "OUT")]
    pub appendix: Option<PathBuf>,
    /// The register as CSV.
    #[arg(long, value_name = "OUT")]
    pub csv: Option<PathBuf>,
    /// The register as JSON.
    #[arg(long, value_name = "OUT")]
    pub json: Option<PathBuf>,
    #[arg(long, default_value = "a4", value_parser = ["a4", "letter"])]
    pub paper: String,
    /// The report's date (YYYY-MM-DD; default today, or SOURCE_DATE_EPOCH): pin it
    /// for byte-identical reports.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn write(path: &Path, bytes: &[u8], quiet: bool) -> Result<()> {
    credence::output_file::write_atomically(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !quiet {
        eprintln!("credence: wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

pub fn run(a: ReportArgs) -> Result<i32> {
    if a.pdf.is_none()
        && a.xlsx.is_none()
        && a.appendix.is_none()
        && a.csv.is_none()
        && a.json.is_none()
    {
        bail!("nothing to write: give --pdf, --xlsx, --appendix, --csv or --json");
    }
    let paper = pdf::paper(&a.paper).context("paper is a4 or letter")?;
    let mut eng = Engagement::open(&a.eng.engagement)?;
    let date = a.date.clone().unwrap_or_else(today);
    let maturity = credence::assess::maturity_of(&eng, None)?;
    let previous = credence::assess::previous_maturity(&eng, None)?;
    let data = ReportData::gather(&mut eng, maturity, previous, &date)?;
    if !a.quiet {
        for m in data.missing() {
            eprintln!("credence: note: {m}");
        }
    }
    if let Some(p) = &a.pdf {
        write(p, &pdf::render(&data, paper)?, a.quiet)?;
    }
    if let Some(p) = &a.xlsx {
        write(p, &xlsx::render(&data)?, a.quiet)?;
    }
    if let Some(p) = &a.appendix {
        write(p, appendix::render(&data).as_bytes(), a.quiet)?;
    }
    if let Some(p) = &a.csv {
        let mut b = Vec::new();
        register::csv(&data.risks, &mut b)?;
        write(p, &b, a.quiet)?;
    }
    if let Some(p) = &a.json {
        let mut b = Vec::new();
        register::json(&data.risks, &mut b)?;
        write(p, &b, a.quiet)?;
    }
    Ok(0)
}
