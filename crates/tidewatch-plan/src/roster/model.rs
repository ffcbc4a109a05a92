//! What a roster is made of: officers, shift templates, labour rules, the period, the
//! hourly demand it answers — and the published [`Roster`] file itself, which carries all
//! of them so that `roster check`, the report and the exports need nothing else.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::mip::MipStatus;
use tidewatch_core::ids::{IslandId, OfficerId, UnitId};
use tidewatch_core::region::{DayType, Skills};
use tidewatch_core::Error;

/// The longest period a roster covers.
pub const MAX_DAYS: u32 = 28;

/// What an officer can do (一警多能: `Both` does either, one at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SkillSet {
    Traffic,
    Station,
    Both,
}

impl SkillSet {
    pub fn traffic(self) -> bool {
        matches!(self, SkillSet::Traffic | SkillSet::Both)
    }
    pub fn station(self) -> bool {
        matches!(self, SkillSet::Station | SkillSet::Both)
    }
}

impl From<Skills> for SkillSet {
    fn from(s: Skills) -> Self {
        match s {
            Skills::Traffic => SkillSet::Traffic,
            Skills::Station => SkillSet::Station,
            Skills::Both => SkillSet::Both,
        }
    }
}

/// A shift pattern: starts on the hour, lasts whole hours; may run past midnight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ShiftTemplate {
    pub id: String,
    /// Local start hour, 0–23.
    pub start_hour: u32,
    /// Length in hours.
    pub hours: u32,
}

impl ShiftTemplate {
    pub fn new(id: &str, start_hour: u32, hours: u32) -> Self {
        ShiftTemplate { id: id.into(), start_hour, hours }
    }

    /// Hours after the start of the shift's day that it covers: `start..start+hours`.
    pub fn slots(&self) -> std::ops::Range<u32> {
        self.start_hour..self.start_hour + self.hours
    }

    /// A night shift works in the small hours (any hour from 00:00 to 05:00).
    pub fn is_night(&self) -> bool {
        self.slots().any(|h| h % 24 < 5)
    }

    /// The staggered default set, aligned with the default service hours (07:00–23:00):
    /// starts every two hours from 07:00 to 15:00 (so one early and one late shift cover
    /// the service day and the others stagger between them), a night shift, and two
    /// 12-hour shifts that stack at peaks.
    pub fn defaults() -> Vec<ShiftTemplate> {
        vec![
            ShiftTemplate::new("E07", 7, 8),
            ShiftTemplate::new("D09", 9, 8),
            ShiftTemplate::new("M11", 11, 8),
            ShiftTemplate::new("L15", 15, 8),
            ShiftTemplate::new("N23", 23, 8),
            ShiftTemplate::new("P07", 7, 12),
            ShiftTemplate::new("P11", 11, 12),
        ]
    }
}

/// Labour rules; all hard. Weeks are the 7-day blocks from the first day of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct LabourRules {
    pub max_hours_per_day: u32,
    pub max_hours_per_week: u32,
    /// Between the end of one shift and the start of the next.
    pub min_rest_hours: u32,
    pub max_consecutive_days: u32,
    /// Days without a shift start in each full week (a shorter last block: pro rata, rounded down).
    pub min_days_off_per_week: u32,
    /// Whole weekends (Saturday and Sunday) off per 4 weeks (pro rata, rounded down).
    pub min_weekends_off_per_4_weeks: u32,
    /// Contract hours per week for officers without their own figure; above it is overtime.
    pub contract_hours_per_week: u32,
}

impl Default for LabourRules {
    fn default() -> Self {
        LabourRules {
            max_hours_per_day: 12,
            max_hours_per_week: 60,
            min_rest_hours: 11,
            max_consecutive_days: 6,
            min_days_off_per_week: 1,
            min_weekends_off_per_4_weeks: 1,
            contract_hours_per_week: 40,
        }
    }
}

