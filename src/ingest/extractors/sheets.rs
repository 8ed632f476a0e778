//! Spreadsheets through calamine: xlsx, xlsm, xlsb and ods (zip), xls (OLE). Every
//! sheet is read, hidden and very hidden ones too (their parts carry
//! `Origin::hidden`). Cells are emitted as a person sees them: integral numbers
//! without a fraction (a PIN stored as 4711 reads "4711"), booleans as TRUE/FALSE,
//! dates and errors left out (a date is not a password).
//!
//! For xlsx, a first pass over each sheet's XML (through the [`Budget`], so a bomb is
//! refused before calamine inflates it) collects hidden rows and columns and the sheet
//! protection hash; `workbook.xml` gives the workbook protection hash. Both hashes
//! become findings of category `hash` (the legacy 16-bit one flagged weak). Cell
//! comments (notes) are read too, each as a one-cell table at its own cell (label
//! `cell comment`), so what the prose detectors find there is located at that cell.
//! An OLE container holding an `EncryptedPackage` is a password-protected OOXML
//! workbook: reported as "encrypted workbook, not scanned". Hidden rows and columns
//! are known for xlsx only (calamine does not report them for xls, xlsb or ods).

use super::budget::Budget;
use super::{corrupt, open_zip};
use crate::detect::{Engine, RawFinding, TextInput};
use crate::finding::{Category, Confidence, Flag};
use crate::ingest::text::LineIndex;
use crate::ingest::{
    ExtractError, ExtractInput, Extractor, FileKind, Limits, Origin, Part, Table, TextHint,
};
use crate::secret::Secret;
use calamine::{Data, Reader, SheetVisible};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// What the sheet XML says beyond cell values.
#[derive(Default)]
struct SheetExtras {
    hidden_rows: Vec<u32>,
    hidden_cols: Vec<u32>,
    /// (algorithm, hash) of a sheet protection password.
    protection: Option<(String, String)>,
    /// Cell comments (notes): zero-based (row, column) and text.
    comments: Vec<(u32, u32, String)>,
}

/// Displayed text of a cell; `None` for empty cells, dates, durations and errors.
pub fn display(d: &Data) -> Option<String> {
    match d {
        Data::Empty
        | Data::Error(_)
        | Data::DateTime(_)
        | Data::DateTimeIso(_)
        | Data::DurationIso(_) => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        Data::Float(f) => Some(format!("{f}")),
        Data::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
    }
}

/// A calamine error as a reason that quotes no cell content: the variant name only.
fn reason<E: std::fmt::Debug>(e: &E) -> String {
    let dbg = format!("{e:?}");
    let variant: String = dbg
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    format!("workbook cannot be parsed ({variant})")
}

/// Reads every sheet of a zip-based workbook (xlsx, xlsm, xlsb, ods).
pub fn extract_workbook(
    input: &ExtractInput<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut extras: HashMap<String, SheetExtras> = HashMap::new();
    let mut zip = open_zip(input.bytes, "workbook")?;
    // Bomb guard: inflate every entry once, counting, before calamine reads any; the
    // sheet XML is searched for hidden rows/columns and protection on the way.
    let mut budget = Budget::new(input.limits, input.bytes.len());
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    let mut by_path: HashMap<String, SheetExtras> = HashMap::new();
    for i in 0..zip.len() {
        budget.entry()?;
        let mut f = zip
            .by_index(i)
            .map_err(|e| corrupt("workbook", super::zip_reason(&e)))?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        let (size, declared) = (f.compressed_size(), f.size());
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let data = budget
                .read_sized(&name, &mut f, Some(size), declared)
                .map_err(workbook_err)?;
            by_path.insert(name, sheet_extras(&data));
        } else if name == "xl/workbook.xml"
            || name == "xl/_rels/workbook.xml.rels"
            || name.starts_with("xl/worksheets/_rels/")
            || (name.starts_with("xl/comments") && name.ends_with(".xml"))
        {
            let data = budget
                .read_sized(&name, &mut f, Some(size), declared)
                .map_err(workbook_err)?;
            small.insert(name, data);
        } else {
            budget
                .count(&name, &mut f, Some(size))
                .map_err(workbook_err)?;
        }
    }
    let is_xlsx = names.iter().any(|n| n == "xl/workbook.xml");
    if is_xlsx {
        collect_xlsx_extras(&small, by_path, &mut extras, emit);
    }
    let cursor = Cursor::new(input.bytes);
    let mut book = if is_xlsx {
        calamine::Sheets::Xlsx(calamine::open_workbook_from_rs(cursor).map_err(
            |e: calamine::XlsxError| match e {
                calamine::XlsxError::Password => ExtractError::Encrypted { format: "workbook" },
                e => corrupt("workbook", reason(&e)),
            },
        )?)
    } else if names.iter().any(|n| n == "xl/workbook.bin") {
        calamine::Sheets::Xlsb(
            calamine::open_workbook_from_rs(cursor)
                .map_err(|e: calamine::XlsbError| corrupt("workbook", reason(&e)))?,
        )
    } else {
        calamine::Sheets::Ods(calamine::open_workbook_from_rs(cursor).map_err(
            |e: calamine::OdsError| match e {
                calamine::OdsError::Password => ExtractError::Encrypted { format: "workbook" },
                e => corrupt("workbook", reason(&e)),
            },
        )?)
    };
    emit_sheets(&mut book, &mut extras, emit)
}

