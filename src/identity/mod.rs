//! The identity graph (petgraph): what attackers see — not IT and OT, but identity
//! paths. Nodes are credentials (fingerprints), accounts (username on a system),
//! systems, zones and sources (files); edges say a source *exposes* a credential, a
//! credential *unlocks* an account, an account *belongs to* a system, a system or
//! source is *located in* a zone.
//!
//! Zones: a finding's *exposure* zone is the zone of its file (path rules, else the
//! default zone). The zone of what it *unlocks* is the system's zone by hostname/CIDR
//! rules, else the finding's zone hints, else the file's zone.
//!
//! From the graph: shared credentials, reuse across zones, privileged / non-human /
//! default / stale identities, **cross-boundary paths** (a credential exposed in a
//! lower-criticality zone that unlocks an account in a higher one, spelled out) and a
//! blast radius per credential (`Σ criticality of zones opened + Σ criticality of the
//! zone of each system opened`).

pub mod export;

use crate::finding::{Finding, Flag};
use crate::store::zones::{DEFAULT_ZONE, ZoneMap};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Node {
    Credential {
        fingerprint: String,
        masked: String,
        category: String,
    },
    Account {
        name: String,
    },
    System {
        name: String,
    },
    Zone {
        name: String,
        criticality: u8,
    },
    Source {
        path: String,
    },
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    Exposes,
    Unlocks,
    BelongsTo,
    LocatedIn,
}

/// One route across a trust boundary: a credential kept in a lower-criticality zone
/// that opens an account in a more critical one. A route is the distinct
/// (source zone, credential, account) triple; the files of that zone holding the
/// credential are its evidence, not separate routes. (Counting file x account pairs
/// made one password copied into ten IT files over five accounts look like fifty
/// paths; an attacker needs any one of the files, so it is five routes.)
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct CrossPath {
    pub source_zone: String,
    /// Masked preview and short fingerprint: never the secret.
    pub credential: String,
    pub account: String,
    pub target_zone: String,
    pub source_criticality: u8,
    pub target_criticality: u8,
    /// Files in `source_zone` that expose the credential, sorted: the evidence.
    pub files: Vec<String>,
    /// The keyed fingerprint of the credential (tells apart credentials whose masked
    /// label happens to be the same).
    pub fingerprint: String,
}

impl CrossPath {
    /// `file (IT) → credential → account → zone`; several files read
    /// `a, b and 3 more files (IT)`.
    pub fn spelled(&self) -> String {
        format!(
            "{} ({}) → {} → {} → {} (criticality {} → {})",
            self.files_label(2),
            self.source_zone,
            self.credential,
            self.account,
            self.target_zone,
            self.source_criticality,
            self.target_criticality
        )
    }

