//! Reports screen: generate the board PDF or the XLSX workbook (as `credence report`
//! does, on a background thread, `report-ready` event), show what a PDF holds inside
//! the app, open it in the system viewer, save a copy with the native save dialog.
//!
//! Reports are written to the engagement's output folder, `<engagement>-reports/`
//! beside the engagement file. The UI names a report by its file name only; the name
//! must be one this folder holds, so no other path is ever read or opened.
//!
//! In-app preview: `report_pdf` hands the PDF's bytes to the UI, which draws its pages
//! with the bundled pdf.js (no frame or object source: the CSP allows neither). The
//! outline read back with lopdf (title, page count, each page's heading) stays beside
//! it, and the system viewer is one click away. A report holds no secret in clear
//! (the report tests search every byte), so its bytes may cross IPC.

use super::risks::gather;
use crate::error::{CmdResult, CommandError, ErrorKind};
use crate::state::AppState;
use crate::validate;
use credence::report::{pdf, xlsx};
use credence::store::Engagement;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

pub const READY_EVENT: &str = "report-ready";
const JOB: &str = "report";

/// The engagement's output folder: `<folder>/<stem>-reports/`.
pub fn output_dir(engagement: &Path) -> PathBuf {
    let dir = engagement
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let stem = engagement
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "engagement".into());
    dir.join(format!("{stem}-reports"))
}

/// What a PDF holds, read back from the file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PdfOutline {
    pub title: String,
    pub pages: usize,
    /// Per page, its first heading line (the running header left out).
    pub sections: Vec<String>,
}

/// One file of the output folder.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFile {
    pub name: String,
    /// pdf or xlsx.
    pub kind: String,
    pub bytes: u64,
    pub modified: String,
    pub outline: Option<PdfOutline>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportReady {
    pub engagement: String,
    pub ok: bool,
    pub file: Option<ReportFile>,
    pub elapsed_ms: u64,
    /// What the report lacks (no scan, no assessment), or why it failed.
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ReportsView {
    pub folder: String,
    pub files: Vec<ReportFile>,
    pub generating: bool,
}

fn text_of(o: &lopdf::Object) -> Option<String> {
    match o {
        lopdf::Object::String(b, _) => Some(match b.strip_prefix(&[0xFE, 0xFF]) {
            Some(utf16) => {
                let units: Vec<u16> = utf16
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            }
            None => String::from_utf8_lossy(b).into_owned(),
        }),
        _ => None,
    }
}

/// Title (document info), page count and each page's heading, from the PDF bytes.
pub fn outline(bytes: &[u8]) -> CmdResult<PdfOutline> {
    let doc = lopdf::Document::load_mem(bytes)
        .map_err(|e| CommandError::new(ErrorKind::Io, format!("cannot read the PDF: {e}")))?;
    let title = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| doc.dereference(i).ok())
        .and_then(|(_, o)| o.as_dict().ok().cloned())
        .and_then(|d| d.get(b"Title").ok().and_then(text_of))
        .unwrap_or_default();
    let pages = doc.get_pages();
    let mut sections = Vec::new();
    for n in pages.keys() {
        let text = doc.extract_text(&[*n]).unwrap_or_default();
        // Line 1 is the running header (marking, client); the heading comes next.
        let heading = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .find(|l| !title.contains(*l) && l.chars().any(char::is_alphabetic))
            .unwrap_or("")
            .chars()
            .take(120)
            .collect::<String>();
        sections.push(heading);
    }
    Ok(PdfOutline {
        title,
        pages: pages.len(),
        sections,
    })
}

fn describe(path: &Path) -> Option<ReportFile> {
    let name = path.file_name()?.to_str()?.to_string();
    let kind = match path.extension()?.to_str()? {
        "pdf" => "pdf",
        "xlsx" => "xlsx",
        _ => return None,
    };
    let meta = std::fs::metadata(path).ok()?;
    let modified: chrono::DateTime<chrono::Utc> = meta.modified().ok()?.into();
    let outline = (kind == "pdf")
        .then(|| std::fs::read(path).ok().and_then(|b| outline(&b).ok()))
        .flatten();
    Some(ReportFile {
        name,
        kind: kind.into(),
        bytes: meta.len(),
        modified: modified.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        outline,
    })
}

fn list(folder: &Path) -> Vec<ReportFile> {
    let mut files: Vec<ReportFile> = std::fs::read_dir(folder)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| describe(&e.path()))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.name.cmp(&b.name)));
    files
}

/// The reports already written for the open engagement, newest first.
#[tauri::command]
pub fn list_reports(state: State<'_, AppState>) -> CmdResult<ReportsView> {
    let folder = state.with_session(|s| Ok(output_dir(&s.path)))?;
    Ok(ReportsView {
        folder: folder.display().to_string(),
        files: list(&folder),
        generating: state.jobs().contains(JOB),
    })
}

