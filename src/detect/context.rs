//! Pairing: the username and system (host) that belong with a secret, from the same
//! line, neighbouring key/value lines, or the enclosing section or block. Used by the
//! key/value and prose detectors; dialect and table detectors know their own structure.

use super::TextInput;
use regex::Regex;
use std::sync::OnceLock;

/// How many lines above and below a secret are searched for its username and host.
const NEIGHBOURHOOD: usize = 4;
/// How far up an ini `[section]` or YAML parent key may be to name the system.
const SECTION_REACH: usize = 60;

/// Username keys in the languages the prose detector reads.
pub const USER_WORDS: &str = r"user(?:[_ .-]?name)?|user[_ .-]?id|uid|login|logon|account|acct|principal|benutzer(?:name)?|anmeldename|utilisateur|identifiant|usuario|usuário|gebruiker(?:snaam)?|användare(?:namn)?|anvandare|użytkownik|uzytkownik|utente|konto|compte";
/// Host/system keys.
pub const HOST_WORDS: &str = r"host(?:[_ .-]?name)?|server(?:[_ .-]?name)?|address|addr|ip(?:[_ .-]?addr(?:ess)?)?|url|uri|endpoint|data[_ ]?source|datasource|system|device|machine|target|station|rechner|gerät|geraet|serveur|servidor";

fn user_same_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[^\w])[\w.\-]*?(?:{USER_WORDS})["']?\s*(?:[:=]|=>)\s*["']?(?P<v>[^\s"';,<>&)]+)"#
        ))
        .expect("static regex")
    })
}

fn user_xml() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(r#"(?i)<(?:{USER_WORDS})>\s*(?P<v>[^<\s]+)\s*</"#))
            .expect("static regex")
    })
}

fn host_same_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[^\w])[\w.\-]*?(?:{HOST_WORDS})["']?\s*(?:[:=]|=>)\s*["']?(?P<v>[^\s"';,<>&)]+)"#
        ))
        .expect("static regex")
    })
}

fn host_xml() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(r#"(?i)<(?:{HOST_WORDS})>\s*(?P<v>[^<\s]+)\s*</"#))
            .expect("static regex")
    })
}

fn ini_section() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"^\s*\[(?P<v>[^\]\r\n]{1,80})\]\s*$").expect("static regex"))
}

fn yaml_parent() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"^(?P<indent>\s*)["']?(?P<v>[A-Za-z0-9_.\- ]{1,60})["']?\s*:\s*\{?\s*$"#)
            .expect("static regex")
    })
}

fn ipv4() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
            .expect("static regex")
    })
}

/// Username and system found around a secret.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pairing {
    pub username: Option<String>,
    pub system: Option<String>,
}

fn clean(v: &str) -> Option<String> {
    let v = v
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\'' | '`' | ',' | ';'));
    if v.is_empty()
        || super::filters::is_not_a_secret(v)
            && !matches!(v.to_ascii_lowercase().as_str(), "admin" | "root")
    {
        return None;
    }
    Some(v.to_string())
}

/// Reduces a URL or connection target to its host: `https://hist01.example.org:8443/x`
/// → `hist01.example.org`.
pub fn host_of(v: &str) -> String {
    let v = v.split_once("://").map(|(_, r)| r).unwrap_or(v);
    let v = v.rsplit_once('@').map(|(_, r)| r).unwrap_or(v);
    let end = v.find(['/', '?', '#']).unwrap_or(v.len());
    let hostport = &v[..end];
    // Keep `host\instance` (SQL Server) but drop a :port.
    match hostport.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !h.is_empty() => h.to_string(),
        _ => hostport.to_string(),
    }
}

fn find_in(
    line: &str,
    plain: &Regex,
    xml: &Regex,
    skip: Option<std::ops::Range<usize>>,
) -> Option<String> {
    for re in [plain, xml] {
        for c in re.captures_iter(line) {
            let m = c.name("v").expect("group v");
            if let Some(s) = &skip
                && m.start() < s.end
                && s.start < m.end()
            {
                continue;
            }
            if let Some(v) = clean(m.as_str()) {
                return Some(v);
            }
        }
    }
    None
}

