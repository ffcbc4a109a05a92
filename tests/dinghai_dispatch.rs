//! What a dispatcher would check by eye on the Dinghai pack.

mod support;

use chrono::{DateTime, Timelike};
use tidewatch_core::dispatch::{
    carried_plan, plan_for_call, recommend, Fleet, IncidentQuery, Pick, Recommendation, UnitStatus, WarningKind,
};
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::{BoatFallback, Region, RouteMode, UnitKind};
use tidewatch_core::route::{
    fastest_trip, locate, Conditions, Destination, Engine, LegMode, Network, Passable, ServiceDays, UnitStart, Workspace,
};

use support::{at, query};

struct Desk {
    region: Region,
    net: Network,
}

fn desk() -> Desk {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    Desk { region, net }
}

const CHANGBAI: (f64, f64) = (122.036, 30.178);
const DAMAO: (f64, f64) = (122.0487, 29.9479);
const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);

impl Desk {
    fn ask(&self, fleet: &Fleet, when: &str, p: (f64, f64), kind: &str, wind: u8, closed: &[&str]) -> Recommendation {
        let rec = recommend(&self.region, &self.net, fleet, &query(when, p, kind, wind, closed)).expect("recommendation");
        check_shape(&rec);
        rec
    }

    fn fleet(&self) -> Fleet {
        Fleet::at_bases(&self.region)
    }
}

/// Units going alone sorted by ETA, crews a boat carries too; the first row the fastest
/// when it is carried (else the carried rows come after the units going alone); each
/// candidate's legs add up to its ETA and start when the previous one ends.
fn check_shape(rec: &Recommendation) {
    for carried in [false, true] {
        let group: Vec<u32> = rec.candidates.iter().filter(|c| c.carrier.is_some() == carried).map(|c| c.eta_s).collect();
        assert!(group.windows(2).all(|w| w[0] <= w[1]), "{group:?}");
    }
    if let Some(top) = rec.candidates.first().filter(|c| c.carrier.is_some()) {
        assert!(rec.candidates.iter().all(|c| c.eta_s >= top.eta_s));
    }
    for c in &rec.candidates {
        assert_eq!(c.legs.iter().map(|l| l.seconds).sum::<u32>(), c.eta_s, "{}: legs do not sum to the ETA", c.unit);
        for pair in c.legs.windows(2) {
            let end = DateTime::parse_from_rfc3339(&pair[0].start).unwrap() + chrono::Duration::seconds(pair[0].seconds as i64);
            assert_eq!(end, DateTime::parse_from_rfc3339(&pair[1].start).unwrap(), "{}: legs are not contiguous", c.unit);
        }
    }
}

#[test]
fn changbai_incident_goes_to_the_changbai_post_while_it_is_free() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", CHANGBAI, "traffic_accident", 0, &[]);
    assert_eq!(rec.location.island.as_deref(), Some("changbai"));
    assert_eq!(rec.candidates[0].unit, "changbai_post");
    assert!(rec.candidates[0].eta_s < 5 * 60, "the post is minutes away: {}", rec.candidates[0].eta_s);

    // Post busy: the next unit comes over the Zhoudai bridge, in about 20 minutes at best.
    let mut fleet = d.fleet();
    fleet.states.get_mut(&UnitId("changbai_post".into())).unwrap().status = UnitStatus::OnScene;
    let rec = d.ask(&fleet, "2026-07-01T10:00:00+08:00", CHANGBAI, "traffic_accident", 0, &[]);
    let top = &rec.candidates[0];
    assert_ne!(top.unit, "changbai_post");
    assert!(rec.excluded.unavailable.contains(&"changbai_post".to_string()));
    assert_eq!(top.route_mode, RouteMode::Bridge);
    assert!(top.legs.iter().any(|l| l.bridges.iter().any(|b| b == "zhoudai_south")));
    assert!((12 * 60..40 * 60).contains(&top.eta_s), "over the bridge from the main island: {} s", top.eta_s);
}

#[test]
fn with_the_zhoudai_bridge_closed_changbai_is_reached_by_ferry() {
    let d = desk();
    let mut fleet = d.fleet();
    fleet.states.get_mut(&UnitId("changbai_post".into())).unwrap().status = UnitStatus::OnScene;
    let open = d.ask(&fleet, "2026-07-01T10:00:00+08:00", CHANGBAI, "traffic_accident", 0, &[]);
    let closed = d.ask(&fleet, "2026-07-01T10:00:00+08:00", CHANGBAI, "traffic_accident", 0, &["zhoudai_south"]);
    let top = &closed.candidates[0];
    assert!(top.eta_s > open.candidates[0].eta_s);
    assert!(top.route_mode == RouteMode::Ferry, "{:?}", top.legs);
    assert!(
        top.legs.iter().any(|l| l.mode == LegMode::Ferry && l.route.as_deref() == Some("ferry_xiaosha_changbai"))
            || top.kind == UnitKind::Boat
            || top.carrier.is_some(),
        "a ferry, a boat, or a crew carried by a boat (issue #16): {:?}",
        top.legs
    );
}

