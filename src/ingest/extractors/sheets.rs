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
use super::xlsx_extras::{SheetExtras, collect_xlsx_extras, protection_finding, sheet_extras};
use super::{corrupt, open_zip};
use crate::detect::{Engine, RawFinding, TextInput};
use crate::finding::Flag;
use crate::ingest::text::LineIndex;
use crate::ingest::{
    ExtractError, ExtractInput, Extractor, FileKind, Limits, Origin, Part, Table, TextHint,
};
use calamine::{Data, DataRef, Reader, ReaderRef, SheetVisible};
use std::collections::HashMap;
use std::io::{Cursor, Read};

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

/// The same for a cell whose shared string is borrowed from the workbook.
fn display_ref(d: &DataRef<'_>) -> Option<String> {
    match d {
        DataRef::SharedString(s) if s.trim().is_empty() => None,
        DataRef::SharedString(s) => Some((*s).to_string()),
        DataRef::Empty
        | DataRef::Error(_)
        | DataRef::DateTime(_)
        | DataRef::DateTimeIso(_)
        | DataRef::DurationIso(_) => None,
        DataRef::String(s) if s.trim().is_empty() => None,
        DataRef::String(s) => Some(s.clone()),
        DataRef::Int(i) => Some(i.to_string()),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        DataRef::Float(f) => Some(format!("{f}")),
        DataRef::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
    }
}

/// A sheet's displayed cells, row by row, with the position of its first cell; `None`
/// for an empty sheet. Xlsx and xlsb are read with their shared strings borrowed, so
/// each shown cell is copied once (calamine's owned range would copy every string,
/// only for it to be copied again here: a fifth of a large sheet's time).
type SheetRows = Option<((u32, u32), Vec<Vec<Option<String>>>)>;

fn sheet_rows<RS: Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
) -> Result<SheetRows, String> {
    if matches!(book, calamine::Sheets::Xlsx(_) | calamine::Sheets::Xlsb(_)) {
        let range = book.worksheet_range_ref(name).map_err(|e| reason(&e))?;
        let rows = |r: &calamine::Range<DataRef<'_>>| {
            r.rows()
                .map(|row| row.iter().map(display_ref).collect())
                .collect()
        };
        return Ok(range.start().map(|start| (start, rows(&range))));
    }
    let range = book.worksheet_range(name).map_err(|e| reason(&e))?;
    Ok(range.start().map(|start| {
        let rows = range
            .rows()
            .map(|row| row.iter().map(display).collect())
            .collect();
        (start, rows)
    }))
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

/// Up to this many inflated bytes, the guard pass keeps every entry and hands calamine
/// a copy of the workbook with its entries stored uncompressed, so nothing is
/// inflated twice (the second inflate was most of Credence's cost over calamine's own
/// parse). A larger workbook is read from its original bytes: calamine inflates its
/// entries again, and memory stays at one entry at a time.
const STORED_COPY_MAX: u64 = 64 * 1024 * 1024;

/// Reads every sheet of a zip-based workbook (xlsx, xlsm, xlsb, ods).
pub fn extract_workbook(
    input: &ExtractInput<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    read_zip_workbook(input, emit, STORED_COPY_MAX)
}

/// [`extract_workbook`] with the stored copy kept up to `copy_max` inflated bytes
/// (tests set 0 to read the original bytes).
fn read_zip_workbook(
    input: &ExtractInput<'_>,
    emit: &mut dyn FnMut(Part),
    copy_max: u64,
) -> Result<(), ExtractError> {
    let mut extras: HashMap<String, SheetExtras> = HashMap::new();
    let mut zip = open_zip(input.bytes, "workbook")?;
    // Bomb guard: inflate every entry once, counting, before calamine reads any; the
    // sheet XML is searched for hidden rows/columns and protection on the way.
    let mut budget = Budget::new(input.limits, input.bytes.len());
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    let mut by_path: HashMap<String, SheetExtras> = HashMap::new();
    // The copy's size is known from the declared sizes (a hint, capped): reserving it
    // up front spares a 40 MB workbook a reallocation and a copy of what it holds.
    let declared: u64 = (0..zip.len())
        .filter_map(|i| {
            zip.by_index_raw(i)
                .ok()
                .map(|f| f.size().saturating_add(256))
        })
        .fold(0u64, u64::saturating_add);
    let mut stored = StoredCopy::new(declared, copy_max);
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
        let wanted = name.starts_with("xl/worksheets/") && name.ends_with(".xml")
            || name == "xl/workbook.xml"
            || name == "xl/_rels/workbook.xml.rels"
            || name.starts_with("xl/worksheets/_rels/")
            || (name.starts_with("xl/comments") && name.ends_with(".xml"));
        if !wanted && !stored.open_for(declared) {
            budget
                .count(&name, &mut f, Some(size))
                .map_err(workbook_err)?;
            stored.abandon();
            continue;
        }
        let data = budget
            .read_sized(&name, &mut f, Some(size), declared)
            .map_err(workbook_err)?;
        stored.add(&name, &data);
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            by_path.insert(name, sheet_extras(&data));
        } else if wanted {
            small.insert(name, data);
        }
    }
    let is_xlsx = names.iter().any(|n| n == "xl/workbook.xml");
    if is_xlsx {
        collect_xlsx_extras(&small, by_path, &mut extras, emit);
    }
    let copy = stored.finish();
    let cursor = Cursor::new(copy.as_deref().unwrap_or(input.bytes));
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

