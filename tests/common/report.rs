//! Reading reports back: PDF text and word boxes (poppler), page images, XLSX parts,
//! and the planted-secret search over all of them.
#![allow(dead_code)]

use super::engagement::{new_engagement, run, scan, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh engagement with the sample data scanned into it.
pub fn sample_engagement(tmp: &Path) -> PathBuf {
    let eng = new_engagement(tmp, "sample.credence");
    scan(tmp, &eng, &[&super::sample_data()], &[]);
    eng
}

/// `credence report -e ENG ARGS... --date 2026-11-29`, asserting success.
pub fn report(tmp: &Path, eng: &Path, args: &[&str]) {
    let mut all = vec![
        "report",
        "-q",
        "-e",
        eng.to_str().unwrap(),
        "--date",
        "2026-11-29",
    ];
    all.extend_from_slice(args);
    let o = run(tmp, &all);
    assert_eq!(o.status.code(), Some(0), "report failed: {}", stderr(&o));
}

fn poppler(tool: &str) -> Command {
    assert!(
        Command::new(tool).arg("-v").output().is_ok(),
        "{tool} is needed (poppler-utils; scripts/setup.sh installs it)"
    );
    Command::new(tool)
}

/// The PDF's text in reading order (`pdftotext -layout`).
pub fn pdf_text(pdf: &Path) -> String {
    let o = poppler("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Renders every page to PNG; returns the page images.
pub fn render_pages(pdf: &Path, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let o = poppler("pdftoppm")
        .args(["-r", "30", "-png"])
        .arg(pdf)
        .arg(dir.join("p"))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages
}

/// The page count and size in points, from pdfinfo.
pub fn pdf_info(pdf: &Path) -> (usize, f32, f32) {
    let o = poppler("pdfinfo").arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    let pages = field("Pages:").parse().unwrap();
    let size: Vec<f32> = field("Page size:")
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, size[0], size[1])
}

/// Words whose box leaves the page (minus `inset` points on each side), as
/// "page N: word (x0,y0)-(x1,y1)".
pub fn words_off_page(pdf: &Path, inset: f32) -> Vec<String> {
    let o = poppler("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let i = line.find(&key).unwrap() + key.len();
        line[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut w, mut h, mut page) = (0.0, 0.0, 0);
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
            w = attr(line, "width");
            h = attr(line, "height");
        } else if line.starts_with("<word ") {
            let (x0, y0, x1, y1) = (
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
            );
            if x0 < inset || y0 < inset || x1 > w - inset || y1 > h - inset {
                let word = line
                    .split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("");
                out.push(format!(
                    "page {page}: {word} ({x0:.0},{y0:.0})-({x1:.0},{y1:.0})"
                ));
            }
        }
    }
    out
}

/// The PDF with every stream decompressed (what a viewer reads), for byte searches.
pub fn pdf_decompressed(bytes: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    doc.decompress();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Every part of a zip (XLSX) by name, inflated.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

/// Planted secrets (every encoding) found in any of `outputs`.
pub fn leaks(outputs: &[(String, Vec<u8>)]) -> Vec<String> {
    let secrets = super::searchable_secrets();
    assert!(
        secrets.len() >= 10,
        "enough planted secrets to mean something"
    );
    let mut found = Vec::new();
    for s in &secrets {
        for (enc, needle) in super::encodings(s) {
            for (name, hay) in outputs {
                if super::contains(hay, &needle) {
                    found.push(format!(
                        "a planted secret ({enc}, {} chars) in {name}",
                        s.chars().count()
                    ));
                }
            }
        }
    }
    found
}
