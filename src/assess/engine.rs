//! The questionnaire's state and moves: start or resume an assessment round, what
//! applies (applicability questions skip whole branches; answering no to a zone-class
//! question takes that zone class out of scope), the next unanswered item, recording an
//! answer with its zone, note and evidence, targets, progress per domain.
//!
//! Every write checks its input against the template first, so nothing invalid is
//! stored; the desktop app's commands and the terminal questionnaire both call these.

use super::results::Answer;
use super::template::{Practice, Template};
use crate::store::Engagement;
use crate::store::assessment::{AnswerBatch, AnswerRow, AssessmentRow, EvidenceRow};
use anyhow::{Result, anyhow, bail};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

impl Answer {
    /// The word stored and written in answers files.
    pub fn code(self) -> &'static str {
        match self {
            Answer::Fully => "fully",
            Answer::Largely => "largely",
            Answer::Partially => "partially",
            Answer::Not => "not",
            Answer::NotApplicable => "not_applicable",
            Answer::Unknown => "unknown",
        }
    }

    pub fn from_code(s: &str) -> Option<Answer> {
        Some(match s {
            "fully" => Answer::Fully,
            "largely" => Answer::Largely,
            "partially" => Answer::Partially,
            "not" => Answer::Not,
            "not_applicable" => Answer::NotApplicable,
            "unknown" => Answer::Unknown,
            _ => return None,
        })
    }

    /// Strength for "the weakest zone answer wins": Not < Unknown < Partially <
    /// Largely < Fully. Unknown ranks under Partially: nothing is shown to be in place.
    pub fn strength(self) -> u8 {
        match self {
            Answer::Not => 0,
            Answer::Unknown => 1,
            Answer::Partially => 2,
            Answer::Largely => 3,
            Answer::Fully => 4,
            Answer::NotApplicable => 5,
        }
    }
}

/// An answer as recorded.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Recorded {
    pub answer: Answer,
    pub note: Option<String>,
    pub answered_at: String,
}

/// Everything recorded in one assessment round.
#[derive(Debug, Clone, Serialize)]
pub struct State {
    pub assessment: AssessmentRow,
    /// (practice id, zone class or "") → answer.
    pub answers: BTreeMap<(String, String), Recorded>,
    pub applicability: BTreeMap<String, bool>,
    pub targets: BTreeMap<String, u8>,
    pub evidence: Vec<EvidenceRow>,
}

/// One step of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// An applicability question (yes/no).
    Question { id: String },
    /// A practice, for one zone class when it is zone-specific.
    Practice { id: String, zone: Option<String> },
}

/// Whether a question is in play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionStatus {
    Yes,
    No,
    /// A question it requires was answered no: treated as no, never asked.
    Moot,
    Open,
}

/// Answered / applicable counts of one domain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DomainProgress {
    pub domain: String,
    pub name: String,
    /// Answer slots in scope (a zone-specific practice counts once per zone class).
    pub applicable: u32,
    pub answered: u32,
}

pub fn load_state(eng: &Engagement, assessment_id: i64) -> Result<State> {
    let assessment = eng
        .assessment(assessment_id)?
        .ok_or_else(|| anyhow!("no assessment {assessment_id} in this engagement"))?;
    let mut answers = BTreeMap::new();
    for r in eng.assessment_answers(assessment_id)? {
        let answer = Answer::from_code(&r.answer)
            .ok_or_else(|| anyhow!("stored answer '{}' is not on the scale", r.answer))?;
        answers.insert(
            (r.practice_id, r.zone.unwrap_or_default()),
            Recorded {
                answer,
                note: r.note,
                answered_at: r.answered_at,
            },
        );
    }
    Ok(State {
        assessment,
        answers,
        applicability: eng.assessment_applicability(assessment_id)?,
        targets: eng.assessment_targets(assessment_id)?,
        evidence: eng.assessment_evidence(assessment_id)?,
    })
}

