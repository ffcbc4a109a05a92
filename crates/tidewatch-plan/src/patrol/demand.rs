//! Where the calls of a window come from, as weighted demand points on the road network.
//!
//! - The journal's history: each call received in the window's hours over the weeks before
//!   counts its priority's weight ([`priority_weight`]: P1 4, P2 3, P3 2, P4 1) divided by
//!   the days of history, at the road node the desk would route it to (calls at sea are
//!   the boats' and left out).
//! - The islands' population: a share of the total weight (`population_share`) spread over
//!   the inhabited islands by their population and, on each, evenly over its towns and
//!   villages (every place when it has none), as calls of `population_priority`. It keeps
//!   an island the history has not heard from yet in the plan; with no journal it is all
//!   the demand there is.
//! - Tourist seasons per island ([`seasonal`]): on a peak day the leader's factor for an
//!   island (大鹏 at a holiday: 3) multiplies all its demand, history and population alike.
//!   The pack counts residents, not visitors, so the factors are the leader's, as the
//!   roster's seasons are.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Timelike};
use serde::Serialize;

use super::window::Window;
use tidewatch_core::region::{PlaceKind, Region};
use tidewatch_core::route::{locate, Network, NodeIx};
use tidewatch_core::Error;
use tidewatch_journal::Journal;

/// One call of the history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandCall {
    /// Received, UTC seconds.
    pub at: i64,
    pub lon: f64,
    pub lat: f64,
    pub priority: u8,
}

/// Demand at one road node, of one priority.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandPoint {
    pub node: NodeIx,
    /// From the node to the calls, seconds (weighted mean).
    pub access_s: u32,
    pub priority: u8,
    pub island: String,
    pub weight: f64,
}

/// What the demand was made of.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DemandSummary {
    /// Calls of the history in the window's hours (on land).
    pub calls: usize,
    /// Calls in the window's hours at sea (left to the boats).
    pub calls_at_sea: usize,
    pub history_days: u32,
    /// Weight from the history (priority-weighted calls per window).
    pub history_weight: f64,
    /// Weight from the islands' population.
    pub population_weight: f64,
    /// Weight added (or, below 1, taken away) by the islands' season factors.
    pub season_weight: f64,
    pub points: usize,
}

/// A call's weight in the plan: a P1 counts four P4s.
pub fn priority_weight(priority: u8) -> f64 {
    match priority {
        1 => 4.0,
        2 => 3.0,
        3 => 2.0,
        _ => 1.0,
    }
}

/// The calls the journal received on the `weeks` × 7 local days before `date`, and how
/// many days that is.
pub fn history_calls(journal: &Journal, region: &Region, date: NaiveDate, weeks: u32) -> Result<(Vec<DemandCall>, u32), Error> {
    if !(1..=104).contains(&weeks) {
        return Err(Error::invalid("weeks", format!("{weeks}: 1 to 104 weeks of history")));
    }
    let days = weeks * 7;
    let from = date - chrono::Duration::days(i64::from(days));
    let tz = region.meta.time_zone;
    let (a, b) = (tidewatch_journal::day_start(tz, from)?, tidewatch_journal::day_start(tz, date)?);
    let calls = journal
        .incidents_received(a, b)?
        .into_iter()
        .map(|r| DemandCall { at: r.received_utc, lon: r.lon, lat: r.lat, priority: r.priority })
        .collect();
    Ok((calls, days))
}

/// Local minute of the day of UTC second `t`.
fn local_minute(region: &Region, t: i64) -> u32 {
    let local = chrono::DateTime::from_timestamp(t, 0).unwrap_or_default().with_timezone(&region.meta.time_zone);
    local.hour() * 60 + local.minute()
}

/// Accumulates weight and weighted access time per (node, priority).
#[derive(Default)]
struct Points(BTreeMap<(NodeIx, u8), (f64, f64)>);

impl Points {
    fn add(&mut self, node: NodeIx, priority: u8, access_s: u32, w: f64) {
        let e = self.0.entry((node, priority)).or_default();
        e.0 += w;
        e.1 += w * f64::from(access_s);
    }

