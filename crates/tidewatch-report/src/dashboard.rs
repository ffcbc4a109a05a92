//! The supervisor's dashboard: every figure the screen draws, computed here from one read
//! of the journal so that the charts only lay numbers out.

use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use super::kpi::{kpis_in, Kpis};
use super::response::{group_incidents, segments, GroupBy, GroupRow};
use super::stats::percentile;
use tidewatch_core::dispatch::IncidentState;
use tidewatch_core::region::{Region, Target};
use tidewatch_core::Error;
use tidewatch_journal::{DispatchOverride, IncidentRow, IncidentSpan, ReadModels, Scope};

/// Received → on scene, in bins of `bin_s`; responses of `bins.len() * bin_s` or more are
/// counted in `over`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Histogram {
    pub bin_s: u32,
    pub bins: Vec<u64>,
    pub over: u64,
    pub p50_s: Option<u32>,
    pub p90_s: Option<u32>,
}

/// One cell of the weekday × hour grid (local time of the call).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct HeatCell {
    /// 0 = Monday.
    pub weekday: u8,
    pub hour: u8,
    pub incidents: u64,
    pub p90_s: Option<u32>,
}

/// A dispatch that overrode the recommendation, with its local time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct OverrideView {
    #[serde(flatten)]
    pub dispatch: DispatchOverride,
    /// "YYYY-MM-DD HH:MM" in the region's zone.
    pub at_local: String,
}

/// A name the screen shows for an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Label {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Labels {
    /// The district's islands, for the filter and the by-island chart.
    pub islands: Vec<Label>,
    pub incident_types: Vec<Label>,
    /// Unit id → call sign.
    pub units: Vec<Label>,
}

/// What the dashboard covers, as the filters show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ScopeView {
    /// First day, local, YYYY-MM-DD.
    pub from: String,
    /// Last day (inclusive), local, YYYY-MM-DD.
    pub to: String,
    pub island: Option<String>,
    pub incident_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct Dashboard {
    pub scope: ScopeView,
    pub time_zone: String,
    /// The journal holds synthetic (demo) history: the screen must say so.
    pub synthetic: bool,
    /// Incidents in the whole journal and when they span (empty journal: nothing to show).
    pub journal: IncidentSpan,
    /// First and last day with an incident, local YYYY-MM-DD.
    pub journal_days: Option<(String, String)>,
    pub total: GroupRow,
    pub histogram: Histogram,
    pub by_island: Vec<GroupRow>,
    pub by_route_mode: Vec<GroupRow>,
    pub by_month: Vec<GroupRow>,
    /// Keyed (priority "P1".., route mode): the share within target per cell.
    pub by_priority_mode: Vec<GroupRow>,
    pub heatmap: Vec<HeatCell>,
    pub targets: Vec<Target>,
    pub kpis: Kpis,
    pub overrides: Vec<OverrideView>,
    pub labels: Labels,
}

/// Bin widths a person reads easily, in seconds.
const NICE_BINS: [u32; 9] = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
/// About this many bars: enough for the shape, few enough to read.
const TARGET_BINS: u32 = 30;

/// Bins wide enough that the 98th percentile falls inside about 30 of them; the long tail
/// beyond is one "over" count rather than a flat run of empty bars.
pub fn histogram(sorted: &[u32]) -> Histogram {
    if sorted.is_empty() {
        return Histogram { bin_s: 60, bins: Vec::new(), over: 0, p50_s: None, p90_s: None };
    }
    let reach = percentile(sorted, 98.0).max(1);
    let bin_s = NICE_BINS.iter().copied().find(|b| reach.div_ceil(*b) <= TARGET_BINS).unwrap_or(7200);
    let n = reach.div_ceil(bin_s).max(1) as usize;
    let mut bins = vec![0u64; n];
    let mut over = 0;
    for &v in sorted {
        match bins.get_mut((v / bin_s) as usize) {
            Some(b) => *b += 1,
            None => over += 1,
        }
    }
    Histogram { bin_s, bins, over, p50_s: Some(percentile(sorted, 50.0)), p90_s: Some(percentile(sorted, 90.0)) }
}