/// The template an assessment was answered against, from a catalogue; a version other
/// than the stored one is refused (answers could mean something else).
pub fn template_for<'t>(templates: &'t [Template], a: &AssessmentRow) -> Result<&'t Template> {
    let t = templates
        .iter()
        .find(|t| t.model.id == a.model_id)
        .ok_or_else(|| {
            anyhow!(
                "assessment {} uses model '{}', which no loaded template declares",
                a.id,
                a.model_id
            )
        })?;
    if t.model.version != a.model_version {
        bail!(
            "assessment {} was answered against {} version {}; the loaded template is version {}",
            a.id,
            a.model_id,
            a.model_version,
            t.model.version
        );
    }
    Ok(t)
}

/// The latest round of `model_id` (any model when `None`), if one was started.
pub fn latest_assessment(
    eng: &Engagement,
    model_id: Option<&str>,
) -> Result<Option<AssessmentRow>> {
    Ok(eng
        .assessments()?
        .into_iter()
        .rev()
        .find(|a| model_id.is_none_or(|m| a.model_id == m)))
}

/// Resumes the latest round of the template's model, or starts the first one.
pub fn start_or_resume(eng: &mut Engagement, t: &Template) -> Result<State> {
    match latest_assessment(eng, Some(&t.model.id))? {
        Some(a) => {
            if a.model_version != t.model.version {
                bail!(
                    "the latest {} assessment was answered against version {}; this template is version {} (start a new round with --new-round)",
                    a.model_id,
                    a.model_version,
                    t.model.version
                );
            }
            load_state(eng, a.id)
        }
        None => start_new(eng, t, "first assessment"),
    }
}

/// Starts a new round (e.g. next quarter's); the earlier one stays for comparison.
pub fn start_new(eng: &mut Engagement, t: &Template, label: &str) -> Result<State> {
    let id = eng.create_assessment(&t.model.id, &t.model.version, label)?;
    load_state(eng, id)
}

impl State {
    pub fn id(&self) -> i64 {
        self.assessment.id
    }

    pub fn question_status(&self, t: &Template, id: &str) -> QuestionStatus {
        self.status_inner(t, id, &mut BTreeSet::new())
    }

