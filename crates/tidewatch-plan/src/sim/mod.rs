//! What-if replay: a period of incidents (from the journal, or a generated history) played
//! against a roster, the network and a scenario's conditions with the same engine the
//! desk recommends with, reporting the predicted response (call to scene) so a leader can
//! compare two rosters side by side.
//!
//! The model, kept simple on purpose and stated in every report:
//! - each call gets the fastest free, eligible, on-duty unit (the desk's first
//!   recommendation); when none is free it waits for the first one to come free;
//! - units start every job from their base (they drive back after clearing), are busy for
//!   the trip there, the time on scene (the journal's, else the type's default) and the
//!   same trip back;
//! - a roster decides who is on duty (a unit is on duty when its officers are); a roster
//!   shorter than the replay is repeated over it (whole copies of its period);
//! - the scenario's conditions (wind, visibility, closures) hold for the whole replay, and
//!   its surge factor adds copies of calls (a holiday crowd);
//! - boats carry crews (issue #16): when no unit going alone arrives within the
//!   priority's target, a free land crew carried across by a free boat is sent instead if
//!   that is faster; both are held, the boat until it is back at its base and the crew
//!   until it is home (its own first sailing, or the boat back and the drive), by
//!   `route::carried_return`.
//!
//! [`standby`] replays the same calls with the units waiting at the standby plan's sites
//! instead of their bases, side by side per island.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::roster::{Period, Roster, UnitDuty};
use tidewatch_core::dispatch::{may_respond, IncidentState};
use tidewatch_core::ids::IncidentTypeId;
use tidewatch_core::region::{Region, RouteMode, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::{
    carried_return, fastest_carried_trip, fastest_trip, locate, Carrier, CarryTable, Conditions, Destination, Engine, Network, Passable,
    ServiceDays, UnitStart, WayBack, Workspace,
};
use tidewatch_core::Error;
use tidewatch_journal::ReadModels;
use tidewatch_report::Stats;

pub mod islands;
pub mod standby;

/// Time on scene when the journal does not say (minutes).
const DEFAULT_ON_SCENE_S: u32 = 40 * 60;

/// One call to replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SimIncident {
    /// Received, UTC unix seconds.
    pub at: i64,
    pub lon: f64,
    pub lat: f64,
    pub incident_type: IncidentTypeId,
    pub priority: u8,
    /// Time on scene, seconds.
    pub on_scene_s: u32,
    pub island: Option<String>,
}

/// The what-if scenarios the leader's screen and the CLI offer (`ScenarioName` in the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ScenarioName")]
pub enum Scenario {
    /// The conditions as they usually are.
    #[default]
    Normal,
    /// Force 10: the ferries stop, police boats stay in, bridges rated for 11 stay open.
    Typhoon,
    /// A holiday crowd: 1.6 × the calls.
    HolidaySurge,
    /// The bridges or ferry routes named stay closed (at least one must be named).
    BridgeClosed,
}

impl Scenario {
    pub const ALL: [Scenario; 4] = [Scenario::Normal, Scenario::Typhoon, Scenario::HolidaySurge, Scenario::BridgeClosed];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Normal => "normal",
            Scenario::Typhoon => "typhoon",
            Scenario::HolidaySurge => "holiday_surge",
            Scenario::BridgeClosed => "bridge_closed",
        }
    }

    /// The scenario named `name` as the screens and the CLI spell it.
    pub fn parse(name: &str) -> Result<Scenario, Error> {
        Scenario::ALL.into_iter().find(|s| s.as_str() == name).ok_or_else(|| {
            let names: Vec<&str> = Scenario::ALL.iter().map(|s| s.as_str()).collect();
            Error::invalid("scenario", format!("'{name}': {}", names.join(", ")))
        })
    }
}

