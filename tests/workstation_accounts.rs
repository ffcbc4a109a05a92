//! Sign-in and accounts at the desk (`Workstation`) on a real journal file and the real
//! Dinghai pack: nobody signed in may do nothing, roles are refused in the core, and every
//! action is journaled under the signed-in operator.

mod support;

use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{verify, EventBody, SignOutReason};
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::desk::Intake;
use tidewatch_workstation::Workstation;

use support::{at, phone_call};

const CHANGBAI: (f64, f64) = (122.036, 30.178);

fn station(dir: &tempfile::TempDir) -> Workstation {
    let region = support::dinghai();
    Workstation::open(region, &dir.path().join("tidewatch.db"), tidewatch_core::time::SystemClock.clock()).expect("journal")
}

fn accident() -> Intake {
    Intake { text: "两车相撞".into(), ..phone_call("traffic_accident", CHANGBAI) }
}

fn last_seq(ws: &Workstation) -> i64 {
    ws.desk().journal().last_seq()
}

/// Every desk action an operator can take, each reduced to "refused how?".
fn every_action(ws: &mut Workstation, id: IncidentId) -> Vec<(&'static str, Result<(), Error>)> {
    let t = at("2026-07-01T02:05:00Z");
    let unit = UnitId("changbai_post".into());
    vec![
        ("set_conditions", ws.set_conditions(t, Conditions::default()).map(drop)),
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
        ("set_account_disabled", ws.set_account_disabled("admin", true, 10)),
        ("reset_password", ws.reset_password("admin", "taken-over-pass", 10)),
        ("desk_sessions", ws.desk_sessions(0, i64::MAX).map(drop)),
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
        for (name, result) in every_action(&mut ws, IncidentId(1)) {
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

#[test]
fn sessions_are_journaled_so_a_supervisor_sees_who_was_on_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = station(&dir);
    let t0 = chrono::Utc::now().timestamp();
    ws.create_first_administrator("admin", "admin-pass-1", t0).unwrap();
    ws.create_account("wang", Role::Dispatcher, "wang-pass-1", t0).unwrap();
    ws.create_account("zhao", Role::Supervisor, "zhao-pass-1", t0).unwrap();
    ws.sign_out(SignOutReason::SignedOut, t0).unwrap();
    // Signing out twice journals nothing more.
    let seq = last_seq(&ws);
    ws.sign_out(SignOutReason::SignedOut, t0).unwrap();
    assert_eq!(last_seq(&ws), seq);

    // A wrong password signs nobody in; it is journaled as a refused sign-in, under nobody.
    assert!(ws.login("wang", "wrong-pass-1").is_err());
    assert_eq!(last_seq(&ws), seq + 1);
    let refused = ws.desk().journal().latest_event("sign_in_failed").unwrap().expect("journaled");
    assert_eq!(refused.operator, tidewatch_journal::NOT_SIGNED_IN);

    ws.login("wang", "wang-pass-1").unwrap();
    ws.sign_out(SignOutReason::Idle, chrono::Utc::now().timestamp()).unwrap();
    ws.login("wang", "wang-pass-1").unwrap();
    // zhao signs in over wang's open session: wang's ends as replaced.
    ws.login("zhao", "zhao-pass-1").unwrap();

    let sessions = ws.desk_sessions(t0 - 1, i64::MAX).unwrap();
    let seen: Vec<(&str, &str, Option<SignOutReason>)> = sessions.iter().map(|s| (s.username.as_str(), s.role.as_str(), s.ended)).collect();
    assert_eq!(
        seen,
        [
            ("admin", "administrator", Some(SignOutReason::SignedOut)),
            ("wang", "dispatcher", Some(SignOutReason::Idle)),
            ("wang", "dispatcher", Some(SignOutReason::Replaced)),
            ("zhao", "supervisor", None),
        ]
    );
    assert!(sessions.iter().all(|s| s.signed_out_utc.is_none_or(|out| out >= s.signed_in_utc)));
    assert!(ws.desk_sessions(t0 + 86_400, i64::MAX).unwrap().is_empty(), "nothing began a day later");

    // A dispatcher may not look at who was on the desk.
    ws.sign_out(SignOutReason::SignedOut, chrono::Utc::now().timestamp()).unwrap();
    ws.login("wang", "wang-pass-1").unwrap();
    assert!(matches!(ws.desk_sessions(t0 - 1, i64::MAX), Err(Error::Forbidden { .. })));
    drop(ws);
    assert!(verify(&dir.path().join("tidewatch.db")).unwrap().ok);
}

#[test]
fn administrator_disables_and_resets_accounts_journaled_and_refused_to_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = station(&dir);
    ws.create_first_administrator("admin", "admin-pass-1", 1).unwrap();
    ws.create_account("wang", Role::Dispatcher, "wang-pass-1", 2).unwrap();

    // Not one's own account, not an unknown one; refusals write nothing.
    let seq = last_seq(&ws);
    assert!(matches!(ws.set_account_disabled("admin", true, 3), Err(Error::InvalidInput { .. })));
    assert!(matches!(ws.set_account_disabled("ghost", true, 3), Err(Error::Unknown { .. })));
    assert!(matches!(ws.reset_password("wang", "short", 3), Err(Error::InvalidInput { .. })));
    assert_eq!(last_seq(&ws), seq);

    ws.set_account_disabled("wang", true, 4).unwrap();
    let seq = last_seq(&ws);
    ws.set_account_disabled("wang", true, 4).unwrap();
    assert_eq!(last_seq(&ws), seq, "disabling a disabled account journals nothing");
    assert!(ws.accounts().unwrap().iter().any(|a| a.username == "wang" && a.disabled));
    ws.sign_out(SignOutReason::SignedOut, 5).unwrap();
    assert!(ws.login("wang", "wang-pass-1").is_err(), "a disabled account signs in");

    ws.login("admin", "admin-pass-1").unwrap();
    ws.set_account_disabled("wang", false, 6).unwrap();
    ws.reset_password("wang", "wang-new-pass", 7).unwrap();
    ws.sign_out(SignOutReason::SignedOut, 8).unwrap();
    assert!(ws.login("wang", "wang-pass-1").is_err(), "the old password still works");
    ws.login("wang", "wang-new-pass").unwrap();

    // The dispatcher cannot do either, and the refusal writes nothing.
    let seq = last_seq(&ws);
    assert!(matches!(ws.set_account_disabled("admin", true, 9), Err(Error::Forbidden { .. })));
    assert!(matches!(ws.reset_password("admin", "taken-over-pass", 9), Err(Error::Forbidden { .. })));
    assert_eq!(last_seq(&ws), seq);

    let changes: Vec<(String, String)> = ws
        .desk()
        .journal()
        .events_between(1, last_seq(&ws))
        .unwrap()
        .into_iter()
        .filter(|e| {
            matches!(e.body, EventBody::AccountDisabled { .. } | EventBody::AccountEnabled { .. } | EventBody::PasswordReset { .. })
        })
        .map(|e| (e.body.kind().to_string(), e.operator))
        .collect();
    let expected = [("account_disabled", "admin"), ("account_enabled", "admin"), ("password_reset", "admin")];
    assert_eq!(changes, expected.map(|(k, o)| (k.to_string(), o.to_string())));
    let phc: String = rusqlite::Connection::open(dir.path().join("tidewatch.db"))
        .unwrap()
        .query_row("SELECT password FROM accounts WHERE username = 'wang'", [], |r| r.get(0))
        .unwrap();
    assert!(phc.starts_with("$argon2id$") && !phc.contains("wang-new-pass"));
}
