//! Synthetic history for demos and load tests, written through the desk exactly as a
//! dispatcher's actions are (receive, dispatch, en route, on scene, clear...), in time
//! order, and marked synthetic everywhere it shows.
//!
//! The model: calls by island population and type mix, a daily rhythm, weekends, public
//! holidays and the summer tourist season stacking up, windy days that stop the ferries,
//! a few overrides of the recommendation and reassignments, the joint lines of work and
//! citizen tips ([`joint`]). Calibrated to the year Dinghai published for its mixed island
//! teams: crime concentrates in the towns (a crime call's island is drawn by population
//! squared, so most small islands go a year without one), and traffic incidents fall year
//! on year by the published rates (seed two years to see it).

mod joint;

pub use joint::{published, Quota};

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use tidewatch_core::dispatch::Pick;

use crate::desk::{Desk, Intake};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::region::{DayType, PlaceKind, Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::Conditions;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::CallSource;

pub const OPERATOR: &str = "demo-seed (synthetic)";

/// The most calls per ordinary day a history is generated with (a busy city's few thousand).
pub const MAX_CALLS_PER_DAY: f64 = 10_000.0;
/// The longest history generated, in days (a century).
pub const MAX_SEED_DAYS: i64 = 36_525;

/// Mean calls on an ordinary day, region-wide (the calibration is made at this rate).
pub const DEFAULT_CALLS_PER_DAY: f64 = 40.0;

/// Published year-on-year changes the demo's traffic calls follow: all traffic incidents
/// −5.75 %, ordinary-procedure traffic accidents −18.1 %.
pub const TRAFFIC_CHANGE: f64 = -0.0575;
pub const ORDINARY_ACCIDENT_CHANGE: f64 = -0.181;

#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub from: NaiveDate,
    /// Exclusive.
    pub to: NaiveDate,
    /// Mean calls per ordinary day for the whole region.
    pub calls_per_day: f64,
    pub seed: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SeedSummary {
    pub incidents: u64,
    pub events: i64,
    pub cancelled: u64,
    pub overrides: u64,
    pub reassignments: u64,
    pub unreachable: u64,
    pub joint_records: u64,
    pub seconds: f64,
}

/// (type id, weight); types not in the pack are skipped. Citizen tips are logged as tips
/// (327 a year, [`joint`]); the few that need a unit are also calls.
const TYPE_MIX: &[(&str, f64)] = &[
    ("traffic_accident", 19.0),
    ("injury_crash", 3.0),
    ("congestion", 8.0),
    ("drunk_driving", 3.0),
    ("bridge_crash", 1.0),
    ("dispute", 16.0),
    ("theft", 10.0),
    ("domestic", 6.0),
    ("fight", 5.0),
    ("missing_person", 2.0),
    ("sea_rescue", 1.0),
    ("hazard", 10.0),
    ("citizen_tip", 0.7),
];

/// Yearly change of each traffic type's call rate: ordinary-procedure accidents by the
/// published rate, the other traffic types by what brings all traffic to its published
/// rate (by their shares in the mix). Other types keep their rate.
fn traffic_trends(region: &Region, types: &[(&str, f64)]) -> HashMap<String, f64> {
    let k = &region.meta.kpi;
    let weight = |f: &dyn Fn(&str) -> bool| types.iter().filter(|(t, _)| f(t)).map(|(_, w)| w).sum::<f64>();
    let ordinary = |t: &str| k.ordinary_traffic_accident_types.iter().any(|x| x == t);
    let traffic = weight(&|t| k.traffic_types.iter().any(|x| x == t));
    let share = if traffic > 0.0 { weight(&|t| ordinary(t) && k.traffic_types.iter().any(|x| x == t)) / traffic } else { 0.0 };
    let rest = if share < 1.0 { (TRAFFIC_CHANGE - share * ORDINARY_ACCIDENT_CHANGE) / (1.0 - share) } else { 0.0 };
    types
        .iter()
        .filter_map(|(t, _)| {
            let g = if ordinary(t) {
                ORDINARY_ACCIDENT_CHANGE
            } else if k.traffic_types.iter().any(|x| x == t) {
                rest
            } else {
                return None;
            };
            Some((t.to_string(), g))
        })
        .collect()
}

/// Relative call rate by local hour.
const HOURLY: [f64; 24] =
    [0.35, 0.25, 0.2, 0.15, 0.15, 0.25, 0.5, 0.9, 1.2, 1.3, 1.4, 1.4, 1.2, 1.2, 1.3, 1.3, 1.4, 1.6, 1.6, 1.5, 1.3, 1.0, 0.8, 0.55];

fn pick_weighted<'a, T>(rng: &mut Rng, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.range(0, 1_000_000) as f64 / 1_000_000.0 * total;
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items.last().expect("non-empty").0
}

