//! Questionnaire screen: one item at a time (an applicability question, or a practice
//! for one zone class) with guidance, the scan's evidence beside it and a contradiction
//! warning, notes, evidence files, targets and progress by domain. The same library
//! calls as `credence assess` (`assess::engine`); every answer is stored as it is
//! given, so opening the screen again resumes at the first unanswered item.
//!
//! Inputs are checked here before the library checks them again: the practice and the
//! question must exist in the round's template, the zone must be one of its zone
//! classes, the answer one of the scale's codes.

use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, Session};
use crate::validate;
use credence::assess::Answer;
use credence::assess::engine::{self, Item, QuestionStatus, State as Round};
use credence::assess::evidence::{self, Indicator};
use credence::assess::template::{self, Template};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// The answer codes the UI may send, in the order it shows them.
pub const ANSWER_CODES: &[&str] = &[
    "fully",
    "largely",
    "partially",
    "not",
    "not_applicable",
    "unknown",
];

#[derive(Debug, Serialize)]
pub struct LevelInfo {
    pub number: u8,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct DomainView {
    pub id: String,
    pub name: String,
    pub answered: u32,
    pub applicable: u32,
    pub target: Option<u8>,
}

/// One step of the questionnaire as the side list shows it.
#[derive(Debug, Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: Item,
    /// The practice's domain (questions have none).
    pub domain: Option<String>,
    pub answered: bool,
    /// The answer code (practices) or `yes` / `no` (questions).
    pub answer: Option<String>,
}

/// The round, its items and progress: everything the screen needs to navigate.
#[derive(Debug, Serialize)]
pub struct QuestionnaireView {
    pub model_id: String,
    pub model_name: String,
    pub model_version: String,
    pub round_id: i64,
    pub round_label: String,
    pub levels: Vec<LevelInfo>,
    pub zone_classes: Vec<String>,
    pub domains: Vec<DomainView>,
    pub items: Vec<ItemView>,
    /// Index in `items` of the first unanswered one (where a sitting resumes).
    pub next: Option<usize>,
    pub answered: u32,
    pub total: u32,
    /// The latest scan the evidence comes from; `None` before any scan.
    pub scan: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct AttachedView {
    pub name: String,
    pub size: i64,
    /// The first 12 hex digits of the content's blake3 hash.
    pub hash: String,
    pub added: String,
}

/// One item in full.
// Built once per call and serialised straight away: boxing the larger variant would buy
// nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemDetail {
    Question {
        id: String,
        text: String,
        /// yes, no, open (moot questions are not asked).
        status: &'static str,
    },
    Practice {
        id: String,
        domain: String,
        domain_name: String,
        level: u8,
        level_name: String,
        zone: Option<String>,
        question: String,
        guidance: String,
        evidence_examples: Vec<String>,
        /// The scan's indicators this practice consults (counts, zone split, places).
        indicators: Vec<Indicator>,
        scan: Option<i64>,
        answer: Option<Answer>,
        note: Option<String>,
        answered_at: Option<String>,
        /// Plain words when the scan refutes the current answer.
        contradiction: Option<String>,
        attached: Vec<AttachedView>,
        mappings: Vec<String>,
    },
}

/// The answer to a write: the view again, and the scan's objection to what was just
/// answered, if it has one.
#[derive(Debug, Serialize)]
pub struct Recorded {
    pub view: QuestionnaireView,
    pub contradiction: Option<String>,
}

/// The template of the round the screen works on: `model` when given (it must exist),
/// else the latest round's model, else the default model (as `credence assess` picks).
fn pick(templates: &[Template], s: &Session, model: Option<&str>) -> CmdResult<Template> {
    let id = match model {
        Some(m) => validate::line("model", m, 100)?,
        None => engine::latest_assessment(&s.eng, None)?
            .map(|a| a.model_id)
            .unwrap_or_else(|| template::DEFAULT_MODEL.to_string()),
    };
    templates
        .iter()
        .find(|t| t.model.id == id)
        .cloned()
        .ok_or_else(|| CommandError::invalid(format!("no template declares model '{id}'")))
}

/// Runs `f` on the open engagement's current round (started if there is none yet).
fn with_round<T>(
    state: &AppState,
    model: Option<&str>,
    f: impl FnOnce(&mut Session, &Template, &mut Round) -> CmdResult<T>,
) -> CmdResult<T> {
    let templates = template::catalogue(None).map_err(|e| CommandError::invalid(e.to_string()))?;
    state.with_session(|s| {
        let t = pick(&templates, s, model)?;
        let mut round = engine::start_or_resume(&mut s.eng, &t)?;
        f(s, &t, &mut round)
    })
}

