//! Cisco IOS / IOS-XE / NX-OS / IOS-XR / ASA and Arista EOS (same grammar family).
//!
//! Reads the config line by line keeping the hostname and the current top-level
//! section (`line vty 0 4`, `key chain X`, `username X` in IOS-XR, `tacacs server X`),
//! and knows where each command keeps its secret: `enable secret 5 ...`,
//! `username U privilege 15 secret 9 ...`, `snmp-server community C RW`, keys and
//! pre-shared keys after type digits and `address` qualifiers.

use super::cli::{plausible, trigger, value_after};
use super::common::{Cred, Form, build, cisco_form, first_value_after, lines, tokens, unquote};
use super::{Family, family, ios_markers};
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};
use crate::ingest::TextHint;

pub struct CiscoDetector;

const RULE: &str = "dialect.cisco";
const NAME: &str = "Cisco/Arista config credential";

impl Detector for CiscoDetector {
    fn name(&self) -> &'static str {
        "dialect-cisco"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "password",
            "secret",
            "community",
            "key",
            "psk",
            "syscon",
            "session-key",
            "snmp",
            "authentication",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        if family(input.text) != Family::IosLike {
            return;
        }
        // Notes, mail and source code are read by the prose and key=value
        // detectors unless they hold a pasted device config.
        // (A release note that mentions `username` twice is not a pasted config.)
        if matches!(input.hint, TextHint::Prose | TextHint::Code) && ios_markers(input.text) < 3 {
            return;
        }
        // Structured files of other kinds (.netrc, .env, ini, yaml, json, properties)
        // hold `password X` lines too: without a single IOS command they are not
        // device configs.
        // Real exports carry one (hostname, interface, line, username ...); a bare
        // snippet counts only under a device export's extension (not gnupg's DETAILS).
        if ios_markers(input.text) == 0 && !device_like_name(&input.base_name()) {
            return;
        }
        scan(input.text, out);
    }
}

/// Names a device export plausibly has: `.cfg`, `.conf`, `.txt`, `.ios`, `.cli`;
/// never a dotfile, a data format, or a name without an extension.
fn device_like_name(base: &str) -> bool {
    if base.starts_with('.') {
        return false;
    }
    match base.rsplit_once('.') {
        None => false,
        Some((_, ext)) => matches!(
            ext,
            "cfg" | "conf" | "config" | "txt" | "ios" | "cli" | "rsc" | "log" | "bak" | "text"
        ),
    }
}

/// A line's command text: the line itself, or the string inside a JSON/YAML value
/// that quotes a config line (`"key": "password FOOBAR"`).
fn command_body(line: &str) -> (usize, &str) {
    let t = line.trim_start();
    if (t.starts_with('"') || t.starts_with('{'))
        && let Some(p) = line.rfind("\": \"")
    {
        let start = p + 4;
        let end = line[start..]
            .find('"')
            .map(|e| start + e)
            .unwrap_or(line.len());
        return (start, &line[start..end]);
    }
    (0, line)
}

pub fn scan(text: &str, out: &mut Vec<RawFinding>) {
    let host = first_value_after(text, &["hostname", "switchname"]).map(str::to_string);
    let mut section: Option<String> = None;
    let from = out.len();
    for (off, raw_line) in lines(text) {
        if raw_line.trim().is_empty() {
            continue;
        }
        // A whole config quoted in one JSON string (`"running": "...\nenable ...\n"`):
        // each escaped line is a line.
        if raw_line.contains("\\n") && raw_line.trim_start().starts_with(['"', '{']) {
            let mut seg_off = 0;
            for seg in raw_line.split("\\n") {
                line(off + seg_off, seg, host.as_deref(), &mut section, out);
                seg_off += seg.len() + 2;
            }
            continue;
        }
        line(off, raw_line, host.as_deref(), &mut section, out);
    }
    super::industrial::scalance_roles(text, &mut out[from..]);
}

