//! Credence desktop: a Tauri shell over the `credence` library. Commands (in
//! `commands/`) validate input, call the library and shape answers; long work runs on
//! background threads and reports through events. Nothing here holds a plaintext
//! secret: findings arrive from the library masked and fingerprinted.
//!
//! - `state`: the open engagement, its key and findings cache, granted paths, the scan.
//! - `validate`: input checks shared by commands (paths, text, closed sets).
//! - `findings_view` / `graph_view`: the findings table and identity graph, computed here
//!   so the UI receives windows of rows, never 100k at once.
//! - `keys`: keyring or passphrase for the engagement key.
//! - `menu`: the native menu; choices become `menu` events for the UI.

pub mod commands;
pub mod error;
pub mod findings_view;
pub mod graph_view;
pub mod keys;
pub mod menu;
pub mod state;
pub mod validate;

use state::{AppState, Dirs, read_recent};
use std::path::PathBuf;
use tauri::{DragDropEvent, Emitter, Manager, Runtime, WindowEvent};

/// Emitted with the paths dropped on the window, after they were granted.
pub const DROP_EVENT: &str = "sources-dropped";

/// Registers every command. The list is mirrored in `build.rs` (which generates one
/// permission per command) and `capabilities/default.json` (which allows them); a
/// test checks the three agree.
pub fn register<R: Runtime>(b: tauri::Builder<R>) -> tauri::Builder<R> {
    use commands::*;
    b.invoke_handler(tauri::generate_handler![
        engagement::app_info,
        engagement::choose_engagement_location,
        engagement::choose_engagement_file,
        engagement::create_engagement,
        engagement::open_engagement,
        engagement::open_sample,
        engagement::close_engagement,
        engagement::recent_engagements,
        sources::list_sources,
        sources::pick_sources,
        sources::add_dropped_sources,
        sources::add_sample_source,
        sources::remove_source,
        zones::list_zones,
        zones::add_zone,
        zones::add_zone_rule,
        zones::remove_zone_rule,
        zones::set_zone_criticality,
        scan::start_scan,
        scan::cancel_scan,
        scan::scan_status,
        scan::file_errors,
        findings::findings_window,
        findings::findings_facets,
        findings::triage_findings,
        findings::reveal_finding,
        findings::identity_graph,
        overview::overview,
        assessment::assessment_templates,
        assessment::questionnaire,
        assessment::questionnaire_item,
        assessment::record_answer,
        assessment::clear_answer,
        assessment::set_applicability,
        assessment::set_target,
        assessment::attach_evidence,
        maturity::maturity_results,
        risks::risk_register,
        risks::edit_risk,
        risks::regenerate_register,
        reports::list_reports,
        reports::generate_report,
        reports::save_report,
        reports::open_report,
        reports::report_pdf,
    ])
}

/// The bundled sample data: `CREDENCE_SAMPLE_DATA`, else the installed resource, else
/// the repository's folder (development builds).
fn sample_data<R: Runtime>(app: &tauri::AppHandle<R>) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CREDENCE_SAMPLE_DATA") {
        return Some(PathBuf::from(p));
    }
    let installed = app
        .path()
        .resource_dir()
        .ok()
        .map(|d| d.join("sample-data"))
        .filter(|d| d.is_dir());
    installed.or_else(|| {
        let dev = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sample-data");
        dev.is_dir().then_some(dev)
    })
}

fn app_dirs<R: Runtime>(app: &tauri::AppHandle<R>) -> Dirs {
    let home = dirs::home_dir().unwrap_or_else(std::env::temp_dir);
    Dirs {
        data: app
            .path()
            .app_data_dir()
            .unwrap_or_else(|_| home.join(".credence-desktop")),
        engagements: dirs::document_dir().unwrap_or(home).join("Credence"),
        sample_data: sample_data(app),
    }
}

pub fn run() {
    // `--sample`: open the sample engagement at start (the README's first command).
    let open_sample = std::env::args().any(|a| a == "--sample");
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(move |app| {
            let handle = app.handle();
            let state = AppState::new(app_dirs(handle), open_sample, true);
            let recent = read_recent(&state.recent_file());
            app.manage(state);
            app.set_menu(menu::build(handle, &recent)?)?;
            Ok(())
        })
        .on_menu_event(|app, event| {
            let recent = read_recent(&app.state::<AppState>().recent_file());
            menu::on_event(app, event, &recent);
        })
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let state = window.state::<AppState>();
                {
                    let mut g = state.grants();
                    for p in paths {
                        g.grant(p);
                    }
                }
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let _ = window.emit(DROP_EVENT, list);
            }
        });
    register(builder)
        .run(tauri::generate_context!())
        .expect("error while running the Credence desktop app");
}