impl std::fmt::Display for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the world is like during the replay.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct ScenarioSetup {
    pub name: Scenario,
    pub conditions: Conditions,
    /// Calls × this factor (1.0: as recorded); extra calls are copies of recorded ones,
    /// a few minutes later, chosen deterministically.
    pub surge: f64,
    /// Call to unit on its way (taking the call, dispatching, turning out), seconds.
    pub turnout_s: u32,
}

impl ScenarioSetup {
    pub fn normal() -> ScenarioSetup {
        ScenarioSetup { name: Scenario::Normal, conditions: Conditions::default(), surge: 1.0, turnout_s: 120 }
    }

    /// `scenario` with the bridges and ferry routes in `closed` closed as well; a closed
    /// bridge scenario must name what is closed.
    pub fn new(scenario: Scenario, closed: &[String]) -> Result<ScenarioSetup, Error> {
        let mut s = ScenarioSetup { name: scenario, ..ScenarioSetup::normal() };
        match scenario {
            Scenario::Normal => {}
            Scenario::Typhoon => s.conditions.wind_force = 10,
            Scenario::HolidaySurge => s.surge = 1.6,
            Scenario::BridgeClosed if closed.is_empty() => return Err(Error::invalid("closed", "choose the bridge that is closed")),
            Scenario::BridgeClosed => {}
        }
        s.conditions.closed.extend(closed.iter().cloned());
        Ok(s)
    }
}

/// At least this many days of recorded calls are replayed (whole copies of a roster's
/// period).
pub const REPLAY_MIN_DAYS: u32 = 14;

/// The local days `[from, to)` whose calls a what-if replays: whole copies of the roster's
/// `period` just before it (at least [`REPLAY_MIN_DAYS`]), or, with no roster, the
/// [`REPLAY_MIN_DAYS`] before `today`.
pub fn replay_window(period: Option<Period>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    match period {
        Some(p) => {
            let copies = REPLAY_MIN_DAYS.div_ceil(p.days);
            (p.from - Duration::days(i64::from(copies * p.days)), p.from)
        }
        None => (today - Duration::days(i64::from(REPLAY_MIN_DAYS)), today),
    }
}

/// Predicted response for one group of calls.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SimRow {
    pub key: String,
    pub calls: usize,
    /// Call to scene, seconds.
    pub response: Option<Stats>,
    pub within_target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SimReport {
    pub scenario: ScenarioSetup,
    /// Shifts of the roster replayed against (none: every unit always on duty).
    pub roster_shifts: Option<usize>,
    pub calls: usize,
    pub reached: usize,
    /// No eligible unit could get there under the conditions, or none is ever on duty.
    pub unreached: usize,
    /// Calls that waited for a unit to come free.
    pub waited: usize,
    /// Calls reached by a land crew carried across by a police boat (issue #16).
    pub carried: usize,
    pub overall: SimRow,
    /// By priority and route mode (`P1 road`, ...).
    pub by_priority_mode: Vec<SimRow>,
    pub by_island: Vec<SimRow>,
    pub by_route_mode: Vec<SimRow>,
    pub seconds: f64,
    /// The model in English; a UI words it in its own language from `model_kind` and
    /// falls back to this (as warnings do).
    pub model: &'static str,
    pub model_kind: SimModel,
    /// Every replayed call's outcome, in replay order (the per-island period view is
    /// summed from these: [`islands`]); not sent with the report (thousands of rows).
    #[serde(skip)]
    #[ts(skip)]
    pub outcomes: Vec<CallOutcome>,
}

/// What became of one replayed call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    /// The call's island ("sea" when it is on none).
    pub island: String,
    pub priority: u8,
    /// Call to scene, seconds; None when no unit reached it.
    pub response_s: Option<u32>,
    /// The priority's target for the way the unit came (for an unreached call, by road);
    /// None when the pack sets no target for the priority.
    pub target_s: Option<u32>,
}

/// Which replay model a report used (one so far; a UI words each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SimModel {
    /// [`MODEL`].
    FastestFreeFromBase,
}

