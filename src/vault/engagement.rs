//! The engagement key: a random 256-bit [`FingerprintKey`] per engagement, kept in the
//! OS keyring under the engagement's random uid, or — where no keyring service exists
//! (headless Linux, CI, some air-gapped builds) — wrapped with a passphrase and stored
//! in the engagement file: Argon2id derives a key from the passphrase, ChaCha20-Poly1305
//! seals the engagement key with the uid as associated data. Never an unprotected key.
//!
//! The keyring sits behind [`KeyStore`] so tests use keyring-core's in-memory mock.

use super::{FingerprintKey, VaultError};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use std::path::Path;
use std::sync::Arc;

/// Keyring service name under which engagement keys are stored.
pub const SERVICE: &str = "credence-engagement-key";
const CHECK_LABEL: &str = "credence key check v1";
const EXPORT_MAGIC: &str = "credence-key-export v1";
/// Argon2id parameters of new wraps (stored with each wrap, so they can change).
const KDF: &str = "argon2id m=65536 t=3 p=1";

/// How the key is held, as stored in the engagement's vault row. No secret in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultRecord {
    /// `keyring` or `passphrase`.
    pub protection: String,
    pub kdf: Option<String>,
    pub salt: Option<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
    pub wrapped: Option<Vec<u8>>,
    /// Fingerprint of a fixed label under the key: tells a right key from a wrong one.
    pub key_check: String,
}

/// Which protection to use when creating or importing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// The OS keyring when one answers, else the passphrase, else an error.
    Auto,
    Keyring,
    Passphrase,
}

/// Where engagement keys live on this machine.
pub trait KeyStore {
    fn describe(&self) -> String;
    fn get(&self, uid: &str) -> Result<Option<[u8; 32]>, VaultError>;
    fn set(&self, uid: &str, key: &[u8; 32]) -> Result<(), VaultError>;
}

/// A keyring-core credential store: the OS one, or the mock in tests.
pub struct KeyringStore {
    store: Arc<keyring_core::CredentialStore>,
    name: String,
}