    fn status_inner<'a>(
        &self,
        t: &'a Template,
        id: &'a str,
        seen: &mut BTreeSet<&'a str>,
    ) -> QuestionStatus {
        if !seen.insert(id) {
            return QuestionStatus::Open; // validated templates have no cycle
        }
        if let Some(q) = t.question(id) {
            for r in &q.requires {
                match self.status_inner(t, r, seen) {
                    QuestionStatus::No | QuestionStatus::Moot => return QuestionStatus::Moot,
                    QuestionStatus::Open => return QuestionStatus::Open,
                    QuestionStatus::Yes => {}
                }
            }
        }
        match self.applicability.get(id) {
            Some(true) => QuestionStatus::Yes,
            Some(false) => QuestionStatus::No,
            None => QuestionStatus::Open,
        }
    }

    /// The questions (`applies_if`) of a practice and its domain.
    fn conditions<'t>(&self, t: &'t Template, p: &'t Practice) -> Vec<&'t str> {
        let domain = t
            .domain(&p.domain)
            .map(|d| d.applies_if.as_slice())
            .unwrap_or(&[]);
        domain
            .iter()
            .chain(&p.applies_if)
            .map(String::as_str)
            .collect()
    }

    /// `false` when a question of the practice (or its domain) is answered no or moot.
    /// A practice whose questions are still open counts as applicable.
    pub fn practice_in_scope(&self, t: &Template, p: &Practice) -> bool {
        self.conditions(t, p).iter().all(|q| {
            !matches!(
                self.question_status(t, q),
                QuestionStatus::No | QuestionStatus::Moot
            )
        })
    }

    /// The model's zone classes less those whose question is answered no (or moot).
    pub fn zones_in_scope(&self, t: &Template) -> Vec<String> {
        t.model
            .zone_classes
            .iter()
            .filter(|z| {
                !t.questions.iter().any(|q| {
                    q.zone_class.as_deref() == Some(z.as_str())
                        && matches!(
                            self.question_status(t, &q.id),
                            QuestionStatus::No | QuestionStatus::Moot
                        )
                })
            })
            .cloned()
            .collect()
    }

    /// The answer slots of a practice: `[None]`, or one per zone class in scope.
    pub fn slots(&self, t: &Template, p: &Practice) -> Vec<Option<String>> {
        if p.zone_specific {
            self.zones_in_scope(t).into_iter().map(Some).collect()
        } else {
            vec![None]
        }
    }

    pub fn answer_of(&self, practice: &str, zone: Option<&str>) -> Option<&Recorded> {
        self.answers
            .get(&(practice.to_string(), zone.unwrap_or("").to_string()))
    }

    /// The questionnaire in order: the zone-class questions, then for each practice in
    /// model order the questions it depends on (prerequisites first) and its answer slots.
    pub fn items(&self, t: &Template) -> Vec<Item> {
        let mut out = Vec::new();
        let mut asked = BTreeSet::new();
        // Questions that set the zone classes in scope come first: they decide how
        // many times each zone-specific practice is asked.
        for q in t.questions.iter().filter(|q| q.zone_class.is_some()) {
            self.push_question(t, &q.id, &mut asked, &mut out);
        }
        for p in &t.practices {
            for q in self.conditions(t, p) {
                self.push_question(t, q, &mut asked, &mut out);
            }
            if !self.practice_in_scope(t, p) {
                continue;
            }
            for zone in self.slots(t, p) {
                out.push(Item::Practice {
                    id: p.id.clone(),
                    zone,
                });
            }
        }
        // Questions no practice names still shape scope (zone classes): ask them last.
        for q in &t.questions {
            self.push_question(t, &q.id, &mut asked, &mut out);
        }
        out
    }

    fn push_question(
        &self,
        t: &Template,
        id: &str,
        asked: &mut BTreeSet<String>,
        out: &mut Vec<Item>,
    ) {
        if !asked.insert(id.to_string()) {
            return;
        }
        if let Some(q) = t.question(id) {
            for r in &q.requires {
                self.push_question(t, r, asked, out);
            }
        }
        if !matches!(self.question_status(t, id), QuestionStatus::Moot) {
            out.push(Item::Question { id: id.to_string() });
        }
    }

    pub fn is_answered(&self, t: &Template, item: &Item) -> bool {
        match item {
            Item::Question { id } => self.question_status(t, id) != QuestionStatus::Open,
            Item::Practice { id, zone } => self.answer_of(id, zone.as_deref()).is_some(),
        }
    }

    /// The first item not answered yet: where a sitting resumes.
    pub fn next_unanswered(&self, t: &Template) -> Option<Item> {
        // Recomputed after each answer: a "no" can remove later items.
        self.items(t).into_iter().find(|i| !self.is_answered(t, i))
    }

    pub fn progress(&self, t: &Template) -> Vec<DomainProgress> {
        t.domains
            .iter()
            .map(|d| {
                let mut applicable = 0;
                let mut answered = 0;
                for p in t.practices.iter().filter(|p| p.domain == d.id) {
                    if !self.practice_in_scope(t, p) {
                        continue;
                    }
                    for z in self.slots(t, p) {
                        applicable += 1;
                        if self.answer_of(&p.id, z.as_deref()).is_some() {
                            answered += 1;
                        }
                    }
                }
                DomainProgress {
                    domain: d.id.clone(),
                    name: d.name.clone(),
                    applicable,
                    answered,
                }
            })
            .collect()
    }
}

/// Checks that `zone` fits the practice: a zone class of the model for a zone-specific
/// practice, none otherwise.
pub fn check_slot(t: &Template, practice: &str, zone: Option<&str>) -> Result<()> {
    let p = t
        .practice(practice)
        .ok_or_else(|| anyhow!("{} has no practice '{practice}'", t.model.id))?;
    match (p.zone_specific, zone) {
        (true, Some(z)) if t.model.zone_classes.iter().any(|c| c == z) => Ok(()),
        (true, Some(z)) => bail!(
            "'{z}' is not a zone class of {} (one of: {})",
            t.model.id,
            t.model.zone_classes.join(", ")
        ),
        (true, None) => bail!(
            "{practice} is answered per zone class: give one of {}",
            t.model.zone_classes.join(", ")
        ),
        (false, Some(_)) => bail!("{practice} is answered once, not per zone class"),
        (false, None) => Ok(()),
    }
}