const MODEL: &str = "fastest free on-duty unit from its base; calls wait when none is free; busy for trip + on scene + trip back; a crew carried by a free boat when nobody alone arrives within target and that is faster (boat held until back at base, crew until home); roster repeated over the replay; conditions constant";

/// The calls received in `[from, to)` (UTC seconds) as the journal has them (cancelled
/// calls that never had a unit are left out: nobody went).
pub fn incidents_from_journal(journal: &(impl ReadModels + ?Sized), from: i64, to: i64) -> Result<Vec<SimIncident>, Error> {
    Ok(journal
        .incidents_received(from, to)?
        .into_iter()
        .filter(|r| !(r.state == IncidentState::Cancelled && r.dispatched_utc.is_none()))
        .map(|r| SimIncident {
            at: r.received_utc,
            lon: r.lon,
            lat: r.lat,
            on_scene_s: match (r.on_scene_utc, r.closed_utc) {
                (Some(a), Some(b)) if b > a && r.state == IncidentState::Cleared => (b - a) as u32,
                _ => DEFAULT_ON_SCENE_S,
            },
            incident_type: IncidentTypeId(r.incident_type),
            priority: r.priority,
            island: r.island,
        })
        .collect())
}

/// Adds the scenario's surge copies and sorts by time.
fn with_surge(calls: &[SimIncident], surge: f64) -> Vec<SimIncident> {
    let mut out = calls.to_vec();
    if surge > 1.0 {
        let mut rng = Rng::new(0x5eed_cafe);
        let extra = surge - 1.0;
        for c in calls {
            let copies = extra.floor() as u32 + rng.chance(extra.fract()) as u32;
            for _ in 0..copies {
                let mut copy = c.clone();
                copy.at += rng.range(60, 1800) as i64;
                out.push(copy);
            }
        }
    }
    out.sort_by_key(|c| c.at);
    out
}

/// Per-group response times and how many were within target.
#[derive(Default)]
struct Tally {
    calls: usize,
    times: Vec<u32>,
    judged: usize,
    within: usize,
}

impl Tally {
    fn add(&mut self, response: Option<u32>, target: Option<u32>) {
        self.calls += 1;
        if let Some(r) = response {
            self.times.push(r);
            if let Some(t) = target {
                self.judged += 1;
                self.within += (r <= t) as usize;
            }
        }
    }

    fn row(mut self, key: String) -> SimRow {
        SimRow {
            key,
            calls: self.calls,
            response: Stats::of(&mut self.times),
            within_target: (self.judged > 0).then(|| self.within as f64 / self.judged as f64),
        }
    }
}

fn mode_name(m: RouteMode) -> &'static str {
    match m {
        RouteMode::Road => "road",
        RouteMode::Bridge => "bridge",
        RouteMode::Ferry => "ferry",
    }
}

/// Replays `calls` (any order) against `roster` (None: every unit on duty) under `scenario`.
pub fn simulate(
    region: &Region,
    net: &Network,
    calls: &[SimIncident],
    roster: Option<&Roster>,
    scenario: &ScenarioSetup,
) -> Result<SimReport, Error> {
    simulate_from(region, net, calls, roster, scenario, None)
}

