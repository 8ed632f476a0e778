//! Crash safety after the scan (killed scans are in engagement_scan.rs): the process is
//! SIGKILLed at random moments while answers are being saved, while the risk register
//! is regenerated and while reports are written. After every kill the engagement passes
//! `PRAGMA integrity_check`, running the same command again finishes the work, and the
//! end state equals that of a run nobody interrupted: no answer, risk or edit lost or
//! doubled, and a report on disk is always a whole one (the previous or the new).
//! Each test prints its kill points and where they landed.

mod common;

use common::engagement::*;
use common::report::sample_engagement;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const KILLS: u64 = 8;

/// Cheap pseudo-random numbers from the clock (different every run, no dependency).
fn jitter(range_ms: u64, salt: u64) -> u64 {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    (n.wrapping_mul(6364136223846793005)
        .wrapping_add(salt.wrapping_mul(1442695040888963407))
        >> 17)
        % range_ms.max(1)
}

/// Starts `credence ARGS`, feeding `input` on standard input when given.
fn spawn(tmp: &Path, args: &[&str], input: Option<&str>) -> Child {
    let mut child = cmd(tmp)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(text) = input {
        let mut stdin = child.stdin.take().unwrap();
        // The child may be killed before it reads everything: a broken pipe is expected.
        let _ = stdin.write_all(text.as_bytes());
    }
    child
}

/// Runs to completion and returns the elapsed milliseconds.
fn timed_run(tmp: &Path, args: &[&str], input: Option<&str>) -> u64 {
    let t0 = Instant::now();
    let status = spawn(tmp, args, input).wait().unwrap();
    assert!(status.success(), "credence {args:?} failed: {status}");
    t0.elapsed().as_millis() as u64
}

/// The moment of kill `i` of [`KILLS`]: spread over a little more than the
/// uninterrupted run's time (so start-up, the work, the publishing and, on a fast
/// machine, the end each get hit), jittered within its slot.
fn kill_delay(full_ms: u64, i: u64) -> u64 {
    let slot = (full_ms * 13 / 10 / KILLS).max(1);
    slot * i + jitter(slot, i)
}

/// Kills `credence ARGS` at kill point `i`. Returns true when the kill landed before
/// the process ended on its own.
fn kill_at(tmp: &Path, args: &[&str], input: Option<&str>, full_ms: u64, i: u64) -> bool {
    let mut child = spawn(tmp, args, input);
    std::thread::sleep(Duration::from_millis(kill_delay(full_ms, i)));
    let landed = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
    landed
}

fn integrity(eng: &Path) -> String {
    one(eng, "PRAGMA integrity_check")
}

/// Two copies of one engagement (same key), so a killed run and an uninterrupted one
/// start from the same state.
fn twin(eng: &Path, name: &str) -> PathBuf {
    let copy = eng.with_file_name(name);
    std::fs::copy(eng, &copy).unwrap();
    copy
}

/// Answers as (practice, zone, answer) rows, timestamps left out.
fn answers(eng: &Path) -> Vec<Vec<String>> {
    rows(
        eng,
        "SELECT practice_id, zone, answer FROM assessment_answers ORDER BY 1, 2",
    )
}

