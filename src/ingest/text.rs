//! Bytes to text: UTF-8, UTF-16 LE/BE (with or without BOM: Windows exports such as
//! `reg export` and PowerShell redirections are UTF-16), and a CP-1252 fallback (a
//! superset of Latin-1) for anything else. Line endings are normalised to `\n` (CRLF and
//! lone CR both count as one break) so line numbers match what an editor shows.

use std::borrow::Cow;

/// Which encoding the bytes were read as; reported nowhere secret, kept for the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

const SNIFF_WINDOW: usize = 8192;

/// Heuristic UTF-16 detection without BOM: ASCII-range text in UTF-16 has a NUL in
/// nearly every other byte, on one parity.
fn utf16_without_bom(head: &[u8]) -> Option<Encoding> {
    let window = &head[..head.len().min(SNIFF_WINDOW)];
    // Most text has no NUL at all: one vectorised search settles it.
    if window.len() < 4 || memchr::memchr(0, window).is_none() {
        return None;
    }
    let pairs = window.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for chunk in window.chunks_exact(2) {
        if chunk[0] == 0 {
            even_nul += 1;
        }
        if chunk[1] == 0 {
            odd_nul += 1;
        }
    }
    // 70% of code units with a NUL high byte, and almost none with a NUL low byte.
    if odd_nul * 10 >= pairs * 7 && even_nul * 20 <= pairs {
        Some(Encoding::Utf16Le)
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 20 <= pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The encoding a text file's bytes are in (BOM first, then UTF-16 shape, then UTF-8
/// validity, else CP-1252).
pub fn detect_encoding(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Encoding::Utf8;
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Encoding::Utf16Le;
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Encoding::Utf16Be;
    }
    if let Some(e) = utf16_without_bom(bytes) {
        return e;
    }
    if simdutf8_like_valid(bytes) {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

fn simdutf8_like_valid(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok()
}

/// True when the first bytes look like text in one of the supported encodings: no
/// NUL outside UTF-16, and few control characters.
pub fn looks_like_text(head: &[u8]) -> bool {
    let window = &head[..head.len().min(SNIFF_WINDOW)];
    if window.starts_with(b"\xFF\xFE")
        || window.starts_with(b"\xFE\xFF")
        || utf16_without_bom(window).is_some()
    {
        return true;
    }
    if memchr::memchr(0, window).is_some() {
        return false;
    }
    control_bytes(window) * 100 <= window.len() * 2
}

/// Control bytes other than line breaks, tab, form feed and escape. Written as plain
/// compares summed in blocks so the compiler vectorises it: every file is sniffed.
fn control_bytes(window: &[u8]) -> usize {
    window
        .chunks(255)
        .map(|block| {
            let n: u8 = block
                .iter()
                .map(|&b| {
                    let allowed =
                        (b == b'\n') | (b == b'\r') | (b == b'\t') | (b == 0x0C) | (b == 0x1B);
                    ((b < 0x20) & !allowed) as u8
                })
                .sum();
            n as usize
        })
        .sum()
}

/// Decodes to a `String` with `\n` line endings. Borrowing when the input is already
/// clean UTF-8 (the common case) keeps the hot path allocation-free.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    // The common case (no BOM, not UTF-16) validates UTF-8 once and borrows; the
    // outcome is the one `detect_encoding` gives.
    let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|b| bytes.starts_with(b));
    if !bom && utf16_without_bom(bytes).is_none() {
        match std::str::from_utf8(bytes) {
            Ok(s) => return (normalize_newlines(Cow::Borrowed(s)), Encoding::Utf8),
            Err(_) => {
                let text = encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned();
                return (normalize_newlines(Cow::Owned(text)), Encoding::Windows1252);
            }
        }
    }
    let enc = detect_encoding(bytes);
    let text: Cow<'_, str> = match enc {
        Encoding::Utf8 => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match std::str::from_utf8(body) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => Cow::Owned(String::from_utf8_lossy(body).into_owned()),
            }
        }
        Encoding::Utf16Le => {
            let body = bytes.strip_prefix(b"\xFF\xFE").unwrap_or(bytes);
            Cow::Owned(
                encoding_rs::UTF_16LE
                    .decode_without_bom_handling(body)
                    .0
                    .into_owned(),
            )
        }
        Encoding::Utf16Be => {
            let body = bytes.strip_prefix(b"\xFE\xFF").unwrap_or(bytes);
            Cow::Owned(
                encoding_rs::UTF_16BE
                    .decode_without_bom_handling(body)
                    .0
                    .into_owned(),
            )
        }
        Encoding::Windows1252 => Cow::Owned(
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
    };
    (normalize_newlines(text), enc)
}

/// CRLF → LF and lone CR → LF, in one pass, only when the text has a CR at all.
pub fn normalize_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let src = text.as_bytes();
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while let Some(pos) = memchr::memchr(b'\r', &src[i..]) {
        let at = i + pos;
        out.extend_from_slice(&src[i..at]);
        out.push(b'\n');
        i = at + 1;
        if src.get(i) == Some(&b'\n') {
            i += 1;
        }
    }
    out.extend_from_slice(&src[i..]);
    // Only ASCII bytes were replaced, so the result is still valid UTF-8.
    Cow::Owned(String::from_utf8(out).expect("CR/LF replacement keeps UTF-8 valid"))
}

/// Byte offsets of line starts, for turning a match offset into (line, column) in
/// O(log lines) without rescanning the text per match.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1));
        LineIndex { starts }
    }

    /// Zero-based line number containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte range of line `line` (zero-based) without its `\n`.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map(|s| s - 1)
            .unwrap_or(text.len());
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line as u32 + 1, col as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_counts_what_is_not_text() {
        // Every byte value, several times over (blocks of 255 are summed apart).
        let all: Vec<u8> = (0..=255u8).cycle().take(256 * 9 + 7).collect();
        let slow = all
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
            .count();
        assert_eq!(control_bytes(&all), slow);
        assert_eq!(control_bytes(b"plain\r\ntext\twith\x0c\x1b[0m"), 0);
        assert_eq!(control_bytes(b"\x01\x02 \x7f"), 2);
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        v.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        v
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "[Logon]\r\nDefaultPassword=Winter2023\r\n";
        for bom in [true, false] {
            let bytes = utf16le(s, bom);
            let (t, e) = decode(&bytes);
            assert_eq!(e, Encoding::Utf16Le);
            assert_eq!(t, "[Logon]\nDefaultPassword=Winter2023\n");
        }
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&be).1, Encoding::Utf16Be);
    }

    #[test]
    fn latin1_fallback_keeps_umlauts() {
        let (t, e) = decode(b"Kennwort f\xfcr Leitstand: Gr\xfcn2021\r\n");
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(t, "Kennwort für Leitstand: Grün2021\n");
    }

    #[test]
    fn lone_cr_and_crlf_are_line_breaks() {
        let (t, _) = decode(b"a\rb\r\nc\nd");
        assert_eq!(t, "a\nb\nc\nd");
        let idx = LineIndex::new(&t);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(&t, 6), (4, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let t = "é=1\nmot de passe: ü";
        let idx = LineIndex::new(t);
        let off = t.find('ü').unwrap();
        assert_eq!(idx.position(t, off), (2, 15));
    }
}
