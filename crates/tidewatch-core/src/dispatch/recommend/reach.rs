//! The reach map for a patrol leader (issue #16): for one moment and its conditions, every
//! inhabited island of the district with the best police ETA to it and how (road, bridge,
//! ferry, a boat alone, a crew a boat carries), so that the night and the gale show which
//! islands fall beyond target.
//! Each island is asked about at its first town or village in places.csv (else its first
//! place), as a priority call every police unit may answer, with the fleet as given.

use super::*;
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
        out.push(IslandReach {
            island: island.id.0.clone(),
            name_zh: island.name_zh.clone(),
            name_en: island.name_en.clone(),
            place: place.id.0.clone(),
            eta_s: best.as_ref().map(|c| c.eta_s),
            mode,
            unit: best.as_ref().map(|c| c.unit.clone()),
            carrier: best.as_ref().and_then(|c| c.carrier.as_ref().map(|b| b.unit.clone())),
            target_s: best.as_ref().and_then(|c| c.target_s),
            within_target: best.as_ref().is_some_and(|c| c.target_s.is_some_and(|t| c.eta_s <= t)),
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
