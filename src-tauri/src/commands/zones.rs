//! Sources screen, second half: zones, their criticality and the rules that place
//! paths, hostnames and addresses in them. A change re-places every finding, so the
//! findings cache is dropped.

use crate::error::CmdResult;
use crate::state::AppState;
use crate::validate;
use credence::store::zones::{KINDS, RULE_KINDS, Zone, ZoneRule};
use serde::{Deserialize, Serialize};
use tauri::State;

#[derive(Debug, Serialize)]
pub struct ZoneInfo {
    #[serde(flatten)]
    pub zone: Zone,
    pub criticality: u8,
}

#[derive(Debug, Serialize)]
pub struct ZonesView {
    pub zones: Vec<ZoneInfo>,
    pub rules: Vec<ZoneRule>,
    pub kinds: &'static [&'static str],
    pub rule_kinds: &'static [&'static str],
}

fn view(state: &AppState) -> CmdResult<ZonesView> {
    state.with_session(|s| {
        Ok(ZonesView {
            zones: s
                .eng
                .zones()?
                .into_iter()
                .map(|z| ZoneInfo {
                    criticality: z.criticality(),
                    zone: z,
                })
                .collect(),
            rules: s.eng.zone_rules()?,
            kinds: KINDS,
            rule_kinds: RULE_KINDS,
        })
    })
}

#[tauri::command]
pub fn list_zones(state: State<'_, AppState>) -> CmdResult<ZonesView> {
    view(&state)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewZone {
    pub name: String,
    pub kind: String,
    pub safety: u8,
    pub availability: u8,
    pub regulatory: u8,
    #[serde(default)]
    pub description: Option<String>,
}

#[tauri::command]
pub fn add_zone(state: State<'_, AppState>, zone: NewZone) -> CmdResult<ZonesView> {
    let z = Zone {
        name: validate::line("zone name", &zone.name, 40)?,
        kind: validate::one_of("zone kind", &zone.kind, KINDS)?.to_string(),
        safety: zone.safety,
        availability: zone.availability,
        regulatory: zone.regulatory,
        description: validate::optional_line("description", zone.description.as_deref(), 300)?,
    };
    state.with_session(|s| {
        s.eng.add_zone(&z)?;
        s.cache = None;
        Ok(())
    })?;
    view(&state)
}

#[tauri::command]
pub fn add_zone_rule(
    state: State<'_, AppState>,
    zone: String,
    kind: String,
    pattern: String,
    priority: i64,
) -> CmdResult<ZonesView> {
    let zone = validate::line("zone", &zone, 40)?;
    let kind = validate::one_of("rule kind", &kind, RULE_KINDS)?;
    let pattern = validate::line("pattern", &pattern, 300)?;
    if !(0..=10_000).contains(&priority) {
        return Err(crate::error::CommandError::invalid(
            "priority must be between 0 and 10000",
        ));
    }
    state.with_session(|s| {
        s.eng.add_zone_rule(&zone, kind, &pattern, priority)?;
        s.cache = None;
        Ok(())
    })?;
    view(&state)
}

#[tauri::command]
pub fn remove_zone_rule(state: State<'_, AppState>, id: i64) -> CmdResult<ZonesView> {
    state.with_session(|s| {
        s.eng.remove_zone_rule(id)?;
        s.cache = None;
        Ok(())
    })?;
    view(&state)
}

#[tauri::command]
pub fn set_zone_criticality(
    state: State<'_, AppState>,
    zone: String,
    safety: u8,
    availability: u8,
    regulatory: u8,
) -> CmdResult<ZonesView> {
    let zone = validate::line("zone", &zone, 40)?;
    state.with_session(|s| {
        s.eng
            .set_criticality(&zone, safety, availability, regulatory)?;
        s.cache = None;
        Ok(())
    })?;
    view(&state)
}
