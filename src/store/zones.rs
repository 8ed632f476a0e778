//! Zones (IT, DMZ, OT levels, IoT, vendor, cloud) with criticality on three axes, and
//! the rules that place a file path, a hostname or an address in a zone. Defaults are
//! created with every engagement so it works before anyone edits zones; CIDR rules are
//! the user's own (no private range is assumed to be OT).

use super::{Engagement, Result, StoreError, touch};
use globset::{GlobBuilder, GlobMatcher};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::net::IpAddr;

pub const KINDS: &[&str] = &[
    "IT", "DMZ", "OT-L3", "OT-L2", "OT-L1", "OT-L0", "IoT", "vendor", "cloud",
];
pub const RULE_KINDS: &[&str] = &["path-glob", "hostname-pattern", "cidr"];

/// (name, kind, safety, availability, regulatory, description)
const DEFAULT_ZONES: &[(&str, &str, u8, u8, u8, &str)] = &[
    (
        "IT",
        "IT",
        1,
        2,
        2,
        "Corporate IT: offices, file shares, business applications",
    ),
    (
        "DMZ",
        "DMZ",
        2,
        3,
        2,
        "IT/OT demilitarised zone: jump hosts, replicas, patch servers",
    ),
    (
        "OT-L3",
        "OT-L3",
        3,
        4,
        3,
        "Site operations: historians, OPC gateways, MES",
    ),
    (
        "OT-L2",
        "OT-L2",
        4,
        5,
        4,
        "Supervisory control: SCADA, HMI, engineering workstations",
    ),
    (
        "OT-L1",
        "OT-L1",
        5,
        5,
        4,
        "Basic control: PLC, RTU, safety controllers",
    ),
    (
        "OT-L0",
        "OT-L0",
        5,
        5,
        5,
        "Process: sensors, actuators, drives",
    ),
    (
        "IoT",
        "IoT",
        2,
        2,
        2,
        "Building and facility devices: cameras, badges, HVAC",
    ),
    (
        "vendor",
        "vendor",
        2,
        3,
        2,
        "Vendor and integrator access and drops",
    ),
    ("cloud", "cloud", 2, 3, 3, "Cloud services and tenants"),
];

/// (zone, kind, pattern, priority): lower priority numbers are tried first.
const DEFAULT_RULES: &[(&str, &str, &str, i64)] = &[
    ("OT-L1", "path-glob", "**/plc*/**", 10),
    ("OT-L1", "path-glob", "**/rtu*/**", 10),
    ("OT-L2", "path-glob", "**/scada/**", 20),
    ("OT-L2", "path-glob", "**/hmi*/**", 20),
    ("OT-L2", "path-glob", "**/control-room/**", 20),
    ("IT", "path-glob", "**/it-share/**", 30),
    ("IT", "path-glob", "**/corp/**", 30),
    ("OT-L3", "path-glob", "**/historian*/**", 40),
    ("OT-L3", "path-glob", "**/engineering-share/**", 40),
    ("OT-L3", "path-glob", "**/ot/**", 40),
    ("vendor", "path-glob", "**/vendor*/**", 50),
    ("DMZ", "path-glob", "**/dmz/**", 50),
    ("IoT", "path-glob", "**/iot/**", 50),
    ("cloud", "path-glob", "**/cloud*/**", 60),
    ("OT-L1", "hostname-pattern", "*plc*", 10),
    ("OT-L1", "hostname-pattern", "*rtu*", 10),
    ("OT-L2", "hostname-pattern", "*scada*", 20),
    ("OT-L2", "hostname-pattern", "*hmi*", 20),
    ("OT-L2", "hostname-pattern", "*leitstand*", 20),
    ("OT-L2", "hostname-pattern", "engineering*", 20),
    ("OT-L3", "hostname-pattern", "*hist*", 30),
    ("OT-L3", "hostname-pattern", "*opc*", 30),
    ("DMZ", "hostname-pattern", "*jump*", 30),
    ("vendor", "hostname-pattern", "*vendor*", 40),
    ("IT", "hostname-pattern", "*.corp.*", 50),
    ("IT", "hostname-pattern", "vpn", 50),
];

/// The zone a file or system falls in when no rule and no hint places it.
pub const DEFAULT_ZONE: &str = "IT";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Zone {
    pub name: String,
    pub kind: String,
    pub safety: u8,
    pub availability: u8,
    pub regulatory: u8,
    pub description: Option<String>,
}

