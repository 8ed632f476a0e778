//! Raw finding → finding record: location from the span, a context line with every
//! secret on it masked, the masked preview and keyed fingerprint. After this the
//! plaintext is dropped (the `RawFinding` is consumed).

use crate::detect::RawFinding;
use crate::detect::knowledge::Knowledge;
use crate::finding::{Finding, Flag};
use crate::ingest::Origin;
use crate::ingest::text::LineIndex;
use crate::ingest::walk::SourceFile;
use crate::secret::mask;
use crate::vault::FingerprintKey;
use std::collections::HashMap;
use std::ops::Range;

/// Longest context shown, in characters.
const CONTEXT_WIDTH: usize = 160;

pub(crate) struct TextCtx<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    /// Line number of the text's first line in the container's numbering.
    pub first_line: u32,
    /// Spans of every finding in this text, masked in each other's context too.
    pub all_spans: &'a [Range<usize>],
}

pub(crate) fn to_finding(
    raw: RawFinding,
    origin: &Origin,
    text: Option<&TextCtx<'_>>,
    key: &FingerprintKey,
) -> Finding {
    let mut line = raw.line;
    let mut column = raw.column;
    let mut context = raw.context.clone().unwrap_or_default();
    if let (Some(t), Some(span)) = (text, raw.span.clone()) {
        let (l, c) = t.lines.position(t.text, span.start);
        line = Some(l + t.first_line - 1);
        column = Some(c);
        if raw.context.is_none() {
            context = masked_context(t, span.start);
        }
    }
    let secret_masked = raw.secret.masked();
    let secret_length = raw.secret.len_chars();
    let fingerprint = key.fingerprint(raw.secret.expose());
    let mut flags = raw.flags.clone();
    flags.sort();
    flags.dedup();
    Finding {
        id: String::new(),
        path: String::new(),
        root: String::new(),
        member: origin.member.clone(),
        line,
        column,
        sheet: origin.sheet.clone(),
        cell: raw.cell.clone(),
        label: raw.label.clone().or_else(|| origin.label.clone()),
        rule: raw.rule_id.clone().into_owned(),
        rule_name: raw.rule_name.clone().into_owned(),
        category: raw.category,
        confidence: raw.confidence,
        username: raw.username.clone(),
        system: raw.system.clone(),
        secret_masked,
        secret_length,
        fingerprint,
        flags,
        hash_algorithm: raw.hash_algorithm.clone(),
        vendor_hint: raw.vendor_hint.clone(),
        age_days: None,
        zone_hints: Vec::new(),
        context,
        file_size: 0,
        file_mtime: None,
        reuse_count: 1,
        detail: raw.detail.clone(),
    }
}

/// The line holding `offset`, with every finding span on it masked, trimmed to
/// `CONTEXT_WIDTH` characters around the offset.
fn masked_context(t: &TextCtx<'_>, offset: usize) -> String {
    let n = t.lines.line_of(offset);
    let lr = t.lines.line_range(t.text, n);
    let mut out = String::new();
    let mut pos = lr.start;
    let mut spans: Vec<Range<usize>> = t
        .all_spans
        .iter()
        .filter(|s| s.start < lr.end && lr.start < s.end.max(s.start + 1))
        .map(|s| s.start.max(lr.start)..s.end.min(lr.end))
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut focus_char = 0usize;
    for s in spans {
        if s.start < pos {
            continue;
        }
        out.push_str(&t.text[pos..s.start]);
        if s.start <= offset && offset <= s.end.max(s.start) {
            focus_char = out.chars().count();
        }
        out.push_str(&mask(&t.text[s.clone()]));
        pos = s.end;
    }
    out.push_str(&t.text[pos..lr.end]);
    trim_around(out.trim_end(), focus_char)
}

fn trim_around(line: &str, focus: usize) -> String {
    let total = line.chars().count();
    if total <= CONTEXT_WIDTH {
        return line.trim_start().to_string();
    }
    let start = focus
        .saturating_sub(CONTEXT_WIDTH / 3)
        .min(total - CONTEXT_WIDTH);
    let body: String = line.chars().skip(start).take(CONTEXT_WIDTH).collect();
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if start + CONTEXT_WIDTH < total {
        "…"
    } else {
        ""
    };
    format!("{prefix}{body}{suffix}")
}

/// Sets everything that depends on which file the content was found in.
pub(crate) fn apply_file_facts(f: &mut Finding, file: &SourceFile, knowledge: &Knowledge) {
    f.root = file.root.display().to_string();
    f.path = file.rel.clone();
    f.file_size = file.size;
    f.file_mtime = file.mtime.map(|m| {
        chrono::DateTime::<chrono::Utc>::from(m).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    });
    f.age_days = Knowledge::age_days(file.mtime);
    f.flags.retain(|fl| *fl != Flag::Stale);
    if f.age_days.is_some_and(|d| d > 365) {
        f.flags.push(Flag::Stale);
        f.flags.sort();
    }
    let name = match &f.member {
        Some(m) => format!("{}!{m}", f.path),
        None => f.path.clone(),
    };
    f.zone_hints = knowledge.zone_hints(&name, f.system.as_deref());
    f.id = finding_id(f);
}

/// Stable id from where and what: the same finding in a re-scan gets the same id.
fn finding_id(f: &Finding) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        f.root.as_str(),
        f.path.as_str(),
        f.member.as_deref().unwrap_or(""),
        f.sheet.as_deref().unwrap_or(""),
        f.cell.as_deref().unwrap_or(""),
        &f.line.map(|l| l.to_string()).unwrap_or_default(),
        &f.column.map(|l| l.to_string()).unwrap_or_default(),
        f.rule.as_str(),
        f.fingerprint.as_str(),
    ] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    hex::encode(&h.finalize().as_bytes()[..8])
}

pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            &a.root, &a.path, &a.member, &a.sheet, a.line, &a.cell, a.column, &a.rule,
        )
            .cmp(&(
                &b.root, &b.path, &b.member, &b.sheet, b.line, &b.cell, b.column, &b.rule,
            ))
    });
}

/// Sets `reuse_count` on every finding: how many places in the result share its
/// fingerprint. Reuse across files and rows is the evidence of sharing.
pub fn link_reuse(findings: &mut [Finding]) {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for f in findings.iter() {
        *counts.entry(f.fingerprint.clone()).or_default() += 1;
    }
    for f in findings.iter_mut() {
        f.reuse_count = counts[&f.fingerprint];
    }
}
