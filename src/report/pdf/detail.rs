//! The pages after the summary: the top 10 risks, the identity pathways, maturity and
//! trend, the 30/60/90-day roadmap, method and scope, and the findings appendix
//! (masked, counted by category and zone).

use super::charts;
use super::layout::{BODY, Doc, SMALL, Style, ink};
use super::summary::{first_sentence, owner_of};
use crate::report::data::ReportData;
use crate::risk::{Band, Risk};
use std::collections::BTreeMap;

pub fn top_risks(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Top risks", true);
    let top: Vec<&Risk> = d.live_risks().take(10).collect();
    if top.is_empty() {
        doc.para("No open risk. Every risk in the register is resolved or accepted, or there is no evidence yet.", BODY);
        return;
    }
    let total = d.live_risks().count();
    doc.para(
        &format!(
            "The {} most important of {total} open risk(s), in priority order. The full register, with evidence and derivations, is in the XLSX workbook.",
            top.len()
        ),
        SMALL,
    );
    let (xn, wn) = doc.grid(0, 1);
    let (xr, wr) = doc.grid(1, 5);
    let (xp, wp) = doc.grid(6, 2);
    let (xo, wo) = doc.grid(8, 2);
    let (xd, wd) = doc.grid(10, 2);
    let head = Style::new(7.5, true, ink::MUTED);
    let y = doc.cursor;
    for (x, w, t) in [
        (xn, wn, "#"),
        (xr, wr, "Risk"),
        (xp, wp, "Priority"),
        (xo, wo, "Owner"),
        (xd, wd, "Due"),
    ] {
        doc.text_fit(x, y, w, t, head);
    }
    doc.cursor += 12.0;
    doc.hline(doc.left, doc.left + doc.width, doc.cursor, ink::RULE, 0.6);
    doc.cursor += 5.0;
    let title = Style::new(9.0, true, ink::TEXT);
    let desc = Style::new(7.5, false, ink::MUTED);
    for r in top {
        let detail = format!(
            "{} ATT&CK {}.",
            first_sentence(&r.content.description),
            r.content.attack.join(", ")
        );
        // A contradiction is shown in full, apart: the answer it refutes matters.
        let flag = (!r.content.contradictions.is_empty())
            .then(|| format!("Contradiction: {}", r.content.contradictions.join("; ")));
        let warn = Style::new(7.5, true, 0xB03A2E);
        let th = doc.block_height(&r.content.title, wr, title, 3);
        let dh = doc.block_height(&detail, wr, desc, 3);
        let ch = flag
            .as_ref()
            .map_or(0.0, |f| doc.block_height(f, wr, warn, 4));
        let oh = doc.block_height(&owner_of(r), wo, desc, 3);
        let h = (th + dh + ch).max(oh + 12.0).max(30.0) + 8.0;
        doc.ensure(h);
        let y = doc.cursor;
        doc.text_at(xn, y, &r.rank.to_string(), title);
        doc.block(xr, y, wr, &r.content.title, title, 3);
        doc.block(xr, y + th, wr, &detail, desc, 3);
        if let Some(f) = &flag {
            doc.block(xr, y + th + dh, wr, f, warn, 4);
        }
        doc.rect(xp, y, 52.0, 13.0, Some(charts::band_color(r.band)), None);
        let pill = if r.band == Band::Medium {
            ink::TEXT
        } else {
            ink::WHITE
        };
        doc.text_center(
            xp + 26.0,
            y + 2.0,
            r.band.label(),
            Style::new(7.5, true, pill),
        );
        doc.text_fit(
            xp,
            y + 16.0,
            wp,
            &format!(
                "score {} = {} × {}",
                r.score, r.content.likelihood, r.content.impact
            ),
            desc,
        );
        doc.text_fit(
            xp,
            y + 26.0,
            wp,
            &format!("after treatment {}", r.residual_score),
            desc,
        );
        doc.block(
            xo,
            y,
            wo,
            &owner_of(r),
            Style::new(7.5, false, ink::TEXT),
            3,
        );
        doc.text_fit(xd, y, wd, &r.due, Style::new(7.5, false, ink::TEXT));
        doc.text_fit(xd, y + 10.0, wd, r.status.as_str(), desc);
        doc.cursor += h;
        doc.hline(
            doc.left,
            doc.left + doc.width,
            doc.cursor - 4.0,
            ink::RULE,
            0.4,
        );
    }
}

