//! Every command, called as the webview would call it: the happy path on the sample
//! engagement, and hostile arguments that must be refused without effect.

mod support;

use serde_json::{Value, json};
use support::TestApp;

fn kinds_of(v: &Value) -> String {
    v["kind"].as_str().unwrap_or("").to_string()
}

#[test]
fn every_command_is_registered_permitted_and_listed_once() {
    let build_rs = std::fs::read_to_string(support::repo().join("src-tauri/build.rs")).unwrap();
    let listed: Vec<String> = build_rs
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .strip_suffix("\",")
                .map(str::to_string)
        })
        .collect();
    assert_eq!(listed.len(), 45, "build.rs COMMANDS");
    let cap: Value = serde_json::from_str(
        &std::fs::read_to_string(support::repo().join("src-tauri/capabilities/default.json"))
            .unwrap(),
    )
    .unwrap();
    let mut permitted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let core: Vec<String> = permitted
        .iter()
        .filter(|p| p.starts_with("core:"))
        .cloned()
        .collect();
    assert_eq!(
        core,
        ["core:event:allow-listen", "core:event:allow-unlisten"],
        "nothing else from core"
    );
    permitted.retain(|p| !p.starts_with("core:"));
    let mut wanted: Vec<String> = listed
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    permitted.sort();
    wanted.sort();
    assert_eq!(
        permitted, wanted,
        "the capability allows exactly the app's commands"
    );
    // Each listed command is registered: a call reaches it (and fails on its input
    // or for want of an engagement, never as an unknown command).
    let app = TestApp::new();
    for c in &listed {
        if matches!(
            c.as_str(),
            "choose_engagement_file"
                | "pick_sources"
                | "choose_engagement_location"
                | "reveal_finding"
                | "attach_evidence"
                | "save_report"
                | "open_report"
        ) {
            continue; // open native dialogs or the file manager: exercised below with bad input only
        }
        if let Err(e) = app.call(c, json!({})) {
            let text = e.to_string();
            assert!(!text.contains("not found"), "{c}: {text}");
        }
    }
}

#[test]
fn nothing_works_without_an_engagement() {
    let app = TestApp::new();
    for (cmd, args) in [
        ("list_sources", json!({})),
        ("list_zones", json!({})),
        ("start_scan", json!({})),
        ("scan_status", json!({})),
        ("overview", json!({})),
        ("identity_graph", json!({})),
        ("findings_facets", json!({})),
        ("add_sample_source", json!({})),
        (
            "findings_window",
            json!({"query": {}, "offset": 0, "limit": 10}),
        ),
    ] {
        assert_eq!(app.refused(cmd, args), "no_engagement", "{cmd}");
    }
    assert_eq!(app.ok("cancel_scan", json!({})), json!(false));
    assert_eq!(app.ok("close_engagement", json!({})), Value::Null);
}

#[test]
fn creating_refuses_bad_input_and_paths_nobody_chose() {
    let app = TestApp::new();
    let new = |extra: Value| {
        let mut v = json!({"client": "ACME Water", "site": "Plant 3", "passphrase": "correct horse battery"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        json!({ "input": v })
    };
    assert_eq!(
        app.refused("create_engagement", new(json!({"client": ""}))),
        "invalid"
    );
    assert_eq!(
        app.refused("create_engagement", new(json!({"client": "A\u{0}B"}))),
        "invalid"
    );
    assert_eq!(
        app.refused("create_engagement", new(json!({"site": "line\nbreak"}))),
        "invalid"
    );
    assert_eq!(
        app.refused("create_engagement", new(json!({"client": "x".repeat(201)}))),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "create_engagement",
            new(json!({"location": "/etc/evil.credence"}))
        ),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "create_engagement",
            new(json!({"location": "../../evil.credence"}))
        ),
        "invalid"
    );
    assert_eq!(
        app.refused("create_engagement", new(json!({"passphrase": "short"}))),
        "invalid"
    );
    // No keyring and no passphrase: the UI is asked for one.
    assert_eq!(
        app.refused("create_engagement", new(json!({"passphrase": null}))),
        "passphrase_required"
    );
    assert!(
        app.call("create_engagement", new(json!({"admin": true})))
            .is_err(),
        "unknown fields are refused"
    );
    assert!(
        !app.path().join("engagements").exists()
            || std::fs::read_dir(app.path().join("engagements"))
                .unwrap()
                .count()
                == 0,
        "nothing was created"
    );
    assert_eq!(
        app.refused("choose_engagement_location", json!({"suggestedName": " "})),
        "invalid"
    );
    assert_eq!(
        app.refused("pick_sources", json!({"kind": "everything"})),
        "invalid"
    );

    let opened = app.ok(
        "create_engagement",
        new(json!({"assessor": "J. Doe", "marking": "CONFIDENTIAL"})),
    );
    let path = opened["path"].as_str().unwrap().to_string();
    assert!(
        path.ends_with("engagements/acme-water-plant-3.credence"),
        "{path}"
    );
    assert!(opened["key_note"].as_str().unwrap().contains("passphrase"));
    assert_eq!(opened["recent"][0]["path"], path.as_str());

    // Opening: only the recent list or a dialog's choice.
    assert_eq!(
        app.refused("open_engagement", json!({"path": "/etc/passwd"})),
        "invalid"
    );
    assert_eq!(
        app.refused("open_engagement", json!({"path": path, "passphrase": null})),
        "passphrase_required"
    );
    assert_eq!(
        app.refused(
            "open_engagement",
            json!({"path": path, "passphrase": "wrong passphrase"})
        ),
        "wrong_passphrase"
    );
    app.ok(
        "open_engagement",
        json!({"path": path, "passphrase": "correct horse battery"}),
    );
}

