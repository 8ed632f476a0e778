//! Windows admin artefacts: Group Policy Preferences, unattend, VNC, WinSCP,
//! FileZilla and mRemoteNG stored passwords.

use super::{DecodeError, from_base64, from_hex, text_secret, to_base64, to_utf16le, utf16le};
use crate::secret::Secret;
use aes::cipher::{
    BlockDecrypt, BlockDecryptMut, BlockEncrypt, BlockEncryptMut, KeyInit, KeyIvInit,
    block_padding::Pkcs7, generic_array::GenericArray,
};

/// The AES-256 key Microsoft published for GPP `cpassword` ([MS-GPPREF] 2.2.1.1.4).
const GPP_KEY: [u8; 32] = [
    0x4e, 0x99, 0x06, 0xe8, 0xfc, 0xb6, 0x6c, 0xc9, 0xfa, 0xf4, 0x93, 0x10, 0x62, 0x0f, 0xfe, 0xe8,
    0xf4, 0x96, 0xe8, 0x06, 0xcc, 0x05, 0x79, 0x90, 0x20, 0x9b, 0x09, 0xa4, 0x33, 0xb6, 0x6c, 0x1b,
];

/// Decodes a GPP `cpassword` (base64 without padding, AES-256-CBC, zero IV, UTF-16LE).
pub fn gpp_cpassword(cpassword: &str) -> Result<Secret, DecodeError> {
    let mut data = from_base64(cpassword)?;
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(DecodeError::WrongLength);
    }
    let dec = cbc::Decryptor::<aes::Aes256>::new(&GPP_KEY.into(), &[0u8; 16].into());
    let plain = dec
        .decrypt_padded_mut::<Pkcs7>(&mut data)
        .map_err(|_| DecodeError::BadPadding)?;
    Ok(Secret::new(utf16le(plain)?))
}

/// Encodes a GPP `cpassword` the way the Group Policy editor did (padding stripped).
pub fn gpp_cpassword_encode(plain: &str) -> String {
    let msg = to_utf16le(plain);
    let mut buf = vec![0u8; msg.len() + 16];
    buf[..msg.len()].copy_from_slice(&msg);
    let enc = cbc::Encryptor::<aes::Aes256>::new(&GPP_KEY.into(), &[0u8; 16].into());
    let ct = enc
        .encrypt_padded_mut::<Pkcs7>(&mut buf, msg.len())
        .map(|c| c.to_vec())
        .unwrap_or_default();
    to_base64(&ct).trim_end_matches('=').to_string()
}

/// Decodes an unattend.xml `<Value>` written with `<PlainText>false</PlainText>`:
/// base64 of UTF-16LE of the password followed by the element name (`Password` or
/// `AdministratorPassword`).
pub fn unattend_base64(value: &str, element: &str) -> Result<Secret, DecodeError> {
    let text = utf16le(&from_base64(value)?)?;
    match text.strip_suffix(element) {
        Some(p) => Ok(Secret::new(p)),
        None => Err(DecodeError::BadPrefix),
    }
}

/// The VNC fixed DES key (the published `{23,82,107,6,35,78,88,7}` with each byte's
/// bits reversed, as VNC's d3des expects).
const VNC_KEY: [u8; 8] = [0xe8, 0x4a, 0xd6, 0x60, 0xc4, 0x72, 0x1a, 0xe0];

/// Decodes a VNC stored password (hex of 8-byte DES blocks; RealVNC chains longer
/// ones with CBC and a zero IV, which for the first block is plain ECB).
pub fn vnc(hex_value: &str) -> Result<Secret, DecodeError> {
    let data = from_hex(hex_value.trim())?;
    if data.is_empty() || data.len() % 8 != 0 {
        return Err(DecodeError::WrongLength);
    }
    let des = des::Des::new_from_slice(&VNC_KEY).map_err(|_| DecodeError::BadKey)?;
    let mut prev = [0u8; 8];
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks_exact(8) {
        let mut block = GenericArray::clone_from_slice(chunk);
        des.decrypt_block(&mut block);
        out.extend(block.iter().zip(prev.iter()).map(|(a, b)| a ^ b));
        prev.copy_from_slice(chunk);
    }
    while out.last() == Some(&0) {
        out.pop();
    }
    text_secret(out)
}

/// Encodes a VNC password (at most 8 characters, NUL padded).
pub fn vnc_encode(plain: &str) -> String {
    let mut block = [0u8; 8];
    for (d, s) in block.iter_mut().zip(plain.bytes()) {
        *d = s;
    }
    let Ok(des) = des::Des::new_from_slice(&VNC_KEY) else {
        return String::new();
    };
    let mut b = GenericArray::clone_from_slice(&block);
    des.encrypt_block(&mut b);
    hex::encode(b)
}