pub fn pathways(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Identity pathways: from IT into OT", true);
    let Some(a) = &d.analysis else {
        doc.para(
            "No scan yet: the pathways appear once the files handed over have been scanned.",
            BODY,
        );
        return;
    };
    if a.cross_boundary.is_empty() {
        doc.para("No credential kept in a lower-trust zone was found to open an account in a more critical one. That is good news, within the limits of the material examined.", BODY);
        return;
    }
    doc.para(
        "Attackers do not see IT and OT; they see identity paths. Each line is a credential kept in the files of one zone (however many copies) that opens an account in a more critical zone (red: criticality 5, orange: 4).",
        BODY,
    );
    const MAX: usize = 12;
    let mut paths = a.cross_boundary.clone();
    paths.sort_by(|x, y| {
        (y.target_criticality - y.source_criticality.min(y.target_criticality))
            .cmp(&(x.target_criticality - x.source_criticality.min(x.target_criticality)))
            .then(x.cmp(y))
    });
    let height = 40.0 + 26.0 * paths.len().min(MAX) as f32;
    doc.ensure(height);
    let top = doc.cursor;
    let bottom = charts::pathways(doc, doc.left, top, doc.width, &paths, MAX);
    doc.cursor = bottom + 10.0;
    if paths.len() > MAX {
        doc.para(
            &format!(
                "{} more path(s) are listed in the XLSX workbook (Identities sheet).",
                paths.len() - MAX
            ),
            SMALL,
        );
    }
    doc.subheading("The paths, spelled out");
    for p in paths.iter().take(MAX) {
        doc.bullet(&p.spelled(), Style::new(7.5, false, ink::TEXT));
    }
}

