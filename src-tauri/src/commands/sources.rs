//! Sources screen, first half: the folders and files an engagement scans. Paths come
//! only from a native dialog or a drop on the window (both granted in Rust), or are
//! the bundled sample data.

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use crate::validate;
use credence::store::sources::Source;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[derive(Debug, Serialize)]
pub struct SourceInfo {
    pub id: i64,
    pub root: String,
    pub added: String,
    /// `folder`, `file`, or `missing` (moved or unmounted since it was added).
    pub kind: &'static str,
}

fn info(s: Source) -> SourceInfo {
    let p = Path::new(&s.root);
    let kind = if p.is_dir() {
        "folder"
    } else if p.is_file() {
        "file"
    } else {
        "missing"
    };
    SourceInfo {
        id: s.id,
        root: s.root,
        added: s.added,
        kind,
    }
}

fn list(state: &AppState) -> CmdResult<Vec<SourceInfo>> {
    state.with_session(|s| Ok(s.eng.sources()?.into_iter().map(info).collect()))
}

#[tauri::command]
pub fn list_sources(state: State<'_, AppState>) -> CmdResult<Vec<SourceInfo>> {
    list(&state)
}

fn add_all(state: &AppState, paths: &[PathBuf]) -> CmdResult<Vec<SourceInfo>> {
    state.with_session(|s| {
        for p in paths {
            let canonical = std::fs::canonicalize(p).map_err(|e| {
                CommandError::new(crate::error::ErrorKind::Io, format!("{}: {e}", p.display()))
            })?;
            s.eng.add_source(&canonical.display().to_string())?;
        }
        Ok(())
    })?;
    list(state)
}

/// Native dialog: `folders` or `files`; what the user picks is granted and added.
#[tauri::command]
pub async fn pick_sources<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
) -> CmdResult<Vec<SourceInfo>> {
    let kind = validate::one_of("kind", &kind, &["folders", "files"])?;
    state.with_session(|_| Ok(()))?;
    let dialog = app.dialog().file().set_title(if kind == "folders" {
        "Add folders to scan"
    } else {
        "Add files to scan"
    });
    let picked = if kind == "folders" {
        dialog.blocking_pick_folders()
    } else {
        dialog.blocking_pick_files()
    };
    let paths: Vec<PathBuf> = picked
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .collect();
    {
        let mut g = state.grants();
        for p in &paths {
            g.grant(p);
        }
    }
    add_all(&state, &paths)
}

/// Paths dropped on the window (the drop handler in `lib.rs` granted them).
#[tauri::command]
pub fn add_dropped_sources(
    state: State<'_, AppState>,
    paths: Vec<String>,
) -> CmdResult<Vec<SourceInfo>> {
    if paths.is_empty() || paths.len() > 1000 {
        return Err(CommandError::invalid("drop between 1 and 1000 paths"));
    }
    let checked = {
        let g = state.grants();
        paths
            .iter()
            .map(|p| g.check(p))
            .collect::<CmdResult<Vec<PathBuf>>>()?
    };
    add_all(&state, &checked)
}

/// The bundled sample data as a source of the open engagement (first runs, demos).
#[tauri::command]
pub fn add_sample_source(state: State<'_, AppState>) -> CmdResult<Vec<SourceInfo>> {
    let data = super::engagement::sample_data(&state)?;
    add_all(&state, &[data])
}

#[tauri::command]
pub fn remove_source(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<SourceInfo>> {
    state.with_session(|s| Ok(s.eng.remove_source(id)?))?;
    list(&state)
}
