//! The engagement key: in the OS keyring when there is one (keyring-core's mock store
//! here), else wrapped with a passphrase in the engagement file — said on stderr, never
//! silent; a wrong passphrase is a clear error; export/import moves it between machines.

mod common;

use common::engagement::*;
use credence::vault::engagement::{Protection, Unavailable, protect, unlock};
use credence::vault::{FingerprintKey, KeyStore, KeyringStore, VaultError};

#[test]
fn keyring_store_holds_the_key_and_the_file_holds_nothing_secret() {
    let store = KeyringStore::mock();
    let key = FingerprintKey::random().unwrap();
    let (rec, msg) = protect("uid-1", &key, Some(&store), None, Protection::Auto).unwrap();
    assert_eq!(rec.protection, "keyring");
    assert!(rec.wrapped.is_none() && rec.salt.is_none());
    assert!(msg.contains("mock keyring"), "{msg}");
    let (back, how) = unlock("uid-1", &rec, Some(&store), None).unwrap();
    assert_eq!(back.as_bytes(), key.as_bytes());
    assert!(how.contains("keyring"));
    // Another machine's keyring does not have it: a clear error naming the fix.
    let other = KeyringStore::mock();
    let err = unlock("uid-1", &rec, Some(&other), None).unwrap_err();
    assert!(matches!(err, VaultError::KeyNotInKeyring(_)));
    assert!(err.to_string().contains("credence key import"));
    // A different key under the same uid is detected.
    store.set("uid-1", &[9; 32]).unwrap();
    assert!(matches!(
        unlock("uid-1", &rec, Some(&store), None),
        Err(VaultError::KeyMismatch)
    ));
}

#[test]
fn without_keyring_the_key_is_passphrase_wrapped_or_refused() {
    let key = FingerprintKey::random().unwrap();
    let none = Unavailable("no D-Bus session".into());
    let err = protect("u", &key, Some(&none), None, Protection::Auto).unwrap_err();
    assert!(
        matches!(err, VaultError::NoProtection(_)),
        "never a silent unprotected key"
    );
    assert!(
        err.to_string().contains("CREDENCE_PASSPHRASE")
            && err.to_string().contains("no D-Bus session")
    );
    let (rec, msg) = protect("u", &key, Some(&none), Some("pw"), Protection::Auto).unwrap();
    assert_eq!(rec.protection, "passphrase");
    assert!(
        msg.contains("passphrase") && msg.contains("no OS keyring available"),
        "{msg}"
    );
    assert!(!credence_contains(
        rec.wrapped.as_deref().unwrap(),
        key.as_bytes()
    ));
    assert_eq!(
        unlock("u", &rec, None, Some("pw")).unwrap().0.as_bytes(),
        key.as_bytes()
    );
    assert!(matches!(
        unlock("u", &rec, None, Some("nope")),
        Err(VaultError::WrongPassphrase)
    ));
    assert!(matches!(
        unlock("u", &rec, None, None),
        Err(VaultError::PassphraseRequired)
    ));
}

fn credence_contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn cli_says_which_protection_is_used_and_wrong_passphrase_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("e.credence");
    let o = run(
        tmp.path(),
        &["new", f.to_str().unwrap(), "--client", "C", "--site", "S"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("protected by a passphrase"),
        "{}",
        stderr(&o)
    );
    // No passphrase and no keyring: refused, nothing created.
    let g = tmp.path().join("g.credence");
    let o = cmd(tmp.path())
        .env_remove("CREDENCE_PASSPHRASE")
        .args(["new", g.to_str().unwrap(), "--client", "C", "--site", "S"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no OS keyring available"),
        "{}",
        stderr(&o)
    );
    assert!(!g.exists());
    // Wrong passphrase: exit 2, clear message, file untouched.
    let sample = common::sample_data();
    let before = std::fs::read(&f).unwrap();
    let o = cmd(tmp.path())
        .env("CREDENCE_PASSPHRASE", "not the passphrase")
        .args([
            "scan",
            "-q",
            "-e",
            f.to_str().unwrap(),
            sample.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("wrong passphrase"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&f).unwrap(), before);
    // A passphrase file works as well as the variable.
    let pf = tmp.path().join("pass.txt");
    std::fs::write(&pf, format!("{PASS}\n")).unwrap();
    let o = cmd(tmp.path())
        .env_remove("CREDENCE_PASSPHRASE")
        .args([
            "scan",
            "-e",
            f.to_str().unwrap(),
            "--passphrase-file",
            pf.to_str().unwrap(),
            "-f",
            "jsonl",
        ])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("unwrapped with the passphrase"));
}

#[test]
fn export_then_import_moves_the_engagement_with_the_same_fingerprints() {
    let tmp = tempfile::tempdir().unwrap();
    let f = new_engagement(tmp.path(), "site.credence");
    let sample = common::sample_data();
    let first = stdout(&scan(tmp.path(), &f, &[&sample], &[]));
    let export = tmp.path().join("site.key");
    let o = run(
        tmp.path(),
        &[
            "key",
            "export",
            export.to_str().unwrap(),
            "-e",
            f.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // "Another machine": a copy of the file whose key record is lost, re-imported with
    // another passphrase protecting it there.
    let other = tmp.path().join("copy.credence");
    std::fs::copy(&f, &other).unwrap();
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute("UPDATE vault SET wrapped = zeroblob(48)", [])
            .unwrap();
    }
    let o = run(tmp.path(), &["findings", "-e", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "findings need no key");
    let o = run(
        tmp.path(),
        &[
            "scan",
            "-q",
            "-e",
            other.to_str().unwrap(),
            sample.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "a lost key cannot be used");
    let o = cmd(tmp.path())
        .env("CREDENCE_PASSPHRASE", "wrong")
        .args([
            "key",
            "import",
            export.to_str().unwrap(),
            "-e",
            other.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("wrong passphrase"));
    let o = run(
        tmp.path(),
        &[
            "key",
            "import",
            export.to_str().unwrap(),
            "-e",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second = stdout(&scan(tmp.path(), &other, &[&sample], &[]));
    let fps = |s: &str| {
        let mut v: Vec<String> = s
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["fingerprint"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert!(!fps(&first).is_empty());
    assert_eq!(fps(&first), fps(&second));
    // The export file never holds the key in clear, and is not overwritten.
    let again = run(
        tmp.path(),
        &[
            "key",
            "export",
            export.to_str().unwrap(),
            "-e",
            f.to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2));
}