impl LabourRules {
    /// Days off required in a block of `len` days.
    pub fn days_off_in_block(&self, len: u32) -> u32 {
        self.min_days_off_per_week * len / 7
    }
    /// Weekends off required in a period with `weekends` whole weekends.
    pub fn weekends_off(&self, weekends: u32) -> u32 {
        self.min_weekends_off_per_4_weeks * weekends / 4
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Please give me a shift.
    On,
    /// Please no shift.
    Off,
}

/// A soft wish, honoured where coverage allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ShiftRequest {
    pub date: NaiveDate,
    pub kind: RequestKind,
    /// A template id, or any shift of the day.
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RosterOfficer {
    pub id: OfficerId,
    pub name: String,
    pub skills: SkillSet,
    pub home_island: IslandId,
    #[serde(default)]
    pub unit: Option<UnitId>,
    pub contract_hours_per_week: u32,
    /// Fixed days off (hard): no shift starts on them.
    #[serde(default)]
    pub days_off: Vec<NaiveDate>,
    #[serde(default)]
    pub requests: Vec<ShiftRequest>,
}

/// Per-officer settings a leader gives in the plan configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficerSettings {
    pub contract_hours_per_week: Option<u32>,
    pub days_off: Vec<NaiveDate>,
    pub requests: Vec<ShiftRequest>,
    /// Leave the officer out of this roster (leave, training, sick).
    pub absent: bool,
}

/// The days of a roster in the region's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Period {
    pub from: NaiveDate,
    pub days: u32,
}

impl Period {
    pub fn new(from: NaiveDate, days: u32) -> Result<Period, Error> {
        if days == 0 || days > MAX_DAYS {
            return Err(Error::invalid("days", format!("{days}: a roster covers 1 to {MAX_DAYS} days")));
        }
        Ok(Period { from, days })
    }

    pub fn date(&self, day: u32) -> NaiveDate {
        self.from + Duration::days(day as i64)
    }

    pub fn day_of(&self, date: NaiveDate) -> Option<u32> {
        let d = (date - self.from).num_days();
        (0..self.days as i64).contains(&d).then_some(d as u32)
    }

    pub fn hours(&self) -> u32 {
        self.days * 24
    }

    /// The 7-day blocks from the start: `(first day, length)`.
    pub fn weeks(&self) -> Vec<(u32, u32)> {
        (0..self.days.div_ceil(7)).map(|w| (w * 7, (self.days - w * 7).min(7))).collect()
    }

    /// Whole weekends in the period: `(Saturday, Sunday)` day indexes.
    pub fn weekends(&self) -> Vec<(u32, u32)> {
        (0..self.days.saturating_sub(1)).filter(|&d| self.date(d).weekday() == Weekday::Sat).map(|d| (d, d + 1)).collect()
    }

    /// Local wall-clock time of hour `slot` of the period (slot 0 = `from` 00:00).
    pub fn local(&self, slot: u32) -> NaiveDateTime {
        self.from.and_hms_opt(0, 0, 0).expect("midnight") + Duration::hours(slot as i64)
    }

    pub fn utc(&self, tz: Tz, slot: u32) -> DateTime<Utc> {
        to_utc(tz, self.local(slot))
    }
}

/// Local wall-clock → UTC (the earlier instant when ambiguous; a skipped time is the moment
/// of the jump): [`tidewatch_core::time::local_to_utc`].
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    // Beyond chrono's range only (a period's dates are parsed with four-digit years).
    tidewatch_core::time::local_to_utc(tz, local).unwrap_or_else(|| local.and_utc())
}

/// What one island needs in one hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct HourNeed {
    /// Traffic-capable officers needed (traffic or both).
    pub traffic: u32,
    /// Station-capable officers needed (station or both).
    pub station: u32,
    /// Officers needed in all (pooled demand; at least each skill's need).
    pub total: u32,
    /// Minimum presence: traffic-capable and station-capable officers (a `both`
    /// officer satisfies both floors).
    pub floor_traffic: u32,
    pub floor_station: u32,
}