fn line(
    off: usize,
    raw_line: &str,
    host: Option<&str>,
    section: &mut Option<String>,
    out: &mut Vec<RawFinding>,
) {
    let indented = raw_line.starts_with([' ', '\t']);
    let trimmed = raw_line.trim();
    // Tab-separated rows (TSV, logs) and `#` comments are not IOS command lines.
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.contains('\t') {
        return;
    }
    if !indented && trimmed.starts_with(|c: char| c.is_ascii_alphabetic()) {
        *section = Some(trimmed.to_string());
    }
    let (boff, body) = command_body(raw_line);
    let toks = tokens(body);
    if toks.is_empty() {
        return;
    }
    let ctx = LineCtx {
        base: off + boff,
        toks: &toks,
        host,
        section: if indented { section.as_deref() } else { None },
    };
    for c in ctx.creds() {
        if let Some(f) = build(c) {
            out.push(f);
        }
    }
}

struct LineCtx<'a> {
    base: usize,
    toks: &'a [(usize, &'a str)],
    host: Option<&'a str>,
    section: Option<&'a str>,
}

impl<'a> LineCtx<'a> {
    fn word(&self, i: usize) -> String {
        self.toks
            .get(i)
            .map(|t| t.1.to_ascii_lowercase())
            .unwrap_or_default()
    }

    fn has(&self, w: &str) -> bool {
        self.toks.iter().any(|t| t.1.eq_ignore_ascii_case(w))
    }

