//! Office documents: docx, pptx (OOXML) and odt, odp (ODF).
//!
//! Location: a finding's `line` is the **paragraph number** in a text document (docx,
//! odt: every paragraph of the body counts, empty ones too, in reading order, table
//! paragraphs excepted) and the **slide number** in a presentation (pptx, odp; the
//! slide is also given as the label `slide N`; pptx speaker notes as `notes of slide N`).
//! Headers, footers, footnotes, endnotes and comments of a docx are numbered by
//! paragraph within their own part, labelled by it (`header1`, `comments`). Tables
//! inside a docx or odt are emitted as tables (label `table N`, cells in A1 style) and
//! read with the same header logic as sheets.

use super::budget::Budget;
use super::xml::{Ev, entity_notice, walk};
use super::{Zip, corrupt};
use crate::ingest::{ExtractError, ExtractInput, Origin, Part, Table, TableAddressing, TextHint};

/// Reads one entry through the budget.
fn entry(
    zip: &mut Zip<'_>,
    budget: &mut Budget<'_>,
    name: &str,
    format: &'static str,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let Ok(mut f) = zip.by_name(name) else {
        return Ok(None);
    };
    budget.entry()?;
    let size = f.compressed_size();
    budget
        .read(name, &mut f, Some(size))
        .map(Some)
        .map_err(|e| match e {
            ExtractError::Corrupt { detail, .. } => corrupt(format, detail),
            other => other,
        })
}

/// Paragraphs (outside tables) and tables of one WordprocessingML part.
type DocxPart = (Vec<String>, Vec<Vec<Vec<Option<String>>>>);

/// docx: body paragraphs as lines, tables as tables; headers, footers, footnotes,
/// endnotes and comments as prose labelled by their part (`header1`, `comments`),
/// lines numbered by paragraph within it.
pub fn extract_docx(
    input: &ExtractInput<'_>,
    mut zip: Zip<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut budget = Budget::new(input.limits, input.bytes.len());
    let xml = entry(&mut zip, &mut budget, "word/document.xml", "docx")?
        .ok_or_else(|| corrupt("docx", "no word/document.xml"))?;
    if let Some(notice) = entity_notice(&xml, "word/document.xml") {
        emit(notice);
    }
    let (paragraphs, tables) = docx_part(&xml)?;
    emit(Part::Text {
        origin: Origin::default(),
        text: paragraphs.join("\n"),
        first_line: 1,
        hint: TextHint::Prose,
    });
    emit_tables(tables, emit);
    let mut extra: Vec<String> = zip
        .file_names()
        .filter(|n| {
            let base = n.strip_prefix("word/").unwrap_or("");
            ["header", "footer", "footnotes", "endnotes", "comments"]
                .iter()
                .any(|p| base.starts_with(p))
                && base.ends_with(".xml")
                && !base.contains('/')
        })
        .map(str::to_string)
        .collect();
    extra.sort();
    for name in extra {
        let Some(xml) = entry(&mut zip, &mut budget, &name, "docx")? else {
            continue;
        };
        let (paragraphs, _) = docx_part(&xml)?;
        if paragraphs.iter().all(|p| p.trim().is_empty()) {
            continue;
        }
        let label = name
            .trim_start_matches("word/")
            .trim_end_matches(".xml")
            .to_string();
        emit(Part::Text {
            origin: Origin {
                label: Some(label),
                ..Origin::default()
            },
            text: paragraphs.join("\n"),
            first_line: 1,
            hint: TextHint::Prose,
        });
    }
    Ok(())
}

