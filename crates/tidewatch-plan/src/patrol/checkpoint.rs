//! The weekly plan of checkpoints and surprise raids (issue #18), built by a seeded greedy
//! and proven by [`super::checkpoint_check::check`], which re-verifies every rule from the
//! plan alone.
//!
//! - Sites: the pack's `checkpoints.csv` (piers, bridge heads, main road junctions).
//! - Days: `per_day` operations on an ordinary day, `peak_extra` more on weekends and
//!   holidays (the pack's calendar), and a drunk-driving checkpoint on the night before a
//!   holiday. Day operations take the day slots in turn, the drunk-driving one the night
//!   slot.
//! - Islands: every inhabited island of the district with a site is visited within each
//!   `every_weeks` weeks of the plan (the whole plan when shorter). Islands with no site are
//!   listed (a boat's job).
//! - Teams: traffic and joint units on duty (the roster) from leaving their base to coming
//!   back, one operation a day; the site reached from the base by the real engine (bridges,
//!   that day's sailings) leaving at most `max_travel_min` before the slot, and the base
//!   again within that after it. A raid is an operation off the team's own island.
//! - Standby: while teams are away, the other on-duty land units, placed by the standby
//!   model, still cover at least `floor` of the slot's demand; the plan lists where.
//! - Surprise: ties are broken by the seeded generator, so seeds (weeks) differ.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::demand::DemandCall;
use super::mclp;
use super::standby::{prepare, StandbyParams, StandbyRequest};
use super::window::Window;
use crate::roster::{Roster, UnitDuty};
use tidewatch_core::region::{CheckpointKind, DayType, Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::{fastest_trip, Conditions, Destination, Network, Passable, ServiceDays, UnitStart};
use tidewatch_core::Error;

/// Day slots (taken in turn) and the night slot for drunk driving, local time.
pub const DAY_SLOTS: [&str; 2] = ["09:30-11:30", "13:30-15:30"];
pub const NIGHT_SLOT: &str = "20:30-22:30";

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointParams {
    /// Every island with a site is visited within each this many weeks.
    pub every_weeks: u32,
    pub per_day: u32,
    /// More on weekends and holidays.
    pub peak_extra: u32,
    /// Share of the slot's demand the units left on standby must still cover.
    pub floor: f64,
    /// Longest drive (ferry included) from the base to the site and back, minutes.
    pub max_travel_min: u32,
    pub seed: u64,
    /// The standby model's settings for the floor.
    pub standby: StandbyParams,
}

impl Default for CheckpointParams {
    fn default() -> Self {
        CheckpointParams {
            every_weeks: 2,
            per_day: 1,
            peak_extra: 1,
            floor: 0.5,
            max_travel_min: 300,
            seed: 1,
            standby: StandbyParams { sample_min: 30, population_share: 1.0, ..StandbyParams::default() },
        }
    }
}

impl CheckpointParams {
    pub(super) fn check(&self) -> Result<(), Error> {
        if !(1..=52).contains(&self.every_weeks) {
            return Err(Error::invalid("every_weeks", format!("{}: 1 to 52 weeks", self.every_weeks)));
        }
        if self.per_day > 10 || self.peak_extra > 10 {
            return Err(Error::invalid("per_day", format!("{} + {} at peaks: at most 10 each", self.per_day, self.peak_extra)));
        }
        if !(0.0..=1.0).contains(&self.floor) {
            return Err(Error::invalid("floor", format!("{}: from 0 to 1", self.floor)));
        }
        if !(10..=600).contains(&self.max_travel_min) {
            return Err(Error::invalid("max_travel", format!("{} min: 10 to 600", self.max_travel_min)));
        }
        Ok(())
    }
}

pub struct CheckpointRequest<'a> {
    pub from: NaiveDate,
    pub weeks: u32,
    pub roster: Option<&'a Roster>,
    pub conditions: Conditions,
    pub calls: &'a [DemandCall],
    pub history_days: u32,
    pub params: CheckpointParams,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// On the team's own island.
    Checkpoint,
    /// Off the team's island, unannounced.
    Raid,
}

