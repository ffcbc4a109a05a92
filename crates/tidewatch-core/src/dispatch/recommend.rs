//! Ranking units for an incident: who may respond (type), who can (on duty and free),
//! and who gets there first (the route engine), with the legs and the warnings a
//! dispatcher needs before pressing the key.

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;

use super::fleet::Fleet;
use super::live::{start_of, StartFrom};
use crate::ids::{IncidentTypeId, UnitId};
use crate::region::{IncidentType, Region, RouteMode, Unit, UnitKind};
use crate::route::{
    fastest_trip, legs_of, locate, Conditions, Destination, Engine, Leg, Location, Network, Passable, ServiceDays, StepKind, Trip,
    UnitStart, Workspace,
};
use crate::Error;

mod community;
mod crews;
mod reach;
mod ties;
pub use crews::{carried_plan, police_crewed, CarriedBy, MAX_BOATS_PER_CREW, MAX_CARRIED};
pub use reach::{reach_changes, reach_map, station_moves, IslandReach, ReachBand, ReachChange, ReachMode, UnitMove};

#[derive(Debug, Clone)]
pub struct IncidentQuery {
    pub at: DateTime<Utc>,
    pub lon: f64,
    pub lat: f64,
    pub incident_type: IncidentTypeId,
    /// 1 (most urgent) to 4; the type's default when `None`.
    pub priority: Option<u8>,
    pub conditions: Conditions,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Recommendation {
    pub location: Location,
    pub incident_type: String,
    pub priority: u8,
    pub candidates: Vec<Candidate>,
    pub excluded: Excluded,
    pub warnings: Vec<Warning>,
    /// Community responders on the island, to call first: no police unit arrives within
    /// target (issue #16). Never counted as a police arrival.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<crate::region::Responder>>", optional)]
    pub responders: Vec<crate::region::Responder>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Candidate {
    pub unit: String,
    pub call_sign: String,
    pub kind: UnitKind,
    /// The island the unit is on now.
    pub island: String,
    pub eta_s: u32,
    pub route_mode: RouteMode,
    pub target_s: Option<u32>,
    pub legs: Vec<Leg>,
    pub warnings: Vec<Warning>,
    /// The police boat that takes this unit's crew across (issue #16); both are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier: Option<CarriedBy>,
    /// Where the ETA starts: a fresh GPS fix, or the last known place.
    pub from: StartFrom,
    /// The estimated data this ETA is built on (roads, timetable); empty: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<super::EstimatedData>>", optional)]
    pub estimated: Vec<super::EstimatedData>,
}

/// Units left out of the list, by reason.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Excluded {
    pub ineligible: Vec<String>,
    pub unavailable: Vec<String>,
    pub unreachable: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    AtSea,
    OffNetwork,
    NoUnitReaches,
    LastUnitOnIsland,
    NoReturnBeforeLastSailing,
    OverTarget,
    /// A crew carried across by a boat: the boat must bring it back (issue #16).
    CarriedReturn,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Warning {
    pub kind: WarningKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit: Option<String>,
    /// In English; a UI words the warning in its own language from `kind` and `params`
    /// and falls back to this.
    pub message: String,
    pub params: WarningParams,
}

/// The names and numbers a warning's message is made of, so that a UI can word it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct WarningParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub call_sign: Option<String>,
    /// An island id (the incident's, the unit's, or the nearest one to a point at sea).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub island: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub distance_m: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub priority: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub route_mode: Option<RouteMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub eta_min: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub target_min: Option<u32>,
    /// Local "HH:MM" the unit is assumed to clear.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cleared_at: Option<String>,
    /// Local "MM-DD HH:MM" it is back on its island; absent when it cannot get back at all.
    /// For a carried crew: when its boat is free again, having brought it back.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub back_at: Option<String>,
    /// The boat carrying the crew (its call sign).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier: Option<String>,
    /// Local "MM-DD HH:MM" of the crew's own way back (the first sailing) after clearing;
    /// absent when there is none in the next days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sailing_at: Option<String>,
    /// A carried crew comes back its own way (its first sailing gets it home no later than
    /// the boat would): the boat sails to base straight after landing it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub own_way: bool,
}

pub fn recommend(region: &Region, net: &Network, fleet: &Fleet, q: &IncidentQuery) -> Result<Recommendation, Error> {
    let (itype, priority) = checked_call(region, q)?;
    let t0 = q.at.timestamp();
    let mut ranking = rank_units(region, net, fleet, itype, priority, q.lon, q.lat, t0, &q.conditions)?;
    let reached: std::collections::HashSet<u32> = ranking.ranked.iter().map(|r| r.unit).collect();
    for (i, (unit, _)) in ranking.chosen.iter().enumerate() {
        if !reached.contains(&(i as u32)) {
            ranking.excluded.unreachable.push(unit.id.0.clone());
        }
    }
    let call = Call { region, net, fleet, q, priority, t0, on_scene_s: itype.on_scene_s as i64 };
    let candidates = call.candidates(&ranking);
    let Ranking { location, excluded, .. } = ranking;
    let mut warnings = point_warnings(region, &location, candidates.is_empty());
    if let Some(top) = candidates.first() {
        warnings.extend(top.warnings.iter().cloned());
    }
    let responders = community::to_call(region, &location, &candidates);
    Ok(Recommendation { location, incident_type: itype.id.0.clone(), priority, candidates, excluded, warnings, responders })
}

/// The call's type and priority, once its point is a coordinate inside the region, its
/// type known and its priority 1 to 4.
fn checked_call<'r>(region: &'r Region, q: &IncidentQuery) -> Result<(&'r IncidentType, u8), Error> {
    // NaN fails both range checks.
    if !(-180.0..=180.0).contains(&q.lon) || !(-90.0..=90.0).contains(&q.lat) {
        return Err(Error::invalid("lon/lat", format!("{}, {} is not a coordinate", q.lon, q.lat)));
    }
    if !region.meta.bounds.contains(q.lon, q.lat) {
        let b = &region.meta.bounds;
        return Err(Error::invalid(
            "lon/lat",
            format!("{}, {} is outside the region ({}–{} E, {}–{} N)", q.lon, q.lat, b.min_lon, b.max_lon, b.min_lat, b.max_lat),
        ));
    }
    let itype = region.incident_type(&q.incident_type).ok_or_else(|| Error::unknown("incident type", q.incident_type.0.clone()))?;
    let priority = q.priority.unwrap_or(itype.default_priority);
    if !(1..=4).contains(&priority) {
        return Err(Error::invalid("priority", format!("{priority} is outside 1..=4")));
    }
    Ok((itype, priority))
}

