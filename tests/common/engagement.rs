//! Running the CLI against engagement files, with the keyring turned off so the key is
//! passphrase-wrapped (deterministic on any machine) and HOME in a temp dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PASS: &str = "correct horse battery staple";

pub fn cmd(tmp: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_credence"));
    c.env("CREDENCE_KEYRING", "off")
        .env("CREDENCE_PASSPHRASE", PASS)
        .env("CREDENCE_KEY_FILE", tmp.join("fp.key"))
        .env("HOME", tmp);
    c
}

pub fn run(tmp: &Path, args: &[&str]) -> Output {
    cmd(tmp).args(args).output().expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Creates an engagement file `name` in `tmp`.
pub fn new_engagement(tmp: &Path, name: &str) -> PathBuf {
    let f = tmp.join(name);
    let o = run(
        tmp,
        &[
            "new",
            f.to_str().unwrap(),
            "--client",
            "ACME Water",
            "--site",
            "Plant 3",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "new failed: {}", stderr(&o));
    f
}

/// `credence scan -q -e FILE ROOT... -f jsonl`, asserting it ran (exit 0 or 1).
pub fn scan(tmp: &Path, eng: &Path, roots: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["scan", "-q", "-e", eng.to_str().unwrap(), "-f", "jsonl"];
    args.extend_from_slice(extra);
    for r in roots {
        args.push(r.to_str().unwrap());
    }
    let o = run(tmp, &args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "scan failed: {}",
        stderr(&o)
    );
    o
}

/// Rows of a query on the engagement file, each column as text.
pub fn rows(eng: &Path, sql: &str) -> Vec<Vec<String>> {
    let c = rusqlite::Connection::open(eng).unwrap();
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| {
        (0..n)
            .map(|i| {
                let v: rusqlite::types::Value = r.get(i)?;
                Ok(match v {
                    rusqlite::types::Value::Null => String::new(),
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Blob(b) => hex::encode(b),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

pub fn one(eng: &Path, sql: &str) -> String {
    rows(eng, sql).remove(0).remove(0)
}
