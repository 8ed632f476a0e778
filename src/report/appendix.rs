//! The technical appendix for the client's engineers: one self-contained HTML file (no
//! script, no external asset) with every finding, masked, grouped by the system it
//! opens, and the remediation steps for each type of finding. Every text is escaped.

use super::data::ReportData;
use crate::finding::{Category, Finding, Flag};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A type of finding and what engineers do about it.
pub struct Remedy {
    pub key: &'static str,
    pub title: &'static str,
    pub steps: &'static [&'static str],
}

const REMEDIES: &[Remedy] = &[
    Remedy {
        key: "default",
        title: "Vendor default credential",
        steps: &[
            "Change the password on the device or application now; record the change in the asset register.",
            "Add a default-credential check to commissioning and to every vendor visit.",
            "Where the device cannot change it, restrict who can reach its management interface.",
        ],
    },
    Remedy {
        key: "reversible",
        title: "Password in a reversible form anyone can decode",
        steps: &[
            "Treat the password as disclosed: change it on every system that uses it.",
            "Configure the device to store passwords with a strong one-way hash (for example Cisco type 8/9, Junos SHA-512, FortiOS PBKDF2).",
            "Keep configuration exports in an access-controlled repository, not on file shares.",
        ],
    },
    Remedy {
        key: "hashed",
        title: "Password hash in an exported file",
        steps: &[
            "Remove the export from shared locations; hashes can be cracked offline.",
            "Change passwords whose hashes were exposed, starting with privileged and weak ones.",
            "Move devices to a modern, salted hash format.",
        ],
    },
    Remedy {
        key: "private_key",
        title: "Private key in a file",
        steps: &[
            "Remove the matching key from every authorized_keys / trust store it is in, then delete the file.",
            "Issue a new key pair protected by a passphrase or hardware token.",
            "Keep keys only in user profiles or a vault.",
        ],
    },
    Remedy {
        key: "token",
        title: "API key, token or cloud credential",
        steps: &[
            "Revoke the key or token at the provider and issue a new one with the least scope needed.",
            "Store it in a secret manager and inject it at run time; never in code or config files.",
            "Review the provider's access logs for use of the old key.",
        ],
    },
    Remedy {
        key: "community",
        title: "SNMP community string",
        steps: &[
            "Move to SNMPv3 with authentication and privacy.",
            "Until then, change the community and restrict SNMP to the management network.",
        ],
    },
    Remedy {
        key: "preshared_key",
        title: "Pre-shared key",
        steps: &[
            "Rotate the key on both ends of the tunnel or network.",
            "Prefer certificates for VPN authentication; keep PSKs in the vault.",
        ],
    },
    Remedy {
        key: "credential_store",
        title: "Exported credential store",
        steps: &[
            "Delete the export and its copies; every entry in it is disclosed.",
            "Change each password the export held, privileged ones first.",
        ],
    },
    Remedy {
        key: "sheet",
        title: "Password in a spreadsheet or table",
        steps: &[
            "Move the entry into the password vault with named access.",
            "Change the password, then delete the sheet and its backups.",
        ],
    },
    Remedy {
        key: "clear",
        title: "Password written in clear in a file",
        steps: &[
            "Change the password on the system it opens.",
            "Remove it from the file; services and scripts read secrets from the platform's secret store.",
            "If it is shared between people, give each person a named account.",
        ],
    },
];

