//! RTF: control words stripped, `\par` and `\line` as line breaks, `\'hh` as CP-1252,
//! `\uN` as Unicode; font, colour, style tables, pictures and other `{\*...}`
//! destinations skipped. A finding's `line` is the line of the extracted text.

use crate::ingest::{ExtractError, ExtractInput, Extractor, FileKind, Origin, Part, TextHint};

pub struct RtfExtractor;

const SKIP_DESTINATIONS: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "header",
    "footer",
    "fldinst",
];

/// Plain text of an RTF document. Group depth is bounded by the input, never recursed.
pub fn rtf_to_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    // Per group: is it skipped?
    let mut stack: Vec<bool> = vec![false];
    let (mut i, mut uc_skip) = (0usize, 0usize);
    let skipping = |s: &Vec<bool>| *s.last().unwrap_or(&false);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'{' => {
                let parent = skipping(&stack);
                stack.push(parent);
                i += 1;
            }
            b'}' => {
                if stack.len() > 1 {
                    stack.pop();
                }
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&c) = bytes.get(i) else { break };
                if c.is_ascii_alphabetic() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word = std::str::from_utf8(&bytes[start..i]).unwrap_or("");
                    let pstart = i;
                    if i < bytes.len() && (bytes[i] == b'-' || bytes[i].is_ascii_digit()) {
                        i += 1;
                        while i < bytes.len() && bytes[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    let param: Option<i64> = std::str::from_utf8(&bytes[pstart..i])
                        .ok()
                        .and_then(|p| p.parse().ok());
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    if SKIP_DESTINATIONS.contains(&word)
                        && let Some(top) = stack.last_mut()
                    {
                        *top = true;
                    }
                    if skipping(&stack) {
                        continue;
                    }
                    match word {
                        "par" | "line" | "row" | "sect" | "page" => out.push('\n'),
                        "tab" | "cell" => out.push('\t'),
                        "uc" => uc_skip = param.unwrap_or(1).clamp(0, 4) as usize,
                        "u" => {
                            let v = param.unwrap_or(0);
                            let v = if v < 0 { v + 65536 } else { v };
                            if let Some(ch) = char::from_u32(v as u32) {
                                out.push(ch);
                            }
                            // Skip the fallback characters that follow.
                            for _ in 0..uc_skip.max(1) {
                                if bytes.get(i) == Some(&b'\\') && bytes.get(i + 1) == Some(&b'\'')
                                {
                                    i += 4;
                                } else if i < bytes.len()
                                    && bytes[i] != b'\\'
                                    && bytes[i] != b'{'
                                    && bytes[i] != b'}'
                                {
                                    i += 1;
                                }
                            }
                        }
                        _ => {}
                    }
                } else if c == b'\'' {
                    let hex = bytes
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    i += 3;
                    if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
                        && !skipping(&stack)
                    {
                        let one = [v];
                        let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
                        out.push_str(&s);
                    }
                } else if c == b'*' {
                    if let Some(top) = stack.last_mut() {
                        *top = true;
                    }
                    i += 1;
                } else {
                    if !skipping(&stack) {
                        match c {
                            b'\\' | b'{' | b'}' => out.push(c as char),
                            b'~' => out.push(' '),
                            b'\n' | b'\r' => out.push('\n'),
                            _ => {}
                        }
                    }
                    i += 1;
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                if !skipping(&stack) {
                    // Plain text bytes are ASCII in valid RTF; anything else as CP-1252.
                    let start = i;
                    while i < bytes.len()
                        && !matches!(bytes[i], b'\\' | b'{' | b'}' | b'\r' | b'\n')
                    {
                        i += 1;
                    }
                    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes[start..i]);
                    out.push_str(&s);
                } else {
                    i += 1;
                }
            }
        }
    }
    out
}

impl Extractor for RtfExtractor {
    fn name(&self) -> &'static str {
        "rtf"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Rtf
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        emit(Part::Text {
            origin: Origin::default(),
            text: rtf_to_text(input.bytes),
            first_line: 1,
            hint: TextHint::Prose,
        });
        Ok(())
    }
}
