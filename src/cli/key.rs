//! `credence key export|import`: move an engagement's key to another machine. The
//! export file holds the key wrapped under a passphrase (Argon2id + ChaCha20-Poly1305).

use super::{EngagementOpt, keystore, unlock_key};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use credence::store::Engagement;
use credence::vault::engagement::{Protection, export_text, import_text, passphrase_from, protect};
use std::path::PathBuf;

#[derive(Args)]
pub struct KeyArgs {
    #[command(subcommand)]
    pub action: KeyAction,
}

#[derive(Subcommand)]
pub enum KeyAction {
    /// Write the engagement key, wrapped with the passphrase, to FILE.
    Export {
        file: PathBuf,
        #[command(flatten)]
        eng: EngagementOpt,
        /// Passphrase file (else CREDENCE_PASSPHRASE); protects the export file.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Read a key exported on another machine and keep it here (keyring, else wrapped
    /// with the passphrase in the engagement file).
    Import {
        file: PathBuf,
        #[command(flatten)]
        eng: EngagementOpt,
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
}

pub fn run(args: KeyArgs) -> Result<i32> {
    match args.action {
        KeyAction::Export {
            file,
            eng,
            passphrase_file,
        } => {
            let e = Engagement::open(&eng.engagement)?;
            let key = unlock_key(&e, passphrase_file.as_deref(), false)?;
            let Some(pass) = passphrase_from(passphrase_file.as_deref())? else {
                bail!(
                    "the export file is protected by a passphrase: set CREDENCE_PASSPHRASE or pass --passphrase-file"
                );
            };
            let text = export_text(&e.meta()?.uid, &key, &pass)?;
            write_new(&file, text.as_bytes())
                .with_context(|| format!("cannot write {}", file.display()))?;
            eprintln!(
                "credence: key exported to {} (wrapped with the passphrase)",
                file.display()
            );
            Ok(0)
        }
        KeyAction::Import {
            file,
            eng,
            passphrase_file,
        } => {
            let mut e = Engagement::open(&eng.engagement)?;
            let pass = passphrase_from(passphrase_file.as_deref())?
                .context("the key file is protected by a passphrase: set CREDENCE_PASSPHRASE or pass --passphrase-file")?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let uid = e.meta()?.uid;
            let key = import_text(&file, &text, &uid, &pass)?;
            if key_check_matches(&e, &key)? {
                let store = keystore();
                let (rec, how) = protect(
                    &uid,
                    &key,
                    Some(store.as_ref()),
                    Some(&pass),
                    Protection::Auto,
                )?;
                e.set_vault_record(&rec)?;
                eprintln!("credence: key imported; {how}");
                Ok(0)
            } else {
                bail!(
                    "the key in {} does not match this engagement",
                    file.display()
                )
            }
        }
    }
}

fn key_check_matches(e: &Engagement, key: &credence::vault::FingerprintKey) -> Result<bool> {
    Ok(credence::vault::engagement::key_check(key) == e.vault_record()?.key_check)
}

/// Creates FILE (never overwrites), readable by the owner only.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
