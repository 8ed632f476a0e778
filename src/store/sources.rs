//! An engagement's sources (the folders and files it scans) and the per-file problems a
//! scan recorded. Sources are canonical paths, so the desktop app and the CLI agree on
//! what a re-scan of "the same source" is.

use super::{Engagement, Result, StoreError, now, touch};
use rusqlite::params;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    pub id: i64,
    pub root: String,
    pub added: String,
}

/// A file a scan could not read or parse, with the reason.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileProblem {
    pub root: String,
    pub path: String,
    pub reason: String,
}

impl Engagement {
    /// Every source, in the order they were added.
    pub fn sources(&self) -> Result<Vec<Source>> {
        let mut st = self
            .conn
            .prepare("SELECT id, root, added FROM sources ORDER BY id")?;
        let rows = st.query_map([], |r| {
            Ok(Source {
                id: r.get(0)?,
                root: r.get(1)?,
                added: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a source (a no-op when it is already there). The caller passes a canonical
    /// path; returns true when it was new.
    pub fn add_source(&mut self, root: &str) -> Result<bool> {
        if root.trim().is_empty() {
            return Err(StoreError::Invalid("a source needs a path".into()));
        }
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO sources (root, added) VALUES (?1, ?2)",
            params![root, now()],
        )?;
        touch(&tx)?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Removes a source by id. Scans and findings already recorded from it stay (they
    /// are the engagement's history); the next scan no longer reads it.
    pub fn remove_source(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM sources WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(StoreError::Invalid(format!("no source with id {id}")));
        }
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The files one scan recorded as errors (unreadable, corrupt, refused), by path.
    pub fn file_problems(&self, scan: i64) -> Result<Vec<FileProblem>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT f.root, f.path, coalesce(f.reason, '') FROM scan_files sf JOIN files f ON f.id = sf.file_id
             WHERE sf.scan_id = {} AND f.status = 'error' ORDER BY f.root, f.path",
            super::schema::ROWS_OF
        ))?;
        let rows = st.query_map([scan], |r| {
            Ok(FileProblem {
                root: r.get(0)?,
                path: r.get(1)?,
                reason: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Engagement, NewEngagement};
    use crate::vault::VaultRecord;

    fn engagement(dir: &std::path::Path) -> Engagement {
        let rec = VaultRecord {
            protection: "keyring".into(),
            kdf: None,
            salt: None,
            nonce: None,
            wrapped: None,
            key_check: "check".into(),
        };
        let meta = NewEngagement {
            client: "Example Water".into(),
            site: "Plant 1".into(),
            ..Default::default()
        };
        Engagement::create(&dir.join("e.credence"), &meta, "uid", &rec).unwrap()
    }

    #[test]
    fn sources_are_added_once_listed_in_order_and_removed_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut e = engagement(dir.path());
        assert!(e.add_source("/data/it-share").unwrap());
        assert!(e.add_source("/data/eng-share").unwrap());
        assert!(
            !e.add_source("/data/it-share").unwrap(),
            "second add is a no-op"
        );
        let roots: Vec<String> = e.sources().unwrap().into_iter().map(|s| s.root).collect();
        assert_eq!(roots, ["/data/it-share", "/data/eng-share"]);
        let first = e.sources().unwrap()[0].id;
        e.remove_source(first).unwrap();
        assert_eq!(e.sources().unwrap().len(), 1);
        assert!(e.remove_source(first).is_err(), "an unknown id is an error");
        assert!(e.add_source("  ").is_err());
    }
}
