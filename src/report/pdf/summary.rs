//! The pages a board member reads first: the cover, the one-page verdict (in plain
//! words, generated from the numbers), and the key indicators with the heat map.

use super::charts;
use super::layout::{BODY, Doc, H2, SMALL, Style, ink};
use crate::report::data::ReportData;
use crate::risk::{Band, Risk};

/// First sentence of a treatment (the roadmap and the verdict quote it).
pub fn first_sentence(s: &str) -> String {
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

pub fn owner_of(r: &Risk) -> String {
    match &r.owner {
        Some(o) => o.clone(),
        None if r.content.owner_role.is_empty() => "unassigned".into(),
        None => format!("unassigned (suggested: {})", r.content.owner_role),
    }
}

pub fn cover(doc: &mut Doc<'_>, d: &ReportData) {
    let x = doc.left;
    doc.rect(0.0, 0.0, doc.w, doc.h * 0.42, Some(ink::NAVY), None);
    doc.block(
        x,
        doc.h * 0.13,
        doc.width,
        "Identity risk assessment",
        Style::new(28.0, true, ink::WHITE),
        2,
    );
    doc.block(
        x,
        doc.h * 0.13 + 44.0,
        doc.width,
        "Credentials, identities and paths from IT into operational technology",
        Style::new(12.0, false, 0xD6E0EC),
        2,
    );
    let mut y = doc.h * 0.48;
    let rows = [
        ("Client", d.meta.client.clone()),
        ("Site", d.meta.site.clone()),
        ("Date", d.as_of.clone()),
        (
            "Assessor",
            d.meta
                .assessor
                .clone()
                .unwrap_or_else(|| "not recorded".into()),
        ),
        ("Classification", d.marking()),
    ];
    for (label, value) in rows {
        doc.text_at(x, y, label, Style::new(9.0, true, ink::MUTED));
        let h = doc.block(
            x + 110.0,
            y - 2.0,
            doc.width - 110.0,
            &value,
            Style::new(13.0, true, ink::TEXT),
            3,
        );
        y += h.max(18.0) + 10.0;
    }
    y += 10.0;
    doc.hline(x, x + doc.width, y, ink::RULE, 0.6);
    let scope = match &d.scan {
        Some(s) => format!(
            "Scope: {} file(s) examined in scan {} ({}), {} credential finding(s).",
            s.files_seen,
            s.id,
            s.started.get(..10).unwrap_or(&s.started),
            d.findings.len()
        ),
        None => "Scope: no files have been scanned in this engagement yet.".into(),
    };
    doc.block(x, y + 8.0, doc.width, &scope, BODY, 3);
    doc.block(
        x,
        doc.h - 110.0,
        doc.width,
        "Prepared offline with Credence. Secrets are never shown: credentials appear as masked previews (S*****!) and short keyed fingerprints.",
        SMALL,
        3,
    );
}

/// Counts of live risks per (likelihood, impact) cell.
pub fn heat_counts<'a>(risks: impl Iterator<Item = &'a Risk>, residual: bool) -> [[u32; 5]; 5] {
    let mut g = [[0u32; 5]; 5];
    for r in risks {
        let (l, i) = if residual {
            (r.content.residual_likelihood, r.content.residual_impact)
        } else {
            (r.content.likelihood, r.content.impact)
        };
        g[(l.clamp(1, 5) - 1) as usize][(i.clamp(1, 5) - 1) as usize] += 1;
    }
    g
}

fn count_band(d: &ReportData, b: Band) -> usize {
    d.live_risks().filter(|r| r.band == b).count()
}

/// The headline: one sentence a board member remembers.
pub fn headline(d: &ReportData) -> String {
    let critical = count_band(d, Band::Critical);
    let high = count_band(d, Band::High);
    let paths = d.analysis.as_ref().map_or(0, |a| a.cross_boundary.len());
    if d.scan.is_none() && d.maturity.is_none() {
        return "Nothing has been assessed yet: no scan and no maturity answers.".into();
    }
    if critical > 0 && paths > 0 {
        return format!(
            "Passwords readable in lower-trust zones open operational systems: {paths} path(s) lead from where credentials are kept into more critical zones, and {critical} risk(s) are critical."
        );
    }
    if critical > 0 {
        return format!("{critical} critical risk(s) need a decision now.");
    }
    if high > 0 {
        return format!("No critical risk; {high} high risk(s) to treat within 60 days.");
    }
    "No critical or high risk was found in the material examined.".into()
}

