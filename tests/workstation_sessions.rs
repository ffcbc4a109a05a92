//! The core's side of sessions, on a real journal file and the real Dinghai pack, with the
//! desk's clock in the test's hand: an operator idle for the timeout is signed out by the
//! core (journaled) and refused; the screens' polls do not count as activity, the
//! operator's calls do; refused sign-ins are journaled (never the password) and repeated
//! ones lock the name.

mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{verify, Event, EventBody, SignInFailure, SignOutReason, NOT_SIGNED_IN};
use tidewatch_workstation::accounts::{Role, MAX_FAILED_SIGN_INS, SIGN_IN_LOCK_S};
use tidewatch_workstation::desk::{Desk, Intake};
use tidewatch_workstation::leader::LeaderApi;
use tidewatch_workstation::{Workstation, IDLE_TIMEOUT_S};

use support::phone_call;

/// 2026-07-01 10:00 in Dinghai.
const T0: i64 = 1_782_871_200;
const MIN: i64 = 60;

/// A desk whose clock the test moves; the administrator, a dispatcher `wang` and a
/// supervisor `zhao` exist, nobody is signed in.
struct Fixture {
    dir: tempfile::TempDir,
    clock: Arc<AtomicI64>,
    ws: Workstation,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(AtomicI64::new(T0));
        let mut ws = open(&dir, &clock);
        ws.create_first_administrator("admin", "admin-pass-1", T0).unwrap();
        ws.create_account("wang", Role::Dispatcher, "wang-pass-1", T0).unwrap();
        ws.create_account("zhao", Role::Supervisor, "zhao-pass-1", T0).unwrap();
        ws.sign_out(SignOutReason::SignedOut, T0).unwrap();
        Fixture { dir, clock, ws }
    }

    /// The desk's clock moves to `t`.
    fn at(&self, t: i64) -> DateTime<Utc> {
        self.clock.store(t, Ordering::Relaxed);
        DateTime::from_timestamp(t, 0).unwrap()
    }

    fn last_seq(&self) -> i64 {
        self.ws.desk().journal().last_seq()
    }

    fn events_after(&self, seq: i64) -> Vec<Event> {
        self.ws.desk().journal().events_between(seq + 1, i64::MAX).unwrap()
    }

    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("tidewatch.db")
    }
}

fn open(dir: &tempfile::TempDir, clock: &Arc<AtomicI64>) -> Workstation {
    let region = support::dinghai();
    let c = clock.clone();
    let desk =
        Desk::open(region, &dir.path().join("tidewatch.db"), tidewatch_core::time::Clock::from_fn(move || c.load(Ordering::Relaxed)))
            .expect("journal");
    Workstation::new(desk)
}

fn accident() -> Intake {
    phone_call("traffic_accident", (122.036, 30.178))
}

fn expired(r: Result<impl std::fmt::Debug, Error>) -> bool {
    matches!(r, Err(Error::SessionExpired { ref user, minutes: 30 }) if user == "wang")
}

