//! The findings table's data, computed in Rust: filter, sort and group one scan's
//! findings, then hand the UI a window of rows at a time. 100k findings never cross
//! IPC at once; the UI asks for the rows it shows.
//!
//! A view is a flat list of entries (group headers and findings) so that a virtual
//! list can scroll it by index; collapsing a group removes its findings from the list.

use crate::error::{CmdResult, CommandError};
use credence::finding::Finding;
use credence::store::query::ListedFinding;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

/// A finding as the table needs it: the record, its triage and its zones.
#[derive(Debug, Clone)]
pub struct Row {
    pub finding: Finding,
    pub status: String,
    pub note: Option<String>,
    pub who: Option<String>,
    pub exposure_zone: String,
    pub target_zone: String,
    /// `user@system` (`?` for an unknown side), or empty when neither is known: the
    /// same identity the identity graph uses.
    pub identity: String,
    pub location: String,
}

impl From<ListedFinding> for Row {
    fn from(l: ListedFinding) -> Row {
        let f = l.stored.finding;
        let identity = match (&f.username, &f.system) {
            (None, None) => String::new(),
            (u, s) => format!(
                "{}@{}",
                u.as_deref().unwrap_or("?"),
                s.as_deref().unwrap_or("?")
            ),
        };
        Row {
            location: f.location(),
            identity,
            finding: f,
            status: l.stored.status,
            note: l.stored.note,
            who: l.stored.who,
            exposure_zone: l.exposure_zone,
            target_zone: l.target_zone,
        }
    }
}

pub const SORTS: &[&str] = &[
    "location",
    "rule",
    "category",
    "confidence",
    "username",
    "system",
    "zone",
    "status",
];
pub const GROUPS: &[&str] = &["file", "rule", "identity", "system", "zone"];

/// What the table shows. Empty strings mean "any" (filters) or "none" (group).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Query {
    /// Case-insensitive words in location, rule, category, username or system.
    pub text: String,
    pub status: String,
    pub category: String,
    pub rule: String,
    /// Exposure zone or the zone the credential unlocks.
    pub zone: String,
    pub flag: String,
    /// Exact file path (root-relative), from a graph node or a group.
    pub file: String,
    pub identity: String,
    pub system: String,
    pub fingerprint: String,
    pub sort: String,
    pub descending: bool,
    pub group: String,
    /// Group keys whose findings are hidden.
    pub collapsed: Vec<String>,
}

const MAX_FIELD: usize = 500;
const MAX_COLLAPSED: usize = 10_000;

impl Query {
    pub fn validate(&self) -> CmdResult<()> {
        for (name, v) in [
            ("text", &self.text),
            ("status", &self.status),
            ("category", &self.category),
            ("rule", &self.rule),
            ("zone", &self.zone),
            ("flag", &self.flag),
            ("file", &self.file),
            ("identity", &self.identity),
            ("system", &self.system),
            ("fingerprint", &self.fingerprint),
        ] {
            if v.chars().count() > MAX_FIELD {
                return Err(CommandError::invalid(format!(
                    "filter {name} is longer than {MAX_FIELD} characters"
                )));
            }
        }
        if !self.sort.is_empty() {
            crate::validate::one_of("sort", &self.sort, SORTS)?;
        }
        if !self.group.is_empty() {
            crate::validate::one_of("group", &self.group, GROUPS)?;
        }
        if !self.status.is_empty() {
            crate::validate::one_of("status", &self.status, credence::store::query::TRIAGE)?;
        }
        if self.collapsed.len() > MAX_COLLAPSED {
            return Err(CommandError::invalid("too many collapsed groups"));
        }
        Ok(())
    }

