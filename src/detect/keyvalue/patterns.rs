//! The regular expressions of the key/value detector, each compiled once.

use super::words::SECRET_KEY_WORDS;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

// The parts of `assignment`, shared with its group-reading twin.
/// What may stand before a key (a line start is the other option).
const ASSIGN_BOUNDARY: &str = r#"[\s{,(;&?\[>]"#;
/// `export `/`set ` (shell, batch), `$` (PowerShell), `--`/`-` (options), a quote.
const ASSIGN_PREFIX: &str = r#"(?:(?P<decl>export\s+|set\s+)|\$|--|-)?["']?"#;
/// Closing quote of the key, separator, and the value: a quoted string or a bare token.
const ASSIGN_TAIL: &str = r#"(?P<q>["']?)\s*(?P<sep>:=|=>|=|:)\s*(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'<>,;}\])]+(?:[;,)\]][^\s"'<>,;})\]]+)*)"#;

/// `key = value` in its many forms, where the key holds a secret word. Use it to find
/// matches (a lazy DFA, fast); read their groups with [`assignment_groups`].
pub(super) fn assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|{ASSIGN_BOUNDARY}){ASSIGN_PREFIX}(?P<key>[A-Za-z0-9_.\-\[\]]*?(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-\]]*){ASSIGN_TAIL}"#
        ))
        .expect("static regex")
    })
}

/// The groups of one [`assignment`] match, with offsets in the searched text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct AssignmentGroups {
    pub key: Range<usize>,
    pub value: Range<usize>,
    /// None for the XML forms (`<password>x</password>`, `key=".." value=".."`).
    pub sep: Option<Range<usize>>,
    pub key_quoted: bool,
    pub declared: bool,
}

/// Reads the groups of an [`assignment`] match at `span` of `hay`.
///
/// Capturing with `assignment` costs 0.4 to 1 µs a line (the backtracker), and a
/// config has thousands of `password.min.length = 14` lines that match and are then
/// dismissed. Within a span `assignment` matched, its groups follow from the bytes:
/// key characters never include quotes, spaces or separators, so once a prefix
/// choice is made the key, closing quote, separator and value are fixed, and the
/// choices are tried in the pattern's order (first the one it prefers). So an ASCII
/// span is read by hand ([`read_assignment`]); a span with other characters
/// (`contraseña`, a no-break space, which Unicode `\s` knows) is read by `assignment`.
/// Tests compare both readings on every line of the fixtures and on random lines.
pub(super) fn assignment_groups(hay: &str, span: Range<usize>) -> Option<AssignmentGroups> {
    let bytes = &hay.as_bytes()[span.clone()];
    if !bytes.is_ascii() {
        return assignment_groups_slow(hay, span.start);
    }
    let g = read_assignment(bytes, span.start == 0);
    debug_assert!(g.is_some(), "every assignment match reads by hand");
    let g = g?;
    let shift = |r: Range<usize>| span.start + r.start..span.start + r.end;
    Some(AssignmentGroups {
        key: shift(g.key),
        value: shift(g.value),
        sep: g.sep.map(shift),
        ..g
    })
}

/// What may stand before a key (besides the start of the text): `ASSIGN_BOUNDARY`.
fn is_boundary(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'\x0b' || b"{,(;&?[>".contains(&b)
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_.-[]".contains(&b)
}

/// ASCII `\s` of the regex crate: space, \t, \n, \x0b, \x0c, \r.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'\x0b'
}

/// Does `v` match the value group whole (`ASSIGN_TAIL`'s three alternatives)?
fn is_whole_value(v: &[u8]) -> bool {
    match v.first() {
        None => false,
        Some(b'"') => {
            // `"(?:[^"\\\n]|\\.)*"`
            let mut i = 1;
            while i < v.len() {
                match v[i] {
                    b'"' => return i == v.len() - 1,
                    b'\n' => return false,
                    b'\\' if v.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
                    b'\\' => return false,
                    _ => i += 1,
                }
            }
            false
        }
        Some(b'\'') => {
            v.len() >= 2
                && v[v.len() - 1] == b'\''
                && !v[1..v.len() - 1].iter().any(|&c| c == b'\'' || c == b'\n')
        }
        Some(_) => {
            // `X+(?:[;,)\]]X+)*` where X is any byte but space, quotes and `<>,;})]`.
            let plain = |c: u8| !is_space(c) && !b"\"'<>,;})]".contains(&c);
            let mut after_delimiter = true;
            for &c in v {
                if plain(c) {
                    after_delimiter = false;
                } else if b";,)]".contains(&c) && !after_delimiter {
                    after_delimiter = true;
                } else {
                    return false;
                }
            }
            !after_delimiter
        }
    }
}

