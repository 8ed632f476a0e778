//! What is not a secret: placeholders, template variables, masks, documentation
//! examples and words. Shared by every detector so a placeholder is a placeholder
//! whether it sits in a config line, a sheet cell or a sentence.

/// Values that stand in for a secret rather than being one (compared lowercased,
/// after trimming quotes and brackets).
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "replaceme",
    "replace_me",
    "todo",
    "tbd",
    "tba",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "blank",
    "redacted",
    "removed",
    "hidden",
    "masked",
    "censored",
    "scrubbed",
    "secret_here",
    "password_here",
    "your_password",
    "yourpassword",
    "your-password",
    "your_password_here",
    "your-password-here",
    "mypassword",
    "my_password",
    "example",
    "sample",
    "dummy",
    "placeholder",
    "xxx",
    "string",
    "value",
    "true",
    "false",
    "yes",
    "no",
    "required",
    "optional",
    "see vault",
    "in vault",
    "see keepass",
    "in keepass",
    "see password manager",
    "ask",
    "ask admin",
    "unknown",
    "unset",
    "not set",
    "same",
    "same as above",
    "see above",
    "default",
    "<removed>",
    "enc",
    "secret123_placeholder",
    "foo",
    "bar",
    "foobar",
    "test",
    "none set",
    "no password",
    "nopass",
    "nopassword",
    "-",
    "--",
    "?",
    "??",
    "???",
    "n.a.",
    "k.a.",
    "keins",
    "aucun",
    "ninguno",
    "nenhum",
    "geen",
    "ingen",
    "brak",
    "siehe keepass",
    "siehe tresor",
    "voir coffre",
    "ver cofre",
    "zie kluis",
];

fn strip_wrapping(v: &str) -> &str {
    let v = v.trim();
    let v = v.trim_matches(|c| matches!(c, '"' | '\'' | '`'));
    v.trim()
}

/// [`PLACEHOLDER_WORDS`] as a set: every candidate secret is looked up, and a credential
/// sheet has a hundred thousand of them.
fn placeholder_words()
-> &'static std::collections::HashSet<&'static str, foldhash::fast::RandomState> {
    static WORDS: std::sync::OnceLock<
        std::collections::HashSet<&'static str, foldhash::fast::RandomState>,
    > = std::sync::OnceLock::new();
    WORDS.get_or_init(|| PLACEHOLDER_WORDS.iter().copied().collect())
}

/// True when `value` is a placeholder, a template or environment reference, a mask,
/// or otherwise not a credential value.
pub fn is_not_a_secret(value: &str) -> bool {
    let v = strip_wrapping(value);
    if v.is_empty() {
        return true;
    }
    // ASCII (nearly every value) lowercases the same without Unicode tables.
    let lower = if v.is_ascii() {
        v.to_ascii_lowercase()
    } else {
        v.to_lowercase()
    };
    if placeholder_words().contains(lower.as_str()) {
        return true;
    }
    // Masks: ****, xxxxxx, ••••, ######, ....., <hidden>
    if v.chars()
        .all(|c| matches!(c, '*' | '•' | '●' | '#' | '.' | '·' | '_' | '-'))
        || (v.len() >= 3 && lower.chars().all(|c| c == 'x'))
    {
        return true;
    }
    // Template and variable references: ${VAR}, $VAR, %VAR%, {{ var }}, <password>,
    // $(cmd), #{var}, @var@, !Ref, [PASSWORD], {password}
    if is_reference(v) {
        return true;
    }
    // An environment-variable name standing in for its value: DB_PASSWORD, AUTH_TOKEN.
    if v.len() >= 4
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && ["PASS", "PWD", "SECRET", "TOKEN", "KEY", "CRED", "AUTH"]
            .iter()
            .any(|w| v.contains(w))
    {
        return true;
    }
    // "your-db-password-here", "insert_password", "enter password"
    if lower.contains("your")
        && (lower.contains("pass")
            || lower.contains("secret")
            || lower.contains("key")
            || lower.contains("token"))
        || lower.starts_with("insert")
        || lower.starts_with("enter ")
        || lower.starts_with("enter_")
        || lower.ends_with("_here")
        || lower.ends_with("-here")
        || lower.contains("placeholder")
        || lower.contains("redacted")
        || lower.contains("changeme")
    {
        return true;
    }
    false
}