#[test]
fn with_ferries_stopped_by_wind_the_southern_islands_are_reachable_by_boat_only() {
    let d = desk();
    let calm = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DAMAO, "missing_person", 0, &[]);
    assert!(calm.candidates.iter().any(|c| c.kind != UnitKind::Boat), "in calm weather the ferry brings land units");

    let gale = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DAMAO, "missing_person", 9, &[]);
    assert!(!gale.candidates.is_empty());
    // Boats, or land crews carried by one (issue #16); nobody by ferry.
    let by_boat = |c: &tidewatch_core::dispatch::Candidate| c.kind == UnitKind::Boat || c.carrier.is_some();
    assert!(gale.candidates.iter().all(by_boat), "{:?}", gale.candidates.iter().map(|c| &c.unit).collect::<Vec<_>>());
    assert!(gale.candidates[0].legs.iter().any(|l| l.mode == LegMode::Boat));
    assert!(!gale.excluded.unreachable.is_empty());

    // Storm: boats stay in port too; the desk says nothing reaches the island.
    let storm = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DAMAO, "missing_person", 11, &[]);
    assert!(storm.candidates.is_empty());
    assert!(storm.warnings.iter().any(|w| w.kind == WarningKind::NoUnitReaches));
}

#[test]
fn at_two_in_the_morning_no_scheduled_ferry_runs() {
    let d = desk();
    // A theft on Damao at 02:00: land units going alone wait for the first sailing (since
    // issue #16 boats and carried crews come first; see the tests at the end).
    let rec = d.ask(&d.fleet(), "2026-07-01T02:00:00+08:00", DAMAO, "theft", 0, &[]);
    assert!(!rec.candidates.is_empty());
    for c in rec.candidates.iter().filter(|c| c.kind != UnitKind::Boat && c.carrier.is_none()) {
        for l in c.legs.iter().filter(|l| l.mode == LegMode::Ferry) {
            let dep = DateTime::parse_from_rfc3339(&l.start).unwrap();
            assert!(dep.hour() >= 5, "{} takes a sailing at {}", c.unit, l.start);
        }
        assert!(
            c.legs.iter().any(|l| l.mode == LegMode::Wait && l.seconds > 3 * 3600),
            "{} should wait hours for the first sailing",
            c.unit
        );
    }
    // The first sailing from Dinghai to Damao is 09:00 (confirmed), so no land unit is there
    // before it by ferry; a boat is.
    let ferried = rec.candidates.iter().find(|c| c.kind != UnitKind::Boat && c.carrier.is_none()).unwrap();
    assert!(ferried.eta_s > 7 * 3600);
    assert!(rec.candidates[0].eta_s < 3600 && rec.candidates[0].legs.iter().any(|l| l.mode == LegMode::Boat));
}

#[test]
fn a_point_at_sea_is_for_boats_and_says_which_island_is_near() {
    let d = desk();
    let sea = (122.075, 29.965);
    let loc = locate(&d.net, sea.0, sea.1);
    assert!(loc.at_sea, "{loc:?}");
    let rec = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", sea, "sea_rescue", 0, &[]);
    assert!(rec.location.at_sea && rec.location.island.is_none());
    assert!(rec.location.nearest_island.is_some());
    assert!(rec.warnings.iter().any(|w| w.kind == WarningKind::AtSea));
    assert!(!rec.candidates.is_empty() && rec.candidates.iter().all(|c| c.kind == UnitKind::Boat));
    // A land type at sea: no land unit; boats with police crews as the last resort
    // (`boat_fallback = police_crew`, issue #16).
    let rec = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", sea, "theft", 0, &[]);
    assert!(!rec.candidates.is_empty() && rec.candidates.iter().all(|c| c.kind == UnitKind::Boat && c.carrier.is_none()));
    // Without the rule: nobody.
    let mut region = support::dinghai();
    region.incident_types.iter_mut().for_each(|t| t.boat_fallback = tidewatch_core::region::BoatFallback::Never);
    let net = Network::from_region(&region);
    let rec = recommend(&region, &net, &Fleet::at_bases(&region), &query("2026-07-01T10:00:00+08:00", sea, "theft", 0, &[])).unwrap();
    assert!(rec.candidates.is_empty());
}

#[test]
fn warns_before_stripping_an_island_of_its_last_unit_or_stranding_it_overnight() {
    let d = desk();
    let fleet = d.fleet();
    // Morning, a fight in Dinghai town: the Panzhi post is a candidate; it is the island's
    // last free unit, but it can get back the same day.
    let rec = d.ask(&fleet, "2026-07-01T09:00:00+08:00", DINGHAI_TOWN, "fight", 0, &[]);
    let panzhi = rec.candidates.iter().find(|c| c.unit == "panzhi_post").expect("Panzhi post is a candidate");
    assert!(panzhi.warnings.iter().any(|w| w.kind == WarningKind::LastUnitOnIsland));
    assert!(!panzhi.warnings.iter().any(|w| w.kind == WarningKind::NoReturnBeforeLastSailing));
    // Evening: after clearing, the last sailing back to Panzhi has gone.
    let rec = d.ask(&fleet, "2026-07-01T17:40:00+08:00", DINGHAI_TOWN, "fight", 0, &[]);
    let panzhi = rec.candidates.iter().find(|c| c.unit == "panzhi_post" && c.carrier.is_none()).expect("Panzhi post is a candidate");
    assert!(panzhi.warnings.iter().any(|w| w.kind == WarningKind::NoReturnBeforeLastSailing), "{:?}", panzhi.warnings);
}

