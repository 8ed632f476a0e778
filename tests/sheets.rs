//! Spreadsheets and CSV read as a person reads them: a credential row is one finding
//! with (system, username, password cell) from the same row.
//!
//! The pairing figures (sheets/figure.rs): `cargo test --test sheets pairing -- --nocapture`.

use credence::detect::{Engine, RawFinding};
use credence::finding::{Category, Finding, Flag};
use credence::ingest::{Origin, Table, TableAddressing};
use credence::scan::{ScanOptions, Scanner, Summary};
use credence::vault::FingerprintKey;
use rust_xlsxwriter::{ExcelDateTime, Workbook, Worksheet};

const KEY: [u8; 32] = [7; 32];

fn scan(files: &[(&str, Vec<u8>)]) -> (Vec<Finding>, Summary) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let scanner = scanner();
    let r = scanner
        .scan(&ScanOptions {
            roots: vec![dir.path().to_path_buf()],
            ..ScanOptions::default()
        })
        .unwrap();
    (r.findings, r.summary)
}

/// The built-in engine (notes cells go through its prose detectors).
fn engine() -> Engine {
    Engine::builtin().expect("built-in rules load")
}

fn scanner() -> Scanner {
    Scanner {
        engine: engine(),
        extractors: credence::ingest::extractors::builtin(),
        key: FingerprintKey::from_bytes(KEY),
    }
}

fn fp(secret: &str) -> String {
    FingerprintKey::from_bytes(KEY).fingerprint(secret)
}

fn strings(ws: &mut Worksheet, row: u32, values: &[&str]) {
    for (c, v) in values.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(row, c as u16, *v).unwrap();
        }
    }
}

fn at<'f>(findings: &'f [Finding], sheet: &str, cell: &str) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| f.sheet.as_deref() == Some(sheet) && f.cell.as_deref() == Some(cell))
        .collect()
}

/// The control-room sheet: a title, the header on row 3, a second table, a hidden
/// sheet, a PIN stored as a number, a Yes/No column, masked and see-vault values.
fn control_room() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Line 2").unwrap();
    strings(ws, 0, &["Control room credentials - Line 2 (do not copy)"]);
    strings(
        ws,
        2,
        &[
            "System",
            "IP address",
            "User",
            "Password",
            "Password changed?",
            "Notes",
        ],
    );
    strings(
        ws,
        3,
        &["PLC-01", "192.0.2.11", "operator", "Op3rator!L2", "No", ""],
    );
    strings(
        ws,
        4,
        &["HMI-02", "192.0.2.12", "admin", "********", "Yes", ""],
    );
    strings(
        ws,
        5,
        &["HIST-01", "192.0.2.13", "historian", "see vault", "No", ""],
    );
    strings(
        ws,
        6,
        &[
            "ENG-WS",
            "192.0.2.14",
            "engineer",
            "Eng!neer2019",
            "No",
            "old box",
        ],
    );
    // Second table on the same sheet, other columns, a PIN stored as a number.
    strings(ws, 9, &["Device", "Login", "PIN"]);
    strings(ws, 10, &["Door panel", "maint", ""]);
    ws.write_number(10, 2, 4711.0).unwrap();
    strings(ws, 11, &["Safety PLC", "safety", "S4fe-T-2020"]);
    ws.set_row_hidden(11).unwrap();
    let hidden = wb.add_worksheet().set_name("old").unwrap();
    strings(hidden, 0, &["Host", "Username", "Passwort"]);
    strings(hidden, 1, &["scada-srv", "svc_scada", "Sc@da2015"]);
    hidden.set_hidden(true);
    wb.save_to_buffer().unwrap()
}

#[test]
fn header_on_row_three_pairs_system_user_and_cell() {
    let (f, summary) = scan(&[("credentials.xlsx", control_room())]);
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
    let d4 = at(&f, "Line 2", "D4");
    assert_eq!(d4.len(), 1, "{f:#?}");
    assert_eq!(d4[0].system.as_deref(), Some("PLC-01"));
    assert_eq!(d4[0].username.as_deref(), Some("operator"));
    assert_eq!(d4[0].category, Category::Password);
    assert_eq!(d4[0].fingerprint, fp("Op3rator!L2"));
    assert!(
        d4[0]
            .context
            .starts_with("row 4: system=PLC-01 user=operator password=")
    );
    assert!(!d4[0].context.contains("Op3rator"));
    assert_eq!(at(&f, "Line 2", "D7")[0].fingerprint, fp("Eng!neer2019"));
}