#[test]
fn sources_zones_findings_and_triage_refuse_hostile_arguments() {
    let app = TestApp::new();
    app.open_sample();
    // Sources: only granted paths (dialogs, drops) or the bundled sample data.
    assert_eq!(
        app.refused("add_dropped_sources", json!({"paths": ["/etc"]})),
        "invalid"
    );
    assert_eq!(
        app.refused("add_dropped_sources", json!({"paths": ["relative/dir"]})),
        "invalid"
    );
    assert_eq!(
        app.refused("add_dropped_sources", json!({"paths": []})),
        "invalid"
    );
    let granted = app.path().join("dropped");
    std::fs::create_dir_all(&granted).unwrap();
    app.state().grants().grant(&granted);
    let list = app.ok(
        "add_dropped_sources",
        json!({"paths": [granted.display().to_string()]}),
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    let id = list[1]["id"].as_i64().unwrap();
    assert_eq!(
        app.refused("remove_source", json!({"id": 99_999})),
        "invalid"
    );
    assert_eq!(
        app.ok("remove_source", json!({"id": id}))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Zones.
    let zone = |name: &str, kind: &str, s: u8| json!({"zone": {"name": name, "kind": kind, "safety": s, "availability": 1, "regulatory": 1}});
    assert_eq!(app.refused("add_zone", zone("Z", "SCADA", 1)), "invalid");
    assert_eq!(
        app.refused("add_zone", zone("two\nlines", "IT", 1)),
        "invalid"
    );
    assert_eq!(app.refused("add_zone", zone("Z", "IT", 9)), "invalid");
    assert_eq!(
        app.refused("add_zone", zone("IT", "IT", 1)),
        "invalid",
        "exists"
    );
    let rule = |zone: &str, kind: &str, pattern: &str, priority: i64| json!({"zone": zone, "kind": kind, "pattern": pattern, "priority": priority});
    assert_eq!(
        app.refused("add_zone_rule", rule("OT-L2", "path-glob", "[", 5)),
        "invalid"
    );
    assert_eq!(
        app.refused("add_zone_rule", rule("OT-L2", "cidr", "192.0.2.0/99", 5)),
        "invalid"
    );
    assert_eq!(
        app.refused("add_zone_rule", rule("OT-L2", "regex", ".*", 5)),
        "invalid"
    );
    assert_eq!(
        app.refused("add_zone_rule", rule("nowhere", "cidr", "192.0.2.0/24", 5)),
        "invalid"
    );
    assert_eq!(
        app.refused("add_zone_rule", rule("OT-L2", "cidr", "192.0.2.0/24", -5)),
        "invalid"
    );
    assert_eq!(
        app.refused("remove_zone_rule", json!({"id": 99_999})),
        "invalid"
    );
    let crit = json!({"zone": "IT", "safety": 0, "availability": 6, "regulatory": 1});
    assert_eq!(app.refused("set_zone_criticality", crit), "invalid");
    assert!(
        app.call(
            "set_zone_criticality",
            json!({"zone": "IT", "safety": 300, "availability": 1, "regulatory": 1})
        )
        .is_err()
    );

    // Findings queries are validated before use; windows are bounded.
    let window = |q: Value, limit: u64| json!({"query": q, "offset": 0, "limit": limit});
    assert_eq!(
        app.refused(
            "findings_window",
            window(json!({"sort": "1; DROP TABLE findings"}), 10)
        ),
        "invalid"
    );
    assert_eq!(
        app.refused("findings_window", window(json!({"group": "secret"}), 10)),
        "invalid"
    );
    assert_eq!(
        app.refused("findings_window", window(json!({"status": "pwned"}), 10)),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "findings_window",
            window(json!({"text": "x".repeat(501)}), 10)
        ),
        "invalid"
    );
    assert!(
        app.call("findings_window", window(json!({"password": "x"}), 10))
            .is_err(),
        "unknown filter"
    );
    assert_eq!(
        app.refused("file_errors", json!({"scan": 424242})),
        "invalid"
    );
    app.scan();
    let w = app.ok("findings_window", window(json!({}), 1_000_000_000));
    assert!(
        w["rows"].as_array().unwrap().len() <= 1000,
        "windows are capped"
    );

    // Triage: all or nothing, closed set of statuses, bounded notes.
    let first = w["rows"][0]["id"].as_str().unwrap().to_string();
    let triage = |sel: Value, status: &str, note: Value| json!({"selection": sel, "status": status, "note": note});
    assert_eq!(
        app.refused(
            "triage_findings",
            triage(
                json!({"ids": [first, "no-such-id"]}),
                "confirmed",
                Value::Null
            )
        ),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "triage_findings",
            triage(json!({"ids": [first]}), "pwned", Value::Null)
        ),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "triage_findings",
            triage(json!({"ids": [first]}), "fixed", json!("bell\u{7}"))
        ),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "triage_findings",
            triage(json!({"ids": []}), "fixed", Value::Null)
        ),
        "invalid"
    );
    let still_open = app.ok("findings_window", window(json!({"status": "open"}), 10));
    assert_eq!(
        still_open["matching"], w["total"],
        "a refused triage changed nothing"
    );

    // Reveal: a finding id that exists, a file inside the current sources.
    assert_eq!(
        app.refused("reveal_finding", json!({"id": "../../etc/passwd"})),
        "invalid"
    );
    assert_eq!(app.refused("reveal_finding", json!({"id": ""})), "invalid");
}

