//! Maturity results screen: the latest round scored (as `credence maturity` prints it)
//! with target and previous levels per domain for the radar, the gap list foundations
//! first, the answers the scan contradicts, and the trend against the round before.

use crate::error::{CmdResult, CommandError};
use crate::state::AppState;
use credence::assess::{self, template};
use tauri::State;

/// The report of the latest round; `None` before any assessment was started.
#[tauri::command]
pub fn maturity_results(state: State<'_, AppState>) -> CmdResult<Option<assess::Report>> {
    let templates = template::catalogue(None).map_err(|e| CommandError::invalid(e.to_string()))?;
    state.with_session(|s| Ok(assess::report(&s.eng, &templates, None, None)?))
}
