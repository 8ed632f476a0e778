//! Vendor formats with fixed keys: FortiOS `ENC` (CVE-2019-6693) and MikroTik
//! `user.dat` (RouterOS before 6.43).

use super::{DecodeError, from_base64, text_secret, to_base64};
use crate::secret::Secret;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};

/// FortiOS' fixed AES-128 key for reversible secrets (public since CVE-2019-6693).
const FORTI_KEY: &[u8; 16] = b"Mary had a littl";

/// Decodes a FortiOS `ENC <base64>` value (the part after `ENC `): 4 bytes of IV
/// (padded with zeros to 16), then AES-128-CBC blocks holding a NUL-terminated
/// plaintext.
pub fn fortios_enc(value: &str) -> Result<Secret, DecodeError> {
    let v = value.trim().trim_matches('"');
    let v = v.strip_prefix("ENC ").unwrap_or(v).trim();
    let data = from_base64(v)?;
    if data.len() < 4 + 16 || (data.len() - 4) % 16 != 0 {
        return Err(DecodeError::WrongLength);
    }
    let mut iv = [0u8; 16];
    iv[..4].copy_from_slice(&data[..4]);
    let mut buf = data[4..].to_vec();
    let dec = cbc::Decryptor::<aes::Aes128>::new(FORTI_KEY.into(), &iv.into());
    let plain = dec
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|_| DecodeError::BadPadding)?;
    let end = plain
        .iter()
        .position(|&b| b == 0)
        .ok_or(DecodeError::BadKey)?;
    if end == 0 {
        return Err(DecodeError::Empty);
    }
    text_secret(plain[..end].to_vec())
}

/// Encodes a FortiOS `ENC` value (without the `ENC ` word) with a given 4-byte IV.
pub fn fortios_enc_encode(plain: &str, iv4: [u8; 4]) -> String {
    // FortiOS pads the plaintext with NULs to a fixed 144 bytes.
    let len = (plain.len() + 1).div_ceil(16).max(9) * 16;
    let mut buf = vec![0u8; len];
    buf[..plain.len()].copy_from_slice(plain.as_bytes());
    let mut iv = [0u8; 16];
    iv[..4].copy_from_slice(&iv4);
    let enc = cbc::Encryptor::<aes::Aes128>::new(FORTI_KEY.into(), &iv.into());
    let ct = enc
        .encrypt_padded_mut::<NoPadding>(&mut buf, len)
        .map(|c| c.to_vec())
        .unwrap_or_default();
    let mut all = iv4.to_vec();
    all.extend(ct);
    to_base64(&all)
}

/// Decodes a password from a RouterOS (< 6.43) `user.dat` record: the bytes are XORed
/// with MD5(user name + "283i4jfkai3389"), repeated, up to the first NUL.
pub fn mikrotik_user_dat(user: &str, encrypted: &[u8]) -> Result<Secret, DecodeError> {
    use md5::Digest;
    if encrypted.is_empty() {
        return Err(DecodeError::Empty);
    }
    let key: [u8; 16] = md5::Md5::digest(format!("{user}283i4jfkai3389").as_bytes()).into();
    let mut out = Vec::with_capacity(encrypted.len());
    for (i, b) in encrypted.iter().enumerate() {
        let p = b ^ key[i % 16];
        if p == 0 {
            break;
        }
        out.push(p);
    }
    text_secret(out)
}
