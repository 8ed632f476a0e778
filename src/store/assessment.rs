//! Thin queries for the maturity assessment's tables (`schema::ASSESS_SQL`). Rules
//! (what applies, what is valid, how it scores) live in `crate::assess`; this file only
//! reads and writes rows, each write in one transaction.

use super::{Engagement, Result, now, touch};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// One assessment round of a model in this engagement.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AssessmentRow {
    pub id: i64,
    pub model_id: String,
    pub model_version: String,
    pub label: String,
    pub started: String,
    pub updated: String,
}

/// An answer as stored: `zone` is `None` for the practice as a whole.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnswerRow {
    pub practice_id: String,
    pub zone: Option<String>,
    /// `fully`, `largely`, `partially`, `not`, `not_applicable`, `unknown`.
    pub answer: String,
    pub note: Option<String>,
    pub answered_at: String,
}

/// A file attached as evidence to a practice (its content is kept once by hash).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EvidenceRow {
    pub practice_id: String,
    pub zone: Option<String>,
    pub hash: String,
    pub name: String,
    pub size: i64,
    pub added: String,
}

/// Everything an import writes at once.
#[derive(Debug, Clone, Default)]
pub struct AnswerBatch {
    pub answers: Vec<AnswerRow>,
    pub applicability: Vec<(String, bool)>,
    pub targets: Vec<(String, u8)>,
    /// (practice, zone, hash, name) of files already stored in the engagement.
    pub evidence: Vec<(String, Option<String>, String, String)>,
}

fn zone_key(zone: Option<&str>) -> &str {
    zone.unwrap_or("")
}

fn zone_of(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

const ROW: &str = "SELECT id, model_id, model_version, label, started, updated FROM assessments";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AssessmentRow> {
    Ok(AssessmentRow {
        id: r.get(0)?,
        model_id: r.get(1)?,
        model_version: r.get(2)?,
        label: r.get(3)?,
        started: r.get(4)?,
        updated: r.get(5)?,
    })
}

impl Engagement {
    pub fn create_assessment(&mut self, model_id: &str, version: &str, label: &str) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT INTO assessments (model_id, model_version, label, started, updated)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![model_id, version, label, now],
        )?;
        let id = tx.last_insert_rowid();
        touch(&tx)?;
        tx.commit()?;
        Ok(id)
    }

    /// Every assessment round, oldest first.
    pub fn assessments(&self) -> Result<Vec<AssessmentRow>> {
        let mut st = self.conn.prepare(&format!("{ROW} ORDER BY id"))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn assessment(&self, id: i64) -> Result<Option<AssessmentRow>> {
        Ok(self
            .conn
            .query_row(&format!("{ROW} WHERE id = ?1"), [id], row)
            .optional()?)
    }

    pub fn assessment_answers(&self, id: i64) -> Result<Vec<AnswerRow>> {
        let mut st = self.conn.prepare(
            "SELECT practice_id, zone, answer, note, answered_at FROM assessment_answers
             WHERE assessment_id = ?1 ORDER BY practice_id, zone",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(AnswerRow {
                practice_id: r.get(0)?,
                zone: zone_of(r.get(1)?),
                answer: r.get(2)?,
                note: r.get(3)?,
                answered_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn assessment_applicability(&self, id: i64) -> Result<BTreeMap<String, bool>> {
        let mut st = self.conn.prepare(
            "SELECT question_id, applies FROM assessment_applicability WHERE assessment_id = ?1",
        )?;
        let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn assessment_targets(&self, id: i64) -> Result<BTreeMap<String, u8>> {
        let mut st = self
            .conn
            .prepare("SELECT domain_id, level FROM assessment_targets WHERE assessment_id = ?1")?;
        let rows = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u8>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn assessment_evidence(&self, id: i64) -> Result<Vec<EvidenceRow>> {
        let mut st = self.conn.prepare(
            "SELECT e.practice_id, e.zone, e.hash, e.name, f.size, e.added
             FROM assessment_evidence e JOIN evidence_files f ON f.hash = e.hash
             WHERE e.assessment_id = ?1 ORDER BY e.practice_id, e.zone, e.name",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(EvidenceRow {
                practice_id: r.get(0)?,
                zone: zone_of(r.get(1)?),
                hash: r.get(2)?,
                name: r.get(3)?,
                size: r.get(4)?,
                added: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether an evidence file with this content hash is stored.
    pub fn has_evidence_file(&self, hash: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM evidence_files WHERE hash = ?1",
                [hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The stored content of an evidence file.
    pub fn evidence_content(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT content FROM evidence_files WHERE hash = ?1",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Writes a batch (answers replace the same practice and zone; the rest is kept):
    /// all of it or, on any error, nothing.
    pub fn write_assessment_batch(&mut self, id: i64, b: &AnswerBatch) -> Result<()> {
        let tx = self.conn.transaction()?;
        for a in &b.answers {
            tx.execute(
                "INSERT OR REPLACE INTO assessment_answers
                 (assessment_id, practice_id, zone, answer, note, answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    a.practice_id,
                    zone_key(a.zone.as_deref()),
                    a.answer,
                    a.note,
                    a.answered_at
                ],
            )?;
        }
        for (q, applies) in &b.applicability {
            tx.execute(
                "INSERT OR REPLACE INTO assessment_applicability (assessment_id, question_id, applies)
                 VALUES (?1, ?2, ?3)",
                params![id, q, applies],
            )?;
        }
        for (d, level) in &b.targets {
            tx.execute(
                "INSERT OR REPLACE INTO assessment_targets (assessment_id, domain_id, level)
                 VALUES (?1, ?2, ?3)",
                params![id, d, level],
            )?;
        }
        for (p, z, hash, name) in &b.evidence {
            tx.execute(
                "INSERT OR REPLACE INTO assessment_evidence (assessment_id, practice_id, zone, hash, name, added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, p, zone_key(z.as_deref()), hash, name, now()],
            )?;
        }
        tx.execute(
            "UPDATE assessments SET updated = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Clears an answer (the practice becomes unanswered again).
    pub fn clear_assessment_answer(
        &mut self,
        id: i64,
        practice: &str,
        zone: Option<&str>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM assessment_answers WHERE assessment_id = ?1 AND practice_id = ?2 AND zone = ?3",
            params![id, practice, zone_key(zone)],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores a file's content once by hash and links it to a practice.
    pub fn attach_evidence_file(
        &mut self,
        id: i64,
        practice: &str,
        zone: Option<&str>,
        name: &str,
        hash: &str,
        content: &[u8],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT OR IGNORE INTO evidence_files (hash, size, content, added) VALUES (?1, ?2, ?3, ?4)",
            params![hash, content.len() as i64, content, now],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO assessment_evidence (assessment_id, practice_id, zone, hash, name, added)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, practice, zone_key(zone), hash, name, now],
        )?;
        tx.execute(
            "UPDATE assessments SET updated = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }
}
