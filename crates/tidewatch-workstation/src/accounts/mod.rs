//! Local accounts and roles, enforced here in the core (not only by hiding buttons): a
//! dispatcher cannot publish a roster or edit the region; only a supervisor exports the
//! journal. Passwords are stored as argon2id PHC strings. The first start creates the
//! administrator; every account change is journaled with who made it, and every refused
//! sign-in too (`sign_in.rs`, with the lock-out after repeated failures).

mod sign_in;

pub use sign_in::{login, FAILED_SIGN_IN_WINDOW_S, MAX_FAILED_SIGN_INS, SIGN_IN_LOCK_S};

use std::collections::HashMap;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use tidewatch_core::Error;
use tidewatch_journal::{
    password_digest, AccountChange, AccountRow, AccountStore, Event, EventBody, NewEvent, ReadModels, SignInFailure, SignOutReason,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Dispatcher,
    PatrolLeader,
    Supervisor,
    Administrator,
    /// A unit's crew on the crew's page: acts only for the unit it signed in for (the
    /// service keeps the unit with the session) and never dispatches.
    Crew,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Dispatcher => "dispatcher",
            Role::PatrolLeader => "patrol_leader",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
            Role::Crew => "crew",
        }
    }
}

/// What an operator may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Intake, recommend, dispatch, status changes, notes.
    Dispatch,
    /// Joint-work records and citizen tips.
    RecordJointWork,
    ViewReports,
    /// Corrections of recorded facts.
    Correct,
    PlanRoster,
    PublishRoster,
    /// A patrol plan (checkpoints, raids, visit lists, standby) to the desk (issue #18).
    PublishPatrolPlan,
    EditRegion,
    ExportJournal,
    ManageAccounts,
    /// The status board's amber and red thresholds.
    ConfigureBoard,
    /// A crew's own actions for its unit (acknowledge, en route, ..., its status).
    Crew,
}

impl Action {
    fn allowed(self, role: Role) -> bool {
        use Action::*;
        use Role::*;
        match self {
            Dispatch | RecordJointWork => matches!(role, Dispatcher | PatrolLeader | Supervisor),
            ViewReports => matches!(role, PatrolLeader | Supervisor | Administrator),
            Correct | ExportJournal => role == Supervisor,
            PlanRoster | PublishRoster | PublishPatrolPlan => role == PatrolLeader,
            EditRegion | ManageAccounts => role == Administrator,
            ConfigureBoard => matches!(role, Supervisor | Administrator),
            Action::Crew => role == Role::Crew,
        }
    }
}

/// A logged-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Session {
    pub username: String,
    pub role: Role,
}

impl Session {
    /// Ok when this operator's role may do `action`; otherwise a clear refusal.
    pub fn authorize(&self, action: Action) -> Result<(), Error> {
        if action.allowed(self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                user: self.username.clone(),
                role: self.role.name().to_string(),
                action: serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            })
        }
    }
}

fn hash(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Storage(format!("password hashing: {e}")))
}

fn check_new(username: &str, password: &str) -> Result<(), Error> {
    if username.is_empty() || !username.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)) {
        return Err(Error::invalid("username", "use letters, digits, '.', '_' or '-'"));
    }
    if password.chars().count() < 8 {
        return Err(Error::invalid("password", "at least 8 characters"));
    }
    Ok(())
}

/// No account yet: the desk must ask for the administrator first.
pub fn needs_first_administrator(journal: &impl ReadModels) -> Result<bool, Error> {
    Ok(journal.account_count()? == 0)
}

/// First start: creates the administrator. Refused once any account exists.
pub fn create_first_administrator<S: AccountStore + ReadModels>(
    journal: &mut S,
    username: &str,
    password: &str,
    at: i64,
) -> Result<Session, Error> {
    if !needs_first_administrator(journal)? {
        return Err(Error::invalid("username", "the administrator exists already; log in"));
    }
    check_new(username, password)?;
    add(journal, username, Role::Administrator, password, username, at)?;
    Ok(Session { username: username.into(), role: Role::Administrator })
}

pub fn create_account<S: AccountStore + ReadModels>(
    journal: &mut S,
    by: &Session,
    username: &str,
    role: Role,
    password: &str,
    at: i64,
) -> Result<(), Error> {
    by.authorize(Action::ManageAccounts)?;
    check_new(username, password)?;
    if journal.account(username)?.is_some() {
        return Err(Error::invalid("username", format!("'{username}' exists already")));
    }
    add(journal, username, role, password, &by.username, at)
}

/// The account and its `AccountCreated` (journaled under `by`), both or neither.
fn add(journal: &mut impl AccountStore, username: &str, role: Role, password: &str, by: &str, at: i64) -> Result<(), Error> {
    let phc = hash(password)?;
    let password_sha256 = Some(password_digest(&phc));
    let body = EventBody::AccountCreated { username: username.into(), role: role.name().into(), password_sha256 };
    let event = NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: by.to_string(), body };
    journal.add_account(username, role.name(), &phc, &event).map(drop)
}

/// An account change and its journal event (under `by`) in one transaction: both are
/// written or neither.
fn journaled<S: AccountStore>(
    journal: &mut S,
    by: &Session,
    at: i64,
    username: &str,
    change: AccountChange<'_>,
    body: EventBody,
) -> Result<(), Error> {
    let event = NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: by.username.clone(), body };
    journal.update_account(username, change, &event).map(drop)
}

