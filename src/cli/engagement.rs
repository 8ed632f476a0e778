//! `credence new | findings | triage | diff | zones | metrics | graph | scans`.

use super::{EngagementOpt, keystore};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use credence::identity;
use credence::report::engagement as out;
use credence::store::query::FindingFilter;
use credence::store::zones::Zone;
use credence::store::{Engagement, NewEngagement};
use credence::vault::FingerprintKey;
use credence::vault::engagement::{Protection, passphrase_from, protect};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct NewArgs {
    /// The engagement file to create (`*.credence`).
    pub file: PathBuf,
    #[arg(long)]
    pub client: String,
    #[arg(long)]
    pub site: String,
    #[arg(long)]
    pub assessor: Option<String>,
    /// Classification marking printed on reports (e.g. "CONFIDENTIAL - CLIENT").
    #[arg(long)]
    pub marking: Option<String>,
    /// Where the engagement key is kept: the OS keyring when it answers (auto), or
    /// wrapped with a passphrase in the file.
    #[arg(long, default_value = "auto", value_parser = ["auto", "keyring", "passphrase"])]
    pub key_protection: String,
    /// Passphrase file (else CREDENCE_PASSPHRASE), for the passphrase protection.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

pub fn new(a: NewArgs) -> Result<i32> {
    if a.file.exists() {
        bail!(
            "{}: already exists; refusing to overwrite an engagement file",
            a.file.display()
        );
    }
    let how = match a.key_protection.as_str() {
        "keyring" => Protection::Keyring,
        "passphrase" => Protection::Passphrase,
        _ => Protection::Auto,
    };
    let uid = hex::encode(&FingerprintKey::random()?.as_bytes()[..16]);
    let key = FingerprintKey::random()?;
    let store = (how != Protection::Passphrase).then(keystore);
    let pass = passphrase_from(a.passphrase_file.as_deref())?;
    let (rec, message) = protect(&uid, &key, store.as_deref(), pass.as_deref(), how)?;
    let meta = NewEngagement {
        client: a.client,
        site: a.site,
        assessor: a.assessor,
        marking: a.marking,
    };
    Engagement::create(&a.file, &meta, &uid, &rec)?;
    eprintln!("credence: created {}; {message}", a.file.display());
    Ok(0)
}

#[derive(Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "jsonl", "csv"])]
    pub format: String,
    /// Triage status: open, confirmed, false_positive, accepted, fixed.
    #[arg(long)]
    pub status: Option<String>,
    /// Zone where the finding is exposed or that it unlocks.
    #[arg(long)]
    pub zone: Option<String>,
    /// Only privileged credentials.
    #[arg(long)]
    pub privileged: bool,
    /// Rule id (a trailing `*` matches a prefix).
    #[arg(long)]
    pub rule: Option<String>,
    /// Scan id (default: the latest completed scan).
    #[arg(long)]
    pub scan: Option<i64>,
}

pub fn findings(a: FindingsArgs) -> Result<i32> {
    let eng = Engagement::open(&a.eng.engagement)?;
    let list = eng.list_findings(&FindingFilter {
        scan: a.scan,
        status: a.status,
        zone: a.zone,
        privileged: a.privileged,
        rule: a.rule,
    })?;
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    match a.format.as_str() {
        "jsonl" => out::findings_jsonl(&list, &mut o)?,
        "csv" => out::findings_csv(&list, &mut o)?,
        _ => out::findings_table(&list, &mut o)?,
    }
    o.flush()?;
    Ok(if list.is_empty() { 0 } else { 1 })
}

#[derive(Args)]
pub struct TriageArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    /// Finding ids (from `credence findings`).
    #[arg(required = true)]
    pub ids: Vec<String>,
    #[arg(long)]
    pub status: String,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub who: Option<String>,
}

pub fn triage(a: TriageArgs) -> Result<i32> {
    let mut eng = Engagement::open(&a.eng.engagement)?;
    let who = a.who.or_else(|| std::env::var("USER").ok());
    let n = eng.triage(&a.ids, &a.status, a.note.as_deref(), who.as_deref())?;
    eprintln!("credence: {n} finding(s) marked {}", a.status);
    Ok(0)
}

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[arg(long)]
    pub from: Option<i64>,
    #[arg(long)]
    pub to: Option<i64>,
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
}

pub fn diff(a: DiffArgs) -> Result<i32> {
    let eng = Engagement::open(&a.eng.engagement)?;
    let d = eng.diff(a.from, a.to)?;
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    if a.format == "json" {
        serde_json::to_writer_pretty(&mut o, &d)?;
        writeln!(o)?;
    } else {
        out::diff_table(&d, &mut o)?;
    }
    Ok(
        if d.new.is_empty() && d.gone.is_empty() && d.changed.is_empty() {
            0
        } else {
            1
        },
    )
}

#[derive(Args)]
pub struct ZonesArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[command(subcommand)]
    pub action: Option<ZoneAction>,
}

