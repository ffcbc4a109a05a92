//! The desk's remote seat against a real service on a real PostgreSQL (`TIDEWATCH_PG_URL`;
//! `make test-pg` sets it): each test has a database of its own and starts the service
//! in-process (`tidewatch_service::start`) on a runtime of its own, so that "the service
//! stopped" is every task of it gone, sockets included.
//!
//! The tests of calls the service adds with CONTRACT-13's routes (board, recommend, status
//! changes, conditions, accounts, first administrator) say SKIPPED while the service does
//! not have them yet (`GET /api/sign-in-state` answers 404); once it does, they run.

mod common;
use common::*;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tidewatch_client::{LinkStatus, Live, RemoteConfig, RemoteDesk, HEAD_FILE, PIN_FILE};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::{CallSource, SignOutReason};
use tidewatch_workstation::desk::Intake;
use tidewatch_workstation::DeskApi;

const UNIT: &str = "dh_traffic_01";

/// A desk on the service, with what its live thread reports.
fn desk(url: &str, data_dir: &Path) -> (RemoteDesk, mpsc::Receiver<Live>) {
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let config = RemoteConfig {
        url: url.into(),
        data_dir: data_dir.into(),
        ca_file: None,
        seat: None,
        clock: tidewatch_core::time::SystemClock.clock(),
    };
    let region = Region::load(&region_dir()).unwrap();
    let desk = RemoteDesk::new(config, region, std::sync::Arc::new(move |live| drop(tx.lock().unwrap().send(live)))).unwrap();
    (desk, rx)
}

/// The first report that `pick` accepts within `within`.
fn wait_for<T>(rx: &mpsc::Receiver<Live>, within: Duration, mut pick: impl FnMut(&Live) -> Option<T>) -> Option<T> {
    let until = Instant::now() + within;
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(live) => {
                if let Some(t) = pick(&live) {
                    return Some(t);
                }
            }
            Err(_) => return None,
        }
    }
    None
}

fn status(live: &Live) -> Option<LinkStatus> {
    match live {
        Live::Status(s) => Some(s.clone()),
        _ => None,
    }
}

/// Waits (up to `within`) for the link to be reported up.
fn connected_within(rx: &mpsc::Receiver<Live>, within: Duration) {
    wait_for(rx, within, |l| status(l).filter(|s| s.connected)).expect("the link up in time");
}

fn connected(rx: &mpsc::Receiver<Live>) {
    connected_within(rx, Duration::from_secs(5));
}

fn seq(live: &Live) -> Option<i64> {
    match live {
        Live::Seq(s) => Some(*s),
        _ => None,
    }
}

/// Whether the service has CONTRACT-13's routes (the "routes" helper's work).
fn has_contract_routes(svc: &Svc) -> bool {
    let (mut probe, _) = desk(&svc.http(), tempfile::tempdir().unwrap().path());
    match probe.sign_in_state() {
        Ok(_) => true,
        Err(e) => {
            assert_eq!(e.kind(), "unknown", "{e}");
            false
        }
    }
}

#[test]
fn sign_in_receive_assign_and_a_second_seat_is_refused_naming_the_first() {
    let Some(url) = pg_url("sign_in_receive_assign_and_a_second_seat_is_refused_naming_the_first") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("bob", "dispatcher"), ("root", "administrator")]);
    let (dirs_a, dirs_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, _) = desk(&svc.http(), dirs_a.path());
    let (mut b, _) = desk(&svc.http(), dirs_b.path());

    let session = a.login("ann", PASSWORD).unwrap();
    assert_eq!((session.username.as_str(), session.role.name()), ("ann", "dispatcher"));
    b.login("bob", PASSWORD).unwrap();
    let one = a.receive(now(), &call(122.103)).unwrap();
    let two = b.receive(now(), &call(122.104)).unwrap();
    assert_ne!(one, two);

    // Both seats send the same unit at once: exactly one gets it. The other is refused by
    // the claim (`unit_taken`, naming who has it) or, when the winner committed before it
    // looked, by the desk's rule for a busy unit (`unit_unavailable`, naming its state).
    let unit = UnitId(UNIT.into());
    let (ra, rb) = std::thread::scope(|s| {
        let ra = s.spawn(|| a.assign(now(), one, &unit, Some("nearest by radio"), None));
        let rb = s.spawn(|| b.assign(now(), two, &unit, Some("nearest by radio"), None));
        (ra.join().unwrap(), rb.join().unwrap())
    });
    let (won, refused, winner) = match (ra, rb) {
        (Ok(ack), Err(e)) => (ack, e, "ann"),
        (Err(e), Ok(ack)) => (ack, e, "bob"),
        other => panic!("exactly one seat gets the unit: {other:?}"),
    };
    assert!(won.seq > 0);
    let text = refused.to_string();
    match refused.kind() {
        "unit_taken" => assert!(text.contains(winner) && text.contains(UNIT), "names who holds the unit: {text}"),
        "unit_unavailable" => assert!(text.contains(UNIT) && text.contains("dispatched"), "{text}"),
        other => panic!("refused as {other}: {text}"),
    }
    // The IPC body the UI words: the same kind and message.
    let json = serde_json::to_value(&refused).unwrap();
    assert_eq!((json["kind"].as_str(), json["message"].as_str()), (Some(refused.kind()), Some(text.as_str())));
}

