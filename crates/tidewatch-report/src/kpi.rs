//! The district figures the supervisor reports upward: zero-incident islands, year-on-year
//! change by type, the four joint lines of work, and the patrol plan executed.

use chrono::{Datelike, TimeZone};
use serde::{Deserialize, Serialize};

use crate::plan_exec::{plan_execution, PlanExecution};
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::{JointWorkTotals, JournalStore, ReadModels, Scope};

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct TypeChange {
    pub incident_type: String,
    pub this_period: u64,
    pub a_year_before: u64,
    /// (this − before) / before; `None` when there was none before.
    pub change: Option<f64>,
}

/// A group of incident types (traffic, ordinary-procedure accidents) against a year before.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct GroupChange {
    pub this_period: u64,
    pub a_year_before: u64,
    /// (this − before) / before; `None` when there was none before.
    pub change: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct Kpis {
    pub from: String,
    pub to: String,
    pub synthetic: bool,
    pub incidents: u64,
    pub inhabited_islands: usize,
    pub islands_with_zero_incidents: Vec<String>,
    pub zero_incident_share: f64,
    /// The islands the crime-free share counts (the pack's `[kpi] islands`).
    pub kpi_islands: usize,
    /// Those of them with no incident of a `[kpi] crime_types` type in the period.
    pub crime_free_islands: Vec<String>,
    pub crime_free_share: f64,
    /// The pack's `[kpi] traffic_types` together.
    pub traffic: GroupChange,
    /// The pack's `[kpi] ordinary_traffic_accident_types` together.
    pub ordinary_traffic_accidents: GroupChange,
    pub by_type: Vec<TypeChange>,
    pub total_change: Option<f64>,
    pub joint_work: JointWorkTotals,
    pub overrides: u64,
    /// Checkpoint and raid operations of published patrol plans held / planned (issue
    /// #18); none when no plan had an operation in the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub plan_executed: Option<PlanExecution>,
}

fn year_before(region: &Region, t: i64) -> i64 {
    let tz = region.meta.time_zone;
    let fallback = t.saturating_sub(365 * 86_400);
    let Some(local) = chrono::DateTime::from_timestamp(t, 0).map(|u| u.with_timezone(&tz).naive_local()) else { return fallback };
    let earlier = local.with_year(local.year() - 1).unwrap_or(local - chrono::Duration::days(365));
    tidewatch_core::time::local_to_utc(tz, earlier).map(|d| d.timestamp()).unwrap_or(fallback)
}

fn change(now: u64, before: u64) -> Option<f64> {
    (before > 0).then(|| (now as f64 - before as f64) / before as f64)
}

pub fn kpis(journal: &(impl ReadModels + JournalStore), region: &Region, from: i64, to: i64) -> Result<Kpis, Error> {
    kpis_in(journal, region, &Scope::period(from, to))
}

/// The KPIs of the incidents in `scope`. An island filter narrows the zero-incident share
/// to that island and the joint work to what was recorded there; a type filter narrows the
/// incident figures only (joint work has no incident type).
/// The pack's KPI islands in the scope's island filter with no crime reported on them.
fn crime_free(journal: &impl ReadModels, region: &Region, scope: &Scope) -> Result<(usize, Vec<String>), Error> {
    let def = &region.meta.kpi;
    let per = journal.incidents_per_island_type_in(scope)?;
    let counted: Vec<&tidewatch_core::region::Island> = region
        .islands
        .iter()
        .filter(|i| def.islands.counts(i))
        .filter(|i| scope.island.as_deref().is_none_or(|only| i.id.as_str() == only))
        .collect();
    let free = counted
        .iter()
        .filter(|i| !per.iter().any(|(id, t, n)| id.as_deref() == Some(i.id.as_str()) && *n > 0 && def.crime_types.contains(t)))
        .map(|i| i.id.0.clone())
        .collect();
    Ok((counted.len(), free))
}

fn group_change(now: &[(String, u64)], before: &[(String, u64)], types: &[String]) -> GroupChange {
    let sum = |v: &[(String, u64)]| v.iter().filter(|(t, _)| types.contains(t)).map(|(_, n)| n).sum::<u64>();
    let (this_period, a_year_before) = (sum(now), sum(before));
    GroupChange { this_period, a_year_before, change: change(this_period, a_year_before) }
}

pub fn kpis_in(journal: &(impl ReadModels + JournalStore), region: &Region, scope: &Scope) -> Result<Kpis, Error> {
    let per_island = journal.incidents_per_island_in(scope)?;
    let (kpi_islands, crime_free_islands) = crime_free(journal, region, scope)?;
    let inhabited: Vec<&tidewatch_core::region::Island> = region
        .islands
        .iter()
        .filter(|i| i.inhabited && i.in_district)
        .filter(|i| scope.island.as_deref().is_none_or(|only| i.id.as_str() == only))
        .collect();
    let zero: Vec<String> = inhabited
        .iter()
        .filter(|i| !per_island.iter().any(|(id, n)| id.as_deref() == Some(i.id.as_str()) && *n > 0))
        .map(|i| i.id.0.clone())
        .collect();
    let now = journal.incidents_per_type_in(scope)?;
    let before = journal.incidents_per_type_in(&scope.with_period(year_before(region, scope.from), year_before(region, scope.to)))?;
    let mut types: Vec<String> = now.iter().chain(before.iter()).map(|(t, _)| t.clone()).collect();
    types.sort();
    types.dedup();
    let count = |v: &[(String, u64)], t: &str| v.iter().find(|(x, _)| x == t).map(|(_, n)| *n).unwrap_or(0);
    let by_type: Vec<TypeChange> = types
        .iter()
        .map(|t| TypeChange {
            incident_type: t.clone(),
            this_period: count(&now, t),
            a_year_before: count(&before, t),
            change: change(count(&now, t), count(&before, t)),
        })
        .collect();
    let total: u64 = now.iter().map(|(_, n)| n).sum();
    let total_before: u64 = before.iter().map(|(_, n)| n).sum();
    let tz = region.meta.time_zone;
    let fmt = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.to_rfc3339()).unwrap_or_default();
    Ok(Kpis {
        from: fmt(scope.from),
        to: fmt(scope.to),
        synthetic: journal.has_synthetic_data()?,
        incidents: total,
        inhabited_islands: inhabited.len(),
        zero_incident_share: if inhabited.is_empty() { 0.0 } else { zero.len() as f64 / inhabited.len() as f64 },
        islands_with_zero_incidents: zero,
        kpi_islands,
        crime_free_share: if kpi_islands == 0 { 0.0 } else { crime_free_islands.len() as f64 / kpi_islands as f64 },
        crime_free_islands,
        traffic: group_change(&now, &before, &region.meta.kpi.traffic_types),
        ordinary_traffic_accidents: group_change(&now, &before, &region.meta.kpi.ordinary_traffic_accident_types),
        by_type,
        total_change: change(total, total_before),
        joint_work: journal.joint_work_totals_on(scope.from, scope.to, scope.island.as_deref())?,
        overrides: journal.override_count_in(scope)?,
        plan_executed: plan_execution(journal, scope)?,
    })
}