/// The workbook rebuilt with every entry stored (not compressed), from what the guard
/// pass inflated, while it stays under [`STORED_COPY_MAX`]; abandoned past it, or when
/// the rebuild fails (a duplicate entry name), and the original bytes are read instead.
struct StoredCopy {
    writer: Option<zip::ZipWriter<Cursor<Vec<u8>>>>,
    total: u64,
    max: u64,
}

impl StoredCopy {
    /// `expected`: the size the copy should reach (entries and headers), as declared.
    /// A workbook that declares more than `max` is read from its original bytes from
    /// the start, without holding its entries.
    fn new(expected: u64, max: u64) -> StoredCopy {
        let writer = (expected <= max)
            .then(|| zip::ZipWriter::new(Cursor::new(Vec::with_capacity(expected as usize))));
        StoredCopy {
            writer,
            total: 0,
            max,
        }
    }

    /// Whether an entry declaring `declared` bytes can still join the copy (a declared
    /// size is a hint: what is added is counted again as inflated).
    fn open_for(&self, declared: u64) -> bool {
        self.writer.is_some() && self.total.saturating_add(declared) <= self.max
    }

    fn abandon(&mut self) {
        self.writer = None;
    }

    fn add(&mut self, name: &str, data: &[u8]) {
        use std::io::Write;
        self.total = self.total.saturating_add(data.len() as u64);
        if self.total > self.max {
            self.abandon();
        }
        let Some(w) = self.writer.as_mut() else {
            return;
        };
        // Entries are at most `max_member_size` (64 MiB by default): never zip64.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        if w.start_file(name, options).is_err() || w.write_all(data).is_err() {
            self.abandon();
        }
    }

    /// The rebuilt workbook, or `None` when it was abandoned.
    fn finish(self) -> Option<Vec<u8>> {
        self.writer?.finish().ok().map(Cursor::into_inner)
    }
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
        let cells = match sheet_rows(book, &name) {
            Ok(c) => c,
            Err(why) => {
                emit(Part::Notice {
                    origin,
                    message: format!("sheet not read: {why}"),
                });
                continue;
            }
        };
        let extra = extras.remove(&name).unwrap_or_default();
        if let Some((algorithm, hash)) = extra.protection {
            emit(Part::Finding {
                origin: origin.clone(),
                finding: Box::new(protection_finding("sheet", &algorithm, hash)),
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
        let Some(((r0, c0), rows)) = cells else {
            continue;
        };
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
        // Some malformed compound files make calamine read forever or panic: those
        // are refused here as corrupt (see cfb_guard).
        super::cfb_guard::check_compound_file(input.bytes)
            .map_err(|why| corrupt("xls workbook", format!("compound file: {why}")))?;
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
        Part::Finding { finding, .. } => out.push(*finding),
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

    /// The copy holds every entry uncompressed and reads back the same; past its cap,
    /// or on a duplicate entry name, it is abandoned (the original is read instead).
    #[test]
    fn the_stored_copy_reads_back_or_is_abandoned() {
        assert!(
            StoredCopy::new(1001, 1000).finish().is_none(),
            "declared too big"
        );
        let mut copy = StoredCopy::new(10, 1000);
        copy.add("xl/workbook.xml", b"<workbook/>");
        copy.add("xl/worksheets/sheet1.xml", &[b'x'; 300]);
        let bytes = copy.finish().expect("kept");
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut f = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Stored);
        let mut back = Vec::new();
        f.read_to_end(&mut back).unwrap();
        assert_eq!(back, vec![b'x'; 300]);

        let mut over = StoredCopy::new(10, 1000);
        assert!(over.open_for(1000) && !over.open_for(1001));
        over.add("a.xml", &[b'x'; 600]);
        over.add("b.xml", &[b'x'; 600]);
        assert!(over.finish().is_none(), "past the cap");

        let mut twice = StoredCopy::new(10, 1000);
        twice.add("a.xml", b"1");
        twice.add("a.xml", b"2");
        assert!(twice.finish().is_none(), "duplicate entry name");
    }

    /// Read through the stored copy or from the original bytes, a workbook gives the
    /// same parts: tables, hidden sheet, hidden row and protection hash.
    #[test]
    fn the_stored_copy_and_the_original_give_the_same_parts() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["Host", "Username", "Password"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for r in 1..40u32 {
            ws.write_string(r, 0, format!("plc-{r}.example")).unwrap();
            ws.write_string(r, 1, format!("operator{r}")).unwrap();
            ws.write_string(r, 2, format!("Op{r:04}!x")).unwrap();
        }
        ws.set_row_hidden(7).unwrap();
        ws.protect_with_password("invented");
        let hidden = wb.add_worksheet().set_name("Spare").unwrap();
        hidden.write_string(0, 0, "nothing here").unwrap();
        hidden.set_hidden(true);
        let bytes = wb.save_to_buffer().unwrap();
        let limits = Limits::default();
        let input = ExtractInput {
            bytes: &bytes,
            name: "creds.xlsx",
            kind: FileKind::Zip,
            depth: 0,
            limits: &limits,
        };
        let parts = |copy_max: u64| {
            let mut out = Vec::new();
            read_zip_workbook(&input, &mut |p| out.push(format!("{p:?}")), copy_max).unwrap();
            out
        };
        let through_copy = parts(STORED_COPY_MAX);
        assert_eq!(through_copy, parts(0));
        assert!(through_copy.len() >= 3, "{through_copy:?}");
        assert!(through_copy.iter().any(|p| p.contains("Op0007!x")));
        assert!(through_copy.iter().any(|p| p.contains("hidden_rows: [7]")));
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
