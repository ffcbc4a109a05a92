//! The dispatcher's workstation: conditions journaled and restored, what they close,
//! the incident detail's actions (reassign, note), and refusals that write nothing.

mod support;

use chrono::{DateTime, Utc};
use tidewatch_core::dispatch::{IncidentState, UnitStatus};
use tidewatch_core::ids::UnitId;
use tidewatch_core::route::{ClosedBy, Conditions, LinkKind};
use tidewatch_core::Error;
use tidewatch_journal::EventBody;

use support::station::{last_seq, receive, signed_in};

const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);
const LINCHENG: (f64, f64) = (122.203, 29.988);

fn now() -> DateTime<Utc> {
    Utc::now()
}

#[test]
fn conditions_are_journaled_under_the_operator_and_restored_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let set = Conditions { wind_force: 9, visibility_m: Some(300), closed: vec!["aoshan_bridge".into()] };
    {
        let mut ws = signed_in(&db, "wang");
        let before = last_seq(&ws);
        let view = ws.set_conditions(now(), set.clone()).unwrap();
        assert_eq!(last_seq(&ws), before + 1, "one event per change");
        assert_eq!(view.set_by.as_deref(), Some("wang"));
        let event = ws.desk().journal().latest_event("conditions_set").unwrap().expect("journaled");
        assert_eq!(event.operator, "wang");
        assert_eq!(event.body, EventBody::ConditionsSet { wind_force: 9, visibility_m: Some(300), closed: vec!["aoshan_bridge".into()] });
    }
    // The journal still verifies, and an export imports into a new journal with the change.
    assert!(tidewatch_journal::verify(&db).unwrap().ok);
    {
        let copy = support::exported_copy(&db, &dir.path().join("copy.db"));
        assert!(copy.latest_event("conditions_set").unwrap().is_some_and(|e| e.operator == "wang"));
    }
    // A restarted desk believes what it believed.
    let mut ws = signed_in(&db, "wang");
    assert_eq!(ws.conditions().wind_force, 9);
    assert_eq!(ws.conditions().visibility_m, Some(300));
    assert_eq!(ws.conditions().closed, vec!["aoshan_bridge".to_string()]);
    let view = ws.conditions_view().unwrap();
    assert_eq!(view.set_by.as_deref(), Some("wang"));
    let aoshan = view.closed_links.iter().find(|l| l.id == "aoshan_bridge").expect("closed by hand");
    assert_eq!((aoshan.kind, aoshan.reason), (LinkKind::Bridge, ClosedBy::Hand));
    // Every ferry route stopped at force ≤ 9 or blinded below 300 m is suspended, with its reason.
    let r = support::dinghai();
    for f in &r.ferry_routes {
        let link = view.closed_links.iter().find(|l| l.id == f.id.0);
        let expected = if f.stop_wind_force <= 9 {
            Some(ClosedBy::Wind { force: 9, limit: f.stop_wind_force })
        } else if 300 < f.stop_visibility_m {
            Some(ClosedBy::Visibility { visibility_m: 300, limit_m: f.stop_visibility_m })
        } else {
            None
        };
        assert_eq!(link.map(|l| l.reason), expected, "{}", f.id.0);
    }
}

#[test]
fn wind_force_11_closes_every_bridge_whose_limit_is_11_or_less() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_in(&dir.path().join("j.db"), "wang");
    let view = ws.set_conditions(now(), Conditions { wind_force: 11, visibility_m: None, closed: vec![] }).unwrap();
    let r = support::dinghai();
    let mut expected: Vec<&str> =
        r.bridges.iter().filter(|b| b.close_wind_force.is_some_and(|w| w <= 11)).map(|b| b.id.0.as_str()).collect();
    let mut closed: Vec<&str> = view.closed_links.iter().filter(|l| l.kind == LinkKind::Bridge).map(|l| l.id.as_str()).collect();
    expected.sort();
    closed.sort();
    assert!(!expected.is_empty());
    assert_eq!(closed, expected);
    assert!(view.closed_links.iter().filter(|l| l.kind == LinkKind::Bridge).all(|l| matches!(l.reason, ClosedBy::Wind { force: 11, .. })));
    assert!(view.boats_in_port, "boats stay in port at force 11");
    // Calm again: nothing closed.
    let calm = ws.set_conditions(now(), Conditions::default()).unwrap();
    assert!(calm.closed_links.is_empty() && !calm.boats_in_port);
}

