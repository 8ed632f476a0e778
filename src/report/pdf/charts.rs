//! Figures drawn with the layout's shapes: the 5x5 heat map, the maturity radar
//! (current, target, previous), indicator tiles and the identity pathways (IT → OT).
//! Each draws inside a box given by its caller and never past it.

use super::layout::{Doc, SMALL, Style, ink};
use crate::identity::CrossPath;
use crate::risk::Band;

pub fn band_color(b: Band) -> u32 {
    crate::report::xlsx::band_color(b)
}

/// A 5x5 grid of counts (likelihood rows 5..1 top to bottom, impact columns 1..5),
/// each cell in its band's colour. `size`: the grid's side in points.
pub fn heat_map(
    doc: &mut Doc<'_>,
    x: f32,
    top: f32,
    size: f32,
    counts: &[[u32; 5]; 5],
    title: &str,
) {
    let label_w = 16.0;
    let cell = (size - label_w) / 5.0;
    doc.text_fit(x, top, size + 20.0, title, Style::new(9.0, true, ink::NAVY));
    doc.text_at(x, top + 13.0, "likelihood", SMALL);
    let gx = x + label_w;
    let gy = top + 25.0;
    for li in 0..5usize {
        let l = 5 - li;
        doc.text_center(
            x + 6.0,
            gy + li as f32 * cell + cell / 2.0 - 4.0,
            &l.to_string(),
            SMALL,
        );
        for i in 1..=5usize {
            let score = (l * i) as u8;
            let band = Band::of(score);
            let cx = gx + (i - 1) as f32 * cell;
            let cy = gy + li as f32 * cell;
            doc.rect(cx, cy, cell - 2.0, cell - 2.0, Some(band_color(band)), None);
            let n = counts[l - 1][i - 1];
            let color = if matches!(band, Band::Medium) {
                ink::TEXT
            } else {
                ink::WHITE
            };
            if n > 0 {
                doc.text_center(
                    cx + (cell - 2.0) / 2.0,
                    cy + cell / 2.0 - 7.0,
                    &n.to_string(),
                    Style::new(11.0, true, color),
                );
            }
        }
    }
    let by = gy + 5.0 * cell + 2.0;
    for i in 1..=5usize {
        doc.text_center(
            gx + (i - 1) as f32 * cell + cell / 2.0 - 1.0,
            by,
            &i.to_string(),
            SMALL,
        );
    }
    doc.text_center(gx + 2.5 * cell, by + 10.0, "impact", SMALL);
}

/// What an indicator tile shows: a big number (or word), a label and a note.
pub struct Tile<'a> {
    pub value: &'a str,
    pub label: &'a str,
    pub note: &'a str,
    pub accent: u32,
}

/// One indicator tile in the box (x, top, w, h).
pub fn tile(doc: &mut Doc<'_>, (x, top, w, h): (f32, f32, f32, f32), tile: &Tile<'_>) {
    let Tile {
        value,
        label,
        note,
        accent,
    } = *tile;
    doc.rect(x, top, w, h, Some(ink::PANEL), None);
    doc.rect(x, top, 3.0, h, Some(accent), None);
    doc.text_fit(
        x + 9.0,
        top + 7.0,
        w - 14.0,
        value,
        Style::new(19.0, true, accent),
    );
    doc.block(
        x + 9.0,
        top + 33.0,
        w - 14.0,
        label,
        Style::new(8.5, true, ink::TEXT),
        2,
    );
    doc.block(
        x + 9.0,
        top + 56.0,
        w - 14.0,
        note,
        Style::new(7.0, false, ink::MUTED),
        3,
    );
}

/// Radar of per-domain levels on `0..=max`. Series: (values, colour, dashed, label).
/// Fewer than 3 domains do not make a radar: bars instead.
pub fn radar(
    doc: &mut Doc<'_>,
    x: f32,
    top: f32,
    size: f32,
    axes: &[String],
    max: u8,
    series: &[(Vec<f32>, u32, bool, &str)],
) {
    let max = max.max(1) as f32;
    if axes.len() < 3 {
        bars(doc, x, top, size, axes, max, series);
        return;
    }
    let r = size * 0.32;
    let (cx, cy) = (x + size / 2.0, top + size / 2.0);
    let n = axes.len();
    let at = |i: usize, v: f32| {
        let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / n as f32;
        let k = r * (v / max).clamp(0.0, 1.0);
        (cx + k * a.cos(), cy + k * a.sin())
    };
    for level in 1..=max as usize {
        let ring: Vec<(f32, f32)> = (0..=n).map(|i| at(i % n, level as f32)).collect();
        doc.line(&ring, ink::RULE, 0.5, None);
        let (lx, ly) = at(0, level as f32);
        doc.text_at(
            lx + 2.0,
            ly - 4.0,
            &level.to_string(),
            Style::new(6.5, false, ink::MUTED),
        );
    }
    for (i, name) in axes.iter().enumerate() {
        let (ex, ey) = at(i, max);
        doc.line(&[(cx, cy), (ex, ey)], ink::RULE, 0.5, None);
        let (lx, ly) = at(i, max * 1.1);
        let w = size * 0.3;
        let left = if (lx - cx).abs() < 4.0 {
            lx - w / 2.0
        } else if lx > cx {
            lx + 4.0
        } else {
            lx - w - 4.0
        };
        doc.block(
            left.clamp(x - 40.0, x + size + 40.0 - w),
            ly - 5.0,
            w,
            name,
            Style::new(7.0, false, ink::TEXT),
            2,
        );
    }
    for (values, color, dashed, _) in series {
        let pts: Vec<(f32, f32)> = (0..=n)
            .map(|i| at(i % n, values.get(i % n).copied().unwrap_or(0.0)))
            .collect();
        let dash: Option<&[f32]> = if *dashed { Some(&[3.0, 2.0]) } else { None };
        doc.line(&pts, *color, 1.6, dash);
    }
    legend(doc, x, top + size - 12.0, series);
}

