//! What the scan says about a practice: indicators counted from the engagement's latest
//! completed scan (findings triaged as false positives left out), shown next to the
//! questions that consult them, and the contradiction check that flags an answer the
//! evidence refutes ("Fully implemented: no shared admin accounts" while the scan found
//! shared privileged credentials).
//!
//! Indicators count distinct credentials (keyed fingerprints) unless said otherwise, in
//! total and per zone class of what the credential unlocks (IT, OT, IoT). Examples are
//! locations and account names only: never a secret, not even its masked preview.

use super::results::Answer;
use super::template::Practice;
use crate::finding::{Category, Finding, Flag};
use crate::identity;
use crate::store::Engagement;
use crate::store::zones::ZoneMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An indicator a template may consult: its id and how a count of it reads
/// ("the scan found 9 {label}").
pub struct IndicatorSpec {
    pub id: &'static str,
    pub label: &'static str,
}

pub const INDICATORS: &[IndicatorSpec] = &[
    IndicatorSpec {
        id: "identities_found",
        label: "identities (accounts, or credentials with no account) written in files",
    },
    IndicatorSpec {
        id: "privileged_credentials",
        label: "privileged credentials written in files",
    },
    IndicatorSpec {
        id: "shared_credentials",
        label: "credentials shared between several accounts, systems or files",
    },
    IndicatorSpec {
        id: "shared_privileged",
        label: "shared privileged credentials",
    },
    IndicatorSpec {
        id: "default_credentials",
        label: "vendor default credentials",
    },
    IndicatorSpec {
        id: "cross_boundary",
        label: "credentials exposed in a lower-criticality zone that unlock a higher one",
    },
    IndicatorSpec {
        id: "stale_credentials",
        label: "credentials unchanged for more than a year",
    },
    IndicatorSpec {
        id: "weak_credentials",
        label: "weak credentials",
    },
    IndicatorSpec {
        id: "reversible_passwords",
        label: "passwords stored in a reversible form anyone can decode",
    },
    IndicatorSpec {
        id: "non_human_credentials",
        label: "service, device or API credentials written in files",
    },
    IndicatorSpec {
        id: "keys_and_tokens",
        label: "private keys, API keys, tokens and cloud keys in files",
    },
    IndicatorSpec {
        id: "credential_sheets",
        label: "files holding credential sheets or tables (counted as files)",
    },
    IndicatorSpec {
        id: "remote_access_credentials",
        label: "remote-access credentials (VPN, RDP, jump hosts, remote tools)",
    },
    IndicatorSpec {
        id: "vendor_credentials",
        label: "vendor or third-party credentials",
    },
    IndicatorSpec {
        id: "untriaged_findings",
        label: "findings nobody has triaged yet (counted as findings)",
    },
];

pub fn indicator_ids() -> Vec<&'static str> {
    INDICATORS.iter().map(|i| i.id).collect()
}

pub fn label_of(id: &str) -> &'static str {
    INDICATORS
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.label)
        .unwrap_or("items")
}

/// One indicator's figures.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    pub count: u32,
    /// Per zone class (`IT`, `OT`, `IoT`) of what is unlocked (of the file, for files).
    pub by_zone: BTreeMap<String, u32>,
    /// Up to five places, e.g. `engineering-share/control-room/credentials.xlsx [Accounts]B4 (admin@HMI)`.
    pub examples: Vec<String>,
}

/// Every indicator of an engagement; `scan` is `None` (and every count 0) before any
/// completed scan, so no answer is contradicted by an absence of evidence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    pub scan: Option<i64>,
    pub indicators: BTreeMap<String, Indicator>,
}

/// The zone class a zone kind belongs to: IT (with DMZ and cloud), OT (every Purdue
/// level), IoT. Vendor zones count in totals only.
pub fn zone_class(kind: &str) -> Option<&'static str> {
    match kind {
        "IT" | "DMZ" | "cloud" => Some("IT"),
        k if k.starts_with("OT") => Some("OT"),
        "IoT" => Some("IoT"),
        _ => None,
    }
}