fn workbook_err(e: ExtractError) -> ExtractError {
    match e {
        ExtractError::Corrupt { detail, .. } => corrupt("workbook", detail),
        other => other,
    }
}

fn emit_sheets<RS: Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    extras: &mut HashMap<String, SheetExtras>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let sheets: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    for (name, hidden) in sheets {
        let origin = Origin {
            sheet: Some(name.clone()),
            hidden,
            ..Origin::default()
        };
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                emit(Part::Notice {
                    origin,
                    message: format!("sheet not read: {}", reason(&e)),
                });
                continue;
            }
        };
        let extra = extras.remove(&name).unwrap_or_default();
        if let Some((algorithm, hash)) = extra.protection {
            emit(Part::Finding {
                origin: origin.clone(),
                finding: protection_finding("sheet", &algorithm, hash),
            });
        }
        // A comment is read where it hangs: a one-cell table at its cell, so what the
        // prose detectors find in it is located at that cell.
        for (r, c, text) in extra.comments {
            emit(Part::Table {
                origin: Origin {
                    label: Some("cell comment".into()),
                    ..origin.clone()
                },
                table: Table {
                    rows: vec![vec![Some(text)]],
                    row_offset: r,
                    col_offset: c,
                    ..Table::default()
                },
            });
        }
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        let rows: Vec<Vec<Option<String>>> = range
            .rows()
            .map(|row| row.iter().map(display).collect())
            .collect();
        emit(Part::Table {
            origin,
            table: Table {
                rows,
                row_offset: r0,
                col_offset: c0,
                hidden_rows: extra.hidden_rows,
                hidden_cols: extra.hidden_cols,
                addressing: crate::ingest::TableAddressing::A1,
            },
        });
    }
    Ok(())
}

/// A finding for a sheet or workbook protection hash.
fn protection_finding(scope: &str, algorithm: &str, hash: String) -> RawFinding {
    let legacy = algorithm == "excel-legacy-16bit";
    let mut f = RawFinding::new(
        format!("{scope}.protection-hash"),
        format!(
            "{} protection password hash",
            if scope == "sheet" {
                "Sheet"
            } else {
                "Workbook"
            }
        ),
        Category::Hash,
        Confidence::High,
        Secret::new(hash),
    )
    .flag(Flag::Hashed)
    .specificity(90);
    f.hash_algorithm = Some(algorithm.to_string());
    f.detail = Some(if legacy {
        "legacy 16-bit protection hash: a working password is found in seconds".to_string()
    } else {
        format!("{scope} protection hash ({algorithm})")
    });
    if legacy {
        f = f.flag(Flag::Weak);
    }
    f
}

