//! Police boats beyond their own calls (issue #16): carrying a land crew across when that
//! is faster than any way the crew has alone, and answering themselves, as the last
//! resort, the types whose `boat_fallback` is `police_crew`.

use super::*;
use crate::region::BoatFallback;
use crate::route::{carried_return, fastest_carried_trip, Carrier, CarryTable, NodeIx, WayBack};

/// How many crew-and-boat combinations a recommendation offers at most: the crews with
/// the fastest crossings, each with its boats.
pub const MAX_CARRIED: usize = 12;

/// How many boats a recommendation offers one crew (the fastest first), so that a
/// dispatcher can send another boat when the first is needed elsewhere.
pub const MAX_BOATS_PER_CREW: usize = 3;

/// The boat that carries a candidate's crew.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct CarriedBy {
    pub unit: String,
    pub call_sign: String,
}

/// Does any officer of the pack serve on `unit`? (Every officer in officers.csv is a
/// police officer; a boat without any is crewed by others and never answers alone.)
pub fn police_crewed(region: &Region, unit: &Unit) -> bool {
    region.officers.iter().any(|o| o.unit.as_ref() == Some(&unit.id))
}

/// Free police boats and where they can leave from, whatever the incident type: a boat
/// that carries a crew does not respond itself. A boat out at sea (a fresh fix) counts
/// from the pier nearest to it, once there.
fn free_boats<'r>(region: &'r Region, net: &Network, fleet: &Fleet, at: i64) -> Vec<(&'r Unit, Carrier)> {
    region
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Boat)
        .filter_map(|u| {
            let state = fleet.state(&u.id).filter(|s| s.status.is_free())?;
            let (start, _) = start_of(region, net, u, &state.position, &fleet.live, at).ok()?;
            let speed_kmh = start.boat_speed_kmh?;
            Some((u, Carrier { node: start.node, offset_s: start.offset_s, speed_kmh }))
        })
        .collect()
}

/// The crews free boats would carry for one ranking: the boats, and the pairs as (ETA,
/// index into `ranking.chosen`, index into `boats`): each land crew with every free boat
/// that takes it faster than its own way (its fastest [`MAX_BOATS_PER_CREW`]), the crews
/// whose best crossing is fastest first until [`MAX_CARRIED`] pairs, then fastest first.
/// A crew comes with its other boats, not only the fastest, so that a dispatcher can send
/// another boat when that one is wanted elsewhere.
#[derive(Default)]
pub(super) struct Carried<'r> {
    pub boats: Vec<(&'r Unit, Carrier)>,
    pub pairs: Vec<(u32, usize, usize)>,
}

impl<'r> Carried<'r> {
    pub fn plan(region: &'r Region, net: &Network, fleet: &Fleet, ranking: &Ranking, at: i64) -> Carried<'r> {
        let boats = free_boats(region, net, fleet, at);
        let pairs = carried_pairs(net, ranking, &boats);
        Carried { boats, pairs }
    }

    /// The crew and the boat of pair `k`.
    pub fn units<'a>(&'a self, ranking: &'a Ranking, k: usize) -> (&'a Unit, &'a Unit) {
        let (_, i, b) = self.pairs[k];
        (ranking.chosen[i].0, self.boats[b].0)
    }
}

/// A crew's best crossing, the crew (index into `ranking.chosen`) and its boats (ETA, index
/// into the boats), fastest first.
type CrewBoats = (u32, usize, Vec<(u32, usize)>);

fn carried_pairs(net: &Network, ranking: &Ranking, boats: &[(&Unit, Carrier)]) -> Vec<(u32, usize, usize)> {
    let Some(table) = CarryTable::new(net, &ranking.pass, &ranking.dest) else { return Vec::new() };
    let mut alone = vec![u32::MAX; ranking.chosen.len()];
    for r in &ranking.ranked {
        alone[r.unit as usize] = r.eta_s;
    }
    let mut crews: Vec<CrewBoats> = Vec::new();
    for (i, (_, start)) in ranking.chosen.iter().enumerate().filter(|(_, (u, _))| u.kind != UnitKind::Boat) {
        let mut by: Vec<(u32, usize)> = boats
            .iter()
            .enumerate()
            .filter_map(|(b, (_, carrier))| table.eta(start, carrier).map(|e| (e, b)))
            .filter(|&(e, _)| e < alone[i])
            .collect();
        by.sort_unstable();
        by.truncate(MAX_BOATS_PER_CREW);
        if let Some(&(best, _)) = by.first() {
            crews.push((best, i, by));
        }
    }
    crews.sort_unstable();
    let mut pairs: Vec<(u32, usize, usize)> =
        crews.into_iter().flat_map(|(_, i, by)| by.into_iter().map(move |(e, b)| (e, i, b))).collect();
    pairs.truncate(MAX_CARRIED);
    pairs.sort_unstable();
    pairs
}