/// Reads one WordprocessingML part: paragraphs outside tables, and top-level tables.
fn docx_part(xml: &[u8]) -> Result<DocxPart, ExtractError> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut tables: Vec<Vec<Vec<Option<String>>>> = Vec::new();
    let (mut para, mut in_t, mut depth) = (String::new(), false, 0usize);
    let (mut row, mut cell): (Vec<Option<String>>, String) = (Vec::new(), String::new());
    walk(xml, "docx", |ev| {
        match ev {
            Ev::Start { name: b"tbl", .. } => {
                depth += 1;
                if depth == 1 {
                    tables.push(Vec::new());
                }
            }
            Ev::End { name: b"tbl" } => depth = depth.saturating_sub(1),
            Ev::Start { name: b"tr", .. } if depth == 1 => row.clear(),
            Ev::End { name: b"tr" } if depth == 1 => {
                if let Some(t) = tables.last_mut() {
                    t.push(std::mem::take(&mut row));
                }
            }
            Ev::Start { name: b"tc", .. } if depth == 1 => cell.clear(),
            Ev::End { name: b"tc" } if depth == 1 => {
                let c = cell.trim().to_string();
                row.push(Some(c).filter(|c| !c.is_empty()));
            }
            Ev::Start {
                name: b"t",
                empty: false,
                ..
            } => in_t = true,
            Ev::End { name: b"t" } => in_t = false,
            Ev::Start { name: b"tab", .. } => para.push('\t'),
            Ev::Start { name: b"br", .. } => para.push(' '),
            Ev::End { name: b"p" } => {
                let p = std::mem::take(&mut para);
                if depth == 0 {
                    paragraphs.push(p);
                } else {
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(&p);
                }
            }
            Ev::Text(t) if in_t => para.push_str(t),
            _ => {}
        }
        true
    })?;
    Ok((paragraphs, tables))
}

/// Document tables, labelled `table N`, cells in A1 style.
fn emit_tables(tables: Vec<Vec<Vec<Option<String>>>>, emit: &mut dyn FnMut(Part)) {
    for (n, rows) in tables.into_iter().enumerate() {
        emit(Part::Table {
            origin: Origin {
                label: Some(format!("table {}", n + 1)),
                ..Origin::default()
            },
            table: Table {
                rows,
                addressing: TableAddressing::A1,
                ..Table::default()
            },
        });
    }
}

/// Paragraph texts of one slide (`a:p` / `text:p`).
fn slide_paragraphs(
    xml: &[u8],
    format: &'static str,
    text_el: &[u8],
    para_el: &[&[u8]],
) -> Result<Vec<String>, ExtractError> {
    let mut out = Vec::new();
    let (mut cur, mut in_t) = (String::new(), text_el.is_empty());
    walk(xml, format, |ev| {
        match ev {
            Ev::Start {
                name, empty: false, ..
            } if name == text_el => in_t = true,
            Ev::End { name } if name == text_el => in_t = false,
            Ev::End { name } if para_el.contains(&name) => {
                let p = std::mem::take(&mut cur);
                if !p.trim().is_empty() {
                    out.push(p);
                }
            }
            Ev::Text(t) if in_t => cur.push_str(t),
            _ => {}
        }
        true
    })?;
    Ok(out)
}

fn emit_slide(n: u32, label: &str, paragraphs: Vec<String>, emit: &mut dyn FnMut(Part)) {
    // One part per paragraph, each at line = slide number.
    for p in paragraphs {
        emit(Part::Text {
            origin: Origin {
                label: Some(format!("{label} {n}")),
                ..Origin::default()
            },
            text: p,
            first_line: n,
            hint: TextHint::Prose,
        });
    }
}