#[test]
fn refused_actions_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    // The administrator may not dispatch: no conditions, no note.
    let mut admin = signed_in(&db, "admin");
    let before = last_seq(&admin);
    let err = admin.set_conditions(now(), Conditions { wind_force: 9, ..Default::default() }).unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    assert_eq!(last_seq(&admin), before);
    assert_eq!(admin.conditions().wind_force, 0, "the desk's belief did not change");
    drop(admin);

    let mut ws = signed_in(&db, "wang");
    let before = last_seq(&ws);
    assert!(ws.set_conditions(now(), Conditions { wind_force: 18, ..Default::default() }).is_err());
    assert!(ws.set_conditions(now(), Conditions { closed: vec!["no_such_bridge".into()], ..Default::default() }).is_err());
    assert!(ws.set_conditions(now() + chrono::Duration::minutes(30), Conditions::default()).is_err(), "clock jump");
    assert_eq!(last_seq(&ws), before);
    assert_eq!(ws.conditions().wind_force, 0);

    let id = receive(&mut ws, now(), "traffic_accident", DINGHAI_TOWN);
    let rec = ws.recommend(now(), id).unwrap();
    let first = UnitId(rec.candidates[0].unit.clone());
    ws.assign(now(), id, &first, None, None).unwrap();
    let before = last_seq(&ws);
    assert!(ws.note(now(), id, "   ").is_err());
    assert!(ws.reassign(now(), id, &UnitId("dh_traffic_02".into()), " ").is_err(), "no reason");
    assert!(ws.reassign(now(), id, &first, "same unit").is_err());
    // A station patrol may not take a traffic accident: the withdrawal that came first is
    // rolled back with it.
    let err = ws.reassign(now(), id, &UnitId("changguo_patrol_01".into()), "closer").unwrap_err();
    assert_eq!(last_seq(&ws), before, "{err}");
    assert_eq!(ws.desk().incident(id).unwrap().unit_id.as_deref(), Some(first.0.as_str()));
}

#[test]
fn reassign_lists_busy_units_and_takes_one_off_its_incident_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_in(&dir.path().join("j.db"), "wang");
    let a = receive(&mut ws, now(), "traffic_accident", LINCHENG);
    let a_unit = UnitId(ws.recommend(now(), a).unwrap().candidates[0].unit.clone());
    ws.assign(now(), a, &a_unit, None, None).unwrap();
    let b = receive(&mut ws, now(), "traffic_accident", DINGHAI_TOWN);
    let b_unit = UnitId(ws.recommend(now(), b).unwrap().candidates[0].unit.clone());
    assert_ne!(a_unit, b_unit);
    ws.assign(now(), b, &b_unit, None, None).unwrap();

    let options = ws.reassign_options(now(), b).unwrap();
    assert!(options.iter().all(|o| o.candidate.unit != b_unit.0), "the unit on the incident is not offered");
    let busy = options.iter().find(|o| o.candidate.unit == a_unit.0).expect("busy unit offered");
    assert_eq!((busy.status, busy.incident), (UnitStatus::Dispatched, Some(a)));
    assert!(options.iter().any(|o| o.status == UnitStatus::Available && o.incident.is_none()));
    // The recommendation's order: by day in town a unit going alone is within target, so
    // the units going alone come first, fastest first, and any crews a boat would carry after.
    let alone: Vec<u32> = options.iter().filter(|o| o.candidate.carrier.is_none()).map(|o| o.candidate.eta_s).collect();
    assert!(alone.windows(2).all(|w| w[0] <= w[1]), "{alone:?}");
    let first_carried = options.iter().position(|o| o.candidate.carrier.is_some()).unwrap_or(options.len());
    assert!(options[first_carried..].iter().all(|o| o.candidate.carrier.is_some()), "carried rows after the units going alone");

    ws.reassign(now(), b, &a_unit, "a_unit is closer").unwrap();
    let inc_b = ws.desk().incident(b).unwrap();
    assert_eq!(inc_b.unit_id.as_deref(), Some(a_unit.0.as_str()));
    let inc_a = ws.desk().incident(a).unwrap();
    assert_eq!((inc_a.state, inc_a.unit_id.as_deref()), (IncidentState::Received, None), "taken off incident a");
    let timeline = ws.timeline(b).unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|e| e.body.kind()).collect();
    assert_eq!(kinds, ["received", "dispatched", "unit_withdrawn", "dispatched"]);
    assert!(timeline.iter().all(|e| e.operator == "wang"));
    assert!(matches!(&timeline[2].body, EventBody::UnitWithdrawn { unit, reason } if unit == &b_unit.0 && reason == "a_unit is closer"));
    let a_events = ws.timeline(a).unwrap();
    assert!(matches!(&a_events.last().unwrap().body, EventBody::UnitWithdrawn { reason, .. } if reason == "a_unit is closer"));

    ws.note(now(), b, "caller called back").unwrap();
    assert!(matches!(&ws.timeline(b).unwrap().last().unwrap().body, EventBody::Note { text } if text == "caller called back"));
}

