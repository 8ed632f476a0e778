//! `credence-bench-incremental`: a first scan of a tree into an engagement against a
//! re-scan of the same, unchanged tree (files skipped by size and mtime), both through
//! the real CLI, printed with their ratio (target: re-scan at least 20x faster).
//!
//! ```text
//! cargo build --release --bins && target/release/credence-bench-incremental [--files 20000] [--mb 400] [--small]
//! ```
//! The tree is the realistic one of `credence-bench` (bench/tree.rs: mixed kinds and
//! sizes, keyword-dense, a planted secret in about one file in forty), kept under the
//! target dir; `--small` generates instead tiny files (~2 KB, 1 in 10 with a credential,
//! mtimes an hour back), where the fixed per-file cost weighs most.
//! The page cache is warmed before timing, so the ratio compares work, not disk.
//! Three measures: the walk alone (listing every folder, then with the folder listings
//! a previous walk kept: the floor under a re-scan); the scan itself in-process
//! (library: `store::scan::run`; the ratio is the cold scan against the median of
//! five re-scans, the first of them also printed alone); and the CLI end to end,
//! where the engagement key is passphrase-wrapped (CREDENCE_KEYRING=off) so one
//! Argon2id unwrap per run (a constant ~0.1-0.3 s) is included in both times.

#[path = "tree.rs"]
#[allow(dead_code)]
mod tree;

/// Same allocator as the `credence` binary, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

