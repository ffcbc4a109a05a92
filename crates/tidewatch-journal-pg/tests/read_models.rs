//! The PostgreSQL read models answer as the SQLite journal's do, after the same events
//! (needs TIDEWATCH_PG_URL, as tests/contract.rs).

use std::collections::BTreeMap;

use tidewatch_core::ids::IncidentId;
use tidewatch_journal::{CallSource, DispatchPlan, EventBody, Journal, JournalStore, NewEvent, PoliceLine, ReadModels};
use tidewatch_journal::{RouteModeRecord, Scope, UnitStatusRecord};
use tidewatch_journal_pg::PgJournal;

const T0: i64 = 1_767_225_600;

fn ev(incident: Option<i64>, at: i64, body: EventBody) -> NewEvent {
    NewEvent { incident_id: incident.map(IncidentId), at_utc: at, recorded_utc: at, operator: "op.wang".into(), body }
}

fn received(id: i64, at: i64, kind: &str, island: &str, synthetic: bool) -> NewEvent {
    let body = EventBody::Received {
        incident_type: kind.into(),
        priority: (id % 3 + 1) as u8,
        lon: 122.0 + id as f64 / 100.0,
        lat: 30.0,
        island: Some(island.into()),
        node: Some(format!("n{id}")),
        source: CallSource::Phone,
        text: String::new(),
        synthetic,
    };
    ev(Some(id), at, body)
}

fn dispatched(id: i64, at: i64, unit: &str, rank: u32, reason: Option<&str>) -> NewEvent {
    let plan = DispatchPlan {
        recommended_unit: Some("P1".into()),
        rank: Some(rank),
        eta_s: Some(600),
        route_mode: Some(RouteModeRecord::Ferry),
        drive_s: 300,
        ferry_wait_s: 120,
        crossing_s: 180,
        from: None,
        recommended_carrier: None,
    };
    ev(Some(id), at, EventBody::Dispatched { unit: unit.into(), plan, override_reason: reason.map(str::to_string), carrier: None })
}

