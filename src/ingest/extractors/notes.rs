//! Note stores and vault exports that are text files:
//! - Evernote `.enex`: each note's title is the label, its ENML content (tags
//!   dropped, blocks as lines) is prose; `line` is the line within the note.
//! - KeePass 2 XML export (`<KeePassFile>`): one finding per entry password (label =
//!   entry title, username, system = URL or title), notes as prose, plus one
//!   `credential_store` finding for the whole vault in clear. History entries are
//!   skipped (old passwords of the same entry).
//! - Bitwarden JSON export (unencrypted): the same; an encrypted export is reported
//!   "encrypted vault export, not scanned".
//!
//! - Windows Sticky Notes (`plum.sqlite`, any SQLite file with a `Note` table holding
//!   `Text`): opened **in memory** from the file's bytes (SQLite deserialize, read
//!   only), so nothing is ever written, not even a temporary copy. Each note is prose
//!   labelled `sticky note N` (in `Id` order); the `\id=...` paragraph markers are
//!   dropped. Only the main database file is read: changes still in `plum.sqlite-wal`
//!   are not. Other SQLite databases get a notice.
//!
//! Joplin `.jex` is a tar of markdown notes: the tar extractor reads it, each note
//! as prose labelled with its title (see `archive`).

use super::delimited::vault_finding;
use super::mail::strip_html;
use super::xml::{Ev, walk};
use crate::detect::RawFinding;
use crate::detect::filters::is_not_a_secret;
use crate::finding::{Category, Confidence};
use crate::ingest::{ExtractError, ExtractInput, Extractor, FileKind, Origin, Part, TextHint};
use crate::secret::{Secret, mask};

pub struct NotesExtractor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoteKind {
    Enex,
    KeePassXml,
    BitwardenJson,
}

fn kind_of(name: &str, head: &[u8]) -> Option<NoteKind> {
    let ext = super::ext_of(name);
    let has = |s: &[u8]| memchr::memmem::find(head, s).is_some();
    match ext.as_str() {
        "enex" => Some(NoteKind::Enex),
        "xml" if has(b"<KeePassFile") => Some(NoteKind::KeePassXml),
        "json" if has(b"\"items\"") && has(b"\"encrypted\"") => Some(NoteKind::BitwardenJson),
        _ => None,
    }
}

fn entry_finding(
    title: &str,
    user: &str,
    url: &str,
    password: &str,
    source: &str,
) -> Option<RawFinding> {
    if password.trim().is_empty() || is_not_a_secret(password) {
        return None;
    }
    let nonempty = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let system = nonempty(url).or_else(|| nonempty(title));
    let mut f = RawFinding::new(
        "vault.entry",
        "Password in a clear vault export",
        Category::Password,
        Confidence::High,
        Secret::new(password),
    )
    .with_user(nonempty(user))
    .with_system(system.clone())
    .specificity(85);
    f.label = nonempty(title);
    f.context = Some(format!(
        "{source} entry \"{}\": user={} password={}",
        title.chars().take(40).collect::<String>(),
        user.chars().take(40).collect::<String>(),
        mask(password)
    ));
    Some(f)
}

fn keepass(input: &ExtractInput<'_>, emit: &mut dyn FnMut(Part)) -> Result<(), ExtractError> {
    let mut entries = 0usize;
    let mut found: Vec<Part> = Vec::new();
    let (mut history, mut in_entry) = (0usize, 0usize);
    let (mut key, mut value, mut field) = (String::new(), String::new(), 0u8);
    let mut fields: Vec<(String, String)> = Vec::new();
    walk(input.bytes, "KeePass XML", |ev| {
        match ev {
            Ev::Start {
                name: b"History", ..
            } => history += 1,
            Ev::End { name: b"History" } => history = history.saturating_sub(1),
            Ev::Start { name: b"Entry", .. } if history == 0 => {
                in_entry += 1;
                fields.clear();
            }
            Ev::End { name: b"Entry" } if history == 0 && in_entry > 0 => {
                in_entry -= 1;
                entries += 1;
                let get = |k: &str| {
                    fields
                        .iter()
                        .find(|(a, _)| a == k)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("")
                };
                let title = get("Title").to_string();
                if let Some(f) = entry_finding(
                    &title,
                    get("UserName"),
                    get("URL"),
                    get("Password"),
                    "KeePass",
                ) {
                    found.push(Part::Finding {
                        origin: Origin::default(),
                        finding: Box::new(f),
                    });
                }
                let notes = get("Notes");
                if !notes.trim().is_empty() {
                    found.push(Part::Text {
                        origin: Origin {
                            label: Some(title),
                            ..Origin::default()
                        },
                        text: notes.to_string(),
                        first_line: 1,
                        hint: TextHint::Prose,
                    });
                }
            }
            Ev::Start { name: b"Key", .. } if in_entry > 0 && history == 0 => {
                key.clear();
                field = 1;
            }
            Ev::Start { name: b"Value", .. } if in_entry > 0 && history == 0 => {
                value.clear();
                field = 2;
            }
            Ev::End { name: b"Key" } => field = 0,
            Ev::End { name: b"Value" } if field == 2 => {
                field = 0;
                fields.push((key.clone(), std::mem::take(&mut value)));
            }
            Ev::Text(t) if field == 1 => key.push_str(t),
            Ev::Text(t) if field == 2 => value.push_str(t),
            _ => {}
        }
        true
    })?;
    let mut vault = vault_finding("KeePass XML export", entries, input.bytes);
    vault.line = Some(1);
    emit(Part::Finding {
        origin: Origin::default(),
        finding: Box::new(vault),
    });
    found.into_iter().for_each(emit);
    Ok(())
}