#[test]
fn an_idle_operator_is_signed_out_by_the_core_journaled_and_refused() {
    let mut f = Fixture::new();
    f.at(T0);
    f.ws.login("wang", "wang-pass-1").unwrap();
    let t = f.at(T0 + MIN);
    let id = f.ws.receive(t, &accident()).unwrap();

    // One second short of the timeout the dispatcher still acts...
    let t = f.at(T0 + MIN + IDLE_TIMEOUT_S - 1);
    f.ws.en_route(t, id).expect_err("no unit yet"); // refused by the rules, not the session
                                                    // ...and that refusal was the operator acting: the clock starts again from it.
    let last = T0 + MIN + IDLE_TIMEOUT_S - 1;

    // The timeout after the last action, the next action is refused and signs wang out.
    let seq = f.last_seq();
    let t = f.at(last + IDLE_TIMEOUT_S);
    let err = f.ws.receive(t, &accident()).unwrap_err();
    assert!(matches!(err, Error::SessionExpired { ref user, minutes: 30 } if user == "wang"), "{err:?}");
    assert_eq!(err.kind(), "session_expired");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!((json["kind"].as_str(), json["minutes"].as_i64()), (Some("session_expired"), Some(30)));

    // Journaled once: wang signed out as idle at the moment the session lapsed.
    let new = f.events_after(seq);
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].body, EventBody::SignedOut { reason: SignOutReason::Idle });
    assert_eq!((new[0].operator.as_str(), new[0].at_utc, new[0].recorded_utc), ("wang", last + IDLE_TIMEOUT_S, last + IDLE_TIMEOUT_S));

    // From now on nobody is signed in; the sign-in screen says who was signed out.
    assert!(matches!(f.ws.receive(t, &accident()), Err(Error::NotSignedIn)));
    assert!(matches!(f.ws.board(t), Err(Error::NotSignedIn)));
    let state = f.ws.sign_in_state().unwrap();
    assert_eq!((state.session, state.idle_signed_out.as_deref(), state.idle_minutes), (None, Some("wang"), 30));
    assert_eq!(f.last_seq(), seq + 1, "nothing more journaled");

    // The supervisor sees the session end as idle; signing in again clears the notice.
    f.at(last + IDLE_TIMEOUT_S + 5 * MIN);
    f.ws.login("zhao", "zhao-pass-1").unwrap();
    assert_eq!(f.ws.sign_in_state().unwrap().idle_signed_out, None);
    let sessions = f.ws.desk_sessions(T0, i64::MAX).unwrap();
    let wang = sessions.iter().find(|s| s.username == "wang").unwrap();
    assert_eq!((wang.ended, wang.signed_out_utc), (Some(SignOutReason::Idle), Some(last + IDLE_TIMEOUT_S)));
    drop(f.ws);
    assert!(verify(&f.dir.path().join("tidewatch.db")).unwrap().ok);
}

#[test]
fn the_board_polled_every_second_does_not_keep_the_session_alive() {
    let mut f = Fixture::new();
    f.at(T0);
    f.ws.login("wang", "wang-pass-1").unwrap();
    let seq = f.last_seq();

    // The screens poll the board (every second), the conditions and the plan's progress:
    // they are answered while the session lasts, but none of them is the operator acting.
    let mut t = T0;
    while t < T0 + IDLE_TIMEOUT_S {
        let now = f.at(t);
        f.ws.board(now).unwrap();
        f.ws.conditions_view().unwrap();
        f.ws.plan_status().unwrap();
        t += 20;
    }
    assert_eq!(f.last_seq(), seq, "polls journal nothing");
    let now = f.at(T0 + IDLE_TIMEOUT_S);
    assert!(expired(f.ws.board(now)), "the poll at the timeout finds the session lapsed");
    assert_eq!(f.events_after(seq).iter().map(|e| e.body.kind()).collect::<Vec<_>>(), ["signed_out"]);
}

#[test]
fn the_operators_calls_and_keys_keep_the_session_alive() {
    let mut f = Fixture::new();
    f.at(T0);
    f.ws.login("wang", "wang-pass-1").unwrap();
    let t = f.at(T0 + 10 * MIN);
    let id = f.ws.receive(t, &accident()).unwrap();

    // Each of these is the operator at the desk: 25 minutes apart, never the timeout.
    let mut t = T0 + 10 * MIN;
    type Step = fn(&mut Workstation, DateTime<Utc>, IncidentId) -> Result<(), Error>;
    let steps: [Step; 5] = [
        |ws, _, id| ws.timeline(id).map(drop),
        |ws, now, id| ws.recommend(now, id).map(drop),
        |ws, _, _| ws.still_here(), // a key or click the UI saw that called nothing
        |ws, now, _| ws.set_conditions(now, Conditions::default()).map(drop),
        |ws, now, id| ws.note(now, id, "caller rang back").map(drop),
    ];
    for step in steps {
        t += 25 * MIN;
        let now = f.at(t);
        f.ws.board(now).unwrap();
        step(&mut f.ws, now, id).unwrap();
    }
    assert!(f.ws.sign_in_state().unwrap().session.is_some(), "still signed in after {} minutes", (t - T0) / MIN);

    // A call the role may not make is not activity (it did not happen).
    f.at(t + 20 * MIN);
    assert!(matches!(f.ws.accounts(), Err(Error::Forbidden { .. })));
    let now = f.at(t + IDLE_TIMEOUT_S);
    assert!(expired(f.ws.still_here()), "the session lapsed 30 minutes after the note");
    // still_here does not revive a lapsed session.
    assert!(matches!(f.ws.still_here(), Err(Error::NotSignedIn)));
    assert!(matches!(f.ws.board(now), Err(Error::NotSignedIn)));
}