/// A call being recommended for: where, what and when, with its checked priority.
struct Call<'a> {
    region: &'a Region,
    net: &'a Network,
    fleet: &'a Fleet,
    q: &'a IncidentQuery,
    priority: u8,
    /// The call's time, Unix seconds.
    t0: i64,
    /// How long a unit is assumed to stay on scene (the type's `on_scene_min`), for when it
    /// can head back.
    on_scene_s: i64,
}

impl Call<'_> {
    /// Every row of the recommendation as a candidate, in the dispatcher's order (the
    /// first is the recommended one): units going alone and crews a boat would carry.
    fn candidates(&self, ranking: &Ranking) -> Vec<Candidate> {
        let (carried, rows) = crews::order(self.region, self.net, self.fleet, self.priority, ranking, self.t0, true);
        rows.into_iter()
            .filter_map(|row| match row {
                crews::Row::Alone(k) => Some(self.candidate(ranking, &ranking.ranked[k])),
                crews::Row::Carried(k) => self.carried_candidate(ranking, &carried, k),
            })
            .collect()
    }

    /// A ranked unit as a candidate: its trip, legs and warnings.
    fn candidate(&self, ranking: &Ranking, r: &crate::route::Ranked) -> Candidate {
        let (region, priority) = (self.region, self.priority);
        let (unit, start) = &ranking.chosen[r.unit as usize];
        let trip = fastest_trip(self.net, &ranking.pass, &ranking.days, start, self.t0, &ranking.dest)
            .expect("the engine reached this unit, so the oracle does");
        debug_assert_eq!(trip.eta_s, r.eta_s, "engine and oracle disagree for {}", unit.id);
        let mode = route_mode(&trip);
        let target_s = region.target(priority).map(|t| t.for_mode(mode).0);
        let island = region.places[start.node as usize].island.0.clone();
        let mut warnings = Vec::new();
        if let Some(t) = target_s.filter(|&t| r.eta_s > t) {
            warnings.push(over_target(unit, priority, mode, r.eta_s, t));
        }
        if ranking.location.island.as_deref() != Some(island.as_str())
            && unit.kind != UnitKind::Boat
            && is_last_free_on_island(region, self.fleet, &unit.id, &island)
        {
            warnings.push(last_unit_on_island(region, unit, &island));
        }
        if mode == RouteMode::Ferry && unit.kind != UnitKind::Boat {
            if let Some(w) = self.return_warning(ranking, unit, start, &trip) {
                warnings.push(w);
            }
        }
        Candidate {
            unit: unit.id.0.clone(),
            call_sign: unit.call_sign.clone(),
            kind: unit.kind,
            island,
            eta_s: r.eta_s,
            route_mode: mode,
            target_s,
            legs: legs_of(self.net, &trip, (self.q.lon, self.q.lat)),
            warnings,
            carrier: None,
            from: ranking.from[r.unit as usize].clone(),
            estimated: super::quality::estimated_data(region, self.net, &trip),
        }
    }
}

