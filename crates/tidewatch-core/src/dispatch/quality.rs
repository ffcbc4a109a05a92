//! How much of an ETA stands on estimated data: a road link or a sailing whose pack row is
//! not `high`/`medium` (generated roads, a headway guessed from a notice). The desk says
//! so beside the candidate, so a dispatcher weighs a 14-minute ETA built on straight lines
//! × a detour factor differently from one built on surveyed roads.

use std::collections::HashSet;

use chrono::{TimeZone, Timelike};
use serde::Serialize;

use crate::region::Region;
use crate::route::{Network, StepKind, Trip, NO_BRIDGE};

/// Which estimated data a candidate's ETA uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum EstimatedData {
    /// A road link it drives is an estimate (e.g. generated: straight line × detour factor).
    Roads,
    /// A sailing it waits for, or the crossing time of its route, is an estimate.
    Timetable,
}

/// The estimated data `trip` uses, in [`EstimatedData`] order; empty when none.
pub fn estimated_data(region: &Region, net: &Network, trip: &Trip) -> Vec<EstimatedData> {
    let mut out = Vec::new();
    if trip.steps.iter().any(|s| matches!(s.kind, StepKind::Road { bridge, .. } if bridge == NO_BRIDGE))
        && drives_estimated_road(region, trip)
    {
        out.push(EstimatedData::Roads);
    }
    if trip.steps.iter().any(|s| matches!(s.kind, StepKind::Ferry { arc, depart } if sailing_estimated(region, net, arc, depart))) {
        out.push(EstimatedData::Timetable);
    }
    out
}

/// A road step between two places counts as estimated when no road between them is
/// better than an estimate (the network keeps the fastest; the pair is what a step knows).
fn drives_estimated_road(region: &Region, trip: &Trip) -> bool {
    let pair = |a: usize, b: usize| (a.min(b), a.max(b));
    let index = |id| region.place_index(id).unwrap_or(usize::MAX);
    let surveyed: HashSet<(usize, usize)> =
        region.roads.iter().filter(|r| !r.provenance.confidence.is_estimate()).map(|r| pair(index(&r.from), index(&r.to))).collect();
    trip.steps.iter().any(|s| match (s.kind, s.to) {
        (StepKind::Road { bridge, .. }, Some(to)) if bridge == NO_BRIDGE => !surveyed.contains(&pair(s.from as usize, to as usize)),
        _ => false,
    })
}

/// The sailing leaving at `depart` (its local time of day) on the arc's route from its
/// pier, or the route's crossing time, is an estimate.
fn sailing_estimated(region: &Region, net: &Network, arc: u32, depart: i64) -> bool {
    let Some(arc) = net.ferries.get(arc as usize) else { return false };
    let Some(route) = region.ferry_routes.iter().find(|r| r.id.0 == arc.route_id) else { return false };
    if route.provenance.confidence.is_estimate() {
        return true;
    }
    let from = &net.node_ids[arc.from as usize];
    let local = net.tz.timestamp_opt(depart, 0).single().map(|t| t.num_seconds_from_midnight());
    region
        .sailings
        .iter()
        .filter(|s| s.route == route.id && s.from.0 == *from && Some(s.depart.0) == local)
        .all(|s| s.provenance.confidence.is_estimate())
}
