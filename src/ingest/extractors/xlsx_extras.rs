//! What an xlsx says beyond its cell values, read from its XML with byte searches
//! (no second XML parse of big sheets): hidden rows and columns, sheet and workbook
//! protection hashes, and cell comments located by their relationship files.

use crate::detect::RawFinding;
use crate::finding::{Category, Confidence, Flag};
use crate::ingest::{Origin, Part};
use crate::secret::Secret;
use std::collections::HashMap;

/// What the sheet XML says beyond cell values.
#[derive(Default)]
pub(crate) struct SheetExtras {
    pub(crate) hidden_rows: Vec<u32>,
    pub(crate) hidden_cols: Vec<u32>,
    /// (algorithm, hash) of a sheet protection password.
    pub(crate) protection: Option<(String, String)>,
    /// Cell comments (notes): zero-based (row, column) and text.
    pub(crate) comments: Vec<(u32, u32, String)>,
}

/// A finding for a sheet or workbook protection hash.
pub(crate) fn protection_finding(scope: &str, algorithm: &str, hash: String) -> RawFinding {
    let legacy = algorithm == "excel-legacy-16bit";
    let mut f = RawFinding::new(
        format!("{scope}.protection-hash"),
        format!(
            "{} protection password hash",
            if scope == "sheet" {
                "Sheet"
            } else {
                "Workbook"
            }
        ),
        Category::Hash,
        Confidence::High,
        Secret::new(hash),
    )
    .flag(Flag::Hashed)
    .specificity(90);
    f.hash_algorithm = Some(algorithm.to_string());
    f.detail = Some(if legacy {
        "legacy 16-bit protection hash: a working password is found in seconds".to_string()
    } else {
        format!("{scope} protection hash ({algorithm})")
    });
    if legacy {
        f = f.flag(Flag::Weak);
    }
    f
}

/// Hidden rows/columns and protection hashes from the xlsx XML (workbook, rels, sheets).
pub(crate) fn collect_xlsx_extras(
    xml: &HashMap<String, Vec<u8>>,
    mut by_path: HashMap<String, SheetExtras>,
    extras: &mut HashMap<String, SheetExtras>,
    emit: &mut dyn FnMut(Part),
) {
    let Some(wb) = xml.get("xl/workbook.xml") else {
        return;
    };
    if let Some(tag) =
        find_tag(wb, b"<workbookProtection").or_else(|| find_tag(wb, b"<x:workbookProtection"))
        && let Some((alg, hash)) = protection(
            tag,
            "workbookPassword",
            "workbookAlgorithmName",
            "workbookHashValue",
        )
    {
        emit(Part::Finding {
            origin: Origin::default(),
            finding: Box::new(protection_finding("workbook", &alg, hash)),
        });
    }
    // rId → target, then sheet name → target.
    let mut targets: HashMap<String, String> = HashMap::new();
    if let Some(rels) = xml.get("xl/_rels/workbook.xml.rels") {
        for tag in tags(rels, b"<Relationship ") {
            if let (Some(id), Some(t)) = (tag_attr(tag, "Id"), tag_attr(tag, "Target")) {
                let t = t.trim_start_matches('/');
                let path = if t.starts_with("xl/") {
                    t.to_string()
                } else {
                    format!("xl/{t}")
                };
                targets.insert(id, path);
            }
        }
    }
    for tag in tags(wb, b"<sheet ") {
        let (Some(name), Some(rid)) = (
            tag_attr(tag, "name"),
            tag_attr(tag, "r:id").or_else(|| tag_attr(tag, "id")),
        ) else {
            continue;
        };
        let name = unescape_attr(&name);
        let Some(path) = targets.get(&rid) else {
            continue;
        };
        let mut found = by_path.remove(path).unwrap_or_default();
        found.comments = sheet_comments(xml, path);
        extras.insert(name, found);
    }
}

