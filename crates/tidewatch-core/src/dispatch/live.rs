//! Where a unit's ETA starts: its live fix when fresh, else its last known place.
//!
//! | the unit's fix | where the ETA starts | says |
//! |---|---|---|
//! | none | its last known place | `last_known` |
//! | older than its source's limit ([`Freshness`]), or ahead of the call by more than the skew | its last known place | `last_known`, `ignored: stale / future` |
//! | on an island | the nearest road node of *that* island (never across water), plus the walk there at the access speed; a boat: the island's nearest pier | `gps` |
//! | a boat on the water | its sea leg starts at the fix; its crew, if it goes by road, lands at the nearest pier | `gps`, `afloat` |
//! | a land unit on a bridge | the bridge's nearer end | `gps` |
//! | a land unit on a ferry line | on the water, arriving at the nearer pier of the line after the rest of the crossing | `gps`, `afloat`, `ferry_route` |
//! | a land unit near a coast | that island's nearest road node | `gps` |
//! | a land unit elsewhere at sea | its last known place (a car cannot be there) | `last_known`, `ignored: at_sea` |
//!
//! Pure: the caller passes the call's time; corridors are the field checks' ([`Rules`]).

use std::collections::HashMap;

use geo::Coord;
use serde::{Deserialize, Serialize};

use crate::field::Rules;
use crate::geo_math::{haversine_m, metres_to_segment};
use crate::ids::{PlaceId, UnitId};
use crate::region::{Region, Unit, UnitKind};
use crate::route::{locate, Network, NodeIx, UnitStart};
use crate::time::Seconds;
use crate::Error;

/// Which app protocol a fix came by; each has its own staleness limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum FixSource {
    Osmand,
    Owntracks,
}

/// A unit's latest usable fix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveFix {
    pub lon: f64,
    pub lat: f64,
    /// When the phone took it (UTC unix seconds).
    pub fix_utc: i64,
    pub source: FixSource,
}

/// How long a fix stays a unit's fresh position, by source (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Freshness {
    pub osmand_s: i64,
    pub owntracks_s: i64,
}

impl Default for Freshness {
    /// Two minutes for a phone: a car at 60 km/h is 2 km on.
    fn default() -> Freshness {
        Freshness { osmand_s: 120, owntracks_s: 120 }
    }
}

impl Freshness {
    pub fn limit_s(&self, source: FixSource) -> i64 {
        match source {
            FixSource::Osmand => self.osmand_s,
            FixSource::Owntracks => self.owntracks_s,
        }
    }
}

/// The units' live fixes and how they are judged. Empty: every unit is where the journal
/// last put it.
#[derive(Debug, Clone, Default)]
pub struct Live {
    pub fixes: HashMap<UnitId, LiveFix>,
    pub freshness: Freshness,
    pub rules: Rules,
}

/// Whether the ETA started from the unit's GPS fix or from its last known place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum StartBasis {
    Gps,
    LastKnown,
}

/// Why a unit's fix was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IgnoredFix {
    /// Older than its source's freshness limit.
    Stale,
    /// Ahead of the call's time by more than a phone's clock may be.
    Future,
    /// A land unit at sea, off every coast, bridge and ferry line.
    AtSea,
    /// Not a coordinate.
    Invalid,
}

/// Where a candidate's ETA starts, for the dispatcher ("GPS 40 s ago" / "last known place:
/// 长白警务站") and for the journal (the position used for a dispatch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StartFrom {
    pub basis: StartBasis,
    /// The place (road node) the unit starts from: the snapped one, the pier it arrives at
    /// when afloat, or its last known place.
    pub place: String,
    pub place_zh: String,
    pub place_en: String,
    /// The fix, when the unit had one (used or not), with its age at the call's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fix: Option<FixUsed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ignored: Option<IgnoredFix>,
    /// Metres from the fix to `place` (GPS only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub snap_m: Option<u32>,
    /// On the water: a boat at sea, or a land unit on a ferry arriving at `place`.
    #[serde(default)]
    pub afloat: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ferry_route: Option<String>,
}

/// A fix as the recommendation and the journal name it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct FixUsed {
    pub lon: f64,
    pub lat: f64,
    pub fix_utc: i64,
    pub source: FixSource,
    /// Seconds from the fix to the call (0 for a fix a little ahead).
    pub age_s: i64,
}