impl OperationKind {
    pub fn name(self) -> &'static str {
        match self {
            OperationKind::Checkpoint => "checkpoint",
            OperationKind::Raid => "raid",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Routine,
    /// The weekend's or holiday's extra.
    Peak,
    /// The night before a holiday.
    DrunkDriving,
}

impl Purpose {
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Routine => "routine",
            Purpose::Peak => "peak",
            Purpose::DrunkDriving => "drunk_driving",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub date: NaiveDate,
    pub slot: String,
    pub start_utc: i64,
    pub end_utc: i64,
    pub kind: OperationKind,
    pub purpose: Purpose,
    pub team: String,
    pub call_sign: String,
    pub site: String,
    pub site_kind: CheckpointKind,
    pub island: String,
    pub name_zh: String,
    pub name_en: String,
    /// Away before the slot (leaving at the latest quarter hour that arrives in time,
    /// waiting for a sailing included) and back to the base after it.
    pub travel_min: u32,
    pub back_min: u32,
}

/// Where the units left behind wait while teams are away in one slot.
#[derive(Debug, Clone, Serialize)]
pub struct SlotStandby {
    pub date: NaiveDate,
    pub slot: String,
    pub on_duty: usize,
    pub away: Vec<String>,
    pub sites: Vec<String>,
    pub covered: f64,
}

/// What one day asks for.
#[derive(Debug, Clone, Serialize)]
pub struct DayNeed {
    pub date: NaiveDate,
    pub day_type: DayType,
    /// Tomorrow's holiday, when today is its eve.
    pub eve_of: Option<String>,
    pub operations: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointPlan {
    pub from: NaiveDate,
    pub weeks: u32,
    pub days: Vec<DayNeed>,
    pub operations: Vec<Operation>,
    pub standby: Vec<SlotStandby>,
    /// Islands that must be visited, and those with no checkpoint site.
    pub islands: Vec<String>,
    pub islands_without_site: Vec<String>,
    pub params: CheckpointParams,
    /// The rules the plan could not meet (empty: all met), from the independent check.
    pub unmet: Vec<String>,
}

/// What day `date` asks for under `p` and the pack's calendar.
pub fn day_need(region: &Region, date: NaiveDate, p: &CheckpointParams) -> DayNeed {
    let day_type = region.holidays.day_type(date);
    let tomorrow = date.succ_opt().unwrap_or(date);
    let eve_of = (day_type != DayType::Holiday && region.holidays.day_type(tomorrow) == DayType::Holiday)
        .then(|| region.holidays.name(tomorrow).unwrap_or("holiday").to_string());
    let peak = matches!(day_type, DayType::Weekend | DayType::Holiday);
    let operations = p.per_day + if peak { p.peak_extra } else { 0 } + u32::from(eve_of.is_some());
    DayNeed { date, day_type, eve_of, operations }
}

/// The islands a plan must visit (inhabited, in the district, with a site) and the
/// inhabited ones with none.
pub fn islands_to_visit(region: &Region) -> (Vec<String>, Vec<String>) {
    let with_site = |id: &str| region.checkpoints.iter().any(|c| region.place(&c.place).is_some_and(|p| p.island.0 == id));
    let (mut visit, mut without) = (Vec::new(), Vec::new());
    for i in region.islands.iter().filter(|i| i.inhabited && i.in_district) {
        if with_site(&i.id.0) {
            visit.push(i.id.0.clone());
        } else {
            without.push(i.id.0.clone());
        }
    }
    (visit, without)
}

/// The block (of `every_weeks` weeks from `from`) that `date` falls in.
pub fn block_of(from: NaiveDate, date: NaiveDate, every_weeks: u32) -> i64 {
    (date - from).num_days().div_euclid(i64::from(every_weeks) * 7)
}

/// UTC `[start, end)` of a slot on a day.
pub fn slot_span(region: &Region, date: NaiveDate, slot: &str) -> Result<(i64, i64), Error> {
    let w = Window::parse(slot)?;
    let start = w.samples(region.meta.time_zone, date, w.minutes()).first().copied().unwrap_or_default();
    Ok((start, start + i64::from(w.minutes()) * 60))
}

/// Whether `team` may be away from `start - travel` to `end + travel`.
pub(super) fn on_duty_through(duty: Option<&UnitDuty>, team: &str, from: i64, to: i64) -> bool {
    let Some(duty) = duty else { return true };
    let id = tidewatch_core::ids::UnitId(team.to_string());
    // Duty changes at shift boundaries; every quarter hour catches a gap in the span.
    (0..).map(|k| from + k * 900).take_while(|&t| t < to).chain([to - 1]).all(|t| duty.on_duty(&id, t) == Some(true))
}

/// Minutes from `a` to `b` by the real engine leaving at `t`.
pub(super) fn eta_min(net: &Network, conditions: &Conditions, a: usize, b: usize, t: i64) -> Result<Option<u32>, Error> {
    if a == b {
        return Ok(Some(0));
    }
    let pass = Passable::new(net, conditions, t)?;
    let days = ServiceDays::around(net, t);
    let start = UnitStart { node: a as u32, offset_s: 0, boat_speed_kmh: None, at_sea: None };
    let dest = Destination::Node { node: b as u32, access_s: 0 };
    Ok(fastest_trip(net, &pass, &days, &start, t, &dest).map(|trip| trip.eta_s.div_ceil(60)))
}

/// Minutes away before and after a slot `[start, end)` at `site` for a team based at
/// `base`: leaving at the latest quarter hour that still arrives by `start` (waiting for a
/// sailing included) and coming back from `end`; `None` when either takes over `limit_min`.
pub(super) fn trip_times(
    net: &Network,
    conditions: &Conditions,
    (base, site): (usize, usize),
    (start, end): (i64, i64),
    limit_min: u32,
) -> Result<Option<(u32, u32)>, Error> {
    let Some(back) = eta_min(net, conditions, site, base, end)?.filter(|&m| m <= limit_min) else { return Ok(None) };
    // Bounded by the limit: at most limit/15 + 1 departures tried.
    for k in 0..=i64::from(limit_min) / 15 {
        let leave = start - k * 900;
        if eta_min(net, conditions, base, site, leave)?.is_some_and(|m| leave + i64::from(m) * 60 <= start) {
            return Ok(Some(((start - leave) as u32 / 60, back)));
        }
    }
    Ok(None)
}

/// The teams that may man a checkpoint.
pub fn is_team(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::Traffic | UnitKind::Joint)
}

/// The best share the on-duty units minus `away` cover in a slot, and where they wait.
pub(super) struct SlotCover {
    on_duty: Vec<String>,
    sites: Vec<u32>,
    coverage: mclp::Coverage,
}

impl SlotCover {
    pub(super) fn new(region: &Region, net: &Network, r: &CheckpointRequest, date: NaiveDate, slot: &str) -> Result<SlotCover, Error> {
        let request = StandbyRequest {
            date,
            window: Window::parse(slot)?,
            units: None,
            roster: r.roster,
            conditions: r.conditions.clone(),
            calls: r.calls,
            history_days: r.history_days,
            params: r.params.standby.clone(),
        };
        let w = prepare(region, net, &request)?;
        Ok(SlotCover { on_duty: w.duty.iter().map(|u| u.id.0.clone()).collect(), sites: w.sites, coverage: w.coverage })
    }