/// The comments (notes) of the sheet at `path`, through its relationships file.
fn sheet_comments(xml: &HashMap<String, Vec<u8>>, path: &str) -> Vec<(u32, u32, String)> {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let Some(rels) = xml.get(&format!("{dir}/_rels/{file}.rels")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for tag in tags(rels, b"<Relationship ") {
        let is_comments = tag_attr(tag, "Type").is_some_and(|t| t.ends_with("/comments"));
        let Some(target) = tag_attr(tag, "Target").filter(|_| is_comments) else {
            continue;
        };
        let Some(comments) = xml.get(&resolve(dir, &target)) else {
            continue;
        };
        for pos in memchr::memmem::find_iter(comments, b"<comment ") {
            let tag_end =
                memchr::memchr(b'>', &comments[pos..]).map_or(comments.len(), |e| pos + e);
            let Some((r, c)) = tag_attr(&comments[pos..tag_end], "ref").and_then(|a| parse_a1(&a))
            else {
                continue;
            };
            let body_end = memchr::memmem::find(&comments[tag_end..], b"</comment>")
                .map_or(comments.len(), |e| tag_end + e);
            let text = strip_tags(&comments[tag_end..body_end]);
            if !text.trim().is_empty() {
                out.push((r, c, text));
            }
        }
    }
    out
}

/// `target` relative to the folder `dir` (`xl/worksheets` + `../comments1.xml`).
fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Zero-based (row, column) of an A1 reference.
fn parse_a1(a: &str) -> Option<(u32, u32)> {
    let letters: String = a.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row: u32 = a[letters.len()..].parse().ok()?;
    let mut col = 0u32;
    for c in letters.to_ascii_uppercase().bytes() {
        col = col.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)?;
    }
    (row >= 1 && col >= 1).then(|| (row - 1, col - 1))
}

/// Text of an XML fragment: tags dropped, predefined entities unescaped.
fn strip_tags(xml: &[u8]) -> String {
    let mut out = Vec::with_capacity(xml.len());
    let mut in_tag = false;
    for &b in xml {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if !in_tag => out.push(b),
            _ => {}
        }
    }
    unescape_attr(&String::from_utf8_lossy(&out))
}

pub(crate) fn sheet_extras(xml: &[u8]) -> SheetExtras {
    let mut out = SheetExtras::default();
    // One pass over the sheet for both spellings (`hidden="1"`, `hidden="true"`): a
    // large sheet's XML is tens of megabytes.
    for pos in memchr::memmem::find_iter(xml, b"hidden=\"") {
        let value = &xml[pos + 8..];
        if !(value.starts_with(b"1\"") || value.starts_with(b"true\"")) {
            continue;
        }
        let Some(start) = memchr::memrchr(b'<', &xml[..pos]) else {
            continue;
        };
        let tag = &xml[start..pos];
        if tag.starts_with(b"<row ") {
            if let Some(r) = tag_attr(tag, "r").and_then(|r| r.parse::<u32>().ok()) {
                out.hidden_rows.push(r.saturating_sub(1));
            }
        } else if tag.starts_with(b"<col ") {
            let min = tag_attr(tag, "min").and_then(|v| v.parse::<u32>().ok());
            let max = tag_attr(tag, "max").and_then(|v| v.parse::<u32>().ok());
            if let (Some(a), Some(b)) = (min, max) {
                // Bounded: a column range spans at most the 16384 columns of a sheet.
                out.hidden_cols
                    .extend((a.max(1)..=b.min(16384)).map(|c| c - 1));
            }
        }
    }
    // `sheetProtection` follows `sheetData` in the schema: the cells (nearly all of
    // the XML) are not searched; before them too, for writers that misplace it.
    let data_start = memchr::memmem::find(xml, b"<sheetData").unwrap_or(xml.len());
    let data_end = memchr::memmem::rfind(xml, b"</sheetData>").unwrap_or(data_start);
    let protection_tag = find_tag(&xml[data_end..], b"<sheetProtection")
        .or_else(|| find_tag(&xml[..data_start], b"<sheetProtection"));
    if let Some(tag) = protection_tag {
        out.protection = protection(tag, "password", "algorithmName", "hashValue");
    }
    out
}

/// (algorithm, hash) from a protection element's attributes.
fn protection(tag: &[u8], legacy: &str, alg: &str, hash: &str) -> Option<(String, String)> {
    if let Some(h) = tag_attr(tag, hash).filter(|h| !h.is_empty()) {
        return Some((tag_attr(tag, alg).unwrap_or_else(|| "unknown".into()), h));
    }
    tag_attr(tag, legacy)
        .filter(|h| !h.is_empty())
        .map(|h| ("excel-legacy-16bit".to_string(), h))
}

