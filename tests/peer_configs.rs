//! The peer corpus of whole device configs (batfish, napalm test data, see
//! ../shared/peer-corpus/MANIFEST.md): every credential line we listed by hand is
//! found, the already-redacted and hard-negative files yield nothing, and the
//! netconan example lines reach recall >= 0.95 with <= 5% false hits. Detection runs
//! through the whole engine (`Engine::builtin()`), so overlaps with the generic
//! detectors are resolved as in a real scan.

use credence::detect::{Engine, RawFinding, TextInput};
use credence::ingest::{TextHint, text::LineIndex};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peer-corpus");
    if p.join("configs").is_dir() {
        Some(p)
    } else {
        println!("peer corpus not found at {}: skipped", p.display());
        None
    }
}

/// The whole engine: dialect findings must win their overlaps with the generic ones.
fn engine() -> Engine {
    Engine::builtin().expect("built-in rules load")
}

fn detect(engine: &Engine, name: &str, text: &str) -> Vec<(u32, RawFinding)> {
    let lines = LineIndex::new(text);
    let input = TextInput {
        text,
        lines: &lines,
        name,
        hint: TextHint::from_name(name),
    };
    engine
        .detect_text(&input)
        .into_iter()
        .map(|f| {
            let line = f
                .span
                .as_ref()
                .map(|s| lines.position(text, s.start).0)
                .unwrap_or(0);
            (line, f)
        })
        .collect()
}

