//! Decoders for publicly reversible credential encodings.
//!
//! Each decoder takes the encoded token exactly as it appears in a file and returns the
//! plaintext in a [`Secret`], or a [`DecodeError`] saying why it could not. None of
//! them panics on malformed input: they run on whatever a client's share holds.
//! The plaintext is used to judge the credential (default? weak? reused?) and to
//! fingerprint it; it is never shown.
//!
//! The encoders beside some decoders exist to build fixtures and tests; they use
//! deterministic salts and are not meant to protect anything.

mod cisco;
pub mod hashes;
mod vendor;
mod windows;

pub use cisco::{cisco_type7, cisco_type7_encode, juniper9, juniper9_encode};
pub use vendor::{fortios_enc, fortios_enc_encode, mikrotik_user_dat};
pub use windows::{
    filezilla_base64, gpp_cpassword, gpp_cpassword_encode, mremoteng, mremoteng_encode,
    unattend_base64, vnc, vnc_encode, winscp, winscp_encode,
};

use crate::secret::Secret;

/// Why an encoded value could not be decoded. The message never contains the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty value")]
    Empty,
    #[error("bad hex")]
    BadHex,
    #[error("odd length")]
    OddLength,
    #[error("bad base64")]
    BadBase64,
    #[error("wrong length")]
    WrongLength,
    #[error("bad prefix or salt")]
    BadPrefix,
    #[error("bad padding")]
    BadPadding,
    #[error("authentication failed (not the default key)")]
    BadKey,
    #[error("decoded bytes are not text")]
    NotText,
}

/// Hex digits to bytes, case-insensitive.
pub(crate) fn from_hex(s: &str) -> Result<Vec<u8>, DecodeError> {
    if s.is_empty() {
        return Err(DecodeError::Empty);
    }
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(DecodeError::BadHex);
    }
    if s.len() % 2 != 0 {
        return Err(DecodeError::OddLength);
    }
    hex::decode(s).map_err(|_| DecodeError::BadHex)
}

/// Standard base64; tolerates missing `=` padding (GPP omits it) but not a padding
/// that would make the length impossible.
pub(crate) fn from_base64(s: &str) -> Result<Vec<u8>, DecodeError> {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    let t = s.trim();
    if t.is_empty() {
        return Err(DecodeError::Empty);
    }
    let body = t.trim_end_matches('=');
    let pads = t.len() - body.len();
    if pads > 2 || (pads > 0 && t.len() % 4 != 0) {
        return Err(DecodeError::BadPadding);
    }
    if body.len() % 4 == 1 {
        return Err(DecodeError::WrongLength);
    }
    STANDARD_NO_PAD
        .decode(body)
        .map_err(|_| DecodeError::BadBase64)
}

pub(crate) fn to_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// UTF-16LE bytes to text (odd trailing byte or unpaired surrogate: not text).
pub(crate) fn utf16le(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.len() % 2 != 0 {
        return Err(DecodeError::NotText);
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).map_err(|_| DecodeError::NotText)
}

pub(crate) fn to_utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

/// Bytes to a secret when they are printable text (control characters other than
/// tab reject: a wrong key yields noise, not a password).
pub(crate) fn text_secret(bytes: Vec<u8>) -> Result<Secret, DecodeError> {
    let s = String::from_utf8(bytes).map_err(|_| DecodeError::NotText)?;
    if s.chars().any(|c| c.is_control() && c != '\t') {
        return Err(DecodeError::NotText);
    }
    Ok(Secret::new(s))
}
