//! Generates one permission per app command (`allow-<command>`), so the capability
//! file can allow exactly the commands the UI uses. Keep in step with `register` in
//! `src/lib.rs` and `capabilities/default.json` (a test checks all three).

const COMMANDS: &[&str] = &[
    "app_info",
    "choose_engagement_location",
    "choose_engagement_file",
    "create_engagement",
    "open_engagement",
    "open_sample",
    "close_engagement",
    "recent_engagements",
    "list_sources",
    "pick_sources",
    "add_dropped_sources",
    "add_sample_source",
    "remove_source",
    "list_zones",
    "add_zone",
    "add_zone_rule",
    "remove_zone_rule",
    "set_zone_criticality",
    "start_scan",
    "cancel_scan",
    "scan_status",
    "file_errors",
    "findings_window",
    "findings_facets",
    "triage_findings",
    "reveal_finding",
    "identity_graph",
    "overview",
    "assessment_templates",
    "questionnaire",
    "questionnaire_item",
    "record_answer",
    "clear_answer",
    "set_applicability",
    "set_target",
    "attach_evidence",
    "maturity_results",
    "risk_register",
    "edit_risk",
    "regenerate_register",
    "list_reports",
    "generate_report",
    "save_report",
    "open_report",
    "report_pdf",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
