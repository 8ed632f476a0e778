//! Scoring by the documented rule (C2M2 style), from recorded answers to a
//! [`MaturityResult`]:
//!
//! 1. A practice is *applicable* unless an applicability question of it (or of its
//!    domain) is answered no, or it is answered Not applicable. A zone-specific
//!    practice is answered once per zone class in scope; the answer that scores is the
//!    weakest of its zone answers (Not < Unknown < Partially < Largely < Fully), zones
//!    answered Not applicable left out; it is unanswered until every zone is answered.
//! 2. A level is achieved in a domain when every applicable practice at that level and
//!    at every level below is Fully or Largely implemented. Partially, Not, Unknown and
//!    unanswered all block. A level with no applicable practice does not block.
//! 3. A domain's result is the highest level achieved (0: none). A domain with no
//!    applicable practice at all scores 0 and says so by `practices_applicable == 0`.
//! 4. Overall: the lowest level achieved across the domains that have applicable
//!    practices (the organisation is as mature as its weakest domain).
//! 5. Gaps: applicable practices answered Partially, Not or Unknown, ordered by level
//!    (foundations first) then by the gap's impact (`MaturityResult::gaps`).

use super::engine::State;
use super::evidence::Evidence;
use super::results::{Answer, DomainResult, GapRisk, MaturityResult, PracticeOutcome};
use super::template::{Practice, Template};

/// The scoring answer of a practice and its zone answers (see rule 1).
fn combined(state: &State, t: &Template, p: &Practice) -> (Option<Answer>, Vec<(String, Answer)>) {
    let slots = state.slots(t, p);
    let mut zone_answers = Vec::new();
    let mut all = Vec::new();
    for z in &slots {
        match state.answer_of(&p.id, z.as_deref()) {
            Some(r) => {
                all.push(r.answer);
                if let Some(z) = z {
                    zone_answers.push((z.clone(), r.answer));
                }
            }
            None => return (None, zone_answers),
        }
    }
    if slots.is_empty() {
        // Every zone class out of scope: nothing left to answer for.
        return (Some(Answer::NotApplicable), zone_answers);
    }
    let scored = all
        .iter()
        .copied()
        .filter(|a| *a != Answer::NotApplicable)
        .min_by_key(|a| a.strength())
        .unwrap_or(Answer::NotApplicable);
    (Some(scored), zone_answers)
}

fn note_of(state: &State, t: &Template, p: &Practice) -> Option<String> {
    let notes: Vec<String> = state
        .slots(t, p)
        .iter()
        .filter_map(|z| {
            let n = state.answer_of(&p.id, z.as_deref())?.note.clone()?;
            Some(match z {
                Some(z) => format!("{z}: {n}"),
                None => n,
            })
        })
        .collect();
    (!notes.is_empty()).then(|| notes.join("; "))
}

fn contradiction_of(state: &State, t: &Template, p: &Practice, ev: &Evidence) -> Option<String> {
    let found: Vec<String> = state
        .slots(t, p)
        .iter()
        .filter_map(|z| {
            let a = state.answer_of(&p.id, z.as_deref())?.answer;
            ev.contradiction(p, a, z.as_deref())
        })
        .collect();
    (!found.is_empty()).then(|| found.join("; "))
}

/// The outcome of one applicable practice, or `None` when it does not apply.
pub fn outcome(
    state: &State,
    t: &Template,
    p: &Practice,
    ev: &Evidence,
) -> Option<PracticeOutcome> {
    if !state.practice_in_scope(t, p) {
        return None;
    }
    let (answer, zone_answers) = combined(state, t, p);
    if answer == Some(Answer::NotApplicable) {
        return None;
    }
    Some(PracticeOutcome {
        practice_id: p.id.clone(),
        domain_id: p.domain.clone(),
        level: p.level,
        question: p.question.clone(),
        answer,
        zone_answers,
        note: note_of(state, t, p),
        contradiction: contradiction_of(state, t, p, ev),
        gap_risk: GapRisk {
            title: p.gap_risk.title.clone(),
            likelihood: p.gap_risk.likelihood,
            impact: p.gap_risk.impact,
            recommendation: p.gap_risk.recommendation.clone(),
            attack: p.mappings.attack.clone(),
        },
        mappings: p.mappings.labels(),
    })
}

/// The highest level achieved by a domain's applicable practices (rule 2 and 3).
pub fn achieved_level(practices: &[&PracticeOutcome], max_level: u8) -> u8 {
    if practices.is_empty() {
        return 0;
    }
    let mut achieved = 0;
    for level in 1..=max_level {
        let blocked = practices
            .iter()
            .filter(|p| p.level == level)
            .any(|p| !p.answer.is_some_and(Answer::achieves));
        if blocked {
            break;
        }
        achieved = level;
    }
    achieved
}

/// Scores an assessment round. `previous` levels are left empty (see `trend`).
pub fn score(t: &Template, state: &State, ev: &Evidence) -> MaturityResult {
    let practices: Vec<PracticeOutcome> = t
        .practices
        .iter()
        .filter_map(|p| outcome(state, t, p, ev))
        .collect();
    let max_level = t.max_level();
    let domains = t
        .domains
        .iter()
        .map(|d| {
            let mine: Vec<&PracticeOutcome> =
                practices.iter().filter(|p| p.domain_id == d.id).collect();
            DomainResult {
                id: d.id.clone(),
                name: d.name.clone(),
                achieved: achieved_level(&mine, max_level),
                target: state.targets.get(&d.id).copied(),
                previous: None,
                practices_applicable: mine.len() as u32,
                practices_answered: mine.iter().filter(|p| p.answer.is_some()).count() as u32,
            }
        })
        .collect();
    MaturityResult {
        model_id: t.model.id.clone(),
        model_name: t.model.name.clone(),
        model_version: t.model.version.clone(),
        max_level,
        domains,
        practices,
    }
}

/// Rule 4: the lowest level achieved across domains with applicable practices.
pub fn overall_level(r: &MaturityResult) -> u8 {
    r.domains
        .iter()
        .filter(|d| d.practices_applicable > 0)
        .map(|d| d.achieved)
        .min()
        .unwrap_or(0)
}