#[test]
fn over_target_is_flagged() {
    let d = desk();
    // The boats busy (else one is there within target since issue #16).
    let mut fleet = d.fleet();
    for b in ["boat_01", "boat_02", "boat_03"] {
        fleet.states.get_mut(&UnitId(b.into())).unwrap().status = UnitStatus::OnScene;
    }
    let rec = d.ask(&fleet, "2026-07-01T02:00:00+08:00", DAMAO, "theft", Default::default(), &[]);
    let c = &rec.candidates[0];
    assert!(c.eta_s > c.target_s.unwrap());
    assert!(c.warnings.iter().any(|w| w.kind == WarningKind::OverTarget));
    assert!(rec.warnings.iter().any(|w| w.kind == WarningKind::OverTarget), "the top candidate's warnings are repeated at the top");
}

#[test]
fn engine_equals_oracle_for_every_unit_and_place_on_dinghai() {
    let d = desk();
    let pass = Passable::new(&d.net, &Conditions::default(), at("2026-10-01T00:00:00+08:00").timestamp()).unwrap();
    let engine = Engine::new(&d.net, pass.clone());
    let starts: Vec<UnitStart> = d
        .region
        .units
        .iter()
        .map(|u| UnitStart {
            node: d.region.place_index(&u.base).unwrap() as u32,
            offset_s: 0,
            boat_speed_kmh: (u.kind == UnitKind::Boat).then_some(45.0),
            at_sea: None,
        })
        .collect();
    let table = engine.units(starts.clone());
    let mut ws = Workspace::new(&d.net);
    for hour in [0, 5, 6, 9, 12, 17, 18, 23] {
        let t0 = at(&format!("2026-10-01T{hour:02}:30:00+08:00")).timestamp();
        let days = ServiceDays::around(&d.net, t0);
        for node in 0..d.net.node_count() as u32 {
            let dest = Destination::Node { node, access_s: 60 };
            let fast = engine.rank(&mut ws, &table, t0, &days, &dest, None);
            for (u, s) in starts.iter().enumerate() {
                let want = fastest_trip(&d.net, &pass, &days, s, t0, &dest).map(|t| t.eta_s);
                let got = fast.iter().find(|r| r.unit == u as u32).map(|r| r.eta_s);
                assert_eq!(got, want, "unit {} to {} at {hour}:30", d.region.units[u].id, d.net.node_ids[node as usize]);
            }
        }
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let d = desk();
    let q = |kind: &str, lon: f64, lat: f64, closed: &[&str], priority| IncidentQuery {
        priority,
        ..query("2026-07-01T10:00:00+08:00", (lon, lat), kind, 0, closed)
    };
    let err = |q: IncidentQuery| recommend(&d.region, &d.net, &d.fleet(), &q).unwrap_err().to_string();
    assert_eq!(err(q("alien_landing", 122.1, 30.0, &[], None)), "unknown incident type 'alien_landing'");
    assert!(err(q("theft", 140.0, 30.0, &[], None)).contains("outside the region"));
    assert!(err(q("theft", f64::NAN, 30.0, &[], None)).contains("is not a coordinate"));
    assert_eq!(err(q("theft", 122.1, 30.0, &["golden_gate"], None)), "unknown bridge or ferry route 'golden_gate'");
    assert!(err(q("theft", 122.1, 30.0, &[], Some(7))).contains("priority"));
}

/// Issue #16, as filed: a fight on 大猫岛 at 02:00 (priority 1). Before, every unit waited
/// seven and a half hours for the 09:00 sailing and the boats were "ineligible". Now the
/// boat 定海警艇01 (a crew of police officers) answers as the last resort, land crews are
/// offered carried across by it, and the crews walk from the pier (no vehicle on 大猫岛).
#[test]
fn a_night_fight_on_damao_gets_a_boat_not_the_morning_ferry() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let top = &rec.candidates[0];
    assert_eq!(top.unit, "boat_01", "{:?}", rec.candidates.iter().map(|c| (&c.unit, c.eta_s)).collect::<Vec<_>>());
    assert!(top.eta_s <= 45 * 60, "within the P1 ferry target: {}", top.eta_s);
    assert!(!rec.excluded.ineligible.contains(&"boat_01".to_string()));
    assert_eq!(top.legs.iter().map(|l| l.mode).collect::<Vec<_>>(), [LegMode::Boat, LegMode::Walk]);
    // The land crews carried by the boat: drive (or wait for it), boat, on foot.
    let carried: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_some()).collect();
    assert!(!carried.is_empty() && carried.len() <= tidewatch_core::dispatch::MAX_CARRIED);
    let huannan = carried.iter().find(|c| c.unit == "huannan_patrol_01").expect("huannan carried by a boat");
    assert_eq!(huannan.carrier.as_ref().map(|b| b.unit.as_str()), Some("boat_01"));
    let modes: Vec<LegMode> = huannan.legs.iter().map(|l| l.mode).collect();
    assert_eq!(modes, [LegMode::Drive, LegMode::Boat, LegMode::Walk]);
    assert_eq!(huannan.legs[1].to, "pier_damao");
    assert!(huannan.eta_s < 60 * 60, "{}", huannan.eta_s);
    // The same unit alone still waits for the morning sailing, further down.
    let alone = rec.candidates.iter().find(|c| c.unit == "huannan_patrol_01" && c.carrier.is_none()).expect("alone too");
    assert!(alone.eta_s > 7 * 3600);
}

