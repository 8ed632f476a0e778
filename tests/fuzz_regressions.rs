//! Inputs the fuzzers once broke Credence with, replayed on every test run
//! (`tests/data/fuzz-regressions/<target>/<file>`), through the same call the fuzz
//! target makes (`fuzz/fuzz_targets/<target>.rs`). Run the fuzzers with
//! `scripts/fuzz.sh`; see fuzz/README.md.

use credence::Scanner;
use credence::detect::decode;
use credence::vault::FingerprintKey;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The file name a file-format target scans its bytes as, read from the target's
/// source so the two cannot drift apart.
fn scanned_as(target: &str) -> Option<String> {
    let src =
        std::fs::read_to_string(repo().join(format!("fuzz/fuzz_targets/{target}.rs"))).ok()?;
    let start = src.find("common::scan_as(\"")? + "common::scan_as(\"".len();
    let end = start + src[start..].find('"')?;
    Some(src[start..end].to_string())
}

/// Replays one input the way target `target` feeds it; `None` when the target is
/// unknown here (a new target must be taught to this test).
fn replay(target: &str, data: &[u8], scanner: &Scanner) -> Option<()> {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;
    match target {
        "decode_cisco_type7" => drop(decode::cisco_type7(s)),
        "decode_juniper9" => drop(decode::juniper9(s)),
        "decode_fortios_enc" => drop(decode::fortios_enc(s)),
        "decode_gpp_cpassword" => drop(decode::gpp_cpassword(s)),
        "decode_unattend" => drop(decode::unattend_base64(s, "AdministratorPassword")),
        "decode_vnc" => drop(decode::vnc(s)),
        "decode_filezilla" => drop(decode::filezilla_base64(s)),
        "decode_mremoteng" => drop(decode::mremoteng(s)),
        "decode_winscp" => {
            let mut p = s.splitn(3, '\n');
            let (u, h, e) = (
                p.next().unwrap_or(""),
                p.next().unwrap_or(""),
                p.next().unwrap_or(""),
            );
            drop(decode::winscp(u, h, e));
        }
        "decode_mikrotik" => {
            let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
            let user = String::from_utf8_lossy(&data[..split]);
            drop(decode::mikrotik_user_dat(
                &user,
                data.get(split + 1..).unwrap_or(&[]),
            ));
        }
        "decode_hashes" => {
            let (hash, candidate) = s.split_once('\n').unwrap_or((s, "admin"));
            if let Some(a) = decode::hashes::identify(hash) {
                decode::hashes::verify(a, hash, candidate);
            }
        }
        "decode_roundtrip" => {} // a property of encoders: replayed by its unit tests
        "assess_template" => {
            if let Ok(t) = credence::assess::template::parse("fuzz.toml", s) {
                credence::assess::validate::check(&t);
            }
        }
        "assess_answers_file" => {
            let dir = tempfile::tempdir().unwrap();
            let key = FingerprintKey::from_bytes([4; 32]);
            let record = credence::vault::engagement::wrap("fuzz", &key, "pw").unwrap();
            let meta = credence::store::NewEngagement {
                client: "Fuzz".into(),
                site: "Lab".into(),
                ..Default::default()
            };
            let eng = credence::store::Engagement::create(
                &dir.path().join("f.credence"),
                &meta,
                "fuzz",
                &record,
            )
            .unwrap();
            let model = credence::assess::template::builtin().unwrap().remove(0);
            for name in ["a.toml", "a.json"] {
                let path = dir.path().join(name);
                std::fs::write(&path, data).unwrap();
                let _ = credence::assess::answers_file::read(&path, &model, &eng);
            }
        }
        "text_decode" => {
            let (t, _) = credence::ingest::text::decode(data);
            let t = credence::ingest::text::normalize_newlines(t);
            let idx = credence::ingest::text::LineIndex::new(&t);
            let _ = idx.position(&t, t.len());
        }
        other => {
            let name = scanned_as(other)?;
            let _ = scanner.scan_memory(&name, data);
        }
    }
    Some(())
}

fn targets() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("fuzz/fuzz_targets"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            n.strip_suffix(".rs")
                .filter(|n| *n != "common")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_fuzz_target_can_be_replayed_here() {
    let scanner = Scanner::new(FingerprintKey::from_bytes([9; 32])).unwrap();
    let unknown: Vec<String> = targets()
        .into_iter()
        .filter(|t| replay(t, b"", &scanner).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "targets this test cannot replay: {unknown:?}"
    );
    assert!(targets().len() >= 40, "one target per parser and decoder");
}

#[test]
fn inputs_that_once_crashed_a_fuzz_target_no_longer_do() {
    let scanner = Scanner::new(FingerprintKey::from_bytes([9; 32])).unwrap();
    let dir = repo().join("tests/data/fuzz-regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&dir).unwrap().flatten() {
        if !target.path().is_dir() {
            continue;
        }
        let name = target.file_name().to_string_lossy().to_string();
        for input in std::fs::read_dir(target.path()).unwrap().flatten() {
            if input.path().extension().is_some_and(|e| e == "md") {
                continue;
            }
            let data = std::fs::read(input.path()).unwrap();
            replay(&name, &data, &scanner)
                .unwrap_or_else(|| panic!("unknown target folder {}", rel(&input.path())));
            replayed += 1;
        }
    }
    println!("replayed {replayed} fuzz regression inputs");
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo()).unwrap_or(p).display().to_string()
}