#[test]
fn warnings_carry_the_parameters_of_their_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_in(&dir.path().join("j.db"), "wang");
    // Wind 9: only the car ferries run; Damao is reached late, over target.
    ws.set_conditions(now(), Conditions { wind_force: 9, ..Default::default() }).unwrap();
    let id = receive(&mut ws, now(), "fight", (122.0487, 29.9479));
    let rec = ws.recommend(now(), id).unwrap();
    let all: Vec<_> = rec.warnings.iter().chain(rec.candidates.iter().flat_map(|c| c.warnings.iter())).collect();
    assert!(!all.is_empty());
    for w in all {
        let json = serde_json::to_value(w).unwrap();
        assert!(json["params"].is_object(), "{json}");
        match w.kind {
            tidewatch_core::dispatch::WarningKind::OverTarget => {
                assert!(w.params.eta_min.is_some() && w.params.target_min.is_some() && w.params.priority.is_some())
            }
            tidewatch_core::dispatch::WarningKind::LastUnitOnIsland => assert!(w.params.call_sign.is_some() && w.params.island.is_some()),
            tidewatch_core::dispatch::WarningKind::NoUnitReaches => assert!(w.params.island.is_some()),
            _ => {}
        }
    }
}

/// Tomorrow at `hour`:00 in the region's time zone (Asia/Shanghai).
fn tomorrow_at(hour: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let day = now().with_timezone(&tz).date_naive() + chrono::Days::new(1);
    tz.from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}

#[test]
fn the_clock_set_ahead_previews_that_hours_sailings_and_journals_nothing() {
    use tidewatch_workstation::PreviewQuery;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = signed_in(&dir.path().join("j.db"), "wang");
    let before = last_seq(&ws);
    // 大猫岛: no bridge, no unit of its own; a road unit goes by the ferry.
    let damao = |at: DateTime<Utc>| PreviewQuery {
        at: at.timestamp(),
        lon: 122.04865,
        lat: 29.94794,
        incident_type: "traffic_accident".into(),
        priority: None,
    };
    let night = ws.preview(now(), &damao(tomorrow_at(3))).expect("night preview");
    let morning = ws.preview(now(), &damao(tomorrow_at(10))).expect("morning preview");
    // The fastest land unit going alone (a boat, or a crew a boat carries, waits for no sailing).
    let by_ferry = |r: &tidewatch_core::dispatch::Recommendation| {
        let alone = |c: &&tidewatch_core::dispatch::Candidate| c.carrier.is_none() && c.kind != tidewatch_core::region::UnitKind::Boat;
        r.candidates.iter().find(alone).expect("a land unit reaches 大猫岛").clone()
    };
    let (night_first, morning_first) = (by_ferry(&night), by_ferry(&morning));
    assert!(
        night_first.eta_s > morning_first.eta_s,
        "at 03:00 the wait is for the first sailing: {} s, not less than at 10:00: {} s",
        night_first.eta_s,
        morning_first.eta_s
    );
    // The same answer as the engine gives a call at that time.
    let engine = tidewatch_core::dispatch::recommend(
        &ws.desk().region,
        &ws.desk().net,
        &ws.desk().fleet_at(tomorrow_at(3).timestamp()).unwrap(),
        &tidewatch_core::dispatch::IncidentQuery {
            at: tomorrow_at(3),
            lon: 122.04865,
            lat: 29.94794,
            incident_type: tidewatch_core::ids::IncidentTypeId("traffic_accident".into()),
            priority: None,
            conditions: Conditions::default(),
        },
    )
    .unwrap();
    assert_eq!(by_ferry(&engine).eta_s, night_first.eta_s);
    assert_eq!(engine.candidates[0].eta_s, night.candidates[0].eta_s);
    assert_eq!(last_seq(&ws), before, "a preview is a question, never an entry");

    // Further than the range, or signed out: refused.
    let far = now() + chrono::Duration::days(tidewatch_workstation::PREVIEW_RANGE_DAYS + 1);
    match ws.preview(now(), &damao(far)) {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "at"),
        other => panic!("a preview {} days ahead: {other:?}", tidewatch_workstation::PREVIEW_RANGE_DAYS + 1),
    }
    let mut signed_out = ws;
    signed_out.logout();
    assert!(signed_out.preview(now(), &damao(tomorrow_at(10))).is_err(), "signed out");
    assert_eq!(last_seq(&signed_out), before, "refusals write nothing");
}

