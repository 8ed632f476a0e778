//! Generic assignments of secrets in configuration, data files and scripts:
//! `password = x` (ini, properties, .env, shell, batch `set`), `password: x` (YAML),
//! `"password": "x"` (JSON), `<password>x</password>` and `password="x"` (XML),
//! `$Password = "x"` (PowerShell), `<add key="DbPassword" value="x"/>` (.NET
//! appSettings). The key decides the category; the value must survive the
//! placeholder filters and look like a value rather than a reference.

use super::context::pair;
use super::filters::{is_filler, is_not_a_secret};
use super::{Detector, RawFinding, TextInput};
use patterns::*;
use words::*;

mod patterns;
mod structured;
mod words;
use crate::finding::{Category, Confidence, Flag};
use crate::ingest::TextHint;
use crate::secret::Secret;

/// The words of a key, split at `_ . -` (any non-alphanumeric byte) and camelCase
/// humps, in their original case.
fn key_word_slices(key: &str) -> impl Iterator<Item = &str> {
    let b = key.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= b.len() {
            let boundary = i == b.len()
                || !b[i].is_ascii_alphanumeric()
                || (i > start
                    && b[i].is_ascii_uppercase()
                    && (b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit()));
            let at = i;
            i += 1;
            if boundary {
                let word = start..at;
                start = if at < b.len() && b[at].is_ascii_alphanumeric() {
                    at
                } else {
                    at + 1
                };
                if !word.is_empty() {
                    // Boundaries are ASCII bytes, so the word is whole characters.
                    return Some(&key[word]);
                }
            }
        }
        None
    })
}

/// `word` lowercased into `buf` (ASCII), or None when it is too long to be a listed word.
fn lowered<'b>(word: &str, buf: &'b mut [u8; 48]) -> Option<&'b [u8]> {
    let w = buf.get_mut(..word.len())?;
    w.copy_from_slice(word.as_bytes());
    w.make_ascii_lowercase();
    Some(w)
}

/// True when one of the key's words (compared lowercase) is in `list`.
fn key_has_word(key: &str, list: &[&str]) -> bool {
    let mut buf = [0u8; 48];
    key_word_slices(key)
        .any(|w| lowered(w, &mut buf).is_some_and(|w| list.iter().any(|x| x.as_bytes() == w)))
}

/// Is this lowercase word one that makes a key about a secret rather than holding
/// one? A set: every assignment key on every keyword line is asked, word by word.
fn is_not_a_secret_key_word(word: &[u8]) -> bool {
    static WORDS: std::sync::OnceLock<
        std::collections::HashSet<&'static [u8], foldhash::fast::RandomState>,
    > = std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| NOT_A_SECRET_KEY_WORD.iter().map(|w| w.as_bytes()).collect())
        .contains(word)
}

/// Does the key's last word name a secret (`DB password`, `wifi_psk`, `api.key`)?
fn ends_with_secret_word(key: &str) -> bool {
    let k = key
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let last = k
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or(&k);
    [
        "password",
        "passwort",
        "passwd",
        "pwd",
        "pw",
        "pin",
        "secret",
        "token",
        "key",
        "psk",
        "kennwort",
        "wachtwoord",
        "senha",
        "passphrase",
        "credentials",
        "credential",
    ]
    .iter()
    .any(|w| last.ends_with(w))
}

/// ASCII case-insensitive substring test, without allocating.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Random-looking: what an API key is and a variable name is not.
fn looks_random(v: &str) -> bool {
    let n = v.chars().count();
    // URLs, templates and references are not keys.
    // URLs, templates, references, code and filler are not keys.
    if n < 16
        || v.contains([' ', '{', '}', '(', ')', ';'])
        || v.contains("://")
        || v.contains("::")
        || v.starts_with(['%', '$', '@'])
        || super::filters::is_filler_value(v)
    {
        return false;
    }
    let digits = v.chars().all(|c| c.is_ascii_digit());
    let hex = n >= 32 && v.chars().all(|c| c.is_ascii_hexdigit());
    let mut distinct: Vec<char> = v.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    digits && distinct.len() >= 6
        || hex
        || super::filters::char_classes(v) >= 3 && distinct.len() >= 10
}

pub struct KeyValueDetector;

impl Default for KeyValueDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyValueDetector {
    pub fn new() -> Self {
        KeyValueDetector
    }
}

/// The words of a key, lowercase, split as [`key_word_slices`] splits them.
#[cfg(test)]
fn key_words(key: &str) -> Vec<String> {
    key_word_slices(key).map(str::to_ascii_lowercase).collect()
}