/// [`simulate`] with the land units leaving from (and returning to) the standby sites in
/// `standby` while a window's plan places them.
pub fn simulate_from(
    region: &Region,
    net: &Network,
    calls: &[SimIncident],
    roster: Option<&Roster>,
    scenario: &ScenarioSetup,
    standby: Option<&standby::StandbyPositions>,
) -> Result<SimReport, Error> {
    let started = Instant::now();
    if !(scenario.surge >= 1.0 && scenario.surge <= 10.0) {
        return Err(Error::invalid("surge", format!("{} is outside 1.0..=10.0", scenario.surge)));
    }
    // Bridges open as at the first call (one engine serves the whole run).
    let pass = Passable::new(net, &scenario.conditions, calls.iter().map(|c| c.at).min().unwrap_or(0))?;
    let mut replay = Replay::new(region, net, pass, roster, scenario.turnout_s)?;
    replay.standby = standby;
    let calls = with_surge(calls, scenario.surge);
    let mut tallies = Tallies::default();
    for call in &calls {
        replay.respond(call, &mut tallies)?;
    }
    let rows = |m: BTreeMap<String, Tally>| m.into_iter().map(|(k, t)| t.row(k)).collect::<Vec<_>>();
    Ok(SimReport {
        scenario: scenario.clone(),
        roster_shifts: roster.map(|r| r.assignments.len()),
        calls: calls.len(),
        reached: tallies.reached,
        unreached: tallies.unreached,
        waited: tallies.waited,
        carried: tallies.carried,
        overall: tallies.overall.row("all".into()),
        by_priority_mode: rows(tallies.by_pm),
        by_island: rows(tallies.by_island),
        by_route_mode: rows(tallies.by_mode),
        seconds: started.elapsed().as_secs_f64(),
        model: MODEL,
        model_kind: SimModel::FastestFreeFromBase,
        outcomes: tallies.outcomes,
    })
}

/// The replay's counts and response times: overall, by priority and way, by island, by way.
#[derive(Default)]
struct Tallies {
    overall: Tally,
    by_pm: BTreeMap<String, Tally>,
    by_island: BTreeMap<String, Tally>,
    by_mode: BTreeMap<String, Tally>,
    reached: usize,
    unreached: usize,
    /// Calls that waited for a unit to be free.
    waited: usize,
    outcomes: Vec<CallOutcome>,
    /// Calls reached by a crew carried across by a boat.
    carried: usize,
}

impl Tallies {
    fn unreached(&mut self, priority: u8, island: String, target_s: Option<u32>) {
        self.unreached += 1;
        self.overall.add(None, None);
        self.by_island.entry(island.clone()).or_default().add(None, None);
        self.outcomes.push(CallOutcome { island, priority, response_s: None, target_s });
    }

    fn reached(&mut self, priority: u8, island: String, mode: RouteMode, response: u32, target_s: Option<u32>) {
        self.reached += 1;
        self.outcomes.push(CallOutcome { island: island.clone(), priority, response_s: Some(response), target_s });
        self.overall.add(Some(response), target_s);
        self.by_pm.entry(format!("P{} {}", priority, mode_name(mode))).or_default().add(Some(response), target_s);
        self.by_island.entry(island).or_default().add(Some(response), target_s);
        self.by_mode.entry(mode_name(mode).to_string()).or_default().add(Some(response), target_s);
    }
}

/// The fleet during a replay: each unit's base and when it is next free, and the engine
/// that ranks them.
struct Replay<'a> {
    region: &'a Region,
    net: &'a Network,
    pass: Passable,
    engine: Engine<'a>,
    ws: Workspace,
    duty: Option<UnitDuty>,
    turnout_s: u32,
    types: BTreeMap<&'a str, &'a tidewatch_core::region::IncidentType>,
    /// Per unit: the unit and its start at its base (boat speed), and when it is next free.
    units: Vec<(&'a tidewatch_core::region::Unit, UnitStart)>,
    free_at: Vec<i64>,
    /// Scratch lists of unit indexes, kept between calls.
    eligible: Vec<usize>,
    chosen: Vec<usize>,
    /// Where land units wait instead of their bases (the what-if with the standby plan).
    standby: Option<&'a standby::StandbyPositions>,
}

