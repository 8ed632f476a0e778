//! The one error type every command returns. It crosses IPC as `{kind, message}`: the
//! kind lets the UI react (ask for a passphrase, offer to open another file), the
//! message is for a person. Messages come from the library, which never quotes a
//! scanned secret; paths in them are the user's own.

use credence::store::StoreError;
use credence::vault::VaultError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input was refused (bad id, path outside what the user chose, bad value).
    Invalid,
    /// The command needs an open engagement.
    NoEngagement,
    /// No keyring holds the key: the UI asks for the passphrase and calls again.
    PassphraseRequired,
    WrongPassphrase,
    /// A scan is running (in this app or another process).
    Busy,
    /// The engagement file cannot be used (not ours, newer, damaged, locked).
    Store,
    Io,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

pub type CmdResult<T> = Result<T, CommandError>;

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CommandError {
            kind,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        CommandError::new(ErrorKind::Invalid, message)
    }

    pub fn no_engagement() -> Self {
        CommandError::new(
            ErrorKind::NoEngagement,
            "no engagement is open: create or open one first",
        )
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<VaultError> for CommandError {
    fn from(e: VaultError) -> Self {
        let kind = match e {
            VaultError::PassphraseRequired | VaultError::NoProtection(_) => {
                ErrorKind::PassphraseRequired
            }
            VaultError::WrongPassphrase | VaultError::KeyMismatch => ErrorKind::WrongPassphrase,
            _ => ErrorKind::Store,
        };
        let message = match e {
            // The library's wording names CLI options; the app asks in a dialog.
            VaultError::NoProtection(why) => format!(
                "no OS keyring available ({why}): protect the engagement key with a passphrase"
            ),
            VaultError::PassphraseRequired => {
                "this engagement's key is protected by a passphrase".into()
            }
            other => other.to_string(),
        };
        CommandError { kind, message }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::Vault(_) => None,
            StoreError::Invalid(_) => Some(ErrorKind::Invalid),
            StoreError::Locked => Some(ErrorKind::Busy),
            StoreError::Io { .. } => Some(ErrorKind::Io),
            _ => Some(ErrorKind::Store),
        };
        match (kind, e) {
            (None, StoreError::Vault(v)) => v.into(),
            (kind, e) => CommandError::new(kind.unwrap_or(ErrorKind::Store), e.to_string()),
        }
    }
}

/// The library's assessment, register and report functions return `anyhow` errors: a
/// store error keeps its kind; anything else is the library refusing the input (an
/// unknown practice, a zone class the model lacks, a file that holds a credential).
impl From<anyhow::Error> for CommandError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<StoreError>() {
            Ok(s) => s.into(),
            Err(e) => CommandError::invalid(format!("{e:#}")),
        }
    }
}
