//! Shared pieces of the dialect detectors: lines with offsets, tokens, value forms
//! (plain, reversible, hashed, opaque), redaction checks and the finding builder.

use crate::detect::decode::{self, DecodeError, hashes};
use crate::detect::{RawFinding, filters};
use crate::finding::{Category, Confidence, Flag};
use crate::secret::Secret;
use std::ops::Range;

/// Dialect findings beat the generic key=value (and prose) detectors on overlap.
pub const SPECIFICITY: u8 = 90;

/// Lines of a text with their byte offsets (no newline, `\r` trimmed), as
/// `text.split('\n')` cuts them (a final empty line after a trailing `\n` included).
///
/// Every text's head is cut into lines to tell device dialects apart, so this is on
/// the scan's hot path. `split` looks for each `\n` with the standard library's
/// portable `memchr` (4% of the benchmark tree's scan CPU); the `memchr` crate's SIMD
/// search, one call per line, made the tree's scan about 3% faster (one iterator over
/// the whole text measured the same).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let off = start?;
        let end = match memchr::memchr(b'\n', &bytes[off..]) {
            Some(i) => {
                start = Some(off + i + 1);
                off + i
            }
            None => {
                start = None;
                text.len()
            }
        };
        // Both ends sit at a `\n` or the text's end: char boundaries.
        let l = &text[off..end];
        Some((off, l.strip_suffix('\r').unwrap_or(l)))
    })
}

/// Whitespace-separated tokens with their offsets in `line`; a double-quoted string is
/// one token (quotes included).
pub fn tokens(line: &str) -> Vec<(usize, &str)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += 1;
            }
            i = (i + 1).min(b.len());
            // A closing quote glued to `;` (Junos) stays with the token.
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
        } else {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        out.push((start, &line[start..i]));
    }
    out
}

/// Strips quotes and a trailing `;` from a token, returning the inner offset.
pub fn unquote(off: usize, tok: &str) -> (usize, &str) {
    let t = tok.strip_suffix(';').unwrap_or(tok);
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        return (off + 1, &t[1..t.len() - 1]);
    }
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        return (off + 1, &t[1..t.len() - 1]);
    }
    (off, t)
}

/// Values that a device or tool already masked, and template references. Placeholder
/// words ("changeme", "password") are NOT dropped here: in a device config they are
/// the configured value, and a weak one.
pub fn is_redacted(v: &str) -> bool {
    let t = v.trim().trim_matches('"');
    let lower = t.to_ascii_lowercase();
    lower.is_empty()
        || lower == "<removed>"
        || lower == "enc <removed>"
        || lower.contains("censored")
        || lower.contains("scrubbed")
        || lower.contains("<removed>")
        || lower.contains("sensitive*data*deleted")
        || lower.chars().all(|c| matches!(c, '*' | '•' | '#' | '.'))
        || (lower.len() >= 4 && lower.chars().all(|c| c == 'x'))
        || filters::is_reference(t)
}

/// How a value is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Plain,
    CiscoType7,
    Juniper9,
    FortiEnc,
    Gpp,
    Vnc,
    Filezilla,
    MRemoteNg,
    /// A hash with its algorithm name.
    Hash(&'static str),
    /// Encrypted with a key we do not have: reported, not decoded.
    Opaque(&'static str),
}

/// What a dialect found, before it becomes a [`RawFinding`].
pub struct Cred<'a> {
    pub rule: &'static str,
    pub name: &'static str,
    pub category: Category,
    /// Absolute byte range of the value in the text.
    pub span: Range<usize>,
    pub value: &'a str,
    pub form: Form,
    pub user: Option<String>,
    pub system: Option<String>,
    pub flags: &'a [Flag],
}

/// Builds the finding: decodes reversible forms (keeping the encoded token as the
/// secret with "not decodable" when that fails), marks hashes, drops redactions.
pub fn build(c: Cred<'_>) -> Option<RawFinding> {
    if is_redacted(c.value) {
        return None;
    }
    let decoded: Option<(Result<Secret, DecodeError>, &str)> = match c.form {
        Form::CiscoType7 => Some((decode::cisco_type7(c.value), "Cisco type 7")),
        Form::Juniper9 => Some((decode::juniper9(c.value), "Juniper $9$")),
        Form::FortiEnc => Some((decode::fortios_enc(c.value), "FortiOS ENC")),
        Form::Gpp => Some((decode::gpp_cpassword(c.value), "GPP cpassword")),
        Form::Vnc => Some((decode::vnc(c.value), "VNC DES")),
        Form::Filezilla => Some((decode::filezilla_base64(c.value), "FileZilla base64")),
        Form::MRemoteNg => Some((decode::mremoteng(c.value), "mRemoteNG")),
        _ => None,
    };
    let mut category = c.category;
    let (secret, detail, mut flags) = match (c.form, decoded) {
        (_, Some((Ok(s), what))) => (s, format!("{what}, decoded"), vec![Flag::Reversible]),
        (_, Some((Err(e), what))) => (
            Secret::new(c.value),
            format!("{what}; not decodable: {e}"),
            vec![Flag::Reversible],
        ),
        (Form::Hash(alg), None) => {
            category = Category::Hash;
            (
                Secret::new(c.value),
                format!("{alg} hash ({})", hashes::strength(alg)),
                vec![Flag::Hashed],
            )
        }
        (Form::Opaque(why), None) => (
            Secret::new(c.value),
            format!("not decodable: {why}"),
            vec![],
        ),
        _ => (Secret::new(c.value), String::new(), vec![]),
    };
    if secret.is_empty() {
        return None;
    }
    for f in c.flags {
        if !flags.contains(f) {
            flags.push(*f);
        }
    }
    let mut raw = RawFinding::new(c.rule, c.name, category, Confidence::High, secret)
        .with_span(c.span)
        .with_user(c.user)
        .with_system(c.system)
        .specificity(SPECIFICITY);
    raw.flags = flags;
    if let Form::Hash(alg) = c.form {
        raw.hash_algorithm = Some(alg.to_string());
    }
    if !detail.is_empty() {
        raw.detail = Some(detail);
    }
    Some(raw)
}

