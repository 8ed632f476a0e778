//! Overview dashboard: leadership indicators, the credentials that reach furthest, the
//! paths across trust boundaries, scan status, the maturity summary (latest round) and
//! the top risks of the register as stored.

use super::findings::{analysis, cache};
use crate::error::CmdResult;
use crate::state::AppState;
use credence::identity::{CredentialReport, CrossPath, Metrics};
use credence::store::Meta;
use credence::store::query::ScanRow;
use serde::Serialize;
use std::collections::BTreeMap;
use tauri::State;

#[derive(Debug, Serialize)]
pub struct Overview {
    pub path: String,
    pub meta: Meta,
    pub key_note: String,
    pub sources: usize,
    pub latest_scan: Option<ScanRow>,
    pub scans: usize,
    pub findings: usize,
    pub by_status: BTreeMap<String, usize>,
    pub by_category: Vec<(String, usize)>,
    pub metrics: Metrics,
    pub top_credentials: Vec<CredentialReport>,
    pub cross_paths: Vec<CrossPath>,
    pub total_cross_paths: usize,
    pub maturity: Option<MaturitySummary>,
    /// The highest-priority live risks (register as last generated).
    pub top_risks: Vec<RiskSummary>,
    pub risks_total: usize,
    pub risks_live: usize,
}

#[derive(Debug, Serialize)]
pub struct MaturitySummary {
    pub model_name: String,
    pub overall: u8,
    pub max_level: u8,
    pub answered: u32,
    pub applicable: u32,
    pub gaps: usize,
    pub contradictions: usize,
    /// (domain id, name, achieved, target)
    pub domains: Vec<(String, String, u8, Option<u8>)>,
}

#[derive(Debug, Serialize)]
pub struct RiskSummary {
    pub id: String,
    pub title: String,
    pub score: u8,
    pub band: String,
    pub status: String,
    pub owner: Option<String>,
    pub due: String,
}

fn maturity(eng: &credence::store::Engagement) -> CmdResult<Option<MaturitySummary>> {
    let Some(m) = credence::assess::maturity_of(eng, None)? else {
        return Ok(None);
    };
    Ok(Some(MaturitySummary {
        overall: credence::assess::scoring::overall_level(&m),
        max_level: m.max_level,
        answered: m.domains.iter().map(|d| d.practices_answered).sum(),
        applicable: m.domains.iter().map(|d| d.practices_applicable).sum(),
        gaps: m.gaps().len(),
        contradictions: m.contradictions().count(),
        domains: m
            .domains
            .iter()
            .map(|d| (d.id.clone(), d.name.clone(), d.achieved, d.target))
            .collect(),
        model_name: m.model_name,
    }))
}

pub const TOP: usize = 5;

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> CmdResult<Overview> {
    state.with_session(|s| {
        let scans = s.eng.scans()?;
        let a = analysis(s)?;
        let c = cache(s)?;
        let mut by_status = BTreeMap::new();
        let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
        for r in &c.rows {
            *by_status.entry(r.status.clone()).or_insert(0) += 1;
            *by_category
                .entry(r.finding.category.as_str().to_string())
                .or_insert(0) += 1;
        }
        let mut by_category: Vec<(String, usize)> = by_category.into_iter().collect();
        by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let findings = c.rows.len();
        let latest = c.scan;
        let risks = credence::risk::register::load(&s.eng)?;
        let live: Vec<&credence::risk::Risk> =
            risks.iter().filter(|r| r.status.is_live()).collect();
        Ok(Overview {
            path: s.path.display().to_string(),
            meta: s.eng.meta()?,
            key_note: s.key_note.clone(),
            sources: s.eng.sources()?.len(),
            latest_scan: scans.iter().find(|x| x.id == latest).cloned(),
            scans: scans.len(),
            findings,
            by_status,
            by_category,
            metrics: a.metrics.clone(),
            top_credentials: a.credentials.iter().take(TOP).cloned().collect(),
            total_cross_paths: a.cross_boundary.len(),
            cross_paths: a.cross_boundary.iter().take(TOP).cloned().collect(),
            maturity: maturity(&s.eng)?,
            top_risks: live
                .iter()
                .take(TOP)
                .map(|r| RiskSummary {
                    id: r.id.clone(),
                    title: r.content.title.clone(),
                    score: r.score,
                    band: r.band.as_str().into(),
                    status: r.status.as_str().into(),
                    owner: r.owner.clone(),
                    due: r.due.clone(),
                })
                .collect(),
            risks_live: live.len(),
            risks_total: risks.len(),
        })
    })
}
