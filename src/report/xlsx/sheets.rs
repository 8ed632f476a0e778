//! The workbook's other sheets: the heat map (now and after treatment), the identities
//! (metrics against the previous scan, cross-boundary paths, credentials) and the
//! maturity answers.

use super::{band_format, n, t, table, title_format};
use crate::report::data::ReportData;
use crate::report::register::Cell;
use crate::risk::Band;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

pub fn heat_map(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
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
        format!(
            "Counts of risks per cell; colour = priority band of the cell's score (likelihood × impact): {}.",
            Band::EDGES
        ),
    )?;
    ws.set_column_width(0, 16)?;
    for c in 1..=5u16 {
        ws.set_column_width(c, 11)?;
    }
    Ok(())
}

pub fn identities(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
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
    table(
        ws,
        "IdentityMetrics",
        0,
        &["Metric", "Now", "Previous scan"],
        &rows,
    )?;
    let top = rows.len() as u32 + 3;
    let rows: Vec<Vec<Cell>> = a
        .cross_boundary
        .iter()
        .map(|p| {
            vec![
                t(&p.source_zone),
                t(&p.credential),
                t(&p.account),
                t(&p.target_zone),
                n(p.source_criticality),
                n(p.target_criticality),
                n(p.files.len() as u32),
                // A few names: a cell holds 32,767 characters and a reader wants the
                // first places to look, not every copy.
                t(p.files_label(5)),
            ]
        })
        .collect();
    table(
        ws,
        "CrossBoundaryPaths",
        top,
        &[
            "Kept in zone",
            "Credential (masked)",
            "Opens account",
            "In zone",
            "From criticality",
            "To criticality",
            "Files",
            "Kept in files",
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
        "CredentialList",
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

pub fn maturity(ws: &mut Worksheet, d: &ReportData) -> Result<(), XlsxError> {
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
                x.target.map_or(t(""), n),
                x.previous.map_or(t(""), n),
                n(x.practices_answered),
                n(x.practices_applicable),
            ]
        })
        .collect();
    table(
        ws,
        "MaturityDomains",
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
        "MaturityPractices",
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