fn item_answer(t: &Template, round: &Round, item: &Item) -> Option<String> {
    match item {
        Item::Question { id } => match round.question_status(t, id) {
            QuestionStatus::Yes => Some("yes".into()),
            QuestionStatus::No => Some("no".into()),
            _ => None,
        },
        Item::Practice { id, zone } => round
            .answer_of(id, zone.as_deref())
            .map(|r| r.answer.code().to_string()),
    }
}

fn view(s: &Session, t: &Template, round: &Round) -> CmdResult<QuestionnaireView> {
    let items: Vec<ItemView> = round
        .items(t)
        .into_iter()
        .map(|item| ItemView {
            domain: match &item {
                Item::Practice { id, .. } => t.practice(id).map(|p| p.domain.clone()),
                Item::Question { .. } => None,
            },
            answered: round.is_answered(t, &item),
            answer: item_answer(t, round, &item),
            item,
        })
        .collect();
    let next = items.iter().position(|i| !i.answered);
    let domains: Vec<DomainView> = round
        .progress(t)
        .into_iter()
        .map(|d| DomainView {
            target: round.targets.get(&d.domain).copied(),
            id: d.domain,
            name: d.name,
            answered: d.answered,
            applicable: d.applicable,
        })
        .collect();
    Ok(QuestionnaireView {
        model_id: t.model.id.clone(),
        model_name: t.model.name.clone(),
        model_version: t.model.version.clone(),
        round_id: round.id(),
        round_label: round.assessment.label.clone(),
        levels: t
            .levels
            .iter()
            .map(|l| LevelInfo {
                number: l.number,
                name: l.name.clone(),
            })
            .collect(),
        zone_classes: t.model.zone_classes.clone(),
        answered: domains.iter().map(|d| d.answered).sum(),
        total: domains.iter().map(|d| d.applicable).sum(),
        domains,
        items,
        next,
        scan: s.eng.latest_scan()?,
    })
}

/// A practice id of the template and a zone that fits it (checked before the library
/// sees them, with messages that name what was sent).
fn check_slot(t: &Template, practice: &str, zone: Option<&str>) -> CmdResult<()> {
    if practice.len() > 100 || t.practice(practice).is_none() {
        return Err(CommandError::invalid(format!(
            "{} has no practice '{}'",
            t.model.id,
            practice.chars().take(40).collect::<String>()
        )));
    }
    Ok(engine::check_slot(t, practice, zone)?)
}

/// Templates available (shipped, or `CREDENCE_TEMPLATES`).
#[tauri::command]
pub fn assessment_templates() -> CmdResult<Vec<credence::assess::TemplateSummary>> {
    Ok(credence::assess::list_templates()?)
}

/// The current round (started on first use): items, progress, where to resume.
#[tauri::command]
pub fn questionnaire(
    state: State<'_, AppState>,
    model: Option<String>,
) -> CmdResult<QuestionnaireView> {
    with_round(&state, model.as_deref(), |s, t, round| view(s, t, round))
}

/// One item in full: a question's text, or a practice with guidance and evidence.
#[tauri::command]
pub fn questionnaire_item(
    state: State<'_, AppState>,
    kind: String,
    id: String,
    zone: Option<String>,
) -> CmdResult<ItemDetail> {
    let item = match validate::one_of("kind", &kind, &["question", "practice"])? {
        "question" => Item::Question { id },
        _ => Item::Practice { id, zone },
    };
    detail(&state, item)
}

fn detail(state: &AppState, item: Item) -> CmdResult<ItemDetail> {
    with_round(state, None, |s, t, round| match item {
        Item::Question { id } => {
            let q = t.question(&id).ok_or_else(|| {
                CommandError::invalid(format!(
                    "{} has no question '{}'",
                    t.model.id,
                    id.chars().take(40).collect::<String>()
                ))
            })?;
            Ok(ItemDetail::Question {
                text: q.text.clone(),
                status: match round.question_status(t, &id) {
                    QuestionStatus::Yes => "yes",
                    QuestionStatus::No | QuestionStatus::Moot => "no",
                    QuestionStatus::Open => "open",
                },
                id,
            })
        }
        Item::Practice { id, zone } => {
            check_slot(t, &id, zone.as_deref())?;
            let p = t.practice(&id).expect("checked above");
            let ev = evidence::of_engagement(&s.eng)?;
            let recorded = round.answer_of(&id, zone.as_deref()).cloned();
            Ok(ItemDetail::Practice {
                domain_name: t
                    .domain(&p.domain)
                    .map(|d| d.name.clone())
                    .unwrap_or_default(),
                domain: p.domain.clone(),
                level: p.level,
                level_name: t
                    .levels
                    .iter()
                    .find(|l| l.number == p.level)
                    .map(|l| l.name.clone())
                    .unwrap_or_default(),
                question: p.question.clone(),
                guidance: p.guidance.clone(),
                evidence_examples: p.evidence_examples.clone(),
                indicators: ev.for_practice(p).into_iter().cloned().collect(),
                scan: ev.scan,
                contradiction: recorded
                    .as_ref()
                    .and_then(|r| ev.contradiction(p, r.answer, zone.as_deref())),
                answer: recorded.as_ref().map(|r| r.answer),
                note: recorded.as_ref().and_then(|r| r.note.clone()),
                answered_at: recorded.map(|r| r.answered_at),
                attached: round
                    .evidence
                    .iter()
                    .filter(|e| e.practice_id == id && e.zone == zone)
                    .map(|e| AttachedView {
                        name: e.name.clone(),
                        size: e.size,
                        hash: e.hash.chars().take(12).collect(),
                        added: e.added.clone(),
                    })
                    .collect(),
                mappings: p.mappings.labels(),
                zone,
                id,
            })
        }
    })
}

