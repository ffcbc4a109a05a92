//! Local accounts and roles, enforced in the core.

use tidewatch_core::Error;
use tidewatch_journal::{verify, EventBody, Journal, SignInFailure, NOT_SIGNED_IN};
use tidewatch_workstation::accounts::{create_account, create_first_administrator, login, needs_first_administrator, Action, Role};

#[test]
fn first_start_creates_the_administrator_then_roles_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("j.db");
    let mut j = Journal::open(&db).unwrap();
    assert!(needs_first_administrator(&j).unwrap());
    assert!(create_first_administrator(&mut j, "admin", "short", 1).is_err(), "8 characters at least");
    let admin = create_first_administrator(&mut j, "admin", "correct horse", 1).unwrap();
    assert_eq!(admin.role, Role::Administrator);
    assert!(!needs_first_administrator(&j).unwrap());
    assert!(create_first_administrator(&mut j, "admin2", "correct horse", 2).is_err(), "only once");

    for (user, role) in [("wang", Role::Dispatcher), ("li", Role::PatrolLeader), ("zhao", Role::Supervisor)] {
        create_account(&mut j, &admin, user, role, "s3cret-pass", 3).unwrap();
    }
    let dispatcher = login(&mut j, "wang", "s3cret-pass", 5).unwrap();
    assert_eq!(dispatcher.role, Role::Dispatcher);
    assert_eq!(login(&mut j, "wang", "wrong-pass", 5).unwrap_err().to_string(), "login: unknown user or wrong password");
    assert_eq!(login(&mut j, "nobody", "s3cret-pass", 5).unwrap_err().to_string(), "login: unknown user or wrong password");

    // A dispatcher cannot publish a roster, edit the region, export the journal or add users.
    assert!(dispatcher.authorize(Action::Dispatch).is_ok());
    for action in [Action::PublishRoster, Action::EditRegion, Action::ExportJournal, Action::ManageAccounts, Action::ConfigureBoard] {
        let err = dispatcher.authorize(action).unwrap_err();
        assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    }
    assert!(create_account(&mut j, &dispatcher, "x", Role::Administrator, "s3cret-pass", 4).is_err());
    let leader = login(&mut j, "li", "s3cret-pass", 5).unwrap();
    assert!(leader.authorize(Action::PublishRoster).is_ok() && leader.authorize(Action::ExportJournal).is_err());
    let supervisor = login(&mut j, "zhao", "s3cret-pass", 5).unwrap();
    assert!(supervisor.authorize(Action::ExportJournal).is_ok() && supervisor.authorize(Action::EditRegion).is_err());
    // The board's timer thresholds: supervisors set them, leaders do not.
    assert!(supervisor.authorize(Action::ConfigureBoard).is_ok() && leader.authorize(Action::ConfigureBoard).is_err());

    // Stored hashed, and every creation journaled with who made it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let phc: String = conn.query_row("SELECT password FROM accounts WHERE username = 'wang'", [], |r| r.get(0)).unwrap();
    assert!(phc.starts_with("$argon2id$") && !phc.contains("s3cret"));
    let events = j.events_between(1, 100).unwrap();
    assert_eq!(events.iter().filter(|e| matches!(e.body, EventBody::AccountCreated { .. })).count(), 4);
    assert!(events.iter().filter(|e| matches!(e.body, EventBody::AccountCreated { .. })).all(|e| e.operator == "admin"));
    // The two refused sign-ins are journaled under nobody, with why (never the password).
    let failed: Vec<(&str, &str, SignInFailure)> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SignInFailed { username, reason } => Some((e.operator.as_str(), username.as_str(), *reason)),
            _ => None,
        })
        .collect();
    assert_eq!(failed, [(NOT_SIGNED_IN, "wang", SignInFailure::WrongPassword), (NOT_SIGNED_IN, "nobody", SignInFailure::UnknownAccount)]);
    assert!(verify(&db).unwrap().ok);
}
