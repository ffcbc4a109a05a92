//! Ranking units by ETA, with peers in the same harness.
//!
//! - `dinghai/*`: the bundled pack, every unit, incidents at every place, at several times
//!   of day. Peers: the per-unit oracle (a time-dependent Dijkstra per unit), and a single
//!   static road Dijkstra from the incident with petgraph and with `pathfinding` (roads and
//!   bridges only — less than the engine answers, the floor a naive desk would pay).
//! - `province/*`: a generated network of ≥ 1M road nodes, ferry-linked islands and 5,000
//!   units, asking for the best 20. Peers: petgraph's and pathfinding's Dijkstra from the
//!   incident over the same road graph.
//!
//! After criterion's runs, a percentile table (p50/p99 per peer, ratios, memory) is printed
//! from its own sample of queries, because criterion reports means and medians only.

use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use petgraph::graph::{NodeIndex, UnGraph};
use tidewatch_core::region::{Region, UnitKind};
use tidewatch_core::rng::Rng;
use tidewatch_core::route::synthetic::province;
use tidewatch_core::route::{fastest_trip, road_times_from, Destination, Engine, Network, Passable, ServiceDays, UnitStart, Workspace};

/// 2026-07-01 00:00 +08:00
const DAY: i64 = 1_782_835_200;

fn dinghai() -> (Network, Vec<UnitStart>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/regions/dinghai");
    let region = Region::load(&dir).expect("pack");
    let net = Network::from_region(&region);
    let units = region
        .units
        .iter()
        .map(|u| UnitStart {
            node: region.place_index(&u.base).unwrap() as u32,
            offset_s: 0,
            boat_speed_kmh: (u.kind == UnitKind::Boat).then_some(45.0),
            at_sea: None,
        })
        .collect();
    (net, units)
}

fn petgraph_of(net: &Network) -> UnGraph<(), u32> {
    let mut edges = Vec::with_capacity(net.edge_count() / 2);
    for v in 0..net.node_count() as u32 {
        for e in net.edges(v) {
            if v < e.to {
                edges.push((v, e.to, e.secs));
            }
        }
    }
    let mut g = UnGraph::<(), u32>::with_capacity(net.node_count(), edges.len());
    for _ in 0..net.node_count() {
        g.add_node(());
    }
    for (a, b, w) in edges {
        g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), w);
    }
    g
}

fn adjacency_of(net: &Network) -> Vec<Vec<(u32, u32)>> {
    (0..net.node_count() as u32).map(|v| net.edges(v).map(|e| (e.to, e.secs)).collect()).collect()
}

struct Queries {
    items: Vec<(i64, Destination)>,
}

fn queries(net: &Network, n: usize, seed: u64) -> Queries {
    let mut rng = Rng::new(seed);
    Queries {
        items: (0..n)
            .map(|_| {
                let t = DAY + rng.range(0, 86_400) as i64;
                let node = rng.range(0, net.node_count() as u64) as u32;
                (t, Destination::Node { node, access_s: 30 })
            })
            .collect(),
    }
}