/// Same sailing, same ETA: the one driving least first, and the last free unit of an
/// outlying island behind everyone else of its group, warned about.
#[test]
fn units_on_the_same_sailing_rank_by_least_driving_and_keep_the_last_unit_back() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let morning: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_none() && c.eta_s > 7 * 3600).collect();
    assert!(morning.len() > 10);
    assert!(morning.iter().all(|c| c.eta_s == morning[0].eta_s), "one sailing");
    let driving =
        |c: &tidewatch_core::dispatch::Candidate| c.legs.iter().filter(|l| l.mode == LegMode::Drive).map(|l| l.seconds).sum::<u32>();
    let last_on_island = |c: &tidewatch_core::dispatch::Candidate| c.warnings.iter().any(|w| w.kind == WarningKind::LastUnitOnIsland);
    let kept: Vec<bool> = morning.iter().map(|c| last_on_island(c)).collect();
    let first_kept = kept.iter().position(|&k| k).expect("panzhi_post and others are their islands' last");
    assert!(kept[first_kept..].iter().all(|&k| k), "kept-back units come last: {:?}", morning.iter().map(|c| &c.unit).collect::<Vec<_>>());
    for w in morning[..first_kept].windows(2) {
        assert!(driving(w[0]) <= driving(w[1]), "{} before {}", w[0].unit, w[1].unit);
    }
    assert_eq!(morning[0].unit, "huannan_patrol_01", "1 min from the terminal");
    let panzhi = morning.iter().find(|c| c.unit == "panzhi_post").unwrap();
    let w = panzhi.warnings.iter().find(|w| w.kind == WarningKind::LastUnitOnIsland).unwrap();
    assert!(w.message.contains("ranked after"), "{}", w.message);
}

/// By day, in town, a land unit arrives within target: the boats stay ineligible for a
/// fight, and no crew is carried (driving is faster).
#[test]
fn boats_stay_out_of_a_town_fight_by_day() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DINGHAI_TOWN, "fight", 0, &[]);
    assert!(rec.candidates.iter().all(|c| c.kind != UnitKind::Boat));
    assert!(rec.candidates[0].carrier.is_none() && rec.candidates[0].route_mode == RouteMode::Road);
    assert!(rec.excluded.ineligible.contains(&"boat_01".to_string()));
}

/// Force 8 stops the ferries, not the boats (they stay in port from force 10): by day a
/// theft on 大猫岛 is answered by boat, as a boat's crew or a carried crew.
#[test]
fn a_gale_at_force_8_leaves_damao_to_the_boats() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DAMAO, "fight", 8, &[]);
    let top = &rec.candidates[0];
    assert!(top.kind == UnitKind::Boat || top.carrier.is_some(), "{}", top.unit);
    assert!(top.legs.iter().any(|l| l.mode == LegMode::Boat));
    assert!(!rec.candidates.iter().any(|c| c.legs.iter().any(|l| l.mode == LegMode::Ferry)));
    // Force 10 keeps the boats in port: no boat leg anywhere.
    let storm = d.ask(&d.fleet(), "2026-07-01T10:00:00+08:00", DAMAO, "fight", 10, &[]);
    assert!(!storm.candidates.iter().any(|c| c.carrier.is_some() || c.legs.iter().any(|l| l.mode == LegMode::Boat)));
}

/// Issue #16: assigning a carried row plans the crew's trip by that boat, with the row's
/// own ETA and its rank in the list: boat_01 going alone is within the P1 target, so the
/// units going alone come first and it stays the recommended row.
#[test]
fn the_carried_plan_is_the_carried_row() {
    let d = desk();
    let fleet = d.fleet();
    let q = query("2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let rec = d.ask(&fleet, "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let itype = d.region.incident_type(&q.incident_type).unwrap().clone();
    let plan = |fleet: &Fleet, crew: &str, boat: &str| {
        carried_plan(
            &d.region,
            &d.net,
            fleet,
            &itype,
            rec.priority,
            (q.lon, q.lat),
            q.at.timestamp(),
            &q.conditions,
            (&UnitId(crew.into()), &UnitId(boat.into())),
        )
    };
    let alone: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_none()).collect();
    let carried: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_some()).collect();
    let (k, huannan) = carried.iter().enumerate().find(|(_, c)| c.unit == "huannan_patrol_01").expect("huannan carried");
    let boat = huannan.carrier.as_ref().unwrap().unit.clone();
    let out = plan(&fleet, "huannan_patrol_01", &boat).expect("a carried plan");
    assert_eq!((out.unit.0.as_str(), out.carrier.as_ref().map(|b| b.0.as_str())), ("huannan_patrol_01", Some(boat.as_str())));
    assert_eq!(out.plan.eta_s, Some(huannan.eta_s));
    assert_eq!(out.plan.rank, Some((alone.len() + k) as u32 + 1), "its row in the desk's list");
    assert_eq!(out.plan.route_mode, Some(RouteMode::Ferry));
    assert_eq!(out.plan.drive_s + out.plan.ferry_wait_s + out.plan.crossing_s, huannan.eta_s, "the segments add up");
    assert!(out.plan.crossing_s > 0, "a crossing by boat");
    assert_eq!(out.plan.recommended_unit.as_deref(), Some(alone[0].unit.as_str()), "the first unit going alone");
    assert_eq!((alone[0].unit.as_str(), out.plan.recommended_carrier.as_deref()), ("boat_01", None), "within target alone");
    // Another boat carries the crew too, no sooner (ranked when the list offers it).
    let other = ["boat_01", "boat_02", "boat_03"].into_iter().find(|b| *b != boat).unwrap();
    if let Ok(o) = plan(&fleet, "huannan_patrol_01", other) {
        assert!(o.plan.eta_s >= Some(huannan.eta_s), "{:?}", o.plan);
    }

    // Refusals, each naming what is wrong.
    let err = |r: Result<_, tidewatch_core::Error>| r.map(|_: tidewatch_core::dispatch::PlanOutcome| ()).unwrap_err().to_string();
    assert!(err(plan(&fleet, "boat_01", "boat_02")).contains("is a boat"));
    assert!(err(plan(&fleet, "huannan_patrol_01", "panzhi_post")).contains("not a boat"));
    assert!(err(plan(&fleet, "huannan_patrol_01", "boat_99")).contains("boat_99"));
    let mut busy = fleet.clone();
    busy.states.get_mut(&UnitId(boat.clone())).unwrap().status = UnitStatus::Dispatched;
    assert!(err(plan(&busy, "huannan_patrol_01", &boat)).contains(&boat), "a busy boat is refused by name");
    let mut busy = fleet.clone();
    busy.states.get_mut(&UnitId("huannan_patrol_01".into())).unwrap().status = UnitStatus::Dispatched;
    assert!(err(plan(&busy, "huannan_patrol_01", &boat)).contains("huannan_patrol_01"));
}

