//! One unit's fastest trip, by a plain forward time-dependent Dijkstra over the whole
//! network. It is the engine's test oracle, and it explains the engine's answers (the
//! legs a dispatcher reads), so it keeps predecessors.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::conditions::Passable;
use super::network::{Network, NodeIx, ServiceDays, DRIVE_IN, DRIVE_OUT, NO_BRIDGE};

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
    /// A crew carried by a police boat from one pier to another: it waits at `from` from
    /// `start` until the boat is there (`depart`), then crosses.
    Carried {
        depart: i64,
    },
    /// On foot after landing: along a road edge, or (`None`) from the last node to the point.
    Walk {
        edge: Option<u32>,
    },
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
    /// From state `.0` along edge `.1` (driven, or walked in the landed layer).
    Road(usize, u32),
    Ferry(usize, u32, i64),
    /// Sailed from state `.0`, leaving at `.1`.
    Boat(usize, i64),
}

/// The police boat that carries a land crew: where it is and when it can leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Carrier {
    pub node: NodeIx,
    pub offset_s: u32,
    pub speed_kmh: f64,
}

/// A boat crossing open to the search: leaving from `node` at `ready` (its own boat), or
/// from any pier once the boat has sailed there (`anywhere`, a crew picked up).
#[derive(Clone, Copy)]
struct Jump {
    node: NodeIx,
    ready: i64,
    speed: f64,
    anywhere: bool,
    /// The unit's own boat out at sea: it leaves from here at `ready`, not from `node`.
    from_sea: Option<(f64, f64)>,
}

impl Jump {
    /// When the boat can leave `p`, if it can leave from there at all (it picks crews up
    /// only at piers).
    fn ready_at(&self, net: &Network, p: NodeIx) -> Option<i64> {
        if self.from_sea.is_some() {
            None // already sailed from the sea (seeded in `search`)
        } else if p == self.node {
            Some(self.ready)
        } else if self.anywhere && net.nodes[p as usize].pier {
            Some(self.ready.saturating_add(net.boat.seconds(net.pos(self.node), net.pos(p), self.speed) as i64))
        } else {
            None
        }
    }
}

/// The fastest trip of one unit leaving at `t0`, or `None` when nothing reaches (an ETA
/// of `u32::MAX` seconds or more counts as not reaching, as in the engine).
pub fn fastest_trip(net: &Network, pass: &Passable, days: &ServiceDays, start: &UnitStart, t0: i64, dest: &Destination) -> Option<Trip> {
    let t_start = t0.saturating_add(start.offset_s as i64);
    // A boat sails only when boats are out; otherwise its crew is a land unit without ferries.
    let sails = start.boat_speed_kmh.filter(|_| pass.boats_out);
    if let (Some(speed), Destination::Point { lon, lat }) = (sails, *dest) {
        // A rescue at sea: straight there, no landing.
        let (origin, sea_off) = start.sea_leg(net);
        let end = t0.saturating_add(sea_off as i64).saturating_add(net.boat.sail_s(origin, (lon, lat), speed) as i64);
        let steps = vec![Step { from: start.node, to: None, start: t_start, end, kind: StepKind::Boat }];
        return Some(Trip { depart: t0, eta_s: eta_of(t0, end)?, steps });
    }
    let (_, sea_off) = start.sea_leg(net);
    let ready = t0.saturating_add(sea_off as i64);
    let jump = sails.map(|speed| Jump { node: start.node, ready, speed, anywhere: false, from_sea: start.at_sea });
    search(net, pass, days, start, t0, dest, jump, start.boat_speed_kmh.is_none())
}

/// The fastest trip of a land crew that a police boat picks up at a pier (the boat sails
/// there first if it is elsewhere) and puts ashore at another, leaving at `t0`. The crew
/// drives to the pier (no ferries); ashore it drives or walks (see `walk.rs`). `None` when
/// boats stay in port or nothing reaches. The trip may also be by road alone.
pub fn fastest_carried_trip(
    net: &Network,
    pass: &Passable,
    days: &ServiceDays,
    crew: &UnitStart,
    boat: &Carrier,
    t0: i64,
    dest: &Destination,
) -> Option<Trip> {
    if !pass.boats_out || !matches!(dest, Destination::Node { .. }) {
        return None;
    }
    let ready = t0.saturating_add(boat.offset_s as i64);
    let jump = Jump { node: boat.node, ready, speed: boat.speed_kmh, anywhere: true, from_sea: None };
    search(net, pass, days, crew, t0, dest, Some(jump), false)
}

fn eta_of(t0: i64, end: i64) -> Option<u32> {
    u32::try_from(end.saturating_sub(t0)).ok().filter(|&e| e != u32::MAX)
}

