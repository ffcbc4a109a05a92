//! The last leg: a crew put ashore by a boat has no car with it. From the landing pier it
//! goes on foot (roads at the pack's walking speed, the access leg too), unless the pack
//! stations a vehicle on the incident's island (a land unit based there), in which case
//! it drives as any unit would.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::conditions::Passable;
use super::network::{Network, NodeIx};
use super::trip::Destination;

const INF: u32 = u32::MAX;

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

/// Seconds on foot from every node to `x` over roads and open bridges (one-way streets
/// both ways: they bind vehicles, not people walking).
pub fn walk_times_to(net: &Network, pass: &Passable, x: NodeIx) -> Vec<u32> {
    let mut dist = vec![INF; net.node_count()];
    let mut heap = BinaryHeap::new();
    dist[x as usize] = 0;
    heap.push(Reverse((0u32, x)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for e in net.walk_edges(v) {
            let nd = d.saturating_add(net.edge_walk_s(e.index));
            if pass.edge_open(e.bridge) && nd < dist[e.to as usize] {
                dist[e.to as usize] = nd;
                heap.push(Reverse((nd, e.to)));
            }
        }
    }
    dist
}
