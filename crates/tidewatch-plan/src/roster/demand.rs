//! Hourly demand per island and skill, from the journal's call history.
//!
//! 1. History → expected calls per hour, by island, skill, day type, weekday and hour of
//!    day (falling back to coarser profiles where the history is thin, see [`Profile`]).
//! 2. Scaled for the period: holidays (from history, or the holiday factor), tourist
//!    seasons set by the leader.
//! 3. Erlang C on calls per hour and mean time per call → officers needed so that the
//!    probability of a call waiting stays at or under the target: per skill (traffic-
//!    and station-capable officers), and pooled for the total (a `both` officer answers
//!    either kind). Hours with fewer calls than `min_calls_per_hour` need no officer.
//! 4. A floor: minimum presence on every inhabited outlying island in its service hours.
//!
//! Skills: an incident type whose `unit_kinds` allow traffic units but not station units
//! is traffic work, and the other way round; a type that allows both (hazards, citizen
//! tips) — or neither but a joint team or a post (mixed work) — counts half to each; a
//! type only boats answer (rescue at sea) is not officers' shift demand and is left out.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use super::model::{DayInfo, HourDemand, HourNeed, IslandDemand, Period, RosterOfficer};
use tidewatch_core::ids::IslandId;
use tidewatch_core::region::{DayType, Region, UnitKind};
use tidewatch_core::Error;

pub use tidewatch_journal::CallRecord;

/// A period of the year with more (or fewer) calls, set by the leader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Season {
    pub name: String,
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    /// Multiplies every island's calls on these days.
    pub factor: f64,
}

impl Season {
    /// A season the leader may set: a factor in (0, 5] (a season does not silence an
    /// island, nor multiply it beyond reason), and `from` ≤ `to`.
    pub fn check(&self) -> Result<(), Error> {
        if !(self.factor > 0.0 && self.factor <= 5.0) || self.to < self.from {
            return Err(Error::invalid("seasons", format!("'{}': a factor in (0, 5] and from ≤ to", self.name)));
        }
        Ok(())
    }
}

/// Minimum presence on inhabited outlying islands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct FloorPolicy {
    pub traffic: u32,
    pub station: u32,
    /// Service hours, local: `start_hour..end_hour` (end exclusive; 24 = midnight).
    pub start_hour: u32,
    pub end_hour: u32,
}

