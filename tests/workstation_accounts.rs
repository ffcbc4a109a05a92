//! Sign-in and accounts at the desk (`Workstation`) on a real journal file and the real
//! Dinghai pack: nobody signed in may do nothing, roles are refused in the core, and every
//! action is journaled under the signed-in operator.

mod support;

use chrono::{DateTime, Utc};
use tidewatch::accounts::Role;
use tidewatch::dispatch::Intake;
use tidewatch::ids::UnitId;
use tidewatch::region::Region;
use tidewatch::route::Conditions;
use tidewatch::store::{verify, CallSource, EventBody};
use tidewatch::workstation::Workstation;
use tidewatch::Error;

const CHANGBAI: (f64, f64) = (122.036, 30.178);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn station(dir: &tempfile::TempDir) -> Workstation {
    let region = Region::load(&support::dinghai_dir()).expect("pack");
    Workstation::open(region, &dir.path().join("tidewatch.db")).expect("journal")
}

fn accident() -> Intake {
    Intake {
        incident_type: "traffic_accident".into(),
        priority: None,
        lon: CHANGBAI.0,
        lat: CHANGBAI.1,
        source: CallSource::Phone,
        text: "两车相撞".into(),
    }
}

fn last_seq(ws: &Workstation) -> i64 {
    ws.desk().journal().last_seq()
}

/// Every desk action an operator can take, each reduced to "refused how?".
fn every_action(ws: &mut Workstation, id: i64) -> Vec<(&'static str, Result<(), Error>)> {
    let t = at("2026-07-01T02:05:00Z");
    let unit = UnitId("changbai_post".into());
    vec![
        ("set_conditions", ws.set_conditions(Conditions::default())),
        ("receive", ws.receive(t, &accident()).map(drop)),
        ("recommend", ws.recommend(t, id).map(drop)),
        ("assign", ws.assign(t, id, &unit, None, None).map(drop)),
        ("en_route", ws.en_route(t, id).map(drop)),
        ("on_scene", ws.on_scene(t, id).map(drop)),
        ("clear", ws.clear(t, id, "handled").map(drop)),
        ("cancel", ws.cancel(t, id, "duplicate").map(drop)),
        ("board", ws.board(t).map(drop)),
        ("timeline", ws.timeline(id).map(drop)),
        ("accounts", ws.accounts().map(drop)),
        ("create_account", ws.create_account("intruder", Role::Administrator, "intruder-pass", 10)),
    ]
}

#[test]
fn nobody_signed_in_may_do_nothing_and_nothing_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = station(&dir);
    let state = ws.sign_in_state().unwrap();
    assert!(state.needs_first_administrator && state.session.is_none());

    // Before any account exists, and again after one exists and the operator signed out.
    for round in 0..2 {
        let before = last_seq(&ws);
        for (name, result) in every_action(&mut ws, 1) {
            assert!(matches!(result, Err(Error::NotSignedIn)), "round {round}: {name} gave {result:?}");
        }
        assert_eq!(last_seq(&ws), before, "round {round}: something was journaled");
        if round == 0 {
            ws.create_first_administrator("admin", "admin-pass-1", 1).unwrap();
            ws.logout();
            assert!(ws.sign_in_state().unwrap().session.is_none());
        }
    }
    assert_eq!(ws.desk().journal().account_count().unwrap(), 1, "the intruder account was not created");
}

#[test]
fn dispatcher_dispatches_under_their_name_but_cannot_manage_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = station(&dir);
    let admin = ws.create_first_administrator("admin", "admin-pass-1", 1).unwrap();
    assert_eq!(admin.role, Role::Administrator);
    assert!(ws.create_first_administrator("admin2", "admin-pass-2", 2).is_err(), "a second first administrator");
    ws.create_account("wang", Role::Dispatcher, "wang-pass-1", 3).unwrap();
    ws.create_account("zhao", Role::Supervisor, "zhao-pass-1", 4).unwrap();
    let listed: Vec<(String, String)> = ws.accounts().unwrap().into_iter().map(|a| (a.username, a.role)).collect();
    assert_eq!(
        listed,
        [("admin", "administrator"), ("wang", "dispatcher"), ("zhao", "supervisor")].map(|(u, r)| (u.to_string(), r.to_string()))
    );

    // The administrator manages accounts but does not dispatch.
    let before = last_seq(&ws);
    let refused = ws.receive(at("2026-07-01T02:00:00Z"), &accident()).unwrap_err();
    assert!(matches!(refused, Error::Forbidden { ref role, .. } if role == "administrator"), "{refused}");
    assert_eq!(last_seq(&ws), before);
    ws.logout();

    // A wrong password signs nobody in.
    assert!(ws.login("wang", "wrong-pass-1").is_err());
    assert!(ws.sign_in_state().unwrap().session.is_none());

    let wang = ws.login("wang", "wang-pass-1").unwrap();
    assert_eq!(wang.role, Role::Dispatcher);
    assert_eq!(ws.sign_in_state().unwrap().session, Some(wang));

    // The dispatcher cannot see or create accounts, and the refusal writes nothing.
    let before = last_seq(&ws);
    for result in [ws.accounts().map(drop), ws.create_account("mole", Role::Administrator, "mole-pass-1", 20)] {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Forbidden { ref user, .. } if user == "wang"), "{err}");
        assert_eq!(err.kind(), "forbidden");
    }
    assert_eq!(last_seq(&ws), before);

    // ...but dispatches, and every step is journaled under "wang".
    let t = at("2026-07-01T02:00:00Z");
    let id = ws.receive(t, &accident()).unwrap();
    let rec = ws.recommend(t, id).unwrap();
    let first = UnitId(rec.candidates.first().expect("a candidate").unit.clone());
    ws.assign(t, id, &first, None, None).unwrap();
    ws.en_route(at("2026-07-01T02:01:00Z"), id).unwrap();
    let timeline = ws.timeline(id).unwrap();
    assert_eq!(timeline.len(), 3, "{timeline:?}");
    assert!(matches!(timeline[0].body, EventBody::Received { .. }));
    assert!(timeline.iter().all(|e| e.operator == "wang"), "{timeline:?}");

    // Account creations are journaled under the administrator who made them.
    let all = ws.desk().journal().events_between(1, last_seq(&ws)).unwrap();
    let created: Vec<(&str, &str)> = all
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::AccountCreated { username, .. } => Some((username.as_str(), e.operator.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(created, [("admin", "admin"), ("wang", "admin"), ("zhao", "admin")]);

    // Signing out ends the dispatcher's power at once.
    ws.logout();
    assert!(matches!(ws.en_route(at("2026-07-01T02:02:00Z"), id), Err(Error::NotSignedIn)));
    drop(ws);
    assert!(verify(&dir.path().join("tidewatch.db")).unwrap().ok);
}