    fn into_points(self, region: &Region) -> Vec<DemandPoint> {
        self.0
            .into_iter()
            .filter(|(_, (w, _))| *w > 0.0)
            .map(|((node, priority), (w, wa))| DemandPoint {
                node,
                access_s: (wa / w).round() as u32,
                priority,
                island: region.places.get(node as usize).map(|p| p.island.0.clone()).unwrap_or_default(),
                weight: w,
            })
            .collect()
    }
}

/// The demand of `window` from `calls` (over `history_days`) and the islands' population.
pub fn demand_points(
    region: &Region,
    net: &Network,
    window: &Window,
    calls: &[DemandCall],
    history_days: u32,
    population_share: f64,
    population_priority: u8,
) -> Result<(Vec<DemandPoint>, DemandSummary), Error> {
    if !(0.0..=1.0).contains(&population_share) {
        return Err(Error::invalid("population_share", format!("{population_share}: from 0 to 1")));
    }
    let mut points = Points::default();
    let mut summary = DemandSummary { history_days, ..Default::default() };
    let per_day = 1.0 / f64::from(history_days.max(1));
    for c in calls.iter().filter(|c| window.contains(local_minute(region, c.at))) {
        let loc = locate(net, c.lon, c.lat);
        let Some(node) = loc.node else {
            summary.calls_at_sea += 1;
            continue;
        };
        summary.calls += 1;
        let w = priority_weight(c.priority) * per_day;
        summary.history_weight += w;
        points.add(node, c.priority, loc.access_s, w);
    }
    let pop_total = match summary.history_weight {
        h if h > 0.0 && population_share < 1.0 => h * population_share / (1.0 - population_share),
        _ if population_share > 0.0 => 1.0,
        _ => 0.0,
    };
    summary.population_weight = spread_population(region, &mut points, pop_total, population_priority);
    let out = points.into_points(region);
    summary.points = out.len();
    Ok((out, summary))
}

/// Spreads `total` over the inhabited islands by population; returns what was spread.
fn spread_population(region: &Region, points: &mut Points, total: f64, priority: u8) -> f64 {
    let people: u64 = region.islands.iter().filter(|i| i.inhabited).filter_map(|i| i.population).sum();
    if people == 0 || total <= 0.0 {
        return 0.0;
    }
    let mut spread = 0.0;
    for island in region.islands.iter().filter(|i| i.inhabited) {
        let Some(pop) = island.population.filter(|&p| p > 0) else { continue };
        let on: Vec<usize> = (0..region.places.len()).filter(|&k| region.places[k].island == island.id).collect();
        let settled: Vec<usize> =
            on.iter().copied().filter(|&k| matches!(region.places[k].kind, PlaceKind::Town | PlaceKind::Village)).collect();
        let at = if settled.is_empty() { on } else { settled };
        if at.is_empty() {
            continue;
        }
        let share = total * pop as f64 / people as f64;
        for &k in &at {
            points.add(k as NodeIx, priority, 0, share / at.len() as f64);
        }
        spread += share;
    }
    spread
}

/// Multiplies the demand on each island named in `factors` (island id → factor in (0, 5],
/// the roster's season range) and returns the weight this adds; an unknown or uninhabited
/// island, or a factor out of range, is an error.
pub fn seasonal(region: &Region, points: &mut [DemandPoint], factors: &BTreeMap<String, f64>) -> Result<f64, Error> {
    for (island, &f) in factors {
        if !region.islands.iter().any(|i| i.id.0 == *island && i.inhabited) {
            return Err(Error::invalid("season", format!("'{island}' is no inhabited island of the pack")));
        }
        if !(f > 0.0 && f <= 5.0) {
            return Err(Error::invalid("season", format!("{island}={f}: a factor in (0, 5]")));
        }
    }
    let mut added = 0.0;
    for p in points.iter_mut() {
        if let Some(f) = factors.get(&p.island) {
            added += p.weight * (f - 1.0);
            p.weight *= f;
        }
    }
    Ok(added)
}
