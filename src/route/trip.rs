//! One unit's fastest trip, by a plain forward time-dependent Dijkstra over the whole
//! network. It is the engine's test oracle, and it explains the engine's answers (the
//! legs a dispatcher reads), so it keeps predecessors.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::conditions::Passable;
use super::network::{Network, NodeIx, ServiceDays, NO_BRIDGE};

/// Where a unit is when the question is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitStart {
    pub node: NodeIx,
    /// Seconds from the unit's actual position to `node` (0 when it is at the node).
    pub offset_s: u32,
    /// `Some(speed)` for a police boat: it sails from its pier to any pier, then the crew
    /// goes on by road; it never takes a scheduled ferry.
    pub boat_speed_kmh: Option<f64>,
}

/// Where the unit must get to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Destination {
    /// A road node, then `access_s` to the point itself.
    Node { node: NodeIx, access_s: u32 },
    /// A point no road reaches (at sea): boats sail straight to it.
    Point { lon: f64, lat: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepKind {
    /// A road edge (`bridge` is `NO_BRIDGE` on land).
    Road {
        edge: u32,
        bridge: u32,
    },
    Ferry {
        arc: u32,
        depart: i64,
    },
    Boat,
    /// From the last road node to the incident point.
    Access,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub from: NodeIx,
    /// `None`: the incident point.
    pub to: Option<NodeIx>,
    /// When the unit reaches `from` (for a ferry, waiting starts here).
    pub start: i64,
    pub end: i64,
    pub kind: StepKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    pub depart: i64,
    pub eta_s: u32,
    pub steps: Vec<Step>,
}

#[derive(Clone, Copy)]
enum Pred {
    None,
    Start,
    Road(NodeIx, u32),
    Ferry(NodeIx, u32, i64),
    Boat(NodeIx),
}

/// The fastest trip of one unit leaving at `t0`, or `None` when nothing reaches.
pub fn fastest_trip(net: &Network, pass: &Passable, days: &ServiceDays, start: &UnitStart, t0: i64, dest: &Destination) -> Option<Trip> {
    let t_start = t0 + start.offset_s as i64;
    if let Some(speed) = start.boat_speed_kmh {
        if !pass.boats_out {
            return None;
        }
        if let Destination::Point { lon, lat } = *dest {
            let secs = net.boat.seconds(net.pos(start.node), (lon, lat), speed);
            let end = t_start + secs as i64;
            return Some(Trip {
                depart: t0,
                eta_s: (end - t0) as u32,
                steps: vec![Step { from: start.node, to: None, start: t_start, end, kind: StepKind::Boat }],
            });
        }
    }
    let Destination::Node { node: target, access_s } = *dest else {
        return None; // land units do not reach a point at sea
    };
    let n = net.node_count();
    let mut arr = vec![i64::MAX; n];
    let mut pred = vec![Pred::None; n];
    let mut heap = BinaryHeap::new();
    arr[start.node as usize] = t_start;
    pred[start.node as usize] = Pred::Start;
    heap.push(Reverse((t_start, start.node)));
    if let Some(speed) = start.boat_speed_kmh {
        for &q in &net.piers {
            let t = t_start + net.boat.seconds(net.pos(start.node), net.pos(q), speed) as i64;
            if q != start.node && t < arr[q as usize] {
                arr[q as usize] = t;
                pred[q as usize] = Pred::Boat(start.node);
                heap.push(Reverse((t, q)));
            }
        }
    }
    while let Some(Reverse((t, u))) = heap.pop() {
        if t > arr[u as usize] {
            continue;
        }
        if u == target {
            break;
        }
        for e in net.edges(u) {
            if !pass.edge_open(e.bridge) {
                continue;
            }
            let ta = t + e.secs as i64;
            if ta < arr[e.to as usize] {
                arr[e.to as usize] = ta;
                pred[e.to as usize] = Pred::Road(u, e.index);
                heap.push(Reverse((ta, e.to)));
            }
        }
        if start.boat_speed_kmh.is_some() {
            continue;
        }
        for &a in net.ferries_from(u) {
            if !pass.ferry_running[a as usize] {
                continue;
            }
            let arc = &net.ferries[a as usize];
            let Some(dep) = days.next_departure(arc, t) else { continue };
            let ta = dep + arc.crossing_s as i64;
            if ta < arr[arc.to as usize] {
                arr[arc.to as usize] = ta;
                pred[arc.to as usize] = Pred::Ferry(u, a, dep);
                heap.push(Reverse((ta, arc.to)));
            }
        }
    }
    if arr[target as usize] == i64::MAX {
        return None;
    }
    let mut steps = Vec::new();
    if access_s > 0 {
        let t = arr[target as usize];
        steps.push(Step { from: target, to: None, start: t, end: t + access_s as i64, kind: StepKind::Access });
    }
    let mut v = target;
    loop {
        let end = arr[v as usize];
        let (from, kind) = match pred[v as usize] {
            Pred::Start | Pred::None => break,
            Pred::Road(u, e) => (u, StepKind::Road { edge: e, bridge: net.edge(e).bridge }),
            Pred::Ferry(u, a, dep) => (u, StepKind::Ferry { arc: a, depart: dep }),
            Pred::Boat(u) => (u, StepKind::Boat),
        };
        steps.push(Step { from, to: Some(v), start: arr[from as usize], end, kind });
        v = from;
    }
    steps.reverse();
    let eta = arr[target as usize] + access_s as i64 - t0;
    Some(Trip { depart: t0, eta_s: eta as u32, steps })
}

impl Step {
    pub fn crosses_bridge(&self) -> bool {
        matches!(self.kind, StepKind::Road { bridge, .. } if bridge != NO_BRIDGE)
    }
}
