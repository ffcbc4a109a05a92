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

impl Call<'_> {
    /// Land crews carried by a free boat, where that beats the crew's own best ETA; the
    /// fastest [`MAX_CARRIED`], each with its fastest boat.
    pub(super) fn carried(&self, ranking: &Ranking, solo: &[Candidate]) -> Vec<Candidate> {
        let Some(table) = CarryTable::new(self.net, &ranking.pass, &ranking.dest) else { return Vec::new() };
        let boats = free_boats(self.region, self.net, self.fleet, self.t0);
        let mut pairs: Vec<(u32, usize, usize)> = Vec::new();
        for (i, (unit, start)) in ranking.chosen.iter().enumerate().filter(|(_, (u, _))| u.kind != UnitKind::Boat) {
            let alone = solo.iter().find(|c| c.unit == unit.id.0).map_or(u32::MAX, |c| c.eta_s);
            let best = boats.iter().enumerate().filter_map(|(b, (_, carrier))| table.eta(start, carrier).map(|e| (e, b))).min();
            if let Some((eta, b)) = best.filter(|&(e, _)| e < alone) {
                pairs.push((eta, i, b));
            }
        }
        pairs.sort_unstable();
        pairs.truncate(MAX_CARRIED);
        pairs.into_iter().filter_map(|(eta, i, b)| self.carried_candidate(ranking, i, &boats[b], eta)).collect()
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