/// Hidden rows/columns and protection hashes from the xlsx XML (workbook, rels, sheets).
fn collect_xlsx_extras(
    xml: &HashMap<String, Vec<u8>>,
    mut by_path: HashMap<String, SheetExtras>,
    extras: &mut HashMap<String, SheetExtras>,
    emit: &mut dyn FnMut(Part),
) {
    let Some(wb) = xml.get("xl/workbook.xml") else {
        return;
    };
    if let Some(tag) =
        find_tag(wb, b"<workbookProtection").or_else(|| find_tag(wb, b"<x:workbookProtection"))
        && let Some((alg, hash)) = protection(
            tag,
            "workbookPassword",
            "workbookAlgorithmName",
            "workbookHashValue",
        )
    {
        emit(Part::Finding {
            origin: Origin::default(),
            finding: protection_finding("workbook", &alg, hash),
        });
    }
    // rId → target, then sheet name → target.
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(rels) = xml.get("xl/_rels/workbook.xml.rels") {
        for tag in tags(rels, b"<Relationship ") {
            if let (Some(id), Some(t)) = (tag_attr(tag, "Id"), tag_attr(tag, "Target")) {
                let t = t.trim_start_matches('/');
                let path = if t.starts_with("xl/") {
                    t.to_string()
                } else {
                    format!("xl/{t}")
                };
                targets.insert(id, path);
            }
        }
    }
    for tag in tags(wb, b"<sheet ") {
        let (Some(name), Some(rid)) = (
            tag_attr(tag, "name"),
            tag_attr(tag, "r:id").or_else(|| tag_attr(tag, "id")),
        ) else {
            continue;
        };
        let name = unescape_attr(&name);
        let Some(path) = targets.get(&rid) else {
            continue;
        };
        let mut found = by_path.remove(path).unwrap_or_default();
        found.comments = sheet_comments(xml, path);
        extras.insert(name, found);
    }
}

/// The comments (notes) of the sheet at `path`, through its relationships file.
fn sheet_comments(xml: &HashMap<String, Vec<u8>>, path: &str) -> Vec<(u32, u32, String)> {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let Some(rels) = xml.get(&format!("{dir}/_rels/{file}.rels")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for tag in tags(rels, b"<Relationship ") {
        let is_comments = tag_attr(tag, "Type").is_some_and(|t| t.ends_with("/comments"));
        let Some(target) = tag_attr(tag, "Target").filter(|_| is_comments) else {
            continue;
        };
        let Some(comments) = xml.get(&resolve(dir, &target)) else {
            continue;
        };
        for pos in memchr::memmem::find_iter(comments, b"<comment ") {
            let tag_end =
                memchr::memchr(b'>', &comments[pos..]).map_or(comments.len(), |e| pos + e);
            let Some((r, c)) = tag_attr(&comments[pos..tag_end], "ref").and_then(|a| parse_a1(&a))
            else {
                continue;
            };
            let body_end = memchr::memmem::find(&comments[tag_end..], b"</comment>")
                .map_or(comments.len(), |e| tag_end + e);
            let text = strip_tags(&comments[tag_end..body_end]);
            if !text.trim().is_empty() {
                out.push((r, c, text));
            }
        }
    }
    out
}

/// `target` relative to the folder `dir` (`xl/worksheets` + `../comments1.xml`).
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Zero-based (row, column) of an A1 reference.
fn parse_a1(a: &str) -> Option<(u32, u32)> {
    let letters: String = a.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = a[letters.len()..].parse().ok()?;
    let mut col = 0u32;
    for c in letters.to_ascii_uppercase().bytes() {
        col = col.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)?;
    }
    (row >= 1 && col >= 1).then(|| (row - 1, col - 1))
}

/// Text of an XML fragment: tags dropped, predefined entities unescaped.
fn strip_tags(xml: &[u8]) -> String {
    let mut out = Vec::with_capacity(xml.len());
    let mut in_tag = false;
    for &b in xml {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if !in_tag => out.push(b),
            _ => {}
        }
    }
    unescape_attr(&String::from_utf8_lossy(&out))
}

