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
    /// goes on by road; it never takes a scheduled ferry. Kept in port by the wind, its
    /// crew still goes by road from the pier.
    pub boat_speed_kmh: Option<f64>,
    /// A boat out at sea (its live fix): its sea leg starts here, at once; `node` is then
    /// the nearest pier and `offset_s` the sail there (for its crew going on by road).
    pub at_sea: Option<(f64, f64)>,
}

impl UnitStart {
    /// Where a boat's sea leg starts, and after how long: from its pier once at it, or
    /// from where it is at sea right away.
    pub fn sea_leg(&self, net: &Network) -> ((f64, f64), u32) {
        match self.at_sea {
            Some(p) => (p, 0),
            None => (net.pos(self.node), self.offset_s),
        }
    }
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

/// The fastest trip of one unit leaving at `t0`, or `None` when nothing reaches (an ETA
/// of `u32::MAX` seconds or more counts as not reaching, as in the engine).
pub fn fastest_trip(net: &Network, pass: &Passable, days: &ServiceDays, start: &UnitStart, t0: i64, dest: &Destination) -> Option<Trip> {
    let t_start = t0.saturating_add(start.offset_s as i64);
    let eta_of = |end: i64| u32::try_from(end.saturating_sub(t0)).ok().filter(|&e| e != u32::MAX);
    // A boat sails only when boats are out; otherwise its crew is a land unit without ferries.
    let sails = start.boat_speed_kmh.filter(|_| pass.boats_out);
    if let (Some(speed), Destination::Point { lon, lat }) = (sails, *dest) {
        // A rescue at sea: straight there, no landing.
        let (origin, sea_off) = start.sea_leg(net);
        let end = t0.saturating_add(sea_off as i64).saturating_add(net.boat.sail_s(origin, (lon, lat), speed) as i64);
        let steps = vec![Step { from: start.node, to: None, start: t_start, end, kind: StepKind::Boat }];
        return Some(Trip { depart: t0, eta_s: eta_of(end)?, steps });
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
    if let Some(speed) = sails {
        let (origin, sea_off) = start.sea_leg(net);
        for &q in &net.piers {
            let t = t0.saturating_add(sea_off as i64).saturating_add(net.boat.seconds(origin, net.pos(q), speed) as i64);
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
            let ta = t.saturating_add(e.secs as i64);
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
            let ta = dep.saturating_add(arc.crossing_s as i64);
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
    let eta_s = eta_of(arr[target as usize].saturating_add(access_s as i64))?;
    let mut steps = Vec::new();
    if access_s > 0 {
        let t = arr[target as usize];
        steps.push(Step { from: target, to: None, start: t, end: t.saturating_add(access_s as i64), kind: StepKind::Access });
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
    Some(Trip { depart: t0, eta_s, steps })
}

impl Step {
    pub fn crosses_bridge(&self) -> bool {
        matches!(self.kind, StepKind::Road { bridge, .. } if bridge != NO_BRIDGE)
    }
}
