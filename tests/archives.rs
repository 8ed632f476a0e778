//! Archives and bad input: members are read with their inner path, nested archives to
//! a depth limit, and hostile or broken files become a recorded reason, never a panic
//! or an out-of-memory, while the scan goes on.

mod common;

use credence::finding::Finding;
use credence::ingest::Limits;
use credence::scan::Summary;

use std::io::Write;

const CREDS_CSV: &str = "host,user,password\nrtu-3,field,Rtu3-F1eld!\n";

fn scan_with(files: &[(&str, Vec<u8>)], limits: Limits) -> (Vec<Finding>, Summary) {
    common::scan_files(files, limits)
}

fn scan(files: &[(&str, Vec<u8>)]) -> (Vec<Finding>, Summary) {
    scan_with(files, Limits::default())
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn reasons(s: &Summary) -> String {
    format!("{:?} {:?}", s.errors, s.notices)
}

#[test]
fn zip_members_are_read_with_their_inner_path() {
    let (f, s) = scan(&[(
        "handover.zip",
        zip(&[("docs/creds.csv", CREDS_CSV.as_bytes())]),
    )]);
    assert_eq!(f.len(), 1, "{} {f:#?}", reasons(&s));
    assert_eq!(f[0].path, "handover.zip");
    assert_eq!(f[0].member.as_deref(), Some("docs/creds.csv"));
    assert_eq!(f[0].line, Some(2));
    assert_eq!(f[0].system.as_deref(), Some("rtu-3"));
}

#[test]
fn nested_zip_joins_members_with_bang() {
    let inner = zip(&[("creds.csv", CREDS_CSV.as_bytes())]);
    let outer = zip(&[("backup/inner.zip", &inner)]);
    let (f, _) = scan(&[("outer.zip", outer)]);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].member.as_deref(), Some("backup/inner.zip!creds.csv"));
}

#[test]
fn nesting_beyond_the_depth_limit_is_refused_with_a_reason() {
    let mut z = zip(&[("creds.csv", CREDS_CSV.as_bytes())]);
    for i in 0..3 {
        z = zip(&[(&format!("level{i}.zip"), &z)]);
    }
    let limits = Limits {
        max_archive_depth: 2,
        ..Limits::default()
    };
    let (f, s) = scan_with(&[("deep.zip", z)], limits);
    assert!(f.is_empty());
    assert!(
        reasons(&s).contains("nested deeper than 2"),
        "{}",
        reasons(&s)
    );
}

#[test]
fn tar_and_tar_gz_members() {
    let mut t = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(CREDS_CSV.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_cksum();
    t.append_data(&mut h, "etc/creds.csv", CREDS_CSV.as_bytes())
        .unwrap();
    let tar_bytes = t.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar_bytes).unwrap();
    let tgz = gz.finish().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(CREDS_CSV.as_bytes()).unwrap();
    let plain_gz = gz.finish().unwrap();
    let (f, s) = scan(&[("a.tar", tar_bytes), ("b.tgz", tgz), ("c.csv.gz", plain_gz)]);
    let members: Vec<_> = f
        .iter()
        .map(|f| (f.path.as_str(), f.member.as_deref()))
        .collect();
    assert_eq!(
        members,
        vec![
            ("a.tar", Some("etc/creds.csv")),
            ("b.tgz", Some("etc/creds.csv")),
            ("c.csv.gz", Some("c.csv"))
        ],
        "{}",
        reasons(&s)
    );
}

#[test]
fn zip_bomb_is_a_recorded_refusal_and_the_scan_goes_on() {
    let zeros = vec![0u8; 24 * 1024 * 1024];
    let bomb = zip(&[("a.csv", CREDS_CSV.as_bytes()), ("zeros.bin", &zeros)]);
    assert!(bomb.len() < 200 * 1024);
    let (f, s) = scan(&[
        ("bomb.zip", bomb),
        ("other.csv", CREDS_CSV.as_bytes().to_vec()),
    ]);
    let err = s
        .errors
        .iter()
        .find(|e| e.path == "bomb.zip")
        .expect("bomb recorded");
    assert!(
        err.reason.contains("refused") && err.reason.contains("zip bomb"),
        "{}",
        err.reason
    );
    // The member before the bomb and the other file were still read.
    assert!(
        f.iter()
            .any(|f| f.path == "bomb.zip" && f.member.as_deref() == Some("a.csv"))
    );
    assert!(f.iter().any(|f| f.path == "other.csv"));
}

#[test]
fn member_and_total_size_and_entry_limits() {
    let big = vec![b'a'; 300 * 1024];
    let z = zip(&[("a.txt", &big), ("b.txt", &big), ("c.txt", &big)]);
    let limits = Limits {
        max_member_size: 200 * 1024,
        ..Limits::default()
    };
    let (_, s) = scan_with(&[("big.zip", z.clone())], limits);
    assert!(
        reasons(&s).contains("member larger than"),
        "{}",
        reasons(&s)
    );
    let limits = Limits {
        max_archive_total: 700 * 1024,
        ..Limits::default()
    };
    let (_, s) = scan_with(&[("big.zip", z.clone())], limits);
    assert!(
        reasons(&s).contains("archive larger than"),
        "{}",
        reasons(&s)
    );
    let limits = Limits {
        max_archive_entries: 2,
        ..Limits::default()
    };
    let (_, s) = scan_with(&[("big.zip", z)], limits);
    assert!(reasons(&s).contains("entries"), "{}", reasons(&s));
}