pub fn verdict(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("The verdict", true);
    let h = headline(d);
    let x = doc.left;
    let hh = doc.block_height(&h, doc.width - 24.0, Style::new(13.0, true, ink::TEXT), 5);
    doc.rect(x, doc.cursor, doc.width, hh + 20.0, Some(ink::PANEL), None);
    doc.rect(x, doc.cursor, 4.0, hh + 20.0, Some(0xC0392B), None);
    let top = doc.cursor + 10.0;
    doc.block(
        x + 14.0,
        top,
        doc.width - 24.0,
        &h,
        Style::new(13.0, true, ink::TEXT),
        5,
    );
    doc.cursor += hh + 32.0;
    if let (Some(s), Some(a)) = (&d.scan, &d.analysis) {
        let m = &a.metrics;
        let files: std::collections::BTreeSet<&str> = d
            .findings
            .iter()
            .map(|f| f.stored.finding.path.as_str())
            .collect();
        doc.para(
            &format!(
                "We examined {} file(s) handed over for {} and found {} credential(s) written in {} of them: {} distinct secret(s) belonging to {} identities. {} of these identities are privileged, {} share a password with another account or system, {} belong to services or devices that log in without a person watching, and {} are reachable from a zone of lower trust than the system they open. {} are vendor defaults.",
                s.files_seen,
                d.meta.site,
                d.findings.len(),
                files.len(),
                m.credentials,
                m.identities,
                m.privileged,
                m.shared,
                m.non_human,
                m.cross_boundary,
                m.default
            ),
            BODY,
        );
    }
    let live = d.live_risks().count();
    doc.para(
        &format!(
            "The register holds {live} open risk(s): {} critical, {} high, {} medium and {} low. They are ordered by score (likelihood × impact), then by how much one compromise would open, then by age.",
            count_band(d, Band::Critical),
            count_band(d, Band::High),
            count_band(d, Band::Medium),
            count_band(d, Band::Low)
        ),
        BODY,
    );
    if let Some(m) = &d.maturity {
        let answered = m.practices.iter().filter(|p| p.answer.is_some()).count();
        let contradicted = m.contradictions().count();
        let below: Vec<String> = m
            .domains
            .iter()
            .filter(|x| x.target.is_some_and(|t| x.achieved < t))
            .map(|x| {
                format!(
                    "{} (level {} of target {})",
                    x.name,
                    x.achieved,
                    x.target.unwrap_or(0)
                )
            })
            .collect();
        doc.para(
            &format!(
                "Maturity ({}): {answered} practice(s) answered; {} domain(s) below target{}{}",
                m.model_name,
                below.len(),
                if below.is_empty() { ".".to_string() } else { format!(": {}.", below.join(", ")) },
                if contradicted > 0 {
                    format!(" The scan's evidence contradicts {contradicted} answer(s): those answers were not taken on trust.")
                } else {
                    String::new()
                }
            ),
            BODY,
        );
    }
    let top: Vec<&Risk> = d.live_risks().take(3).collect();
    if !top.is_empty() {
        doc.subheading("Decisions we ask of the board");
        for r in top {
            doc.bullet(
                &format!(
                    "{}: {} Owner: {}; due {}.",
                    r.content.title,
                    first_sentence(&r.content.treatment),
                    owner_of(r),
                    r.due
                ),
                BODY,
            );
        }
    }
    let missing = d.missing();
    if !missing.is_empty() {
        doc.subheading("What this report does not yet cover");
        for m in missing {
            doc.bullet(&m, BODY);
        }
    }
}

/// The MFA answer for remote access, from the practices that ask about it.
fn mfa_answer(d: &ReportData) -> (String, String) {
    let Some(m) = &d.maturity else {
        return ("?".into(), "Not assessed: no maturity answers yet.".into());
    };
    let p = m.practices.iter().find(|p| {
        let q = p.question.to_lowercase();
        (q.contains("mfa") || q.contains("multi-factor") || q.contains("multifactor"))
            && (q.contains("remote") || q.contains("vendor"))
    });
    match p.and_then(|p| p.answer.map(|a| (p, a))) {
        Some((p, a)) => (
            if a.achieves() { "Yes" } else { "No" }.into(),
            format!(
                "{}: {}{}",
                p.practice_id,
                a.label(),
                if p.contradiction.is_some() {
                    " (contradicted by the scan)"
                } else {
                    ""
                }
            ),
        ),
        None => ("?".into(), "Not answered in the assessment.".into()),
    }
}

