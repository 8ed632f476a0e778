//! The finding record: one credential occurrence, where it is, whose it is and how bad
//! it is. This is the contract of DESIGN.md ("Contracts others rely on"): the JSON Lines
//! output serialises this struct field for field. It never holds a plaintext secret:
//! only `secret_masked` and the keyed `fingerprint`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of credential a finding is. Closed set: rules are validated against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A password a person or service types (including PINs and passphrases).
    Password,
    /// A private key (PEM, OpenSSH, PuTTY).
    PrivateKey,
    /// A vendor API key or token for a service.
    ApiKey,
    /// A session or bearer token (JWT, OAuth).
    Token,
    /// Cloud provider credentials (AWS, Azure, GCP).
    CloudCredential,
    /// A connection string or URL carrying a password.
    ConnectionString,
    /// A password hash (crypt formats, NTLM, device hashes, sheet protection).
    Hash,
    /// An SNMP community string.
    Community,
    /// A pre-shared key (IPsec, Wi-Fi, routing protocol authentication).
    PresharedKey,
    /// A whole password vault or credential store exported in clear.
    CredentialStore,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Password => "password",
            Category::PrivateKey => "private_key",
            Category::ApiKey => "api_key",
            Category::Token => "token",
            Category::CloudCredential => "cloud_credential",
            Category::ConnectionString => "connection_string",
            Category::Hash => "hash",
            Category::Community => "community",
            Category::PresharedKey => "preshared_key",
            Category::CredentialStore => "credential_store",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the detector is that this is a live credential.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl std::str::FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            other => Err(format!("unknown confidence '{other}' (low, medium, high)")),
        }
    }
}

/// Judgements on a credential, written as lowercase words in the JSON Lines record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Stored in a publicly reversible form (Cisco type 7, GPP cpassword, ...).
    Reversible,
    /// A vendor default credential.
    Default,
    /// Weak by length, character classes, common lists or patterns.
    Weak,
    /// Grants administrative or privileged access.
    Privileged,
    /// Belongs to a service, device or API rather than a person.
    NonHuman,
    /// A hash rather than the secret itself.
    Hashed,
    /// Older than a year by the file's age.
    Stale,
    /// Found in a hidden sheet, row or column.
    Hidden,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Reversible => "reversible",
            Flag::Default => "default",
            Flag::Weak => "weak",
            Flag::Privileged => "privileged",
            Flag::NonHuman => "non_human",
            Flag::Hashed => "hashed",
            Flag::Stale => "stale",
            Flag::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Some(match s {
            "reversible" => Flag::Reversible,
            "default" => Flag::Default,
            "weak" => Flag::Weak,
            "privileged" => Flag::Privileged,
            "non_human" => Flag::NonHuman,
            "hashed" => Flag::Hashed,
            "stale" => Flag::Stale,
            "hidden" => Flag::Hidden,
            _ => return None,
        })
    }
}

/// One credential occurrence. Field order is the JSON Lines order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: a hash of location and fingerprint, so re-scans can match findings.
    pub id: String,
    /// Path relative to the scanned root, `/` separators.
    pub path: String,
    /// The root the path is relative to (as given on the command line).
    pub root: String,
    /// Inner path inside an archive (`outer.zip!inner/file.txt` chains use `!`).
    pub member: Option<String>,
    /// 1-based line (for documents: paragraph or slide number), or null.
    pub line: Option<u32>,
    /// 1-based column in characters, or null.
    pub column: Option<u32>,
    pub sheet: Option<String>,
    /// A1-style cell reference, or null.
    pub cell: Option<String>,
    /// Note title (note stores) or table column name (CSV), where that is the location.
    pub label: Option<String>,
    pub rule: String,
    pub rule_name: String,
    pub category: Category,
    pub confidence: Confidence,
    pub username: Option<String>,
    pub system: Option<String>,
    pub secret_masked: String,
    pub secret_length: usize,
    /// HMAC-SHA256 of the secret under the fingerprint key (hex, 128 bits shown).
    pub fingerprint: String,
    pub flags: Vec<Flag>,
    pub hash_algorithm: Option<String>,
    pub vendor_hint: Option<String>,
    pub age_days: Option<u32>,
    /// Zone suggestions from path words and addresses (OT, SCADA, Level 2 ...).
    pub zone_hints: Vec<String>,
    /// The line with every detected secret masked, trimmed to a readable width.
    pub context: String,
    pub file_size: u64,
    /// File modification time, RFC 3339 UTC.
    pub file_mtime: Option<String>,
    /// How many locations in this scan share this fingerprint (1 = not reused).
    pub reuse_count: u32,
    /// A short technical remark ("Cisco type 7, decoded", "not decodable: bad hex").
    pub detail: Option<String>,
}

impl Finding {
    pub fn has_flag(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }

    /// `path`, then `!member`, then `:line` or `[sheet]cell`: how a person cites it.
    pub fn location(&self) -> String {
        let mut s = self.path.clone();
        if let Some(m) = &self.member {
            s.push('!');
            s.push_str(m);
        }
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(" [{sheet}]"));
            if let Some(c) = &self.cell {
                s.push_str(c);
            }
        } else if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
        }
        if let Some(label) = &self.label
            && self.sheet.is_none()
        {
            s.push_str(&format!(" ({label})"));
        }
        s
    }
}

/// Converts a zero-based (row, column) to an A1 reference: (0,0) → "A1", (2,27) → "AB3".
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(2, 25), "Z3");
        assert_eq!(a1(2, 26), "AA3");
        assert_eq!(a1(9, 27), "AB10");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }
}
