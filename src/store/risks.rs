//! The risk register in the engagement file. Each risk keeps the last generated
//! content (JSON: titles, counts, finding ids, masked labels; never a secret) apart
//! from what people changed, so a regeneration after a re-scan replaces the first and
//! never touches the second. A risk whose evidence is gone gets `evidence_gone` (shown
//! as resolved); it is never deleted, and reopens if its evidence comes back.

use super::{Engagement, Result, StoreError, now, touch};
use crate::risk::{Origin, RiskContent, Status};
use rusqlite::{OptionalExtension, params};

/// What a person changed on a risk; `None` = not changed (generation's value stands).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskEdits {
    pub title: Option<String>,
    pub description: Option<String>,
    pub treatment: Option<String>,
    pub owner: Option<String>,
    /// ISO date `YYYY-MM-DD`.
    pub due: Option<String>,
    pub status: Option<Status>,
    /// Why it was accepted, or how it was treated.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StoredRisk {
    pub id: String,
    pub content: RiskContent,
    pub first_seen: String,
    pub last_seen: String,
    pub evidence_gone: Option<String>,
    pub edits: RiskEdits,
}

/// Which kinds of evidence this regeneration looked at: a kind not looked at (no scan
/// yet, no assessment passed in) does not resolve the risks it made earlier.
#[derive(Debug, Clone, Copy)]
pub struct Looked {
    pub findings: bool,
    pub answers: bool,
}

fn origin_of(s: &str) -> Origin {
    match s {
        "gap" => Origin::Gap,
        "manual" => Origin::Manual,
        _ => Origin::Rule,
    }
}

/// Checks a date is `YYYY-MM-DD`.
pub fn check_date(d: &str) -> Result<()> {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::Invalid(format!("'{d}' is not a date (YYYY-MM-DD)")))
}

impl Engagement {
    pub fn stored_risks(&self) -> Result<Vec<StoredRisk>> {
        let mut st = self.conn.prepare(
            "SELECT id, content, first_seen, last_seen, evidence_gone, title, description, treatment,
                    owner, due, status, note FROM risks ORDER BY seq",
        )?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let content: String = r.get(1)?;
            let content: RiskContent = serde_json::from_str(&content)
                .map_err(|e| StoreError::Corrupt(self.path.clone(), format!("risk record: {e}")))?;
            let status: Option<String> = r.get(10)?;
            out.push(StoredRisk {
                id: r.get(0)?,
                content,
                first_seen: r.get(2)?,
                last_seen: r.get(3)?,
                evidence_gone: r.get(4)?,
                edits: RiskEdits {
                    title: r.get(5)?,
                    description: r.get(6)?,
                    treatment: r.get(7)?,
                    owner: r.get(8)?,
                    due: r.get(9)?,
                    status: status.as_deref().and_then(Status::parse),
                    note: r.get(11)?,
                },
            });
        }
        Ok(out)
    }

    /// Stores a regeneration (one transaction): new risks get the next id, known ones
    /// their new content, and risks of a kind `looked` at but no longer generated are
    /// marked `evidence_gone` on `today`.
    pub fn sync_risks(
        &mut self,
        generated: &[RiskContent],
        looked: Looked,
        today: &str,
    ) -> Result<()> {
        check_date(today)?;
        let tx = self.conn.transaction()?;
        let mut next: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM risks", [], |r| {
                r.get(0)
            })?;
        let mut seen = std::collections::HashSet::new();
        for c in generated {
            seen.insert(c.key.as_str());
            let json = serde_json::to_string(c).expect("risk content serialises");
            let n = tx.execute(
                "UPDATE risks SET content = ?2, origin = ?3, last_seen = ?4, evidence_gone = NULL WHERE key = ?1",
                params![c.key, json, c.origin.as_str(), today],
            )?;
            if n == 0 {
                tx.execute(
                    "INSERT INTO risks (id, seq, key, origin, content, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    params![
                        format!("R-{next:03}"),
                        next,
                        c.key,
                        c.origin.as_str(),
                        json,
                        today
                    ],
                )?;
                next += 1;
            }
        }
        let mut st = tx.prepare("SELECT key, origin FROM risks WHERE evidence_gone IS NULL")?;
        let gone: Vec<String> = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter(|(key, origin)| {
                let kind_looked = match origin_of(origin) {
                    Origin::Rule => looked.findings,
                    Origin::Gap => looked.answers,
                    Origin::Manual => false,
                };
                kind_looked && !seen.contains(key.as_str())
            })
            .map(|(key, _)| key)
            .collect();
        drop(st);
        for key in gone {
            tx.execute(
                "UPDATE risks SET evidence_gone = ?2 WHERE key = ?1",
                params![key, today],
            )?;
        }
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies a person's edits to risk `id` (fields left `None` keep their value; an
    /// empty string clears an edit back to the generated value).
    pub fn edit_risk(&mut self, id: &str, e: &RiskEdits, who: Option<&str>) -> Result<()> {
        if let Some(d) = e.due.as_deref().filter(|d| !d.is_empty()) {
            check_date(d)?;
        }
        let tx = self.conn.transaction()?;
        let exists: Option<String> = tx
            .query_row("SELECT id FROM risks WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Err(StoreError::Invalid(format!(
                "no risk with id '{id}' (see `credence register`)"
            )));
        }
        for (column, value) in [
            ("title", &e.title),
            ("description", &e.description),
            ("treatment", &e.treatment),
            ("owner", &e.owner),
            ("due", &e.due),
            ("note", &e.note),
        ] {
            if let Some(v) = value {
                let v = (!v.trim().is_empty()).then_some(v.as_str());
                tx.execute(
                    &format!("UPDATE risks SET {column} = ?2 WHERE id = ?1"),
                    params![id, v],
                )?;
            }
        }
        if let Some(s) = e.status {
            tx.execute(
                "UPDATE risks SET status = ?2 WHERE id = ?1",
                params![id, s.as_str()],
            )?;
        }
        tx.execute(
            "UPDATE risks SET edited_by = ?2, edited_at = ?3 WHERE id = ?1",
            params![id, who, now()],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a risk written by a person; returns its id.
    pub fn add_manual_risk(&mut self, content: &RiskContent, today: &str) -> Result<String> {
        check_date(today)?;
        if content.origin != Origin::Manual {
            return Err(StoreError::Invalid(
                "a manual risk has origin manual".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let seq: i64 = tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM risks", [], |r| {
            r.get(0)
        })?;
        let id = format!("R-{seq:03}");
        let mut c = content.clone();
        c.key = format!("manual:{seq}");
        tx.execute(
            "INSERT INTO risks (id, seq, key, origin, content, first_seen, last_seen)
             VALUES (?1, ?2, ?3, 'manual', ?4, ?5, ?5)",
            params![
                id,
                seq,
                c.key,
                serde_json::to_string(&c).expect("risk content serialises"),
                today
            ],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(id)
    }
}
