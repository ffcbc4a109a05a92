//! The fast engine must equal the per-unit oracle (a plain forward time-dependent
//! Dijkstra over the whole graph) for every unit, at every time of day: around the last
//! sailing, across midnight, under closures and wind, across the days the clocks change,
//! and with bridges that open in the middle of the days tried.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use proptest::prelude::*;
use tidewatch_core::rng::Rng;
use tidewatch_core::route::synthetic::{archipelago_with, province};
use tidewatch_core::route::{
    carried_return, fastest_carried_trip, fastest_trip, local_instant, road_times_to, Carrier, CarryTable, Conditions, Destination, Engine,
    Network, Passable, ServiceDays, StepKind, UnitStart, WayBack, Workspace,
};

/// 2026-09-30 00:00 +08:00: the next days cover a weekday, two holidays and a weekend.
const BASE: i64 = 1_790_697_600;

/// Four local days from `first` in `tz`: where the random query times fall.
#[derive(Clone, Copy)]
struct Days {
    tz: Tz,
    first: NaiveDate,
}

const SHANGHAI: Days = Days { tz: chrono_tz::Asia::Shanghai, first: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap() };

impl Days {
    /// Local clock time `secs` on day `k` (may run past midnight).
    fn at(&self, k: u64, secs: i64) -> i64 {
        let midnight = (self.first + chrono::Days::new(k)).and_time(NaiveTime::MIN);
        local_instant(self.tz, midnight + chrono::Duration::seconds(secs))
    }
}

fn oracle_etas(net: &Network, pass: &Passable, units: &[UnitStart], t0: i64, dest: &Destination) -> Vec<Option<u32>> {
    let days = ServiceDays::around(net, t0);
    units.iter().map(|u| fastest_trip(net, pass, &days, u, t0, dest).map(|t| t.eta_s)).collect()
}

/// Query times that matter: departures themselves, a second before and after, the last
/// sailing of the day, midnight, plus uniform times over four days.
fn interesting_time(net: &Network, days: Days, rng: &mut Rng) -> i64 {
    let k = rng.range(0, 4);
    match rng.range(0, 4) {
        0 if !net.ferries.is_empty() => {
            let arc = &net.ferries[rng.range(0, net.ferries.len() as u64) as usize];
            let deps = &arc.departures[rng.range(0, 3) as usize];
            match deps.iter().max() {
                Some(&last) => days.at(k, last as i64) - [0, 1, 60, 600][rng.range(0, 4) as usize] + [0, 1][rng.range(0, 2) as usize],
                None => days.at(k, 0),
            }
        }
        1 => days.at(k + 1, 0) - rng.range(0, 3600) as i64,
        _ => days.at(k, rng.range(0, 86_400) as i64),
    }
}

fn conditions(net: &Network, rng: &mut Rng) -> Conditions {
    let mut closed = Vec::new();
    for b in &net.bridges {
        if rng.chance(0.2) {
            closed.push(b.id.clone());
        }
    }
    for f in &net.ferries {
        if rng.chance(0.1) && !closed.contains(&f.route_id) {
            closed.push(f.route_id.clone());
        }
    }
    Conditions {
        wind_force: [0, 3, 7, 8, 9, 10][rng.range(0, 6) as usize],
        visibility_m: if rng.chance(0.2) { Some(300) } else { None },
        closed,
    }
}

fn check(seed: u64, islands: usize, max_nodes: usize) -> Result<(), TestCaseError> {
    check_in(seed, islands, max_nodes, SHANGHAI, false, 0.0)
}

/// With `openings`, some bridges open within the four days (so that some queries come
/// before and some after); `one_way`: the share of roads driven one way only.
fn check_in(seed: u64, islands: usize, max_nodes: usize, within: Days, openings: bool, one_way: f64) -> Result<(), TestCaseError> {
    let (net, units) = archipelago_with(seed, islands, max_nodes, 25, within.tz, openings.then(|| within.at(2, 0)), one_way);
    let mut rng = Rng::new(seed ^ 0xA5A5);
    for _ in 0..6 {
        let cond = conditions(&net, &mut rng);
        let t0 = interesting_time(&net, within, &mut rng);
        let pass = Passable::new(&net, &cond, t0).expect("synthetic ids are known");
        let engine = Engine::new(&net, pass.clone());
        let table = engine.units(units.clone());
        let mut ws = Workspace::new(&net);
        let days = ServiceDays::around(&net, t0);
        let dest = if rng.chance(0.1) {
            Destination::Point { lon: 120.05, lat: 29.9 }
        } else {
            Destination::Node { node: rng.range(0, net.node_count() as u64) as u32, access_s: rng.range(0, 200) as u32 }
        };
        let expected = oracle_etas(&net, &pass, &units, t0, &dest);
        let all = engine.rank(&mut ws, &table, t0, &days, &dest, None);
        let mut got = vec![None; units.len()];
        for r in &all {
            got[r.unit as usize] = Some(r.eta_s);
        }
        prop_assert_eq!(&got, &expected, "seed {} t0 {} dest {:?} cond {:?}", seed, t0, dest, cond);

        let k = rng.range(1, 8) as usize;
        let top = engine.rank(&mut ws, &table, t0, &days, &dest, Some(k));
        let mut sorted: Vec<(u32, u32)> = expected.iter().enumerate().filter_map(|(u, e)| e.map(|e| (e, u as u32))).collect();
        sorted.sort_unstable();
        let want: Vec<u32> = sorted.iter().take(k).map(|&(e, _)| e).collect();
        let have: Vec<u32> = top.iter().map(|r| r.eta_s).collect();
        prop_assert_eq!(have, want, "top-{} differs: seed {} t0 {}", k, seed, t0);
    }
    Ok(())
}

