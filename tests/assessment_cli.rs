//! `credence assess`, `credence maturity` from the outside: the terminal questionnaire
//! driven through a pipe (answer three items, quit, come back, carry on at the fourth),
//! answers checked against the sample engagement's scan (the issue's own example:
//! "no shared admin accounts" while the scan found shared privileged credentials), the
//! contradiction carried into the results, trend between rounds, and no planted secret
//! in any output.

mod common;

use common::engagement::*;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

/// `credence assess -e FILE` with `keys` piped on standard input.
fn questionnaire(tmp: &Path, eng: &Path, keys: &str) -> Output {
    let mut child = cmd(tmp)
        .args(["assess", "-e", eng.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(keys.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

fn exported(tmp: &Path, eng: &Path) -> serde_json::Value {
    let file = tmp.join("export.json");
    let o = run(
        tmp,
        &[
            "assess",
            "-e",
            eng.to_str().unwrap(),
            "--export-answers",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn answer_of<'a>(
    export: &'a serde_json::Value,
    practice: &str,
    zone: Option<&str>,
) -> Option<&'a serde_json::Value> {
    export["answer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["practice"] == practice && a["zone"].as_str() == zone)
}

#[test]
fn the_questionnaire_resumes_where_the_last_sitting_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = new_engagement(tmp.path(), "e.credence");
    // 1: OT at the site? yes. 2: IIoT? no. 3: DISC-1 for IT: Fully. Then quit.
    let o = questionnaire(tmp.path(), &eng, "y\nn\nf\nq\n");
    let out = stdout(&o);
    let first = out.find("Applicability: ot").expect("asks about OT first");
    let second = out.find("Applicability: iiot").unwrap();
    let third = out
        .find("DISC-1 · Discovery of every identity · level 1 (Initiated) · zone IT")
        .unwrap();
    assert!(first < second && second < third, "{out}");
    assert!(
        out.contains("Guidance: Ask for the list"),
        "guidance is shown: {out}"
    );
    assert!(
        out.contains("Scan evidence: no scan in this engagement yet."),
        "{out}"
    );
    assert!(out.contains("Saved: 1/"), "{out}");

    // Second sitting: carries on at #4, DISC-1 for OT (no IoT: IIoT was answered no).
    let o = questionnaire(tmp.path(), &eng, "t\nexport seen, OT lists partial\np\nq\n");
    let out = stdout(&o);
    let shown: Vec<&str> = out.lines().filter(|l| l.starts_with("── ")).collect();
    assert!(
        shown[0].contains("DISC-1") && shown[0].contains("zone OT"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains("DISC-1") && shown[1].contains("zone OT"),
        "the note keeps the item: {shown:?}"
    );
    assert!(
        shown[2].contains("DISC-2") && shown[2].contains("zone IT"),
        "{shown:?}"
    );
    assert!(!out.contains("zone IoT"), "{out}");

    let e = exported(tmp.path(), &eng);
    assert_eq!(
        answer_of(&e, "DISC-1", Some("IT")).unwrap()["answer"],
        "fully"
    );
    let ot = answer_of(&e, "DISC-1", Some("OT")).unwrap();
    assert_eq!(
        (ot["answer"].as_str(), ot["note"].as_str()),
        (Some("partially"), Some("export seen, OT lists partial"))
    );
    assert_eq!(
        e["applicability"],
        serde_json::json!({"ot": true, "iiot": false})
    );
}

#[test]
fn skip_and_back_move_without_answering() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = new_engagement(tmp.path(), "e.credence");
    // Questions answered; skip DISC-1 IT; back to it; answer Unknown; end of input quits.
    let o = questionnaire(tmp.path(), &eng, "y\ny\ns\nb\nu\n");
    let out = stdout(&o);
    let shown: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("── ") && l.contains("DISC"))
        .collect();
    assert!(
        shown[0].contains("DISC-1") && shown[0].contains("zone IT"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains("DISC-1") && shown[1].contains("zone OT"),
        "skipped to the next: {shown:?}"
    );
    assert!(
        shown[2].contains("DISC-1") && shown[2].contains("zone IT"),
        "back: {shown:?}"
    );
    let e = exported(tmp.path(), &eng);
    assert_eq!(e["answer"].as_array().unwrap().len(), 1);
    assert_eq!(
        answer_of(&e, "DISC-1", Some("IT")).unwrap()["answer"],
        "unknown"
    );
}

const SAMPLE_ANSWERS: &str = r#"model = "credence-itot-identity"
model_version = "1.0"

[applicability]
ot = true
iiot = false
vendor_remote = true

[targets]
PRIVILEGE = 2

[[answer]]
practice = "PRIV-2"
answer = "fully"
note = "policy says there are no shared admin accounts"

[[answer]]
practice = "DISC-4"
zone = "OT"
answer = "fully"

[[answer]]
practice = "GOV-1"
answer = "fully"

[[answer]]
practice = "CTL-2"
answer = "not"
"#;

#[test]
fn the_sample_scan_contradicts_the_answers_it_refutes_and_the_flag_reaches_the_results() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = new_engagement(tmp.path(), "sample.credence");
    let e = eng.to_str().unwrap();
    scan(
        tmp.path(),
        &eng,
        &[&common::sample_data()],
        &["--exclude", "EXPECTED.tsv"],
    );
    let answers = tmp.path().join("answers.toml");
    std::fs::write(&answers, SAMPLE_ANSWERS).unwrap();
    let o = run(
        tmp.path(),
        &["assess", "-e", e, "--answers", answers.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("imported 4 answer(s)"));

    // Shared privileged credentials counted independently from the identity graph.
    let metrics = json(&run(tmp.path(), &["metrics", "-e", e, "-f", "json"]));
    let shared_privileged = metrics["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["shared"] == true
                && c["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "privileged")
        })
        .count();
    assert!(
        shared_privileged > 0,
        "the sample has shared admin passwords"
    );

    let o = run(tmp.path(), &["maturity", "-e", e, "-f", "json"]);
    let r = json(&o);
    assert_eq!(
        r["evidence"]["indicators"]["shared_privileged"]["count"],
        shared_privileged
    );
    let practice = |id: &str| {
        r["practices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["practice_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        practice("PRIV-2")["contradiction"],
        format!(
            "answered Fully implemented, but the scan found {shared_privileged} shared privileged credentials"
        )
    );
    let disc4 = practice("DISC-4")["contradiction"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        disc4.starts_with("OT: answered Fully implemented, but the scan found ")
            && disc4.ends_with(" vendor default credentials in OT"),
        "{disc4}"
    );
    assert_eq!(
        practice("GOV-1")["contradiction"],
        serde_json::Value::Null,
        "nothing refutes it"
    );
    assert_eq!(
        practice("CTL-2")["contradiction"],
        serde_json::Value::Null,
        "an honest Not is not contradicted"
    );
    assert!(r["gaps"].as_array().unwrap().iter().any(|g| g == "CTL-2"));
    let privilege = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "PRIVILEGE")
        .unwrap();
    assert_eq!(privilege["target"], 2);
    // The scan evidence offered next to a question: OT default credentials by zone.
    let defaults = &r["evidence"]["indicators"]["default_credentials"];
    assert!(
        defaults["by_zone"]["OT"].as_u64().unwrap() > 0,
        "{defaults}"
    );

    let table = stdout(&run(tmp.path(), &["maturity", "-e", e]));
    assert!(
        table.contains("Answers the scan contradicts (2):"),
        "{table}"
    );
    assert!(
        table.contains("PRIVILEGE Privileged and vendor access"),
        "{table}"
    );

    // The questionnaire shows the evidence and warns as the answer is given.
    let o = questionnaire(tmp.path(), &eng, "f\nq\n");
    let out = stdout(&o);
    assert!(out.contains("Scan evidence (scan 1):"), "{out}");
    assert!(
        out.contains("files holding credential sheets or tables"),
        "{out}"
    );

    // Nothing planted in the sample leaks into any output or the engagement file.
    let export = tmp.path().join("answers-out.toml");
    run(
        tmp.path(),
        &[
            "assess",
            "-e",
            e,
            "--export-answers",
            export.to_str().unwrap(),
        ],
    );
    let mut outputs: Vec<(String, Vec<u8>)> = vec![
        (
            "maturity json".into(),
            run(tmp.path(), &["maturity", "-e", e, "-f", "json"]).stdout,
        ),
        ("maturity table".into(), table.into_bytes()),
        ("questionnaire".into(), out.into_bytes()),
        ("export".into(), std::fs::read(&export).unwrap()),
        ("engagement".into(), std::fs::read(&eng).unwrap()),
    ];
    if let Ok(wal) = std::fs::read(eng.with_extension("credence-wal")) {
        outputs.push(("wal".into(), wal));
    }
    for secret in common::searchable_secrets() {
        for (enc, needle) in common::encodings(&secret) {
            for (what, bytes) in &outputs {
                assert!(
                    !common::contains(bytes, &needle),
                    "{what} holds a planted secret ({enc})"
                );
            }
        }
    }
}

#[test]
fn rounds_are_compared_in_one_engagement_and_across_engagement_files() {
    let tmp = tempfile::tempdir().unwrap();
    let a = new_engagement(tmp.path(), "a.credence");
    let b = new_engagement(tmp.path(), "b.credence");
    let write = |name: &str, gov1: &str| {
        let f = tmp.path().join(name);
        std::fs::write(
            &f,
            format!("model = \"credence-itot-identity\"\nmodel_version = \"1.0\"\n[[answer]]\npractice = \"GOV-1\"\nanswer = \"{gov1}\"\n[[answer]]\npractice = \"GOV-2\"\nanswer = \"fully\"\n"),
        )
        .unwrap();
        f
    };
    let (weak, strong) = (write("q1.toml", "partially"), write("q2.toml", "largely"));
    let ok = |o: Output| assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    ok(run(
        tmp.path(),
        &[
            "assess",
            "-e",
            a.to_str().unwrap(),
            "--answers",
            weak.to_str().unwrap(),
        ],
    ));
    ok(run(
        tmp.path(),
        &[
            "assess",
            "-e",
            a.to_str().unwrap(),
            "--new-round",
            "2026 Q3",
            "--answers",
            strong.to_str().unwrap(),
        ],
    ));
    let r = json(&run(
        tmp.path(),
        &["maturity", "-e", a.to_str().unwrap(), "-f", "json"],
    ));
    assert_eq!(r["label"], "2026 Q3");
    let gov = r["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "GOVERN")
        .unwrap();
    assert_eq!(
        (gov["achieved"].as_u64(), gov["previous"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        r["trend"]["compared_with"],
        "round 1 (first assessment) of this engagement"
    );
    let gov1 = r["trend"]["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "GOV-1")
        .unwrap();
    assert_eq!(
        (
            gov1["previous"].as_str(),
            gov1["current"].as_str(),
            gov1["change"].as_str()
        ),
        (Some("partially"), Some("largely"), Some("improved"))
    );
    let table = stdout(&run(tmp.path(), &["maturity", "-e", a.to_str().unwrap()]));
    assert!(table.contains("GOVERN       0 → 1 (Improved)"), "{table}");

    // Another engagement file (last year's audit) as the comparison.
    ok(run(
        tmp.path(),
        &[
            "assess",
            "-e",
            b.to_str().unwrap(),
            "--answers",
            strong.to_str().unwrap(),
        ],
    ));
    let r = json(&run(
        tmp.path(),
        &[
            "maturity",
            "-e",
            b.to_str().unwrap(),
            "-f",
            "json",
            "--compare",
            a.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        r["trend"]["compared_with"],
        format!("round 2 (2026 Q3) of {}", a.display())
    );
    assert!(
        r["trend"]["domains"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["change"] == "unchanged")
    );
}

#[test]
fn bad_input_is_refused_with_its_place_and_nothing_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = new_engagement(tmp.path(), "e.credence");
    let e = eng.to_str().unwrap();
    let o = run(tmp.path(), &["maturity", "-e", e]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no assessment started yet"),
        "{}",
        stderr(&o)
    );

    let other = tmp.path().join("old.json");
    std::fs::write(&other, "{\n  \"model\": \"credence-itot-identity\",\n  \"model_version\": \"0.9\",\n  \"answer\": [{\"practice\": \"GOV-1\", \"answer\": \"fully\"}]\n}\n").unwrap();
    let o = run(
        tmp.path(),
        &["assess", "-e", e, "--answers", other.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "{}:3: model_version: answers are for credence-itot-identity version 0.9",
            other.display()
        )),
        "{err}"
    );
    assert_eq!(
        one(&eng, "SELECT count(*) FROM assessments"),
        "0",
        "not even a round started"
    );
    assert_eq!(one(&eng, "SELECT count(*) FROM assessment_answers"), "0");

    for bad in [
        vec!["assess", "-e", e, "--target", "PRIVILEGE"],
        vec!["assess", "-e", e, "--target", "PRIVILEGE=9"],
        vec!["assess", "-e", e, "--target", "NOWHERE=1"],
        vec!["assess", "-e", e, "--model", "no-such-model"],
        vec!["maturity", "-e", e, "--compare", "/nonexistent.credence"],
    ] {
        assert_eq!(run(tmp.path(), &bad).status.code(), Some(2), "{bad:?}");
    }
    assert_eq!(
        one(&eng, "SELECT count(*) FROM assessments"),
        "0",
        "refused before writing"
    );
    let not_ours = tmp.path().join("notes.txt");
    std::fs::write(&not_ours, "not an engagement").unwrap();
    let o = run(
        tmp.path(),
        &["assess", "-e", not_ours.to_str().unwrap(), "--status"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&not_ours).unwrap(), b"not an engagement");
}
