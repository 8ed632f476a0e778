//! Shared by the integration tests: the sample engagement and its EXPECTED list.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample_data() -> PathBuf {
    repo().join("sample-data")
}

/// One planted credential from tests/expected/sample-data.tsv.
#[derive(Debug, Clone)]
pub struct Planted {
    pub path: String,
    pub place: String,
    pub category: String,
    pub username: String,
    pub system: String,
    pub flags: Vec<String>,
    pub secret: String,
}

pub fn expected() -> Vec<Planted> {
    let text = std::fs::read_to_string(repo().join("tests/expected/sample-data.tsv"))
        .expect("tests/expected/sample-data.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(
                c.len(),
                7,
                "tests/expected/sample-data.tsv line needs 7 TAB-separated columns: {l}"
            );
            Planted {
                path: c[0].into(),
                place: c[1].into(),
                category: c[2].into(),
                username: c[3].into(),
                system: c[4].into(),
                flags: if c[5] == "-" {
                    vec![]
                } else {
                    c[5].split(',').map(|s| s.trim().to_string()).collect()
                },
                secret: c[6].into(),
            }
        })
        .collect()
}

/// The `where` column of a finding: `L<line>`, `Sheet!A1`, with `member:` before it.
pub fn place_of(f: &credence::Finding) -> String {
    // Cells are cited by their table (a sheet, or a document table's label).
    let table = f.sheet.as_ref().or(f.label.as_ref());
    let inner = match (table, &f.cell, f.line) {
        (Some(t), Some(c), _) => format!("{t}!{c}"),
        (_, None, Some(l)) => format!("L{l}"),
        (Some(s), None, None) if f.sheet.is_some() => format!("{s}!-"),
        _ => "-".into(),
    };
    match &f.member {
        Some(m) => format!("{m}:{inner}"),
        None => inner,
    }
}

/// Words every output uses (rule ids and names, categories, flags): a planted secret
/// that is one of them (the SNMP community `private` in "PEM private key") cannot be
/// told apart from the vocabulary, so it is not searched for.
fn output_vocabulary() -> String {
    let mut v = String::new();
    for r in credence::detect::rules::RuleSet::builtin()
        .expect("rules load")
        .rules
    {
        v.push_str(&format!(
            "{} {} {}\n",
            r.spec.id, r.spec.name, r.spec.category
        ));
    }
    v.push_str("reversible default weak privileged non_human hashed stale hidden credential_store preshared_key connection_string cloud_credential");
    v
}

/// Planted secrets worth searching outputs for: long enough not to occur by chance,
/// not also shown legitimately as a username or system (`admin`/`admin`), and not a
/// word of the output's own vocabulary.
pub fn searchable_secrets() -> Vec<String> {
    let planted = expected();
    let vocabulary = output_vocabulary();
    let mut out: Vec<String> = planted
        .iter()
        .filter(|p| p.secret != "*" && p.secret.chars().count() >= 6)
        .filter(|p| !vocabulary.contains(&p.secret))
        .filter(|p| {
            !planted
                .iter()
                .any(|q| q.username == p.secret || q.system == p.secret)
        })
        .map(|p| p.secret.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

// The leak search (encodings of a secret, byte search) is shared with the desktop
// crate's tests, which include the same file by path.
mod leak;
pub use leak::{contains, encodings};

pub mod dialect;
pub mod engagement;
pub mod report;
pub mod risk;

/// The fingerprint key of [`scan_files`], for tests that compare fingerprints.
pub const SCAN_KEY: [u8; 32] = [7; 32];

/// Writes `files` (name, bytes; names may hold folders) into a fresh folder and scans
/// it with the built-in scanner under `limits`. A rule set that fails to load fails the
/// test: no silent fallback to fewer detectors.
pub fn scan_files(
    files: &[(&str, Vec<u8>)],
    limits: credence::ingest::Limits,
) -> (Vec<credence::Finding>, credence::scan::Summary) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let scanner =
        credence::scan::Scanner::new(credence::vault::FingerprintKey::from_bytes(SCAN_KEY))
            .expect("built-in rules load");
    let r = scanner
        .scan(&credence::scan::ScanOptions {
            roots: vec![dir.path().to_path_buf()],
            limits,
            ..Default::default()
        })
        .unwrap();
    (r.findings, r.summary)
}
