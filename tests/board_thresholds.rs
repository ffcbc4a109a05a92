//! The status board's thresholds: set by a supervisor, journaled under them, followed by
//! the board (by priority, and by route mode for a unit's turnout — a boat's by the boat
//! row), kept by a restarted desk; a dispatcher is refused and a bad table is refused with
//! the field named, both writing nothing. Real SQLite file, real Dinghai pack.

mod support;

use chrono::{DateTime, Duration, Utc};
use tidewatch_core::dispatch::{BoardMode, IncidentState, Limits, Thresholds, TimerLevel};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::Error;
use tidewatch_journal::EventBody;
use tidewatch_workstation::Workstation;

use support::station::{last_seq, receive, signed_in};

const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);
const LINCHENG: (f64, f64) = (122.203, 29.988);

/// Received P1 amber at 30 s and red at 90 s (the defaults say 60 and 120); a road unit
/// under way within 60/120 s, a boat crew within 400/800 s.
fn custom() -> Thresholds {
    let mut t = Thresholds::default();
    t.received[0] = Limits::new(30, 90);
    t.dispatched[0] = Limits::new(60, 120);
    t.route_modes.road.turnout = Limits::new(60, 120);
    t.route_modes.boat.turnout = Limits::new(400, 800);
    t.route_modes.boat.en_route_red_pct = 200;
    t
}

fn level(ws: &mut Workstation, id: IncidentId, at: DateTime<Utc>) -> TimerLevel {
    ws.board(at).unwrap().incidents.iter().find(|i| i.id == id).expect("on the board").level
}

#[test]
fn a_supervisor_sets_the_thresholds_the_board_follows_them_and_a_restart_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let t0 = Utc::now();
    {
        let mut ws = signed_in(&db, "li");
        let view = ws.board_thresholds().unwrap();
        assert_eq!((view.thresholds, view.set_by.as_deref()), (Thresholds::default(), None), "never set: the defaults");
        let before = last_seq(&ws);
        let view = ws.set_board_thresholds(t0, custom()).unwrap();
        assert_eq!(last_seq(&ws), before + 1, "one event");
        assert_eq!((view.thresholds, view.set_by.as_deref(), view.set_at), (custom(), Some("li"), Some(t0.timestamp())));
        let event = ws.desk().journal().latest_event("board_thresholds_set").unwrap().expect("journaled");
        assert_eq!(event.operator, "li");
        assert_eq!(event.body, EventBody::BoardThresholdsSet { thresholds: custom().into() });
    }
    assert!(tidewatch_journal::verify(&db).unwrap().ok, "hash-chained like every event");

    // The dispatcher's board judges by the new numbers.
    let mut ws = signed_in(&db, "wang");
    assert_eq!(ws.board_thresholds().unwrap().thresholds, custom(), "a dispatcher may read them");
    let fight = receive(&mut ws, t0, "fight", DINGHAI_TOWN); // P1
    assert_eq!(level(&mut ws, fight, t0 + Duration::seconds(20)), TimerLevel::Ok);
    assert_eq!(level(&mut ws, fight, t0 + Duration::seconds(45)), TimerLevel::Amber, "amber at 30 s, not the default 60 s");
    assert_eq!(level(&mut ws, fight, t0 + Duration::seconds(100)), TimerLevel::Red, "red at 90 s, not the default 120 s");
    let row = ws.board(t0 + Duration::seconds(45)).unwrap().incidents.into_iter().find(|i| i.id == fight).unwrap();
    assert_eq!((row.amber_s, row.red_s, row.board_mode), (30, 90, None));

    // A road unit sent: turnout judged by the P1 and road rows (60/120 s).
    let road_unit = ws.recommend(t0, fight).unwrap().candidates[0].clone();
    assert_eq!(road_unit.route_mode, tidewatch_core::region::RouteMode::Road, "{road_unit:?}");
    ws.assign(t0, fight, &UnitId(road_unit.unit.clone()), None, None).unwrap();
    assert_eq!(level(&mut ws, fight, t0 + Duration::seconds(300)), TimerLevel::Red);

    // A boat sent to a rescue: its crew's turnout is judged by the boat row (400/800 s).
    let rescue = receive(&mut ws, t0, "sea_rescue", LINCHENG);
    let boat = ws.recommend(t0, rescue).unwrap().candidates[0].clone();
    assert_eq!(boat.kind, tidewatch_core::region::UnitKind::Boat);
    ws.assign(t0, rescue, &UnitId(boat.unit.clone()), None, None).unwrap();
    let row = ws.board(t0 + Duration::seconds(300)).unwrap().incidents.into_iter().find(|i| i.id == rescue).unwrap();
    assert_eq!((row.state, row.board_mode, row.amber_s, row.red_s), (IncidentState::Dispatched, Some(BoardMode::Boat), 400, 800));
    assert_eq!(row.level, TimerLevel::Ok, "a road unit would be red by now");
    assert_eq!(level(&mut ws, rescue, t0 + Duration::seconds(500)), TimerLevel::Amber);
    assert_eq!(level(&mut ws, rescue, t0 + Duration::seconds(900)), TimerLevel::Red);
    // Under way: red at 200 % of the boat trip's ETA.
    ws.en_route(t0, rescue).unwrap();
    let row = ws.board(t0).unwrap().incidents.into_iter().find(|i| i.id == rescue).unwrap();
    let eta = row.eta_s.unwrap().max(60);
    assert_eq!((row.amber_s, row.red_s), (eta, eta * 2));
    drop(ws);

    // A restarted desk keeps them, and says who set them when.
    let mut ws = signed_in(&db, "wang");
    let view = ws.board_thresholds().unwrap();
    assert_eq!((view.thresholds, view.set_by.as_deref(), view.set_at), (custom(), Some("li"), Some(t0.timestamp())));
    assert_eq!(level(&mut ws, rescue, t0 + Duration::seconds(20)), TimerLevel::Ok);
    let row = ws.board(t0).unwrap().incidents.into_iter().find(|i| i.id == rescue).unwrap();
    assert_eq!(row.red_s, row.eta_s.unwrap().max(60) * 2);

    // And an export imports with the change.
    let copy = support::exported_copy(&db, &dir.path().join("copy.db"));
    let imported = copy.latest_event("board_thresholds_set").unwrap().expect("imported");
    assert_eq!((imported.operator.as_str(), imported.body), ("li", EventBody::BoardThresholdsSet { thresholds: custom().into() }));
}