#[test]
fn a_lapsed_session_ends_as_idle_whoever_ends_it() {
    let mut f = Fixture::new();
    // Someone signs in over a lapsed session: it ended as idle when it lapsed, not replaced.
    f.at(T0 + MIN);
    f.ws.login("wang", "wang-pass-1").unwrap();
    f.at(T0 + 2 * IDLE_TIMEOUT_S);
    f.ws.login("zhao", "zhao-pass-1").unwrap();
    // The operator signs out of a lapsed session (or the UI locks it): idle, when it lapsed.
    f.at(T0 + 4 * IDLE_TIMEOUT_S);
    f.ws.sign_out(SignOutReason::SignedOut, T0 + 4 * IDLE_TIMEOUT_S).unwrap();
    assert_eq!(f.ws.sign_in_state().unwrap().idle_signed_out.as_deref(), Some("zhao"));
    // A live session signed out by the UI's own idle lock says so too.
    f.at(T0 + 5 * IDLE_TIMEOUT_S);
    f.ws.login("wang", "wang-pass-1").unwrap();
    f.at(T0 + 5 * IDLE_TIMEOUT_S + 10 * MIN);
    f.ws.sign_out(SignOutReason::Idle, T0 + 5 * IDLE_TIMEOUT_S + 10 * MIN).unwrap();
    assert_eq!(f.ws.sign_in_state().unwrap().idle_signed_out.as_deref(), Some("wang"));

    f.ws.login("zhao", "zhao-pass-1").unwrap();
    let seen: Vec<(String, Option<SignOutReason>, Option<i64>)> =
        f.ws.desk_sessions(T0 + 1, i64::MAX).unwrap().into_iter().map(|s| (s.username, s.ended, s.signed_out_utc)).collect();
    let idle = Some(SignOutReason::Idle);
    assert_eq!(
        seen,
        [
            ("wang".into(), idle, Some(T0 + MIN + IDLE_TIMEOUT_S)),
            ("zhao".into(), idle, Some(T0 + 3 * IDLE_TIMEOUT_S)),
            ("wang".into(), idle, Some(T0 + 5 * IDLE_TIMEOUT_S + 10 * MIN)),
            ("zhao".into(), None, None),
        ]
    );
}

#[test]
fn the_timeout_is_a_setting() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(AtomicI64::new(T0));
    let mut ws = open(&dir, &clock).with_idle_timeout(5 * MIN);
    ws.create_first_administrator("admin", "admin-pass-1", T0).unwrap();
    assert_eq!(ws.sign_in_state().unwrap().idle_minutes, 5);
    let mut t = T0;
    for _ in 0..3 {
        t += 5 * MIN - 1;
        clock.store(t, Ordering::Relaxed);
        ws.accounts().unwrap();
    }
    clock.store(t + 5 * MIN, Ordering::Relaxed);
    assert!(matches!(ws.accounts(), Err(Error::SessionExpired { minutes: 5, .. })));
}