/// A signed-in dispatcher on a desk whose clock stands at 2026-10-14 02:00 +08:00 (no
/// sailing to 大猫岛 before the morning).
fn at_night(db: &std::path::Path) -> (tidewatch_workstation::Workstation, DateTime<Utc>) {
    at_night_on(db, support::dinghai())
}

fn at_night_on(db: &std::path::Path, region: tidewatch_core::region::Region) -> (tidewatch_workstation::Workstation, DateTime<Utc>) {
    use support::station::{ADMIN_PASSWORD, PASSWORD};
    let night = support::at("2026-10-14T02:00:00+08:00");
    let clock = tidewatch_core::time::Clock::fixed(night.timestamp());
    let mut ws = tidewatch_workstation::Workstation::open(region, db, clock).expect("open");
    ws.create_first_administrator("admin", ADMIN_PASSWORD, 1).unwrap();
    ws.create_account("wang", tidewatch_workstation::accounts::Role::Dispatcher, PASSWORD, 2).unwrap();
    ws.logout();
    ws.login("wang", PASSWORD).unwrap();
    (ws, night)
}

const DAMAO: (f64, f64) = (122.039, 29.951);

/// Issue #16: a carried row sends the crew and its boat; both are committed (the boat is
/// offered to no other incident, not even by reassigning), the board shows the boat
/// carrying the crew, and clearing frees both. The journal still audits.
#[test]
fn a_carried_row_commits_the_crew_and_its_boat_until_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let (mut ws, night) = at_night(&db);
    let id = receive(&mut ws, night, "fight", DAMAO);
    let rec = ws.recommend(night, id).unwrap();
    let c = rec.candidates.iter().find(|c| c.carrier.is_some()).expect("a crew carried by a boat").clone();
    let (crew, boat) = (UnitId(c.unit.clone()), UnitId(c.carrier.as_ref().unwrap().unit.clone()));

    // Not the recommended unit (the first going alone): a reason is needed; nothing written.
    let before = last_seq(&ws);
    let err = ws.assign_carried(night, id, &crew, &boat, None).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "override_reason"), "{err}");
    assert!(err.to_string().contains(&boat.0), "{err}");
    let err = ws.assign_carried(night, id, &crew, &crew, Some("x")).unwrap_err();
    assert!(err.to_string().contains("not a boat"), "{err}");
    assert_eq!(last_seq(&ws), before, "refusals write nothing");

    ws.assign_carried(night, id, &crew, &boat, Some("需要陆上警力")).unwrap();
    assert_eq!(last_seq(&ws), before + 1, "one event names both");
    let row = ws.desk().incident(id).unwrap();
    assert_eq!((row.unit_id.as_ref(), row.carrier_id.as_ref()), (Some(&crew.0), Some(&boat.0)));
    assert_eq!(row.rank, Some(rec.candidates.iter().filter(|c| c.carrier.is_none()).count() as u32 + 1), "the first carried row");
    assert_eq!(row.eta_s, Some(c.eta_s));
    let board = ws.board(night).unwrap();
    let inc = board.incidents.iter().find(|i| i.id == id).unwrap();
    assert_eq!(inc.carrier.as_deref(), Some(boat.0.as_str()));
    let b = board.units.iter().find(|u| u.unit == boat.0).unwrap();
    assert_eq!((b.status, b.incident, b.carrying.as_deref()), (UnitStatus::Dispatched, Some(id), Some(crew.0.as_str())));

    // Another call on the island: the boat is offered neither alone nor as a carrier.
    let other = receive(&mut ws, night, "fight", DAMAO);
    let again = ws.recommend(night, other).unwrap();
    assert!(again.candidates.iter().all(|c| c.unit != boat.0 && c.carrier.as_ref().is_none_or(|b| b.unit != boat.0)), "the boat is busy");
    let crew2 = again.candidates.iter().find(|c| c.kind != tidewatch_core::region::UnitKind::Boat && c.unit != crew.0).unwrap();
    let err = ws.assign_carried(night, other, &UnitId(crew2.unit.clone()), &boat, Some("x")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&boat.0) && text.contains(&format!("carrying {} on incident {id}", crew.0)), "{text}");
    assert!(ws.reassign_options(night, other).unwrap().iter().all(|o| o.candidate.unit != boat.0), "nor to be taken off");
    let err = ws.assign(night, other, &boat, Some("x"), Some("more urgent")).unwrap_err();
    assert!(err.to_string().contains("withdraw that crew first"), "{err}");

    // The boat follows its crew; clearing frees both (the incident keeps the pairing).
    ws.en_route(night, id).unwrap();
    let b = ws.board(night).unwrap().units.into_iter().find(|u| u.unit == boat.0).unwrap();
    assert_eq!(b.status, UnitStatus::EnRoute);
    ws.on_scene(night, id).unwrap();
    ws.clear(night, id, "处置完毕").unwrap();
    let fleet = ws.desk().fleet_at(night.timestamp()).unwrap();
    assert!(fleet.state(&crew).unwrap().status.is_free() && fleet.state(&boat).unwrap().status.is_free());
    assert_eq!(ws.desk().incident(id).unwrap().carrier_id.as_deref(), Some(boat.0.as_str()));
    ws.assign_carried(night, other, &UnitId(crew2.unit.clone()), &boat, Some("x")).expect("the boat is free again");
    // Sending another unit instead withdraws the crew and frees its boat too.
    ws.reassign(night, other, &crew, "the boat is needed elsewhere").unwrap();
    assert!(ws.desk().fleet_at(night.timestamp()).unwrap().state(&boat).unwrap().status.is_free());
    assert_eq!(ws.desk().incident(other).unwrap().carrier_id, None);
    drop(ws);
    let audit = tidewatch_journal::verify(&db).unwrap();
    assert!(audit.ok, "{audit:?}");
}