/// (file under configs/, line, category) for every credential line in the `creds`
/// files, written by reading each file.
const EXPECTED: &[(&str, u32, &str)] = &[
    ("arista/batfish__arista_snmp", 21, "community"),
    ("arista/batfish__arista_snmp", 22, "community"),
    ("arista/batfish__arista_username", 5, "hash"),
    ("arista/batfish__arista_username", 8, "hash"),
    ("arista/batfish__arista_username", 9, "hash"),
    ("arista/napalm__eos__show_running_config.text", 17, "hash"),
    ("arista/napalm__eos__show_running_config.text", 19, "hash"),
    ("arista/napalm__eos__show_running_config.text", 20, "hash"),
    ("cisco_asa/batfish__asa-ntp", 7, "preshared_key"),
    ("cisco_asa/batfish__asa-ntp", 8, "preshared_key"),
    ("cisco_asa/batfish__asa-ntp", 9, "preshared_key"),
    ("cisco_asa/batfish__asa-ntp", 10, "preshared_key"),
    ("cisco_asa/batfish__asa-ntp", 11, "preshared_key"),
    ("cisco_asa/batfish__asa-ntp", 12, "preshared_key"),
    ("cisco_ios/batfish__cisco_aaa", 76, "preshared_key"),
    ("cisco_ios/batfish__cisco_aaa", 77, "preshared_key"),
    ("cisco_ios/batfish__cisco_aaa", 94, "preshared_key"),
    ("cisco_ios/batfish__cisco_cable", 153, "preshared_key"),
    ("cisco_ios/batfish__cisco_cable", 154, "preshared_key"),
    ("cisco_ios/batfish__cisco_crypto", 129, "preshared_key"),
    ("cisco_ios/batfish__cisco_crypto", 178, "preshared_key"),
    ("cisco_ios/batfish__cisco_crypto", 218, "preshared_key"),
    ("cisco_ios/batfish__cisco_crypto", 292, "preshared_key"),
    ("cisco_ios/batfish__cisco_crypto", 298, "preshared_key"),
    ("cisco_ios/batfish__cisco_enable", 4, "password"),
    ("cisco_ios/batfish__cisco_enable", 6, "hash"),
    ("cisco_ios/batfish__cisco_enable", 7, "password"),
    ("cisco_ios/batfish__cisco_enable", 9, "password"),
    ("cisco_ios/batfish__cisco_enable", 10, "hash"),
    ("cisco_ios/batfish__cisco_enable", 11, "password"),
    ("cisco_ios/batfish__cisco_enable", 12, "hash"),
    ("cisco_ios/batfish__cisco_enable", 13, "password"),
    ("cisco_ios/batfish__cisco_enable", 14, "hash"),
    ("cisco_ios/batfish__cisco_snmp", 6, "community"),
    ("cisco_ios/batfish__cisco_snmp", 7, "community"),
    ("cisco_ios/batfish__cisco_snmp", 8, "community"),
    ("cisco_ios/batfish__cisco_snmp", 9, "community"),
    ("cisco_ios/batfish__cisco_snmp", 10, "community"),
    ("cisco_ios/batfish__cisco_snmp", 11, "community"),
    ("cisco_ios/batfish__cisco_snmp", 12, "community"),
    ("cisco_ios/batfish__cisco_snmp", 13, "community"),
    ("cisco_ios/batfish__cisco_snmp", 14, "community"),
    ("cisco_ios/batfish__cisco_snmp", 15, "community"),
    ("cisco_ios/batfish__cisco_snmp", 16, "community"),
    ("cisco_ios/batfish__cisco_snmp", 17, "community"),
    ("cisco_ios/batfish__cisco_snmp", 71, "community"),
    ("cisco_ios/batfish__cisco_snmp", 73, "community"),
    ("cisco_ios/batfish__cisco_snmp", 75, "community"),
    ("cisco_ios/batfish__cisco_snmp", 82, "community"),
    ("cisco_ios/batfish__cisco_snmp", 83, "community"),
    ("cisco_ios/batfish__cisco_snmp", 100, "hash"),
    ("cisco_ios/batfish__cisco_username", 4, "hash"),
    ("cisco_ios/batfish__cisco_username", 5, "password"),
    ("cisco_ios/batfish__cisco_username", 6, "hash"),
    ("cisco_ios/batfish__cisco_username", 9, "hash"),
    ("cisco_ios/batfish__cisco_username", 10, "password"),
    ("cisco_ios/batfish__cisco_username", 13, "password"),
    ("cisco_ios/batfish__cisco_username", 14, "hash"),
    ("cisco_ios/batfish__cisco_username", 15, "password"),
    ("cisco_ios/batfish__cisco_username", 16, "hash"),
    ("cisco_ios/batfish__cisco_username", 17, "hash"),
    ("cisco_ios/batfish__cisco_username", 18, "hash"),
    ("cisco_ios/batfish__cisco_username", 22, "hash"),
    ("cisco_ios/batfish__cisco_username", 26, "password"),
    ("cisco_ios/batfish__cisco_username", 27, "password"),
    (
        "cisco_ios/batfish__ios-crypto-ipsec__r2",
        11,
        "preshared_key",
    ),
    (
        "cisco_ios/batfish__ios-crypto-ipsec__r2",
        21,
        "preshared_key",
    ),
    (
        "cisco_ios/batfish__ios-crypto-ipsec__r2",
        24,
        "preshared_key",
    ),
    ("cisco_ios/batfish__ios-line", 9, "password"),
    ("cisco_ios/batfish__ios-line", 61, "password"),
    ("cisco_ios/batfish__ios-line", 67, "password"),
    ("cisco_ios/batfish__ios-line", 73, "password"),
    ("cisco_ios/batfish__ios-ntp", 7, "preshared_key"),
    ("cisco_ios/batfish__ios-ntp", 8, "preshared_key"),
    ("cisco_ios/batfish__ios-ntp", 9, "preshared_key"),
    ("cisco_ios/batfish__ios-ntp", 10, "preshared_key"),
    (
        "cisco_ios/batfish__ios-snmp-community-string",
        6,
        "community",
    ),
    (
        "cisco_ios/batfish__ios-snmp-community-string",
        7,
        "community",
    ),
    ("cisco_ios/batfish__lhr-border-02.cfg", 45, "hash"),
    ("cisco_ios/batfish__lhr-border-02.cfg", 54, "preshared_key"),
    ("cisco_ios/batfish__lhr-border-02.cfg", 57, "preshared_key"),
    (
        "cisco_ios/napalm__ios__show_running_config.txt",
        19,
        "password",
    ),
    (
        "cisco_ios/napalm__ios__show_running_config.txt",
        76,
        "password",
    ),
    (
        "cisco_iosxr/napalm__iosxr___CLI__Configuration_show_running_config__Configuration___CLI_.txt",
        11,
        "hash",
    ),
    ("cisco_nxos/batfish__nxos_snmp_server", 10, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 12, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 13, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 14, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 15, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 40, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 43, "community"),
    ("cisco_nxos/batfish__nxos_snmp_server", 52, "hash"),
    (
        "cisco_nxos/napalm__nxos_ssh__show_running_config.txt",
        28,
        "hash",
    ),
    (
        "cisco_nxos/napalm__nxos_ssh__show_running_config.txt",
        29,
        "hash",
    ),
    (
        "cisco_nxos/napalm__nxos_ssh__show_running_config.txt",
        42,
        "hash",
    ),
    (
        "cisco_nxos/napalm__nxos_ssh__show_running_config.txt",
        43,
        "hash",
    ),
    (
        "cisco_nxos/napalm__nxos_ssh__show_running_config.txt",
        50,
        "community",
    ),
    ("juniper/batfish__ike-policy", 11, "preshared_key"),
    ("juniper/batfish__ike-policy", 14, "preshared_key"),
    (
        "juniper/batfish__juniper_bgp_authentication",
        4,
        "preshared_key",
    ),
    (
        "juniper/batfish__juniper_bgp_authentication",
        13,
        "preshared_key",
    ),
    (
        "juniper/batfish__juniper_bgp_authentication",
        15,
        "preshared_key",
    ),
    ("juniper/batfish__juniper_passwords", 4, "hash"),
    ("juniper/batfish__juniper_passwords", 5, "preshared_key"),
    ("juniper/batfish__juniper_passwords", 7, "preshared_key"),
    ("juniper/batfish__juniper_snmp", 3, "community"),
    ("juniper/batfish__juniper_snmp", 17, "community"),
    ("juniper/batfish__junos-srx-1.cfg", 3, "hash"),
    ("juniper/batfish__junos-srx-1.cfg", 6, "hash"),
    ("juniper/batfish__junos-srx-1.cfg", 10, "hash"),
    ("juniper/batfish__junos-srx-1.cfg", 14, "hash"),
    ("juniper/batfish__junos-srx-1.cfg", 24, "preshared_key"),
    ("juniper/batfish__junos-srx-2.cfg", 3, "hash"),
    ("juniper/batfish__junos-srx-2.cfg", 6, "hash"),
    ("juniper/batfish__junos-srx-2.cfg", 10, "hash"),
    ("juniper/batfish__junos-srx-2.cfg", 14, "hash"),
    ("juniper/batfish__junos-srx-2.cfg", 24, "preshared_key"),
    ("juniper/batfish__junos-srx-3.cfg", 3, "hash"),
    ("juniper/batfish__junos-srx-3.cfg", 6, "hash"),
    ("juniper/batfish__junos-srx-3.cfg", 10, "hash"),
    ("juniper/batfish__junos-srx-3.cfg", 14, "hash"),
    ("juniper/batfish__junos-srx-3.cfg", 24, "preshared_key"),
    (
        "juniper/napalm__junos__get_config__database_committed__format_text.xml",
        9,
        "hash",
    ),
    (
        "juniper/napalm__junos__get_config__database_committed__format_text.xml",
        13,
        "preshared_key",
    ),
    (
        "juniper/napalm__junos__get_config__database_committed__format_text.xml",
        23,
        "hash",
    ),
    (
        "juniper/napalm__junos__get_config__database_committed__format_text.xml",
        43,
        "community",
    ),
    (
        "juniper/napalm__junos__get_config__database_committed__format_text.xml",
        44,
        "community",
    ),
    (
        "juniper/napalm__junos__mock_data__get_config__database_committed__format_text.txt",
        9,
        "hash",
    ),
    ("paloalto/batfish__ignored-lines", 81, "hash"),
];

