//! The fast engine: every unit's ETA to one incident, or just the best k.
//!
//! 1. One backward road search from the incident over roads and open bridges (each road
//!    taken the way it may be driven *into* a node, so it gives every node's road time
//!    *to* the incident, one-way streets included). With a limit k it
//!    stops as soon as the next node is no closer than the k-th best ETA found so far.
//! 2. For units that may do better by ferry, a tiny time-dependent Dijkstra over the
//!    ferry terminals: start at `now + road time to each terminal` (precomputed per
//!    terminal), ferry arcs wait for the next departure, road moves between terminals
//!    come from a precomputed table; finish with the terminal's road time to the
//!    incident from step 1. Ferries are FIFO, so this is exact (see `trip.rs`, the oracle).
//! 3. Police boats: sail from their pier to any pier, then road time from step 1. A boat
//!    kept in port by the wind still has its crew's road time from step 1.
//!
//! Seconds are summed saturating: a sum that reaches `u32::MAX` means "unreachable".

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::conditions::Passable;
use super::network::{Network, NodeIx, ServiceDays, DRIVE_IN, DRIVE_OUT};
use super::trip::{Destination, UnitStart};
use super::walk::LastLeg;

const INF: u32 = u32::MAX;

/// Road-network facts that hold as long as the closures do (rebuild on a closure change).
pub struct Engine<'n> {
    net: &'n Network,
    pass: Passable,
    terms: Vec<NodeIx>,
    term_of: HashMap<NodeIx, usize>,
    /// `term_dist[p][v]`: road seconds from terminal `p` to node `v` (INF: no road).
    term_dist: Vec<Vec<u32>>,
    /// `to_term[p][v]`: road seconds from node `v` to terminal `p`; `None` when no road is
    /// one-way (then it is `term_dist`, and the memory is not spent twice).
    to_term: Option<Vec<Vec<u32>>>,
    /// `tt[p][q]`: road seconds from terminal `p` to terminal `q`.
    tt: Vec<Vec<u32>>,
    /// Terminals where a running ferry arrives.
    landing: Vec<bool>,
    min_crossing: u32,
}

/// The units of one question, with their road times to terminals.
pub struct UnitTable {
    starts: Vec<UnitStart>,
    at_node: HashMap<NodeIx, Vec<u32>>,
    to_terms: Vec<Vec<(u32, u32)>>,
    min_to_term: Vec<u32>,
}

impl UnitTable {
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn start(&self, i: usize) -> &UnitStart {
        &self.starts[i]
    }
}

/// Scratch space for the backward search, reused between questions.
pub struct Workspace {
    dist: Vec<u32>,
    touched: Vec<NodeIx>,
    heap: BinaryHeap<Reverse<(u32, NodeIx)>>,
}

impl Workspace {
    pub fn new(net: &Network) -> Workspace {
        Workspace { dist: vec![INF; net.node_count()], touched: Vec::new(), heap: BinaryHeap::new() }
    }

