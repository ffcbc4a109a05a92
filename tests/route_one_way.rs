//! One-way roads (issue #19): driven only the way the pack says, walked both ways. Small
//! networks built by hand, then random mostly one-way road graphs against Floyd–Warshall
//! over the same list of roads (an oracle that shares no code with the router).

use proptest::prelude::*;
use tidewatch_core::rng::Rng;
use tidewatch_core::route::synthetic::square;
use tidewatch_core::route::{
    fastest_trip, road_times_from, road_times_to, walk_times_to, BoatModel, Destination, Engine, Network, NetworkBuilder, NodeIx, Passable,
    ServiceDays, UnitStart, Workspace,
};

const INF: u32 = u32::MAX;
/// 2026-09-30 10:00 +08:00.
const T0: i64 = 1_790_733_600;

fn builder() -> NetworkBuilder {
    NetworkBuilder::new(
        chrono_tz::Asia::Shanghai,
        Default::default(),
        BoatModel { detour_factor: 1.2, landing_s: 180, stop_wind_force: 10 },
    )
}

/// `n` nodes on one island.
fn nodes(b: &mut NetworkBuilder, n: usize) -> Vec<NodeIx> {
    let island = b.add_island("i".into(), square(120.0, 30.0, 0.1));
    (0..n).map(|k| b.add_node(format!("n{k}"), 120.01 + k as f64 * 0.001, 30.05, island, false)).collect()
}

fn land(node: NodeIx) -> UnitStart {
    UnitStart { node, offset_s: 0, boat_speed_kmh: None, at_sea: None }
}

/// Every unit's ETA to `x` from the engine's backward search (`None`: cannot get there).
fn engine_etas(net: &Network, units: &[UnitStart], x: NodeIx) -> Vec<Option<u32>> {
    let engine = Engine::new(net, Passable::all_open(net));
    let table = engine.units(units.to_vec());
    let days = ServiceDays::around(net, T0);
    let mut got = vec![None; units.len()];
    for r in engine.rank(&mut Workspace::new(net), &table, T0, &days, &Destination::Node { node: x, access_s: 0 }, None) {
        got[r.unit as usize] = Some(r.eta_s);
    }
    got
}

fn trip_eta(net: &Network, from: NodeIx, to: NodeIx) -> Option<u32> {
    let pass = Passable::all_open(net);
    let days = ServiceDays::around(net, T0);
    fastest_trip(net, &pass, &days, &land(from), T0, &Destination::Node { node: to, access_s: 0 }).map(|t| t.eta_s)
}

#[test]
fn a_one_way_street_is_driven_its_way_and_round_the_block_against_it() {
    // a → b one-way (60 s); back from b to a only round the block b – c – a (200 + 300 s).
    let mut b = builder();
    let n = nodes(&mut b, 3);
    b.add_one_way_road(n[0], n[1], 60);
    b.add_road(n[1], n[2], 200);
    b.add_road(n[2], n[0], 300);
    let net = b.build();
    assert!(net.has_one_way());
    assert_eq!(trip_eta(&net, n[0], n[1]), Some(60));
    assert_eq!(trip_eta(&net, n[1], n[0]), Some(500));
    let pass = Passable::all_open(&net);
    assert_eq!(road_times_from(&net, &pass, n[1]), vec![500, 0, 200]);
    assert_eq!(road_times_to(&net, &pass, n[1]), vec![60, 0, 200]);
    // The engine's backward search from the incident: a unit at b going to a goes round.
    assert_eq!(engine_etas(&net, &[land(n[1]), land(n[2])], n[0]), vec![Some(500), Some(300)]);
    assert_eq!(engine_etas(&net, &[land(n[0]), land(n[2])], n[1]), vec![Some(60), Some(200)]);
}

#[test]
fn a_dead_end_against_the_traffic_is_unreachable_by_car_but_not_on_foot() {
    // b → a is the only road: nothing drives from a to b.
    let mut b = builder();
    let n = nodes(&mut b, 2);
    b.add_one_way_road(n[1], n[0], 60);
    let net = b.build();
    assert_eq!(trip_eta(&net, n[0], n[1]), None);
    assert_eq!(engine_etas(&net, &[land(n[0]), land(n[1])], n[1]), vec![None, Some(0)]);
    // A crew landed on foot walks it either way (60 s driven is 240 s walked here).
    let walk = walk_times_to(&net, &Passable::all_open(&net), n[1]);
    assert_eq!(walk, vec![240, 0]);
}