/// Files that must produce nothing: already redacted by the device or tool, or
/// credential-looking keywords without a secret (MANIFEST roles).
const SILENT: &[&str] = &[
    "arista/napalm__eos__show_running_config_sanitized.text",
    "fortinet/batfish__fortios_ignored",
    "arista/batfish__arista_route_map_community",
    "juniper/batfish__community",
    "juniper/batfish__authentication-key-chain",
    "juniper/batfish__juniper-login-class",
    "cisco_iosxr/batfish__xr-snmp-server",
];

#[test]
fn peer_configs_every_credential_line_found() {
    let Some(root) = corpus() else { return };
    let engine = engine();
    let mut found = 0;
    let mut missing = Vec::new();
    let mut by_file: std::collections::BTreeMap<&str, Vec<(u32, String)>> = Default::default();
    for (file, _, _) in EXPECTED {
        if by_file.contains_key(file) {
            continue;
        }
        let text = std::fs::read_to_string(root.join("configs").join(file)).unwrap_or_default();
        let got = detect(&engine, file, &text)
            .into_iter()
            .map(|(l, f)| (l, f.category.as_str().to_string()))
            .collect();
        by_file.insert(file, got);
    }
    for (file, line, cat) in EXPECTED {
        if by_file[file].iter().any(|(l, c)| l == line && c == cat) {
            found += 1;
        } else {
            missing.push(format!("{file}:{line} {cat}"));
        }
    }
    let recall = found as f64 / EXPECTED.len() as f64;
    println!(
        "peer configs: {found}/{} expected credential lines found, recall {recall:.3}",
        EXPECTED.len()
    );
    assert!(missing.is_empty(), "missing: {missing:#?}");
}