/// Crews picked up by a boat (issue #16): the carry table's ETA, or the crew's road time
/// when that is no slower, equals the oracle's two-layer search; landed crews walk where
/// their island has no vehicle, and the trip's steps say so.
fn check_carried(seed: u64, islands: usize, max_nodes: usize, one_way: f64) -> Result<(), TestCaseError> {
    let (net, units) = archipelago_with(seed, islands, max_nodes, 25, SHANGHAI.tz, None, one_way);
    let mut rng = Rng::new(seed ^ 0xC0FFEE);
    let piers: Vec<u32> = net.piers.clone();
    for _ in 0..6 {
        let cond = conditions(&net, &mut rng);
        let t0 = interesting_time(&net, SHANGHAI, &mut rng);
        let pass = Passable::new(&net, &cond, t0).expect("synthetic ids are known");
        let days = ServiceDays::around(&net, t0);
        let x = rng.range(0, net.node_count() as u64) as u32;
        let dest = Destination::Node { node: x, access_s: rng.range(0, 200) as u32 };
        let Some(table) = CarryTable::new(&net, &pass, &dest) else {
            prop_assert!(!pass.boats_out);
            continue;
        };
        let road = road_times_to(&net, &pass, x);
        for crew in units.iter().filter(|u| u.boat_speed_kmh.is_none()).take(6) {
            let boat = Carrier {
                node: piers[rng.range(0, piers.len() as u64) as usize],
                offset_s: rng.range(0, 400) as u32,
                speed_kmh: [20.0, 40.0, 60.0][rng.range(0, 3) as usize],
            };
            let Destination::Node { access_s, .. } = dest else { unreachable!() };
            let alone =
                road[crew.node as usize].checked_add(crew.offset_s).and_then(|d| d.checked_add(access_s)).filter(|&d| d != u32::MAX);
            let carried = table.eta(crew, &boat);
            let want = match (alone, carried) {
                (Some(a), Some(c)) => Some(a.min(c)),
                (a, c) => a.or(c),
            };
            let trip = fastest_carried_trip(&net, &pass, &days, crew, &boat, t0, &dest);
            prop_assert_eq!(trip.as_ref().map(|t| t.eta_s), want, "seed {} t0 {} crew {:?} boat {:?}", seed, t0, crew, boat);
            if let Some(t) = trip {
                let walks = t.steps.iter().any(|s| matches!(s.kind, StepKind::Walk { .. }));
                let sailed = t.steps.iter().any(|s| matches!(s.kind, StepKind::Carried { .. }));
                let on_foot = net.last_leg.on_foot(net.nodes[x as usize].island);
                prop_assert!(!walks || (sailed && on_foot), "walking without landing: {:?}", t.steps);
                let total: i64 = t.steps.iter().map(|s| s.end - s.start).sum::<i64>() + crew.offset_s as i64;
                prop_assert_eq!(total, t.eta_s as i64, "steps do not add up: {:?}", t.steps);
            }
        }
    }
    Ok(())
}

