//! Calibration of the register on the bundled sample engagement: a board register in
//! which most risks are critical prioritises nothing. The method (src/risk/score.rs):
//! likelihood from how readable, reachable, guessable, reused and old the credential
//! is; impact from the zone it opens, one step less unless the account is privileged;
//! Critical only at 20-25 on the 5x5 matrix; and a finding scores only the first,
//! most specific, risk it falls in (it stays evidence of the general ones).
//!
//! The expected bands below are a consultant's reading of the sample, risk by risk,
//! with the reason next to each. The distribution is printed for the reader.

mod common;

use common::engagement::{run, stderr, stdout};
use common::report::sample_engagement;
use std::collections::BTreeMap;

#[test]
fn the_sample_register_spreads_over_the_bands_as_a_consultant_would_rank_it() {
    let tmp = tempfile::tempdir().unwrap();
    let eng = sample_engagement(tmp.path());
    let o = run(
        tmp.path(),
        &[
            "register",
            "-e",
            eng.to_str().unwrap(),
            "-f",
            "json",
            "--date",
            "2026-11-29",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let risks: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let band_of: BTreeMap<String, String> = risks
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["band"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    let mut distribution: BTreeMap<&str, usize> = BTreeMap::new();
    for b in band_of.values() {
        *distribution.entry(b.as_str()).or_default() += 1;
    }
    println!(
        "band distribution of the sample register ({} risks):",
        risks.len()
    );
    for band in ["critical", "high", "medium", "low"] {
        println!(
            "  {band:<8} {}",
            distribution.get(band).copied().unwrap_or(0)
        );
    }
    for r in &risks {
        println!(
            "  {} {:<8} L{} x I{} {}",
            r["id"].as_str().unwrap(),
            r["band"].as_str().unwrap(),
            r["likelihood"],
            r["impact"],
            r["title"].as_str().unwrap()
        );
    }

    let expected = [
        // A vendor default in the control-room shift handover, the same secret in
        // 3 places: readable 3 +1 default +1 reuse; administrator of OT-L2. 5 x 5.
        ("rule:vendor-defaults-ot", "critical"),
        // Privileged OT passwords in IT handover documents: readable from IT (reach),
        // in several places, control of OT-L2. 5 x 5.
        ("rule:it-to-ot-shared-privileged", "critical"),
        // Operator-level OT passwords in IT files: reach, but use not control. 4 x 3.
        ("rule:it-to-ot-path", "high"),
        // The control-room sheet (its entries not already on an IT-to-OT route):
        // readable, kept inside OT, administrators of OT-L2. 3 x 5.
        ("rule:credential-spreadsheets", "high"),
        // Type 7 / $9$ passwords of OT-L3 network devices: decodable, kept in the zone.
        ("rule:reversible-device-configs", "high"),
        ("rule:privileged-no-owner", "high"),
        ("rule:clear-passwords-in-files", "high"),
        ("rule:password-reuse", "high"),
        // A DMZ firewall's weak default hash: crackable and guessable, a user login.
        ("rule:vendor-defaults-it", "medium"),
        // A vendor's cloud sync token, vendor zone, not privileged. 3 x 2.
        ("rule:service-tokens-in-files", "medium"),
        // Strong hashes left once the weak/default ones score their own risks. 1 x 4.
        ("rule:crackable-hashes", "low"),
        // One user's SSH key in a home folder on IT. 3 x 1.
        ("rule:private-keys-exposed", "low"),
    ];
    let got: Vec<(&str, &str)> = expected
        .iter()
        .map(|(k, _)| {
            (
                *k,
                band_of
                    .get(*k)
                    .unwrap_or_else(|| panic!("no risk {k}"))
                    .as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert_eq!(band_of.len(), expected.len(), "{band_of:?}");
    let critical = distribution["critical"];
    assert!(
        critical * 4 <= risks.len(),
        "at most a quarter critical: {critical} of {}",
        risks.len()
    );
}