pub fn maturity_and_trend(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Maturity and trend", true);
    match &d.maturity {
        None => {
            doc.rect(
                doc.left,
                doc.cursor,
                doc.width,
                46.0,
                Some(ink::PANEL),
                None,
            );
            let y = doc.cursor + 10.0;
            doc.block(doc.left + 12.0, y, doc.width - 24.0, "No maturity assessment has been answered for this engagement, so there is no radar: levels, targets and gaps appear here once the questionnaire is answered.", BODY, 3);
            doc.cursor += 58.0;
        }
        Some(m) => {
            doc.para(&format!("{} {}: level achieved per domain (0-{}), against the target and the previous assessment.", m.model_name, m.model_version, m.max_level), SMALL);
            let axes: Vec<String> = m.domains.iter().map(|x| x.name.clone()).collect();
            let current: Vec<f32> = m.domains.iter().map(|x| x.achieved as f32).collect();
            let target: Vec<f32> = m
                .domains
                .iter()
                .map(|x| x.target.unwrap_or(0) as f32)
                .collect();
            let prev_of = |id: &str| {
                d.previous_maturity
                    .as_ref()
                    .and_then(|p| p.domains.iter().find(|x| x.id == id).map(|x| x.achieved))
            };
            let previous: Vec<Option<u8>> = m
                .domains
                .iter()
                .map(|x| x.previous.or_else(|| prev_of(&x.id)))
                .collect();
            let mut series = vec![(current, 0x1F6FB2, false, "current")];
            if m.domains.iter().any(|x| x.target.is_some()) {
                series.push((target, 0xC0392B, true, "target"));
            }
            if previous.iter().any(Option::is_some) {
                series.push((
                    previous.iter().map(|v| v.unwrap_or(0) as f32).collect(),
                    0x95A5A6,
                    true,
                    "previous",
                ));
            }
            let size = (doc.width * 0.62).min(doc.room() - 20.0).max(160.0);
            doc.ensure(size);
            let top = doc.cursor;
            charts::radar(
                doc,
                doc.left + (doc.width - size) / 2.0,
                top,
                size,
                &axes,
                m.max_level,
                &series,
            );
            doc.cursor = top + size + 6.0;
            let rows: Vec<String> = m
                .domains
                .iter()
                .zip(&previous)
                .map(|(x, p)| {
                    format!(
                        "{}: level {}{}{}; {} of {} practice(s) answered",
                        x.name,
                        x.achieved,
                        x.target
                            .map(|t| format!(", target {t}"))
                            .unwrap_or_default(),
                        p.map(|p| format!(", previously {p}")).unwrap_or_default(),
                        x.practices_answered,
                        x.practices_applicable
                    )
                })
                .collect();
            for r in rows {
                doc.bullet(&r, Style::new(8.0, false, ink::TEXT));
            }
            let gaps = m.gaps();
            if !gaps.is_empty() {
                doc.para(&format!("{} practice(s) are partially or not implemented (or unknown); the XLSX lists each with its answer.", gaps.len()), SMALL);
            }
        }
    }
    doc.subheading("Trend since the previous scan");
    match (&d.analysis, &d.previous) {
        (Some(a), Some((scan, before, n_before))) => {
            let m = &a.metrics;
            let rows = [
                ("Credential findings", d.findings.len(), *n_before),
                ("Identities", m.identities, before.identities),
                ("Privileged identities", m.privileged, before.privileged),
                ("Shared", m.shared, before.shared),
                ("Crossing a trust boundary", m.cross_boundary, before.cross_boundary),
                ("Vendor defaults", m.default, before.default),
            ];
            doc.para(&format!("Compared with scan {} of {}.", scan.id, scan.started.get(..10).unwrap_or(&scan.started)), SMALL);
            let (x0, _) = doc.grid(0, 6);
            let (x1, _) = doc.grid(6, 2);
            let (x2, _) = doc.grid(8, 2);
            let (x3, _) = doc.grid(10, 2);
            let head = Style::new(7.5, true, ink::MUTED);
            let y = doc.cursor;
            for (x, t) in [(x0, "Indicator"), (x1, "Before"), (x2, "Now"), (x3, "Change")] {
                doc.text_at(x, y, t, head);
            }
            doc.cursor += 13.0;
            for (name, now, was) in rows {
                doc.ensure(13.0);
                let y = doc.cursor;
                let change = now as i64 - was as i64;
                let (word, color) = match change {
                    0 => ("no change".to_string(), ink::MUTED),
                    c if c > 0 => (format!("+{c} (worse)"), 0xC0392B),
                    c => (format!("{c} (better)"), 0x1E8449),
                };
                doc.text_at(x0, y, name, BODY);
                doc.text_at(x1, y, &was.to_string(), BODY);
                doc.text_at(x2, y, &now.to_string(), BODY);
                doc.text_at(x3, y, &word, Style::new(9.0, true, color));
                doc.cursor += 13.0;
            }
        }
        (Some(_), None) => doc.para("This is the first scan of this engagement: the next assessment will show the trend against these figures.", BODY),
        (None, _) => doc.para("No scan yet: no trend to show.", BODY),
    }
}

/// The article's five practical steps, in our words, spread over the roadmap.
const STEPS: [&str; 5] = [
    "Step 1, discover: list every identity, not only people (service accounts, shared OT logins, vendor access, device and hard-coded secrets).",
    "Step 2, prioritise: rank identities by what they can do to safety, availability and compliance, and by the paths they open from IT into OT.",
    "Step 3, use what exists: extend the controls already in place (MFA, logging, segmentation) to OT before buying new ones.",
    "Step 4, privileged access: give each privileged account a named owner, a purpose and an expiry; trust identity, not network location.",
    "Step 5, keep learning: watch how identities are used and repeat this assessment to measure the trend.",
];

