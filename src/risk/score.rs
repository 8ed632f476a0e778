//! Likelihood and impact on 1-5, each with its derivation written down so a reader can
//! check the figure. The method, and why it is calibrated the way it is:
//!
//! **Likelihood** (how readily an intruder gets and uses the credential), of one finding:
//! - exposure: clear text or a reversible form = 3 (readable by whoever opens
//!   the file); only hashes = 1, +1 when a hash is weak (crackable offline);
//! - reach: +1 when a credential is kept in a lower-criticality zone than what it opens
//!   (more people can read it than should operate the target);
//! - default: +1 for a vendor default (guessable without any file);
//! - reuse: +1 when one secret sits in 3 or more places;
//! - age: +1 when the evidence is older than 4 years (long exposure);
//! - contradiction: +1 when an answer claims the control the evidence refutes;
//!
//! clamped to 1-5.
//!
//! **Impact** (what the credential unlocks): the criticality of the most critical zone
//! opened (its highest axis: safety, availability, regulatory) for a privileged account
//! (control of the system: change logic, set points, users); one step less for any other
//! account (use within a role, e.g. an operator or a read-only login). Clamped to 1-5.
//! Adding a step for privilege on top of the zone (as a first version did) put every
//! OT-L3 administrator at 5, level with a safety controller.
//!
//! A finding-based risk is scored on its worst finding (see `generate`); a gap risk takes
//! the template's likelihood and impact hints (the highest among the practices grouped),
//! +1 likelihood for a contradiction.
//!
//! **Band** (`super::Band::of`): likelihood x impact on a 5x5 matrix, Critical 20-25,
//! High 12-16, Medium 6-10, Low 1-5. Critical needs both axes at 4 or more with one at 5:
//! a likely route to a system whose loss is severe. 15 (3 x 5, e.g. a readable
//! non-default password for an OT-L2 administrator kept inside OT) is High, not Critical.
//! Worked examples are the tests below and tests/risk_generation.rs.

use crate::store::zones::Zone;

/// Evidence summary of a group of findings, as scoring reads it.
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    pub clear: usize,
    pub reversible: usize,
    pub hashed: usize,
    pub weak_hashes: usize,
    pub defaults: usize,
    pub privileged: usize,
    pub max_reuse: u32,
    pub max_age_days: u32,
    /// The widest gap from where a credential is kept to what it opens:
    /// (exposure zone, its criticality, target zone, its criticality).
    pub reach: Option<(String, u8, String, u8)>,
    /// The most critical zone opened.
    pub target: Option<Zone>,
    pub contradictions: usize,
}

pub struct Scored {
    pub likelihood: u8,
    pub impact: u8,
    pub derivation: Vec<String>,
}

fn clamp(v: i32) -> u8 {
    v.clamp(1, 5) as u8
}

