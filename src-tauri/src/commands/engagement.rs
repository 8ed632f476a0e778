//! Start screen and File menu: create, open (dialog, recent, sample), close.

use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::keys;
use crate::state::{AppState, Recent, Session, read_recent, remember};
use crate::validate;
use credence::store::{Engagement, Meta, NewEngagement};
use credence::vault::FingerprintKey;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub sample_available: bool,
    pub open_sample_on_start: bool,
    /// Where a new engagement is saved unless the user chooses.
    pub default_folder: String,
    pub recent: Vec<Recent>,
    /// The open engagement, when the UI reloads.
    pub open: Option<Opened>,
}

/// An engagement just opened: what the header and the overview show first.
#[derive(Debug, Clone, Serialize)]
pub struct Opened {
    pub path: String,
    pub meta: Meta,
    pub key_note: String,
    pub recent: Vec<Recent>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    let open = state.with_session(|s| opened(s, &state)).ok();
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        sample_available: state.dirs.sample_data.as_deref().is_some_and(Path::is_dir),
        open_sample_on_start: state.open_sample_on_start,
        default_folder: state.dirs.engagements.display().to_string(),
        recent: read_recent(&state.recent_file()),
        open,
    })
}

fn opened(s: &Session, state: &AppState) -> CmdResult<Opened> {
    Ok(Opened {
        path: s.path.display().to_string(),
        meta: s.eng.meta()?,
        key_note: s.key_note.clone(),
        recent: read_recent(&state.recent_file()),
    })
}

/// `ACME Water` + `Plant 3` → `acme-water-plant-3.credence`, not taken yet in `dir`.
pub fn default_file_name(dir: &Path, client: &str, site: &str) -> PathBuf {
    let slug: String = format!("{client} {site}")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(60).collect();
    let slug = if slug.is_empty() {
        "engagement".to_string()
    } else {
        slug
    };
    let mut p = dir.join(format!("{slug}.credence"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{slug}-{n}.credence"));
        n += 1;
    }
    p
}

/// Native save dialog for a new engagement file; the chosen path is granted.
#[tauri::command]
pub async fn choose_engagement_location<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    suggested_name: String,
) -> CmdResult<Option<String>> {
    let name = validate::line("file name", &suggested_name, 120)?;
    let _ = std::fs::create_dir_all(&state.dirs.engagements);
    let picked = app
        .dialog()
        .file()
        .set_title("Save the new engagement as")
        .add_filter("Credence engagement", &["credence"])
        .set_directory(&state.dirs.engagements)
        .set_file_name(name)
        .blocking_save_file();
    let Some(p) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let p = with_extension(p);
    state.grants().grant(&p);
    Ok(Some(p.display().to_string()))
}

fn with_extension(p: PathBuf) -> PathBuf {
    if p.extension().is_some_and(|e| e == "credence") {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(".credence");
        PathBuf::from(s)
    }
}

/// Native open dialog for an engagement file; the chosen path is granted.
#[tauri::command]
pub async fn choose_engagement_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Open an engagement")
        .add_filter("Credence engagement", &["credence"])
        .blocking_pick_file();
    let Some(p) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    state.grants().grant(&p);
    Ok(Some(p.display().to_string()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEngagementInput {
    pub client: String,
    pub site: String,
    #[serde(default)]
    pub assessor: Option<String>,
    #[serde(default)]
    pub marking: Option<String>,
    /// A path from `choose_engagement_location`, or none for the default folder.
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub passphrase: Option<String>,
}

#[tauri::command]
pub async fn create_engagement<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: NewEngagementInput,
) -> CmdResult<Opened> {
    let meta = NewEngagement {
        client: validate::line("client", &input.client, 200)?,
        site: validate::line("site", &input.site, 200)?,
        assessor: validate::optional_line("assessor", input.assessor.as_deref(), 200)?,
        marking: validate::optional_line("marking", input.marking.as_deref(), 200)?,
    };
    let path = match input.location.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => with_extension(state.grants().check(l)?),
        None => {
            std::fs::create_dir_all(&state.dirs.engagements).map_err(|e| {
                CommandError::new(
                    ErrorKind::Io,
                    format!("{}: {e}", state.dirs.engagements.display()),
                )
            })?;
            default_file_name(&state.dirs.engagements, &meta.client, &meta.site)
        }
    };
    let key = create_file(&path, &meta, input.passphrase.as_deref(), state.use_keyring)?;
    finish_open(&app, &state, path, key)
}

/// Creates the file with a fresh key; returns the key and how it is protected.
fn create_file(
    path: &Path,
    meta: &NewEngagement,
    passphrase: Option<&str>,
    use_keyring: bool,
) -> CmdResult<(Engagement, FingerprintKey, String)> {
    if path.exists() {
        return Err(CommandError::invalid(format!(
            "{}: already exists; refusing to overwrite an engagement file",
            path.display()
        )));
    }
    let uid = hex::encode(&FingerprintKey::random()?.as_bytes()[..16]);
    let key = FingerprintKey::random()?;
    let (rec, note) = keys::protect_new(&uid, &key, passphrase, use_keyring)?;
    let eng = Engagement::create(path, meta, &uid, &rec)?;
    Ok((eng, key, note))
}

