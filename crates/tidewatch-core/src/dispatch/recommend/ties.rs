//! Units that arrive at the same moment (at night, everyone waits for the same sailing):
//! the one that drives least goes first, since it is on the road the least and the others
//! stay where they are; an island's last free unit goes after the rest of its group, so
//! that sending it is never the default when another unit arrives as soon.

use super::*;

/// Reorders each run of equal ETAs in `ranking.ranked` by (kept back, seconds driving,
/// the ranking's own order).
pub(super) fn break_ties(region: &Region, net: &Network, fleet: &Fleet, ranking: &mut Ranking, at: i64) {
    let mut i = 0;
    while i < ranking.ranked.len() {
        let eta = ranking.ranked[i].eta_s;
        let j = i + ranking.ranked[i..].iter().take_while(|r| r.eta_s == eta).count();
        if j - i > 1 {
            let mut keyed: Vec<((bool, u32, usize), crate::route::Ranked)> = ranking.ranked[i..j]
                .iter()
                .enumerate()
                .map(|(k, r)| ((kept_back(region, fleet, ranking, r), driving_s(net, ranking, r, at), k), *r))
                .collect();
            keyed.sort_by_key(|(key, _)| *key);
            for (slot, (_, r)) in ranking.ranked[i..j].iter_mut().zip(keyed) {
                *slot = r;
            }
        }
        i = j;
    }
}

/// Sending this unit would leave its island (not the incident's) with no free unit.
fn kept_back(region: &Region, fleet: &Fleet, ranking: &Ranking, r: &crate::route::Ranked) -> bool {
    let (unit, start) = &ranking.chosen[r.unit as usize];
    let island = &region.places[start.node as usize].island.0;
    unit.kind != UnitKind::Boat
        && ranking.location.island.as_deref() != Some(island.as_str())
        && is_last_free_on_island(region, fleet, &unit.id, island)
}

/// Seconds the unit's trip spends driving or walking (roads, bridges, the access leg).
fn driving_s(net: &Network, ranking: &Ranking, r: &crate::route::Ranked, at: i64) -> u32 {
    let start = &ranking.chosen[r.unit as usize].1;
    let Some(trip) = fastest_trip(net, &ranking.pass, &ranking.days, start, at, &ranking.dest) else { return u32::MAX };
    let moving = trip.steps.iter().filter(|s| matches!(s.kind, StepKind::Road { .. } | StepKind::Access | StepKind::Walk { .. }));
    moving.map(|s| span(s.start, s.end)).fold(start.offset_s, u32::saturating_add)
}
