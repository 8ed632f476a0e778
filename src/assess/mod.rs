//! The guided maturity assessment: templates (maturity models as data under
//! `assessment-templates/`), answers kept in the engagement, scoring by documented rule,
//! evidence from the scan and contradiction checks.
//!
//! `results` is the contract the risk register and the reports read; the rest of the
//! module computes it.

pub mod results;
