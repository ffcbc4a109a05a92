//! Standby positions for one tide window: where the on-duty land units wait so that the
//! most (priority-weighted) expected calls are reachable within their target.
//!
//! - Candidate sites: the pack's stations, posts, the traffic squadron, piers, bridge
//!   ends and junctions, and the on-duty units' bases.
//! - Demand: [`super::demand`] (the journal's calls in the window's hours, the islands'
//!   population).
//! - Reach: a site covers a demand point when a unit waiting there gets to it within the
//!   target of its priority and of the way it goes (road, bridge, ferry: the region's
//!   `[[target]]`), turnout included, at no less than `within_share` of the window's
//!   sample instants (every `sample_min`) — the real ferry- and bridge-aware engine at
//!   those instants, so a ferry island is covered from the main island only while the
//!   sailings run.
//! - Before: the on-duty units at their bases (with fewer units than on duty, the best
//!   `units` of those bases). After: the maximal covering model over every candidate, the
//!   bases as its start, so the after share is never below the before share.
//! - Boats are not placed (they wait at their piers); calls at sea are theirs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::demand::{demand_points, seasonal, DemandCall, DemandPoint, DemandSummary};
use super::mclp::{self, CoverOptions, CoverSolution, Coverage};
use super::window::Window;
use crate::roster::{Roster, UnitDuty};
use tidewatch_core::dispatch::route_mode;
use tidewatch_core::region::{PlaceKind, Region, Unit, UnitKind};
use tidewatch_core::route::{fastest_trip, Conditions, Destination, Engine, Network, Passable, ServiceDays, UnitStart, Workspace};
use tidewatch_core::Error;

/// Place kinds a unit may wait at.
pub const SITE_KINDS: [PlaceKind; 6] =
    [PlaceKind::Station, PlaceKind::Post, PlaceKind::TrafficSquadron, PlaceKind::Pier, PlaceKind::BridgeEnd, PlaceKind::Junction];

#[derive(Debug, Clone, Serialize)]
pub struct StandbyParams {
    /// Travel times are taken every this many minutes through the window.
    pub sample_min: u32,
    /// A site covers a point when within target at this share of the samples.
    pub within_share: f64,
    /// Call to unit under way, seconds (counted against the target).
    pub turnout_s: u32,
    /// Share of the demand weight from the islands' population (see `demand`).
    pub population_share: f64,
    pub population_priority: u8,
    /// Seconds HiGHS may take.
    pub time_limit_s: f64,
    /// Tourist season on the window's day: island id → factor on its demand (see
    /// [`super::demand::seasonal`]).
    pub island_season: BTreeMap<String, f64>,
}

impl Default for StandbyParams {
    fn default() -> Self {
        StandbyParams {
            sample_min: 15,
            within_share: 0.9,
            turnout_s: 120,
            population_share: 0.25,
            population_priority: 2,
            time_limit_s: 30.0,
            island_season: BTreeMap::new(),
        }
    }
}

impl StandbyParams {
    fn check(&self) -> Result<(), Error> {
        if !(1..=240).contains(&self.sample_min) {
            return Err(Error::invalid("sample_min", format!("{}: 1 to 240 minutes", self.sample_min)));
        }
        if !(self.within_share > 0.0 && self.within_share <= 1.0) {
            return Err(Error::invalid("within_share", format!("{}: in (0, 1]", self.within_share)));
        }
        if !(self.time_limit_s >= 0.1 && self.time_limit_s <= 86_400.0) {
            return Err(Error::invalid("time_limit", format!("{}: 0.1 to 86400 s", self.time_limit_s)));
        }
        Ok(())
    }
}

/// What to plan.
pub struct StandbyRequest<'a> {
    pub date: NaiveDate,
    pub window: Window,
    /// Units on standby; `None`: every land unit on duty.
    pub units: Option<usize>,
    /// Who is on duty (`None`: every land unit of the pack).
    pub roster: Option<&'a Roster>,
    pub conditions: Conditions,
    /// The history (see [`super::demand::history_calls`]) and its length in days.
    pub calls: &'a [DemandCall],
    pub history_days: u32,
    pub params: StandbyParams,
}

