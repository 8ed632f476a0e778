//! The one type that holds a secret's plaintext.
//!
//! `Secret` deliberately implements neither `Display` nor `Serialize`, and its `Debug`
//! prints a fixed marker, so a plaintext can reach a log, a panic message or an output
//! only by someone calling [`Secret::expose`] on purpose. Its buffer is overwritten on
//! drop so a heap dump taken after a file is scanned holds less.

use std::fmt;

pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The plaintext. Callers may only judge, mask or fingerprint it, never store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn len_chars(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A masked preview: the length always, and the first and last character only for
    /// secrets of 8 characters or more (shorter ones are too easy to guess from them).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any string the way [`Secret::masked`] does; used for context lines too.
pub fn mask(value: &str) -> String {
    let mut out = String::new();
    mask_into(&mut out, value);
    out
}

/// [`mask`], appended to `out` (a context line is built in one buffer).
pub fn mask_into(out: &mut String, value: &str) {
    let n = value.chars().count();
    let stars = |out: &mut String, k: usize| out.extend(std::iter::repeat_n('*', k));
    if n < 8 {
        stars(out, n);
        return;
    }
    // Long secrets (keys, tokens) keep a short fixed preview; the length is reported
    // separately in the finding record.
    out.push(value.chars().next().unwrap_or('*'));
    stars(out, (n - 2).min(12));
    out.push(value.chars().last().unwrap_or('*'));
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} chars redacted>)", self.0.chars().count())
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Secret(self.0.clone())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Best effort scrubbing; volatile writes so the optimiser keeps them.
        // SAFETY: we overwrite initialised bytes with 0 (valid UTF-8) in place.
        unsafe {
            for b in self.0.as_bytes_mut() {
                std::ptr::write_volatile(b, 0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_show_no_characters() {
        let mut line = "pw=".to_string();
        mask_into(&mut line, "Summer2024!");
        assert_eq!(
            line, "pw=S*********!",
            "appended, as a context line is built"
        );
        assert_eq!(mask(""), "");
        assert_eq!(mask("admin"), "*****");
        assert_eq!(mask("Cisco12"), "*******");
    }

    #[test]
    fn long_secrets_show_first_and_last_only() {
        assert_eq!(mask("Summer2024!"), "S*********!");
        let long = "A".to_string() + &"x".repeat(100) + "Z";
        assert_eq!(mask(&long), format!("A{}Z", "*".repeat(12)));
    }

    #[test]
    fn debug_never_prints_the_plaintext() {
        let s = Secret::new("hunter2-very-secret");
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("19 chars"));
    }
}
