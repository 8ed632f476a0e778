//! Writes the spreadsheets, documents and handover pack of the invented engagement
//! under `sample-data/`, and the `# documents` section of `tests/expected/sample-data.tsv`
//! (one line per planted credential).
//!
//! `cargo run --example gen_sample_data` from the repository root. The output is
//! deterministic (fixed document and zip timestamps): re-running gives identical bytes.
//! Every name, address (RFC 5737) and password here is invented; the one vendor
//! default (WAGO's `admin`/`wago`) is public knowledge, planted on purpose.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One planted credential: a line of tests/expected/sample-data.tsv.
struct Planted {
    path: &'static str,
    at: String,
    category: &'static str,
    user: &'static str,
    system: &'static str,
    flags: &'static str,
    secret: String,
}

fn p(
    path: &'static str,
    at: &str,
    category: &'static str,
    user: &'static str,
    system: &'static str,
    flags: &'static str,
    secret: &str,
) -> Planted {
    Planted {
        path,
        at: at.to_string(),
        category,
        user,
        system,
        flags,
        secret: secret.to_string(),
    }
}

// Passwords shared between files (the evidence of reuse a consultant looks for).
const LINE1_OPERATOR: &str = "Lin3One!op";
const HMI_ADMIN: &str = "Hmi@Line1";
const VENDOR_REMOTE: &str = "Vend0r-Remote!";

fn book() -> Workbook {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2021, 3, 1).expect("valid date");
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&when)
            .set_author("OT engineering"),
    );
    wb
}

fn row(ws: &mut Worksheet, r: u32, values: &[&str]) -> Result<(), XlsxError> {
    for (c, v) in values.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(r, c as u16, *v)?;
        }
    }
    Ok(())
}

/// The excel legacy sheet protection hash (as the file stores it).
fn legacy_hash(password: &str) -> String {
    let mut hash: u16 = 0;
    for b in password.as_bytes().iter().rev() {
        hash = ((hash >> 14) & 1) | ((hash << 1) & 0x7FFF);
        hash ^= u16::from(*b);
    }
    hash = ((hash >> 14) & 1) | ((hash << 1) & 0x7FFF);
    hash ^= password.len() as u16;
    hash ^= 0xCE4B;
    format!("{hash:04X}")
}

const CONTROL_ROOM: &str = "engineering-share/control-room/credentials.xlsx";

