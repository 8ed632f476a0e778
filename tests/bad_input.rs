//! Bad input never stops a scan: each problem is a per-file record with a reason, the
//! scan finishes, and findings elsewhere are still reported.

use credence::scan::{FileRecord, FileStatus, Progress, ScanOptions, ScanSink, Scanner};
use credence::vault::FingerprintKey;
use std::path::Path;
use std::sync::Mutex;

fn scanner() -> Scanner {
    Scanner::new(FingerprintKey::from_bytes([3; 32])).unwrap()
}

fn opts(root: &Path) -> ScanOptions {
    ScanOptions {
        roots: vec![root.to_path_buf()],
        ..Default::default()
    }
}

#[test]
fn binaries_nul_heavy_and_odd_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("image.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00password=Hunter2024!",
    )
    .unwrap();
    std::fs::write(d.join("nul.dat"), [0u8; 4096]).unwrap();
    let mut latin = b"Kennwort f\xfcr Pumpe: Pumpe#1998\n".to_vec();
    latin.extend_from_slice(&[0xff, 0xfe, 0x80, 0x81]);
    std::fs::write(d.join("latin.txt"), latin).unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("cr-only.txt"), b"first\rpassword = Cr0nly!pw\rlast").unwrap();
    let r = scanner().scan(&opts(d)).unwrap();
    let lines: Vec<(String, Option<u32>)> = r
        .findings
        .iter()
        .map(|f| (f.path.clone(), f.line))
        .collect();
    assert!(lines.contains(&("latin.txt".into(), Some(1))));
    assert!(
        lines.contains(&("cr-only.txt".into(), Some(2))),
        "lone CR is a line break: {lines:?}"
    );
    assert!(
        !lines
            .iter()
            .any(|(p, _)| p == "image.png" || p == "nul.dat")
    );
    assert_eq!(r.summary.skipped.get("binary"), Some(&2));
    assert_eq!(r.summary.files_seen, 5);
}

#[test]
fn a_long_single_line_is_read_in_linear_time_and_found() {
    let dir = tempfile::tempdir().unwrap();
    // 32 MB on one line with a credential in the middle: windows around keyword hits
    // keep the work linear (a quadratic scan would not finish).
    let mut big = vec![b'a'; 16 * 1024 * 1024];
    big.extend_from_slice(b" db_password=L0ngLine!pw ");
    big.extend(std::iter::repeat_n(b'b', 16 * 1024 * 1024));
    std::fs::write(dir.path().join("one-line.txt"), &big).unwrap();
    let r = scanner().scan(&opts(dir.path())).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].line, Some(1));
    assert_eq!(
        r.findings[0].column,
        Some(16 * 1024 * 1024 + 2 + "db_password=".len() as u32)
    );
}

#[test]
fn too_large_files_are_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("sparse.img")).unwrap();
    f.set_len(20 * 1024 * 1024 * 1024).unwrap(); // 20 GB, sparse: no disk used
    let mut o = opts(dir.path());
    o.walk.max_file_size = 1024 * 1024;
    let r = scanner().scan(&o).unwrap();
    assert_eq!(r.summary.skipped_files.len(), 1);
    assert!(
        r.summary.skipped_files[0]
            .reason
            .starts_with("too large: 21474836480 bytes")
    );
}

/// A sink that deletes or truncates each file just before the scanner opens it: the
/// file "vanished during the scan".
struct Vandal {
    records: Mutex<Vec<FileRecord>>,
}

impl ScanSink for Vandal {
    fn reuse(&self, file: &credence::ingest::walk::SourceFile) -> Option<Vec<credence::Finding>> {
        if file.rel.starts_with("gone") {
            std::fs::remove_file(&file.path).unwrap();
        } else if file.rel.starts_with("shrunk") {
            std::fs::write(&file.path, b"password").unwrap();
        }
        None
    }
    fn file_done(&self, record: &FileRecord, _findings: &[credence::Finding]) {
        self.records.lock().unwrap().push(record.clone());
    }
}

#[test]
fn files_deleted_or_truncated_during_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gone.txt"), "password = Vanish1ng!").unwrap();
    std::fs::write(dir.path().join("shrunk.txt"), "password = Shr1nking!x").unwrap();
    std::fs::write(dir.path().join("stays.txt"), "password = St4ying!pw").unwrap();
    let sink = Vandal {
        records: Mutex::new(vec![]),
    };
    let r = scanner()
        .scan_with(&opts(dir.path()), &Progress::default(), &sink)
        .unwrap();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].path, "stays.txt");
    assert_eq!(r.summary.errors.len(), 1);
    assert_eq!(r.summary.errors[0].path, "gone.txt");
    assert!(r.summary.errors[0].reason.contains("vanished"));
    let recs = sink.records.lock().unwrap();
    assert_eq!(recs.len(), 3);
    assert!(
        recs.iter()
            .any(|r| r.path == "gone.txt" && matches!(r.status, FileStatus::Error(_)))
    );
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_recorded() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("inner.txt"), "password = Inn3r!pw").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "password = N0read!pw").unwrap();
    std::fs::set_permissions(
        dir.path().join("secret.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(dir.path().join("secret.txt")).is_ok();
    let r = scanner().scan(&opts(dir.path())).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        println!(
            "running as root: permission checks do not apply; scan completed with {} findings",
            r.findings.len()
        );
        return;
    }
    let errs: Vec<&str> = r.summary.errors.iter().map(|e| e.reason.as_str()).collect();
    assert!(
        errs.iter()
            .filter(|e| e.contains("permission denied"))
            .count()
            >= 2,
        "{errs:?}"
    );
}

#[test]
fn a_panic_inside_a_parser_we_do_not_own_is_that_file_s_error() {
    // Inputs on which the fuzzers made a third-party parser panic (see the folder's
    // README): each is scanned under its target's file name beside a file with a
    // credential; the scan finishes, the input has an error, the credential is found.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let contained = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-contained");
    let name_for = |target: &str| match target {
        "sheet_xls" => "inventory.xls",
        other => panic!("teach this test the file name fuzz target {other} scans as"),
    };
    let mut inputs = Vec::new();
    for target in std::fs::read_dir(&contained).unwrap().flatten() {
        if !target.path().is_dir() {
            continue;
        }
        let target_name = target.file_name().to_string_lossy().to_string();
        for (i, input) in std::fs::read_dir(target.path())
            .unwrap()
            .flatten()
            .enumerate()
        {
            let sub = d.join(format!("{target_name}-{i}"));
            std::fs::create_dir(&sub).unwrap();
            std::fs::copy(input.path(), sub.join(name_for(&target_name))).unwrap();
            inputs.push(format!("{target_name}-{i}/{}", name_for(&target_name)));
        }
    }
    assert!(!inputs.is_empty());
    std::fs::write(d.join("notes.txt"), "vpn: jdoe / Kestrel-2024!\n").unwrap();
    let r = scanner().scan(&opts(d)).unwrap();
    for input in &inputs {
        let issue = r.summary.errors.iter().find(|e| &e.path == input);
        assert!(
            issue.is_some_and(|e| e.reason.contains("parser panic")),
            "{input}: {:?}",
            r.summary.errors
        );
    }
    assert!(
        r.findings.iter().any(|f| f.path == "notes.txt"),
        "the scan went on"
    );
    assert!(!r.summary.cancelled);
}
