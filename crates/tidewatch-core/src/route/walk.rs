//! The last leg: a crew put ashore by a boat has no car with it. From the landing pier it
//! goes on foot (roads at the pack's walking speed, the access leg too), unless the pack
//! stations a vehicle on the incident's island (a land unit based there), in which case
//! it drives as any unit would.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::conditions::Passable;
use super::network::{Network, NodeIx};
use super::trip::Destination;
use crate::region::{Region, UnitKind};

/// Walking speed when the pack names none (`[defaults] walk_speed_kmh`).
pub const DEFAULT_WALK_SPEED_KMH: f64 = 5.0;

/// A road of unknown length (built in code, not from a pack) takes this many times its
/// driving time on foot: about 22 km/h driven against 5 walked.
pub const WALK_FACTOR: u32 = 4;

const INF: u32 = u32::MAX;

/// How crews go on after landing, per island.
#[derive(Debug, Clone)]
pub struct LastLegModel {
    pub walk_speed_kmh: f64,
    /// The access speed (incident's road node to the point) over the walking speed.
    access_ratio: f64,
    /// Indexed by island: no vehicle is stationed there.
    on_foot: Vec<bool>,
}

impl LastLegModel {
    pub fn new(walk_speed_kmh: f64, access_speed_kmh: f64, islands: usize, no_vehicle: &[u32]) -> LastLegModel {
        let mut on_foot = vec![false; islands];
        for &i in no_vehicle {
            if let Some(x) = on_foot.get_mut(i as usize) {
                *x = true;
            }
        }
        LastLegModel { walk_speed_kmh, access_ratio: access_speed_kmh / walk_speed_kmh, on_foot }
    }

    /// Crews landed on `island` go on foot.
    pub fn on_foot(&self, island: u32) -> bool {
        self.on_foot.get(island as usize).copied().unwrap_or(false)
    }

    /// The access leg's seconds at walking speed instead of the access speed.
    pub fn access_on_foot(&self, access_s: u32) -> u32 {
        let s = (access_s as f64 * self.access_ratio).round();
        if s.is_finite() && s < INF as f64 {
            s as u32
        } else {
            INF
        }
    }
}

/// Islands on which no land unit is based: a crew landed there walks.
pub fn islands_without_vehicle(region: &Region) -> Vec<u32> {
    (0..region.islands.len() as u32)
        .filter(|&i| {
            let id = &region.islands[i as usize].id;
            !region.units.iter().filter(|u| u.kind != UnitKind::Boat).any(|u| region.place(&u.base).is_some_and(|p| &p.island == id))
        })
        .collect()
}

/// The last leg to one destination: seconds from every node to the incident point for a
/// crew that has just landed (access leg included), or `None` for a point at sea.
#[derive(Debug, Clone)]
pub enum LastLeg {
    /// A vehicle is there: the road times of the ordinary search apply.
    Drive,
    /// On foot: seconds from each node (INF where no open road reaches), access included.
    Walk(Vec<u32>),
}

impl LastLeg {
    pub fn to(net: &Network, pass: &Passable, dest: &Destination) -> LastLeg {
        match *dest {
            Destination::Node { node, access_s } if net.last_leg.on_foot(net.nodes[node as usize].island) => {
                let access = net.last_leg.access_on_foot(access_s);
                let mut t = walk_times_to(net, pass, node);
                for d in &mut t {
                    *d = d.saturating_add(access);
                }
                LastLeg::Walk(t)
            }
            _ => LastLeg::Drive,
        }
    }

    pub fn on_foot(&self) -> bool {
        matches!(self, LastLeg::Walk(_))
    }
}

/// Seconds on foot from every node to `x` over roads and open bridges.
pub fn walk_times_to(net: &Network, pass: &Passable, x: NodeIx) -> Vec<u32> {
    let mut dist = vec![INF; net.node_count()];
    let mut heap = BinaryHeap::new();
    dist[x as usize] = 0;
    heap.push(Reverse((0u32, x)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for e in net.edges(v) {
            let nd = d.saturating_add(net.edge_walk_s(e.index));
            if pass.edge_open(e.bridge) && nd < dist[e.to as usize] {
                dist[e.to as usize] = nd;
                heap.push(Reverse((nd, e.to)));
            }
        }
    }
    dist
}