fn bitwarden(input: &ExtractInput<'_>, emit: &mut dyn FnMut(Part)) -> Result<(), ExtractError> {
    let v: serde_json::Value = serde_json::from_slice(input.bytes).map_err(|e| {
        super::corrupt(
            "Bitwarden JSON",
            format!("invalid JSON at line {}", e.line()),
        )
    })?;
    if v.get("encrypted").and_then(|e| e.as_bool()) == Some(true) {
        return Err(ExtractError::Encrypted {
            format: "vault export",
        });
    }
    let items = v
        .get("items")
        .and_then(|i| i.as_array())
        .cloned()
        .unwrap_or_default();
    let mut vault = vault_finding("Bitwarden JSON export", items.len(), input.bytes);
    vault.line = Some(1);
    emit(Part::Finding {
        origin: Origin::default(),
        finding: Box::new(vault),
    });
    let s = |v: Option<&serde_json::Value>| v.and_then(|x| x.as_str()).unwrap_or("").to_string();
    for item in &items {
        let name = s(item.get("name"));
        let login = item.get("login");
        let user = s(login.and_then(|l| l.get("username")));
        let pw = s(login.and_then(|l| l.get("password")));
        let uri = s(login
            .and_then(|l| l.get("uris"))
            .and_then(|u| u.get(0))
            .and_then(|u| u.get("uri")));
        if let Some(f) = entry_finding(&name, &user, &uri, &pw, "Bitwarden") {
            emit(Part::Finding {
                origin: Origin::default(),
                finding: Box::new(f),
            });
        }
        let notes = s(item.get("notes"));
        if !notes.trim().is_empty() {
            emit(Part::Text {
                origin: Origin {
                    label: Some(name),
                    ..Origin::default()
                },
                text: notes,
                first_line: 1,
                hint: TextHint::Prose,
            });
        }
    }
    Ok(())
}

fn enex(input: &ExtractInput<'_>, emit: &mut dyn FnMut(Part)) -> Result<(), ExtractError> {
    let (mut title, mut content, mut field) = (String::new(), String::new(), 0u8);
    let mut notes: Vec<(String, String)> = Vec::new();
    walk(input.bytes, "enex", |ev| {
        match ev {
            Ev::Start { name: b"note", .. } => {
                title.clear();
                content.clear();
            }
            Ev::Start { name: b"title", .. } => field = 1,
            Ev::Start {
                name: b"content", ..
            } => field = 2,
            Ev::End {
                name: b"title" | b"content",
            } => field = 0,
            Ev::Text(t) if field == 1 => title.push_str(t),
            Ev::Text(t) if field == 2 => content.push_str(t),
            Ev::End { name: b"note" } => {
                notes.push((title.trim().to_string(), std::mem::take(&mut content)))
            }
            _ => {}
        }
        true
    })?;
    for (title, enml) in notes {
        let body = enml.find("<en-note").map(|p| &enml[p..]).unwrap_or(&enml);
        let text = strip_html(body);
        let text: String = text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n");
        emit(Part::Text {
            origin: Origin {
                label: Some(title),
                ..Origin::default()
            },
            text: text.trim_start_matches('\n').to_string(),
            first_line: 1,
            hint: TextHint::Prose,
        });
    }
    Ok(())
}

/// Sticky Notes text: one line per paragraph, each led by `\id=<guid> `.
fn sticky_text(raw: &str) -> String {
    raw.lines()
        .map(|l| match l.strip_prefix("\\id=") {
            Some(rest) => rest.split_once(' ').map(|(_, t)| t).unwrap_or(""),
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn sqlite(input: &ExtractInput<'_>, emit: &mut dyn FnMut(Part)) -> Result<(), ExtractError> {
    let bad = |_| super::corrupt("sqlite", "database cannot be read");
    let mut conn = rusqlite::Connection::open_in_memory().map_err(bad)?;
    conn.deserialize_read_exact("main", input.bytes, input.bytes.len(), true)
        .map_err(bad)?;
    let has_notes: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Note'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(bad)?
        > 0;
    if !has_notes {
        emit(Part::Notice {
            origin: Origin::default(),
            message: "SQLite database (not a known note store), not scanned".into(),
        });
        return Ok(());
    }
    let mut stmt = conn
        .prepare("SELECT Text FROM Note ORDER BY rowid")
        .map_err(bad)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .map_err(bad)?;
    for (i, text) in rows.enumerate() {
        let Some(text) = text.map_err(bad)? else {
            continue;
        };
        emit(Part::Text {
            origin: Origin {
                label: Some(format!("sticky note {}", i + 1)),
                ..Origin::default()
            },
            text: sticky_text(&text),
            first_line: 1,
            hint: TextHint::Prose,
        });
    }
    Ok(())
}

/// SQLite files: Windows Sticky Notes (`plum.sqlite`).
pub struct SqliteExtractor;

impl Extractor for SqliteExtractor {
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn accepts(&self, kind: FileKind) -> bool {
        kind == FileKind::Sqlite
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        sqlite(input, emit)
    }
}

impl Extractor for NotesExtractor {
    fn name(&self) -> &'static str {
        "notes"
    }
    fn accepts(&self, _kind: FileKind) -> bool {
        false
    }
    fn accepts_text(&self, name: &str, head: &[u8]) -> bool {
        kind_of(name, head).is_some()
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        let head = &input.bytes[..input.bytes.len().min(8192)];
        match kind_of(input.name, head) {
            Some(NoteKind::Enex) => enex(input, emit),
            Some(NoteKind::KeePassXml) => keepass(input, emit),
            Some(NoteKind::BitwardenJson) => bitwarden(input, emit),
            None => Err(ExtractError::Unsupported("not a note store".into())),
        }
    }
}
