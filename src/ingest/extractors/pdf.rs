//! PDF text, without a PDF library: content streams (raw or Flate, inflated through
//! the [`Budget`]) are scanned for text-showing operators (`Tj`, `TJ`, `'`, `"`), and
//! text positioning (`Td`, `TD`, `T*`, `Tm`, `ET`) starts a new line. That reads the
//! PDFs that reports and office tools write with standard fonts; text in fonts without
//! a byte-to-Unicode mapping (CID fonts) comes out as nothing rather than garbage. An
//! encrypted PDF (`/Encrypt` in a trailer) is "encrypted pdf, not scanned". Time is
//! bounded: extraction stops with a refusal after [`TIME_LIMIT`].

use super::budget::Budget;
use crate::ingest::{ExtractError, ExtractInput, Extractor, FileKind, Origin, Part, TextHint};
use std::time::{Duration, Instant};

pub struct PdfExtractor;

pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// Text shown by one content stream.
fn stream_text(data: &[u8], out: &mut String) {
    let mut i = 0;
    let mut pending = String::new();
    while i < data.len() {
        match data[i] {
            b'(' => {
                let (s, next) = literal(data, i);
                pending.push_str(&s);
                i = next;
            }
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'T' if matches!(data.get(i + 1), Some(b'd' | b'D' | b'*' | b'm')) => {
                flush(&mut pending, out, true);
                i += 2;
            }
            b'E' if data.get(i + 1) == Some(&b'T') => {
                flush(&mut pending, out, true);
                i += 2;
            }
            b'T' if matches!(data.get(i + 1), Some(b'j' | b'J')) => {
                flush(&mut pending, out, false);
                i += 2;
            }
            b'\'' | b'"' => {
                flush(&mut pending, out, true);
                i += 1;
            }
            _ => i += 1,
        }
    }
    flush(&mut pending, out, true);
}

fn flush(pending: &mut String, out: &mut String, newline: bool) {
    out.push_str(pending);
    pending.clear();
    if newline && !out.ends_with('\n') && !out.is_empty() {
        out.push('\n');
    }
}

/// A literal string `( ... )` starting at `start`; returns its text and the next index.
fn literal(data: &[u8], start: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let (mut i, mut depth) = (start + 1, 1usize);
    while i < data.len() {
        let c = data[i];
        match c {
            b'\\' => {
                i += 1;
                let Some(&e) = data.get(i) else { break };
                match e {
                    b'n' => bytes.push(b'\n'),
                    b'r' | b't' | b'b' | b'f' => bytes.push(b' '),
                    b'0'..=b'7' => {
                        let mut v = 0u32;
                        let mut k = 0;
                        while k < 3 && matches!(data.get(i), Some(b'0'..=b'7')) {
                            v = v * 8 + (data[i] - b'0') as u32;
                            i += 1;
                            k += 1;
                        }
                        bytes.push(v as u8);
                        continue;
                    }
                    b'\n' | b'\r' => {}
                    other => bytes.push(other),
                }
            }
            b'(' => {
                depth += 1;
                bytes.push(c);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    i += 1;
                    break;
                }
                bytes.push(c);
            }
            _ => bytes.push(c),
        }
        i += 1;
    }
    let printable = bytes.iter().filter(|&&b| b >= 0x20 || b == b'\n').count();
    if bytes.is_empty() || printable * 10 < bytes.len() * 9 {
        return (String::new(), i);
    }
    (encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(), i)
}

/// All text of a PDF, or why not.
pub fn pdf_text(input: &ExtractInput<'_>) -> Result<String, ExtractError> {
    let bytes = input.bytes;
    if memchr::memmem::find(bytes, b"/Encrypt").is_some() {
        return Err(ExtractError::Encrypted { format: "pdf" });
    }
    let started = Instant::now();
    let mut budget = Budget::new(input.limits, bytes.len());
    let mut out = String::new();
    let mut pos = 0;
    while let Some(p) = memchr::memmem::find(&bytes[pos..], b"stream") {
        let kw = pos + p;
        pos = kw + 6;
        if kw >= 3 && &bytes[kw - 3..kw] == b"end" {
            continue;
        }
        if started.elapsed() > TIME_LIMIT {
            return Err(ExtractError::LimitExceeded(format!(
                "pdf text extraction over {} s",
                TIME_LIMIT.as_secs()
            )));
        }
        let mut start = pos;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(end) = memchr::memmem::find(&bytes[start..], b"endstream").map(|e| start + e)
        else {
            break;
        };
        // The stream's dictionary: back to the nearest "obj".
        let dict_from = memchr::memmem::rfind(&bytes[kw.saturating_sub(2048)..kw], b"obj")
            .map(|o| kw.saturating_sub(2048) + o)
            .unwrap_or(kw.saturating_sub(512));
        let dict = &bytes[dict_from..kw];
        let skip = [
            &b"/Image"[..],
            b"/FontFile",
            b"/XRef",
            b"/ObjStm",
            b"/Metadata",
            b"/DCTDecode",
        ];
        if skip.iter().any(|s| memchr::memmem::find(dict, s).is_some()) {
            pos = end + 9;
            continue;
        }
        let raw = &bytes[start..end];
        let data = if memchr::memmem::find(dict, b"/FlateDecode").is_some() {
            budget.entry()?;
            match budget.read(
                "pdf stream",
                flate2::read::ZlibDecoder::new(raw),
                Some(raw.len() as u64),
            ) {
                Ok(d) => d,
                Err(ExtractError::Corrupt { .. }) => Vec::new(),
                Err(e) => return Err(e),
            }
        } else if memchr::memmem::find(dict, b"/Filter").is_some() {
            Vec::new()
        } else {
            raw.to_vec()
        };
        stream_text(&data, &mut out);
        pos = end + 9;
    }
    Ok(out)
}

impl Extractor for PdfExtractor {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Pdf
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        let text = pdf_text(input)?;
        emit(Part::Text {
            origin: Origin::default(),
            text,
            first_line: 1,
            hint: TextHint::Prose,
        });
        Ok(())
    }
}
