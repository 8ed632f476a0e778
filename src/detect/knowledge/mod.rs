//! What Credence knows about credentials beyond their text: default vendor
//! credentials, weakness, privilege and non-human classification, staleness, zone
//! hints. Applied to every raw finding (whatever the file type) before masking.
//!
//! Data (see `data/NOTICE.md` for sources and licences):
//! - `data/defaults.csv`: vendor, product, username, password, source (~3,700 rows).
//! - `data/common.txt`: our own short list of very common passwords, most common first.
//!
//! Hashes are checked offline against a *bounded* candidate list: the common list
//! followed by default passwords by frequency, cut at [`bound`] per algorithm
//! (every candidate for one-digest formats, 300 for md5crypt, 40 for sha-crypt, 12
//! for Cisco type 8/9 PBKDF2/scrypt; bcrypt is not tried). Results are cached per
//! hash value so a hash repeated across files costs one check.

mod weak;
mod zones;

use super::RawFinding;
use super::decode::hashes::{self, Cost};
use crate::finding::{Category, Flag};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::SystemTime;

pub use weak::weakness;

/// Facts about the file a finding came from.
pub struct FileFacts<'a> {
    /// Display name: root-relative path (with `!member`).
    pub name: &'a str,
    pub mtime: Option<SystemTime>,
}

const DEFAULTS_CSV: &str = include_str!("data/defaults.csv");
const COMMON_TXT: &str = include_str!("data/common.txt");

const PRIVILEGED_USERS: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "sa",
    "enable",
    "sysadmin",
    "superuser",
    "su",
    "domain admin",
    "domainadmin",
    "system",
    "supervisor",
    "manager",
    "engineer",
    "maintenance",
    "service",
    "snmp rw",
];

pub struct Knowledge {
    /// (lowercased user, password) -> vendor labels.
    pairs: HashMap<(String, String), Vec<u32>>,
    /// Password -> vendor labels, for passwords distinctive enough to name a vendor
    /// alone (not common, at least 5 characters, used by at most 3 vendors).
    distinctive: HashMap<String, Vec<u32>>,
    /// Default SNMP communities.
    communities: HashSet<String>,
    vendors: Vec<String>,
    common: HashSet<String>,
    /// Candidates for the hash check, most likely first.
    candidates: Vec<String>,
    /// Every default password (to say "default" when a hash matches).
    default_passwords: HashSet<String>,
    hash_cache: Mutex<HashMap<String, Option<usize>>>,
}

/// How many candidates are tried for one hash of this algorithm.
pub fn bound(algorithm: &str) -> usize {
    match hashes::cost(algorithm) {
        Cost::Cheap => usize::MAX,
        Cost::Moderate if algorithm == "md5crypt" => 300,
        Cost::Moderate => 40,
        Cost::Expensive => 12,
        Cost::Unsupported => 0,
    }
}

impl Knowledge {
    pub fn builtin() -> Knowledge {
        let common_list: Vec<String> = COMMON_TXT
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        let common: HashSet<String> = common_list.iter().map(|s| s.to_lowercase()).collect();
        let mut vendors: Vec<String> = Vec::new();
        let mut vendor_ix: HashMap<String, u32> = HashMap::new();
        let mut pairs = HashMap::new();
        let mut by_pw: HashMap<String, Vec<u32>> = HashMap::new();
        let mut freq: HashMap<String, usize> = HashMap::new();
        let mut communities = HashSet::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(DEFAULTS_CSV.as_bytes());
        for rec in reader.records().flatten() {
            let (vendor, product, user, pw) = (&rec[0], &rec[1], &rec[2], &rec[3]);
            if pw.is_empty() {
                continue;
            }
            if vendor == "SNMP" {
                communities.insert(pw.to_string());
                continue;
            }
            let label = match (vendor.is_empty(), product.is_empty()) {
                (true, _) => "ICS/SCADA default list".to_string(),
                (false, true) => vendor.to_string(),
                (false, false) => format!("{vendor} {product}"),
            };
            let ix = *vendor_ix.entry(label.clone()).or_insert_with(|| {
                vendors.push(label.clone());
                (vendors.len() - 1) as u32
            });
            if !user.is_empty() {
                let e: &mut Vec<u32> = pairs
                    .entry((user.to_lowercase(), pw.to_string()))
                    .or_default();
                if !e.contains(&ix) {
                    e.push(ix);
                }
            }
            let v = by_pw.entry(pw.to_string()).or_default();
            if !v.contains(&ix) {
                v.push(ix);
            }
            *freq.entry(pw.to_string()).or_default() += 1;
        }
        let default_passwords: HashSet<String> = by_pw.keys().cloned().collect();
        let distinctive = by_pw
            .into_iter()
            .filter(|(pw, v)| {
                pw.chars().count() >= 5
                    && v.len() <= 3
                    && !common.contains(&pw.to_lowercase())
                    && !pw.chars().all(|c| c.is_ascii_digit())
            })
            .collect();
        let mut by_freq: Vec<(String, usize)> = freq.into_iter().collect();
        by_freq.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut candidates: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for c in common_list
            .iter()
            .cloned()
            .chain(by_freq.into_iter().map(|(p, _)| p))
        {
            if seen.insert(c.clone()) {
                candidates.push(c);
            }
        }
        Knowledge {
            pairs,
            distinctive,
            communities,
            vendors,
            common,
            candidates,
            default_passwords,
            hash_cache: Mutex::new(HashMap::new()),
        }
    }