/// A row of the recommendation: a unit going alone (index into `ranking.ranked`) or a crew
/// carried by a boat (index into [`Carried::pairs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Row {
    Alone(usize),
    Carried(usize),
}

/// The rows in the dispatcher's order; the first is the recommended one. When the first
/// unit going alone arrives within the priority's target (`alone_first`), the units going
/// alone in the ranking's order, then the carried crews: a boat and a crew are two units
/// off their posts, so they lead only when going alone misses the target. Otherwise every
/// row by ETA, a unit going alone first at the same ETA (the ranking's ties kept).
pub(super) fn rows(alone: &[u32], carried: &[u32], alone_first: bool) -> Vec<Row> {
    let solo = alone.iter().enumerate().map(|(k, &e)| (e, false, Row::Alone(k)));
    let mut rows: Vec<(u32, bool, Row)> = solo.chain(carried.iter().enumerate().map(|(k, &e)| (e, true, Row::Carried(k)))).collect();
    if !alone_first {
        rows.sort_by_key(|&(eta, is_carried, _)| (eta, is_carried));
    }
    rows.into_iter().map(|(_, _, row)| row).collect()
}

/// The carried pairs and the rows of `ranking` in the dispatcher's order. The pairs are
/// planned (a road search from every pier) only when they can lead — no unit going alone
/// arrives within target — or when `all` asks for them; else the carried rows are left out.
pub(super) fn order<'r>(
    region: &'r Region,
    net: &Network,
    fleet: &Fleet,
    priority: u8,
    ranking: &Ranking,
    at: i64,
    all: bool,
) -> (Carried<'r>, Vec<Row>) {
    let alone_first = within_target(region, net, priority, ranking, at);
    let carried = if all || !alone_first { Carried::plan(region, net, fleet, ranking, at) } else { Carried::default() };
    let alone: Vec<u32> = ranking.ranked.iter().map(|r| r.eta_s).collect();
    let etas: Vec<u32> = carried.pairs.iter().map(|p| p.0).collect();
    let rows = rows(&alone, &etas, alone_first);
    (carried, rows)
}

impl Call<'_> {
    /// Pair `k` of `carried` as a candidate: the crew's trip by its boat, legs and warnings.
    pub(super) fn carried_candidate(&self, ranking: &Ranking, carried: &Carried, k: usize) -> Option<Candidate> {
        let (eta, i, b) = carried.pairs[k];
        let (boat, carrier) = &carried.boats[b];
        let (unit, start) = &ranking.chosen[i];
        let trip = fastest_carried_trip(self.net, &ranking.pass, &ranking.days, start, carrier, self.t0, &ranking.dest)?;
        debug_assert_eq!(trip.eta_s, eta, "carry table and oracle disagree for {} by {}", unit.id, boat.id);
        let mode = route_mode(&trip);
        let target_s = self.region.target(self.priority).map(|t| t.for_mode(mode).0);
        let island = self.region.places[start.node as usize].island.0.clone();
        let mut warnings = Vec::new();
        if let Some(t) = target_s.filter(|&t| trip.eta_s > t) {
            warnings.push(over_target(unit, self.priority, mode, trip.eta_s, t));
        }
        if ranking.location.island.as_deref() != Some(island.as_str()) && is_last_free_on_island(self.region, self.fleet, &unit.id, &island)
        {
            warnings.push(last_unit_on_island(self.region, unit, &island));
        }
        warnings.extend(self.carried_return(ranking, (unit, start), (boat, carrier), &trip));
        Some(Candidate {
            unit: unit.id.0.clone(),
            call_sign: unit.call_sign.clone(),
            kind: unit.kind,
            island,
            eta_s: trip.eta_s,
            route_mode: mode,
            target_s,
            legs: legs_of(self.net, &trip, (self.q.lon, self.q.lat)),
            warnings,
            carrier: Some(CarriedBy { unit: boat.id.0.clone(), call_sign: boat.call_sign.clone() }),
            from: ranking.from[i].clone(),
            estimated: crate::dispatch::estimated_data(self.region, self.net, &trip),
        })
    }
}

