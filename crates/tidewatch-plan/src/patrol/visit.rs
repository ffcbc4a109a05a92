//! Randomised patrol visit lists (issue #18): one team, one shift, a walk across the hot
//! spots with a stop at each.
//!
//! - Hot spots: the shift's demand ([`super::demand`]: the journal's calls in the shift's
//!   hours by place, priority-weighted, and a share from the islands' population), the
//!   `hot_spots` heaviest places the team reaches from its base within `max_leg_min`.
//! - Stops: 10 to 16 minutes, uniform (the Koper curve: a visit of 10–15 min deters for
//!   long after, longer ones add little).
//! - The walk: from the base at the shift's start, the next spot drawn with probability
//!   its weight over (1 + travel/10 min), never the one just left, spots not yet visited
//!   first; travel by the real engine at that instant (bridges, sailings); a spot is taken
//!   only if the stop ends and the base is reached again before the shift ends.
//! - The seed: all the randomness comes from it (mixed with the team and the day), so the
//!   same seed, day, team and journal re-create the same list (to audit it); another
//!   seed, day or team is another walk.

use serde::Serialize;

use super::checkpoint::eta_min;
use super::demand::{demand_points, DemandCall};
use super::window::Window;
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::{Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::{Conditions, Network};
use tidewatch_core::Error;

/// Koper: stops of 10 to 16 minutes.
pub const STOP_MIN: (u32, u32) = (10, 16);

#[derive(Debug, Clone, Serialize)]
pub struct VisitParams {
    pub hot_spots: usize,
    /// Longest leg from the base to a spot, minutes.
    pub max_leg_min: u32,
    pub population_share: f64,
}

impl Default for VisitParams {
    fn default() -> Self {
        VisitParams { hot_spots: 12, max_leg_min: 40, population_share: 0.25 }
    }
}

pub struct VisitRequest<'a> {
    pub date: chrono::NaiveDate,
    pub team: &'a str,
    pub shift: Window,
    pub seed: u64,
    pub conditions: Conditions,
    pub calls: &'a [DemandCall],
    pub history_days: u32,
    pub params: VisitParams,
    /// The team's checkpoint slots in the shift: the walk takes it there by their start
    /// and goes on from there after their end.
    pub busy: Vec<Busy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    pub place: String,
    pub start_utc: i64,
    pub end_utc: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stop {
    pub place: String,
    pub name_zh: String,
    pub name_en: String,
    pub island: String,
    pub arrive_utc: i64,
    pub leave_utc: i64,
    pub travel_min: u32,
    pub stop_min: u32,
    /// The spot's share of the hot spots' weight.
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitList {
    pub team: String,
    pub call_sign: String,
    pub date: chrono::NaiveDate,
    pub shift: String,
    pub seed: u64,
    pub base: String,
    pub start_utc: i64,
    pub end_utc: i64,
    pub stops: Vec<Stop>,
    /// Back at the base.
    pub back_utc: i64,
    pub hot_spots: Vec<String>,
}

struct Spot {
    place: usize,
    weight: f64,
}

/// The visit list (see the module's text).
pub fn visits(region: &Region, net: &Network, r: &VisitRequest) -> Result<VisitList, Error> {
    let unit = region
        .unit(&UnitId(r.team.to_string()))
        .filter(|u| u.kind != UnitKind::Boat)
        .ok_or_else(|| Error::invalid("team", format!("'{}' is no land unit of the pack", r.team)))?;
    let base = region.place_index(&unit.base).ok_or_else(|| Error::unknown("place", unit.base.0.clone()))?;
    let samples = r.shift.samples(region.meta.time_zone, r.date, r.shift.minutes());
    let start = samples.first().copied().unwrap_or_default();
    let end = start + i64::from(r.shift.minutes()) * 60;
    let spots = hot_spots(region, net, r, base, start)?;
    if spots.is_empty() {
        return Err(Error::invalid("team", format!("no hot spot within {} min of {}'s base", r.params.max_leg_min, r.team)));
    }
    let mut rng = Rng::scrambled(r.seed ^ salt(r.team, r.date));
    let total: f64 = spots.iter().map(|s| s.weight).sum();
    let (mut at, mut t) = (base, start);
    let mut stops: Vec<Stop> = Vec::new();
    let mut visited: Vec<usize> = Vec::new();
    let mut busy: Vec<(usize, i64, i64)> = Vec::new();
    for b in &r.busy {
        let k = region.place_index(&b.place.as_str().into()).ok_or_else(|| Error::unknown("place", b.place.clone()))?;
        busy.push((k, b.start_utc, b.end_utc));
    }
    busy.sort_by_key(|b| b.1);
    let mut busy = busy.into_iter().filter(|b| b.2 > start && b.1 < end).peekable();
    // Bounded: every pass adds a stop (at least 10 minutes of a finite shift), passes a
    // checkpoint slot (finitely many) or ends.
    loop {
        let (next, by) = busy.peek().map_or((base, end), |b| (b.0, b.1));
        let Some(stop) = next_stop(net, r, &spots, &visited, &mut rng, (at, t), (next, by))? else {
            let Some((k, _, until)) = busy.next() else { break };
            (at, t) = (k, until.max(t));
            continue;
        };
        visited.push(stop.0);
        let place = &region.places[stop.0];
        t = stop.1 + i64::from(stop.3) * 60;
        stops.push(Stop {
            place: place.id.0.clone(),
            name_zh: place.name_zh.clone(),
            name_en: place.name_en.clone(),
            island: place.island.0.clone(),
            arrive_utc: stop.1,
            leave_utc: t,
            travel_min: stop.2,
            stop_min: stop.3,
            weight: spots.iter().find(|s| s.place == stop.0).map_or(0.0, |s| s.weight / total),
        });
        at = stop.0;
    }
    let back = eta_min(net, &r.conditions, at, base, t)?.map_or(t, |m| t + i64::from(m) * 60);
    Ok(VisitList {
        team: unit.id.0.clone(),
        call_sign: unit.call_sign.clone(),
        date: r.date,
        shift: r.shift.label(),
        seed: r.seed,
        base: region.places[base].id.0.clone(),
        start_utc: start,
        end_utc: end,
        stops,
        back_utc: back,
        hot_spots: spots.iter().map(|s| region.places[s.place].id.0.clone()).collect(),
    })
}

/// Mixes the team and day into the seed (FNV-1a), so one seed gives each team and day
/// its own walk: no fixed pattern even when a seed is reused.
fn salt(team: &str, date: chrono::NaiveDate) -> u64 {
    format!("{team}/{date}").bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The heaviest places of the shift's demand the team reaches from its base.
fn hot_spots(region: &Region, net: &Network, r: &VisitRequest, base: usize, start: i64) -> Result<Vec<Spot>, Error> {
    let (points, _) = demand_points(region, net, &r.shift, r.calls, r.history_days, r.params.population_share, 2)?;
    let mut by_place: Vec<Spot> = Vec::new();
    for p in &points {
        let Some(k) = net.node_ids.get(p.node as usize).and_then(|id| region.place_index(&id.as_str().into())) else { continue };
        match by_place.iter_mut().find(|s| s.place == k) {
            Some(s) => s.weight += p.weight,
            None => by_place.push(Spot { place: k, weight: p.weight }),
        }
    }
    // Heaviest first; the place index breaks ties so the order never depends on the map.
    by_place.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.place.cmp(&b.place)));
    let mut out = Vec::new();
    for s in by_place {
        if out.len() == r.params.hot_spots {
            break;
        }
        if s.place != base && eta_min(net, &r.conditions, base, s.place, start)?.is_some_and(|m| m <= r.params.max_leg_min) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The next stop drawn from `(at, t)`: (place, arrival, travel min, stop min), or `None`
/// when no spot's stop and the way on to `base` (the base, or the next checkpoint) fit
/// before `end`.
fn next_stop(
    net: &Network,
    r: &VisitRequest,
    spots: &[Spot],
    visited: &[usize],
    rng: &mut Rng,
    (at, t): (usize, i64),
    (base, end): (usize, i64),
) -> Result<Option<(usize, i64, u32, u32)>, Error> {
    let fresh: Vec<&Spot> = spots.iter().filter(|s| s.place != at && !visited.contains(&s.place)).collect();
    let mut pool: Vec<&Spot> = if fresh.is_empty() { spots.iter().filter(|s| s.place != at).collect() } else { fresh };
    // Each failed draw drops a spot: at most `spots` draws.
    while !pool.is_empty() {
        let mut legs = Vec::with_capacity(pool.len());
        for s in &pool {
            legs.push(eta_min(net, &r.conditions, at, s.place, t)?);
        }
        let weights: Vec<f64> = pool.iter().zip(&legs).map(|(s, l)| l.map_or(0.0, |m| s.weight / (1.0 + f64::from(m) / 10.0))).collect();
        if weights.iter().all(|&w| w <= 0.0) {
            return Ok(None);
        }
        let i = rng.weighted(&weights);
        let stop = rng.range(u64::from(STOP_MIN.0), u64::from(STOP_MIN.1) + 1) as u32;
        let (Some(m), s) = (legs[i], pool[i]) else { return Ok(None) };
        let arrive = t + i64::from(m) * 60;
        let leave = arrive + i64::from(stop) * 60;
        if eta_min(net, &r.conditions, s.place, base, leave)?.is_some_and(|back| leave + i64::from(back) * 60 <= end) {
            return Ok(Some((s.place, arrive, m, stop)));
        }
        pool.remove(i);
    }
    Ok(None)
}