/// Where the fix puts the unit on the network.
struct Snapped {
    start: UnitStart,
    snap_m: Option<u32>,
    afloat: bool,
    ferry_route: Option<String>,
}

/// Where `unit` starts for a call at `at`: its fresh fix snapped, else `last_known`.
pub(crate) fn start_of(
    region: &Region,
    net: &Network,
    unit: &Unit,
    last_known: &PlaceId,
    live: &Live,
    at: i64,
) -> Result<(UnitStart, StartFrom), Error> {
    let boat = (unit.kind == UnitKind::Boat).then(|| unit.speed_kmh.unwrap_or(region.meta.defaults.boat_speed_kmh));
    let node = region.place_index(last_known).ok_or_else(|| Error::unknown("place", last_known.0.clone()))? as NodeIx;
    let fallback = UnitStart { node, offset_s: 0, boat_speed_kmh: boat, at_sea: None };
    let Some(fix) = live.fixes.get(&unit.id) else {
        return Ok((fallback, from(net, region, StartBasis::LastKnown, node, None)));
    };
    let used = FixUsed { lon: fix.lon, lat: fix.lat, fix_utc: fix.fix_utc, source: fix.source, age_s: (at - fix.fix_utc).max(0) };
    let snapped = judge(live, fix, at).and_then(|()| snap(net, region, &live.rules, boat, fix));
    Ok(match snapped {
        Ok(s) => {
            let mut f = from(net, region, StartBasis::Gps, s.start.node, Some(used));
            (f.snap_m, f.afloat, f.ferry_route) = (s.snap_m, s.afloat, s.ferry_route);
            (s.start, f)
        }
        Err(why) => {
            let mut f = from(net, region, StartBasis::LastKnown, node, Some(used));
            f.ignored = Some(why);
            (fallback, f)
        }
    })
}

fn from(net: &Network, region: &Region, basis: StartBasis, node: NodeIx, fix: Option<FixUsed>) -> StartFrom {
    let place = region.places.get(node as usize);
    StartFrom {
        basis,
        place: net.node_ids[node as usize].clone(),
        place_zh: place.map(|p| p.name_zh.clone()).unwrap_or_default(),
        place_en: place.map(|p| p.name_en.clone()).unwrap_or_default(),
        fix,
        ignored: None,
        snap_m: None,
        afloat: false,
        ferry_route: None,
    }
}

/// Whether the fix is still the unit's position at `at`.
fn judge(live: &Live, fix: &LiveFix, at: i64) -> Result<(), IgnoredFix> {
    if !(-180.0..=180.0).contains(&fix.lon) || !(-90.0..=90.0).contains(&fix.lat) {
        return Err(IgnoredFix::Invalid);
    }
    let age = at.saturating_sub(fix.fix_utc);
    if age < -live.rules.future_skew_s {
        return Err(IgnoredFix::Future);
    }
    if age > live.freshness.limit_s(fix.source) {
        return Err(IgnoredFix::Stale);
    }
    Ok(())
}

/// The fix on the network: on its own island, at sea for a boat, on a bridge or a ferry
/// for a land unit.
fn snap(net: &Network, region: &Region, rules: &Rules, boat: Option<f64>, fix: &LiveFix) -> Result<Snapped, IgnoredFix> {
    let p = (fix.lon, fix.lat);
    let loc = locate(net, fix.lon, fix.lat);
    let island = loc.island.as_ref().and_then(|id| net.islands.iter().position(|i| &i.id == id));
    if let Some(speed) = boat {
        return Ok(match island {
            // Ashore (a slipway, a pier): it puts to sea from the island's nearest pier.
            Some(i) => match nearest(net, p, net.piers.iter().copied().filter(|&q| net.nodes[q as usize].island as usize == i)) {
                Some((q, m)) => land_start(net, q, m, boat, false),
                None => land_start(net, loc.node.ok_or(IgnoredFix::AtSea)?, loc.snap_m, boat, false),
            },
            None => {
                let (q, m) = nearest(net, p, net.piers.iter().copied()).ok_or(IgnoredFix::AtSea)?;
                let start = UnitStart { node: q, offset_s: net.boat.seconds(p, net.pos(q), speed), boat_speed_kmh: boat, at_sea: Some(p) };
                Snapped { start, snap_m: Some(m.round() as u32), afloat: true, ferry_route: None }
            }
        });
    }
    if let Some(node) = loc.node {
        return Ok(land_start(net, node, loc.snap_m, None, false));
    }
    on_bridge(net, region, rules, p)
        .or_else(|| on_ferry(net, rules, p))
        .or_else(|| on_shore(net, rules, &loc.nearest_island, loc.nearest_island_m, p))
        .ok_or(IgnoredFix::AtSea)
}