/// The boat's way back after carrying a crew across (issue #16): see
/// [`crate::route::carried_return`].
pub use crate::route::CarriedReturn;

impl Call<'_> {
    /// When `boat` (sailing as `carrier`) is free at its base after carrying `crew` on
    /// `trip`; None for a point off the road network or a trip not carried.
    pub(super) fn carried_way_back(
        &self,
        ranking: &Ranking,
        (crew, boat): (&UnitStart, (&Unit, &Carrier)),
        trip: &Trip,
    ) -> Option<CarriedReturn> {
        let base = self.region.place_index(&boat.0.base)? as NodeIx;
        let w = WayBack { home: crew.node, base, boat_speed_kmh: boat.1.speed_kmh, on_scene_s: self.on_scene_s };
        carried_return(self.net, &ranking.pass, &ranking.days, trip, &ranking.dest, w)
    }

    /// The boat must bring the crew back (or the crew comes back on its own first
    /// sailing): when the crew clears, when the boat is free at its base, and the crew's
    /// own way back. None when [`Call::carried_way_back`] is.
    fn carried_return(
        &self,
        ranking: &Ranking,
        (crew, start): (&Unit, &UnitStart),
        boat: (&Unit, &Carrier),
        trip: &Trip,
    ) -> Option<Warning> {
        let r = self.carried_way_back(ranking, (start, boat), trip)?;
        let tz = self.region.meta.time_zone;
        let local = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
        let (cleared_l, free_l) = (local(r.cleared)?, local(r.free_at_base)?);
        let own_l = r.own.and_then(local);
        let ferry = match own_l {
            Some(t) if r.own_way => format!("; {} comes back its own way, back {}", crew.call_sign, t.format("%H:%M")),
            Some(t) if t.date() == cleared_l.date() => format!("; by its own way it would be back {}", t.format("%H:%M")),
            Some(t) => format!("; no sailing back the same day (first way back {})", t.format("%m-%d %H:%M")),
            None => "; no sailing back in the next days".to_string(),
        };
        let fetch = if r.own_way { "takes".to_string() } else { format!("must bring {} back", crew.call_sign) };
        Some(Warning {
            kind: WarningKind::CarriedReturn,
            unit: Some(crew.id.0.clone()),
            message: format!(
                "{} {fetch}: clearing about {}, boat free at base ~{}{ferry}",
                boat.0.call_sign,
                cleared_l.format("%H:%M"),
                free_l.format("%m-%d %H:%M")
            ),
            params: WarningParams {
                call_sign: Some(crew.call_sign.clone()),
                carrier: Some(boat.0.call_sign.clone()),
                cleared_at: Some(cleared_l.format("%H:%M").to_string()),
                back_at: Some(free_l.format("%m-%d %H:%M").to_string()),
                sailing_at: own_l.map(|t| t.format("%m-%d %H:%M").to_string()),
                own_way: r.own_way,
                ..Default::default()
            },
        })
    }
}

/// Boats answer a `police_crew` type only when no eligible unit arrives within the
/// priority's target for its way there: then every free police-crewed boat joins the
/// ranking (and the rest of the boats count as unavailable rather than ineligible).
pub(super) fn last_resort_boats<'r>(
    region: &'r Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    priority: u8,
    ranking: &mut Ranking<'r>,
    at: i64,
) -> Result<bool, Error> {
    if itype.boat_fallback != BoatFallback::PoliceCrew || within_target(region, net, priority, ranking, at) {
        return Ok(false);
    }
    let mut added = false;
    for unit in region.units.iter().filter(|u| u.kind == UnitKind::Boat && police_crewed(region, u)) {
        let Some(pos) = ranking.excluded.ineligible.iter().position(|id| id == &unit.id.0) else { continue };
        ranking.excluded.ineligible.remove(pos);
        match fleet.state(&unit.id).filter(|s| s.status.is_free()) {
            Some(state) => {
                let (start, from) = start_of(region, net, unit, &state.position, &fleet.live, at)?;
                ranking.chosen.push((unit, start));
                ranking.from.push(from);
                added = true;
            }
            None => ranking.excluded.unavailable.push(unit.id.0.clone()),
        }
    }
    Ok(added)
}