/// The unit's ETA is over the priority's target for its way there.
fn over_target(unit: &Unit, priority: u8, mode: RouteMode, eta_s: u32, target_s: u32) -> Warning {
    Warning {
        kind: WarningKind::OverTarget,
        unit: Some(unit.id.0.clone()),
        message: format!("ETA {} min is over the P{priority} {:?} target of {} min", eta_s / 60, mode, target_s / 60).to_lowercase(),
        params: WarningParams {
            priority: Some(priority),
            route_mode: Some(mode),
            eta_min: Some(eta_s / 60),
            target_min: Some(target_s / 60),
            ..Default::default()
        },
    }
}

/// Sending the unit off its island leaves the island without a free unit.
fn last_unit_on_island(region: &Region, unit: &Unit, island: &str) -> Warning {
    Warning {
        kind: WarningKind::LastUnitOnIsland,
        unit: Some(unit.id.0.clone()),
        message: format!(
            "{} is the last free unit on {}; ranked after any unit arriving as soon",
            unit.call_sign,
            island_name(region, island)
        ),
        params: WarningParams { call_sign: Some(unit.call_sign.clone()), island: Some(island.to_string()), ..Default::default() },
    }
}

/// Warnings about the point itself: at sea or off the roads, and reached by no unit.
fn point_warnings(region: &Region, location: &Location, none_reaches: bool) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if location.at_sea {
        warnings.push(Warning {
            kind: WarningKind::AtSea,
            unit: None,
            message: format!(
                "the point is at sea, {} m off {}: only boats can reach it",
                location.nearest_island_m.unwrap_or(0.0),
                location.nearest_island.as_deref().map(|i| island_name(region, i)).unwrap_or_default()
            ),
            params: WarningParams {
                island: location.nearest_island.clone(),
                distance_m: location.nearest_island_m.map(|m| m.round() as u32),
                ..Default::default()
            },
        });
    } else if location.off_network {
        warnings.push(Warning {
            kind: WarningKind::OffNetwork,
            unit: None,
            message: format!("the point is {} m from the nearest road node on its island", location.snap_m),
            params: WarningParams {
                island: location.island.clone(),
                distance_m: Some(location.snap_m.round() as u32),
                ..Default::default()
            },
        });
    }
    if none_reaches {
        warnings.push(Warning {
            kind: WarningKind::NoUnitReaches,
            unit: None,
            message: match &location.island {
                Some(i) => format!("no eligible free unit can reach {} under these conditions", island_name(region, i)),
                None => "no eligible free boat can reach the point under these conditions".into(),
            },
            params: WarningParams { island: location.island.clone(), ..Default::default() },
        });
    }
    warnings
}

