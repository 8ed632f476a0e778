//! Dialects as specifications: a short config or artefact in, the exact findings out
//! (line, category, user or context, system, flags before judgement, secret). The
//! industrial switches and gateways are in `dialects_industrial.rs`.

mod common;

use Flag::{Hashed as H, NonHuman as N, Privileged as P, Reversible as R};
use common::dialect::*;
use credence::detect::decode;
use credence::detect::knowledge::FileFacts;
use credence::detect::{Engine, TextInput, dialects};
use credence::finding::Flag;
use credence::ingest::{TextHint, text::LineIndex};

#[test]
fn cisco_ios_enable_users_lines_snmp_keys() {
    let t7 = decode::cisco_type7_encode("Grid-Ops#7", 5);
    let cfg = format!(
        "hostname SUB2-DIST01\n!\nenable secret 5 $1$Ab3dQ9xZ$kuAbI6bG6sORUs6lyxTSH1\n\
         username ops privilege 15 password 7 {t7}\nusername view privilege 1 secret 0 Vi3w-Only#2\n\
         snmp-server community Sub2Ro RO 5\nsnmp-server community Sub2Rw RW 6\n\
         route-map RM-OUT permit 10\n set community 65000:100 additive\n\
         line vty 0 4\n password 0 Vty-Pass#9\n!\nusername old secret 5 <removed>\nend\n"
    );
    let got = scan("sub2-dist01.cfg", &cfg);
    let s = "SUB2-DIST01";
    assert_eq!(
        got,
        vec![
            f(
                3,
                "hash",
                "enable",
                s,
                &[H, P],
                "$1$Ab3dQ9xZ$kuAbI6bG6sORUs6lyxTSH1"
            ),
            f(4, "password", "ops", s, &[R, P], "Grid-Ops#7"),
            f(5, "password", "view", s, &[], "Vi3w-Only#2"),
            f(6, "community", "snmp RO", s, &[N], "Sub2Ro"),
            f(7, "community", "snmp RW", s, &[N, P], "Sub2Rw"),
            f(11, "password", "line vty 0 4", s, &[], "Vty-Pass#9"),
        ]
    );
}

#[test]
fn cisco_keys_psks_and_servers() {
    let cfg = "hostname r1\nkey chain KC\n key 1\n  key-string 0 Kc-Str1ng\n\
               crypto keyring KR\n  pre-shared-key address 192.0.2.9 key Kr-Psk#1\n\
               crypto isakmp key Isa-Psk#2 address 192.0.2.10\n\
               tacacs-server host 192.0.2.5 key Tac-Key#3\n\
               interface Gi0/1\n ip ospf message-digest-key 1 md5 Ospf#4\n\
               router bgp 65001\n neighbor 192.0.2.1 password Bgp#5\n\
               ntp authentication-key 3 md5 Ntp#6\n";
    let got = scan("r1.cfg", cfg);
    let summary: Vec<(u32, &str, Option<&str>, &str)> = got
        .iter()
        .map(|x| {
            (
                x.line,
                x.category.as_str(),
                x.user.as_deref(),
                x.secret.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (4, "preshared_key", Some("key chain KC"), "Kc-Str1ng"),
            (6, "preshared_key", Some("crypto keyring KR"), "Kr-Psk#1"),
            (7, "preshared_key", Some("isakmp"), "Isa-Psk#2"),
            (8, "preshared_key", Some("tacacs-server"), "Tac-Key#3"),
            (10, "preshared_key", Some("interface Gi0/1"), "Ospf#4"),
            (12, "preshared_key", Some("router bgp 65001"), "Bgp#5"),
            (13, "preshared_key", Some("ntp"), "Ntp#6"),
        ]
    );
    assert!(
        got.iter()
            .all(|x| x.flags.contains(&N) && x.system.as_deref() == Some("r1"))
    );
}

#[test]
fn cisco_asa_nxos_xr_arista_forms() {
    let asa = "hostname fw1\nenable password 8Ry2YjIyt7RRXU24 encrypted\nusername a password bV7aQ1kLmZ0pWc9e encrypted privilege 15\n";
    let got = scan("fw1.cfg", asa);
    assert_eq!(
        got[0],
        f(2, "hash", "enable", "fw1", &[H, P], "8Ry2YjIyt7RRXU24")
    );
    assert_eq!(
        got[1],
        f(3, "hash", "a", "fw1", &[H, P], "bV7aQ1kLmZ0pWc9e")
    );
    let xr =
        "hostname xr1\nusername lab\n group root-lr\n secret 5 $1$gZpA$ued8wLDDwikqTVKTEvUe2/\n!\n";
    assert_eq!(
        scan("xr1.cfg", xr),
        vec![f(
            4,
            "hash",
            "lab",
            "xr1",
            &[H],
            "$1$gZpA$ued8wLDDwikqTVKTEvUe2/"
        )]
    );
    let eos = "hostname leaf1\nusername noc secret sha512 $6$RMxgK5ALGIf.nWEC$tHuK\n";
    let got = scan("leaf1.cfg", eos);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].category.as_str(), got[0].user.as_deref()),
        ("hash", Some("noc"))
    );
}

