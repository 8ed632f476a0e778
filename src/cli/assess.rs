//! `credence assess | maturity | templates`: the maturity assessment from the command
//! line. Argument parsing and printing only; the rules are in `credence::assess`.

use super::questionnaire;
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use credence::assess::{self, answers_file, engine, scoring, template};
use credence::store::Engagement;
use credence::store::assessment::AnswerBatch;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct AssessArgs {
    /// The engagement file (`*.credence`).
    #[arg(long, short = 'e', value_name = "FILE")]
    pub engagement: PathBuf,
    /// Model id (default: the latest round's model, else credence-itot-identity).
    #[arg(long)]
    pub model: Option<String>,
    /// Load templates from this folder instead of the shipped ones (or CREDENCE_TEMPLATES).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Start a new round with this label (the earlier round stays for comparison).
    #[arg(long, value_name = "LABEL")]
    pub new_round: Option<String>,
    /// Import answers from a TOML or JSON file (all or nothing), then stop.
    #[arg(long, value_name = "FILE", conflicts_with = "export_answers")]
    pub answers: Option<PathBuf>,
    /// Export the round's answers to a TOML or JSON file (by extension), then stop.
    #[arg(long, value_name = "FILE")]
    pub export_answers: Option<PathBuf>,
    /// Set a domain's target level, e.g. `--target PRIVILEGE=2` (repeatable), then stop.
    #[arg(long, value_name = "DOMAIN=LEVEL")]
    pub target: Vec<String>,
    /// Print progress by domain and stop.
    #[arg(long)]
    pub status: bool,
}

#[derive(Args)]
pub struct MaturityArgs {
    /// The engagement file (`*.credence`).
    #[arg(long, short = 'e', value_name = "FILE")]
    pub engagement: PathBuf,
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json"])]
    pub format: String,
    #[arg(long)]
    pub model: Option<String>,
    /// Compare with the latest round of the same model in another engagement file
    /// (default: the previous round in this one, when there is one).
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub action: TemplatesAction,
}

#[derive(Subcommand)]
pub enum TemplatesAction {
    /// Validate templates (default: the shipped ones); exit 2 with the errors.
    Check { dir: Option<PathBuf> },
    /// List templates with their size.
    List { dir: Option<PathBuf> },
}

fn catalogue(dir: Option<&Path>) -> Result<Vec<template::Template>> {
    Ok(template::catalogue(dir)?)
}

