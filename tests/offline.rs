//! Offline: a scan makes no network call. Proven two ways where the machine allows:
//! inside a fresh network namespace (`unshare -n`, root only) the scan gives the same
//! findings as outside, and under strace the process makes no `connect` or `socket`
//! call at all. Each check says so and skips where its tool is unavailable.

mod common;

use common::*;
use std::process::Command;

fn scan_args(out_key: &std::path::Path) -> Vec<String> {
    vec![
        env!("CARGO_BIN_EXE_credence").to_string(),
        "scan".into(),
        "-q".into(),
        "-f".into(),
        "jsonl".into(),
        "--key-file".into(),
        out_key.display().to_string(),
        sample_data().display().to_string(),
    ]
}

#[test]
fn a_scan_in_a_namespace_without_network_finds_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("fp.key");
    let args = scan_args(&key);
    let normal = Command::new(&args[0]).args(&args[1..]).output().unwrap();
    let probe = Command::new("unshare").args(["-n", "true"]).status();
    if !probe.map(|s| s.success()).unwrap_or(false) {
        println!("unshare -n not permitted here (needs root and util-linux): skipped");
        return;
    }
    let isolated = Command::new("unshare")
        .arg("-n")
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(
        isolated.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&isolated.stderr)
    );
    assert_eq!(
        normal.stdout, isolated.stdout,
        "same findings with and without a network"
    );
    println!(
        "offline: {} findings inside `unshare -n`",
        String::from_utf8_lossy(&isolated.stdout).lines().count()
    );
}

#[test]
fn a_scan_opens_no_socket() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("fp.key");
    let trace = tmp.path().join("trace.txt");
    let args = scan_args(&key);
    let run = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .args(&args)
        .output();
    let Ok(out) = run else {
        println!("strace not installed (scripts/setup.sh installs it): skipped");
        return;
    };
    if !trace.exists() {
        println!(
            "strace could not trace here ({}): skipped",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return;
    }
    assert_eq!(out.status.code(), Some(1));
    let calls = std::fs::read_to_string(&trace).unwrap();
    let network: Vec<&str> = calls
        .lines()
        .filter(|l| l.contains("socket(") || l.contains("connect("))
        .collect();
    println!("strace: {} socket/connect calls", network.len());
    assert!(
        network.is_empty(),
        "the scan touched the network stack:\n{}",
        network.join("\n")
    );
}