/// Template, environment and configuration-management references.
pub fn is_reference(v: &str) -> bool {
    let b = v.as_bytes();
    let first = b.first().copied().unwrap_or(0);
    let last = b.last().copied().unwrap_or(0);
    if v.starts_with("${")
        || v.starts_with("$$")
        || v.starts_with("$(")
        || v.starts_with("#{")
        || v.starts_with("{{")
        || v.starts_with("<%")
    {
        return true;
    }
    if first == b'$' && v.len() > 1 {
        // `$DB_PASS`, `$env_pw`, `$dbPassword` are variables; `$ecret9` is a password.
        let rest = &v[1..];
        let identifier = rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        let lower = rest.to_ascii_lowercase();
        if identifier
            && (rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                || rest.contains('_')
                || ["pass", "pwd", "secret", "key", "token", "cred", "env"]
                    .iter()
                    .any(|w| lower.contains(w)))
        {
            return true;
        }
    }
    if first == b'%' && last == b'%' && v.len() > 2 && !v[1..v.len() - 1].contains(' ') {
        return true;
    }
    if first == b'<' && last == b'>' {
        return true;
    }
    if first == b'@' && last == b'@' && v.len() > 2 {
        return true;
    }
    if (first == b'[' && last == b']') || (first == b'{' && last == b'}') {
        // `{AQAAABAAAA...}` is a Jenkins-encrypted secret, not a template: a long
        // random-looking body in braces is a value.
        let inner = &v[1..v.len() - 1];
        let randomish = inner.len() >= 20 && !inner.contains(' ') && char_classes(inner) >= 3;
        return !randomish;
    }
    if v.starts_with("%env(")
        || v.starts_with("$env:")
        || v.starts_with("${env:")
        || v.starts_with("$Env:")
        || v.starts_with("$ENV{")
    {
        return true;
    }
    if v.starts_with("!Ref")
        || v.starts_with("!Sub")
        || v.starts_with("!GetAtt")
        || v.starts_with("!Secret")
    {
        return true;
    }
    if v.starts_with("env:")
        || v.starts_with("ENV[")
        || v.starts_with("vault:")
        || v.starts_with("secret:")
        || v.contains("os.environ")
        || v.contains("getenv(")
        || v.contains("process.env")
        || v.contains("Environment.GetEnvironmentVariable")
    {
        return true;
    }
    false
}

/// Well-known example values from vendor documentation (AWS's own examples and the
/// like): reported by nobody, because they are in every tutorial.
/// Filler that tutorials and test suites put in secret-shaped slots (`1234567890`,
/// `abcdefghij`, `xxxxxxxx`, ten identical characters). Applied to generic
/// detections only: a vendor-prefixed token is reported even when its body is filler.
pub fn is_filler_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if [
        "1234567890",
        "abcdefghij",
        "xxxxxxxx",
        "##########",
        "open_sesame",
        "open sesame",
    ]
    .iter()
    .any(|f| lower.contains(f))
    {
        return true;
    }
    // A run of ten identical characters in a short value (long key blocks may have them).
    v.len() < 100 && has_run(v, 10)
}

pub fn is_documentation_example(v: &str) -> bool {
    let upper = v.to_ascii_uppercase();
    upper.contains("EXAMPLE")
        || v == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        || upper.contains("XXXXXXXX")
        || v.starts_with("sk_test_") && v.contains("4eC39HqLyjWDarjtT1zdp7dc")
}

fn has_run(v: &str, n: usize) -> bool {
    let mut prev = None;
    let mut run = 0;
    for c in v.chars() {
        run = if Some(c) == prev { run + 1 } else { 1 };
        if run >= n {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// How many of lowercase, uppercase, digit and other characters a value uses.
pub fn char_classes(v: &str) -> usize {
    let lower = v.chars().any(|c| c.is_lowercase());
    let upper = v.chars().any(|c| c.is_uppercase());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let other = v.chars().any(|c| !c.is_alphanumeric());
    [lower, upper, digit, other].iter().filter(|&&b| b).count()
}

/// True when every character repeats one or two symbols (`aaaaaaa`, `121212`): not a
/// credential anyone uses, usually filler.
pub fn is_filler(v: &str) -> bool {
    let mut distinct: Vec<char> = Vec::new();
    for c in v.chars() {
        if !distinct.contains(&c) {
            distinct.push(c);
            if distinct.len() > 2 {
                return false;
            }
        }
    }
    v.chars().count() >= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_secrets() {
        for p in [
            "<password>",
            "${DB_PASS}",
            "%PASSWORD%",
            "{{ vault_pw }}",
            "your-password-here",
            "********",
            "xxxx",
            "redacted",
            "N/A",
            "TBD",
            "see vault",
            "'changeme'",
            "$PASS",
            "!Ref DbPassword",
            "os.environ['PW']",
            "<removed>",
            "[PASSWORD]",
            "{password}",
            "Siehe KeePass",
            "•••••••",
        ] {
            assert!(is_not_a_secret(p), "{p} should be a placeholder");
        }
    }

    #[test]
    fn real_looking_values_pass() {
        for s in [
            "Summer2024!",
            "Cisco123",
            "admin",
            "s3cr3t-Val",
            "Pa$$w0rd",
            "4711",
            "$ecret9",
        ] {
            assert!(!is_not_a_secret(s), "{s} should not be filtered");
        }
    }

    #[test]
    fn documentation_examples() {
        assert!(is_documentation_example("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_documentation_example("AKIAZ3MSQLXWN5QE2DVB"));
    }
}
