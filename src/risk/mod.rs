//! The risk register: findings and maturity gaps turned into a short list of risks in
//! business terms, scored, ordered, owned and tracked.
//!
//! - `rules`: risk rules as data (`src/risk/rules/*.toml`) and their validation;
//! - `generate`: findings → one risk per rule (grouped), gaps → one risk per gap title;
//! - `score`: likelihood and impact on 1-5 with the derivation written down;
//! - `register`: generated risks merged with what people edited (kept across re-scans;
//!   a risk whose evidence is gone is marked resolved, never deleted), and the order.
//!
//! Order (see `register::prioritise`): score, then blast radius from the identity graph,
//! then age of the oldest evidence, then the risk id; resolved risks last.

pub mod generate;
pub mod register;
pub mod rules;
pub mod score;

use crate::assess::results::Answer;
use serde::{Deserialize, Serialize};

/// Where a risk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A risk rule over the scan's findings.
    Rule,
    /// Maturity gaps (and answers the evidence contradicts) sharing one gap-risk title.
    Gap,
    /// Written by a person.
    Manual,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Rule => "rule",
            Origin::Gap => "gap",
            Origin::Manual => "manual",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    InProgress,
    /// Accepted by its owner as it is (the note says why).
    Accepted,
    /// Treated, or its evidence disappeared from the latest scan or assessment.
    Resolved,
}

pub const STATUSES: &[&str] = &["open", "in_progress", "accepted", "resolved"];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Accepted => "accepted",
            Status::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "open" => Status::Open,
            "in_progress" => Status::InProgress,
            "accepted" => Status::Accepted,
            "resolved" => Status::Resolved,
            _ => return None,
        })
    }

    /// Still asks for work or a decision.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Open | Status::InProgress)
    }
}

/// Priority band from the score (likelihood × impact, 1-25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Critical,
    High,
    Medium,
    Low,
}

impl Band {
    /// The band edges in words, for the reports' legends and method page.
    pub const EDGES: &'static str = "critical 20-25, high 12-16, medium 6-10, low 1-5";

    /// Critical 20-25, High 12-16, Medium 6-10, Low 1-5 (the products 5x5 can reach;
    /// why these edges: see `score`). Critical is 4x5, 5x4 and 5x5 only: a first
    /// version started it at 15 and three quarters of the sample register was critical.
    pub fn of(score: u8) -> Band {
        match score {
            20.. => Band::Critical,
            12..=19 => Band::High,
            6..=11 => Band::Medium,
            _ => Band::Low,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Critical => "critical",
            Band::High => "high",
            Band::Medium => "medium",
            Band::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Critical => "Critical",
            Band::High => "High",
            Band::Medium => "Medium",
            Band::Low => "Low",
        }
    }

    /// Days to the suggested due date, counted from when the risk was first seen.
    pub fn due_days(self) -> i64 {
        match self {
            Band::Critical => 30,
            Band::High => 60,
            Band::Medium => 90,
            Band::Low => 180,
        }
    }
}

/// One assessment answer used as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerEvidence {
    pub practice_id: String,
    pub question: String,
    pub answer: Option<Answer>,
    /// The scan's evidence against the answer, when it contradicts it.
    pub contradiction: Option<String>,
}

/// What generation (or a person, for a manual risk) says about a risk. Stored as the
/// last generated snapshot; human edits are kept apart and laid over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskContent {
    pub origin: Origin,
    /// The rule or gap it came from (`rule:<id>`, `gap:<slug>`, `manual:<n>`).
    pub key: String,
    pub title: String,
    pub description: String,
    /// Zones the credentials open (or the practice's zone classes).
    pub zones: Vec<String>,
    pub systems: Vec<String>,
    /// `user@system` of the accounts involved.
    pub identities: Vec<String>,
    /// Finding ids (all of them; reports show a count and the first few).
    pub findings: Vec<String>,
    pub answers: Vec<AnswerEvidence>,
    pub attack: Vec<String>,
    pub likelihood: u8,
    pub impact: u8,
    /// How likelihood and impact were reached, one line a factor.
    pub derivation: Vec<String>,
    pub treatment: String,
    pub practices: Vec<String>,
    /// Who usually owns the fix: a suggestion until a person sets the owner.
    pub owner_role: String,
    pub residual_likelihood: u8,
    pub residual_impact: u8,
    /// Σ blast radius of the distinct credentials involved (identity graph).
    pub blast_radius: u32,
    /// Age in days of the oldest evidence (file age).
    pub age_days: u32,
    /// Contradictions between answers and evidence, in plain words.
    pub contradictions: Vec<String>,
}

impl RiskContent {
    pub fn score(&self) -> u8 {
        self.likelihood * self.impact
    }
}

/// A risk as the register shows it: content with human edits applied, its id, rank,
/// owner, due date and status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// `R-001`: given once, never reused.
    pub id: String,
    /// 1-based position in priority order.
    pub rank: usize,
    #[serde(flatten)]
    pub content: RiskContent,
    pub score: u8,
    pub band: Band,
    pub residual_score: u8,
    pub owner: Option<String>,
    /// ISO date. A person's date, else first seen + the band's days.
    pub due: String,
    pub due_suggested: bool,
    pub status: Status,
    /// Why a risk was accepted or how it was treated.
    pub note: Option<String>,
    pub first_seen: String,
    /// When its evidence disappeared (the risk is then resolved).
    pub evidence_gone: Option<String>,
    /// Fields a person changed (`title`, `owner`, `status` ...).
    pub edited: Vec<String>,
}

impl Risk {
    pub fn finding_count(&self) -> usize {
        self.content.findings.len()
    }
}