#[test]
fn junos_set_format() {
    let j9 = decode::juniper9_encode("Tacplus#Key1", 'Q');
    let cfg = format!(
        "set system host-name wf-srx1\nset system login user ops class super-user\n\
         set system login user ops authentication encrypted-password \"$1$pAn0sx1Q$eStEacLokCI.tOp5w5ehD1\"\n\
         set system tacplus-server 192.0.2.7 secret \"{j9}\"\n\
         set snmp community WfRw authorization read-write\n\
         set system login user neteng authentication encrypted-password \"%CENSORED%\"\n\
         set policy-options community NO-EXPORT members no-export\n"
    );
    let got = scan("wf-srx1.conf", &cfg);
    let s = "wf-srx1";
    assert_eq!(
        got,
        vec![
            f(
                3,
                "hash",
                "ops",
                s,
                &[H, P],
                "$1$pAn0sx1Q$eStEacLokCI.tOp5w5ehD1"
            ),
            f(
                4,
                "preshared_key",
                "tacplus-server 192.0.2.7",
                s,
                &[R, N],
                "Tacplus#Key1"
            ),
            f(5, "community", "snmp RW", s, &[N, P], "WfRw"),
        ]
    );
}

#[test]
fn junos_curly_braces() {
    let cfg = "system {\n    host-name mx1;\n    root-authentication {\n        encrypted-password \"$6$uT8w$zr6Tk\";\n    }\n}\nsnmp {\n    community Ro1 {\n        authorization read-only;\n    }\n}\n";
    let got = scan("mx1.conf", cfg);
    assert_eq!(
        got[0],
        f(4, "hash", "root", "mx1", &[H, P], "$6$uT8w$zr6Tk")
    );
    assert_eq!(got[1], f(8, "community", "snmp RO", "mx1", &[N], "Ro1"));
}

#[test]
fn fortios_enc_hash_and_redacted() {
    let psk = decode::fortios_enc_encode("Psk#Site9", [9, 8, 7, 6]);
    let cfg = format!(
        "config system global\n    set hostname \"FGT9\"\nend\nconfig system admin\n    edit \"admin\"\n        set password ENC SH2abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ=\n    next\nend\n\
         config vpn ipsec phase1-interface\n    edit \"s9\"\n        set psksecret ENC {psk}\n        set api-key ENC <removed>\n    next\nend\n"
    );
    let got = scan("fgt9.conf", &cfg);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        (got[0].line, got[0].category.as_str(), got[0].flags.clone()),
        (6, "hash", vec![H, P])
    );
    assert_eq!(
        got[1],
        f(
            11,
            "preshared_key",
            "vpn ipsec phase1-interface s9",
            "FGT9",
            &[R, N],
            "Psk#Site9"
        )
    );
}

#[test]
fn panos_hp_mikrotik() {
    let pan = "set deviceconfig system hostname pa1\nset mgt-config users admin phash $1$pAn0sx1Q$eStEacLokCI.tOp5w5ehD1\n";
    assert_eq!(
        scan("pa1.txt", pan),
        vec![f(
            2,
            "hash",
            "admin",
            "pa1",
            &[H, P],
            "$1$pAn0sx1Q$eStEacLokCI.tOp5w5ehD1"
        )]
    );
    let hp = "hostname \"SW9\"\npassword manager user-name \"admin\" plaintext \"Hp-Mgr#9\"\n";
    assert_eq!(
        scan("sw9.cfg", hp),
        vec![f(2, "password", "admin", "SW9", &[P], "Hp-Mgr#9")]
    );
    let mt = "/system identity\nset name=rtr9\n/user\nadd group=full name=ops password=Mt-Full#9\n/snmp community\nadd name=Rw9 write-access=yes\n";
    assert_eq!(
        scan("rtr9.rsc", mt),
        vec![
            f(4, "password", "ops", "rtr9", &[P], "Mt-Full#9"),
            f(6, "community", "snmp RW", "rtr9", &[N, P], "Rw9")
        ]
    );
}

