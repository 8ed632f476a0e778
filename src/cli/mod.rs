//! CLI subcommands for engagements. Each parses its arguments, calls the library and
//! shapes the answer; no logic lives here that the desktop app would also need.

pub mod assess;
pub mod engagement;
pub mod key;
pub mod questionnaire;
pub mod register;
pub mod report;

use anyhow::Result;
use credence::store::Engagement;
use credence::vault::engagement::{passphrase_from, unlock};
use credence::vault::{FingerprintKey, KeyStore};
use std::path::{Path, PathBuf};

/// Options every engagement command shares.
#[derive(clap::Args, Clone)]
pub struct EngagementOpt {
    /// The engagement file (`*.credence`).
    #[arg(long, short = 'e', value_name = "FILE")]
    pub engagement: PathBuf,
}

/// The OS keyring, unless `CREDENCE_KEYRING=off` (CI, or to force the passphrase).
pub fn keystore() -> Box<dyn KeyStore> {
    credence::vault::engagement::os_keystore_from_env()
}

/// Opens an engagement and unlocks its key, saying on stderr how the key is held.
pub fn open_unlocked(
    path: &Path,
    passphrase_file: Option<&Path>,
    quiet: bool,
) -> Result<(Engagement, FingerprintKey)> {
    let eng = Engagement::open(path)?;
    let key = unlock_key(&eng, passphrase_file, quiet)?;
    Ok((eng, key))
}

pub fn unlock_key(
    eng: &Engagement,
    passphrase_file: Option<&Path>,
    quiet: bool,
) -> Result<FingerprintKey> {
    let meta = eng.meta()?;
    let rec = eng.vault_record()?;
    let store = (rec.protection == "keyring").then(keystore);
    let pass = passphrase_from(passphrase_file)?;
    let (key, how) = unlock(&meta.uid, &rec, store.as_deref(), pass.as_deref())?;
    if !quiet {
        eprintln!("credence: {how}");
    }
    Ok(key)
}

/// Runs `write` into FILE (written beside it and renamed in, see
/// `credence::output_file`) when `-o FILE` was given, else into standard output.
pub fn write_output(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    use anyhow::Context;
    match output {
        Some(p) => {
            let mut f = credence::output_file::OutputFile::create(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            write(&mut f)?;
            f.commit()?;
        }
        None => {
            let mut o = std::io::stdout().lock();
            write(&mut o)?;
            std::io::Write::flush(&mut o)?;
        }
    }
    Ok(())
}
