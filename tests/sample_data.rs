//! The sample engagement is the specification of what a scan must find: every
//! credential in tests/expected/sample-data.tsv is reported at its place with its category,
//! username and system, and nothing else is reported.

mod common;

use common::*;
use credence::scan::{ScanOptions, Scanner};
use credence::vault::FingerprintKey;
use std::collections::BTreeMap;

fn scan_sample() -> credence::ScanResult {
    let scanner = Scanner::new(FingerprintKey::from_bytes([7; 32])).expect("rules load");
    scanner
        .scan(&ScanOptions {
            roots: vec![sample_data()],
            ..Default::default()
        })
        .expect("scan runs")
}

#[test]
fn every_planted_credential_is_found_and_nothing_else() {
    let result = scan_sample();
    let planted = expected();
    let mut found: BTreeMap<(String, String), &credence::Finding> = BTreeMap::new();
    for f in &result.findings {
        found.insert((f.path.clone(), place_of(f)), f);
    }
    let mut problems = Vec::new();
    for p in &planted {
        match found.get(&(p.path.clone(), p.place.clone())) {
            None => problems.push(format!("MISSED   {} {} ({})", p.path, p.place, p.category)),
            Some(f) => {
                if p.category != "*" && f.category.as_str() != p.category {
                    problems.push(format!(
                        "CATEGORY {} {}: {} != expected {}",
                        p.path, p.place, f.category, p.category
                    ));
                }
                let check =
                    |want: &str, got: &Option<String>, what: &str, problems: &mut Vec<String>| {
                        let ok = match want {
                            "*" => true,
                            "-" => got.is_none(),
                            w => got.as_deref() == Some(w),
                        };
                        if !ok {
                            problems.push(format!(
                                "{what:<8} {} {}: {:?} != expected {want}",
                                p.path, p.place, got
                            ));
                        }
                    };
                check(&p.username, &f.username, "USERNAME", &mut problems);
                check(&p.system, &f.system, "SYSTEM", &mut problems);
                for fl in &p.flags {
                    if !f.flags.iter().any(|x| x.as_str() == fl) {
                        problems.push(format!(
                            "FLAG     {} {}: missing {fl} (has {:?})",
                            p.path, p.place, f.flags
                        ));
                    }
                }
            }
        }
    }
    for ((path, place), f) in &found {
        if !planted.iter().any(|p| &p.path == path && &p.place == place) {
            problems.push(format!(
                "EXTRA    {path} {place} {} ({}) {}",
                f.rule, f.category, f.context
            ));
        }
    }
    println!(
        "sample-data: {} planted, {} reported, {} problems",
        planted.len(),
        result.findings.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "sample-data does not match tests/expected/sample-data.tsv:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_shared_historian_password_links_it_and_ot() {
    let result = scan_sample();
    let hist: Vec<_> = result
        .findings
        .iter()
        .filter(|f| f.username.as_deref() == Some("svc_hist"))
        .collect();
    assert!(
        hist.len() >= 2,
        "historian account appears in the IT notes and the OT config"
    );
    assert!(
        hist.iter().all(|f| f.fingerprint == hist[0].fingerprint),
        "same password, same fingerprint"
    );
    assert!(hist.iter().all(|f| f.reuse_count >= 2));
    assert!(hist.iter().any(|f| f.path.starts_with("it-share/")));
    assert!(
        hist.iter()
            .any(|f| f.path.starts_with("engineering-share/"))
    );
}

#[test]
fn findings_never_hold_a_planted_secret() {
    let result = scan_sample();
    let json = serde_json::to_string(&result.findings).unwrap();
    for s in searchable_secrets() {
        assert!(
            !json.contains(&s),
            "a planted secret leaked into a finding record"
        );
    }
}
