//! The engagement file (`*.credence`): one SQLite file holding an assessment —
//! metadata, how the key is protected, sources, scans, per-file records, findings with
//! triage, zones and their rules, identity metrics per scan.
//!
//! Invariants:
//! - never a plaintext secret: findings are stored as records (masked preview + keyed
//!   fingerprint), the key itself is in the OS keyring or wrapped with a passphrase;
//! - WAL journal, foreign keys on, every write inside a transaction;
//! - a file this binary does not understand (not SQLite, another application's
//!   SQLite, a newer schema, corrupt) is refused before anything is written to it.

pub mod assessment;
mod previous;
pub mod query;
pub mod risks;
pub mod scan;
pub mod schema;
mod snapshot;
pub mod sources;
pub mod zones;

use crate::vault::{VaultError, VaultRecord};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: no such engagement file (create one with `credence new`)")]
    NotFound(PathBuf),
    #[error("{0}: already exists; refusing to overwrite an engagement file")]
    Exists(PathBuf),
    #[error("{0}: not an engagement file (not an SQLite database); left untouched")]
    NotSqlite(PathBuf),
    #[error(
        "{0}: an SQLite database of another application, not a Credence engagement; left untouched"
    )]
    Foreign(PathBuf),
    #[error("{0}: damaged engagement file ({1}); left untouched")]
    Corrupt(PathBuf, String),
    #[error(
        "{path}: made by a newer Credence (schema version {found}; this binary knows up to {known}); left untouched — upgrade Credence to open it"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "engagement file is locked by another process (another scan running?); try again when it has finished"
    )]
    Locked,
    #[error("{0}")]
    Invalid(String),
    #[error("engagement file: {0}")]
    Sql(rusqlite::Error),
    #[error("{0}")]
    Vault(#[from] VaultError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::*;
        match e.sqlite_error_code() {
            Some(DatabaseBusy) | Some(DatabaseLocked) => StoreError::Locked,
            _ => StoreError::Sql(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What `credence new` asks for.
#[derive(Debug, Clone, Default)]
pub struct NewEngagement {
    pub client: String,
    pub site: String,
    pub assessor: Option<String>,
    pub marking: Option<String>,
}

/// The engagement row.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub uid: String,
    pub client: String,
    pub site: String,
    pub assessor: Option<String>,
    pub marking: Option<String>,
    pub created: String,
    pub updated: String,
}

pub struct Engagement {
    pub(crate) conn: Connection,
    path: PathBuf,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

pub(crate) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(2000))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

impl Engagement {
    /// Creates a new engagement file with default zones and the given key protection.
    pub fn create(
        path: &Path,
        meta: &NewEngagement,
        uid: &str,
        vault: &VaultRecord,
    ) -> Result<Engagement> {
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        let _: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        let mut e = Engagement {
            conn,
            path: path.to_path_buf(),
        };
        e.migrate(0)?;
        let tx = e.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT INTO engagement (id, uid, client, site, assessor, marking, created, updated)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![
                uid,
                meta.client,
                meta.site,
                meta.assessor,
                meta.marking,
                now
            ],
        )?;
        write_vault(&tx, vault)?;
        zones::insert_defaults(&tx)?;
        tx.commit()?;
        Ok(e)
    }

    /// Opens an existing engagement file, migrating an older schema forward. Refuses,
    /// without writing, anything it does not understand.
    pub fn open(path: &Path) -> Result<Engagement> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut head = [0u8; 16];
        match std::fs::File::open(path) {
            Ok(mut f) => {
                use std::io::Read;
                let n = f.read(&mut head).map_err(io)?;
                if n < 16 || &head != SQLITE_MAGIC {
                    return Err(StoreError::NotSqlite(path.to_path_buf()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound(path.to_path_buf()));
            }
            Err(e) => return Err(io(e)),
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        // Reads only until the file is known to be ours and not newer than us.
        let corrupt = |e: rusqlite::Error| match StoreError::from(e) {
            StoreError::Locked => StoreError::Locked,
            StoreError::Sql(e) => StoreError::Corrupt(path.to_path_buf(), e.to_string()),
            other => other,
        };
        let app: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(corrupt)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(corrupt)?;
        if app != schema::APPLICATION_ID {
            return Err(StoreError::Foreign(path.to_path_buf()));
        }
        if version > schema::LATEST {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: schema::LATEST,
            });
        }
        let has_engagement: Option<String> = conn
            .query_row("SELECT uid FROM engagement WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map_err(corrupt)?;
        if has_engagement.is_none() {
            return Err(StoreError::Corrupt(
                path.to_path_buf(),
                "no engagement record".into(),
            ));
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(corrupt)?;
        if mode != "wal" {
            return Err(StoreError::Invalid(format!(
                "{}: could not switch to WAL ({mode})",
                path.display()
            )));
        }
        let mut e = Engagement {
            conn,
            path: path.to_path_buf(),
        };
        if version < schema::LATEST {
            e.migrate(version)?;
        }
        Ok(e)
    }

    /// Applies every migration after `from`, each in its own transaction.
    fn migrate(&mut self, from: i64) -> Result<()> {
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    pub fn meta(&self) -> Result<Meta> {
        Ok(self.conn.query_row(
            "SELECT uid, client, site, assessor, marking, created, updated FROM engagement WHERE id = 1",
            [],
            |r| {
                Ok(Meta {
                    uid: r.get(0)?,
                    client: r.get(1)?,
                    site: r.get(2)?,
                    assessor: r.get(3)?,
                    marking: r.get(4)?,
                    created: r.get(5)?,
                    updated: r.get(6)?,
                })
            },
        )?)
    }

    pub fn vault_record(&self) -> Result<VaultRecord> {
        Ok(self.conn.query_row(
            "SELECT protection, kdf, salt, nonce, wrapped, key_check FROM vault WHERE id = 1",
            [],
            |r| {
                Ok(VaultRecord {
                    protection: r.get(0)?,
                    kdf: r.get(1)?,
                    salt: r.get(2)?,
                    nonce: r.get(3)?,
                    wrapped: r.get(4)?,
                    key_check: r.get(5)?,
                })
            },
        )?)
    }

    pub fn set_vault_record(&mut self, v: &VaultRecord) -> Result<()> {
        let tx = self.conn.transaction()?;
        write_vault(&tx, v)?;
        touch(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let r: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if r == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(self.path.clone(), r))
        }
    }
}

fn write_vault(tx: &rusqlite::Transaction<'_>, v: &VaultRecord) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO vault (id, protection, kdf, salt, nonce, wrapped, key_check)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![v.protection, v.kdf, v.salt, v.nonce, v.wrapped, v.key_check],
    )?;
    Ok(())
}

pub(crate) fn touch(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE engagement SET updated = ?1 WHERE id = 1",
        params![now()],
    )?;
    Ok(())
}