fn existing(journal: &impl ReadModels, username: &str) -> Result<AccountRow, Error> {
    journal.accounts()?.into_iter().find(|a| a.username == username).ok_or_else(|| Error::unknown("account", username))
}

/// Administrator only: a disabled account cannot sign in; enabling it restores it. An
/// administrator cannot disable their own account (the desk would lose its administrator).
pub fn set_disabled<S: AccountStore + ReadModels>(
    journal: &mut S,
    by: &Session,
    username: &str,
    disabled: bool,
    at: i64,
) -> Result<(), Error> {
    by.authorize(Action::ManageAccounts)?;
    let account = existing(journal, username)?;
    if disabled && account.username == by.username {
        return Err(Error::invalid("username", "you cannot disable your own account"));
    }
    if account.disabled == disabled {
        return Ok(());
    }
    let body = if disabled {
        EventBody::AccountDisabled { username: username.into() }
    } else {
        EventBody::AccountEnabled { username: username.into() }
    };
    journaled(journal, by, at, username, AccountChange::Disabled(disabled), body)
}

/// Administrator only: sets a new password (a forgotten one cannot be recovered).
pub fn reset_password<S: AccountStore + ReadModels>(
    journal: &mut S,
    by: &Session,
    username: &str,
    password: &str,
    at: i64,
) -> Result<(), Error> {
    by.authorize(Action::ManageAccounts)?;
    existing(journal, username)?;
    check_new(username, password)?;
    let phc = hash(password)?;
    let body = EventBody::PasswordReset { username: username.into(), password_sha256: Some(password_digest(&phc)) };
    journaled(journal, by, at, username, AccountChange::Password(&phc), body)
}

/// One operator's time at the desk, from the journal's sign-in and sign-out events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct DeskSession {
    pub username: String,
    pub role: String,
    pub signed_in_utc: i64,
    /// None while still signed in, or when the desk stopped without a sign-out.
    pub signed_out_utc: Option<i64>,
    pub ended: Option<SignOutReason>,
}

/// A sign-in the desk refused, or a name it locked, for the supervisor's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RefusedSignIn {
    pub at_utc: i64,
    /// The name as typed (it may name no account).
    pub username: String,
    /// Why it was refused; a lock-out is `locked` with `locked_until_utc`.
    pub reason: SignInFailure,
    /// Set on the lock-out itself: the name is refused until then.
    pub locked_until_utc: Option<i64>,
}

/// The refusals and lock-outs among `events`, in order.
pub fn refused_sign_ins(events: &[Event]) -> Vec<RefusedSignIn> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::SignInFailed { username, reason } => {
                Some(RefusedSignIn { at_utc: e.at_utc, username: username.clone(), reason: *reason, locked_until_utc: None })
            }
            EventBody::SignInLocked { username, until_utc, .. } => Some(RefusedSignIn {
                at_utc: e.at_utc,
                username: username.clone(),
                reason: SignInFailure::Locked,
                locked_until_utc: Some(*until_utc),
            }),
            _ => None,
        })
        .collect()
}

/// Pairs sign-ins with sign-outs, oldest first. A sign-out ends the session its operator
/// opened last: on one desk that is the one open before it, on the command-centre service
/// (several seats signing in and out between each other) the same person's. A second
/// sign-in of one person while a session is open means a desk stopped without a sign-out
/// (or, on the service, the person sat at two seats): the earlier one stays without an end.
pub fn desk_sessions(events: &[Event]) -> Vec<DeskSession> {
    let mut out: Vec<DeskSession> = Vec::new();
    let mut open: HashMap<&str, usize> = HashMap::new();
    for e in events {
        match &e.body {
            EventBody::SignedIn { role } => {
                out.push(DeskSession {
                    username: e.operator.clone(),
                    role: role.clone(),
                    signed_in_utc: e.at_utc,
                    signed_out_utc: None,
                    ended: None,
                });
                open.insert(&e.operator, out.len() - 1);
            }
            EventBody::SignedOut { reason } => {
                if let Some(i) = open.remove(e.operator.as_str()) {
                    out[i].signed_out_utc = Some(e.at_utc);
                    out[i].ended = Some(*reason);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, operator: &str, body: EventBody) -> Event {
        Event { seq, incident_id: None, at_utc: 1000 + seq, recorded_utc: 1000 + seq, operator: operator.into(), body, hash: [0; 32] }
    }

    #[test]
    fn seats_signing_in_and_out_between_each_other_keep_their_own_sessions() {
        let signed_in = || EventBody::SignedIn { role: "dispatcher".into() };
        let signed_out = || EventBody::SignedOut { reason: SignOutReason::SignedOut };
        let events = [
            event(1, "ann", signed_in()),
            event(2, "bob", signed_in()),
            event(3, "ann", signed_out()),
            event(4, "ann", signed_in()),
            event(5, "ann", signed_in()),
            event(6, "bob", signed_out()),
        ];
        let sessions = desk_sessions(&events);
        let ended: Vec<(&str, i64, Option<i64>)> =
            sessions.iter().map(|s| (s.username.as_str(), s.signed_in_utc, s.signed_out_utc)).collect();
        assert_eq!(
            ended,
            [("ann", 1001, Some(1003)), ("bob", 1002, Some(1006)), ("ann", 1004, None), ("ann", 1005, None)],
            "bob's sign-out ends bob's session, not the one opened last; ann's second sign-in leaves the first open"
        );
    }
}
