//! `credence-bench`: throughput and memory of `credence scan` against ripgrep on the
//! same synthetic tree, in the same run, printed as ratios (never asserted).
//!
//! ```text
//! cargo build --release --bins && target/release/credence-bench [--tree DIR] [--mb 1100] [--files 24000]
//! ```
//! The tree (config, notes, code and logs with planted secrets) is generated once,
//! deterministically, and reused while its recipe version is unchanged. Both tools run
//! warm: ripgrep once to load the page cache, then each is timed. Peak RSS of the
//! credence child process comes from `getrusage(RUSAGE_CHILDREN)`.

mod tree;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

struct Args {
    tree: PathBuf,
    /// Measure an existing tree as it is (never generated or modified).
    real: Option<PathBuf>,
    mb: u64,
    files: u64,
    runs: u32,
}

fn parse_args() -> Args {
    let mut a = Args {
        tree: std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"))
            .join("bench-tree"),
        mb: 1100,
        files: 24_000,
        runs: 3,
        real: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--tree" => a.tree = PathBuf::from(v()),
            "--mb" => a.mb = v().parse().expect("--mb N"),
            "--files" => a.files = v().parse().expect("--files N"),
            "--runs" => a.runs = v().parse().expect("--runs N"),
            "--real" => a.real = Some(PathBuf::from(v())),
            "-h" | "--help" => {
                println!(
                    "credence-bench [--tree DIR] [--mb N] [--files N] [--runs N] | --real DIR"
                );
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// Peak resident set of the largest child waited for so far, in MB.
fn children_peak_rss_mb() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct we pass; no other invariants.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru.ru_maxrss as f64 / 1024.0
    }
}

/// Best of `runs` wall-clock times of a command, in seconds.
fn time_best(runs: u32, mut cmd: impl FnMut() -> Command) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let status = cmd()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("command runs");
        let secs = t.elapsed().as_secs_f64();
        // credence exits 1 when it finds something; rg exits 0/1 likewise.
        assert!(
            status.code().is_some_and(|c| c <= 1),
            "command failed: {status}"
        );
        best = best.min(secs);
    }
    best
}

fn credence_cmd(bin: &Path, root: &Path, key: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args(["scan", "-q", "-f", "jsonl", "-o", "/dev/null"])
        .arg(root)
        .env("CREDENCE_KEY_FILE", key);
    c
}

fn main() {
    let args = parse_args();
    let exe_dir = std::env::current_exe()
        .expect("own path")
        .parent()
        .expect("dir")
        .to_path_buf();
    let credence = exe_dir.join("credence");
    assert!(
        credence.exists(),
        "build the CLI first: cargo build --release --bins"
    );
    let (root, stats) = match &args.real {
        Some(dir) => (dir.clone(), tree::measure(dir)),
        None => (
            args.tree.clone(),
            tree::ensure(&args.tree, args.mb * 1_000_000, args.files),
        ),
    };
    let mb = stats.bytes as f64 / 1e6;
    println!(
        "tree: {} ({} files, {:.0} MB, {} planted secrets)",
        root.display(),
        stats.files,
        mb,
        stats.planted
    );
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!(
        "machine: {cores} cores; best of {} warm runs each",
        args.runs
    );

    let key = std::env::temp_dir().join(format!("credence-bench-{}.key", std::process::id()));
    let rg_available = Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok();
    let rg = |root: &Path| {
        let mut c = Command::new("rg");
        c.args([
            "--no-ignore",
            "--hidden",
            "-i",
            "-c",
            "password|passwd|pwd|secret|token|key",
        ])
        .arg(root);
        c
    };
    // Warm the page cache with one untimed pass.
    if rg_available {
        let _ = rg(&root).stdout(Stdio::null()).status();
    }
    let _ = credence_cmd(&credence, &root, &key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();

    // Half the files (the generated tree's `a/`) show that memory does not grow with
    // the file count; a real tree has no halves, so the whole tree stands in.
    let half = if args.real.is_some() {
        root.clone()
    } else {
        root.join("a")
    };
    let t_half = time_best(1, || credence_cmd(&credence, &half, &key));
    let rss_half = children_peak_rss_mb();
    let t_cred = time_best(args.runs, || credence_cmd(&credence, &root, &key));
    let rss_full = children_peak_rss_mb();
    let cred_mbs = mb / t_cred;
    println!(
        "credence scan:     {t_cred:>7.2} s  {cred_mbs:>7.1} MB/s  {:>7.0} files/s",
        stats.files as f64 / t_cred
    );
    println!(
        "credence peak RSS: {rss_full:>7.1} MB (half the files: {rss_half:.1} MB in {t_half:.2} s)"
    );
    if rg_available {
        let t_rg = time_best(args.runs, || rg(&root));
        let rg_mbs = mb / t_rg;
        println!("ripgrep keywords:  {t_rg:>7.2} s  {rg_mbs:>7.1} MB/s");
        println!(
            "ratio credence/ripgrep throughput: {:.2}x (target >= 0.5x)",
            cred_mbs / rg_mbs
        );
    } else {
        println!("ripgrep not installed: no reference (scripts/setup.sh installs it)");
    }
    let _ = std::fs::remove_file(&key);
}