fn generate(root: &Path, files: usize) {
    let pad: String = (0..24)
        .map(|l| {
            format!("line {l}: the operators reviewed the maintenance plan for pump station {l}\n")
        })
        .collect();
    let past = SystemTime::now() - Duration::from_secs(3600);
    for i in 0..files {
        let dir = root.join(format!("share{:02}/dept{:02}", i % 23, i % 17));
        std::fs::create_dir_all(&dir).unwrap();
        let (name, text) = if i % 10 == 0 {
            (
                format!("app{i:06}.ini"),
                format!(
                    "[database]\nserver = db{i}.corp.example\nuser = svc_app{i}\npassword = Bq7#kLp2{i}zX\n{pad}"
                ),
            )
        } else {
            (format!("notes{i:06}.txt"), format!("minutes {i}\n{pad}"))
        };
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
}

fn credence() -> Command {
    let exe = std::env::current_exe().unwrap().with_file_name("credence");
    let mut c = Command::new(exe);
    c.env("CREDENCE_KEYRING", "off")
        .env("CREDENCE_PASSPHRASE", "bench passphrase");
    c
}

fn timed_scan(eng: &Path, root: &Path) -> f64 {
    let t = Instant::now();
    let o = credence()
        .args(["scan", "-q", "-f", "jsonl", "-o", "/dev/null", "-e"])
        .arg(eng)
        .arg(root)
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    t.elapsed().as_secs_f64()
}

fn main() {
    let mut files = 20_000usize;
    let mut mb = 400u64;
    let mut small = false;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--files" => files = it.next().and_then(|v| v.parse().ok()).expect("--files N"),
            "--mb" => mb = it.next().and_then(|v| v.parse().ok()).expect("--mb N"),
            "--small" => small = true,
            _ => panic!("usage: credence-bench-incremental [--files N] [--mb N] [--small]"),
        }
    }
    let tmp = tempfile_dir(None);
    let root = if small {
        let root = tmp.join("tree");
        generate(&root, files);
        println!("tree: {files} small files at {}", root.display());
        root
    } else {
        let root = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("target"))
            .join("bench-tree-incremental");
        let st = tree::ensure(&root, mb * 1_000_000, files as u64);
        println!(
            "tree: {} files, {} MB, {} planted, at {}",
            st.files,
            st.bytes / 1_000_000,
            st.planted,
            root.display()
        );
        root
    };
    // Warm the page cache with a bare scan.
    let warm = credence()
        .env("CREDENCE_KEY_FILE", tmp.join("bench.key"))
        .args(["scan", "-q", "-f", "jsonl", "-o", "/dev/null"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(matches!(warm.status.code(), Some(0 | 1)));
    // CREDENCE_BENCH_ONLY=in-process: the in-process scans alone (to profile them).
    let only_in_process = std::env::var("CREDENCE_BENCH_ONLY").is_ok_and(|v| v == "in-process");
    if !only_in_process {
        walk_floor(&root);
    }
    in_process(&tmp, &root);
    if only_in_process {
        let _ = std::fs::remove_dir_all(&tmp);
        return;
    }
    let eng = tmp.join("bench.credence");
    let _ = std::fs::remove_file(&eng);
    let o = credence()
        .arg("new")
        .arg(&eng)
        .args(["--client", "Bench", "--site", "Tree"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cold = timed_scan(&eng, &root);
    let mut again: Vec<f64> = (0..3).map(|_| timed_scan(&eng, &root)).collect();
    again.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let warm_rescan = again[1];
    println!(
        "CLI end to end: first scan {cold:.3} s, unchanged re-scan (median of 3) {warm_rescan:.3} s, ratio {:.1}x",
        cold / warm_rescan
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

fn tempfile_dir(dir: Option<PathBuf>) -> PathBuf {
    let d = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("credence-incremental-{}", std::process::id()))
    });
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The scan work alone, in-process: cold, then unchanged five times (median). The
/// first re-scan after the cold scan is printed on its own: it is always the slowest
/// (the cold scan has just pushed 421 MB through the CPU caches, and a re-scan's stat
/// calls are bound by memory), so a median of three leaned on it and moved with the
/// machine's noise more than with the code.
fn in_process(tmp: &Path, root: &Path) {
    use credence::scan::{Progress, ScanOptions, Scanner};
    use credence::store::{Engagement, NewEngagement, scan::run};
    use credence::vault::{FingerprintKey, engagement::wrap};
    let key = FingerprintKey::random().unwrap();
    let rec = wrap("bench", &key, "bench passphrase").unwrap();
    let path = tmp.join("inproc.credence");
    let meta = NewEngagement {
        client: "Bench".into(),
        site: "Tree".into(),
        ..Default::default()
    };
    let mut eng = Engagement::create(&path, &meta, "bench", &rec).unwrap();
    let scanner = Scanner::new(key).unwrap();
    let opts = ScanOptions {
        roots: vec![std::fs::canonicalize(root).unwrap()],
        ..Default::default()
    };
    let mut time = || {
        let t = Instant::now();
        let cpu = process_cpu();
        let r = run(&mut eng, &scanner, &opts, &Progress::default()).unwrap();
        (
            t.elapsed().as_secs_f64(),
            r.result.summary.files_reused,
            r.result.findings.len(),
            process_cpu() - cpu,
        )
    };
    let (cold, _, n, cold_cpu) = time();
    // More re-scans (CREDENCE_BENCH_RESCANS=40) make a profile of this process mostly
    // the re-scan's.
    let rescans: usize = std::env::var("CREDENCE_BENCH_RESCANS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let mut again: Vec<(f64, u64, usize, f64)> = (0..rescans).map(|_| time()).collect();
    // In the order they ran: the first re-scans after the cold scan are the slowest.
    let order: Vec<String> = again
        .iter()
        .take(12)
        .map(|a| format!("{:.3}", a.0))
        .collect();
    println!("in-process re-scans in order (s): {}", order.join(" "));
    let mut cpu: Vec<f64> = again.iter().map(|a| a.3).collect();
    cpu.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let first_rescan = again[0].0;
    again.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let (warm, reused, m, _) = again[rescans / 2];
    assert_eq!(n, m, "same findings");
    println!(
        "in-process first re-scan after the cold scan: {first_rescan:.3} s, ratio {:.1}x",
        cold / first_rescan
    );
    println!(
        "in-process scan: first {cold:.3} s, unchanged re-scan (median of {rescans}) {warm:.3} s ({reused} files reused, {m} findings), ratio {:.1}x (target >= 20x)",
        cold / warm
    );
    // CPU time moves less than wall time on a shared machine: the steadier figure
    // when comparing two builds.
    println!(
        "in-process CPU (user + system, all threads): first {cold_cpu:.3} s, re-scan (median of {rescans}) {:.3} s",
        cpu[rescans / 2]
    );
}

/// The listing and stat of the tree alone (the walker the scan uses, nothing done per
/// file): the floor under an unchanged re-scan, without and with kept folder listings.
fn walk_floor(root: &Path) {
    use credence::ingest::walk::listing::{KeptListings, ListingCache, Listings};
    use credence::ingest::walk::{WalkOptions, walk_parallel};
    use std::sync::{Arc, Mutex};
    /// Keeps the last walk's listings in memory, encoded as an engagement keeps them
    /// on disk (each walk reads them as a re-scan does).
    #[derive(Default)]
    struct InMemory(Mutex<Option<Vec<u8>>>);
    impl ListingCache for InMemory {
        fn listings(&self, _root: &Path) -> Option<Arc<KeptListings>> {
            let data = self.0.lock().unwrap().clone()?;
            KeptListings::decode(data).map(Arc::new)
        }
        fn keep(&self, _root: &Path, listings: Listings) {
            *self.0.lock().unwrap() = Some(listings.encode());
        }
    }
    let roots = vec![std::fs::canonicalize(root).unwrap()];
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let kept = InMemory::default();
    // More walks (CREDENCE_BENCH_WALKS=400) make a profile of this process mostly the
    // walk's.
    let walks: usize = std::env::var("CREDENCE_BENCH_WALKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    for cache in [None, Some(&kept as &dyn ListingCache)] {
        let (mut times, mut cpu): (Vec<f64>, Vec<f64>) = (0..walks)
            .map(|_| {
                let n = std::sync::atomic::AtomicUsize::new(0);
                let t = Instant::now();
                let cpu = process_cpu();
                walk_parallel(&roots, &WalkOptions::default(), threads, cache, |_| {
                    n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                })
                .unwrap();
                (t.elapsed().as_secs_f64(), process_cpu() - cpu)
            })
            .unzip();
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        cpu.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "walk alone ({threads} walkers, nothing done per file, {}): median of {walks} {:.3} s, CPU {:.3} s",
            if cache.is_some() {
                "unchanged folders not listed again"
            } else {
                "every folder listed"
            },
            times[walks / 2],
            cpu[walks / 2]
        );
    }
}

/// CPU time this process has used so far (user and system, every thread), in seconds.
fn process_cpu() -> f64 {
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage fills `usage` for RUSAGE_SELF; it is read only on success.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: the call succeeded, so `usage` is initialised.
            let u = unsafe { usage.assume_init() };
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            return secs(u.ru_utime) + secs(u.ru_stime);
        }
    }
    0.0
}