#[rustfmt::skip]
fn control_room(out: &mut Vec<Planted>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = book();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("Line 1")?;
    ws.write_string_with_format(
        0,
        0,
        "Control room Line 1 - system accounts (printed copy on desk 2)",
        &bold,
    )?;
    ws.write_string(1, 0, "Reviewed: never")?;
    row(ws, 2, &["Area", "System", "IP address", "User", "Password", "Password changed?", "Notes"])?;
    let rows: [[&str; 7]; 6] = [
        [
            "Line 1",
            "PLC-L1-01",
            "192.0.2.10",
            "operator",
            LINE1_OPERATOR,
            "No",
            "",
        ],
        [
            "Line 1",
            "HMI-L1-01",
            "192.0.2.11",
            "admin",
            HMI_ADMIN,
            "No",
            "same on HMI-L1-02",
        ],
        ["Line 1", "ENG-WS-01", "192.0.2.20", "engineer", "********", "Yes", ""],
        ["Line 1", "HIST-01", "192.0.2.30", "historian", "see vault", "Yes", ""],
        ["Line 1", "SW-L1-CORE", "192.0.2.2", "admin", "Sw1tch-Core#7", "No", ""],
        ["Line 1", "RTR-VENDOR", "192.0.2.1", "vendor", "", "No", &format!("vendor VPN pw: {VENDOR_REMOTE}")],
    ];
    for (i, r) in rows.iter().enumerate() {
        row(ws, 3 + i as u32, r)?;
    }
    out.push(p(CONTROL_ROOM, "Line 1!E4", "password", "operator", "PLC-L1-01", "-", LINE1_OPERATOR));
    out.push(p(CONTROL_ROOM, "Line 1!E5", "password", "admin", "HMI-L1-01", "-", HMI_ADMIN));
    out.push(p(CONTROL_ROOM, "Line 1!E8", "password", "admin", "SW-L1-CORE", "-", "Sw1tch-Core#7"));
    // The note names the VPN itself, more precise than the row's router.
    out.push(p(CONTROL_ROOM, "Line 1!G9", "password", "vendor", "VPN", "-", VENDOR_REMOTE));
    // A second table on the same sheet, after a blank row; a PIN stored as a number.
    row(ws, 11, &["Device", "Login", "PIN"])?;
    row(ws, 12, &["Door panel control room", "maint"])?;
    ws.write_number(12, 2, 4711.0)?;
    row(ws, 13, &["Safety PLC", "safety", "S4fety#L1"])?;
    out.push(p(CONTROL_ROOM, "Line 1!C13", "password", "maint", "Door panel control room", "-", "4711"));
    out.push(p(CONTROL_ROOM, "Line 1!C14", "password", "safety", "Safety PLC", "-", "S4fety#L1"));
    // A record written as label and value, not as a table.
    let vpn = wb.add_worksheet().set_name("VPN")?;
    row(vpn, 0, &["Vendor remote access (do not share)"])?;
    row(vpn, 2, &["System:", "VPN gateway"])?;
    row(vpn, 3, &["URL:", "https://vpn.example.net"])?;
    row(vpn, 4, &["Username:", "vendor"])?;
    row(vpn, 5, &["Password:", VENDOR_REMOTE])?;
    out.push(p(CONTROL_ROOM, "VPN!B6", "password", "vendor", "VPN gateway", "-", VENDOR_REMOTE));
    // A hidden sheet with older accounts, protected with the legacy hash.
    let old = wb.add_worksheet().set_name("archive 2018")?;
    row(old, 0, &["Host", "Username", "Passwort"])?;
    row(old, 1, &["scada-srv-old", "svc_scada", "Sc@da2015!"])?;
    row(old, 2, &["192.0.2.40", "administrator", LINE1_OPERATOR])?;
    old.set_hidden(true);
    old.protect_with_password("Arch1ve-2018");
    out.push(p(CONTROL_ROOM, "archive 2018!C2", "password", "svc_scada", "scada-srv-old", "hidden", "Sc@da2015!"));
    out.push(p(CONTROL_ROOM, "archive 2018!C3", "password", "administrator", "192.0.2.40", "hidden", LINE1_OPERATOR));
    out.push(p(CONTROL_ROOM, "archive 2018!-", "hash", "-", "-", "hidden,hashed,weak", &legacy_hash("Arch1ve-2018")));
    wb.save_to_buffer()
}

#[rustfmt::skip]
fn asset_inventory() -> Result<Vec<u8>, XlsxError> {
    let mut wb = book();
    let ws = wb.add_worksheet().set_name("Assets")?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    row(ws, 0, &["Asset", "IP address", "Model", "Firmware", "Firmware SHA-256", "Location", "Commissioned"])?;
    let assets = [
        (
            "PLC-L1-01",
            "192.0.2.10",
            "CX-9020",
            "3.1.4024",
            "4b2c1f0e9a7d3c5b8e6f1a2d4c7b9e0f3a5d8c1b6e9f2a4d7c0b3e5f8a1d4c6b",
        ),
        (
            "HMI-L1-01",
            "192.0.2.11",
            "Panel 15",
            "2.7.0",
            "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
        ),
        (
            "SW-L1-CORE",
            "192.0.2.2",
            "RSP35",
            "8.7.2",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
        ),
    ];
    for (i, a) in assets.iter().enumerate() {
        let r = 1 + i as u32;
        row(ws, r, &[a.0, a.1, a.2, a.3, a.4, "Hall B"])?;
        ws.write_datetime_with_format(
            r,
            6,
            ExcelDateTime::from_ymd(2017 + i as u16, 5, 2)?,
            &date,
        )?;
    }
    wb.save_to_buffer()
}

