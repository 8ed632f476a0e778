//! Everything the register exports and the reports print, gathered once from an
//! engagement: metadata, the latest scan's findings (masked) with their zones, the
//! identity analysis, the risk register (regenerated and stored), the maturity result
//! when there is one, and what the previous scan looked like (trend).

use crate::assess::results::MaturityResult;
use crate::identity::{self, Analysis, Metrics};
use crate::risk::generate::Input;
use crate::risk::{Risk, register, rules};
use crate::store::query::{ListedFinding, ScanRow};
use crate::store::zones::Zone;
use crate::store::{Engagement, Meta, Result, StoreError};

#[derive(Debug, Clone)]
pub struct ReportData {
    pub meta: Meta,
    /// The report's date (YYYY-MM-DD): today, or pinned for reproducible output.
    pub as_of: String,
    /// The scan the findings come from (latest completed), if any.
    pub scan: Option<ScanRow>,
    pub findings: Vec<ListedFinding>,
    pub analysis: Option<Analysis>,
    /// The scan before it: (scan, its metrics, its finding count).
    pub previous: Option<(ScanRow, Metrics, usize)>,
    pub zones: Vec<Zone>,
    pub risks: Vec<Risk>,
    pub maturity: Option<MaturityResult>,
    /// An earlier assessment to compare with (trend, radar's third series).
    pub previous_maturity: Option<MaturityResult>,
}

impl ReportData {
    /// Regenerates the register from the latest scan and `maturity` (stored, edits
    /// kept), then gathers what the outputs need. `today`: YYYY-MM-DD.
    pub fn gather(
        eng: &mut Engagement,
        maturity: Option<MaturityResult>,
        previous_maturity: Option<MaturityResult>,
        today: &str,
    ) -> Result<ReportData> {
        crate::store::risks::check_date(today)?;
        let scans = eng.scans()?;
        let latest = eng.latest_scan()?;
        let scan = latest.and_then(|id| scans.iter().find(|s| s.id == id).cloned());
        let zones_map = eng.zone_map()?;
        let stored = match latest {
            Some(id) => eng.findings_of_scan(id)?,
            None => Vec::new(),
        };
        let plain: Vec<crate::Finding> = stored.iter().map(|s| s.finding.clone()).collect();
        let analysis = latest.map(|_| identity::build(&plain, &zones_map).analysis);
        drop(plain);
        let rules = rules::builtin().map_err(|e| StoreError::Invalid(e.to_string()))?;
        let empty = Analysis {
            metrics: Metrics::default(),
            credentials: Vec::new(),
            cross_boundary: Vec::new(),
        };
        let risks = register::refresh(
            eng,
            &rules,
            &Input {
                findings: &stored,
                zones: &zones_map,
                analysis: analysis.as_ref().unwrap_or(&empty),
                maturity: maturity.as_ref(),
            },
            // Only a completed scan's findings can show that evidence is gone.
            scan.as_ref().is_some_and(|s| s.status == "completed"),
            today,
        )?;
        let findings: Vec<ListedFinding> = stored
            .into_iter()
            .map(|s| {
                let (exposure_zone, target_zone) = identity::zones_of(&s.finding, &zones_map);
                ListedFinding {
                    stored: s,
                    exposure_zone,
                    target_zone,
                }
            })
            .collect();
        let previous = match latest {
            Some(id) => {
                let earlier = scans
                    .iter()
                    .filter(|s| s.id < id && s.status == "completed")
                    .max_by_key(|s| s.id)
                    .cloned();
                match earlier {
                    Some(s) => {
                        let g = identity::of_engagement(eng, Some(s.id))?;
                        let n = eng.findings_of_scan(s.id)?.len();
                        Some((s, g.analysis.metrics, n))
                    }
                    None => None,
                }
            }
            None => None,
        };
        Ok(ReportData {
            meta: eng.meta()?,
            as_of: today.to_string(),
            scan,
            findings,
            analysis,
            previous,
            zones: eng.zones()?,
            risks,
            maturity,
            previous_maturity,
        })
    }

    /// Live risks (open or in progress) in priority order.
    pub fn live_risks(&self) -> impl Iterator<Item = &Risk> {
        self.risks.iter().filter(|r| r.status.is_live())
    }

    /// The report's marking, or the default one.
    pub fn marking(&self) -> String {
        self.meta
            .marking
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "CONFIDENTIAL".into())
    }

    /// What is missing, in words (printed instead of empty charts).
    pub fn missing(&self) -> Vec<String> {
        let mut m = Vec::new();
        if self.scan.is_none() {
            m.push("No scan has been run in this engagement: there are no findings, identity paths or finding-based risks yet.".into());
        }
        if self
            .maturity
            .as_ref()
            .is_none_or(|r| r.practices.iter().all(|p| p.answer.is_none()))
        {
            m.push("No maturity assessment has been answered: maturity levels, gaps and answer-based risks are not included.".into());
        }
        m
    }
}

/// Today's date, or the one pinned by `SOURCE_DATE_EPOCH` (reproducible builds' way
/// of fixing a date), as YYYY-MM-DD.
pub fn today() -> String {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        && let Some(d) = chrono::DateTime::from_timestamp(secs, 0)
    {
        return d.date_naive().to_string();
    }
    chrono::Utc::now().date_naive().to_string()
}
