//! Local accounts and roles, enforced here in the core (not only by hiding buttons): a
//! dispatcher cannot publish a roster or edit the region; only a supervisor exports the
//! journal. Passwords are stored as argon2id PHC strings. The first start creates the
//! administrator; every account change is journaled with who made it.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use crate::store::{EventBody, Journal};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Dispatcher,
    PatrolLeader,
    Supervisor,
    Administrator,
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
    EditRegion,
    ExportJournal,
    ManageAccounts,
}

impl Action {
    fn allowed(self, role: Role) -> bool {
        use Action::*;
        use Role::*;
        match self {
            Dispatch | RecordJointWork => matches!(role, Dispatcher | PatrolLeader | Supervisor),
            ViewReports => matches!(role, PatrolLeader | Supervisor | Administrator),
            Correct | ExportJournal => role == Supervisor,
            PlanRoster | PublishRoster => role == PatrolLeader,
            EditRegion | ManageAccounts => role == Administrator,
        }
    }
}

/// A logged-in operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
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
pub fn needs_first_administrator(journal: &Journal) -> Result<bool, Error> {
    Ok(journal.account_count()? == 0)
}

/// First start: creates the administrator. Refused once any account exists.
pub fn create_first_administrator(journal: &mut Journal, username: &str, password: &str, at: i64) -> Result<Session, Error> {
    if !needs_first_administrator(journal)? {
        return Err(Error::invalid("username", "the administrator exists already; log in"));
    }
    check_new(username, password)?;
    journal.insert_account(username, Role::Administrator, &hash(password)?, at)?;
    journal.append(
        None,
        at,
        at,
        username,
        &EventBody::AccountCreated { username: username.into(), role: Role::Administrator.name().into() },
    )?;
    Ok(Session { username: username.into(), role: Role::Administrator })
}

pub fn create_account(journal: &mut Journal, by: &Session, username: &str, role: Role, password: &str, at: i64) -> Result<(), Error> {
    by.authorize(Action::ManageAccounts)?;
    check_new(username, password)?;
    if journal.account(username)?.is_some() {
        return Err(Error::invalid("username", format!("'{username}' exists already")));
    }
    journal.insert_account(username, role, &hash(password)?, at)?;
    journal.append(None, at, at, &by.username, &EventBody::AccountCreated { username: username.into(), role: role.name().into() })?;
    Ok(())
}

/// Checks the password; the same refusal whether the user or the password is wrong.
pub fn login(journal: &Journal, username: &str, password: &str) -> Result<Session, Error> {
    let refused = || Error::invalid("login", "unknown user or wrong password");
    let (role, phc) = journal.account(username)?.ok_or_else(refused)?;
    let parsed = PasswordHash::new(&phc).map_err(|e| Error::Storage(format!("account {username}: bad password hash: {e}")))?;
    Argon2::default().verify_password(password.as_bytes(), &parsed).map_err(|_| refused())?;
    let role = Role::parse(&role).ok_or_else(|| Error::Storage(format!("account {username}: unknown role '{role}'")))?;
    Ok(Session { username: username.into(), role })
}