#[test]
fn the_services_refusals_come_back_as_the_desks_error_kinds() {
    let Some(url) = pg_url("the_services_refusals_come_back_as_the_desks_error_kinds") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("root", "administrator")]);
    let dir = tempfile::tempdir().unwrap();
    let (mut d, _) = desk(&svc.http(), dir.path());

    assert_eq!(d.receive(now(), &call(122.103)).unwrap_err().kind(), "not_signed_in");
    let wrong = d.login("ann", "not the password").unwrap_err();
    assert!(!wrong.to_string().is_empty());
    assert_ne!(wrong.kind(), "service_unavailable", "{wrong:?}");

    d.login("root", PASSWORD).unwrap();
    assert_eq!(d.receive(now(), &call(122.103)).unwrap_err().kind(), "forbidden");
    d.login("ann", PASSWORD).unwrap();
    let far = d.receive(now(), &call(100.0)).unwrap_err();
    assert_eq!((far.kind(), serde_json::to_value(&far).unwrap()["field"].as_str()), ("invalid_input", Some("lon/lat")));
    let mut alien = call(122.103);
    alien.incident_type = "alien_landing".into();
    assert_eq!(d.receive(now(), &alien).unwrap_err().kind(), "unknown");
    assert_eq!(d.assign(now(), IncidentId(999), &UnitId(UNIT.into()), None, None).unwrap_err().kind(), "unknown");

    // Signed out on the service: the desk's session ends too.
    d.sign_out(SignOutReason::SignedOut, T0).unwrap();
    assert_eq!(d.receive(now(), &call(122.103)).unwrap_err().kind(), "not_signed_in");
}

#[test]
fn a_seat_hears_another_seats_commit_within_a_second() {
    let Some(url) = pg_url("a_seat_hears_another_seats_commit_within_a_second") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("bob", "dispatcher")]);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, heard) = desk(&svc.http(), dir_a.path());
    let (mut b, _) = desk(&svc.http(), dir_b.path());
    a.login("ann", PASSWORD).unwrap();
    connected(&heard);
    b.login("bob", PASSWORD).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut last = 0;
    while let Ok(live) = heard.try_recv() {
        last = seq(&live).unwrap_or(last).max(last);
    }

    for lon in [122.103, 122.104, 122.105] {
        let sent = Instant::now();
        let id = b.receive(now(), &call(lon)).unwrap();
        let heard_seq = wait_for(&heard, Duration::from_secs(1), |l| seq(l).filter(|s| *s > last));
        last = heard_seq.unwrap_or_else(|| panic!("incident {id}: no new seq within 1 s of bob's call"));
        eprintln!("seq {last} heard {:?} after bob's call", sent.elapsed());
    }
    // The head heard is remembered for the tamper check.
    let head: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir_a.path().join(HEAD_FILE)).unwrap()).unwrap();
    assert!(head["seq"].as_i64().unwrap() >= 4 && head["hash"].as_str().unwrap().len() == 64, "{head}");
}

