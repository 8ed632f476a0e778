//! Windows admin artefacts: Group Policy Preferences XML (`cpassword`), unattend /
//! autounattend / sysprep answer files, registry exports and .ini files (autologon,
//! WinSCP, PuTTY, VNC), and .rdp files (DPAPI blobs: reported, never decodable).

use super::common::{Cred, Form, build, build_decoded, lines, sections};
use super::xml::{self, Tag};
use crate::detect::decode;
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

fn is_privileged_user(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    let bare = l.rsplit('\\').next().unwrap_or(&l);
    bare.starts_with("administrator")
        || bare.starts_with("admin")
        || bare == "root"
        || bare.ends_with("-adm")
        || bare.starts_with("adm-")
}

fn is_service_user(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    let bare = l.rsplit('\\').next().unwrap_or(&l);
    bare.starts_with("svc")
        || bare.starts_with("srv")
        || bare.starts_with("sa_")
        || bare.contains("service")
}

fn user_flags(u: Option<&str>, extra: &[Flag]) -> Vec<Flag> {
    let mut f = extra.to_vec();
    if let Some(u) = u {
        if is_privileged_user(u) && !f.contains(&Flag::Privileged) {
            f.push(Flag::Privileged);
        }
        if is_service_user(u) && !f.contains(&Flag::NonHuman) {
            f.push(Flag::NonHuman);
        }
    }
    f
}

/// GPP: Groups.xml, Services.xml, ScheduledTasks.xml, DataSources.xml, Drives.xml,
/// Printers.xml. The user is `userName`, `runAs` or `accountName` of the same tag.
pub struct GppDetector;

impl Detector for GppDetector {
    fn name(&self) -> &'static str {
        "dialect-gpp"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["cpassword".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let all = xml::tags(input.text);
        for t in all.iter().filter(|t| !t.close) {
            let Some(cp) = t.attr("cpassword") else {
                continue;
            };
            if cp.value.is_empty() {
                continue;
            }
            let user = ["userName", "runAs", "accountName", "username"]
                .iter()
                .find_map(|k| t.attr(k).filter(|a| !a.value.is_empty()))
                .map(|a| xml::unescape(a.value).into_owned());
            let system = ["path", "dsn", "server"]
                .iter()
                .find_map(|k| t.attr(k).filter(|a| !a.value.is_empty()))
                .map(|a| a.value.to_string());
            let mut extra = Vec::new();
            if input.name.to_ascii_lowercase().contains("services.xml")
                || input.name.to_ascii_lowercase().contains("scheduledtasks")
            {
                extra.push(Flag::NonHuman);
            }
            let flags = user_flags(user.as_deref(), &extra);
            if let Some(f) = build(Cred {
                rule: "dialect.gpp-cpassword",
                name: "Group Policy Preferences cpassword",
                category: Category::Password,
                span: cp.off..cp.off + cp.value.len(),
                value: cp.value,
                form: Form::Gpp,
                user,
                system,
                flags: &flags,
            }) {
                out.push(f);
            }
        }
    }
}

/// unattend.xml / autounattend.xml / sysprep.xml passwords (`PlainText` true or false).
pub struct UnattendDetector;

impl Detector for UnattendDetector {
    fn name(&self) -> &'static str {
        "dialect-unattend"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["<password>".into(), "<administratorpassword>".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let text = input.text;
        if !text.contains("urn:schemas-microsoft-com:unattend")
            && !input.base_name().contains("unattend")
        {
            return;
        }
        let tags = xml::tags(text);
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..tags.len() {
            let t = &tags[i];
            if t.close {
                stack.pop();
                continue;
            }
            if t.self_close {
                continue;
            }
            let name = t.local();
            if name == "Password" || name == "AdministratorPassword" {
                let parent = stack.last().map(|&p| &tags[p]);
                emit_unattend(text, &tags, i, parent, out);
            }
            stack.push(i);
        }
    }
}