/// Every eligible free unit ranked for one incident, with what it was ranked under.
pub(crate) struct Ranking<'r> {
    pub pass: Passable,
    pub days: ServiceDays,
    pub location: Location,
    pub dest: Destination,
    pub chosen: Vec<Starter<'r>>,
    /// Where each of `chosen` starts from, in words.
    pub from: Vec<StartFrom>,
    pub excluded: Excluded,
    /// Indexes into `chosen`, fastest first; unreachable units are absent.
    pub ranked: Vec<crate::route::Ranked>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn rank_units<'r>(
    region: &'r Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    priority: u8,
    lon: f64,
    lat: f64,
    at: i64,
    conditions: &Conditions,
) -> Result<Ranking<'r>, Error> {
    let pass = Passable::new(net, conditions, at)?;
    let days = ServiceDays::around(net, at);
    let location = locate(net, lon, lat);
    let dest = match location.node {
        Some(node) => Destination::Node { node, access_s: location.access_s },
        None => Destination::Point { lon, lat },
    };
    let (starters, excluded) = eligible_free_units(region, net, fleet, itype, at)?;
    let (chosen, from): (Vec<_>, Vec<_>) = starters.into_iter().map(|(u, s, f)| ((u, s), f)).unzip();
    let mut ranking = Ranking { pass, days, location, dest, chosen, from, excluded, ranked: Vec::new() };
    rerank(net, &mut ranking, at);
    if crews::last_resort_boats(region, net, fleet, itype, priority, &mut ranking, at)? {
        rerank(net, &mut ranking, at);
    }
    ties::break_ties(region, net, fleet, &mut ranking, at);
    Ok(ranking)
}

/// Ranks `ranking.chosen` afresh (after units joined it).
fn rerank(net: &Network, ranking: &mut Ranking, at: i64) {
    let engine = Engine::new(net, ranking.pass.clone());
    let table = engine.units(ranking.chosen.iter().map(|(_, s)| *s).collect());
    ranking.ranked = engine.rank(&mut Workspace::new(net), &table, at, &ranking.days, &ranking.dest, None);
}

/// A unit and where it starts from.
pub(crate) type Starter<'r> = (&'r Unit, UnitStart);
/// A unit, where it starts from, and that in words.
pub(crate) type Placed<'r> = (&'r Unit, UnitStart, StartFrom);

/// Units that may respond to `itype` (joint teams do both traffic and station work) and
/// are free, with where they start from at `at` (a fresh fix, or the last known place);
/// the rest, by reason.
pub(crate) fn eligible_free_units<'r>(
    region: &'r Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    at: i64,
) -> Result<(Vec<Placed<'r>>, Excluded), Error> {
    let mut excluded = Excluded::default();
    let mut chosen = Vec::new();
    for unit in &region.units {
        if !may_respond(itype, unit.kind) {
            excluded.ineligible.push(unit.id.0.clone());
            continue;
        }
        let Some(state) = fleet.state(&unit.id).filter(|s| s.status.is_free()) else {
            excluded.unavailable.push(unit.id.0.clone());
            continue;
        };
        let (start, from) = start_of(region, net, unit, &state.position, &fleet.live, at)?;
        chosen.push((unit, start, from));
    }
    Ok((chosen, excluded))
}

pub fn may_respond(itype: &IncidentType, kind: UnitKind) -> bool {
    itype.unit_kinds.contains(&kind)
        || (kind == UnitKind::Joint && itype.unit_kinds.iter().any(|k| matches!(k, UnitKind::Traffic | UnitKind::Station)))
}