    fn reset(&mut self) {
        for &v in &self.touched {
            self.dist[v as usize] = INF;
        }
        self.touched.clear();
        self.heap.clear();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ranked {
    pub eta_s: u32,
    pub unit: u32,
}

/// The k best units so far (one entry per unit: a unit that improves replaces its entry);
/// the largest is the pruning bound. Without a limit there is nothing to prune.
struct BestK {
    k: Option<usize>,
    /// (eta, unit), sorted, at most k.
    best: Vec<(u32, u32)>,
}

impl BestK {
    fn bound(&self) -> u32 {
        match self.k {
            Some(k) if self.best.len() >= k => self.best[k - 1].0,
            _ => INF,
        }
    }

    fn offer(&mut self, unit: u32, eta: u32) {
        let Some(k) = self.k else { return };
        if let Some(i) = self.best.iter().position(|&(_, u)| u == unit) {
            self.best.remove(i);
        }
        let at = self.best.partition_point(|&e| e < (eta, unit));
        self.best.insert(at, (eta, unit));
        self.best.truncate(k);
    }
}

impl<'n> Engine<'n> {
    pub fn new(net: &'n Network, pass: Passable) -> Engine<'n> {
        let mut terms: Vec<NodeIx> =
            net.ferries.iter().enumerate().filter(|(i, _)| pass.ferry_running[*i]).flat_map(|(_, f)| [f.from, f.to]).collect();
        terms.sort_unstable();
        terms.dedup();
        let term_of: HashMap<NodeIx, usize> = terms.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        let term_dist: Vec<Vec<u32>> = terms.iter().map(|&p| road_times_from(net, &pass, p)).collect();
        let to_term = net.has_one_way().then(|| terms.iter().map(|&p| road_times_to(net, &pass, p)).collect());
        let tt = term_dist.iter().map(|row| terms.iter().map(|&q| row[q as usize]).collect()).collect();
        let mut landing = vec![false; terms.len()];
        let mut min_crossing = INF;
        for (i, f) in net.ferries.iter().enumerate() {
            if pass.ferry_running[i] {
                landing[term_of[&f.to]] = true;
                min_crossing = min_crossing.min(f.crossing_s);
            }
        }
        Engine { net, pass, terms, term_of, term_dist, to_term, tt, landing, min_crossing }
    }

    pub fn network(&self) -> &Network {
        self.net
    }

    pub fn passable(&self) -> &Passable {
        &self.pass
    }

    pub fn units(&self, starts: Vec<UnitStart>) -> UnitTable {
        let mut at_node: HashMap<NodeIx, Vec<u32>> = HashMap::new();
        let mut to_terms = Vec::with_capacity(starts.len());
        let mut min_to_term = Vec::with_capacity(starts.len());
        for (i, s) in starts.iter().enumerate() {
            at_node.entry(s.node).or_default().push(i as u32);
            let to_term = self.to_term.as_ref().unwrap_or(&self.term_dist);
            let row: Vec<(u32, u32)> = (0..self.terms.len())
                .filter_map(|p| {
                    let d = to_term[p][s.node as usize];
                    (d != INF).then_some((p as u32, d))
                })
                .collect();
            min_to_term.push(row.iter().map(|&(_, d)| d).min().unwrap_or(INF));
            to_terms.push(row);
        }
        UnitTable { starts, at_node, to_terms, min_to_term }
    }

    /// Units that can reach `dest` leaving at `t0`, fastest first; with `limit`, only the
    /// best `limit` (ties broken by unit index).
    pub fn rank(
        &self,
        ws: &mut Workspace,
        units: &UnitTable,
        t0: i64,
        days: &ServiceDays,
        dest: &Destination,
        limit: Option<usize>,
    ) -> Vec<Ranked> {
        let mut eta: Vec<u32> = vec![INF; units.len()];
        let mut best = BestK { k: limit.map(|k| k.max(1)), best: Vec::new() };
        let offer = |eta: &mut Vec<u32>, best: &mut BestK, u: usize, e: u32| {
            if e < eta[u] {
                eta[u] = e;
                best.offer(u as u32, e);
            }
        };
        match *dest {
            Destination::Point { lon, lat } => {
                if self.pass.boats_out {
                    for (u, s) in units.starts.iter().enumerate() {
                        if let Some(speed) = s.boat_speed_kmh {
                            let (origin, sea_off) = s.sea_leg(self.net);
                            let sail = self.net.boat.sail_s(origin, (lon, lat), speed);
                            offer(&mut eta, &mut best, u, sea_off.saturating_add(sail));
                        }
                    }
                }
            }
            Destination::Node { node: x, access_s } => {
                ws.reset();
                let limited = limit.is_some();
                // Every unit, a boat's crew too (in port or not), may go by road.
                let stop = self.road_search(ws, units, x, access_s, &mut |u, e| {
                    offer(&mut eta, &mut best, u, e);
                    if limited {
                        best.bound()
                    } else {
                        INF
                    }
                });
                // Road time to the incident is final for nodes below the stop distance.
                let to_x = |v: NodeIx| {
                    let d = ws.dist[v as usize];
                    (d < stop).then_some(d)
                };
                let landing_best = (0..self.terms.len()).filter(|&q| self.landing[q]).filter_map(|q| to_x(self.terms[q])).min();
                let sailing = self.pass.boats_out && units.starts.iter().any(|s| s.boat_speed_kmh.is_some());
                let last = if sailing { LastLeg::to(self.net, &self.pass, dest) } else { LastLeg::Drive };
                // A crew put ashore at pier `q`: the rest of the way, access included.
                let ashore = |q: NodeIx| match &last {
                    LastLeg::Drive => to_x(q).map(|d| d.saturating_add(access_s)),
                    LastLeg::Walk(w) => Some(w[q as usize]).filter(|&d| d != INF),
                };
                for (u, s) in units.starts.iter().enumerate() {
                    if let Some(speed) = s.boat_speed_kmh {
                        if !self.pass.boats_out {
                            continue;
                        }
                        let (origin, sea_off) = s.sea_leg(self.net);
                        for &q in &self.net.piers {
                            if let Some(d) = ashore(q).filter(|_| q != s.node) {
                                let sail = self.net.boat.seconds(origin, self.net.pos(q), speed);
                                offer(&mut eta, &mut best, u, sea_off.saturating_add(sail).saturating_add(d));
                            }
                        }
                        continue;
                    }
                    let Some(land) = landing_best else { continue };
                    let lower = s.offset_s as u64 + units.min_to_term[u] as u64 + self.min_crossing as u64 + land as u64 + access_s as u64;
                    if lower >= best.bound().min(eta[u]) as u64 {
                        continue;
                    }
                    if let Some(e) = self.by_ferry(units, u, t0, days, &to_x) {
                        offer(&mut eta, &mut best, u, e.saturating_add(access_s));
                    }
                }
            }
        }
        let mut out: Vec<Ranked> =
            eta.iter().enumerate().filter(|(_, &e)| e != INF).map(|(u, &e)| Ranked { eta_s: e, unit: u as u32 }).collect();
        out.sort_unstable();
        if let Some(k) = limit {
            out.truncate(k);
        }
        out
    }

    /// Backward road search from `x`. `found(unit, eta)` returns the current bound; the
    /// search stops when the next node is no closer than it. Returns the stop distance
    /// (INF when the search ran out of nodes).
    fn road_search(
        &self,
        ws: &mut Workspace,
        units: &UnitTable,
        x: NodeIx,
        access_s: u32,
        found: &mut dyn FnMut(usize, u32) -> u32,
    ) -> u32 {
        let mut bound = INF;
        ws.dist[x as usize] = 0;
        ws.touched.push(x);
        ws.heap.push(Reverse((0, x)));
        while let Some(Reverse((d, v))) = ws.heap.pop() {
            if d > ws.dist[v as usize] {
                continue;
            }
            if d.saturating_add(access_s) >= bound {
                return d;
            }
            if let Some(us) = units.at_node.get(&v) {
                for &u in us {
                    let s = &units.starts[u as usize];
                    bound = found(u as usize, s.offset_s.saturating_add(d).saturating_add(access_s));
                }
            }
            for e in self.net.edges_in(v) {
                if !self.pass.edge_open(e.bridge) {
                    continue;
                }
                let nd = d.saturating_add(e.secs);
                let slot = &mut ws.dist[e.to as usize];
                if nd < *slot {
                    if *slot == INF {
                        ws.touched.push(e.to);
                    }
                    *slot = nd;
                    ws.heap.push(Reverse((nd, e.to)));
                }
            }
        }
        INF
    }

    /// Fastest trip of land unit `u` that uses at least one ferry, without the access leg.
    fn by_ferry(&self, units: &UnitTable, u: usize, t0: i64, days: &ServiceDays, to_x: &dyn Fn(NodeIx) -> Option<u32>) -> Option<u32> {
        let s = &units.starts[u];
        let t_start = t0.saturating_add(s.offset_s as i64);
        let n = self.terms.len();
        let mut arr = vec![i64::MAX; n];
        let mut done = vec![false; n];
        for &(p, d) in &units.to_terms[u] {
            arr[p as usize] = t_start.saturating_add(d as i64);
        }
        // The start row already holds the road closure; road moves matter only after landing.
        let mut landed = vec![false; n];
        while let Some(p) = (0..n).filter(|&p| !done[p] && arr[p] != i64::MAX).min_by_key(|&p| arr[p]) {
            done[p] = true;
            let t = arr[p];
            if landed[p] {
                for q in 0..n {
                    let d = self.tt[p][q];
                    if d != INF && t.saturating_add(d as i64) < arr[q] {
                        arr[q] = t.saturating_add(d as i64);
                        landed[q] = true;
                    }
                }
            }
            for &a in self.net.ferries_from(self.terms[p]) {
                if !self.pass.ferry_running[a as usize] {
                    continue;
                }
                let arc = &self.net.ferries[a as usize];
                let Some(dep) = days.next_departure(arc, t) else { continue };
                let q = self.term_of[&arc.to];
                let ta = dep.saturating_add(arc.crossing_s as i64);
                if ta < arr[q] {
                    arr[q] = ta;
                    landed[q] = true;
                }
            }
        }
        (0..n)
            .filter(|&q| landed[q])
            .filter_map(|q| to_x(self.terms[q]).map(|d| arr[q].saturating_add(d as i64).saturating_sub(t0)))
            .min()
            .map(|e| u32::try_from(e).unwrap_or(INF))
    }

    /// Road seconds from terminal `p` to every node (INF where no open road reaches).
    pub fn terminal_road_times(&self, p: NodeIx) -> Option<&[u32]> {
        self.term_of.get(&p).map(|&i| self.term_dist[i].as_slice())
    }

    /// Memory held by the precomputed tables, in bytes.
    pub fn table_bytes(&self) -> usize {
        let rows = self.term_dist.iter().chain(self.to_term.iter().flatten());
        rows.map(|r| r.len() * 4).sum::<usize>() + self.tt.len() * self.tt.len() * 4
    }
}

/// Plain Dijkstra over roads and open bridges from `src`: seconds from `src` to each node.
pub fn road_times_from(net: &Network, pass: &Passable, src: NodeIx) -> Vec<u32> {
    road_times(net, pass, src, false)
}

/// Plain Dijkstra backwards over roads and open bridges: seconds from each node to `dst`
/// (the same as [`road_times_from`] when no road is one-way).
pub fn road_times_to(net: &Network, pass: &Passable, dst: NodeIx) -> Vec<u32> {
    road_times(net, pass, dst, true)
}

fn road_times(net: &Network, pass: &Passable, src: NodeIx, backward: bool) -> Vec<u32> {
    let mut dist = vec![INF; net.node_count()];
    let mut heap = BinaryHeap::new();
    dist[src as usize] = 0;
    heap.push(Reverse((0u32, src)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for e in net.edges_with(v, if backward { DRIVE_IN } else { DRIVE_OUT }) {
            let nd = d.saturating_add(e.secs);
            if pass.edge_open(e.bridge) && nd < dist[e.to as usize] {
                dist[e.to as usize] = nd;
                heap.push(Reverse((nd, e.to)));
            }
        }
    }
    dist
}