/// Why an hour needs what it needs — the demand curve a leader reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct HourDemand {
    /// Expected calls per hour (after day-type, holiday and season scaling).
    pub calls_traffic: f64,
    pub calls_station: f64,
    /// Mean time per call, minutes.
    pub handling_traffic_min: f64,
    pub handling_station_min: f64,
    /// Erlang C: officers needed to keep P(wait) at or under the target.
    pub erlang_traffic: u32,
    pub erlang_station: u32,
    /// Erlang C on both loads pooled (a `both` officer answers either kind of call).
    pub erlang_total: u32,
    pub need: HourNeed,
}

/// The demand of one island over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct IslandDemand {
    pub island: IslandId,
    pub name: String,
    /// Inhabited outlying island (gets the minimum-presence floor).
    pub outlying: bool,
    /// Other islands whose calls are counted here (no officers of their own).
    #[serde(default)]
    pub covers: Vec<IslandId>,
    /// One per hour of the period.
    pub hours: Vec<HourDemand>,
}

/// One day of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DayInfo {
    pub date: NaiveDate,
    #[serde(with = "day_type_serde")]
    #[ts(type = "\"weekday\" | \"weekend\" | \"holiday\"")]
    pub day_type: DayType,
    /// Holiday, or a tourist season at or above the peak threshold.
    pub peak: bool,
    /// Season factor applied to the day's calls.
    pub season_factor: f64,
    #[serde(default)]
    pub label: Option<String>,
}

/// One shift worked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Assignment {
    pub officer: OfficerId,
    /// Day index in the period of the shift's start.
    pub day: u32,
    pub template: String,
    /// Where the shift is worked (the home island, or where a peak borrowed the officer).
    pub island: IslandId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Assignment {
    pub fn hours(&self) -> f64 {
        (self.end - self.start).num_minutes() as f64 / 60.0
    }
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// How one part of the solve went (an island or island-week, the peak step, a top-up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PartSolve {
    /// `district start` and `district` (the whole district as one model), or, island by
    /// island: `<island>`, `<island> week <n>`, `peak` or `<island> overtime`.
    pub part: String,
    pub officers: usize,
    pub variables: usize,
    /// `None` when the solver did not run (nothing to decide, or stopped before it; the
    /// part then kept the greedy choice).
    pub status: Option<MipStatus>,
    /// The part's own objective (its weights; see docs/roster.md) and the solver's bound.
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

impl PartSolve {
    /// Relative gap between the part's solution and the solver's bound.
    pub fn gap(&self) -> f64 {
        if self.status.is_none() || self.objective.abs() < 1e-9 {
            0.0
        } else {
            ((self.objective - self.bound) / self.objective.abs()).max(0.0)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SolveInfo {
    /// The worst part's status: optimal only when every part is.
    pub status: MipStatus,
    /// The whole roster's objective under `weights`.
    pub objective: f64,
    /// The relative gap to the bound, and of which part: the whole district's (its LP
    /// relaxation; 100 % while that has not finished) or, planned island by island, the
    /// largest of any part (each part is within its gap of its own optimum given the
    /// parts before it).
    pub gap: f64,
    pub gap_part: Option<String>,
    pub seconds: f64,
    pub parts: Vec<PartSolve>,
    /// Objective weights used (see docs/roster.md).
    pub weights: Weights,
}

/// Objective weights. The defaults make the order strict in practice: one officer-hour
/// of under-coverage outweighs any overtime a single shift can cause, and so on down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct Weights {
    /// Per officer-hour below the minimum-presence floor.
    pub floor: f64,
    /// Per officer-hour of under-coverage.
    pub under: f64,
    /// Per hour of overtime (above contract hours, per week).
    pub overtime: f64,
    /// Per hour of spread (max − min) of contract-normalised hours within an island.
    pub hours_spread: f64,
    /// Per night shift of spread within an island.
    pub nights_spread: f64,
    /// Per holiday shift of spread within an island.
    pub holiday_spread: f64,
    /// Per unit of request weight not honoured.
    pub request: f64,
    /// Per officer-hour above the need (keeps idle shifts out of ordinary days).
    pub over: f64,
    /// Per shift worked away from the home island.
    pub lend: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            floor: 10_000.0,
            under: 1_000.0,
            overtime: 20.0,
            hours_spread: 2.0,
            nights_spread: 4.0,
            holiday_spread: 4.0,
            request: 3.0,
            over: 0.5,
            lend: 10.0,
        }
    }
}

/// A published roster: self-contained (officers, rules, templates, demand, shifts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Roster {
    pub format: u32,
    pub region: String,
    pub time_zone: String,
    pub period: Period,
    pub days: Vec<DayInfo>,
    pub rules: LabourRules,
    pub templates: Vec<ShiftTemplate>,
    pub officers: Vec<RosterOfficer>,
    pub demand: Vec<IslandDemand>,
    pub assignments: Vec<Assignment>,
    pub solve: Option<SolveInfo>,
}

