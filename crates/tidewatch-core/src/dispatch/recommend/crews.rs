//! Police boats beyond their own calls (issue #16): carrying a land crew across when that
//! is faster than any way the crew has alone, and answering themselves, as the last
//! resort, the types whose `boat_fallback` is `police_crew`.

use super::*;
use crate::region::BoatFallback;
use crate::route::{fastest_carried_trip, Carrier, CarryTable};

/// How many crew-and-boat combinations a recommendation offers: the fastest.
pub const MAX_CARRIED: usize = 5;

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

/// The crews a boat would carry, as (ETA, index into `ranking.chosen`, index into `boats`):
/// each land crew with its fastest boat where that beats `alone` (the crew's own ETA),
/// the fastest [`MAX_CARRIED`], fastest first.
fn carried_pairs(net: &Network, ranking: &Ranking, boats: &[(&Unit, Carrier)], alone: impl Fn(&Unit) -> u32) -> Vec<(u32, usize, usize)> {
    let Some(table) = CarryTable::new(net, &ranking.pass, &ranking.dest) else { return Vec::new() };
    let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
    for (i, (unit, start)) in ranking.chosen.iter().enumerate().filter(|(_, (u, _))| u.kind != UnitKind::Boat) {
        let best = boats.iter().enumerate().filter_map(|(b, (_, carrier))| table.eta(start, carrier).map(|e| (e, b))).min();
        if let Some((eta, b)) = best.filter(|&(e, _)| e < alone(unit)) {
            pairs.push((eta, i, b));
        }
    }
    pairs.sort_unstable();
    pairs.truncate(MAX_CARRIED);
    pairs
}

impl Call<'_> {
    /// Land crews carried by a free boat, where that beats the crew's own best ETA; the
    /// fastest [`MAX_CARRIED`], each with its fastest boat.
    pub(super) fn carried(&self, ranking: &Ranking, solo: &[Candidate]) -> Vec<Candidate> {
        let boats = free_boats(self.region, self.net, self.fleet, self.t0);
        let alone = |unit: &Unit| solo.iter().find(|c| c.unit == unit.id.0).map_or(u32::MAX, |c| c.eta_s);
        carried_pairs(self.net, ranking, &boats, alone)
            .into_iter()
            .filter_map(|(eta, i, b)| self.carried_candidate(ranking, i, &boats[b], eta))
            .collect()
    }

    fn carried_candidate(&self, ranking: &Ranking, i: usize, (boat, carrier): &(&Unit, Carrier), eta: u32) -> Option<Candidate> {
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
        warnings.extend(self.carried_return(ranking, (unit, start), boat, &trip));
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

impl Call<'_> {
    /// The boat must bring the crew back (issue #16): when it is free again (the crew
    /// clears after the assumed time on scene, goes back ashore to the landing pier, and
    /// the boat crosses back with it), and whether the crew has a sailing of its own back
    /// the same day. None for a point off the road network.
    fn carried_return(&self, ranking: &Ranking, (crew, start): (&Unit, &UnitStart), boat: &Unit, trip: &Trip) -> Option<Warning> {
        let Destination::Node { node, .. } = ranking.dest else { return None };
        let (landed, depart) = trip.steps.iter().find_map(|s| match s.kind {
            StepKind::Carried { depart } => Some((s.end, depart)),
            _ => None,
        })?;
        let arrive = trip.depart + trip.eta_s as i64;
        let cleared = arrive + ASSUMED_ON_SCENE_S;
        let free = cleared + (arrive - landed).max(0) + (landed - depart).max(0);
        let back = UnitStart { node, offset_s: 0, boat_speed_kmh: None, at_sea: None };
        let home = Destination::Node { node: start.node, access_s: 0 };
        let own = fastest_trip(self.net, &ranking.pass, &ranking.days, &back, cleared, &home).map(|r| cleared + r.eta_s as i64);
        let tz = self.region.meta.time_zone;
        let local = |t: i64| tz.timestamp_opt(t, 0).single().map(|d| d.naive_local());
        let (cleared_l, free_l) = (local(cleared)?, local(free)?);
        let own_l = own.and_then(local);
        let ferry = match own_l {
            Some(t) if t.date() == cleared_l.date() => format!("; by its own way it would be back {}", t.format("%H:%M")),
            Some(t) => format!("; no sailing back the same day (first way back {})", t.format("%m-%d %H:%M")),
            None => "; no sailing back in the next days".to_string(),
        };
        Some(Warning {
            kind: WarningKind::CarriedReturn,
            unit: Some(crew.id.0.clone()),
            message: format!(
                "{} must bring {} back: clearing about {}, the boat is free again about {}{ferry}",
                boat.call_sign,
                crew.call_sign,
                cleared_l.format("%H:%M"),
                free_l.format("%m-%d %H:%M")
            ),
            params: WarningParams {
                call_sign: Some(crew.call_sign.clone()),
                carrier: Some(boat.call_sign.clone()),
                cleared_at: Some(cleared_l.format("%H:%M").to_string()),
                back_at: Some(free_l.format("%m-%d %H:%M").to_string()),
                sailing_at: own_l.map(|t| t.format("%m-%d %H:%M").to_string()),
                ..Default::default()
            },
        })
    }
}