/// pptx: slides in number order (`ppt/slides/slideN.xml`), then speaker notes.
pub fn extract_pptx(
    input: &ExtractInput<'_>,
    mut zip: Zip<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut budget = Budget::new(input.limits, input.bytes.len());
    // Slides, then speaker notes (`notesSlideN` belongs to slide N in what
    // PowerPoint writes), each in number order.
    for (prefix, label) in [
        ("ppt/slides/slide", "slide"),
        ("ppt/notesSlides/notesSlide", "notes of slide"),
    ] {
        let mut slides: Vec<(u32, String)> = zip
            .file_names()
            .filter_map(|n| {
                let num = n.strip_prefix(prefix)?.strip_suffix(".xml")?.parse().ok()?;
                Some((num, n.to_string()))
            })
            .collect();
        slides.sort();
        for (n, name) in slides {
            if let Some(xml) = entry(&mut zip, &mut budget, &name, "pptx")? {
                if let Some(notice) = entity_notice(&xml, &name) {
                    emit(notice);
                }
                emit_slide(
                    n,
                    label,
                    slide_paragraphs(&xml, "pptx", b"t", &[b"p"])?,
                    emit,
                );
            }
        }
    }
    Ok(())
}

/// odt and odp: `content.xml`; paragraphs are `text:p` and `text:h`, slides `draw:page`.
pub fn extract_odf(
    input: &ExtractInput<'_>,
    mut zip: Zip<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut budget = Budget::new(input.limits, input.bytes.len());
    let xml = entry(&mut zip, &mut budget, "content.xml", "odf")?
        .ok_or_else(|| corrupt("odf", "no content.xml"))?;
    if let Some(notice) = entity_notice(&xml, "content.xml") {
        emit(notice);
    }
    let (mut paragraphs, mut cur, mut in_p) = (Vec::<String>::new(), String::new(), 0usize);
    let mut slides: Vec<Vec<String>> = Vec::new();
    // Tables of a text document (not of a slide): rows of cells, read like sheets.
    let mut tables: Vec<Vec<Vec<Option<String>>>> = Vec::new();
    let (mut depth, mut row, mut cell) = (0usize, Vec::<Option<String>>::new(), String::new());
    walk(&xml, "odf", |ev| {
        match ev {
            Ev::Start { name: b"page", .. } => slides.push(Vec::new()),
            Ev::Start {
                name: b"table",
                empty: false,
            } if slides.is_empty() => {
                depth += 1;
                if depth == 1 {
                    tables.push(Vec::new());
                }
            }
            Ev::End { name: b"table" } if depth > 0 => depth -= 1,
            Ev::Start {
                name: b"table-row", ..
            } if depth == 1 => row.clear(),
            Ev::End { name: b"table-row" } if depth == 1 => {
                if let Some(t) = tables.last_mut() {
                    t.push(std::mem::take(&mut row));
                }
            }
            Ev::Start {
                name: b"table-cell",
                ..
            } if depth == 1 => cell.clear(),
            Ev::End {
                name: b"table-cell",
            } if depth == 1 => {
                let c = cell.trim().to_string();
                row.push(Some(c).filter(|c| !c.is_empty()));
            }
            Ev::Start {
                name: b"p" | b"h",
                empty: false,
                ..
            } => in_p += 1,
            Ev::Start { name: b"s", .. } if in_p > 0 => cur.push(' '),
            Ev::Start { name: b"tab", .. } if in_p > 0 => cur.push('\t'),
            Ev::Start {
                name: b"line-break",
                ..
            } if in_p > 0 => cur.push(' '),
            Ev::End { name: b"p" | b"h" } if in_p > 0 => {
                in_p -= 1;
                if in_p == 0 {
                    let p = std::mem::take(&mut cur);
                    match slides.last_mut() {
                        Some(s) if !p.trim().is_empty() => s.push(p),
                        Some(_) => {}
                        None if depth > 0 => {
                            if !cell.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(&p);
                        }
                        None => paragraphs.push(p),
                    }
                }
            }
            Ev::Text(t) if in_p > 0 => cur.push_str(t),
            _ => {}
        }
        true
    })?;
    if slides.is_empty() {
        emit(Part::Text {
            origin: Origin::default(),
            text: paragraphs.join("\n"),
            first_line: 1,
            hint: TextHint::Prose,
        });
    }
    for (i, s) in slides.into_iter().enumerate() {
        emit_slide(i as u32 + 1, "slide", s, emit);
    }
    emit_tables(tables, emit);
    Ok(())
}