fn emit_unattend(
    text: &str,
    tags: &[Tag<'_>],
    i: usize,
    parent: Option<&Tag<'_>>,
    out: &mut Vec<RawFinding>,
) {
    let el: &'static str = if tags[i].local() == "Password" {
        "Password"
    } else {
        "AdministratorPassword"
    };
    // <Password><Value>..</Value><PlainText>..</PlainText></Password> or <Password>x</Password>
    let mut value = None;
    let mut plain = true;
    let mut j = i + 1;
    while j < tags.len() && !(tags[j].close && tags[j].local() == tags[i].local()) {
        match (tags[j].close, tags[j].local()) {
            (false, "Value") => value = xml::text_after(text, tags, j),
            (false, "PlainText") => {
                plain = xml::text_after(text, tags, j)
                    .is_none_or(|(_, v)| !v.eq_ignore_ascii_case("false"))
            }
            _ => {}
        }
        j += 1;
    }
    if value.is_none() && j == i + 1 {
        value = xml::text_after(text, tags, i);
    }
    let Some((off, v)) = value else { return };
    if v.is_empty() {
        return;
    }
    let user = if el == "AdministratorPassword" {
        Some("Administrator".to_string())
    } else {
        parent.and_then(|p| sibling_user(text, tags, p))
    };
    let flags = user_flags(user.as_deref(), &[]);
    let cred = Cred {
        rule: "dialect.unattend",
        name: "Windows unattend answer file password",
        category: Category::Password,
        span: off..off + v.len(),
        value: v,
        form: Form::Plain,
        user,
        system: None,
        flags: &flags,
    };
    let f = if plain {
        build(cred)
    } else {
        build_decoded(cred, decode::unattend_base64(v, el), "unattend base64")
    };
    out.extend(f);
}

