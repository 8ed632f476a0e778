//! The workbook opens without repair outside Excel's own code and calamine:
//! - LibreOffice (headless, a throw-away profile) converts every sheet to CSV and the
//!   whole workbook to ODS, says nothing about repair, corruption or errors, and what
//!   it read holds every register row (id, title, band), the findings and the heat map.
//!   A workbook LibreOffice has to repair loses parts or fails the conversion.
//! - Python's own zip and XML (expat) readers load every part of the package and find
//!   each XML part well-formed.
//!
//! When soffice or python3 is not installed the check prints that it skipped and why
//! (scripts/setup.sh installs LibreOffice: libreoffice-calc-nogui, about 40 s).

mod common;

use common::engagement::*;
use common::report::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workbook's sheets, in order.
const SHEETS: [&str; 6] = [
    "Register",
    "Heat map",
    "Findings",
    "Identities",
    "Maturity",
    "Lists",
];

/// The sample engagement's workbook and the register as JSON, from one `report` run.
fn sample_workbook(tmp: &Path) -> (PathBuf, Vec<serde_json::Value>) {
    let eng = sample_engagement(tmp);
    let (xlsx, json) = (tmp.join("register.xlsx"), tmp.join("register.json"));
    report(
        tmp,
        &eng,
        &[
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let register = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    (xlsx, register)
}

fn installed(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs soffice headless on `file` with a profile of its own (no first-start wizard,
/// no lock clash with a desktop session), converting to `filter` in `out`.
fn soffice_convert(tmp: &Path, file: &Path, filter: &str, out: &Path) -> String {
    let profile = format!("file://{}", tmp.join("lo-profile").display());
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--norestore", "--convert-to", filter])
        .arg("--outdir")
        .arg(out)
        .arg(file)
        .env("HOME", tmp)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "soffice failed: {said}");
    // What soffice says besides its progress lines. The javaldx warning is about
    // Java, which the nogui package does not install; it says nothing of the file.
    let complaints: Vec<&str> = said
        .lines()
        .filter(|l| !l.starts_with("convert ") && !l.starts_with("Writing sheet "))
        .filter(|l| !l.contains("javaldx"))
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(
        complaints.is_empty(),
        "soffice complained about the workbook: {complaints:?}"
    );
    for word in ["repair", "corrupt", "error", "could not be loaded"] {
        assert!(
            !said.to_lowercase().contains(word),
            "soffice says '{word}': {said}"
        );
    }
    said
}

/// A CSV line split on commas outside quotes (enough for the cells compared here).
fn csv_cells(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

#[test]
fn libreoffice_converts_every_sheet_and_keeps_every_register_row() {
    if !installed("soffice", "--version") {
        println!(
            "skipped: LibreOffice (soffice) is not installed (bash scripts/setup.sh installs \
             libreoffice-calc-nogui); the calamine read-back in report_xlsx still runs"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (xlsx, register) = sample_workbook(tmp.path());
    assert!(register.len() >= 10, "the sample has a real register");
    let out = tmp.path().join("csv");
    // Filter options: comma, double quote, UTF-8, from row 1, ..., last token -1 =
    // every sheet, one file each (LibreOffice 7.2 and later).
    let said = soffice_convert(
        tmp.path(),
        &xlsx,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        &out,
    );
    for sheet in SHEETS {
        assert!(
            said.contains(&format!("Writing sheet {sheet} ")),
            "sheet {sheet} not converted: {said}"
        );
    }
    let read = |sheet: &str| std::fs::read_to_string(out.join(format!("register-{sheet}.csv")));

    // The register: one line a risk, in rank order, with its id, title and band.
    let csv = read("Register").unwrap();
    let mut lines = csv.lines();
    let header = csv_cells(lines.next().unwrap());
    assert_eq!(header, credence::report::register::COLUMNS);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // Cells may hold line breaks; LibreOffice quotes them, so count records by id.
    let rows: Vec<Vec<String>> = lines
        .map(csv_cells)
        .filter(|c| c.len() > col("Priority") && c[col("Id")].starts_with("R-"))
        .collect();
    assert_eq!(rows.len(), register.len(), "{csv}");
    for (row, r) in rows.iter().zip(&register) {
        assert_eq!(row[col("Id")], r["id"].as_str().unwrap());
        assert_eq!(row[col("Title")], r["title"].as_str().unwrap());
        assert_eq!(
            row[col("Priority")].to_lowercase(),
            r["band"].as_str().unwrap()
        );
        assert_eq!(row[col("Score")], r["score"].to_string());
    }

    // The findings sheet holds a row per finding the register cites.
    let findings = read("Findings").unwrap();
    for r in &register {
        for id in r["findings"].as_array().unwrap().iter().take(3) {
            assert!(
                findings.contains(id.as_str().unwrap()),
                "finding {id} of {} missing from the Findings sheet",
                r["id"]
            );
        }
    }
    // The heat map's first grid (current risk) counts every open risk once.
    let heat = read("Heat map").unwrap();
    let counted: u32 = heat
        .lines()
        .take_while(|l| !l.starts_with("After treatment"))
        .filter(|l| l.starts_with("Likelihood "))
        .flat_map(|l| csv_cells(l).into_iter().skip(1))
        .map(|c| c.parse::<u32>().unwrap())
        .sum();
    let live = register
        .iter()
        .filter(|r| matches!(r["status"].as_str(), Some("open" | "in_progress")))
        .count();
    assert_eq!(counted as usize, live, "{heat}");

    // The whole workbook to ODS: LibreOffice's own format holds every sheet.
    let ods_dir = tmp.path().join("ods");
    soffice_convert(tmp.path(), &xlsx, "ods", &ods_dir);
    let ods = std::fs::read(ods_dir.join("register.ods")).unwrap();
    let content = unzip(&ods)
        .into_iter()
        .find(|(n, _)| n == "content.xml")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .expect("content.xml in the ODS");
    for sheet in SHEETS {
        assert!(
            content.contains(&format!("table:name=\"{sheet}\"")),
            "sheet {sheet} lost in the ODS"
        );
    }
    for r in &register {
        assert!(content.contains(r["id"].as_str().unwrap()));
    }
    assert!(
        content.contains("RiskRegister"),
        "the Register table (database range) survives"
    );
    println!(
        "LibreOffice: {} sheets converted, {} register rows read back, ODS {} bytes",
        6,
        rows.len(),
        ods.len()
    );
}

/// Python's zipfile and expat: an independent reader of the package.
const CHECK_PARTS: &str = r#"
import sys, zipfile, xml.parsers.expat
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
if bad:
    sys.exit("bad CRC in " + bad)
n = 0
for name in z.namelist():
    if name.endswith(".xml") or name.endswith(".rels"):
        p = xml.parsers.expat.ParserCreate()
        try:
            p.Parse(z.read(name), True)
        except xml.parsers.expat.ExpatError as e:
            sys.exit(name + ": " + str(e))
        n += 1
print(n)
"#;

#[test]
fn every_part_of_the_workbook_is_well_formed_xml_to_an_independent_reader() {
    if !installed("python3", "--version") {
        println!("skipped: python3 is not installed (its zipfile and expat are the reader)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (xlsx, _) = sample_workbook(tmp.path());
    let o = Command::new("python3")
        .args(["-c", CHECK_PARTS])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python3 rejects the workbook: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let parts: usize = stdout(&o).trim().parse().unwrap();
    let xml_parts = unzip(&std::fs::read(&xlsx).unwrap())
        .iter()
        .filter(|(n, _)| n.ends_with(".xml") || n.ends_with(".rels"))
        .count();
    assert_eq!(parts, xml_parts);
    assert!(parts >= 15, "workbook, 6 sheets, styles, table, rels ...");
    println!("python3 zipfile + expat: {parts} XML parts well-formed");
}