/// The first element starting with `open` (up to its `>`).
fn find_tag<'a>(xml: &'a [u8], open: &'a [u8]) -> Option<&'a [u8]> {
    tags(xml, open).next()
}

fn tags<'a>(xml: &'a [u8], open: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    memchr::memmem::find_iter(xml, open).map(move |p| {
        let end = memchr::memchr(b'>', &xml[p..])
            .map(|e| p + e)
            .unwrap_or(xml.len());
        &xml[p..end]
    })
}

/// The value of `name="..."` in a tag (preceded by whitespace, so `hashValue` does not
/// match inside `workbookHashValue`).
fn tag_attr(tag: &[u8], name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    for p in memchr::memmem::find_iter(tag, pat.as_bytes()) {
        if p == 0 || !tag[p - 1].is_ascii_whitespace() {
            continue;
        }
        let start = p + pat.len();
        let end = memchr::memchr(b'"', &tag[start..])? + start;
        return Some(String::from_utf8_lossy(&tag[start..end]).into_owned());
    }
    None
}

fn unescape_attr(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_columns_and_modern_protection_from_sheet_xml() {
        let xml = br#"<worksheet><cols><col min="2" max="3" width="0" hidden="1"/></cols><sheetData><row r="5" hidden="1"><c r="A5"/></row><row r="6"/></sheetData><sheetProtection algorithmName="SHA-512" hashValue="q1w2e3==" saltValue="c2FsdA==" spinCount="100000" sheet="1"/></worksheet>"#;
        let x = sheet_extras(xml);
        assert_eq!(x.hidden_rows, vec![4]);
        assert_eq!(x.hidden_cols, vec![1, 2]);
        assert_eq!(x.protection, Some(("SHA-512".into(), "q1w2e3==".into())));
        let legacy =
            sheet_extras(br#"<worksheet><sheetProtection password="CC3D" sheet="1"/></worksheet>"#);
        assert_eq!(
            legacy.protection,
            Some(("excel-legacy-16bit".into(), "CC3D".into()))
        );
    }

    /// Both spellings of hidden, and a protection element wherever a writer puts it
    /// (after the cells as the schema says, before them, after an empty sheetData).
    #[test]
    fn hidden_spellings_and_misplaced_protection() {
        let after = br#"<worksheet><cols><col min="1" max="1" hidden="true"/></cols><sheetData><row r="2" hidden="true"/><row r="3" hidden="0"/></sheetData><sheetProtection password="CC1A"/></worksheet>"#;
        let x = sheet_extras(after);
        assert_eq!((x.hidden_rows, x.hidden_cols), (vec![1], vec![0]));
        assert_eq!(x.protection.unwrap().1, "CC1A");
        let before = br#"<worksheet><sheetProtection password="CC1B"/><sheetData><row r="1"/></sheetData></worksheet>"#;
        assert_eq!(sheet_extras(before).protection.unwrap().1, "CC1B");
        let empty = br#"<worksheet><sheetData/><sheetProtection password="CC1C"/></worksheet>"#;
        assert_eq!(sheet_extras(empty).protection.unwrap().1, "CC1C");
        let none = br#"<worksheet><sheetData><row r="1"><c><v>sheetProtection</v></c></row></sheetData></worksheet>"#;
        assert!(sheet_extras(none).protection.is_none());
    }

    #[test]
    fn workbook_protection_attribute_names_do_not_collide() {
        let tag = br#"<workbookProtection workbookAlgorithmName="SHA-512" workbookHashValue="abc" lockStructure="1""#;
        assert_eq!(
            protection(
                tag,
                "workbookPassword",
                "workbookAlgorithmName",
                "workbookHashValue"
            ),
            Some(("SHA-512".into(), "abc".into()))
        );
        assert_eq!(tag_attr(tag, "hashValue"), None);
    }

    #[test]
    fn comment_paths_and_refs() {
        assert_eq!(
            resolve("xl/worksheets", "../comments1.xml"),
            "xl/comments1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "/xl/comments2.xml"),
            "xl/comments2.xml"
        );
        assert_eq!(parse_a1("B3"), Some((2, 1)));
        assert_eq!(parse_a1("AA10"), Some((9, 26)));
        assert_eq!(parse_a1("3"), None);
        assert_eq!(
            strip_tags(b"<text><r><t>pw: a&amp;b</t></r></text>"),
            "pw: a&b"
        );
    }
}
