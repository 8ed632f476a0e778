//! Tables (sheets, CSV, document tables) read as a person reads them: header rows give
//! columns their roles (password, username, system, URL, notes), and a credential row
//! becomes one finding carrying (system, username, password) from the same row.
//! Owned by the spreadsheet work (issue 3); see ARCHITECTURE.md.

use super::RawFinding;
use crate::ingest::{Origin, Table};

pub struct TableDetector {}

impl Default for TableDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl TableDetector {
    pub fn new() -> Self {
        TableDetector {}
    }

    /// Findings for one table. `prose` runs the text detectors over a free-text cell
    /// (notes columns); its findings' spans are relative to that cell's text.
    pub fn detect(
        &self,
        _table: &Table,
        _origin: &Origin,
        _prose: &dyn Fn(&str) -> Vec<RawFinding>,
    ) -> Vec<RawFinding> {
        Vec::new()
    }
}