pub fn route_mode(trip: &Trip) -> RouteMode {
    if trip.steps.iter().any(|s| matches!(s.kind, StepKind::Ferry { .. } | StepKind::Boat | StepKind::Carried { .. })) {
        RouteMode::Ferry
    } else if trip.steps.iter().any(|s| s.crosses_bridge()) {
        RouteMode::Bridge
    } else {
        RouteMode::Road
    }
}

fn island_name(region: &Region, id: &str) -> String {
    region.islands.iter().find(|i| i.id.0 == id).map(|i| format!("{} ({})", i.name_zh, i.name_en)).unwrap_or_else(|| id.to_string())
}

/// Would sending `unit` away leave its island with no free unit? Boats do not count:
/// they do not patrol the island's roads.
fn is_last_free_on_island(region: &Region, fleet: &Fleet, unit: &UnitId, island: &str) -> bool {
    let inhabited = region.islands.iter().any(|i| i.id.0 == island && i.inhabited && i.in_district);
    inhabited
        && !region.units.iter().any(|u| {
            &u.id != unit
                && u.kind != UnitKind::Boat
                && fleet.state(&u.id).is_some_and(|s| s.status.is_free() && region.place(&s.position).is_some_and(|p| p.island.0 == island))
        })
}

impl Call<'_> {
    /// After clearing (the type's time on scene after arriving), can the unit get home the
    /// same day? If the return needs tomorrow's first sailing (or none runs), the island it
    /// left is uncovered overnight.
    fn return_warning(&self, ranking: &Ranking, unit: &Unit, start: &UnitStart, trip: &Trip) -> Option<Warning> {
        let (region, net, pass, days) = (self.region, self.net, &ranking.pass, &ranking.days);
        let Destination::Node { node, .. } = ranking.dest else { return None };
        let cleared = trip.depart + trip.eta_s as i64 + self.on_scene_s;
        let back = UnitStart { node, offset_s: 0, boat_speed_kmh: None, at_sea: None };
        let home = Destination::Node { node: start.node, access_s: 0 };
        let tz = region.meta.time_zone;
        let local = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
        let ret = fastest_trip(net, pass, days, &back, cleared, &home);
        let cleared_local = local(cleared)?;
        match ret {
            None => Some(Warning {
                kind: WarningKind::NoReturnBeforeLastSailing,
                unit: Some(unit.id.0.clone()),
                message: format!("{} cannot get back to its island after clearing (no return crossing in the next days)", unit.call_sign),
                params: WarningParams {
                    call_sign: Some(unit.call_sign.clone()),
                    cleared_at: Some(cleared_local.format("%H:%M").to_string()),
                    ..Default::default()
                },
            }),
            Some(r) => {
                let home_at = local(cleared + r.eta_s as i64)?;
                (home_at.date() > cleared_local.date()).then(|| Warning {
                    kind: WarningKind::NoReturnBeforeLastSailing,
                    unit: Some(unit.id.0.clone()),
                    message: format!(
                        "{} cannot return before the last sailing: clearing about {} it is back only {}",
                        unit.call_sign,
                        cleared_local.format("%H:%M"),
                        home_at.format("%m-%d %H:%M")
                    ),
                    params: WarningParams {
                        call_sign: Some(unit.call_sign.clone()),
                        cleared_at: Some(cleared_local.format("%H:%M").to_string()),
                        back_at: Some(home_at.format("%m-%d %H:%M").to_string()),
                        ..Default::default()
                    },
                })
            }
        }
    }
}

/// What the desk records when a unit is sent: the recommendation it was chosen from and
/// the predicted trip, split into the segments reports need. Lighter than [`recommend`]:
/// one ranking, one explained trip.
pub struct PlanOutcome {
    pub unit: UnitId,
    /// The police boat that carries the unit's crew across ([`carried_plan`]).
    pub carrier: Option<UnitId>,
    pub plan: TripPlan,
}