/// Starting `m` metres from `node`, covered at the access speed.
fn land_start(net: &Network, node: NodeIx, m: f64, boat: Option<f64>, afloat: bool) -> Snapped {
    let offset_s = Seconds::travel(m, net.access_speed_kmh).0;
    Snapped {
        start: UnitStart { node, offset_s, boat_speed_kmh: boat, at_sea: None },
        snap_m: Some(m.round() as u32),
        afloat,
        ferry_route: None,
    }
}

/// The nearest of `nodes` to `p`, in metres.
fn nearest(net: &Network, p: (f64, f64), nodes: impl Iterator<Item = NodeIx>) -> Option<(NodeIx, f64)> {
    nodes.map(|n| (n, haversine_m(p, net.pos(n)))).min_by(|a, b| a.1.total_cmp(&b.1))
}

fn coord(net: &Network, n: NodeIx) -> Coord<f64> {
    let (x, y) = net.pos(n);
    Coord { x, y }
}

/// On a bridge: from its nearer end.
fn on_bridge(net: &Network, region: &Region, rules: &Rules, p: (f64, f64)) -> Option<Snapped> {
    let ends = |b: &crate::region::Bridge| Some((region.place_index(&b.from)? as NodeIx, region.place_index(&b.to)? as NodeIx));
    let (a, b) = region
        .bridges
        .iter()
        .filter_map(ends)
        .map(|(a, b)| ((a, b), metres_to_segment(coord(net, a), coord(net, b), p.0, p.1)))
        .filter(|(_, m)| *m <= rules.bridge_corridor_m)
        .min_by(|x, y| x.1.total_cmp(&y.1))?
        .0;
    let (node, m) = nearest(net, p, [a, b].into_iter())?;
    Some(land_start(net, node, m, None, false))
}

/// On a ferry: on the water, arriving at the nearer pier of its line after the rest of the
/// crossing (the share of the line still to go).
fn on_ferry(net: &Network, rules: &Rules, p: (f64, f64)) -> Option<Snapped> {
    let arc = net
        .ferries
        .iter()
        .map(|f| (f, metres_to_segment(coord(net, f.from), coord(net, f.to), p.0, p.1)))
        .filter(|(_, m)| *m <= rules.ferry_corridor_m)
        .min_by(|x, y| x.1.total_cmp(&y.1))?
        .0;
    let (from_m, to_m) = (haversine_m(p, net.pos(arc.from)), haversine_m(p, net.pos(arc.to)));
    // Heading for the nearer pier: the arc that ends there.
    let (pier, left_m) = if to_m <= from_m { (arc.to, to_m) } else { (arc.from, from_m) };
    let share = left_m / (from_m + to_m).max(1.0);
    let offset_s = (f64::from(arc.crossing_s) * share.clamp(0.0, 1.0)).round() as u32;
    Some(Snapped {
        start: UnitStart { node: pier, offset_s, boat_speed_kmh: None, at_sea: None },
        snap_m: Some(left_m.round() as u32),
        afloat: true,
        ferry_route: Some(arc.route_id.clone()),
    })
}

/// Just off a coast (a pier, a sea wall): that island's nearest road node.
fn on_shore(net: &Network, rules: &Rules, island: &Option<String>, off_m: Option<f64>, p: (f64, f64)) -> Option<Snapped> {
    if off_m? > rules.coast_m {
        return None;
    }
    let i = net.islands.iter().position(|x| Some(&x.id) == island.as_ref())?;
    let (node, m) = nearest(net, p, net.island_nodes[i].iter().copied())?;
    Some(land_start(net, node, m, None, false))
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