const VENDORS: &str = "engineering-share/vendors/vendor-accounts.xlsx";

#[rustfmt::skip]
fn vendor_sheet(out: &mut Vec<Planted>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = book();
    let ws = wb.add_worksheet().set_name("Lieferanten")?;
    row(ws, 0, &["Fernwartung Lieferanten / accès fournisseurs / acceso proveedores"])?;
    row(ws, 2, &["Anlage", "Benutzer", "Kennwort", "Bemerkung"])?;
    row(ws, 3, &["Kessel 1 (WAGO 750)", "admin", "wago", "Werkseinstellung"])?;
    row(ws, 4, &["Kessel 2 (WAGO 750)", "admin", "Kess3l-Zwei!", ""])?;
    row(ws, 6, &["Système", "Utilisateur", "Mot de passe", "Remarque"])?;
    row(ws, 7, &["Four 2", "technicien", "F0ur-Tech-22", ""])?;
    row(ws, 8, &["Four 3", "technicien", "N/A", "compte désactivé"])?;
    row(ws, 10, &["Equipo", "Usuario", "Contraseña", "Comentario"])?;
    row(ws, 11, &["Bomba 3", "soporte", "S0porte#2021", ""])?;
    row(ws, 12, &["Bomba 4", "soporte", HMI_ADMIN, "igual que HMI"])?;
    out.push(p(VENDORS, "Lieferanten!C4", "password", "admin", "Kessel 1 (WAGO 750)", "default", "wago"));
    out.push(p(VENDORS, "Lieferanten!C5", "password", "admin", "Kessel 2 (WAGO 750)", "-", "Kess3l-Zwei!"));
    out.push(p(VENDORS, "Lieferanten!C8", "password", "technicien", "Four 2", "-", "F0ur-Tech-22"));
    out.push(p(VENDORS, "Lieferanten!C12", "password", "soporte", "Bomba 3", "-", "S0porte#2021"));
    out.push(p(VENDORS, "Lieferanten!C13", "password", "soporte", "Bomba 4", "-", HMI_ADMIN));
    wb.save_to_buffer()
}

const CSV_EXPORT: &str = "it-share/exports/accounts.csv";

#[rustfmt::skip]
fn csv_export(out: &mut Vec<Planted>) -> Vec<u8> {
    let lines = [
        "Hostname;IP;Username;Password;Comment".to_string(),
        format!("plc-l1-01;192.0.2.10;operator;{LINE1_OPERATOR};from control room sheet"),
        "jump-01;198.51.100.20;svc_backup;Backup#Jump22;nightly job".into(),
        "mes-db;198.51.100.31;mes_app;\"Mes;App-2020\";quoted because of the semicolon".into(),
        "ad-dc1;198.51.100.5;helpdesk;********;rotated".into(),
    ];
    out.push(p(CSV_EXPORT, "L2", "password", "operator", "plc-l1-01", "-", LINE1_OPERATOR));
    out.push(p(CSV_EXPORT, "L3", "password", "svc_backup", "jump-01", "-", "Backup#Jump22"));
    out.push(p(
        CSV_EXPORT,
        "L4",
        "password",
        "mes_app",
        "mes-db",
        "-",
        "Mes;App-2020",
    ));
    (lines.join("\r\n") + "\r\n").into_bytes()
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in members {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const DOCX: &str = "it-share/handover/shift-handover.docx";

#[rustfmt::skip]
fn docx(out: &mut Vec<Planted>) -> Vec<u8> {
    let para = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(t)
        )
    };
    let cell = |t: &str| {
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
            para(t)
        )
    };
    let tr = |cells: &[&str]| {
        format!(
            "<w:tr>{}</w:tr>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let body = [
        para("Shift handover - OT network, night shift"),
        para("Jump host reachable again after the firewall change."),
        para("Historian: login historian, password: Hist0rian-2022 (temporary, change it)"),
        format!(
            "<w:tbl>{}{}{}</w:tbl>",
            tr(&["Host", "User", "Password"]),
            tr(&["HMI-L1-02", "admin", HMI_ADMIN]),
            tr(&["EWS-02", "engineer", "Eng!neer-02"])
        ),
        para("Open point: vendor still has remote access."),
    ]
    .concat();
    out.push(p(DOCX, "L3", "password", "historian", "Historian", "-", "Hist0rian-2022"));
    out.push(p(DOCX, "table 1!C2", "password", "admin", "HMI-L1-02", "-", HMI_ADMIN));
    out.push(p(DOCX, "table 1!C3", "password", "engineer", "EWS-02", "-", "Eng!neer-02"));
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ("word/document.xml", document.as_bytes()),
    ])
}