impl Default for FloorPolicy {
    fn default() -> Self {
        FloorPolicy { traffic: 1, station: 1, start_hour: 7, end_hour: 23 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DemandParams {
    /// Erlang C target: probability that a call has to wait for a free officer.
    pub target_wait_probability: f64,
    /// Mean on-scene time when the history has none, minutes.
    pub default_handling_min: f64,
    /// Holiday calls = weekend profile × this, when the history has fewer holiday days
    /// than `min_history_days`.
    pub holiday_factor: f64,
    /// A profile needs at least this many days of history to be used as it is.
    pub min_history_days: u32,
    pub seasons: Vec<Season>,
    /// A day is a peak day when it is a holiday or its season factor reaches this.
    pub peak_factor: f64,
    /// Officers sent per call (Erlang servers × this).
    pub officers_per_call: u32,
    /// Below this many expected calls an hour, calls need no officer on duty (they go to
    /// the on-call or a neighbouring unit; the floor still applies).
    pub min_calls_per_hour: f64,
    pub floor: FloorPolicy,
    /// Where calls on islands without officers of their own are counted (default: the
    /// island with the most officers).
    pub hub: Option<IslandId>,
    /// Weeks of history before the period to learn from.
    pub history_weeks: u32,
}

impl Default for DemandParams {
    fn default() -> Self {
        DemandParams {
            target_wait_probability: 0.2,
            default_handling_min: 45.0,
            holiday_factor: 1.6,
            min_history_days: 2,
            seasons: Vec::new(),
            peak_factor: 1.5,
            officers_per_call: 1,
            min_calls_per_hour: 0.05,
            floor: FloorPolicy::default(),
            hub: None,
            history_weeks: 8,
        }
    }
}

/// Probability that a call waits (Erlang C) with `servers` officers and `load` erlangs
/// (calls per hour × hours per call).
pub fn erlang_c(servers: u32, load: f64) -> f64 {
    if load <= 0.0 {
        return 0.0;
    }
    let c = servers as f64;
    if c <= load {
        return 1.0;
    }
    // Erlang B by recursion (stable), then C = c·B / (c − a(1 − B)).
    let mut b = 1.0;
    for k in 1..=servers {
        b = load * b / (k as f64 + load * b);
    }
    c * b / (c - load * (1.0 - b))
}

/// Fewest officers that keep P(wait) at or under `target` for `load` erlangs.
pub fn servers_needed(load: f64, target: f64) -> u32 {
    if load <= 1e-9 {
        return 0;
    }
    let mut c = load.floor() as u32 + 1;
    while erlang_c(c, load) > target && c < 10_000 {
        c += 1;
    }
    c
}

/// Which skill an incident type's calls need: `(traffic share, station share)`.
pub fn skill_shares(kinds: &[UnitKind]) -> (f64, f64) {
    let t = kinds.contains(&UnitKind::Traffic);
    let s = kinds.contains(&UnitKind::Station);
    match (t, s) {
        (true, false) => (1.0, 0.0),
        (false, true) => (0.0, 1.0),
        (true, true) => (0.5, 0.5),
        (false, false) if kinds.iter().any(|k| matches!(k, UnitKind::Joint | UnitKind::Post)) => (0.5, 0.5),
        (false, false) => (0.0, 0.0),
    }
}

/// Calls per hour learned from history for one island and skill.
///
/// Lookup for a day: the profile of its day type and weekday when the history holds at
/// least `min_history_days` such days; else its day type over all weekdays; holidays
/// without enough history use the weekend profile × holiday factor; weekends without
/// history use weekdays.
#[derive(Debug, Clone, Default)]
struct Profile {
    /// `[day type][weekday][hour]` call counts (fractional: split types count half).
    calls: [[[f64; 24]; 7]; 3],
}

#[derive(Debug, Clone, Default)]
struct History {
    /// Days of history by `[day type][weekday]`.
    days: [[u32; 7]; 3],
    /// `(island, skill)` → profile; skill 0 traffic, 1 station.
    profiles: HashMap<(usize, usize), Profile>,
    /// Handling seconds sum and count by `(island, skill)` and by skill.
    handling: HashMap<(usize, usize), (f64, f64)>,
    handling_all: [(f64, f64); 2],
}

impl History {
    fn rate(&self, params: &DemandParams, island: usize, skill: usize, dt: DayType, wd: usize, hour: usize) -> f64 {
        let Some(p) = self.profiles.get(&(island, skill)) else {
            return 0.0;
        };
        let t = dt.index();
        let min = params.min_history_days.max(1);
        if self.days[t][wd] >= min {
            return p.calls[t][wd][hour] / self.days[t][wd] as f64;
        }
        let days: u32 = self.days[t].iter().sum();
        if days >= min || (days >= 1 && dt != DayType::Holiday) {
            let calls: f64 = (0..7).map(|w| p.calls[t][w][hour]).sum();
            return calls / days as f64;
        }
        match dt {
            DayType::Holiday => params.holiday_factor * self.rate(params, island, skill, DayType::Weekend, wd, hour),
            DayType::Weekend => {
                let days: u32 = self.days[DayType::Weekday.index()].iter().sum();
                if days == 0 {
                    return 0.0;
                }
                let calls: f64 = (0..7).map(|w| p.calls[DayType::Weekday.index()][w][hour]).sum();
                calls / days as f64
            }
            DayType::Weekday => 0.0,
        }
    }

    fn handling_min(&self, params: &DemandParams, island: usize, skill: usize) -> f64 {
        let (s, n) = self.handling.get(&(island, skill)).copied().unwrap_or((0.0, 0.0));
        if n >= 5.0 {
            return s / n / 60.0;
        }
        let (s, n) = self.handling_all[skill];
        if n >= 1.0 {
            return s / n / 60.0;
        }
        params.default_handling_min
    }
}

/// What the demand model used and left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DemandNotes {
    pub history_from: Option<NaiveDate>,
    pub history_to: Option<NaiveDate>,
    pub calls_used: usize,
    /// At sea, boat-only types, unknown types or islands, outside the window.
    pub calls_skipped: usize,
    /// Calls on islands without officers, counted on the island that covers them.
    pub calls_redirected: usize,
    pub hub: Option<IslandId>,
}

/// The period's days: day type, season factor, peak flag.
pub fn days(region: &Region, period: &Period, params: &DemandParams) -> Vec<DayInfo> {
    (0..period.days)
        .map(|d| {
            let date = period.date(d);
            let day_type = region.holidays.day_type(date);
            let seasons: Vec<&Season> = params.seasons.iter().filter(|s| s.from <= date && date <= s.to).collect();
            let season_factor: f64 = seasons.iter().map(|s| s.factor).product();
            let label = region.holidays.name(date).map(String::from).or_else(|| seasons.first().map(|s| s.name.clone()));
            DayInfo { date, day_type, peak: day_type == DayType::Holiday || season_factor >= params.peak_factor, season_factor, label }
        })
        .collect()
}

/// Builds the hourly demand of every island that has officers in `officers`.
///
/// `history` is the window `[from, to)` the `calls` were taken from, cut to the days from
/// its first call to its last: inside those, a day without a call counts as a day with none.
pub fn build(
    region: &Region,
    officers: &[RosterOfficer],
    calls: &[CallRecord],
    history: (NaiveDate, NaiveDate),
    period: &Period,
    params: &DemandParams,
) -> Result<(Vec<DayInfo>, Vec<IslandDemand>, DemandNotes), Error> {
    if !(params.target_wait_probability > 0.0 && params.target_wait_probability < 1.0) {
        return Err(Error::invalid("demand.target_wait_probability", "must be between 0 and 1"));
    }
    let staffing = Staffing::new(region, officers, params)?;
    let history = recorded_history(region, calls, history);
    let mut notes = DemandNotes {
        history_from: Some(history.0),
        history_to: Some(history.1),
        hub: staffing.hub.map(|h| region.islands[h].id.clone()),
        ..Default::default()
    };
    let mut hist = History::over(region, history);
    hist.learn(region, calls, &staffing, history, &mut notes);
    let day_infos = days(region, period, params);
    let out = staffing.staffed.iter().map(|&i| island_demand(region, &staffing, i, &hist, &day_infos, params)).collect();
    Ok((day_infos, out, notes))
}

/// The islands with officers, in region order (indexes), and the hub among them: the one
/// named in the parameters, else the one with the most officers.
struct Staffing {
    staffed: Vec<usize>,
    hub: Option<usize>,
}

impl Staffing {
    fn new(region: &Region, officers: &[RosterOfficer], params: &DemandParams) -> Result<Staffing, Error> {
        let mut staff_count: HashMap<&IslandId, usize> = HashMap::new();
        for o in officers {
            *staff_count.entry(&o.home_island).or_default() += 1;
        }
        let staffed: Vec<usize> = (0..region.islands.len()).filter(|&i| staff_count.contains_key(&region.islands[i].id)).collect();
        let hub = match &params.hub {
            Some(h) => Some(
                region
                    .island_index(h)
                    .filter(|i| staffed.contains(i))
                    .ok_or_else(|| Error::invalid("demand.hub", format!("'{h}' is not an island with officers")))?,
            ),
            None => staffed.iter().copied().max_by_key(|&i| (staff_count[&region.islands[i].id], std::cmp::Reverse(i))),
        };
        Ok(Staffing { staffed, hub })
    }
}

/// The history actually recorded: the window cut to the days from the first call to the
/// last (a journal younger than the window, or one that stops before it ends, must not
/// count unrecorded days as days without calls).
fn recorded_history(region: &Region, calls: &[CallRecord], history: (NaiveDate, NaiveDate)) -> (NaiveDate, NaiveDate) {
    let tz = region.meta.time_zone;
    let call_dates: Vec<NaiveDate> =
        calls.iter().map(|c| c.received_at.with_timezone(&tz).date_naive()).filter(|d| (history.0..history.1).contains(d)).collect();
    match (call_dates.iter().min(), call_dates.iter().max()) {
        (Some(&first), Some(&last)) => (first, last.succ_opt().expect("date in range")),
        _ => (history.0, history.0),
    }
}

impl History {
    /// No calls yet, over the days of `history` (`[from, to)`).
    fn over(region: &Region, history: (NaiveDate, NaiveDate)) -> History {
        let mut hist = History::default();
        let mut date = history.0;
        while date < history.1 {
            hist.days[region.holidays.day_type(date).index()][date.weekday().num_days_from_monday() as usize] += 1;
            date = date.succ_opt().expect("date in range");
        }
        hist
    }

    /// Counts the calls of `history` by island (a staffed one, or the hub for the others),
    /// skill, day type, weekday and hour, with their handling times.
    fn learn(
        &mut self,
        region: &Region,
        calls: &[CallRecord],
        staffing: &Staffing,
        history: (NaiveDate, NaiveDate),
        notes: &mut DemandNotes,
    ) {
        let tz = region.meta.time_zone;
        let shares: HashMap<&str, (f64, f64)> =
            region.incident_types.iter().map(|t| (t.id.as_str(), skill_shares(&t.unit_kinds))).collect();
        for c in calls {
            let local = c.received_at.with_timezone(&tz);
            let date = local.date_naive();
            let island = c.island.as_deref().and_then(|i| region.island_index(&IslandId::from(i)));
            let share = shares.get(c.incident_type.as_str()).copied();
            let (Some(island), Some((st, ss))) = (island, share) else {
                notes.calls_skipped += 1;
                continue;
            };
            if date < history.0 || date >= history.1 || st + ss == 0.0 {
                notes.calls_skipped += 1;
                continue;
            }
            let island = if staffing.staffed.contains(&island) {
                island
            } else if let Some(h) = staffing.hub {
                notes.calls_redirected += 1;
                h
            } else {
                notes.calls_skipped += 1;
                continue;
            };
            notes.calls_used += 1;
            let slot = (region.holidays.day_type(date).index(), date.weekday().num_days_from_monday() as usize, local.hour() as usize);
            for (skill, share) in [(0usize, st), (1, ss)] {
                if share != 0.0 {
                    self.add(island, skill, slot, share, c.handling_s);
                }
            }
        }
    }

    /// One call's `share` for `skill` on `island` at `(day type, weekday, hour)`.
    fn add(&mut self, island: usize, skill: usize, (t, wd, hour): (usize, usize, usize), share: f64, handling_s: Option<u32>) {
        self.profiles.entry((island, skill)).or_default().calls[t][wd][hour] += share;
        if let Some(h) = handling_s {
            let e = self.handling.entry((island, skill)).or_default();
            e.0 += h as f64;
            e.1 += 1.0;
            self.handling_all[skill].0 += h as f64;
            self.handling_all[skill].1 += 1.0;
        }
    }
}

/// Staffed island `i`'s demand, hour by hour over the period's days.
fn island_demand(
    region: &Region,
    staffing: &Staffing,
    i: usize,
    hist: &History,
    day_infos: &[DayInfo],
    params: &DemandParams,
) -> IslandDemand {
    let island = &region.islands[i];
    let hub = staffing.hub;
    let outlying = island.inhabited && island.in_district && Some(i) != hub;
    let handling = [hist.handling_min(params, i, 0), hist.handling_min(params, i, 1)];
    let mut hours = Vec::with_capacity(24 * day_infos.len());
    for info in day_infos {
        for hour in 0..24usize {
            hours.push(hour_demand(hist, params, i, outlying, handling, info, hour));
        }
    }
    let covers = region
        .islands
        .iter()
        .enumerate()
        .filter(|(j, _)| Some(i) == hub && !staffing.staffed.contains(j))
        .map(|(_, x)| x.id.clone())
        .collect();
    IslandDemand { island: island.id.clone(), name: island.name_en.clone(), outlying, covers, hours }
}

/// Island `i`'s demand in one hour of a day: expected calls, the officers their queues
/// need (Erlang C), and the floor on an outlying island in service hours.
fn hour_demand(
    hist: &History,
    params: &DemandParams,
    i: usize,
    outlying: bool,
    handling: [f64; 2],
    info: &DayInfo,
    hour: usize,
) -> HourDemand {
    let floor = &params.floor;
    let wd = info.date.weekday().num_days_from_monday() as usize;
    let calls = [0, 1].map(|s| hist.rate(params, i, s, info.day_type, wd, hour) * info.season_factor);
    // Officers each queue needs; an hour with fewer expected calls than
    // `min_calls_per_hour` needs none for calls (the floor still applies).
    let servers = |calls: f64, load: f64| {
        if calls < params.min_calls_per_hour {
            0
        } else {
            servers_needed(load, params.target_wait_probability) * params.officers_per_call
        }
    };
    let loads = [0, 1].map(|s| calls[s] * handling[s] / 60.0);
    let erlang = [0, 1].map(|s| servers(calls[s], loads[s]));
    // Pooled: a `both` officer answers either kind of call (一警多能), so the
    // officers needed in all come from one queue of both loads.
    let pooled = servers(calls[0] + calls[1], loads[0] + loads[1]);
    let in_service = (floor.start_hour..floor.end_hour).contains(&(hour as u32));
    let (ft, fs) = if outlying && in_service { (floor.traffic, floor.station) } else { (0, 0) };
    let traffic = erlang[0].max(ft);
    let station = erlang[1].max(fs);
    HourDemand {
        calls_traffic: calls[0],
        calls_station: calls[1],
        handling_traffic_min: handling[0],
        handling_station_min: handling[1],
        erlang_traffic: erlang[0],
        erlang_station: erlang[1],
        erlang_total: pooled,
        need: HourNeed { traffic, station, total: pooled.max(traffic).max(station), floor_traffic: ft, floor_station: fs },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_known_values() {
        // One server: P(wait) = utilisation.
        assert!((erlang_c(1, 0.3) - 0.3).abs() < 1e-12);
        // Two servers, 1 erlang: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // Textbook: 10 erlangs, 12 servers → 0.4494.
        assert!((erlang_c(12, 10.0) - 0.4494).abs() < 1e-3);
        assert_eq!(erlang_c(3, 3.0), 1.0);
        assert_eq!(servers_needed(0.0, 0.2), 0);
        assert_eq!(servers_needed(0.15, 0.2), 1);
        assert_eq!(servers_needed(0.3, 0.2), 2);
        assert_eq!(servers_needed(10.0, 0.2), 14);
    }

    #[test]
    fn shares_follow_unit_kinds() {
        use UnitKind::*;
        assert_eq!(skill_shares(&[Traffic, Joint, Post]), (1.0, 0.0));
        assert_eq!(skill_shares(&[Station, Joint, Post, Boat]), (0.0, 1.0));
        assert_eq!(skill_shares(&[Traffic, Station, Joint]), (0.5, 0.5));
        assert_eq!(skill_shares(&[Joint]), (0.5, 0.5));
        assert_eq!(skill_shares(&[Boat]), (0.0, 0.0));
    }
}
