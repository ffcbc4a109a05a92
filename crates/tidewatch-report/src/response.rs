//! Response-time segments per incident, grouped by what the supervisor asks.

use std::collections::BTreeMap;

use chrono::{Datelike, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use super::stats::Stats;
use tidewatch_core::dispatch::IncidentState;
use tidewatch_core::region::{Region, RouteMode};
use tidewatch_core::Error;
use tidewatch_journal::{ChainHead, IncidentRow, JournalStore, ReadModels, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Island,
    Type,
    Priority,
    Unit,
    Hour,
    Weekday,
    Month,
    RouteMode,
}

impl GroupBy {
    pub const ALL: [(&'static str, GroupBy); 8] = [
        ("island", GroupBy::Island),
        ("type", GroupBy::Type),
        ("priority", GroupBy::Priority),
        ("unit", GroupBy::Unit),
        ("hour", GroupBy::Hour),
        ("weekday", GroupBy::Weekday),
        ("month", GroupBy::Month),
        ("route_mode", GroupBy::RouteMode),
    ];

    pub fn parse(s: &str) -> Option<GroupBy> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, g)| *g)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, g)| *g == self).map(|(n, _)| *n).unwrap_or("?")
    }
}

/// The segments of a response (see PRODUCT.md): from one event to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// received → dispatched
    Processing,
    /// dispatched → en route
    Turnout,
    /// en route → on scene
    Travel,
    /// travel less ferry wait and crossing
    Drive,
    FerryWait,
    Crossing,
    /// received → on scene
    Response,
    /// on scene → cleared
    OnScene,
}

impl Segment {
    pub const ALL: [Segment; 8] = [
        Segment::Processing,
        Segment::Turnout,
        Segment::Travel,
        Segment::Drive,
        Segment::FerryWait,
        Segment::Crossing,
        Segment::Response,
        Segment::OnScene,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Segment::Processing => "processing",
            Segment::Turnout => "turnout",
            Segment::Travel => "travel",
            Segment::Drive => "drive",
            Segment::FerryWait => "ferry_wait",
            Segment::Crossing => "crossing",
            Segment::Response => "response",
            Segment::OnScene => "on_scene",
        }
    }
}

fn diff(a: Option<i64>, b: Option<i64>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) if b >= a => Some((b - a) as u32),
        _ => None,
    }
}