#[test]
fn masked_see_vault_and_yes_no_are_not_findings() {
    let (f, _) = scan(&[("credentials.xlsx", control_room())]);
    assert!(at(&f, "Line 2", "D5").is_empty(), "masked value");
    assert!(at(&f, "Line 2", "D6").is_empty(), "see vault");
    assert!(
        f.iter()
            .all(|f| !f.cell.as_deref().unwrap_or("").starts_with('E')),
        "Yes/No column"
    );
    assert!(
        f.iter().all(|f| f.cell.as_deref() != Some("A1")),
        "title row"
    );
}

#[test]
fn second_table_and_pin_as_displayed() {
    let (f, _) = scan(&[("credentials.xlsx", control_room())]);
    let pin = at(&f, "Line 2", "C11");
    assert_eq!(pin.len(), 1);
    assert_eq!(pin[0].fingerprint, fp("4711"), "4711.0 is shown as 4711");
    assert_eq!(pin[0].system.as_deref(), Some("Door panel"));
    assert_eq!(pin[0].username.as_deref(), Some("maint"));
    let hidden_row = at(&f, "Line 2", "C12");
    assert!(hidden_row[0].has_flag(Flag::Hidden), "hidden row");
}

#[test]
fn hidden_sheet_is_read_and_flagged() {
    let (f, _) = scan(&[("credentials.xlsx", control_room())]);
    let old = at(&f, "old", "C2");
    assert_eq!(old.len(), 1);
    assert!(old[0].has_flag(Flag::Hidden));
    assert_eq!(old[0].system.as_deref(), Some("scada-srv"));
    assert_eq!(old[0].username.as_deref(), Some("svc_scada"));
}

#[test]
fn cell_comments_are_read_at_their_cell() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Panel").unwrap();
    strings(ws, 0, &["Cabinet", "Location"]);
    strings(ws, 1, &["CAB-3", "Hall B"]);
    ws.insert_note(1, 0, &rust_xlsxwriter::Note::new("door code pw 7391-cab"))
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let limits = credence::ingest::Limits::default();
    let input = credence::ingest::ExtractInput {
        bytes: &bytes,
        name: "panel.xlsx",
        kind: credence::ingest::FileKind::Zip,
        depth: 0,
        limits: &limits,
    };
    let mut tables = Vec::new();
    credence::ingest::extractors::sheets::extract_workbook(&input, &mut |p| {
        if let credence::ingest::Part::Table { origin, table } = p {
            tables.push((origin, table));
        }
    })
    .unwrap();
    let (origin, comment) = tables
        .iter()
        .find(|(o, _)| o.label.as_deref() == Some("cell comment"))
        .expect("the comment as a table");
    assert_eq!(origin.sheet.as_deref(), Some("Panel"));
    assert_eq!((comment.row_offset, comment.col_offset), (1, 0));
    // What prose finds in it lands on A2.
    let prose = |cell: &str| -> Vec<RawFinding> {
        let Some(p) = cell.find("pw ") else {
            return vec![];
        };
        let end = cell.len();
        vec![
            RawFinding::new(
                "prose.test",
                "t",
                Category::Password,
                Default::default(),
                credence::Secret::new(&cell[p + 3..end]),
            )
            .with_span(p + 3..end),
        ]
    };
    let out = engine().table.detect(comment, origin, &prose);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].cell.as_deref(), Some("A2"));
}

