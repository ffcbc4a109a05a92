//! Tidal duty (潮汐勤务): hourly demand per island and skill, and the shift roster that
//! follows it — staggered on ordinary days, stacked at peaks (错时互补、高峰叠加).
//!
//! - [`demand`]: call history → hourly demand (Erlang C) plus minimum-presence floors.
//! - [`model`]: officers, shift templates, labour rules, the period; the [`Roster`] file.
//! - [`solve`]: one MIP per island (officers stay home), then a peak step that lends
//!   officers' free days to islands whose peaks are still short.
//! - [`check`]: re-verifies every hard rule of a roster without the solver's code.
//! - [`report`], [`export`]: coverage figures; XLSX and iCalendar.
//! - [`benchmark`]: the Curtois–Qu shift scheduling benchmark, solved with the same MIP
//!   machinery ([`mip`]); at scale by [`lns`] from a [`construct`]ed start; [`generate`]
//!   makes instances of any size.
//!
//! `docs/roster.md` explains the model and its choices.

pub mod benchmark;
pub mod check;
pub mod construct;
pub mod demand;
pub mod duty;
pub mod export;
pub mod generate;
pub mod job;
pub mod journal;
pub mod lns;
pub mod mip;
pub mod model;
pub mod report;
pub mod solve;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub use check::{check, Violation};
pub use demand::{CallRecord, DemandNotes, DemandParams};
pub use duty::UnitDuty;
pub use model::{LabourRules, Period, Roster, RosterOfficer, ShiftTemplate, Weights};
pub use report::{report, Report};
pub use solve::{plan, PlanInput, PlanOptions, PlanProgress};

use tidewatch_core::region::Region;
use tidewatch_core::Error;

/// A leader's settings for a plan (`--config roster.toml`); every field has a default.
///
/// ```toml
/// [rules]
/// max_hours_per_week = 56
/// [demand]
/// target_wait_probability = 0.1
/// [[demand.seasons]]
/// name = "summer"
/// from = "2026-07-01"
/// to = "2026-08-31"
/// factor = 1.3
/// [[templates]]
/// id = "D08"
/// start_hour = 8
/// hours = 8
/// [officers.off_097]
/// days_off = ["2026-10-03"]
/// requests = [{ date = "2026-10-05", kind = "off", weight = 2 }]
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanConfig {
    pub rules: LabourRules,
    pub demand: DemandParams,
    pub weights: Weights,
    /// Shift templates; empty: [`ShiftTemplate::defaults`].
    pub templates: Vec<ShiftTemplate>,
    /// Per-officer contract hours, days off, requests, absence; by officer id.
    pub officers: BTreeMap<String, model::OfficerSettings>,
    /// Leave out the step that lends officers to other islands' peaks.
    pub no_peak_step: bool,
}

impl PlanConfig {
    pub fn read(path: &std::path::Path) -> Result<PlanConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::invalid(path.display().to_string(), format!("cannot read: {e}")))?;
        let config: PlanConfig = toml::from_str(&text).map_err(|e| Error::invalid(path.display().to_string(), e.to_string()))?;
        if config.demand.history_weeks > MAX_HISTORY_WEEKS {
            let message = format!("demand.history_weeks {} is over {MAX_HISTORY_WEEKS} (ten years)", config.demand.history_weeks);
            return Err(Error::invalid(path.display().to_string(), message));
        }
        Ok(config)
    }
}

/// The longest history a plan learns from, in weeks (ten years).
pub const MAX_HISTORY_WEEKS: u32 = 522;

/// The window of history a plan learns from: the `history_weeks` before `from` (from the
/// first date there is when that reaches further back).
pub fn history_window(from: NaiveDate, params: &DemandParams) -> (NaiveDate, NaiveDate) {
    let weeks = Duration::weeks(i64::from(params.history_weeks.max(1)));
    (from.checked_sub_signed(weeks).unwrap_or(NaiveDate::MIN), from)
}

/// Officers of the region as the roster sees them, with the leader's settings applied.
pub fn officers(region: &Region, config: &PlanConfig) -> Result<Vec<RosterOfficer>, Error> {
    for id in config.officers.keys() {
        if !region.officers.iter().any(|o| o.id.as_str() == id) {
            return Err(Error::unknown("officer", id.clone()));
        }
    }
    Ok(region
        .officers
        .iter()
        .filter_map(|o| {
            let s = config.officers.get(o.id.as_str()).cloned().unwrap_or_default();
            (!s.absent).then(|| RosterOfficer {
                id: o.id.clone(),
                name: o.name.clone(),
                skills: o.skills.into(),
                home_island: o.home_island.clone(),
                unit: o.unit.clone(),
                contract_hours_per_week: s.contract_hours_per_week.unwrap_or(config.rules.contract_hours_per_week),
                days_off: s.days_off,
                requests: s.requests,
            })
        })
        .collect())
}

/// Everything the solver needs for a period: officers, templates, rules, and the demand
/// learned from `calls` (taken from [`history_window`]).
pub fn prepare(region: &Region, calls: &[CallRecord], period: Period, config: &PlanConfig) -> Result<(PlanInput, DemandNotes), Error> {
    let officers = officers(region, config)?;
    let window = history_window(period.from, &config.demand);
    let (days, mut demand, notes) = demand::build(region, &officers, calls, window, &period, &config.demand)?;
    let templates = if config.templates.is_empty() {
        ShiftTemplate::defaults().into_iter().filter(|t| t.hours <= config.rules.max_hours_per_day).collect()
    } else {
        config.templates.clone()
    };
    // The small hours of the first day, before any shift of this roster can start, are
    // the previous roster's night shift: nothing here can cover them, so they need nothing
    // (the demand curve still shows their calls).
    let first_start = templates.iter().map(|t| t.start_hour as usize).min().unwrap_or(0);
    for d in &mut demand {
        for h in d.hours.iter_mut().take(first_start) {
            h.need = model::HourNeed::default();
        }
    }
    Ok((
        PlanInput {
            region: region.meta.id.clone(),
            time_zone: region.meta.time_zone,
            period,
            days,
            officers,
            templates,
            rules: config.rules.clone(),
            demand,
        },
        notes,
    ))
}