/// Builds a finding for a value decoded by the caller (decoders that need more than
/// the value: WinSCP's user and host, unattend's element name).
pub fn build_decoded(
    c: Cred<'_>,
    decoded: Result<Secret, DecodeError>,
    what: &str,
) -> Option<RawFinding> {
    if is_redacted(c.value) {
        return None;
    }
    let mut raw = build(Cred {
        form: Form::Plain,
        ..c
    })?;
    match decoded {
        Ok(s) if !s.is_empty() => {
            raw.secret = s;
            raw.detail = Some(format!("{what}, decoded"));
        }
        Ok(_) => return None,
        Err(e) => raw.detail = Some(format!("{what}; not decodable: {e}")),
    }
    if !raw.flags.contains(&Flag::Reversible) {
        raw.flags.insert(0, Flag::Reversible);
    }
    Some(raw)
}

/// The form of a value from a Cisco-style type number (`0`, `5`, `7` ...) and the
/// value's own shape (`$1$...`, `$6$...`).
pub fn cisco_form(type_digit: Option<&str>, value: &str) -> Form {
    if let Some(alg) = hashes::identify(value) {
        // `$9$` is a Juniper secret unless it has Cisco type 9's salt/hash shape.
        return Form::Hash(alg);
    }
    if value.starts_with("$9$") {
        return Form::Juniper9;
    }
    if value.starts_with("$8$") {
        return Form::Opaque("Junos $8$ (AES-GCM under the device master password)");
    }
    match type_digit {
        Some("7") => Form::CiscoType7,
        Some("5") => Form::Hash("cisco-type5"),
        Some("4") => Form::Hash("cisco-type4"),
        Some("8") => Form::Hash("cisco-type8"),
        Some("9") => Form::Hash("cisco-type9"),
        Some("6") => Form::Opaque("Cisco type 6 (AES under the device's master key)"),
        _ => Form::Plain,
    }
}

/// Finds `hostname X` style declarations in a first pass (they may follow the
/// credentials in some exports). `key` is the command word sequence.
pub fn first_value_after<'a>(text: &'a str, keys: &[&str]) -> Option<&'a str> {
    for (_, line) in lines(text) {
        let t = line.trim_start();
        for k in keys {
            if let Some(rest) = t.strip_prefix(k)
                && rest.starts_with([' ', '\t', '='])
            {
                let v = rest
                    .trim_start_matches([' ', '\t', '='])
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                let v = v.trim_end_matches(';').trim_matches('"');
                if !v.is_empty() {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// Section key/value documents (.ini, .reg): each section with its entries and the
/// absolute range of every value.
pub struct Section<'a> {
    pub name: &'a str,
    pub entries: Vec<(&'a str, &'a str, Range<usize>)>,
}

impl<'a> Section<'a> {
    pub fn get(&self, key: &str) -> Option<(&'a str, Range<usize>)> {
        self.entries
            .iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v, r)| (*v, r.clone()))
    }
}

/// Parses `[section]` headers and `key=value` / `"key"="value"` lines.
pub fn sections(text: &str) -> Vec<Section<'_>> {
    let mut out: Vec<Section<'_>> = vec![Section {
        name: "",
        entries: Vec::new(),
    }];
    for (off, line) in lines(text) {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            out.push(Section {
                name: &t[1..t.len() - 1],
                entries: Vec::new(),
            });
            continue;
        }
        let Some(eq) = line.find('=') else { continue };
        let key = line[..eq].trim().trim_matches('"');
        let raw = &line[eq + 1..];
        let lead = raw.len() - raw.trim_start().len();
        let (voff, v) = unquote(off + eq + 1 + lead, raw.trim());
        if let Some(s) = out.last_mut() {
            s.entries.push((key, v, voff..voff + v.len()));
        }
    }
    out
}

#[cfg(test)]
mod line_tests {
    use super::lines;

    /// The reference: what `split('\n')` gives, with offsets.
    fn by_split(text: &str) -> Vec<(usize, &str)> {
        let mut start = 0;
        text.split('\n')
            .map(|l| {
                let off = start;
                start += l.len() + 1;
                (off, l.strip_suffix('\r').unwrap_or(l))
            })
            .collect()
    }

    #[test]
    fn lines_are_cut_as_split_cuts_them() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "one",
            "one\n",
            "one\r\ntwo\r\n",
            "a\n\nb\r\n\r\nc",
            "\r",
            "hostname sw1\r\nenable secret 5 $1$x$y\n interface ge0\n",
            "Kennwort: Grüße\nmot de passe: été\n☃\n",
        ];
        for t in texts {
            assert_eq!(lines(t).collect::<Vec<_>>(), by_split(t), "{t:?}");
        }
        // Longer texts, so the SIMD search runs over whole blocks.
        let long: String = (0..500)
            .map(|i| {
                format!(
                    "{}{}",
                    "x".repeat(i % 97),
                    if i % 3 == 0 { "\r\n" } else { "\n" }
                )
            })
            .collect();
        assert_eq!(lines(&long).collect::<Vec<_>>(), by_split(&long));
    }
}