/// One site in the plan.
#[derive(Debug, Clone, Serialize)]
pub struct StandbySite {
    pub place: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: PlaceKind,
    pub island: String,
    pub lon: f64,
    pub lat: f64,
    /// An on-duty unit's base.
    pub base: bool,
    /// Share of the window's demand this site reaches on its own.
    pub reaches: f64,
}

/// Covered shares of one island's demand.
#[derive(Debug, Clone, Serialize)]
pub struct IslandCover {
    pub island: String,
    pub name_zh: String,
    pub name_en: String,
    /// This island's share of the window's demand.
    pub demand: f64,
    pub before: f64,
    pub after: f64,
    /// Share of the island's demand no candidate site reaches in target.
    pub unreachable: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandbyPlan {
    pub date: NaiveDate,
    pub window: String,
    pub units: usize,
    pub on_duty: Vec<String>,
    pub before: Vec<StandbySite>,
    pub after: Vec<StandbySite>,
    pub covered_before: f64,
    pub covered_after: f64,
    /// The most any `units` sites could cover (the solver's proven bound).
    pub bound: f64,
    pub by_island: Vec<IslandCover>,
    pub candidates: usize,
    pub samples: usize,
    pub demand: DemandSummary,
    pub solver: CoverSolution,
    pub params: StandbyParams,
    pub model: &'static str,
}

const MODEL: &str = "maximal covering (HiGHS): units wait at stations, posts, piers, bridge ends and junctions; a site covers a call when the engine's ETA plus turnout is within the priority's target for its route mode at ≥ within_share of the window's sample instants; demand = priority-weighted journal calls in the window's hours + a population share; boats not placed";

/// The land units on duty in the window (at its middle).
fn on_duty<'r>(region: &'r Region, roster: Option<&Roster>, at: i64) -> Result<Vec<&'r Unit>, Error> {
    let land = region.units.iter().filter(|u| u.kind != UnitKind::Boat);
    let Some(roster) = roster else { return Ok(land.collect()) };
    let duty = UnitDuty::of(roster);
    if !duty.covers(at) {
        let (a, b) = duty.period();
        return Err(Error::invalid("roster", format!("covers {a} to {b}, not the window")));
    }
    Ok(land.filter(|u| duty.on_duty(&u.id, at) != Some(false)).collect())
}

/// Candidate sites (node indexes): the kinds in [`SITE_KINDS`] and the bases.
fn candidates(region: &Region, bases: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = region.places.iter().enumerate().filter(|(_, p)| SITE_KINDS.contains(&p.kind)).map(|(k, _)| k as u32).collect();
    out.extend_from_slice(bases);
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `eta_s` (turnout included) meets the target of `priority` for the way the
/// site's unit goes at `t`.
struct Reach<'a> {
    region: &'a Region,
    net: &'a Network,
    pass: &'a Passable,
    turnout_s: u32,
}

impl Reach<'_> {
    fn within(&self, site: u32, point: &DemandPoint, t: i64, days: &ServiceDays, eta_s: u32) -> bool {
        let Some(target) = self.region.target(point.priority) else { return false };
        let total = eta_s.saturating_add(self.turnout_s);
        let (lo, hi) = (target.road.0.min(target.bridge.0).min(target.ferry.0), target.road.0.max(target.bridge.0).max(target.ferry.0));
        if total <= lo {
            return true;
        }
        if total > hi {
            return false;
        }
        // In between, the route mode decides: ask the oracle how it goes.
        let start = UnitStart { node: site, offset_s: 0, boat_speed_kmh: None, at_sea: None };
        let dest = Destination::Node { node: point.node, access_s: point.access_s };
        fastest_trip(self.net, self.pass, days, &start, t, &dest).is_some_and(|trip| total <= target.for_mode(route_mode(&trip)).0)
    }
}