/// `<Username>` or `<Name>` inside the parent element of a password.
fn sibling_user(text: &str, tags: &[Tag<'_>], parent: &Tag<'_>) -> Option<String> {
    let start = tags.iter().position(|t| t.start == parent.start)?;
    let mut depth = 0;
    for k in start + 1..tags.len() {
        let t = &tags[k];
        if t.close {
            if depth == 0 {
                break;
            }
            depth -= 1;
            continue;
        }
        if depth == 0 && (t.local() == "Username" || t.local() == "Name") {
            return xml::text_after(text, tags, k).map(|(_, v)| v.to_string());
        }
        if !t.self_close {
            depth += 1;
        }
    }
    None
}

/// Registry exports and .ini files: Winlogon autologon, WinSCP sessions, PuTTY
/// proxy passwords, VNC passwords.
pub struct RegIniDetector;

impl Detector for RegIniDetector {
    fn name(&self) -> &'static str {
        "dialect-reg-ini"
    }
    fn keywords(&self) -> Vec<String> {
        [
            "defaultpassword",
            "password=",
            "\"password\"=",
            "passwd",
            "proxypassword",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        for s in sections(input.text) {
            let lname = s.name.to_ascii_lowercase();
            let mut push =
                |key: &str,
                 cred: Cred<'_>,
                 dec: Option<(Result<crate::Secret, decode::DecodeError>, &str)>| {
                    let _ = key;
                    let f = match dec {
                        Some((r, what)) => build_decoded(cred, r, what),
                        None => build(cred),
                    };
                    out.extend(f);
                };
            if lname.ends_with("\\winlogon") || s.get("DefaultPassword").is_some() {
                if let Some((v, r)) = s.get("DefaultPassword") {
                    let user =
                        s.get("DefaultUserName")
                            .map(|(u, _)| match s.get("DefaultDomainName") {
                                Some((d, _)) if !d.is_empty() => format!("{d}\\{u}"),
                                _ => u.to_string(),
                            });
                    let flags = user_flags(user.as_deref(), &[]);
                    push(
                        "DefaultPassword",
                        Cred {
                            rule: "dialect.autologon",
                            name: "Windows autologon DefaultPassword",
                            category: Category::Password,
                            span: r,
                            value: v,
                            form: Form::Plain,
                            user,
                            system: None,
                            flags: &flags,
                        },
                        None,
                    );
                }
                continue;
            }
            if lname.contains("winscp 2\\sessions\\") || lname.starts_with("sessions\\") {
                let Some((v, r)) = s.get("Password") else {
                    continue;
                };
                let host = s.get("HostName").map(|h| h.0).unwrap_or("");
                let user = s.get("UserName").map(|u| u.0).unwrap_or("");
                let flags = user_flags(Some(user), &[]);
                let dec = decode::winscp(user, host, v);
                push(
                    "Password",
                    Cred {
                        rule: "dialect.winscp",
                        name: "WinSCP stored session password",
                        category: Category::Password,
                        span: r,
                        value: v,
                        form: Form::Plain,
                        user: Some(user.to_string()),
                        system: Some(host.to_string()).filter(|h| !h.is_empty()),
                        flags: &flags,
                    },
                    Some((dec, "WinSCP")),
                );
                continue;
            }
            if lname.contains("simontatham\\putty\\sessions\\") {
                let Some((v, r)) = s.get("ProxyPassword") else {
                    continue;
                };
                let user = s
                    .get("ProxyUsername")
                    .map(|u| u.0.to_string())
                    .filter(|u| !u.is_empty());
                let system = s
                    .get("ProxyHost")
                    .map(|h| h.0.to_string())
                    .filter(|h| !h.is_empty());
                push(
                    "ProxyPassword",
                    Cred {
                        rule: "dialect.putty",
                        name: "PuTTY session proxy password",
                        category: Category::Password,
                        span: r,
                        value: v,
                        form: Form::Plain,
                        user,
                        system,
                        flags: &[],
                    },
                    None,
                );
                continue;
            }
            if lname.contains("vnc") || (lname == "server" && input.base_name().contains("vnc")) {
                for key in [
                    "Password",
                    "PasswordViewOnly",
                    "passwd",
                    "passwd2",
                    "ControlPassword",
                ] {
                    let Some((v, r)) = s.get(key) else { continue };
                    let hexv: String = v
                        .trim_start_matches("hex:")
                        .chars()
                        .filter(|c| c.is_ascii_hexdigit())
                        .collect();
                    let view = key.to_ascii_lowercase().contains("view") || key == "passwd2";
                    let user = Some(if view { "vnc view-only" } else { "vnc" }.to_string());
                    let dec = decode::vnc(&hexv);
                    push(
                        key,
                        Cred {
                            rule: "dialect.vnc",
                            name: "VNC stored password",
                            category: Category::Password,
                            span: r,
                            value: v,
                            form: Form::Plain,
                            user,
                            system: None,
                            flags: &[],
                        },
                        Some((dec, "VNC DES")),
                    );
                }
            }
        }
    }
}

/// .rdp files: `password 51:b:<hex>` is a DPAPI blob bound to the user who saved it.
pub struct RdpDetector;

impl Detector for RdpDetector {
    fn name(&self) -> &'static str {
        "dialect-rdp"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["password 51:b:".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let mut user = None;
        let mut host = None;
        for (_, line) in lines(input.text) {
            if let Some(u) = line.strip_prefix("username:s:") {
                user = Some(u.trim().to_string());
            }
            if let Some(h) = line.strip_prefix("full address:s:") {
                host = Some(h.trim().to_string());
            }
        }
        for (off, line) in lines(input.text) {
            let Some(v) = line.strip_prefix("password 51:b:") else {
                continue;
            };
            let v = v.trim();
            let start = off + "password 51:b:".len();
            let flags = user_flags(user.as_deref(), &[]);
            out.extend(build(Cred {
                rule: "dialect.rdp",
                name: "RDP saved password (DPAPI)",
                category: Category::Password,
                span: start..start + v.len(),
                value: v,
                form: Form::Opaque("DPAPI blob bound to the Windows user who saved it"),
                user: user.clone(),
                system: host.clone(),
                flags: &flags,
            }));
        }
    }
}