/// Does the best-ranked unit arrive within the priority's target for its way there?
pub(super) fn within_target(region: &Region, net: &Network, priority: u8, ranking: &Ranking, at: i64) -> bool {
    let Some(best) = ranking.ranked.first() else { return false };
    let Some(target) = region.target(priority) else { return true };
    let start = &ranking.chosen[best.unit as usize].1;
    let mode = fastest_trip(net, &ranking.pass, &ranking.days, start, at, &ranking.dest).map_or(RouteMode::Ferry, |t| route_mode(&t));
    best.eta_s <= target.for_mode(mode).0
}

/// The plan of sending `crew` carried across by `boat` to a call of `itype` at `priority`
/// (a carried row of the recommendation; both units are sent): the crew's trip by that
/// boat, the recommended row and this one's rank in the recommendation's order (None when
/// the recommendation does not offer the pair: a slower boat than the crew's fastest).
/// Refused, naming the unit, when the crew may not respond or is not free, when `boat` is
/// not a free boat, or when that boat cannot take the crew there.
#[allow(clippy::too_many_arguments)]
pub fn carried_plan(
    region: &Region,
    net: &Network,
    fleet: &Fleet,
    itype: &IncidentType,
    priority: u8,
    (lon, lat): (f64, f64),
    at: i64,
    conditions: &Conditions,
    (crew, boat): (&UnitId, &UnitId),
) -> Result<PlanOutcome, Error> {
    let ranking = rank_units(region, net, fleet, itype, priority, lon, lat, at, conditions)?;
    let index = crew_index(region, itype, &ranking, crew)?;
    let (carried, rows) = order(region, net, fleet, priority, &ranking, at, true);
    let b = boat_index(region, &carried.boats, boat)?;
    let start = &ranking.chosen[index].1;
    let trip = fastest_carried_trip(net, &ranking.pass, &ranking.days, start, &carried.boats[b].1, at, &ranking.dest)
        .ok_or_else(|| Error::invalid("carrier", format!("{boat} cannot take {crew} to the incident under the current conditions")))?;
    let row = carried.pairs.iter().position(|&(_, i, c)| i == index && c == b).map(Row::Carried);
    Ok(super::plan_row(&ranking, &carried, &rows, (row, index, Some(boat.clone())), &trip))
}

/// Where `crew` is in `ranking.chosen`: a land unit that may respond and is free.
fn crew_index(region: &Region, itype: &IncidentType, ranking: &Ranking, crew: &UnitId) -> Result<usize, Error> {
    let unit = region.unit(crew).ok_or_else(|| Error::unknown("unit", crew.0.clone()))?;
    if unit.kind == UnitKind::Boat {
        return Err(Error::invalid("unit", format!("{crew} is a boat: it goes alone, it is not carried")));
    }
    if ranking.excluded.ineligible.contains(&crew.0) {
        return Err(Error::invalid("unit", format!("{crew} may not respond to a {} call (incident_types.csv)", itype.id)));
    }
    ranking.chosen.iter().position(|(u, _)| &u.id == crew).ok_or_else(|| Error::UnitUnavailable {
        unit: crew.0.clone(),
        state: "busy or off duty".into(),
        message: "a carried crew must be free".into(),
    })
}

/// Where `boat` is in `boats` (the free boats).
fn boat_index(region: &Region, boats: &[(&Unit, Carrier)], boat: &UnitId) -> Result<usize, Error> {
    let unit = region.unit(boat).ok_or_else(|| Error::unknown("unit", boat.0.clone()))?;
    if unit.kind != UnitKind::Boat {
        return Err(Error::invalid("carrier", format!("{boat} is not a boat")));
    }
    boats.iter().position(|(u, _)| &u.id == boat).ok_or_else(|| Error::UnitUnavailable {
        unit: boat.0.clone(),
        state: "busy or off duty".into(),
        message: "a boat carries a crew only when it is free".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::{rows, Row};

    #[test]
    fn units_alone_lead_within_target_else_every_row_by_eta() {
        let (alone, carried) = ([600, 900, 27_000], [700, 650]);
        use Row::{Alone as A, Carried as C};
        assert_eq!(rows(&alone, &carried, true), [A(0), A(1), A(2), C(0), C(1)]);
        assert_eq!(rows(&alone, &carried, false), [A(0), C(1), C(0), A(1), A(2)]);
        // At the same ETA a unit going alone first; the ranking's own order of ties kept.
        assert_eq!(rows(&[500, 500], &[500], false), [A(0), A(1), C(0)]);
        assert_eq!(rows(&[], &[300], false), [C(0)]);
        assert_eq!(rows(&[], &[], true), []);
    }
}