/// Issue #16: when the carried pair is the recommended row (a pack whose boats do not
/// answer a fight themselves; at 02:00 every unit going alone waits for the 09:00
/// sailing), assigning it needs no reason and is journaled as rank 1 with its carrier;
/// sending the crew alone instead is an override naming the pair.
#[test]
fn the_recommended_carried_pair_is_sent_without_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let mut region = support::dinghai();
    region.incident_types.iter_mut().find(|t| t.id.0 == "fight").unwrap().boat_fallback = tidewatch_core::region::BoatFallback::Never;
    let (mut ws, night) = at_night_on(&db, region);
    let id = receive(&mut ws, night, "fight", DAMAO);
    let rec = ws.recommend(night, id).unwrap();
    let top = rec.candidates[0].clone();
    let (crew, boat) = (UnitId(top.unit.clone()), UnitId(top.carrier.as_ref().expect("a carried pair leads").unit.clone()));

    let err = ws.assign(night, id, &crew, None, None).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "override_reason"), "{err}");
    assert!(err.to_string().contains(&format!("{} carried by {}", crew.0, boat.0)), "{err}");

    ws.assign_carried(night, id, &crew, &boat, None).expect("the recommended row needs no reason");
    let row = ws.desk().incident(id).unwrap();
    assert_eq!((row.unit_id.as_ref(), row.carrier_id.as_ref()), (Some(&crew.0), Some(&boat.0)));
    assert_eq!((row.rank, row.override_reason.as_deref(), row.eta_s), (Some(1), None, Some(top.eta_s)));
    let event = ws.desk().journal().latest_event("dispatched").unwrap().unwrap();
    let EventBody::Dispatched { plan, carrier, .. } = event.body else { panic!("{:?}", event.body) };
    assert_eq!(
        (plan.recommended_unit.as_ref(), plan.recommended_carrier.as_ref(), carrier.as_ref()),
        (Some(&crew.0), Some(&boat.0), Some(&boat.0))
    );
    drop(ws);
    assert!(tidewatch_journal::verify(&db).unwrap().ok);
}