/// The plan a unit is sent on: the recommended unit, the chosen one's rank and its
/// predicted trip split into the segments reports need (journaled as the dispatch plan).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TripPlan {
    pub recommended_unit: Option<String>,
    /// The boat that carries the recommended unit's crew, when the recommendation is a
    /// carried row (issue #16).
    pub recommended_carrier: Option<String>,
    /// 1-based rank of the chosen unit in the recommendation.
    pub rank: Option<u32>,
    pub eta_s: Option<u32>,
    pub route_mode: Option<RouteMode>,
    pub drive_s: u32,
    pub ferry_wait_s: u32,
    pub crossing_s: u32,
    /// Where the unit's trip started, when it had a GPS fix (used or not); journaled with
    /// the dispatch. None: from its last known place with no fix at all.
    pub from: Option<StartFrom>,
}

impl TripPlan {
    /// Is sending `unit` (carried by `carrier`) the recommended row?
    pub fn recommends(&self, unit: &UnitId, carrier: Option<&UnitId>) -> bool {
        self.recommended_unit.as_deref() == Some(unit.0.as_str()) && self.recommended_carrier.as_deref() == carrier.map(|c| c.0.as_str())
    }
}

/// Which unit to send: a named one going alone, or the n-th row of the recommendation in
/// the dispatcher's order (0: the recommended one, which may be a crew a boat carries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    Unit(UnitId),
    Rank(usize),
}

/// [`plan_for_call`] at the type's default priority.
#[allow(clippy::too_many_arguments)]
pub fn plan_for(
    region: &Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    lon: f64,
    lat: f64,
    at: i64,
    conditions: &Conditions,
    pick: &Pick,
) -> Result<PlanOutcome, Error> {
    plan_for_call(region, net, fleet, itype, itype.default_priority, (lon, lat), at, conditions, pick)
}

/// The plan of sending `pick` to a call of `itype` at `priority` (the priority decides
/// when boats answer as the last resort).
#[allow(clippy::too_many_arguments)]
pub fn plan_for_call(
    region: &Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    priority: u8,
    (lon, lat): (f64, f64),
    at: i64,
    conditions: &Conditions,
    pick: &Pick,
) -> Result<PlanOutcome, Error> {
    let ranking = rank_units(region, net, fleet, itype, priority, lon, lat, at, conditions)?;
    let alone = match pick {
        Pick::Unit(unit) => Some(alone_rank(itype, &ranking, unit)?),
        Pick::Rank(_) => None,
    };
    // Carried rows are planned when they can lead, or when the pick is one of them.
    let past_alone = matches!(pick, Pick::Rank(n) if *n >= ranking.ranked.len());
    let (carried, rows) = crews::order(region, net, fleet, priority, &ranking, at, past_alone);
    let row = match (alone, pick) {
        (Some(k), _) => crews::Row::Alone(k),
        (None, Pick::Rank(n)) => {
            *rows.get(*n).ok_or_else(|| Error::invalid("unit", format!("no unit ranked {} can reach the incident", n + 1)))?
        }
        (None, Pick::Unit(_)) => unreachable!("a named unit has its rank going alone"),
    };
    let (index, trip, carrier) = match row {
        crews::Row::Alone(k) => {
            let index = ranking.ranked[k].unit as usize;
            (index, fastest_trip(net, &ranking.pass, &ranking.days, &ranking.chosen[index].1, at, &ranking.dest), None)
        }
        crews::Row::Carried(k) => {
            let (_, index, b) = carried.pairs[k];
            let (boat, by) = &carried.boats[b];
            let trip =
                crate::route::fastest_carried_trip(net, &ranking.pass, &ranking.days, &ranking.chosen[index].1, by, at, &ranking.dest);
            (index, trip, Some(boat.id.clone()))
        }
    };
    let trip = trip.ok_or_else(|| Error::invalid("unit", "the ranked trip cannot be planned again"))?;
    Ok(plan_row(&ranking, &carried, &rows, (Some(row), index, carrier), &trip))
}

