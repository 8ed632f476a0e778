//! CSV and TSV files (claimed by name: `*.csv`, `*.tsv`), read as tables: the encoding
//! from `ingest::text::decode`, the delimiter sniffed among `,` `;` TAB `|`, rows
//! aligned to file lines (a finding's `line` is the line its record starts on and its
//! `label` the column name).
//!
//! A RUGGEDCOM ROS `config.csv` is handed on as text to its dialect instead.
//!
//! Password-manager and browser exports (KeePass, Bitwarden, LastPass, 1Password,
//! Chrome, Firefox) are recognised by their header and reported once as a whole vault
//! exported in clear (category `credential_store`), besides one finding per entry from
//! the table logic.

use crate::detect::RawFinding;
use crate::finding::{Category, Confidence};
use crate::ingest::text::decode;
use crate::ingest::{
    ExtractError, ExtractInput, Extractor, FileKind, Origin, Part, Table, TableAddressing,
};
use crate::secret::Secret;

pub struct DelimitedExtractor;

/// The delimiter: Excel's `sep=;` first line where present, else the one that splits
/// the first lines most consistently.
pub fn sniff_delimiter(text: &str) -> u8 {
    if let Some(first) = text.lines().next()
        && let Some(d) = first.trim().strip_prefix("sep=")
        && d.len() == 1
    {
        return d.as_bytes()[0];
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        // The most common non-zero count, and how many lines have it.
        let mut modal = (0usize, 0usize);
        for &c in counts.iter().filter(|&&c| c > 0) {
            let n = counts.iter().filter(|&&x| x == c).count();
            if n > modal.1 || (n == modal.1 && c > modal.0) {
                modal = (c, n);
            }
        }
        if modal.1 > best.2 || (modal.1 == best.2 && modal.0 > best.1) {
            best = (d, modal.0, modal.1);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            !quoted && b == d
        })
        .count()
}

/// A password-manager or browser export, by its header row.
pub fn vault_kind(header: &[Option<String>]) -> Option<&'static str> {
    let h: Vec<String> = header
        .iter()
        .map(|c| c.as_deref().unwrap_or("").trim().to_ascii_lowercase())
        .collect();
    let has = |n: &str| h.iter().any(|x| x == n);
    if has("login_password") && has("login_username") {
        return Some("Bitwarden CSV export");
    }
    if has("password") && has("grouping") && has("extra") {
        return Some("LastPass CSV export");
    }
    if has("password") && has("otpauth") {
        return Some("1Password CSV export");
    }
    if has("password") && (has("httprealm") || has("formactionorigin")) {
        return Some("Firefox password export");
    }
    if has("password") && has("group") && has("title") && has("username") {
        return Some("KeePass CSV export");
    }
    if has("password") && has("login name") && has("account") && has("web site") {
        return Some("KeePass 1.x CSV export");
    }
    if h.len() >= 4 && h[0] == "name" && h[1] == "url" && h[2] == "username" && h[3] == "password" {
        return Some("Chrome password export");
    }
    None
}

/// The one finding that says a whole vault lies in clear. Its "secret" is the content
/// hash of the export (so re-finding the same export links), never a password.
pub fn vault_finding(kind: &str, entries: usize, content: &[u8]) -> RawFinding {
    let mut f = RawFinding::new(
        "vault.export",
        "Password vault exported in clear",
        Category::CredentialStore,
        Confidence::High,
        Secret::new(blake3::hash(content).to_hex().to_string()),
    )
    .specificity(95);
    f.detail = Some(format!(
        "whole vault exported in clear: {kind}, {entries} entries"
    ));
    f.context = Some(format!("{kind}: {entries} entries in clear"));
    f.label = Some(kind.to_string());
    f
}

impl Extractor for DelimitedExtractor {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn accepts(&self, _kind: FileKind) -> bool {
        false
    }
    fn accepts_text(&self, name: &str, _head: &[u8]) -> bool {
        matches!(super::ext_of(name).as_str(), "csv" | "tsv")
    }
    fn extract(
        &self,
        input: &ExtractInput<'_>,
        emit: &mut dyn FnMut(Part),
    ) -> Result<(), ExtractError> {
        let (text, _) = decode(input.bytes);
        // A RUGGEDCOM ROS `config.csv` is a device configuration written as CSV tables:
        // its dialect reads it as text (profiles, SNMP users and groups together).
        if crate::detect::dialects::ruggedcom::is_ros_config(&text) {
            emit(Part::Text {
                origin: Origin::default(),
                text: text.into_owned(),
                first_line: 1,
                hint: crate::ingest::TextHint::Config,
            });
            return Ok(());
        }
        let delimiter = if super::ext_of(input.name) == "tsv" {
            b'\t'
        } else {
            sniff_delimiter(&text)
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows: Vec<Vec<Option<String>>> = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| {
                super::corrupt(
                    "csv",
                    format!(
                        "unreadable record near line {}",
                        e.position().map(|p| p.line()).unwrap_or(0)
                    ),
                )
            })?;
            let line = rec
                .position()
                .map(|p| p.line() as usize)
                .unwrap_or(rows.len() + 1);
            // Rows align with lines: row i is line i + 1 (records spanning lines leave
            // blank rows, which a table reads through).
            while rows.len() + 1 < line {
                rows.push(Vec::new());
            }
            rows.push(
                rec.iter()
                    .map(|f| Some(f.to_string()).filter(|s| !s.trim().is_empty()))
                    .collect(),
            );
        }
        if let Some(header) = rows.iter().find(|r| r.iter().any(Option::is_some))
            && let Some(kind) = vault_kind(header)
        {
            let entries = rows
                .iter()
                .filter(|r| r.iter().any(Option::is_some))
                .count()
                .saturating_sub(1);
            let mut f = vault_finding(kind, entries, input.bytes);
            f.line = Some(1);
            emit(Part::Finding {
                origin: Origin::default(),
                finding: Box::new(f),
            });
        }
        emit(Part::Table {
            origin: Origin::default(),
            table: Table {
                rows,
                addressing: TableAddressing::LineAndColumnName,
                ..Table::default()
            },
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> Vec<Option<String>> {
        line.split(',')
            .map(|s| Some(s.trim_matches('"').to_string()))
            .collect()
    }

    #[test]
    fn exports_by_header() {
        let cases = [
            (
                "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
                "Bitwarden CSV export",
            ),
            (
                "url,username,password,totp,extra,name,grouping,fav",
                "LastPass CSV export",
            ),
            (
                "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes",
                "1Password CSV export",
            ),
            (
                "\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\"",
                "Firefox password export",
            ),
            (
                "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\"",
                "KeePass CSV export",
            ),
            (
                "\"Account\",\"Login Name\",\"Password\",\"Web Site\",\"Comments\"",
                "KeePass 1.x CSV export",
            ),
            ("name,url,username,password,note", "Chrome password export"),
        ];
        for (h, kind) in cases {
            assert_eq!(vault_kind(&header(h)), Some(kind), "{h}");
        }
        assert_eq!(vault_kind(&header("host,user,password")), None);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter("host,note\nx,\"a;b;c\"\n"), b',');
        assert_eq!(sniff_delimiter("sep=|\na,b|c\n"), b'|');
    }
}
