//! Risk register screen: the register as stored (priority order), a 5×5 heat map of the
//! live risks, edits that survive regeneration (owner, due date, status, treatment,
//! note), and regeneration from the latest scan and assessment on a background thread
//! (`register-regenerated` event), as `credence register` does it.

use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::state::AppState;
use crate::validate;
use credence::report::data::{ReportData, today};
use credence::risk::{Risk, STATUSES, Status, register};
use credence::store::Engagement;
use credence::store::risks::RiskEdits;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

pub const REGENERATED_EVENT: &str = "register-regenerated";
const JOB: &str = "register";
/// Identities and finding ids shown per risk (the register keeps them all).
const SHOWN: usize = 8;

/// One risk as the table shows it: the effective values (edits over generated ones).
#[derive(Debug, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub rank: usize,
    pub origin: String,
    pub title: String,
    pub description: String,
    pub zones: Vec<String>,
    pub systems: Vec<String>,
    /// The first few `user@system` involved; `identity_count` says how many in all.
    pub identities: Vec<String>,
    pub identity_count: usize,
    pub finding_count: usize,
    pub answer_count: usize,
    pub attack: Vec<String>,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub band: String,
    pub residual_score: u8,
    pub derivation: Vec<String>,
    pub contradictions: Vec<String>,
    pub treatment: String,
    pub practices: Vec<String>,
    pub owner: Option<String>,
    pub owner_role: String,
    pub due: String,
    pub due_suggested: bool,
    pub status: String,
    pub note: Option<String>,
    pub first_seen: String,
    pub evidence_gone: Option<String>,
    pub edited: Vec<String>,
}

impl From<Risk> for RiskRow {
    fn from(r: Risk) -> Self {
        let c = r.content;
        RiskRow {
            id: r.id,
            rank: r.rank,
            origin: c.origin.as_str().into(),
            title: c.title,
            description: c.description,
            zones: c.zones,
            systems: c.systems,
            identity_count: c.identities.len(),
            identities: c.identities.into_iter().take(SHOWN).collect(),
            finding_count: c.findings.len(),
            answer_count: c.answers.len(),
            attack: c.attack,
            likelihood: c.likelihood,
            impact: c.impact,
            score: r.score,
            band: r.band.as_str().into(),
            residual_score: r.residual_score,
            derivation: c.derivation,
            contradictions: c.contradictions,
            treatment: c.treatment,
            practices: c.practices,
            owner: r.owner,
            owner_role: c.owner_role,
            due: r.due,
            due_suggested: r.due_suggested,
            status: r.status.as_str().into(),
            note: r.note,
            first_seen: r.first_seen,
            evidence_gone: r.evidence_gone,
            edited: r.edited,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RegisterView {
    pub risks: Vec<RiskRow>,
    /// `heat[likelihood-1][impact-1]`: live risks (open or in progress) in that cell.
    pub heat: [[u32; 5]; 5],
    pub live: usize,
    pub regenerating: bool,
}

/// The heat map of the live risks.
pub fn heat_map(risks: &[Risk]) -> [[u32; 5]; 5] {
    let mut heat = [[0u32; 5]; 5];
    for r in risks.iter().filter(|r| r.status.is_live()) {
        let l = r.content.likelihood.clamp(1, 5) as usize - 1;
        let i = r.content.impact.clamp(1, 5) as usize - 1;
        heat[l][i] += 1;
    }
    heat
}

fn view(state: &AppState, risks: Vec<Risk>) -> RegisterView {
    RegisterView {
        heat: heat_map(&risks),
        live: risks.iter().filter(|r| r.status.is_live()).count(),
        regenerating: state.jobs().contains(JOB),
        risks: risks.into_iter().map(RiskRow::from).collect(),
    }
}

/// The register as stored (no regeneration): empty until the first regeneration.
#[tauri::command]
pub fn risk_register(state: State<'_, AppState>) -> CmdResult<RegisterView> {
    let risks = state.with_session(|s| Ok(register::load(&s.eng)?))?;
    Ok(view(&state, risks))
}

/// What a person changes on a risk. `None`: unchanged; `""`: back to the generated value.
#[derive(Debug, Default, Deserialize)]
pub struct RiskEditInput {
    pub owner: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub status: Option<String>,
    pub treatment: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
}

/// An edited single-line field: `""` stays `""` (it clears the edit).
fn edited_line(field: &str, v: Option<&str>, max: usize) -> CmdResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(Some(String::new())),
        Some(v) => validate::optional_line(field, Some(v), max),
    }
}

fn edited_text(v: Option<&str>) -> CmdResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(Some(String::new())),
        Some(v) => validate::note(Some(v)),
    }
}

