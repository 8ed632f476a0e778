//! The executive PDF for the board (printpdf 0.12, our own layout): cover, verdict,
//! key indicators with the heat map, top 10 risks, identity pathways, maturity radar
//! and trend, 30/60/90-day roadmap, method and scope, findings appendix. A4 or Letter.
//!
//! Deterministic: fixed font resource names, the report's date as the document date,
//! and a document id derived from the content, so the same engagement gives the same
//! bytes. Only masked previews, short fingerprints and names reach it.

pub mod charts;
pub mod detail;
pub mod fonts;
pub mod layout;
pub mod summary;

use super::data::ReportData;
use layout::{Doc, Paper};
use printpdf::{FontId, PdfDocument, PdfFont, PdfSaveOptions};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("report font: {0}")]
    Font(String),
    #[error("writing the PDF: {0}")]
    Write(String),
    #[error("report date '{0}' is not YYYY-MM-DD")]
    Date(String),
}

/// `a4` or `letter`.
pub fn paper(name: &str) -> Option<Paper> {
    match name.to_ascii_lowercase().as_str() {
        "a4" => Some(layout::A4),
        "letter" => Some(layout::LETTER),
        _ => None,
    }
}

fn unix_of(date: &str) -> Result<i64, PdfError> {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp()
        })
        .map_err(|_| PdfError::Date(date.to_string()))
}

/// Lays out every page.
fn pages(d: &ReportData, fonts: &fonts::Fonts, paper: Paper) -> (Vec<printpdf::PdfPage>, usize) {
    let mut doc = Doc::new(fonts, paper);
    summary::cover(&mut doc, d);
    summary::verdict(&mut doc, d);
    summary::indicators(&mut doc, d);
    detail::top_risks(&mut doc, d);
    detail::pathways(&mut doc, d);
    detail::maturity_and_trend(&mut doc, d);
    detail::roadmap(&mut doc, d);
    detail::method(&mut doc, d);
    detail::appendix(&mut doc, d);
    if doc.replaced > 0 {
        doc.gap(8.0);
        doc.para(
            &format!(
                "Note: {} character(s) in names or titles are in scripts the embedded font does not cover (for example Chinese or Arabic) and are shown as �. The XLSX, CSV and JSON exports keep them as written.",
                doc.replaced
            ),
            layout::SMALL,
        );
    }
    let replaced = doc.replaced;
    let header = format!(
        "{} · {} · identity risk assessment",
        d.meta.client, d.meta.site
    );
    let marking = d.marking();
    let footer = format!("{} · {}", d.as_of, marking);
    (doc.finish(paper, &header, &marking, &footer), replaced)
}

/// Every character drawn with font `id` (to subset the font to them).
fn characters_of(pages: &[printpdf::PdfPage], id: &FontId) -> std::collections::BTreeSet<char> {
    use printpdf::{Op, PdfFontHandle, TextItem};
    let mut used = std::collections::BTreeSet::new();
    let mut current = false;
    for op in pages.iter().flat_map(|p| p.ops.iter()) {
        match op {
            Op::SetFont {
                font: PdfFontHandle::External(f),
                ..
            } => current = f == id,
            Op::ShowText { items } if current => {
                for item in items {
                    if let TextItem::Text(t) = item {
                        used.extend(t.chars());
                    }
                }
            }
            _ => {}
        }
    }
    used
}

/// Renders the report. Returns the PDF bytes.
pub fn render(d: &ReportData, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::load().map_err(PdfError::Font)?;
    let (pages, _) = pages(d, &fonts, paper);
    let mut pdf = PdfDocument::new(&format!(
        "Identity risk assessment: {} / {}",
        d.meta.client, d.meta.site
    ));
    let when = printpdf::OffsetDateTime::from_unix_timestamp(unix_of(&d.as_of)?)
        .map_err(|e| PdfError::Date(e.to_string()))?;
    let info = &mut pdf.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.author = d.meta.assessor.clone().unwrap_or_default();
    info.creator = "Credence".into();
    info.producer = "Credence (printpdf)".into();
    info.subject = d.marking();
    for face in [&fonts.regular, &fonts.bold] {
        let used = characters_of(&pages, &face.id);
        pdf.resources
            .fonts
            .map
            .insert(FontId(face.id.0.clone()), PdfFont::new(face.subset(&used)));
    }
    pdf.with_pages(pages);
    let opts = PdfSaveOptions::default();
    let mut warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&pdf, &opts, &mut warnings);
    // printpdf draws the trailer /ID at random; derive it from the content instead.
    lo.trailer.remove(b"ID");
    lo.compress();
    let mut first = Vec::new();
    lo.save_to(&mut first)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    let id = blake3::hash(&first).to_hex()[..32].to_string();
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone().into_bytes(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal),
        ]),
    );
    let mut out = Vec::with_capacity(first.len() + 64);
    lo.save_to(&mut out)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}