/// In a compound key the last word names the thing (`passwordResetUrl` is a URL,
/// `resetUrlPassword` a password). When that head word is a password or secret, the
/// words before it that disqualify a key only as its head (`url`, `reset`,
/// `secretary`) say whose secret it is: `secretarySecret`, `resetUrlPassword`.
fn names_whose_secret(key: &str) -> bool {
    let mut buf = [0u8; 48];
    let mut words = key_word_slices(key).peekable();
    while let Some(word) = words.next() {
        let Some(w) = lowered(word, &mut buf) else {
            // Too long for any list: neither a head word nor a disqualifying one.
            if words.peek().is_none() {
                return false;
            }
            continue;
        };
        if words.peek().is_none() {
            return SECRET_HEAD_WORDS.iter().any(|h| h.as_bytes() == w);
        }
        if is_not_a_secret_key_word(w)
            && !NOT_A_SECRET_ONLY_AS_HEAD.iter().any(|x| x.as_bytes() == w)
        {
            return false;
        }
    }
    false
}

/// Does the key hold a secret word long enough to count inside other words
/// (`dbpassword`, `x_token`)? One automaton pass, no lowercase copy: every key of
/// every assignment on a keyword line is asked.
fn has_long_secret_word(key: &str) -> bool {
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(
                    ["pass", "secret", "token", "key", "credential"]
                        .iter()
                        .chain(PASSWORD_WORDS_ABROAD)
                        .chain(&["has\u{141}o", "passe", "community"]),
                )
                .expect("static word list")
        })
        .is_match(key)
}

/// What a key says the value is.
fn classify_key(key: &str) -> Option<(Category, &'static str, &'static str)> {
    // Short secret words count only as whole words of the key: `wpa_psk`, `db_pwd`,
    // but not `chgrpskel` or `pwned_count`.
    if !has_long_secret_word(key) && !key_has_word(key, &["pw", "pwd", "psk", "mdp"]) {
        return None;
    }
    let mut buf = [0u8; 48];
    let disqualified =
        key_word_slices(key).any(|w| lowered(w, &mut buf).is_some_and(is_not_a_secret_key_word));
    if disqualified && !names_whose_secret(key) {
        return None;
    }
    let k = key.to_lowercase();
    let k = k.trim_start_matches(['$', '-', '.']);
    Some(if k.contains("community") {
        if !(k.contains("snmp")
            || k.starts_with("ro")
            || k.starts_with("rw")
            || k.starts_with("read")
            || k.starts_with("write")
            || k == "community")
        {
            return None;
        }
        (
            Category::Community,
            "generic.snmp_community_assignment",
            "SNMP community in a configuration value",
        )
    } else if k.contains("psk")
        || k.contains("passphrase")
            && (k.contains("wpa") || k.contains("wifi") || k.contains("wlan"))
    {
        (
            Category::PresharedKey,
            "generic.psk_assignment",
            "Pre-shared key in a configuration value",
        )
    } else if k.contains("private") && k.contains("key") {
        (
            Category::PrivateKey,
            "generic.private_key_assignment",
            "Private key in a configuration value",
        )
    } else if k.contains("token") {
        (
            Category::Token,
            "generic.token_assignment",
            "Token in a configuration value",
        )
    } else if k.contains("key") || k.contains("client_secret") || k.contains("clientsecret") {
        (
            Category::ApiKey,
            "generic.api_key_assignment",
            "API key or client secret in a configuration value",
        )
    } else if k.contains("secret") {
        (
            Category::Password,
            "generic.secret_assignment",
            "Secret in a configuration value",
        )
    } else if k.contains("credential") {
        (
            Category::Password,
            "generic.credential_assignment",
            "Credential in a configuration value",
        )
    } else {
        (
            Category::Password,
            "generic.password_assignment",
            "Password in a configuration value",
        )
    })
}

/// Strips quotes; returns the value and whether it was quoted.
fn unquote(v: &str) -> (&str, bool) {
    let b = v.as_bytes();
    if b.len() >= 2
        && (b[0] == b'"' && b[b.len() - 1] == b'"' || b[0] == b'\'' && b[b.len() - 1] == b'\'')
    {
        (&v[1..v.len() - 1], true)
    } else {
        (v, false)
    }
}

/// Does an unquoted value look like a literal rather than code or a reference?
pub(crate) fn looks_like_literal(v: &str, hint: TextHint) -> bool {
    // Calls, member access and concatenation are code: `getPassword()`, `cfg.db.pw`, `a + b`.
    if v.contains('(') || v.ends_with(')') {
        return false;
    }
    let ident = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if ident
        && v.contains('.')
        && v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !v.chars().any(|c| c.is_ascii_digit())
    {
        return false; // settings.password, os.environ
    }
    // `a::b` paths, `[0; 8]` arrays, `&x` references: expressions, not literals.
    if v.contains("::") || (hint == TextHint::Code && !v.starts_with(|c: char| c.is_alphanumeric()))
    {
        return false;
    }
    if hint == TextHint::Code {
        // In code only string literals are values, except where the language has no
        // quotes for them (`set PASS=x` in batch) or the value cannot be an identifier.
        return !v
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$');
    }
    true
}