#[test]
fn records_written_as_label_and_value() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("VPN").unwrap();
    strings(ws, 0, &["Vendor remote access"]);
    strings(ws, 2, &["System:", "VPN gateway"]);
    strings(ws, 3, &["URL:", "https://vpn.example.net"]);
    strings(ws, 4, &["Username:", "vendor"]);
    strings(ws, 5, &["Password:", "Vend0r-Remote!"]);
    strings(
        ws,
        8,
        &["Host:", "hmi-7", "User:", "op7", "Password:", "Hmi7-Op!"],
    );
    // A table whose header was not recognised is not read as label and value.
    strings(ws, 11, &["Password", "Location"]);
    strings(ws, 12, &["Tbl-Secret-1", "Hall C"]);
    let (f, _) = scan(&[("vpn.xlsx", wb.save_to_buffer().unwrap())]);
    let v = at(&f, "VPN", "B6");
    assert_eq!(v.len(), 1, "{f:#?}");
    assert_eq!(v[0].system.as_deref(), Some("VPN gateway"));
    assert_eq!(v[0].username.as_deref(), Some("vendor"));
    assert_eq!(v[0].fingerprint, fp("Vend0r-Remote!"));
    let h = at(&f, "VPN", "F9");
    assert_eq!(h.len(), 1, "{f:#?}");
    assert_eq!(
        (h[0].system.as_deref(), h[0].username.as_deref()),
        (Some("hmi-7"), Some("op7"))
    );
    assert_eq!(f.len(), 2, "{f:#?}");
}

#[test]
fn header_on_two_rows() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Two").unwrap();
    strings(ws, 0, &["Device", "Location", "Access"]);
    strings(ws, 1, &["", "", "User", "Password"]);
    strings(ws, 2, &["RTU-5", "Pump house", "field5", "Rtu5-Field!"]);
    let (f, _) = scan(&[("two.xlsx", wb.save_to_buffer().unwrap())]);
    let hit = at(&f, "Two", "D3");
    assert_eq!(hit.len(), 1, "{f:#?}");
    assert_eq!(hit[0].system.as_deref(), Some("RTU-5"));
    assert_eq!(hit[0].username.as_deref(), Some("field5"));
}

#[test]
fn rows_of_values_are_not_headers() {
    // Values that read like header words ("password", "HMI-L1-01", "VPN gateway")
    // inside rows of addresses and secrets do not start a table.
    let tsv = "a.xlsx\tSheet!B6\tpassword\tvendor\tVPN gateway\t-\tVend0r-Remote!\n\
               b.xlsx\tSheet!E5\tpassword\tadmin\tHMI-L1-01\t-\tHmi@Line1\n\
               c.xlsx\tSheet!E6\tpassword\tops\tSafety PLC\t-\tS4fety#L1\n";
    let (f, _) = scan(&[("answers.tsv", tsv.as_bytes().to_vec())]);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn hidden_columns_are_flagged() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Accounts").unwrap();
    strings(ws, 0, &["System", "User", "Password", "Old password"]);
    strings(ws, 1, &["PLC-9", "op", "Pl9-Current!", "Pl9-Older!"]);
    ws.set_column_hidden(3).unwrap();
    let (f, _) = scan(&[("hidden-col.xlsx", wb.save_to_buffer().unwrap())]);
    assert!(!at(&f, "Accounts", "C2")[0].has_flag(Flag::Hidden));
    assert!(at(&f, "Accounts", "D2")[0].has_flag(Flag::Hidden));
}

