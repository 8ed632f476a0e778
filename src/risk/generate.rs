//! Generation: the scan's findings through the risk rules (every finding a rule matches
//! joins that rule's ONE risk), and the maturity gaps grouped by the title of the risk
//! they raise. Findings triaged `false_positive` are not evidence. A finding scores
//! (can be the worst of) only the first risk it joins, in rule order; see `generate`.
//!
//! A practice whose answer the scan contradicts raises its gap risk even when it was
//! answered Fully or Largely implemented: the answer is not taken on trust, and the
//! contradiction travels with the risk.

use super::rules::{Facts, RiskRule};
use super::score::{self, Exposure};
use super::{AnswerEvidence, Origin, RiskContent};
use crate::assess::results::MaturityResult;
use crate::finding::{Finding, Flag};
use crate::identity::Analysis;
use crate::store::query::StoredFinding;
use crate::store::zones::ZoneMap;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What generation reads.
pub struct Input<'a> {
    /// The latest scan's findings with their triage.
    pub findings: &'a [StoredFinding],
    pub zones: &'a ZoneMap,
    /// The identity graph's analysis of the same findings.
    pub analysis: &'a Analysis,
    pub maturity: Option<&'a MaturityResult>,
}

/// Rule ids of device and OT configuration dialects (the `device_config` trait).
const DEVICE_DIALECTS: &[&str] = &[
    "dialect.cisco",
    "dialect.juniper",
    "dialect.fortios",
    "dialect.panos",
    "dialect.hp",
    "dialect.mikrotik",
    "dialect.industrial",
    "dialect.aws",
];

fn identity(f: &Finding) -> Option<String> {
    match (&f.username, &f.system) {
        (None, None) => None,
        (u, s) => Some(format!(
            "{}@{}",
            u.as_deref().unwrap_or("?"),
            s.as_deref().unwrap_or("?")
        )),
    }
}

/// The graph facts generation needs per credential.
struct GraphFacts<'a> {
    shared: HashSet<&'a str>,
    blast: HashMap<&'a str, u32>,
    /// (credential fingerprint, file) and (credential fingerprint, account) on a
    /// cross-boundary route: a finding is on a route through its file or its account.
    path_sources: HashSet<(&'a str, &'a str)>,
    path_accounts: HashSet<(&'a str, &'a str)>,
}

impl<'a> GraphFacts<'a> {
    fn new(a: &'a Analysis) -> Self {
        GraphFacts {
            shared: a
                .credentials
                .iter()
                .filter(|c| c.shared)
                .map(|c| c.fingerprint.as_str())
                .collect(),
            blast: a
                .credentials
                .iter()
                .map(|c| (c.fingerprint.as_str(), c.blast_radius))
                .collect(),
            path_sources: a
                .cross_boundary
                .iter()
                .flat_map(|p| p.files.iter().map(|f| (p.fingerprint.as_str(), f.as_str())))
                .collect(),
            path_accounts: a
                .cross_boundary
                .iter()
                .map(|p| (p.fingerprint.as_str(), p.account.as_str()))
                .collect(),
        }
    }
}

struct Placed<'a> {
    f: &'a Finding,
    facts: Facts,
    exposure: String,
    target: String,
}

fn place<'a>(f: &'a Finding, zones: &ZoneMap, g: &GraphFacts<'_>) -> Placed<'a> {
    let (exposure, target) = crate::identity::zones_of(f, zones);
    let mut traits: BTreeSet<&'static str> = f.flags.iter().map(|x| x.as_str()).collect();
    if g.shared.contains(f.fingerprint.as_str()) {
        traits.insert("shared");
    }
    let account = identity(f).unwrap_or_else(|| "(unnamed account)".into());
    let fp = f.fingerprint.as_str();
    if g.path_sources.contains(&(fp, f.path.as_str()))
        || g.path_accounts.contains(&(fp, account.as_str()))
    {
        traits.insert("cross_boundary");
    }
    if f.reuse_count > 1 {
        traits.insert("reused");
    }
    if f.sheet.is_some() || f.cell.is_some() {
        traits.insert("sheet");
    }
    if DEVICE_DIALECTS.iter().any(|d| f.rule.starts_with(d)) {
        traits.insert("device_config");
    }
    if !f.has_flag(Flag::Hashed) && !f.has_flag(Flag::Reversible) {
        traits.insert("clear");
    }
    let target_kind = zones
        .zone(&target)
        .map(|z| z.kind.clone())
        .unwrap_or_default();
    Placed {
        f,
        facts: Facts {
            traits,
            category: Some(f.category),
            target_kind,
        },
        exposure,
        target,
    }
}

