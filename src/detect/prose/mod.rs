//! Human passwords written by people for people, the heart of Credence: notes, mails,
//! documents and comments such as `VPN: jdoe / Summer2024!`, `wifi pw is Tr0ub4dor`,
//! `login admin pass admin`, `sa pwd = Sq1Server`, `Passwort für Leitstand: Grün2021`,
//! `mot de passe : Soleil123`. No entropy floor: short human passwords are the point.
//! What keeps it precise is knowing what is *not* a password: prose about passwords
//! ("password must be 12 characters", "forgot password?"), placeholders, masks.

use super::context::pair;
use super::filters::{char_classes, is_not_a_secret};
use super::{Detector, RawFinding, TextInput};
use words::*;

mod words;
use crate::finding::{Category, Confidence};
use crate::ingest::TextHint;
use crate::secret::Secret;
use regex::Regex;
use std::sync::OnceLock;

fn pw_sep_value() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[^\w])(?P<word>{PASSWORD_WORDS})\b(?P<mid>(?:[ \t]+[^\s:=]{{1,24}}){{0,4}}?)[ \t]*(?P<sep>{SEPARATORS})[ \t]*(?P<value><[^>\n]+>|\[[^\]\n]+\]|\{{[^}}\n]+\}}|"[^"\n]+"|'[^'\n]+'|«[^»\n]+»|„[^“\n]+“|`[^`\n]+`|\S+)(?P<after>[ \t]+\S+)?"#
        ))
        .expect("static regex")
    })
}

fn login_pass() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(&format!(
            r#"(?i)(?:^|[^\w])(?:{USER_WORDS})\b[ \t]*[:=]?[ \t]*(?P<user>[^\s/,;:"']+)[ \t]*(?:,|;|/|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\boch\b|\bi\b)?[ \t]*(?:{PASSWORD_WORDS})\b[ \t]*(?:[:=]|\bis\b)?[ \t]*(?P<value>"[^"\n]+"|'[^'\n]+'|\S+)"#
        ))
        .expect("static regex")
    })
}

fn label_user_slash_pass() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r#"^[\s\-*•>]*(?P<label>[\p{L}\p{N}][\p{L}\p{N} ._\-()&]*?)(?:[ \t]*:|[ \t]+[\-–])[ \t]*(?P<user>[\p{L}\p{N}._@\\\-]+)[ \t]+/[ \t]+(?P<value>\S+)[ \t]*$"#,
        )
        .expect("static regex")
    })
}

pub struct ProseDetector;

impl Default for ProseDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl ProseDetector {
    pub fn new() -> Self {
        ProseDetector
    }
}

fn unquote(v: &str) -> (&str, usize) {
    let pairs = [("\"", "\""), ("'", "'"), ("«", "»"), ("„", "“"), ("`", "`")];
    for (open, close) in pairs {
        if v.len() >= open.len() + close.len() && v.starts_with(open) && v.ends_with(close) {
            return (&v[open.len()..v.len() - close.len()], open.len());
        }
    }
    (v, 0)
}

/// Trailing sentence punctuation is not part of the password ("pw is Cisco123.").
fn trim_sentence_end(v: &str) -> &str {
    let t = v.trim_end_matches(['.', ',', ';', ')', ']', '"', '\'', '”', '“']);
    if t.chars().count() >= 3 { t } else { v }
}

/// Could a person have chosen this as a password? `strict` when the separator is a
/// word ("is"): then it must not be a plain lowercase word.
fn plausible(v: &str, strict: bool) -> bool {
    let n = v.chars().count();
    if !(3..=128).contains(&n) || is_not_a_secret(v) {
        return false;
    }
    let lower = v.to_lowercase();
    if STOP_VALUES.contains(&lower.as_str())
        || STOP_VALUES.contains(
            &lower
                .trim_end_matches(['.', ',', '!', '?', ':'])
                .to_string()
                .as_str(),
        )
    {
        return false;
    }
    if v.starts_with("http://") || v.starts_with("https://") || v.starts_with("www.") {
        return false; // "reset your password at https://..."
    }
    if v.ends_with('?') || v.ends_with(':') {
        return false;
    }
    if v.chars().all(|c| !c.is_alphanumeric()) {
        return false;
    }
    // Code read as prose: `pwd = (char *) p`, `$pwd = $_POST[...]`, `env.PASSWORD`.
    if v.starts_with(['(', '$', '"', '\'', '[', '{', '\\'])
        || v.contains("->")
        || v.contains("()")
        || !super::keyvalue::looks_like_literal(v, TextHint::Unknown)
        || (super::filters::is_documentation_example(v) || super::filters::is_filler_value(v))
    {
        return false;
    }
    if strict {
        // "the password is sunshine" is rare; "the password is shared" is common.
        return char_classes(v) >= 2 && n >= 4;
    }
    true
}

