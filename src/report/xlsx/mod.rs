//! The XLSX workbook (rust_xlsxwriter): the risk register as an Excel table (filters,
//! frozen header, priority colours, lists for status and owner, links to the evidence
//! rows), a 5x5 heat map, the findings (masked, with locations), the identities
//! (metrics and cross-boundary paths) and the maturity answers.
//!
//! Only masked previews, short fingerprints and names reach it: never a secret.
//! Deterministic: the document date is the report's date, and the writer fixes the zip
//! timestamps.

mod sheets;

use super::data::ReportData;
use super::register::{COLUMNS, Cell, col, row};
use crate::risk::{Band, STATUSES};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula,
    Table, TableColumn, TableStyle, Url, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;

/// Excel's longest cell text.
const CELL_MAX: usize = 32_767;

/// Cuts text to what a cell holds (a register of 10k findings can list many systems).
fn fit(s: &str) -> String {
    if s.chars().count() <= CELL_MAX {
        return s.to_string();
    }
    let mut t: String = s.chars().take(CELL_MAX - 40).collect();
    t.push_str(" … (cut: longer than a cell holds)");
    t
}

pub fn band_color(b: Band) -> u32 {
    match b {
        Band::Critical => 0xC0392B,
        Band::High => 0xE67E22,
        Band::Medium => 0xF1C40F,
        Band::Low => 0x27AE60,
    }
}

pub(super) fn band_format(b: Band) -> Format {
    let font = if matches!(b, Band::Medium) {
        0x000000
    } else {
        0xFFFFFF
    };
    Format::new()
        .set_background_color(Color::RGB(band_color(b)))
        .set_font_color(Color::RGB(font))
        .set_bold()
}

pub(super) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F3A5F))
        .set_font_color(Color::White)
}

pub(super) fn title_format() -> Format {
    Format::new().set_bold().set_font_size(14)
}

/// Rows one table holds at most (Excel's sheet has 1,048,576); the CSV and JSON
/// exports have everything.
const ROWS_MAX: usize = 1_000_000;

/// Writes a block of rows as an Excel table named `name` at row `top`, with headers.
pub(super) fn table(
    ws: &mut Worksheet,
    name: &str,
    top: u32,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| TableColumn::new().set_header(*h))
        .collect();
    let rows = &rows[..rows.len().min(ROWS_MAX - top as usize)];
    for (i, r) in rows.iter().enumerate() {
        write_row(ws, top + 1 + i as u32, r)?;
    }
    // A table needs at least one data row.
    let last = top + rows.len().max(1) as u32;
    let t = Table::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    ws.add_table(top, 0, last, headers.len() as u16 - 1, &t)?;
    Ok(())
}

fn write_row(ws: &mut Worksheet, r: u32, cells: &[Cell]) -> Result<(), XlsxError> {
    for (c, v) in cells.iter().enumerate() {
        match v {
            Cell::Text(s) => ws.write_string(r, c as u16, fit(s))?,
            Cell::Number(n) => ws.write_number(r, c as u16, *n)?,
        };
    }
    Ok(())
}

pub(super) fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}
pub(super) fn n(v: impl Into<f64>) -> Cell {
    Cell::Number(v.into())
}