#[test]
fn dot_dot_member_names_are_reported_and_still_read_in_memory() {
    let z = zip(&[("../../outside/creds.csv", CREDS_CSV.as_bytes())]);
    let (f, s) = scan(&[("evil.zip", z)]);
    assert!(
        s.notices
            .iter()
            .any(|n| n.reason.contains("escapes the archive folder")),
        "{}",
        reasons(&s)
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].member.as_deref(), Some("../../outside/creds.csv"));
}

#[test]
fn truncated_zip_xlsx_and_docx_each_get_a_reason() {
    let z = zip(&[("creds.csv", CREDS_CSV.as_bytes())]);
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "Password").unwrap();
    let xlsx = wb.save_to_buffer().unwrap();
    let docx = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>hello</w:t></w:r></w:p></w:body></w:document>"),
    ]);
    let cut = |b: &[u8]| b[..b.len() / 2].to_vec();
    let (_, s) = scan(&[
        ("a.zip", cut(&z)),
        ("b.xlsx", cut(&xlsx)),
        ("c.docx", cut(&docx)),
        ("ok.csv", CREDS_CSV.as_bytes().to_vec()),
    ]);
    for p in ["a.zip", "b.xlsx", "c.docx"] {
        let e = s
            .errors
            .iter()
            .find(|e| e.path == p)
            .unwrap_or_else(|| panic!("{p}: {}", reasons(&s)));
        assert!(
            e.reason.contains("corrupt or truncated"),
            "{p}: {}",
            e.reason
        );
    }
    assert_eq!(s.files_scanned, 1, "the good file was scanned");
}

#[test]
fn bit_flipped_inputs_never_panic() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "User").unwrap();
    ws.write_string(0, 1, "Password").unwrap();
    ws.write_string(1, 0, "op").unwrap();
    ws.write_string(1, 1, "Flip-Me-42").unwrap();
    let xlsx = wb.save_to_buffer().unwrap();
    let z = zip(&[("creds.csv", CREDS_CSV.as_bytes())]);
    let mut files = Vec::new();
    for (k, base) in [xlsx, z].iter().enumerate() {
        for i in 0..24 {
            let mut b = base.clone();
            let pos = (i * 7919 + 31) % b.len();
            b[pos] ^= 0x5A;
            files.push((format!("flip{k}_{i}.xlsx"), b));
        }
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (_, s) = scan(&named);
    assert!(
        s.errors.iter().all(|e| !e.reason.contains("parser panic")),
        "{:?}",
        s.errors
    );
}

#[test]
fn encrypted_workbook_is_a_notice_not_an_error() {
    // An OLE container whose directory names an EncryptedPackage stream.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(1024, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(4096, 0);
    let (f, s) = scan(&[("locked.xlsx", ole)]);
    assert!(f.is_empty());
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    assert!(
        s.notices
            .iter()
            .any(|n| n.path == "locked.xlsx" && n.reason == "encrypted workbook, not scanned"),
        "{:?}",
        s.notices
    );
}

#[test]
fn entity_expansion_in_a_workbook_is_never_expanded() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "x").unwrap();
    let xlsx = wb.save_to_buffer().unwrap();
    // Rebuild the package with a "billion laughs" sharedStrings.xml.
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        members.push((f.name().to_string(), b));
    }
    let mut laughs = String::from("<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        laughs.push_str(&format!("<!ENTITY l{i} \"{prev}\">"));
    }
    laughs.push_str("]><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>&l9;</t></si></sst>");
    for m in &mut members {
        if m.0 == "xl/sharedStrings.xml" {
            m.1 = laughs.clone().into_bytes();
        }
    }
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let (_, s) = scan(&[("laughs.xlsx", zip(&refs))]);
    // calamine does not expand custom entities either: the entity is an XML error,
    // recorded as this file's reason (never a billion "lol"s in memory).
    let e = s
        .errors
        .iter()
        .find(|e| e.path == "laughs.xlsx")
        .expect("a reason");
    assert!(
        e.reason.contains("workbook cannot be parsed"),
        "{}",
        e.reason
    );
}

#[test]
fn truncated_and_flipped_sample_files_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let mut originals: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in walk(&root) {
        let ext = entry
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_string();
        if ["xlsx", "docx", "zip", "csv"].contains(&ext.as_str()) {
            originals.push((ext, std::fs::read(&entry).unwrap()));
        }
    }
    // Formats the sample data does not hold, small and hand made.
    let pdf = b"%PDF-1.4\n4 0 obj << /Length 20 /Filter /FlateDecode >>\nstream\nx\x9c+I-.\x01\x00\nendstream\nendobj\n%%EOF\n".to_vec();
    let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 pass\'e9 \u233? x\par}".to_vec();
    let eml = b"Subject: x\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nhello\n--B\nContent-Disposition: attachment; filename=\"a.zip\"\nContent-Transfer-Encoding: base64\n\nUEsDBA==\n--B--\n".to_vec();
    originals.push(("pdf".into(), pdf));
    originals.push(("rtf".into(), rtf));
    originals.push(("eml".into(), eml));
    let mut files = Vec::new();
    for (k, (ext, bytes)) in originals.iter().enumerate() {
        for cut in 1..8 {
            files.push((
                format!("cut{k}_{cut}.{ext}"),
                bytes[..bytes.len() * cut / 8].to_vec(),
            ));
        }
        for i in 0..16 {
            let mut b = bytes.clone();
            let pos = (i * 104_729 + 17) % b.len();
            b[pos] = b[pos].wrapping_add(1 + i as u8);
            files.push((format!("flip{k}_{i}.{ext}"), b));
        }
    }
    let named: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (_, s) = scan(&named);
    assert!(
        s.errors.iter().all(|e| !e.reason.contains("parser panic")),
        "{:?}",
        s.errors
            .iter()
            .filter(|e| e.reason.contains("panic"))
            .collect::<Vec<_>>()
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