    pub(super) fn on_duty(&self) -> &[String] {
        &self.on_duty
    }

    /// Share covered by units waiting at these places (place indexes), `None` when one is no
    /// candidate site.
    pub(super) fn share_at(&self, places: &[u32]) -> Option<f64> {
        let js: Option<Vec<u32>> = places.iter().map(|n| self.sites.iter().position(|s| s == n).map(|j| j as u32)).collect();
        Some(self.coverage.covered(&js?) / self.coverage.total())
    }

    /// The greedy placement of `units` and its share.
    fn best(&self, units: usize) -> (Vec<u32>, f64) {
        let chosen = mclp::greedy(&self.coverage, units);
        let share = self.coverage.covered(&chosen) / self.coverage.total();
        (chosen.iter().map(|&j| self.sites[j as usize]).collect(), share)
    }
}

/// The plan as the greedy makes it (see the module's text), `unmet` left empty:
/// [`super::checkpoint_check::plan`] fills it from the independent check (which uses this
/// module, so this one does not call it).
pub fn draft(region: &Region, net: &Network, r: &CheckpointRequest) -> Result<CheckpointPlan, Error> {
    r.params.check()?;
    if !(1..=26).contains(&r.weeks) {
        return Err(Error::invalid("weeks", format!("{}: 1 to 26 weeks", r.weeks)));
    }
    if region.checkpoints.is_empty() {
        return Err(Error::invalid("region", format!("the pack has no {} (checkpoint sites)", tidewatch_core::region::CHECKPOINTS)));
    }
    let mut g = Greedy::new(region, net, r)?;
    for k in 0..i64::from(r.weeks) * 7 {
        let date = r.from + chrono::Duration::days(k);
        let need = day_need(region, date, &r.params);
        g.day(&need)?;
        g.days.push(need);
    }
    let (islands, islands_without_site) = islands_to_visit(region);
    Ok(CheckpointPlan {
        from: r.from,
        weeks: r.weeks,
        days: g.days,
        operations: g.ops,
        standby: g.standby.into_values().collect(),
        islands,
        islands_without_site,
        params: r.params.clone(),
        unmet: Vec::new(),
    })
}

struct Greedy<'a> {
    region: &'a Region,
    net: &'a Network,
    r: &'a CheckpointRequest<'a>,
    duty: Option<UnitDuty>,
    rng: Rng,
    islands: Vec<String>,
    /// Last block each island was visited in.
    visited: HashMap<String, i64>,
    covers: HashMap<(NaiveDate, &'static str), SlotCover>,
    days: Vec<DayNeed>,
    ops: Vec<Operation>,
    standby: BTreeMap<(NaiveDate, &'static str), SlotStandby>,
}

impl<'a> Greedy<'a> {
    fn new(region: &'a Region, net: &'a Network, r: &'a CheckpointRequest<'a>) -> Result<Greedy<'a>, Error> {
        Ok(Greedy {
            region,
            net,
            r,
            duty: r.roster.map(UnitDuty::of),
            rng: Rng::scrambled(r.params.seed ^ (r.from.num_days_from_ce() as u64)),
            islands: islands_to_visit(region).0,
            visited: HashMap::new(),
            covers: HashMap::new(),
            days: Vec::new(),
            ops: Vec::new(),
            standby: BTreeMap::new(),
        })
    }

    fn day(&mut self, need: &DayNeed) -> Result<(), Error> {
        let drunk = need.eve_of.is_some();
        let day_ops = need.operations - u32::from(drunk);
        let peak = matches!(need.day_type, DayType::Weekend | DayType::Holiday);
        for i in 0..day_ops {
            let purpose = if peak && i >= self.r.params.per_day { Purpose::Peak } else { Purpose::Routine };
            self.place(need.date, DAY_SLOTS[i as usize % DAY_SLOTS.len()], purpose)?;
        }
        if drunk {
            self.place(need.date, NIGHT_SLOT, Purpose::DrunkDriving)?;
        }
        Ok(())
    }

    /// Places one operation; none when no team, site or floor allows it (the check says so).
    fn place(&mut self, date: NaiveDate, slot: &'static str, purpose: Purpose) -> Result<(), Error> {
        let (start, end) = slot_span(self.region, date, slot)?;
        let key = (date, slot);
        if !self.covers.contains_key(&key) {
            let c = SlotCover::new(self.region, self.net, self.r, date, slot)?;
            self.covers.insert(key, c);
        }
        let away: Vec<String> = self.ops.iter().filter(|o| o.date == date && o.slot == slot).map(|o| o.team.clone()).collect();
        let cover = &self.covers[&key];
        let left = cover.on_duty().len().saturating_sub(away.len() + 1);
        let (sites, share) = cover.best(left);
        if left == 0 || share < self.r.params.floor {
            return Ok(());
        }
        let Some(op) = self.choose(date, slot, purpose, start, end)? else { return Ok(()) };
        let mut away = away;
        away.push(op.team.clone());
        self.visited.insert(op.island.clone(), block_of(self.r.from, date, self.r.params.every_weeks));
        self.ops.push(op);
        let sites = sites.iter().map(|&n| self.region.places[n as usize].id.0.clone()).collect();
        let on_duty = self.covers[&key].on_duty().len();
        self.standby.insert(key, SlotStandby { date, slot: slot.to_string(), on_duty, away, sites, covered: share });
        Ok(())
    }

    /// The best feasible (team, site): an island not yet visited in this block first, roads
    /// (not piers) for drunk driving, then at random.
    fn choose(&mut self, date: NaiveDate, slot: &str, purpose: Purpose, start: i64, end: i64) -> Result<Option<Operation>, Error> {
        let block = block_of(self.r.from, date, self.r.params.every_weeks);
        let limit = self.r.params.max_travel_min;
        let busy: Vec<&str> = self.ops.iter().filter(|o| o.date == date).map(|o| o.team.as_str()).collect();
        let mut best: Option<(f64, Operation)> = None;
        for unit in self.region.units.iter().filter(|u| is_team(u.kind) && !busy.contains(&u.id.0.as_str())) {
            let Some(base) = self.region.place_index(&unit.base) else { continue };
            for site in &self.region.checkpoints {
                let Some(k) = self.region.place_index(&site.place) else { continue };
                let place = &self.region.places[k];
                if !self.islands.contains(&place.island.0) {
                    continue;
                }
                let unvisited = self.visited.get(&place.island.0) != Some(&block);
                let road = site.kind != CheckpointKind::Pier;
                // Near sites first among equals: an hour's trip weighs as much as the draw.
                let draw =
                    if unvisited { 10.0 } else { 0.0 } + if purpose == Purpose::DrunkDriving && road { 5.0 } else { 0.0 } + self.rng.unit();
                if best.as_ref().is_some_and(|(s, _)| *s >= draw) {
                    continue;
                }
                let Some((go, back)) = trip_times(self.net, &self.r.conditions, (base, k), (start, end), limit)? else { continue };
                let score = draw - f64::from(go + back) / 120.0;
                if best.as_ref().is_some_and(|(s, _)| *s >= score)
                    || !on_duty_through(self.duty.as_ref(), &unit.id.0, start - i64::from(go) * 60, end + i64::from(back) * 60)
                {
                    continue;
                }
                let kind = if place.island == self.region.places[base].island { OperationKind::Checkpoint } else { OperationKind::Raid };
                let op = Operation {
                    date,
                    slot: slot.to_string(),
                    start_utc: start,
                    end_utc: end,
                    kind,
                    purpose,
                    team: unit.id.0.clone(),
                    call_sign: unit.call_sign.clone(),
                    site: place.id.0.clone(),
                    site_kind: site.kind,
                    island: place.island.0.clone(),
                    name_zh: place.name_zh.clone(),
                    name_en: place.name_en.clone(),
                    travel_min: go,
                    back_min: back,
                };
                best = Some((score, op));
            }
        }
        Ok(best.map(|(_, op)| op))
    }
}

/// A short weekday name for the printed plan.
pub fn weekday(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}
