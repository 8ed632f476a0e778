//! E-mail (`*.eml`, RFC 5322 with MIME): the header block (subject lines carry
//! passwords too; RFC 2047 encoded words decoded) and every text body (quoted-printable and base64 decoded, HTML
//! tags dropped) as prose; attachments as members named by their file name. A body's
//! `first_line` is the line of the message file where that body starts.

use crate::ingest::{ExtractError, ExtractInput, Extractor, FileKind, Origin, Part, TextHint};
use base64::Engine as _;

pub struct MailExtractor;

/// At most this many MIME parts are read from one message (nesting included).
const MAX_PARTS: usize = 1000;

struct Headers {
    pairs: Vec<(String, String)>,
}

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits at the first blank line: (headers, body, body's 0-based line offset).
fn split_message(text: &str) -> (Headers, &str, usize) {
    let (head, body) = match text.find("\n\n") {
        Some(p) => (&text[..p], &text[p + 2..]),
        None => (text, ""),
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = pairs.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            pairs.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    (Headers { pairs }, body, head.lines().count() + 1)
}

/// A `key=value` parameter of a header (`boundary`, `charset`, `filename`, `name`).
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().trim_end_matches('*').eq_ignore_ascii_case(key))
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// RFC 2047 encoded words in a header line (`=?UTF-8?B?...?=`, `=?ISO-8859-1?Q?...?=`)
/// decoded; anything malformed is left as it is.
pub fn decode_words(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("=?") {
        let after = &rest[start + 2..];
        let decoded = after.split_once('?').and_then(|(charset, r)| {
            let (enc, r) = r.split_once('?')?;
            let (payload, tail) = r.split_once("?=")?;
            let bytes = match enc.to_ascii_uppercase().as_str() {
                "B" => base64::engine::general_purpose::STANDARD
                    .decode(payload)
                    .ok()?,
                "Q" => decode_qp(&payload.replace('_', " ")),
                _ => return None,
            };
            Some((to_text(&bytes, Some(charset)), tail))
        });
        match decoded {
            Some((text, tail)) => {
                out.push_str(&rest[..start]);
                out.push_str(&text);
                rest = tail;
            }
            None => {
                out.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_qp(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(v) = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn body_bytes(headers: &Headers, body: &str) -> Vec<u8> {
    match headers
        .get("Content-Transfer-Encoding")
        .map(|e| e.to_ascii_lowercase())
    {
        Some(e) if e.contains("base64") => {
            let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean.trim_end_matches('='))
                .or_else(|_| {
                    base64::engine::general_purpose::STANDARD_NO_PAD
                        .decode(clean.trim_end_matches('='))
                })
                .unwrap_or_default()
        }
        Some(e) if e.contains("quoted-printable") => decode_qp(body),
        _ => body.as_bytes().to_vec(),
    }
}

fn to_text(bytes: &[u8], charset: Option<&str>) -> String {
    let enc = charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    enc.decode(bytes).0.into_owned()
}

/// Drops HTML tags; block ends become line breaks.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let Some(e) = rest[p..].find('>') else { break };
        let tag = rest[p + 1..p + e].to_ascii_lowercase();
        if tag.starts_with("br") {
            out.push('\n');
        } else if ["/p", "/div", "/li", "/tr", "/h", "p", "div", "li", "tr"]
            .iter()
            .any(|t| tag.starts_with(t))
            && !out.is_empty()
            && !out.ends_with('\n')
        {
            // A block boundary: one line break, however many tags meet there.
            out.push('\n');
        } else if tag.starts_with("/td") {
            out.push('\t');
        }
        rest = &rest[p + e + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn read_part(text: &str, line0: usize, emit: &mut dyn FnMut(Part), budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let (headers, body, body_line) = split_message(text);
    let ctype = headers
        .get("Content-Type")
        .unwrap_or("text/plain")
        .to_string();
    let lower = ctype.to_ascii_lowercase();
    let disposition = headers.get("Content-Disposition").unwrap_or("").to_string();
    let filename = param(&disposition, "filename").or_else(|| param(&ctype, "name"));
    let body_start = line0 + body_line + 1;
    if lower.starts_with("multipart/") {
        let Some(boundary) = param(&ctype, "boundary") else {
            return;
        };
        let delim = format!("--{boundary}");
        let mut line = body_start;
        for (k, chunk) in body.split(delim.as_str()).enumerate() {
            let here = line;
            line += chunk.matches('\n').count();
            if k == 0 || chunk.starts_with("--") {
                continue;
            }
            let chunk = chunk.strip_prefix('\n').unwrap_or(chunk);
            read_part(chunk, here, emit, budget);
        }
        return;
    }
    let attachment = disposition.to_ascii_lowercase().starts_with("attachment")
        || (filename.is_some() && !lower.starts_with("text/"));
    let bytes = body_bytes(&headers, body);
    if attachment || lower.starts_with("message/") && filename.is_some() {
        emit(Part::Member {
            name: filename.unwrap_or_else(|| "attachment".into()),
            bytes,
            hidden: false,
        });
    } else if lower.starts_with("message/rfc822") {
        read_part(
            &String::from_utf8_lossy(&bytes),
            body_start - 1,
            emit,
            budget,
        );
    } else if lower.starts_with("text/") {
        let mut t = to_text(&bytes, param(&ctype, "charset").as_deref());
        if lower.starts_with("text/html") {
            t = strip_html(&t);
        }
        emit(Part::Text {
            origin: Origin::default(),
            text: t,
            first_line: body_start as u32,
            hint: TextHint::Prose,
        });
    }
}

impl Extractor for MailExtractor {
    fn name(&self) -> &'static str {
        "eml"
    }
    fn accepts(&self, _kind: FileKind) -> bool {
        false
    }
    fn accepts_text(&self, name: &str, _head: &[u8]) -> bool {
        super::ext_of(name) == "eml"
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        let (text, _) = crate::ingest::text::decode(input.bytes);
        let (headers, _, body_line) = split_message(&text);
        if headers.pairs.is_empty() {
            return Err(super::corrupt("eml", "no message headers"));
        }
        let head: String = text
            .lines()
            .take(body_line.saturating_sub(1))
            .map(decode_words)
            .collect::<Vec<_>>()
            .join("\n");
        emit(Part::Text {
            origin: Origin::default(),
            text: head,
            first_line: 1,
            hint: TextHint::Prose,
        });
        let mut budget = MAX_PARTS;
        // The top level again, as a part: its body (or multipart tree).
        read_part(&text, 0, emit, &mut budget);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_words() {
        assert_eq!(
            decode_words("Subject: =?UTF-8?B?UGFzc3fDtnJ0?= neu"),
            "Subject: Passwört neu"
        );
        assert_eq!(
            decode_words("Subject: =?ISO-8859-1?Q?Kennwort=3A_Gr=FCn?="),
            "Subject: Kennwort: Grün"
        );
        assert_eq!(decode_words("Subject: =?bad"), "Subject: =?bad");
    }
}