#[test]
fn settings_and_test_result_tables_are_not_credential_tables() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Config").unwrap();
    strings(ws, 0, &["Key", "Value", "Description"]);
    strings(ws, 1, &["ScanRate", "500ms", "PLC scan rate"]);
    strings(ws, 3, &["Test", "Device", "Pass/Fail", "Comment"]);
    strings(ws, 4, &["FAT-12", "PLC-1", "Pass", "ok"]);
    strings(ws, 5, &["FAT-13", "PLC-2", "Fail", "retest"]);
    let (f, _) = scan(&[("config.xlsx", wb.save_to_buffer().unwrap())]);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn firmware_checksums_and_dates_are_not_passwords() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Assets").unwrap();
    strings(
        ws,
        0,
        &[
            "Asset",
            "IP address",
            "Model",
            "Firmware SHA-256",
            "Installed",
            "Notes",
        ],
    );
    strings(
        ws,
        1,
        &[
            "PLC-01",
            "198.51.100.5",
            "CX-9000",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "",
            "spare in cabinet 3",
        ],
    );
    ws.write_datetime(1, 4, ExcelDateTime::from_ymd(2019, 4, 1).unwrap())
        .unwrap();
    let (f, _) = scan(&[("assets.xlsx", wb.save_to_buffer().unwrap())]);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn multi_language_headers() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Lieferanten").unwrap();
    strings(ws, 0, &["Anlage", "Benutzer", "Kennwort", "Bemerkung"]);
    strings(ws, 1, &["Kessel 1", "service", "Kess3l!Dienst", ""]);
    strings(ws, 3, &["Système", "Utilisateur", "Mot de passe"]);
    strings(ws, 4, &["Four 2", "technicien", "F0ur-Tech-22"]);
    strings(ws, 6, &["Usuario", "Contraseña", "Equipo"]);
    strings(ws, 7, &["soporte", "S0porte#2021", "Bomba 3"]);
    let (f, _) = scan(&[("vendors.xlsx", wb.save_to_buffer().unwrap())]);
    let check = |cell: &str, sys: &str, user: &str, pw: &str| {
        let hit = at(&f, "Lieferanten", cell);
        assert_eq!(hit.len(), 1, "{cell}: {f:#?}");
        assert_eq!(hit[0].system.as_deref(), Some(sys));
        assert_eq!(hit[0].username.as_deref(), Some(user));
        assert_eq!(hit[0].fingerprint, fp(pw));
    };
    check("C2", "Kessel 1", "service", "Kess3l!Dienst");
    check("C5", "Four 2", "technicien", "F0ur-Tech-22");
    check("B8", "Bomba 3", "soporte", "S0porte#2021");
    assert_eq!(f.len(), 3);
}

#[test]
fn sheet_protection_hash_is_a_weak_hash_finding() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Locked").unwrap();
    strings(ws, 0, &["nothing to see"]);
    ws.protect_with_password("Prot3ct!");
    let (f, _) = scan(&[("locked.xlsx", wb.save_to_buffer().unwrap())]);
    let h: Vec<_> = f.iter().filter(|f| f.category == Category::Hash).collect();
    assert_eq!(h.len(), 1, "{f:#?}");
    assert_eq!(h[0].hash_algorithm.as_deref(), Some("excel-legacy-16bit"));
    assert!(h[0].has_flag(Flag::Hashed) && h[0].has_flag(Flag::Weak));
    assert_eq!(h[0].sheet.as_deref(), Some("Locked"));
}

#[test]
fn notes_cells_go_through_prose_with_the_cell_as_location() {
    // A prose stand-in: finds "pw " followed by a word.
    let prose = |cell: &str| -> Vec<RawFinding> {
        let Some(p) = cell.find("pw ") else {
            return vec![];
        };
        let start = p + 3;
        let end = cell[start..]
            .find(' ')
            .map(|e| start + e)
            .unwrap_or(cell.len());
        vec![
            RawFinding::new(
                "prose.test",
                "test",
                Category::Password,
                Default::default(),
                credence::Secret::new(&cell[start..end]),
            )
            .with_span(start..end),
        ]
    };
    let cell = |s: &str| Some(s.to_string());
    let table = Table {
        rows: vec![
            vec![
                cell("Host"),
                cell("User"),
                cell("Password"),
                cell("Comment"),
            ],
            vec![
                cell("rtu-7"),
                cell("field"),
                None,
                cell("remote pw Rtu7Field! via modem"),
            ],
        ],
        row_offset: 4,
        col_offset: 1,
        addressing: TableAddressing::A1,
        ..Table::default()
    };
    let engine = engine();
    let out = engine.table.detect(&table, &Origin::default(), &prose);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].cell.as_deref(), Some("E6"));
    assert!(out[0].span.is_none());
    assert_eq!(out[0].system.as_deref(), Some("rtu-7"));
    assert_eq!(out[0].username.as_deref(), Some("field"));
    assert!(
        out[0]
            .context
            .as_deref()
            .unwrap()
            .contains("remote pw R********! via modem")
    );
}

