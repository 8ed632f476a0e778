//! `credence register`: regenerate and list the risk register; edit a risk (owner,
//! due date, status, wording, note); add a risk by hand.

use super::EngagementOpt;
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use credence::report::data::{ReportData, today};
use credence::report::register as out;
use credence::risk::Status;
use credence::risk::register::ManualRisk;
use credence::store::Engagement;
use credence::store::risks::RiskEdits;
use std::path::PathBuf;

#[derive(Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub eng: EngagementOpt,
    #[arg(long, short = 'f', default_value = "table", value_parser = ["table", "json", "csv"])]
    pub format: String,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The register's date (YYYY-MM-DD; default today, or SOURCE_DATE_EPOCH).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    #[command(subcommand)]
    pub action: Option<RegisterAction>,
}

#[derive(Subcommand)]
pub enum RegisterAction {
    /// Change a risk: what you set survives regeneration after a re-scan. An empty
    /// value ("") puts back the generated one.
    Edit {
        /// Risk id.
        id: String,
        #[arg(long)]
        owner: Option<String>,
        /// Due date, YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        #[arg(long, value_parser = credence::risk::STATUSES.to_vec())]
        status: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        treatment: Option<String>,
        /// Why it was accepted, or how it was treated.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        who: Option<String>,
    },
    /// Add a risk by hand (scored by you).
    Add {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        likelihood: u8,
        #[arg(long)]
        impact: u8,
        #[arg(long, default_value = "")]
        treatment: String,
        #[arg(long = "zone")]
        zones: Vec<String>,
        #[arg(long = "system")]
        systems: Vec<String>,
        /// ATT&CK technique id (repeatable), e.g. T0822.
        #[arg(long = "attack")]
        attack: Vec<String>,
        #[arg(long)]
        residual_likelihood: Option<u8>,
        #[arg(long)]
        residual_impact: Option<u8>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        who: Option<String>,
    },
}

pub fn run(a: RegisterArgs) -> Result<i32> {
    let mut eng = Engagement::open(&a.eng.engagement)?;
    let date = a.date.clone().unwrap_or_else(today);
    match a.action {
        Some(RegisterAction::Edit {
            id,
            owner,
            due,
            status,
            title,
            description,
            treatment,
            note,
            who,
        }) => {
            let edits = RiskEdits {
                title,
                description,
                treatment,
                owner,
                due,
                status: status.as_deref().and_then(Status::parse),
                note,
            };
            if edits == RiskEdits::default() {
                bail!(
                    "nothing to change: give --owner, --due, --status, --title, --description, --treatment or --note"
                );
            }
            let who = who.or_else(|| std::env::var("USER").ok());
            eng.edit_risk(&id, &edits, who.as_deref())?;
            eprintln!("credence: {id} updated");
            Ok(0)
        }
        Some(RegisterAction::Add {
            title,
            description,
            likelihood,
            impact,
            treatment,
            zones,
            systems,
            attack,
            residual_likelihood,
            residual_impact,
            owner,
            due,
            who,
        }) => {
            let who = who.or_else(|| std::env::var("USER").ok());
            let content = ManualRisk {
                title,
                description,
                likelihood,
                impact,
                treatment,
                zones,
                systems,
                attack,
                residual_likelihood,
                residual_impact,
                author: who.clone(),
            }
            .content()
            .map_err(anyhow::Error::msg)?;
            let id = eng.add_manual_risk(&content, &date)?;
            if owner.is_some() || due.is_some() {
                eng.edit_risk(
                    &id,
                    &RiskEdits {
                        owner,
                        due,
                        ..Default::default()
                    },
                    who.as_deref(),
                )?;
            }
            println!("{id}");
            Ok(0)
        }
        None => {
            let maturity = credence::assess::maturity_of(&eng, None)?;
            let previous = credence::assess::previous_maturity(&eng, None)?;
            let data = ReportData::gather(&mut eng, maturity, previous, &date)?;
            super::write_output(a.output.as_deref(), |o| {
                match a.format.as_str() {
                    "json" => out::json(&data.risks, o)?,
                    "csv" => out::csv(&data.risks, o)?,
                    _ => out::table(&data.risks, o)?,
                }
                Ok(())
            })?;
            Ok(0)
        }
    }
}