#[test]
fn windows_gpp_unattend_rdp_reg() {
    let cp = decode::gpp_cpassword_encode("Gpp#Local1");
    let gpp = format!(
        "<Groups><User name=\"x\"><Properties action=\"U\" cpassword=\"{cp}\" userName=\"Administrator (built-in)\"/></User></Groups>"
    );
    assert_eq!(
        scan("Policies/{G}/Machine/Preferences/Groups/Groups.xml", &gpp),
        vec![f(
            1,
            "password",
            "Administrator (built-in)",
            "",
            &[R, P],
            "Gpp#Local1"
        )]
    );
    let bad =
        "<Groups><User><Properties cpassword=\"not*base64\" userName=\"svc_x\"/></User></Groups>";
    let got = raw("Groups.xml", bad);
    assert_eq!(got.len(), 1, "a malformed cpassword is still a credential");
    assert!(
        got[0]
            .1
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("not decodable")
    );
    let un = "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><UserAccounts><AdministratorPassword><Value>VABlAG0AcAAxADIAMwBBAGQAbQBpAG4AaQBzAHQAcgBhAHQAbwByAFAAYQBzAHMAdwBvAHIAZAA=</Value><PlainText>false</PlainText></AdministratorPassword></UserAccounts></unattend>";
    assert_eq!(
        scan("unattend.xml", un),
        vec![f(1, "password", "Administrator", "", &[R, P], "Temp123")]
    );
    let rdp =
        "full address:s:192.0.2.61\nusername:s:CORP\\op\npassword 51:b:01000000D08C9DDF0115D111\n";
    let got = raw("x.rdp", rdp);
    assert_eq!(got.len(), 1);
    assert!(got[0].1.detail.as_deref().unwrap_or("").contains("DPAPI"));
    assert!(!got[0].1.flags.contains(&R));
    let reg = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n\"DefaultUserName\"=\"Administrator\"\n\"DefaultPassword\"=\"Auto#Logon1\"\n";
    assert_eq!(
        scan("a.reg", reg),
        vec![f(5, "password", "Administrator", "", &[P], "Auto#Logon1")]
    );
}

#[test]
fn admin_tools_winscp_filezilla_mremoteng_vnc_webconfig() {
    let ws = decode::winscp_encode("eng", "192.0.2.4", "Scp#Eng1");
    let ini =
        format!("[Sessions\\eng@192.0.2.4]\nHostName=192.0.2.4\nUserName=eng\nPassword={ws}\n");
    assert_eq!(
        scan("WinSCP.ini", &ini),
        vec![f(4, "password", "eng", "192.0.2.4", &[R], "Scp#Eng1")]
    );
    let fz = "<FileZilla3><Servers><Server><Host>192.0.2.7</Host><User>u</User><Pass encoding=\"base64\">Zm9vYmFy</Pass></Server></Servers></FileZilla3>";
    assert_eq!(
        scan("sitemanager.xml", fz),
        vec![f(1, "password", "u", "192.0.2.7", &[R], "foobar")]
    );
    let mr = decode::mremoteng_encode("Mr#Jump1", [1; 16], [2; 16]);
    let cc = format!(
        "<mrng:Connections xmlns:mrng=\"http://mremoteng.org\"><Node Name=\"j\" Username=\"admin\" Domain=\"\" Password=\"{mr}\" Hostname=\"192.0.2.8\"/></mrng:Connections>"
    );
    assert_eq!(
        scan("confCons.xml", &cc),
        vec![f(1, "password", "admin", "192.0.2.8", &[R, P], "Mr#Jump1")]
    );
    let vnc = format!("[ultravnc]\npasswd={}\n", decode::vnc_encode("Vnc#1"));
    assert_eq!(
        scan("ultravnc.ini", &vnc),
        vec![f(2, "password", "vnc", "", &[R], "Vnc#1")]
    );
    let wc = "<configuration><connectionStrings><add name=\"db\" connectionString=\"Server=192.0.2.9;User ID=sa;Password=Sa#Hist1;\"/></connectionStrings></configuration>";
    assert_eq!(
        scan("web.config", wc),
        vec![f(
            1,
            "connection_string",
            "sa",
            "192.0.2.9",
            &[N, P],
            "Sa#Hist1"
        )]
    );
    let protected = "<configuration><connectionStrings configProtectionProvider=\"RsaProtectedConfigurationProvider\"><EncryptedData/></connectionStrings></configuration>";
    assert!(scan("web.config", protected).is_empty());
}

