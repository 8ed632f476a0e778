//! The guided maturity assessment: templates (maturity models as data under
//! `assessment-templates/`), answers kept in the engagement, scoring by documented rule,
//! evidence from the scan and contradiction checks, trend against an earlier round.
//!
//! `results` is the contract the risk register and the reports read; the rest of the
//! module computes it:
//! - `template` (types, loader) and `validate` (checks naming file, line and field),
//!   `frameworks` (known mapping ids);
//! - `engine` (rounds, applicability, next item, answers, targets, evidence files),
//!   `answers_file` (import/export);
//! - `scoring` (the C2M2-style rule), `evidence` (indicators, contradictions), `trend`.
//!
//! Entry points for the register, the reports and the desktop app are the functions
//! below; each is a plain library call.

pub mod answers_file;
pub mod engine;
pub mod evidence;
pub mod frameworks;
pub mod results;
pub mod scoring;
pub mod template;
pub mod trend;
pub mod validate;

pub use engine::{DomainProgress, Item, State};
pub use evidence::{Evidence, Indicator};
pub use results::{Answer, DomainResult, GapRisk, MaturityResult, PracticeOutcome};
pub use template::Template;

use crate::store::Engagement;
use anyhow::Result;
use serde::Serialize;

/// A short description of a template, for pickers.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    pub domains: usize,
    pub practices: usize,
    pub levels: u8,
}

/// The templates available (shipped, or `CREDENCE_TEMPLATES`).
pub fn list_templates() -> Result<Vec<TemplateSummary>> {
    Ok(template::catalogue(None)?
        .iter()
        .map(|t| TemplateSummary {
            id: t.model.id.clone(),
            name: t.model.name.clone(),
            version: t.model.version.clone(),
            domains: t.domains.len(),
            practices: t.practices.len(),
            levels: t.max_level(),
        })
        .collect())
}

/// The scan indicators a practice consults, as the questionnaire shows them next to the
/// question (empty before any scan).
pub fn indicators_for(eng: &Engagement, t: &Template, practice_id: &str) -> Result<Vec<Indicator>> {
    let p = t
        .practice(practice_id)
        .ok_or_else(|| anyhow::anyhow!("{} has no practice '{practice_id}'", t.model.id))?;
    let ev = evidence::of_engagement(eng)?;
    Ok(ev.for_practice(p).into_iter().cloned().collect())
}

/// The round `maturity_of` reports when no model is named: the latest round of the
/// core model if one was started, else the latest round of any model.
fn pick_round(
    eng: &Engagement,
    model_id: Option<&str>,
) -> Result<Option<crate::store::assessment::AssessmentRow>> {
    if model_id.is_some() {
        return engine::latest_assessment(eng, model_id);
    }
    match engine::latest_assessment(eng, Some(template::DEFAULT_MODEL))? {
        Some(a) => Ok(Some(a)),
        None => engine::latest_assessment(eng, None),
    }
}

/// Scores one round with the engagement's current evidence.
pub fn maturity_of_round(
    eng: &Engagement,
    templates: &[Template],
    assessment_id: i64,
) -> Result<MaturityResult> {
    let state = engine::load_state(eng, assessment_id)?;
    let t = engine::template_for(templates, &state.assessment)?;
    let ev = evidence::of_engagement(eng)?;
    Ok(scoring::score(t, &state, &ev))
}

/// The latest round of a model (see `pick_round`), scored, with each domain's
/// `previous` level filled from the round before it in the same engagement when there
/// is one. `None` when no assessment has been started.
pub fn maturity_of(eng: &Engagement, model_id: Option<&str>) -> Result<Option<MaturityResult>> {
    let Some(round) = pick_round(eng, model_id)? else {
        return Ok(None);
    };
    let templates = template::catalogue(None)?;
    let mut result = maturity_of_round(eng, &templates, round.id)?;
    if let Some(prev) = previous_maturity(eng, Some(&round.model_id))? {
        trend::fill_previous(&mut result, &prev);
    }
    Ok(Some(result))
}

/// The round before the latest one of the same model in this engagement (the one a
/// trend compares with), scored with today's evidence. `None` with fewer than two rounds.
pub fn previous_maturity(
    eng: &Engagement,
    model_id: Option<&str>,
) -> Result<Option<MaturityResult>> {
    let Some(latest) = pick_round(eng, model_id)? else {
        return Ok(None);
    };
    let Some(prev) = eng
        .assessments()?
        .into_iter()
        .rev()
        .find(|a| a.model_id == latest.model_id && a.id < latest.id)
    else {
        return Ok(None);
    };
    let templates = template::catalogue(None)?;
    Ok(Some(maturity_of_round(eng, &templates, prev.id)?))
}

/// Everything `credence maturity` prints and the app shows on its results page.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub result: MaturityResult,
    pub label: String,
    pub overall: u8,
    pub progress: Vec<DomainProgress>,
    /// Practice ids of the gaps, in the order `MaturityResult::gaps` gives.
    pub gaps: Vec<String>,
    pub evidence: Evidence,
    pub trend: Option<trend::Trend>,
    /// MITRE's notice, reproduced wherever the model's ATT&CK ids are shown.
    pub attack_notice: Option<String>,
}

/// Builds the report of the latest round of a model, compared with `other` (another
/// engagement's latest round of the same model) when given, else with the previous
/// round of this engagement when there is one.
pub fn report(
    eng: &Engagement,
    templates: &[Template],
    model_id: Option<&str>,
    other: Option<(&Engagement, &str)>,
) -> Result<Option<Report>> {
    let Some(round) = pick_round(eng, model_id)? else {
        return Ok(None);
    };
    let state = engine::load_state(eng, round.id)?;
    let t = engine::template_for(templates, &state.assessment)?;
    let ev = evidence::of_engagement(eng)?;
    let mut result = scoring::score(t, &state, &ev);
    let earlier = match other {
        Some((o, name)) => match engine::latest_assessment(o, Some(&t.model.id))? {
            Some(a) => {
                let s = engine::load_state(o, a.id)?;
                let r = maturity_of_round(o, templates, a.id)?;
                Some((r, trend::describe(&s, name)))
            }
            None => anyhow::bail!("{name} has no {} assessment to compare with", t.model.id),
        },
        None => match eng
            .assessments()?
            .into_iter()
            .rev()
            .find(|a| a.model_id == round.model_id && a.id < round.id)
        {
            Some(a) => {
                let s = engine::load_state(eng, a.id)?;
                Some((
                    maturity_of_round(eng, templates, a.id)?,
                    trend::describe(&s, "this engagement"),
                ))
            }
            None => None,
        },
    };
    let trend = earlier.map(|(prev, name)| {
        trend::fill_previous(&mut result, &prev);
        trend::compare(&result, &prev, &name)
    });
    Ok(Some(Report {
        label: state.assessment.label.clone(),
        overall: scoring::overall_level(&result),
        progress: state.progress(t),
        gaps: result
            .gaps()
            .iter()
            .map(|p| p.practice_id.clone())
            .collect(),
        evidence: ev,
        trend,
        attack_notice: t
            .ships_attack()
            .then(|| t.model.attack_notice.clone())
            .flatten(),
        result,
    }))
}