#[test]
fn a_dispatcher_may_not_set_them_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let mut ws = signed_in(&db, "wang");
    let before = last_seq(&ws);
    let err = ws.set_board_thresholds(Utc::now(), custom()).unwrap_err();
    assert!(matches!(&err, Error::Forbidden { user, action, .. } if user == "wang" && action == "configure_board"), "{err:?}");
    // Refused before the table is even looked at: a bad one is refused the same way.
    let mut bad = custom();
    bad.received[0] = Limits::new(0, 0);
    assert!(matches!(ws.set_board_thresholds(Utc::now(), bad), Err(Error::Forbidden { .. })));
    assert_eq!(last_seq(&ws), before, "nothing written");
    assert_eq!(ws.board_thresholds().unwrap().thresholds, Thresholds::default());
    assert!(ws.desk().journal().latest_event("board_thresholds_set").unwrap().is_none());
    // An administrator may.
    let mut ws = signed_in(&db, "admin");
    assert_eq!(ws.set_board_thresholds(Utc::now(), custom()).unwrap().set_by.as_deref(), Some("admin"));
}

/// Makes one field of a good table wrong.
type Spoil = Box<dyn Fn(&mut Thresholds)>;

#[test]
fn an_invalid_table_is_refused_with_the_field_named_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_in(&dir.path().join("j.db"), "li");
    ws.set_board_thresholds(Utc::now(), custom()).unwrap();
    let before = last_seq(&ws);
    let cases: Vec<(Spoil, &str, &str)> = vec![
        (Box::new(|t| t.received[0] = Limits::new(120, 60)), "received.p1", "amber must be under red"),
        (Box::new(|t| t.received[2] = Limits::new(90, 90)), "received.p3", "amber must be under red"),
        (Box::new(|t| t.dispatched[1] = Limits::new(0, 60)), "dispatched.p2", "amber must be over 0"),
        (Box::new(|t| t.on_scene[3] = Limits::new(3600, 200_000)), "on_scene.p4", "red must be at most 24 h"),
        (Box::new(|t| t.route_modes.boat.turnout = Limits::new(900, 600)), "route_modes.boat.turnout", "amber must be under red"),
        (Box::new(|t| t.route_modes.ferry.en_route_red_pct = 100), "route_modes.ferry.en_route_red_pct", "over 100 %"),
        (Box::new(|t| t.route_modes.bridge.en_route_red_pct = 5000), "route_modes.bridge.en_route_red_pct", "at most 1000 %"),
    ];
    for (spoil, field, says) in cases {
        let mut t = custom();
        spoil(&mut t);
        let err = ws.set_board_thresholds(Utc::now(), t).unwrap_err();
        match &err {
            Error::InvalidInput { field: f, message } => {
                assert_eq!(f, field);
                assert!(message.contains(says), "{field}: {message}");
            }
            other => panic!("{field}: {other:?}"),
        }
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!((json["kind"].as_str(), json["field"].as_str()), (Some("invalid_input"), Some(field)), "the UI places it");
    }
    assert_eq!(last_seq(&ws), before, "nothing written");
    assert_eq!(ws.board_thresholds().unwrap().thresholds, custom(), "the last good table still holds");
}
