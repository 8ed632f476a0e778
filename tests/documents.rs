//! Documents read as text with a location a person can find: docx and odt by
//! paragraph number, pptx and odp by slide number, rtf and PDF by line, mail with its
//! attachments as members; tables inside a docx read like sheets.

mod common;

use credence::finding::Finding;
use credence::ingest::{ExtractError, ExtractInput, Limits, Part, sniff};
use credence::scan::Summary;
use credence::vault::FingerprintKey;
use std::io::Write;

const KEY: [u8; 32] = common::SCAN_KEY;

/// What the built-in extractors make of one file, as the pipeline would call them.
fn parts(name: &str, bytes: &[u8]) -> (Vec<Part>, Result<(), ExtractError>) {
    let kind = sniff(&bytes[..bytes.len().min(8192)]);
    let head = &bytes[..bytes.len().min(8192)];
    let limits = Limits::default();
    let input = ExtractInput {
        bytes,
        name,
        kind,
        depth: 0,
        limits: &limits,
    };
    let all = credence::ingest::extractors::builtin();
    let ex = all
        .iter()
        .find(|e| e.accepts(kind) || e.accepts_text(name, head))
        .expect("an extractor");
    let mut out = Vec::new();
    let r = ex.extract(&input, &mut |p| out.push(p));
    (out, r)
}

/// (first_line, label, text) of every text part.
fn texts(parts: &[Part]) -> Vec<(u32, Option<String>, String)> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Text {
                origin,
                text,
                first_line,
                ..
            } => Some((*first_line, origin.label.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

fn scan(files: &[(&str, Vec<u8>)]) -> (Vec<Finding>, Summary) {
    common::scan_files(files, Limits::default())
}

fn zip(members: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    for (name, body) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx() -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let row = |c: &[&str]| {
        format!(
            "<w:tr>{}</w:tr>",
            c.iter().map(|t| cell(t)).collect::<String>()
        )
    };
    let body = [
        p("Shift handover, 12 March"),
        "<w:p/>".to_string(),
        p("The historian login is hist_admin &amp; the password is written below."),
        format!(
            "<w:tbl>{}{}</w:tbl>",
            row(&["Host", "User", "Password"]),
            row(&["hist-01", "hist_admin", "H1st&lt;Adm1n"])
        ),
        p("End of note"),
    ]
    .concat();
    zip(&[
        ("[Content_Types].xml", "<Types/>"),
        (
            "word/document.xml",
            &format!(
                "<?xml version=\"1.0\"?><w:document xmlns:w=\"urn:w\"><w:body>{body}</w:body></w:document>"
            ),
        ),
    ])
}

#[test]
fn docx_paragraph_numbers_are_lines() {
    let (p, r) = parts("handover.docx", &docx());
    r.unwrap();
    let t = texts(&p);
    assert_eq!(t.len(), 1);
    let lines: Vec<&str> = t[0].2.lines().collect();
    assert_eq!(t[0].0, 1);
    assert_eq!(lines[0], "Shift handover, 12 March");
    assert_eq!(lines[1], "", "an empty paragraph still counts");
    assert_eq!(
        lines[2],
        "The historian login is hist_admin & the password is written below."
    );
    assert_eq!(
        lines[3], "End of note",
        "table paragraphs are not body lines"
    );
}

#[test]
fn docx_tables_get_the_sheet_header_logic() {
    let (f, s) = scan(&[("handover.docx", docx())]);
    assert_eq!(f.len(), 1, "{:?} {f:#?}", s.errors);
    assert_eq!(f[0].label.as_deref(), Some("table 1"));
    assert_eq!(f[0].cell.as_deref(), Some("C2"));
    assert_eq!(f[0].system.as_deref(), Some("hist-01"));
    assert_eq!(f[0].username.as_deref(), Some("hist_admin"));
    assert_eq!(
        f[0].fingerprint,
        FingerprintKey::from_bytes(KEY).fingerprint("H1st<Adm1n")
    );
}

#[test]
fn pptx_slide_numbers_are_lines() {
    let slide = |t: &str| {
        format!(
            "<p:sld xmlns:p=\"urn:p\" xmlns:a=\"urn:a\"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{t}</a:t></a:r></a:p><a:p><a:r><a:t>second</a:t></a:r><a:r><a:t> paragraph</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
    };
    let pptx = zip(&[
        (
            "ppt/presentation.xml",
            "<p:presentation xmlns:p=\"urn:p\"/>",
        ),
        ("ppt/slides/slide10.xml", &slide("ten")),
        ("ppt/slides/slide2.xml", &slide("Wi-Fi key: Guest-2024")),
        (
            "ppt/notesSlides/notesSlide2.xml",
            &slide("say the key aloud"),
        ),
    ]);
    let (p, r) = parts("training.pptx", &pptx);
    r.unwrap();
    let t = texts(&p);
    assert_eq!(
        t[0],
        (2, Some("slide 2".into()), "Wi-Fi key: Guest-2024".into())
    );
    assert_eq!(t[1], (2, Some("slide 2".into()), "second paragraph".into()));
    assert_eq!(t[2].0, 10);
    assert_eq!(
        t[4],
        (
            2,
            Some("notes of slide 2".into()),
            "say the key aloud".into()
        )
    );
}

#[test]
fn odt_and_odp() {
    let odt = zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        (
            "content.xml",
            "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\"><office:body><office:text><text:h>Title</text:h><text:p>Router<text:s/>admin<text:tab/>pw</text:p></office:text></office:body></office:document-content>",
        ),
    ]);
    let (p, r) = parts("note.odt", &odt);
    r.unwrap();
    assert_eq!(texts(&p)[0].2, "Title\nRouter admin\tpw");
    let odp = zip(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.presentation",
        ),
        (
            "content.xml",
            "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\" xmlns:draw=\"d\"><office:body><office:presentation><draw:page><text:p>one</text:p></draw:page><draw:page><text:p>two</text:p></draw:page></office:presentation></office:body></office:document-content>",
        ),
    ]);
    let (p, r) = parts("deck.odp", &odp);
    r.unwrap();
    assert_eq!(texts(&p)[1], (2, Some("slide 2".into()), "two".into()));
}