    fn after(&self, w: &str) -> Option<&'a str> {
        let i = self.toks.iter().position(|t| t.1.eq_ignore_ascii_case(w))?;
        self.toks.get(i + 1).map(|t| t.1)
    }

    /// A credential for the value token at index `i`.
    fn cred(
        &self,
        i: usize,
        ty: Option<&str>,
        category: Category,
        user: Option<String>,
        flags: &'static [Flag],
    ) -> Option<Cred<'a>> {
        let (toff, tok) = *self.toks.get(i)?;
        let (voff, v) = unquote(toff, tok);
        if !plausible(v) {
            return None;
        }
        let mut form = cisco_form(ty, v);
        // ASA keeps the form after the value: `password X encrypted|pbkdf2|nt-encrypted`.
        match self.word(i + 1).as_str() {
            "encrypted" => form = Form::Hash("cisco-asa-md5"),
            "pbkdf2" => form = Form::Hash("cisco-asa-pbkdf2"),
            "nt-encrypted" => form = Form::Hash("ntlm"),
            _ => {}
        }
        if self.has("sha512") && v.starts_with("$6$") {
            form = Form::Hash("sha512crypt");
        }
        let category = if matches!(form, Form::Hash(_)) {
            Category::Hash
        } else {
            category
        };
        let start = self.base + voff;
        Some(Cred {
            rule: RULE,
            name: NAME,
            category,
            span: start..start + v.len(),
            value: v,
            form,
            user,
            system: self.host.map(str::to_string),
            flags,
        })
    }

    fn creds(&self) -> Vec<Cred<'a>> {
        let w0 = self.word(0);
        let w1 = self.word(1);
        let mut out = Vec::new();
        match w0.as_str() {
            "no" | "hostname" | "description" | "banner" | "alias" | "users" | "mgmt-user"
            | "rocommunity" | "rwcommunity" | "trapcommunity" => {}
            "password" if w1 == "manager" || w1 == "operator" => {}
            "user" if self.has("group") => {}
            "enable" => self.enable(&mut out),
            "username" => self.username(&mut out),
            // SCALANCE XM-400/XR-500: `user-account U password P role R`;
            // SCALANCE S615: `user-account U passwd P privilege user|admin`.
            "user-account" => {
                let user = self.toks.get(1).map(|t| t.1.to_string());
                let admin = self.after("role").is_some_and(|r| r.contains("admin"))
                    || self.after("privilege").is_some_and(|r| r.contains("admin"));
                let flags: &'static [Flag] = if admin { &[Flag::Privileged] } else { &[] };
                if let Some(k) = self
                    .toks
                    .iter()
                    .position(|t| t.1 == "password" || t.1 == "passwd")
                {
                    out.extend(self.cred(k + 1, None, Category::Password, user, flags));
                }
            }
            "aaa" if w1 == "root" => {
                if let Some((i, ty)) = value_after(self.toks, 3) {
                    out.extend(self.cred(
                        i,
                        ty,
                        Category::Password,
                        Some("root".into()),
                        &[Flag::Privileged],
                    ));
                }
            }
            "snmp-server" => self.snmp(&mut out),
            "rf-switch" if w1 == "snmp-community" => {
                out.extend(self.cred(
                    2,
                    None,
                    Category::Community,
                    Some("snmp".into()),
                    &[Flag::NonHuman],
                ));
            }
            "crypto" if w1 == "isakmp" && self.word(2) == "key" => {
                if let Some((i, ty)) = value_after(self.toks, 3) {
                    out.extend(self.cred(
                        i,
                        ty,
                        Category::PresharedKey,
                        Some("isakmp".into()),
                        &[Flag::NonHuman],
                    ));
                }
            }
            "set" if w1 == "session-key" => {
                let mut any = false;
                for w in ["cipher", "authenticator"] {
                    if let Some(i) = self.toks.iter().position(|t| t.1.eq_ignore_ascii_case(w)) {
                        any = true;
                        out.extend(self.cred(
                            i + 1,
                            None,
                            Category::PresharedKey,
                            Some("ipsec session-key".into()),
                            &[Flag::NonHuman],
                        ));
                    }
                }
                if !any && self.toks.len() >= 5 {
                    let last = self.toks.len() - 1;
                    out.extend(self.cred(
                        last,
                        None,
                        Category::PresharedKey,
                        Some("ipsec session-key".into()),
                        &[Flag::NonHuman],
                    ));
                }
            }
            "ntp" if w1 == "authentication-key" => {
                if let Some((i, ty)) = value_after(self.toks, 3) {
                    out.extend(self.cred(
                        i,
                        ty,
                        Category::PresharedKey,
                        Some("ntp".into()),
                        &[Flag::NonHuman],
                    ));
                }
            }
            "syscon" if w1 == "address" => {
                out.extend(self.cred(
                    3,
                    None,
                    Category::Password,
                    Some("syscon".into()),
                    &[Flag::NonHuman],
                ));
            }
            "key" => {
                // ` key 0 VALUE` (tacacs/radius server blocks); `key 10` is a key-chain index.
                let label = self
                    .section
                    .map(str::to_string)
                    .unwrap_or_else(|| "key".into());
                let shape_ok =
                    self.toks.len() >= 3 || (self.toks.len() == 2 && self.in_server_section());
                if shape_ok
                    && let Some((i, ty)) = value_after(self.toks, 1)
                    && !(self.toks.len() == 2 && self.toks[1].1.bytes().all(|b| b.is_ascii_digit()))
                {
                    out.extend(self.cred(
                        i,
                        ty,
                        Category::PresharedKey,
                        Some(label),
                        &[Flag::NonHuman],
                    ));
                }
            }
            "tacacs-server" | "radius-server" | "server-private" | "client" | "radius"
            | "tacacs" => self.server_key(&mut out),
            "set" if w1 == "community" => {}
            _ => self.generic(&mut out),
        }
        out
    }

    fn in_server_section(&self) -> bool {
        self.section.is_some_and(|s| {
            let s = s.to_ascii_lowercase();
            s.starts_with("tacacs")
                || s.starts_with("radius")
                || s.starts_with("aaa server")
                || s.starts_with("aaa-server")
        })
    }

    fn enable(&self, out: &mut Vec<Cred<'a>>) {
        let w1 = self.word(1);
        let kw = if w1 == "secret" || w1 == "password" || w1.ends_with("-password") {
            1
        } else if self.word(2) == "password" {
            2
        } else {
            return;
        };
        let level = self.after("level").map(str::to_string);
        let user = match &level {
            Some(l) if l != "15" => format!("enable level {l}"),
            _ => "enable".to_string(),
        };
        let privileged = level.as_deref().is_none_or(|l| l == "15");
        let Some((i, ty)) = value_after(self.toks, kw + 1) else {
            return;
        };
        let flags: &'static [Flag] = if privileged { &[Flag::Privileged] } else { &[] };
        out.extend(self.cred(i, ty, Category::Password, Some(user), flags));
    }

    fn username(&self, out: &mut Vec<Cred<'a>>) {
        let Some(user) = self.toks.get(1).map(|t| t.1.trim_matches('"').to_string()) else {
            return;
        };
        let privileged = self.after("privilege") == Some("15")
            || self.after("role").is_some_and(|r| r.contains("admin"))
            || matches!(
                user.to_ascii_lowercase().as_str(),
                "admin" | "root" | "administrator"
            );
        let flags: &'static [Flag] = if privileged { &[Flag::Privileged] } else { &[] };
        for (k, t) in self.toks.iter().enumerate().skip(2) {
            let w = t.1.to_ascii_lowercase();
            if w == "password" || w == "secret" {
                if let Some((i, ty)) = value_after(self.toks, k + 1) {
                    out.extend(self.cred(i, ty, Category::Password, Some(user.clone()), flags));
                }
                return;
            }
        }
    }

    fn snmp(&self, out: &mut Vec<Cred<'a>>) {
        let w1 = self.word(1);
        let nh: &'static [Flag] = &[Flag::NonHuman];
        let rw: &'static [Flag] = &[Flag::NonHuman, Flag::Privileged];
        match w1.as_str() {
            "community" | "community-map" => {
                let write = self.toks.iter().skip(3).any(|t| {
                    let w = t.1.to_ascii_lowercase();
                    w == "rw" || w == "unrestricted" || w == "network-admin" || w == "manager"
                });
                let label = if write { "snmp RW" } else { "snmp RO" };
                if let Some(c) = self.cred(
                    2,
                    None,
                    Category::Community,
                    Some(label.into()),
                    if write { rw } else { nh },
                ) {
                    out.push(c);
                }
            }
            "mib" if self.word(2) == "community-map" => {
                if let Some((toff, tok)) = self.toks.get(3).copied() {
                    let v = tok.split(':').next().unwrap_or(tok);
                    let start = self.base + toff;
                    out.push(Cred {
                        rule: RULE,
                        name: NAME,
                        category: Category::Community,
                        span: start..start + v.len(),
                        value: v,
                        form: Form::Plain,
                        user: Some("snmp community-map".into()),
                        system: self.host.map(str::to_string),
                        flags: nh,
                    });
                }
            }
            "host" => {
                // snmp-server host H [vrf V] [traps|informs] [version 1|2c|3 [auth|noauth|priv]] COMMUNITY ...
                let mut i = 3;
                let mut v3 = false;
                let mut noauth = false;
                while i < self.toks.len() {
                    match self.word(i).as_str() {
                        "source-interface" | "use-vrf" | "filter-vrf" | "udp-port" => return,
                        "vrf" => i += 2,
                        "traps" | "informs" => i += 1,
                        "version" => {
                            v3 = self.word(i + 1) == "3";
                            i += 2;
                        }
                        "auth" | "priv" => i += 1,
                        "noauth" => {
                            noauth = true;
                            i += 1
                        }
                        _ => break,
                    }
                }
                // An SNMPv3 user name is not a secret unless the user has no auth.
                if !v3 || noauth {
                    out.extend(self.cred(
                        i,
                        None,
                        Category::Community,
                        Some("snmp trap".into()),
                        nh,
                    ));
                }
            }
            "user" => {
                let user = self.toks.get(2).map(|t| format!("snmpv3 {}", t.1));
                for w in ["auth", "priv"] {
                    let Some(k) = self.toks.iter().position(|t| t.1.eq_ignore_ascii_case(w)) else {
                        continue;
                    };
                    let mut i = k + 1;
                    while i < self.toks.len() {
                        let x = self.word(i);
                        if [
                            "md5", "sha", "sha-256", "sha256", "3des", "des", "aes", "128", "192",
                            "256", "sha-1",
                        ]
                        .contains(&x.as_str())
                        {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    let Some(tok) = self.toks.get(i).map(|t| t.1) else {
                        continue;
                    };
                    if tok.eq_ignore_ascii_case("priv") || tok.eq_ignore_ascii_case("localizedkey")
                    {
                        continue;
                    }
                    let localized = self.has("localizedkey") || tok.starts_with("0x");
                    if let Some(mut c) = self.cred(i, None, Category::Password, user.clone(), nh) {
                        if localized {
                            c.form = Form::Hash("snmpv3-localized-key");
                            c.category = Category::Hash;
                        }
                        out.push(c);
                    }
                }
            }
            _ => {}
        }
    }

    fn server_key(&self, out: &mut Vec<Cred<'a>>) {
        let w0 = self.word(0);
        let host = self.after("host").or(self.toks.get(1).map(|t| t.1));
        let label = match w0.as_str() {
            "tacacs-server" | "tacacs" => "tacacs-server".to_string(),
            "client" => format!("radius client {}", host.unwrap_or("")),
            _ => format!(
                "radius-server {}",
                host.filter(|h| h.contains('.') || h.contains(':'))
                    .unwrap_or("")
            ),
        };
        let label = label.trim().to_string();
        for k in ["key", "server-key"] {
            if let Some(p) = self.toks.iter().position(|t| t.1.eq_ignore_ascii_case(k))
                && let Some((i, ty)) = value_after(self.toks, p + 1)
            {
                out.extend(self.cred(
                    i,
                    ty,
                    Category::PresharedKey,
                    Some(label),
                    &[Flag::NonHuman],
                ));
                return;
            }
        }
    }

    /// Any other line: the first trigger word (`password`, `key-string`,
    /// `authentication-key`, `pre-shared-key` ...) and the value after it.
    fn generic(&self, out: &mut Vec<Cred<'a>>) {
        let w0 = self.word(0);
        if self.toks.iter().any(|t| t.1 == "[") {
            return;
        }
        let Some((k, mut cat)) = self
            .toks
            .iter()
            .enumerate()
            .find_map(|(k, t)| trigger(t.1).map(|c| (k, c)))
            .or_else(|| {
                // `standby authentication VALUE`, `[vrrp N] authentication text VALUE`
                let k = self
                    .toks
                    .iter()
                    .position(|t| t.1.eq_ignore_ascii_case("authentication"))?;
                let next = self.word(k + 1);
                (next == "text" || (w0 == "standby" && !next.is_empty() && next != "md5"))
                    .then_some((k, Category::PresharedKey))
            })
        else {
            return;
        };
        let mut start = k + 1;
        if self.word(k) == "message-digest-key" {
            start += 1; // key id
        }
        let Some((i, ty)) = value_after(self.toks, start) else {
            return;
        };
        let section = self.section.map(|s| s.to_string());
        let prefix: Vec<&str> = self.toks[..k].iter().take(3).map(|t| t.1).collect();
        let mut flags: &'static [Flag] = &[];
        let user = if let Some(s) = &section {
            let sl = s.to_ascii_lowercase();
            if let Some(u) = sl.strip_prefix("username ") {
                flags = if u.starts_with("admin") {
                    &[Flag::Privileged]
                } else {
                    &[]
                };
                Some(
                    s["username ".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_string(),
                )
            } else {
                Some(s.clone())
            }
        } else if !prefix.is_empty() {
            Some(prefix.join(" "))
        } else {
            None
        };
        if w0 == "neighbor" || w0 == "ppp" || w0 == "l2tp" || w0 == "digest" || w0 == "isis" {
            cat = Category::PresharedKey;
        }
        let flags = if cat == Category::PresharedKey {
            &[Flag::NonHuman][..]
        } else {
            flags
        };
        out.extend(self.cred(i, ty, cat, user, flags));
    }
}