#[test]
fn two_way_roads_give_the_same_tables_both_ways() {
    let mut b = builder();
    let n = nodes(&mut b, 3);
    b.add_road(n[0], n[1], 60);
    b.add_road(n[1], n[2], 200);
    let net = b.build();
    assert!(!net.has_one_way());
    let pass = Passable::all_open(&net);
    for &v in &n {
        assert_eq!(road_times_from(&net, &pass, v), road_times_to(&net, &pass, v));
    }
}

/// A random road graph on one island: `n` nodes, roads (a, b, seconds, one-way a → b).
fn random_roads(seed: u64, n: usize, one_way_share: f64) -> Vec<(usize, usize, u32, bool)> {
    let mut rng = Rng::new(seed);
    let mut roads = Vec::new();
    for _ in 0..rng.range(0, (3 * n) as u64 + 1) {
        let (a, c) = (rng.range(0, n as u64) as usize, rng.range(0, n as u64) as usize);
        if a != c {
            roads.push((a, c, rng.range(1, 600) as u32, rng.chance(one_way_share)));
        }
    }
    roads
}

/// All-pairs driving times over `roads`: `d[i][j]` from `i` to `j`.
fn floyd(n: usize, roads: &[(usize, usize, u32, bool)]) -> Vec<Vec<u32>> {
    let mut d = vec![vec![INF; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0;
    }
    for &(a, c, s, one_way) in roads {
        d[a][c] = d[a][c].min(s);
        if !one_way {
            d[c][a] = d[c][a].min(s);
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if d[i][k] != INF && d[k][j] != INF {
                    d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
                }
            }
        }
    }
    d
}

fn check_against_floyd(seed: u64, n: usize, share: f64) -> Result<(), TestCaseError> {
    let roads = random_roads(seed, n, share);
    let want = floyd(n, &roads);
    let mut b = builder();
    let ids = nodes(&mut b, n);
    for &(a, c, s, one_way) in &roads {
        if one_way {
            b.add_one_way_road(ids[a], ids[c], s);
        } else {
            b.add_road(ids[a], ids[c], s);
        }
    }
    let net = b.build();
    let pass = Passable::all_open(&net);
    let units: Vec<UnitStart> = ids.iter().map(|&v| land(v)).collect();
    for j in 0..n {
        let from: Vec<u32> = road_times_from(&net, &pass, ids[j]);
        let to: Vec<u32> = road_times_to(&net, &pass, ids[j]);
        for i in 0..n {
            prop_assert_eq!(from[i], want[j][i], "from {} to {}: seed {}", j, i, seed);
            prop_assert_eq!(to[i], want[i][j], "from {} to {}: seed {}", i, j, seed);
        }
        let column: Vec<Option<u32>> = (0..n).map(|i| Some(want[i][j]).filter(|&d| d != INF)).collect();
        prop_assert_eq!(engine_etas(&net, &units, ids[j]), column.clone(), "engine to {}: seed {}", j, seed);
        let oracle: Vec<Option<u32>> = (0..n).map(|i| trip_eta(&net, ids[i], ids[j])).collect();
        prop_assert_eq!(oracle, column, "forward trip to {}: seed {}", j, seed);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Mostly one-way road graphs (80 %, some nodes cut off one way or both): the forward
    /// and backward searches, the engine's ranking and the per-unit trip all equal
    /// Floyd–Warshall.
    #[test]
    fn mostly_one_way_road_graphs_equal_floyd_warshall(seed in any::<u64>(), n in 1usize..14) {
        check_against_floyd(seed, n, 0.8)?;
    }

    #[test]
    fn all_one_way_road_graphs_equal_floyd_warshall(seed in any::<u64>(), n in 1usize..14) {
        check_against_floyd(seed, n, 1.0)?;
    }
}
