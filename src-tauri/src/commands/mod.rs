//! The commands the UI may call: each validates its input, calls the library and shapes
//! the answer. Grouped by screen; `lib.rs` registers every one (and the capability file
//! allows exactly those).

pub mod assessment;
pub mod engagement;
pub mod findings;
pub mod maturity;
pub mod overview;
pub mod reports;
pub mod risks;
pub mod scan;
pub mod sources;
pub mod zones;
