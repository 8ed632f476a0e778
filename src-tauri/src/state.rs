//! What the app holds between commands: the open engagement (one at a time) with its
//! unlocked key and a cache of the current scan's findings, the paths the user granted,
//! the running scan, and where the app keeps its own small files (recent list).

use crate::error::{CmdResult, CommandError};
use crate::findings_view::Row;
use crate::validate::Grants;
use credence::identity::Analysis;
use credence::store::Engagement;
use credence::vault::FingerprintKey;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};

/// Where the app keeps its files and finds the sample data. Tests point these at
/// temporary folders.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// Recent list, the sample engagement.
    pub data: PathBuf,
    /// Default folder for new engagements.
    pub engagements: PathBuf,
    /// The bundled `sample-data/` folder, when present.
    pub sample_data: Option<PathBuf>,
}

pub struct AppState {
    pub dirs: Dirs,
    pub session: Mutex<Option<Session>>,
    pub grants: Mutex<Grants>,
    pub scan: Mutex<Option<RunningScan>>,
    /// Background jobs other than the scan (`register`, `report`), one of each at a time.
    pub jobs: Mutex<std::collections::BTreeSet<&'static str>>,
    /// `--sample` on the command line: the start screen opens the sample engagement.
    pub open_sample_on_start: bool,
    /// Try the OS keyring for engagement keys (tests turn it off).
    pub use_keyring: bool,
    /// Rebuild the native menu when the recent list changes (off on Tauri's mock
    /// runtime, which has no GTK window).
    pub native_menu: bool,
}

/// The open engagement.
pub struct Session {
    pub path: PathBuf,
    pub eng: Engagement,
    pub key: FingerprintKey,
    /// How the key was unlocked, for the status bar ("engagement key from the OS keyring").
    pub key_note: String,
    pub cache: Option<FindingsCache>,
    /// Walk-level problems of the last scan run in this session (not persisted by the
    /// library: folders that could not be listed).
    pub walk_errors: Vec<credence::scan::FileIssue>,
}

/// The findings of one scan, with zones and triage, kept in memory so the findings
/// table asks for windows of rows without reading the file again.
pub struct FindingsCache {
    pub scan: i64,
    pub rows: Vec<Row>,
    pub view: Option<(
        crate::findings_view::Query,
        Vec<crate::findings_view::Entry>,
    )>,
    pub analysis: Option<Analysis>,
}

/// A scan running on a background thread.
pub struct RunningScan {
    pub engagement: PathBuf,
    pub progress: Arc<credence::scan::Progress>,
}

impl RunningScan {
    pub fn cancel(&self) {
        self.progress.cancel.store(true, Ordering::Relaxed);
    }
}

impl AppState {
    pub fn new(dirs: Dirs, open_sample_on_start: bool, use_keyring: bool) -> AppState {
        AppState {
            dirs,
            use_keyring,
            native_menu: true,
            session: Mutex::new(None),
            grants: Mutex::new(Grants::default()),
            scan: Mutex::new(None),
            jobs: Mutex::new(Default::default()),
            open_sample_on_start,
        }
    }

    /// The session lock. A poisoned lock (a panic in another command) is recovered:
    /// the engagement file itself is consistent (every write is a transaction).
    pub fn session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn grants(&self) -> MutexGuard<'_, Grants> {
        self.grants.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn jobs(&self) -> MutexGuard<'_, std::collections::BTreeSet<&'static str>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks a background job as started; refused while the same job runs.
    pub fn begin_job(&self, job: &'static str) -> CmdResult<()> {
        if !self.jobs().insert(job) {
            return Err(CommandError::new(
                crate::error::ErrorKind::Busy,
                format!("the {job} is already being generated"),
            ));
        }
        Ok(())
    }

    pub fn end_job(&self, job: &'static str) {
        self.jobs().remove(job);
    }

    pub fn running(&self) -> MutexGuard<'_, Option<RunningScan>> {
        self.scan.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the open session, or says none is open.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> CmdResult<T>) -> CmdResult<T> {
        let mut guard = self.session();
        let s = guard.as_mut().ok_or_else(CommandError::no_engagement)?;
        f(s)
    }

    pub fn recent_file(&self) -> PathBuf {
        self.dirs.data.join("recent.json")
    }

    pub fn sample_engagement(&self) -> PathBuf {
        self.dirs
            .data
            .join("sample")
            .join("brightwater-sample.credence")
    }
}

/// One entry of File > Open Recent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recent {
    pub path: String,
    pub client: String,
    pub site: String,
    pub opened: String,
}

pub const MAX_RECENT: usize = 10;

pub fn read_recent(file: &Path) -> Vec<Recent> {
    std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Puts `entry` first, dropping an older entry for the same file; keeps ten.
pub fn remember(file: &Path, entry: Recent) -> std::io::Result<Vec<Recent>> {
    let mut list = read_recent(file);
    list.retain(|r| r.path != entry.path);
    list.insert(0, entry);
    list.truncate(MAX_RECENT);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        file,
        serde_json::to_vec_pretty(&list).expect("recent list serialises"),
    )?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list_keeps_ten_newest_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("recent.json");
        assert!(read_recent(&f).is_empty());
        for i in 0..12 {
            remember(
                &f,
                Recent {
                    path: format!("/e/{i}.credence"),
                    client: "c".into(),
                    site: "s".into(),
                    opened: String::new(),
                },
            )
            .unwrap();
        }
        let again = Recent {
            path: "/e/5.credence".into(),
            client: "c".into(),
            site: "s".into(),
            opened: String::new(),
        };
        let list = remember(&f, again).unwrap();
        assert_eq!(list.len(), MAX_RECENT);
        assert_eq!(list[0].path, "/e/5.credence");
        assert_eq!(list.iter().filter(|r| r.path == "/e/5.credence").count(), 1);
        assert_eq!(list[1].path, "/e/11.credence");
        std::fs::write(&f, "not json").unwrap();
        assert!(read_recent(&f).is_empty(), "a damaged list is an empty one");
    }
}