/// Where the named `unit` going alone is in `ranking.ranked`: a unit that may respond, is
/// free and reaches the incident.
fn alone_rank(itype: &IncidentType, ranking: &Ranking, unit: &UnitId) -> Result<usize, Error> {
    if ranking.excluded.ineligible.contains(&unit.0) {
        return Err(Error::invalid("unit", format!("{unit} may not respond to a {} call (incident_types.csv)", itype.id)));
    }
    let Some(index) = ranking.chosen.iter().position(|(u, _)| &u.id == unit) else {
        return Err(Error::UnitUnavailable {
            unit: unit.0.clone(),
            state: "busy or off duty".into(),
            message: "send it only by reassigning it, with a reason".into(),
        });
    };
    ranking
        .ranked
        .iter()
        .position(|r| r.unit as usize == index)
        .ok_or_else(|| Error::invalid("unit", format!("{unit} cannot reach the incident under the current conditions")))
}

/// The plan of one row (`row`, None: a pair the recommendation does not offer): unit
/// `index` of the ranking on `trip`, carried by `carrier`; the recommended row is the
/// first of `rows`, the rank this row's place among them.
fn plan_row(
    ranking: &Ranking,
    carried: &crews::Carried,
    rows: &[crews::Row],
    (row, index, carrier): (Option<crews::Row>, usize, Option<UnitId>),
    trip: &Trip,
) -> PlanOutcome {
    let (recommended_unit, recommended_carrier) = match rows.first() {
        Some(crews::Row::Alone(k)) => (Some(ranking.chosen[ranking.ranked[*k].unit as usize].0.id.0.clone()), None),
        Some(crews::Row::Carried(k)) => {
            let (crew, boat) = carried.units(ranking, *k);
            (Some(crew.id.0.clone()), Some(boat.id.0.clone()))
        }
        None => (None, None),
    };
    let mut plan = TripPlan {
        recommended_unit,
        recommended_carrier,
        rank: row.and_then(|row| rows.iter().position(|r| *r == row)).map(|p| p as u32 + 1),
        eta_s: Some(trip.eta_s),
        route_mode: Some(route_mode(trip)),
        // Only a unit that had a fix says more than the journal already knows.
        from: Some(ranking.from[index].clone()).filter(|f| f.fix.is_some()),
        ..Default::default()
    };
    split_trip(&mut plan, trip);
    PlanOutcome { unit: ranking.chosen[index].0.id.clone(), carrier, plan }
}

/// Splits `trip` into the segments reports need: driving (and walking), waiting for a
/// sailing or a boat, crossing.
fn split_trip(plan: &mut TripPlan, trip: &Trip) {
    for s in &trip.steps {
        match s.kind {
            StepKind::Road { .. } | StepKind::Access | StepKind::Walk { .. } => {
                plan.drive_s = plan.drive_s.saturating_add(span(s.start, s.end))
            }
            StepKind::Carried { depart } => {
                plan.ferry_wait_s = plan.ferry_wait_s.saturating_add(span(s.start, depart));
                plan.crossing_s = plan.crossing_s.saturating_add(span(depart, s.end));
            }
            StepKind::Ferry { depart, .. } => {
                plan.ferry_wait_s = plan.ferry_wait_s.saturating_add(span(s.start, depart));
                plan.crossing_s = plan.crossing_s.saturating_add(span(depart, s.end));
            }
            StepKind::Boat => plan.crossing_s = plan.crossing_s.saturating_add(span(s.start, s.end)),
        }
    }
    // Before the first step: reaching the road network from a reported position.
    let rest = trip.eta_s.saturating_sub(plan.drive_s).saturating_sub(plan.ferry_wait_s).saturating_sub(plan.crossing_s);
    plan.drive_s = plan.drive_s.saturating_add(rest);
}

/// Seconds from `a` to `b`, saturating.
fn span(a: i64, b: i64) -> u32 {
    u32::try_from(b.saturating_sub(a).max(0)).unwrap_or(u32::MAX)
}
