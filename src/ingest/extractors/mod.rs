//! Format extractors beyond plain text (spreadsheets, documents, archives, note
//! stores). Each one is a small module implementing [`super::Extractor`].
//! Owned by the documents work (issue 3).
//!
//! | module | reads | location of what it emits |
//! | --- | --- | --- |
//! | [`sheets`] (+ `xlsx_extras`) | xlsx, xlsm, xlsb, xls, ods (calamine); xlsx hidden rows/columns, protection hashes, cell comments | sheet + A1 cell |
//! | [`delimited`] | CSV/TSV (by name), password-manager and browser exports | line + column name |
//! | [`documents`] | docx, pptx, odt, odp (text, docx/odt tables, docx comments, pptx notes) | `line` = paragraph or slide number |
//! | [`rtf`], [`mail`], [`pdf`] | rtf, eml (+ attachments as members), PDF text | line |
//! | [`archive`] | zip, tar, tar.gz/tgz, gz | `member` = inner path |
//! | [`notes`] | Evernote .enex, Sticky Notes plum.sqlite, KeePass XML, Bitwarden JSON (Joplin .jex via tar) | note title + line |
//!
//! Zip containers are told apart by their entries ([`zip_kind`]): a workbook, an OOXML
//! or ODF document, a Joplin export, or a plain archive. Every read of a compressed
//! entry goes through [`budget::Budget`], which counts bytes while inflating.

pub mod archive;
pub mod budget;
pub mod cfb_guard;
pub mod delimited;
pub mod documents;
pub mod mail;
pub mod notes;
pub mod pdf;
pub mod rtf;
pub mod sheets;
pub(crate) mod xlsx_extras;
pub(crate) mod xml;

use super::{ExtractError, ExtractInput, Extractor, FileKind, Part};
use std::io::Cursor;

/// Every built-in extractor; the first that accepts a file kind reads it.
pub fn builtin() -> Vec<Box<dyn Extractor>> {
    vec![
        Box::new(ZipFamily),
        Box::new(sheets::OleExtractor),
        Box::new(archive::TarExtractor),
        Box::new(archive::GzipExtractor),
        Box::new(pdf::PdfExtractor),
        Box::new(rtf::RtfExtractor),
        Box::new(delimited::DelimitedExtractor),
        Box::new(mail::MailExtractor),
        Box::new(notes::NotesExtractor),
        Box::new(notes::SqliteExtractor),
    ]
}

/// What a zip container is, by its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    Workbook,
    Ods,
    Docx,
    Pptx,
    Odt,
    Odp,
    Plain,
}

pub(crate) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

pub(crate) fn open_zip<'a>(bytes: &'a [u8], format: &'static str) -> Result<Zip<'a>, ExtractError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(format, zip_reason(&e)))
}

/// A zip error as a reason that quotes no content.
pub(crate) fn zip_reason(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(_) => "truncated or unreadable zip data".into(),
        Z::InvalidArchive(m) => format!("invalid zip ({m})"),
        Z::UnsupportedArchive(m) => format!("unsupported zip feature ({m})"),
        Z::FileNotFound => "missing entry".into(),
        _ => "unreadable zip".into(),
    }
}

pub(crate) fn corrupt(format: &'static str, detail: impl Into<String>) -> ExtractError {
    ExtractError::Corrupt {
        format,
        detail: detail.into(),
    }
}

/// The kind of a zip container from its entry names (and ODF's `mimetype`).
pub fn zip_kind(zip: &mut Zip<'_>) -> ZipKind {
    let has = |z: &Zip<'_>, n: &str| z.index_for_name(n).is_some();
    if has(zip, "xl/workbook.xml") || has(zip, "xl/workbook.bin") {
        return ZipKind::Workbook;
    }
    if has(zip, "word/document.xml") {
        return ZipKind::Docx;
    }
    if has(zip, "ppt/presentation.xml") {
        return ZipKind::Pptx;
    }
    if has(zip, "content.xml") && has(zip, "mimetype") {
        let mut mime = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            use std::io::Read;
            let _ = f.take(200).read_to_string(&mut mime);
        }
        if mime.contains("opendocument.spreadsheet") {
            return ZipKind::Ods;
        }
        if mime.contains("opendocument.text") {
            return ZipKind::Odt;
        }
        if mime.contains("opendocument.presentation") {
            return ZipKind::Odp;
        }
    }
    ZipKind::Plain
}

/// Zip containers: workbooks, OOXML/ODF documents and plain archives.
pub struct ZipFamily;

impl Extractor for ZipFamily {
    fn name(&self) -> &'static str {
        "zip-family"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Zip
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        let mut zip = open_zip(input.bytes, "zip")?;
        match zip_kind(&mut zip) {
            ZipKind::Workbook | ZipKind::Ods => sheets::extract_workbook(input, emit),
            ZipKind::Docx => documents::extract_docx(input, zip, emit),
            ZipKind::Pptx => documents::extract_pptx(input, zip, emit),
            ZipKind::Odt | ZipKind::Odp => documents::extract_odf(input, zip, emit),
            ZipKind::Plain => archive::extract_zip(input, zip, emit),
        }
    }
}

/// Lowercased extension of a display name (`a/b.tar.gz` → `gz`).
pub(crate) fn ext_of(name: &str) -> String {
    let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
    base.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}