const PACK: &str = "it-share/handover/handover-pack.zip";

#[rustfmt::skip]
fn handover_pack(out: &mut Vec<Planted>) -> Result<Vec<u8>, XlsxError> {
    let notes = format!(
        "Handover pack for the new OT engineer\n\nVPN: user vendor, password {VENDOR_REMOTE}\nWi-Fi (plant floor) PSK: Plant-Floor-5G!\nAsk the shift lead for the rest.\n"
    );
    out.push(p(PACK, "handover/notes.txt:L3", "password", "vendor", "VPN", "-", VENDOR_REMOTE));
    out.push(p(PACK, "handover/notes.txt:L4", "preshared_key", "-", "-", "-", "Plant-Floor-5G!"));
    let mut wb = book();
    let ws = wb.add_worksheet().set_name("Copy")?;
    row(ws, 0, &["System", "User", "Password"])?;
    row(ws, 1, &["PLC-L1-01", "operator", LINE1_OPERATOR])?;
    row(ws, 2, &["Safety PLC", "safety", "S4fety#L1"])?;
    out.push(p(PACK, "handover/credentials-copy.xlsx:Copy!C2", "password", "operator", "PLC-L1-01", "-", LINE1_OPERATOR));
    out.push(p(PACK, "handover/credentials-copy.xlsx:Copy!C3", "password", "safety", "Safety PLC", "-", "S4fety#L1"));
    let sheet = wb.save_to_buffer()?;
    Ok(zip(&[
        ("handover/notes.txt", notes.as_bytes()),
        ("handover/credentials-copy.xlsx", &sheet),
    ]))
}

fn write(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent"))?;
    std::fs::write(path, bytes)
}

/// Replaces the `# documents` section of tests/expected/sample-data.tsv (up to the next `# ` section).
fn write_expected(root: &Path, planted: &[Planted]) -> std::io::Result<()> {
    // The list lives outside sample-data/ so that scanning the sample does not report it.
    let path = root.join("../tests/expected/sample-data.tsv");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let mut kept: Vec<&str> = Vec::new();
    let mut mine = false;
    for line in old.lines() {
        if line.starts_with("# ") {
            mine = line.trim() == "# documents";
        }
        if !mine {
            kept.push(line);
        }
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    let mut text = kept.join("\n");
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str("# documents\n");
    for x in planted {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            x.path, x.at, x.category, x.user, x.system, x.flags, x.secret
        ));
    }
    std::fs::write(path, text)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut planted = Vec::new();
    write(&root, CONTROL_ROOM, &control_room(&mut planted)?)?;
    write(
        &root,
        "engineering-share/assets/asset-inventory.xlsx",
        &asset_inventory()?,
    )?;
    write(&root, VENDORS, &vendor_sheet(&mut planted)?)?;
    write(&root, CSV_EXPORT, &csv_export(&mut planted))?;
    write(&root, DOCX, &docx(&mut planted))?;
    write(&root, PACK, &handover_pack(&mut planted)?)?;
    write_expected(&root, &planted)?;
    println!(
        "wrote {} planted credentials under {}",
        planted.len(),
        root.display()
    );
    Ok(())
}
