//! Reading an engagement: scans, findings of a scan with their triage, drift between
//! two scans; and triage itself.

use super::{Engagement, Result, StoreError, now};
use crate::finding::Finding;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;

pub const TRIAGE: &[&str] = &["open", "confirmed", "false_positive", "accepted", "fixed"];

#[derive(Debug, Clone, Serialize)]
pub struct ScanRow {
    pub id: i64,
    pub started: String,
    pub finished: Option<String>,
    pub status: String,
    pub roots: Vec<String>,
    pub files_seen: i64,
    pub files_scanned: i64,
    pub files_reused: i64,
    pub files_errors: i64,
    pub findings: i64,
    pub resumed: i64,
}

/// A finding as stored: the record plus triage and when it was seen.
#[derive(Debug, Clone, Serialize)]
pub struct StoredFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub status: String,
    pub note: Option<String>,
    pub who: Option<String>,
    pub triaged_at: Option<String>,
    pub first_seen: i64,
    pub last_seen: i64,
}

/// Findings new, gone and changed (same place and rule, another secret) between scans.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub from: i64,
    pub to: i64,
    pub new: Vec<Finding>,
    pub gone: Vec<Finding>,
    /// (before, after)
    pub changed: Vec<(Finding, Finding)>,
}

impl Engagement {
    pub fn scans(&self) -> Result<Vec<ScanRow>> {
        let mut st = self.conn.prepare(
            "SELECT id, started, finished, status, roots, files_seen, files_scanned, files_reused, files_errors,
                    findings, resumed FROM scans ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let roots: String = r.get(4)?;
            Ok(ScanRow {
                id: r.get(0)?,
                started: r.get(1)?,
                finished: r.get(2)?,
                status: r.get(3)?,
                roots: serde_json::from_str(&roots).unwrap_or_default(),
                files_seen: r.get(5)?,
                files_scanned: r.get(6)?,
                files_reused: r.get(7)?,
                files_errors: r.get(8)?,
                findings: r.get(9)?,
                resumed: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest completed scan, or the latest scan of any status when none completed.
    pub fn latest_scan(&self) -> Result<Option<i64>> {
        let done: Option<i64> = self.conn.query_row(
            "SELECT max(id) FROM scans WHERE status = 'completed'",
            [],
            |r| r.get(0),
        )?;
        if done.is_some() {
            return Ok(done);
        }
        Ok(self
            .conn
            .query_row("SELECT max(id) FROM scans", [], |r| r.get(0))?)
    }

    /// Every finding one scan saw, with triage, in report order.
    pub fn findings_of_scan(&self, scan: i64) -> Result<Vec<StoredFinding>> {
        let mut st = self.conn.prepare(
            "SELECT f.data, f.status, f.note, f.who, f.triaged_at, f.first_seen, f.last_seen
             FROM scan_findings s JOIN findings f ON f.id = s.finding_id WHERE s.scan_id = ?1",
        )?;
        let mut rows = st.query([scan])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let data: String = r.get(0)?;
            let finding: Finding = serde_json::from_str(&data).map_err(|e| {
                StoreError::Corrupt(self.path.clone(), format!("finding record: {e}"))
            })?;
            out.push(StoredFinding {
                finding,
                status: r.get(1)?,
                note: r.get(2)?,
                who: r.get(3)?,
                triaged_at: r.get(4)?,
                first_seen: r.get(5)?,
                last_seen: r.get(6)?,
            });
        }
        out.sort_by(|a, b| {
            let (a, b) = (&a.finding, &b.finding);
            (
                &a.root, &a.path, &a.member, &a.sheet, a.line, &a.cell, a.column, &a.rule,
            )
                .cmp(&(
                    &b.root, &b.path, &b.member, &b.sheet, b.line, &b.cell, b.column, &b.rule,
                ))
        });
        let mut plain: Vec<Finding> = out.iter().map(|s| s.finding.clone()).collect();
        crate::scan::link_reuse(&mut plain);
        for (s, f) in out.iter_mut().zip(plain) {
            s.finding.reuse_count = f.reuse_count;
        }
        Ok(out)
    }

    /// Sets the triage status (and note, who) of findings, all or none.
    pub fn triage(
        &mut self,
        ids: &[String],
        status: &str,
        note: Option<&str>,
        who: Option<&str>,
    ) -> Result<usize> {
        if !TRIAGE.contains(&status) {
            return Err(StoreError::Invalid(format!(
                "unknown status '{status}' ({})",
                TRIAGE.join(", ")
            )));
        }
        let tx = self.conn.transaction()?;
        let when = now();
        for id in ids {
            let n = tx.execute(
                "UPDATE findings SET status = ?2, note = coalesce(?3, note), who = coalesce(?4, who), triaged_at = ?5
                 WHERE id = ?1",
                params![id, status, note, who, when],
            )?;
            if n == 0 {
                return Err(StoreError::Invalid(format!(
                    "no finding with id '{id}' (nothing changed)"
                )));
            }
        }
        super::touch(&tx)?;
        tx.commit()?;
        Ok(ids.len())
    }

    /// Drift between two scans (default: the two latest completed scans).
    pub fn diff(&self, from: Option<i64>, to: Option<i64>) -> Result<Diff> {
        let completed: Vec<i64> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM scans WHERE status = 'completed' ORDER BY id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let to = match to {
            Some(t) => t,
            None => *completed
                .last()
                .ok_or_else(|| StoreError::Invalid("no completed scan to compare".into()))?,
        };
        let from = match from {
            Some(f) => f,
            None => *completed.iter().rev().find(|&&i| i < to).ok_or_else(|| {
                StoreError::Invalid("only one completed scan: nothing to compare with".into())
            })?,
        };
        for id in [from, to] {
            let exists: Option<i64> = self
                .conn
                .query_row("SELECT id FROM scans WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                return Err(StoreError::Invalid(format!(
                    "no scan {id} (see `credence scans`)"
                )));
            }
        }
        let before: Vec<Finding> = self
            .findings_of_scan(from)?
            .into_iter()
            .map(|s| s.finding)
            .collect();
        let after: Vec<Finding> = self
            .findings_of_scan(to)?
            .into_iter()
            .map(|s| s.finding)
            .collect();
        let before_ids: HashMap<&str, &Finding> =
            before.iter().map(|f| (f.id.as_str(), f)).collect();
        let after_ids: HashMap<&str, &Finding> = after.iter().map(|f| (f.id.as_str(), f)).collect();
        let place = |f: &Finding| {
            (
                f.root.clone(),
                f.path.clone(),
                f.member.clone(),
                f.sheet.clone(),
                f.cell.clone(),
                f.line,
                f.rule.clone(),
            )
        };
        let mut gone_by_place: HashMap<_, Vec<&Finding>> = HashMap::new();
        for f in before
            .iter()
            .filter(|f| !after_ids.contains_key(f.id.as_str()))
        {
            gone_by_place.entry(place(f)).or_default().push(f);
        }
        let mut new = Vec::new();
        let mut changed = Vec::new();
        for f in after
            .iter()
            .filter(|f| !before_ids.contains_key(f.id.as_str()))
        {
            match gone_by_place.get_mut(&place(f)).and_then(|v| v.pop()) {
                Some(old) => changed.push((old.clone(), f.clone())),
                None => new.push(f.clone()),
            }
        }
        let mut gone: Vec<Finding> = gone_by_place.into_values().flatten().cloned().collect();
        gone.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Ok(Diff {
            from,
            to,
            new,
            gone,
            changed,
        })
    }
}

