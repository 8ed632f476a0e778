//! The board PDF, read back as a reader would: its text has every section, the
//! engagement's numbers and its top risks; every page renders; nothing leaves the
//! page; no planted secret is in any byte of it; the same engagement gives the same
//! bytes. Then bad input: an empty engagement says what is missing; 1000 risks, very
//! long titles and names in scripts the font lacks still lay out.

mod common;

use common::contains;
use common::engagement::*;
use common::report::*;
use credence::report::data::ReportData;
use credence::report::{appendix, pdf, xlsx};
use credence::risk::{Band, Origin, Risk, RiskContent, Status};
use credence::store::Meta;

/// `pdftotext -raw`, whitespace collapsed: lines of a wrapped title join with spaces.
fn flat_text(pdf: &std::path::Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const SECTIONS: &[&str] = &[
    "Identity risk assessment",
    "The verdict",
    "Decisions we ask of the board",
    "Key indicators",
    "Heat map",
    "Top risks",
    "Identity pathways: from IT into OT",
    "Maturity and trend",
    "30 / 60 / 90-day roadmap",
    "Method and scope",
    "Appendix: findings",
];

#[test]
fn the_sample_engagements_report_tells_its_story_and_keeps_its_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = sample_engagement(tmp.path());
    let e = eng.to_str().unwrap();
    let csv = tmp.path().join("register.csv");
    let (a4, letter, xlsx_path, html, json) = (
        tmp.path().join("a4.pdf"),
        tmp.path().join("letter.pdf"),
        tmp.path().join("r.xlsx"),
        tmp.path().join("appendix.html"),
        tmp.path().join("register.json"),
    );
    report(
        tmp.path(),
        &eng,
        &[
            "--pdf",
            a4.to_str().unwrap(),
            "--xlsx",
            xlsx_path.to_str().unwrap(),
            "--appendix",
            html.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    report(
        tmp.path(),
        &eng,
        &["--pdf", letter.to_str().unwrap(), "--paper", "letter"],
    );

    let text = flat_text(&a4);
    for s in SECTIONS {
        assert!(text.contains(s), "section '{s}' missing");
    }
    for s in [
        "ACME Water",
        "Plant 3",
        "2026-11-29",
        "CONFIDENTIAL",
        "Page 2 of",
    ] {
        assert!(text.contains(s), "'{s}' missing");
    }
    // The numbers are the engagement's.
    let metrics: serde_json::Value =
        serde_json::from_slice(&run(tmp.path(), &["metrics", "-e", e, "-f", "json"]).stdout)
            .unwrap();
    let m = &metrics["metrics"];
    let findings = stdout(&run(tmp.path(), &["findings", "-e", e, "-f", "jsonl"]))
        .lines()
        .count();
    assert!(
        findings >= 100,
        "the sample engagement has its ~110 findings ({findings})"
    );
    assert!(
        text.contains(&format!("found {findings} credential(s)")),
        "verdict counts the findings"
    );
    for (n, label) in [
        (&m["privileged"], "Privileged identities"),
        (&m["shared"], "Shared credentials"),
        (&m["non_human"], "Without oversight"),
        (&m["cross_boundary"], "Cross a trust boundary"),
        (&m["default"], "Vendor default passwords"),
    ] {
        assert!(
            text.contains(&format!("{n} {label}")),
            "tile '{n} {label}' missing"
        );
    }
    // The top risks, with owner and due date, are the register's.
    let register: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(register.len() >= 5);
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let top_page = &text[text.find("Top risks The").expect("the top risks page")..];
    for r in register.iter().take(10) {
        let title = flat(r["title"].as_str().unwrap());
        assert!(top_page.contains(&title), "top risk '{title}' missing");
        assert!(top_page.contains(r["due"].as_str().unwrap()));
    }
    assert!(
        top_page.contains("suggested: "),
        "owners are shown (suggested until set)"
    );
    // Every page renders, nothing leaves the page, both paper sizes.
    for (pdf, w, h) in [(&a4, 595.0, 842.0), (&letter, 612.0, 792.0)] {
        let (pages, pw, ph) = pdf_info(pdf);
        assert!((pw - w).abs() < 1.0 && (ph - h).abs() < 1.0, "{pw}x{ph}");
        assert!((8..=14).contains(&pages), "{pages} pages");
        assert_eq!(
            render_pages(pdf, &tmp.path().join(format!("png-{w}"))).len(),
            pages
        );
        assert_eq!(words_off_page(pdf, 5.0), Vec::<String>::new());
    }
    // No planted secret in any byte, compressed or not, or in the other outputs.
    let bytes = std::fs::read(&a4).unwrap();
    let xlsx_bytes = std::fs::read(&xlsx_path).unwrap();
    let mut outputs = vec![
        ("PDF".to_string(), bytes.clone()),
        ("PDF, streams decompressed".into(), pdf_decompressed(&bytes)),
        ("PDF text".into(), pdf_text(&a4).into_bytes()),
        (
            "Letter PDF, decompressed".into(),
            pdf_decompressed(&std::fs::read(&letter).unwrap()),
        ),
        ("XLSX".into(), xlsx_bytes.clone()),
        ("appendix".into(), std::fs::read(&html).unwrap()),
        ("register JSON".into(), std::fs::read(&json).unwrap()),
        ("register CSV".into(), std::fs::read(&csv).unwrap()),
        (
            "register table".into(),
            run(tmp.path(), &["register", "-e", e]).stdout,
        ),
    ];
    for (name, part) in unzip(&xlsx_bytes) {
        outputs.push((format!("XLSX {name}"), part));
    }
    let decompressed = &outputs[1].1;
    assert!(
        contains(decompressed, b"FontFile2"),
        "positive control: the search reads inside the PDF"
    );
    assert!(
        outputs
            .iter()
            .any(|(n, b)| n.starts_with("XLSX xl/") && contains(b, b"svc_hist")),
        "positive control: usernames are there"
    );
    assert_eq!(leaks(&outputs), Vec::<String>::new());
}

#[test]
fn the_same_engagement_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = sample_engagement(tmp.path());
    let out = |n: &str| tmp.path().join(n);
    report(
        tmp.path(),
        &eng,
        &[
            "--pdf",
            out("1.pdf").to_str().unwrap(),
            "--xlsx",
            out("1.xlsx").to_str().unwrap(),
        ],
    );
    report(
        tmp.path(),
        &eng,
        &[
            "--pdf",
            out("2.pdf").to_str().unwrap(),
            "--xlsx",
            out("2.xlsx").to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read(out("1.pdf")).unwrap() == std::fs::read(out("2.pdf")).unwrap(),
        "PDF bytes differ"
    );
    assert!(
        std::fs::read(out("1.xlsx")).unwrap() == std::fs::read(out("2.xlsx")).unwrap(),
        "XLSX bytes differ"
    );
    // The date is the one thing that changes them.
    let o = run(
        tmp.path(),
        &[
            "report",
            "-q",
            "-e",
            eng.to_str().unwrap(),
            "--date",
            "2027-01-01",
            "--pdf",
            out("3.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read(out("1.pdf")).unwrap() != std::fs::read(out("3.pdf")).unwrap());
}

#[test]
fn an_empty_engagement_says_what_is_missing_instead_of_drawing_empty_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = new_engagement(tmp.path(), "empty.credence");
    let (pdf_path, xlsx_path, html) = (
        tmp.path().join("e.pdf"),
        tmp.path().join("e.xlsx"),
        tmp.path().join("e.html"),
    );
    let o = run(
        tmp.path(),
        &[
            "report",
            "-e",
            eng.to_str().unwrap(),
            "--date",
            "2026-11-29",
            "--pdf",
            pdf_path.to_str().unwrap(),
            "--xlsx",
            xlsx_path.to_str().unwrap(),
            "--appendix",
            html.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("No scan has been run"));
    let text = flat_text(&pdf_path);
    for s in [
        "Nothing has been assessed yet",
        "No scan has been run in this engagement",
        "No maturity assessment has been answered",
        "No risks yet: the heat map fills in",
        "No scan yet: the pathways appear",
        "so there is no radar",
        "No scan yet: no findings.",
    ] {
        assert!(text.contains(s), "'{s}' missing");
    }
    let (pages, _, _) = pdf_info(&pdf_path);
    assert_eq!(
        render_pages(&pdf_path, &tmp.path().join("png")).len(),
        pages
    );
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("No scan has been run")
    );
    let o = run(tmp.path(), &["register", "-e", eng.to_str().unwrap()]);
    assert!(stdout(&o).contains("No risks"));
    let o = run(tmp.path(), &["report", "-e", eng.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "no output asked for");
}

fn meta(client: &str) -> Meta {
    Meta {
        uid: "u".into(),
        client: client.into(),
        site: "Werk 7 / 第七工厂 / المصنع".into(),
        assessor: Some("Ζωή Παπαδοπούλου".into()),
        marking: Some("TLP:AMBER+STRICT".into()),
        created: "2026-11-01T00:00:00Z".into(),
        updated: "2026-11-01T00:00:00Z".into(),
    }
}

fn risk(i: usize) -> Risk {
    let title = format!(
        "Risk {i}: {} 工程师共享的管理员密码 كلمات مرور مشتركة {}",
        "shared privileged credentials on the turbine control network ".repeat(4),
        "x".repeat(80)
    );
    let (l, im) = ((i % 5 + 1) as u8, (i / 5 % 5 + 1) as u8);
    Risk {
        id: format!("R-{i:04}"),
        rank: i + 1,
        content: RiskContent {
            origin: Origin::Manual,
            key: format!("manual:{i}"),
            title,
            description: "Ein sehr langer Satz ohne Ende ".repeat(30),
            zones: vec!["OT-L2".into()],
            systems: (0..50).map(|s| format!("system-{s}-ünïcødé")).collect(),
            identities: vec!["李雷@hmi-01".into()],
            findings: vec![],
            answers: vec![],
            attack: vec!["T0859".into()],
            likelihood: l,
            impact: im,
            derivation: vec!["set by hand".into()],
            treatment: format!(
                "{} Then the rest.",
                "Replace passwords everywhere ".repeat(20)
            ),
            practices: vec![],
            owner_role: "Leiter Betrieb".into(),
            residual_likelihood: 1,
            residual_impact: im,
            blast_radius: 0,
            age_days: 0,
            contradictions: if i % 7 == 0 {
                vec!["ACCESS-1.h: answered Fully implemented, but ...".into()]
            } else {
                vec![]
            },
        },
        score: l * im,
        band: Band::of(l * im),
        residual_score: im,
        owner: Some(format!(
            "محمد / 王伟 / Jean-Baptiste Élodie-Marguerite de la Fontaine-Duchâteau {i}"
        )),
        due: "2027-01-31".into(),
        due_suggested: false,
        status: Status::Open,
        note: None,
        first_seen: "2026-11-01".into(),
        evidence_gone: None,
        edited: vec![],
    }
}

#[test]
fn a_thousand_risks_with_long_titles_and_foreign_scripts_stay_on_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut risks: Vec<Risk> = (0..1000).map(risk).collect();
    credence::risk::register::prioritise(&mut risks);
    let data = ReportData {
        meta: meta(&format!(
            "Compañía Eléctrica 東京電力 شركة الكهرباء {}",
            "Holding ".repeat(30)
        )),
        as_of: "2026-11-29".into(),
        scan: None,
        findings: vec![],
        analysis: None,
        previous: None,
        zones: vec![],
        risks,
        maturity: None,
        previous_maturity: None,
    };
    for (name, paper) in [
        ("a4", pdf::paper("a4").unwrap()),
        ("letter", pdf::paper("letter").unwrap()),
    ] {
        let bytes = pdf::render(&data, paper).unwrap();
        let path = tmp.path().join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes).unwrap();
        let (pages, _, _) = pdf_info(&path);
        assert!(
            pages <= 16,
            "1000 risks do not make 1000 rows: top 10 and counts ({pages} pages)"
        );
        assert_eq!(render_pages(&path, &tmp.path().join(name)).len(), pages);
        assert_eq!(words_off_page(&path, 5.0), Vec::<String>::new());
        let text = flat_text(&path);
        assert!(text.contains("Compañía Eléctrica"));
        assert!(text.contains("Ζωή Παπαδοπούλου"), "Greek is in the font");
        assert!(
            text.contains("scripts the embedded font does not cover"),
            "the fallback is explained"
        );
        assert!(text.contains("1000 open risk(s)"));
    }
    let x = xlsx::render(&data).unwrap();
    let html = appendix::render(&data);
    assert!(html.contains("No scan has been run"));
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(x)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut wb, "Register").unwrap();
    assert_eq!(sheet.height(), 1001);
    assert!(
        sheet
            .get_value((1, 2))
            .unwrap()
            .to_string()
            .contains("工程师共享的管理员密码"),
        "the XLSX keeps every script"
    );
}

#[test]
fn an_answered_assessment_fills_the_radar_and_carries_its_contradictions() {
    let tmp = tempfile::tempdir().unwrap();
    let mut eng = common::risk::engagement(tmp.path(), "m.credence");
    let mut m = common::risk::maturity();
    m.practices[0].question = "Is MFA required for remote and vendor access to OT?".into();
    for (id, name, achieved, previous) in [
        ("ASSET", "Asset inventory", 2, 1),
        ("THREAT", "Threat management", 1, 1),
        ("RESPONSE", "Incident response", 0, 0),
    ] {
        m.domains.push(credence::assess::results::DomainResult {
            id: id.into(),
            name: name.into(),
            achieved,
            target: Some(2),
            previous: Some(previous),
            practices_applicable: 4,
            practices_answered: 4,
        });
    }
    let data = ReportData::gather(&mut eng, Some(m), None, "2026-11-29").unwrap();
    assert_eq!(data.risks.len(), 2, "the two gap risks");
    assert!(data.missing().iter().any(|s| s.contains("No scan")));
    assert!(!data.missing().iter().any(|s| s.contains("No maturity")));
    let path = tmp.path().join("m.pdf");
    std::fs::write(
        &path,
        pdf::render(&data, pdf::paper("a4").unwrap()).unwrap(),
    )
    .unwrap();
    let text = flat_text(&path);
    for s in [
        "Identity model 1",
        "current target previous",
        "Access: level 1, target 2; 5 of 5 practice(s) answered",
        "Asset inventory: level 2, target 2, previously 1",
        "No MFA on remote OT access",
        "Contradiction: ACCESS-2.d: answered Fully implemented, but the scan found 9 shared privileged passwords",
        "The scan's evidence contradicts 1 answer(s)",
        "ACCESS-1.h: Not implemented",
    ] {
        assert!(text.contains(s), "'{s}' missing");
    }
    assert_eq!(words_off_page(&path, 5.0), Vec::<String>::new());
    let (pages, _, _) = pdf_info(&path);
    assert_eq!(render_pages(&path, &tmp.path().join("png")).len(), pages);
    // The XLSX links a gap risk's evidence to its practice row.
    let x = xlsx::render(&data).unwrap();
    let sheet = unzip(&x)
        .into_iter()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap()
        .1;
    assert!(
        String::from_utf8(sheet)
            .unwrap()
            .contains("location=\"Maturity!A")
    );
}