#[test]
fn answers_saved_while_the_questionnaire_is_killed_are_kept_once_and_it_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let base = new_engagement(t, "base.credence");
    // Applicability first (OT yes, IIoT no), uninterrupted: the kills hit practice answers.
    timed_run(
        t,
        &["assess", "-e", base.to_str().unwrap()],
        Some("y\nn\nq\n"),
    );
    let reference = twin(&base, "reference.credence");
    let killed = twin(&base, "killed.credence");
    // "Fully" for every practice and zone, "yes" to any applicability question met on
    // the way (each item ignores the other's key), far more lines than there are items.
    let keys = "f\ny\n".repeat(400);
    let full_ms = timed_run(
        t,
        &["assess", "-e", reference.to_str().unwrap()],
        Some(&keys),
    );
    let expected = answers(&reference);
    assert!(
        expected.len() > 40,
        "every practice answered: {}",
        expected.len()
    );

    // Each kill point on its own copy, then resumed there: every moment of the sitting
    // is tried, not only the first (answers saved before a kill stay answered).
    let mut counts = Vec::new();
    let mut landed = 0;
    for i in 0..KILLS {
        std::fs::copy(&base, &killed).unwrap();
        let k = killed.to_str().unwrap();
        landed += kill_at(t, &["assess", "-e", k], Some(&keys), full_ms, i) as u32;
        assert_eq!(integrity(&killed), "ok");
        let now = answers(&killed);
        assert!(
            now.iter().all(|row| row[2] == "fully"),
            "only the answers given are stored"
        );
        assert!(
            now.iter().all(|row| expected.contains(row)),
            "no answer to an item the uninterrupted sitting did not have"
        );
        counts.push(now.len());
        // The next sitting starts at the first unanswered item and finishes the round.
        timed_run(t, &["assess", "-e", k], Some(&keys));
        assert_eq!(
            one(&killed, "SELECT count(*) FROM assessments"),
            "1",
            "resuming never opens a second round"
        );
        assert_eq!(
            answers(&killed),
            expected,
            "resumed to the uninterrupted answers"
        );
    }
    println!(
        "answer saving: {KILLS} kill points ({landed} mid-run, uninterrupted {full_ms} ms), \
         answers stored at each kill: {counts:?} of {}; each resumed to the full set",
        expected.len()
    );
}

#[test]
fn an_answers_import_killed_midway_is_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let source = new_engagement(t, "source.credence");
    let keys = format!("y\nn\n{}", "l\ny\n".repeat(400));
    timed_run(t, &["assess", "-e", source.to_str().unwrap()], Some(&keys));
    let file = t.join("answers.toml");
    let s = source.to_str().unwrap();
    timed_run(
        t,
        &[
            "assess",
            "-e",
            s,
            "--export-answers",
            file.to_str().unwrap(),
        ],
        None,
    );
    let base = new_engagement(t, "base.credence");
    let reference = twin(&base, "reference.credence");
    let killed = twin(&base, "killed.credence");
    let import = |e: &Path| {
        vec![
            "assess".to_string(),
            "-e".into(),
            e.to_str().unwrap().into(),
            "--answers".into(),
            file.to_str().unwrap().into(),
        ]
    };
    let args: Vec<String> = import(&reference);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let full_ms = timed_run(t, &args, None);
    let expected = answers(&reference);
    assert_eq!(
        expected,
        answers(&source),
        "the import reproduces the source"
    );

    let args: Vec<String> = import(&killed);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut seen = Vec::new();
    for i in 0..KILLS {
        std::fs::copy(&base, &killed).unwrap();
        kill_at(t, &args, None, full_ms, i);
        assert_eq!(integrity(&killed), "ok");
        let n = answers(&killed).len();
        assert!(
            n == 0 || n == expected.len(),
            "an import is one transaction: {n} of {} answers after a kill",
            expected.len()
        );
        seen.push(n);
    }
    timed_run(t, &args, None);
    assert_eq!(answers(&killed), expected);
    println!(
        "answers import: {KILLS} kill points (uninterrupted {full_ms} ms), answers after each: {seen:?}; recovered"
    );
}

/// The register's stored state: every risk with what people edited, sorted by id.
fn register_rows(eng: &Path) -> Vec<Vec<String>> {
    rows(eng, "SELECT * FROM risks ORDER BY id")
}