fn heatmap(region: &Region, rows: &[&IncidentRow]) -> Vec<HeatCell> {
    let tz = region.meta.time_zone;
    let mut cells: Vec<Vec<u32>> = vec![Vec::new(); 7 * 24];
    let mut counts = [0u64; 7 * 24];
    for r in rows.iter().filter(|r| r.state != IncidentState::Cancelled) {
        let Some(t) = tz.timestamp_opt(r.received_utc, 0).single() else { continue };
        let i = t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize;
        counts[i] += 1;
        if let Some(response) = segments(r)[6] {
            cells[i].push(response);
        }
    }
    cells
        .iter_mut()
        .enumerate()
        .map(|(i, v)| {
            v.sort_unstable();
            HeatCell {
                weekday: (i / 24) as u8,
                hour: (i % 24) as u8,
                incidents: counts[i],
                p90_s: (!v.is_empty()).then(|| percentile(v, 90.0)),
            }
        })
        .collect()
}

fn labels(region: &Region) -> Labels {
    Labels {
        islands: region
            .islands
            .iter()
            .filter(|i| i.in_district)
            .map(|i| Label { id: i.id.0.clone(), name_zh: i.name_zh.clone(), name_en: i.name_en.clone() })
            .collect(),
        incident_types: region
            .incident_types
            .iter()
            .map(|t| Label { id: t.id.0.clone(), name_zh: t.name_zh.clone(), name_en: t.name_en.clone() })
            .collect(),
        units: region
            .units
            .iter()
            .map(|u| Label { id: u.id.0.clone(), name_zh: u.call_sign.clone(), name_en: u.call_sign.clone() })
            .collect(),
    }
}

fn local_date(region: &Region, t: i64) -> Option<NaiveDate> {
    region.meta.time_zone.timestamp_opt(t, 0).single().map(|d| d.date_naive())
}

/// The dashboard for local days `first..=last`, optionally one island and one type.
pub fn dashboard(
    journal: &(impl ReadModels + tidewatch_journal::JournalStore),
    region: &Region,
    first: NaiveDate,
    last: NaiveDate,
    island: Option<String>,
    incident_type: Option<String>,
) -> Result<Dashboard, Error> {
    let scope = Scope::local_days(region, first, last).on_island(island).of_type(incident_type);
    let read = journal.incidents_received(scope.from, scope.to)?;
    let rows: Vec<&IncidentRow> = read.iter().filter(|r| scope.admits(r)).collect();
    let group = |by: &[GroupBy]| group_incidents(region, rows.iter().copied(), by);
    let (total, by_island) = group(&[GroupBy::Island]);
    let by_route_mode = group(&[GroupBy::RouteMode]).1;
    let by_month = group(&[GroupBy::Month]).1;
    let by_priority_mode = group(&[GroupBy::Priority, GroupBy::RouteMode]).1;
    let mut responses: Vec<u32> = rows.iter().filter(|r| r.state != IncidentState::Cancelled).filter_map(|r| segments(r)[6]).collect();
    responses.sort_unstable();
    let tz = region.meta.time_zone;
    let overrides = journal
        .dispatch_overrides(&scope)?
        .into_iter()
        .map(|d| OverrideView {
            at_local: tz.timestamp_opt(d.at_utc, 0).single().map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
            dispatch: d,
        })
        .collect();
    let span = journal.incident_span()?;
    let day = |t: Option<i64>| t.and_then(|t| local_date(region, t)).map(|d| d.format("%Y-%m-%d").to_string());
    Ok(Dashboard {
        scope: ScopeView {
            from: first.format("%Y-%m-%d").to_string(),
            to: last.format("%Y-%m-%d").to_string(),
            island: scope.island.clone(),
            incident_type: scope.incident_type.clone(),
        },
        time_zone: tz.name().to_string(),
        synthetic: journal.has_synthetic_data()?,
        journal_days: day(span.first_utc).zip(day(span.last_utc)),
        journal: span,
        total,
        histogram: histogram(&responses),
        by_island,
        by_route_mode,
        by_month,
        by_priority_mode,
        heatmap: heatmap(region, &rows),
        targets: region.meta.targets.clone(),
        kpis: kpis_in(journal, region, &scope)?,
        overrides,
        labels: labels(region),
    })
}

/// The period the dashboard opens on: the last year of recorded incidents (up to the last
/// day with one), or the last 30 days up to `today` when the journal has none.
pub fn default_period(journal: &impl ReadModels, region: &Region, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Error> {
    let span = journal.incident_span()?;
    let last = span.last_utc.and_then(|t| local_date(region, t)).unwrap_or(today);
    let first_recorded = span.first_utc.and_then(|t| local_date(region, t)).unwrap_or(last);
    let a_year = last.with_year(last.year() - 1).and_then(|d| d.succ_opt()).unwrap_or(last - chrono::Duration::days(364));
    let first = if span.incidents == 0 { last - chrono::Duration::days(29) } else { first_recorded.max(a_year) };
    Ok((first, last))
}
