//! The XLSX workbook read back with calamine equals the register; it is an Excel table
//! with filters, a frozen header, lists for status and owner and links to the evidence
//! rows; its heat map counts the open risks; its findings are the engagement's.
//! LibreOffice and an independent XML reader: tests/report_libreoffice.rs.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::engagement::*;
use common::report::*;

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => format!("{i}"),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn the_workbook_read_back_equals_the_register() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = sample_engagement(tmp.path());
    let e = eng.to_str().unwrap();
    // A person's edit shows in the workbook like any other value.
    let o = run(
        tmp.path(),
        &["register", "-e", e, "--date", "2026-11-29", "-f", "json"],
    );
    let first: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let id = first[1]["id"].as_str().unwrap().to_string();
    let o = run(
        tmp.path(),
        &[
            "register",
            "-e",
            e,
            "edit",
            &id,
            "--owner",
            "Müller, Plant OT",
            "--status",
            "in_progress",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let (xlsx, json, csv) = (
        tmp.path().join("r.xlsx"),
        tmp.path().join("r.json"),
        tmp.path().join("r.csv"),
    );
    report(
        tmp.path(),
        &eng,
        &[
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    let register: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Register",
            "Heat map",
            "Findings",
            "Identities",
            "Maturity",
            "Lists"
        ]
    );

    let sheet = wb.worksheet_range("Register").unwrap();
    assert_eq!(sheet.height(), register.len() + 1);
    let header: Vec<String> = (0..sheet.width())
        .map(|c| text(sheet.get((0, c))))
        .collect();
    assert_eq!(header, credence::report::register::COLUMNS);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (i, r) in register.iter().enumerate() {
        let cell = |name: &str| text(sheet.get((i + 1, col(name))));
        let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
        let n = |k: &str| r[k].as_u64().unwrap().to_string();
        assert_eq!(cell("Rank"), n("rank"));
        assert_eq!(cell("Id"), s("id"));
        assert_eq!(cell("Title"), s("title"));
        assert_eq!(cell("Priority").to_lowercase(), s("band"));
        assert_eq!(cell("Score"), n("score"));
        assert_eq!(cell("Likelihood"), n("likelihood"));
        assert_eq!(cell("Impact"), n("impact"));
        assert_eq!(cell("Status"), s("status"));
        assert_eq!(cell("Owner"), s("owner"));
        assert_eq!(cell("Suggested owner"), s("owner_role"));
        assert_eq!(cell("Due"), s("due"));
        assert_eq!(
            cell("Findings"),
            r["findings"].as_array().unwrap().len().to_string()
        );
        assert_eq!(
            cell("ATT&CK"),
            r["attack"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(cell("Residual score"), n("residual_score"));
        assert_eq!(
            cell("Derivation"),
            r["derivation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let edited = register.iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!(
        (edited["owner"].as_str(), edited["status"].as_str()),
        (Some("Müller, Plant OT"), Some("in_progress"))
    );

    // The CSV export is the same register.
    let mut rd = csv::Reader::from_path(&csv).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), register.len());
    for (row, r) in rows.iter().zip(&register) {
        assert_eq!(
            (&row[1], &row[2]),
            (r["id"].as_str().unwrap(), r["title"].as_str().unwrap())
        );
    }

    // Findings: one row per finding of the latest scan, masked, with locations.
    let findings = stdout(&run(tmp.path(), &["findings", "-e", e, "-f", "jsonl"]))
        .lines()
        .count();
    let f = wb.worksheet_range("Findings").unwrap();
    assert_eq!(f.height(), findings + 1);
    assert_eq!(text(f.get((0, 3))), "Location");
    assert!(
        (1..f.height())
            .all(|r| text(f.get((r, 8))).contains('*') || text(f.get((r, 8))).is_empty()),
        "masked previews only"
    );

    // The heat map counts the open and in-progress risks, cell by cell.
    let h = wb.worksheet_range("Heat map").unwrap();
    let mut total = 0.0;
    for row in 1..=5 {
        let l = 6 - row as u64;
        for i in 1..=5u64 {
            let count = match h.get((row, i as usize)) {
                Some(Data::Float(v)) => *v,
                other => panic!("heat map cell {other:?}"),
            };
            let expect = register
                .iter()
                .filter(|r| matches!(r["status"].as_str(), Some("open" | "in_progress")))
                .filter(|r| r["likelihood"].as_u64() == Some(l) && r["impact"].as_u64() == Some(i))
                .count() as f64;
            assert_eq!(count, expect, "likelihood {l} impact {i}");
            total += count;
        }
    }
    assert!(total >= 5.0);
    let ident = wb.worksheet_range("Identities").unwrap();
    assert_eq!(text(ident.get((0, 0))), "Metric");
    assert_eq!(
        text(wb.worksheet_range("Maturity").unwrap().get((0, 0))),
        "No maturity assessment has been answered for this engagement."
    );

    // The parts Excel reads: a table with filters, a frozen header, the two lists,
    // links from the evidence to the findings rows.
    let parts = unzip(&bytes);
    let part = |name: &str| {
        String::from_utf8(
            parts
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name}"))
                .1
                .clone(),
        )
        .unwrap()
    };
    let table = part("xl/tables/table1.xml");
    assert!(
        table.contains("name=\"RiskRegister\"") && table.contains("<autoFilter"),
        "{table}"
    );
    let register_xml = part("xl/worksheets/sheet1.xml");
    assert!(
        register_xml.contains("<pane xSplit=\"3\" ySplit=\"1\""),
        "frozen header and first columns"
    );
    assert_eq!(
        register_xml.matches("<dataValidation ").count(),
        2,
        "status and owner lists"
    );
    assert!(register_xml.contains("\"open,in_progress,accepted,resolved\""));
    assert!(register_xml.contains("Lists!$B$2"));
    assert!(
        register_xml.contains("location=\"Findings!A"),
        "evidence links to the Findings rows"
    );
}
