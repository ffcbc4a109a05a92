//! Generated networks for property tests and benchmarks: random archipelagos (islands,
//! bridges, timetabled ferries, boats) and a province-size grid.

use chrono::NaiveDate;
use geo::{polygon, MultiPolygon};

use super::network::{BoatModel, FerryArc, Network, NetworkBuilder, NodeIx};
use super::trip::UnitStart;
use crate::region::{HolidayCalendar, SpecialDay, VesselClass};

use crate::rng::Rng;

pub fn square(lon: f64, lat: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: lon, y: lat),
        (x: lon + size, y: lat),
        (x: lon + size, y: lat + size),
        (x: lon, y: lat + size),
        (x: lon, y: lat),
    ]])
}

fn calendar() -> HolidayCalendar {
    let mut cal = HolidayCalendar::default();
    for (d, kind) in [("2026-10-01", SpecialDay::Holiday), ("2026-10-02", SpecialDay::Holiday), ("2026-10-10", SpecialDay::Workday)] {
        cal.insert(NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"), kind, "synthetic".into());
    }
    cal
}

fn boat_model() -> BoatModel {
    BoatModel { detour_factor: 1.2, landing_s: 180, stop_wind_force: 10 }
}

/// A random timetable: 0–10 departures per day type between 05:00 and 23:00.
fn timetable(rng: &mut Rng) -> [Vec<u32>; 3] {
    let mut t: [Vec<u32>; 3] = Default::default();
    for day in &mut t {
        for _ in 0..rng.range(0, 11) {
            day.push(rng.range(5 * 60, 23 * 60) as u32 * 60);
        }
    }
    t
}

/// A random archipelago: `islands` islands of 2–`max_nodes` nodes, bridges between some,
/// ferry routes between piers with random timetables, and units (some of them boats).
pub fn archipelago(seed: u64, islands: usize, max_nodes: usize, units: usize) -> (Network, Vec<UnitStart>) {
    archipelago_in(seed, islands, max_nodes, units, chrono_tz::Asia::Shanghai, None)
}

/// [`archipelago`] with its timetables in `tz`; with `openings_around`, some bridges open
/// within two days either side of that instant. The same seed gives the same islands,
/// roads and timetables whatever `tz` and `openings_around` are.
pub fn archipelago_in(
    seed: u64,
    islands: usize,
    max_nodes: usize,
    units: usize,
    tz: chrono_tz::Tz,
    openings_around: Option<i64>,
) -> (Network, Vec<UnitStart>) {
    archipelago_with(seed, islands, max_nodes, units, tz, openings_around, 0.0)
}

/// [`archipelago_in`] with a share of its roads one-way (each in a random direction). The
/// one-way roads come from their own generator: the same seed gives the same islands,
/// roads and timetables whatever the share.
pub fn archipelago_with(
    seed: u64,
    islands: usize,
    max_nodes: usize,
    units: usize,
    tz: chrono_tz::Tz,
    openings_around: Option<i64>,
    one_way_share: f64,
) -> (Network, Vec<UnitStart>) {
    let mut rng = Rng::new(seed);
    // Openings come from their own generator so that the rest does not depend on them.
    let mut openings = Rng::new(seed ^ 0x0BE4_ED00);
    let mut opened_at = || {
        let around = openings_around?;
        openings.chance(0.5).then(|| around - 2 * 86_400 + openings.range(0, 4 * 86_400) as i64)
    };
    let mut b = NetworkBuilder::new(tz, calendar(), boat_model());
    let mut members: Vec<Vec<NodeIx>> = Vec::new();
    let mut piers: Vec<NodeIx> = Vec::new();
    for i in 0..islands {
        let (lon0, lat0) = (120.0 + 0.2 * i as f64, 30.0 + 0.05 * (i % 3) as f64);
        let island = b.add_island(format!("i{i}"), square(lon0, lat0, 0.1));
        let n = rng.range(2, max_nodes.max(3) as u64 + 1) as usize;
        let mut here = Vec::new();
        for k in 0..n {
            let pier = k == 0 || rng.chance(0.15);
            let (lon, lat) = (lon0 + 0.001 + rng.range(0, 980) as f64 / 10_000.0, lat0 + 0.001 + rng.range(0, 980) as f64 / 10_000.0);
            let v = b.add_node(format!("n{i}_{k}"), lon, lat, island, pier);
            if pier {
                piers.push(v);
            }
            if k > 0 {
                let to = here[rng.range(0, k as u64) as usize];
                b.add_road(v, to, rng.range(30, 900) as u32);
            }
            here.push(v);
        }
        for _ in 0..n / 2 {
            let (a, c) = (here[rng.range(0, n as u64) as usize], here[rng.range(0, n as u64) as usize]);
            if a != c {
                b.add_road(a, c, rng.range(30, 900) as u32);
            }
        }
        members.push(here);
    }
    for k in 0..islands / 3 {
        let (i, j) = (rng.range(0, islands as u64) as usize, rng.range(0, islands as u64) as usize);
        if i != j {
            let a = members[i][rng.range(0, members[i].len() as u64) as usize];
            let c = members[j][rng.range(0, members[j].len() as u64) as usize];
            let wind = if rng.chance(0.5) { Some(8) } else { None };
            b.add_bridge(format!("b{k}"), a, c, rng.range(60, 1200) as u32, wind, opened_at());
        }
    }
    let pier_island = |p: NodeIx, members: &[Vec<NodeIx>]| members.iter().position(|m| m.contains(&p));
    for k in 0..islands * 2 {
        let (p, q) = (piers[rng.range(0, piers.len() as u64) as usize], piers[rng.range(0, piers.len() as u64) as usize]);
        if pier_island(p, &members) == pier_island(q, &members) {
            continue;
        }
        let crossing = rng.range(5, 60) as u32 * 60;
        let vessel = [VesselClass::HighSpeed, VesselClass::Ordinary, VesselClass::CarFerry][rng.range(0, 3) as usize];
        let stop = match vessel {
            VesselClass::HighSpeed => 7,
            VesselClass::Ordinary => 8,
            VesselClass::CarFerry => 9,
        };
        for (from, to) in [(p, q), (q, p)] {
            b.add_ferry(FerryArc {
                route_id: format!("f{k}"),
                from,
                to,
                vessel,
                crossing_s: crossing,
                departures: timetable(&mut rng),
                stop_wind_force: stop,
                stop_visibility_m: 500,
            });
        }
    }
    without_vehicles(&mut b, seed, islands);
    one_way_roads(&mut b, seed, one_way_share);
    let net = b.build();
    let starts = (0..units)
        .map(|u| {
            let boat = u % 7 == 6;
            let node =
                if boat { piers[rng.range(0, piers.len() as u64) as usize] } else { rng.range(0, net.node_count() as u64) as NodeIx };
            UnitStart {
                node,
                offset_s: if rng.chance(0.2) { rng.range(0, 300) as u32 } else { 0 },
                boat_speed_kmh: boat.then_some(40.0),
                at_sea: None,
            }
        })
        .collect();
    (net, starts)
}

/// A province-size network: a `side × side` grid main island (random road times),
/// `small` satellite islands of `small_side²` nodes linked to the main island by ferries
/// (a few by bridges), and `units` units scattered over all of it (one in 100 a boat).
pub fn province(seed: u64, side: usize, small: usize, small_side: usize, units: usize) -> (Network, Vec<UnitStart>) {
    let mut rng = Rng::new(seed);
    let mut b = NetworkBuilder::new(chrono_tz::Asia::Shanghai, calendar(), boat_model());
    let step = 0.001; // ~100 m between grid nodes
    let grid = |b: &mut NetworkBuilder, rng: &mut Rng, name: &str, lon0: f64, lat0: f64, n: usize| -> Vec<NodeIx> {
        let island = b.add_island(name.to_string(), square(lon0 - step, lat0 - step, step * (n as f64 + 1.0)));
        let mut ids = Vec::with_capacity(n * n);
        for r in 0..n {
            for c in 0..n {
                let edge = r == 0 || c == 0 || r == n - 1 || c == n - 1;
                let pier = edge && rng.chance(0.002);
                ids.push(b.add_node(String::new(), lon0 + c as f64 * step, lat0 + r as f64 * step, island, pier));
            }
        }
        for r in 0..n {
            for c in 0..n {
                let v = ids[r * n + c];
                if c + 1 < n {
                    b.add_road(v, ids[r * n + c + 1], rng.range(5, 20) as u32);
                }
                if r + 1 < n {
                    b.add_road(v, ids[(r + 1) * n + c], rng.range(5, 20) as u32);
                }
            }
        }
        ids
    };
    let main = grid(&mut b, &mut rng, "main", 120.0, 30.0, side);
    let main_piers = [main[0], main[side - 1], main[side * (side - 1)], main[side * side - 1], main[side / 2]];
    let span = step * side as f64;
    let mut all_piers: Vec<NodeIx> = main_piers.to_vec();
    for s in 0..small {
        let (lon0, lat0) = (120.0 + span + 0.05 + 0.05 * (s / 4) as f64 * small_side as f64 * step, 30.0 + (s % 4) as f64 * span / 4.0);
        let ids = grid(&mut b, &mut rng, &format!("s{s}"), lon0, lat0, small_side);
        let (pier, other) = (ids[0], main_piers[s % main_piers.len()]);
        all_piers.push(pier);
        if s % 5 == 4 {
            b.add_bridge(format!("bridge{s}"), pier, other, rng.range(300, 900) as u32, Some(9), None);
        } else {
            let crossing = rng.range(10, 50) as u32 * 60;
            for (from, to) in [(pier, other), (other, pier)] {
                let mut departures: [Vec<u32>; 3] = Default::default();
                for d in &mut departures {
                    let mut t = 6 * 3600 + rng.range(0, 3600) as u32;
                    while t < 21 * 3600 {
                        d.push(t);
                        t += rng.range(30, 120) as u32 * 60;
                    }
                }
                b.add_ferry(FerryArc {
                    route_id: format!("ferry{s}"),
                    from,
                    to,
                    vessel: VesselClass::Ordinary,
                    crossing_s: crossing,
                    departures,
                    stop_wind_force: 8,
                    stop_visibility_m: 500,
                });
            }
        }
    }
    let net = b.build();
    let starts = (0..units)
        .map(|u| {
            let boat = u % 100 == 99;
            UnitStart {
                node: if boat { all_piers[u % all_piers.len()] } else { rng.range(0, net.node_count() as u64) as NodeIx },
                offset_s: 0,
                boat_speed_kmh: boat.then_some(40.0),
                at_sea: None,
            }
        })
        .collect();
    (net, starts)
}

/// `share` of the roads one-way, each in a random direction. From its own generator, so
/// that the rest of the archipelago does not depend on it.
fn one_way_roads(b: &mut NetworkBuilder, seed: u64, share: f64) {
    if share > 0.0 {
        let mut one_way = Rng::new(seed ^ 0x0E_0A_7E);
        b.one_way_roads(|| one_way.chance(share).then(|| one_way.chance(0.5)));
    }
}

/// Some islands have no vehicle: crews landed there walk. From its own generator, so that
/// the rest of the archipelago does not depend on it.
fn without_vehicles(b: &mut NetworkBuilder, seed: u64, islands: usize) {
    let mut foot = Rng::new(seed ^ 0xF007_F007);
    for i in 0..islands as u32 {
        if foot.chance(0.4) {
            b.without_vehicle(i);
        }
    }
}