    /// Sizes of the loaded data: (user/password pairs, vendor labels, default SNMP
    /// communities, common passwords, hash candidates).
    pub fn sizes(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.pairs.len(),
            self.vendors.len(),
            self.communities.len(),
            self.common.len(),
            self.candidates.len(),
        )
    }

    /// Adds judgement flags to a raw finding while its plaintext is still in memory.
    pub fn judge(&self, raw: &mut RawFinding, facts: &FileFacts<'_>) {
        self.classify(raw);
        if raw.category == Category::Hash {
            self.judge_hash(raw, facts.name);
            return;
        }
        if !matches!(
            raw.category,
            Category::Password
                | Category::Community
                | Category::PresharedKey
                | Category::ConnectionString
        ) {
            return;
        }
        let secret = raw.secret.clone();
        let pw = secret.expose();
        // An encoded or encrypted token we could not open is not a password to judge.
        if pw.is_empty()
            || raw
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("not decodable"))
        {
            return;
        }
        if let Some(v) =
            self.default_vendor_in(pw, raw.username.as_deref(), raw.category, facts.name)
        {
            push(raw, Flag::Default);
            raw.vendor_hint.get_or_insert(v);
        }
        let why = weak::weakness(
            pw,
            raw.username.as_deref(),
            raw.system.as_deref(),
            &self.common,
        );
        if !why.is_empty() {
            push(raw, Flag::Weak);
        }
    }

    /// The vendor whose default this is: the (user, password) pair, a distinctive
    /// password alone, or a default SNMP community.
    pub fn default_vendor(
        &self,
        pw: &str,
        user: Option<&str>,
        category: Category,
    ) -> Option<String> {
        self.default_vendor_in(pw, user, category, "")
    }

    /// As [`Self::default_vendor`], preferring a vendor named in `context` (the
    /// file path) when several share the default.
    pub fn default_vendor_in(
        &self,
        pw: &str,
        user: Option<&str>,
        category: Category,
        context: &str,
    ) -> Option<String> {
        if category == Category::Community {
            return self
                .communities
                .contains(pw)
                .then(|| "SNMP default community".to_string());
        }
        let pick = |ixs: &[u32]| -> String {
            let ctx = context.to_ascii_lowercase();
            let named = ixs.iter().find(|&&i| {
                let v = self.vendors[i as usize].to_ascii_lowercase();
                let first = v.split_whitespace().next().unwrap_or("");
                first.len() >= 3 && ctx.contains(first)
            });
            match named {
                Some(&i) => self.vendors[i as usize].clone(),
                None => ixs
                    .iter()
                    .take(3)
                    .map(|&i| self.vendors[i as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(" / "),
            }
        };
        if let Some(u) = user {
            let bare = u.rsplit(['\\', '/']).next().unwrap_or(u).to_lowercase();
            if let Some(ixs) = self.pairs.get(&(bare, pw.to_string())) {
                return Some(pick(ixs));
            }
        }
        let v = self.distinctive.get(pw)?;
        Some(pick(v))
    }

    fn classify(&self, raw: &mut RawFinding) {
        if let Some(u) = &raw.username {
            let lower = u.to_ascii_lowercase();
            let bare = lower
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or(&lower)
                .to_string();
            if PRIVILEGED_USERS.contains(&bare.as_str())
                || bare.ends_with("admin")
                || bare.starts_with("adm")
                || bare.contains("privilege 15")
            {
                push(raw, Flag::Privileged);
            }
            if bare.starts_with("svc")
                || bare.starts_with("srv")
                || bare.starts_with("sa_")
                || bare.contains("service")
                || bare.starts_with("snmp")
                || bare.contains("$")
            {
                push(raw, Flag::NonHuman);
            }
        }
        if matches!(
            raw.category,
            Category::Community
                | Category::PresharedKey
                | Category::ApiKey
                | Category::CloudCredential
                | Category::Token
        ) {
            push(raw, Flag::NonHuman);
        }
    }

    /// Bounded check of a hash against common and default passwords.
    fn judge_hash(&self, raw: &mut RawFinding, context: &str) {
        let Some(alg) = raw.hash_algorithm.clone() else {
            return;
        };
        let n = bound(&alg);
        if n == 0 {
            return;
        }
        let hash = raw.secret.expose().to_string();
        let cached = self
            .hash_cache
            .lock()
            .ok()
            .and_then(|c| c.get(&hash).copied());
        let hit = match cached {
            Some(h) => h,
            None => {
                let h = self
                    .candidates
                    .iter()
                    .take(n)
                    .position(|c| hashes::verify(&alg, &hash, c));
                if let Ok(mut c) = self.hash_cache.lock() {
                    c.insert(hash.clone(), h);
                }
                h
            }
        };
        let Some(i) = hit else { return };
        let pw = self.candidates[i].as_str();
        if self.default_passwords.contains(pw) || self.common.contains(&pw.to_lowercase()) {
            if let Some(v) =
                self.default_vendor_in(pw, raw.username.as_deref(), Category::Password, context)
            {
                raw.vendor_hint.get_or_insert(v);
                push(raw, Flag::Default);
            } else if self.default_passwords.contains(pw) {
                push(raw, Flag::Default);
            }
        }
        push(raw, Flag::Weak);
        let note = format!("matches a default/common password (bounded check, {alg})");
        raw.detail = Some(match raw.detail.take() {
            Some(d) => format!("{d}; {note}"),
            None => note,
        });
    }

    /// Age in days from the file's modification time.
    pub fn age_days(mtime: Option<SystemTime>) -> Option<u32> {
        let m = mtime?;
        let age = SystemTime::now().duration_since(m).ok()?;
        Some((age.as_secs() / 86_400) as u32)
    }

    /// Zone suggestions from path words and addresses ("ot", "scada", "level2",
    /// "subnet:192.0.2.0/24").
    pub fn zone_hints(&self, name: &str, system: Option<&str>) -> Vec<String> {
        zones::zone_hints(name, system)
    }
}

fn push(raw: &mut RawFinding, f: Flag) {
    if !raw.flags.contains(&f) {
        raw.flags.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Confidence;
    use crate::secret::Secret;

    fn raw(cat: Category, user: Option<&str>, secret: &str) -> RawFinding {
        RawFinding::new("t", "t", cat, Confidence::High, Secret::new(secret))
            .with_user(user.map(String::from))
    }

    fn facts() -> FileFacts<'static> {
        FileFacts {
            name: "x",
            mtime: None,
        }
    }

    #[test]
    fn default_pair_and_distinctive_password() {
        let k = Knowledge::builtin();
        let mut r = raw(Category::Password, Some("admin"), "westermo");
        k.judge(&mut r, &facts());
        assert!(r.flags.contains(&Flag::Default), "{:?}", r.flags);
        assert!(r.vendor_hint.as_deref().unwrap_or("").contains("Westermo"));
        let mut r = raw(Category::Password, None, "ABB800xA");
        k.judge(&mut r, &facts());
        assert!(r.flags.contains(&Flag::Default));
        let mut r = raw(Category::Community, None, "private");
        k.judge(&mut r, &facts());
        assert!(r.flags.contains(&Flag::Default) && r.flags.contains(&Flag::NonHuman));
    }

    #[test]
    fn weak_patterns() {
        let common: HashSet<String> = ["password".to_string()].into_iter().collect();
        assert!(!weakness("Summer2024!", None, None, &common).is_empty());
        assert!(!weakness("Password1", None, None, &common).is_empty());
        assert!(!weakness("4711", None, None, &common).is_empty());
        assert!(!weakness("qwertyuiop123!A", None, None, &common).is_empty());
        assert!(!weakness("Plant-rtu7-2031#x", None, Some("rtu7"), &common).is_empty());
        assert!(weakness("vR7#kq2!Lm9@pZx4", Some("ops"), None, &common).is_empty());
    }

    #[test]
    fn hash_of_a_default_password_is_default() {
        let k = Knowledge::builtin();
        let h = hashes::md5crypt(b"cisco", b"abcd");
        let mut r = raw(Category::Hash, Some("enable"), &h);
        r.hash_algorithm = Some("md5crypt".into());
        k.judge(&mut r, &facts());
        assert!(
            r.flags.contains(&Flag::Default) && r.flags.contains(&Flag::Weak),
            "{:?}",
            r.flags
        );
        assert!(r.flags.contains(&Flag::Privileged));
    }

    #[test]
    fn zones_from_path_and_address() {
        let k = Knowledge::builtin();
        let z = k.zone_hints("eng/OT/Level 2/SCADA/hmi-01.cfg", Some("192.0.2.15"));
        for h in ["ot", "level2", "scada", "hmi", "subnet:192.0.2.0/24"] {
            assert!(z.contains(&h.to_string()), "{h} in {z:?}");
        }
        assert!(k.zone_hints("it/finance/budget.xlsx", None).is_empty());
    }
}