#[test]
fn a_seat_that_loses_the_service_refuses_actions_and_catches_up_when_it_is_back() {
    let test = "a_seat_that_loses_the_service_refuses_actions_and_catches_up_when_it_is_back";
    let Some(url) = pg_url(test) else { return };
    let url = fresh_database(&url, "client");
    let mut svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher"), ("bob", "dispatcher")]);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, heard) = desk(&svc.http(), dir_a.path());
    let (mut b, heard_b) = desk(&svc.http(), dir_b.path());
    a.login("ann", PASSWORD).unwrap();
    b.login("bob", PASSWORD).unwrap();
    connected(&heard);
    connected(&heard_b);

    let addr = svc.addr;
    svc.stop();
    let lost = wait_for(&heard, Duration::from_secs(3), status).expect("the loss reported within 3 s");
    assert!(!lost.connected && lost.message.is_some(), "{lost:?}");
    let refused = a.receive(now(), &call(122.103)).unwrap_err();
    assert_eq!(refused.kind(), "service_unavailable");
    assert!(refused.to_string().contains("nothing was sent"), "{refused}");

    // Back on the same address (the sessions are in PostgreSQL): B acts, A reconnects and
    // hears B's seq.
    let _svc = Svc::start(&url, addr, None);
    connected_within(&heard_b, Duration::from_secs(8));
    let id = b.receive(now(), &call(122.104)).unwrap();
    let back = wait_for(&heard, Duration::from_secs(8), status).expect("reconnected within 8 s");
    assert!(back.connected, "{back:?}");
    assert!(wait_for(&heard, Duration::from_secs(2), seq).is_some(), "incident {id}: A caught up with a seq");
    a.receive(now(), &call(122.105)).expect("A acts again");
}

#[test]
fn a_rewritten_chain_is_caught_on_the_next_connect() {
    let Some(url) = pg_url("a_rewritten_chain_is_caught_on_the_next_connect") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    add_accounts(&url, &[("ann", "dispatcher")]);
    let dir = tempfile::tempdir().unwrap();
    let (mut a, heard) = desk(&svc.http(), dir.path());
    a.login("ann", PASSWORD).unwrap();
    connected(&heard);
    a.receive(now(), &call(122.103)).unwrap();
    a.sign_out(SignOutReason::SignedOut, T0).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let head: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join(HEAD_FILE)).unwrap()).unwrap();
    let seq = head["seq"].as_i64().unwrap();

    // Someone with the database's keys rewrites the event this desk saw last.
    sql(
        &url,
        &[
            "ALTER TABLE events DISABLE TRIGGER events_no_update",
            &format!("UPDATE events SET hash = sha256(hash) WHERE seq = {seq}"),
            "ALTER TABLE events ENABLE TRIGGER events_no_update",
        ],
    );
    let (mut a, heard) = desk(&svc.http(), dir.path());
    a.login("ann", PASSWORD).unwrap();
    let s = wait_for(&heard, Duration::from_secs(5), status).expect("a status within 5 s");
    assert!(s.tampered && !s.connected, "{s:?}");
    let message = s.message.unwrap();
    assert!(message.contains("rewritten") && message.contains(head["hash"].as_str().unwrap()), "{message}");
    let refused = a.receive(now(), &call(122.104)).unwrap_err();
    assert_eq!(refused.kind(), "service_unavailable");
    assert!(refused.to_string().contains("rewritten"), "{refused}");
}

