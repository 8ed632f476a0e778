//! The register as people read it: stored risks with their edits applied, a due date,
//! a status, and an order.
//!
//! Order: live risks (open, in progress) before accepted before resolved; within each,
//! score (likelihood × impact) high to low, then blast radius (Σ of the identity graph's
//! blast radius of the credentials involved: how much one compromise opens), then age
//! of the oldest evidence (longer exposed, more likely already copied), then id.

use super::generate::{self, Input};
use super::rules::RiskRule;
use super::{Band, Origin, Risk, RiskContent, Status};
use crate::store::risks::{Looked, StoredRisk};
use crate::store::{Engagement, Result};
use chrono::NaiveDate;

/// The suggested due date: first seen + the band's days.
fn suggested_due(first_seen: &str, band: Band) -> String {
    NaiveDate::parse_from_str(first_seen, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(band.due_days())).to_string())
        .unwrap_or_else(|_| first_seen.to_string())
}

/// One stored risk with its edits applied.
pub fn effective(s: &StoredRisk) -> Risk {
    let mut content = s.content.clone();
    let mut edited = Vec::new();
    let e = &s.edits;
    for (name, edit, field) in [
        ("title", &e.title, &mut content.title),
        ("description", &e.description, &mut content.description),
        ("treatment", &e.treatment, &mut content.treatment),
    ] {
        if let Some(v) = edit {
            *field = v.clone();
            edited.push(name.to_string());
        }
    }
    let score = content.score();
    let band = Band::of(score);
    let status = match (&s.evidence_gone, e.status) {
        (Some(_), _) => Status::Resolved,
        (None, Some(st)) => st,
        (None, None) => Status::Open,
    };
    for (name, set) in [
        ("owner", e.owner.is_some()),
        ("due", e.due.is_some()),
        ("status", e.status.is_some()),
        ("note", e.note.is_some()),
    ] {
        if set {
            edited.push(name.to_string());
        }
    }
    let residual_score = content.residual_likelihood * content.residual_impact;
    Risk {
        id: s.id.clone(),
        rank: 0,
        score,
        band,
        residual_score,
        owner: e.owner.clone(),
        due: e
            .due
            .clone()
            .unwrap_or_else(|| suggested_due(&s.first_seen, band)),
        due_suggested: e.due.is_none(),
        status,
        note: e.note.clone(),
        first_seen: s.first_seen.clone(),
        evidence_gone: s.evidence_gone.clone(),
        edited,
        content,
    }
}

fn status_rank(s: Status) -> u8 {
    match s {
        Status::Open | Status::InProgress => 0,
        Status::Accepted => 1,
        Status::Resolved => 2,
    }
}

/// Sorts in priority order and numbers the ranks from 1.
pub fn prioritise(risks: &mut [Risk]) {
    risks.sort_by(|a, b| {
        status_rank(a.status)
            .cmp(&status_rank(b.status))
            .then(b.score.cmp(&a.score))
            .then(b.content.blast_radius.cmp(&a.content.blast_radius))
            .then(b.content.age_days.cmp(&a.content.age_days))
            .then(a.id.cmp(&b.id))
    });
    for (i, r) in risks.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

/// The register as stored, in priority order.
pub fn load(eng: &Engagement) -> Result<Vec<Risk>> {
    let mut risks: Vec<Risk> = eng.stored_risks()?.iter().map(effective).collect();
    prioritise(&mut risks);
    Ok(risks)
}

/// Regenerates from the evidence, stores the result (human edits kept, vanished
/// evidence resolved) and returns the register in priority order. `today`: YYYY-MM-DD.
pub fn refresh(
    eng: &mut Engagement,
    rules: &[RiskRule],
    input: &Input<'_>,
    scanned: bool,
    today: &str,
) -> Result<Vec<Risk>> {
    let generated = generate::generate(rules, input);
    eng.sync_risks(
        &generated,
        Looked {
            findings: scanned,
            answers: input.maturity.is_some(),
        },
        today,
    )?;
    load(eng)
}

/// A risk a person writes, scored by that person.
pub struct ManualRisk {
    pub title: String,
    pub description: String,
    pub likelihood: u8,
    pub impact: u8,
    pub treatment: String,
    pub zones: Vec<String>,
    pub systems: Vec<String>,
    pub attack: Vec<String>,
    pub residual_likelihood: Option<u8>,
    pub residual_impact: Option<u8>,
    pub author: Option<String>,
}

impl ManualRisk {
    pub fn content(&self) -> std::result::Result<RiskContent, String> {
        for (what, v) in [("likelihood", self.likelihood), ("impact", self.impact)] {
            if !(1..=5).contains(&v) {
                return Err(format!("{what} {v} is outside 1-5"));
            }
        }
        if self.title.trim().is_empty() {
            return Err("a risk needs a title".into());
        }
        if let Some(a) = self
            .attack
            .iter()
            .find(|a| !super::rules::valid_attack_id(a))
        {
            return Err(format!("'{a}' is not an ATT&CK technique id"));
        }
        let rl = self.residual_likelihood.unwrap_or(self.likelihood);
        let ri = self.residual_impact.unwrap_or(self.impact);
        if !(1..=5).contains(&rl) || !(1..=5).contains(&ri) {
            return Err("residual likelihood and impact are 1-5".into());
        }
        Ok(RiskContent {
            origin: Origin::Manual,
            key: String::new(),
            title: self.title.clone(),
            description: self.description.clone(),
            zones: self.zones.clone(),
            systems: self.systems.clone(),
            identities: Vec::new(),
            findings: Vec::new(),
            answers: Vec::new(),
            attack: self.attack.clone(),
            likelihood: self.likelihood,
            impact: self.impact,
            derivation: vec![format!(
                "likelihood {}, impact {}: set by {}",
                self.likelihood,
                self.impact,
                self.author.as_deref().unwrap_or("the assessor")
            )],
            treatment: self.treatment.clone(),
            practices: Vec::new(),
            owner_role: String::new(),
            residual_likelihood: rl.min(self.likelihood),
            residual_impact: ri.min(self.impact),
            blast_radius: 0,
            age_days: 0,
            contradictions: Vec::new(),
        })
    }
}
