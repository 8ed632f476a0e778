//! Device and admin-artefact dialects (Cisco, Juniper, FortiOS, GPP XML, ...): each
//! recognises its format by content and extracts credentials structurally, with the
//! device hostname as `system` and the privilege the credential grants.
//!
//! Network configs are told apart by [`family`] (content markers, not file names), so
//! a line such as `set password ...` is read with the grammar of the file it is in.
//! Every finding carries specificity [`common::SPECIFICITY`] so it wins over the
//! generic key=value detector on the same bytes.

pub mod cisco;
pub mod cli;
pub mod cloudvpn;
pub mod common;
pub mod fortios;
pub mod hp;
pub mod industrial;
pub mod juniper;
pub mod mikrotik;
pub mod moxa;
pub mod paloalto;
pub mod ruggedcom;
pub mod winapps;
pub mod windows;
pub mod xml;

use super::Detector;

/// Every built-in dialect detector, most specific first.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(windows::GppDetector),
        Box::new(windows::UnattendDetector),
        Box::new(windows::RegIniDetector),
        Box::new(windows::RdpDetector),
        Box::new(winapps::FileZillaDetector),
        Box::new(winapps::MRemoteNgDetector),
        Box::new(winapps::WebConfigDetector),
        Box::new(cloudvpn::AwsVpnDetector),
        Box::new(fortios::FortiDetector),
        Box::new(paloalto::PanDetector),
        Box::new(mikrotik::MikrotikDetector),
        Box::new(juniper::JuniperDetector),
        Box::new(moxa::MoxaDetector),
        Box::new(ruggedcom::RuggedcomDetector),
        Box::new(industrial::IndustrialDetector),
        Box::new(hp::HpDetector),
        Box::new(cisco::CiscoDetector),
    ]
}

/// The network-config family of a text, from content markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Junos,
    PanOs,
    FortiOs,
    Mikrotik,
    /// Westermo WeOS, Hirschmann HiOS, SCALANCE: see `industrial` (Moxa and RUGGEDCOM
    /// exports are recognised by their own detectors, `moxa` and `ruggedcom`).
    Industrial,
    /// IOS, IOS-XE, NX-OS, IOS-XR, ASA, EOS, ProCurve/Aruba and other IOS-like CLIs.
    IosLike,
    /// XML or other documents that are not device CLIs.
    NotCli,
}

/// (address, length, head/tail hash) of a text, and its (family, IOS markers).
type Classified = (usize, usize, u64, Option<(Family, u32)>);

thread_local! {
    /// The last text classified on this thread and its family: every dialect
    /// detector asks, and they run one after the other on one text.
    static LAST: std::cell::Cell<Classified> = const { std::cell::Cell::new((0, 0, 0, None)) };
}

/// Classifies a text by its first 16 KiB.
pub fn family(text: &str) -> Family {
    classify(text).0
}

/// How many IOS-like command lines (hostname, username, snmp-server, enable,
/// interface, line vty) the head of the text has: 0 for a file that is not a device
/// config at all, where single command lines are read only when unmistakable.
pub fn ios_markers(text: &str) -> u32 {
    classify(text).1
}

fn classify(text: &str) -> (Family, u32) {
    // Address and length alone could match a new text allocated where an old one
    // was freed, so a hash of its head and tail is part of the key.
    // Every dialect detector asks for every text, so the hash is a fast one.
    use std::hash::BuildHasher;
    let b = text.as_bytes();
    let hasher = foldhash::fast::FixedState::with_seed(0);
    let h = hasher.hash_one(&b[..b.len().min(512)])
        ^ hasher
            .hash_one(&b[b.len().saturating_sub(512)..])
            .rotate_left(1);
    let key = (text.as_ptr() as usize, text.len(), h);
    if let Some(hit) = LAST.with(|c| {
        let (p, l, k, v) = c.get();
        (p == key.0 && l == key.1 && k == key.2)
            .then_some(v)
            .flatten()
    }) {
        return hit;
    }
    let v = classify_uncached(text);
    LAST.with(|c| c.set((key.0, key.1, key.2, Some(v))));
    v
}