fn legend(doc: &mut Doc<'_>, x: f32, top: f32, series: &[(Vec<f32>, u32, bool, &str)]) {
    let mut lx = x;
    for (_, color, dashed, label) in series {
        let dash: Option<&[f32]> = if *dashed { Some(&[3.0, 2.0]) } else { None };
        doc.line(
            &[(lx, top + 4.0), (lx + 16.0, top + 4.0)],
            *color,
            1.6,
            dash,
        );
        doc.text_at(lx + 20.0, top, label, SMALL);
        lx += 26.0 + doc.text_width(label, SMALL) + 10.0;
    }
}

fn bars(
    doc: &mut Doc<'_>,
    x: f32,
    top: f32,
    size: f32,
    axes: &[String],
    max: f32,
    series: &[(Vec<f32>, u32, bool, &str)],
) {
    let row = 16.0 * series.len().max(1) as f32 + 10.0;
    let label_w = size * 0.35;
    for (i, name) in axes.iter().enumerate() {
        let y = top + i as f32 * row;
        doc.block(
            x,
            y,
            label_w - 4.0,
            name,
            Style::new(7.5, false, ink::TEXT),
            2,
        );
        for (k, (values, color, _, _)) in series.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0.0);
            let w = (size - label_w) * (v / max).clamp(0.0, 1.0);
            doc.rect(
                x + label_w,
                y + k as f32 * 16.0,
                w.max(1.0),
                12.0,
                Some(*color),
                None,
            );
        }
    }
    legend(doc, x, top + axes.len() as f32 * row + 4.0, series);
}

/// The identity pathways: files where credentials are kept (left, by zone) joined to
/// the accounts they open (right, by zone), one line a route (its files in one box), coloured by the target's
/// criticality. At most `max` paths are drawn; the caller says how many more exist.
pub fn pathways(
    doc: &mut Doc<'_>,
    x: f32,
    top: f32,
    w: f32,
    paths: &[CrossPath],
    max: usize,
) -> f32 {
    let shown = &paths[..paths.len().min(max)];
    // Left: the zone and the files of a route (one box however many copies it has).
    let files: Vec<String> = shown.iter().map(|p| p.files_label(1)).collect();
    let mut sources: Vec<(&str, &str)> = Vec::new();
    let mut targets: Vec<(&str, &str)> = Vec::new();
    for (p, f) in shown.iter().zip(&files) {
        if !sources.contains(&(p.source_zone.as_str(), f.as_str())) {
            sources.push((p.source_zone.as_str(), f.as_str()));
        }
        if !targets.contains(&(p.target_zone.as_str(), p.account.as_str())) {
            targets.push((p.target_zone.as_str(), p.account.as_str()));
        }
    }
    sources.sort();
    targets.sort();
    let row = 26.0;
    let box_w = w * 0.36;
    let (lx, rx) = (x, x + w - box_w);
    let head = Style::new(8.5, true, ink::NAVY);
    doc.text_at(lx, top, "Where the credential is kept", head);
    doc.text_at(rx, top, "What it opens", head);
    let y0 = top + 16.0;
    let draw_side = |doc: &mut Doc<'_>, bx: f32, items: &[(&str, &str)], fill: u32| {
        for (i, (zone, name)) in items.iter().enumerate() {
            let y = y0 + i as f32 * row;
            doc.rect(bx, y, box_w, row - 4.0, Some(fill), Some(ink::RULE));
            doc.text_fit(
                bx + 5.0,
                y + 2.0,
                box_w - 10.0,
                zone,
                Style::new(6.5, true, ink::MUTED),
            );
            doc.text_fit(
                bx + 5.0,
                y + 10.5,
                box_w - 10.0,
                name,
                Style::new(7.5, false, ink::TEXT),
            );
        }
    };
    draw_side(doc, lx, &sources, 0xEAF2FB);
    draw_side(doc, rx, &targets, 0xFCEDEA);
    for (p, f) in shown.iter().zip(&files) {
        let si = sources
            .iter()
            .position(|s| *s == (p.source_zone.as_str(), f.as_str()))
            .unwrap_or(0);
        let ti = targets
            .iter()
            .position(|t| *t == (p.target_zone.as_str(), p.account.as_str()))
            .unwrap_or(0);
        let (sy, ty) = (
            y0 + si as f32 * row + (row - 4.0) / 2.0,
            y0 + ti as f32 * row + (row - 4.0) / 2.0,
        );
        let color = match p.target_criticality {
            5 => 0xC0392B,
            4 => 0xE67E22,
            _ => 0x7F8C8D,
        };
        let (ax, bx) = (lx + box_w, rx);
        let mid = (ax + bx) / 2.0;
        doc.line(
            &[(ax, sy), (mid - 10.0, sy), (mid + 10.0, ty), (bx, ty)],
            color,
            1.3,
            None,
        );
        doc.polygon(
            &[(bx, ty), (bx - 5.0, ty - 3.0), (bx - 5.0, ty + 3.0)],
            Some(color),
            None,
        );
    }
    y0 + sources.len().max(targets.len()) as f32 * row
}
