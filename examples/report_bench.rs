//! Report figures of issue 7, printed (never asserted): an engagement with 10,000
//! findings and 300 risks, then the time to regenerate the register and to write the
//! board PDF, the XLSX workbook and the technical appendix.
//!
//! ```text
//! cargo run --release --example report_bench [-- --files 1000 --risks 300]
//! ```
//!
//! The findings come from a generated tree scanned into a fresh engagement (the scan
//! is not timed): `files` config files of 10 credentials each, spread over IT and OT
//! folders and hosts so the identity graph has paths across zones. Risks beyond what
//! the rules make are added by hand (manual risks), as a large register would be.

use credence::report::data::ReportData;
use credence::report::{appendix, pdf, xlsx};
use credence::risk::register::ManualRisk;
use credence::scan::{Progress, ScanOptions, Scanner};
use credence::store::{Engagement, NewEngagement};
use credence::vault::FingerprintKey;
use std::time::Instant;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const FOLDERS: &[&str] = &[
    "it-share/projects",
    "it-share/IT/scripts",
    "engineering-share/scada",
    "engineering-share/plc-backups",
    "engineering-share/historian",
    "vendor-drop",
];
const HOSTS: &[&str] = &["scada-srv", "hmi", "plc", "hist", "jump", "fs.corp.example"];

fn main() {
    let files = arg("--files", 1000);
    let risks = arg("--risks", 300);
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = tmp.path().join("tree");
    for i in 0..files {
        let dir = tree
            .join(FOLDERS[i % FOLDERS.len()])
            .join(format!("set{}", i / 50));
        std::fs::create_dir_all(&dir).expect("folder");
        let mut text = String::new();
        for j in 0..10 {
            let host = HOSTS[(i + j) % HOSTS.len()];
            // Every 7th secret is shared by a group of 5 files (a team's password), so
            // credentials are reused and cross zones as on a real share.
            let secret = if j % 7 == 0 {
                format!("Team{}x{j}-Pw!x", i / 5)
            } else {
                format!("Pw{i}x{j}-Zq!9")
            };
            text.push_str(&format!(
                "[conn{j}]\nhost = {host}-{:02}\nuser = op{}\npassword = {secret}\n\n",
                j % 40,
                (i + j) % 300
            ));
        }
        std::fs::write(dir.join(format!("conn{i}.ini")), text).expect("file");
    }
    let key = FingerprintKey::random().expect("key");
    let rec = credence::vault::engagement::wrap("bench", &key, "pw").expect("wrap");
    let meta = NewEngagement {
        client: "Bench Utility".into(),
        site: "Generated site".into(),
        assessor: Some("report_bench".into()),
        marking: Some("TEST DATA".into()),
    };
    let mut eng = Engagement::create(&tmp.path().join("b.credence"), &meta, "bench", &rec)
        .expect("engagement");
    let scanner = Scanner::new(key).expect("rules");
    let t = Instant::now();
    let r = credence::store::scan::run(
        &mut eng,
        &scanner,
        &ScanOptions {
            roots: vec![tree.clone()],
            ..Default::default()
        },
        &Progress::default(),
    )
    .expect("scan");
    println!(
        "setup: {} files scanned into the engagement in {:.2} s, {} findings (not part of the figure)",
        files,
        t.elapsed().as_secs_f64(),
        r.result.findings.len()
    );
    let first = ReportData::gather(&mut eng, None, None, "2026-11-29").expect("gather");
    let generated = first.risks.len();
    for i in generated..risks {
        let m = ManualRisk {
            title: format!("Manual risk {i}: a vendor laptop bridging zone {}", i % 9),
            description: "Observed on the site walk; no file evidence.".into(),
            likelihood: (i % 5 + 1) as u8,
            impact: (i / 5 % 5 + 1) as u8,
            treatment: "Close the bridge and review vendor access.".into(),
            zones: vec!["OT-L2".into()],
            systems: vec![format!("laptop-{i}")],
            attack: vec!["T0822".into()],
            residual_likelihood: Some(1),
            residual_impact: None,
            author: Some("bench".into()),
        };
        eng.add_manual_risk(&m.content().expect("valid"), "2026-11-29")
            .expect("manual risk");
    }

    let t = Instant::now();
    let data = ReportData::gather(&mut eng, None, None, "2026-11-29").expect("gather");
    let gather = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pdf_bytes = pdf::render(&data, pdf::paper("a4").expect("a4")).expect("pdf");
    let pdf_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let xlsx_bytes = xlsx::render(&data).expect("xlsx");
    let xlsx_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let html = appendix::render(&data);
    let html_s = t.elapsed().as_secs_f64();
    println!(
        "engagement: {} findings, {} risks ({} from the rules, the rest manual)",
        data.findings.len(),
        data.risks.len(),
        generated
    );
    println!("regenerate the register (read, graph, rules, store): {gather:.2} s");
    println!(
        "board PDF:       {pdf_s:.2} s, {} KB",
        pdf_bytes.len() / 1024
    );
    println!(
        "XLSX workbook:   {xlsx_s:.2} s, {} KB",
        xlsx_bytes.len() / 1024
    );
    println!(
        "technical appendix (HTML): {html_s:.2} s, {} KB",
        html.len() / 1024
    );
    println!(
        "both reports (register + PDF + XLSX): {:.2} s (target < 3 s)",
        gather + pdf_s + xlsx_s
    );
}
