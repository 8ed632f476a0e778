//! A small, forgiving XML tag scanner that keeps byte offsets: enough for the flat
//! admin artefacts (GPP, unattend, FileZilla, mRemoteNG, web.config) without
//! building a tree, and tolerant of truncated files.

use std::borrow::Cow;

pub struct Attr<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// Absolute offset of the value (inside the quotes).
    pub off: usize,
}

pub struct Tag<'a> {
    pub name: &'a str,
    /// Offsets of `<` and just after `>`.
    pub start: usize,
    pub end: usize,
    pub close: bool,
    pub self_close: bool,
    pub attrs: Vec<Attr<'a>>,
}

impl<'a> Tag<'a> {
    pub fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
    /// Local name without a namespace prefix.
    pub fn local(&self) -> &'a str {
        self.name.rsplit(':').next().unwrap_or(self.name)
    }
}

/// Every tag of the text, in order. Comments, processing instructions and
/// declarations are skipped.
pub fn tags(text: &str) -> Vec<Tag<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let s = i + p;
        if text[s..].starts_with("<!--") {
            i = text[s..].find("-->").map(|e| s + e + 3).unwrap_or(b.len());
            continue;
        }
        let Some(gt) = find_tag_end(b, s + 1) else {
            break;
        };
        i = gt + 1;
        let inner = &text[s + 1..gt];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let close = inner.starts_with('/');
        let self_close = inner.ends_with('/');
        let body = inner.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = &body[..name_end];
        if name.is_empty() {
            continue;
        }
        let body_off = s + 1 + (inner.len() - inner.trim_start_matches('/').len());
        out.push(Tag {
            name,
            start: s,
            end: gt + 1,
            close,
            self_close,
            attrs: attrs(text, body_off + name_end, &body[name_end..]),
        });
    }
    out
}

fn find_tag_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut quote = 0u8;
    while i < b.len() {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'>' {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn attrs<'a>(text: &'a str, base: usize, s: &'a str) -> Vec<Attr<'a>> {
    let _ = text;
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ns = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &s[ns..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            // Step over one whole character: a name can end on a multi-byte one, and
            // the next name must start on a character boundary.
            i += 1;
            while i < b.len() && !s.is_char_boundary(i) {
                i += 1;
            }
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || (b[i] != b'"' && b[i] != b'\'') {
            continue;
        }
        let q = b[i];
        let vs = i + 1;
        let ve = s[vs..].find(q as char).map(|e| vs + e).unwrap_or(b.len());
        out.push(Attr {
            name,
            value: &s[vs..ve],
            off: base + vs,
        });
        i = ve + 1;
    }
    out
}

/// The text between an opening tag and the next tag, with its offset.
pub fn text_after<'a>(text: &'a str, tags: &[Tag<'_>], i: usize) -> Option<(usize, &'a str)> {
    let t = tags.get(i)?;
    if t.close || t.self_close {
        return None;
    }
    let end = tags.get(i + 1).map(|n| n.start).unwrap_or(text.len());
    let raw = text.get(t.end..end)?;
    let lead = raw.len() - raw.trim_start().len();
    Some((t.end + lead, raw.trim()))
}

/// Resolves the five predefined entities.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}
