//! The synthetic share for the benchmark: deterministic, mixed file kinds, realistic
//! keyword density (most keyword hits are not secrets), a planted secret in about one
//! file in forty. Regenerated only when the recipe version or size changes.

use std::io::Write;
use std::path::Path;

const RECIPE: &str = "credence-bench-tree v2";

pub struct Stats {
    pub files: u64,
    pub bytes: u64,
    pub planted: u64,
}

/// xorshift64*: a tiny deterministic generator; quality is irrelevant here.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "pump",
    "valve",
    "turbine",
    "shift",
    "report",
    "customer",
    "meter",
    "invoice",
    "alarm",
    "trend",
    "sensor",
    "the",
    "and",
    "with",
    "for",
    "after",
    "before",
    "checked",
    "level",
    "pressure",
    "flow",
    "maintenance",
    "vendor",
    "firmware",
    "update",
    "station",
    "unit",
    "network",
    "switch",
    "backup",
    "schedule",
    "ticket",
    "monday",
    "review",
    "project",
    "budget",
    "spare",
    "parts",
    "ordered",
    "weekly",
    "operator",
    "panel",
    "breaker",
];

/// Lines that mention credentials without holding one: the keyword density of a real
/// share (ripgrep's keyword regex matches them too).
const NOTE_LINES: &[&str] = &[
    "Remember to reset your password before the audit.",
    "The password policy requires 14 characters.",
    "Session token refresh happens every hour.",
    "The key performance indicator for unit 2 improved.",
    "Secret Santa list is in the HR folder.",
    "Passwords are kept in the vault, ask the shift lead.",
    "Use the key switch on panel 3 to enable local mode.",
];

const CONFIG_LINES: &[&str] = &[
    "password.min.length = 14",
    "token.ttl.seconds = 3600",
    "session.key.rotation = daily",
    "secret.store.provider = vault",
    "cache.key.prefix = plant",
    "auth.password.required = true",
];

const CODE_LINES: &[&str] = &[
    "        let token = lexer.next_token()?;",
    "        if password.is_empty() { return Err(Error::MissingPassword); }",
    "        let key = cache_key(&item, version);",
    "        let secret = vault.read(&path)?;",
    "        session.refresh_token(&client).await?;",
];

const LOG_LINES: &[&str] = &[
    "WARN login failed for user 'bob': password incorrect",
    "INFO token refreshed for session",
    "INFO api key rotation scheduled",
    "ERROR password policy check failed: too short",
];

fn sentence(r: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(r.pick(WORDS));
    }
    s
}

fn planted_line(r: &mut Rng, n: u64) -> String {
    match r.below(6) {
        0 => format!("db.password=Bench!{n:05}pw"),
        1 => format!("password: \"Plant{n:05}#x\""),
        2 => format!("VPN: user{n} / Summer{n:05}!"),
        3 => format!("aws_access_key_id = AKIA{:016}", n)
            .replace(|c: char| c.is_ascii_digit() && c < '2', "Q"),
        4 => format!("Passwort: Werk{n:05}$"),
        _ => format!("export API_TOKEN=tk_{n:08x}a9f3e2d1c0b9"),
    }
}

fn body(r: &mut Rng, kind: u64, target: usize, plant: Option<u64>) -> String {
    let mut s = String::with_capacity(target + 256);
    let plant_at = target / 2;
    let mut planted = false;
    let mut i = 0u64;
    while s.len() < target {
        i += 1;
        if !planted && s.len() >= plant_at {
            if let Some(n) = plant {
                s.push_str(&planted_line(r, n));
                s.push('\n');
            }
            planted = true;
        }
        match kind {
            0 => {
                // ini / properties
                if r.below(8) == 0 {
                    s.push_str(r.pick(CONFIG_LINES));
                    s.push('\n');
                } else {
                    let k = r.pick(WORDS);
                    s.push_str(&format!(
                        "{k}.{}_{} = {}\n",
                        r.pick(WORDS),
                        i,
                        r.below(100_000)
                    ));
                }
            }
            1 => {
                // yaml
                if r.below(8) == 0 {
                    s.push_str(&format!("  # {}\n", r.pick(NOTE_LINES)));
                } else {
                    s.push_str(&format!("  {}_{}: {}\n", r.pick(WORDS), i, sentence(r, 3)));
                }
            }
            2 => {
                // notes
                if r.below(8) == 0 {
                    s.push_str(r.pick(NOTE_LINES));
                } else {
                    s.push_str(&sentence(r, 12));
                }
                s.push('\n');
            }
            3 => {
                // code
                if r.below(8) == 0 {
                    s.push_str(r.pick(CODE_LINES));
                    s.push('\n');
                    continue;
                }
                s.push_str(&format!(
                    "    let {}_{} = compute_{}(&{}, {});\n",
                    r.pick(WORDS),
                    i,
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.below(1000)
                ));
            }
            _ => {
                // logs
                let msg = if r.below(8) == 0 {
                    r.pick(LOG_LINES).to_string()
                } else {
                    format!("INFO {} {}", r.pick(WORDS), sentence(r, 6))
                };
                s.push_str(&format!(
                    "2024-05-{:02}T{:02}:{:02}:{:02}Z {msg} id={}\n",
                    1 + r.below(28),
                    r.below(24),
                    r.below(60),
                    r.below(60),
                    r.next() % 1_000_000_000
                ));
            }
        }
    }
    s
}

/// Generates the tree unless a matching one exists. Half the files go under `a/`,
/// half under `b/`, so memory can be compared for half and whole.
pub fn ensure(root: &Path, bytes: u64, files: u64) -> Stats {
    let marker = root.join(".bench-recipe");
    let want = format!("{RECIPE} bytes={bytes} files={files}");
    if let Ok(have) = std::fs::read_to_string(&marker)
        && have.lines().next() == Some(want.as_str())
    {
        let mut it = have.lines().skip(1).map(|l| l.parse::<u64>().unwrap_or(0));
        return Stats {
            files: it.next().unwrap_or(0),
            bytes: it.next().unwrap_or(0),
            planted: it.next().unwrap_or(0),
        };
    }
    eprintln!(
        "generating {} MB in {files} files under {} ...",
        bytes / 1_000_000,
        root.display()
    );
    let _ = std::fs::remove_dir_all(root);
    let mut r = Rng(0x5EED_CAFE_F00D_1234);
    let exts = ["ini", "yaml", "txt", "rs", "log"];
    let avg = (bytes / files) as usize;
    let mut stats = Stats {
        files: 0,
        bytes: 0,
        planted: 0,
    };
    for f in 0..files {
        let half = if f < files / 2 { "a" } else { "b" };
        let dir = root
            .join(half)
            .join(format!("dept{:02}", f % 37))
            .join(format!("sub{:03}", (f / 37) % 211));
        std::fs::create_dir_all(&dir).expect("create bench dir");
        let kind = r.below(5);
        // Sizes vary from a tenth to twice the average.
        let size = avg / 10 + r.below((avg * 19 / 10) as u64 + 1) as usize;
        let plant = (r.below(40) == 0).then_some(f);
        let text = body(&mut r, kind, size, plant);
        let path = dir.join(format!("file{f:06}.{}", exts[kind as usize]));
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(&path).expect("create bench file"));
        out.write_all(text.as_bytes()).expect("write bench file");
        stats.files += 1;
        stats.bytes += text.len() as u64;
        stats.planted += plant.is_some() as u64;
    }
    std::fs::write(
        &marker,
        format!(
            "{want}\n{}\n{}\n{}\n",
            stats.files, stats.bytes, stats.planted
        ),
    )
    .expect("marker");
    stats
}
