//! Trend: an assessment compared with an earlier one of the same model, from the same
//! engagement (the round before) or from another engagement file (last year's audit):
//! per domain level and per practice, improved, declined or unchanged.

use super::engine::State;
use super::results::{Answer, MaturityResult};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Improved,
    Declined,
    Unchanged,
    /// Answered now, not answered (or not in the model) then.
    New,
    /// Answered then, not now.
    Dropped,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DomainTrend {
    pub id: String,
    pub name: String,
    pub previous: u8,
    pub current: u8,
    pub change: Change,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PracticeTrend {
    pub id: String,
    pub previous: Option<Answer>,
    pub current: Option<Answer>,
    pub change: Change,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub model_id: String,
    /// Where the earlier result comes from, e.g. "round 1 (2026 Q1) of this engagement".
    pub compared_with: String,
    pub domains: Vec<DomainTrend>,
    /// Every practice answered in either, in the current model's order.
    pub practices: Vec<PracticeTrend>,
}

fn change_of(prev: Option<Answer>, cur: Option<Answer>) -> Change {
    match (prev, cur) {
        (None, None) => Change::Unchanged,
        (None, Some(_)) => Change::New,
        (Some(_), None) => Change::Dropped,
        (Some(p), Some(c)) => match c.strength().cmp(&p.strength()) {
            std::cmp::Ordering::Greater => Change::Improved,
            std::cmp::Ordering::Less => Change::Declined,
            std::cmp::Ordering::Equal => Change::Unchanged,
        },
    }
}

/// Compares two results of the same model (practices matched by id, so a newer model
/// version compares on the practices both share).
pub fn compare(current: &MaturityResult, previous: &MaturityResult, compared_with: &str) -> Trend {
    let prev_levels: BTreeMap<&str, u8> = previous
        .domains
        .iter()
        .map(|d| (d.id.as_str(), d.achieved))
        .collect();
    let domains = current
        .domains
        .iter()
        .map(|d| {
            let p = prev_levels.get(d.id.as_str()).copied().unwrap_or(0);
            DomainTrend {
                id: d.id.clone(),
                name: d.name.clone(),
                previous: p,
                current: d.achieved,
                change: match d.achieved.cmp(&p) {
                    std::cmp::Ordering::Greater => Change::Improved,
                    std::cmp::Ordering::Less => Change::Declined,
                    std::cmp::Ordering::Equal => Change::Unchanged,
                },
            }
        })
        .collect();
    let prev_answers: BTreeMap<&str, Option<Answer>> = previous
        .practices
        .iter()
        .map(|p| (p.practice_id.as_str(), p.answer))
        .collect();
    let mut practices: Vec<PracticeTrend> = current
        .practices
        .iter()
        .map(|p| {
            let before = prev_answers.get(p.practice_id.as_str()).copied().flatten();
            PracticeTrend {
                id: p.practice_id.clone(),
                previous: before,
                current: p.answer,
                change: change_of(before, p.answer),
            }
        })
        .filter(|t| t.previous.is_some() || t.current.is_some())
        .collect();
    for p in &previous.practices {
        if p.answer.is_some()
            && !current
                .practices
                .iter()
                .any(|c| c.practice_id == p.practice_id)
        {
            practices.push(PracticeTrend {
                id: p.practice_id.clone(),
                previous: p.answer,
                current: None,
                change: Change::Dropped,
            });
        }
    }
    Trend {
        model_id: current.model_id.clone(),
        compared_with: compared_with.to_string(),
        domains,
        practices,
    }
}

/// Fills each domain's `previous` level from an earlier result.
pub fn fill_previous(current: &mut MaturityResult, previous: &MaturityResult) {
    for d in &mut current.domains {
        d.previous = previous
            .domains
            .iter()
            .find(|p| p.id == d.id)
            .map(|p| p.achieved);
    }
}

/// How a round is named in a comparison.
pub fn describe(state: &State, engagement: &str) -> String {
    format!(
        "round {} ({}) of {engagement}",
        state.assessment.id, state.assessment.label
    )
}
