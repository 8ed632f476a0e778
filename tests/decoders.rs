//! Decoders for reversible credential formats: published vectors (the source of each
//! is cited next to it), round trips where no published pair exists, and malformed
//! input that must give an error, never a panic.

use credence::detect::decode::{self, DecodeError, hashes};

fn plain(r: Result<credence::Secret, DecodeError>) -> String {
    r.map(|s| s.expose().to_string())
        .unwrap_or_else(|e| format!("ERR {e}"))
}

#[test]
fn cisco_type7_published_vectors() {
    // networktocode/netutils, netutils/password.py docstring of decrypt_cisco_type7.
    assert_eq!(plain(decode::cisco_type7("121A0C041104")), "cisco");
    // Round trip over every offset IOS uses.
    for seed in 0..16 {
        let e = decode::cisco_type7_encode("S3cret-Pa55!", seed);
        assert_eq!(plain(decode::cisco_type7(&e)), "S3cret-Pa55!");
    }
}

#[test]
fn cisco_type7_malformed() {
    assert_eq!(decode::cisco_type7("").err(), Some(DecodeError::Empty));
    assert_eq!(
        decode::cisco_type7("12ZZ0C04").err(),
        Some(DecodeError::BadHex)
    );
    assert_eq!(
        decode::cisco_type7("121A0C04110").err(),
        Some(DecodeError::OddLength)
    );
    assert_eq!(
        decode::cisco_type7("XX1A0C041104").err(),
        Some(DecodeError::BadPrefix)
    );
    assert_eq!(
        decode::cisco_type7("991A0C041104").err(),
        Some(DecodeError::BadPrefix)
    );
    assert!(decode::cisco_type7("1").is_err());
}

#[test]
fn juniper9_published_vectors() {
    // intentionet/netconan tests/unit/test_juniper_secrets.py (Apache-2.0), the
    // vectors encrypted with the random filler mocked to "a", and the "nnet" ones.
    assert_eq!(plain(decode::juniper9("$9$aaZGiq.5zF/")), "abc");
    assert_eq!(plain(decode::juniper9("$9$aaZikmfTF69")), "123");
    assert_eq!(
        plain(decode::juniper9("$9$aaGi.-QnAu1Di6Au1yrevWXds")),
        "netconan"
    );
    assert_eq!(plain(decode::juniper9("$9$nnet/9pOBEyrv")), "abc");
    let e = decode::juniper9_encode("Ot-Ring#2031", 'a');
    assert_eq!(plain(decode::juniper9(&e)), "Ot-Ring#2031");
}

#[test]
fn juniper9_malformed() {
    assert_eq!(
        decode::juniper9("$1$abc").err(),
        Some(DecodeError::BadPrefix)
    );
    assert!(decode::juniper9("$9$").is_err());
    assert!(decode::juniper9("$9$aaZGiq.5z").is_err(), "truncated");
    assert!(
        decode::juniper9("$9$aa!!").is_err(),
        "character outside the alphabet"
    );
}

#[test]
fn gpp_cpassword_published_vector() {
    // The cpassword published with MS14-025 write-ups and Metasploit's
    // post/windows/gather/credentials/gpp module documentation.
    assert_eq!(
        plain(decode::gpp_cpassword(
            "j1Uyj3Vx8TY9LtLZil2uAuZkFQA/4latT76ZwgdHdhw"
        )),
        "Local*P4ssword!"
    );
    let e = decode::gpp_cpassword_encode("Pl4nt-Admin#7");
    assert!(!e.ends_with('='));
    assert_eq!(plain(decode::gpp_cpassword(&e)), "Pl4nt-Admin#7");
}

#[test]
fn gpp_cpassword_malformed() {
    assert!(decode::gpp_cpassword("").is_err());
    assert_eq!(
        decode::gpp_cpassword("j1Uyj3Vx8TY9LtLZ!l2u").err(),
        Some(DecodeError::BadBase64)
    );
    assert_eq!(
        decode::gpp_cpassword("j1Uyj3Vx===").err(),
        Some(DecodeError::BadPadding)
    );
    assert_eq!(
        decode::gpp_cpassword("j1Uyj3Vx8TY9").err(),
        Some(DecodeError::WrongLength)
    );
    // Right length, wrong content: the padding check fails.
    assert!(decode::gpp_cpassword("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").is_err());
}