/// The boat's way back (issue #16) on random archipelagos: `carried_return` equals the
/// way back composed by hand from the carried trip's legs (ashore back to the landing
/// pier, the crossing back, the drive home, the boat's sail to its base) and the crew's
/// own way home by the fast engine's ranking; and its invariants hold (the crew takes its
/// own way only when that is there and no later; a boat fetching the crew is free only
/// after the crew cleared and crossed back; the crew is never home later than by boat).
fn check_way_back(seed: u64, islands: usize, max_nodes: usize, one_way: f64) -> Result<(), TestCaseError> {
    let (net, units) = archipelago_with(seed, islands, max_nodes, 25, SHANGHAI.tz, None, one_way);
    let mut rng = Rng::new(seed ^ 0xB0A7);
    for _ in 0..4 {
        let cond = conditions(&net, &mut rng);
        let t0 = interesting_time(&net, SHANGHAI, &mut rng);
        let pass = Passable::new(&net, &cond, t0).expect("synthetic ids are known");
        let days = ServiceDays::around(&net, t0);
        let engine = Engine::new(&net, pass.clone());
        let mut ws = Workspace::new(&net);
        let x = rng.range(0, net.node_count() as u64) as u32;
        let dest = Destination::Node { node: x, access_s: rng.range(0, 200) as u32 };
        let on_scene_s = [0, 600, 1800, 7200][rng.range(0, 4) as usize];
        for crew in units.iter().filter(|u| u.boat_speed_kmh.is_none()).take(4) {
            let pier = |rng: &mut Rng| net.piers[rng.range(0, net.piers.len() as u64) as usize];
            let boat =
                Carrier { node: pier(&mut rng), offset_s: rng.range(0, 400) as u32, speed_kmh: [20.0, 40.0][rng.range(0, 2) as usize] };
            let base = if rng.chance(0.5) { boat.node } else { pier(&mut rng) };
            let Some(trip) = fastest_carried_trip(&net, &pass, &days, crew, &boat, t0, &dest) else { continue };
            let w = WayBack { home: crew.node, base, boat_speed_kmh: boat.speed_kmh, on_scene_s };
            let got = carried_return(&net, &pass, &days, &trip, &dest, w);
            let Some(k) = trip.steps.iter().position(|s| matches!(s.kind, StepKind::Carried { .. })) else {
                prop_assert_eq!(got, None, "no crossing, no way back by boat");
                continue;
            };
            let StepKind::Carried { depart } = trip.steps[k].kind else { unreachable!() };
            let got = got.expect("a carried trip has a way back");
            // By hand: the legs of the way out, each back in the time it took.
            let dur = |s: &tidewatch_core::route::Step| s.end - s.start;
            let drive_out = i64::from(crew.offset_s) + trip.steps[..k].iter().map(dur).sum::<i64>();
            let ashore: i64 = trip.steps[k + 1..].iter().map(dur).sum();
            let crossing = trip.steps[k].end - depart;
            let arrive = t0 + i64::from(trip.eta_s);
            let (landed, cleared) = (arrive - ashore, arrive + on_scene_s);
            let at_pickup = cleared + ashore + crossing;
            let home_by_boat = at_pickup + drive_out;
            let sail = |from: u32| if from == base { 0 } else { i64::from(net.boat.seconds(net.pos(from), net.pos(base), boat.speed_kmh)) };
            // The crew's own way home: the fast engine, from the scene at clearing.
            let table = engine.units(vec![UnitStart { node: x, offset_s: 0, boat_speed_kmh: None, at_sea: None }]);
            let home = Destination::Node { node: crew.node, access_s: 0 };
            let own = engine.rank(&mut ws, &table, cleared, &days, &home, None).first().map(|r| cleared + i64::from(r.eta_s));
            let own_way = own.is_some_and(|o| o <= home_by_boat);
            let (pickup, landing) = (trip.steps[k].from, trip.steps[k].to.expect("landed at a pier"));
            let free_at_base = if own_way { landed + sail(landing) } else { at_pickup + sail(pickup) };
            let crew_home = if own_way { own.unwrap() } else { home_by_boat };
            let want = tidewatch_core::route::CarriedReturn { cleared, own, own_way, free_at_base, crew_home };
            prop_assert_eq!(got, want, "seed {} t0 {} crew {:?} boat {:?} base {}", seed, t0, crew, boat, base);
            // Invariants.
            prop_assert!(!got.own_way || got.own.is_some_and(|o| o <= home_by_boat));
            prop_assert!(got.own_way || got.free_at_base >= got.cleared + crossing, "a fetching boat is free after the crossing back");
            prop_assert!(got.free_at_base >= landed && got.cleared >= arrive);
            prop_assert!(got.crew_home >= got.cleared && got.crew_home <= home_by_boat);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_way_back_equals_its_legs_composed_by_hand(seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25, one_way in prop_oneof![Just(0.0), Just(0.8)]) {
        check_way_back(seed, islands, max_nodes, one_way)?;
    }

    #[test]
    fn carried_crews_equal_the_oracle_on_random_archipelagos(seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25) {
        check_carried(seed, islands, max_nodes, 0.0)?;
    }

    /// Most roads one-way, each in a random direction (issue #19): the backward search,
    /// the terminal tables and the carry table follow the roads' directions as the forward
    /// oracle does.
    #[test]
    fn engine_equals_oracle_on_mostly_one_way_archipelagos(seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25) {
        check_in(seed, islands, max_nodes, SHANGHAI, false, 0.8)?;
    }

    #[test]
    fn carried_crews_equal_the_oracle_on_mostly_one_way_archipelagos(seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25) {
        check_carried(seed, islands, max_nodes, 0.8)?;
    }

    #[test]
    fn engine_equals_oracle_on_random_archipelagos(seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25) {
        check(seed, islands, max_nodes)?;
    }

    /// Berlin's clocks go forward on 2026-03-29 and back on 2026-10-25: sailings keep
    /// their local clock times, and some bridges open during the days tried.
    #[test]
    fn engine_equals_oracle_across_clock_changes_and_bridge_openings(
        seed in any::<u64>(), islands in 2usize..9, max_nodes in 2usize..25, autumn in any::<bool>(),
    ) {
        let first = if autumn { NaiveDate::from_ymd_opt(2026, 10, 23) } else { NaiveDate::from_ymd_opt(2026, 3, 27) };
        check_in(seed, islands, max_nodes, Days { tz: chrono_tz::Europe::Berlin, first: first.unwrap() }, true, 0.0)?;
    }
}

#[test]
fn top_k_on_a_small_province_equals_full_ranking() {
    let (net, units) = province(7, 60, 6, 15, 300);
    let pass = Passable::all_open(&net);
    let engine = Engine::new(&net, pass.clone());
    let table = engine.units(units.clone());
    let mut ws = Workspace::new(&net);
    let mut rng = Rng::new(3);
    for _ in 0..20 {
        let t0 = interesting_time(&net, SHANGHAI, &mut rng);
        let days = ServiceDays::around(&net, t0);
        let dest = Destination::Node { node: rng.range(0, net.node_count() as u64) as u32, access_s: 0 };
        let expected = oracle_etas(&net, &pass, &units, t0, &dest);
        let mut sorted: Vec<u32> = expected.iter().flatten().copied().collect();
        sorted.sort_unstable();
        let top = engine.rank(&mut ws, &table, t0, &days, &dest, Some(20));
        assert_eq!(top.iter().map(|r| r.eta_s).collect::<Vec<_>>(), sorted[..20.min(sorted.len())].to_vec());
        for r in &top {
            assert_eq!(Some(r.eta_s), expected[r.unit as usize], "unit {} ETA", r.unit);
        }
    }
}

#[test]
fn ferry_wait_is_exact_around_the_last_sailing() {
    // Two islands, one ferry at 18:00 only (all day types), 20 min crossing.
    use tidewatch_core::route::{BoatModel, FerryArc, NetworkBuilder};
    let mut b = NetworkBuilder::new(
        chrono_tz::Asia::Shanghai,
        Default::default(),
        BoatModel { detour_factor: 1.2, landing_s: 180, stop_wind_force: 10 },
    );
    let sq = |x: f64| tidewatch_core::route::synthetic::square(x, 30.0, 0.1);
    let (i0, i1) = (b.add_island("a".into(), sq(120.0)), b.add_island("b".into(), sq(120.2)));
    let u = b.add_node("u".into(), 120.01, 30.05, i0, false);
    let p = b.add_node("p".into(), 120.09, 30.05, i0, true);
    let q = b.add_node("q".into(), 120.21, 30.05, i1, true);
    let x = b.add_node("x".into(), 120.25, 30.05, i1, false);
    b.add_road(u, p, 600);
    b.add_road(q, x, 300);
    let six_pm = 18 * 3600;
    b.add_ferry(FerryArc {
        route_id: "f".into(),
        from: p,
        to: q,
        vessel: tidewatch_core::region::VesselClass::Ordinary,
        crossing_s: 1200,
        departures: [vec![six_pm], vec![six_pm], vec![six_pm]],
        stop_wind_force: 8,
        stop_visibility_m: 500,
    });
    let net = b.build();
    let pass = Passable::all_open(&net);
    let engine = Engine::new(&net, pass);
    let table = engine.units(vec![UnitStart { node: u, offset_s: 0, boat_speed_kmh: None, at_sea: None }]);
    let mut ws = Workspace::new(&net);
    let dest = Destination::Node { node: x, access_s: 0 };
    let eta_at = |ws: &mut Workspace, t: i64| {
        let days = ServiceDays::around(&net, t);
        engine.rank(ws, &table, t, &days, &dest, None)[0].eta_s
    };
    let day = BASE + 86_400; // 2026-10-01, a holiday
                             // Leave 10 min before 17:50: at the pier 17:50, wait 10, cross 20, drive 5.
    assert_eq!(eta_at(&mut ws, day + six_pm as i64 - 1200), 600 + 600 + 1200 + 300);
    // Exactly on time: no wait.
    assert_eq!(eta_at(&mut ws, day + six_pm as i64 - 600), 600 + 1200 + 300);
    // One second late: the next sailing is tomorrow at 18:00.
    assert_eq!(eta_at(&mut ws, day + six_pm as i64 - 599), 600 + 86_400 - 1 + 1200 + 300);
}

#[test]
fn regression_top_k_seed_1389874793818127429() {
    check(1389874793818127429, 8, 17).unwrap();
}
