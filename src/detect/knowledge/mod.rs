//! What Credence knows about credentials beyond their text: default vendor
//! credentials, weakness, privilege and non-human classification, staleness, zone
//! hints. Applied to every raw finding (whatever the file type) before masking.

use super::RawFinding;
use crate::finding::Flag;
use std::time::SystemTime;

/// Facts about the file a finding came from.
pub struct FileFacts<'a> {
    /// Display name: root-relative path (with `!member`).
    pub name: &'a str,
    pub mtime: Option<SystemTime>,
}

pub struct Knowledge {}

const PRIVILEGED_USERS: &[&str] = &[
    "admin", "administrator", "root", "sa", "enable", "sysadmin", "superuser", "su",
    "domain admin", "domainadmin", "system", "supervisor", "manager", "engineer",
    "maintenance", "service",
];

impl Knowledge {
    pub fn builtin() -> Knowledge {
        Knowledge {}
    }

    /// Adds judgement flags to a raw finding while its plaintext is still in memory.
    pub fn judge(&self, raw: &mut RawFinding, facts: &FileFacts<'_>) {
        if let Some(u) = &raw.username {
            let lower = u.to_ascii_lowercase();
            let bare = lower.rsplit(['\\', '/']).next().unwrap_or(&lower);
            if PRIVILEGED_USERS.contains(&bare) || bare.ends_with("admin") || bare.starts_with("adm") {
                push(raw, Flag::Privileged);
            }
        }
        let _ = facts;
    }

    /// Age in days from the file's modification time.
    pub fn age_days(mtime: Option<SystemTime>) -> Option<u32> {
        let m = mtime?;
        let age = SystemTime::now().duration_since(m).ok()?;
        Some((age.as_secs() / 86_400) as u32)
    }

    /// Zone suggestions from path words and addresses.
    pub fn zone_hints(&self, _name: &str, _system: Option<&str>) -> Vec<String> {
        Vec::new()
    }
}

fn push(raw: &mut RawFinding, f: Flag) {
    if !raw.flags.contains(&f) {
        raw.flags.push(f);
    }
}
