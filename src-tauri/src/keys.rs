//! The engagement key in the app: the OS keyring when one answers, else a passphrase
//! the UI asks for (the library wraps the key with it). The passphrase arrives from the
//! UI, is used once and never stored, logged or sent back.

use crate::error::{CmdResult, CommandError};
use credence::store::Engagement;
use credence::vault::engagement::{Protection, Unavailable, os_keystore_from_env, protect, unlock};
use credence::vault::{FingerprintKey, KeyStore, VaultRecord};

/// Shortest passphrase accepted for a new engagement.
pub const MIN_PASSPHRASE: usize = 8;
const MAX_PASSPHRASE: usize = 1024;

/// Where keys go: the OS keyring (honouring `CREDENCE_KEYRING=off`), or none.
pub fn keystore(use_keyring: bool) -> Box<dyn KeyStore> {
    if use_keyring {
        os_keystore_from_env()
    } else {
        Box::new(Unavailable("turned off for this app instance".into()))
    }
}

fn check_passphrase(p: Option<&str>, creating: bool) -> CmdResult<Option<&str>> {
    let Some(p) = p.filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if p.len() > MAX_PASSPHRASE {
        return Err(CommandError::invalid("passphrase is too long"));
    }
    if creating && p.chars().count() < MIN_PASSPHRASE {
        return Err(CommandError::invalid(format!(
            "a passphrase needs at least {MIN_PASSPHRASE} characters"
        )));
    }
    Ok(Some(p))
}

/// A new engagement's key record: keyring first, else the passphrase, else an error
/// of kind `passphrase_required` (the UI then asks for one).
pub fn protect_new(
    uid: &str,
    key: &FingerprintKey,
    passphrase: Option<&str>,
    use_keyring: bool,
) -> CmdResult<(VaultRecord, String)> {
    let pass = check_passphrase(passphrase, true)?;
    let store = keystore(use_keyring);
    Ok(protect(
        uid,
        key,
        Some(store.as_ref()),
        pass,
        Protection::Auto,
    )?)
}

/// Recovers an engagement's key; `passphrase_required` when the file holds a wrapped
/// key and no passphrase was given.
pub fn unlock_engagement(
    eng: &Engagement,
    passphrase: Option<&str>,
    use_keyring: bool,
) -> CmdResult<(FingerprintKey, String)> {
    let pass = check_passphrase(passphrase, false)?;
    let uid = eng.meta()?.uid;
    let rec = eng.vault_record()?;
    let store = (rec.protection == "keyring").then(|| keystore(use_keyring));
    Ok(unlock(&uid, &rec, store.as_deref(), pass)?)
}