/// Reads key, separator and value of an ASCII span `assignment` matched, trying the
/// pattern's alternatives in its order. None if no choice reads the whole span.
fn read_assignment(s: &[u8], at_text_start: bool) -> Option<AssignmentGroups> {
    // `(?:^|BOUNDARY)`: at the start of the text `^` is tried first.
    let boundaries: &[usize] = if at_text_start { &[0, 1] } else { &[1] };
    for &b in boundaries {
        if b == 1 && !s.first().is_some_and(|&c| is_boundary(c)) {
            continue;
        }
        let rest = &s[b..];
        // `(?:(?P<decl>export\s+|set\s+)|\$|--|-)?`, in order, then none.
        let mut prefixes: Vec<(usize, bool)> = Vec::with_capacity(5);
        for word in [&b"export"[..], b"set"] {
            if rest.len() > word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
                let spaces = rest[word.len()..]
                    .iter()
                    .take_while(|&&c| is_space(c))
                    .count();
                if spaces > 0 {
                    prefixes.push((word.len() + spaces, true));
                }
            }
        }
        if rest.starts_with(b"$") {
            prefixes.push((1, false));
        }
        if rest.starts_with(b"--") {
            prefixes.push((2, false));
        }
        if rest.starts_with(b"-") {
            prefixes.push((1, false));
        }
        prefixes.push((0, false));
        for (p, declared) in prefixes {
            // `["']?` is greedy: with the quote first, then without.
            let quotes: &[usize] = if matches!(s.get(b + p), Some(b'"' | b'\'')) {
                &[1, 0]
            } else {
                &[0]
            };
            for &quote in quotes {
                if let Some(g) = read_from_key(s, b + p + quote, declared) {
                    return Some(g);
                }
            }
        }
    }
    None
}

/// From the key's first byte: key, `["']?`, `\s*`, separator (`:=|=>|=|:` in that
/// order), `\s*`, and a value that ends the span.
fn read_from_key(s: &[u8], key_start: usize, declared: bool) -> Option<AssignmentGroups> {
    let key_end = key_start
        + s[key_start..]
            .iter()
            .take_while(|&&c| is_key_byte(c))
            .count();
    if key_end == key_start {
        return None; // `assignment`'s key holds a secret word
    }
    let mut at = key_end;
    let key_quoted = matches!(s.get(at), Some(b'"' | b'\''));
    at += key_quoted as usize;
    at += s[at..].iter().take_while(|&&c| is_space(c)).count();
    for sep in [&b":="[..], b"=>", b"=", b":"] {
        if !s[at..].starts_with(sep) {
            continue;
        }
        let sep_end = at + sep.len();
        let value_start = sep_end + s[sep_end..].iter().take_while(|&&c| is_space(c)).count();
        if is_whole_value(&s[value_start..]) {
            return Some(AssignmentGroups {
                key: key_start..key_end,
                value: value_start..s.len(),
                sep: Some(at..sep_end),
                key_quoted,
                declared,
            });
        }
    }
    None
}

/// The same groups read by `assignment` itself: for spans that are not ASCII, and the
/// reference the twin is tested against.
pub(super) fn assignment_groups_slow(hay: &str, start: usize) -> Option<AssignmentGroups> {
    let c = assignment().captures_at(hay, start)?;
    let at = |name: &str| c.name(name).map(|m| m.range());
    Some(AssignmentGroups {
        key: at("key")?,
        value: at("value")?,
        sep: Some(at("sep")?),
        key_quoted: c.name("q").is_some_and(|q| !q.is_empty()),
        declared: c.name("decl").is_some(),
    })
}

pub(super) fn xml_element() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)<(?P<key>[A-Za-z0-9_.:\-]*?(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-]*)(?:\s[^>]*)?>(?P<value>[^<\n]+)</"#
        ))
        .expect("static regex")
    })
}

pub(super) fn app_setting() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)\bkey\s*=\s*"(?P<key>[^"]*?(?:{SECRET_KEY_WORDS})[^"]*)"\s+value\s*=\s*"(?P<value>[^"\n]+)""#
        ))
        .expect("static regex")
    })
}

/// `slackKey: ...`, `GITLAB_KEY=...`, `license_key: ...`: keys ending in "key" hold
/// secrets often enough to read, rarely enough that only random-looking values count.
/// An element's text may itself be an assignment (`<env>GITHUB_KEY=...</env>`).
pub(super) fn key_suffix_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)(?:^|[\s{,(;&?\[<>-])["']?(?P<key>[A-Za-z0-9_.\-]*?[A-Za-z0-9][_.\-]?key)["']?\s*(?::=|=|:|>)\s*(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"'<>,;}\])]+)"#,
        )
        .expect("static regex")
    })
}

/// `- key: DB_PASSWORD` / `<key>password</key>` / `{"name": "password"` followed by the
/// value on the same or one of the next lines (Kubernetes env, AWS tags, config lists).
pub(super) fn named_key() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[\s"'<{{,-])(?:key|name)["']?\s*(?:[:=]|>)\s*["']?(?P<key>[A-Za-z0-9_.\-]*?(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-]*)["']?\s*(?:</(?:key|name)>|[,}}]|$)"#
        ))
        .expect("static regex")
    })
}

pub(super) fn named_value() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"(?i)(?:^|[\s"'<{,-])value["']?\s*(?:[:=]|>)\s*(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"'<>,;}\])]+)"#)
            .expect("static regex")
    })
}

/// A secret key with nothing after it but a block opener: `passwords:`, `"pw": [`,
/// `"DbPassword": {`.
pub(super) fn block_opener() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)^\s*["']?(?P<key>[A-Za-z0-9_.\-]*?(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-]*)["']?\s*:\s*[\[{{]?\s*$"#
        ))
        .expect("static regex")
    })
}

/// A list item (`- "x"`, `"x",`) or a `Default:`/`value:` entry inside a block (YAML
/// or JSON: `"Default": "x"`).
pub(super) fn block_item() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"(?i)^\s*(?:-\s+|["']?(?:default|value)["']?\s*:\s*)?(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"'#,\]]+)\s*,?\s*$"#,
        )
        .expect("static regex")
    })
}