const REMOTE_RULES: &[&str] = &[
    "dialect.rdp",
    "dialect.winscp",
    "dialect.filezilla",
    "dialect.mremoteng",
    "dialect.vnc",
    "dialect.putty",
];
const REMOTE_WORDS: &[&str] = &[
    "vpn",
    "remote",
    "jump",
    "rdp",
    "citrix",
    "teamviewer",
    "anydesk",
    "bastion",
    "ipsec",
];

fn mentions(f: &Finding, words: &[&str]) -> bool {
    [f.username.as_deref(), f.system.as_deref()]
        .into_iter()
        .flatten()
        .any(|s| {
            let s = s.to_lowercase();
            words.iter().any(|w| s.contains(w))
        })
}

/// Collects distinct keys (fingerprints, files, finding ids) per indicator with their
/// zone classes and example places.
#[derive(Default)]
struct Tally {
    keys: BTreeMap<String, BTreeSet<String>>,
    zones: BTreeMap<(String, String), BTreeSet<String>>,
    examples: BTreeMap<String, Vec<String>>,
}

impl Tally {
    fn add(&mut self, id: &str, key: &str, zone: Option<&str>, example: &str) {
        let new = self.keys.entry(id.into()).or_default().insert(key.into());
        if let Some(z) = zone {
            self.zones
                .entry((id.into(), z.into()))
                .or_default()
                .insert(key.into());
        }
        let ex = self.examples.entry(id.into()).or_default();
        if new && ex.len() < 5 {
            ex.push(example.to_string());
        }
    }
}

fn place(f: &Finding) -> String {
    match (&f.username, &f.system) {
        (None, None) => f.location(),
        (u, s) => format!(
            "{} ({}@{})",
            f.location(),
            u.as_deref().unwrap_or("?"),
            s.as_deref().unwrap_or("?")
        ),
    }
}

/// Indicators from one scan's findings (`status` is each finding's triage status).
pub fn from_findings(scan: i64, findings: &[(Finding, String)], zones: &ZoneMap) -> Evidence {
    let kept: Vec<&(Finding, String)> = findings
        .iter()
        .filter(|(_, status)| status != "false_positive")
        .collect();
    let plain: Vec<Finding> = kept.iter().map(|(f, _)| f.clone()).collect();
    let graph = identity::build(&plain, zones);
    let shared: BTreeSet<&str> = graph
        .analysis
        .credentials
        .iter()
        .filter(|c| c.shared)
        .map(|c| c.fingerprint.as_str())
        .collect();
    let crossing: BTreeSet<&str> = graph
        .analysis
        .cross_boundary
        .iter()
        .map(|p| p.fingerprint.as_str())
        .collect();
    let class_of = |zone: &str| {
        zones
            .zone(zone)
            .and_then(|z| zone_class(&z.kind))
            .map(str::to_string)
    };
    let mut t = Tally::default();
    for (f, status) in &kept {
        let (exposure, target) = identity::zones_of(f, zones);
        let (tz, xz) = (class_of(&target), class_of(&exposure));
        let fp = f.fingerprint.as_str();
        let at = place(f);
        let cred = |t: &mut Tally, id: &str| t.add(id, fp, tz.as_deref(), &at);
        cred(&mut t, "identities_found");
        let has = |flag| f.has_flag(flag);
        if has(Flag::Privileged) {
            cred(&mut t, "privileged_credentials");
        }
        if shared.contains(fp) {
            cred(&mut t, "shared_credentials");
            if has(Flag::Privileged) {
                cred(&mut t, "shared_privileged");
            }
        }
        if has(Flag::Default) {
            cred(&mut t, "default_credentials");
        }
        if crossing.contains(fp) {
            cred(&mut t, "cross_boundary");
        }
        if has(Flag::Stale) || f.age_days.is_some_and(|d| d > 365) {
            cred(&mut t, "stale_credentials");
        }
        if has(Flag::Weak) {
            cred(&mut t, "weak_credentials");
        }
        if has(Flag::Reversible) {
            cred(&mut t, "reversible_passwords");
        }
        if has(Flag::NonHuman) {
            cred(&mut t, "non_human_credentials");
        }
        if matches!(
            f.category,
            Category::PrivateKey | Category::ApiKey | Category::Token | Category::CloudCredential
        ) {
            cred(&mut t, "keys_and_tokens");
        }
        if REMOTE_RULES.contains(&f.rule.as_str()) || mentions(f, REMOTE_WORDS) {
            cred(&mut t, "remote_access_credentials");
        }
        let vendor_zone = [&exposure, &target]
            .iter()
            .any(|z| zones.zone(z).is_some_and(|z| z.kind == "vendor"));
        if vendor_zone || mentions(f, &["vendor"]) || f.path.to_lowercase().contains("vendor") {
            cred(&mut t, "vendor_credentials");
        }
        if f.rule.starts_with("table.") {
            let file = format!("{}:{}", f.root, f.path);
            t.add("credential_sheets", &file, xz.as_deref(), &f.path);
        }
        if status == "open" {
            t.add("untriaged_findings", &f.id, tz.as_deref(), &at);
        }
    }
    let indicators = INDICATORS
        .iter()
        .map(|spec| {
            let count = t.keys.get(spec.id).map_or(0, |k| k.len() as u32);
            let by_zone = t
                .zones
                .iter()
                .filter(|((id, _), _)| id == spec.id)
                .map(|((_, z), keys)| (z.clone(), keys.len() as u32))
                .collect();
            let ind = Indicator {
                id: spec.id.into(),
                label: spec.label.into(),
                count,
                by_zone,
                examples: t.examples.get(spec.id).cloned().unwrap_or_default(),
            };
            (spec.id.to_string(), ind)
        })
        .collect();
    Evidence {
        scan: Some(scan),
        indicators,
    }
}

