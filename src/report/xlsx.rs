//! The XLSX workbook (rust_xlsxwriter): the risk register as an Excel table (filters,
//! frozen header, priority colours, lists for status and owner, links to the evidence
//! rows), a 5x5 heat map, the findings (masked, with locations), the identities
//! (metrics and cross-boundary paths) and the maturity answers.
//!
//! Only masked previews, short fingerprints and names reach it: never a secret.
//! Deterministic: the document date is the report's date, and the writer fixes the zip
//! timestamps.

use super::data::ReportData;
use super::register::{COLUMNS, Cell, col, row};
use crate::risk::{Band, STATUSES};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Table, TableColumn, TableStyle, Url, Workbook, Worksheet,
    XlsxError,
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

fn band_format(b: Band) -> Format {
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

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F3A5F))
        .set_font_color(Color::White)
}

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(14)
}

/// Writes a block of rows as an Excel table named `name` at row `top`, with headers.
fn table(
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

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}
fn n(v: impl Into<f64>) -> Cell {
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
    table(ws, "Register", 0, COLUMNS, &rows)?;
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

    heat_map_sheet(wb.add_worksheet().set_name("Heat map")?, d)?;

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
        "Findings",
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

    identities_sheet(wb.add_worksheet().set_name("Identities")?, d)?;
    maturity_sheet(wb.add_worksheet().set_name("Maturity")?, d)?;

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

fn heat_map_sheet(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
    let grid = |residual: bool| {
        let mut g = [[0u32; 5]; 5];
        for r in d.live_risks() {
            let (l, i) = if residual {
                (r.content.residual_likelihood, r.content.residual_impact)
            } else {
                (r.content.likelihood, r.content.impact)
            };
            g[(l.clamp(1, 5) - 1) as usize][(i.clamp(1, 5) - 1) as usize] += 1;
        }
        g
    };
    let border = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    for (block, (title, residual)) in [
        ("Current risk (open and in progress)", false),
        ("After treatment (residual)", true),
    ]
    .into_iter()
    .enumerate()
    {
        let top = block as u32 * 10;
        ws.write_string_with_format(top, 0, title, &title_format())?;
        let g = grid(residual);
        for li in 0..5u32 {
            let l = 5 - li;
            ws.write_string_with_format(top + 1 + li, 0, format!("Likelihood {l}"), &border)?;
            for i in 1..=5u32 {
                let count = g[(l - 1) as usize][(i - 1) as usize];
                let f = band_format(Band::of((l * i) as u8))
                    .set_border(FormatBorder::Thin)
                    .set_align(FormatAlign::Center);
                ws.write_number_with_format(top + 1 + li, i as u16, count, &f)?;
            }
        }
        for i in 1..=5u16 {
            ws.write_string_with_format(top + 6, i, format!("Impact {i}"), &border)?;
        }
    }
    ws.write_string(
        20,
        0,
        "Counts of risks per cell; colour = priority band of the cell's score (likelihood × impact): critical 15-25, high 10-14, medium 5-9, low 1-4.",
    )?;
    ws.set_column_width(0, 16)?;
    for c in 1..=5u16 {
        ws.set_column_width(c, 11)?;
    }
    Ok(())
}

fn identities_sheet(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
    let Some(a) = &d.analysis else {
        ws.write_string_with_format(0, 0, "No scan yet: no identities.", &title_format())?;
        return Ok(());
    };
    let m = &a.metrics;
    let prev = d.previous.as_ref().map(|p| &p.1);
    let metric = |name: &str, now: usize, before: Option<usize>| {
        vec![
            t(name),
            n(now as f64),
            before.map_or(t(""), |b| n(b as f64)),
        ]
    };
    let rows = vec![
        metric("Identities", m.identities, prev.map(|p| p.identities)),
        metric(
            "Distinct credentials",
            m.credentials,
            prev.map(|p| p.credentials),
        ),
        metric(
            "Privileged identities",
            m.privileged,
            prev.map(|p| p.privileged),
        ),
        metric(
            "Identities on a shared credential",
            m.shared,
            prev.map(|p| p.shared),
        ),
        metric(
            "Non-human identities",
            m.non_human,
            prev.map(|p| p.non_human),
        ),
        metric(
            "Identities crossing a trust boundary",
            m.cross_boundary,
            prev.map(|p| p.cross_boundary),
        ),
        metric(
            "Cross-boundary paths",
            m.cross_boundary_paths,
            prev.map(|p| p.cross_boundary_paths),
        ),
        metric(
            "Credentials reused across zones",
            m.reused_across_zones,
            prev.map(|p| p.reused_across_zones),
        ),
        metric("Default credentials", m.default, prev.map(|p| p.default)),
        metric(
            "Older than 1 year",
            m.older_than_1y,
            prev.map(|p| p.older_than_1y),
        ),
        metric(
            "Older than 4 years",
            m.older_than_4y,
            prev.map(|p| p.older_than_4y),
        ),
    ];
    table(ws, "Metrics", 0, &["Metric", "Now", "Previous scan"], &rows)?;
    let top = rows.len() as u32 + 3;
    let rows: Vec<Vec<Cell>> = a
        .cross_boundary
        .iter()
        .map(|p| {
            vec![
                t(&p.source),
                t(&p.source_zone),
                t(&p.credential),
                t(&p.account),
                t(&p.target_zone),
                n(p.source_criticality),
                n(p.target_criticality),
            ]
        })
        .collect();
    table(
        ws,
        "Paths",
        top,
        &[
            "Kept in file",
            "Zone",
            "Credential (masked)",
            "Opens account",
            "In zone",
            "From criticality",
            "To criticality",
        ],
        &rows,
    )?;
    let top = top + rows.len().max(1) as u32 + 3;
    let rows: Vec<Vec<Cell>> = a
        .credentials
        .iter()
        .map(|c| {
            vec![
                t(&c.label),
                t(c.accounts.join(", ")),
                t(c.systems.join(", ")),
                t(c.zones.join(", ")),
                t(c.flags.join(", ")),
                t(if c.shared { "yes" } else { "no" }),
                n(c.sources.len() as f64),
                n(c.blast_radius),
            ]
        })
        .collect();
    table(
        ws,
        "Credentials",
        top,
        &[
            "Credential (masked)",
            "Accounts",
            "Systems",
            "Zones",
            "Flags",
            "Shared",
            "Files",
            "Blast radius",
        ],
        &rows,
    )?;
    ws.set_column_width(0, 50)?;
    ws.set_column_width(2, 28)?;
    ws.set_column_width(3, 30)?;
    Ok(())
}

fn maturity_sheet(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
    let Some(m) = &d.maturity else {
        ws.write_string_with_format(
            0,
            0,
            "No maturity assessment has been answered for this engagement.",
            &title_format(),
        )?;
        return Ok(());
    };
    ws.write_string_with_format(
        0,
        0,
        format!("{} {}", m.model_name, m.model_version),
        &title_format(),
    )?;
    let rows: Vec<Vec<Cell>> = m
        .domains
        .iter()
        .map(|x| {
            vec![
                t(&x.id),
                t(&x.name),
                n(x.achieved),
                x.target.map_or(t(""), |v| n(v)),
                x.previous.map_or(t(""), |v| n(v)),
                n(x.practices_answered),
                n(x.practices_applicable),
            ]
        })
        .collect();
    table(
        ws,
        "Domains",
        2,
        &[
            "Domain",
            "Name",
            "Current level",
            "Target",
            "Previous",
            "Answered",
            "Applicable",
        ],
        &rows,
    )?;
    // Practice rows start where the register's links expect them.
    let top = m.domains.len() as u32 + 6;
    let rows: Vec<Vec<Cell>> = m
        .practices
        .iter()
        .map(|p| {
            vec![
                t(&p.practice_id),
                t(&p.domain_id),
                n(p.level),
                t(&p.question),
                t(p.answer.map(|a| a.label()).unwrap_or("Not answered")),
                t(p.zone_answers
                    .iter()
                    .map(|(z, a)| format!("{z}: {}", a.label()))
                    .collect::<Vec<_>>()
                    .join("; ")),
                t(p.contradiction.clone().unwrap_or_default()),
                t(if p.is_gap() {
                    p.gap_risk.title.as_str()
                } else {
                    ""
                }),
                t(p.mappings.join(", ")),
                t(p.note.clone().unwrap_or_default()),
            ]
        })
        .collect();
    table(
        ws,
        "Practices",
        top,
        &[
            "Practice",
            "Domain",
            "Level",
            "Question",
            "Answer",
            "Per zone",
            "Contradiction",
            "Gap risk",
            "Mappings",
            "Note",
        ],
        &rows,
    )?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(3, 60)?;
    ws.set_column_width(4, 20)?;
    ws.set_column_width(6, 40)?;
    ws.set_column_width(7, 40)?;
    Ok(())
}
