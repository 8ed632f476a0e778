//! Spreadsheet and archive figures of issue 3, printed (never asserted):
//!
//! 1. A generated 1M-cell xlsx (100,000 rows x 10 columns, a credential sheet): time
//!    for calamine's bare parse of every cell, then Credence's scan of the same bytes
//!    (extractor + table detector + judgement), in the same run; the overhead ratio.
//! 2. Peak RSS of `credence scan` on a generated ~1 GB zip of text files (members are
//!    read one at a time within the archive limits).
//!
//! ```text
//! cargo build --release --bins && cargo run --release --example sheet_bench [-- --zip-mb 1000]
//! ```

/// Same allocator as the `credence` binary, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use calamine::{Reader, Xlsx};
use std::io::{Cursor, Write};
use std::time::Instant;

/// A 10-column sheet of `rows` rows: a credential sheet (every row a password, the
/// worst case) or an asset inventory (same shape, no credential column).
fn workbook(rows: u32, credentials: bool) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let fourth = if credentials { "Password" } else { "Firmware" };
    let header = [
        "System", "Host", "Username", "Password", "Role", "Vendor", "Site", "Zone", "Changed",
        "Notes",
    ]
    .map(|h| if h == "Password" { fourth } else { h });
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for r in 1..=rows {
        let cells = [
            format!("PLC-{r:06}"),
            format!("192.0.2.{}", r % 250),
            format!("operator{}", r % 97),
            format!("Op{r:06}!x"),
            "engineer".to_string(),
            "Invented Automation".to_string(),
            format!("Site {}", r % 12),
            "OT-L2".to_string(),
            "no".to_string(),
            format!("row {r}"),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r, c as u16, v).expect("cell");
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

/// The best (lowest) wall and CPU times seen, each on its own.
#[derive(Default)]
struct Best {
    wall: f64,
    cpu: f64,
}

impl Best {
    fn time(&mut self, f: impl FnOnce()) {
        let (w0, c0) = (Instant::now(), thread_cpu());
        f();
        let (wall, cpu) = (w0.elapsed().as_secs_f64(), thread_cpu() - c0);
        if self.wall == 0.0 || wall < self.wall {
            self.wall = wall;
        }
        if self.cpu == 0.0 || cpu < self.cpu {
            self.cpu = cpu;
        }
    }
}

/// This thread's CPU time in seconds.
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime fills the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn bare_parse(bytes: &[u8]) -> usize {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("open");
    let mut n = 0;
    for name in x.sheet_names().to_owned() {
        let range = x.worksheet_range(&name).expect("sheet");
        for row in range.rows() {
            for c in row {
                n += usize::from(!matches!(c, calamine::Data::Empty));
            }
        }
    }
    n
}

fn zip_of_text(path: &std::path::Path, mb: u64) {
    let f = std::fs::File::create(path).expect("zip file");
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // Varied lines, so the archive compresses like real logs (a few times), not like
    // a bomb (which the archive limits would rightly refuse).
    let per_member = 4 * 1024 * 1024;
    let members = (mb * 1_000_000) / per_member as u64;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..members {
        let mut body = String::with_capacity(per_member + 128);
        while body.len() < per_member {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push_str(&format!(
                "2024-05-{:02}T{:02}:{:02}:{:02}Z INFO unit {} pressure {} valve {} id={:016x}\n",
                1 + x % 28,
                x % 24,
                (x >> 8) % 60,
                (x >> 16) % 60,
                x % 7,
                (x >> 20) % 1000,
                (x >> 30) % 64,
                x
            ));
        }
        z.start_file(format!("logs/part-{i:04}.log"), opts)
            .expect("member");
        z.write_all(body.as_bytes()).expect("write");
        if i % 50 == 0 {
            z.write_all(b"db.password=Zip!Bench2024\n").expect("write");
        }
    }
    z.finish().expect("finish");
}

fn zip_rss(zip_mb: u64) {
    let exe = std::env::current_exe().expect("own path");
    let bin = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("credence"))
        .expect("target dir");
    if !bin.exists() {
        println!("zip RSS: build the CLI first (cargo build --release --bins)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("credence-zip-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let zip = dir.join("logs.zip");
    zip_of_text(&zip, zip_mb);
    let t = Instant::now();
    let out = std::process::Command::new(&bin)
        .args([
            "scan",
            "-q",
            "-f",
            "jsonl",
            "-o",
            "/dev/null",
            "--max-size",
            "4G",
        ])
        .arg(&zip)
        .env("CREDENCE_KEY_FILE", dir.join("k.key"))
        .status()
        .expect("credence runs");
    let secs = t.elapsed().as_secs_f64();
    // SAFETY: getrusage fills the zeroed struct we own.
    let rss_mb = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru);
        ru.ru_maxrss as f64 / 1024.0
    };
    println!(
        "zip of text: {} MB uncompressed, {} MB on disk: scanned in {secs:.1} s, exit {:?}, peak RSS {rss_mb:.0} MB",
        zip_mb,
        std::fs::metadata(&zip)
            .map(|m| m.len() / 1_000_000)
            .unwrap_or(0),
        out.code()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let zip_mb: u64 = std::env::args()
        .skip_while(|a| a != "--zip-mb")
        .nth(1)
        .map(|v| v.parse().expect("--zip-mb N"))
        .unwrap_or(1000);
    // First, while this process is small: a child's peak RSS as the kernel reports it
    // includes what it inherited at fork.
    zip_rss(zip_mb);
    let engine = credence::detect::Engine::builtin().expect("rules");
    let limits = credence::ingest::Limits::default();
    for (label, credentials) in [
        ("credential sheet (every row a password)", true),
        ("asset inventory (no credentials)", false),
    ] {
        let bytes = workbook(100_000, credentials);
        println!(
            "{label}: 100,000 rows x 10 columns = 1,000,010 cells, {} MB",
            bytes.len() / 1_000_000
        );
        // Interleaved, best of 7, in wall time and in this thread's CPU time (both
        // parses run on this one thread; CPU time is what a busy VM disturbs least).
        let (mut bare, mut scan) = (Best::default(), Best::default());
        let mut findings = 0;
        for _ in 0..7 {
            bare.time(|| {
                std::hint::black_box(bare_parse(&bytes));
            });
            scan.time(|| {
                let found =
                    credence::ingest::extractors::sheets::scan_workbook(&bytes, &engine, &limits)
                        .expect("scan");
                findings = found.len();
            });
        }
        println!(
            "  calamine bare parse: {:.3} s wall, {:.3} s CPU",
            bare.wall, bare.cpu
        );
        println!(
            "  credence scan:       {:.3} s wall, {:.3} s CPU ({findings} findings)",
            scan.wall, scan.cpu
        );
        println!(
            "  overhead: {:+.0}% wall, {:+.0}% CPU (target <= 25%)",
            (scan.wall / bare.wall - 1.0) * 100.0,
            (scan.cpu / bare.cpu - 1.0) * 100.0
        );
    }
}