#[test]
fn unattend_published_vectors() {
    // rapid7/metasploit-framework spec/lib/rex/parser/unattend_spec.rb ("b64" sample).
    assert_eq!(
        plain(decode::unattend_base64(
            "VABlAG0AcAAxADIAMwBQAGEAcwBzAHcAbwByAGQA",
            "Password"
        )),
        "Temp123"
    );
    assert_eq!(
        plain(decode::unattend_base64(
            "VABlAG0AcAAxADIAMwBBAGQAbQBpAG4AaQBzAHQAcgBhAHQAbwByAFAAYQBzAHMAdwBvAHIAZAA=",
            "AdministratorPassword"
        )),
        "Temp123"
    );
    assert!(
        decode::unattend_base64(
            "VABlAG0AcAAxADIAMwBQAGEAcwBzAHcAbwByAGQA",
            "AdministratorPassword"
        )
        .is_err()
    );
    assert!(decode::unattend_base64("not base64!", "Password").is_err());
    assert!(
        decode::unattend_base64("QQ", "Password").is_err(),
        "odd UTF-16 length"
    );
}

#[test]
fn vnc_published_vector() {
    // The well-known output of `vncpasswd` for "password" (d3des with VNC's fixed key).
    assert_eq!(plain(decode::vnc("dbd83cfd727a1458")), "password");
    assert_eq!(decode::vnc_encode("password"), "dbd83cfd727a1458");
    assert_eq!(plain(decode::vnc(&decode::vnc_encode("Hmi#42"))), "Hmi#42");
    assert_eq!(
        decode::vnc("dbd83cfd727a14").err(),
        Some(DecodeError::WrongLength)
    );
    assert_eq!(
        decode::vnc("dbd83cfd727a145").err(),
        Some(DecodeError::OddLength)
    );
    assert_eq!(
        decode::vnc("zzd83cfd727a1458").err(),
        Some(DecodeError::BadHex)
    );
}

#[test]
fn winscp_published_vector() {
    // rapid7/metasploit-framework spec/lib/rex/parser/winscp_spec.rb.
    let pw = "A35C7659654B2AB83C292F392E323D31392F392E2A392E723A392E3D3034332F2835323B723F33312F383A2F383A3B2F3B3B3B";
    assert_eq!(
        plain(decode::winscp("username", "server.feralhosting.com", pw)),
        "sdfsdfgsggg"
    );
    let e = decode::winscp_encode("scada", "192.0.2.10", "Hist0rian!");
    assert_eq!(
        plain(decode::winscp("scada", "192.0.2.10", &e)),
        "Hist0rian!"
    );
    assert_eq!(
        decode::winscp("u", "h", "A35C").err(),
        Some(DecodeError::WrongLength)
    );
    assert_eq!(
        decode::winscp("u", "h", "A35").err(),
        Some(DecodeError::OddLength)
    );
    assert_eq!(
        decode::winscp("other", "host", pw).err(),
        Some(DecodeError::BadKey)
    );
}

#[test]
fn filezilla_base64_vectors() {
    // RFC 4648 section 10 test vectors (FileZilla stores `encoding="base64"` passwords
    // as plain base64 of the UTF-8 text).
    assert_eq!(plain(decode::filezilla_base64("Zm9vYmFy")), "foobar");
    assert_eq!(plain(decode::filezilla_base64("Zm9vYg==")), "foob");
    assert!(
        decode::filezilla_base64("Zm9vYg=").is_err(),
        "wrong padding"
    );
    assert!(decode::filezilla_base64("Zm9v*mFy").is_err());
}

#[test]
fn mremoteng_published_vectors() {
    // confCons.xml of the retired Hack The Box machine "Bastion" (mRemoteNG 1.76,
    // AES-256-GCM, default master password "mR3m"), printed with its plaintexts in the
    // public write-ups of that machine, decrypted there with haseebT/mRemoteNG-Decrypt.
    assert_eq!(
        plain(decode::mremoteng(
            "aEWNFV5uGcjUHF0uS17QTdT9kVqtKCPeoC0Nw5dmaPFjNQ2kt/zO5xDqE4HdVmHAowVRdC7emf7lWWA10dQKiw=="
        )),
        "thXLHM96BeKL0ER2"
    );
    assert_eq!(
        plain(decode::mremoteng(
            "yhgmiu5bbuamU3qMUKc/uYDdmbMrJZ/JvR1kYe4Bhiu8bXybLxVnO0U9fKRylI7NcB9QuRsZVvla8esB"
        )),
        "bureaulampje"
    );
}