/// Builds the workbook in memory.
pub fn render(d: &ReportData) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::parse_from_str(&d.as_of)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Identity risk register: {} / {}",
                d.meta.client, d.meta.site
            ))
            .set_author(d.meta.assessor.clone().unwrap_or_default())
            .set_company(d.marking())
            .set_creation_datetime(&date),
    );
    let finding_rows = findings_sheet_rows(d);
    let practice_rows: BTreeMap<&str, u32> = d
        .maturity
        .iter()
        .flat_map(|m| m.practices.iter())
        .enumerate()
        .map(|(i, p)| (p.practice_id.as_str(), i as u32))
        .collect();
    let practice_top = d
        .maturity
        .as_ref()
        .map_or(0, |m| m.domains.len() as u32 + 6);

    // Register.
    let ws = wb.add_worksheet().set_name("Register")?;
    let rows: Vec<Vec<Cell>> = d.risks.iter().map(row).collect();
    table(ws, "RiskRegister", 0, COLUMNS, &rows)?;
    ws.set_freeze_panes(1, 3)?;
    let (pc, ec, oc, sc) = (
        col("Priority"),
        col("Evidence"),
        col("Owner"),
        col("Status"),
    );
    for (i, r) in d.risks.iter().enumerate() {
        let rr = 1 + i as u32;
        ws.write_string_with_format(rr, pc as u16, r.band.label(), &band_format(r.band))?;
        let target = r
            .content
            .findings
            .first()
            .and_then(|id| finding_rows.get(id.as_str()))
            .map(|row| format!("internal:Findings!A{}", row + 1))
            .or_else(|| {
                r.content
                    .answers
                    .first()
                    .and_then(|a| practice_rows.get(a.practice_id.as_str()))
                    .map(|i| format!("internal:Maturity!A{}", practice_top + 2 + i))
            });
        if let Some(url) = target {
            let text = fit(&super::register::evidence_summary(r));
            ws.write_url_with_text(rr, ec as u16, Url::new(url), text)?;
        }
    }
    let last = d.risks.len().max(1) as u32;
    ws.add_data_validation(
        1,
        sc as u16,
        last,
        sc as u16,
        &DataValidation::new()
            .allow_list_strings(STATUSES)?
            .set_error_title("Status")?
            .set_error_message(format!("One of: {}", STATUSES.join(", ")))?,
    )?;
    let owners = owner_list(d);
    ws.add_data_validation(
        1,
        oc as u16,
        last,
        oc as u16,
        &DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "=Lists!$B$2:$B${}",
                owners.len().max(1) + 1
            )))
            .set_error_style(DataValidationErrorStyle::Information)
            .set_error_title("Owner")?
            .set_error_message("Not in the owner list: kept as typed.")?,
    )?;
    for (c, w) in [
        ("Title", 48.0),
        ("Description", 60.0),
        ("Treatment", 60.0),
        ("Evidence", 40.0),
        ("Derivation", 60.0),
        ("Owner", 22.0),
        ("Suggested owner", 22.0),
        ("Zones", 18.0),
        ("Systems", 28.0),
        ("ATT&CK", 22.0),
        ("Due", 11.0),
        ("Status", 12.0),
        ("Priority", 10.0),
    ] {
        ws.set_column_width(col(c) as u16, w)?;
    }

    sheets::heat_map(wb.add_worksheet().set_name("Heat map")?, d)?;

    // Findings.
    let ws = wb.add_worksheet().set_name("Findings")?;
    let mut risk_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &d.risks {
        for f in &r.content.findings {
            risk_of.entry(f.as_str()).or_default().push(r.id.as_str());
        }
    }
    let rows: Vec<Vec<Cell>> = d
        .findings
        .iter()
        .map(|l| {
            let f = &l.stored.finding;
            vec![
                t(&f.id),
                t(risk_of
                    .get(f.id.as_str())
                    .map(|v| v.join(", "))
                    .unwrap_or_default()),
                t(&l.stored.status),
                t(f.location()),
                t(f.category.as_str()),
                t(&f.rule),
                t(f.username.clone().unwrap_or_default()),
                t(f.system.clone().unwrap_or_default()),
                t(&f.secret_masked),
                t(&f.fingerprint[..f.fingerprint.len().min(8)]),
                t(f.flags
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")),
                t(&l.exposure_zone),
                t(&l.target_zone),
                n(f.reuse_count),
                n(f.age_days.unwrap_or(0)),
            ]
        })
        .collect();
    table(
        ws,
        "FindingList",
        0,
        &[
            "Finding",
            "Risks",
            "Triage",
            "Location",
            "Category",
            "Rule",
            "Username",
            "System",
            "Masked",
            "Fingerprint",
            "Flags",
            "Exposed in",
            "Opens",
            "Reuse",
            "Age (days)",
        ],
        &rows,
    )?;
    ws.set_freeze_panes(1, 1)?;
    ws.set_column_width(3, 60)?;
    ws.set_column_width(0, 18)?;

    sheets::identities(wb.add_worksheet().set_name("Identities")?, d)?;
    sheets::maturity(wb.add_worksheet().set_name("Maturity")?, d)?;

    // Lists for data validation.
    let ws = wb.add_worksheet().set_name("Lists")?;
    ws.write_string_with_format(0, 0, "Status", &header_format())?;
    ws.write_string_with_format(0, 1, "Owner", &header_format())?;
    for (i, s) in STATUSES.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *s)?;
    }
    for (i, o) in owners.iter().enumerate() {
        ws.write_string(1 + i as u32, 1, fit(o))?;
    }
    ws.set_column_width(1, 30)?;
    wb.save_to_buffer()
}

/// Owners people set, then the suggested roles, each once, in order.
fn owner_list(d: &ReportData) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let set = d.risks.iter().filter_map(|r| r.owner.clone());
    let roles = d.risks.iter().map(|r| r.content.owner_role.clone());
    for o in set.chain(roles) {
        if !o.is_empty() && !out.contains(&o) {
            out.push(o);
        }
    }
    out
}

/// Finding id → its 0-based row on the Findings sheet (header = row 0).
fn findings_sheet_rows(d: &ReportData) -> BTreeMap<&str, u32> {
    d.findings
        .iter()
        .enumerate()
        .map(|(i, l)| (l.stored.finding.id.as_str(), 1 + i as u32))
        .collect()
}