/// `credence findings` filters; all optional, all must hold.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    /// Default: the latest completed scan.
    pub scan: Option<i64>,
    pub status: Option<String>,
    /// Exposure zone or the zone of what it unlocks.
    pub zone: Option<String>,
    pub privileged: bool,
    /// Rule id, or a prefix of it ending in `.` or `*`.
    pub rule: Option<String>,
}

/// A stored finding with the zones it sits in and opens.
#[derive(Debug, Clone, Serialize)]
pub struct ListedFinding {
    #[serde(flatten)]
    pub stored: StoredFinding,
    pub exposure_zone: String,
    pub target_zone: String,
}

impl Engagement {
    pub fn list_findings(&self, filter: &FindingFilter) -> Result<Vec<ListedFinding>> {
        if let Some(s) = &filter.status
            && !TRIAGE.contains(&s.as_str())
        {
            return Err(StoreError::Invalid(format!(
                "unknown status '{s}' ({})",
                TRIAGE.join(", ")
            )));
        }
        let zones = self.zone_map()?;
        if let Some(z) = &filter.zone
            && zones.zone(z).is_none()
        {
            return Err(StoreError::Invalid(format!(
                "no zone '{z}' (see `credence zones list`)"
            )));
        }
        let scan = match filter.scan {
            Some(s) => s,
            None => match self.latest_scan()? {
                Some(s) => s,
                None => return Ok(Vec::new()),
            },
        };
        let mut out = Vec::new();
        for s in self.findings_of_scan(scan)? {
            let f = &s.finding;
            if filter.status.as_ref().is_some_and(|st| *st != s.status)
                || (filter.privileged && !f.has_flag(crate::finding::Flag::Privileged))
            {
                continue;
            }
            if let Some(r) = &filter.rule {
                let prefix = r.trim_end_matches('*');
                let ok = if r.ends_with('*') || r.ends_with('.') {
                    f.rule.starts_with(prefix)
                } else {
                    f.rule == *r
                };
                if !ok {
                    continue;
                }
            }
            let (exposure_zone, target_zone) = crate::identity::zones_of(f, &zones);
            if filter
                .zone
                .as_ref()
                .is_some_and(|z| *z != exposure_zone && *z != target_zone)
            {
                continue;
            }
            out.push(ListedFinding {
                stored: s,
                exposure_zone,
                target_zone,
            });
        }
        Ok(out)
    }
}
