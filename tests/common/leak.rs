//! How a leaked secret is searched for in bytes written: each secret in clear, base64,
//! hex, UTF-16LE and URL form, and a plain byte search. Used by the library's tests
//! (`tests/common`) and the desktop's (`src-tauri/tests/support`, by `#[path]`).

/// The encodings a leaked secret could take: clear, base64, hex, UTF-16LE, URL.
pub fn encodings(secret: &str) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    let utf16: Vec<u8> = secret
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let url: String = secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    vec![
        ("clear".into(), secret.as_bytes().to_vec()),
        (
            "base64".into(),
            base64::engine::general_purpose::STANDARD
                .encode(secret)
                .into_bytes(),
        ),
        ("hex".into(), hex::encode(secret).into_bytes()),
        ("utf16".into(), utf16),
        ("url".into(), url.into_bytes()),
    ]
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