#[test]
fn odt_tables_get_the_sheet_header_logic() {
    let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
    let row = |c: &[&str]| {
        format!(
            "<table:table-row>{}</table:table-row>",
            c.iter().map(|t| cell(t)).collect::<String>()
        )
    };
    let content = format!(
        "<office:document-content xmlns:office=\"o\" xmlns:text=\"t\" xmlns:table=\"b\"><office:body><office:text><text:p>Access list</text:p><table:table>{}{}</table:table><text:p>end</text:p></office:text></office:body></office:document-content>",
        row(&["Host", "User", "Password"]),
        row(&["gw-2", "netops", "Gw2-Net0ps!"])
    );
    let odt = zip(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", &content),
    ]);
    let (p, r) = parts("access.odt", &odt);
    r.unwrap();
    assert_eq!(texts(&p)[0].2, "Access list\nend");
    let (f, _) = scan(&[("access.odt", odt)]);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].label.as_deref(), f[0].cell.as_deref()),
        (Some("table 1"), Some("C2"))
    );
    assert_eq!(
        (f[0].system.as_deref(), f[0].username.as_deref()),
        (Some("gw-2"), Some("netops"))
    );
}

#[test]
fn rtf_control_words_are_stripped() {
    let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}\f0\fs20 VPN notes\par Pass\'e9: Caf\u233?-2023\par {\*\generator Riched20;}done}";
    let (p, r) = parts("notes.rtf", rtf);
    r.unwrap();
    assert_eq!(texts(&p)[0].2, "VPN notes\nPassé: Café-2023\ndone");
}

#[test]
fn eml_headers_bodies_and_attachments() {
    let csv = "host,user,password\nrtu-9,field,Rtu9-Field!\n";
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(csv)
    };
    let eml = format!(
        "From: ops@example.org\nTo: vendor@example.net\nSubject: access for Monday\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\n--XYZ\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nHello,\nthe jump host pass=\nword is below.\n--XYZ\nContent-Type: text/csv; name=\"access.csv\"\nContent-Disposition: attachment; filename=\"access.csv\"\nContent-Transfer-Encoding: base64\n\n{b64}\n--XYZ--\n"
    );
    let (p, r) = parts("mail.eml", eml.as_bytes());
    r.unwrap();
    let t = texts(&p);
    assert!(t[0].2.contains("Subject: access for Monday"));
    assert_eq!(t[1].0, 11, "body starts on line 11 of the message");
    assert!(t[1].2.contains("the jump host password is below."));
    let (f, s) = scan(&[("mail.eml", eml.into_bytes())]);
    assert_eq!(f.len(), 1, "{:?}", s);
    assert_eq!(f[0].member.as_deref(), Some("access.csv"));
    assert_eq!(f[0].system.as_deref(), Some("rtu-9"));
}

