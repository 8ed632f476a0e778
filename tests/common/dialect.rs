//! Running the dialect detectors alone on a short text and reading the findings back
//! in a form tests compare whole (line, category, user, system, flags, secret).
#![allow(dead_code)]

use credence::detect::{Engine, RawFinding, TextInput, dialects};
use credence::finding::Flag;
use credence::ingest::{TextHint, text::LineIndex};

#[derive(Debug, PartialEq)]
pub struct F {
    pub line: u32,
    pub category: String,
    pub user: Option<String>,
    pub system: Option<String>,
    pub flags: Vec<Flag>,
    pub secret: String,
}

pub fn raw(name: &str, text: &str) -> Vec<(u32, RawFinding)> {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    let engine = ENGINE.get_or_init(|| Engine::from_detectors(dialects::all()));
    let lines = LineIndex::new(text);
    let input = TextInput {
        text,
        lines: &lines,
        name,
        hint: TextHint::from_name(name),
    };
    engine
        .detect_text(&input)
        .into_iter()
        .map(|f| {
            (
                f.span
                    .as_ref()
                    .map(|s| lines.position(text, s.start).0)
                    .unwrap_or(0),
                f,
            )
        })
        .collect()
}

pub fn scan(name: &str, text: &str) -> Vec<F> {
    raw(name, text)
        .into_iter()
        .map(|(line, f)| F {
            line,
            category: f.category.as_str().to_string(),
            user: f.username.clone(),
            system: f.system.clone(),
            flags: f.flags.clone(),
            secret: f.secret.expose().to_string(),
        })
        .collect()
}

pub fn f(line: u32, category: &str, user: &str, system: &str, flags: &[Flag], secret: &str) -> F {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    F {
        line,
        category: category.into(),
        user: opt(user),
        system: opt(system),
        flags: flags.to_vec(),
        secret: secret.into(),
    }
}