/// Issue #16: a carried crew is warned that its boat must bring it back, and when the boat
/// is free at its base: the times add up from the legs. Clearing is the arrival plus the
/// fight's `on_scene_min`; then the walk back to the landing pier (the walk leg), the
/// crossing back (the boat leg), and the boat's sail from the pickup pier to its base. The
/// crew's own way back (the morning sailing) is hours later, so the boat fetches it.
#[test]
fn a_carried_crew_is_told_its_boat_must_bring_it_back() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let huannan = rec.candidates.iter().find(|c| c.unit == "huannan_patrol_01" && c.carrier.is_some()).expect("carried");
    let w = huannan.warnings.iter().find(|w| w.kind == WarningKind::CarriedReturn).expect("a return warning");
    let by = huannan.carrier.as_ref().unwrap();
    assert_eq!(w.params.carrier.as_ref(), Some(&by.call_sign));
    assert_eq!(w.params.call_sign.as_deref(), Some(huannan.call_sign.as_str()));
    assert!(!w.params.own_way, "{w:?}");

    let t0 = at("2026-10-14T02:00:00+08:00").timestamp();
    let on_scene = d.region.incident_types.iter().find(|t| t.id.0 == "fight").unwrap().on_scene_s as i64;
    let local = |t: i64, f: &str| DateTime::from_timestamp(t, 0).unwrap().with_timezone(&d.region.meta.time_zone).format(f).to_string();
    let node = |place: &str| d.region.place_index(&tidewatch_core::ids::PlaceId(place.to_string())).unwrap() as u32;
    // Every boat that carries the crew: its return adds up from its own legs and base.
    let mut sailed_home = 0;
    let mut free = 0;
    for c in rec.candidates.iter().filter(|c| c.unit == "huannan_patrol_01" && c.carrier.is_some()) {
        let w = c.warnings.iter().find(|w| w.kind == WarningKind::CarriedReturn).expect("a return warning");
        let leg = |mode: LegMode| c.legs.iter().filter(|l| l.mode == mode).map(|l| l.seconds as i64).sum::<i64>();
        let crossing = c.legs.iter().find(|l| l.mode == LegMode::Boat).unwrap();
        let boat = d.region.units.iter().find(|u| u.id.0 == c.carrier.as_ref().unwrap().unit).unwrap();
        let speed = boat.speed_kmh.unwrap_or(d.region.meta.defaults.boat_speed_kmh);
        let home = match crossing.from == boat.base.0 {
            true => 0,
            false => d.net.boat.seconds(d.net.pos(node(&crossing.from)), d.net.pos(node(&boat.base.0)), speed) as i64,
        };
        sailed_home += (home > 0) as u32;
        let cleared = t0 + c.eta_s as i64 + on_scene;
        let at_base = cleared + leg(LegMode::Walk) + leg(LegMode::Boat) + home;
        assert_eq!(w.params.cleared_at.as_deref(), Some(local(cleared, "%H:%M").as_str()), "{w:?}");
        assert_eq!(w.params.back_at.as_deref(), Some(local(at_base, "%m-%d %H:%M").as_str()), "{w:?} {:?}", c.legs);
        assert!(!w.params.own_way, "{w:?}");
        if c.unit == huannan.unit && c.carrier == huannan.carrier {
            free = at_base;
        }
    }
    assert!(sailed_home > 0, "a boat whose base is not the pickup pier sails home after");
    // Its own way back is the morning's first sailing, hours later.
    let hm = |s: &str| s[s.len() - 5..s.len() - 3].parse::<i64>().unwrap() * 60 + s[s.len() - 2..].parse::<i64>().unwrap();
    let own = hm(w.params.sailing_at.as_deref().expect("a sailing in the morning"));
    assert!(own > hm(&local(free, "%H:%M")) + 2 * 60, "own way back at {own}, the boat free at {free}");
    assert!(w.message.contains(&by.call_sign) && w.message.contains("boat free at base ~"), "{}", w.message);
    // A unit going alone is not told so.
    assert!(rec.candidates.iter().filter(|c| c.carrier.is_none()).all(|c| c.warnings.iter().all(|w| w.kind != WarningKind::CarriedReturn)));
}

