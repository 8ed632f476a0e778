//! Format extractors beyond plain text (spreadsheets, documents, archives, note
//! stores). Each one is a small module implementing [`super::Extractor`].
//! Owned by the documents work (issue 3).

use super::Extractor;

/// Every built-in extractor; the first that accepts a file kind reads it.
pub fn builtin() -> Vec<Box<dyn Extractor>> {
    Vec::new()
}