#[test]
fn mremoteng_round_trip() {
    // The scheme of mRemoteNG's AeadCryptographyProvider (AES-256-GCM, PBKDF2-SHA1
    // 1000 rounds, the salt as associated data), with a fixed salt and nonce.
    let e = decode::mremoteng_encode("Jump-H0st-2024", [7u8; 16], [9u8; 16]);
    assert_eq!(plain(decode::mremoteng(&e)), "Jump-H0st-2024");
    // A different master password (tampered tag) is not decodable.
    let mut bad = e.clone().into_bytes();
    let n = bad.len();
    bad[n - 5] = if bad[n - 5] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        decode::mremoteng(&String::from_utf8(bad).unwrap()).err(),
        Some(DecodeError::BadKey)
    );
    assert!(decode::mremoteng("!!").is_err());
}

#[test]
fn fortios_round_trip() {
    // The key is the one disclosed with CVE-2019-6693 (FG-IR-19-007). No published
    // ciphertext with its published plaintext was found (see the next test), so the
    // plaintext check is a round trip.
    let e = decode::fortios_enc_encode("Vpn-Psk-Site7", [1, 2, 3, 4]);
    assert_eq!(plain(decode::fortios_enc(&e)), "Vpn-Psk-Site7");
    assert_eq!(
        plain(decode::fortios_enc(&format!("ENC {e}"))),
        "Vpn-Psk-Site7"
    );
    assert!(decode::fortios_enc("<removed>").is_err());
    assert_eq!(
        decode::fortios_enc("AAAA").err(),
        Some(DecodeError::WrongLength)
    );
}

#[test]
fn fortios_published_ciphertext_decodes() {
    // The `set passwd ENC ...` of a FortiGate 100F "guest" user printed in the incident
    // write-up "Give Me Your FortiGate Configuration Backup and I Rule Your Network"
    // (2024), which names the CVE-2019-6693 key but does not print the plaintext. What
    // can be checked: under that key it is FortiOS's 144-byte NUL-padded block and
    // holds a short printable password (the test does not print it).
    let published = "uCn8uiVJqzzEm8iba4onCc98AJDiYggVSDlYIph+gjN3cjSSEvX8kSNfm+TjIzSlGnH5dm8rCd6aLgPipLPP2okahye7oZZxXfseBytbJ+7arJPz1e1mmnawL8/jFcl8g/SNNuSMo6q/f2Ilo7dnngJDZUfUeE2JiYpivmd5snDVadDoqOVRa8ji26I25r0IApELXg==";
    let got = plain(decode::fortios_enc(&format!("ENC {published}")));
    assert_eq!(got.len(), 5);
    assert!(got.bytes().all(|b| b.is_ascii_graphic()));
    // One flipped bit in the IV changes the first block: no longer that password.
    let mut bytes = published.as_bytes().to_vec();
    bytes[0] = b'v';
    let flipped = decode::fortios_enc(std::str::from_utf8(&bytes).unwrap());
    assert!(flipped.map(|s| s.expose() != got).unwrap_or(true));
}

#[test]
fn mikrotik_user_dat_round_trip() {
    use md5::Digest;
    // Scheme published with the RouterOS user.dat disclosures (key MD5(user +
    // "283i4jfkai3389"), Kirils Solovjovs 2017); no published user.dat record with its
    // plaintext was found, so round trip.
    let key: [u8; 16] = md5::Md5::digest(b"admin283i4jfkai3389").into();
    let enc: Vec<u8> = b"Rtr0s!"
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ key[i % 16])
        .collect();
    assert_eq!(plain(decode::mikrotik_user_dat("admin", &enc)), "Rtr0s!");
    assert!(decode::mikrotik_user_dat("admin", &[]).is_err());
}