pub fn roadmap(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("30 / 60 / 90-day roadmap", true);
    doc.para("Built from the treatments of the top risks (by priority band) and five practical steps that make the biggest difference early on.", SMALL);
    let live: Vec<&Risk> = d.live_risks().collect();
    let pick = |bands: &[Band]| -> Vec<String> {
        let mut seen = Vec::new();
        for r in live.iter().filter(|r| bands.contains(&r.band)) {
            let t = format!(
                "{} ({}, {})",
                first_sentence(&r.content.treatment),
                r.id,
                owner_of(r)
            );
            if !seen.contains(&t) && seen.len() < 4 {
                seen.push(t);
            }
        }
        seen
    };
    let columns = [
        ("First 30 days", pick(&[Band::Critical]), vec![STEPS[0]]),
        (
            "Within 60 days",
            pick(&[Band::High]),
            vec![STEPS[1], STEPS[2]],
        ),
        (
            "Within 90 days",
            pick(&[Band::Medium, Band::Low]),
            vec![STEPS[3], STEPS[4]],
        ),
    ];
    let gap = 10.0;
    let w = (doc.width - 2.0 * gap) / 3.0;
    let item = Style::new(7.8, false, ink::TEXT);
    let step = Style::new(7.8, false, ink::NAVY);
    let mut heights = Vec::new();
    for (_, treatments, steps) in &columns {
        let mut h = 30.0;
        for t in treatments {
            h += doc.block_height(t, w - 20.0, item, 6) + 5.0;
        }
        for s in steps {
            h += doc.block_height(s, w - 20.0, step, 5) + 5.0;
        }
        heights.push(h);
    }
    let h = heights
        .iter()
        .cloned()
        .fold(120.0, f32::max)
        .min(doc.bottom - doc.top - 40.0);
    doc.ensure(h);
    let top = doc.cursor;
    for (i, (title, treatments, steps)) in columns.iter().enumerate() {
        let x = doc.left + i as f32 * (w + gap);
        doc.rect(x, top, w, h, Some(ink::PANEL), None);
        doc.rect(x, top, w, 22.0, Some(ink::NAVY), None);
        doc.text_at(x + 8.0, top + 6.0, title, Style::new(9.5, true, ink::WHITE));
        let mut y = top + 30.0;
        if treatments.is_empty() {
            y += doc.block(x + 8.0, y, w - 16.0, "No open risk in this band.", SMALL, 2) + 5.0;
        }
        for t in treatments {
            if y > top + h - 20.0 {
                break;
            }
            doc.text_at(x + 8.0, y, "•", item);
            y += doc.block(x + 16.0, y, w - 24.0, t, item, 6) + 5.0;
        }
        for s in steps {
            if y > top + h - 20.0 {
                break;
            }
            doc.text_at(x + 8.0, y, "›", step);
            y += doc.block(x + 16.0, y, w - 24.0, s, step, 5) + 5.0;
        }
    }
    doc.cursor = top + h + 10.0;
}

pub fn method(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Method and scope", true);
    match &d.scan {
        Some(s) => doc.para(
            &format!(
                "Material: {} (scan {} started {}, {}). {} file(s) seen, {} read, {} unchanged since an earlier scan, {} could not be read.",
                s.roots.join(", "),
                s.id,
                s.started,
                s.status,
                s.files_seen,
                s.files_scanned,
                s.files_reused,
                s.files_errors
            ),
            BODY,
        ),
        None => doc.para("Material: no scan has been run in this engagement yet.", BODY),
    }
    for line in [
        "Detection: rules, structured readers (spreadsheets as tables, device configurations, notes, archives) and decoders for reversible password formats find credentials where people and systems left them. Secrets are never stored or shown: each finding keeps a masked preview and a keyed fingerprint, so the same password in two places is recognisable without being revealed.",
        "Identity graph: each credential is tied to the accounts and systems it opens and to the zones of both the file that holds it and the system it opens. A path crosses a trust boundary when the second zone is more critical than the first. Blast radius adds up the criticality of what one credential opens.",
        format!("Scoring: each finding is scored and a risk takes its worst finding's score; a finding counts toward the first, most specific risk it belongs to (it stays evidence of the general ones), so one bad credential does not make several risks critical. Likelihood (1-5) starts from exposure (clear or reversible 3, hashed 1) and rises for reach into a more critical zone, vendor defaults, reuse in three or more places, evidence older than four years and answers the evidence contradicts. Impact (1-5) is the highest safety, availability or regulatory rating of the most critical zone opened for a privileged account, one less for any other account. Score = likelihood × impact; bands: {}. Each risk's derivation is written out in the XLSX register.", Band::EDGES).as_str(),
        "Priority: score, then blast radius, then age of the oldest evidence. Risks are grouped by rule (one risk per kind of problem, not one per finding). Findings triaged as false positives are not evidence.",
        "Limits: only the material handed over was examined; credentials were not tried against live systems; a password's age is the file's age. Risks whose evidence disappears in a later scan are marked resolved, never deleted.",
        "MITRE ATT&CK® technique ids (ICS T0xxx, Enterprise T1xxx) © The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation. Set in Noto Sans (SIL Open Font License 1.1).",
    ] {
        doc.para(line, BODY);
    }
}