impl Roster {
    pub const FORMAT: u32 = 1;

    pub fn tz(&self) -> Result<Tz, Error> {
        self.time_zone.parse().map_err(|_| Error::invalid("time_zone", format!("unknown time zone '{}'", self.time_zone)))
    }

    pub fn read(path: &std::path::Path) -> Result<Roster, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::invalid(path.display().to_string(), format!("cannot read: {e}")))?;
        let roster: Roster =
            serde_json::from_str(&text).map_err(|e| Error::invalid(path.display().to_string(), format!("not a roster file: {e}")))?;
        if roster.format != Roster::FORMAT {
            return Err(Error::invalid(
                path.display().to_string(),
                format!("roster format {} (this build reads {})", roster.format, Roster::FORMAT),
            ));
        }
        Ok(roster)
    }

    pub fn write(&self, path: &std::path::Path) -> Result<(), Error> {
        let json = serde_json::to_string_pretty(self).map_err(|e| Error::invalid("roster", e.to_string()))?;
        // Write then rename, so a crash never leaves half a roster.
        let tmp = path.with_extension("json.tmp");
        let cannot = |e: std::io::Error| Error::invalid(path.display().to_string(), format!("cannot write: {e}"));
        std::fs::write(&tmp, json).map_err(cannot)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            cannot(e)
        })
    }

    pub fn officer(&self, id: &OfficerId) -> Option<&RosterOfficer> {
        self.officers.iter().find(|o| &o.id == id)
    }

    /// Officers on duty at an instant, by the island they work on.
    pub fn on_duty(&self, at: DateTime<Utc>) -> Vec<&Assignment> {
        self.assignments.iter().filter(|a| a.covers(at)).collect()
    }

    /// Units on duty at an instant (published rosters feed dispatch: a unit is on duty
    /// when its officers are). Each unit comes with its officers on duty on the unit's
    /// home island; officers lent to another island for a peak do not count for it.
    pub fn units_on_duty(&self, at: DateTime<Utc>) -> Vec<(UnitId, Vec<OfficerId>)> {
        let mut by_unit: HashMap<&UnitId, Vec<OfficerId>> = HashMap::new();
        for a in self.on_duty(at) {
            let Some(o) = self.officer(&a.officer) else {
                continue;
            };
            if let (Some(unit), true) = (&o.unit, o.home_island == a.island) {
                by_unit.entry(unit).or_default().push(o.id.clone());
            }
        }
        let mut out: Vec<(UnitId, Vec<OfficerId>)> = by_unit.into_iter().map(|(u, o)| (u.clone(), o)).collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// `DayType` as `weekday` / `weekend` / `holiday` (the region model only serialises it).
mod day_type_serde {
    use super::DayType;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(d: &DayType, s: S) -> Result<S::Ok, S::Error> {
        d.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DayType, D::Error> {
        match String::deserialize(d)?.as_str() {
            "weekday" => Ok(DayType::Weekday),
            "weekend" => Ok(DayType::Weekend),
            "holiday" => Ok(DayType::Holiday),
            other => Err(serde::de::Error::custom(format!("unknown day type '{other}'"))),
        }
    }
}