/// A report named by the UI: a plain file name the output folder holds.
fn named(state: &AppState, name: &str) -> CmdResult<PathBuf> {
    let folder = state.with_session(|s| Ok(output_dir(&s.path)))?;
    let plain = !name.is_empty()
        && name.len() <= 200
        && !name.contains(['/', '\\', '\0'])
        && name != "."
        && name != ".."
        && (name.ends_with(".pdf") || name.ends_with(".xlsx"));
    let path = folder.join(name);
    if !plain || !path.is_file() {
        return Err(CommandError::invalid(format!(
            "'{}' is not a report of this engagement",
            name.chars().take(60).collect::<String>()
        )));
    }
    // The folder itself must not lead elsewhere (a link planted in its place).
    crate::validate::inside_sources(&path, &[folder])
}

/// Generates a report on a background thread; `report-ready` says when it is written.
/// `kind`: pdf or xlsx; `paper` (PDF): a4 or letter.
#[tauri::command]
pub fn generate_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    paper: Option<String>,
) -> CmdResult<bool> {
    let kind = validate::one_of("kind", &kind, &["pdf", "xlsx"])?;
    let paper = validate::one_of("paper", paper.as_deref().unwrap_or("a4"), &["a4", "letter"])?;
    let path = state.with_session(|s| Ok(s.path.clone()))?;
    state.begin_job(JOB)?;
    let spawned = std::thread::Builder::new()
        .name("credence-desktop-report".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            let event = match write_report(&path, kind, paper) {
                Ok((file, notes)) => ReportReady {
                    engagement: path.display().to_string(),
                    ok: true,
                    file: Some(file),
                    elapsed_ms: started.elapsed().as_millis() as u64,
                    notes,
                },
                Err(e) => ReportReady {
                    engagement: path.display().to_string(),
                    ok: false,
                    file: None,
                    elapsed_ms: started.elapsed().as_millis() as u64,
                    notes: vec![e.message],
                },
            };
            app.state::<AppState>().end_job(JOB);
            let _ = app.emit(READY_EVENT, event);
        });
    if let Err(e) = spawned {
        state.end_job(JOB);
        return Err(CommandError::new(
            ErrorKind::Io,
            format!("cannot start the report thread: {e}"),
        ));
    }
    Ok(true)
}

/// Regenerates the register, renders, writes `<stem>-<date>.<kind>` in the output folder.
pub fn write_report(
    engagement: &Path,
    kind: &str,
    paper: &str,
) -> CmdResult<(ReportFile, Vec<String>)> {
    let mut eng = Engagement::open(engagement)?;
    let data = gather(&mut eng)?;
    let bytes = match kind {
        "pdf" => pdf::render(&data, pdf::paper(paper).expect("a4 or letter"))
            .map_err(|e| CommandError::new(ErrorKind::Store, e.to_string()))?,
        _ => xlsx::render(&data).map_err(|e| CommandError::new(ErrorKind::Store, e.to_string()))?,
    };
    let folder = output_dir(engagement);
    std::fs::create_dir_all(&folder)
        .map_err(|e| CommandError::new(ErrorKind::Io, format!("{}: {e}", folder.display())))?;
    let stem = engagement
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = folder.join(format!("{stem}-{}.{kind}", data.as_of));
    // Written beside and renamed in, as the CLI does: a crash leaves the previous report whole.
    credence::output_file::write_atomically(&file, &bytes)
        .map_err(|e| CommandError::new(ErrorKind::Io, format!("{}: {e}", file.display())))?;
    let described = describe(&file).ok_or_else(|| {
        CommandError::new(ErrorKind::Io, format!("{} not written", file.display()))
    })?;
    Ok((described, data.missing()))
}

/// Saves a copy of a report where the user chooses (native save dialog). `None` when
/// the dialog was cancelled.
#[tauri::command]
pub async fn save_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
) -> CmdResult<Option<String>> {
    let from = named(&state, &name)?;
    let Some(to) = app
        .dialog()
        .file()
        .set_title("Save the report")
        .set_file_name(&name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    std::fs::copy(&from, &to)
        .map_err(|e| CommandError::new(ErrorKind::Io, format!("{}: {e}", to.display())))?;
    Ok(Some(to.display().to_string()))
}

/// The largest PDF the preview loads: a board report is tens of KB; a file this big in
/// the output folder is not one of ours, and a single IPC answer should stay small.
const PREVIEW_LIMIT: u64 = 64 * 1024 * 1024;

/// A PDF report's bytes, for the in-app preview (binary IPC answer, not JSON).
#[tauri::command]
pub fn report_pdf(state: State<'_, AppState>, name: String) -> CmdResult<tauri::ipc::Response> {
    let path = named(&state, &name)?;
    if !name.ends_with(".pdf") {
        return Err(CommandError::invalid(format!("'{name}' is not a PDF")));
    }
    let io = |e: std::io::Error| CommandError::new(ErrorKind::Io, format!("{name}: {e}"));
    if std::fs::metadata(&path).map_err(io)?.len() > PREVIEW_LIMIT {
        return Err(CommandError::invalid(format!(
            "'{name}' is too large to preview: open it in the system viewer"
        )));
    }
    Ok(tauri::ipc::Response::new(std::fs::read(&path).map_err(io)?))
}

/// Opens a report in the system's viewer (PDF reader, spreadsheet).
#[tauri::command]
pub fn open_report(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    let path = named(&state, &name)?;
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| {
        CommandError::new(ErrorKind::Io, format!("cannot open the system viewer: {e}"))
    })
}