pub fn of_findings(e: &Exposure) -> Scored {
    let mut d = Vec::new();
    let mut l: i32;
    if e.clear > 0 || e.reversible > 0 {
        l = 3;
        let how = match (e.clear, e.reversible) {
            (c, 0) => format!("{c} in clear text"),
            (0, r) => format!("{r} in a reversible form anyone can decode"),
            (c, r) => format!("{c} in clear text, {r} reversible"),
        };
        d.push(format!(
            "likelihood 3: exposure, readable by whoever opens the file ({how})"
        ));
    } else {
        l = 1;
        d.push(format!(
            "likelihood 1: exposure, only hashes ({} hashed)",
            e.hashed
        ));
        if e.weak_hashes > 0 {
            l += 1;
            d.push(format!(
                "+1 weak hashes, crackable offline ({})",
                e.weak_hashes
            ));
        }
    }
    if let Some((from, fc, to, tc)) = &e.reach {
        l += 1;
        d.push(format!(
            "+1 reach: kept in {from} (criticality {fc}), opens {to} (criticality {tc})"
        ));
    }
    if e.defaults > 0 {
        l += 1;
        d.push(format!(
            "+1 vendor default, guessable without any file ({})",
            e.defaults
        ));
    }
    if e.max_reuse >= 3 {
        l += 1;
        d.push(format!("+1 reuse: one secret in {} places", e.max_reuse));
    }
    if e.max_age_days > 4 * 365 {
        l += 1;
        d.push(format!(
            "+1 age: evidence {} years old",
            e.max_age_days / 365
        ));
    }
    if e.contradictions > 0 {
        l += 1;
        d.push("+1 an assessment answer claims a control this evidence refutes".into());
    }
    if !(1..=5).contains(&l) {
        d.push(format!("likelihood {l} capped to {}", clamp(l)));
    }
    let i: i32 = match &e.target {
        Some(z) => {
            let (axis, v) = highest_axis(z);
            d.push(format!(
                "impact {v}: {} {axis} {v} (safety {}, availability {}, regulatory {})",
                z.name, z.safety, z.availability, z.regulatory
            ));
            v as i32
        }
        None => {
            d.push("impact 3: no zone known for what it opens".into());
            3
        }
    };
    let i = if e.privileged > 0 {
        d.push(format!(
            "privileged access: control of the system, the zone's full impact ({})",
            e.privileged
        ));
        i
    } else if i > 1 {
        d.push("-1 not privileged: use within a role, not control of the system".into());
        i - 1
    } else {
        i
    };
    Scored {
        likelihood: clamp(l),
        impact: clamp(i),
        derivation: d,
    }
}

/// The zone's highest axis and its name (ties: safety, then availability).
pub fn highest_axis(z: &Zone) -> (&'static str, u8) {
    let mut best = ("safety", z.safety);
    for (name, v) in [
        ("availability", z.availability),
        ("regulatory", z.regulatory),
    ] {
        if v > best.1 {
            best = (name, v);
        }
    }
    best
}