/// Records an answer (with its note) for a practice, for one zone class when the
/// practice is answered per zone.
#[tauri::command]
pub fn record_answer(
    state: State<'_, AppState>,
    practice: String,
    zone: Option<String>,
    answer: String,
    note: Option<String>,
) -> CmdResult<Recorded> {
    let code = validate::one_of("answer", &answer, ANSWER_CODES)?;
    let answer = Answer::from_code(code).expect("the codes are the scale's");
    let note = validate::note(note.as_deref())?;
    with_round(&state, None, |s, t, round| {
        check_slot(t, &practice, zone.as_deref())?;
        engine::record_answer(
            &mut s.eng,
            t,
            round,
            &practice,
            zone.as_deref(),
            answer,
            note.as_deref(),
        )?;
        let p = t.practice(&practice).expect("checked above");
        let contradiction =
            evidence::of_engagement(&s.eng)?.contradiction(p, answer, zone.as_deref());
        Ok(Recorded {
            view: view(s, t, round)?,
            contradiction,
        })
    })
}

/// Makes a slot unanswered again ("back and change").
#[tauri::command]
pub fn clear_answer(
    state: State<'_, AppState>,
    practice: String,
    zone: Option<String>,
) -> CmdResult<QuestionnaireView> {
    with_round(&state, None, |s, t, round| {
        check_slot(t, &practice, zone.as_deref())?;
        engine::clear_answer(&mut s.eng, round, &practice, zone.as_deref())?;
        view(s, t, round)
    })
}

/// Answers an applicability question (a "no" takes what depends on it out of scope).
#[tauri::command]
pub fn set_applicability(
    state: State<'_, AppState>,
    question: String,
    applies: bool,
) -> CmdResult<QuestionnaireView> {
    with_round(&state, None, |s, t, round| {
        if question.len() > 100 || t.question(&question).is_none() {
            return Err(CommandError::invalid(format!(
                "{} has no applicability question '{}'",
                t.model.id,
                question.chars().take(40).collect::<String>()
            )));
        }
        engine::set_applicability(&mut s.eng, t, round, &question, applies)?;
        view(s, t, round)
    })
}

/// Sets a domain's target level (0 up to the model's highest).
#[tauri::command]
pub fn set_target(
    state: State<'_, AppState>,
    domain: String,
    level: u8,
) -> CmdResult<QuestionnaireView> {
    with_round(&state, None, |s, t, round| {
        if t.domain(&domain).is_none() {
            return Err(CommandError::invalid(format!(
                "{} has no domain '{}'",
                t.model.id,
                domain.chars().take(40).collect::<String>()
            )));
        }
        engine::set_target(&mut s.eng, t, round, &domain, level)?;
        view(s, t, round)
    })
}

/// Attaches a file as evidence to a practice (and zone). `path` `None`: the native
/// open dialog asks for it; a path from the UI must have been dropped on the window.
/// The library refuses a file that holds a credential (the engagement file never
/// carries a secret).
#[tauri::command]
pub async fn attach_evidence<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    practice: String,
    zone: Option<String>,
    path: Option<String>,
) -> CmdResult<Option<ItemDetail>> {
    // Check the slot before asking the user for a file.
    with_round(&state, None, |_, t, _| {
        check_slot(t, &practice, zone.as_deref())
    })?;
    let file: PathBuf = match path {
        Some(p) => state.grants().check(&p)?,
        None => {
            let picked = app
                .dialog()
                .file()
                .set_title("Attach evidence (a file with no credential in it)")
                .blocking_pick_file();
            match picked.and_then(|p| p.into_path().ok()) {
                Some(p) => {
                    state.grants().grant(&p);
                    p
                }
                None => return Ok(None),
            }
        }
    };
    with_round(&state, None, |s, t, round| {
        engine::attach_evidence(&mut s.eng, t, round, &practice, zone.as_deref(), &file)?;
        Ok(())
    })?;
    detail(&state, Item::Practice { id: practice, zone }).map(Some)
}
