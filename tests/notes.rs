//! Note stores and vault exports: each note is prose labelled by its title; a vault
//! exported in clear is one `credential_store` finding plus one finding per entry.

mod common;

use credence::finding::{Category, Finding};
use credence::ingest::{ExtractError, ExtractInput, Limits, Part, sniff};
use credence::scan::Summary;
use credence::vault::FingerprintKey;

const KEY: [u8; 32] = common::SCAN_KEY;

fn parts(name: &str, bytes: &[u8]) -> (Vec<Part>, Result<(), ExtractError>) {
    let head = &bytes[..bytes.len().min(8192)];
    let kind = sniff(head);
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

fn texts(parts: &[Part]) -> Vec<(Option<String>, String)> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Text { origin, text, .. } => Some((origin.label.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

fn scan(files: &[(&str, Vec<u8>)]) -> (Vec<Finding>, Summary) {
    common::scan_files(files, Limits::default())
}

fn fp(s: &str) -> String {
    FingerprintKey::from_bytes(KEY).fingerprint(s)
}

#[test]
fn evernote_notes_are_prose_labelled_by_title() {
    let enex = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export3.dtd">
<en-export export-date="20240101T000000Z">
<note><title>Substation 4 &amp; RTU</title><content><![CDATA[<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd"><en-note><div>Gate code 4455</div><div>RTU web login: admin / Rtu4-Sub!</div></en-note>]]></content></note>
<note><title>Shopping</title><content><![CDATA[<en-note><div>milk</div></en-note>]]></content></note>
</en-export>"#;
    let (p, r) = parts("export.enex", enex.as_bytes());
    r.unwrap();
    let t = texts(&p);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].0.as_deref(), Some("Substation 4 & RTU"));
    assert_eq!(
        t[0].1.lines().collect::<Vec<_>>(),
        vec!["Gate code 4455", "RTU web login: admin / Rtu4-Sub!"]
    );
}

const KEEPASS: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Root><Group><Name>OT</Name>
<Entry><String><Key>Title</Key><Value>Historian</Value></String><String><Key>UserName</Key><Value>hist_admin</Value></String><String><Key>Password</Key><Value ProtectInMemory="True">H1st-Adm!n</Value></String><String><Key>URL</Key><Value>https://historian.example.org</Value></String><String><Key>Notes</Key><Value>vendor support line</Value></String>
<History><Entry><String><Key>Title</Key><Value>Historian</Value></String><String><Key>Password</Key><Value>Old-Hist-2019</Value></String></Entry></History></Entry>
<Entry><String><Key>Title</Key><Value>Firewall</Value></String><String><Key>UserName</Key><Value>fwadmin</Value></String><String><Key>Password</Key><Value>Fw&lt;Adm1n&gt;</Value></String></Entry>
</Group></Root></KeePassFile>"#;

#[test]
fn keepass_xml_is_a_vault_finding_plus_entries() {
    let (f, s) = scan(&[("keepass.xml", KEEPASS.as_bytes().to_vec())]);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let vault: Vec<_> = f
        .iter()
        .filter(|f| f.category == Category::CredentialStore)
        .collect();
    assert_eq!(vault.len(), 1);
    assert!(vault[0].detail.as_deref().unwrap().contains("2 entries"));
    let entries: Vec<_> = f
        .iter()
        .filter(|f| f.category == Category::Password)
        .collect();
    assert_eq!(entries.len(), 2, "history entries are skipped: {f:#?}");
    let hist = entries
        .iter()
        .find(|f| f.label.as_deref() == Some("Historian"))
        .unwrap();
    assert_eq!(hist.username.as_deref(), Some("hist_admin"));
    assert_eq!(
        hist.system.as_deref(),
        Some("https://historian.example.org")
    );
    assert_eq!(hist.fingerprint, fp("H1st-Adm!n"));
    let fw = entries
        .iter()
        .find(|f| f.label.as_deref() == Some("Firewall"))
        .unwrap();
    assert_eq!(fw.system.as_deref(), Some("Firewall"));
    assert_eq!(fw.fingerprint, fp("Fw<Adm1n>"));
}

#[test]
fn bitwarden_json_clear_and_encrypted() {
    let clear = r#"{"encrypted": false, "folders": [], "items": [
      {"type": 1, "name": "VPN", "notes": null, "login": {"username": "jdoe", "password": "Vpn#2024jd", "uris": [{"uri": "https://vpn.example.org"}]}},
      {"type": 2, "name": "Secure note", "notes": "nothing here"}
    ]}"#;
    let (f, _) = scan(&[("bitwarden_export.json", clear.as_bytes().to_vec())]);
    assert_eq!(
        f.iter()
            .filter(|f| f.category == Category::CredentialStore)
            .count(),
        1
    );
    let e: Vec<_> = f
        .iter()
        .filter(|f| f.category == Category::Password)
        .collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].username.as_deref(), Some("jdoe"));
    assert_eq!(e[0].system.as_deref(), Some("https://vpn.example.org"));
    let enc = r#"{"encrypted": true, "encKeyValidation_DO_NOT_EDIT": "2.x", "items": []}"#;
    let (f, s) = scan(&[("bitwarden_encrypted.json", enc.as_bytes().to_vec())]);
    assert!(f.is_empty());
    assert_eq!(s.notices[0].reason, "encrypted vault export, not scanned");
}

#[test]
fn sticky_notes_are_read_in_memory_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plum.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=DELETE; CREATE TABLE Note (Text TEXT, Id TEXT, IsOpen INTEGER);
             INSERT INTO Note VALUES ('\\id=3a1f first line\n\\id=77bc SCADA pw: Sc4da-Night!', 'n1', 1);
             INSERT INTO Note VALUES ('\\id=0001 call vendor', 'n2', 0);",
        )
        .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let (p, r) = parts("plum.sqlite", &bytes);
    r.unwrap();
    let t = texts(&p);
    assert_eq!(
        t[0],
        (
            Some("sticky note 1".into()),
            "first line\nSCADA pw: Sc4da-Night!".into()
        )
    );
    assert_eq!(t[1].1, "call vendor");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the file is unchanged"
    );
    // Truncated: a reason, not a panic.
    let (_, r) = parts("plum.sqlite", &bytes[..bytes.len() / 2]);
    assert!(r.is_err() || r.is_ok());
}

#[test]
fn joplin_jex_is_a_tar_of_markdown_notes() {
    let note = "VPN for vendor\n\nuser: vendor01\n\nid: 0f3c\ntype_: 1";
    let mut t = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_ustar();
    h.set_size(note.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    t.append_data(&mut h, "0f3c.md", note.as_bytes()).unwrap();
    let jex = t.into_inner().unwrap();
    let (p, r) = parts("notes.jex", &jex);
    r.unwrap();
    match &p[0] {
        Part::Text { origin, text, .. } => {
            assert_eq!(origin.member.as_deref(), Some("0f3c.md"));
            assert_eq!(origin.label.as_deref(), Some("VPN for vendor"));
            assert!(text.contains("user: vendor01"));
        }
        other => panic!("{other:?}"),
    }
}