impl Zone {
    /// The zone's criticality: its highest axis (1-5).
    pub fn criticality(&self) -> u8 {
        self.safety.max(self.availability).max(self.regulatory)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneRule {
    pub id: i64,
    pub zone: String,
    pub kind: String,
    pub pattern: String,
    pub priority: i64,
}

pub(crate) fn insert_defaults(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    for (name, kind, s, a, r, d) in DEFAULT_ZONES {
        tx.execute(
            "INSERT INTO zones (name, kind, safety, availability, regulatory, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, kind, s, a, r, d],
        )?;
    }
    for (zone, kind, pattern, prio) in DEFAULT_RULES {
        tx.execute(
            "INSERT INTO zone_rules (zone_id, kind, pattern, priority) SELECT id, ?2, ?3, ?4 FROM zones WHERE name = ?1",
            params![zone, kind, pattern, prio],
        )?;
    }
    Ok(())
}

fn check_axis(v: u8) -> Result<()> {
    if (1..=5).contains(&v) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "criticality {v} is outside 1-5"
        )))
    }
}

impl Engagement {
    pub fn zones(&self) -> Result<Vec<Zone>> {
        let mut st = self.conn.prepare(
            "SELECT name, kind, safety, availability, regulatory, description FROM zones ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Zone {
                name: r.get(0)?,
                kind: r.get(1)?,
                safety: r.get(2)?,
                availability: r.get(3)?,
                regulatory: r.get(4)?,
                description: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn zone_rules(&self) -> Result<Vec<ZoneRule>> {
        let mut st = self.conn.prepare(
            "SELECT r.id, z.name, r.kind, r.pattern, r.priority FROM zone_rules r JOIN zones z ON z.id = r.zone_id
             ORDER BY r.priority, r.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ZoneRule {
                id: r.get(0)?,
                zone: r.get(1)?,
                kind: r.get(2)?,
                pattern: r.get(3)?,
                priority: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn add_zone(&mut self, z: &Zone) -> Result<()> {
        if !KINDS.contains(&z.kind.as_str()) {
            return Err(StoreError::Invalid(format!(
                "unknown zone kind '{}' ({})",
                z.kind,
                KINDS.join(", ")
            )));
        }
        for v in [z.safety, z.availability, z.regulatory] {
            check_axis(v)?;
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO zones (name, kind, safety, availability, regulatory, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![z.name, z.kind, z.safety, z.availability, z.regulatory, z.description],
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Invalid(format!("zone '{}' exists", z.name)),
            _ => e.into(),
        })?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    pub fn add_zone_rule(
        &mut self,
        zone: &str,
        kind: &str,
        pattern: &str,
        priority: i64,
    ) -> Result<()> {
        if !RULE_KINDS.contains(&kind) {
            return Err(StoreError::Invalid(format!(
                "unknown rule kind '{kind}' ({})",
                RULE_KINDS.join(", ")
            )));
        }
        Matcher::compile(kind, pattern)?;
        let tx = self.conn.transaction()?;
        let id: Option<i64> = tx
            .query_row("SELECT id FROM zones WHERE name = ?1", [zone], |r| r.get(0))
            .optional()?;
        let id = id.ok_or_else(|| {
            StoreError::Invalid(format!("no zone '{zone}' (see `credence zones list`)"))
        })?;
        tx.execute(
            "INSERT OR REPLACE INTO zone_rules (zone_id, kind, pattern, priority) VALUES (?1, ?2, ?3, ?4)",
            params![id, kind, pattern, priority],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes one zone rule by id (defaults included: they are the user's to change).
    pub fn remove_zone_rule(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM zone_rules WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(StoreError::Invalid(format!("no zone rule with id {id}")));
        }
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_criticality(
        &mut self,
        zone: &str,
        safety: u8,
        availability: u8,
        regulatory: u8,
    ) -> Result<()> {
        for v in [safety, availability, regulatory] {
            check_axis(v)?;
        }
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE zones SET safety = ?2, availability = ?3, regulatory = ?4 WHERE name = ?1",
            params![zone, safety, availability, regulatory],
        )?;
        if n == 0 {
            return Err(StoreError::Invalid(format!("no zone '{zone}'")));
        }
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The zone map to place paths and systems, built from the stored zones and rules.
    pub fn zone_map(&self) -> Result<ZoneMap> {
        let zones = self.zones()?;
        let mut rules = Vec::new();
        for r in self.zone_rules()? {
            rules.push((r.zone.clone(), Matcher::compile(&r.kind, &r.pattern)?));
        }
        Ok(ZoneMap { zones, rules })
    }
}

enum Matcher {
    Path(GlobMatcher),
    Host(GlobMatcher),
    Cidr(IpAddr, u8),
}

impl Matcher {
    fn compile(kind: &str, pattern: &str) -> Result<Matcher> {
        let glob = |p: &str| {
            GlobBuilder::new(p)
                .case_insensitive(true)
                .literal_separator(kind == "path-glob")
                .build()
                .map(|g| g.compile_matcher())
                .map_err(|e| StoreError::Invalid(format!("bad pattern '{p}': {e}")))
        };
        match kind {
            "path-glob" => Ok(Matcher::Path(glob(pattern)?)),
            "hostname-pattern" => Ok(Matcher::Host(glob(pattern)?)),
            _ => {
                let (addr, len) = pattern.split_once('/').ok_or_else(|| {
                    StoreError::Invalid(format!("'{pattern}' is not a CIDR (e.g. 10.20.0.0/16)"))
                })?;
                let addr: IpAddr = addr
                    .parse()
                    .map_err(|_| StoreError::Invalid(format!("'{pattern}': bad address")))?;
                let len: u8 = len
                    .parse()
                    .ok()
                    .filter(|l| *l <= if addr.is_ipv4() { 32 } else { 128 })
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("'{pattern}': bad prefix length"))
                    })?;
                Ok(Matcher::Cidr(addr, len))
            }
        }
    }
}

fn in_cidr(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Places paths and systems in zones.
pub struct ZoneMap {
    pub zones: Vec<Zone>,
    rules: Vec<(String, Matcher)>,
}

impl ZoneMap {
    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }

    pub fn criticality(&self, name: &str) -> u8 {
        self.zone(name).map(Zone::criticality).unwrap_or(1)
    }

    /// The zone of a file (root-relative path, `/` separators), by path rules.
    pub fn zone_of_path(&self, path: &str) -> Option<&str> {
        let p = format!("/{}", path.trim_start_matches('/'));
        self.rules.iter().find_map(|(z, m)| match m {
            Matcher::Path(g) if g.is_match(&p) => Some(z.as_str()),
            _ => None,
        })
    }

    /// The zone of a system (hostname, address or name), by hostname and CIDR rules.
    pub fn zone_of_system(&self, system: &str) -> Option<&str> {
        let s = system.trim();
        let host = s
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(s)
            .split(['/', ':'])
            .next()
            .unwrap_or(s);
        let ip: Option<IpAddr> = host.parse().ok();
        self.rules.iter().find_map(|(z, m)| match m {
            Matcher::Host(g) if ip.is_none() && (g.is_match(host) || g.is_match(s)) => {
                Some(z.as_str())
            }
            Matcher::Cidr(net, len) if ip.is_some_and(|ip| in_cidr(ip, *net, *len)) => {
                Some(z.as_str())
            }
            _ => None,
        })
    }

    /// A zone hint from detection ("OT", "SCADA", "Level 2") mapped to a zone name.
    pub fn zone_of_hint(&self, hint: &str) -> Option<&str> {
        if let Some(z) = self
            .zones
            .iter()
            .find(|z| z.name.eq_ignore_ascii_case(hint))
        {
            return Some(&z.name);
        }
        let h = hint.to_ascii_lowercase();
        let name = if h.contains("level 0") || h.contains("l0") {
            "OT-L0"
        } else if h.contains("level 1") || h.contains("l1") || h.contains("plc") {
            "OT-L1"
        } else if h.contains("level 2")
            || h.contains("l2")
            || h.contains("scada")
            || h.contains("hmi")
        {
            "OT-L2"
        } else if h.contains("level 3")
            || h.contains("l3")
            || h.contains("ot")
            || h.contains("historian")
        {
            "OT-L3"
        } else if h.contains("dmz") {
            "DMZ"
        } else if h.contains("iot") {
            "IoT"
        } else if h.contains("vendor") {
            "vendor"
        } else if h.contains("cloud") {
            "cloud"
        } else {
            return None;
        };
        self.zone(name).map(|z| z.name.as_str())
    }
}