/// Opens `path` (chosen in a dialog, or from the recent list) and unlocks its key.
#[tauri::command]
pub async fn open_engagement<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    passphrase: Option<String>,
) -> CmdResult<Opened> {
    let in_recent = read_recent(&state.recent_file())
        .iter()
        .any(|r| r.path == path);
    let p = if in_recent {
        PathBuf::from(&path)
    } else {
        state.grants().check(&path)?
    };
    let eng = Engagement::open(&p)?;
    let (key, note) = keys::unlock_engagement(&eng, passphrase.as_deref(), state.use_keyring)?;
    finish_open(&app, &state, p, (eng, key, note))
}

/// The sample engagement over the bundled `sample-data/`: created on first use in the
/// app's data folder, opened afterwards. It is disposable: when its key is gone (a
/// keyring of another session), it is made again.
#[tauri::command]
pub async fn open_sample<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    passphrase: Option<String>,
) -> CmdResult<Opened> {
    let data = sample_data(&state)?;
    let path = state.sample_engagement();
    if path.exists() {
        let eng = Engagement::open(&path)?;
        match keys::unlock_engagement(&eng, passphrase.as_deref(), state.use_keyring) {
            Ok((key, note)) => return finish_open(&app, &state, path, (eng, key, note)),
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::PassphraseRequired | ErrorKind::WrongPassphrase
                ) =>
            {
                return Err(e);
            }
            Err(_) => {
                drop(eng);
                for ext in ["", "-wal", "-shm"] {
                    let mut s = path.clone().into_os_string();
                    s.push(ext);
                    let _ = std::fs::remove_file(PathBuf::from(s));
                }
            }
        }
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CommandError::new(ErrorKind::Io, format!("{}: {e}", dir.display())))?;
    }
    let meta = NewEngagement {
        client: "Brightwater Hydro & Grid (sample)".into(),
        site: "Hydro plant and substation".into(),
        assessor: Some("Credence sample".into()),
        marking: Some("SAMPLE - INVENTED DATA".into()),
    };
    let (mut eng, key, note) = create_file(&path, &meta, passphrase.as_deref(), state.use_keyring)?;
    eng.add_source(&data.display().to_string())?;
    finish_open(&app, &state, path, (eng, key, note))
}

/// The bundled sample-data folder, canonical.
pub fn sample_data(state: &AppState) -> CmdResult<PathBuf> {
    state
        .dirs
        .sample_data
        .as_deref()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .filter(|p| p.is_dir())
        .ok_or_else(|| CommandError::invalid("the sample data is not installed with this build"))
}

fn finish_open<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    path: PathBuf,
    (eng, key, key_note): (Engagement, FingerprintKey, String),
) -> CmdResult<Opened> {
    if state.running().is_some() {
        return Err(CommandError::new(
            ErrorKind::Busy,
            "a scan is running: cancel it before opening another engagement",
        ));
    }
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    let meta = eng.meta()?;
    let recent = remember(
        &state.recent_file(),
        Recent {
            path: path.display().to_string(),
            client: meta.client.clone(),
            site: meta.site.clone(),
            opened: chrono_now(),
        },
    )
    .unwrap_or_default();
    if state.native_menu {
        crate::menu::refresh(app, &recent);
    }
    *state.session() = Some(Session {
        path: path.clone(),
        eng,
        key,
        key_note: key_note.clone(),
        cache: None,
        walk_errors: Vec::new(),
    });
    Ok(Opened {
        path: path.display().to_string(),
        meta,
        key_note,
        recent,
    })
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tauri::command]
pub fn close_engagement(state: State<'_, AppState>) -> CmdResult<()> {
    if let Some(r) = state.running().as_ref() {
        r.cancel();
    }
    *state.session() = None;
    Ok(())
}

#[tauri::command]
pub fn recent_engagements(state: State<'_, AppState>) -> Vec<Recent> {
    read_recent(&state.recent_file())
        .into_iter()
        .filter(|r| Path::new(&r.path).exists())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_slugs_that_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = default_file_name(dir.path(), "ACME Water", "Plant 3 / North");
        assert_eq!(p.file_name().unwrap(), "acme-water-plant-3-north.credence");
        std::fs::write(&p, "x").unwrap();
        let p2 = default_file_name(dir.path(), "ACME Water", "Plant 3 / North");
        assert_eq!(
            p2.file_name().unwrap(),
            "acme-water-plant-3-north-2.credence"
        );
        let p3 = default_file_name(dir.path(), "../..", "//");
        assert_eq!(p3.file_name().unwrap(), "engagement.credence");
        assert_eq!(p3.parent().unwrap(), dir.path(), "never leaves the folder");
    }
}
