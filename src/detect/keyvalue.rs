//! Generic `password = value` assignments in configs, data files and scripts.
use super::{Detector, RawFinding, TextInput};

pub struct KeyValueDetector;
impl KeyValueDetector {
    pub fn new() -> Self {
        KeyValueDetector
    }
}
impl Detector for KeyValueDetector {
    fn name(&self) -> &'static str {
        "keyvalue"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["password".into()]
    }
    fn detect(&self, _input: &TextInput<'_>, _hits: &[usize], _out: &mut Vec<RawFinding>) {}
}