/// Records one answer (replacing an earlier one for the same slot).
pub fn record_answer(
    eng: &mut Engagement,
    t: &Template,
    state: &mut State,
    practice: &str,
    zone: Option<&str>,
    answer: Answer,
    note: Option<&str>,
) -> Result<()> {
    check_slot(t, practice, zone)?;
    let row = AnswerRow {
        practice_id: practice.to_string(),
        zone: zone.map(str::to_string),
        answer: answer.code().to_string(),
        note: note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        answered_at: crate::store::now(),
    };
    eng.write_assessment_batch(
        state.id(),
        &AnswerBatch {
            answers: vec![row],
            ..Default::default()
        },
    )?;
    *state = load_state(eng, state.id())?;
    Ok(())
}

/// Makes a slot unanswered again (the questionnaire's "back and change").
pub fn clear_answer(
    eng: &mut Engagement,
    state: &mut State,
    practice: &str,
    zone: Option<&str>,
) -> Result<()> {
    eng.clear_assessment_answer(state.id(), practice, zone)?;
    *state = load_state(eng, state.id())?;
    Ok(())
}

pub fn set_applicability(
    eng: &mut Engagement,
    t: &Template,
    state: &mut State,
    question: &str,
    applies: bool,
) -> Result<()> {
    if t.question(question).is_none() {
        bail!("{} has no applicability question '{question}'", t.model.id);
    }
    eng.write_assessment_batch(
        state.id(),
        &AnswerBatch {
            applicability: vec![(question.to_string(), applies)],
            ..Default::default()
        },
    )?;
    *state = load_state(eng, state.id())?;
    Ok(())
}

pub fn set_target(
    eng: &mut Engagement,
    t: &Template,
    state: &mut State,
    domain: &str,
    level: u8,
) -> Result<()> {
    if t.domain(domain).is_none() {
        bail!("{} has no domain '{domain}'", t.model.id);
    }
    if level > t.max_level() {
        bail!(
            "target {level} is above the model's highest level ({})",
            t.max_level()
        );
    }
    eng.write_assessment_batch(
        state.id(),
        &AnswerBatch {
            targets: vec![(domain.to_string(), level)],
            ..Default::default()
        },
    )?;
    *state = load_state(eng, state.id())?;
    Ok(())
}

/// Largest evidence file accepted (the engagement file travels to the client).
pub const MAX_EVIDENCE_BYTES: u64 = 32 * 1024 * 1024;

/// Attaches a file as evidence: stored once by content hash. A file that holds a
/// credential is refused (the engagement file never carries a secret): it is scanned
/// with the built-in detectors first.
pub fn attach_evidence(
    eng: &mut Engagement,
    t: &Template,
    state: &mut State,
    practice: &str,
    zone: Option<&str>,
    path: &Path,
) -> Result<EvidenceRow> {
    check_slot(t, practice, zone)?;
    let meta = std::fs::metadata(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        bail!("{}: not a file", path.display());
    }
    if meta.len() > MAX_EVIDENCE_BYTES {
        bail!(
            "{}: {} bytes, over the {} MiB limit for evidence",
            path.display(),
            meta.len(),
            MAX_EVIDENCE_BYTES / 1024 / 1024
        );
    }
    let found = credentials_in(path)?;
    if found > 0 {
        bail!(
            "{}: refused, it holds {found} credential(s) by Credence's own scan; attach a redacted copy (the engagement file must never carry a secret)",
            path.display()
        );
    }
    let content = std::fs::read(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let hash = blake3::hash(&content).to_hex().to_string();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "evidence".into());
    eng.attach_evidence_file(state.id(), practice, zone, &name, &hash, &content)?;
    *state = load_state(eng, state.id())?;
    state
        .evidence
        .iter()
        .find(|e| e.hash == hash && e.practice_id == practice && e.zone.as_deref() == zone)
        .cloned()
        .ok_or_else(|| anyhow!("evidence not recorded"))
}

/// How many credentials the built-in scanner finds in one file. The key is random and
/// thrown away: only the count is kept.
fn credentials_in(path: &Path) -> Result<usize> {
    let scanner = crate::scan::Scanner::new(crate::vault::FingerprintKey::random()?)?;
    let r = scanner.scan(&crate::scan::ScanOptions {
        roots: vec![path.to_path_buf()],
        ..Default::default()
    })?;
    Ok(r.findings.len())
}