/// Is `v` something a person or system would use as a credential value?
fn acceptable_value(v: &str, category: Category, token_like: bool) -> bool {
    let n = v.chars().count();
    if !(3..=512).contains(&n)
        || is_not_a_secret(v)
        || (super::filters::is_documentation_example(v) || super::filters::is_filler_value(v))
    {
        return false;
    }
    // A URL is where a secret is managed, not the secret (userinfo URLs have rules).
    if v.starts_with("http://") || v.starts_with("https://") {
        return false;
    }
    // `" + getPassword() + "` is string concatenation caught between two quotes.
    if v.trim() != v || v.contains("()") {
        return false;
    }
    if v.starts_with('!') || v == "|" || v == ">" || v == "~" {
        return false; // YAML tags (ansible !vault), block scalars, null
    }
    if v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || v.starts_with("file:")
        || v.len() > 2 && v.as_bytes()[1] == b':' && v.as_bytes()[2] == b'\\'
    {
        return false; // a path to a secret, not the secret
    }
    let lower = v.to_ascii_lowercase();
    if [
        ".pem", ".key", ".txt", ".json", ".p12", ".pfx", ".crt", ".jks", ".kdbx",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
    {
        return false;
    }
    if is_filler(v) && n < 6 {
        return false;
    }
    let token_like = token_like || matches!(category, Category::Token | Category::ApiKey);
    match category {
        // Tokens and keys are long and mixed; a lowercase word is a name or a mode, and
        // a value with spaces is a sentence.
        _ if token_like => {
            n >= 8
                && !v.contains(' ')
                && !(v
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_'))
        }
        _ => !matches!(
            lower.as_str(),
            "true" | "false" | "on" | "off" | "yes" | "no" | "null" | "none" | "0" | "1"
        ),
    }
}

impl Detector for KeyValueDetector {
    fn name(&self) -> &'static str {
        "keyvalue"
    }

    fn keywords(&self) -> Vec<String> {
        [
            "pass",
            "pwd",
            "pw=",
            "pw:",
            "pw\"",
            "secret",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "access_key",
            "accesskey",
            "auth_key",
            "authkey",
            "private_key",
            "privatekey",
            "credential",
            "mdp",
            "mot_de_passe",
            "psk",
            "community",
            "key=",
            "key:",
            "key\"",
            "key'",
            "key>",
        ]
        .iter()
        .chain(PASSWORD_WORDS_ABROAD)
        .map(|s| s.to_string())
        .collect()
    }

    fn detect(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>) {
        let mut done_lines = Vec::new();
        for &h in hits {
            let line_no = input.lines.line_of(h);
            // Hits are sorted, so one line's hits are adjacent.
            if done_lines.last() == Some(&line_no) {
                continue;
            }
            done_lines.push(line_no);
            let lr = input.lines.line_range(input.text, line_no);
            // Bound the work on very long lines to a window around the hit.
            let start = floor_char(input.text, lr.start.max(h.saturating_sub(2048)));
            let end = ceil_char(input.text, lr.end.min(h + 2048));
            let line = &input.text[start..end];
            self.scan_line(input, line, start, out);
            self.scan_named(input, line_no, out);
            self.scan_block(input, line_no, out);
        }
    }
}

fn floor_char(t: &str, mut i: usize) -> usize {
    while i > 0 && !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(t: &str, mut i: usize) -> usize {
    while i < t.len() && !t.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl KeyValueDetector {
    fn scan_line(&self, input: &TextInput<'_>, line: &str, base: usize, out: &mut Vec<RawFinding>) {
        // Every form needs a separator; most keyword lines in code and prose
        // (`if password.is_empty()`) have none and cost no regex at all.
        if !line.bytes().any(|b| matches!(b, b'=' | b':' | b'>')) {
            return;
        }
        self.scan_assignments(input, line, base, out);
        if contains_ignore_case(line, "key") {
            self.scan_key_suffix(input, line, base, out);
        }
    }

    fn push(
        &self,
        input: &TextInput<'_>,
        span: std::ops::Range<usize>,
        value: &str,
        cls: (Category, &'static str, &'static str),
        confidence: Confidence,
        out: &mut Vec<RawFinding>,
    ) {
        let (category, rule_id, rule_name) = cls;
        let pairing = pair(input, span.clone());
        let mut f = RawFinding::new(rule_id, rule_name, category, confidence, Secret::new(value))
            .with_span(span)
            .with_user(pairing.username)
            .with_system(pairing.system)
            .specificity(if input.hint == TextHint::Prose {
                40
            } else {
                55
            });
        if matches!(
            category,
            Category::Token
                | Category::ApiKey
                | Category::Community
                | Category::PresharedKey
                | Category::PrivateKey
        ) {
            f = f.flag(Flag::NonHuman);
        }
        out.push(f);
    }

    fn scan_assignments(
        &self,
        input: &TextInput<'_>,
        line: &str,
        base: usize,
        out: &mut Vec<RawFinding>,
    ) {
        // Commented-out credentials are read too: they are as real as live ones.
        // A lazy-DFA search; the groups are read by hand (see `assignment_groups`).
        for m in assignment().find_iter(line) {
            if let Some(g) = assignment_groups(line, m.range()) {
                self.consider_assignment(input, line, base, g, out);
            }
        }
        if !line.contains('<') {
            return;
        }
        let has_value_attr = contains_ignore_case(line, "value");
        for (re, applies) in [(xml_element(), true), (app_setting(), has_value_attr)] {
            if !applies || !re.is_match(line) {
                continue;
            }
            for c in re.captures_iter(line) {
                let key = c.name("key").expect("group key").range();
                let value = c.name("value").expect("group value").range();
                let g = AssignmentGroups {
                    key,
                    value,
                    sep: None,
                    key_quoted: false,
                    declared: false,
                };
                self.consider_assignment(input, line, base, g, out);
            }
        }
    }

    /// Judges one `key = value` (or XML element or attribute pair: no separator)
    /// found in `line`.
    fn consider_assignment(
        &self,
        input: &TextInput<'_>,
        line: &str,
        base: usize,
        g: AssignmentGroups,
        out: &mut Vec<RawFinding>,
    ) {
        let xml = g.sep.is_none();
        let key = &line[g.key.clone()];
        let raw_value = &line[g.value.clone()];
        let Some((category, rule_id, rule_name)) = classify_key(key) else {
            return;
        };
        // A bare `pass`/`pw`/`pin` key is too often something else (`<settings
        // pass="oobeSystem">`, `PASS: gdb.base/x.exp` in test logs): its value
        // must look like a password on its own.
        if key.eq_ignore_ascii_case("pass") {
            return; // `PASS: test-name` in every test log
        }
        if ["pw", "pin"].iter().any(|w| key.eq_ignore_ascii_case(w))
            && super::filters::char_classes(unquote(raw_value).0) < 3
        {
            return;
        }
        let sep = g.sep.clone().map_or("", |r| &line[r]);
        // In notes and documents, `word: word` is prose; a value stated there
        // needs a digit, a symbol or mixed case, or quotes.
        if input.hint == TextHint::Prose {
            let (v, quoted) = unquote(raw_value);
            if !quoted && super::filters::char_classes(v) < 2 {
                return;
            }
        }
        // In code, `name: value` is a type annotation, a label or a make rule;
        // only a dictionary literal (`"password": "x"`) states a value.
        if input.hint == TextHint::Code && sep == ":" && (!g.key_quoted || !unquote(raw_value).1) {
            return;
        }
        // In notes and documents the secret word ends the key (`DB password:`);
        // `passwd.master:` in a changelog names a file.
        if input.hint == TextHint::Prose && !ends_with_secret_word(key) {
            return;
        }
        // `key: value` (YAML) has a space or a quote after the colon, `"k":"v"`
        // a quote before it; `io.jsonwebtoken:jjwt` and `scheme:path` do not.
        if let Some(r) = &g.sep
            && sep == ":"
        {
            let after = line[r.end..].chars().next();
            if !g.key_quoted
                && !after.is_some_and(|ch| ch.is_whitespace() || ch == '"' || ch == '\'')
            {
                return;
            }
        }
        let (mut value, quoted) = if xml {
            (raw_value.trim(), true)
        } else {
            unquote(raw_value)
        };
        let mut offset = g.value.start + (raw_value.len() - raw_value.trim_start().len());
        if !xml && quoted {
            offset = g.value.start + 1;
        }
        if !quoted {
            value = value.trim_end_matches([',', ';']);
            if !g.declared && !looks_like_literal(value, input.hint) {
                return;
            }
            // In code, an unquoted word followed by more code is an expression
            // (`$p = ConvertTo-SecureString "..."`), not a value.
            let rest = line[g.value.end..].trim_start();
            if input.hint == TextHint::Code
                && !rest.is_empty()
                && !rest.starts_with(['#', ';', '/'])
            {
                return;
            }
        }
        // "credentials: see the vault" is prose; a credential value is token-like.
        if !acceptable_value(value, category, rule_id == "generic.credential_assignment") {
            return;
        }
        let span = (base + offset)..(base + offset + value.len());
        let confidence = if quoted || input.hint == TextHint::Config {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        self.push(
            input,
            span,
            value,
            (category, rule_id, rule_name),
            confidence,
            out,
        );
    }
}

#[cfg(test)]
mod tests;