impl Detector for ProseDetector {
    fn name(&self) -> &'static str {
        "prose"
    }

    fn keywords(&self) -> Vec<String> {
        [
            // " pin" not "pin": mapping, typing and shipping are not PINs.
            "pass",
            "pwd",
            "pw ",
            "pw:",
            "pw=",
            " pin",
            "pin:",
            "pin=",
            "kennwort",
            "passwort",
            "mot de passe",
            "mdp",
            "contrase",
            "clave",
            "senha",
            "wachtwoord",
            "paswoord",
            "parola",
            "senord",
            "haslo",
            "has\u{142}o",
            "wifi",
            "wlan",
            "schl\u{fc}ssel",
            " / ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn detect(&self, input: &TextInput<'_>, hits: &[usize], out: &mut Vec<RawFinding>) {
        let mut seen_lines: Vec<usize> = Vec::new();
        for &h in hits {
            let n = input.lines.line_of(h);
            // Hits are sorted, so one line's hits are adjacent.
            if seen_lines.last() == Some(&n) {
                continue;
            }
            seen_lines.push(n);
            let lr = input.lines.line_range(input.text, n);
            if lr.len() > 4096 {
                continue; // minified data, not a sentence a person wrote
            }
            let line = &input.text[lr.clone()];
            self.scan_line(input, line, lr.start, out);
        }
    }
}

