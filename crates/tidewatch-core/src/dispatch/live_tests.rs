//! Fresh, stale, missing and afloat fixes on Dinghai, through `recommend` itself.

use chrono::{DateTime, Utc};

use super::*;
use crate::dispatch::{recommend, Candidate, Fleet, IncidentQuery, Recommendation};
use crate::ids::IncidentTypeId;
use crate::route::{fastest_trip, Conditions, Destination, Passable, ServiceDays};

/// A weekday noon (04:00 UTC is 12:00 in Zhoushan).
const NOON: i64 = 1_780_804_800;

fn dinghai() -> &'static (Region, Network) {
    static R: std::sync::OnceLock<(Region, Network)> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let region = Region::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai")).unwrap();
        let net = Network::from_region(&region);
        (region, net)
    })
}

fn place(id: &str) -> (f64, f64) {
    let p = dinghai().0.place(&PlaceId::from(id)).unwrap();
    (p.lon, p.lat)
}

fn fix(at: (f64, f64), age_s: i64) -> LiveFix {
    LiveFix { lon: at.0, lat: at.1, fix_utc: NOON - age_s, source: FixSource::Osmand }
}

fn ranked(fixes: &[(&str, LiveFix)], incident_type: &str, at: (f64, f64)) -> Recommendation {
    let (region, net) = dinghai();
    let mut fleet = Fleet::at_bases(region);
    fleet.live.fixes = fixes.iter().map(|(u, f)| (UnitId::from(*u), *f)).collect();
    let q = IncidentQuery {
        at: DateTime::<Utc>::from_timestamp(NOON, 0).unwrap(),
        lon: at.0,
        lat: at.1,
        incident_type: IncidentTypeId::from(incident_type),
        priority: None,
        conditions: Conditions::default(),
    };
    recommend(region, net, &fleet, &q).unwrap()
}

fn candidate<'a>(rec: &'a Recommendation, unit: &str) -> &'a Candidate {
    rec.candidates.iter().find(|c| c.unit == unit).unwrap_or_else(|| panic!("{unit} not ranked"))
}

/// Between two places, `t` of the way from `a`.
fn between(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
}

#[test]
fn no_fix_starts_at_the_last_known_place() {
    let rec = ranked(&[], "traffic_accident", place("ps_lincheng"));
    let c = candidate(&rec, "dh_traffic_01");
    assert_eq!(c.from.basis, StartBasis::LastKnown);
    assert_eq!(c.from.place, "tsq_shuangqiao");
    assert_eq!((c.from.fix, c.from.ignored), (None, None));
}

#[test]
fn a_fresh_fix_is_snapped_on_its_island_and_moves_the_eta() {
    let at_baiquan = place("ps_baiquan");
    let before = candidate(&ranked(&[], "traffic_accident", at_baiquan), "dh_traffic_01").eta_s;
    // 40 s ago, a few metres from the Baiquan station (no traffic unit is based there).
    let near = (at_baiquan.0 + 0.0005, at_baiquan.1);
    let rec = ranked(&[("dh_traffic_01", fix(near, 40))], "traffic_accident", at_baiquan);
    let c = candidate(&rec, "dh_traffic_01");
    assert_eq!(c.from.basis, StartBasis::Gps);
    assert_eq!(c.from.fix.map(|f| f.age_s), Some(40));
    assert!(c.from.snap_m.unwrap() < 100, "{:?}", c.from);
    assert!(c.eta_s < before / 2, "from the fix {} s, from the base {before} s", c.eta_s);
    assert_eq!(rec.candidates[0].unit, c.unit, "next to the incident, it ranks first");
    assert!(!c.from.afloat);
}

#[test]
fn a_stale_or_future_fix_falls_back_to_the_last_known_place() {
    let at_lincheng = place("ps_lincheng");
    let before = candidate(&ranked(&[], "traffic_accident", at_lincheng), "dh_traffic_01").eta_s;
    for (age, why) in [(121, IgnoredFix::Stale), (3600, IgnoredFix::Stale), (-600, IgnoredFix::Future)] {
        let rec = ranked(&[("dh_traffic_01", fix(at_lincheng, age))], "traffic_accident", at_lincheng);
        let c = candidate(&rec, "dh_traffic_01");
        assert_eq!((c.from.basis, c.from.ignored), (StartBasis::LastKnown, Some(why)), "age {age}");
        assert_eq!(c.from.place, "tsq_shuangqiao");
        assert_eq!(c.eta_s, before, "age {age}");
    }
    // Exactly at the limit it is still fresh.
    let rec = ranked(&[("dh_traffic_01", fix(at_lincheng, 120))], "traffic_accident", at_lincheng);
    assert_eq!(candidate(&rec, "dh_traffic_01").from.basis, StartBasis::Gps);
}

