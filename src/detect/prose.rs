//! Human passwords written in prose: notes, mails, documents.
use super::{Detector, RawFinding, TextInput};

pub struct ProseDetector;
impl ProseDetector {
    pub fn new() -> Self {
        ProseDetector
    }
}
impl Detector for ProseDetector {
    fn name(&self) -> &'static str {
        "prose"
    }
    fn keywords(&self) -> Vec<String> {
        vec!["password".into()]
    }
    fn detect(&self, _input: &TextInput<'_>, _hits: &[usize], _out: &mut Vec<RawFinding>) {}
}