/// Issue #16: by day the crew's own sailing home beats the boat fetching it: the boat sails
/// to its base straight after landing the crew (free = landing + the sail from the landing
/// pier home), and says so.
#[test]
fn by_day_a_carried_crew_comes_back_its_own_way_and_the_boat_goes_home() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-10-14T10:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let returns: Vec<_> = rec
        .candidates
        .iter()
        .filter(|c| c.carrier.is_some())
        .filter_map(|c| Some((c, c.warnings.iter().find(|w| w.kind == WarningKind::CarriedReturn)?)))
        .collect();
    assert!(!returns.is_empty(), "carried rows by day: {:?}", rec.candidates.iter().map(|c| (&c.unit, c.eta_s)).collect::<Vec<_>>());
    let t0 = at("2026-10-14T10:00:00+08:00").timestamp();
    let local = |t: i64| DateTime::from_timestamp(t, 0).unwrap().with_timezone(&d.region.meta.time_zone).format("%m-%d %H:%M").to_string();
    for (c, w) in returns.iter().filter(|(_, w)| w.params.own_way) {
        let by = c.carrier.as_ref().unwrap();
        let boat = d.region.units.iter().find(|u| u.id.0 == by.unit).unwrap();
        let crossing = c.legs.iter().find(|l| l.mode == LegMode::Boat).unwrap();
        let landed = at(&crossing.start).timestamp() + crossing.seconds as i64;
        let node = |place: &str| d.region.place_index(&tidewatch_core::ids::PlaceId(place.to_string())).unwrap() as u32;
        let speed = boat.speed_kmh.unwrap_or(d.region.meta.defaults.boat_speed_kmh);
        let home = if crossing.to == boat.base.0 {
            0
        } else {
            d.net.boat.seconds(d.net.pos(node(&crossing.to)), d.net.pos(node(&boat.base.0)), speed) as i64
        };
        assert_eq!(w.params.back_at.as_deref(), Some(local(landed + home).as_str()), "{w:?}");
        assert!(w.message.contains("comes back its own way"), "{}", w.message);
        assert!(landed > t0);
    }
}