/// Risk ids are `R-` and digits (`R-001`).
fn check_id(id: &str) -> CmdResult<()> {
    let ok = id
        .strip_prefix("R-")
        .is_some_and(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(CommandError::invalid(format!(
            "'{}' is not a risk id (R-001)",
            id.chars().take(20).collect::<String>()
        )))
    }
}

/// Applies a person's edits; what they set survives regeneration after a re-scan.
#[tauri::command]
pub fn edit_risk(
    state: State<'_, AppState>,
    id: String,
    edits: RiskEditInput,
) -> CmdResult<RegisterView> {
    check_id(&id)?;
    let status = match edits.status.as_deref() {
        None => None,
        Some(s) => {
            Some(Status::parse(validate::one_of("status", s, STATUSES)?).expect("one of STATUSES"))
        }
    };
    let due = match edits.due.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(String::new()),
        Some(d) => {
            credence::store::risks::check_date(d)?;
            Some(d.to_string())
        }
    };
    let e = RiskEdits {
        owner: edited_line("owner", edits.owner.as_deref(), 200)?,
        due,
        status,
        treatment: edited_text(edits.treatment.as_deref())?,
        title: edited_line("title", edits.title.as_deref(), 300)?,
        description: None,
        note: edited_text(edits.note.as_deref())?,
    };
    if e == RiskEdits::default() {
        return Err(CommandError::invalid("nothing to change"));
    }
    let who = std::env::var("USER").ok();
    let risks = state.with_session(|s| {
        s.eng.edit_risk(&id, &e, who.as_deref())?;
        Ok(register::load(&s.eng)?)
    })?;
    Ok(view(&state, risks))
}

/// What a regeneration reports when it ends.
#[derive(Debug, Clone, Serialize)]
pub struct Regenerated {
    pub engagement: String,
    pub ok: bool,
    pub risks: usize,
    pub live: usize,
    pub message: Option<String>,
}

/// Regenerates the register from the latest scan and the assessment, stores it (edits
/// kept, risks whose evidence is gone resolved) on a background thread, then emits
/// `register-regenerated`.
#[tauri::command]
pub fn regenerate_register<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<bool> {
    let path = state.with_session(|s| Ok(s.path.clone()))?;
    state.begin_job(JOB)?;
    let spawned = std::thread::Builder::new()
        .name("credence-desktop-register".into())
        .spawn(move || {
            let outcome = regenerate(&path);
            let event = match outcome {
                Ok(risks) => Regenerated {
                    engagement: path.display().to_string(),
                    ok: true,
                    live: risks.iter().filter(|r| r.status.is_live()).count(),
                    risks: risks.len(),
                    message: None,
                },
                Err(e) => Regenerated {
                    engagement: path.display().to_string(),
                    ok: false,
                    risks: 0,
                    live: 0,
                    message: Some(e.message),
                },
            };
            app.state::<AppState>().end_job(JOB);
            let _ = app.emit(REGENERATED_EVENT, event);
        });
    if let Err(e) = spawned {
        state.end_job(JOB);
        return Err(CommandError::new(
            ErrorKind::Io,
            format!("cannot start the register thread: {e}"),
        ));
    }
    Ok(true)
}

/// The same steps as `credence register`, on the thread's own connection.
pub fn regenerate(path: &Path) -> CmdResult<Vec<Risk>> {
    let mut eng = Engagement::open(path)?;
    Ok(gather(&mut eng)?.risks)
}

/// Everything the register and the reports need, the register regenerated and stored.
pub fn gather(eng: &mut Engagement) -> CmdResult<ReportData> {
    let maturity = credence::assess::maturity_of(eng, None)?;
    let previous = credence::assess::previous_maturity(eng, None)?;
    Ok(ReportData::gather(eng, maturity, previous, &today())?)
}