#[derive(Subcommand)]
pub enum ZoneAction {
    /// List zones, their criticality and the rules placing things in them.
    List,
    /// Add a zone.
    Add {
        name: String,
        #[arg(long, value_parser = credence::store::zones::KINDS.to_vec())]
        kind: String,
        #[arg(long, default_value_t = 1)]
        safety: u8,
        #[arg(long, default_value_t = 1)]
        availability: u8,
        #[arg(long, default_value_t = 1)]
        regulatory: u8,
        #[arg(long)]
        description: Option<String>,
    },
    /// Add a rule placing paths, hostnames or addresses in ZONE.
    RuleAdd {
        zone: String,
        #[arg(long, value_parser = credence::store::zones::RULE_KINDS.to_vec())]
        kind: String,
        /// Glob (`**/scada/**`, `*plc*`) or CIDR (`10.20.0.0/16`).
        #[arg(long)]
        pattern: String,
        /// Rules are tried by increasing priority; defaults use 10-60.
        #[arg(long, default_value_t = 5)]
        priority: i64,
    },
    /// Set a zone's safety, availability and regulatory criticality (1-5).
    SetCriticality {
        zone: String,
        safety: u8,
        availability: u8,
        regulatory: u8,
    },
}

pub fn zones(a: ZonesArgs) -> Result<i32> {
    let mut eng = Engagement::open(&a.eng.engagement)?;
    match a.action.unwrap_or(ZoneAction::List) {
        ZoneAction::List => {
            println!(
                "{:<10} {:<7} {:>6} {:>6} {:>6} {:>5}  description",
                "zone", "kind", "safety", "avail", "regul", "crit"
            );
            for z in eng.zones()? {
                println!(
                    "{:<10} {:<7} {:>6} {:>6} {:>6} {:>5}  {}",
                    z.name,
                    z.kind,
                    z.safety,
                    z.availability,
                    z.regulatory,
                    z.criticality(),
                    z.description.clone().unwrap_or_default()
                );
            }
            println!("\nrules (first match wins, by priority):");
            for r in eng.zone_rules()? {
                println!(
                    "  {:>4} {:<17} {:<28} → {}",
                    r.priority, r.kind, r.pattern, r.zone
                );
            }
        }
        ZoneAction::Add {
            name,
            kind,
            safety,
            availability,
            regulatory,
            description,
        } => eng.add_zone(&Zone {
            name,
            kind,
            safety,
            availability,
            regulatory,
            description,
        })?,
        ZoneAction::RuleAdd {
            zone,
            kind,
            pattern,
            priority,
        } => eng.add_zone_rule(&zone, &kind, &pattern, priority)?,
        ZoneAction::SetCriticality {
            zone,
            safety,
            availability,
            regulatory,
        } => eng.set_criticality(&zone, safety, availability, regulatory)?,
    }
    Ok(0)
}

#[derive(Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
    #[arg(long)]
    pub scan: Option<i64>,
}

pub fn metrics(a: MetricsArgs) -> Result<i32> {
    let eng = Engagement::open(&a.eng.engagement)?;
    let g = identity::of_engagement(&eng, a.scan)?;
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    if a.format == "json" {
        serde_json::to_writer_pretty(&mut o, &g.analysis)?;
        writeln!(o)?;
    } else {
        out::metrics_table(&g.analysis, &mut o)?;
    }
    Ok(0)
}

#[derive(Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[arg(long, short = 'f', default_value = "dot", value_parser = ["dot", "graphml", "json"])]
    pub format: String,
    #[arg(long)]
    pub scan: Option<i64>,
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn graph(a: GraphArgs) -> Result<i32> {
    let eng = Engagement::open(&a.eng.engagement)?;
    let g = identity::of_engagement(&eng, a.scan)?;
    super::write_output(a.output.as_deref(), |o| {
        match a.format.as_str() {
            "graphml" => identity::export::graphml(&g, o)?,
            "json" => identity::export::json(&g, o)?,
            _ => identity::export::dot(&g, o)?,
        }
        Ok(())
    })?;
    Ok(0)
}

pub fn scans(e: EngagementOpt) -> Result<i32> {
    let eng = Engagement::open(&e.engagement)?;
    let m = eng.meta()?;
    println!(
        "{} / {}  (assessor {}, marking {}, created {})",
        m.client,
        m.site,
        m.assessor.unwrap_or_else(|| "-".into()),
        m.marking.unwrap_or_else(|| "-".into()),
        m.created
    );
    println!(
        "{:>4} {:<10} {:<21} {:>7} {:>7} {:>7} {:>6} {:>8}  roots",
        "scan", "status", "started", "files", "scanned", "reused", "errors", "findings"
    );
    for s in eng.scans()? {
        println!(
            "{:>4} {:<10} {:<21} {:>7} {:>7} {:>7} {:>6} {:>8}  {}",
            s.id,
            s.status,
            s.started,
            s.files_seen,
            s.files_scanned,
            s.files_reused,
            s.files_errors,
            s.findings,
            s.roots.join(" ")
        );
    }
    Ok(0)
}
