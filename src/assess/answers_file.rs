//! Answers as a file (TOML or JSON, by extension): export an assessment round, import
//! one prepared elsewhere (a workshop spreadsheet turned into TOML, another laptop).
//! An import is checked whole against the template before anything is written, and
//! then written in one transaction: a bad entry names its place and nothing is saved.
//!
//! ```toml
//! model = "credence-itot-identity"
//! model_version = "1.0"
//! [applicability]
//! iiot = false
//! [targets]
//! DISCOVER = 2
//! [[answer]]
//! practice = "PRIV-3"
//! zone = "OT"              # only for zone-specific practices
//! answer = "partially"     # fully | largely | partially | not | not_applicable | unknown
//! note = "two shared admin accounts left on the HMIs"
//! evidence = [{ name = "pam-export.pdf", hash = "<blake3 of a file already attached>" }]
//! ```

use super::engine::State;
use super::results::Answer;
use super::template::{Template, line_of};
use crate::store::Engagement;
use crate::store::assessment::{AnswerBatch, AnswerRow};
use anyhow::{Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    pub model: String,
    pub model_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default)]
    pub applicability: BTreeMap<String, bool>,
    #[serde(default)]
    pub targets: BTreeMap<String, u8>,
    #[serde(default, rename = "answer")]
    pub answers: Vec<AnswerEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerEntry {
    pub practice: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceEntry {
    pub name: String,
    pub hash: String,
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The answers of a round as a file's content.
pub fn export(t: &Template, state: &State) -> AnswersFile {
    let mut answers = Vec::new();
    for p in &t.practices {
        let mut keys: Vec<&(String, String)> =
            state.answers.keys().filter(|(id, _)| *id == p.id).collect();
        keys.sort();
        for key in keys {
            let r = &state.answers[key];
            let zone = (!key.1.is_empty()).then(|| key.1.clone());
            answers.push(AnswerEntry {
                practice: p.id.clone(),
                evidence: state
                    .evidence
                    .iter()
                    .filter(|e| e.practice_id == p.id && e.zone == zone)
                    .map(|e| EvidenceEntry {
                        name: e.name.clone(),
                        hash: e.hash.clone(),
                    })
                    .collect(),
                zone,
                answer: r.answer.code().to_string(),
                note: r.note.clone(),
            });
        }
    }
    AnswersFile {
        model: t.model.id.clone(),
        model_version: t.model.version.clone(),
        label: Some(state.assessment.label.clone()),
        applicability: state.applicability.clone(),
        targets: state.targets.clone(),
        answers,
    }
}

pub fn write(path: &Path, file: &AnswersFile) -> Result<()> {
    let text = if is_json(path) {
        serde_json::to_string_pretty(file)?
    } else {
        toml::to_string_pretty(file)?
    };
    std::fs::write(path, text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// The line of the `n`th (0-based) answer entry, and of a top-level key, in the text.
fn nth_line(text: &str, marker: &str, n: usize) -> usize {
    text.match_indices(marker)
        .nth(n)
        .map(|(i, _)| line_of(text, i))
        .unwrap_or(0)
}

/// Reads and checks an answers file against the template; returns the batch to write.
pub fn read(path: &Path, t: &Template, eng: &Engagement) -> Result<AnswerBatch> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{name}: {e}"))?;
    let json = is_json(path);
    let file: AnswersFile = if json {
        serde_json::from_str(&text).map_err(|e| anyhow!("{name}:{}: {e}", e.line()))?
    } else {
        toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| line_of(&text, s.start)).unwrap_or(0);
            anyhow!("{name}:{line}: {}", e.message().trim())
        })?
    };
    let key_line = |key: &str| {
        let marker = if json {
            format!("\"{key}\"")
        } else {
            key.to_string()
        };
        nth_line(&text, &marker, 0)
    };
    let entry_line =
        |n: usize| nth_line(&text, if json { "\"practice\"" } else { "[[answer]]" }, n);
    if file.model != t.model.id {
        bail!(
            "{name}:{}: model: answers are for '{}', this assessment uses '{}'",
            key_line("model"),
            file.model,
            t.model.id
        );
    }
    if file.model_version != t.model.version {
        bail!(
            "{name}:{}: model_version: answers are for {} version {}, this assessment uses version {}; nothing imported",
            key_line("model_version"),
            file.model,
            file.model_version,
            t.model.version
        );
    }
    let mut batch = AnswerBatch::default();
    for (q, applies) in &file.applicability {
        if t.question(q).is_none() {
            bail!(
                "{name}:{}: applicability.{q}: no such question in {}",
                key_line(q),
                t.model.id
            );
        }
        batch.applicability.push((q.clone(), *applies));
    }
    for (d, level) in &file.targets {
        if t.domain(d).is_none() {
            bail!(
                "{name}:{}: targets.{d}: no such domain in {}",
                key_line(d),
                t.model.id
            );
        }
        if *level > t.max_level() {
            bail!(
                "{name}:{}: targets.{d}: level {level} is above {}",
                key_line(d),
                t.max_level()
            );
        }
        batch.targets.push((d.clone(), *level));
    }
    let now = crate::store::now();
    let mut seen = BTreeMap::new();
    for (n, a) in file.answers.iter().enumerate() {
        let at = format!(
            "{name}:{}: answer #{} ({})",
            entry_line(n),
            n + 1,
            a.practice
        );
        super::engine::check_slot(t, &a.practice, a.zone.as_deref())
            .map_err(|e| anyhow!("{at}: {e}"))?;
        if let Some(first) = seen.insert((a.practice.clone(), a.zone.clone()), n + 1) {
            bail!("{at}: answered twice (first as answer #{first})");
        }
        let answer = Answer::from_code(&a.answer).ok_or_else(|| {
            anyhow!("{at}: answer '{}' is not one of fully, largely, partially, not, not_applicable, unknown", a.answer)
        })?;
        for ev in &a.evidence {
            if !eng.has_evidence_file(&ev.hash)? {
                bail!(
                    "{at}: evidence '{}' ({}) is not stored in this engagement; attach the file first",
                    ev.name,
                    ev.hash
                );
            }
            batch.evidence.push((
                a.practice.clone(),
                a.zone.clone(),
                ev.hash.clone(),
                ev.name.clone(),
            ));
        }
        batch.answers.push(AnswerRow {
            practice_id: a.practice.clone(),
            zone: a.zone.clone(),
            answer: answer.code().to_string(),
            note: a.note.clone(),
            answered_at: now.clone(),
        });
    }
    Ok(batch)
}

/// Imports a file into a round: all of it, or (on any error) nothing.
pub fn import(eng: &mut Engagement, t: &Template, state: &mut State, path: &Path) -> Result<usize> {
    let batch = read(path, t, eng)?;
    let n = batch.answers.len();
    eng.write_assessment_batch(state.id(), &batch)?;
    *state = super::engine::load_state(eng, state.id())?;
    Ok(n)
}