/// The indicators of an engagement's latest completed scan.
pub fn of_engagement(eng: &Engagement) -> crate::store::Result<Evidence> {
    let Some(scan) = eng.latest_scan()? else {
        return Ok(Evidence::default());
    };
    let findings: Vec<(Finding, String)> = eng
        .findings_of_scan(scan)?
        .into_iter()
        .map(|s| (s.finding, s.status))
        .collect();
    Ok(from_findings(scan, &findings, &eng.zone_map()?))
}

impl Evidence {
    /// The indicators a practice consults, in the template's order.
    pub fn for_practice(&self, p: &Practice) -> Vec<&Indicator> {
        p.indicators
            .iter()
            .filter_map(|id| self.indicators.get(id))
            .collect()
    }

    /// The count that judges an answer: for a zone answer, the zone's count.
    fn count(&self, id: &str, zone: Option<&str>) -> u32 {
        self.indicators.get(id).map_or(0, |i| match zone {
            Some(z) => i.by_zone.get(z).copied().unwrap_or(0),
            None => i.count,
        })
    }

    /// Plain words when the evidence refutes an answer: only Fully or Largely can be
    /// refuted (they claim the gap is closed), and only by a non-zero count of an
    /// indicator the template lists in `refuted_by`.
    pub fn contradiction(
        &self,
        p: &Practice,
        answer: Answer,
        zone: Option<&str>,
    ) -> Option<String> {
        if !answer.achieves() || self.scan.is_none() {
            return None;
        }
        let found: Vec<String> = p
            .refuted_by
            .iter()
            .filter_map(|id| {
                let n = self.count(id, zone);
                (n > 0).then(|| format!("{n} {}", label_of(id)))
            })
            .collect();
        if found.is_empty() {
            return None;
        }
        let whom = zone.map(|z| format!("{z}: ")).unwrap_or_default();
        let place = zone.map(|z| format!(" in {z}")).unwrap_or_default();
        Some(format!(
            "{whom}answered {}, but the scan found {}{place}",
            answer.label(),
            found.join(" and ")
        ))
    }
}
