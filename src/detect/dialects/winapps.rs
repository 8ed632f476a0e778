//! Admin tools' saved connections: FileZilla sitemanager/recentservers, mRemoteNG
//! confCons.xml (default master password), and .NET web.config / app.config
//! connection strings (sections protected by `configProtectionProvider` are skipped:
//! their values are encrypted with a machine key).

use super::common::{Cred, Form, build};
use super::xml;
use crate::detect::{Detector, RawFinding, TextInput};
use crate::finding::{Category, Flag};

pub struct FileZillaDetector;

impl Detector for FileZillaDetector {
    fn name(&self) -> &'static str {
        "dialect-filezilla"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["<pass".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let text = input.text;
        if !text.contains("<FileZilla") {
            return;
        }
        let tags = xml::tags(text);
        let (mut host, mut user) = (None, None);
        for i in 0..tags.len() {
            let t = &tags[i];
            if t.close {
                continue;
            }
            match t.name {
                "Server" => (host, user) = (None, None),
                "Host" => host = xml::text_after(text, &tags, i).map(|(_, v)| v.to_string()),
                "User" => user = xml::text_after(text, &tags, i).map(|(_, v)| v.to_string()),
                "Pass" => {
                    let Some((off, v)) = xml::text_after(text, &tags, i) else {
                        continue;
                    };
                    let b64 = t.attr("encoding").is_some_and(|a| a.value == "base64");
                    out.extend(build(Cred {
                        rule: "dialect.filezilla",
                        name: "FileZilla saved site password",
                        category: Category::Password,
                        span: off..off + v.len(),
                        value: v,
                        form: if b64 { Form::Filezilla } else { Form::Plain },
                        user: user.clone(),
                        system: host.clone(),
                        flags: &[],
                    }));
                }
                _ => {}
            }
        }
    }
}

pub struct MRemoteNgDetector;

impl Detector for MRemoteNgDetector {
    fn name(&self) -> &'static str {
        "dialect-mremoteng"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["connections".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let text = input.text;
        if !text.contains("mrng:Connections") && !text.contains("<Connections") {
            return;
        }
        for t in xml::tags(text)
            .iter()
            .filter(|t| !t.close && t.local() == "Node")
        {
            let Some(p) = t.attr("Password") else {
                continue;
            };
            if p.value.is_empty() {
                continue;
            }
            let user = t.attr("Username").filter(|u| !u.value.is_empty()).map(|u| {
                match t.attr("Domain") {
                    Some(d) if !d.value.is_empty() => format!("{}\\{}", d.value, u.value),
                    _ => u.value.to_string(),
                }
            });
            let system = t
                .attr("Hostname")
                .map(|h| h.value.to_string())
                .filter(|h| !h.is_empty());
            let privileged = user
                .as_deref()
                .is_some_and(|u| u.to_ascii_lowercase().contains("admin"));
            let flags: &[Flag] = if privileged { &[Flag::Privileged] } else { &[] };
            out.extend(build(Cred {
                rule: "dialect.mremoteng",
                name: "mRemoteNG saved connection password",
                category: Category::Password,
                span: p.off..p.off + p.value.len(),
                value: p.value,
                form: Form::MRemoteNg,
                user,
                system,
                flags,
            }));
        }
    }
}

pub struct WebConfigDetector;

impl Detector for WebConfigDetector {
    fn name(&self) -> &'static str {
        "dialect-webconfig"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["connectionstring".into()]
    }
    fn detect(&self, input: &TextInput<'_>, _hits: &[usize], out: &mut Vec<RawFinding>) {
        let text = input.text;
        if !text.contains("<connectionStrings") {
            return;
        }
        let tags = xml::tags(text);
        let mut protected = false;
        for t in &tags {
            if t.name == "connectionStrings" {
                protected = !t.close && t.attr("configProtectionProvider").is_some();
                continue;
            }
            if protected || t.close || t.name != "add" {
                continue;
            }
            let Some(cs) = t.attr("connectionString") else {
                continue;
            };
            connection_string(cs.off, cs.value, t.attr("name").map(|n| n.value), out);
        }
    }
}

/// `Server=..;User ID=..;Password=..` parts; the password's own range is the span.
fn connection_string(base: usize, cs: &str, name: Option<&str>, out: &mut Vec<RawFinding>) {
    let mut user = None;
    let mut server = None;
    let mut pw: Option<(usize, &str)> = None;
    let mut pos = 0;
    for part in cs.split(';') {
        let here = pos;
        pos += part.len() + 1;
        let Some(eq) = part.find('=') else { continue };
        let key = part[..eq].trim().to_ascii_lowercase();
        let raw = &part[eq + 1..];
        let lead = raw.len() - raw.trim_start().len();
        let v = raw.trim();
        match key.as_str() {
            "user id" | "uid" | "user" | "username" => user = Some(v.to_string()),
            "data source" | "server" | "host" | "address" | "addr" => server = Some(v.to_string()),
            "password" | "pwd" => pw = Some((base + here + eq + 1 + lead, v)),
            _ => {}
        }
    }
    let Some((off, v)) = pw else { return };
    let privileged = user
        .as_deref()
        .is_some_and(|u| u.eq_ignore_ascii_case("sa") || u.to_ascii_lowercase().contains("admin"));
    let flags: &[Flag] = if privileged {
        &[Flag::NonHuman, Flag::Privileged]
    } else {
        &[Flag::NonHuman]
    };
    let _ = name;
    out.extend(build(Cred {
        rule: "dialect.dotnet-connectionstring",
        name: ".NET config connection string password",
        category: Category::ConnectionString,
        span: off..off + v.len(),
        value: v,
        form: Form::Plain,
        user,
        system: server,
        flags,
    }));
}
