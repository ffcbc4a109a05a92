//! The what-if with and without the standby plan (issue #18).
//!
//! For every replayed day and tide window the standby plan ([`crate::patrol::plan`]) is
//! made for the land units on duty; each chosen site keeps a unit based there, else gets
//! the nearest on-duty unit not yet placed (by straight line, the same island first). While a window's plan holds, a free unit leaves
//! from its standby site instead of its base and drives back there after a job; units the
//! plan leaves out, and boats, stay at their bases. A unit is taken to be at its site from
//! the window's start (the move between windows is not replayed). The same calls are
//! then replayed without the plan, and the two are put side by side per island.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::{simulate_from, ScenarioSetup, SimIncident, SimReport, SimRow};
use crate::patrol::{plan, DemandCall, StandbyParams, StandbyRequest, Window};
use crate::roster::Roster;
use tidewatch_core::geo_math::haversine_m;
use tidewatch_core::ids::PlaceId;
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::Error;

/// Where each placed unit waits, window by window: `(start, end, unit id → node)`, UTC
/// seconds, sorted by start.
#[derive(Debug, Clone, Default)]
pub struct StandbyPositions {
    spans: Vec<(i64, i64, HashMap<String, u32>)>,
}

impl StandbyPositions {
    /// The node unit `unit` waits at, at `t`, if a window's plan places it.
    pub fn at(&self, unit: &str, t: i64) -> Option<u32> {
        let k = self.spans.partition_point(|s| s.0 <= t);
        let (_, end, placed) = self.spans.get(k.checked_sub(1)?)?;
        (t < *end).then(|| placed.get(unit).copied()).flatten()
    }

    pub fn windows(&self) -> usize {
        self.spans.len()
    }
}

/// What the plans are made from.
pub struct StandbyWhatIf<'a> {
    /// Local days `[from, from + days)`.
    pub from: NaiveDate,
    pub days: u32,
    /// The windows of each day (they should not overlap).
    pub windows: Vec<Window>,
    /// History for the plans' demand (calls before the replay, not the replayed ones).
    pub history: &'a [DemandCall],
    pub history_days: u32,
    pub params: StandbyParams,
}

/// The plans for every day and window of `w`, as positions.
pub fn positions(
    region: &Region,
    net: &Network,
    roster: Option<&Roster>,
    w: &StandbyWhatIf,
    scenario: &ScenarioSetup,
) -> Result<StandbyPositions, Error> {
    if w.windows.is_empty() || !(1..=366).contains(&w.days) {
        return Err(Error::invalid("standby", "at least one window and 1 to 366 days"));
    }
    let tz = region.meta.time_zone;
    let mut spans = Vec::new();
    for d in 0..w.days {
        let date = w.from.checked_add_days(Days::new(d.into())).ok_or_else(|| Error::invalid("from", "out of range"))?;
        for window in &w.windows {
            let start = window.samples(tz, date, window.minutes())[0];
            let request = StandbyRequest {
                date,
                window: *window,
                units: None,
                roster,
                conditions: scenario.conditions.clone(),
                calls: w.history,
                history_days: w.history_days,
                params: StandbyParams { turnout_s: scenario.turnout_s, ..w.params.clone() },
            };
            let p = plan(region, net, &request)?;
            spans.push((start, start + i64::from(window.minutes()) * 60, assign(region, &p.on_duty, &p.after)));
        }
    }
    spans.sort_by_key(|s| s.0);
    Ok(StandbyPositions { spans })
}

/// Each site to a unit based there, else to the nearest unit not yet placed (same island
/// first); unit id → node (units left at their bases are not listed).
fn assign(region: &Region, on_duty: &[String], sites: &[crate::patrol::standby::StandbySite]) -> HashMap<String, u32> {
    let mut free: Vec<(&str, &tidewatch_core::region::Place)> = on_duty
        .iter()
        .filter_map(|id| {
            let u = region.units.iter().find(|u| u.id.0 == *id)?;
            Some((id.as_str(), &region.places[region.place_index(&u.base)?]))
        })
        .collect();
    let mut out = HashMap::new();
    // A site that is a unit's base keeps that unit where it is; the rest go nearest-first.
    let mut rest = Vec::new();
    for s in sites {
        match free.iter().position(|(_, b)| b.id.0 == s.place) {
            Some(k) => {
                free.swap_remove(k);
            }
            None => rest.push(s),
        }
    }
    for s in rest {
        let cost = |b: &tidewatch_core::region::Place| (b.island.0 != s.island, haversine_m((b.lon, b.lat), (s.lon, s.lat)));
        let Some(k) = (0..free.len()).min_by(|&a, &b| cost(free[a].1).partial_cmp(&cost(free[b].1)).unwrap_or(std::cmp::Ordering::Equal))
        else {
            break;
        };
        let (id, _) = free.swap_remove(k);
        if let Some(node) = region.place_index(&PlaceId(s.place.clone())) {
            out.insert(id.to_string(), node as u32);
        }
    }
    out
}

/// One island with and without the plan.
#[derive(Debug, Clone, Serialize)]
pub struct IslandWhatIf {
    pub island: String,
    pub calls: usize,
    pub without: SimRow,
    pub with: SimRow,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandbyComparison {
    pub without: SimReport,
    pub with: SimReport,
    /// Windows planned (days × windows).
    pub windows: usize,
    pub by_island: Vec<IslandWhatIf>,
    pub model: &'static str,
}

const MODEL: &str = "with: each window's standby plan for the units on duty, the nearest unit to each site, at its site from the window's start and back to it after a job; without: every unit from its base";

/// The replay of `calls` without and with the standby plans of `w`.
pub fn compare(
    region: &Region,
    net: &Network,
    calls: &[SimIncident],
    roster: Option<&Roster>,
    scenario: &ScenarioSetup,
    w: &StandbyWhatIf,
) -> Result<StandbyComparison, Error> {
    let at = positions(region, net, roster, w, scenario)?;
    let without = simulate_from(region, net, calls, roster, scenario, None)?;
    let mut with = simulate_from(region, net, calls, roster, scenario, Some(&at))?;
    with.model = MODEL;
    let rows: BTreeMap<&str, &SimRow> = with.by_island.iter().map(|r| (r.key.as_str(), r)).collect();
    let by_island = without
        .by_island
        .iter()
        .filter_map(|a| {
            rows.get(a.key.as_str()).map(|b| IslandWhatIf { island: a.key.clone(), calls: a.calls, without: a.clone(), with: (*b).clone() })
        })
        .collect();
    Ok(StandbyComparison { windows: at.windows(), without, with, by_island, model: MODEL })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_holds_only_inside_its_window() {
        let placed = |node: u32| [("tr1".to_string(), node)].into_iter().collect::<HashMap<_, _>>();
        let at = StandbyPositions { spans: vec![(100, 200, placed(7)), (300, 400, placed(9))] };
        assert_eq!(at.at("tr1", 99), None);
        assert_eq!(at.at("tr1", 100), Some(7));
        assert_eq!(at.at("tr1", 199), Some(7));
        // Between windows the unit is back at its base.
        assert_eq!(at.at("tr1", 250), None);
        assert_eq!(at.at("tr1", 399), Some(9));
        assert_eq!(at.at("tr1", 400), None);
        assert_eq!(at.at("other", 150), None);
    }
}