impl KeyringStore {
    /// The OS keyring (Secret Service over D-Bus on Linux).
    pub fn os() -> Result<KeyringStore, VaultError> {
        #[cfg(target_os = "linux")]
        {
            let store = zbus_secret_service_keyring_store::Store::new()
                .map_err(|e| VaultError::Keyring(e.to_string()))?;
            Ok(KeyringStore {
                store,
                name: "OS keyring (Secret Service)".into(),
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            Err(VaultError::Keyring(
                "no keyring store built for this OS yet".into(),
            ))
        }
    }

    /// keyring-core's in-memory mock store.
    pub fn mock() -> KeyringStore {
        KeyringStore {
            store: keyring_core::mock::Store::new().expect("mock store"),
            name: "mock keyring".into(),
        }
    }
}

/// A keyring that is not there, with the reason (said to the user on fallback).
pub struct Unavailable(pub String);

impl KeyStore for Unavailable {
    fn describe(&self) -> String {
        "no OS keyring".into()
    }
    fn get(&self, _uid: &str) -> Result<Option<[u8; 32]>, VaultError> {
        Err(VaultError::Keyring(self.0.clone()))
    }
    fn set(&self, _uid: &str, _key: &[u8; 32]) -> Result<(), VaultError> {
        Err(VaultError::Keyring(self.0.clone()))
    }
}

/// The OS keyring, unless `CREDENCE_KEYRING=off` (CI, or to force the passphrase);
/// when none answers, an [`Unavailable`] store carrying the reason. The CLI and the
/// desktop app both start here.
pub fn os_keystore_from_env() -> Box<dyn KeyStore> {
    if std::env::var("CREDENCE_KEYRING")
        .is_ok_and(|v| matches!(v.as_str(), "off" | "0" | "no" | "false"))
    {
        return Box::new(Unavailable("turned off by CREDENCE_KEYRING".into()));
    }
    match KeyringStore::os() {
        Ok(k) => Box::new(k),
        Err(VaultError::Keyring(m)) => Box::new(Unavailable(m)),
        Err(e) => Box::new(Unavailable(e.to_string())),
    }
}

impl KeyStore for KeyringStore {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn get(&self, uid: &str) -> Result<Option<[u8; 32]>, VaultError> {
        let entry = self
            .store
            .build(SERVICE, uid, None)
            .map_err(|e| VaultError::Keyring(e.to_string()))?;
        match entry.get_secret() {
            Ok(b) => b
                .as_slice()
                .try_into()
                .map(Some)
                .map_err(|_| VaultError::Keyring("stored key has the wrong length".into())),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(VaultError::Keyring(e.to_string())),
        }
    }

    fn set(&self, uid: &str, key: &[u8; 32]) -> Result<(), VaultError> {
        let entry = self
            .store
            .build(SERVICE, uid, None)
            .map_err(|e| VaultError::Keyring(e.to_string()))?;
        entry
            .set_secret(key)
            .map_err(|e| VaultError::Keyring(e.to_string()))
    }
}

/// The passphrase from `--passphrase-file` or `CREDENCE_PASSPHRASE` (trailing newline
/// of a file dropped), or None.
pub fn passphrase_from(file: Option<&Path>) -> Result<Option<String>, VaultError> {
    if let Some(p) = file {
        let s = std::fs::read_to_string(p).map_err(|source| VaultError::Io {
            path: p.to_path_buf(),
            source,
        })?;
        return Ok(Some(s.trim_end_matches(['\r', '\n']).to_string()));
    }
    Ok(std::env::var("CREDENCE_PASSPHRASE")
        .ok()
        .filter(|s| !s.is_empty()))
}

pub fn key_check(key: &FingerprintKey) -> String {
    key.fingerprint(CHECK_LABEL)
}

/// Protects `key` for engagement `uid`. Returns the record to store and a sentence for
/// the user saying which protection is in use.
pub fn protect(
    uid: &str,
    key: &FingerprintKey,
    store: Option<&dyn KeyStore>,
    passphrase: Option<&str>,
    how: Protection,
) -> Result<(VaultRecord, String), VaultError> {
    let mut keyring_failure = String::from("no keyring store");
    if how != Protection::Passphrase {
        if let Some(s) = store {
            match s.set(uid, key.as_bytes()).and_then(|_| s.get(uid)) {
                Ok(Some(back)) if &back == key.as_bytes() => {
                    let rec = VaultRecord {
                        protection: "keyring".into(),
                        kdf: None,
                        salt: None,
                        nonce: None,
                        wrapped: None,
                        key_check: key_check(key),
                    };
                    return Ok((
                        rec,
                        format!("engagement key stored in the {}", s.describe()),
                    ));
                }
                Ok(_) => keyring_failure = "keyring did not return the key just stored".into(),
                Err(e) => keyring_failure = e.to_string(),
            }
        }
        if how == Protection::Keyring {
            return Err(VaultError::Keyring(keyring_failure));
        }
    }
    let Some(pass) = passphrase else {
        return Err(if how == Protection::Passphrase {
            VaultError::PassphraseRequired
        } else {
            VaultError::NoProtection(keyring_failure)
        });
    };
    let rec = wrap(uid, key, pass)?;
    let why = if how == Protection::Passphrase {
        "as asked".to_string()
    } else {
        format!("no OS keyring available: {keyring_failure}")
    };
    Ok((
        rec,
        format!(
            "engagement key protected by a passphrase (Argon2id + ChaCha20-Poly1305), stored wrapped in the engagement file ({why})"
        ),
    ))
}

/// Recovers the engagement key. Returns it and a sentence naming the protection.
pub fn unlock(
    uid: &str,
    rec: &VaultRecord,
    store: Option<&dyn KeyStore>,
    passphrase: Option<&str>,
) -> Result<(FingerprintKey, String), VaultError> {
    match rec.protection.as_str() {
        "keyring" => {
            let s = store.ok_or_else(|| VaultError::KeyNotInKeyring("no keyring store".into()))?;
            let bytes = match s.get(uid) {
                Ok(Some(b)) => b,
                Ok(None) => {
                    return Err(VaultError::KeyNotInKeyring(
                        "no entry for this engagement".into(),
                    ));
                }
                Err(e) => return Err(VaultError::KeyNotInKeyring(e.to_string())),
            };
            let key = FingerprintKey::from_bytes(bytes);
            if key_check(&key) != rec.key_check {
                return Err(VaultError::KeyMismatch);
            }
            Ok((key, format!("engagement key from the {}", s.describe())))
        }
        _ => {
            let pass = passphrase.ok_or(VaultError::PassphraseRequired)?;
            let key = unwrap(uid, rec, pass)?;
            Ok((
                key,
                "engagement key unwrapped with the passphrase (no keyring in use)".into(),
            ))
        }
    }
}

fn derive(pass: &str, salt: &[u8], kdf: &str) -> Result<[u8; 32], VaultError> {
    let mut m = 65536;
    let mut t = 3;
    let mut p = 1;
    for part in kdf.split_whitespace().skip(1) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| VaultError::Kdf(format!("bad parameter {part}")))?;
        let v: u32 = v
            .parse()
            .map_err(|_| VaultError::Kdf(format!("bad parameter {part}")))?;
        match k {
            "m" => m = v,
            "t" => t = v,
            "p" => p = v,
            _ => return Err(VaultError::Kdf(format!("unknown parameter {k}"))),
        }
    }
    if !kdf.starts_with("argon2id ") {
        return Err(VaultError::Kdf(format!("unknown KDF '{kdf}'")));
    }
    let params =
        argon2::Params::new(m, t, p, Some(32)).map_err(|e| VaultError::Kdf(e.to_string()))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    a.hash_password_into(pass.as_bytes(), salt, &mut out)
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
    Ok(out)
}