fn bench_dinghai(c: &mut Criterion) {
    let (net, units) = dinghai();
    let pass = Passable::all_open(&net);
    let engine = Engine::new(&net, pass.clone());
    let table = engine.units(units.clone());
    let mut ws = Workspace::new(&net);
    let qs = queries(&net, 256, 1);
    let g = petgraph_of(&net);
    let adj = adjacency_of(&net);
    let mut group = c.benchmark_group("dinghai");
    let mut i = 0;
    group.bench_function("engine_all_units", |b| {
        b.iter(|| {
            let (t, dest) = qs.items[i % qs.items.len()];
            i += 1;
            let days = ServiceDays::around(&net, t);
            engine.rank(&mut ws, &table, t, &days, &dest, None)
        })
    });
    group.bench_function("oracle_per_unit", |b| {
        b.iter(|| {
            let (t, dest) = qs.items[i % qs.items.len()];
            i += 1;
            let days = ServiceDays::around(&net, t);
            units.iter().filter_map(|u| fastest_trip(&net, &pass, &days, u, t, &dest)).count()
        })
    });
    group.bench_function("petgraph_road_dijkstra", |b| {
        b.iter(|| {
            let Destination::Node { node, .. } = qs.items[i % qs.items.len()].1 else { unreachable!() };
            i += 1;
            petgraph::algo::dijkstra(&g, NodeIndex::new(node as usize), None, |e| *e.weight()).len()
        })
    });
    group.bench_function("pathfinding_road_dijkstra", |b| {
        b.iter(|| {
            let Destination::Node { node, .. } = qs.items[i % qs.items.len()].1 else { unreachable!() };
            i += 1;
            pathfinding::prelude::dijkstra_all(&node, |&v| adj[v as usize].iter().copied()).len()
        })
    });
    group.finish();
}

struct Province {
    net: Network,
    units: Vec<UnitStart>,
}

fn province_network() -> Province {
    let (net, units) = province(42, 1000, 12, 50, 5000);
    Province { net, units }
}

fn bench_province(c: &mut Criterion) {
    let p = province_network();
    let pass = Passable::all_open(&p.net);
    let engine = Engine::new(&p.net, pass);
    let table = engine.units(p.units.clone());
    let mut ws = Workspace::new(&p.net);
    let qs = queries(&p.net, 256, 2);
    let g = petgraph_of(&p.net);
    let adj = adjacency_of(&p.net);
    let mut group = c.benchmark_group("province");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    let mut i = 0;
    group.bench_function("engine_top20", |b| {
        b.iter(|| {
            let (t, dest) = qs.items[i % qs.items.len()];
            i += 1;
            let days = ServiceDays::around(&p.net, t);
            engine.rank(&mut ws, &table, t, &days, &dest, Some(20))
        })
    });
    group.bench_function("petgraph_dijkstra", |b| {
        b.iter(|| {
            let Destination::Node { node, .. } = qs.items[i % qs.items.len()].1 else { unreachable!() };
            i += 1;
            petgraph::algo::dijkstra(&g, NodeIndex::new(node as usize), None, |e| *e.weight()).len()
        })
    });
    group.bench_function("pathfinding_dijkstra", |b| {
        b.iter(|| {
            let Destination::Node { node, .. } = qs.items[i % qs.items.len()].1 else { unreachable!() };
            i += 1;
            pathfinding::prelude::dijkstra_all(&node, |&v| adj[v as usize].iter().copied()).len()
        })
    });
    group.finish();
}