/// "a, b, c and 3 more", or `none` when empty.
fn list(items: &BTreeSet<String>, none: &str) -> String {
    const SHOWN: usize = 4;
    if items.is_empty() {
        return none.to_string();
    }
    let shown: Vec<&str> = items.iter().take(SHOWN).map(String::as_str).collect();
    match items.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// What scoring reads of one finding.
fn exposure_of(p: &Placed<'_>, zones: &ZoneMap) -> Exposure {
    let f = p.f;
    let t = &p.facts.traits;
    let mut e = Exposure::default();
    if t.contains("hashed") {
        e.hashed = 1;
        e.weak_hashes = t.contains("weak") as usize;
    } else if t.contains("reversible") {
        e.reversible = 1;
    } else {
        e.clear = 1;
    }
    e.defaults = t.contains("default") as usize;
    e.privileged = t.contains("privileged") as usize;
    e.max_reuse = f.reuse_count;
    e.max_age_days = f.age_days.unwrap_or(0);
    let (fc, tc) = (zones.criticality(&p.exposure), zones.criticality(&p.target));
    if tc > fc {
        e.reach = Some((p.exposure.clone(), fc, p.target.clone(), tc));
    }
    e.target = zones.zone(&p.target).cloned();
    e
}

/// A group's score is its worst single finding's: factors are not pooled across
/// different findings (a default password in IT and a clear one in OT do not make a
/// clear default password in OT).
///
/// Only the findings in `scoring` compete for the worst: those that do not already
/// score an earlier, more specific risk (see `generate`). When every finding does,
/// all of them compete, and the derivation says so.
fn risk_of_rule(
    rule: &RiskRule,
    group: &[&Placed<'_>],
    scoring: &[bool],
    g: &GraphFacts<'_>,
    zones: &ZoneMap,
) -> RiskContent {
    let fresh = scoring.iter().filter(|s| **s).count();
    let mut target_zones = BTreeSet::new();
    let mut systems = BTreeSet::new();
    let mut identities = BTreeSet::new();
    let mut files = BTreeSet::new();
    let mut creds = BTreeSet::new();
    let mut worst: Option<(score::Scored, &Placed<'_>)> = None;
    let mut max_age = 0;
    for (p, &scores) in group.iter().zip(scoring) {
        let f = p.f;
        if scores || fresh == 0 {
            let s = score::of_findings(&exposure_of(p, zones));
            let key = |s: &score::Scored| {
                (
                    s.likelihood as u16 * s.impact as u16,
                    s.impact,
                    s.likelihood,
                )
            };
            if worst.as_ref().is_none_or(|(w, _)| key(&s) > key(w)) {
                worst = Some((s, p));
            }
        }
        max_age = max_age.max(f.age_days.unwrap_or(0));
        target_zones.insert(p.target.clone());
        if let Some(s) = &f.system {
            systems.insert(s.clone());
        }
        if let Some(i) = identity(f) {
            identities.insert(i);
        }
        files.insert(format!("{}\u{0}{}", f.root, f.path));
        creds.insert(f.fingerprint.as_str());
    }
    let (mut s, worst) = worst.expect("a rule's group is never empty");
    let n = group.len();
    let which = match fresh {
        _ if fresh == n => format!("the worst of {n} finding(s)"),
        0 => format!(
            "the worst of {n} finding(s), all of which also score an earlier, more specific risk"
        ),
        _ => format!(
            "the worst of {fresh} of {n} finding(s) ({} already score an earlier, more specific risk)",
            n - fresh
        ),
    };
    s.derivation.insert(
        0,
        format!("scored on {which}: {} ({})", worst.f.location(), worst.f.id),
    );
    let description = rule
        .description
        .replace("{count}", &group.len().to_string())
        .replace("{credentials}", &creds.len().to_string())
        .replace("{files}", &files.len().to_string())
        .replace("{zones}", &list(&target_zones, "no known zone"))
        .replace(
            "{systems}",
            &list(&systems, "systems not named in the files"),
        );
    let residual = |v: u8, now: u8| if v == 0 { now } else { v.min(now) };
    RiskContent {
        origin: Origin::Rule,
        key: format!("rule:{}", rule.id),
        title: rule.title.clone(),
        description,
        zones: target_zones.into_iter().collect(),
        systems: systems.into_iter().collect(),
        identities: identities.into_iter().collect(),
        findings: group.iter().map(|p| p.f.id.clone()).collect(),
        answers: Vec::new(),
        attack: rule.attack.clone(),
        likelihood: s.likelihood,
        impact: s.impact,
        derivation: s.derivation,
        treatment: rule.treatment.clone(),
        practices: rule.practices.clone(),
        owner_role: rule.owner_role.clone(),
        residual_likelihood: residual(rule.residual.likelihood, s.likelihood),
        residual_impact: residual(rule.residual.impact, s.impact),
        blast_radius: creds
            .iter()
            .map(|c| g.blast.get(c).copied().unwrap_or(0))
            .sum(),
        age_days: max_age,
        contradictions: Vec::new(),
    }
}

/// `gap:` keys: the title in lowercase words joined by '-'.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for w in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&w.to_lowercase());
    }
    s
}

fn risks_of_gaps(m: &MaturityResult) -> Vec<RiskContent> {
    // Gaps first (the contract's order), then answered practices the evidence refutes.
    let mut sources: Vec<&crate::assess::results::PracticeOutcome> = m.gaps();
    for p in m.contradictions() {
        if !sources.iter().any(|s| s.practice_id == p.practice_id) {
            sources.push(p);
        }
    }
    let mut groups: BTreeMap<String, Vec<&crate::assess::results::PracticeOutcome>> =
        BTreeMap::new();
    let mut order = Vec::new();
    for p in sources {
        let key = slug(&p.gap_risk.title);
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(p);
    }
    order
        .into_iter()
        .map(|key| {
            let ps = &groups[&key];
            let hints: Vec<(String, String, u8, u8)> = ps
                .iter()
                .map(|p| {
                    (
                        p.practice_id.clone(),
                        p.answer.map(|a| a.label()).unwrap_or("unanswered").into(),
                        p.gap_risk.likelihood,
                        p.gap_risk.impact,
                    )
                })
                .collect();
            let contradictions: Vec<String> = ps
                .iter()
                .filter_map(|p| {
                    p.contradiction
                        .as_ref()
                        .map(|c| format!("{}: {c}", p.practice_id))
                })
                .collect();
            let s = score::of_gaps(&hints, contradictions.len());
            let mut attack = BTreeSet::new();
            let mut zones = BTreeSet::new();
            let mut recommendations: Vec<&str> = Vec::new();
            for p in ps {
                attack.extend(p.gap_risk.attack.iter().cloned());
                zones.extend(p.zone_answers.iter().map(|(z, _)| z.clone()));
                if !recommendations.contains(&p.gap_risk.recommendation.as_str()) {
                    recommendations.push(&p.gap_risk.recommendation);
                }
            }
            let first = ps[0];
            let answered: Vec<String> = ps
                .iter()
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.practice_id,
                        p.answer.map(|a| a.label()).unwrap_or("unanswered")
                    )
                })
                .collect();
            RiskContent {
                origin: Origin::Gap,
                key: format!("gap:{key}"),
                title: first.gap_risk.title.clone(),
                description: format!(
                    "The assessment shows this control missing or incomplete: {}.{}",
                    answered.join(", "),
                    if contradictions.is_empty() {
                        String::new()
                    } else {
                        format!(" The scan contradicts {} answer(s).", contradictions.len())
                    }
                ),
                zones: zones.into_iter().collect(),
                systems: Vec::new(),
                identities: Vec::new(),
                findings: Vec::new(),
                answers: ps
                    .iter()
                    .map(|p| AnswerEvidence {
                        practice_id: p.practice_id.clone(),
                        question: p.question.clone(),
                        answer: p.answer,
                        contradiction: p.contradiction.clone(),
                    })
                    .collect(),
                attack: attack.into_iter().collect(),
                likelihood: s.likelihood,
                impact: s.impact,
                derivation: s.derivation,
                treatment: recommendations.join(" "),
                practices: ps.iter().map(|p| p.practice_id.clone()).collect(),
                owner_role: "CISO".into(),
                residual_likelihood: s.likelihood.min(2),
                residual_impact: s.impact,
                blast_radius: 0,
                age_days: 0,
                contradictions,
            }
        })
        .collect()
}