#[test]
fn peer_configs_redacted_and_negative_files_are_silent() {
    let Some(root) = corpus() else { return };
    let engine = engine();
    let mut noisy = Vec::new();
    for file in SILENT {
        let text = std::fs::read_to_string(root.join("configs").join(file)).unwrap_or_default();
        assert!(!text.is_empty(), "{file} missing from the corpus");
        for (l, f) in detect(&engine, file, &text) {
            noisy.push(format!("{file}:{l} {} {}", f.rule_id, f.category));
        }
    }
    println!(
        "peer configs: {} findings in {} redacted/negative files",
        noisy.len(),
        SILENT.len()
    );
    assert!(noisy.is_empty(), "findings in silent files: {noisy:#?}");
}

#[test]
fn netconan_examples_recall_and_false_hits() {
    let Some(root) = corpus() else { return };
    let engine = engine();
    let data = std::fs::read_to_string(root.join("examples.jsonl")).unwrap_or_default();
    let (mut pos, mut hit, mut neg, mut false_hit) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for line in data.lines() {
        let Ok(rec) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if rec["source"] != "netconan" {
            continue;
        }
        let text = rec["text"].as_str().unwrap_or("");
        let found = detect(&engine, "netconan-example.cfg", text);
        let spans: Vec<&str> = found
            .iter()
            .filter_map(|(_, f)| f.span.as_ref().map(|s| &text[s.clone()]))
            .collect();
        if rec["expect"] == "match" {
            pos += 1;
            let wanted: Vec<String> = match &rec["secret"] {
                serde_json::Value::String(s) => vec![s.clone()],
                serde_json::Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            };
            let ok = !wanted.is_empty()
                && wanted.iter().all(|w| {
                    spans.iter().any(|s| {
                        *s == w
                            || s.contains(w.as_str())
                            || (w.contains(*s) && s.len() * 2 >= w.len())
                    })
                });
            if ok {
                hit += 1;
            } else {
                misses.push(text.chars().take(90).collect::<String>());
            }
        } else {
            neg += 1;
            if !found.is_empty() {
                false_hit += 1;
                misses.push(format!("FALSE HIT: {text}"));
            }
        }
    }
    if pos == 0 {
        println!("no netconan records: skipped");
        return;
    }
    let recall = hit as f64 / pos as f64;
    let fp = false_hit as f64 / neg.max(1) as f64;
    println!("netconan: recall {hit}/{pos} = {recall:.3}; false hits {false_hit}/{neg} = {fp:.3}");
    for m in &misses {
        println!("  not found: {m}");
    }
    assert!(recall >= 0.95, "netconan recall {recall:.3} < 0.95");
    assert!(fp <= 0.05, "netconan false hits {fp:.3} > 0.05");
}