fn pick<'t>(
    templates: &'t [template::Template],
    eng: &Engagement,
    model: Option<&str>,
) -> Result<&'t template::Template> {
    let id = match model {
        Some(m) => m.to_string(),
        None => engine::latest_assessment(eng, None)?
            .map(|a| a.model_id)
            .unwrap_or_else(|| template::DEFAULT_MODEL.to_string()),
    };
    templates.iter().find(|t| t.model.id == id).ok_or_else(|| {
        anyhow!(
            "no template declares model '{id}' (available: {})",
            templates
                .iter()
                .map(|t| t.model.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn parse_target(s: &str) -> Result<(String, u8)> {
    let (d, l) = s
        .split_once('=')
        .ok_or_else(|| anyhow!("--target {s}: write DOMAIN=LEVEL, e.g. PRIVILEGE=2"))?;
    let level = l
        .trim()
        .parse::<u8>()
        .map_err(|_| anyhow!("--target {s}: '{l}' is not a level number"))?;
    Ok((d.trim().to_string(), level))
}

pub fn assess(a: AssessArgs) -> Result<i32> {
    let templates = catalogue(a.templates.as_deref())?;
    let mut eng = Engagement::open(&a.engagement)?;
    let t = pick(&templates, &eng, a.model.as_deref())?;
    // Everything given on the command line is checked before anything is written (not
    // even a new round), so a bad file or target leaves the engagement as it was.
    let mut batch = match &a.answers {
        Some(path) => answers_file::read(path, t, &eng)?,
        None => AnswerBatch::default(),
    };
    for s in &a.target {
        let (d, level) = parse_target(s)?;
        if t.domain(&d).is_none() {
            bail!("--target {s}: {} has no domain '{d}'", t.model.id);
        }
        if level > t.max_level() {
            bail!("--target {s}: level {level} is above {}", t.max_level());
        }
        batch.targets.push((d, level));
    }
    let mut state = match &a.new_round {
        Some(label) => engine::start_new(&mut eng, t, label)?,
        None => engine::start_or_resume(&mut eng, t)?,
    };
    let batch_only =
        a.answers.is_some() || a.export_answers.is_some() || !a.target.is_empty() || a.status;
    if !batch.answers.is_empty() || !batch.targets.is_empty() || !batch.applicability.is_empty() {
        eng.write_assessment_batch(state.id(), &batch)?;
        state = engine::load_state(&eng, state.id())?;
        for (d, level) in &batch.targets {
            eprintln!("credence: target for {d}: level {level}");
        }
    }
    if let Some(path) = &a.answers {
        eprintln!(
            "credence: imported {} answer(s) from {}",
            batch.answers.len(),
            path.display()
        );
    }
    if let Some(path) = &a.export_answers {
        answers_file::write(path, &answers_file::export(t, &state))?;
        eprintln!(
            "credence: exported {} answer(s) to {}",
            state.answers.len(),
            path.display()
        );
    }
    if batch_only {
        let stdout = std::io::stdout();
        let mut o = stdout.lock();
        questionnaire::print_progress(&mut o, t, &state)?;
        return Ok(0);
    }
    questionnaire::run(&mut eng, t, &mut state)
}

pub fn maturity(a: MaturityArgs) -> Result<i32> {
    let templates = catalogue(a.templates.as_deref())?;
    let eng = Engagement::open(&a.engagement)?;
    let other = match &a.compare {
        Some(p) => Some(Engagement::open(p).with_context(|| format!("--compare {}", p.display()))?),
        None => None,
    };
    let other_name = a
        .compare
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let report = assess::report(
        &eng,
        &templates,
        a.model.as_deref(),
        other.as_ref().map(|o| (o, other_name.as_str())),
    )?
    .ok_or_else(|| {
        anyhow!(
            "{}: no assessment started yet (run `credence assess -e {}`)",
            a.engagement.display(),
            a.engagement.display()
        )
    })?;
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    if a.format == "json" {
        serde_json::to_writer_pretty(&mut o, &report)?;
        writeln!(o)?;
    } else {
        print_report(&mut o, &report)?;
    }
    o.flush()?;
    Ok(0)
}

fn print_report(o: &mut impl Write, r: &assess::Report) -> Result<()> {
    let m = &r.result;
    writeln!(
        o,
        "{} {} — {} — overall level {} of {}",
        m.model_name, m.model_version, r.label, r.overall, m.max_level
    )?;
    writeln!(o)?;
    writeln!(
        o,
        "{:<46} {:>8} {:>7} {:>9} {:>9}",
        "Domain", "Achieved", "Target", "Previous", "Answered"
    )?;
    let dash = |v: Option<u8>| v.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
    for d in &m.domains {
        writeln!(
            o,
            "{:<46} {:>8} {:>7} {:>9} {:>9}",
            format!("{} {}", d.id, d.name),
            d.achieved,
            dash(d.target),
            dash(d.previous),
            format!("{}/{}", d.practices_answered, d.practices_applicable)
        )?;
    }
    let gaps = m.gaps();
    writeln!(o)?;
    writeln!(o, "Gaps ({}), foundations first:", gaps.len())?;
    for g in gaps {
        writeln!(
            o,
            "  L{} {:<12} {:<22} {} (impact {})",
            g.level,
            g.practice_id,
            g.answer.map(|a| a.label()).unwrap_or("-"),
            g.gap_risk.title,
            g.gap_risk.impact
        )?;
    }
    let contradictions: Vec<_> = m.contradictions().collect();
    if !contradictions.is_empty() {
        writeln!(o)?;
        writeln!(
            o,
            "Answers the scan contradicts ({}):",
            contradictions.len()
        )?;
        for p in contradictions {
            writeln!(
                o,
                "  {:<12} {}",
                p.practice_id,
                p.contradiction.as_deref().unwrap_or("")
            )?;
        }
    }
    if let Some(t) = &r.trend {
        writeln!(o)?;
        writeln!(o, "Compared with {}:", t.compared_with)?;
        for d in &t.domains {
            writeln!(
                o,
                "  {:<12} {} → {} ({:?})",
                d.id, d.previous, d.current, d.change
            )?;
        }
        let changed: Vec<_> = t
            .practices
            .iter()
            .filter(|p| p.change != assess::trend::Change::Unchanged)
            .collect();
        for p in changed {
            let lab = |a: Option<assess::Answer>| a.map(|a| a.label()).unwrap_or("-");
            writeln!(
                o,
                "  {:<12} {} → {} ({:?})",
                p.id,
                lab(p.previous),
                lab(p.current),
                p.change
            )?;
        }
    }
    if r.evidence.scan.is_none() {
        writeln!(o)?;
        writeln!(
            o,
            "No scan in this engagement yet: answers are not checked against evidence."
        )?;
    }
    if let Some(n) = &r.attack_notice {
        writeln!(o)?;
        writeln!(o, "{n}")?;
    }
    Ok(())
}

pub fn templates(a: TemplatesArgs) -> Result<i32> {
    match a.action {
        TemplatesAction::Check { dir } => match template::catalogue(dir.as_deref()) {
            Ok(list) => {
                for t in &list {
                    println!(
                        "ok  {} ({} {}: {} domains, {} practices, {} levels)",
                        t.file,
                        t.model.id,
                        t.model.version,
                        t.domains.len(),
                        t.practices.len(),
                        t.max_level()
                    );
                }
                Ok(0)
            }
            Err(e) => {
                for err in &e.0 {
                    eprintln!("{err}");
                }
                eprintln!("credence: {} template error(s)", e.0.len());
                Ok(2)
            }
        },
        TemplatesAction::List { dir } => {
            for t in catalogue(dir.as_deref())? {
                let p = t.practices.len();
                let zoned = t.practices.iter().filter(|p| p.zone_specific).count();
                println!(
                    "{:<26} {:<6} {:>3} domains {:>3} practices ({zoned} per zone) {:>2} levels  {}",
                    t.model.id,
                    t.model.version,
                    t.domains.len(),
                    p,
                    t.max_level(),
                    t.model.name
                );
            }
            Ok(0)
        }
    }
}

/// The overall level line printed when a questionnaire is complete.
pub fn overall_line(
    eng: &Engagement,
    t: &template::Template,
    state: &engine::State,
) -> Result<String> {
    let ev = assess::evidence::of_engagement(eng)?;
    let r = scoring::score(t, state, &ev);
    Ok(format!(
        "overall level {} of {}; {} gap(s), {} answer(s) contradicted by the scan",
        scoring::overall_level(&r),
        r.max_level,
        r.gaps().len(),
        r.contradictions().count()
    ))
}
