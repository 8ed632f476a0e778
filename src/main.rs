//! The `credence` command line: parses arguments, calls one library function, shapes
//! the answer. No detection logic lives here.
//!
//! Exit codes: 0 = scan finished, no findings; 1 = scan finished with findings;
//! 2 = usage or fatal error (bad arguments, missing path, unreadable key, an engagement
//! file that cannot be opened, a wrong passphrase). `findings` and `diff` also exit 1
//! when they list something.

mod cli;

/// The binaries' allocator is mimalloc: a scan allocates millions of small,
/// short-lived strings, and glibc malloc spent about a fifth of a credential
/// sheet's scan in its own upkeep (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use credence::report::{self, Format};
use credence::scan::{NoSink, Progress, ScanOptions, Scanner};
use credence::vault::FingerprintKey;
use credence::{Confidence, ingest::walk::WalkOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "credence",
    version,
    about = "Find the credentials embedded in a site's files and say how bad each one is. Offline; secrets are never shown or stored, only masked previews and keyed fingerprints."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and folders for embedded credentials.
    Scan(ScanArgs),
    /// List the built-in detection rules.
    Rules,
    /// Create an engagement file (`*.credence`) for a client site.
    New(cli::engagement::NewArgs),
    /// List an engagement's findings with triage, filtered.
    Findings(cli::engagement::FindingsArgs),
    /// Set the triage status of findings.
    Triage(cli::engagement::TriageArgs),
    /// Findings new, gone and changed between two scans of an engagement.
    Diff(cli::engagement::DiffArgs),
    /// List or edit an engagement's zones and zone rules.
    Zones(cli::engagement::ZonesArgs),
    /// The leadership numbers from the identity graph.
    Metrics(cli::engagement::MetricsArgs),
    /// The identity graph as DOT, GraphML or JSON.
    Graph(cli::engagement::GraphArgs),
    /// An engagement's metadata and scans.
    Scans(cli::EngagementOpt),
    /// Export or import an engagement's key (to move it to another machine).
    Key(cli::key::KeyArgs),
    /// The guided maturity questionnaire (resumable; answers import/export, targets).
    Assess(cli::assess::AssessArgs),
    /// Maturity results: levels per domain, gaps, contradictions, trend.
    Maturity(cli::assess::MaturityArgs),
    /// Check or list maturity model templates.
    Templates(cli::assess::TemplatesArgs),
    /// The prioritised risk register (regenerated from the evidence); edit or add risks.
    Register(cli::register::RegisterArgs),
    /// The board PDF, the XLSX workbook, the technical appendix, the register as CSV/JSON.
    Report(cli::report::ReportArgs),
}

#[derive(Args)]
struct ScanArgs {
    /// Files or folders to scan (several roots allowed).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "jsonl", "sarif", "csv"])]
    format: String,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only scan paths matching this glob (repeatable; `*.cfg` matches at any depth).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Skip paths matching this glob (repeatable; a folder name skips the folder).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Largest file read, e.g. 256M, 1G, 500k (bigger files are skipped with a reason).
    #[arg(long, default_value = "256M", value_parser = parse_size)]
    max_size: u64,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Report only findings of at least this confidence (low, medium, high).
    #[arg(long, default_value = "low")]
    min_confidence: Confidence,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    follow_symlinks: bool,
    /// Fingerprint key file (default: per-user key in the config directory, created
    /// on first use; env CREDENCE_KEY_FILE).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// Scan into this engagement file: findings persisted, unchanged files skipped, an
    /// interrupted scan resumed; fingerprints use the engagement key. `--project` is
    /// the name DESIGN.md's contract uses.
    #[arg(long, short = 'e', value_name = "FILE", visible_alias = "project")]
    engagement: Option<PathBuf>,
    /// Passphrase file for an engagement key protected by a passphrase (else
    /// CREDENCE_PASSPHRASE).
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// No progress bar and no summary on standard error.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// No colours in the table.
    #[arg(long)]
    no_color: bool,
}

/// Parses `256M`, `1G`, `500k`, `1024` into bytes.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&s[..s.len() - 1], 1024u64),
        Some('M') => (&s[..s.len() - 1], 1024 * 1024),
        Some('G') => (&s[..s.len() - 1], 1024 * 1024 * 1024),
        _ => (s, 1),
    };
    num.trim()
        .parse::<u64>()
        .map(|n| n * mult)
        .map_err(|_| format!("'{s}' is not a size (e.g. 256M, 1G, 500k)"))
}

fn main() {
    install_panic_hook();
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("credence: error: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

/// A panic message can quote the data being parsed (a string slice error prints the
/// string), so the hook prints where it happened and never the payload.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown location".into());
        let thread = std::thread::current();
        eprintln!(
            "credence: internal error in thread '{}' at {at} (details withheld: they may quote scanned data)",
            thread.name().unwrap_or("?")
        );
    }));
}

fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Rules => {
            let rules = credence::detect::rules::RuleSet::builtin()?;
            for r in &rules.rules {
                println!(
                    "{:<40} {:<18} {:<7} {}",
                    r.spec.id,
                    r.spec.category.as_str(),
                    r.spec.confidence.as_str(),
                    r.spec.name
                );
            }
            Ok(0)
        }
        Command::New(a) => cli::engagement::new(a),
        Command::Findings(a) => cli::engagement::findings(a),
        Command::Triage(a) => cli::engagement::triage(a),
        Command::Diff(a) => cli::engagement::diff(a),
        Command::Zones(a) => cli::engagement::zones(a),
        Command::Metrics(a) => cli::engagement::metrics(a),
        Command::Graph(a) => cli::engagement::graph(a),
        Command::Scans(a) => cli::engagement::scans(a),
        Command::Key(a) => cli::key::run(a),
        Command::Assess(a) => cli::assess::assess(a),
        Command::Maturity(a) => cli::assess::maturity(a),
        Command::Templates(a) => cli::assess::templates(a),
        Command::Register(a) => cli::register::run(a),
        Command::Report(a) => cli::report::run(a),
    }
}

fn scan(args: ScanArgs) -> Result<i32> {
    for p in &args.paths {
        if std::fs::symlink_metadata(p).is_err() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    // The detectors (rule regexes, keyword automaton) are built while the key is
    // loaded: unwrapping an engagement key (Argon2id) takes as long, and a re-scan of
    // an unchanged tree is short enough for both to show.
    let engine = std::thread::spawn(credence::detect::Engine::builtin);
    // An engagement scan uses the engagement key and canonical roots (stable across
    // working directories, so re-scans and resumes match stored files).
    let (mut engagement, key, roots) = match &args.engagement {
        Some(file) => {
            let (eng, key) = cli::open_unlocked(file, args.passphrase_file.as_deref(), args.quiet)?;
            let roots = args
                .paths
                .iter()
                .map(|p| std::fs::canonicalize(p).with_context(|| format!("{}", p.display())))
                .collect::<Result<Vec<_>>>()?;
            (Some(eng), key, roots)
        }
        None => {
            let key_path = match args.key_file {
                Some(p) => p,
                None => FingerprintKey::default_path()?,
            };
            (
                None,
                FingerprintKey::load_or_create(&key_path)?,
                args.paths.clone(),
            )
        }
    };
    let engine = engine
        .join()
        .map_err(|_| anyhow::anyhow!("building the detectors panicked"))?
        .context("built-in rules failed to load")?;
    let scanner = Scanner::with_engine(engine, key);
    let opts = ScanOptions {
        roots,
        walk: WalkOptions {
            follow_symlinks: args.follow_symlinks,
            include: args.include,
            exclude: args.exclude,
            max_file_size: args.max_size,
        },
        limits: credence::ingest::Limits {
            max_file_size: args.max_size,
            ..Default::default()
        },
        threads: args.threads,
        min_confidence: args.min_confidence,
    };
    let progress = Progress::default();
    // Set when the scan call returns, whatever it returned: stops the progress bar.
    let done = std::sync::atomic::AtomicBool::new(false);
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let result = std::thread::scope(|s| {
        let bar_thread = show_bar.then(|| s.spawn(|| progress_bar(&progress, &done)));
        let r = match engagement.as_mut() {
            Some(eng) => credence::store::scan::run(eng, &scanner, &opts, &progress)
                .map_err(anyhow::Error::from)
                .map(|r| {
                    if !args.quiet {
                        eprintln!(
                            "credence: scan {} {} in {}",
                            r.scan.id,
                            if r.scan.resumed {
                                "resumed and completed"
                            } else {
                                "completed"
                            },
                            eng.path().display()
                        );
                    }
                    r.result
                }),
            None => scanner
                .scan_with(&opts, &progress, &NoSink)
                .map_err(anyhow::Error::from),
        };
        done.store(true, Ordering::Relaxed);
        if let Some(t) = bar_thread {
            let _ = t.join();
        }
        r
    })?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = format == Format::Table && to_terminal && !args.no_color;
    // `color` is false when writing to a file (it requires a terminal on stdout).
    cli::write_output(args.output.as_deref(), |o| {
        report::write(format, &result.findings, &result.summary, o, color)?;
        Ok(())
    })?;
    if !args.quiet && (format != Format::Table || args.output.is_some()) {
        let mut err = std::io::stderr();
        report::table::write_summary(
            &result.findings,
            &result.summary,
            &mut err,
            std::io::stderr().is_terminal(),
        )?;
    }
    Ok(if result.findings.is_empty() { 0 } else { 1 })
}

fn progress_bar(p: &Progress, done: &std::sync::atomic::AtomicBool) {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
            .expect("static template"),
    );
    let start = std::time::Instant::now();
    while !done.load(Ordering::Relaxed) {
        let done = p.files_done.load(Ordering::Relaxed);
        let found = p.files_found.load(Ordering::Relaxed);
        let bytes = p.bytes_done.load(Ordering::Relaxed);
        let secs = start.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!(
            "{done}/{found} files  {:.0} MB  {:.1} MB/s  {} findings",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / secs,
            p.findings.load(Ordering::Relaxed)
        ));
        bar.tick();
        std::thread::sleep(Duration::from_millis(120));
    }
    bar.finish_and_clear();
}