/// Every risk the evidence supports today, in rule order then gap order.
pub fn generate(rules: &[RiskRule], input: &Input<'_>) -> Vec<RiskContent> {
    let g = GraphFacts::new(input.analysis);
    let placed: Vec<Placed<'_>> = input
        .findings
        .iter()
        .filter(|s| s.status != "false_positive")
        .map(|s| place(&s.finding, input.zones, &g))
        .collect();
    // A finding scores only the first risk it falls in: the rules file lists the
    // specific risks (IT-to-OT paths, vendor defaults, spreadsheets) before the general
    // ones (passwords in clear, hashes, reuse). It stays evidence of every risk it
    // matches, but a general risk is ranked on what it adds, so the worst credential
    // of the site does not make three register rows critical by itself.
    let mut scored = vec![false; placed.len()];
    let mut out = Vec::new();
    for rule in rules {
        let members: Vec<usize> = (0..placed.len())
            .filter(|&i| rule.matches(&placed[i].facts))
            .collect();
        if members.is_empty() {
            continue;
        }
        let group: Vec<&Placed<'_>> = members.iter().map(|&i| &placed[i]).collect();
        let scoring: Vec<bool> = members.iter().map(|&i| !scored[i]).collect();
        out.push(risk_of_rule(rule, &group, &scoring, &g, input.zones));
        for i in members {
            scored[i] = true;
        }
    }
    if let Some(m) = input.maturity {
        out.extend(risks_of_gaps(m));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("No MFA on remote OT access"),
            "no-mfa-on-remote-ot-access"
        );
        assert_eq!(
            slug("  Vendor/default  — passwords! "),
            "vendor-default-passwords"
        );
    }
}
