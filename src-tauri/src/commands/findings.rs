//! Findings screen: windows of the filtered, sorted, grouped view; filter counts;
//! triage in bulk; reveal a finding's file in the OS file manager. The identity graph
//! reads the same cache.

use crate::error::{CmdResult, CommandError};
use crate::findings_view::{self, DisplayRow, Facets, Query, Row};
use crate::graph_view::{self, GraphView};
use crate::state::{AppState, FindingsCache, Session};
use crate::validate;
use credence::store::query::{FindingFilter, TRIAGE};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tauri::{AppHandle, Runtime, State};

/// The cache of the latest scan's findings, built when missing or stale.
pub(crate) fn cache(s: &mut Session) -> CmdResult<&mut FindingsCache> {
    let latest = s.eng.latest_scan()?.unwrap_or(0);
    if s.cache.as_ref().is_none_or(|c| c.scan != latest) {
        let rows: Vec<Row> = if latest == 0 {
            Vec::new()
        } else {
            s.eng
                .list_findings(&FindingFilter {
                    scan: Some(latest),
                    ..Default::default()
                })?
                .into_iter()
                .map(Row::from)
                .collect()
        };
        s.cache = Some(FindingsCache {
            scan: latest,
            rows,
            view: None,
            analysis: None,
        });
    }
    Ok(s.cache.as_mut().expect("just filled"))
}

/// The identity analysis of the cached findings (computed once per cache).
pub(crate) fn analysis(s: &mut Session) -> CmdResult<credence::identity::Analysis> {
    let zones = s.eng.zone_map()?;
    let c = cache(s)?;
    if c.analysis.is_none() {
        let findings: Vec<credence::Finding> = c.rows.iter().map(|r| r.finding.clone()).collect();
        c.analysis = Some(credence::identity::build(&findings, &zones).analysis);
    }
    Ok(c.analysis.clone().expect("just filled"))
}

#[derive(Debug, Serialize)]
pub struct FindingsWindow {
    pub scan: i64,
    /// Findings in the scan.
    pub total: usize,
    /// Findings that pass the filters.
    pub matching: usize,
    /// Lines of the view (group headers included, collapsed findings excluded).
    pub entries: usize,
    pub offset: usize,
    pub rows: Vec<DisplayRow>,
}

#[tauri::command]
pub async fn findings_window(
    state: State<'_, AppState>,
    query: Query,
    offset: usize,
    limit: usize,
) -> CmdResult<FindingsWindow> {
    query.validate()?;
    state.with_session(|s| {
        let c = cache(s)?;
        if c.view.as_ref().is_none_or(|(q, _)| *q != query) {
            let entries = findings_view::build(&c.rows, &query);
            c.view = Some((query, entries));
        }
        let (_, entries) = c.view.as_ref().expect("just filled");
        let matching = entries
            .iter()
            .map(|e| match e {
                findings_view::Entry::Group {
                    count,
                    collapsed: true,
                    ..
                } => *count as usize,
                findings_view::Entry::Item(_) => 1,
                _ => 0,
            })
            .sum();
        Ok(FindingsWindow {
            scan: c.scan,
            total: c.rows.len(),
            matching,
            entries: entries.len(),
            offset,
            rows: findings_view::window(&c.rows, entries, offset, limit),
        })
    })
}

#[tauri::command]
pub async fn findings_facets(state: State<'_, AppState>) -> CmdResult<Facets> {
    state.with_session(|s| Ok(findings_view::facets(&cache(s)?.rows)))
}

/// Which findings a bulk action applies to: listed ids, or everything a query shows.
// One per call, deserialised from IPC and dropped: boxing the query buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    Ids(Vec<String>),
    Query(Query),
}

const MAX_IDS: usize = 200_000;

#[tauri::command]
pub async fn triage_findings(
    state: State<'_, AppState>,
    selection: Selection,
    status: String,
    note: Option<String>,
) -> CmdResult<usize> {
    let status = validate::one_of("status", &status, TRIAGE)?;
    let note = validate::note(note.as_deref())?;
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .and_then(|u| validate::optional_line("who", Some(&u), 100).ok().flatten());
    state.with_session(|s| {
        let ids = match selection {
            Selection::Ids(ids) => {
                if ids.is_empty() || ids.len() > MAX_IDS {
                    return Err(CommandError::invalid(format!(
                        "select between 1 and {MAX_IDS} findings"
                    )));
                }
                ids
            }
            Selection::Query(q) => {
                q.validate()?;
                findings_view::ids(&cache(s)?.rows, &q)
            }
        };
        if ids.is_empty() {
            return Ok(0);
        }
        // All or nothing: an unknown id changes nothing (the library's transaction).
        let n = s
            .eng
            .triage(&ids, status, note.as_deref(), who.as_deref())?;
        if let Some(c) = s.cache.as_mut() {
            let set: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
            for r in c
                .rows
                .iter_mut()
                .filter(|r| set.contains(r.finding.id.as_str()))
            {
                r.status = status.to_string();
                if note.is_some() {
                    r.note = note.clone();
                }
                if who.is_some() {
                    r.who = who.clone();
                }
            }
            c.view = None;
        }
        Ok(n)
    })
}

/// The file holding a finding (the archive, for a member), checked to lie inside one
/// of the engagement's current sources.
pub fn revealable_path(s: &mut Session, id: &str) -> CmdResult<PathBuf> {
    let roots: Vec<PathBuf> = s
        .eng
        .sources()?
        .into_iter()
        .map(|x| PathBuf::from(x.root))
        .collect();
    let c = cache(s)?;
    let row = c
        .rows
        .iter()
        .find(|r| r.finding.id == id)
        .ok_or_else(|| CommandError::invalid("no finding with this id in the latest scan"))?;
    let mut file = PathBuf::from(&row.finding.root);
    if !file.is_file() {
        for part in row.finding.path.split('/') {
            file.push(part);
        }
    }
    validate::inside_sources(&file, &roots)
}

#[tauri::command]
pub async fn reveal_finding<R: Runtime>(
    _app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<()> {
    let id = validate::line("id", &id, 100)?;
    let file = state.with_session(|s| revealable_path(s, &id))?;
    tauri_plugin_opener::reveal_item_in_dir(&file).map_err(|e| {
        CommandError::new(
            crate::error::ErrorKind::Io,
            format!("cannot open the file manager: {e}"),
        )
    })
}

#[tauri::command]
pub async fn identity_graph(state: State<'_, AppState>) -> CmdResult<GraphView> {
    state.with_session(|s| {
        let zones = s.eng.zone_map()?;
        let a = analysis(s)?;
        let c = cache(s)?;
        Ok(graph_view::build(&c.rows, &zones, &a.cross_boundary))
    })
}
