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
}

// long: not split yet (issue #12 asks for it; the first cut of the checker found it over 100 lines)
pub fn seed(
    region: Region,
    db: &std::path::Path,
    opts: &SeedOptions,
    mut progress: impl FnMut(&SeedSummary),
) -> Result<SeedSummary, Error> {
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
    let started = std::time::Instant::now();
    let clock = Arc::new(AtomicI64::new(0));
    let c2 = clock.clone();
    let mut desk = Desk::open(region, db, Clock::from_fn(move || c2.load(Ordering::Relaxed)))?.synthetic();
    let tz = desk.region.meta.time_zone;
    let mut rng = Rng::new(opts.seed);
    let mut summary = SeedSummary::default();

    // Where calls come from: places weighted by their island's population.
    let mut spots: Vec<((f64, f64, String), f64)> = Vec::new();
    for p in desk.region.places.iter().filter(|p| !matches!(p.kind, PlaceKind::Junction | PlaceKind::BridgeEnd)) {
        let island = desk.region.island(&p.island).expect("validated");
        if !island.in_district {
            continue;
        }
        let n = desk.region.places.iter().filter(|q| q.island == p.island).count() as f64;
        let weight = island.population.unwrap_or(500).max(100) as f64 / n;
        spots.push(((p.lon, p.lat, p.island.0.clone()), weight));
    }
    // Crime concentrates in the towns: its calls come from places weighted by population².
    let crime_spots: Vec<((f64, f64, String), f64)> = spots
        .iter()
        .map(|(spot, w)| {
            let pop = desk.region.island(&spot.2.as_str().into()).and_then(|i| i.population).unwrap_or(500).max(100) as f64;
            (spot.clone(), w * pop)
        })
        .collect();
    let tourist: Vec<&str> = ["changbai", "panzhi", "damao", "dongju", "aoshan", "xixiezhi"].to_vec();
    let types: Vec<(&str, f64)> =
        TYPE_MIX.iter().copied().filter(|(t, _)| desk.region.incident_types.iter().any(|x| x.id.0 == *t)).collect();
    if types.is_empty() || spots.is_empty() {
        return Err(Error::invalid("region", "the pack has none of the demo's incident types or no places in the district"));
    }
    // Traffic calls come by quota (their yearly count is the trend's, not a Poisson draw's,
    // so a year-on-year comparison shows the published rate); the others by Poisson.
    let trends = traffic_trends(&desk.region, &types);
    let weight_of = |list: &[(&str, f64)]| list.iter().map(|(_, w)| w).sum::<f64>();
    let all_weight = weight_of(&types);
    let untrended: Vec<(&str, f64)> = types.iter().copied().filter(|(t, _)| !trends.contains_key(*t)).collect();
    let untrended_share = weight_of(&untrended) / all_weight;
    let mut trended: Vec<(&str, f64, f64, Quota)> =
        types.iter().filter_map(|(t, w)| trends.get(*t).map(|g| (*t, w / all_weight, *g, Quota::per_step(0.0, &mut rng)))).collect();
    let mut joint = joint::JointWork::new(&desk.region, &mut rng)?;

    // Pending lifecycle steps, in time order: (time, incident, step).
    let mut queue: BinaryHeap<Reverse<(i64, IncidentId, Pending)>> = BinaryHeap::new();
    let mut windy: HashMap<NaiveDate, u8> = HashMap::new();
    let mut day = opts.from;
    desk.journal_mut().begin_batch()?;
    let mut since_commit = 0u64;
    while day < opts.to || !queue.is_empty() {
        // The local day's real length: 23 or 25 hours on DST days, less when midnight is skipped.
        let next = day.succ_opt().ok_or_else(|| Error::invalid("to", format!("{day} is the last date there is")))?;
        let (day_start, day_end) = (tidewatch_journal::day_start(tz, day)?, tidewatch_journal::day_start(tz, next)?);
        let mut arrivals: Vec<(i64, Option<&str>)> = Vec::new();
        if day < opts.to {
            let day_type = desk.region.holidays.day_type(day);
            let mut factor = match day_type {
                DayType::Weekday => 1.0,
                DayType::Weekend => 1.15,
                DayType::Holiday => 1.45,
            };
            if matches!(day.month(), 7 | 8) {
                factor *= 1.3;
            }
            // Typhoon season and winter gales: some days the ferries stop.
            let gale_chance = if matches!(day.month(), 8 | 9) { 0.12 } else { 0.04 };
            if rng.chance(gale_chance) {
                windy.insert(day, [8, 9, 9, 10][rng.range(0, 4) as usize]);
            }
            let hourly: Vec<(usize, f64)> = HOURLY.iter().copied().enumerate().collect();
            let mut arrive = |rng: &mut Rng, kind: Option<&'static str>| {
                let h = *pick_weighted(rng, &hourly) as i64;
                arrivals.push((day_start + h * 3600 + rng.range(0, 3600) as i64, kind));
            };
            for _ in 0..poisson(&mut rng, opts.calls_per_day * factor * untrended_share) {
                arrive(&mut rng, None);
            }
            // Traffic falls year on year: its rate is the trend's since the first day.
            let years = (day - opts.from).num_days() as f64 / 365.0;
            for (kind, share, g, quota) in trended.iter_mut() {
                for _ in 0..quota.take_rate(opts.calls_per_day * factor * *share * (1.0 + *g).powf(years)) {
                    arrive(&mut rng, Some(kind));
                }
            }
            arrivals.sort_unstable();
            joint.day(&mut desk, &mut rng, &clock, day_start, &mut summary)?;
        }
        let mut next_arrival = arrivals.into_iter().peekable();
        loop {
            let next_pending = queue.peek().map(|Reverse((t, _, _))| *t).filter(|&t| t < day_end);
            let take_arrival = match (next_arrival.peek(), next_pending) {
                (Some(&(a, _)), Some(p)) => a <= p,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_arrival {
                let (at, given) = next_arrival.next().expect("peeked");
                clock.store(at, Ordering::Relaxed);
                let kind = given.unwrap_or_else(|| *pick_weighted(&mut rng, &untrended));
                let crime = desk.region.meta.kpi.crime_types.iter().any(|t| t == kind);
                let (lon, lat, island) = pick_weighted(&mut rng, if crime { &crime_spots } else { &spots }).clone();
                // Summer crowds on the tourist islands (traffic by quota stays as it came).
                let summer_jam = given.is_none() && tourist.contains(&island.as_str()) && matches!(day.month(), 7 | 8);
                let kind = if summer_jam && rng.chance(0.3) { "congestion" } else { kind };
                let source = if kind == "citizen_tip" {
                    CallSource::CitizenTip
                } else if rng.chance(0.1) {
                    CallSource::Patrol
                } else {
                    CallSource::Phone
                };
                let jitter = |r: &mut Rng| (r.range(0, 2000) as f64 - 1000.0) / 1_000_000.0;
                let (jlon, jlat) = (lon + jitter(&mut rng), lat + jitter(&mut rng));
                let located = tidewatch_core::route::locate(&desk.net, jlon, jlat);
                let (lon, lat) = if located.island.as_deref() == Some(island.as_str()) { (jlon, jlat) } else { (lon, lat) };
                let id = desk.receive(
                    OPERATOR,
                    ts(at),
                    &Intake { incident_type: kind.to_string(), priority: None, lon, lat, source, text: intake_text(&desk.region, kind) },
                )?;
                summary.incidents += 1;
                queue.push(Reverse((at + rng.range(20, 150) as i64, id, Pending::Dispatch)));
                since_commit += 1;
                if since_commit >= 2000 {
                    desk.journal_mut().commit_batch()?;
                    desk.journal_mut().begin_batch()?;
                    since_commit = 0;
                    progress(&summary);
                }
                continue;
            }
            let Reverse((at, id, step)) = queue.pop().expect("peeked");
            clock.store(at, Ordering::Relaxed);
            let local_day = tz.timestamp_opt(at, 0).single().expect("time").date_naive();
            let conditions = Conditions { wind_force: windy.get(&local_day).copied().unwrap_or(3), visibility_m: None, closed: Vec::new() };
            match step {
                Pending::Dispatch => {
                    if rng.chance(0.02) {
                        desk.cancel(OPERATOR, ts(at), id, "重复报警（演示） duplicate call (synthetic)")?;
                        summary.cancelled += 1;
                        continue;
                    }
                    let overriding = rng.chance(0.03);
                    let pick = if overriding { Pick::Rank(1) } else { Pick::Rank(0) };
                    let reason = overriding.then_some("民警报告离现场更近（演示） crew reported closer to the scene (synthetic)");
                    let sent = match desk.dispatch_pick(OPERATOR, ts(at), id, &pick, &conditions, reason, None) {
                        Ok(sent) => Some(sent),
                        Err(_) if overriding => desk.dispatch_pick(OPERATOR, ts(at), id, &Pick::Rank(0), &conditions, None, None).ok(),
                        Err(_) => None,
                    };
                    let Some(_) = sent else {
                        // Every eligible unit is busy or nothing reaches: try again in 10 minutes.
                        summary.unreachable += 1;
                        queue.push(Reverse((at + 600, id, Pending::Dispatch)));
                        continue;
                    };
                    if overriding && desk.incident(id)?.override_reason.is_some() {
                        summary.overrides += 1;
                    }
                    queue.push(Reverse((at + rng.range(20, 200) as i64, id, Pending::EnRoute)));
                }
                Pending::EnRoute => {
                    if rng.chance(0.01) {
                        // Withdrawn for a more urgent call: the incident goes back to the queue.
                        desk.withdraw(OPERATOR, ts(at), id, "调往更紧急的警情（演示） sent to a more urgent call (synthetic)")?;
                        summary.reassignments += 1;
                        queue.push(Reverse((at + 60, id, Pending::Dispatch)));
                        continue;
                    }
                    desk.en_route(OPERATOR, ts(at), id)?;
                    let eta = desk.incident(id)?.eta_s.unwrap_or(600) as i64;
                    let noise = 0.85 + rng.range(0, 45) as f64 / 100.0;
                    queue.push(Reverse((at + ((eta as f64) * noise) as i64 + 1, id, Pending::OnScene)));
                }
                Pending::OnScene => {
                    desk.on_scene(OPERATOR, ts(at), id)?;
                    queue.push(Reverse((at + rng.range(8 * 60, 70 * 60) as i64, id, Pending::Clear)));
                }
                Pending::Clear => {
                    desk.clear(OPERATOR, ts(at), id, "已处置（演示） handled (synthetic)")?;
                    if let Some(back) = return_time(&desk, id, at, &conditions)? {
                        queue.push(Reverse((back, id, Pending::Return)));
                    }
                }
                Pending::Return => {
                    // Only if it is still where it cleared and free (not sent on meanwhile).
                    let row = desk.incident(id)?;
                    let Some(unit) = row.unit_id.map(UnitId) else { continue };
                    let fleet = desk.fleet_at(at)?;
                    let (Some(state), Some(u)) = (fleet.state(&unit), desk.region.unit(&unit)) else { continue };
                    let base = u.base.clone();
                    if state.status == tidewatch_core::dispatch::UnitStatus::Available
                        && state.position != base
                        && Some(state.position.0.as_str()) == row_node(&desk, id)?.as_deref()
                    {
                        desk.set_unit_status(OPERATOR, ts(at), &unit, tidewatch_core::dispatch::UnitStatus::Available, Some(&base))?;
                    }
                }
            }
        }
        day = next;
        if day >= opts.to && queue.is_empty() {
            break;
        }
    }
    // Tips left open at the end are closed when their time comes.
    summary.joint_records += joint.close_tips(&mut desk, &clock, None)?;
    desk.journal_mut().commit_batch()?;
    summary.events = desk.journal().last_seq();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
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
    let start = UnitStart { node: from as u32, offset_s: 0, boat_speed_kmh: None };
    let trip = fastest_trip(&desk.net, &pass, &days, &start, at, &Destination::Node { node: base as u32, access_s: 0 });
    Ok(Some(at + trip.map(|t| t.eta_s as i64).unwrap_or(86_400)))
}

fn ts(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).expect("time in range")
}