#[test]
fn the_pinned_certificate_is_trusted_and_a_changed_one_refused_naming_both() {
    let Some(url) = pg_url("the_pinned_certificate_is_trusted_and_a_changed_one_refused_naming_both") else { return };
    let url = fresh_database(&url, "client");
    let (tls_a, tls_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), Some(tls_a.path()));
    add_accounts(&url, &[("ann", "dispatcher")]);
    let first = svc.fingerprint.clone().unwrap();
    let https = format!("https://127.0.0.1:{}", svc.addr.port());
    let dir = tempfile::tempdir().unwrap();
    let (mut a, heard) = desk(&https, dir.path());
    a.login("ann", PASSWORD).unwrap();
    let told = wait_for(&heard, Duration::from_secs(1), |l| match l {
        Live::Pinned(f) => Some(f.clone()),
        _ => None,
    });
    assert_eq!(told.as_deref(), Some(first.as_str()), "pinned on first use, and the desk told");
    assert_eq!(std::fs::read_to_string(dir.path().join(PIN_FILE)).unwrap().trim(), first);
    connected(&heard);
    a.receive(now(), &call(122.103)).expect("a call over TLS");
    drop(a);

    // The same address with another certificate (another TLS directory).
    let addr = svc.addr;
    svc.stop();
    let svc = Svc::start(&url, addr, Some(tls_b.path()));
    let second = svc.fingerprint.clone().unwrap();
    assert_ne!(first, second);
    let (mut a, _) = desk(&https, dir.path());
    let refused = a.login("ann", PASSWORD).unwrap_err();
    assert_eq!(refused.kind(), "service_unavailable");
    let text = refused.to_string();
    assert!(text.contains("changed") && text.contains(&first) && text.contains(&second), "{text}");
    // Plain http to another machine is refused before anything is sent.
    let config = RemoteConfig {
        url: "http://192.0.2.1:8640".into(),
        data_dir: dir.path().into(),
        ca_file: None,
        seat: None,
        clock: tidewatch_core::time::SystemClock.clock(),
    };
    let plain = RemoteDesk::new(config, Region::load(&region_dir()).unwrap(), std::sync::Arc::new(|_| {}));
    assert_eq!(plain.err().map(|e| e.kind()), Some("invalid_input"));
}

