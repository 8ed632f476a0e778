//! Ingest: walk the sources, sniff each file's real type from its bytes, and extract
//! text *with its location* for detection.
//!
//! Seams for the format issues: an [`Extractor`] turns the bytes of one file (or archive
//! member) of a sniffed [`FileKind`] into [`Part`]s: text with an origin, a table of
//! cells, a nested member to sniff again, a notice for the scan summary, or a finding the
//! format itself carries (a sheet protection hash). The scan pipeline owns recursion,
//! limits and error recording; extractors only read.

pub mod extractors;
pub mod sniff;
pub mod text;
pub mod walk;

pub use sniff::{FileKind, sniff};

use crate::detect::RawFinding;

/// Where inside a file a part comes from (beyond path and line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    /// Inner path inside an archive; nested archives join with `!`.
    pub member: Option<String>,
    pub sheet: Option<String>,
    /// A note title, a slide or attachment name: what a person uses to find it.
    pub label: Option<String>,
    /// The sheet/row/column/note is hidden from a casual reader.
    pub hidden: bool,
}

/// How text should be read: prose tolerates fewer false hits than configs do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextHint {
    /// Notes, documents, mail: people writing to people.
    Prose,
    /// Configuration and data files (ini, yaml, json, xml, properties, .env, device configs).
    Config,
    /// Source code and scripts.
    Code,
    #[default]
    Unknown,
}

impl TextHint {
    /// A hint from the file name alone; content sniffing may refine it.
    pub fn from_name(name: &str) -> TextHint {
        let lower = name.to_ascii_lowercase();
        let base = lower.rsplit(['/', '\\', '!']).next().unwrap_or(&lower);
        // Project documents without an extension (README, changelog.Debian, NEWS) are
        // prose; build files without one (Makefile, Dockerfile) are code.
        let stem = base.split('.').next().unwrap_or(base);
        if matches!(
            stem,
            "readme"
                | "changelog"
                | "changes"
                | "news"
                | "history"
                | "authors"
                | "copying"
                | "license"
                | "licence"
                | "install"
                | "todo"
                | "notes"
                | "thanks"
                | "notice"
        ) {
            return TextHint::Prose;
        }
        if matches!(
            stem,
            "makefile"
                | "dockerfile"
                | "gnumakefile"
                | "cmakelists"
                | "jenkinsfile"
                | "vagrantfile"
        ) || base.ends_with(".mk")
        {
            return TextHint::Code;
        }
        let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "txt" | "md" | "markdown" | "rtf" | "eml" | "msg" | "log" | "note" | "org" | "rst"
            | "docx" | "doc" | "odt" | "pptx" | "odp" | "pdf" | "html" | "htm" | "enex" => {
                TextHint::Prose
            }
            "py" | "js" | "ts" | "java" | "cs" | "go" | "rb" | "php" | "c" | "cpp" | "h" | "rs"
            | "kt" | "swift" | "scala" | "pl" | "lua" | "vb" | "vbs" | "ps1" | "psm1" | "sh"
            | "bash" | "zsh" | "bat" | "cmd" | "jsx" | "tsx" | "sql" => TextHint::Code,
            "" if base.starts_with('.') => TextHint::Config, // .env, .netrc, .pgpass
            _ => TextHint::Config,
        }
    }
}

/// One piece of extracted content.
#[derive(Debug)]
pub enum Part {
    /// Text; `first_line` is the 1-based number of its first line in the location
    /// system of the container (1 for a whole file; a paragraph number for documents).
    Text {
        origin: Origin,
        text: String,
        first_line: u32,
        hint: TextHint,
    },
    /// A grid of cells as a person sees them (sheets, CSV, document tables).
    Table { origin: Origin, table: Table },
    /// An archive member or attachment: sniffed and extracted again, one level deeper.
    Member {
        name: String,
        bytes: Vec<u8>,
        hidden: bool,
    },
    /// Something the summary must say about this file ("encrypted, not scanned").
    Notice { origin: Origin, message: String },
    /// A finding the format itself carries (sheet protection hash, vault export).
    Finding {
        origin: Origin,
        finding: Box<RawFinding>,
    },
}

/// A table of displayed cell texts. `None` is an empty cell. Row and column numbers
/// in findings are `row_offset + i`, `col_offset + j` (zero-based, as in A1 conversion).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<Option<String>>>,
    pub row_offset: u32,
    pub col_offset: u32,
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    /// How a cell is cited: A1 for sheets, or (line, column name) for CSV.
    pub addressing: TableAddressing,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TableAddressing {
    #[default]
    A1,
    /// CSV/TSV: a finding's `line` is the file line, `label` the column name.
    LineAndColumnName,
}

/// What an extractor is given.
pub struct ExtractInput<'a> {
    pub bytes: &'a [u8],
    /// Display path (root-relative, with `!member` for archive members): for hints only.
    pub name: &'a str,
    pub kind: FileKind,
    /// Nesting depth (0 for a file on disk).
    pub depth: u32,
    pub limits: &'a Limits,
}

/// Bounds that keep hostile input from exhausting memory or time.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_file_size: u64,
    pub max_archive_depth: u32,
    pub max_archive_total: u64,
    pub max_archive_entries: u64,
    pub max_compression_ratio: u64,
    pub max_member_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 256 * 1024 * 1024,
            max_archive_depth: 4,
            max_archive_total: 1024 * 1024 * 1024,
            max_archive_entries: 100_000,
            max_compression_ratio: 200,
            max_member_size: 64 * 1024 * 1024,
        }
    }
}

/// Why an extractor could not read a file: becomes a per-file error in the summary.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("corrupt or truncated {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("encrypted {format}, not scanned")]
    Encrypted { format: &'static str },
    #[error("refused: {0}")]
    LimitExceeded(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Turns the bytes of one sniffed file into parts.
pub trait Extractor: Send + Sync {
    fn name(&self) -> &'static str;
    fn accepts(&self, kind: FileKind) -> bool;
    /// For files sniffed as text: whether this extractor reads them instead of the
    /// text detectors, judged by name and first bytes (CSV/TSV as tables, mail, note
    /// and vault exports). Default: no; plain text stays text.
    fn accepts_text(&self, _name: &str, _head: &[u8]) -> bool {
        false
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError>;
}