fn classify_uncached(text: &str) -> (Family, u32) {
    // A device export says what it is in its first lines (hostname, version, set
    // system ...); 16 KiB is plenty and keeps this cheap for every text.
    let head = &text[..floor_boundary(text, 16_384)];
    let mut junos = 0;
    let mut pan = 0;
    let mut forti = 0;
    let mut mikrotik = 0;
    let mut industrial = 0;
    let mut forti_config = false;
    let mut ios = 0;
    let mut forti_set = 0;
    // Every text is classified, device config or not, so each line is tested only
    // against the markers that begin with its first byte; `<phash>` (PAN-OS XML) may
    // sit anywhere in a line and is looked for only when the head has one at all.
    let phash_in_head = head.contains("<phash>");
    let any = |t: &str, prefixes: &[&str]| prefixes.iter().any(|p| t.starts_with(p));
    for (_, line) in common::lines(head) {
        let t = line.trim_start();
        let phash = phash_in_head && t.contains("<phash>");
        if phash {
            pan += 2;
        }
        match t.as_bytes().first() {
            Some(b's') => {
                if t.starts_with("set ") {
                    if !phash && any(t, &["set deviceconfig", "set mgt-config"]) {
                        pan += 2;
                    }
                    if any(
                        t,
                        &[
                            "set system ",
                            "set interfaces ",
                            "set protocols ",
                            "set security ",
                            "set snmp ",
                            "set policy-options ",
                            "set routing-options ",
                            "set groups ",
                        ],
                    ) {
                        junos += 1;
                    }
                    if t.split_whitespace().nth(1).is_some_and(|w| {
                        ["password", "passwd", "psksecret", "pksecret", "community"].contains(&w)
                    }) {
                        forti_set += 1;
                    }
                } else if t == "system {" {
                    junos += 1;
                } else if t.starts_with("snmp-server ") {
                    ios += 1;
                }
            }
            Some(b'h') => {
                if t.starts_with("host-name ") {
                    junos += 1;
                } else if t.starts_with("hostname ") {
                    ios += 1;
                }
            }
            Some(b'r') => {
                if t.starts_with("root-authentication") {
                    junos += 1;
                } else if any(t, &["rocommunity ", "rwcommunity "]) {
                    industrial += 2;
                }
            }
            Some(b'<') if t.starts_with("<configuration") => junos += 1,
            Some(b'u') => {
                if t.starts_with("username ") {
                    ios += 1;
                } else if t.starts_with("users password ") {
                    industrial += 2;
                }
            }
            Some(b'e') => {
                if t.starts_with("enable ") {
                    ios += 1;
                } else if forti_config && (t == "end" || t.starts_with("edit ")) {
                    forti += 1;
                }
            }
            Some(b'n') if forti_config && t == "next" => forti += 1,
            Some(b'i') if t.starts_with("interface ") => ios += 1,
            Some(b'l') if t.starts_with("line vty") => ios += 1,
            Some(b'c') if t.starts_with("config ") && !t.starts_with("config-") => {
                forti_config = true;
                forti += 1;
            }
            Some(b'/')
                if any(
                    t,
                    &[
                        "/ip ",
                        "/system ",
                        "/user ",
                        "/interface ",
                        "/ppp ",
                        "/snmp ",
                        "/routing ",
                    ],
                ) =>
            {
                mikrotik += 2
            }
            Some(b'#' | b'!' | b't')
                if any(
                    t,
                    &["# WeOS", "! HiOS", "# Moxa", "! SCALANCE", "trapcommunity "],
                ) =>
            {
                industrial += 2
            }
            _ => {}
        }
    }
    // A bare `set community ...` is FortiOS only outside an IOS-like config, where it
    // is a route-map line.
    if ios == 0 {
        forti += forti_set;
    }
    let best = [
        (pan, Family::PanOs),
        (mikrotik, Family::Mikrotik),
        (industrial, Family::Industrial),
        (junos, Family::Junos),
        (forti, Family::FortiOs),
    ]
    .into_iter()
    .max_by_key(|(n, _)| *n)
    .filter(|(n, _)| *n > 0);
    let f = match best {
        Some((n, _)) if ios > n => Family::IosLike,
        Some((_, f)) => f,
        None if head.trim_start().starts_with('<') && ios == 0 => Family::NotCli,
        None => Family::IosLike,
    };
    (f, ios)
}

fn floor_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut i = max;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