#[test]
fn a_register_regeneration_killed_midway_keeps_edits_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let base = sample_engagement(t);
    let b = base.to_str().unwrap();
    let date = ["--date", "2026-11-29"];
    let first = run(t, &["register", "-e", b, "-f", "json", date[0], date[1]]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let o = run(
        t,
        &[
            "register",
            "-e",
            b,
            "edit",
            "R-001",
            "--owner",
            "Plant IT lead",
            "--status",
            "in_progress",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A re-scan with more evidence: the next regeneration has real work to store.
    let more = t.join("more");
    for i in 0..400 {
        let p = more.join(format!("plant{}/hmi{i:03}.ini", i % 7));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            &p,
            format!(
                "[historian]\nhost = 198.51.100.{}\nuser = svc_hist{i}\npassword = Hq4#tLm9{i}w\n",
                i % 250
            ),
        )
        .unwrap();
    }
    scan(t, &base, &[&common::sample_data(), &more], &[]);
    let reference = twin(&base, "reference.credence");
    let killed = twin(&base, "killed.credence");
    let args = |e: &Path| {
        vec![
            "register".to_string(),
            "-e".into(),
            e.to_str().unwrap().into(),
            "-f".into(),
            "json".into(),
            "--date".into(),
            "2026-11-29".into(),
        ]
    };
    let r_args = args(&reference);
    let r_args: Vec<&str> = r_args.iter().map(String::as_str).collect();
    let full_ms = timed_run(t, &r_args, None);
    let expected = register_rows(&reference);
    let before = register_rows(&killed);
    assert_ne!(before, expected, "the re-scan changes the register");

    let k_args = args(&killed);
    let k_args: Vec<&str> = k_args.iter().map(String::as_str).collect();
    let (mut old, mut new, mut landed) = (0, 0, 0);
    for i in 0..KILLS {
        landed += kill_at(t, &k_args, None, full_ms, i) as u32;
        assert_eq!(integrity(&killed), "ok");
        let now = register_rows(&killed);
        // One transaction: the register is the one before or the one after, never a mix.
        if now == before {
            old += 1;
        } else {
            assert_eq!(now, expected, "a half-stored regeneration");
            new += 1;
        }
        assert_eq!(
            one(
                &killed,
                "SELECT owner || '|' || status FROM risks WHERE id = 'R-001'"
            ),
            "Plant IT lead|in_progress",
            "the person's edit survives every kill"
        );
    }
    timed_run(t, &k_args, None);
    assert_eq!(register_rows(&killed), expected);
    println!(
        "register regeneration: {KILLS} kill points ({landed} mid-run, uninterrupted {full_ms} ms): \
         {old} left the previous register, {new} the new one; recovered"
    );
}

/// Files in `dir` other than the engagement's own.
fn outputs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_report_killed_while_written_leaves_the_previous_or_the_new_file_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let eng = sample_engagement(t);
    let e = eng.to_str().unwrap();
    let out = t.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let (pdf, xlsx) = (out.join("board.pdf"), out.join("register.xlsx"));
    let (p, x) = (pdf.to_str().unwrap(), xlsx.to_str().unwrap());
    let report = |date: &'static str| {
        vec![
            "report", "-q", "-e", e, "--pdf", p, "--xlsx", x, "--date", date,
        ]
    };
    // The previous reports (an earlier date), then the new ones for reference.
    timed_run(t, &report("2026-11-01"), None);
    let old = (std::fs::read(&pdf).unwrap(), std::fs::read(&xlsx).unwrap());
    let full_ms = timed_run(t, &report("2026-11-29"), None);
    let new = (std::fs::read(&pdf).unwrap(), std::fs::read(&xlsx).unwrap());
    assert_ne!(old.0, new.0, "the date is printed, so the reports differ");
    assert_eq!(outputs_in(&out), ["board.pdf", "register.xlsx"]);

    let (mut kept_old, mut have_new, mut landed) = (0, 0, 0);
    for i in 0..KILLS {
        // Put the previous reports back, then kill a run writing the new ones.
        std::fs::write(&pdf, &old.0).unwrap();
        std::fs::write(&xlsx, &old.1).unwrap();
        landed += kill_at(t, &report("2026-11-29"), None, full_ms, i) as u32;
        assert_eq!(integrity(&eng), "ok");
        let now = (std::fs::read(&pdf).unwrap(), std::fs::read(&xlsx).unwrap());
        assert!(
            now.0 == old.0 || now.0 == new.0,
            "a torn PDF after kill {i}"
        );
        assert!(
            now.1 == old.1 || now.1 == new.1,
            "a torn XLSX after kill {i}"
        );
        kept_old += (now.0 == old.0) as u32;
        have_new += (now.0 == new.0) as u32;
    }
    // The next run publishes the new reports and clears any partial a kill left behind.
    timed_run(t, &report("2026-11-29"), None);
    assert_eq!(std::fs::read(&pdf).unwrap(), new.0);
    assert_eq!(std::fs::read(&xlsx).unwrap(), new.1);
    assert_eq!(outputs_in(&out), ["board.pdf", "register.xlsx"]);
    println!(
        "report writing: {KILLS} kill points ({landed} mid-run, uninterrupted {full_ms} ms): \
         {kept_old} left the previous PDF, {have_new} the new one, none torn; recovered"
    );
}