#[test]
fn reversible_and_clear_share_the_plaintext() {
    let t7 = decode::cisco_type7_encode("Same#Secret1", 9);
    let a = scan("a.cfg", &format!("username x password 7 {t7}\n"));
    let b = scan("b.cfg", "username x password 0 Same#Secret1\n");
    assert_eq!(
        a[0].secret, b[0].secret,
        "same plaintext, so the same fingerprint"
    );
}

#[test]
fn bad_input_never_panics() {
    for text in [
        "username x password 7 ZZZZ\n",
        "username x password 7 1\n",
        "enable secret 5\n",
        "<Groups><User cpassword=\"",
        "<unattend><AdministratorPassword><Value>",
        "set system login user\n",
        "config system admin\n edit\n set password ENC\n",
        "[Sessions\\a]\nPassword=A3\n",
        "\u{feff}\u{0}\u{1}password 7 0",
    ] {
        let _ = scan("bad.cfg", text);
    }
    let got = raw("t7.cfg", "hostname h\nusername x password 7 12ZZ0C\n");
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .1
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("not decodable")
    );
    // A 100k-line config: linear, no panic.
    let mut big = String::from("hostname big\n");
    for i in 0..100_000 {
        big.push_str(&format!("interface Gi0/{i}\n description port {i}\n"));
    }
    big.push_str("username late password 0 Late#Pass1\n");
    let got = scan("big.cfg", &big);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].line, 200_002);
}

#[test]
fn judged_defaults_on_ot_devices() {
    let engine = Engine::from_detectors(dialects::all());
    let text = "hostname ring2\nusers password admin private\n";
    let lines = LineIndex::new(text);
    let input = TextInput {
        text,
        lines: &lines,
        name: "ot/hirschmann/ring2.cli",
        hint: TextHint::Config,
    };
    let mut found = engine.detect_text(&input);
    engine.knowledge.judge(
        &mut found[0],
        &FileFacts {
            name: "ot/hirschmann/ring2.cli",
            mtime: None,
        },
    );
    assert!(found[0].flags.contains(&Flag::Default) && found[0].flags.contains(&Flag::Weak));
    assert_eq!(found[0].vendor_hint.as_deref(), Some("Hirschmann"));
}

#[test]
fn generic_files_are_left_to_the_generic_detectors() {
    for (name, text) in [
        (
            "notes.txt",
            "The enable password for the router is in the vault.\n",
        ),
        (
            "app.py",
            "password = os.environ['PW']\nif password == secret:\n    pass\n",
        ),
        (
            "settings.ini",
            "[db]\npassword = hunter22\n[Server]\nPassword=abc\n",
        ),
        (
            "config.json",
            "{\"description\": \"enable password for the router\"}\n",
        ),
        ("readme.md", "Set the password to something long.\n"),
    ] {
        assert!(
            scan(name, text).is_empty(),
            "{name}: {:?}",
            scan(name, text)
        );
    }
}

/// The `# dialects` section of tests/expected/sample-data.tsv describes the fixtures: each
/// row is found at its line with its category, user, system, judged flags and secret.
#[test]
fn sample_data_expected_dialect_rows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let tsv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/sample-data.tsv"),
    )
    .expect("the list of planted credentials is part of the repository");
    let engine = Engine::from_detectors(dialects::all());
    let mut in_section = false;
    let mut checked = 0;
    for line in tsv.lines() {
        if line.starts_with("# ") && !line.starts_with("# path") {
            in_section = line.trim() == "# dialects";
            continue;
        }
        if !in_section || line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        let (path, at, cat, user, system, flags, secret) =
            (c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        let text =
            std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let lines = LineIndex::new(&text);
        let input = TextInput {
            text: &text,
            lines: &lines,
            name: path,
            hint: TextHint::from_name(path),
        };
        let want_line: u32 = at.trim_start_matches('L').parse().unwrap();
        let mut hit = false;
        for mut f in engine.detect_text(&input) {
            let l = f
                .span
                .as_ref()
                .map(|s| lines.position(&text, s.start).0)
                .unwrap_or(0);
            if l != want_line || f.category.as_str() != cat {
                continue;
            }
            engine.knowledge.judge(
                &mut f,
                &FileFacts {
                    name: path,
                    mtime: None,
                },
            );
            let mut got: Vec<&str> = f.flags.iter().map(|x| x.as_str()).collect();
            let mut want: Vec<&str> = if flags == "-" {
                vec![]
            } else {
                flags.split(',').collect()
            };
            got.sort();
            want.sort();
            assert_eq!(
                f.username.as_deref().unwrap_or("-"),
                user,
                "{path}:{want_line}"
            );
            assert_eq!(
                f.system.as_deref().unwrap_or("-"),
                system,
                "{path}:{want_line}"
            );
            assert_eq!(got, want, "{path}:{want_line}");
            assert_eq!(f.secret.expose(), secret, "{path}:{want_line}");
            hit = true;
        }
        assert!(hit, "{path}:{want_line} {cat} not found");
        checked += 1;
    }
    println!("sample-data: {checked} dialect rows of tests/expected/sample-data.tsv checked");
    assert!(checked >= 40);
}

