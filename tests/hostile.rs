//! The hostile corpus (issue 9): inputs nobody vetted, generated here (nothing large is
//! committed), each scanned by the real `credence` binary in a child process.
//!
//! A case *survives* when the scan completes (exit 0 or 1, no signal, no panic text),
//! the hostile file gets a per-file reason naming what was wrong, an ordinary file next
//! to it (`canary.txt`) is still found, and the child's peak RSS stays under 1 GiB
//! (measured with `wait4`, printed). The test prints the table the closing note quotes.
#![cfg(target_os = "linux")]

mod hostile_cases;

use hostile_cases::{Case, all_cases};
use std::ffi::OsString;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Peak resident set size every case must stay under.
const RSS_LIMIT_KIB: i64 = 1024 * 1024;
/// A hang is a failure, not a stuck CI job.
const CASE_TIMEOUT: Duration = Duration::from_secs(300);

struct Outcome {
    exit_code: Option<i32>,
    signal: Option<i32>,
    peak_rss_kib: i64,
    output: String,
    stderr: String,
    seconds: f64,
}

/// Run the CLI on `dir` under GNU time, which reports the scan's own peak RSS (a
/// `wait4` from this process would also count the test harness: a spawned child
/// inherits its parent's high-water mark at exec). The whole process group is killed
/// after `CASE_TIMEOUT`.
fn run_scan(dir: &Path, case: &Case, work: &Path) -> Outcome {
    let out_file = work.join(format!("{}.out", case.name));
    let err_file = work.join(format!("{}.err", case.name));
    let rss_file = work.join(format!("{}.rss", case.name));
    let key_file = work.join(if case.as_unprivileged {
        "unprivileged.key"
    } else {
        "scan.key"
    });
    let mut args: Vec<OsString> = vec![
        "-f".into(),
        "%M".into(),
        "-o".into(),
        rss_file.clone().into(),
    ];
    if case.as_unprivileged {
        // Root reads everything: an unreadable file is only unreadable to a normal user.
        args.extend(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]
            .map(OsString::from),
        );
    }
    args.push(env!("CARGO_BIN_EXE_credence").into());
    args.extend(["scan".into(), dir.into(), "-q".into()]);
    args.extend(["--format", "table", "--no-color", "-o"].map(OsString::from));
    args.push(out_file.clone().into());
    args.push("--key-file".into());
    args.push(key_file.into());
    args.extend(case.args.iter().map(OsString::from));

    let started = Instant::now();
    let mut child = Command::new("/usr/bin/time")
        .args(&args)
        .env("HOME", work)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .expect("GNU time (apt package `time`) runs the scan");
    let group = child.id() as libc::pid_t;
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(CASE_TIMEOUT).is_err() {
            // SAFETY: kill(2) of the process group we created, not yet reaped.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
    });
    let status = child.wait().unwrap();
    let _ = done_tx.send(());
    watchdog.join().unwrap();
    let stderr = std::fs::read_to_string(&err_file).unwrap_or_default();
    // GNU time exits with the command's status, or 128 + signal when it was killed.
    let code = status.code();
    let signal = status
        .signal()
        .or(code.filter(|c| *c > 128).map(|c| c - 128));
    let peak_rss_kib = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last()?.trim().parse().ok())
        .unwrap_or(i64::MAX);
    Outcome {
        exit_code: code.filter(|_| signal.is_none()),
        signal,
        peak_rss_kib,
        output: std::fs::read_to_string(&out_file).unwrap_or_default(),
        stderr,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Every reason that makes `case` fail; empty when it survived.
fn failures(case: &Case, o: &Outcome) -> Vec<String> {
    let mut why = Vec::new();
    if let Some(sig) = o.signal {
        why.push(format!("killed by signal {sig} (timeout or crash)"));
    }
    if !matches!(o.exit_code, Some(0) | Some(1)) && o.signal.is_none() {
        why.push(format!("exit code {:?}: {}", o.exit_code, o.stderr.trim()));
    }
    for text in [&o.output, &o.stderr] {
        if text.contains("panicked") || text.contains("parser panic") {
            why.push("a panic (caught or not) was reported".into());
        }
    }
    if !o.output.contains("canary.txt") {
        why.push("the ordinary file next to the hostile one was not found".into());
    }
    let summary: Vec<&str> = o
        .output
        .lines()
        .skip_while(|l| !l.starts_with("Summary:"))
        .collect();
    for (path, reason) in &case.expect {
        let hit = summary
            .iter()
            .any(|l| l.contains(path.as_str()) && l.contains(reason.as_str()));
        if !hit {
            why.push(format!("no per-file reason '{reason}' for '{path}'"));
        }
    }
    for path in &case.found {
        let listed = o
            .output
            .lines()
            .take_while(|l| !l.starts_with("Summary:"))
            .any(|l| l.contains(path.as_str()));
        if !listed {
            why.push(format!("no finding in '{path}'"));
        }
    }
    if o.peak_rss_kib >= RSS_LIMIT_KIB {
        why.push(format!("peak RSS {} MiB", o.peak_rss_kib / 1024));
    }
    why
}

#[test]
fn every_hostile_case_ends_in_a_completed_scan_with_a_reason() {
    let work = tempfile::tempdir().unwrap();
    // The unprivileged child must be able to enter the case folders and write its output.
    set_mode(work.path(), 0o777);
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for case in all_cases() {
        let dir = work.path().join(&case.name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(
            dir.join("canary.txt"),
            format!("password = Canary-{}-9xQ!\n", case.name.len()),
        )
        .unwrap();
        let during = match (case.build)(&dir) {
            Ok(during) => during,
            Err(reason) => {
                println!("{:<34} not tried here: {reason}", case.name);
                continue;
            }
        };
        let outcome = run_scan(&dir, &case, work.path());
        drop(during); // stops writers that ran during the scan
        let why = failures(&case, &outcome);
        rows.push(format!(
            "{:<34} {:>5.1} s  {:>5} MiB  {}",
            case.name,
            outcome.seconds,
            outcome.peak_rss_kib / 1024,
            if why.is_empty() {
                "survived".to_string()
            } else {
                format!("FAILED: {}", why.join("; "))
            }
        ));
        if !why.is_empty() {
            failed.push(case.name.clone());
        }
        // Big cases free their disk before the next one is generated.
        make_removable(&dir);
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("\nhostile case                          time   peak RSS  result");
    for r in &rows {
        println!("{r}");
    }
    println!(
        "hostile cases tried {} / survived {}",
        rows.len(),
        rows.len() - failed.len()
    );
    assert!(failed.is_empty(), "cases that did not survive: {failed:?}");
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Undo the permission cases so the folder can be deleted.
fn make_removable(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_dir() {
            set_mode(e.path(), 0o755);
        }
    }
}