/// Issue #16: reassigning onto a carried pair. The options offer crews a free boat would
/// carry; choosing one withdraws the incident's unit and sends crew and boat in one
/// transaction (a reason required); a crew busy elsewhere is taken off its incident, which
/// frees the boat that carried it there.
#[test]
fn reassigning_onto_a_carried_pair_sends_crew_and_boat() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let (mut ws, night) = at_night(&db);
    let id = receive(&mut ws, night, "fight", DAMAO);
    let rec = ws.recommend(night, id).unwrap();
    let morning = rec.candidates.iter().find(|c| c.carrier.is_none() && c.kind != tidewatch_core::region::UnitKind::Boat).unwrap();
    let first = UnitId(morning.unit.clone());
    ws.assign(night, id, &first, Some("陆上警力"), None).unwrap();

    let options = ws.reassign_options(night, id).unwrap();
    let o = options.iter().find(|o| o.candidate.carrier.is_some()).expect("a carried option").candidate.clone();
    let (crew, boat) = (UnitId(o.unit.clone()), UnitId(o.carrier.as_ref().unwrap().unit.clone()));
    let before = last_seq(&ws);
    let err = ws.reassign_carried(night, id, &crew, &boat, " ").unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "reason"), "{err}");
    assert!(ws.reassign_carried(night, id, &crew, &crew, "x").unwrap_err().to_string().contains("not a boat"));
    assert_eq!(last_seq(&ws), before, "refusals write nothing");

    ws.reassign_carried(night, id, &crew, &boat, "夜间无航班").unwrap();
    assert_eq!(last_seq(&ws), before + 2, "the withdrawal and the dispatch naming both");
    let row = ws.desk().incident(id).unwrap();
    assert_eq!((row.unit_id.as_ref(), row.carrier_id.as_ref(), row.reassignments), (Some(&crew.0), Some(&boat.0), 1));
    assert_eq!((row.eta_s, row.override_reason.as_deref()), (Some(o.eta_s), Some("夜间无航班")));
    let fleet = ws.desk().fleet_at(night.timestamp()).unwrap();
    assert!(fleet.state(&first).unwrap().status.is_free() || first == crew, "the first unit is free again");
    assert!(!fleet.state(&boat).unwrap().status.is_free() && !fleet.state(&crew).unwrap().status.is_free());

    // The same crew onto another incident, with another free boat: taken off the first,
    // whose boat is freed with it.
    let other = receive(&mut ws, night, "fight", DAMAO);
    let opts = ws.reassign_options(night, other).unwrap();
    assert!(opts.iter().all(|x| x.candidate.carrier.as_ref().is_none_or(|b| b.unit != boat.0)), "the busy boat is not offered");
    let err = ws.reassign_carried(night, other, &crew, &boat, "更紧急").unwrap_err();
    assert!(err.to_string().contains(&boat.0), "{err}");
    let boat2 = ["boat_01", "boat_02", "boat_03"].into_iter().map(|b| UnitId(b.into())).find(|b| *b != boat).unwrap();
    ws.reassign_carried(night, other, &crew, &boat2, "更紧急").unwrap();
    assert_eq!(ws.desk().incident(id).unwrap().unit_id, None, "taken off the first incident");
    let fleet = ws.desk().fleet_at(night.timestamp()).unwrap();
    assert!(fleet.state(&boat).unwrap().status.is_free(), "its boat freed with it");
    assert_eq!(ws.desk().incident(other).unwrap().carrier_id.as_deref(), Some(boat2.0.as_str()));
    drop(ws);
    assert!(tidewatch_journal::verify(&db).unwrap().ok);
}