#[test]
fn random_config_fragments_never_panic() {
    let frags = [
        "hostname ",
        "username ",
        " password ",
        " secret ",
        "7 ",
        "5 ",
        "$9$",
        "$1$ab$",
        "snmp-server community ",
        " RW",
        "set ",
        "system ",
        "login user ",
        "encrypted-password ",
        "\"",
        "{",
        "}",
        ";",
        "config system admin\n",
        "edit ",
        "next\n",
        "end\n",
        "ENC ",
        "/user add name=",
        "password=",
        "<Pass encoding=\"base64\">",
        "</Pass>",
        "cpassword=\"",
        "<Value>",
        "</Value>",
        "[Sessions\\a]\n",
        "Password=",
        "\\n",
        "é",
        "\u{0}",
        "\t",
        " key ",
        "key-string ",
        "pre-shared-key ",
        "address ",
        "users password ",
        "rocommunity ",
        "\n",
        "\n ",
        "=",
        "xx",
        "; Moxa export\n",
        "[Account 1]\n",
        "User Name = ",
        "Authority = admin\n",
        "Community Name 1 = ",
        "Auth Type,Guest Password,Admin Password\n",
        "Name,v1/v2c Community,Auth Protocol,Auth Key\n",
        "\"",
        ",",
        "\"\"",
        "users\n",
        " userid ",
        "role ",
        "function-rights 15",
        "user-account ",
    ];
    let mut x: u64 = 0xD1B5_4A32_D192_ED03;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..400 {
        let n = (next() % 60) as usize;
        let text: String = (0..n)
            .map(|_| frags[(next() % frags.len() as u64) as usize])
            .collect();
        for name in [
            "r.cfg",
            "Groups.xml",
            "unattend.xml",
            "WinSCP.ini",
            "x.rdp",
            "web.config",
            "config.csv",
            "eds.ini",
        ] {
            let _ = scan(name, &text);
        }
    }
}

#[test]
fn wlan_psk_and_xr_type10() {
    let wlc = "hostname wlc1\nwlan OT-WIFI 3 OT-WIFI\n security wpa psk set-key ascii 0 Wlan-Psk#Plant3\n";
    assert_eq!(
        scan("wlc1.cfg", wlc),
        vec![f(
            3,
            "preshared_key",
            "wlan OT-WIFI 3 OT-WIFI",
            "wlc1",
            &[N],
            "Wlan-Psk#Plant3"
        )]
    );
    let ap = "hostname ap1\ndot11 ssid Plant\n wpa-psk ascii 0 Ap-Psk#Line2\n";
    assert_eq!(
        scan("ap1.cfg", ap),
        vec![f(
            3,
            "preshared_key",
            "dot11 ssid Plant",
            "ap1",
            &[N],
            "Ap-Psk#Line2"
        )]
    );
    let xr = "hostname xr2\nusername ops\n secret 10 $6$abc$def\n";
    assert_eq!(
        scan("xr2.cfg", xr),
        vec![f(3, "hash", "ops", "xr2", &[H], "$6$abc$def")]
    );
}

#[test]
fn junos_master_password_secrets_are_opaque() {
    let cfg = "set system host-name j8\nset system radius-server 192.0.2.3 secret \"$8$aes256-gcm$hmac-sha2-256$100$abcdEFGH$ijkl\"\n";
    let got = raw("j8.conf", cfg);
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .1
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("not decodable")
    );
    assert!(!got[0].1.flags.contains(&R));
}
