//! The boat's way back after carrying a crew across (issue #16), on the network alone (no
//! region): the recommendation's estimate ("boat free at base ~HH:MM") and the what-if's
//! hold on both units. `tests/route_engine_vs_oracle.rs` composes the same from the trip's
//! legs by hand and the engine's ranking, on random archipelagos.

use super::conditions::Passable;
use super::network::{Network, NodeIx, ServiceDays};
use super::trip::{fastest_trip, Destination, StepKind, Trip, UnitStart};

/// When the crew clears and when the boat is free again, in seconds since the epoch. The
/// crew clears after the type's time on scene and goes back to the landing pier the way it
/// came; the boat (waiting there, or back in time) takes it over to the pickup pier in the
/// time of the crossing out, then sails to its own base. When the crew's own way home (the
/// first sailing) gets it there no later than the boat would, the crew takes that and the
/// boat sails to base straight after landing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CarriedReturn {
    pub cleared: i64,
    /// The crew's own way home after clearing, if it has one in the days searched.
    pub own: Option<i64>,
    /// The crew goes home its own way (the boat does not fetch it).
    pub own_way: bool,
    /// The boat is back at its base, free.
    pub free_at_base: i64,
    /// The crew is back where it started (by its own way or by the boat and the drive).
    pub crew_home: i64,
}

/// Who goes back where: the crew's start (home), the boat's base and speed, and the
/// incident type's time on scene.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WayBack {
    pub home: NodeIx,
    pub base: NodeIx,
    pub boat_speed_kmh: f64,
    pub on_scene_s: i64,
}

/// The way back of a crew carried on `trip` (from [`super::fastest_carried_trip`]) to
/// `dest`; None for a point off the road network or a trip with no boat crossing.
pub fn carried_return(
    net: &Network,
    pass: &Passable,
    days: &ServiceDays,
    trip: &Trip,
    dest: &Destination,
    w: WayBack,
) -> Option<CarriedReturn> {
    let Destination::Node { node, .. } = *dest else { return None };
    let (reached_pier, pickup, landing, landed, depart) = trip.steps.iter().find_map(|s| match s.kind {
        StepKind::Carried { depart } => Some((s.start, s.from, s.to?, s.end, depart)),
        _ => None,
    })?;
    let sail_home = |from: NodeIx| match from == w.base {
        true => 0,
        false => i64::from(net.boat.seconds(net.pos(from), net.pos(w.base), w.boat_speed_kmh)),
    };
    let arrive = trip.depart + trip.eta_s as i64;
    let cleared = arrive + w.on_scene_s;
    // Back the way it came: ashore to the landing pier, across, and the drive home.
    let at_pickup = cleared + (arrive - landed).max(0) + (landed - depart).max(0);
    let home_by_boat = at_pickup + (reached_pier - trip.depart).max(0);
    let back = UnitStart { node, offset_s: 0, boat_speed_kmh: None, at_sea: None };
    let home = Destination::Node { node: w.home, access_s: 0 };
    let own = fastest_trip(net, pass, days, &back, cleared, &home).map(|r| cleared + r.eta_s as i64);
    let own_way = own.is_some_and(|o| o <= home_by_boat);
    let free_at_base = if own_way { landed + sail_home(landing) } else { at_pickup + sail_home(pickup) };
    let crew_home = match own {
        Some(o) if own_way => o,
        _ => home_by_boat,
    };
    Some(CarriedReturn { cleared, own, own_way, free_at_base, crew_home })
}