    fn matches(&self, r: &Row, words: &[String]) -> bool {
        let f = &r.finding;
        let eq = |want: &str, have: &str| want.is_empty() || want == have;
        if !eq(&self.status, &r.status)
            || !eq(&self.category, f.category.as_str())
            || !eq(&self.file, &f.path)
            || !eq(&self.identity, &r.identity)
            || !eq(&self.system, f.system.as_deref().unwrap_or(""))
            || !eq(&self.fingerprint, &f.fingerprint)
        {
            return false;
        }
        if !self.rule.is_empty() {
            let prefix = self.rule.trim_end_matches('*');
            let ok = if self.rule.ends_with('*') {
                f.rule.starts_with(prefix)
            } else {
                f.rule == self.rule
            };
            if !ok {
                return false;
            }
        }
        if !self.zone.is_empty() && self.zone != r.exposure_zone && self.zone != r.target_zone {
            return false;
        }
        if !self.flag.is_empty() && !f.flags.iter().any(|x| x.as_str() == self.flag) {
            return false;
        }
        words.iter().all(|w| {
            contains_ci(&r.location, w)
                || contains_ci(&f.rule, w)
                || contains_ci(f.category.as_str(), w)
                || f.username.as_deref().is_some_and(|u| contains_ci(u, w))
                || f.system.as_deref().is_some_and(|s| contains_ci(s, w))
        })
    }
}

fn contains_ci(hay: &str, lower_needle: &str) -> bool {
    hay.to_lowercase().contains(lower_needle)
}

/// One line of the view: a group header, or a finding (index into the cache's rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Group {
        key: String,
        count: u32,
        collapsed: bool,
    },
    Item(u32),
}

fn group_key(group: &str, r: &Row) -> String {
    let f = &r.finding;
    match group {
        "file" => f.path.clone(),
        "rule" => f.rule.clone(),
        "identity" if r.identity.is_empty() => "(no account)".into(),
        "identity" => r.identity.clone(),
        "system" => f.system.clone().unwrap_or_else(|| "(no system)".into()),
        "zone" if r.exposure_zone == r.target_zone => r.exposure_zone.clone(),
        "zone" => format!("{} → {}", r.exposure_zone, r.target_zone),
        _ => String::new(),
    }
}

fn compare(sort: &str, a: &Row, b: &Row) -> Ordering {
    let (fa, fb) = (&a.finding, &b.finding);
    match sort {
        "rule" => fa.rule.cmp(&fb.rule),
        "category" => fa.category.as_str().cmp(fb.category.as_str()),
        // Most confident first when ascending: that is what a reader wants on top.
        "confidence" => fb.confidence.cmp(&fa.confidence),
        "username" => fa.username.cmp(&fb.username),
        "system" => fa.system.cmp(&fb.system),
        "zone" => (&a.exposure_zone, &a.target_zone).cmp(&(&b.exposure_zone, &b.target_zone)),
        "status" => a.status.cmp(&b.status),
        _ => Ordering::Equal,
    }
}

/// The entries of `q` over `rows` (rows are in report order: by location).
pub fn build(rows: &[Row], q: &Query) -> Vec<Entry> {
    let words: Vec<String> = q.text.split_whitespace().map(str::to_lowercase).collect();
    let mut idx: Vec<u32> = (0..rows.len() as u32)
        .filter(|&i| q.matches(&rows[i as usize], &words))
        .collect();
    let sort = if q.sort.is_empty() {
        "location"
    } else {
        &q.sort
    };
    // Stable sort: equal keys keep report order.
    idx.sort_by(|&a, &b| {
        let o = compare(sort, &rows[a as usize], &rows[b as usize]);
        if q.descending { o.reverse() } else { o }
    });
    if q.group.is_empty() {
        return idx.into_iter().map(Entry::Item).collect();
    }
    let mut groups: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for i in idx {
        groups
            .entry(group_key(&q.group, &rows[i as usize]))
            .or_default()
            .push(i);
    }
    let collapsed: HashSet<&str> = q.collapsed.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (key, items) in groups {
        let is_collapsed = collapsed.contains(key.as_str());
        out.push(Entry::Group {
            count: items.len() as u32,
            collapsed: is_collapsed,
            key,
        });
        if !is_collapsed {
            out.extend(items.into_iter().map(Entry::Item));
        }
    }
    out
}

/// The finding ids a view holds (collapsed groups included): "triage everything shown".
pub fn ids(rows: &[Row], q: &Query) -> Vec<String> {
    let mut all = q.clone();
    all.collapsed.clear();
    build(rows, &all)
        .into_iter()
        .filter_map(|e| match e {
            Entry::Item(i) => Some(rows[i as usize].finding.id.clone()),
            Entry::Group { .. } => None,
        })
        .collect()
}