/// One incident's segments, in seconds (absent when the incident never got there).
pub fn segments(r: &IncidentRow) -> [Option<u32>; 8] {
    let travel = diff(r.en_route_utc, r.on_scene_utc);
    // The trip's ferry parts come from the plan it was sent on; the rest of the actual
    // travel time is driving.
    let wait = travel.map(|_| r.ferry_wait_s.unwrap_or(0));
    let crossing = travel.map(|_| r.crossing_s.unwrap_or(0));
    let drive = travel.map(|t| t.saturating_sub(wait.unwrap_or(0) + crossing.unwrap_or(0)));
    let cleared = if r.state == IncidentState::Cleared { r.closed_utc } else { None };
    [
        diff(Some(r.received_utc), r.dispatched_utc),
        diff(r.dispatched_utc, r.en_route_utc),
        travel,
        drive,
        wait,
        crossing,
        diff(Some(r.received_utc), r.on_scene_utc),
        diff(r.on_scene_utc, cleared),
    ]
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct GroupRow {
    /// The group's values, in the order of `by`.
    pub key: Vec<String>,
    pub incidents: usize,
    pub segments: BTreeMap<String, Stats>,
    /// Share of incidents that reached the scene within the target for their priority
    /// and route mode.
    pub within_target: Option<f64>,
    /// Dispatched to another unit than the recommended one.
    pub overrides: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseReport {
    pub from: String,
    pub to: String,
    pub by: Vec<&'static str>,
    pub time_zone: String,
    /// The journal holds synthetic (demo) history.
    pub synthetic: bool,
    pub total: GroupRow,
    pub groups: Vec<GroupRow>,
    /// The journal's newest event when the report was made: a printed report anchors the
    /// hash chain (an audit against it shows whether the journal was rewritten since).
    pub journal_head: Option<ChainHead>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn key_of(region: &Region, r: &IncidentRow, by: GroupBy) -> String {
    let local = region.meta.time_zone.timestamp_opt(r.received_utc, 0).single();
    match by {
        GroupBy::Island => r.island.clone().unwrap_or_else(|| "at_sea".into()),
        GroupBy::Type => r.incident_type.clone(),
        GroupBy::Priority => format!("P{}", r.priority),
        GroupBy::Unit => r.unit_id.clone().unwrap_or_else(|| "-".into()),
        GroupBy::Hour => local.map(|t| format!("{:02}", t.hour())).unwrap_or_default(),
        GroupBy::Weekday => local.map(|t| WEEKDAYS[t.weekday().num_days_from_monday() as usize].to_string()).unwrap_or_default(),
        GroupBy::Month => local.map(|t| format!("{}-{:02}", t.year(), t.month())).unwrap_or_default(),
        GroupBy::RouteMode => r.route_mode.clone().unwrap_or_else(|| "-".into()),
    }
}

fn mode_of(r: &IncidentRow) -> RouteMode {
    match r.route_mode.as_deref() {
        Some("ferry") => RouteMode::Ferry,
        Some("bridge") => RouteMode::Bridge,
        _ => RouteMode::Road,
    }
}

#[derive(Default)]
struct Acc {
    incidents: usize,
    values: [Vec<u32>; 8],
    judged: usize,
    within: usize,
    overrides: usize,
}

impl Acc {
    fn add(&mut self, region: &Region, r: &IncidentRow) {
        self.incidents += 1;
        let seg = segments(r);
        for (i, v) in seg.iter().enumerate() {
            if let Some(v) = v {
                self.values[i].push(*v);
            }
        }
        if let (Some(response), Some(target)) = (seg[6], region.target(r.priority)) {
            self.judged += 1;
            if response <= target.for_mode(mode_of(r)).0 {
                self.within += 1;
            }
        }
        if r.override_reason.is_some() {
            self.overrides += 1;
        }
    }

    fn finish(mut self, key: Vec<String>) -> GroupRow {
        let mut segments = BTreeMap::new();
        for (i, s) in Segment::ALL.iter().enumerate() {
            if let Some(stats) = Stats::of(&mut self.values[i]) {
                segments.insert(s.name().to_string(), stats);
            }
        }
        GroupRow {
            key,
            incidents: self.incidents,
            segments,
            within_target: (self.judged > 0).then(|| self.within as f64 / self.judged as f64),
            overrides: self.overrides,
        }
    }
}

/// Segments of incidents received in `[from, to)` (UTC unix seconds), grouped by `by`.
pub fn response_report(
    journal: &(impl ReadModels + JournalStore),
    region: &Region,
    from: i64,
    to: i64,
    by: &[GroupBy],
) -> Result<ResponseReport, Error> {
    response_report_in(journal, region, &Scope::period(from, to), by)
}

/// Segments of the incidents in `scope` (period, island, type), grouped by `by`.
pub fn response_report_in(
    journal: &(impl ReadModels + JournalStore),
    region: &Region,
    scope: &Scope,
    by: &[GroupBy],
) -> Result<ResponseReport, Error> {
    let rows = journal.incidents_received(scope.from, scope.to)?;
    let (total, groups) = group_incidents(region, rows.iter().filter(|r| scope.admits(r)), by);
    let tz = region.meta.time_zone;
    let fmt = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.to_rfc3339()).unwrap_or_default();
    Ok(ResponseReport {
        from: fmt(scope.from),
        to: fmt(scope.to),
        by: by.iter().map(|b| b.name()).collect(),
        time_zone: tz.name().to_string(),
        synthetic: journal.has_synthetic_data()?,
        total,
        groups,
        journal_head: journal.head()?,
    })
}

/// The total and the groups by `by` of incidents already read (cancelled ones are left
/// out), so that one read of the journal can feed several groupings.
pub fn group_incidents<'a>(region: &Region, rows: impl IntoIterator<Item = &'a IncidentRow>, by: &[GroupBy]) -> (GroupRow, Vec<GroupRow>) {
    let mut total = Acc::default();
    let mut groups: BTreeMap<Vec<String>, Acc> = BTreeMap::new();
    for r in rows.into_iter().filter(|r| r.state != IncidentState::Cancelled) {
        total.add(region, r);
        if !by.is_empty() {
            let key: Vec<String> = by.iter().map(|&b| key_of(region, r, b)).collect();
            groups.entry(key).or_default().add(region, r);
        }
    }
    (total.finish(vec!["all".into()]), groups.into_iter().map(|(k, a)| a.finish(k)).collect())
}