/// Candidates in the dispatcher's order: by ETA, then (same sailing) least driving first,
/// the crews carried by boat after a unit going alone at the same time. Stable, so units
/// the ranking already ordered keep their order.
pub(super) fn merged(mut solo: Vec<Candidate>, carried: Vec<Candidate>) -> Vec<Candidate> {
    solo.extend(carried);
    solo.sort_by_key(|c| (c.eta_s, c.carrier.is_some()));
    solo
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
fn within_target(region: &Region, net: &Network, priority: u8, ranking: &Ranking, at: i64) -> bool {
    let Some(best) = ranking.ranked.first() else { return false };
    let Some(target) = region.target(priority) else { return true };
    let start = &ranking.chosen[best.unit as usize].1;
    let mode = fastest_trip(net, &ranking.pass, &ranking.days, start, at, &ranking.dest).map_or(RouteMode::Ferry, |t| route_mode(&t));
    best.eta_s <= target.for_mode(mode).0
}

/// The plan of sending `crew` carried across by `boat` to a call of `itype` at `priority`
/// (a carried row of the recommendation; both units are sent): the crew's trip by that
/// boat, and the recommended unit as [`plan_for_call`] has it (the first unit going alone:
/// a carried crew is an alternative to it, sent with a reason). Its rank is its row's in
/// the desk's list (units going alone, then the carried crews); None when the
/// recommendation does not offer the pair (a slower boat than the crew's fastest). Refused,
/// naming the unit, when the crew may not respond or is not free, when `boat` is not a
/// free boat, or when that boat cannot take the crew there.
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
    let boats = free_boats(region, net, fleet, at);
    let b = boat_index(region, &boats, boat)?;
    let start = &ranking.chosen[index].1;
    let trip = fastest_carried_trip(net, &ranking.pass, &ranking.days, start, &boats[b].1, at, &ranking.dest)
        .ok_or_else(|| Error::invalid("carrier", format!("{boat} cannot take {crew} to the incident under the current conditions")))?;
    let alone = |unit: &Unit| ranking.ranked.iter().find(|r| ranking.chosen[r.unit as usize].0.id == unit.id).map_or(u32::MAX, |r| r.eta_s);
    let offered = carried_pairs(net, &ranking, &boats, alone).iter().position(|&(_, i, c)| i == index && c == b);
    let mut plan = TripPlan {
        recommended_unit: ranking.ranked.first().map(|r| ranking.chosen[r.unit as usize].0.id.0.clone()),
        rank: offered.map(|k| (ranking.ranked.len() + k) as u32 + 1),
        eta_s: Some(trip.eta_s),
        route_mode: Some(route_mode(&trip)),
        // Only a crew that had a fix says more than the journal already knows.
        from: Some(ranking.from[index].clone()).filter(|f| f.fix.is_some()),
        ..Default::default()
    };
    super::split_trip(&mut plan, &trip);
    Ok(PlanOutcome { unit: crew.clone(), carrier: Some(boat.clone()), plan })
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