fn random<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| VaultError::Random(e.to_string()))?;
    Ok(b)
}

/// Wraps `key` under `pass` (fresh salt and nonce), bound to `uid`.
pub fn wrap(uid: &str, key: &FingerprintKey, pass: &str) -> Result<VaultRecord, VaultError> {
    let salt: [u8; 16] = random()?;
    let nonce: [u8; 12] = random()?;
    let kek = derive(pass, &salt, KDF)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&kek));
    let wrapped = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: key.as_bytes(),
                aad: uid.as_bytes(),
            },
        )
        .map_err(|_| VaultError::Kdf("encryption failed".into()))?;
    Ok(VaultRecord {
        protection: "passphrase".into(),
        kdf: Some(KDF.into()),
        salt: Some(salt.to_vec()),
        nonce: Some(nonce.to_vec()),
        wrapped: Some(wrapped),
        key_check: key_check(key),
    })
}

pub fn unwrap(uid: &str, rec: &VaultRecord, pass: &str) -> Result<FingerprintKey, VaultError> {
    let (Some(kdf), Some(salt), Some(nonce), Some(wrapped)) =
        (&rec.kdf, &rec.salt, &rec.nonce, &rec.wrapped)
    else {
        return Err(VaultError::WrongPassphrase);
    };
    if nonce.len() != 12 {
        return Err(VaultError::WrongPassphrase);
    }
    let kek = derive(pass, salt, kdf)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&kek));
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: wrapped,
                aad: uid.as_bytes(),
            },
        )
        .map_err(|_| VaultError::WrongPassphrase)?;
    let bytes: [u8; 32] = plain
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::WrongPassphrase)?;
    let key = FingerprintKey::from_bytes(bytes);
    if key_check(&key) != rec.key_check {
        return Err(VaultError::KeyMismatch);
    }
    Ok(key)
}

/// The text of an export file: the key wrapped under `pass`, with the engagement uid.
pub fn export_text(uid: &str, key: &FingerprintKey, pass: &str) -> Result<String, VaultError> {
    let r = wrap(uid, key, pass)?;
    Ok(format!(
        "{EXPORT_MAGIC}\nuid={uid}\nkdf={}\nsalt={}\nnonce={}\nwrapped={}\ncheck={}\n",
        r.kdf.unwrap_or_default(),
        hex::encode(r.salt.unwrap_or_default()),
        hex::encode(r.nonce.unwrap_or_default()),
        hex::encode(r.wrapped.unwrap_or_default()),
        r.key_check
    ))
}

/// Reads an export file for engagement `uid` and unwraps its key with `pass`.
pub fn import_text(
    path: &Path,
    text: &str,
    uid: &str,
    pass: &str,
) -> Result<FingerprintKey, VaultError> {
    let bad = |m: &str| VaultError::BadExport(path.to_path_buf(), m.to_string());
    let mut lines = text.lines();
    if lines.next() != Some(EXPORT_MAGIC) {
        return Err(bad("not a Credence key export"));
    }
    let mut rec = VaultRecord {
        protection: "passphrase".into(),
        kdf: None,
        salt: None,
        nonce: None,
        wrapped: None,
        key_check: String::new(),
    };
    let mut file_uid = None;
    for l in lines {
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let hexv = || hex::decode(v).map_err(|_| bad("bad hex"));
        match k {
            "uid" => file_uid = Some(v.to_string()),
            "kdf" => rec.kdf = Some(v.to_string()),
            "salt" => rec.salt = Some(hexv()?),
            "nonce" => rec.nonce = Some(hexv()?),
            "wrapped" => rec.wrapped = Some(hexv()?),
            "check" => rec.key_check = v.to_string(),
            _ => {}
        }
    }
    if file_uid.as_deref() != Some(uid) {
        return Err(bad("the key belongs to another engagement"));
    }
    unwrap(uid, &rec, pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_unwrap_and_wrong_passphrase() {
        let key = FingerprintKey::from_bytes([7; 32]);
        let rec = wrap("uid1", &key, "correct horse").unwrap();
        assert_eq!(
            unwrap("uid1", &rec, "correct horse").unwrap().as_bytes(),
            key.as_bytes()
        );
        assert!(matches!(
            unwrap("uid1", &rec, "wrong"),
            Err(VaultError::WrongPassphrase)
        ));
        assert!(matches!(
            unwrap("uid2", &rec, "correct horse"),
            Err(VaultError::WrongPassphrase)
        ));
    }
}