/// p50 and p99 of `n` timed calls.
fn percentiles(n: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    samples.sort();
    (samples[n / 2], samples[(n * 99 / 100).min(n - 1)])
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn row(name: &str, (p50, p99): (Duration, Duration), base: Option<Duration>) {
    let ratio = base.map(|b| format!("{:>9.1}×", p50.as_secs_f64() / b.as_secs_f64())).unwrap_or_default();
    println!("  {name:<34} p50 {:>12?}  p99 {:>12?} {ratio}", p50, p99);
}

fn percentile_report() {
    println!("\n== percentiles (own sample; ratio = peer p50 / engine p50) ==");
    let (net, units) = dinghai();
    let pass = Passable::all_open(&net);
    let engine = Engine::new(&net, pass.clone());
    let table = engine.units(units.clone());
    let mut ws = Workspace::new(&net);
    let qs = queries(&net, 2000, 3);
    let g = petgraph_of(&net);
    let adj = adjacency_of(&net);
    println!("dinghai: {} nodes, {} units", net.node_count(), units.len());
    let ours = percentiles(qs.items.len(), |i| {
        let (t, dest) = qs.items[i];
        let days = ServiceDays::around(&net, t);
        std::hint::black_box(engine.rank(&mut ws, &table, t, &days, &dest, None));
    });
    row("engine, all units", ours, None);
    row(
        "oracle, TD Dijkstra per unit",
        percentiles(qs.items.len(), |i| {
            let (t, dest) = qs.items[i];
            let days = ServiceDays::around(&net, t);
            std::hint::black_box(units.iter().filter_map(|u| fastest_trip(&net, &pass, &days, u, t, &dest)).count());
        }),
        Some(ours.0),
    );
    let node = |i: usize| match qs.items[i].1 {
        Destination::Node { node, .. } => node,
        Destination::Point { .. } => unreachable!(),
    };
    row(
        "petgraph road Dijkstra (no ferries)",
        percentiles(qs.items.len(), |i| {
            std::hint::black_box(petgraph::algo::dijkstra(&g, NodeIndex::new(node(i) as usize), None, |e| *e.weight()));
        }),
        Some(ours.0),
    );
    row(
        "pathfinding road Dijkstra (no ferries)",
        percentiles(qs.items.len(), |i| {
            std::hint::black_box(pathfinding::prelude::dijkstra_all(&node(i), |&v| adj[v as usize].iter().copied()));
        }),
        Some(ours.0),
    );
    row(
        "engine rebuild (closure change)",
        percentiles(200, |_| {
            std::hint::black_box(Engine::new(&net, pass.clone()));
        }),
        None,
    );

    let rss_before = peak_rss_mb();
    let built = Instant::now();
    let p = province_network();
    let net_time = built.elapsed();
    let rss_net = peak_rss_mb();
    let built = Instant::now();
    let pass = Passable::all_open(&p.net);
    let engine = Engine::new(&p.net, pass.clone());
    let table = engine.units(p.units.clone());
    let prep = built.elapsed();
    let mut ws = Workspace::new(&p.net);
    let qs = queries(&p.net, 200, 4);
    println!(
        "province: {} road nodes, {} edges, {} ferry arcs, {} units; network built in {:?}, engine tables in {:?} ({:.0} MB of tables); peak RSS {:.0} MB (before: {:.0} MB, network: {:.0} MB)",
        p.net.node_count(),
        p.net.edge_count() / 2,
        p.net.ferries.len(),
        p.units.len(),
        net_time,
        prep,
        engine.table_bytes() as f64 / 1e6,
        peak_rss_mb(),
        rss_before,
        rss_net
    );
    let ours = percentiles(qs.items.len(), |i| {
        let (t, dest) = qs.items[i];
        let days = ServiceDays::around(&p.net, t);
        std::hint::black_box(engine.rank(&mut ws, &table, t, &days, &dest, Some(20)));
    });
    row("engine, best 20", ours, None);
    let node = |i: usize| match qs.items[i].1 {
        Destination::Node { node, .. } => node,
        Destination::Point { .. } => unreachable!(),
    };
    let g = petgraph_of(&p.net);
    row(
        "petgraph Dijkstra",
        percentiles(20, |i| {
            std::hint::black_box(petgraph::algo::dijkstra(&g, NodeIndex::new(node(i) as usize), None, |e| *e.weight()));
        }),
        Some(ours.0),
    );
    drop(g);
    let adj = adjacency_of(&p.net);
    row(
        "pathfinding Dijkstra",
        percentiles(20, |i| {
            std::hint::black_box(pathfinding::prelude::dijkstra_all(&node(i), |&v| adj[v as usize].iter().copied()));
        }),
        Some(ours.0),
    );
    row(
        "our plain road Dijkstra (full)",
        percentiles(20, |i| {
            std::hint::black_box(road_times_from(&p.net, &pass, node(i)));
        }),
        Some(ours.0),
    );
    println!("peak RSS at end: {:.0} MB", peak_rss_mb());
}

criterion_group!(benches, bench_dinghai, bench_province);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    percentile_report();
}