/// Poisson-distributed count (Knuth for small means, normal approximation above).
fn poisson(rng: &mut Rng, mean: f64) -> u64 {
    if mean > 50.0 {
        let u1 = (rng.range(1, 1_000_000) as f64) / 1_000_000.0;
        let u2 = (rng.range(0, 1_000_000) as f64) / 1_000_000.0;
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        return (mean + z * mean.sqrt()).round().max(0.0) as u64;
    }
    let l = (-mean).exp();
    let (mut k, mut p) = (0, 1.0);
    loop {
        p *= rng.range(0, 1_000_000) as f64 / 1_000_000.0;
        if p <= l {
            return k;
        }
        k += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    Dispatch,
    EnRoute,
    OnScene,
    Clear,
    /// The unit that cleared the incident is back at its base.
    Return,
    /// Somebody else calls about the same incident: a second call is received.
    Repeat,
    /// That second call, cancelled as a duplicate when it comes to be dispatched.
    Duplicate,
}

/// Share of incidents somebody calls about twice (the second call is cancelled as a
/// duplicate, so the incidents counted are the calls drawn).
const DUPLICATE_SHARE: f64 = 0.02;

/// A call no unit could reach for this long is given up (three days: longer than any gale
/// the demo draws, which stops the ferries for a day).
const GIVE_UP_AFTER_S: i64 = 3 * 86_400;

/// The islands whose summer crowds turn some calls into congestion.
const TOURIST_ISLANDS: &[&str] = &["changbai", "panzhi", "damao", "dongju", "aoshan", "xixiezhi"];

/// Seeds the handling stream from the seed (a different stream than the calls').
const HANDLING_STREAM: u64 = 0x4A4E_D11E_D0E5_7EA7;

/// Calls received between two commits of the journal's batch (and progress reports).
const CALLS_PER_BATCH: u64 = 2000;

/// A place calls come from: (lon, lat, island id).
type Spot = (f64, f64, String);

pub fn seed(
    region: Region,
    db: &std::path::Path,
    opts: &SeedOptions,
    mut progress: impl FnMut(&SeedSummary),
) -> Result<SeedSummary, Error> {
    check_options(opts)?;
    let started = std::time::Instant::now();
    let mut seeder = Seeder::open(region, db, opts)?;
    let tz = seeder.desk.region.meta.time_zone;
    let mut day = opts.from;
    seeder.desk.journal_mut().begin_batch()?;
    while day < opts.to || !seeder.queue.is_empty() {
        // The local day's real length: 23 or 25 hours on DST days, less when midnight is skipped.
        let next = day.succ_opt().ok_or_else(|| Error::invalid("to", format!("{day} is the last date there is")))?;
        let (day_start, day_end) = (tidewatch_journal::day_start(tz, day)?, tidewatch_journal::day_start(tz, next)?);
        let arrivals = if day < opts.to { seeder.plan_day(day, day_start)? } else { Vec::new() };
        seeder.run_day(day, day_end, arrivals, &mut progress)?;
        day = next;
        if day >= opts.to && seeder.queue.is_empty() {
            break;
        }
    }
    seeder.finish(started)
}

/// Refuses options that would write nothing sensible or never end.
fn check_options(opts: &SeedOptions) -> Result<(), Error> {
    if opts.to <= opts.from {
        return Err(Error::invalid("to", format!("{} is not after {}", opts.to, opts.from)));
    }
    if (opts.to - opts.from).num_days() > MAX_SEED_DAYS {
        return Err(Error::invalid("to", format!("{} is more than {MAX_SEED_DAYS} days after {}", opts.to, opts.from)));
    }
    // NaN or infinity would never end the Poisson draw; a huge mean never ends the day.
    if !(opts.calls_per_day.is_finite() && (0.0..=MAX_CALLS_PER_DAY).contains(&opts.calls_per_day)) {
        return Err(Error::invalid("calls_per_day", format!("{} is not a number from 0 to {MAX_CALLS_PER_DAY}", opts.calls_per_day)));
    }
    Ok(())
}

/// Where calls come from and of what type.
struct CallMix {
    /// Places weighted by their island's population.
    spots: Vec<(Spot, f64)>,
    /// Crime concentrates in the towns: places weighted by population².
    crime_spots: Vec<(Spot, f64)>,
    /// Types drawn by Poisson, with their weights, and their share of all calls.
    untrended: Vec<(&'static str, f64)>,
    untrended_share: f64,
    /// Traffic types by quota.
    trended: Vec<Trended>,
}

/// A traffic type whose calls come by quota, falling year on year.
struct Trended {
    kind: &'static str,
    /// Share of all calls on an ordinary day of the first year.
    share: f64,
    /// Yearly change of its count.
    change: f64,
    quota: Quota,
    /// Per seeded year (365 days from the first day), what makes the year's count the
    /// trend's: see [`year_scales`].
    year_scale: Vec<f64>,
}

impl CallMix {
    fn new(region: &Region, opts: &SeedOptions, rng: &mut Rng) -> Result<CallMix, Error> {
        let spots = call_spots(region);
        let crime_spots: Vec<(Spot, f64)> = spots
            .iter()
            .map(|(spot, w)| {
                let pop = region.island(&spot.2.as_str().into()).and_then(|i| i.population).unwrap_or(500).max(100) as f64;
                (spot.clone(), w * pop)
            })
            .collect();
        let types: Vec<(&str, f64)> =
            TYPE_MIX.iter().copied().filter(|(t, _)| region.incident_types.iter().any(|x| x.id.0 == *t)).collect();
        if types.is_empty() || spots.is_empty() {
            return Err(Error::invalid("region", "the pack has none of the demo's incident types or no places in the district"));
        }
        // Traffic calls come by quota (their yearly count is the trend's, not a Poisson draw's,
        // so a year-on-year comparison shows the published rate); the others by Poisson.
        let trends = traffic_trends(region, &types);
        let weight_of = |list: &[(&str, f64)]| list.iter().map(|(_, w)| w).sum::<f64>();
        let all_weight = weight_of(&types);
        let untrended: Vec<(&str, f64)> = types.iter().copied().filter(|(t, _)| !trends.contains_key(*t)).collect();
        let untrended_share = weight_of(&untrended) / all_weight;
        let years = (opts.to - opts.from).num_days().max(0) as usize / 365 + 1;
        let trended = types
            .iter()
            .filter_map(|(t, w)| {
                let change = *trends.get(*t)?;
                let year_scale = year_scales(region, opts.from, years, change);
                Some(Trended { kind: t, share: w / all_weight, change, quota: Quota::per_step(0.0, rng), year_scale })
            })
            .collect();
        Ok(CallMix { spots, crime_spots, untrended, untrended_share, trended })
    }
}

/// The district's places a call can come from, weighted by their island's population
/// shared among its places.
fn call_spots(region: &Region) -> Vec<(Spot, f64)> {
    let mut spots = Vec::new();
    for p in region.places.iter().filter(|p| !matches!(p.kind, PlaceKind::Junction | PlaceKind::BridgeEnd)) {
        let island = region.island(&p.island).expect("validated");
        if !island.in_district {
            continue;
        }
        let n = region.places.iter().filter(|q| q.island == p.island).count() as f64;
        let weight = island.population.unwrap_or(500).max(100) as f64 / n;
        spots.push(((p.lon, p.lat, p.island.0.clone()), weight));
    }
    spots
}

/// For each year seeded (365 days from `from`), the factor that makes its count of a type
/// falling by `change` a year exactly the first year's times `(1 + change)^k`. The trend
/// is a rate per ordinary day and the busy days are not the same each year (the pack's
/// 2026 has five more holidays than its 2025): by rate alone, the demo's traffic fell
/// 5.3 % from its first year to the second, not the published 5.75 %.
fn year_scales(region: &Region, from: NaiveDate, years: usize, change: f64) -> Vec<f64> {
    let weight = |k: usize| -> f64 {
        (k * 365..(k + 1) * 365)
            .filter_map(|i| Some((from.checked_add_days(chrono::Days::new(i as u64))?, i)))
            .map(|(day, i)| day_factor(region, day) * (1.0 + change).powf(i as f64 / 365.0))
            .sum()
    };
    let first = weight(0);
    (0..years)
        .map(|k| {
            let w = weight(k);
            if w > 0.0 {
                first * (1.0 + change).powi(k as i32) / w
            } else {
                1.0
            }
        })
        .collect()
}

/// How busy a day is against an ordinary weekday: weekends, holidays and the summer season.
fn day_factor(region: &Region, day: NaiveDate) -> f64 {
    let mut factor = match region.holidays.day_type(day) {
        DayType::Weekday => 1.0,
        DayType::Weekend => 1.15,
        DayType::Holiday => 1.45,
    };
    if matches!(day.month(), 7 | 8) {
        factor *= 1.3;
    }
    factor
}

/// The seed's state while it writes: the desk on a clock it sets, the draws, and the
/// lifecycle steps still to come.
///
/// Two random streams. `calls` draws what happens in the district (weather, calls, their
/// types and places, duplicates, the joint work); `handling` draws how the desk deals with
/// it (delays, overrides, withdrawals, times on scene). The handling depends on the pack's
/// geography (ETAs, calls nobody can reach yet and tried again): on one shared stream it
/// shifted every later call, so the year's mix, and with it the calibrated figures, moved
/// with any change to the islands or the ranking.
struct Seeder<'o> {
    desk: Desk,
    clock: Arc<AtomicI64>,
    calls: Rng,
    handling: Rng,
    opts: &'o SeedOptions,
    summary: SeedSummary,
    mix: CallMix,
    joint: joint::JointWork,
    /// Pending lifecycle steps, in time order: (time, incident, step).
    queue: BinaryHeap<Reverse<(i64, IncidentId, Pending)>>,
    /// Days the ferries stop, with their wind force.
    windy: HashMap<NaiveDate, u8>,
    since_commit: u64,
}

impl<'o> Seeder<'o> {
    fn open(region: Region, db: &std::path::Path, opts: &'o SeedOptions) -> Result<Seeder<'o>, Error> {
        let clock = Arc::new(AtomicI64::new(0));
        let c2 = clock.clone();
        let desk = Desk::open(region, db, Clock::from_fn(move || c2.load(Ordering::Relaxed)))?.synthetic();
        let mut calls = Rng::new(opts.seed);
        let handling = Rng::new(Rng::new(opts.seed ^ HANDLING_STREAM).next_u64());
        let mix = CallMix::new(&desk.region, opts, &mut calls)?;
        let joint = joint::JointWork::new(&desk.region, &mut calls)?;
        Ok(Seeder {
            desk,
            clock,
            calls,
            handling,
            opts,
            summary: SeedSummary::default(),
            mix,
            joint,
            queue: BinaryHeap::new(),
            windy: HashMap::new(),
            since_commit: 0,
        })
    }

    /// Draws the day's weather and call times (sorted; a type only for traffic by quota) and
    /// writes the day's joint work.
    fn plan_day(&mut self, day: NaiveDate, day_start: i64) -> Result<Vec<(i64, Option<&'static str>)>, Error> {
        let factor = day_factor(&self.desk.region, day);
        // Typhoon season and winter gales: some days the ferries stop.
        let gale_chance = if matches!(day.month(), 8 | 9) { 0.12 } else { 0.04 };
        if self.calls.chance(gale_chance) {
            self.windy.insert(day, [8, 9, 9, 10][self.calls.range(0, 4) as usize]);
        }
        let hourly: Vec<(usize, f64)> = HOURLY.iter().copied().enumerate().collect();
        let mut arrivals: Vec<(i64, Option<&'static str>)> = Vec::new();
        let mut arrive = |rng: &mut Rng, kind: Option<&'static str>| {
            let h = *pick_weighted(rng, &hourly) as i64;
            arrivals.push((day_start + h * 3600 + rng.range(0, 3600) as i64, kind));
        };
        let calls_per_day = self.opts.calls_per_day;
        for _ in 0..poisson(&mut self.calls, calls_per_day * factor * self.mix.untrended_share) {
            arrive(&mut self.calls, None);
        }
        // Traffic falls year on year: its rate is the trend's since the first day, scaled so
        // that each year's count is the trend's whatever its weekends and holidays.
        let since = (day - self.opts.from).num_days();
        let years = since as f64 / 365.0;
        for t in self.mix.trended.iter_mut() {
            let scale = t.year_scale.get(since as usize / 365).copied().unwrap_or(1.0);
            for _ in 0..t.quota.take_rate(calls_per_day * factor * t.share * (1.0 + t.change).powf(years) * scale) {
                arrive(&mut self.calls, Some(t.kind));
            }
        }
        arrivals.sort_unstable();
        self.joint.day(&mut self.desk, &mut self.calls, &self.clock, day_start, &mut self.summary)?;
        Ok(arrivals)
    }

    /// Receives the day's calls and runs the steps due before `day_end`, in time order (a
    /// call first when both fall at the same second).
    fn run_day(
        &mut self,
        day: NaiveDate,
        day_end: i64,
        arrivals: Vec<(i64, Option<&'static str>)>,
        progress: &mut impl FnMut(&SeedSummary),
    ) -> Result<(), Error> {
        let mut next_arrival = arrivals.into_iter().peekable();
        loop {
            let next_pending = self.queue.peek().map(|Reverse((t, _, _))| *t).filter(|&t| t < day_end);
            let take_arrival = match (next_arrival.peek(), next_pending) {
                (Some(&(a, _)), Some(p)) => a <= p,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return Ok(()),
            };
            if take_arrival {
                let (at, given) = next_arrival.next().expect("peeked");
                self.receive(day, at, given)?;
                if self.count_call()? {
                    progress(&self.summary);
                }
            } else {
                let Reverse((at, id, step)) = self.queue.pop().expect("peeked");
                self.step(at, id, step)?;
            }
        }
    }

    /// Counts a received call; commits the batch and starts the next when it is full
    /// (true then, for a progress report).
    fn count_call(&mut self) -> Result<bool, Error> {
        self.since_commit += 1;
        if self.since_commit < CALLS_PER_BATCH {
            return Ok(false);
        }
        self.desk.journal_mut().commit_batch()?;
        self.desk.journal_mut().begin_batch()?;
        self.since_commit = 0;
        Ok(true)
    }

    /// Receives a call at `at` (of the `given` type, or a drawn one) from a drawn place, and
    /// queues its dispatch (or, for a duplicate, its cancellation).
    fn receive(&mut self, day: NaiveDate, at: i64, given: Option<&'static str>) -> Result<(), Error> {
        let rng = &mut self.calls;
        self.clock.store(at, Ordering::Relaxed);
        let kind = given.unwrap_or_else(|| *pick_weighted(rng, &self.mix.untrended));
        let crime = self.desk.region.meta.kpi.crime_types.iter().any(|t| t == kind);
        let (lon, lat, island) = pick_weighted(rng, if crime { &self.mix.crime_spots } else { &self.mix.spots }).clone();
        // Summer crowds on the tourist islands (traffic by quota stays as it came).
        let summer_jam = given.is_none() && TOURIST_ISLANDS.contains(&island.as_str()) && matches!(day.month(), 7 | 8);
        let kind = if summer_jam && rng.chance(0.3) { "congestion" } else { kind };
        let source = if kind == "citizen_tip" {
            CallSource::CitizenTip
        } else if rng.chance(0.1) {
            CallSource::Patrol
        } else {
            CallSource::Phone
        };
        let jitter = |r: &mut Rng| (r.range(0, 2000) as f64 - 1000.0) / 1_000_000.0;
        let (jlon, jlat) = (lon + jitter(rng), lat + jitter(rng));
        // A duplicate is a second call about this incident, drawn once with it: not a coin
        // flipped again at each try to dispatch the call (a call nobody could reach for hours
        // then became "a duplicate" and dropped out of the year's counts).
        let repeat = rng.chance(DUPLICATE_SHARE).then(|| at + rng.range(60, 900) as i64);
        let located = tidewatch_core::route::locate(&self.desk.net, jlon, jlat);
        let (lon, lat) = if located.island.as_deref() == Some(island.as_str()) { (jlon, jlat) } else { (lon, lat) };
        let text = intake_text(&self.desk.region, kind);
        let intake = Intake { incident_type: kind.to_string(), priority: None, lon, lat, source, text };
        let id = self.desk.receive(OPERATOR, ts(at), &intake)?;
        self.summary.incidents += 1;
        self.queue.push(Reverse((at + self.handling.range(20, 150) as i64, id, Pending::Dispatch)));
        if let Some(later) = repeat {
            self.queue.push(Reverse((later, id, Pending::Repeat)));
        }
        Ok(())
    }

    /// Receives a second call about `id` (same type and place) and queues its cancellation
    /// as a duplicate.
    fn repeat(&mut self, at: i64, id: IncidentId) -> Result<(), Error> {
        let row = self.desk.incident(id)?;
        let text = intake_text(&self.desk.region, &row.incident_type);
        let intake =
            Intake { incident_type: row.incident_type, priority: None, lon: row.lon, lat: row.lat, source: CallSource::Phone, text };
        let second = self.desk.receive(OPERATOR, ts(at), &intake)?;
        self.summary.incidents += 1;
        self.queue.push(Reverse((at + self.handling.range(20, 150) as i64, second, Pending::Duplicate)));
        Ok(())
    }

    /// Runs one lifecycle step of `id` at `at`, in that day's weather.
    fn step(&mut self, at: i64, id: IncidentId, step: Pending) -> Result<(), Error> {
        self.clock.store(at, Ordering::Relaxed);
        let local_day = self.desk.region.meta.time_zone.timestamp_opt(at, 0).single().expect("time").date_naive();
        let wind_force = self.windy.get(&local_day).copied().unwrap_or(3);
        let conditions = Conditions { wind_force, visibility_m: None, closed: Vec::new() };
        match step {
            Pending::Dispatch => self.dispatch(at, id, &conditions),
            Pending::EnRoute => self.en_route(at, id),
            Pending::OnScene => {
                self.desk.on_scene(OPERATOR, ts(at), id)?;
                self.queue.push(Reverse((at + self.handling.range(8 * 60, 70 * 60) as i64, id, Pending::Clear)));
                Ok(())
            }
            Pending::Clear => {
                self.desk.clear(OPERATOR, ts(at), id, "已处置（演示） handled (synthetic)")?;
                if let Some(back) = return_time(&self.desk, id, at, &conditions)? {
                    self.queue.push(Reverse((back, id, Pending::Return)));
                }
                Ok(())
            }
            Pending::Return => self.return_to_base(at, id),
            Pending::Repeat => self.repeat(at, id),
            Pending::Duplicate => {
                self.desk.cancel(OPERATOR, ts(at), id, "重复报警（演示） duplicate call (synthetic)")?;
                self.summary.cancelled += 1;
                Ok(())
            }
        }
    }

    /// Dispatches `id` (now and then the second pick taken over the first), or tries again
    /// in 10 minutes when nothing can go.
    fn dispatch(&mut self, at: i64, id: IncidentId, conditions: &Conditions) -> Result<(), Error> {
        let overriding = self.handling.chance(0.03);
        let pick = if overriding { Pick::Rank(1) } else { Pick::Rank(0) };
        let reason = overriding.then_some("民警报告离现场更近（演示） crew reported closer to the scene (synthetic)");
        let desk = &mut self.desk;
        let sent = match desk.dispatch_pick(OPERATOR, ts(at), id, &pick, conditions, reason, None) {
            Ok(sent) => Some(sent),
            Err(_) if overriding => desk.dispatch_pick(OPERATOR, ts(at), id, &Pick::Rank(0), conditions, None, None).ok(),
            Err(_) => None,
        };
        let Some(_) = sent else {
            return self.wait_or_give_up(at, id);
        };
        if overriding && self.desk.incident(id)?.override_reason.is_some() {
            self.summary.overrides += 1;
        }
        self.queue.push(Reverse((at + self.handling.range(20, 200) as i64, id, Pending::EnRoute)));
        Ok(())
    }

    /// Every eligible unit is busy or nothing reaches: try again after twice the time waited
    /// so far (10 minutes at least, 2 hours at most), so that a call held through a gale is
    /// not recommended 144 times a day. One nothing reaches for [`GIVE_UP_AFTER_S`] is
    /// cancelled as such (in a sound pack, none).
    fn wait_or_give_up(&mut self, at: i64, id: IncidentId) -> Result<(), Error> {
        self.summary.unreachable += 1;
        let waited = at - self.desk.incident(id)?.received_utc;
        if waited >= GIVE_UP_AFTER_S {
            self.desk.cancel(OPERATOR, ts(at), id, "无警力可达（演示） no unit could reach it (synthetic)")?;
            self.summary.cancelled += 1;
            return Ok(());
        }
        self.queue.push(Reverse((at + waited.clamp(600, 7200), id, Pending::Dispatch)));
        Ok(())
    }

    /// Sets the unit of `id` en route (or, now and then, withdraws it for a more urgent
    /// call) and queues its arrival by the recommendation's ETA, with some noise.
    fn en_route(&mut self, at: i64, id: IncidentId) -> Result<(), Error> {
        if self.handling.chance(0.01) {
            // Withdrawn for a more urgent call: the incident goes back to the queue.
            self.desk.withdraw(OPERATOR, ts(at), id, "调往更紧急的警情（演示） sent to a more urgent call (synthetic)")?;
            self.summary.reassignments += 1;
            self.queue.push(Reverse((at + 60, id, Pending::Dispatch)));
            return Ok(());
        }
        self.desk.en_route(OPERATOR, ts(at), id)?;
        let eta = self.desk.incident(id)?.eta_s.unwrap_or(600) as i64;
        let noise = 0.85 + self.handling.range(0, 45) as f64 / 100.0;
        self.queue.push(Reverse((at + ((eta as f64) * noise) as i64 + 1, id, Pending::OnScene)));
        Ok(())
    }

    /// Puts the unit that cleared `id` back at its base, if it is still where it cleared
    /// and free (not sent on meanwhile).
    fn return_to_base(&mut self, at: i64, id: IncidentId) -> Result<(), Error> {
        let desk = &mut self.desk;
        let row = desk.incident(id)?;
        let Some(unit) = row.unit_id.map(UnitId) else { return Ok(()) };
        let fleet = desk.fleet_at(at)?;
        let (Some(state), Some(u)) = (fleet.state(&unit), desk.region.unit(&unit)) else { return Ok(()) };
        let base = u.base.clone();
        if state.status == tidewatch_core::dispatch::UnitStatus::Available
            && state.position != base
            && Some(state.position.0.as_str()) == row_node(desk, id)?.as_deref()
        {
            desk.set_unit_status(OPERATOR, ts(at), &unit, tidewatch_core::dispatch::UnitStatus::Available, Some(&base))?;
        }
        Ok(())
    }

    /// Closes the tips left open when their time comes and commits the last batch.
    fn finish(mut self, started: std::time::Instant) -> Result<SeedSummary, Error> {
        self.summary.joint_records += self.joint.close_tips(&mut self.desk, &self.clock, None)?;
        self.desk.journal_mut().commit_batch()?;
        self.summary.events = self.desk.journal().last_seq();
        self.summary.seconds = started.elapsed().as_secs_f64();
        Ok(self.summary)
    }
}

/// A demo call's text, read by the operator in either language: "演示：盗窃 synthetic theft".
fn intake_text(region: &Region, kind: &str) -> String {
    let zh = region.incident_types.iter().find(|t| t.id.0 == kind).map_or(kind, |t| t.name_zh.as_str());
    format!("演示：{zh} synthetic {kind}")
}

/// The incident's road node (where a unit on scene stands).
fn row_node(desk: &Desk, id: IncidentId) -> Result<Option<String>, Error> {
    let row = desk.incident(id)?;
    Ok(tidewatch_core::route::locate(&desk.net, row.lon, row.lat).node_id)
}

/// When the unit that cleared `id` at `at` is back at its base (by road and ferry).
fn return_time(desk: &Desk, id: IncidentId, at: i64, conditions: &Conditions) -> Result<Option<i64>, Error> {
    use tidewatch_core::route::{fastest_trip, Destination, Passable, ServiceDays, UnitStart};
    let row = desk.incident(id)?;
    let Some(unit) = row.unit_id.as_ref().and_then(|u| desk.region.unit(&UnitId(u.clone()))) else { return Ok(None) };
    let (Some(from), Some(base)) =
        (row_node(desk, id)?.and_then(|n| desk.region.place_index(&n.as_str().into())), desk.region.place_index(&unit.base))
    else {
        return Ok(None);
    };
    if from == base {
        return Ok(None);
    }
    if unit.kind == UnitKind::Boat {
        let speed = unit.speed_kmh.unwrap_or(desk.region.meta.defaults.boat_speed_kmh);
        return Ok(Some(at + desk.net.boat.seconds(desk.net.pos(from as u32), desk.net.pos(base as u32), speed) as i64));
    }
    let pass = Passable::new(&desk.net, conditions, at)?;
    let days = ServiceDays::around(&desk.net, at);
    let start = UnitStart { node: from as u32, offset_s: 0, boat_speed_kmh: None, at_sea: None };
    let trip = fastest_trip(&desk.net, &pass, &days, &start, at, &Destination::Node { node: base as u32, access_s: 0 });
    Ok(Some(at + trip.map(|t| t.eta_s as i64).unwrap_or(86_400)))
}

fn ts(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).expect("time in range")
}