/// Which sites reach which points in target, through the window.
fn coverage(
    region: &Region,
    net: &Network,
    sites: &[u32],
    points: &[DemandPoint],
    samples: &[i64],
    r: &StandbyRequest,
) -> Result<Coverage, Error> {
    let pass = Passable::new(net, &r.conditions, samples.first().copied().unwrap_or_default())?;
    let engine = Engine::new(net, pass.clone());
    let mut ws = Workspace::new(net);
    let table = engine.units(sites.iter().map(|&n| UnitStart { node: n, offset_s: 0, boat_speed_kmh: None, at_sea: None }).collect());
    let reach = Reach { region, net, pass: &pass, turnout_s: r.params.turnout_s };
    let need = ((r.params.within_share * samples.len() as f64).ceil() as usize).max(1);
    let mut hits = vec![vec![0usize; sites.len()]; points.len()];
    for &t in samples {
        let days = ServiceDays::around(net, t);
        for (i, p) in points.iter().enumerate() {
            let dest = Destination::Node { node: p.node, access_s: p.access_s };
            for ranked in engine.rank(&mut ws, &table, t, &days, &dest, None) {
                if reach.within(sites[ranked.unit as usize], p, t, &days, ranked.eta_s) {
                    hits[i][ranked.unit as usize] += 1;
                }
            }
        }
    }
    let covers = hits.iter().map(|h| (0..sites.len()).filter(|&j| h[j] >= need).map(|j| j as u32).collect()).collect();
    Coverage::new(sites.len(), points.iter().map(|p| p.weight).collect(), covers)
}

/// A window's covering instance on the pack, before it is solved.
pub struct Prepared<'r> {
    pub duty: Vec<&'r Unit>,
    pub units: usize,
    /// Candidate sites (node indexes) and the on-duty bases among them.
    pub sites: Vec<u32>,
    pub bases: Vec<u32>,
    pub points: Vec<DemandPoint>,
    pub demand: DemandSummary,
    pub coverage: Coverage,
    /// The units at their bases, as sites of `coverage`.
    pub before: Vec<u32>,
    pub samples: usize,
}

/// Sites, demand and reach for one window (the instance the peer benchmark exports too).
pub fn prepare<'r>(region: &'r Region, net: &Network, r: &StandbyRequest) -> Result<Prepared<'r>, Error> {
    r.params.check()?;
    let samples = r.window.samples(region.meta.time_zone, r.date, r.params.sample_min);
    let middle = samples.first().copied().unwrap_or_default() + i64::from(r.window.minutes()) * 30;
    let duty = on_duty(region, r.roster, middle)?;
    let p = r.units.unwrap_or(duty.len());
    if p == 0 || p > duty.len() {
        return Err(Error::invalid("units", format!("{p}: 1 to {} (the land units on duty in the window)", duty.len())));
    }
    let mut bases: Vec<u32> = duty
        .iter()
        .map(|u| region.place_index(&u.base).map(|k| k as u32).ok_or_else(|| Error::unknown("place", u.base.0.clone())))
        .collect::<Result<_, _>>()?;
    bases.sort_unstable();
    bases.dedup();
    let sites = candidates(region, &bases);
    let (mut points, mut demand) =
        demand_points(region, net, &r.window, r.calls, r.history_days, r.params.population_share, r.params.population_priority)?;
    demand.season_weight = seasonal(region, &mut points, &r.params.island_season)?;
    if points.is_empty() {
        return Err(Error::invalid("window", format!("{}: no demand (no calls and no population) to cover", r.window.label())));
    }
    let coverage = coverage(region, net, &sites, &points, &samples, r)?;
    let base_at: Vec<u32> = sites.iter().enumerate().filter(|(_, n)| bases.contains(n)).map(|(j, _)| j as u32).collect();
    let before = before_sites(&coverage, &base_at, p)?;
    Ok(Prepared { duty, units: p, sites, bases, points, demand, coverage, before, samples: samples.len() })
}