/// Every refused sign-in journaled since `seq`: (operator, username, reason).
fn failures(f: &Fixture, seq: i64) -> Vec<(String, String, SignInFailure)> {
    f.events_after(seq)
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::SignInFailed { username, reason } => Some((e.operator, username, reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn refused_sign_ins_are_journaled_under_nobody_without_the_password() {
    let mut f = Fixture::new();
    f.at(T0 + MIN);
    f.ws.login("admin", "admin-pass-1").unwrap();
    f.ws.set_account_disabled("zhao", true, T0 + MIN).unwrap();
    f.ws.sign_out(SignOutReason::SignedOut, T0 + MIN).unwrap();
    let seq = f.last_seq();

    let tries = [("ghost", "ghost-secret-9"), ("wang", "wang-typo-pass"), ("zhao", "zhao-pass-1")];
    let mut said = Vec::new();
    for (user, password) in tries {
        let err = f.ws.login(user, password).unwrap_err();
        said.push((err.kind(), err.to_string()));
    }
    // The person at the desk hears the same refusal whichever it was.
    assert!(said.iter().all(|s| *s == said[0]), "{said:?}");
    assert_eq!(said[0], ("invalid_input", "login: unknown user or wrong password".to_string()));
    assert!(f.ws.sign_in_state().unwrap().session.is_none());

    // The journal knows which, under nobody (the name typed is not who typed it).
    let expected =
        [("ghost", SignInFailure::UnknownAccount), ("wang", SignInFailure::WrongPassword), ("zhao", SignInFailure::AccountDisabled)];
    assert_eq!(failures(&f, seq), expected.map(|(u, r)| (NOT_SIGNED_IN.to_string(), u.to_string(), r)));

    // A failure while someone is signed in leaves them signed in.
    f.ws.login("wang", "wang-pass-1").unwrap();
    assert!(f.ws.login("admin", "not-the-admin-pass").is_err());
    assert_eq!(f.ws.sign_in_state().unwrap().session.map(|s| s.username).as_deref(), Some("wang"));

    // No password, right or wrong, is anywhere in the journal file.
    let db = f.db();
    drop(f.ws);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let payloads: Vec<String> =
        conn.prepare("SELECT payload FROM events").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    for password in ["ghost-secret-9", "wang-typo-pass", "zhao-pass-1", "wang-pass-1", "not-the-admin-pass", "admin-pass-1"] {
        assert!(!payloads.iter().any(|p| p.contains(password)), "{password} journaled");
    }
    assert!(verify(&db).unwrap().ok);
}

#[test]
fn five_failures_in_a_row_lock_the_name_for_two_minutes() {
    let mut f = Fixture::new();
    let seq = f.last_seq();
    // Four failures are refused as usual...
    for i in 0..MAX_FAILED_SIGN_INS as i64 - 1 {
        f.at(T0 + MIN + i * MIN);
        assert!(matches!(f.ws.login("wang", "guess-pass"), Err(Error::InvalidInput { .. })));
    }
    // ...the fifth locks the name, journaled with when it opens again.
    let t5 = T0 + 5 * MIN;
    f.at(t5);
    let err = f.ws.login("wang", "guess-pass").unwrap_err();
    assert!(matches!(err, Error::SignInLocked { minutes: 2 }), "{err:?}");
    assert_eq!(serde_json::to_value(&err).unwrap()["minutes"], 2);
    let lock = f.events_after(seq).into_iter().find(|e| matches!(e.body, EventBody::SignInLocked { .. })).expect("journaled");
    assert_eq!(lock.operator, NOT_SIGNED_IN);
    assert_eq!(lock.body, EventBody::SignInLocked { username: "wang".into(), failures: 5, until_utc: t5 + SIGN_IN_LOCK_S });

    // While locked even the right password is refused (and not checked), and the refusal
    // is journaled; a restarted desk keeps the lock (it is read from the journal).
    f.at(t5 + MIN);
    let seq = f.last_seq();
    assert!(matches!(f.ws.login("wang", "wang-pass-1"), Err(Error::SignInLocked { minutes: 1 })));
    drop(f.ws);
    f.ws = open(&f.dir, &f.clock);
    assert!(matches!(f.ws.login("wang", "wang-pass-1"), Err(Error::SignInLocked { minutes: 1 })));
    let locked = (NOT_SIGNED_IN.to_string(), "wang".to_string(), SignInFailure::Locked);
    assert_eq!(failures(&f, seq), [locked.clone(), locked]);
    // Other names are not affected.
    f.ws.login("zhao", "zhao-pass-1").unwrap();
    f.ws.sign_out(SignOutReason::SignedOut, t5 + MIN).unwrap();

    // Two minutes on, the right password signs in.
    f.at(t5 + SIGN_IN_LOCK_S);
    f.ws.login("wang", "wang-pass-1").unwrap();
    f.ws.sign_out(SignOutReason::SignedOut, t5 + SIGN_IN_LOCK_S).unwrap();
    assert!(verify(&f.db()).unwrap().ok);
}

#[test]
fn a_name_no_account_has_locks_alike_so_the_lock_tells_nothing() {
    let mut f = Fixture::new();
    f.at(T0 + MIN);
    let said: Vec<String> = (0..MAX_FAILED_SIGN_INS).map(|_| f.ws.login("ghost", "guess-pass").unwrap_err().to_string()).collect();
    let wang: Vec<String> = (0..MAX_FAILED_SIGN_INS).map(|_| f.ws.login("wang", "guess-pass").unwrap_err().to_string()).collect();
    assert_eq!(said, wang);
    assert!(said.last().unwrap().starts_with("too many failed sign-ins"), "{said:?}");
}

#[test]
fn the_run_of_failures_ends_with_a_sign_in_the_window_or_a_password_reset() {
    let mut f = Fixture::new();
    let fail = |f: &mut Fixture, t: i64| {
        f.at(t);
        f.ws.login("wang", "guess-pass").unwrap_err()
    };
    // Four failures, a successful sign-in, four more: never five in a row.
    for i in 0..4 {
        fail(&mut f, T0 + i * MIN);
    }
    f.at(T0 + 4 * MIN);
    f.ws.login("wang", "wang-pass-1").unwrap();
    f.ws.sign_out(SignOutReason::SignedOut, T0 + 4 * MIN).unwrap();
    for i in 5..9 {
        assert!(matches!(fail(&mut f, T0 + i * MIN), Error::InvalidInput { .. }));
    }
    // Five failures spread over more than fifteen minutes: not in a row within the window.
    let t = T0 + 9 * MIN + 15 * MIN;
    assert!(matches!(fail(&mut f, t), Error::InvalidInput { .. }), "the failures at +5 min have left the window");

    // An administrator's password reset lifts a lock.
    for i in 1..=5 {
        fail(&mut f, t + i * MIN);
    }
    assert!(matches!(f.ws.login("wang", "wang-pass-1"), Err(Error::SignInLocked { .. })));
    f.ws.login("admin", "admin-pass-1").unwrap();
    f.ws.reset_password("wang", "wang-pass-2", t + 6 * MIN).unwrap();
    f.ws.sign_out(SignOutReason::SignedOut, t + 6 * MIN).unwrap();
    f.ws.login("wang", "wang-pass-2").unwrap();
}

#[test]
fn the_supervisor_reviews_refused_sign_ins_and_lock_outs_a_dispatcher_cannot() {
    let mut f = Fixture::new();
    f.at(T0 + MIN);
    let _ = f.ws.login("ghost", "guess-pass");
    for i in 0..MAX_FAILED_SIGN_INS as i64 {
        f.at(T0 + 2 * MIN + i);
        let _ = f.ws.login("wang", "guess-pass");
    }
    let locked_at = T0 + 2 * MIN + MAX_FAILED_SIGN_INS as i64 - 1;
    f.at(T0 + 10 * MIN);
    f.ws.login("zhao", "zhao-pass-1").unwrap();
    let seq = f.last_seq();
    let refused = f.ws.refused_sign_ins(T0, T0 + 60 * MIN).unwrap();
    assert_eq!(refused.len(), 1 + MAX_FAILED_SIGN_INS as usize + 1, "{refused:?}");
    assert_eq!((refused[0].username.as_str(), refused[0].reason), ("ghost", SignInFailure::UnknownAccount));
    assert!(refused[1..=MAX_FAILED_SIGN_INS as usize].iter().all(|r| r.username == "wang" && r.reason == SignInFailure::WrongPassword));
    let lock = refused.last().unwrap();
    assert_eq!(
        (lock.username.as_str(), lock.reason, lock.locked_until_utc),
        ("wang", SignInFailure::Locked, Some(locked_at + SIGN_IN_LOCK_S))
    );
    // The period bounds hold: the ghost alone before the dispatcher's run.
    assert_eq!(f.ws.refused_sign_ins(T0, T0 + 2 * MIN).unwrap().len(), 1);
    assert_eq!(f.last_seq(), seq, "reading writes nothing");
    // A dispatcher may not read them.
    f.ws.sign_out(SignOutReason::SignedOut, T0 + 10 * MIN).unwrap();
    f.at(T0 + 30 * MIN);
    let mut d = open(&f.dir, &f.clock);
    d.login("wang", "wang-pass-1").unwrap();
    assert!(matches!(d.refused_sign_ins(T0, T0 + 60 * MIN), Err(Error::Forbidden { .. })), "a dispatcher read the refusals");
}
