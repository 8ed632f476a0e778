//! The identity graph as the UI draws it: zones as lanes ordered from IT to OT (then
//! IoT, vendor, cloud), credentials in the lane where they are exposed, accounts in the
//! lane they unlock, and an edge from each credential to each account it opens. An edge
//! into a more critical zone is a cross-boundary path (the library's definition).
//!
//! Built from the findings cache (masked previews and fingerprints only). Large graphs
//! are trimmed to the credentials that matter most, and say so.

use crate::findings_view::Row;
use credence::identity::CrossPath;
use credence::store::zones::{KINDS, Zone, ZoneMap};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Lane {
    pub zone: String,
    pub kind: String,
    pub criticality: u8,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GraphNode {
    pub id: String,
    /// `credential` or `account`.
    pub kind: &'static str,
    pub label: String,
    pub zone: String,
    pub findings: usize,
    pub flags: Vec<&'static str>,
    /// The findings filter that lists this node's findings: `fingerprint` or `identity`.
    pub filter_field: &'static str,
    pub filter_value: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub cross: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    pub lanes: Vec<Lane>,
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub paths: Vec<CrossPath>,
    pub total_paths: usize,
    pub total_credentials: usize,
    pub shown_credentials: usize,
}

/// Most credentials drawn at once (the rest are listed as trimmed).
pub const MAX_CREDENTIALS: usize = 150;
pub const MAX_PATHS: usize = 200;

/// Zones in lane order: by kind from IT to OT-L0, then IoT, vendor, cloud; by name.
pub fn lanes(zones: &[Zone]) -> Vec<Lane> {
    let mut z: Vec<&Zone> = zones.iter().collect();
    z.sort_by_key(|z| {
        (
            KINDS
                .iter()
                .position(|k| *k == z.kind)
                .unwrap_or(KINDS.len()),
            z.name.clone(),
        )
    });
    z.into_iter()
        .map(|z| Lane {
            zone: z.name.clone(),
            kind: z.kind.clone(),
            criticality: z.criticality(),
        })
        .collect()
}

#[derive(Default)]
struct Cred {
    label: String,
    zones: BTreeSet<String>,
    accounts: BTreeSet<String>,
    findings: usize,
    flags: BTreeSet<&'static str>,
    cross: bool,
}

pub fn build(rows: &[Row], zones: &ZoneMap, paths: &[CrossPath]) -> GraphView {
    let crit = |z: &str| zones.criticality(z);
    let mut creds: BTreeMap<&str, Cred> = BTreeMap::new();
    let mut accounts: BTreeMap<&str, (String, usize, BTreeSet<&'static str>)> = BTreeMap::new();
    for r in rows {
        let f = &r.finding;
        let c = creds.entry(f.fingerprint.as_str()).or_default();
        c.label = format!(
            "{} [{}]",
            f.secret_masked,
            &f.fingerprint[..f.fingerprint.len().min(8)]
        );
        c.zones.insert(r.exposure_zone.clone());
        c.findings += 1;
        c.flags.extend(f.flags.iter().map(|x| x.as_str()));
        if !r.identity.is_empty() {
            c.accounts.insert(r.identity.clone());
            if crit(&r.target_zone) > crit(&r.exposure_zone) {
                c.cross = true;
            }
            let a = accounts
                .entry(r.identity.as_str())
                .or_insert_with(|| (r.target_zone.clone(), 0, BTreeSet::new()));
            a.1 += 1;
            a.2.extend(f.flags.iter().map(|x| x.as_str()));
            if crit(&r.target_zone) > crit(&a.0) {
                a.0 = r.target_zone.clone();
            }
        }
    }
    // Which credentials to draw: cross-boundary first, then by reach and findings.
    let mut order: Vec<(&str, &Cred)> = creds.iter().map(|(k, v)| (*k, v)).collect();
    order.sort_by(|a, b| {
        (b.1.cross, b.1.accounts.len(), b.1.findings, a.0).cmp(&(
            a.1.cross,
            a.1.accounts.len(),
            a.1.findings,
            b.0,
        ))
    });
    let total_credentials = order.len();
    order.truncate(MAX_CREDENTIALS);
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let mut account_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, (fp, c)) in order.iter().enumerate() {
        // Exposed where it is least protected: the lowest-criticality zone.
        let zone = c
            .zones
            .iter()
            .min_by_key(|z| (crit(z.as_str()), (*z).clone()))
            .cloned()
            .unwrap_or_default();
        let id = format!("c{i}");
        nodes.push(GraphNode {
            id: id.clone(),
            kind: "credential",
            label: c.label.clone(),
            zone: zone.clone(),
            findings: c.findings,
            flags: c.flags.iter().copied().collect(),
            filter_field: "fingerprint",
            filter_value: (*fp).to_string(),
        });
        for acct in &c.accounts {
            let next = account_ids.len();
            let aid = account_ids
                .entry(acct.as_str())
                .or_insert_with(|| format!("a{next}"))
                .clone();
            let target = &accounts[acct.as_str()].0;
            edges.push(GraphEdge {
                from: id.clone(),
                to: aid,
                cross: crit(target) > crit(&zone),
            });
        }
    }
    for (acct, aid) in &account_ids {
        let (zone, n, flags) = &accounts[acct];
        nodes.push(GraphNode {
            id: aid.clone(),
            kind: "account",
            label: (*acct).to_string(),
            zone: zone.clone(),
            findings: *n,
            flags: flags.iter().copied().collect(),
            filter_field: "identity",
            filter_value: (*acct).to_string(),
        });
    }
    GraphView {
        lanes: lanes(&zones.zones),
        shown_credentials: order.len(),
        total_credentials,
        total_paths: paths.len(),
        paths: paths.iter().take(MAX_PATHS).cloned().collect(),
        nodes,
        edges,
    }
}