#[test]
fn hashes_identify_and_verify() {
    // md5crypt of "password" with salt "xxxxxxxx" as printed by `openssl passwd -1`.
    let h = "$1$xxxxxxxx$UYCIxa628.9qXjpQCjM4a.";
    assert_eq!(hashes::md5crypt(b"password", b"xxxxxxxx"), h);
    assert_eq!(hashes::identify(h), Some("md5crypt"));
    assert!(hashes::verify("md5crypt", h, "password"));
    assert!(!hashes::verify("md5crypt", h, "Password"));
    let sha512 = format!("$6$rounds=5000$salt${}", "a".repeat(86));
    assert_eq!(hashes::identify(&sha512), Some("sha512crypt"));
    // A truncated sha-crypt value is still named a hash (a type-10 secret cut short in a
    // config is no password), but only the exact crypt(3) shape is ever checked:
    // the sha-crypt crate panics on malformed input.
    assert_eq!(
        hashes::identify("$6$rounds=5000$salt$abc"),
        Some("sha512crypt")
    );
    assert!(!hashes::verify(
        "sha512crypt",
        "$6$rounds=5000$salt$abc",
        "password"
    ));
    assert_eq!(hashes::identify("$5$5$\t\tz"), None);
    assert_eq!(hashes::identify("plain"), None);
    // NTLM of "password" (the classic value printed in Microsoft-era references).
    assert!(hashes::verify(
        "ntlm",
        "8846f7eaee8fb117ad06bdd830b7586c",
        "password"
    ));
}

#[test]
fn device_hash_published_vectors() {
    // hashcat's published example hashes (hashcat wiki "example hashes"), password
    // "hashcat": mode 5700 Cisco type 4, 9200 Cisco type 8, 9300 Cisco type 9.
    assert!(hashes::verify(
        "cisco-type4",
        "2btjjy78REtmYkkW0csHUbJZOstRXoWdX1mGrmmfeHI",
        "hashcat"
    ));
    let t8 = "$8$TnGX/fE4KGHOVU$pEhnEvxrvaynpi8j4f.EMHr6M.FzU8xnZnBr/tJdFWk";
    assert_eq!(hashes::identify(t8), Some("cisco-type8"));
    assert!(hashes::verify("cisco-type8", t8, "hashcat"));
    assert!(!hashes::verify("cisco-type8", t8, "hashcat1"));
    let t9 = "$9$2MJBozw/9R3UsU$2lFhcKvpghcyw8deP25GOfyZaagyUOGBymkryvOdfo6";
    assert_eq!(hashes::identify(t9), Some("cisco-type9"));
    assert!(hashes::verify("cisco-type9", t9, "hashcat"));
    // Ulrich Drepper's SHA-crypt specification, test vectors for "Hello world!".
    assert!(hashes::verify(
        "sha512crypt",
        "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
        "Hello world!"
    ));
    assert!(hashes::verify(
        "sha256crypt",
        "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
        "Hello world!"
    ));
    // Malformed hashes are simply "no match" (the sha-crypt crate panics on some:
    // they never reach it; found by the decode_hashes fuzz target).
    assert!(!hashes::verify("sha256crypt", "$5$5$\t\tz", "x"));
    assert!(!hashes::verify("sha512crypt", "$6$salt$", "x"));
    // A rounds count beyond the bound is recognised, never checked (cost bound).
    let slow = format!("$5$rounds=999999999$salt${}", "b".repeat(43));
    assert_eq!(hashes::identify(&slow), Some("sha256crypt"));
    assert!(!hashes::verify("sha256crypt", &slow, "x"));
    assert!(!hashes::verify("cisco-type9", "$9$short", "x"));
    assert!(!hashes::verify("md5crypt", "$1$", "x"));
}

#[test]
fn random_garbage_never_panics() {
    // A small deterministic generator over the alphabets the decoders expect, plus
    // bytes they do not: every call returns, Ok or Err.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let alphabet: Vec<char> =
        "0123456789ABCDEFabcdef+/=$.-_QzF3n6/9CAtpu0OB1IREhcSyrleKvMW8LXx7NdVbwsY2g4oaJZGUDjiHkqmPf5T é\u{0}"
            .chars()
            .collect();
    for _ in 0..3000 {
        let len = (next() % 120) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let _ = decode::cisco_type7(&s);
        let _ = decode::juniper9(&format!("$9${s}"));
        let _ = decode::gpp_cpassword(&s);
        let _ = decode::unattend_base64(&s, "Password");
        let _ = decode::vnc(&s);
        let _ = decode::winscp("u", "h", &s);
        let _ = decode::filezilla_base64(&s);
        let _ = decode::mremoteng(&s);
        let _ = decode::fortios_enc(&s);
        let _ = decode::mikrotik_user_dat("admin", s.as_bytes());
        for alg in [
            "md5crypt",
            "sha256crypt",
            "sha512crypt",
            "cisco-type4",
            "ntlm",
        ] {
            let _ = hashes::verify(alg, &s, "x");
        }
        let _ = hashes::identify(&s);
    }
}
