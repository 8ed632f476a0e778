//! Walking the sources: several roots, include/exclude globs, hidden files included
//! (`.env`, `.pgpass`, `.netrc`, `.git-credentials` are hidden), symlinks not followed
//! unless asked and loop-safe when they are, special files (FIFOs, devices, sockets)
//! skipped without ever being opened. Every problem is an event, never an abort.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub follow_symlinks: bool,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub max_file_size: u64,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_symlinks: false,
            include: vec![],
            exclude: vec![],
            max_file_size: 256 * 1024 * 1024,
        }
    }
}

/// A regular file to scan.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub root: PathBuf,
    pub path: PathBuf,
    /// Root-relative with `/` separators (lossy for names that are not UTF-8).
    pub rel: String,
    pub size: u64,
    pub mtime: Option<SystemTime>,
}

#[derive(Debug)]
pub enum WalkEvent {
    File(SourceFile),
    /// Not scanned on purpose (special file, too large, excluded symlink).
    Skipped { path: String, reason: String },
    /// Could not be read (permissions, loop, vanished).
    Error { path: String, reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("invalid glob '{glob}': {source}")]
    BadGlob {
        glob: String,
        source: globset::Error,
    },
}

fn build_set(globs: &[String]) -> Result<Option<GlobSet>, WalkError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A bare name like `*.log` should match at any depth, as users expect.
        let pattern = if g.contains('/') { g.clone() } else { format!("**/{g}") };
        b.add(Glob::new(&pattern).map_err(|source| WalkError::BadGlob {
            glob: g.clone(),
            source,
        })?);
    }
    Ok(Some(b.build().map_err(|source| WalkError::BadGlob {
        glob: globs.join(","),
        source,
    })?))
}

/// Root-relative display path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

/// Walks every root in turn, calling `sink` for each event. Returns early only on a
/// bad glob (a usage error); everything else is reported through events.
pub fn walk(
    roots: &[PathBuf],
    opts: &WalkOptions,
    mut sink: impl FnMut(WalkEvent),
) -> Result<(), WalkError> {
    let include = build_set(&opts.include)?;
    let exclude = build_set(&opts.exclude)?;
    for root in roots {
        // A root given as a file is scanned as itself.
        let root_is_file = std::fs::metadata(root).map(|m| m.is_file()).unwrap_or(false);
        let base = if root_is_file {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            root.clone()
        };
        let walker = walkdir::WalkDir::new(root)
            .follow_links(opts.follow_symlinks)
            .follow_root_links(true)
            .sort_by_file_name();
        let mut it = walker.into_iter();
        while let Some(entry) = it.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| relative(&base, p))
                        .unwrap_or_else(|| root.display().to_string());
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop: not followed again".to_string()
                    } else if let Some(io) = err.io_error() {
                        io_reason(io)
                    } else {
                        err.to_string()
                    };
                    sink(WalkEvent::Error { path, reason });
                    continue;
                }
            };
            let rel = relative(&base, entry.path());
            let ft = entry.file_type();
            if ft.is_dir() {
                if entry.depth() > 0
                    && let Some(ex) = &exclude
                    && (ex.is_match(&rel) || ex.is_match(format!("{rel}/")))
                {
                    it.skip_current_dir();
                }
                continue;
            }
            if let Some(ex) = &exclude
                && ex.is_match(&rel)
            {
                continue;
            }
            if let Some(inc) = &include
                && !inc.is_match(&rel)
            {
                continue;
            }
            if ft.is_symlink() {
                // Only reached when links are not followed.
                sink(WalkEvent::Skipped {
                    path: rel,
                    reason: "symlink not followed (use --follow-symlinks)".into(),
                });
                continue;
            }
            if !ft.is_file() {
                sink(WalkEvent::Skipped {
                    path: rel,
                    reason: special_kind(&ft).into(),
                });
                continue;
            }
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(err) => {
                    sink(WalkEvent::Error {
                        path: rel,
                        reason: err
                            .io_error()
                            .map(io_reason)
                            .unwrap_or_else(|| err.to_string()),
                    });
                    continue;
                }
            };
            if meta.len() > opts.max_file_size {
                sink(WalkEvent::Skipped {
                    path: rel,
                    reason: format!(
                        "too large: {} bytes > --max-size {} bytes",
                        meta.len(),
                        opts.max_file_size
                    ),
                });
                continue;
            }
            sink(WalkEvent::File(SourceFile {
                root: root.clone(),
                path: entry.path().to_path_buf(),
                rel,
                size: meta.len(),
                mtime: meta.modified().ok(),
            }));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "special file (FIFO): not opened"
    } else if ft.is_socket() {
        "special file (socket): not opened"
    } else if ft.is_block_device() || ft.is_char_device() {
        "special file (device): not opened"
    } else {
        "special file: not opened"
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> &'static str {
    "special file: not opened"
}

/// A short, stable reason for an I/O error (no OS-specific prose where avoidable).
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        PermissionDenied => "permission denied".into(),
        NotFound => "vanished during the scan (not found)".into(),
        _ => format!("I/O error: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(root: &Path, opts: &WalkOptions) -> Vec<String> {
        let mut out = vec![];
        walk(&[root.to_path_buf()], opts, |e| match e {
            WalkEvent::File(f) => out.push(format!("file {}", f.rel)),
            WalkEvent::Skipped { path, reason } => out.push(format!("skip {path}: {reason}")),
            WalkEvent::Error { path, reason } => out.push(format!("error {path}: {reason}")),
        })
        .unwrap();
        out
    }

    #[test]
    fn hidden_files_are_walked_and_globs_apply() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home/jdoe")).unwrap();
        std::fs::write(dir.path().join("home/jdoe/.pgpass"), "x").unwrap();
        std::fs::write(dir.path().join("home/jdoe/app.log"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("node_modules/x")).unwrap();
        std::fs::write(dir.path().join("node_modules/x/a.js"), "x").unwrap();
        let opts = WalkOptions {
            exclude: vec!["*.log".into(), "node_modules".into()],
            ..Default::default()
        };
        assert_eq!(collect(dir.path(), &opts), vec!["file home/jdoe/.pgpass"]);
        let opts = WalkOptions {
            include: vec!["*.log".into()],
            ..Default::default()
        };
        assert_eq!(
            collect(dir.path(), &opts),
            vec!["file home/jdoe/app.log", "file node_modules/x/a.js"]
                .into_iter()
                .filter(|s| s.ends_with(".log"))
                .collect::<Vec<_>>()
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_and_fifos_are_events_not_failures() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("a")).unwrap();
        std::fs::write(d.join("a/f.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("a"), d.join("a/loop")).unwrap();
        let fifo = d.join("pipe");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        let not_followed = collect(d, &WalkOptions::default());
        assert!(not_followed.contains(&"file a/f.txt".to_string()));
        assert!(not_followed.iter().any(|l| l.starts_with("skip a/loop: symlink")));
        if status.map(|s| s.success()).unwrap_or(false) {
            assert!(not_followed.iter().any(|l| l.starts_with("skip pipe: special file (FIFO)")));
        }
        let followed = collect(
            d,
            &WalkOptions {
                follow_symlinks: true,
                ..Default::default()
            },
        );
        assert!(followed.iter().any(|l| l.starts_with("error a/loop") && l.contains("loop")));
    }

    #[test]
    fn too_large_files_are_skipped_with_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.txt"), vec![b'a'; 100]).unwrap();
        let opts = WalkOptions {
            max_file_size: 10,
            ..Default::default()
        };
        let got = collect(dir.path(), &opts);
        assert!(got[0].starts_with("skip big.txt: too large: 100 bytes"));
    }
}