/// A gap risk: the template's hints, +1 likelihood for a contradiction.
/// `hints`: (practice id, answer label, likelihood hint, impact hint).
pub fn of_gaps(hints: &[(String, String, u8, u8)], contradictions: usize) -> Scored {
    let mut d = Vec::new();
    let l0 = hints.iter().map(|h| h.2).max().unwrap_or(1);
    let i0 = hints.iter().map(|h| h.3).max().unwrap_or(1);
    let from: Vec<String> = hints
        .iter()
        .map(|(p, a, _, _)| format!("{p} {a}"))
        .collect();
    d.push(format!(
        "likelihood {l0}, impact {i0}: the model's hints for {}",
        from.join("; ")
    ));
    let mut l = l0 as i32;
    if contradictions > 0 {
        l += 1;
        d.push(format!(
            "+1 likelihood: the scan's evidence contradicts {contradictions} answer(s)"
        ));
    }
    if l > 5 {
        d.push("likelihood capped to 5".into());
    }
    Scored {
        likelihood: clamp(l),
        impact: clamp(i0 as i32),
        derivation: d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str, s: u8, a: u8, r: u8) -> Zone {
        Zone {
            name: name.into(),
            kind: name.into(),
            safety: s,
            availability: a,
            regulatory: r,
            description: None,
        }
    }

    use crate::risk::Band;

    fn band(s: &Scored) -> Band {
        Band::of(s.likelihood * s.impact)
    }

    #[test]
    fn default_password_of_an_ot_device_readable_from_the_it_share_is_critical() {
        // 3 (clear) +1 reach IT(2) -> OT-L2(5) +1 default = 5; impact: OT-L2
        // availability 5, privileged keeps the zone's full impact. 25: Critical.
        let s = of_findings(&Exposure {
            clear: 2,
            defaults: 1,
            privileged: 1,
            reach: Some(("IT".into(), 2, "OT-L2".into(), 5)),
            target: Some(zone("OT-L2", 4, 5, 4)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (5, 5));
        assert_eq!(band(&s), Band::Critical);
        assert!(s.derivation[0].starts_with("likelihood 3"));
        assert!(
            s.derivation
                .iter()
                .any(|d| d.contains("OT-L2 availability 5"))
        );
    }

    #[test]
    fn the_same_default_without_admin_rights_is_still_critical() {
        // Likelihood 5 as above; an operator account: 5 -1 = 4. 20: Critical (4 x 5).
        let s = of_findings(&Exposure {
            clear: 1,
            defaults: 1,
            reach: Some(("IT".into(), 2, "OT-L2".into(), 5)),
            target: Some(zone("OT-L2", 4, 5, 4)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (5, 4));
        assert_eq!(band(&s), Band::Critical);
    }

    #[test]
    fn a_personal_note_with_one_low_privilege_it_password_is_low() {
        // 3 (clear), nothing else; IT's highest axis 2, -1 not privileged = 1. 3: Low.
        let s = of_findings(&Exposure {
            clear: 1,
            target: Some(zone("IT", 1, 2, 2)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (3, 1));
        assert_eq!(band(&s), Band::Low);
        assert!(
            s.derivation
                .iter()
                .any(|d| d.starts_with("-1 not privileged"))
        );
    }

    #[test]
    fn an_ot_administrator_password_kept_inside_ot_is_high_not_critical() {
        // 3 (clear), no reach (kept in the zone it opens); OT-L2 5, privileged.
        // 15: High. Readable, but only by people who already work in that zone.
        let s = of_findings(&Exposure {
            clear: 1,
            privileged: 1,
            target: Some(zone("OT-L2", 4, 5, 4)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (3, 5));
        assert_eq!(band(&s), Band::High);
    }

    #[test]
    fn strong_hashes_in_it_are_unlikely_and_contained() {
        // 1 (hashes only); IT 2 -1 = 1. 1: Low.
        let s = of_findings(&Exposure {
            hashed: 4,
            target: Some(zone("IT", 1, 2, 2)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (1, 1));
        assert_eq!(band(&s), Band::Low);
    }

    #[test]
    fn weak_default_hash_of_a_dmz_firewall_is_medium() {
        // 1 (hashes) +1 weak +1 default = 3; DMZ availability 3 -1 = 2. 6: Medium.
        let s = of_findings(&Exposure {
            hashed: 1,
            weak_hashes: 1,
            defaults: 1,
            target: Some(zone("DMZ", 2, 3, 2)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (3, 2));
        assert_eq!(band(&s), Band::Medium);
    }

    #[test]
    fn everything_at_once_is_capped() {
        let s = of_findings(&Exposure {
            clear: 1,
            defaults: 1,
            privileged: 1,
            max_reuse: 9,
            max_age_days: 2000,
            contradictions: 1,
            reach: Some(("IT".into(), 2, "OT-L1".into(), 5)),
            target: Some(zone("OT-L1", 5, 5, 4)),
            ..Default::default()
        });
        assert_eq!((s.likelihood, s.impact), (5, 5));
        assert!(s.derivation.iter().any(|d| d.contains("capped")));
    }

    #[test]
    fn band_edges() {
        // The products a 5x5 matrix can reach, by band.
        let of = |scores: &[u8]| scores.iter().map(|&s| Band::of(s)).collect::<Vec<_>>();
        assert!(of(&[20, 25]).iter().all(|b| *b == Band::Critical));
        assert!(of(&[12, 15, 16]).iter().all(|b| *b == Band::High));
        assert!(of(&[6, 8, 9, 10]).iter().all(|b| *b == Band::Medium));
        assert!(of(&[1, 2, 3, 4, 5]).iter().all(|b| *b == Band::Low));
    }

    #[test]
    fn gap_hints_and_contradiction() {
        let s = of_gaps(
            &[
                ("ACCESS-1.h".into(), "Not implemented".into(), 3, 4),
                ("ACCESS-1.i".into(), "Partially implemented".into(), 2, 5),
            ],
            1,
        );
        assert_eq!((s.likelihood, s.impact), (4, 5));
    }
}
