//! Outputs of an engagement: stored findings with triage and zones, drift between
//! scans, and the identity metrics. Masked previews and fingerprints only.

use crate::identity::Analysis;
use crate::store::query::{Diff, ListedFinding};
use std::io::Write;

fn who(u: &Option<String>, s: &Option<String>) -> String {
    match (u, s) {
        (None, None) => "-".into(),
        (u, s) => format!(
            "{}@{}",
            u.as_deref().unwrap_or("?"),
            s.as_deref().unwrap_or("?")
        ),
    }
}

pub fn findings_table(list: &[ListedFinding], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<16} {:<14} {:<13} {:<48} {:<28} {:<30} {:<14} flags",
        "id", "status", "zones", "location", "rule", "account", "secret"
    )?;
    for l in list {
        let f = &l.stored.finding;
        let zones = if l.exposure_zone == l.target_zone {
            l.exposure_zone.clone()
        } else {
            format!("{}→{}", l.exposure_zone, l.target_zone)
        };
        let flags: Vec<&str> = f.flags.iter().map(|x| x.as_str()).collect();
        writeln!(
            out,
            "{:<16} {:<14} {:<13} {:<48} {:<28} {:<30} {:<14} {}",
            f.id,
            l.stored.status,
            zones,
            f.location(),
            f.rule,
            who(&f.username, &f.system),
            f.secret_masked,
            flags.join(",")
        )?;
    }
    writeln!(out, "{} finding(s)", list.len())
}

pub fn findings_jsonl(list: &[ListedFinding], out: &mut dyn Write) -> std::io::Result<()> {
    for l in list {
        serde_json::to_writer(&mut *out, l)?;
        writeln!(out)?;
    }
    Ok(())
}

pub fn findings_csv(list: &[ListedFinding], out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "status",
        "exposure_zone",
        "target_zone",
        "path",
        "member",
        "line",
        "sheet",
        "cell",
        "rule",
        "category",
        "username",
        "system",
        "secret_masked",
        "fingerprint",
        "flags",
        "note",
        "who",
        "triaged_at",
    ])?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    for l in list {
        let f = &l.stored.finding;
        w.write_record([
            f.id.clone(),
            l.stored.status.clone(),
            l.exposure_zone.clone(),
            l.target_zone.clone(),
            f.path.clone(),
            opt(&f.member),
            f.line.map(|n| n.to_string()).unwrap_or_default(),
            opt(&f.sheet),
            opt(&f.cell),
            f.rule.clone(),
            f.category.as_str().to_string(),
            opt(&f.username),
            opt(&f.system),
            f.secret_masked.clone(),
            f.fingerprint.clone(),
            f.flags
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(";"),
            opt(&l.stored.note),
            opt(&l.stored.who),
            opt(&l.stored.triaged_at),
        ])?;
    }
    w.flush()
}

pub fn diff_table(d: &Diff, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "scan {} → scan {}: {} new, {} gone, {} changed",
        d.from,
        d.to,
        d.new.len(),
        d.gone.len(),
        d.changed.len()
    )?;
    for f in &d.new {
        writeln!(
            out,
            "+ new      {:<16} {:<48} {:<28} {}",
            f.id,
            f.location(),
            f.rule,
            f.secret_masked
        )?;
    }
    for f in &d.gone {
        writeln!(
            out,
            "- gone     {:<16} {:<48} {:<28} {}",
            f.id,
            f.location(),
            f.rule,
            f.secret_masked
        )?;
    }
    for (a, b) in &d.changed {
        writeln!(
            out,
            "~ changed  {:<16} {:<48} {:<28} {} → {} (secret changed)",
            b.id,
            b.location(),
            b.rule,
            a.secret_masked,
            b.secret_masked
        )?;
    }
    Ok(())
}

pub fn metrics_table(a: &Analysis, out: &mut dyn Write) -> std::io::Result<()> {
    let m = &a.metrics;
    let rows = [
        ("Identities", m.identities),
        ("Credentials (distinct)", m.credentials),
        ("Privileged identities", m.privileged),
        ("Identities on a shared credential", m.shared),
        ("Shared credentials", m.shared_credentials),
        ("Non-human identities (no oversight)", m.non_human),
        ("Identities crossing a trust boundary", m.cross_boundary),
        ("Cross-boundary paths", m.cross_boundary_paths),
        ("Credentials reused across zones", m.reused_across_zones),
        ("Default credentials", m.default),
        ("Older than 1 year", m.older_than_1y),
        ("Older than 4 years", m.older_than_4y),
    ];
    for (k, v) in rows {
        writeln!(out, "{k:<40} {v:>6}")?;
    }
    if !a.cross_boundary.is_empty() {
        writeln!(
            out,
            "\nCross-boundary paths (exposed in a lower-criticality zone, unlocks a higher one):"
        )?;
        for p in &a.cross_boundary {
            writeln!(out, "  {}", p.spelled())?;
        }
    }
    let top: Vec<_> = a
        .credentials
        .iter()
        .filter(|c| c.blast_radius > 0)
        .take(10)
        .collect();
    if !top.is_empty() {
        writeln!(out, "\nBlast radius (top credentials):")?;
        for c in top {
            writeln!(
                out,
                "  {:>4}  {:<28} zones {:<24} systems {}",
                c.blast_radius,
                c.label,
                c.zones.join(","),
                if c.systems.is_empty() {
                    "-".into()
                } else {
                    c.systems.join(", ")
                }
            )?;
        }
    }
    Ok(())
}