/// The remedy for a finding: the most specific type first.
pub fn remedy_of(f: &Finding) -> &'static Remedy {
    let key = if f.has_flag(Flag::Default) {
        "default"
    } else if f.has_flag(Flag::Reversible) {
        "reversible"
    } else if f.has_flag(Flag::Hashed) || f.category == Category::Hash {
        "hashed"
    } else {
        match f.category {
            Category::PrivateKey => "private_key",
            Category::ApiKey | Category::Token | Category::CloudCredential => "token",
            Category::Community => "community",
            Category::PresharedKey => "preshared_key",
            Category::CredentialStore => "credential_store",
            _ if f.sheet.is_some() || f.cell.is_some() => "sheet",
            _ => "clear",
        }
    };
    REMEDIES
        .iter()
        .find(|r| r.key == key)
        .expect("every key has a remedy")
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control() && c != '\n' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#1d2633;max-width:1200px}\
h1,h2,h3{color:#1f3a5f}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}\
th,td{border:1px solid #c9d1db;padding:3px 6px;font-size:12px;text-align:left;vertical-align:top}\
th{background:#f1f4f8}.mark{color:#b03a2e;font-weight:bold;text-align:center}code{font-size:12px}\
.muted{color:#5b6675}";

/// Writes the appendix as one HTML document.
pub fn render(d: &ReportData) -> String {
    let mut h = String::new();
    let marking = esc(&d.marking());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Technical appendix: {} / {}</title><style>{STYLE}</style></head><body>\n\
         <p class=\"mark\">{marking}</p><h1>Technical appendix: credential findings</h1>\n\
         <p>{} · {} · {} · assessor {}</p>\n",
        esc(&d.meta.client),
        esc(&d.meta.site),
        esc(&d.meta.client),
        esc(&d.meta.site),
        esc(&d.as_of),
        esc(d.meta.assessor.as_deref().unwrap_or("not recorded")),
    );
    if d.findings.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            if d.scan.is_some() {
                "The scan found no credentials."
            } else {
                "No scan has been run in this engagement yet: there are no findings."
            }
        );
        let _ = writeln!(h, "<p class=\"mark\">{marking}</p></body></html>");
        return h;
    }
    let _ = writeln!(
        h,
        "<p>{} finding(s). Secrets are never shown: each finding has a masked preview and a short keyed fingerprint (the same fingerprint means the same secret). Risks refer to the register (XLSX and PDF).</p>",
        d.findings.len()
    );
    let mut risk_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &d.risks {
        for f in &r.content.findings {
            risk_of.entry(f.as_str()).or_default().push(r.id.as_str());
        }
    }
    // Remediation by type, for the types present.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &d.findings {
        *counts.entry(remedy_of(&l.stored.finding).key).or_default() += 1;
    }
    h.push_str("<h2>Remediation by type of finding</h2>\n");
    for r in REMEDIES.iter().filter(|r| counts.contains_key(r.key)) {
        let _ = write!(
            h,
            "<h3 id=\"fix-{}\">{} ({} finding(s))</h3><ol>",
            r.key,
            esc(r.title),
            counts[r.key]
        );
        for s in r.steps {
            let _ = write!(h, "<li>{}</li>", esc(s));
        }
        h.push_str("</ol>\n");
    }
    // Findings by the system they open.
    let mut by_system: BTreeMap<String, Vec<&crate::store::query::ListedFinding>> = BTreeMap::new();
    for l in &d.findings {
        let key = l.stored.finding.system.clone().unwrap_or_default();
        by_system.entry(key).or_default().push(l);
    }
    h.push_str("<h2>Findings by system</h2>\n");
    for (system, list) in &by_system {
        let name = if system.is_empty() {
            "(no system named in the file)".to_string()
        } else {
            system.clone()
        };
        let _ = write!(
            h,
            "<h3>{} <span class=\"muted\">({} finding(s), zone {})</span></h3>\n<table><tr><th>Finding</th><th>Location</th><th>Category</th><th>User</th><th>Masked</th><th>Fingerprint</th><th>Flags</th><th>Kept in → opens</th><th>Triage</th><th>Risks</th><th>Fix</th></tr>\n",
            esc(&name),
            list.len(),
            esc(&list[0].target_zone)
        );
        for l in list {
            let f = &l.stored.finding;
            let r = remedy_of(f);
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td><a href=\"#fix-{}\">{}</a></td></tr>",
                esc(&f.id),
                esc(&f.location()),
                f.category.as_str(),
                esc(f.username.as_deref().unwrap_or("")),
                esc(&f.secret_masked),
                esc(&f.fingerprint[..f.fingerprint.len().min(8)]),
                f.flags
                    .iter()
                    .map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                esc(&l.exposure_zone),
                esc(&l.target_zone),
                esc(&l.stored.status),
                esc(&risk_of
                    .get(f.id.as_str())
                    .map(|v| v.join(", "))
                    .unwrap_or_default()),
                r.key,
                esc(r.title)
            );
        }
        h.push_str("</table>\n");
    }
    let _ = writeln!(h, "<p class=\"mark\">{marking}</p></body></html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markup() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