#[test]
fn many_notes_cells_each_keep_their_own_cell_and_row() {
    let prose = |text: &str| -> Vec<RawFinding> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(p) = text[from..].find("pw ") {
            let start = from + p + 3;
            let end = text[start..]
                .find([' ', '\n'])
                .map(|e| start + e)
                .unwrap_or(text.len());
            out.push(
                RawFinding::new(
                    "prose.test",
                    "t",
                    Category::Password,
                    Default::default(),
                    credence::Secret::new(&text[start..end]),
                )
                .with_span(start..end),
            );
            from = end;
        }
        out
    };
    let cell = |s: &str| Some(s.to_string());
    let table = Table {
        rows: vec![
            vec![cell("Host"), cell("User"), cell("Notes")],
            vec![cell("a-1"), cell("u1"), cell("nothing here")],
            vec![
                cell("b-2"),
                cell("u2"),
                cell("line one\nsecond pw Bee2-Pw! end"),
            ],
            vec![cell("c-3"), cell("u3"), cell("pw Cee3-Pw!")],
        ],
        addressing: TableAddressing::A1,
        ..Table::default()
    };
    let out = engine().table.detect(&table, &Origin::default(), &prose);
    let got: Vec<_> = out
        .iter()
        .map(|f| {
            (
                f.cell.as_deref().unwrap(),
                f.username.as_deref().unwrap(),
                f.secret.expose(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![("C3", "u2", "Bee2-Pw!"), ("C4", "u3", "Cee3-Pw!")]
    );
    assert!(
        out[0]
            .context
            .as_deref()
            .unwrap()
            .starts_with("row 3: line one second pw B******! end")
    );
}

#[test]
fn csv_delimiter_sniffing_and_line_location() {
    let csv = "Export from asset DB\nHost;IP;Benutzer;Passwort\nplc-07;203.0.113.7;wartung;W4rtung!07\nplc-08;203.0.113.8;wartung;\"W4rt;ung\"\n";
    let tsv = "system\tuser\tpassword\nrouter-1\tnetadmin\tR0uter#Adm\n";
    let (f, _) = scan(&[
        ("export.csv", csv.as_bytes().to_vec()),
        ("list.tsv", tsv.as_bytes().to_vec()),
    ]);
    let csv_hits: Vec<_> = f.iter().filter(|f| f.path == "export.csv").collect();
    assert_eq!(csv_hits.len(), 2, "{f:#?}");
    assert_eq!(csv_hits[0].line, Some(3));
    assert_eq!(csv_hits[0].label.as_deref(), Some("Passwort"));
    assert_eq!(csv_hits[0].system.as_deref(), Some("plc-07"));
    assert_eq!(csv_hits[0].username.as_deref(), Some("wartung"));
    assert_eq!(csv_hits[1].fingerprint, fp("W4rt;ung"));
    let t: Vec<_> = f.iter().filter(|f| f.path == "list.tsv").collect();
    assert_eq!((t.len(), t[0].line), (1, Some(2)));
}

#[test]
fn password_manager_export_is_one_vault_finding_plus_entries() {
    let csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,Historian,,,0,https://historian.example.org,hist_admin,H1st-Adm!n,\n,,login,VPN,,,0,https://vpn.example.org,jdoe,Vpn#2024jd,\n";
    let (f, _) = scan(&[("bitwarden_export.csv", csv.as_bytes().to_vec())]);
    let vault: Vec<_> = f
        .iter()
        .filter(|f| f.category == Category::CredentialStore)
        .collect();
    assert_eq!(vault.len(), 1);
    assert!(
        vault[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("whole vault exported in clear")
    );
    let entries: Vec<_> = f
        .iter()
        .filter(|f| f.category == Category::Password)
        .collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].username.as_deref(), Some("hist_admin"));
    assert_eq!(
        entries[0].system.as_deref(),
        Some("https://historian.example.org")
    );
    assert_eq!(entries[0].fingerprint, fp("H1st-Adm!n"));
}

// The pairing figures (generated sheets and sample-data) live in sheets/figure.rs.
#[path = "sheets/figure.rs"]
mod figure;