pub fn indicators(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Key indicators", true);
    doc.para(
        "The questions leadership asks about identities, answered from the evidence. Each number counts identities (an account on a system, or a credential with no known account).",
        SMALL,
    );
    let m = d.analysis.as_ref().map(|a| a.metrics.clone());
    let num = |v: Option<usize>| v.map_or("—".to_string(), |v| v.to_string());
    let no_scan = "No scan yet.";
    let owners = d
        .risks
        .iter()
        .find(|r| r.content.key == "rule:privileged-no-owner" && r.status.is_live())
        .map_or(0, |r| {
            r.content
                .identities
                .len()
                .max(usize::from(!r.content.findings.is_empty()))
        });
    let crit_high = count_band(d, Band::Critical) + count_band(d, Band::High);
    let (mfa, mfa_note) = mfa_answer(d);
    let red = 0xC0392B;
    let amber = 0xD35400;
    let tiles: Vec<(String, &str, String, u32)> = vec![
        (
            num(m.as_ref().map(|m| m.privileged)),
            "Privileged identities",
            if m.is_some() {
                "Which identities have privileged access?".into()
            } else {
                no_scan.into()
            },
            amber,
        ),
        (
            num(m.as_ref().map(|m| m.shared)),
            "Shared credentials",
            if m.is_some() {
                "Identities whose password opens other accounts or systems.".into()
            } else {
                no_scan.into()
            },
            amber,
        ),
        (
            num(m.as_ref().map(|m| m.non_human)),
            "Without oversight",
            if m.is_some() {
                "Service and device identities that log in with no person watching.".into()
            } else {
                no_scan.into()
            },
            ink::NAVY,
        ),
        (
            num(m.as_ref().map(|m| m.cross_boundary)),
            "Cross a trust boundary",
            if let Some(a) = &d.analysis {
                format!(
                    "{} path(s) from a lower-trust zone into a more critical one.",
                    a.cross_boundary.len()
                )
            } else {
                no_scan.into()
            },
            red,
        ),
        (
            num(m.as_ref().map(|m| m.default)),
            "Vendor default passwords",
            if m.is_some() {
                "Passwords anyone can look up in a manual.".into()
            } else {
                no_scan.into()
            },
            red,
        ),
        (
            num(m.as_ref().map(|m| m.older_than_4y)),
            "Older than 4 years",
            if m.is_some() {
                "Identities whose evidence has not changed in over four years.".into()
            } else {
                no_scan.into()
            },
            ink::NAVY,
        ),
        (
            crit_high.to_string(),
            "Critical and high risks",
            "Open risks that need treatment within 60 days.".into(),
            red,
        ),
        (mfa, "MFA on remote access", mfa_note, ink::NAVY),
        (
            if m.is_some() {
                owners.to_string()
            } else {
                "—".into()
            },
            "Privileged, no owner",
            if m.is_some() {
                "Privileged identities that are shared, non-human or never changed.".into()
            } else {
                no_scan.into()
            },
            amber,
        ),
    ];
    let (tw, th, gap) = ((doc.width - 2.0 * 10.0) / 3.0, 84.0, 10.0);
    doc.ensure(3.0 * (th + gap));
    let top = doc.cursor;
    for (i, (v, label, note, color)) in tiles.iter().enumerate() {
        let (c, r) = (i % 3, i / 3);
        let at = (
            doc.left + c as f32 * (tw + gap),
            top + r as f32 * (th + gap),
            tw,
            th,
        );
        let t = charts::Tile {
            value: v,
            label,
            note,
            accent: *color,
        };
        charts::tile(doc, at, &t);
    }
    doc.cursor = top + 3.0 * (th + gap) + 6.0;
    doc.subheading("Heat map");
    if d.risks.is_empty() {
        doc.para(
            "No risks yet: the heat map fills in once a scan or an assessment gives evidence.",
            BODY,
        );
        return;
    }
    let size = (doc.width / 2.0 - 20.0).min(doc.room() - 40.0).max(120.0);
    doc.ensure(size + 30.0);
    let top = doc.cursor;
    charts::heat_map(
        doc,
        doc.left,
        top,
        size,
        &heat_counts(d.live_risks(), false),
        "Now (open risks)",
    );
    charts::heat_map(
        doc,
        doc.left + doc.width / 2.0 + 10.0,
        top,
        size,
        &heat_counts(d.live_risks(), true),
        "After the recommended treatment",
    );
    doc.cursor = top + size + 48.0;
    doc.block(
        doc.left,
        doc.cursor,
        doc.width,
        &format!(
            "Each cell counts the risks with that likelihood and impact (1-5). Colour is the priority band of the cell's score: {}.",
            Band::EDGES
        ),
        SMALL,
        3,
    );
    doc.cursor += 2.0 * SMALL.leading() + H2.size;
}