/// One row of the table as it crosses IPC: masked preview and fingerprint only.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub id: String,
    pub location: String,
    pub path: String,
    pub rule: String,
    pub rule_name: String,
    pub category: &'static str,
    pub confidence: &'static str,
    pub username: Option<String>,
    pub system: Option<String>,
    pub identity: String,
    pub masked: String,
    pub length: usize,
    pub fingerprint: String,
    pub flags: Vec<&'static str>,
    pub exposure_zone: String,
    pub target_zone: String,
    pub status: String,
    pub note: Option<String>,
    pub who: Option<String>,
    /// The line with every secret masked (the library's contract).
    pub context: String,
    pub reuse_count: u32,
    pub detail: Option<String>,
}

impl From<&Row> for FindingRow {
    fn from(r: &Row) -> FindingRow {
        let f = &r.finding;
        FindingRow {
            id: f.id.clone(),
            location: r.location.clone(),
            path: f.path.clone(),
            rule: f.rule.clone(),
            rule_name: f.rule_name.clone(),
            category: f.category.as_str(),
            confidence: f.confidence.as_str(),
            username: f.username.clone(),
            system: f.system.clone(),
            identity: r.identity.clone(),
            masked: f.secret_masked.clone(),
            length: f.secret_length,
            fingerprint: f.fingerprint.clone(),
            flags: f.flags.iter().map(|x| x.as_str()).collect(),
            exposure_zone: r.exposure_zone.clone(),
            target_zone: r.target_zone.clone(),
            status: r.status.clone(),
            note: r.note.clone(),
            who: r.who.clone(),
            context: f.context.clone(),
            reuse_count: f.reuse_count,
            detail: f.detail.clone(),
        }
    }
}

// Most rows are findings: boxing them would add an allocation per row for the rare group header.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DisplayRow {
    Group {
        key: String,
        count: u32,
        collapsed: bool,
    },
    Finding(FindingRow),
}

/// Largest window the UI may ask for at once.
pub const MAX_WINDOW: usize = 1000;

pub fn window(rows: &[Row], entries: &[Entry], offset: usize, limit: usize) -> Vec<DisplayRow> {
    entries
        .iter()
        .skip(offset)
        .take(limit.min(MAX_WINDOW))
        .map(|e| match e {
            Entry::Group {
                key,
                count,
                collapsed,
            } => DisplayRow::Group {
                key: key.clone(),
                count: *count,
                collapsed: *collapsed,
            },
            Entry::Item(i) => DisplayRow::Finding(FindingRow::from(&rows[*i as usize])),
        })
        .collect()
}

/// Counts for the filter menus: (value, count), most frequent first.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Facets {
    pub total: usize,
    pub status: Vec<(String, usize)>,
    pub category: Vec<(String, usize)>,
    pub rule: Vec<(String, usize)>,
    pub zone: Vec<(String, usize)>,
    pub flag: Vec<(String, usize)>,
}

pub fn facets(rows: &[Row]) -> Facets {
    let mut status = BTreeMap::new();
    let mut category = BTreeMap::new();
    let mut rule = BTreeMap::new();
    let mut zone = BTreeMap::new();
    let mut flag = BTreeMap::new();
    for r in rows {
        let f = &r.finding;
        *status.entry(r.status.clone()).or_insert(0) += 1;
        *category.entry(f.category.as_str().to_string()).or_insert(0) += 1;
        *rule.entry(f.rule.clone()).or_insert(0) += 1;
        *zone.entry(r.exposure_zone.clone()).or_insert(0) += 1;
        if r.target_zone != r.exposure_zone {
            *zone.entry(r.target_zone.clone()).or_insert(0) += 1;
        }
        for x in &f.flags {
            *flag.entry(x.as_str().to_string()).or_insert(0) += 1;
        }
    }
    let sorted = |m: BTreeMap<String, usize>| {
        let mut v: Vec<(String, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    Facets {
        total: rows.len(),
        status: sorted(status),
        category: sorted(category),
        rule: sorted(rule),
        zone: sorted(zone),
        flag: sorted(flag),
    }
}

#[cfg(test)]
#[path = "findings_view_tests.rs"]
mod tests;