/// Forward time-dependent Dijkstra over two layers: state `v` is node `v` before any boat
/// crossing, `n + v` after landing (driven or walked, by the incident's island).
#[allow(clippy::too_many_arguments)]
fn search(
    net: &Network,
    pass: &Passable,
    days: &ServiceDays,
    start: &UnitStart,
    t0: i64,
    dest: &Destination,
    jump: Option<Jump>,
    ferries: bool,
) -> Option<Trip> {
    let Destination::Node { node: target, access_s } = *dest else {
        return None; // land units do not reach a point at sea
    };
    let n = net.node_count();
    let on_foot = net.last_leg.on_foot(net.nodes[target as usize].island);
    let mut arr = vec![i64::MAX; 2 * n];
    let mut pred = vec![Pred::None; 2 * n];
    let mut heap = BinaryHeap::new();
    let t_start = t0.saturating_add(start.offset_s as i64);
    arr[start.node as usize] = t_start;
    pred[start.node as usize] = Pred::Start;
    heap.push(Reverse((t_start, start.node as usize)));
    if let Some((j, origin)) = jump.and_then(|j| j.from_sea.map(|o| (j, o))) {
        // A boat out at sea sails from where it is, not from the pier it is nearest.
        for &q in &net.piers {
            let ta = j.ready.saturating_add(net.boat.seconds(origin, net.pos(q), j.speed) as i64);
            let to = n + q as usize;
            if ta < arr[to] {
                arr[to] = ta;
                pred[to] = Pred::Boat(start.node as usize, j.ready);
                heap.push(Reverse((ta, to)));
            }
        }
    }
    while let Some(Reverse((t, s))) = heap.pop() {
        if t > arr[s] {
            continue;
        }
        let (u, landed) = ((s % n) as NodeIx, s >= n);
        let mut relax = |to: usize, ta: i64, p: Pred, heap: &mut BinaryHeap<Reverse<(i64, usize)>>| {
            if ta < arr[to] {
                arr[to] = ta;
                pred[to] = p;
                heap.push(Reverse((ta, to)));
            }
        };
        // A landed crew on foot may walk a one-way street against its direction.
        let walking = landed && on_foot;
        for e in net.edges_with(u, if walking { DRIVE_OUT | DRIVE_IN } else { DRIVE_OUT }) {
            if pass.edge_open(e.bridge) {
                let secs = if walking { net.edge_walk_s(e.index) } else { e.secs };
                let base = if landed { n } else { 0 };
                relax(base + e.to as usize, t.saturating_add(secs as i64), Pred::Road(s, e.index), &mut heap);
            }
        }
        if landed {
            continue;
        }
        if let Some(ready) = jump.and_then(|j| j.ready_at(net, u).map(|r| (j, r))) {
            let (j, r) = ready;
            let depart = t.max(r);
            for &q in net.piers.iter().filter(|&&q| q != u) {
                let ta = depart.saturating_add(net.boat.seconds(net.pos(u), net.pos(q), j.speed) as i64);
                relax(n + q as usize, ta, Pred::Boat(s, depart), &mut heap);
            }
        }
        if !ferries {
            continue;
        }
        for &a in net.ferries_from(u) {
            if !pass.ferry_running[a as usize] {
                continue;
            }
            let arc = &net.ferries[a as usize];
            let Some(dep) = days.next_departure(arc, t) else { continue };
            relax(arc.to as usize, dep.saturating_add(arc.crossing_s as i64), Pred::Ferry(s, a, dep), &mut heap);
        }
    }
    let walk_access = net.last_leg.access_on_foot(access_s);
    let by_land = arr[target as usize].saturating_add(access_s as i64);
    let landed_access = if on_foot { walk_access } else { access_s };
    let by_boat = arr[n + target as usize].saturating_add(landed_access as i64);
    if arr[target as usize] == i64::MAX && arr[n + target as usize] == i64::MAX {
        return None;
    }
    // On equal times the trip without a boat crossing.
    let (last, access, end) =
        if by_land <= by_boat { (target as usize, access_s, by_land) } else { (n + target as usize, landed_access, by_boat) };
    let eta_s = eta_of(t0, end)?;
    let walked = last >= n && on_foot;
    let steps = unwind(net, &arr, &pred, last, access, walked, jump.is_some_and(|j| j.anywhere));
    Some(Trip { depart: t0, eta_s, steps })
}

/// The steps back from state `last`, in travel order, with the access leg at the end.
fn unwind(net: &Network, arr: &[i64], pred: &[Pred], last: usize, access_s: u32, walked: bool, carried: bool) -> Vec<Step> {
    let n = net.node_count();
    let mut steps = Vec::new();
    if access_s > 0 {
        let t = arr[last];
        let kind = if walked { StepKind::Walk { edge: None } } else { StepKind::Access };
        steps.push(Step { from: (last % n) as NodeIx, to: None, start: t, end: t.saturating_add(access_s as i64), kind });
    }
    let mut s = last;
    loop {
        let end = arr[s];
        let (from, kind) = match pred[s] {
            Pred::Start | Pred::None => break,
            Pred::Road(f, e) if s >= n && walked => (f, StepKind::Walk { edge: Some(e) }),
            Pred::Road(f, e) => (f, StepKind::Road { edge: e, bridge: net.edge(e).bridge }),
            Pred::Ferry(f, a, dep) => (f, StepKind::Ferry { arc: a, depart: dep }),
            Pred::Boat(f, _) if !carried => (f, StepKind::Boat),
            Pred::Boat(f, dep) => (f, StepKind::Carried { depart: dep }),
        };
        // The unit's own boat leaves when ready, from the sea too: not at `arr[from]`. A
        // carried crew's step starts on the pier, so that its wait for the boat shows.
        let start = match pred[s] {
            Pred::Boat(_, dep) if !carried => dep,
            _ => arr[from],
        };
        steps.push(Step { from: (from % n) as NodeIx, to: Some((s % n) as NodeIx), start, end, kind });
        s = from;
    }
    steps.reverse();
    steps
}

impl Step {
    pub fn crosses_bridge(&self) -> bool {
        matches!(self.kind, StepKind::Road { bridge, .. } if bridge != NO_BRIDGE)
    }
}