/// Looks for the username and system of a secret at byte `span` of `input`.
/// Same line first, then the nearest neighbouring lines, then the enclosing section.
pub fn pair(input: &TextInput<'_>, span: std::ops::Range<usize>) -> Pairing {
    let line_no = input.lines.line_of(span.start);
    let lr = input.lines.line_range(input.text, line_no);
    let line = &input.text[lr.clone()];
    let local = (span.start - lr.start)..(span.end.min(lr.end) - lr.start);
    let mut p = Pairing {
        username: find_in(line, user_same_line(), user_xml(), Some(local.clone())),
        system: find_in(line, host_same_line(), host_xml(), Some(local)).map(|h| host_of(&h)),
    };
    let total = input.lines.line_count();
    let indent = line.len() - line.trim_start().len();
    // Neighbours stay inside the secret's block: a blank line, a `[section]` or a line
    // indented less (the parent key) ends the search in that direction.
    let (mut up_open, mut down_open) = (true, true);
    for d in 1..=NEIGHBOURHOOD {
        if p.username.is_some() && p.system.is_some() {
            break;
        }
        for (n, open) in [
            (line_no.checked_sub(d), &mut up_open),
            (Some(line_no + d).filter(|&n| n < total), &mut down_open),
        ] {
            let Some(n) = n else { continue };
            if !*open {
                continue;
            }
            let r = input.lines.line_range(input.text, n);
            let l = &input.text[r];
            let l_indent = l.len() - l.trim_start().len();
            if l.trim().is_empty() || ini_section().is_match(l) || l_indent < indent {
                *open = false;
                continue;
            }
            if p.username.is_none() {
                p.username = find_in(l, user_same_line(), user_xml(), None);
            }
            if p.system.is_none() {
                p.system = find_in(l, host_same_line(), host_xml(), None).map(|h| host_of(&h));
            }
        }
    }
    if p.system.is_none() {
        p.system = enclosing_section(input, line_no, line);
    }
    if p.system.is_none() {
        p.system = ipv4().find(line).map(|m| m.as_str().to_string());
    }
    p
}

/// The nearest `[section]` above, or the YAML/JSON key that encloses this line by
/// indentation.
fn enclosing_section(input: &TextInput<'_>, line_no: usize, line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start().len();
    let start = line_no.saturating_sub(SECTION_REACH);
    for n in (start..line_no).rev() {
        let r = input.lines.line_range(input.text, n);
        let l = &input.text[r];
        if let Some(c) = ini_section().captures(l) {
            return clean(&c["v"]);
        }
        if indent > 0
            && let Some(c) = yaml_parent().captures(l)
            && c["indent"].len() < indent
        {
            let key = c["v"].trim();
            // Generic container names say nothing about the system.
            if matches!(
                key.to_ascii_lowercase().as_str(),
                "credentials"
                    | "auth"
                    | "authentication"
                    | "connection"
                    | "database"
                    | "db"
                    | "spring"
                    | "datasource"
                    | "config"
                    | "settings"
                    | "default"
                    | "production"
                    | "development"
                    | "secrets"
            ) {
                continue;
            }
            return clean(key);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{TextHint, text::LineIndex};

    fn pair_at(text: &str, needle: &str) -> Pairing {
        let lines = LineIndex::new(text);
        let input = TextInput {
            text,
            lines: &lines,
            name: "x.conf",
            hint: TextHint::Config,
        };
        let s = text.find(needle).unwrap();
        pair(&input, s..s + needle.len())
    }

    #[test]
    fn same_line_user_and_host() {
        let p = pair_at(
            "Server=192.0.2.10;User Id=svc_hist;Password=Hist0rian!",
            "Hist0rian!",
        );
        assert_eq!(p.username.as_deref(), Some("svc_hist"));
        assert_eq!(p.system.as_deref(), Some("192.0.2.10"));
    }

    #[test]
    fn neighbouring_lines_and_ini_section() {
        let text =
            "[historian]\nhost = hist01.example.org\nuser = svc_hist\npassword = Hist0rian!\n";
        let p = pair_at(text, "Hist0rian!");
        assert_eq!(p.username.as_deref(), Some("svc_hist"));
        assert_eq!(p.system.as_deref(), Some("hist01.example.org"));
        let text = "[scada_db]\nusername=scada\npassword=Sc4da!\n";
        assert_eq!(pair_at(text, "Sc4da!").system.as_deref(), Some("scada_db"));
    }

    #[test]
    fn yaml_parent_names_the_system() {
        let text = "plc_gateway:\n  login: operator\n  password: \"Op3rator#1\"\n";
        let p = pair_at(text, "Op3rator#1");
        assert_eq!(p.username.as_deref(), Some("operator"));
        assert_eq!(p.system.as_deref(), Some("plc_gateway"));
    }

    #[test]
    fn hosts_from_urls() {
        assert_eq!(
            host_of("https://hist01.example.org:8443/api"),
            "hist01.example.org"
        );
        assert_eq!(host_of("sql01\\SCADA"), "sql01\\SCADA");
    }
}
