//! The reach map for a patrol leader (issue #16): for one moment and its conditions, every
//! inhabited island of the district with the best police ETA to it and how (road, bridge,
//! ferry, a boat alone, a crew a boat carries), so that the night and the gale show which
//! islands fall beyond target.
//! Each island is asked about at its first town or village in places.csv (else its first
//! place), as a priority call every police unit may answer, with the fleet as given.

use super::super::fleet::{UnitState, UnitStatus};
use super::*;
use crate::ids::PlaceId;
use crate::region::{BoatFallback, PlaceKind};

/// How the best unit gets to an island.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReachMode {
    Road,
    Bridge,
    Ferry,
    /// A police boat going alone (its own crew).
    Boat,
    /// A land crew carried across by a police boat.
    Carried,
}

/// How an island fares against the priority's target, as the map colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReachBand {
    /// Reached within the target.
    Within,
    /// Late, but within twice the target.
    Twice,
    /// Reached later than twice the target (or the priority has no target to be within).
    Beyond,
    /// No unit reaches it under these conditions.
    Unreachable,
}

impl ReachBand {
    pub fn of(eta_s: Option<u32>, target_s: Option<u32>) -> ReachBand {
        match (eta_s, target_s) {
            (None, _) => ReachBand::Unreachable,
            (Some(e), Some(t)) if e <= t => ReachBand::Within,
            (Some(e), Some(t)) if u64::from(e) <= 2 * u64::from(t) => ReachBand::Twice,
            _ => ReachBand::Beyond,
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct IslandReach {
    pub island: String,
    pub name_zh: String,
    pub name_en: String,
    /// The place asked about.
    pub place: String,
    /// `None`: no unit reaches under these conditions.
    pub eta_s: Option<u32>,
    pub mode: Option<ReachMode>,
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier: Option<String>,
    pub target_s: Option<u32>,
    pub within_target: bool,
    pub band: ReachBand,
}

/// A what-if move: the unit stationed, free, at the place instead of its base ("boat_02 at
/// 西岠码头"). A boat can only be stationed at a pier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct UnitMove {
    pub unit: String,
    pub place: String,
}

/// Stations each moved unit at its place (free), refusing an unknown unit or place, or a
/// boat off a pier.
pub fn station_moves(region: &Region, fleet: &mut Fleet, moves: &[UnitMove]) -> Result<(), Error> {
    for m in moves {
        let unit = region.unit(&UnitId(m.unit.clone())).ok_or_else(|| Error::unknown("unit", &m.unit))?;
        let place = region.place(&PlaceId(m.place.clone())).ok_or_else(|| Error::unknown("place", &m.place))?;
        if unit.kind == UnitKind::Boat && place.kind != PlaceKind::Pier {
            return Err(Error::invalid("moves", format!("{} is a boat: {} is not a pier", m.unit, m.place)));
        }
        fleet.states.insert(unit.id.clone(), UnitState { status: UnitStatus::Available, position: place.id.clone() });
    }
    Ok(())
}

/// An island whose band differs between a baseline and a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ReachChange {
    pub island: String,
    pub before: ReachBand,
    pub after: ReachBand,
    pub before_eta_s: Option<u32>,
    pub after_eta_s: Option<u32>,
    /// The scenario reaches it in a better band.
    pub better: bool,
}

/// The islands whose band the scenario changes, in the baseline's order (islands only one
/// side has count as unreachable on the other).
pub fn reach_changes(before: &[IslandReach], after: &[IslandReach]) -> Vec<ReachChange> {
    let find = |map: &[IslandReach], id: &str| map.iter().find(|r| r.island == id).map(|r| (r.band, r.eta_s));
    let mut ids: Vec<&str> = before.iter().map(|r| r.island.as_str()).collect();
    ids.extend(after.iter().map(|r| r.island.as_str()).filter(|id| !before.iter().any(|r| r.island == *id)));
    ids.into_iter()
        .filter_map(|id| {
            let (b, be) = find(before, id).unwrap_or((ReachBand::Unreachable, None));
            let (a, ae) = find(after, id).unwrap_or((ReachBand::Unreachable, None));
            (a != b).then(|| ReachChange { island: id.to_string(), before: b, after: a, before_eta_s: be, after_eta_s: ae, better: a < b })
        })
        .collect()
}

/// The reach of every inhabited island of the district at `at` for a call of `priority`.
pub fn reach_map(
    region: &Region,
    net: &Network,
    fleet: &Fleet,
    at: DateTime<Utc>,
    conditions: &Conditions,
    priority: u8,
) -> Result<Vec<IslandReach>, Error> {
    if !(1..=4).contains(&priority) {
        return Err(Error::invalid("priority", format!("{priority} is outside 1..=4")));
    }
    let any_police = IncidentType {
        id: IncidentTypeId("reach".into()),
        name_zh: String::new(),
        name_en: String::new(),
        unit_kinds: UnitKind::ALL.iter().map(|(_, k)| *k).collect(),
        default_priority: priority,
        boat_fallback: BoatFallback::Never,
        on_scene_s: crate::region::DEFAULT_ON_SCENE_S,
    };
    let mut out = Vec::new();
    for island in region.islands.iter().filter(|i| i.inhabited && i.in_district) {
        let Some(place) = asked_place(region, &island.id.0) else { continue };
        let q = IncidentQuery {
            at,
            lon: place.lon,
            lat: place.lat,
            incident_type: any_police.id.clone(),
            priority: Some(priority),
            conditions: conditions.clone(),
        };
        let best = best_candidate(region, net, fleet, &any_police, &q, priority)?;
        let mode = best.as_ref().map(reach_mode);
        let (eta_s, target_s) = (best.as_ref().map(|c| c.eta_s), best.as_ref().and_then(|c| c.target_s));
        out.push(IslandReach {
            island: island.id.0.clone(),
            name_zh: island.name_zh.clone(),
            name_en: island.name_en.clone(),
            place: place.id.0.clone(),
            eta_s,
            mode,
            unit: best.as_ref().map(|c| c.unit.clone()),
            carrier: best.as_ref().and_then(|c| c.carrier.as_ref().map(|b| b.unit.clone())),
            target_s,
            within_target: eta_s.zip(target_s).is_some_and(|(e, t)| e <= t),
            band: ReachBand::of(eta_s, target_s),
        });
    }
    Ok(out)
}

/// The island's first town or village, else its first place.
fn asked_place<'r>(region: &'r Region, island: &str) -> Option<&'r crate::region::Place> {
    let on = || region.places.iter().filter(move |p| p.island.0 == island);
    on().find(|p| matches!(p.kind, PlaceKind::Town | PlaceKind::Village)).or_else(|| on().next())
}

fn best_candidate(
    region: &Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    q: &IncidentQuery,
    priority: u8,
) -> Result<Option<Candidate>, Error> {
    let t0 = q.at.timestamp();
    let ranking = rank_units(region, net, fleet, itype, priority, q.lon, q.lat, t0, &q.conditions)?;
    let call = Call { region, net, fleet, q, priority, t0, on_scene_s: itype.on_scene_s as i64 };
    // The best ETA, whichever row the desk would recommend (a unit going alone at the same ETA).
    Ok(call.candidates(&ranking).into_iter().min_by_key(|c| (c.eta_s, c.carrier.is_some())))
}

fn reach_mode(c: &Candidate) -> ReachMode {
    if c.carrier.is_some() {
        return ReachMode::Carried;
    }
    if c.legs.iter().any(|l| l.mode == crate::route::LegMode::Boat) {
        return ReachMode::Boat;
    }
    match c.route_mode {
        RouteMode::Road => ReachMode::Road,
        RouteMode::Bridge => ReachMode::Bridge,
        RouteMode::Ferry => ReachMode::Ferry,
    }
}