/// The standby plan for one window (see the module's text).
pub fn plan(region: &Region, net: &Network, r: &StandbyRequest) -> Result<StandbyPlan, Error> {
    let w = prepare(region, net, r)?;
    let cov = &w.coverage;
    let options = CoverOptions { p: w.units, time_limit: Some(r.params.time_limit_s), start: Some(w.before.clone()), ..Default::default() };
    let solved = mclp::solve(cov, &options)?;
    let context = Shares { region, sites: &w.sites, bases: &w.bases, cov, points: &w.points };
    let total = cov.total();
    Ok(StandbyPlan {
        date: r.date,
        window: r.window.label(),
        units: w.units,
        on_duty: w.duty.iter().map(|u| u.id.0.clone()).collect(),
        before: context.sites_of(&w.before),
        after: context.sites_of(&solved.sites),
        covered_before: cov.covered(&w.before) / total,
        covered_after: solved.covered / total,
        bound: solved.bound / total,
        by_island: context.by_island(&w.before, &solved.sites),
        candidates: w.sites.len(),
        samples: w.samples,
        demand: w.demand,
        solver: solved,
        params: r.params.clone(),
        model: MODEL,
    })
}

/// The units at their bases: every base, or the best `p` of them.
fn before_sites(cov: &Coverage, base_at: &[u32], p: usize) -> Result<Vec<u32>, Error> {
    if base_at.len() <= p {
        return Ok(base_at.to_vec());
    }
    let only: Vec<Vec<u32>> =
        (0..cov.demand_points()).map(|i| cov.covers(i).iter().copied().filter(|j| base_at.contains(j)).collect()).collect();
    let restricted = Coverage::new(cov.sites(), (0..cov.demand_points()).map(|i| cov.weight(i)).collect(), only)?;
    Ok(mclp::solve(&restricted, &CoverOptions { p, time_limit: Some(30.0), ..Default::default() })?.sites)
}

/// Reads a solution back onto the pack.
struct Shares<'a> {
    region: &'a Region,
    sites: &'a [u32],
    bases: &'a [u32],
    cov: &'a Coverage,
    points: &'a [DemandPoint],
}

impl Shares<'_> {
    fn sites_of(&self, chosen: &[u32]) -> Vec<StandbySite> {
        let total = self.cov.total();
        chosen
            .iter()
            .map(|&j| {
                let node = self.sites[j as usize];
                let p = &self.region.places[node as usize];
                StandbySite {
                    place: p.id.0.clone(),
                    name_zh: p.name_zh.clone(),
                    name_en: p.name_en.clone(),
                    kind: p.kind,
                    island: p.island.0.clone(),
                    lon: p.lon,
                    lat: p.lat,
                    base: self.bases.contains(&node),
                    reaches: self.cov.covered(&[j]) / total,
                }
            })
            .collect()
    }

    fn by_island(&self, before: &[u32], after: &[u32]) -> Vec<IslandCover> {
        // island → (demand, before, after, unreachable)
        let mut sums: BTreeMap<&str, [f64; 4]> = BTreeMap::new();
        for (i, p) in self.points.iter().enumerate() {
            let s = sums.entry(p.island.as_str()).or_default();
            s[0] += p.weight;
            s[1] += if self.cov.is_covered(i, before) { p.weight } else { 0.0 };
            s[2] += if self.cov.is_covered(i, after) { p.weight } else { 0.0 };
            s[3] += if self.cov.covers(i).is_empty() { p.weight } else { 0.0 };
        }
        let total = self.cov.total();
        let mut out: Vec<IslandCover> = sums
            .into_iter()
            .map(|(id, [d, b, a, u])| {
                let island = self.region.islands.iter().find(|x| x.id.0 == id);
                IslandCover {
                    island: id.to_string(),
                    name_zh: island.map(|x| x.name_zh.clone()).unwrap_or_default(),
                    name_en: island.map(|x| x.name_en.clone()).unwrap_or_default(),
                    demand: d / total,
                    before: b / d,
                    after: a / d,
                    unreachable: u / d,
                }
            })
            .collect();
        out.sort_by(|a, b| b.demand.total_cmp(&a.demand));
        out
    }
}
