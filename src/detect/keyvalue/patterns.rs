//! The regular expressions of the key/value detector, each compiled once.

use super::words::SECRET_KEY_WORDS;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[\s{{,(;&?\[>])(?:(?P<decl>export\s+|set\s+)|\$|--|-)?["']?(?P<key>[A-Za-z0-9_.\-\[\]]*?(?:{SECRET_KEY_WORDS})[A-Za-z0-9_.\-\]]*)(?P<q>["']?)\s*(?P<sep>:=|=>|=|:)\s*(?P<value>"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'<>,;}}\])]+(?:[;,)\]][^\s"'<>,;}})\]]+)*)"#
        ))
        .expect("static regex")
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