fn pdf(body: &str, extra_trailer: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n4 0 obj << /Length {} >>\nstream\n{body}\nendstream\nendobj\ntrailer << /Root 1 0 R {extra_trailer}>>\n%%EOF\n",
        body.len()
    )
    .into_bytes()
}

#[test]
fn pdf_text_by_line_and_encrypted_pdf() {
    let doc = pdf(
        "BT /F1 12 Tf 72 712 Td (Maintenance contract) Tj 0 -14 Td [(Modem PIN ) -250 (\\(new\\): 4711)] TJ ET",
        "",
    );
    let (p, r) = parts("contract.pdf", &doc);
    r.unwrap();
    assert_eq!(
        texts(&p)[0].2,
        "Maintenance contract\nModem PIN (new): 4711\n"
    );
    let (_, r) = parts("locked.pdf", &pdf("BT (x) Tj ET", "/Encrypt 5 0 R "));
    assert!(matches!(r, Err(ExtractError::Encrypted { format: "pdf" })));
    let (_, s) = scan(&[("locked.pdf", pdf("BT (x) Tj ET", "/Encrypt 5 0 R "))]);
    assert_eq!(s.notices[0].reason, "encrypted pdf, not scanned");
}

#[test]
fn pdf_flate_streams_are_inflated() {
    let content = b"BT (Flate text) Tj ET";
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(content).unwrap();
    let packed = z.finish().unwrap();
    let mut doc = b"%PDF-1.5\n4 0 obj << /Length 99 /Filter /FlateDecode >>\nstream\n".to_vec();
    doc.extend(&packed);
    doc.extend(b"\nendstream\nendobj\n%%EOF\n");
    let (p, r) = parts("z.pdf", &doc);
    r.unwrap();
    assert_eq!(texts(&p)[0].2, "Flate text\n");
}

#[test]
fn entity_expansion_in_a_document_is_not_expanded() {
    let mut dtd = String::from("<!DOCTYPE d [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY l{i} \"{}\">",
            format!("&l{};", i - 1).repeat(10)
        ));
    }
    dtd.push(']');
    dtd.push('>');
    let doc = zip(&[(
        "word/document.xml",
        &format!(
            "<?xml version=\"1.0\"?>{dtd}<w:document xmlns:w=\"u\"><w:body><w:p><w:r><w:t>a&l9;b</w:t></w:r></w:p></w:body></w:document>"
        ),
    )]);
    let (p, r) = parts("laughs.docx", &doc);
    r.unwrap();
    assert_eq!(texts(&p)[0].2, "ab");
}

#[test]
fn docx_headers_footers_and_comments_are_read_with_their_part_as_label() {
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let doc = zip(&[
        (
            "word/document.xml",
            &format!(
                "<w:document xmlns:w=\"u\"><w:body>{}</w:body></w:document>",
                p("body")
            ),
        ),
        (
            "word/header1.xml",
            &format!("<w:hdr xmlns:w=\"u\">{}</w:hdr>", p("CONFIDENTIAL")),
        ),
        (
            "word/comments.xml",
            &format!(
                "<w:comments xmlns:w=\"u\"><w:comment w:id=\"0\" w:author=\"JM\">{}{}</w:comment></w:comments>",
                p("reviewed"),
                p("the SCADA pw is in the safe")
            ),
        ),
    ]);
    let (parts, r) = parts("report.docx", &doc);
    r.unwrap();
    let t = texts(&parts);
    assert_eq!(t[0].2, "body");
    assert_eq!(
        t[1],
        (
            1,
            Some("comments".into()),
            "reviewed\nthe SCADA pw is in the safe".into()
        )
    );
    assert_eq!(t[2], (1, Some("header1".into()), "CONFIDENTIAL".into()));
}