    /// The first `shown` files, then how many more.
    pub fn files_label(&self, shown: usize) -> String {
        let head = self.files[..self.files.len().min(shown)].join(", ");
        match self.files.len().saturating_sub(shown) {
            0 => head,
            1 => format!("{head} and 1 more file"),
            more => format!("{head} and {more} more files"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CredentialReport {
    pub fingerprint: String,
    /// Masked preview and short fingerprint: never the secret.
    pub label: String,
    pub sources: Vec<String>,
    pub accounts: Vec<String>,
    pub systems: Vec<String>,
    pub zones: Vec<String>,
    pub flags: Vec<String>,
    pub shared: bool,
    pub cross_zone: bool,
    pub blast_radius: u32,
}

/// The leadership numbers: counts of identities (accounts; a credential with no known
/// account counts as one identity).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Metrics {
    pub identities: usize,
    pub credentials: usize,
    pub privileged: usize,
    pub shared: usize,
    pub shared_credentials: usize,
    pub non_human: usize,
    pub cross_boundary: usize,
    pub cross_boundary_paths: usize,
    pub reused_across_zones: usize,
    pub default: usize,
    pub older_than_1y: usize,
    pub older_than_4y: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub metrics: Metrics,
    pub credentials: Vec<CredentialReport>,
    pub cross_boundary: Vec<CrossPath>,
}

pub struct IdentityGraph {
    pub graph: DiGraph<Node, Edge>,
    pub analysis: Analysis,
}

/// The identity of a finding: `username@system`, or the credential itself.
fn identity_of(f: &Finding) -> Option<String> {
    match (&f.username, &f.system) {
        (None, None) => None,
        (u, s) => Some(format!(
            "{}@{}",
            u.as_deref().unwrap_or("?"),
            s.as_deref().unwrap_or("?")
        )),
    }
}

fn label(f: &Finding) -> String {
    format!(
        "{} [{}]",
        f.secret_masked,
        &f.fingerprint[..f.fingerprint.len().min(8)]
    )
}

struct Builder<'a> {
    g: DiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    zones: &'a ZoneMap,
}

impl Builder<'_> {
    fn node(&mut self, key: String, make: impl FnOnce() -> Node) -> NodeIndex {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.g.add_node(make());
        self.index.insert(key, i);
        i
    }
    fn zone(&mut self, name: &str) -> NodeIndex {
        let c = self.zones.criticality(name);
        self.node(format!("zone:{name}"), || Node::Zone {
            name: name.to_string(),
            criticality: c,
        })
    }
    fn edge(&mut self, a: NodeIndex, b: NodeIndex, e: Edge) {
        if !self.g.edges_connecting(a, b).any(|x| *x.weight() == e) {
            self.g.add_edge(a, b, e);
        }
    }
}

/// Exposure zone (of the file) and target zone (of what the credential unlocks).
pub fn zones_of(f: &Finding, zones: &ZoneMap) -> (String, String) {
    let exposure = zones
        .zone_of_path(&f.path)
        .unwrap_or(DEFAULT_ZONE)
        .to_string();
    let target = f
        .system
        .as_deref()
        .and_then(|s| zones.zone_of_system(s))
        .or_else(|| f.zone_hints.iter().find_map(|h| zones.zone_of_hint(h)))
        .map(str::to_string)
        .unwrap_or_else(|| exposure.clone());
    (exposure, target)
}

/// Builds the graph and its analysis from one scan's findings.
pub fn build(findings: &[Finding], zones: &ZoneMap) -> IdentityGraph {
    let mut b = Builder {
        g: DiGraph::new(),
        index: HashMap::new(),
        zones,
    };
    #[derive(Default)]
    struct Cred {
        label: String,
        sources: BTreeMap<String, String>,
        /// account → target zone
        accounts: BTreeMap<String, String>,
        systems: BTreeMap<String, String>,
        flags: BTreeSet<Flag>,
    }
    let mut creds: BTreeMap<String, Cred> = BTreeMap::new();
    let mut identities: BTreeMap<String, (BTreeSet<Flag>, u32)> = BTreeMap::new();
    for f in findings {
        let (exposure, target) = zones_of(f, zones);
        let src = b.node(format!("source:{}:{}", f.root, f.path), || Node::Source {
            path: f.path.clone(),
        });
        let zx = b.zone(&exposure);
        b.edge(src, zx, Edge::LocatedIn);
        let cred = b.node(format!("cred:{}", f.fingerprint), || Node::Credential {
            fingerprint: f.fingerprint.clone(),
            masked: f.secret_masked.clone(),
            category: f.category.as_str().to_string(),
        });
        b.edge(src, cred, Edge::Exposes);
        let c = creds.entry(f.fingerprint.clone()).or_default();
        c.label = label(f);
        c.sources.insert(f.path.clone(), exposure.clone());
        c.flags.extend(f.flags.iter().copied());
        let ident = identity_of(f);
        if let Some(acct) = &ident {
            let a = b.node(format!("account:{acct}"), || Node::Account {
                name: acct.clone(),
            });
            b.edge(cred, a, Edge::Unlocks);
            let zt = b.zone(&target);
            match &f.system {
                Some(s) => {
                    let sys = b.node(format!("system:{s}"), || Node::System { name: s.clone() });
                    b.edge(a, sys, Edge::BelongsTo);
                    b.edge(sys, zt, Edge::LocatedIn);
                    c.systems.insert(s.clone(), target.clone());
                }
                None => b.edge(a, zt, Edge::LocatedIn),
            }
            c.accounts.insert(acct.clone(), target.clone());
        } else {
            c.accounts.insert(String::new(), target.clone());
        }
        let key = ident.unwrap_or_else(|| format!("credential {}", label(f)));
        let e = identities.entry(key).or_default();
        e.0.extend(f.flags.iter().copied());
        e.1 = e.1.max(f.age_days.unwrap_or(0));
    }

    let mut reports = Vec::new();
    let mut paths = BTreeSet::new();
    let mut shared_fps = BTreeSet::new();
    for (fp, c) in &creds {
        let named: BTreeSet<&String> = c.accounts.keys().filter(|a| !a.is_empty()).collect();
        let shared = named.len() > 1 || c.systems.len() > 1 || c.sources.len() > 1;
        if shared {
            shared_fps.insert(fp.clone());
        }
        let zones_opened: BTreeSet<&String> = c.accounts.values().collect();
        let exposure_zones: BTreeSet<&String> = c.sources.values().collect();
        let all_zones: BTreeSet<&String> = zones_opened
            .iter()
            .chain(exposure_zones.iter())
            .copied()
            .collect();
        let blast = zones_opened
            .iter()
            .map(|z| zones.criticality(z) as u32)
            .sum::<u32>()
            + c.systems
                .values()
                .map(|z| zones.criticality(z) as u32)
                .sum::<u32>();
        // Routes: every exposure zone x every account opened in a more critical zone,
        // with the zone's files gathered as evidence.
        let mut routes: BTreeMap<(&String, &String), Vec<String>> = BTreeMap::new();
        for (src, sz) in &c.sources {
            for (acct, tz) in &c.accounts {
                if zones.criticality(tz) > zones.criticality(sz) {
                    routes.entry((sz, acct)).or_default().push(src.clone());
                }
            }
        }
        for ((sz, acct), files) in routes {
            let tz = &c.accounts[acct];
            paths.insert(CrossPath {
                source_zone: sz.clone(),
                credential: c.label.clone(),
                account: if acct.is_empty() {
                    "(unnamed account)".into()
                } else {
                    acct.clone()
                },
                target_zone: tz.clone(),
                source_criticality: zones.criticality(sz),
                target_criticality: zones.criticality(tz),
                files,
                fingerprint: fp.clone(),
            });
        }
        reports.push(CredentialReport {
            fingerprint: fp.clone(),
            label: c.label.clone(),
            sources: c.sources.keys().cloned().collect(),
            accounts: named.into_iter().cloned().collect(),
            systems: c.systems.keys().cloned().collect(),
            zones: zones_opened.iter().map(|z| z.to_string()).collect(),
            flags: c.flags.iter().map(|f| f.as_str().to_string()).collect(),
            shared,
            cross_zone: all_zones.len() > 1,
            blast_radius: blast,
        });
    }
    reports.sort_by(|a, b| {
        b.blast_radius
            .cmp(&a.blast_radius)
            .then(a.fingerprint.cmp(&b.fingerprint))
    });
    let paths: Vec<CrossPath> = paths.into_iter().collect();
    // A set, not a scan of the paths per credential (that was quadratic: seconds for
    // 10k findings).
    let cross_creds: BTreeSet<&str> = paths.iter().map(|p| p.fingerprint.as_str()).collect();
    // An identity is shared / cross-boundary when one of its credentials is.
    let mut shared_idents = BTreeSet::new();
    let mut cross_idents = BTreeSet::new();
    for f in findings {
        let key = identity_of(f).unwrap_or_else(|| format!("credential {}", label(f)));
        if shared_fps.contains(&f.fingerprint) {
            shared_idents.insert(key.clone());
        }
        if cross_creds.contains(f.fingerprint.as_str()) {
            cross_idents.insert(key);
        }
    }
    let count = |flag: Flag| {
        identities
            .values()
            .filter(|(fl, _)| fl.contains(&flag))
            .count()
    };
    let metrics = Metrics {
        identities: identities.len(),
        credentials: creds.len(),
        privileged: count(Flag::Privileged),
        shared: shared_idents.len(),
        shared_credentials: shared_fps.len(),
        non_human: count(Flag::NonHuman),
        cross_boundary: cross_idents.len(),
        cross_boundary_paths: paths.len(),
        reused_across_zones: reports.iter().filter(|r| r.cross_zone).count(),
        default: count(Flag::Default),
        older_than_1y: identities.values().filter(|(_, age)| *age > 365).count(),
        older_than_4y: identities
            .values()
            .filter(|(_, age)| *age > 4 * 365)
            .count(),
    };
    IdentityGraph {
        graph: b.g,
        analysis: Analysis {
            metrics,
            credentials: reports,
            cross_boundary: paths,
        },
    }
}

/// The graph of an engagement's scan (default: latest).
pub fn of_engagement(
    eng: &crate::store::Engagement,
    scan: Option<i64>,
) -> crate::store::Result<IdentityGraph> {
    let scan = match scan {
        Some(s) => s,
        None => eng.latest_scan()?.ok_or_else(|| {
            crate::store::StoreError::Invalid("no scan in this engagement yet".into())
        })?,
    };
    let findings: Vec<Finding> = eng
        .findings_of_scan(scan)?
        .into_iter()
        .map(|s| s.finding)
        .collect();
    Ok(build(&findings, &eng.zone_map()?))
}

impl crate::store::Engagement {
    /// The identity metrics of these findings under the engagement's zones, as stored
    /// per scan (JSON; a scan's close stores them).
    pub fn metrics_json(&self, findings: &[Finding]) -> crate::store::Result<String> {
        let g = build(findings, &self.zone_map()?);
        Ok(serde_json::to_string(&g.analysis).expect("analysis serialises"))
    }
}
