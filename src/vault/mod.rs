//! The fingerprint key: secrets are identified by HMAC-SHA256 under a key, never stored.
//!
//! A bare `credence scan` (no engagement) uses a per-user key file created on first
//! use in the user's config directory (`~/.config/credence/fingerprint.key` on Linux),
//! readable by the owner only. The engagement issue adds the keyring-backed engagement
//! key; both are a [`FingerprintKey`].

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::{Path, PathBuf};

pub mod engagement;
pub use engagement::{KeyStore, KeyringStore, Protection, VaultRecord};

type HmacSha256 = Hmac<Sha256>;

/// 256-bit key for fingerprints. `Debug` never shows the bytes.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("no configuration directory for this user; pass --key-file")]
    NoConfigDir,
    #[error("fingerprint key file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fingerprint key file {path} is not 32 bytes ({len}); refusing to use it")]
    BadKey { path: PathBuf, len: usize },
    #[error("no random source: {0}")]
    Random(String),
    #[error(
        "no OS keyring available ({0}) and no passphrase given: set CREDENCE_PASSPHRASE or pass --passphrase-file to protect the engagement key with a passphrase"
    )]
    NoProtection(String),
    #[error(
        "this engagement's key is protected by a passphrase: set CREDENCE_PASSPHRASE or pass --passphrase-file"
    )]
    PassphraseRequired,
    #[error(
        "wrong passphrase (or a damaged key record): the engagement key could not be unwrapped"
    )]
    WrongPassphrase,
    #[error(
        "the engagement key is not in this machine's keyring ({0}); on the machine that has it run `credence key export`, then `credence key import` here"
    )]
    KeyNotInKeyring(String),
    #[error("the key does not belong to this engagement (key check mismatch)")]
    KeyMismatch,
    #[error("OS keyring: {0}")]
    Keyring(String),
    #[error("key file {0}: {1}")]
    BadExport(PathBuf, String),
    #[error("passphrase key derivation failed: {0}")]
    Kdf(String),
}

impl FingerprintKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        FingerprintKey(bytes)
    }

    pub fn random() -> Result<Self, VaultError> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| VaultError::Random(e.to_string()))?;
        Ok(FingerprintKey(b))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Hex of the first 128 bits of HMAC-SHA256(key, secret): stable for one key,
    /// meaningless without it.
    pub fn fingerprint(&self, secret: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(secret.as_bytes());
        let out = mac.finalize().into_bytes();
        hex::encode(&out[..16])
    }

    /// The default per-user key file path.
    pub fn default_path() -> Result<PathBuf, VaultError> {
        if let Some(p) = std::env::var_os("CREDENCE_KEY_FILE") {
            return Ok(PathBuf::from(p));
        }
        let dir = dirs::config_dir().ok_or(VaultError::NoConfigDir)?;
        Ok(dir.join("credence").join("fingerprint.key"))
    }

    /// Loads the key file, creating it (owner-only) with a random key on first use.
    pub fn load_or_create(path: &Path) -> Result<Self, VaultError> {
        let io = |source| VaultError::Io {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::read(path) {
            Ok(bytes) => {
                let arr: [u8; 32] =
                    bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| VaultError::BadKey {
                            path: path.to_path_buf(),
                            len: bytes.len(),
                        })?;
                Ok(FingerprintKey(arr))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                let key = FingerprintKey::random()?;
                write_private(path, &key.0).map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }
}

/// Writes a new file readable by the owner only (created exclusively: never
/// overwrites a key another process made in the meantime).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(bytes)?;
            f.sync_all()
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_keyed_and_stable() {
        let a = FingerprintKey::from_bytes([1; 32]);
        let b = FingerprintKey::from_bytes([2; 32]);
        assert_eq!(a.fingerprint("Cisco123"), a.fingerprint("Cisco123"));
        assert_ne!(a.fingerprint("Cisco123"), b.fingerprint("Cisco123"));
        assert_ne!(a.fingerprint("Cisco123"), a.fingerprint("cisco123"));
        assert_eq!(a.fingerprint("x").len(), 32);
    }

    #[test]
    fn key_file_created_once_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/fingerprint.key");
        let k1 = FingerprintKey::load_or_create(&p).unwrap();
        let k2 = FingerprintKey::load_or_create(&p).unwrap();
        assert_eq!(k1.as_bytes(), k2.as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&p, b"short").unwrap();
        assert!(matches!(
            FingerprintKey::load_or_create(&p),
            Err(VaultError::BadKey { len: 5, .. })
        ));
    }
}
