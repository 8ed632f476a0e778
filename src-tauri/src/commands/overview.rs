//! Overview dashboard: leadership indicators, the credentials that reach furthest, the
//! paths across trust boundaries, and scan status. Phase 2 adds maturity and risks.

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
        })
    })
}
