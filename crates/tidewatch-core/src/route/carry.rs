//! Crews carried by police boats, fast: a land crew drives to a pier, a police boat comes
//! to that pier (or is there), takes the crew across to another pier, and the crew goes on
//! ashore (by road where a vehicle is stationed on the incident's island, else on foot).
//!
//! ETA = min over piers P (boarding) and Q ≠ P (landing) of
//! `max(crew at P, boat at P) + sail(P, Q) + ashore(Q)`. Waiting for the boat is free and
//! the road times are static, so the earliest arrival at P is always best (as for ferries):
//! the same answer as the oracle's two-layer search (`trip::fastest_carried_trip`) when
//! the boat crossing beats going by road alone; `tests/route_engine_vs_oracle.rs` checks it.

use super::conditions::Passable;
use super::engine::road_times_to;
use super::network::{Network, NodeIx};
use super::trip::{Carrier, Destination, UnitStart};
use super::walk::LastLeg;

const INF: u32 = u32::MAX;

/// Road times between every pier and every node, and the way on from each pier, for one
/// destination under one set of closures.
pub struct CarryTable<'n> {
    net: &'n Network,
    /// `(pier, road seconds from each node to it)`: how long a crew drives to board.
    piers: Vec<(NodeIx, Vec<u32>)>,
    /// Seconds from each pier (same order) to the incident point for a crew put ashore there.
    ashore: Vec<u32>,
}

impl<'n> CarryTable<'n> {
    /// `None` when no boat can carry anyone: boats in port, or the point is at sea.
    pub fn new(net: &'n Network, pass: &Passable, dest: &Destination) -> Option<CarryTable<'n>> {
        let Destination::Node { node: x, access_s } = *dest else { return None };
        if !pass.boats_out {
            return None;
        }
        let piers: Vec<(NodeIx, Vec<u32>)> = net.piers.iter().map(|&p| (p, road_times_to(net, pass, p))).collect();
        let ashore = match LastLeg::to(net, pass, dest) {
            LastLeg::Walk(w) => piers.iter().map(|&(p, _)| w[p as usize]).collect(),
            LastLeg::Drive => {
                // Ashore the crew drives on from the pier: times to the incident, one search.
                let to_x = road_times_to(net, pass, x);
                piers.iter().map(|&(p, _)| to_x[p as usize].saturating_add(access_s)).collect()
            }
        };
        Some(CarryTable { net, piers, ashore })
    }

    /// The fastest boat crossing for `crew` carried by `boat` (seconds from the call), or
    /// `None` when no pier pair works.
    pub fn eta(&self, crew: &UnitStart, boat: &Carrier) -> Option<u32> {
        let mut best = INF;
        for (i, (p, row)) in self.piers.iter().enumerate() {
            let Some(board) = self.boarding(crew, boat, *p, row) else { continue };
            for (j, &(q, _)) in self.piers.iter().enumerate() {
                if j == i || self.ashore[j] == INF {
                    continue;
                }
                let sail = self.net.boat.seconds(self.net.pos(*p), self.net.pos(q), boat.speed_kmh);
                best = best.min(board.saturating_add(sail).saturating_add(self.ashore[j]));
            }
        }
        (best != INF).then_some(best)
    }

    /// When crew and boat are both at pier `p` (seconds from the call).
    fn boarding(&self, crew: &UnitStart, boat: &Carrier, p: NodeIx, row: &[u32]) -> Option<u32> {
        let drive = row[crew.node as usize];
        if drive == INF {
            return None;
        }
        let fetch = if p == boat.node { 0 } else { self.net.boat.seconds(self.net.pos(boat.node), self.net.pos(p), boat.speed_kmh) };
        Some(crew.offset_s.saturating_add(drive).max(boat.offset_s.saturating_add(fetch)))
    }
}
