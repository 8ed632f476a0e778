//! Credence: find the credentials embedded in what a site hands over, and say how bad
//! each one is. One module a stage of the flow (see ARCHITECTURE.md):
//! `ingest` (walk, sniff, extract text with its location) → `detect` (rules, dialects,
//! decoders, knowledge) → `finding` (the record; secrets masked and fingerprinted) →
//! `scan` (the parallel pipeline that ties them) → `report` (machine and human outputs).
//! `vault` holds the fingerprint key; `store` is the engagement file (SQLite);
//! `identity` builds the identity graph and its leadership metrics; `risk` turns findings
//! and maturity gaps into the prioritised risk register the reports print.

pub mod assess;
mod blob;
pub mod detect;
pub mod finding;
pub mod identity;
pub mod ingest;
pub mod output_file;
pub mod report;
pub mod risk;
pub mod scan;
pub mod secret;
pub mod store;
pub mod vault;

pub use finding::{Category, Confidence, Finding, Flag};
pub use scan::{ScanOptions, ScanResult, Scanner};
pub use secret::Secret;
