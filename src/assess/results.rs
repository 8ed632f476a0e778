//! What an assessment yields, as the risk register, the reports and the desktop app read
//! it. Computing it is the assessment engine's job; everything downstream only reads
//! these types, so they are plain data (serde) with no behaviour beyond small helpers.

use serde::{Deserialize, Serialize};

/// An assessor's answer to one practice (C2M2 / CSET implementation scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Fully,
    Largely,
    Partially,
    Not,
    NotApplicable,
    Unknown,
}

impl Answer {
    /// Counts toward achieving a level (C2M2: Fully or Largely implemented).
    pub fn achieves(self) -> bool {
        matches!(self, Answer::Fully | Answer::Largely)
    }

    /// The label an assessor reads.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Fully => "Fully implemented",
            Answer::Largely => "Largely implemented",
            Answer::Partially => "Partially implemented",
            Answer::Not => "Not implemented",
            Answer::NotApplicable => "Not applicable",
            Answer::Unknown => "Unknown",
        }
    }
}

/// The risk a practice raises when it is a gap, as the template states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapRisk {
    pub title: String,
    /// 1-5 hints from the template; the register derives the final figures.
    pub likelihood: u8,
    pub impact: u8,
    pub recommendation: String,
    /// MITRE ATT&CK (ICS or Enterprise) technique / mitigation ids the gap relates to.
    pub attack: Vec<String>,
}

/// One practice of the model as answered (or not yet) in this engagement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PracticeOutcome {
    pub practice_id: String,
    pub domain_id: String,
    pub level: u8,
    /// The question as the assessor was asked it.
    pub question: String,
    /// The answer that scoring used: for a zone-specific practice, the weakest of the
    /// zone answers. `None`: not answered yet.
    pub answer: Option<Answer>,
    /// Per zone class (`IT`, `OT`, `IoT`) when the practice is zone-specific.
    pub zone_answers: Vec<(String, Answer)>,
    pub note: Option<String>,
    /// Set when the scan's evidence refutes the answer, in plain words
    /// ("answered Fully implemented, but the scan found 9 shared privileged passwords").
    pub contradiction: Option<String>,
    pub gap_risk: GapRisk,
    /// Framework mappings, e.g. `C2M2:ACCESS-1a`, `CSF:PR.AA-01`, `62443-3-3:SR 1.1`,
    /// `62443-2-1:USER 1.12`, `ATT&CK:T0859` (ids as `assessment-templates/frameworks/known-ids.toml` lists them).
    pub mappings: Vec<String>,
}

impl PracticeOutcome {
    /// A gap: answered and applicable, but not Fully/Largely implemented, or Unknown.
    pub fn is_gap(&self) -> bool {
        matches!(
            self.answer,
            Some(Answer::Partially | Answer::Not | Answer::Unknown)
        )
    }
}

/// The result of one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainResult {
    pub id: String,
    pub name: String,
    /// Highest level achieved (0 = none).
    pub achieved: u8,
    pub target: Option<u8>,
    /// Achieved level in the earlier assessment being compared against, if any.
    pub previous: Option<u8>,
    pub practices_applicable: u32,
    pub practices_answered: u32,
}

/// The whole assessment result for one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaturityResult {
    pub model_id: String,
    pub model_name: String,
    pub model_version: String,
    pub max_level: u8,
    pub domains: Vec<DomainResult>,
    /// Every applicable practice, in model order.
    pub practices: Vec<PracticeOutcome>,
}

impl MaturityResult {
    /// The gaps, ordered by level (lowest first: foundations before refinements) then
    /// by the template's impact hint (highest first).
    pub fn gaps(&self) -> Vec<&PracticeOutcome> {
        let mut gaps: Vec<&PracticeOutcome> =
            self.practices.iter().filter(|p| p.is_gap()).collect();
        gaps.sort_by(|a, b| {
            a.level
                .cmp(&b.level)
                .then(b.gap_risk.impact.cmp(&a.gap_risk.impact))
                .then(a.practice_id.cmp(&b.practice_id))
        });
        gaps
    }

    pub fn contradictions(&self) -> impl Iterator<Item = &PracticeOutcome> {
        self.practices.iter().filter(|p| p.contradiction.is_some())
    }
}
