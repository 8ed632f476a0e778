//! The sample engagement through the app's commands: scan with progress to the end,
//! findings windows, triage, overview, identity graph, per-file errors, questionnaire,
//! maturity results, risk register (edits kept across a re-scan), reports; and not one
//! planted secret in anything that crossed IPC.

mod support;

use serde_json::{Value, json};
use support::TestApp;

#[test]
fn sample_engagement_end_to_end_through_commands_leaks_no_secret() {
    let app = TestApp::new();
    let mut ipc = String::new();
    let mut keep = |v: &Value| ipc.push_str(&v.to_string());
    let opened = app.open_sample();
    keep(&opened);
    assert_eq!(opened["meta"]["marking"], "SAMPLE - INVENTED DATA");
    let sources = app.ok("list_sources", json!({}));
    assert_eq!(sources[0]["kind"], "folder");

    app.scan();
    let status = app.ok("scan_status", json!({}));
    keep(&status);
    let scan = &status["scans"][0];
    assert_eq!(scan["status"], "completed");
    assert_eq!(status["running"], false);
    assert!(status["interrupted"].is_null());

    // Every row, window by window.
    let first = app.ok(
        "findings_window",
        json!({"query": {}, "offset": 0, "limit": 50}),
    );
    let total = first["total"].as_u64().unwrap();
    assert_eq!(total, scan["findings"].as_u64().unwrap());
    let planted = std::fs::read_to_string(support::repo().join("tests/expected/sample-data.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count() as u64;
    assert!(
        total >= planted,
        "every planted credential is a finding ({total} for {planted} planted)"
    );
    let mut offset = 0;
    while offset < total {
        let w = app.ok(
            "findings_window",
            json!({"query": {}, "offset": offset, "limit": 50}),
        );
        keep(&w);
        offset += w["rows"].as_array().unwrap().len() as u64;
    }
    assert_eq!(offset, total);

    // Filters and groups agree with each other.
    let ot = app.ok(
        "findings_window",
        json!({"query": {"zone": "OT-L2"}, "offset": 0, "limit": 1000}),
    );
    assert!(ot["matching"].as_u64().unwrap() > 0);
    for r in ot["rows"].as_array().unwrap() {
        assert!(r["exposure_zone"] == "OT-L2" || r["target_zone"] == "OT-L2");
    }
    let grouped = app.ok(
        "findings_window",
        json!({"query": {"group": "zone"}, "offset": 0, "limit": 1000}),
    );
    let headers: u64 = grouped["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "group")
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(headers, total, "group counts add up to every finding");

    // Triage one in bulk form, then by query.
    let id = first["rows"][0]["id"].as_str().unwrap();
    assert_eq!(
        app.ok(
            "triage_findings",
            json!({"selection": {"ids": [id]}, "status": "confirmed", "note": "seen on site"})
        ),
        json!(1)
    );
    let confirmed = app.ok(
        "findings_window",
        json!({"query": {"status": "confirmed"}, "offset": 0, "limit": 10}),
    );
    assert_eq!(confirmed["matching"], 1);
    assert_eq!(confirmed["rows"][0]["note"], "seen on site");
    let privileged = app.ok(
        "findings_window",
        json!({"query": {"flag": "privileged"}, "offset": 0, "limit": 1}),
    )["matching"]
        .as_u64()
        .unwrap();
    let n = app.ok(
        "triage_findings",
        json!({"selection": {"query": {"flag": "privileged"}}, "status": "accepted"}),
    );
    assert_eq!(n.as_u64().unwrap(), privileged);

    // Overview, facets, graph, errors.
    let overview = app.ok("overview", json!({}));
    keep(&overview);
    assert_eq!(overview["findings"].as_u64().unwrap(), total);
    assert!(
        overview["metrics"]["cross_boundary_paths"]
            .as_u64()
            .unwrap()
            >= 1,
        "the historian path (IT → OT)"
    );
    keep(&app.ok("findings_facets", json!({})));
    let graph = app.ok("identity_graph", json!({}));
    keep(&graph);
    let lanes: Vec<&str> = graph["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["zone"].as_str().unwrap())
        .collect();
    assert_eq!(
        &lanes[..6],
        ["IT", "DMZ", "OT-L3", "OT-L2", "OT-L1", "OT-L0"]
    );
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["cross"] == true),
        "a cross-boundary edge"
    );
    let node = &graph["nodes"][0];
    let by_node = app.ok("findings_window", json!({"query": {node["filter_field"].as_str().unwrap(): node["filter_value"]}, "offset": 0, "limit": 1000}));
    assert_eq!(
        by_node["matching"].as_u64().unwrap(),
        node["findings"].as_u64().unwrap(),
        "a node's findings are its count"
    );
    keep(&app.ok("file_errors", json!({"scan": null})));

    // A second scan reuses every unchanged file.
    app.scan();
    let status = app.ok("scan_status", json!({}));
    assert_eq!(
        status["scans"][1]["files_reused"],
        status["scans"][1]["files_seen"]
    );
    assert_eq!(
        app.ok(
            "findings_window",
            json!({"query": {"status": "confirmed"}, "offset": 0, "limit": 1})
        )["matching"],
        1,
        "triage survives a re-scan"
    );

    // Questionnaire: three practices answered, one with a note; the scan's evidence
    // beside each; results, register (with an edit that survives a regeneration) and
    // the board PDF.
    let q = app.ok("questionnaire", json!({}));
    keep(&q);
    // Three whole practices (every zone slot of each): the first two in the
    // questionnaire's order, and DISC-4. The template refutes a closed DISC-4 gap with
    // vendor default credentials, which the sample's OT devices still carry, so its
    // Fully answer for OT must come back contradicted.
    let items = q["items"].as_array().unwrap();
    let mut chosen: Vec<String> = Vec::new();
    for i in items.iter().filter(|i| i["kind"] == "practice") {
        let id = i["id"].as_str().unwrap().to_string();
        if chosen.len() < 2 && id != "DISC-4" && !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    chosen.push("DISC-4".into());
    let slots: Vec<Value> = items
        .iter()
        .filter(|i| i["kind"] == "practice" && chosen.iter().any(|c| i["id"] == c.as_str()))
        .cloned()
        .collect();
    assert!(
        slots
            .iter()
            .any(|i| i["id"] == "DISC-4" && i["zone"] == "OT"),
        "DISC-4 is asked per zone class, OT among them"
    );
    for (n, p) in slots.iter().enumerate() {
        let detail = app.ok(
            "questionnaire_item",
            json!({"kind": "practice", "id": p["id"], "zone": p["zone"]}),
        );
        keep(&detail);
        assert!(!detail["guidance"].as_str().unwrap().is_empty());
        let r = app.ok(
            "record_answer",
            json!({"practice": p["id"], "zone": p["zone"], "answer": "fully", "note": if n == 0 { json!("checked with the site lead") } else { Value::Null }}),
        );
        keep(&r);
    }
    let q = app.ok("questionnaire", json!({}));
    assert_eq!(q["answered"].as_u64().unwrap(), slots.len() as u64);
    let contradicted = app.ok("maturity_results", json!({}));
    keep(&contradicted);
    assert_eq!(contradicted["model_id"], "credence-itot-identity");
    assert!(
        contradicted["practices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["practice_id"] == "DISC-4" && p["contradiction"].is_string()),
        "the sample's default OT passwords refute a Fully answer to DISC-4"
    );
    app.ok("regenerate_register", json!({}));
    app.wait_jobs();
    let register = app.ok("risk_register", json!({}));
    keep(&register);
    let first = register["risks"][0]["id"].as_str().unwrap().to_string();
    let heat: u64 = register["heat"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(
        heat,
        register["live"].as_u64().unwrap(),
        "every live risk is on the heat map once"
    );
    keep(&app.ok(
        "edit_risk",
        json!({"id": first, "edits": {"owner": "OT security lead", "status": "in_progress", "due": "2027-03-31", "treatment": "Rotate and vault."}}),
    ));
    app.scan();
    app.ok("regenerate_register", json!({}));
    app.wait_jobs();
    let again = app.ok("risk_register", json!({}));
    keep(&again);
    let kept = again["risks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == first.as_str())
        .unwrap();
    assert_eq!(
        kept["owner"], "OT security lead",
        "edits survive regeneration after a re-scan"
    );
    assert_eq!(kept["status"], "in_progress");
    assert_eq!(kept["due"], "2027-03-31");
    assert_eq!(kept["treatment"], "Rotate and vault.");
    let overview = app.ok("overview", json!({}));
    keep(&overview);
    assert_eq!(overview["maturity"]["answered"], 3);
    assert!(!overview["top_risks"].as_array().unwrap().is_empty());
    app.ok("generate_report", json!({"kind": "pdf"}));
    app.wait_jobs();
    app.ok("generate_report", json!({"kind": "xlsx"}));
    app.wait_jobs();
    let reports = app.ok("list_reports", json!({}));
    keep(&reports);
    let pdf = reports["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "pdf")
        .expect("the PDF is listed");
    let outline = &pdf["outline"];
    assert_eq!(
        outline["title"],
        format!(
            "Identity risk assessment: {} / {}",
            opened["meta"]["client"].as_str().unwrap(),
            opened["meta"]["site"].as_str().unwrap()
        )
    );
    assert!(outline["pages"].as_u64().unwrap() >= 3, "{outline}");
    // The in-app preview gets the PDF itself, as binary IPC: the same bytes as the file.
    let preview = app.bytes("report_pdf", json!({"name": pdf["name"]}));
    assert!(preview.starts_with(b"%PDF-"));
    assert_eq!(preview.len() as u64, pdf["bytes"].as_u64().unwrap());
    let secrets = support::searchable_secrets();
    assert!(
        secrets.len() > 40,
        "enough planted secrets to search for: {}",
        secrets.len()
    );
    for s in &secrets {
        for (_, enc) in support::encodings(s) {
            assert!(
                !support::contains(ipc.as_bytes(), &enc) && !support::contains(&preview, &enc),
                "a planted secret crossed IPC (encoding of a {}-character secret)",
                s.len()
            );
        }
    }
    println!(
        "FIGURE sample engagement through commands: {total} findings, {} bytes of IPC answers searched for {} secrets",
        ipc.len(),
        secrets.len()
    );
}
