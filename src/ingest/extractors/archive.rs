//! Archives: zip (any zip that is not a workbook or document), tar, tar.gz/tgz and
//! gz. Members are emitted as [`Part::Member`] with their inner path; the pipeline
//! sniffs and reads each one again, one level deeper, up to `Limits::max_archive_depth`.
//!
//! Limits (from [`crate::ingest::Limits`]), enforced by counting bytes while inflating
//! ([`Budget`]), never by trusting declared sizes: entry count, member size, total
//! uncompressed size, and compression ratio per member and for the whole archive. A
//! refusal ends the archive with a recorded reason; members read before it are kept.
//! Member names with `../`, a leading `/` or a drive letter are reported as a notice
//! (nothing is ever written to disk) and their content is still read. Encrypted zip
//! members are reported, not read. A Joplin export (`.jex`, a tar) gives each
//! markdown note as prose labelled with its title (its first line). 7z is not read (no maintained pure-Rust reader
//! that is cheap enough to build here): it stays "unsupported" in the summary.

use super::budget::{Budget, is_traversal};
use super::{Zip, corrupt, zip_reason};
use crate::ingest::{ExtractError, ExtractInput, Extractor, FileKind, Origin, Part};
use std::io::Read;

fn traversal_notice(name: &str) -> Part {
    Part::Notice {
        origin: Origin::default(),
        message: format!("member name escapes the archive folder ({name}); read in memory only"),
    }
}

/// Members of a plain zip.
pub fn extract_zip(
    input: &ExtractInput<'_>,
    mut zip: Zip<'_>,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut budget = Budget::new(input.limits, input.bytes.len());
    if zip.len() as u64 > input.limits.max_archive_entries {
        return Err(ExtractError::LimitExceeded(format!(
            "{} entries, more than {}",
            zip.len(),
            input.limits.max_archive_entries
        )));
    }
    for i in 0..zip.len() {
        budget.entry()?;
        let entry_name = zip.name_for_index(i).unwrap_or("?").to_string();
        let mut f = match zip.by_index(i) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(m)) => {
                let name = entry_name;
                let message = if m.contains("assword") {
                    format!("encrypted member {name}, not scanned")
                } else {
                    format!("member {name} not read: {m}")
                };
                emit(Part::Notice {
                    origin: Origin::default(),
                    message,
                });
                continue;
            }
            Err(e) => return Err(corrupt("zip", zip_reason(&e))),
        };
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        if f.encrypted() {
            emit(Part::Notice {
                origin: Origin::default(),
                message: format!("encrypted member {name}, not scanned"),
            });
            continue;
        }
        if is_traversal(&name) {
            emit(traversal_notice(&name));
        }
        let compressed = f.compressed_size();
        let bytes = budget.read(&name, &mut f, Some(compressed))?;
        emit(Part::Member {
            name,
            bytes,
            hidden: false,
        });
    }
    Ok(())
}

/// Tar members from any reader (plain tar, or a gzip stream).
fn read_tar(
    input: &ExtractInput<'_>,
    reader: impl Read,
    emit: &mut dyn FnMut(Part),
) -> Result<(), ExtractError> {
    let mut budget = Budget::new(input.limits, input.bytes.len());
    let jex = super::ext_of(input.name) == "jex";
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries()
        .map_err(|_| corrupt("tar", "unreadable tar header"))?;
    for entry in entries {
        budget.entry()?;
        let mut entry = entry.map_err(|_| corrupt("tar", "truncated or corrupt tar entry"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path_bytes()
            .iter()
            .map(|&b| b as char)
            .collect::<String>();
        let name = String::from_utf8(entry.path_bytes().into_owned()).unwrap_or(name);
        if is_traversal(&name) {
            emit(traversal_notice(&name));
        }
        let bytes = budget.read(&name, &mut entry, None)?;
        if jex && name.ends_with(".md") {
            emit(joplin_note(name, &bytes));
            continue;
        }
        emit(Part::Member {
            name,
            bytes,
            hidden: false,
        });
    }
    Ok(())
}

/// A Joplin note (markdown in a `.jex` export): its first line is the title, which
/// becomes the label; the whole note is prose, lines numbered from the title.
fn joplin_note(name: String, bytes: &[u8]) -> Part {
    let (text, _) = crate::ingest::text::decode(bytes);
    let title = text.lines().next().unwrap_or("").trim().to_string();
    Part::Text {
        origin: Origin {
            member: Some(name),
            label: Some(title).filter(|t| !t.is_empty()),
            ..Origin::default()
        },
        text: text.into_owned(),
        first_line: 1,
        hint: crate::ingest::TextHint::Prose,
    }
}

pub struct TarExtractor;

impl Extractor for TarExtractor {
    fn name(&self) -> &'static str {
        "tar"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Tar
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        read_tar(input, input.bytes, emit)
    }
}

/// gzip: a `.tar.gz`/`.tgz` is read as the tar inside (members by their inner path);
/// any other gzip is one member named like the file without `.gz`.
pub struct GzipExtractor;

impl Extractor for GzipExtractor {
    fn name(&self) -> &'static str {
        "gzip"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Gzip
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        // Peek at the first 512 inflated bytes: a tar header says "ustar" at 257.
        let mut head = Vec::new();
        let _ = flate2::read::MultiGzDecoder::new(input.bytes)
            .take(512)
            .read_to_end(&mut head);
        if head.len() >= 262 && &head[257..262] == b"ustar" {
            return read_tar(input, flate2::read::MultiGzDecoder::new(input.bytes), emit);
        }
        let base = input
            .name
            .rsplit(['/', '\\', '!'])
            .next()
            .unwrap_or(input.name);
        let inner = base
            .strip_suffix(".gz")
            .or_else(|| base.strip_suffix(".GZ"))
            .unwrap_or(base)
            .to_string();
        let mut budget = Budget::new(input.limits, input.bytes.len());
        let bytes = budget
            .read(
                &inner,
                flate2::read::MultiGzDecoder::new(input.bytes),
                Some(input.bytes.len() as u64),
            )
            .map_err(|e| match e {
                ExtractError::Corrupt { detail, .. } => corrupt("gzip", detail),
                other => other,
            })?;
        emit(Part::Member {
            name: inner,
            bytes,
            hidden: false,
        });
        Ok(())
    }
}
