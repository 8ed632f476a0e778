//! Specifications of the key/value detector.
use super::*;
use crate::ingest::text::LineIndex;

fn run(text: &str, name: &str) -> Vec<(String, String, Option<String>)> {
    let lines = LineIndex::new(text);
    let input = TextInput {
        text,
        lines: &lines,
        name,
        hint: TextHint::from_name(name),
    };
    let d = KeyValueDetector::new();
    let hits: Vec<usize> = (0..text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let mut out = vec![];
    d.detect(&input, &hits, &mut out);
    out.into_iter()
        .map(|f| {
            (
                f.rule_id.into_owned(),
                f.secret.expose().to_string(),
                f.username,
            )
        })
        .collect()
}

fn secrets(text: &str, name: &str) -> Vec<String> {
    run(text, name).into_iter().map(|(_, s, _)| s).collect()
}

#[test]
fn assignments_in_many_formats() {
    assert_eq!(
        secrets("db.password=Hist0rian!", "app.properties"),
        ["Hist0rian!"]
    );
    assert_eq!(
        secrets("DB_PASSWORD=\"s3cr3t-Val\"", ".env"),
        ["s3cr3t-Val"]
    );
    assert_eq!(
        secrets("  password: 'Op3rator#1'", "plant.yaml"),
        ["Op3rator#1"]
    );
    assert_eq!(
        secrets("{\"user\": \"svc\", \"password\": \"Js0n!pass\"}", "c.json"),
        ["Js0n!pass"]
    );
    assert_eq!(
        secrets("<Password>Xml#Pass1</Password>", "c.xml"),
        ["Xml#Pass1"]
    );
    assert_eq!(
        secrets(
            "<add key=\"HistorianPassword\" value=\"H1st!2020\" />",
            "web.config"
        ),
        ["H1st!2020"]
    );
    assert_eq!(
        secrets("$Password = \"P0sh!Secret\"", "deploy.ps1"),
        ["P0sh!Secret"]
    );
    assert_eq!(secrets("set DB_PASS=Batch#2019", "run.bat"), ["Batch#2019"]);
    assert_eq!(
        secrets("export API_TOKEN=tk_9f8e7d6c5b4a3210", "env.sh"),
        ["tk_9f8e7d6c5b4a3210"]
    );
    assert_eq!(
        secrets("Kennwort = Leitstand2019", "anlage.ini"),
        ["Leitstand2019"]
    );
}

#[test]
fn references_placeholders_and_policy_keys_are_not_secrets() {
    for (t, n) in [
        ("password = ${DB_PASSWORD}", "a.properties"),
        ("password: \"{{ vault_db_pw }}\"", "a.yaml"),
        ("password=%PASSWORD%", "a.bat"),
        ("password = os.environ['PW']", "a.py"),
        ("password = get_password()", "a.py"),
        ("password = user_password", "a.py"),
        ("password_min_length = 12", "policy.ini"),
        ("password_reset_url: https://example.org/reset", "a.yaml"),
        ("password: !vault |", "a.yaml"),
        ("secret_file = /etc/app/secret.key", "a.ini"),
        ("token_ttl = 3600", "a.ini"),
        ("password=********", "a.ini"),
        ("bypass = true", "a.ini"),
        ("api_key: your-api-key-here", "a.yaml"),
        ("token: bearer", "a.yaml"),
    ] {
        assert!(secrets(t, n).is_empty(), "{t} in {n} should give nothing");
    }
}

#[test]
fn username_is_paired_from_the_same_line_or_neighbours() {
    let got = run("user=svc_hist\npassword=Hist0rian!\n", "hist.ini");
    assert_eq!(got[0].2.as_deref(), Some("svc_hist"));
    let got = run("Server=sql01;User ID=sa;Password=Sq1!admin;", "conn.txt");
    assert!(
        got.iter()
            .any(|(_, s, u)| s == "Sq1!admin" && u.as_deref() == Some("sa"))
    );
}

#[test]
fn key_words_split_at_separators_and_camel_case() {
    assert!(key_has_word("password_min_length", &["min"]));
    assert!(key_has_word("getPassword", &["get"]));
    assert!(key_has_word("credentialsId", &["id"]));
    assert!(key_has_word("IAMUserChangePassword", &["change"]));
    assert!(!key_has_word("admin_password", &["min"]));
    assert!(!key_has_word("DB_PASSWORD", &["id"]));
}

#[test]
fn the_head_word_decides_a_compound_key() {
    assert_eq!(key_words("resetUrlPassword"), ["reset", "url", "password"]);
    assert_eq!(
        key_words("FAIL3_PSQL_PASSWORD"),
        ["fail3", "psql", "password"]
    );
    // A password or secret qualified by the words that only disqualify a head noun.
    for k in [
        "resetUrlPassword",
        "secretarySecret",
        "reset_password",
        "endpoint.secret",
    ] {
        assert!(classify_key(k).is_some(), "{k} holds a secret");
    }
    // The same words as the head, or words that disqualify anywhere: not a secret.
    for k in [
        "passwordResetUrl",
        "secretSecretary",
        "passwordForPassenger",
        "password_min_length",
        "passwordHash",
        "confirmPassword",
    ] {
        assert!(classify_key(k).is_none(), "{k} is about a secret");
    }
}

/// Every line of the project's fixtures and sample data, plus lines built to probe the
/// prefix and boundary choices: the anchored twin reads the same groups as the full
/// `assignment` pattern for every match.
#[test]
fn assignment_groups_read_by_the_twin_match_the_full_pattern() {
    let mut lines: Vec<String> = [
        "password=x",
        " password = x",
        "[password]=x",
        "[pw]: \"x\"",
        "x[password=y",
        "--password=abc",
        "-password=abc",
        "--'password'=abc",
        "opts= --password=abc",
        "set PASS=Secret1",
        "SET  password = x",
        "export  DB_TOKEN=abc123",
        "settoken=abc",
        "$Password = \"x\"",
        "{\"password\":\"x\",\"token\": 'y'}",
        "user=bob password=x token=y",
        "a=password=x",
        "key(password := x)",
        "pw => 'x', secret=>y",
        ">password:x",
        "?token=abc&secret=def",
        "MOT_DE_PASSE=x; kennwort: y, contraseña = z",
        "password.min.length = 14",
        "if password.is_empty() { return Err(Error::MissingPassword); }",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The peer corpus (other scanners' test material, real device configs) when this
    // clone sits beside it; the project's own files carry the test without it.
    for dir in [
        "sample-data",
        "tests/data",
        "tests/expected",
        "src/detect/rules",
        "../shared/peer-corpus",
    ] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                lines.extend(text.lines().map(str::to_string));
            }
        }
    }
    let (mut matches, mut line_count) = (0, 0);
    for line in &lines {
        line_count += 1;
        for m in patterns::assignment().find_iter(line) {
            matches += 1;
            assert_eq!(
                patterns::assignment_groups(line, m.range()),
                patterns::assignment_groups_slow(line, m.start()),
                "groups differ in {line:?}"
            );
        }
    }
    assert!(
        line_count > 1000 && matches > 100,
        "{line_count} lines, {matches} matches"
    );
}

/// Random lines made of the pieces the pattern's choices hinge on (prefixes, quotes,
/// separators, delimiters, secret words): the hand reading and the full pattern agree.
#[test]
fn assignment_groups_agree_with_the_full_pattern_on_random_lines() {
    const PIECES: &[&str] = &[
        "password", "pw", "Token", "secret", "x", "Y1", "export ", "SET ", "set", "$", "-", "--",
        "\"", "'", " ", "\t", "=", ":", ":=", "=>", ",", ";", ")", "]", "[", "<", ">", "{", "}",
        "?", "&", "\\", ".", "_", "key", "api-key",
    ];
    // xorshift64: reproducible without a dependency.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut matches = 0;
    for _ in 0..150_000 {
        let len = 1 + next() % 10;
        let line: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        for m in patterns::assignment().find_iter(&line) {
            matches += 1;
            assert_eq!(
                patterns::assignment_groups(&line, m.range()),
                patterns::assignment_groups_slow(&line, m.start()),
                "groups differ in {line:?}"
            );
        }
    }
    assert!(matches > 5_000, "only {matches} matches");
}