impl<'a> Replay<'a> {
    fn new(region: &'a Region, net: &'a Network, pass: Passable, roster: Option<&Roster>, turnout_s: u32) -> Result<Replay<'a>, Error> {
        let engine = Engine::new(net, pass.clone());
        let ws = Workspace::new(net);
        let duty = roster.map(UnitDuty::of);
        let mut units = Vec::with_capacity(region.units.len());
        for u in &region.units {
            let node = region.place_index(&u.base).ok_or_else(|| Error::unknown("place", u.base.0.clone()))? as u32;
            let boat = (u.kind == UnitKind::Boat).then(|| u.speed_kmh.unwrap_or(region.meta.defaults.boat_speed_kmh));
            units.push((u, UnitStart { node, offset_s: 0, boat_speed_kmh: boat, at_sea: None }));
        }
        let free_at = vec![i64::MIN; units.len()];
        let mut types = BTreeMap::new();
        for t in &region.incident_types {
            types.insert(t.id.0.as_str(), t);
        }
        Ok(Replay {
            region,
            net,
            pass,
            engine,
            ws,
            duty,
            turnout_s,
            types,
            units,
            free_at,
            eligible: Vec::new(),
            chosen: Vec::new(),
            standby: None,
        })
    }

    /// Where unit `i` leaves from at `t`: its standby site while a plan places it (it went
    /// back there after its last job), else its base.
    fn start(&self, i: usize, t: i64) -> UnitStart {
        let (u, base) = self.units[i];
        match self.standby.and_then(|s| s.at(&u.id.0, t)) {
            Some(node) if base.boat_speed_kmh.is_none() => UnitStart { node, ..base },
            _ => base,
        }
    }

    /// Sends the fastest eligible unit once one is free, and tallies the response (or
    /// that nobody reached the call).
    fn respond(&mut self, call: &SimIncident, tallies: &mut Tallies) -> Result<(), Error> {
        let net = self.net;
        let itype =
            *self.types.get(call.incident_type.0.as_str()).ok_or_else(|| Error::unknown("incident type", call.incident_type.0.clone()))?;
        let location = locate(net, call.lon, call.lat);
        let dest = match location.node {
            Some(node) => Destination::Node { node, access_s: location.access_s },
            None => Destination::Point { lon: call.lon, lat: call.lat },
        };
        let island = call.island.clone().or(location.island.clone()).unwrap_or_else(|| "sea".into());
        let target = self.region.target(call.priority);

        let (units, duty) = (&self.units, &self.duty);
        self.eligible.clear();
        self.eligible.extend((0..units.len()).filter(|&i| {
            let (u, _) = units[i];
            may_respond(itype, u.kind) && duty.as_ref().and_then(|d| d.on_duty_repeating(&u.id, call.at)) != Some(false)
        }));
        // Dispatch as soon as one of them is free.
        let Some(dispatch_at) = self.eligible.iter().map(|&i| self.free_at[i].max(call.at)).min() else {
            tallies.unreached(call.priority, island, target.map(|t| t.for_mode(RouteMode::Road).0));
            return Ok(());
        };
        if dispatch_at > call.at {
            tallies.waited += 1;
        }
        self.chosen.clear();
        self.chosen.extend(self.eligible.iter().copied().filter(|&i| self.free_at[i] <= dispatch_at));
        let table = self.engine.units(self.chosen.iter().map(|&i| self.start(i, dispatch_at)).collect());
        let leave = dispatch_at + self.turnout_s as i64;
        let days = ServiceDays::around(net, leave);
        let best = self.engine.rank(&mut self.ws, &table, leave, &days, &dest, Some(1));
        let alone = best.first().map(|f| (f.eta_s, self.chosen[f.unit as usize]));
        let in_target = |eta: u32, mode: RouteMode| target.is_some_and(|t| eta <= t.for_mode(mode).0);
        let alone_trip = match alone {
            Some((_, i)) => Some(
                fastest_trip(net, &self.pass, &days, &self.start(i, dispatch_at), leave, &dest)
                    .ok_or_else(|| Error::Storage("the engine and the trip oracle disagree".into()))?,
            ),
            None => None,
        };
        let alone_in_target = alone_trip.as_ref().is_some_and(|t| in_target(t.eta_s, tidewatch_core::dispatch::route_mode(t)));
        let carried = if alone_in_target { None } else { self.best_carried(&dest, dispatch_at, call.at) };
        let carried = carried.filter(|c| alone.is_none_or(|(eta, _)| c.0 < eta));
        if let Some((_, crew, boat)) = carried {
            return self.send_carried(call, (crew, boat), (leave, &days, &dest), island, tallies);
        }
        let (Some((eta, i)), Some(trip)) = (alone, alone_trip) else {
            tallies.unreached(call.priority, island, target.map(|t| t.for_mode(RouteMode::Road).0));
            return Ok(());
        };
        let mode = tidewatch_core::dispatch::route_mode(&trip);
        let response = (leave - call.at) as u32 + eta;
        self.free_at[i] = leave + 2 * eta as i64 + call.on_scene_s as i64;
        tallies.reached(call.priority, island, mode, response, target.map(|t| t.for_mode(mode).0));
        Ok(())
    }

    /// The fastest land crew (of those free at `dispatch_at`) a free, on-duty police boat
    /// carries across from its base: (ETA, crew, boat); None when boats stay in port.
    fn best_carried(&self, dest: &Destination, dispatch_at: i64, at: i64) -> Option<(u32, usize, usize)> {
        let table = CarryTable::new(self.net, &self.pass, dest)?;
        let on_duty = |i: usize| self.duty.as_ref().and_then(|d| d.on_duty_repeating(&self.units[i].0.id, at)) != Some(false);
        let boats: Vec<(usize, Carrier)> = (0..self.units.len())
            .filter(|&b| self.units[b].0.kind == UnitKind::Boat && self.free_at[b] <= dispatch_at && on_duty(b))
            .filter_map(|b| {
                let s = self.units[b].1;
                Some((b, Carrier { node: s.node, offset_s: 0, speed_kmh: s.boat_speed_kmh? }))
            })
            .collect();
        let crews = self.chosen.iter().copied().filter(|&i| self.units[i].0.kind != UnitKind::Boat);
        let (table, boats) = (&table, &boats);
        crews.flat_map(|i| boats.iter().filter_map(move |(b, c)| Some((table.eta(&self.start(i, dispatch_at), c)?, i, *b)))).min()
    }

    /// Sends `crew` carried by `boat`: the crossing's trip, the response tallied, both held
    /// (the boat until back at its base, the crew until home).
    fn send_carried(
        &mut self,
        call: &SimIncident,
        (crew, boat): (usize, usize),
        (leave, days, dest): (i64, &ServiceDays, &Destination),
        island: String,
        tallies: &mut Tallies,
    ) -> Result<(), Error> {
        let b = self.units[boat].1;
        let carrier = Carrier { node: b.node, offset_s: 0, speed_kmh: b.boat_speed_kmh.unwrap_or_default() };
        // Where the crew waits when sent (its standby site while a plan covers the moment).
        let start = self.start(crew, leave - self.turnout_s as i64);
        let trip = fastest_carried_trip(self.net, &self.pass, days, &start, &carrier, leave, dest)
            .ok_or_else(|| Error::Storage("the carry table and the trip oracle disagree".into()))?;
        let w = WayBack { home: start.node, base: b.node, boat_speed_kmh: carrier.speed_kmh, on_scene_s: call.on_scene_s as i64 };
        let back = carried_return(self.net, &self.pass, days, &trip, dest, w);
        let cleared = leave + trip.eta_s as i64 + call.on_scene_s as i64;
        // A trip with no crossing (the crew went alone after all) drives back the same way.
        let alone_back = cleared + trip.eta_s as i64;
        if let Some(r) = back {
            self.free_at[boat] = r.free_at_base;
        }
        self.free_at[crew] = back.map_or(alone_back, |r| r.crew_home);
        let mode = tidewatch_core::dispatch::route_mode(&trip);
        let response = (leave - call.at) as u32 + trip.eta_s;
        tallies.carried += back.is_some() as usize;
        let target = self.region.target(call.priority).map(|t| t.for_mode(mode).0);
        tallies.reached(call.priority, island, mode, response, target);
        Ok(())
    }
}