fn sheet_extras(xml: &[u8]) -> SheetExtras {
    let mut out = SheetExtras::default();
    for pat in [&b"hidden=\"1\""[..], b"hidden=\"true\""] {
        for pos in memchr::memmem::find_iter(xml, pat) {
            let Some(start) = memchr::memrchr(b'<', &xml[..pos]) else {
                continue;
            };
            let tag = &xml[start..pos];
            if tag.starts_with(b"<row ") {
                if let Some(r) = tag_attr(tag, "r").and_then(|r| r.parse::<u32>().ok()) {
                    out.hidden_rows.push(r.saturating_sub(1));
                }
            } else if tag.starts_with(b"<col ") {
                let min = tag_attr(tag, "min").and_then(|v| v.parse::<u32>().ok());
                let max = tag_attr(tag, "max").and_then(|v| v.parse::<u32>().ok());
                if let (Some(a), Some(b)) = (min, max) {
                    // Bounded: a column range spans at most the 16384 columns of a sheet.
                    out.hidden_cols
                        .extend((a.max(1)..=b.min(16384)).map(|c| c - 1));
                }
            }
        }
    }
    if let Some(tag) = find_tag(xml, b"<sheetProtection") {
        out.protection = protection(tag, "password", "algorithmName", "hashValue");
    }
    out
}

/// (algorithm, hash) from a protection element's attributes.
fn protection(tag: &[u8], legacy: &str, alg: &str, hash: &str) -> Option<(String, String)> {
    if let Some(h) = tag_attr(tag, hash).filter(|h| !h.is_empty()) {
        return Some((tag_attr(tag, alg).unwrap_or_else(|| "unknown".into()), h));
    }
    tag_attr(tag, legacy)
        .filter(|h| !h.is_empty())
        .map(|h| ("excel-legacy-16bit".to_string(), h))
}

/// The first element starting with `open` (up to its `>`).
fn find_tag<'a>(xml: &'a [u8], open: &'a [u8]) -> Option<&'a [u8]> {
    tags(xml, open).next()
}

fn tags<'a>(xml: &'a [u8], open: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    memchr::memmem::find_iter(xml, open).map(move |p| {
        let end = memchr::memchr(b'>', &xml[p..])
            .map(|e| p + e)
            .unwrap_or(xml.len());
        &xml[p..end]
    })
}

/// The value of `name="..."` in a tag (preceded by whitespace, so `hashValue` does not
/// match inside `workbookHashValue`).
fn tag_attr(tag: &[u8], name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    for p in memchr::memmem::find_iter(tag, pat.as_bytes()) {
        if p == 0 || !tag[p - 1].is_ascii_whitespace() {
            continue;
        }
        let start = p + pat.len();
        let end = memchr::memchr(b'"', &tag[start..])? + start;
        return Some(String::from_utf8_lossy(&tag[start..end]).into_owned());
    }
    None
}

fn unescape_attr(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// OLE compound files: legacy xls, or an encrypted OOXML package.
pub struct OleExtractor;

/// True when an OLE container holds an `EncryptedPackage` stream (a password-protected
/// xlsx/docx/pptx): the directory names are UTF-16LE.
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let pat: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    memchr::memmem::find(bytes, &pat).is_some()
}

impl Extractor for OleExtractor {
    fn name(&self) -> &'static str {
        "ole"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Ole
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        if is_encrypted_ooxml(input.bytes) {
            let format = match super::ext_of(input.name).as_str() {
                "docx" | "docm" => "document",
                "pptx" | "pptm" => "presentation",
                _ => "workbook",
            };
            return Err(ExtractError::Encrypted { format });
        }
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let is_xls = memchr::memmem::find(input.bytes, &utf16("Workbook")).is_some()
            || memchr::memmem::find(input.bytes, &utf16("Book")).is_some();
        if !is_xls {
            emit(Part::Notice {
                origin: Origin::default(),
                message: "legacy Office document (doc/ppt/msg), not scanned".into(),
            });
            return Ok(());
        }
        let mut book = calamine::Sheets::Xls(
            calamine::open_workbook_from_rs(Cursor::new(input.bytes)).map_err(
                |e: calamine::XlsError| match e {
                    calamine::XlsError::Password => ExtractError::Encrypted { format: "workbook" },
                    e => corrupt("xls workbook", reason(&e)),
                },
            )?,
        );
        emit_sheets(&mut book, &mut HashMap::new(), emit)
    }
}