/// Issue #16: each free boat that can carry a crew is offered (the fastest first, at most
/// MAX_BOATS_PER_CREW per crew), so a dispatcher can send another boat.
#[test]
fn a_crew_is_offered_with_each_boat_that_can_carry_it() {
    let d = desk();
    let rec = d.ask(&d.fleet(), "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let carried: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_some()).collect();
    assert!(carried.len() <= tidewatch_core::dispatch::MAX_CARRIED);
    let boats = |unit: &str| {
        carried.iter().filter(|c| c.unit == unit).map(|c| (c.carrier.as_ref().unwrap().unit.clone(), c.eta_s)).collect::<Vec<_>>()
    };
    let huannan = boats("huannan_patrol_01");
    assert!(huannan.len() >= 2, "more than one boat for the crew: {huannan:?}");
    assert!(huannan.len() <= tidewatch_core::dispatch::MAX_BOATS_PER_CREW);
    assert!(huannan.windows(2).all(|w| w[0].1 <= w[1].1 && w[0].0 != w[1].0), "fastest first, each boat once: {huannan:?}");
    let alone = rec.candidates.iter().find(|c| c.unit == "huannan_patrol_01" && c.carrier.is_none()).unwrap();
    assert!(huannan.iter().all(|&(_, eta)| eta < alone.eta_s), "only boats faster than its own way");
    // Every pair offered is the plan that sends it (the rank the list shows).
    let q = query("2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let itype = d.region.incident_type(&q.incident_type).unwrap();
    for (boat, eta) in &huannan {
        let crew = UnitId("huannan_patrol_01".into());
        let out = carried_plan(
            &d.region,
            &d.net,
            &d.fleet(),
            itype,
            rec.priority,
            (q.lon, q.lat),
            q.at.timestamp(),
            &q.conditions,
            (&crew, &UnitId(boat.clone())),
        )
        .unwrap();
        let row = rec.candidates.iter().position(|c| c.unit == crew.0 && c.carrier.as_ref().is_some_and(|b| &b.unit == boat)).unwrap();
        assert_eq!((out.plan.rank, out.plan.eta_s), (Some(row as u32 + 1), Some(*eta)), "{boat}");
    }
}

/// Issue #16: in a pack that keeps its boats to their own calls (no `boat_fallback` for a
/// fight), at 02:00 every unit going alone waits for the 09:00 sailing to 大猫岛 while a
/// boat carries a crew across in under an hour: the carried pair is the recommended row,
/// a rank-0 pick sends both, and the crew going alone is an override of it.
#[test]
fn a_crew_a_boat_carries_is_recommended_when_no_unit_alone_comes_within_target() {
    let mut region = support::dinghai();
    region.incident_types.iter_mut().find(|t| t.id.0 == "fight").unwrap().boat_fallback = BoatFallback::Never;
    let net = Network::from_region(&region);
    let d = Desk { region, net };
    let fleet = d.fleet();
    let rec = d.ask(&fleet, "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let top = &rec.candidates[0];
    let boat = top.carrier.as_ref().expect("the recommended row is carried");
    assert!(top.eta_s < 60 * 60, "{}", top.eta_s);
    assert!(rec.candidates.iter().all(|c| c.kind != UnitKind::Boat), "boats do not go alone");
    let alone: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_none()).collect();
    assert!(!alone.is_empty() && alone.iter().all(|c| c.eta_s > 7 * 3600), "the morning sailing");
    assert!(rec.warnings.iter().any(|w| w.kind == WarningKind::CarriedReturn), "the top row's warnings are the call's");

    let q = query("2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
    let itype = d.region.incident_type(&q.incident_type).unwrap();
    let plan =
        |pick: Pick| plan_for_call(&d.region, &d.net, &fleet, itype, rec.priority, (q.lon, q.lat), q.at.timestamp(), &q.conditions, &pick);
    let first = plan(Pick::Rank(0)).unwrap();
    let (crew, by) = (UnitId(top.unit.clone()), UnitId(boat.unit.clone()));
    assert_eq!((&first.unit, first.carrier.as_ref()), (&crew, Some(&by)), "rank 0 is the carried pair");
    assert_eq!((first.plan.rank, first.plan.eta_s), (Some(1), Some(top.eta_s)));
    assert!(first.plan.recommends(&crew, Some(&by)) && !first.plan.recommends(&crew, None));
    let solo = plan(Pick::Unit(crew.clone())).unwrap();
    let row = rec.candidates.iter().position(|c| c.unit == crew.0 && c.carrier.is_none()).unwrap();
    assert_eq!((solo.carrier, solo.plan.rank), (None, Some(row as u32 + 1)), "the crew alone, at its row");
    assert_eq!(solo.plan.recommended_carrier.as_deref(), Some(boat.unit.as_str()));
    // Every row a rank picks is the row the list shows.
    for (n, c) in rec.candidates.iter().enumerate() {
        let out = plan(Pick::Rank(n)).unwrap();
        assert_eq!(
            (out.unit.0.as_str(), out.carrier.map(|b| b.0)),
            (c.unit.as_str(), c.carrier.as_ref().map(|b| b.unit.clone())),
            "row {n}"
        );
        assert_eq!((out.plan.rank, out.plan.eta_s), (Some(n as u32 + 1), Some(c.eta_s)), "row {n}");
    }
    let carried =
        carried_plan(&d.region, &d.net, &fleet, itype, rec.priority, (q.lon, q.lat), q.at.timestamp(), &q.conditions, (&crew, &by))
            .unwrap();
    assert_eq!(carried.plan.rank, Some(1));
}

/// Issue #16, the leader's reach view: at 02:00 大猫岛 is reached by a police boat within
/// the P1 target while no ferry runs; at force 10 the boats stay in port and no island is
/// reached by boat. Zhoushan's own towns are reached by road either way.
#[test]
fn the_reach_map_at_night_and_in_a_storm() {
    use tidewatch_core::dispatch::{reach_map, ReachMode};
    let d = desk();
    let fleet = d.fleet();
    let at = support::at("2026-10-14T02:00:00+08:00");
    let calm = reach_map(&d.region, &d.net, &fleet, at, &Conditions::default(), 1).unwrap();
    let inhabited = d.region.islands.iter().filter(|i| i.inhabited && i.in_district).count();
    assert_eq!(calm.len(), inhabited, "every inhabited island of the district");
    let of = |map: &[tidewatch_core::dispatch::IslandReach], id: &str| map.iter().find(|r| r.island == id).cloned().unwrap();
    let damao = of(&calm, "damao");
    assert_eq!((damao.mode, damao.within_target), (Some(ReachMode::Boat), true), "{damao:?}");
    assert_eq!(of(&calm, "zhoushan").mode, Some(ReachMode::Road));
    for r in &calm {
        assert_eq!(r.within_target, r.eta_s.zip(r.target_s).is_some_and(|(e, t)| e <= t), "{r:?}");
    }
    let storm = reach_map(&d.region, &d.net, &fleet, at, &Conditions { wind_force: 10, ..Default::default() }, 1).unwrap();
    assert!(storm.iter().all(|r| !matches!(r.mode, Some(ReachMode::Boat | ReachMode::Carried))), "boats in port");
    assert!(!of(&storm, "damao").within_target);
    let within = |map: &[tidewatch_core::dispatch::IslandReach]| map.iter().filter(|r| r.within_target).count();
    assert!(within(&storm) < within(&calm), "the storm leaves more islands beyond target");
    assert!(reach_map(&d.region, &d.net, &fleet, at, &Conditions::default(), 5).unwrap_err().to_string().contains("1..=4"));
}

/// Issue #16, the reach map's bands and its what-if. At 02:00 in calm weather 岙山 is over
/// its bridge but late (the P1 target is 15 min there: `twice`), five islands have no link at
/// all (`unreachable`) and the boats reach the rest within target. At force 10 the boats stay
/// in port: every island only a boat reached becomes unreachable, and the comparison names
/// each of them, worse. With 定海警艇01 stationed at 沥港 (Jintang, the far west) instead of
/// 定海, 大猫岛 falls from `within` to `twice` (the next boat comes from 三江); a boat can
/// only be stationed at a pier, and an unknown unit is refused by name.
#[test]
fn the_reach_map_bands_and_its_what_if() {
    use tidewatch_core::dispatch::{reach_changes, reach_map, station_moves, IslandReach, ReachBand, ReachMode, UnitMove};
    let d = desk();
    let at = support::at("2026-10-14T02:00:00+08:00");
    let map = |fleet: &Fleet, wind: u8| {
        reach_map(&d.region, &d.net, fleet, at, &Conditions { wind_force: wind, ..Default::default() }, 1).unwrap()
    };
    let band = |m: &[IslandReach], id: &str| m.iter().find(|r| r.island == id).unwrap().band;
    let calm = map(&d.fleet(), 0);
    for r in &calm {
        assert_eq!(r.band, ReachBand::of(r.eta_s, r.target_s), "{r:?}");
        assert_eq!(r.within_target, r.band == ReachBand::Within, "{r:?}");
    }
    assert_eq!(band(&calm, "aoshan"), ReachBand::Twice);
    let unreachable =
        |m: &[IslandReach]| m.iter().filter(|r| r.band == ReachBand::Unreachable).map(|r| r.island.clone()).collect::<Vec<_>>();
    assert_eq!(unreachable(&calm), ["dongxiezhi", "cishan", "zhairuoshan", "waidiao", "xiaopanzhi"]);
    let by_boat: Vec<String> = calm.iter().filter(|r| r.mode == Some(ReachMode::Boat)).map(|r| r.island.clone()).collect();
    assert!(by_boat.contains(&"damao".to_string()) && by_boat.len() >= 4, "{by_boat:?}");

    let storm = map(&d.fleet(), 10);
    let changes = reach_changes(&calm, &storm);
    assert_eq!(changes.iter().map(|c| c.island.clone()).collect::<Vec<_>>(), by_boat, "the islands only a boat reached");
    assert!(changes.iter().all(|c| c.after == ReachBand::Unreachable && !c.better && c.after_eta_s.is_none()), "{changes:?}");
    assert!(unreachable(&storm).len() > unreachable(&calm).len());

    let mut moved = d.fleet();
    station_moves(&d.region, &mut moved, &[UnitMove { unit: "boat_01".into(), place: "pier_ligang".into() }]).unwrap();
    let west = map(&moved, 0);
    let damao = reach_changes(&calm, &west).into_iter().find(|c| c.island == "damao").expect("大猫岛 changes band");
    assert_eq!((damao.before, damao.after, damao.better), (ReachBand::Within, ReachBand::Twice, false), "{damao:?}");
    assert_eq!(west.iter().find(|r| r.island == "damao").unwrap().unit.as_deref(), Some("boat_03"));
    // The move undone is the baseline again: nothing changes.
    let mut back = moved.clone();
    station_moves(&d.region, &mut back, &[UnitMove { unit: "boat_01".into(), place: "pier_dinghai".into() }]).unwrap();
    assert!(reach_changes(&calm, &map(&back, 0)).is_empty());

    let refuse = |unit: &str, place: &str| {
        station_moves(&d.region, &mut d.fleet(), &[UnitMove { unit: unit.into(), place: place.into() }]).unwrap_err().to_string()
    };
    assert!(refuse("boat_01", "changguo").contains("not a pier"));
    assert!(refuse("boat_99", "pier_ligang").contains("boat_99"));
    assert!(refuse("boat_01", "nowhere").contains("nowhere"));
}

/// Issue #16: the time on scene is the type's (`on_scene_min`, 45 when empty): a fight
/// given 90 minutes clears 45 minutes later than by default, and the boat that carried the
/// crew is free again 45 minutes later too. A value out of range names file and column.
#[test]
fn the_time_on_scene_is_the_incident_types() {
    let dir = support::pack_copy();
    let line = support::line_of(dir.path(), "incident_types.csv", "id", "fight");
    let warning = |dir: &std::path::Path| {
        let region = Region::load(dir).unwrap();
        let d = Desk { net: Network::from_region(&region), region };
        let rec = d.ask(&d.fleet(), "2026-10-14T02:00:00+08:00", (122.039, 29.951), "fight", 0, &[]);
        let c = rec.candidates.iter().find(|c| c.carrier.is_some()).expect("a carried row").clone();
        c.warnings.into_iter().find(|w| w.kind == WarningKind::CarriedReturn).expect("a return warning").params
    };
    let hm = |s: &str| s[s.len() - 5..s.len() - 3].parse::<u32>().unwrap() * 60 + s[s.len() - 2..].parse::<u32>().unwrap();
    let default = warning(dir.path());
    support::set_field(dir.path(), "incident_types.csv", line, "on_scene_min", "90");
    let longer = warning(dir.path());
    let later = |f: fn(&tidewatch_core::dispatch::WarningParams) -> Option<&String>| hm(f(&longer).unwrap()) - hm(f(&default).unwrap());
    assert_eq!(later(|p| p.cleared_at.as_ref()), 45, "{default:?} {longer:?}");
    assert_eq!(later(|p| p.back_at.as_ref()), 45);
    support::set_field(dir.path(), "incident_types.csv", line, "on_scene_min", "0");
    let err = Region::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("incident_types.csv") && err.contains("on_scene_min"), "{err}");
}
