//! Hostile office, archive and note files: bombs, entity expansion, giant parts, and
//! damaged copies of one small specimen of every supported format.

use std::io::Write;
use std::path::Path;
use zip::write::SimpleFileOptions;

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .large_file(true)
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in members {
        w.start_file(*name, options()).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// One member of `len` zeros, streamed to disk (the zip is ~1 MB per GiB).
pub fn zip_of_zeros(path: &Path, len: u64) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    w.start_file("zeros.bin", options()).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..len / chunk.len() as u64 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap();
}

/// `depth` levels of zips, each holding `fan` copies of the level below; the bottom
/// holds `base` zeros (fan^depth × base bytes once fully expanded).
pub fn nested_zip_bomb(path: &Path, depth: u32, fan: usize, base: usize) {
    let mut level = zip(&[("zeros.bin", &vec![0u8; base])]);
    for _ in 0..depth {
        let names: Vec<String> = (0..fan).map(|i| format!("{i}.zip")).collect();
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &level[..])).collect();
        level = zip(&members);
    }
    std::fs::write(path, level).unwrap();
}

/// Nine levels of ten-fold entities: 10^9 "lol"s if a parser expanded them.
fn laughs(doctype: &str, body: &str) -> String {
    let mut s = format!("<?xml version=\"1.0\"?><!DOCTYPE {doctype} [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        s.push_str(&format!(
            "<!ENTITY l{i} \"{}\">",
            format!("&l{};", i - 1).repeat(10)
        ));
    }
    s.push_str("]>");
    s.push_str(body);
    s
}

fn xlsx_package(shared_strings: &[u8]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Password").unwrap();
    ws.write_string(1, 0, "x").unwrap();
    let xlsx = wb.save_to_buffer().unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        if f.name() == "xl/sharedStrings.xml" {
            b = shared_strings.to_vec();
        }
        members.push((f.name().to_string(), b));
    }
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    zip(&refs)
}

const SST: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

pub fn xlsx_with_laughs() -> Vec<u8> {
    let body = format!(
        "<sst xmlns=\"{SST}\" count=\"2\" uniqueCount=\"2\"><si><t>&l9;</t></si><si><t>x</t></si></sst>"
    );
    xlsx_package(laughs("sst", &body).as_bytes())
}

/// sharedStrings.xml of about `len` bytes of distinct pseudo-random strings (so it does
/// not compress into a ratio refusal: the size limit is what must hold).
pub fn xlsx_giant_shared_strings(len: usize) -> Vec<u8> {
    let mut s = format!("<?xml version=\"1.0\"?><sst xmlns=\"{SST}\">");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while s.len() < len {
        s.push_str("<si><t>");
        for _ in 0..6 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(&format!("{x:016x}"));
        }
        s.push_str("</t></si>");
    }
    s.push_str("</sst>");
    xlsx_package(s.as_bytes())
}

pub fn docx_with_laughs() -> Vec<u8> {
    let body = "<w:document xmlns:w=\"urn:w\"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>";
    zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", laughs("w:document", body).as_bytes()),
    ])
}

/// One small, valid file of every format the scanner parses.
fn specimens() -> Vec<(&'static str, Vec<u8>)> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in [
        ["System", "User", "Password"],
        ["HMI-02", "ops", "Kettle#Pump77"],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let xls = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile-specimen.xls"),
    )
    .unwrap();
    let para = "<w:p><w:r><w:t>VPN password: Lantern-Oak-31</w:t></w:r></w:p>";
    let docx = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        (
            "word/document.xml",
            format!("<w:document xmlns:w=\"urn:w\"><w:body>{para}{para}</w:body></w:document>")
                .as_bytes(),
        ),
    ]);
    let pptx = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("ppt/slides/slide1.xml", b"<p:sld xmlns:p=\"urn:p\" xmlns:a=\"urn:a\"><a:t>admin password Lantern-Oak-31</a:t></p:sld>"),
    ]);
    let odf = |mime: &str, body: &str| {
        zip(&[
            ("mimetype", mime.as_bytes()),
            ("content.xml", format!("<office:document-content xmlns:office=\"urn:o\" xmlns:text=\"urn:t\" xmlns:table=\"urn:tb\"><office:body>{body}</office:body></office:document-content>").as_bytes()),
        ])
    };
    let ods = odf(
        "application/vnd.oasis.opendocument.spreadsheet",
        "<office:spreadsheet><table:table table:name=\"S\"><table:table-row><table:table-cell><text:p>Password</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>Kettle#Pump77</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>",
    );
    let odt = odf(
        "application/vnd.oasis.opendocument.text",
        "<office:text><text:p>password: Lantern-Oak-31</text:p></office:text>",
    );
    let archive = zip(&[("creds.txt", b"password = Lantern-Oak-31\n")]);
    let mut tar = tar::Builder::new(Vec::new());
    let body = b"password = Lantern-Oak-31\n";
    let mut h = tar::Header::new_gnu();
    h.set_size(body.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    tar.append_data(&mut h, "creds.txt", &body[..]).unwrap();
    let tar = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar).unwrap();
    let tgz = gz.finish().unwrap();
    let enex = b"<?xml version=\"1.0\"?><en-export><note><title>Pump house</title><content><![CDATA[<en-note><div>password: Lantern-Oak-31</div></en-note>]]></content></note></en-export>".to_vec();
    let pdf = b"%PDF-1.4\n1 0 obj << /Length 44 >>\nstream\nBT (password: Lantern-Oak-31) Tj ET\nendstream\nendobj\n%%EOF\n".to_vec();
    let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 password: Lantern-Oak-31\par}".to_vec();
    let eml = b"Subject: access\nContent-Type: text/plain\n\npassword: Lantern-Oak-31\n".to_vec();
    vec![
        ("xlsx", xlsx.clone()),
        ("xlsm", xlsx),
        ("xls", xls),
        ("ods", ods),
        ("docx", docx),
        ("pptx", pptx),
        ("odt", odt),
        ("zip", archive),
        ("tar", tar),
        ("tar.gz", tgz),
        ("enex", enex),
        ("sqlite", sticky_notes()),
        ("pdf", pdf),
        ("rtf", rtf),
        ("eml", eml),
    ]
}

/// A Windows Sticky Notes database (`plum.sqlite` layout: a `Note` table).
fn sticky_notes() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plum.sqlite");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE Note (Id TEXT, Text TEXT);
         INSERT INTO Note VALUES ('1', '\\id=1 password: Lantern-Oak-31');",
    )
    .unwrap();
    drop(c);
    std::fs::read(path).unwrap()
}

/// Each specimen cut at 1/8 … 7/8 of its length (`cut<k>.<ext>`) and with one byte
/// changed at 16 spread positions (`flip<i>.<ext>`).
pub fn damaged_specimens(dir: &Path) {
    for (ext, bytes) in specimens() {
        for k in 1..8 {
            std::fs::write(
                dir.join(format!("cut{k}.{ext}")),
                &bytes[..bytes.len() * k / 8],
            )
            .unwrap();
        }
        for i in 0..16usize {
            let mut b = bytes.clone();
            let pos = (i * 7919 + 13) % b.len();
            b[pos] ^= 1 << (i % 8);
            std::fs::write(dir.join(format!("flip{i}.{ext}")), b).unwrap();
        }
    }
}