const WINSCP_MAGIC: u8 = 0xA3;
const WINSCP_FLAG: u8 = 0xFF;

/// Decodes a WinSCP session password (its published "simple" scheme: each byte is
/// `!(b ^ 0xA3)` written as two hex digits; the key is user name + host name).
pub fn winscp(user: &str, host: &str, encoded: &str) -> Result<Secret, DecodeError> {
    let raw = from_hex(encoded.trim())?;
    let b: Vec<u8> = raw.iter().map(|v| !(v ^ WINSCP_MAGIC)).collect();
    let at = |i: usize| b.get(i).copied().ok_or(DecodeError::WrongLength);
    let flag = at(0)?;
    let (len, mut i) = if flag == WINSCP_FLAG {
        (at(2)? as usize, 3)
    } else {
        (flag as usize, 1)
    };
    let toss = at(i)? as usize;
    i += 1 + toss;
    if i + len > b.len() {
        return Err(DecodeError::WrongLength);
    }
    let plain = &b[i..i + len];
    let plain = if flag == WINSCP_FLAG {
        let key = format!("{user}{host}");
        plain
            .strip_prefix(key.as_bytes())
            .ok_or(DecodeError::BadKey)?
    } else {
        plain
    };
    text_secret(plain.to_vec())
}

/// Encodes a WinSCP password (no random shift or filler: deterministic fixtures).
pub fn winscp_encode(user: &str, host: &str, plain: &str) -> String {
    let salted = format!("{user}{host}{plain}");
    let mut bytes = vec![WINSCP_FLAG, 0, salted.len() as u8, 0];
    bytes.extend(salted.bytes());
    bytes
        .iter()
        .map(|c| format!("{:02X}", !c ^ WINSCP_MAGIC))
        .collect()
}

/// Decodes a FileZilla `<Pass encoding="base64">` value.
pub fn filezilla_base64(value: &str) -> Result<Secret, DecodeError> {
    text_secret(from_base64(value)?)
}

/// mRemoteNG's default master password when the user set none.
const MREMOTENG_DEFAULT: &[u8] = b"mR3m";
type MrGcm = aes_gcm::AesGcm<aes::Aes256, aes_gcm::aead::consts::U16>;

/// Decodes an mRemoteNG `Password` attribute with the default master password:
/// 1.75+ (base64 of 16-byte salt, 16-byte nonce, AES-256-GCM ciphertext and tag;
/// key PBKDF2-HMAC-SHA1, 1000 rounds; the salt is also the associated data), or the
/// legacy format (AES-CBC, key MD5 of the master password, IV first).
pub fn mremoteng(value: &str) -> Result<Secret, DecodeError> {
    use aes_gcm::aead::{Aead, Payload};
    let data = from_base64(value)?;
    if data.len() >= 48 {
        let (salt, rest) = data.split_at(16);
        let (nonce, ct) = rest.split_at(16);
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(MREMOTENG_DEFAULT, salt, 1000, &mut key);
        if let Ok(cipher) = MrGcm::new_from_slice(&key) {
            let nonce = GenericArray::from_slice(nonce);
            if let Ok(plain) = cipher.decrypt(nonce, Payload { msg: ct, aad: salt }) {
                return text_secret(plain);
            }
        }
    }
    if data.len() >= 32 && data.len() % 16 == 0 {
        use md5::Digest;
        let key: [u8; 16] = md5::Md5::digest(MREMOTENG_DEFAULT).into();
        let (iv, ct) = data.split_at(16);
        let mut buf = ct.to_vec();
        let dec = cbc::Decryptor::<aes::Aes128>::new(&key.into(), GenericArray::from_slice(iv));
        if let Ok(plain) = dec.decrypt_padded_mut::<Pkcs7>(&mut buf) {
            return text_secret(plain.to_vec());
        }
    }
    Err(DecodeError::BadKey)
}

/// Encodes as mRemoteNG 1.75+ with the default master password and a given salt and
/// nonce (for fixtures and round-trip tests).
pub fn mremoteng_encode(plain: &str, salt: [u8; 16], nonce: [u8; 16]) -> String {
    use aes_gcm::aead::{Aead, Payload};
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(MREMOTENG_DEFAULT, &salt, 1000, &mut key);
    let Ok(cipher) = MrGcm::new_from_slice(&key) else {
        return String::new();
    };
    let n = GenericArray::from_slice(&nonce);
    let ct = cipher
        .encrypt(
            n,
            Payload {
                msg: plain.as_bytes(),
                aad: &salt,
            },
        )
        .unwrap_or_default();
    let mut all = salt.to_vec();
    all.extend_from_slice(&nonce);
    all.extend(ct);
    to_base64(&all)
}