impl ProseDetector {
    fn scan_line(&self, input: &TextInput<'_>, line: &str, base: usize, out: &mut Vec<RawFinding>) {
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        // Each regex is gated by a cheap `is_match` (a lazy DFA): most lines that hold a
        // keyword hold no statement, and captures are the expensive part.
        // 1. `login admin pass admin`, `user: jdoe, pw: X`
        // In code, `username: str, password: str` is a signature, not a statement.
        let logins = if input.hint != TextHint::Code && login_pass().is_match(line) {
            login_pass().captures_iter(line).collect()
        } else {
            Vec::new()
        };
        for c in logins {
            let user = c.name("user").expect("group").as_str();
            let vm = c.name("value").expect("group");
            if STOP_VALUES.contains(&user.to_lowercase().as_str())
                || is_not_a_secret(user) && user.len() > 3
            {
                continue;
            }
            // "Engineering workstation: login admin pass admin": the label names the system.
            let label = line[..c.get(0).expect("match").start()]
                .trim()
                .strip_suffix(':')
                .map(|l| {
                    l.trim()
                        .trim_start_matches(['-', '*', '•', ' '])
                        .to_string()
                })
                .filter(|l| !l.is_empty() && l.chars().count() <= 40);
            if let Some(f) = self.finding(
                input,
                line,
                base,
                vm,
                false,
                Some(user.to_string()),
                label,
                "prose.login_password",
                "Username and password written together",
            ) {
                taken.push(f.span.clone().expect("span set"));
                out.push(f);
            }
        }
        // 2. `<password word> [for X] <sep> <value>`
        let statements = if pw_sep_value().is_match(line) {
            pw_sep_value().captures_iter(line).collect()
        } else {
            Vec::new()
        };
        for c in statements {
            let vm = c.name("value").expect("group");
            if taken
                .iter()
                .any(|t| t.start <= base + vm.start() && base + vm.start() < t.end)
            {
                continue;
            }
            let mid = c.name("mid").map(|m| m.as_str()).unwrap_or("");
            if mid
                .split_whitespace()
                .any(|w| MID_STOP.contains(&w.to_lowercase().as_str()))
            {
                continue;
            }
            if let Some(after) = c.name("after") {
                let a = after.as_str().trim().to_lowercase();
                if UNIT_WORDS.contains(&a.trim_end_matches(['.', ','])) {
                    continue;
                }
            }
            let sep = c.name("sep").expect("group").as_str();
            let word_sep = sep.chars().all(|ch| ch.is_alphabetic());
            // "password pump id=42": with words in between, `=` belongs to another key.
            if !mid.trim().is_empty() && sep.starts_with('=') {
                continue;
            }
            // In code and configs, "password: x" is the key/value detector's; prose
            // reads sentences there.
            if matches!(input.hint, TextHint::Code | TextHint::Config) && !word_sep {
                continue;
            }
            let word = c.name("word").expect("group");
            // `base-passwd`, `update-passwd.8`, `/etc/passwd`: a name, not the word.
            let glued = |ch: char| matches!(ch, '-' | '.' | '/' | '_');
            let before = line[..word.start()].chars().next_back();
            let mut rest = line[word.end()..].chars();
            let after_glued =
                rest.next().is_some_and(glued) && rest.next().is_some_and(char::is_alphanumeric);
            if before.is_some_and(glued) || after_glued {
                continue;
            }
            let (user, system) = word_before(line, word.start());
            let (user, system) = match mid_subject(mid) {
                Some(s) if system.is_none() => (user, Some(s)),
                _ => (user, system),
            };
            if let Some(f) = self.finding(
                input,
                line,
                base,
                vm,
                word_sep,
                user,
                system,
                "prose.password_statement",
                "Password written in a note or document",
            ) {
                taken.push(f.span.clone().expect("span set"));
                out.push(f);
            }
        }
        // 3. `VPN: jdoe / Summer2024!`
        if line.contains(" / ")
            && let Some(c) = label_user_slash_pass().captures(line)
        {
            let vm = c.name("value").expect("group");
            let user = c.name("user").expect("group").as_str();
            let label = c.name("label").expect("group").as_str().trim();
            let v = vm.as_str();
            // Both sides must look like credentials: "Temp: 20 / 25" is a fraction.
            if label.chars().count() <= 40
                && user.chars().count() <= 64
                && v.chars().count() <= 64
                && !taken
                    .iter()
                    .any(|t| t.start <= base + vm.start() && base + vm.start() < t.end)
                && user.chars().any(|ch| ch.is_alphabetic())
                && char_classes(v) >= 2
                && v.chars().count() >= 6
                && !v
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ',' || ch == '%')
                && let Some(f) = self.finding(
                    input,
                    line,
                    base,
                    vm,
                    true,
                    Some(user.to_string()),
                    Some(label.to_string()),
                    "prose.label_user_password",
                    "System, username and password on one line",
                )
            {
                out.push(f);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        input: &TextInput<'_>,
        line: &str,
        base: usize,
        vm: regex::Match<'_>,
        strict: bool,
        user: Option<String>,
        system: Option<String>,
        rule_id: &'static str,
        rule_name: &'static str,
    ) -> Option<RawFinding> {
        let (inner, open) = unquote(vm.as_str());
        let quoted = open > 0;
        let value = if quoted {
            inner
        } else {
            trim_sentence_end(inner)
        };
        if value.starts_with("//") {
            return None; // the tail of a URL ("reset it at https://..."), not a value
        }
        if !plausible(value, strict && !quoted) {
            return None;
        }
        let _ = line;
        let start = base + vm.start() + open;
        let span = start..start + value.len();
        let p = pair(input, span.clone());
        let confidence = if quoted || char_classes(value) >= 3 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        Some(
            RawFinding::new(
                rule_id,
                rule_name,
                Category::Password,
                confidence,
                Secret::new(value),
            )
            .with_span(span)
            .with_user(user.or(p.username))
            .with_system(system.or(p.system))
            .specificity(45),
        )
    }
}

/// The word right before a password word: an account (`sa pwd`) or a system
/// (`VPN pw`, `HMI Passwort`).
fn word_before(line: &str, word_start: usize) -> (Option<String>, Option<String>) {
    let before = line[..word_start].trim_end();
    let token = before
        .rsplit(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(')
        .next()
        .unwrap_or("")
        .trim_end_matches([':', '-', '\'', 's'].as_ref() as &[char]);
    let token_full = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let t = token_full
        .trim_end_matches([':', '-', ','])
        .trim_end_matches("'s");
    let _ = token;
    if t.is_empty() || t.chars().count() > 40 || !t.chars().any(|c| c.is_alphanumeric()) {
        return (None, None);
    }
    let lower = t.to_lowercase();
    if FILLER_BEFORE.contains(&lower.as_str()) || STOP_VALUES.contains(&lower.as_str()) {
        return (None, None);
    }
    if ACCOUNT_WORDS.contains(&lower.as_str()) {
        (Some(t.to_string()), None)
    } else {
        (None, Some(t.to_string()))
    }
}

/// "password for the HMI:" / "Passwort für Leitstand:" → the subject after for/für/pour.
fn mid_subject(mid: &str) -> Option<String> {
    let words: Vec<&str> = mid.split_whitespace().collect();
    let pos = words.iter().position(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "for"
                | "für"
                | "fuer"
                | "pour"
                | "para"
                | "voor"
                | "för"
                | "dla"
                | "per"
                | "do"
                | "on"
                | "of"
                | "zum"
                | "zur"
                | "du"
                | "de"
        )
    })?;
    let rest: Vec<&str> = words[pos + 1..]
        .iter()
        .copied()
        .filter(|w| !FILLER_BEFORE.contains(&w.to_lowercase().as_str()))
        .collect();
    if rest.is_empty() {
        None
    } else {
        Some(rest.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::LineIndex;

    struct Got {
        secret: String,
        user: Option<String>,
        system: Option<String>,
    }

    fn run(text: &str) -> Vec<Got> {
        let lines = LineIndex::new(text);
        let input = TextInput {
            text,
            lines: &lines,
            name: "notes.txt",
            hint: TextHint::Prose,
        };
        let hits: Vec<usize> = vec![0];
        let mut out = vec![];
        let d = ProseDetector::new();
        // Offer every line.
        let all: Vec<usize> = (0..lines.line_count())
            .map(|l| lines.line_range(text, l).start)
            .collect();
        let _ = hits;
        d.detect(&input, &all, &mut out);
        out.into_iter()
            .map(|f| Got {
                secret: f.secret.expose().to_string(),
                user: f.username,
                system: f.system,
            })
            .collect()
    }

    fn one(text: &str) -> Got {
        let mut g = run(text);
        assert_eq!(
            g.len(),
            1,
            "expected one finding in {text:?}, got {}",
            g.len()
        );
        g.remove(0)
    }

    #[test]
    fn label_user_slash_password() {
        let g = one("VPN: jdoe / Summer2024!");
        assert_eq!(g.secret, "Summer2024!");
        assert_eq!(g.user.as_deref(), Some("jdoe"));
        assert_eq!(g.system.as_deref(), Some("VPN"));
    }

    #[test]
    fn statements_in_many_languages() {
        assert_eq!(one("the wifi pw is Tr0ub4dor&3").secret, "Tr0ub4dor&3");
        assert_eq!(one("Passwort für Leitstand: Grün2021").secret, "Grün2021");
        assert_eq!(
            one("Passwort für Leitstand: Grün2021").system.as_deref(),
            Some("Leitstand")
        );
        assert_eq!(one("mot de passe : Soleil123").secret, "Soleil123");
        assert_eq!(one("contraseña: Verano2023").secret, "Verano2023");
        assert_eq!(one("a senha é Brasil2022").secret, "Brasil2022");
        assert_eq!(one("wachtwoord = Tulp2020!").secret, "Tulp2020!");
        assert_eq!(one("la password è Estate2021").secret, "Estate2021");
        assert_eq!(one("lösenordet: Sommar2021").secret, "Sommar2021");
        assert_eq!(one("hasło: Lato2022!").secret, "Lato2022!");
        assert_eq!(one("Password: admin").secret, "admin");
    }

    #[test]
    fn accounts_and_logins() {
        let g = one("sa pwd = Sq1Server");
        assert_eq!(
            (g.secret.as_str(), g.user.as_deref()),
            ("Sq1Server", Some("sa"))
        );
        let g = one("login admin pass admin");
        assert_eq!(
            (g.secret.as_str(), g.user.as_deref()),
            ("admin", Some("admin"))
        );
        let g = one("user: operator, password: Op3rator!");
        assert_eq!(
            (g.secret.as_str(), g.user.as_deref()),
            ("Op3rator!", Some("operator"))
        );
    }

    #[test]
    fn trailing_punctuation_and_quotes() {
        assert_eq!(one("The new password is Cisco123.").secret, "Cisco123");
        assert_eq!(one("password is \"with space 1\"").secret, "with space 1");
    }

    #[test]
    fn sentences_about_passwords_are_not_passwords() {
        for t in [
            "Your password is incorrect.",
            "The password must be 12 characters long",
            "Forgot password?",
            "Reset your password at https://example.org/reset",
            "password is required",
            "The password is 12 characters long",
            "Password: ********",
            "password: <your password>",
            "password: see vault",
            "Passwords are stored in CyberArk.",
            "The password policy is: 14 characters",
            "password is the same as last year",
            "Ratio: 20 / 25",
            "Temperature: hot / cold",
            "PIN: N/A",
            "Das Passwort ist falsch",
            "the password is shared with the vendor",
            "2024-05-02T07:00:01Z INFO shift password pump id=600421",
        ] {
            let g = run(t);
            assert!(
                g.is_empty(),
                "{t:?} gave {:?}",
                g.iter().map(|g| &g.secret).collect::<Vec<_>>()
            );
        }
    }
}