/// Every dispatcher call over CONTRACT-13's routes gives what the local desk gives.
#[test]
fn the_whole_dispatcher_desk_works_over_the_service() {
    let Some(url) = pg_url("the_whole_dispatcher_desk_works_over_the_service") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    if !has_contract_routes(&svc) {
        eprintln!("SKIPPED the_whole_dispatcher_desk_works_over_the_service: the service lacks CONTRACT-13's routes (helper routes)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut d, _) = desk(&svc.http(), dir.path());
    assert!(d.sign_in_state().unwrap().needs_first_administrator);
    d.create_first_administrator("root", PASSWORD, T0).unwrap();
    assert!(!d.sign_in_state().unwrap().needs_first_administrator);
    d.create_account("ann", tidewatch_workstation::accounts::Role::Dispatcher, PASSWORD, T0).unwrap();
    assert!(d.accounts().unwrap().iter().any(|a| a.username == "ann"));
    d.sign_out(SignOutReason::SignedOut, T0).unwrap();
    d.login("ann", PASSWORD).unwrap();
    d.still_here().unwrap();

    let id = d.receive(now(), &call(122.103)).unwrap();
    let board = d.board(now()).unwrap();
    assert!(board.incidents.iter().any(|i| i.id == id), "the new call is on the board");
    let rec = d.recommend(now(), id).unwrap();
    let first = UnitId(rec.candidates.first().expect("a candidate").unit.clone());
    d.assign(now(), id, &first, None, None).unwrap();
    assert!(!d.reassign_options(now(), id).unwrap().is_empty());
    d.en_route(now(), id).unwrap();
    d.on_scene(now(), id).unwrap();
    d.note(now(), id, "司机已送医").unwrap();
    d.clear(now(), id, "resolved").unwrap();
    assert!(d.timeline(id).unwrap().len() >= 5);
    let view = d.conditions_view().unwrap();
    let mut windy = view.conditions.clone();
    windy.wind_force = 9;
    assert_eq!(d.set_conditions(now(), windy).unwrap().set_by.as_deref(), Some("ann"));
    assert!(d.board_thresholds().is_ok());
    let two = d.receive(now(), &call(122.104)).unwrap();
    d.cancel(now(), two, "duplicate call").unwrap();
    let preview = tidewatch_workstation::PreviewQuery {
        at: T0 + 3600,
        lon: 122.103,
        lat: 30.018,
        incident_type: "traffic_accident".into(),
        priority: None,
    };
    assert!(!d.preview(now(), &preview).unwrap().candidates.is_empty());
    let e: Error = d.set_board_thresholds(now(), tidewatch_core::dispatch::Thresholds::default()).unwrap_err();
    assert_eq!(e.kind(), "forbidden");
}

/// 2026-10-14 02:00 +08:00: no sailing to 大猫岛 before the morning (issue #16).
const NIGHT: i64 = 1_791_914_400;
/// A fight on 大猫岛.
const DAMAO: (f64, f64) = (122.039, 29.951);

fn fight_on_damao() -> Intake {
    Intake { incident_type: "fight".into(), priority: None, lon: DAMAO.0, lat: DAMAO.1, source: CallSource::Phone, text: "打架".into() }
}

/// Issue #16 on a seat: a carried row sends the crew and its boat together; two seats
/// taking the same boat at once get it once, the other refused naming the boat; the boat
/// shows on the board carrying the crew; a community responder's call is journaled.
#[test]
fn a_crew_and_its_boat_go_together_and_a_second_seat_cannot_take_the_boat() {
    let Some(url) = pg_url("a_crew_and_its_boat_go_together_and_a_second_seat_cannot_take_the_boat") else { return };
    let url = fresh_database(&url, "client");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    svc.clock.set(NIGHT);
    add_accounts(&url, &[("ann", "dispatcher"), ("bob", "dispatcher")]);
    let (dirs_a, dirs_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut a, _) = desk(&svc.http(), dirs_a.path());
    let (mut b, _) = desk(&svc.http(), dirs_b.path());
    a.login("ann", PASSWORD).unwrap();
    b.login("bob", PASSWORD).unwrap();
    let night = chrono::DateTime::from_timestamp(NIGHT, 0).unwrap();
    let one = a.receive(night, &fight_on_damao()).unwrap();
    let two = b.receive(night, &fight_on_damao()).unwrap();

    let rec = a.recommend(night, one).unwrap();
    let carried: Vec<_> = rec.candidates.iter().filter(|c| c.carrier.is_some()).collect();
    assert!(carried.len() >= 2, "crews a boat would carry: {:?}", rec.candidates.iter().map(|c| &c.unit).collect::<Vec<_>>());
    let boat = UnitId(carried[0].carrier.as_ref().unwrap().unit.clone());
    let (crew1, crew2) = (UnitId(carried[0].unit.clone()), UnitId(carried[1].unit.clone()));
    let why = Some("陆上警力处置");
    let (ra, rb) = std::thread::scope(|s| {
        let ra = s.spawn(|| a.assign_carried(night, one, &crew1, &boat, why));
        let rb = s.spawn(|| b.assign_carried(night, two, &crew2, &boat, why));
        (ra.join().unwrap(), rb.join().unwrap())
    });
    let (refused, winner, (won, crew)) = match (ra, rb) {
        (Ok(_), Err(e)) => (e, "ann", (one, &crew1)),
        (Err(e), Ok(_)) => (e, "bob", (two, &crew2)),
        other => panic!("exactly one seat gets the boat: {other:?}"),
    };
    let text = refused.to_string();
    assert!(matches!(refused.kind(), "unit_taken" | "unit_unavailable"), "{text}");
    assert!(text.contains(&boat.0) && text.contains(winner), "names the boat and who took it: {text}");

    let board = a.board(night).unwrap();
    let row = board.incidents.iter().find(|i| i.id == won).expect("on the board");
    assert_eq!((row.unit.as_deref(), row.carrier.as_deref()), (Some(crew.as_str()), Some(boat.as_str())));
    let on_board = board.units.iter().find(|u| u.unit == boat.0).unwrap();
    assert_eq!((on_board.incident, on_board.carrying.as_deref()), (Some(won), Some(crew.as_str())), "the boat carries the crew");
    let dispatched = a.timeline(won).unwrap().into_iter().rev().find(|e| e.body.kind() == "dispatched").unwrap();
    assert!(matches!(&dispatched.body, tidewatch_journal::EventBody::Dispatched { carrier: Some(c), .. } if *c == boat.0));

    // A community responder of 大猫岛 called about it, journaled; one of another island is refused.
    a.call_responder(night, one, "cr_damao_01").unwrap();
    let called = a.timeline(one).unwrap().into_iter().find(|e| e.body.kind() == "responder_called").expect("journaled");
    assert_eq!(called.operator, "ann");
    assert_eq!(a.call_responder(night, one, "cr_dapeng_01").unwrap_err().kind(), "invalid_input");
    assert_eq!(a.call_responder(night, one, "nobody").unwrap_err().kind(), "unknown");
}
