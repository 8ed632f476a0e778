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

/// `credence ARGS` inside a fresh network namespace, or under strace recording socket
/// calls, with the engagement helpers' environment (keyring off, passphrase).
fn isolated(tmp: &std::path::Path, wrapper: &[&str], args: &[&str]) -> std::process::Output {
    let mut c = Command::new(wrapper[0]);
    c.args(&wrapper[1..])
        .arg(env!("CARGO_BIN_EXE_credence"))
        .args(args)
        .env("CREDENCE_KEYRING", "off")
        .env("CREDENCE_PASSPHRASE", engagement::PASS)
        .env("CREDENCE_KEY_FILE", tmp.join("fp.key"))
        .env("HOME", tmp);
    c.output().unwrap()
}

#[test]
fn the_whole_flow_runs_in_a_namespace_without_network_and_opens_no_socket() {
    let probe = Command::new("unshare").args(["-n", "true"]).status();
    if !probe.map(|s| s.success()).unwrap_or(false) {
        println!("unshare -n not permitted here (needs root and util-linux): skipped");
        return;
    }
    let strace = Command::new("strace").arg("-V").output().is_ok();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let trace = t.join("trace");
    let trace_arg = format!("{}", trace.display());
    // Every step inside `unshare -n`; under strace too when it is installed (-ff: one
    // trace file per process, named trace.PID).
    let wrapper: Vec<&str> = if strace {
        vec![
            "unshare",
            "-n",
            "strace",
            "-f",
            "-ff",
            "-qq",
            "-e",
            "trace=socket,connect",
            "-o",
            &trace_arg,
        ]
    } else {
        vec!["unshare", "-n"]
    };
    let eng = t.join("offline.credence");
    let e = eng.to_str().unwrap();
    let sample = sample_data();
    let out = |name: &str| t.join(name).display().to_string();
    let (pdf, xlsx, appendix, answers) = (
        out("board.pdf"),
        out("book.xlsx"),
        out("appendix.html"),
        out("answers.json"),
    );
    let steps: Vec<Vec<&str>> = vec![
        vec!["new", e, "--client", "ACME Water", "--site", "Plant 3"],
        vec![
            "scan",
            "-q",
            "-e",
            e,
            "-f",
            "jsonl",
            sample.to_str().unwrap(),
        ],
        vec!["assess", "-e", e, "--target", "PRIVILEGE=2"],
        vec!["assess", "-e", e, "--export-answers", &answers],
        vec!["maturity", "-e", e],
        vec!["metrics", "-e", e],
        vec!["register", "-e", e, "-f", "json"],
        vec![
            "report",
            "-q",
            "-e",
            e,
            "--pdf",
            &pdf,
            "--xlsx",
            &xlsx,
            "--appendix",
            &appendix,
        ],
    ];
    for step in &steps {
        let o = isolated(t, &wrapper, step);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "`credence {}` failed without a network: {}",
            step.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    for f in [&pdf, &xlsx, &appendix] {
        assert!(std::fs::metadata(f).unwrap().len() > 1000, "{f} written");
    }
    let mut calls = Vec::new();
    if strace {
        let mut traced = 0;
        for entry in std::fs::read_dir(t).unwrap().flatten() {
            if entry.file_name().to_string_lossy().starts_with("trace.") {
                traced += 1;
                let text = std::fs::read_to_string(entry.path()).unwrap();
                calls.extend(
                    text.lines()
                        .filter(|l| l.contains("socket(") || l.contains("connect("))
                        .map(str::to_string),
                );
            }
        }
        assert!(traced >= steps.len(), "one trace per process: {traced}");
        assert!(
            calls.is_empty(),
            "the flow touched the network stack:\n{}",
            calls.join("\n")
        );
    }
    println!(
        "offline: {} steps (new, scan, assess, maturity, metrics, register, PDF/XLSX/appendix) \
         inside `unshare -n`{}",
        steps.len(),
        if strace {
            ", 0 socket/connect calls under strace"
        } else {
            " (strace absent: not traced)"
        }
    );
}