/// Reads one workbook (any format calamine reads) through the extractor and the table
/// detector, as a scan would: for benches and tools that time or test one file.
pub fn scan_workbook(
    bytes: &[u8],
    engine: &Engine,
    limits: &Limits,
) -> Result<Vec<RawFinding>, ExtractError> {
    let kind = crate::ingest::sniff(&bytes[..bytes.len().min(8192)]);
    let input = ExtractInput {
        bytes,
        name: "workbook.xlsx",
        kind,
        depth: 0,
        limits,
    };
    let prose = |cell: &str| {
        let lines = LineIndex::new(cell);
        engine.detect_text(&TextInput {
            text: cell,
            lines: &lines,
            name: "workbook.xlsx",
            hint: TextHint::Prose,
        })
    };
    let mut out = Vec::new();
    let mut on_part = |p: Part| match p {
        Part::Table { origin, table } => {
            let mut found = engine.table.detect(&table, &origin, &prose);
            if origin.hidden {
                for f in &mut found {
                    if !f.flags.contains(&Flag::Hidden) {
                        f.flags.push(Flag::Hidden);
                    }
                }
            }
            out.extend(found);
        }
        Part::Finding { finding, .. } => out.push(finding),
        _ => {}
    };
    match kind {
        FileKind::Ole => OleExtractor.extract(&input, &mut on_part)?,
        _ => extract_workbook(&input, &mut on_part)?,
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_columns_and_modern_protection_from_sheet_xml() {
        let xml = br#"<worksheet><cols><col min="2" max="3" width="0" hidden="1"/></cols><sheetData><row r="5" hidden="1"><c r="A5"/></row><row r="6"/></sheetData><sheetProtection algorithmName="SHA-512" hashValue="q1w2e3==" saltValue="c2FsdA==" spinCount="100000" sheet="1"/></worksheet>"#;
        let x = sheet_extras(xml);
        assert_eq!(x.hidden_rows, vec![4]);
        assert_eq!(x.hidden_cols, vec![1, 2]);
        assert_eq!(x.protection, Some(("SHA-512".into(), "q1w2e3==".into())));
        let legacy =
            sheet_extras(br#"<worksheet><sheetProtection password="CC3D" sheet="1"/></worksheet>"#);
        assert_eq!(
            legacy.protection,
            Some(("excel-legacy-16bit".into(), "CC3D".into()))
        );
    }

    #[test]
    fn workbook_protection_attribute_names_do_not_collide() {
        let tag = br#"<workbookProtection workbookAlgorithmName="SHA-512" workbookHashValue="abc" lockStructure="1""#;
        assert_eq!(
            protection(
                tag,
                "workbookPassword",
                "workbookAlgorithmName",
                "workbookHashValue"
            ),
            Some(("SHA-512".into(), "abc".into()))
        );
        assert_eq!(tag_attr(tag, "hashValue"), None);
    }

    #[test]
    fn comment_paths_and_refs() {
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "/xl/comments2.xml"),
            "xl/comments2.xml"
        );
        assert_eq!(parse_a1("B3"), Some((2, 1)));
        assert_eq!(parse_a1("AA10"), Some((9, 26)));
        assert_eq!(parse_a1("3"), None);
        assert_eq!(
            strip_tags(b"<text><r><t>pw: a&amp;b</t></r></text>"),
            "pw: a&b"
        );
    }

    #[test]
    fn cells_as_displayed() {
        assert_eq!(display(&Data::Float(4711.0)).as_deref(), Some("4711"));
        assert_eq!(display(&Data::Float(0.5)).as_deref(), Some("0.5"));
        assert_eq!(display(&Data::Int(42)).as_deref(), Some("42"));
        assert_eq!(display(&Data::Bool(true)).as_deref(), Some("TRUE"));
        assert_eq!(display(&Data::String("  ".into())), None);
        assert_eq!(display(&Data::Empty), None);
    }
}
