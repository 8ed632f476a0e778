//! Input checks every command runs before touching the library. The webview is treated
//! as untrusted: a path it sends is used only when the user picked it in a native
//! dialog or dropped it on the window (a *grant*, recorded in Rust), or when it lies
//! inside one of the engagement's sources; text has bounded length and no control
//! characters; ids must exist (the library checks that on use).

use crate::error::{CmdResult, CommandError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Longest free text accepted (client, site, note...).
pub const MAX_TEXT: usize = 2000;

/// A required single-line text field: trimmed, 1..=`max` characters, no control
/// characters.
pub fn line(field: &str, value: &str, max: usize) -> CmdResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(CommandError::invalid(format!("{field} is required")));
    }
    optional_line(field, Some(v), max).map(|o| o.unwrap_or_default())
}

/// An optional single-line text field (empty = none).
pub fn optional_line(field: &str, value: Option<&str>, max: usize) -> CmdResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(CommandError::invalid(format!(
            "{field} is longer than {max} characters"
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(CommandError::invalid(format!(
            "{field} contains control characters"
        )));
    }
    Ok(Some(v.to_string()))
}

/// A multi-line note: newlines and tabs allowed, other control characters not.
pub fn note(value: Option<&str>) -> CmdResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_TEXT {
        return Err(CommandError::invalid(format!(
            "note is longer than {MAX_TEXT} characters"
        )));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(CommandError::invalid("note contains control characters"));
    }
    Ok(Some(v.to_string()))
}

/// One of a closed set of words.
pub fn one_of<'a>(field: &str, value: &str, allowed: &[&'a str]) -> CmdResult<&'a str> {
    allowed
        .iter()
        .find(|a| **a == value)
        .copied()
        .ok_or_else(|| {
            CommandError::invalid(format!(
                "{field} must be one of {} (got '{}')",
                allowed.join(", "),
                truncate(value, 40)
            ))
        })
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Paths the user chose through a native dialog or dropped on the window, canonical.
/// Only these (or paths inside the engagement's sources) are accepted from the UI.
#[derive(Debug, Default)]
pub struct Grants {
    paths: BTreeSet<PathBuf>,
}

impl Grants {
    /// Records a path the user chose. Kept as given and canonical (a save dialog
    /// names a file that does not exist yet).
    pub fn grant(&mut self, p: &Path) {
        self.paths.insert(p.to_path_buf());
        if let Ok(c) = std::fs::canonicalize(p) {
            self.paths.insert(c);
        }
    }

    /// The canonical form of `raw` when the user chose it, else an error.
    pub fn check(&self, raw: &str) -> CmdResult<PathBuf> {
        let p = Path::new(raw);
        if raw.is_empty() || !p.is_absolute() {
            return Err(CommandError::invalid(format!(
                "'{}' is not an absolute path chosen in a dialog",
                truncate(raw, 200)
            )));
        }
        if self.paths.contains(p) {
            return Ok(std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
        }
        match std::fs::canonicalize(p) {
            Ok(c) if self.paths.contains(&c) => Ok(c),
            _ => Err(CommandError::invalid(format!(
                "'{}' was not chosen in a dialog or dropped on the window; refused",
                truncate(raw, 200)
            ))),
        }
    }
}

/// `file` resolved (symlinks and `..` followed) and inside one of `roots`; else an
/// error. Used before anything is handed to the OS (reveal in file manager).
pub fn inside_sources(file: &Path, roots: &[PathBuf]) -> CmdResult<PathBuf> {
    let real = std::fs::canonicalize(file).map_err(|e| {
        CommandError::new(
            crate::error::ErrorKind::Io,
            format!("{}: {e}", file.display()),
        )
    })?;
    for r in roots {
        if let Ok(root) = std::fs::canonicalize(r)
            && real.starts_with(&root)
        {
            return Ok(real);
        }
    }
    Err(CommandError::invalid(format!(
        "{} is outside the engagement's sources; refused",
        file.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_trimmed_bounded_and_single_line() {
        assert_eq!(line("client", "  ACME Water ", 100).unwrap(), "ACME Water");
        assert!(line("client", "   ", 100).is_err());
        assert!(line("client", "a\u{0}b", 100).is_err());
        assert!(line("client", "two\nlines", 100).is_err());
        assert!(line("client", &"x".repeat(101), 100).is_err());
        assert_eq!(optional_line("marking", Some(" "), 10).unwrap(), None);
        assert_eq!(
            note(Some("line one\nline two")).unwrap().unwrap(),
            "line one\nline two"
        );
        assert!(note(Some("bell\u{7}")).is_err());
    }

    #[test]
    fn only_granted_paths_pass() {
        let dir = tempfile::tempdir().unwrap();
        let chosen = dir.path().join("chosen");
        std::fs::create_dir(&chosen).unwrap();
        let mut g = Grants::default();
        g.grant(&chosen);
        assert!(g.check(chosen.to_str().unwrap()).is_ok());
        // The same folder spelled with `..` resolves to the grant.
        let dotted = chosen.join("..").join("chosen");
        assert!(g.check(dotted.to_str().unwrap()).is_ok());
        assert!(
            g.check(dir.path().to_str().unwrap()).is_err(),
            "the parent was not chosen"
        );
        assert!(g.check("relative/path").is_err());
        assert!(g.check("").is_err());
    }

    #[test]
    fn inside_sources_follows_dot_dot_and_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("share");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/f.txt"), "x").unwrap();
        std::fs::write(dir.path().join("outside.txt"), "x").unwrap();
        let roots = vec![root.clone()];
        assert!(inside_sources(&root.join("a/f.txt"), &roots).is_ok());
        assert!(inside_sources(&root.join("a/../../outside.txt"), &roots).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("outside.txt"), root.join("link")).unwrap();
            assert!(inside_sources(&root.join("link"), &roots).is_err());
        }
    }
}