pub fn appendix(doc: &mut Doc<'_>, d: &ReportData) {
    doc.heading("Appendix: findings", true);
    if d.findings.is_empty() {
        doc.para(
            if d.scan.is_some() {
                "The scan found no credentials."
            } else {
                "No scan yet: no findings."
            },
            BODY,
        );
        return;
    }
    doc.para(&format!("{} finding(s), counted by category and by the zone of the file that holds them. Every finding, masked, with its location and remediation steps, is in the technical appendix for engineers and in the XLSX workbook.", d.findings.len()), SMALL);
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut zones: Vec<&str> = Vec::new();
    for f in &d.findings {
        let z = f.exposure_zone.as_str();
        if !zones.contains(&z) {
            zones.push(z);
        }
        *counts
            .entry(f.stored.finding.category.as_str())
            .or_default()
            .entry(z)
            .or_default() += 1;
    }
    let order: Vec<String> = d.zones.iter().map(|z| z.name.clone()).collect();
    zones.sort_by_key(|z| order.iter().position(|o| o == z).unwrap_or(usize::MAX));
    let zones: Vec<&str> = zones.into_iter().take(8).collect();
    let first_w = 120.0;
    let cw = (doc.width - first_w - 40.0) / zones.len().max(1) as f32;
    let head = Style::new(7.5, true, ink::MUTED);
    let y = doc.cursor;
    doc.text_at(doc.left, y, "Category", head);
    for (i, z) in zones.iter().enumerate() {
        doc.text_fit(doc.left + first_w + i as f32 * cw, y, cw - 4.0, z, head);
    }
    doc.text_right(doc.left + doc.width, y, "Total", head);
    doc.cursor += 13.0;
    for (cat, by_zone) in &counts {
        doc.ensure(12.0);
        let y = doc.cursor;
        doc.text_at(doc.left, y, cat, BODY);
        for (i, z) in zones.iter().enumerate() {
            let n = by_zone.get(z).copied().unwrap_or(0);
            doc.text_at(doc.left + first_w + i as f32 * cw, y, &n.to_string(), BODY);
        }
        doc.text_right(
            doc.left + doc.width,
            y,
            &by_zone.values().sum::<usize>().to_string(),
            Style::new(9.5, true, ink::TEXT),
        );
        doc.cursor += 12.0;
    }
    doc.subheading("Findings behind the top risks (masked)");
    let top_ids: Vec<&str> = d
        .live_risks()
        .take(10)
        .flat_map(|r| r.content.findings.iter().map(String::as_str))
        .collect();
    let by_id: BTreeMap<&str, &crate::store::query::ListedFinding> = d
        .findings
        .iter()
        .map(|f| (f.stored.finding.id.as_str(), f))
        .collect();
    let mut shown = Vec::new();
    for id in top_ids {
        if !shown.contains(&id) && by_id.contains_key(id) {
            shown.push(id);
        }
        if shown.len() == 30 {
            break;
        }
    }
    let style = Style::new(7.2, false, ink::TEXT);
    for id in shown {
        let f = &by_id[id].stored.finding;
        doc.ensure(11.0);
        let y = doc.cursor;
        let (x0, w0) = doc.grid(0, 6);
        let (x1, w1) = doc.grid(6, 2);
        let (x2, w2) = doc.grid(8, 2);
        let (x3, w3) = doc.grid(10, 2);
        doc.text_fit(x0, y, w0, &f.location(), style);
        doc.text_fit(x1, y, w1, f.category.as_str(), style);
        doc.text_fit(x2, y, w2, &f.secret_masked, style);
        doc.text_fit(x3, y, w3, &f.username.clone().unwrap_or_default(), style);
        doc.cursor += 10.5;
    }
}
