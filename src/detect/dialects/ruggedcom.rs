//! Siemens RUGGEDCOM: ROS `config.csv` and ROX II running configurations.
//!
//! ROS keeps its whole configuration as tables, and `config.csv` writes each one as a
//! title line, a header row naming the columns and one comma-separated row per record
//! (values double-quoted). The ROS user guides name the columns: the Passwords form has
//! "Guest/Operator/Admin Username" and "... Password" (three local profiles; Admin may
//! change everything, Operator basic settings, Guest only views); the SNMP Users table
//! has "Name", "v1/v2c Community", "Auth Key" and "Priv Key"; a security-to-group map
//! gives each user name a group, and the group's access row its write view. A
//! community whose group has a write view is read/write (privileged).
//!
//! ROX II (RX1500 and kin) lists users as `admin users userid NAME` with a hashed
//! `password` and a `role` of administrator, operator or guest.
//!
//! Columns are matched by normalised name (lowercase letters and digits), so
//! `v1/v2c Community` and `V1V2cCommunity` read the same.

use super::common::{Cred, build, cisco_form, lines, tokens, unquote};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};
use std::collections::HashMap;
use std::ops::Range;

pub struct RuggedcomDetector;

impl Detector for RuggedcomDetector {
    fn name(&self) -> &'static str {
        "dialect-ruggedcom"
    }
    fn keywords(&self) -> Vec<String> {
        ["admin password", "v1/v2c community", "userid"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if is_ros_config(input.text) {
            ros_tables(input.text, out);
        } else {
            rox_users(input.text, out);
        }
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A ROS `config.csv`: a header row of the Passwords table (Auth Type, then the admin
/// and the guest or operator password columns) or of the SNMP Users table (`Name`,
/// `v1/v2c Community`, `Auth Protocol`). An asset inventory with "Admin Password"
/// columns stays a spreadsheet.
/// The CSV extractor asks this too, so such a file is read as a device config, not as
/// a spreadsheet.
pub fn is_ros_config(text: &str) -> bool {
    lines(text).take(2000).any(|(_, l)| {
        if !l.contains(',') {
            return false;
        }
        let cols: Vec<String> = cells(l).iter().map(|c| normalise(c.1)).collect();
        let has = |n: &str| cols.iter().any(|c| c == n);
        (has("authtype")
            && has("adminpassword")
            && (has("guestpassword") || has("operatorpassword")))
            || (has("v1v2ccommunity") && has("name") && has("authprotocol"))
    })
}

/// The cells of one CSV line: (offset of the value in the line, value without quotes).
fn cells(line: &str) -> Vec<(usize, &str)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i < b.len() && b[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() {
                if b[j] == b'"' {
                    if b.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out.push((start, &line[start..j.min(b.len())]));
            i = j + 1;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
            out.push((start, line[start..i].trim_end()));
        }
        if i >= b.len() {
            break;
        }
        i += 1; // the comma
    }
    out
}

/// One table of the file: its columns and its rows (line offset, cells).
struct RosTable<'a> {
    cols: Vec<String>,
    rows: Vec<(usize, Vec<(usize, &'a str)>)>,
}

impl<'a> RosTable<'a> {
    fn col(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|c| c == name)
    }
    fn cell(&self, row: &[(usize, &'a str)], name: &str) -> Option<&'a str> {
        self.col(name)
            .and_then(|i| row.get(i))
            .map(|c| c.1.trim())
            .filter(|v| !v.is_empty())
    }
}

/// Title line, header row, record rows; a blank, comment or title line ends a table.
fn tables(text: &str) -> Vec<RosTable<'_>> {
    let mut out: Vec<RosTable<'_>> = Vec::new();
    let mut open = false;
    for (off, line) in lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || !t.contains(',') {
            open = false;
            continue;
        }
        let row = cells(line);
        if open && let Some(table) = out.last_mut() {
            table.rows.push((off, row));
        } else {
            out.push(RosTable {
                cols: row.iter().map(|c| normalise(c.1)).collect(),
                rows: Vec::new(),
            });
            open = true;
        }
    }
    out
}

fn ros_tables(text: &str, out: &mut Vec<RawFinding>) {
    let tables = tables(text);
    let system = tables.iter().find_map(|t| {
        let r = t.rows.first()?;
        t.cell(&r.1, "systemname").map(str::to_string)
    });
    // SNMP user name → group → whether the group may write.
    let mut group_of: HashMap<String, String> = HashMap::new();
    let mut writes: HashMap<String, bool> = HashMap::new();
    for t in &tables {
        let write_col = ["writeviewname", "writeview"]
            .iter()
            .find_map(|c| t.col(c).map(|_| *c));
        for (_, r) in &t.rows {
            if let (Some(name), Some(group)) = (t.cell(r, "name"), t.cell(r, "group")) {
                group_of.insert(name.to_string(), group.to_string());
            }
            if let (Some(wc), Some(group)) = (write_col, t.cell(r, "group")) {
                let view = t.cell(r, wc).unwrap_or("");
                let can = !view.is_empty() && !view.eq_ignore_ascii_case("noview");
                *writes.entry(group.to_string()).or_default() |= can;
            }
        }
    }
    for t in &tables {
        for (off, row) in &t.rows {
            let at = |i: usize| row.get(i).map(|c| (off + c.0, c.1));
            // The Passwords form: one username and one password per profile.
            for profile in ["guest", "operator", "admin"] {
                let Some((start, value)) = t.col(&format!("{profile}password")).and_then(at) else {
                    continue;
                };
                let user = t
                    .cell(row, &format!("{profile}username"))
                    .unwrap_or(profile)
                    .to_string();
                let flags: &[Flag] = if profile == "admin" {
                    &[Flag::Privileged]
                } else {
                    &[]
                };
                push(out, Category::Password, start, value, user, &system, flags);
            }
            // SNMP Users: the community (v1/v2c) and the v3 keys of a named user.
            let Some(name) = t.cell(row, "name") else {
                continue;
            };
            let rw = group_of
                .get(name)
                .and_then(|g| writes.get(g))
                .copied()
                .unwrap_or(false);
            let nh: &[Flag] = if rw {
                &[Flag::NonHuman, Flag::Privileged]
            } else {
                &[Flag::NonHuman]
            };
            if let Some((start, value)) = t.col("v1v2ccommunity").and_then(at) {
                let user = if rw { "snmp RW" } else { "snmp RO" };
                push(
                    out,
                    Category::Community,
                    start,
                    value,
                    user.into(),
                    &system,
                    nh,
                );
            }
            for key in ["authkey", "privkey"] {
                if let Some((start, value)) = t.col(key).and_then(at) {
                    let user = format!("snmpv3 {name}");
                    push(out, Category::Password, start, value, user, &system, nh);
                }
            }
        }
    }
}

fn push(
    out: &mut Vec<RawFinding>,
    category: Category,
    start: usize,
    value: &str,
    user: String,
    system: &Option<String>,
    flags: &[Flag],
) {
    let span: Range<usize> = start..start + value.len();
    if let Some(f) = build(Cred {
        rule: "dialect.ruggedcom",
        name: "RUGGEDCOM device credential",
        category,
        span,
        value,
        form: cisco_form(None, value),
        user: Some(user),
        system: system.clone(),
        flags,
    }) {
        out.push(f);
    }
}

/// ROX II: `userid NAME` opens a user (nested under `admin` / `users`, or written
/// flat as `admin users userid NAME`); its `password` and `role` follow, up to `!`.
fn rox_users(text: &str, out: &mut Vec<RawFinding>) {
    let system = lines(text).find_map(|(_, l)| {
        let toks = tokens(l);
        let i = toks.iter().position(|t| t.1 == "hostname")?;
        (toks.first()?.1 == "system" || i == 0)
            .then(|| toks.get(i + 1).map(|t| unquote(0, t.1).1.to_string()))
            .flatten()
    });
    let mut user: Option<(String, usize)> = None;
    let mut pending: Vec<(usize, &str)> = Vec::new();
    let mut role: Option<String> = None;
    // Indent of the `users` line whose block we are in.
    let mut users_at: Option<usize> = None;
    let flush = |user: &Option<(String, usize)>,
                 pending: &mut Vec<(usize, &str)>,
                 role: &Option<String>,
                 out: &mut Vec<RawFinding>| {
        if let Some((name, _)) = user {
            let admin = role.as_deref() == Some("administrator");
            let flags: &[Flag] = if admin { &[Flag::Privileged] } else { &[] };
            for (start, value) in pending.drain(..) {
                push(
                    out,
                    Category::Password,
                    start,
                    value,
                    name.clone(),
                    &system,
                    flags,
                );
            }
        }
        pending.clear();
    };
    for (off, line) in lines(text) {
        let toks = tokens(line);
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        // `userid` belongs to ROX II only inside a `users` block (or flat after it).
        if t == "users" {
            users_at = Some(indent);
        } else if users_at.is_some_and(|u| !t.is_empty() && t != "!" && indent <= u) {
            users_at = None;
        }
        let in_users = users_at.is_some();
        let under_users = |i: usize| (i > 0 && toks[i - 1].1 == "users") || in_users;
        if let Some(i) = toks.iter().position(|t| t.1 == "userid")
            && under_users(i)
            && let Some(name) = toks.get(i + 1)
        {
            flush(&user, &mut pending, &role, out);
            user = Some((unquote(0, name.1).1.to_string(), indent));
            role = None;
            let mut j = i + 2;
            while j + 1 < toks.len() {
                match toks[j].1 {
                    "password" => {
                        let (o, v) = unquote(toks[j + 1].0, toks[j + 1].1);
                        pending.push((off + o, v));
                    }
                    "role" => role = Some(toks[j + 1].1.to_ascii_lowercase()),
                    _ => {}
                }
                j += 2;
            }
            continue;
        }
        let Some((_, uindent)) = &user else { continue };
        if t == "!" || t == "exit" || (!t.is_empty() && indent <= *uindent) {
            flush(&user, &mut pending, &role, out);
            user = None;
            continue;
        }
        match (toks.first().map(|t| t.1), toks.get(1)) {
            (Some("password"), Some(v)) => {
                let (o, v) = unquote(v.0, v.1);
                pending.push((off + o, v));
            }
            (Some("role"), Some(r)) => role = Some(r.1.to_ascii_lowercase()),
            _ => {}
        }
    }
    flush(&user, &mut pending, &role, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_with_quotes_and_offsets() {
        let l = r#""admin","Adm,in#1", plain ,"say ""hi""""#;
        let c = cells(l);
        assert_eq!(c[0], (1, "admin"));
        assert_eq!(c[1], (9, "Adm,in#1"));
        assert_eq!(c[2].1, "plain");
        assert_eq!(c[3].1, r#"say ""hi"""#);
        assert_eq!(cells("a,,b").len(), 3);
    }
}