/// Incidents on two islands through every state, a reassignment, corrections, unit
/// statuses, the joint lines of work and tips.
fn history() -> Vec<NewEvent> {
    let unit = |u: &str| u.to_string();
    let mut h = vec![
        received(1, T0, "theft", "zhoushan", false),
        dispatched(1, T0 + 60, "P1", 1, None),
        ev(Some(1), T0 + 90, EventBody::EnRoute { unit: unit("P1") }),
        ev(Some(1), T0 + 400, EventBody::OnScene { unit: unit("P1") }),
        ev(Some(1), T0 + 1400, EventBody::Cleared { unit: Some(unit("P1")), outcome: "done".into() }),
        received(2, T0 + 100, "traffic_accident", "daishan", true),
        dispatched(2, T0 + 130, "P2", 2, Some("P1 busy")),
        ev(Some(2), T0 + 200, EventBody::UnitWithdrawn { unit: unit("P2"), reason: "broke down".into() }),
        dispatched(2, T0 + 210, "P3", 3, None),
        received(3, T0 + 300, "theft", "daishan", false),
        ev(Some(3), T0 + 310, EventBody::Cancelled { reason: "caller withdrew".into() }),
        received(4, T0 + 500, "fight", "zhoushan", false),
        ev(
            Some(4),
            T0 + 510,
            EventBody::Correction { corrects_seq: 12, field: "received_utc".into(), value: (T0 + 450).to_string(), reason: "typo".into() },
        ),
        ev(
            Some(4),
            T0 + 520,
            EventBody::Correction { corrects_seq: 12, field: "incident_type".into(), value: "brawl".into(), reason: "r".into() },
        ),
        ev(None, T0 + 600, EventBody::UnitStatus { unit: unit("B1"), status: UnitStatusRecord::OffDuty, position: "pier".into() }),
    ];
    for (i, island) in ["zhoushan", "daishan", "zhoushan"].iter().enumerate() {
        let at = T0 + 700 + i as i64 * 10;
        let island = Some(island.to_string());
        h.push(ev(
            None,
            at,
            EventBody::Checkpoint {
                place: format!("gate {i}"),
                island: island.clone(),
                vehicles_checked: 40 + i as u32,
                violations: BTreeMap::from([("drunk_driving".to_string(), 1), ("overloading".to_string(), i as u32)]),
                surprise: i == 1,
                synthetic: i == 2,
            },
        ));
        h.push(ev(None, at + 1, EventBody::Patrol { unit: unit("P1"), island: island.clone(), hours: 1.5, synthetic: false }));
        let stall = EventBody::ServiceStall {
            place: format!("village {}", i % 2),
            island: island.clone(),
            people_served: 12,
            elderly_served: 5,
            synthetic: false,
        };
        h.push(ev(None, at + 2, stall));
        let (found_by, passed_to) =
            if i == 0 { (PoliceLine::Station, PoliceLine::Traffic) } else { (PoliceLine::Traffic, PoliceLine::Station) };
        h.push(ev(
            None,
            at + 3,
            EventBody::Hazard { island: island.clone(), found_by, passed_to, description: "pothole".into(), synthetic: false },
        ));
        h.push(ev(None, at + 4, EventBody::TipReceived { island, text: "tip".into(), synthetic: false, tip: None }));
    }
    h.push(ev(None, T0 + 900, EventBody::TipClosed { tip: 20, outcome: "fixed".into() }));
    // Crews carried by boats (issue #16): on the way, cleared; withdrawn; still on it.
    let carried = |id: i64, at: i64, crew: &str, boat: &str| {
        let EventBody::Dispatched { unit, mut plan, override_reason, .. } = dispatched(id, at, crew, 1, None).body else { unreachable!() };
        plan.recommended_unit = Some(crew.into());
        ev(Some(id), at, EventBody::Dispatched { unit, plan, override_reason, carrier: Some(boat.into()) })
    };
    h.extend([
        received(5, T0 + 1000, "fight", "daishan", false),
        carried(5, T0 + 1010, "P4", "B2"),
        ev(Some(5), T0 + 1020, EventBody::EnRoute { unit: unit("P4") }),
        ev(Some(5), T0 + 1030, EventBody::OnScene { unit: unit("P4") }),
        ev(Some(5), T0 + 1040, EventBody::Cleared { unit: Some(unit("P4")), outcome: "done".into() }),
        received(6, T0 + 1100, "theft", "daishan", false),
        carried(6, T0 + 1110, "P5", "B3"),
        ev(Some(6), T0 + 1120, EventBody::UnitWithdrawn { unit: unit("P5"), reason: "boat needed".into() }),
        received(7, T0 + 1200, "theft", "daishan", false),
        carried(7, T0 + 1210, "P6", "B2"),
        ev(Some(7), T0 + 1220, EventBody::EnRoute { unit: unit("P6") }),
    ]);
    h
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn postgres_read_models_answer_as_sqlite_does() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the PostgreSQL read models were NOT tested (`make test-pg`).\n");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut lite = Journal::open(&dir.path().join("j.db")).unwrap();
    let mut pg = PgJournal::connect_in_schema(&url, &format!("reads_{}", std::process::id())).unwrap();
    let h = history();
    assert_eq!(JournalStore::append_batch(&mut lite, &h).unwrap(), pg.append_batch(&h).unwrap());

    for id in 0..=8 {
        assert_eq!(ReadModels::incident(&lite, IncidentId(id)).unwrap(), pg.incident(IncidentId(id)).unwrap(), "incident {id}");
    }
    assert!(pg.incident(IncidentId(2)).unwrap().unwrap().reassignments == 1, "the history has a reassignment");
    assert_eq!(pg.incident(IncidentId(7)).unwrap().unwrap().carrier_id.as_deref(), Some("B2"), "a crew carried by a boat");
    assert_eq!(ReadModels::next_incident_id(&lite).unwrap(), pg.next_incident_id().unwrap());
    assert_eq!(ReadModels::open_incidents(&lite).unwrap(), pg.open_incidents().unwrap());
    assert_eq!(ReadModels::unit_rows(&lite).unwrap(), pg.unit_rows().unwrap());
    assert_eq!(ReadModels::incidents_received(&lite, T0, T0 + 460).unwrap(), pg.incidents_received(T0, T0 + 460).unwrap());
    let (from, to) = (chrono::DateTime::from_timestamp(T0, 0).unwrap(), chrono::DateTime::from_timestamp(T0 + 86_400, 0).unwrap());
    assert_eq!(ReadModels::call_records(&lite, from, to).unwrap(), pg.call_records(from, to).unwrap());
    assert_eq!(ReadModels::incident_span(&lite).unwrap(), pg.incident_span().unwrap());
    assert_eq!(ReadModels::has_synthetic_data(&lite).unwrap(), pg.has_synthetic_data().unwrap());
    for scope in [
        Scope::period(T0, T0 + 86_400),
        Scope::period(T0, T0 + 86_400).on_island(Some("daishan".into())),
        Scope::period(T0, T0 + 86_400).of_type(Some("theft".into())),
        Scope::period(T0 + 1000, T0 + 2000),
    ] {
        assert_eq!(
            sorted(ReadModels::incidents_per_island_in(&lite, &scope).unwrap()),
            sorted(pg.incidents_per_island_in(&scope).unwrap())
        );
        assert_eq!(
            sorted(ReadModels::incidents_per_island_type_in(&lite, &scope).unwrap()),
            sorted(pg.incidents_per_island_type_in(&scope).unwrap())
        );
        assert_eq!(sorted(ReadModels::incidents_per_type_in(&lite, &scope).unwrap()), sorted(pg.incidents_per_type_in(&scope).unwrap()));
        assert_eq!(ReadModels::override_count_in(&lite, &scope).unwrap(), pg.override_count_in(&scope).unwrap());
        assert_eq!(ReadModels::dispatch_overrides(&lite, &scope).unwrap(), pg.dispatch_overrides(&scope).unwrap());
    }
    assert_eq!(pg.dispatch_overrides(&Scope::period(T0, T0 + 86_400)).unwrap().len(), 2, "the history overrides twice");
    for island in [None, Some("zhoushan"), Some("nowhere")] {
        let (a, b) = (
            ReadModels::joint_work_totals_on(&lite, T0, T0 + 86_400, island).unwrap(),
            pg.joint_work_totals_on(T0, T0 + 86_400, island).unwrap(),
        );
        assert_eq!(a, b, "joint work on {island:?}");
    }
    assert_eq!(pg.joint_work_totals_on(T0, T0 + 86_400, None).unwrap().surprise_raids, 1);
    assert_eq!(ReadModels::accounts(&lite).unwrap(), pg.accounts().unwrap());
    assert_eq!(ReadModels::account_count(&lite).unwrap(), pg.account_count().unwrap());
}