#[test]
fn a_car_out_at_sea_is_not_believed() {
    // North of Jintang, 12 km off every coast, bridge and ferry line.
    let sea = (121.82, 30.21);
    assert!(locate(&dinghai().1, sea.0, sea.1).at_sea);
    let rec = ranked(&[("dh_traffic_01", fix(sea, 10))], "traffic_accident", place("ps_lincheng"));
    let c = candidate(&rec, "dh_traffic_01");
    assert_eq!((c.from.basis, c.from.ignored), (StartBasis::LastKnown, Some(IgnoredFix::AtSea)));
    assert!(c.from.fix.is_some(), "the fix it ignored is named");
}

#[test]
fn a_car_on_a_ferry_arrives_at_the_nearer_pier() {
    let (dinghai_pier, panzhi_pier) = (place("pier_dinghai"), place("pier_panzhi"));
    let on_board = between(dinghai_pier, panzhi_pier, 0.7);
    assert!(locate(&dinghai().1, on_board.0, on_board.1).at_sea, "mid-channel");
    let rec = ranked(&[("panzhi_post", fix(on_board, 5))], "traffic_accident", place("ps_lincheng"));
    let c = candidate(&rec, "panzhi_post");
    assert_eq!(c.from.basis, StartBasis::Gps);
    assert!(c.from.afloat);
    assert_eq!(c.from.ferry_route.as_deref(), Some("ferry_dinghai_panzhi"));
    assert_eq!(c.from.place, "pier_panzhi", "70% of the way over, it lands at Panzhi");
    // On the water, its trip starts at the pier after the rest of the 10 min crossing.
    let (region, net) = dinghai();
    let unit = region.unit(&UnitId::from("panzhi_post")).unwrap();
    let (start, _) =
        start_of(region, net, unit, &unit.base, &Live { fixes: [(unit.id.clone(), fix(on_board, 5))].into(), ..Default::default() }, NOON)
            .unwrap();
    assert!((100..=240).contains(&start.offset_s), "a third of 600 s, about: {}", start.offset_s);
}

#[test]
fn a_boat_at_sea_sails_from_where_it_is() {
    let (region, net) = dinghai();
    let (dinghai_pier, panzhi_pier) = (place("pier_dinghai"), place("pier_panzhi"));
    let boat_at = between(dinghai_pier, panzhi_pier, 0.5);
    // A rescue further out at sea.
    let rescue = (122.0, 29.93);
    assert!(locate(net, rescue.0, rescue.1).at_sea);
    let in_port = candidate(&ranked(&[], "sea_rescue", rescue), "boat_01").eta_s;
    let rec = ranked(&[("boat_01", fix(boat_at, 20))], "sea_rescue", rescue);
    let c = candidate(&rec, "boat_01");
    assert_eq!((c.from.basis, c.from.afloat), (StartBasis::Gps, true));
    let speed = region.unit(&UnitId::from("boat_01")).unwrap().speed_kmh.unwrap_or(region.meta.defaults.boat_speed_kmh);
    assert_eq!(c.eta_s, net.boat.sail_s(boat_at, rescue, speed), "straight from the fix, no landing");
    assert_ne!(c.eta_s, in_port);
    // The engine's ETA is the oracle's, also to a place ashore (sail to a pier, then road).
    let unit = region.unit(&UnitId::from("boat_01")).unwrap();
    let live = Live { fixes: [(unit.id.clone(), fix(boat_at, 20))].into(), ..Default::default() };
    let (start, _) = start_of(region, net, unit, &unit.base, &live, NOON).unwrap();
    let pass = Passable::new(net, &Conditions::default(), NOON).unwrap();
    let days = ServiceDays::around(net, NOON);
    for target in ["post_changbai", "ps_jintang", "pier_panzhi"] {
        let loc = locate(net, place(target).0, place(target).1);
        let dest = Destination::Node { node: loc.node.unwrap(), access_s: loc.access_s };
        let oracle = fastest_trip(net, &pass, &days, &start, NOON, &dest).unwrap().eta_s;
        let rec = ranked(&[("boat_01", fix(boat_at, 20))], "sea_rescue", place(target));
        assert_eq!(candidate(&rec, "boat_01").eta_s, oracle, "{target}");
    }
}