/// Issue #16: the boat is released at its "at base" step. Marked back by the dispatcher
/// (as its phone would report it), the boat is free and offered for the next call while
/// the crew it carried stays on its incident; the first incident's clearing leaves the boat
/// on its new incident. The journal still audits.
#[test]
fn a_boat_back_at_base_is_offered_again_while_its_crew_stays() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let (mut ws, night) = at_night(&db);
    let id = receive(&mut ws, night, "fight", DAMAO);
    let rec = ws.recommend(night, id).unwrap();
    let c = rec.candidates.iter().find(|c| c.carrier.is_some()).expect("a crew carried by a boat").clone();
    let (crew, boat) = (UnitId(c.unit.clone()), UnitId(c.carrier.as_ref().unwrap().unit.clone()));
    let plain = receive(&mut ws, night, "fight", DAMAO);
    let err = ws.boat_back(night, plain).unwrap_err();
    assert!(err.to_string().contains("no boat carrying"), "{err}");
    ws.assign_carried(night, id, &crew, &boat, Some("需要陆上警力")).unwrap();
    ws.en_route(night, id).unwrap();
    ws.on_scene(night, id).unwrap();

    ws.boat_back(night, id).unwrap();
    let board = ws.board(night).unwrap();
    let b = board.units.iter().find(|u| u.unit == boat.0).unwrap();
    assert_eq!((b.status, b.incident, b.carrying.as_deref()), (UnitStatus::Available, None, None), "the boat is free at its base");
    let inc = board.incidents.iter().find(|i| i.id == id).unwrap();
    assert_eq!((inc.unit.as_deref(), inc.carrier_step.as_deref()), (Some(crew.0.as_str()), Some("at_base")), "the crew stays");
    assert_eq!(ws.desk().fleet_at(night.timestamp()).unwrap().state(&crew).unwrap().status, UnitStatus::OnScene);
    let err = ws.boat_back(night, id).unwrap_err();
    assert!(err.to_string().contains("back at its base"), "{err}");

    // The next call on the island is offered the boat, alone or carrying, and gets it.
    let again = ws.recommend(night, plain).unwrap();
    let offered = again.candidates.iter().find(|o| o.unit == boat.0 || o.carrier.as_ref().is_some_and(|b| b.unit == boat.0));
    let offered = offered.expect("the released boat is offered again").clone();
    let crew2 = UnitId(offered.unit.clone());
    match &offered.carrier {
        Some(_) => ws.assign_carried(night, plain, &crew2, &boat, Some("x")).unwrap(),
        None => ws.assign(night, plain, &boat, Some("x"), None).unwrap(),
    };
    let on_plain = |ws: &tidewatch_workstation::Workstation| {
        let rows = ws.desk().journal().unit_rows().unwrap();
        rows.into_iter().find(|r| r.unit_id == boat.0).and_then(|r| r.incident_id)
    };
    assert_eq!(on_plain(&ws), Some(plain));
    // The first incident cleared: the boat stays on the new one (no double release).
    ws.clear(night, id, "处置完毕").unwrap();
    assert_eq!(on_plain(&ws), Some(plain), "clearing the first incident leaves the boat where it is");
    let fleet = ws.desk().fleet_at(night.timestamp()).unwrap();
    assert!(fleet.state(&crew).unwrap().status.is_free(), "the crew is free once cleared");
    assert!(!ws.desk().fleet_at(night.timestamp()).unwrap().state(&boat).unwrap().status.is_free());
    drop(ws);
    assert!(tidewatch_journal::verify(&db).unwrap().ok);
}
