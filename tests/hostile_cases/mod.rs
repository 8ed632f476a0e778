//! The hostile cases: each builds its input in a fresh folder and says what the scan of
//! that folder must report. Generators are deterministic (fixed seeds) so a failure
//! reproduces.

mod office;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Something that runs while the scan runs (a writer growing a file); dropping it stops
/// it.
pub struct During {
    writer: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
    /// Held open for the scan's duration (a listening socket), closed on drop.
    _kept_open: Vec<Box<dyn Send>>,
}

impl Drop for During {
    fn drop(&mut self) {
        if let Some((stop, handle)) = self.writer.take() {
            stop.store(true, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

fn nothing() -> Result<During, String> {
    Ok(During {
        writer: None,
        _kept_open: Vec::new(),
    })
}

type Build = Box<dyn Fn(&Path) -> Result<During, String>>;

pub struct Case {
    pub name: String,
    /// Builds the input; `Err(why)` when this machine cannot make it (printed, not run).
    pub build: Build,
    pub args: Vec<String>,
    /// (path fragment, reason fragment) pairs the summary must hold on one line.
    pub expect: Vec<(String, String)>,
    /// Path fragments that must appear among the findings.
    pub found: Vec<String>,
    /// Run the scan as `nobody` (for permission cases when the test runs as root).
    pub as_unprivileged: bool,
}

fn case(name: &str, build: impl Fn(&Path) -> Result<During, String> + 'static) -> Case {
    Case {
        name: name.to_string(),
        build: Box::new(build),
        args: Vec::new(),
        expect: Vec::new(),
        found: Vec::new(),
        as_unprivileged: false,
    }
}

impl Case {
    fn args(mut self, args: &[&str]) -> Case {
        self.args = args.iter().map(|s| s.to_string()).collect();
        self
    }
    fn expect(mut self, path: &str, reason: &str) -> Case {
        self.expect.push((path.to_string(), reason.to_string()));
        self
    }
    fn found(mut self, path: &str) -> Case {
        self.found.push(path.to_string());
        self
    }
}

pub fn all_cases() -> Vec<Case> {
    vec![
        case("zip-bomb-1gib-of-zeros", |d| {
            office::zip_of_zeros(&d.join("bomb.zip"), 1 << 30);
            nothing()
        })
        .expect("bomb.zip", "refused"),
        case("zip-bomb-nested-10x10x10", |d| {
            office::nested_zip_bomb(&d.join("nested.zip"), 3, 10, 8 << 20);
            nothing()
        })
        .expect("nested.zip", "refused"),
        case("xlsx-entity-expansion", |d| {
            fs::write(d.join("laughs.xlsx"), office::xlsx_with_laughs()).unwrap();
            nothing()
        })
        .expect("laughs.xlsx", "workbook"),
        case("xlsx-giant-shared-strings", |d| {
            fs::write(
                d.join("giant.xlsx"),
                office::xlsx_giant_shared_strings(80 << 20),
            )
            .unwrap();
            nothing()
        })
        .expect("giant.xlsx", "refused"),
        case("docx-entity-expansion", |d| {
            fs::write(d.join("laughs.docx"), office::docx_with_laughs()).unwrap();
            nothing()
        })
        .expect("laughs.docx", "not expanded"),
        case("office-truncated-and-bit-flipped", |d| {
            office::damaged_specimens(d);
            nothing()
        })
        .expect("cut4.xlsx", "corrupt")
        .expect("cut4.docx", "corrupt")
        .expect("cut4.ods", "corrupt")
        .expect("cut4.zip", "corrupt"),
        case("sparse-20gib-file", |d| {
            sparse(&d.join("sparse.bin"), 20 << 30);
            nothing()
        })
        .expect("sparse.bin", "too large"),
        case("sparse-20gib-file-no-size-limit", |d| {
            sparse(&d.join("sparse.bin"), 20 << 30);
            nothing()
        })
        .args(&["--max-size", "64G"])
        .expect("skipped:", "binary"),
        case("single-line-2gib", |d| {
            one_line(&d.join("line.txt"), 2 << 30, None);
            nothing()
        })
        .expect("line.txt", "too large"),
        case("single-line-200mib-read-whole", |d| {
            one_line(
                &d.join("line.txt"),
                200 << 20,
                Some(" password=Mid-Line-8zQ! "),
            );
            nothing()
        })
        .found("line.txt"),
        case("100k-files-in-one-folder", |d| {
            let many = d.join("many");
            fs::create_dir(&many).unwrap();
            for i in 0..100_000 {
                fs::write(many.join(format!("f{i:06}.txt")), format!("note {i}\n")).unwrap();
            }
            nothing()
        }),
        case("tree-500-deep", |d| {
            let mut p = d.to_path_buf();
            for _ in 0..500 {
                p.push("d");
            }
            fs::create_dir_all(&p).unwrap();
            fs::write(p.join("deep.txt"), "password = Deep-Down-5vR!\n").unwrap();
            nothing()
        })
        .found("deep.txt"),
        case("symlink-loops-followed", |d| {
            let sub = d.join("sub");
            fs::create_dir(&sub).unwrap();
            use std::os::unix::fs::symlink as link;
            link(d, sub.join("loop")).unwrap();
            link(d.join("cyc-b"), d.join("cyc-a")).unwrap();
            link(d.join("cyc-a"), d.join("cyc-b")).unwrap();
            link(d.join("self"), d.join("self")).unwrap();
            nothing()
        })
        .args(&["--follow-symlinks"])
        .expect("loop", "symlink loop")
        .expect("cyc-a", "")
        .expect("self", ""),
        case("fifo-socket-and-devices", special_files)
            .args(&["--follow-symlinks"])
            .expect("fifo", "FIFO")
            .expect("sock", "socket")
            .expect("zero-dev", "device")
            .expect("null-dev", "device"),
        unreadable(),
        case("names-not-utf8-or-with-newlines", |d| {
            use std::os::unix::ffi::OsStrExt;
            let bad = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe.txt");
            fs::write(d.join(bad), "password = N0tUtf8Name!\n").unwrap();
            fs::write(d.join("new\nline.txt"), "password = NewL1neName!\n").unwrap();
            nothing()
        })
        .found("bad-")
        .found("line.txt"),
        case("files-growing-and-churning-during-the-scan", growing),
    ]
}

fn sparse(path: &Path, len: u64) {
    fs::File::create(path).unwrap().set_len(len).unwrap();
}

/// `len` bytes of text without a newline, `middle` placed halfway.
fn one_line(path: &Path, len: u64, middle: Option<&str>) {
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    let chunk = vec![b'a'; 1 << 20];
    let mut written = 0u64;
    while written < len {
        if let Some(m) = middle
            && written == len / 2 / (1 << 20) * (1 << 20)
        {
            f.write_all(m.as_bytes()).unwrap();
        }
        let n = chunk.len().min((len - written) as usize);
        f.write_all(&chunk[..n]).unwrap();
        written += n as u64;
    }
    f.flush().unwrap();
}

fn special_files(d: &Path) -> Result<During, String> {
    let fifo = std::ffi::CString::new(d.join("fifo").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid C path.
    if unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) } != 0 {
        return Err("mkfifo failed".into());
    }
    let listener = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    // A device node made here when allowed; a followed link to one otherwise (both
    // must be refused unopened: reading /dev/zero never ends).
    let node = std::ffi::CString::new(d.join("zero-dev").to_str().unwrap()).unwrap();
    // SAFETY: mknod with a valid C path; failure is handled.
    let made = unsafe { libc::mknod(node.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 5)) };
    if made != 0 {
        std::os::unix::fs::symlink("/dev/zero", d.join("zero-dev")).unwrap();
    }
    std::os::unix::fs::symlink("/dev/null", d.join("null-dev")).unwrap();
    Ok(During {
        writer: None,
        _kept_open: vec![Box::new(listener)],
    })
}

fn unreadable() -> Case {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut c = case("unreadable-files-and-folders", move |d| {
        use std::os::unix::fs::PermissionsExt;
        if root && which("setpriv").is_none() {
            return Err("running as root without setpriv: permissions cannot apply".into());
        }
        let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m));
        let locked = d.join("locked");
        fs::create_dir(&locked).unwrap();
        fs::write(locked.join("inner.txt"), "password = Inn3r!pw\n").unwrap();
        fs::write(d.join("secret.txt"), "password = N0read!pw\n").unwrap();
        mode(&d.join("secret.txt"), 0o000).unwrap();
        mode(&locked, 0o000).unwrap();
        mode(d, 0o755).unwrap();
        nothing()
    })
    .expect("secret.txt", "ermission denied")
    .expect("locked", "ermission denied");
    c.as_unprivileged = root;
    c
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// One file appended to as fast as the disk takes it (capped at 512 MiB so a slow scan
/// cannot fill the disk), another truncated and rewritten in a loop.
fn growing(d: &Path) -> Result<During, String> {
    let grow = d.join("grow.log");
    let churn = d.join("churn.txt");
    fs::write(&grow, "start\n").unwrap();
    fs::write(&churn, "password = Churn1ng!pw\n").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut f = fs::OpenOptions::new().append(true).open(&grow).unwrap();
        let line = b"2026-11-29 12:00:00 pump 7 running, pressure nominal\n".repeat(1000);
        let mut written = 0usize;
        let mut round = 0u64;
        while !flag.load(Ordering::Relaxed) {
            if written < 512 << 20 {
                f.write_all(&line).unwrap();
                written += line.len();
            }
            round += 1;
            if round % 50 == 0 {
                let _ = fs::remove_file(&churn);
                let _ = fs::write(
                    &churn,
                    "password = Churn1ng!pw\n".repeat(round as usize % 7),
                );
            }
        }
    });
    Ok(During {
        writer: Some((stop, handle)),
        _kept_open: Vec::new(),
    })
}
