//! What live positions cost the recommendation (issue #14): Dinghai, all 26 units, an
//! incident at a random place and time, each unit with a fresh GPS fix somewhere on the
//! district's roads (or at sea for the boats) vs every unit at its last known place.
//! Reported: the ranking itself (the engine's unit table for the starts, then rank), the snapping of
//! every unit's fix, and the whole `recommend` (legs and warnings too). A figure, not a
//! timed test: `cargo test --release -p tidewatch --test live_rank_bench -- --ignored --nocapture`
//! (`make bench-service` runs it).

use std::path::Path;
use std::time::Instant;

use chrono::DateTime;
use tidewatch_core::dispatch::{plan_for_call, recommend, unit_starts, FixSource, Fleet, IncidentQuery, LiveFix, Pick, StartBasis};
use tidewatch_core::ids::IncidentTypeId;
use tidewatch_core::region::Region;
use tidewatch_core::rng::Rng;
use tidewatch_core::route::{locate, Conditions, Destination, Engine, Network, Passable, ServiceDays, Workspace};

const QUERIES: usize = 4_000;
const T0: i64 = 1_780_804_800;

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

/// A fleet whose every unit reported `age_s` ago from near a random place (boats: between
/// two piers, at sea).
fn live_fleet(region: &Region, net: &Network, rng: &mut Rng, at: i64) -> Fleet {
    let mut fleet = Fleet::at_bases(region);
    for u in &region.units {
        let (lon, lat) = if u.kind == tidewatch_core::region::UnitKind::Boat {
            let (a, b) = (net.pos(net.piers[rng.below(net.piers.len())]), net.pos(net.piers[rng.below(net.piers.len())]));
            ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
        } else {
            let p = &region.places[rng.below(region.places.len())];
            (p.lon + (rng.unit() - 0.5) * 0.002, p.lat + (rng.unit() - 0.5) * 0.002)
        };
        let fix = LiveFix { lon, lat, fix_utc: at - rng.range(0, 100) as i64, source: FixSource::Osmand };
        fleet.live.fixes.insert(u.id.clone(), fix);
    }
    fleet
}

#[test]
#[ignore = "a benchmark: run with --ignored --nocapture"]
fn recommendation_with_live_positions_for_every_unit() {
    let region = Region::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/regions/dinghai")).unwrap();
    let net = Network::from_region(&region);
    let mut rng = Rng::new(14);
    let (mut rank_base, mut rank_live, mut snap_base, mut snap_live, mut rec_base, mut rec_live) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // A dispatch's plan (issue #16): carried pairs planned only when no unit going alone is
    // within target (a fight, boats as the last resort).
    let (mut plan_us, mut plan_carried_us) = (Vec::new(), Vec::new());
    let (mut gps, mut fallback) = (0usize, 0usize);
    let mut ws = Workspace::new(&net);
    for _ in 0..QUERIES {
        let at = T0 + rng.range(0, 7 * 86_400) as i64;
        let place = &region.places[rng.below(region.places.len())];
        let base = Fleet::at_bases(&region);
        let live = live_fleet(&region, &net, &mut rng, at);
        let pass = Passable::new(&net, &Conditions::default(), at).unwrap();
        let days = ServiceDays::around(&net, at);
        let loc = locate(&net, place.lon, place.lat);
        let dest = Destination::Node { node: loc.node.unwrap(), access_s: loc.access_s };
        for (fleet, snap, rank, rec) in
            [(&base, &mut snap_base, &mut rank_base, &mut rec_base), (&live, &mut snap_live, &mut rank_live, &mut rec_live)]
        {
            let t = Instant::now();
            let starts = unit_starts(&region, &net, fleet, at).unwrap();
            snap.push(t.elapsed().as_secs_f64() * 1e6);
            if std::ptr::eq(fleet, &live) {
                gps += starts.iter().filter(|(_, f)| f.basis == StartBasis::Gps).count();
                fallback += starts.iter().filter(|(_, f)| f.basis == StartBasis::LastKnown).count();
            }
            let engine = Engine::new(&net, pass.clone());
            let t = Instant::now();
            let table = engine.units(starts.iter().map(|(s, _)| *s).collect());
            std::hint::black_box(engine.rank(&mut ws, &table, at, &days, &dest, None));
            rank.push(t.elapsed().as_secs_f64() * 1e6);
            let q = IncidentQuery {
                at: DateTime::from_timestamp(at, 0).unwrap(),
                lon: place.lon,
                lat: place.lat,
                incident_type: IncidentTypeId::from("missing_person"),
                priority: None,
                conditions: Conditions::default(),
            };
            let t = Instant::now();
            std::hint::black_box(recommend(&region, &net, fleet, &q).unwrap());
            rec.push(t.elapsed().as_secs_f64() * 1e6);
            if std::ptr::eq(fleet, &base) {
                let fight = region.incident_type(&IncidentTypeId::from("fight")).unwrap();
                let t = Instant::now();
                let out = plan_for_call(&region, &net, fleet, fight, 1, (place.lon, place.lat), at, &Conditions::default(), &Pick::Rank(0));
                let us = t.elapsed().as_secs_f64() * 1e6;
                // Carried pairs were planned when the recommended unit going alone is over target.
                let target = region.target(1).unwrap();
                let over = out.as_ref().is_ok_and(|o| {
                    let limit = o.plan.route_mode.map_or(0, |m| target.for_mode(m).0);
                    o.carrier.is_some() || o.plan.eta_s.is_some_and(|e| e > limit)
                });
                if over {
                    plan_carried_us.push(us)
                } else {
                    plan_us.push(us)
                }
            }
        }
    }
    println!("{QUERIES} queries, 26 units; live: {gps} fixes used, {fallback} fell back (a car's fix at sea)");
    println!("| µs | p50 | p99 |\n|---|---:|---:|");
    for (name, v) in [
        ("ranking, units at their places", &mut rank_base),
        ("ranking, units at live fixes", &mut rank_live),
        ("starts, at their places", &mut snap_base),
        ("starts, snapping 26 fixes", &mut snap_live),
        ("recommend, at their places", &mut rec_base),
        ("recommend, at live fixes", &mut rec_live),
    ] {
        println!("| {name} | {:.1} | {:.1} |", pct(v, 0.5), pct(v, 0.99));
    }
    for (name, v) in
        [("dispatch plan, a unit alone within target", &mut plan_us), ("dispatch plan, carried pairs planned", &mut plan_carried_us)]
    {
        if !v.is_empty() {
            println!("| {name} ({}) | {:.1} | {:.1} |", v.len(), pct(v, 0.5), pct(v, 0.99));
        }
    }
    assert!(gps > fallback, "most fixes are on the roads");
}