#[test]
fn reveal_only_inside_the_current_sources() {
    let app = TestApp::new();
    app.open_sample();
    app.scan();
    let w = app.ok(
        "findings_window",
        json!({"query": {}, "offset": 0, "limit": 1}),
    );
    let id = w["rows"][0]["id"].as_str().unwrap().to_string();
    let file = app
        .state()
        .with_session(|s| credence_desktop::commands::findings::revealable_path(s, &id))
        .unwrap();
    assert!(file.starts_with(std::fs::canonicalize(support::repo().join("sample-data")).unwrap()));
    assert!(file.is_file());
    // Once its source is removed, the same finding's file is no longer handed to the OS.
    app.ok("remove_source", json!({"id": 1}));
    let refused = app
        .state()
        .with_session(|s| credence_desktop::commands::findings::revealable_path(s, &id))
        .unwrap_err();
    assert_eq!(
        kinds_of(&serde_json::to_value(&refused).unwrap()),
        "invalid"
    );
}

#[test]
fn questionnaire_register_and_reports_refuse_hostile_arguments() {
    let app = TestApp::new();
    for (c, a) in [
        ("questionnaire", json!({})),
        ("maturity_results", json!({})),
        ("risk_register", json!({})),
        ("list_reports", json!({})),
        ("regenerate_register", json!({})),
        ("generate_report", json!({"kind": "pdf"})),
    ] {
        assert_eq!(app.refused(c, a), "no_engagement", "{c}");
    }
    app.open_sample();
    let (zoned, _) = app.practice_item(true);
    let (once, _) = app.practice_item(false);
    let answer = |practice: &str, zone: Option<&str>, answer: &str, note: Value| json!({"practice": practice, "zone": zone, "answer": answer, "note": note});
    for (why, args) in [
        (
            "unknown practice",
            answer("NOPE-9", None, "fully", Value::Null),
        ),
        (
            "answer off the scale",
            answer(&once, None, "mostly", Value::Null),
        ),
        (
            "zone the model lacks",
            answer(&zoned, Some("Mars"), "fully", Value::Null),
        ),
        (
            "zoned practice without a zone",
            answer(&zoned, None, "fully", Value::Null),
        ),
        (
            "zone on a practice answered once",
            answer(&once, Some("IT"), "fully", Value::Null),
        ),
        (
            "control characters in the note",
            answer(&once, None, "fully", json!("bell\u{7}")),
        ),
        (
            "note too long",
            answer(&once, None, "fully", json!("x".repeat(2001))),
        ),
        (
            "practice id as a path",
            answer("../../etc/passwd", None, "fully", Value::Null),
        ),
    ] {
        assert_eq!(app.refused("record_answer", args), "invalid", "{why}");
    }
    assert_eq!(
        app.refused("questionnaire", json!({"model": "no-such-model"})),
        "invalid"
    );
    assert_eq!(
        app.refused("set_target", json!({"domain": "NOPE", "level": 1})),
        "invalid"
    );
    let domain = app.ok("questionnaire", json!({}))["domains"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.refused("set_target", json!({"domain": domain, "level": 99})),
        "invalid"
    );
    assert!(
        app.call("set_target", json!({"domain": domain, "level": -1}))
            .is_err()
    );
    assert_eq!(
        app.refused(
            "set_applicability",
            json!({"question": "nope", "applies": true})
        ),
        "invalid"
    );
    assert_eq!(
        app.refused("questionnaire_item", json!({"kind": "evil", "id": once})),
        "invalid"
    );
    assert_eq!(
        app.refused(
            "questionnaire_item",
            json!({"kind": "practice", "id": zoned, "zone": "Mars"})
        ),
        "invalid"
    );
    assert_eq!(
        app.refused("clear_answer", json!({"practice": "NOPE-9"})),
        "invalid"
    );

    // Evidence: only a file dropped on the window (or chosen in the dialog), and never
    // one that holds a credential.
    assert_eq!(
        app.refused(
            "attach_evidence",
            json!({"practice": once, "path": "/etc/passwd"})
        ),
        "invalid"
    );
    let holds_secret =
        support::repo().join("sample-data/engineering-share/control-room/shift-handover.txt");
    app.state().grants().grant(&holds_secret);
    let refused = app
        .call(
            "attach_evidence",
            json!({"practice": once, "path": holds_secret}),
        )
        .unwrap_err();
    assert_eq!(kinds_of(&refused), "invalid");
    assert!(
        refused["message"].as_str().unwrap().contains("credential"),
        "{refused}"
    );
    let clean = app.path().join("minutes.txt");
    std::fs::write(
        &clean,
        "Access review held on site; list of accounts checked.\n",
    )
    .unwrap();
    app.state().grants().grant(&clean);
    let item = app.ok("attach_evidence", json!({"practice": once, "path": clean}));
    assert_eq!(item["attached"][0]["name"], "minutes.txt");
    assert_eq!(
        app.ok("questionnaire", json!({}))["answered"],
        0,
        "nothing refused was stored"
    );

    // Register edits: a real id, a status of the list, a date.
    // One regeneration at a time (the job is held here so the check does not race it).
    app.state().begin_job("register").unwrap();
    assert_eq!(app.refused("regenerate_register", json!({})), "busy");
    app.state().end_job("register");
    app.ok("regenerate_register", json!({}));
    app.wait_jobs();
    for (why, id, edits) in [
        (
            "id with SQL",
            "R-1; DROP TABLE risks",
            json!({"owner": "x"}),
        ),
        ("unknown id", "R-999", json!({"owner": "x"})),
        ("status off the list", "R-001", json!({"status": "done"})),
        ("not a date", "R-001", json!({"due": "tomorrow"})),
        ("owner on two lines", "R-001", json!({"owner": "a\nb"})),
        ("nothing to change", "R-001", json!({})),
    ] {
        assert_eq!(
            app.refused("edit_risk", json!({"id": id, "edits": edits})),
            "invalid",
            "{why}"
        );
    }

    // Reports: closed sets, and only files of the engagement's output folder by name.
    assert_eq!(
        app.refused("generate_report", json!({"kind": "docx"})),
        "invalid"
    );
    assert_eq!(
        app.refused("generate_report", json!({"kind": "pdf", "paper": "a3"})),
        "invalid"
    );
    for name in [
        "../../etc/passwd",
        "/etc/passwd",
        "missing.pdf",
        "notes.txt",
        "",
    ] {
        assert_eq!(
            app.refused("open_report", json!({"name": name})),
            "invalid",
            "{name}"
        );
        assert_eq!(
            app.refused("save_report", json!({"name": name})),
            "invalid",
            "{name}"
        );
        assert_eq!(
            app.refused("report_pdf", json!({"name": name})),
            "invalid",
            "{name}"
        );
    }
}
