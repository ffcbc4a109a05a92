//! Signing in: the password check, every refusal journaled, and the lock-out after repeated
//! failures.
//!
//! A refused sign-in is journaled as `SignInFailed { username, reason }` under
//! [`NOT_SIGNED_IN`] (nobody was signed in: the name typed is what was tried, not who tried
//! it). The person at the desk hears only "unknown user or wrong password", whichever it
//! was, and an unknown name costs the same password check as a known one.
//!
//! After [`MAX_FAILED_SIGN_INS`] failures in a row with one name within
//! [`FAILED_SIGN_IN_WINDOW_S`], that name is locked for [`SIGN_IN_LOCK_S`] (journaled as
//! `SignInLocked`). Names are counted whether or not an account has them, so being locked
//! says nothing about whether the account exists. A successful sign-in ends the run of
//! failures; an administrator's password reset lifts a lock. The count is read back from
//! the journal, so restarting the desk does not reset it.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;

use super::{hash, Role, Session};
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, JournalStore, NewEvent, ReadModels, SignInFailure, NOT_SIGNED_IN};

/// Failed sign-ins in a row with one name that lock it.
pub const MAX_FAILED_SIGN_INS: u32 = 5;
/// ...counted over this long (seconds).
pub const FAILED_SIGN_IN_WINDOW_S: i64 = 15 * 60;
/// How long a locked name is refused (seconds). Short on purpose: anyone at the desk can
/// lock a dispatcher's name, and a dispatch desk must not be kept from its dispatcher for
/// long at 3 a.m.; five guesses per two minutes against an argon2 hash of 8+ characters is
/// still no way in.
pub const SIGN_IN_LOCK_S: i64 = 2 * 60;
/// The longest name journaled for a refused sign-in (what was typed may be anything).
const MAX_JOURNALED_NAME: usize = 64;

/// Checks the password and returns the operator's session. Every refusal is journaled;
/// the caller hears the same refusal whether the user is unknown, disabled or the password
/// wrong, and [`Error::SignInLocked`] once the name is locked.
pub fn login<S: JournalStore + ReadModels>(journal: &mut S, username: &str, password: &str, at: i64) -> Result<Session, Error> {
    let name: String = username.chars().take(MAX_JOURNALED_NAME).collect();
    let standing = standing(journal, &name, at)?;
    if let Some(until) = standing.locked_until {
        // The password is not even checked while the name is locked.
        journal_refusal(journal, &name, SignInFailure::Locked, None, at)?;
        return Err(locked(until, at));
    }
    let failure = match check(journal, username, password)? {
        Ok(session) => return Ok(session),
        Err(failure) => failure,
    };
    let failures = standing.failures + 1;
    let lock = (failures >= MAX_FAILED_SIGN_INS).then_some((failures, at + SIGN_IN_LOCK_S));
    journal_refusal(journal, &name, failure, lock, at)?;
    match lock {
        Some((_, until)) => Err(locked(until, at)),
        None => Err(Error::invalid("login", "unknown user or wrong password")),
    }
}

/// The session, or why it is refused. Every path runs one argon2 verification, so the time
/// taken does not tell an unknown name from a known one.
fn check(journal: &impl ReadModels, username: &str, password: &str) -> Result<Result<Session, SignInFailure>, Error> {
    let Some((role, phc, disabled)) = journal.account(username)? else {
        verify_nothing(password);
        return Ok(Err(SignInFailure::UnknownAccount));
    };
    let parsed = PasswordHash::new(&phc).map_err(|e| Error::Storage(format!("account {username}: bad password hash: {e}")))?;
    let matches = verify(&parsed, password);
    if disabled {
        return Ok(Err(SignInFailure::AccountDisabled));
    }
    if !matches {
        return Ok(Err(SignInFailure::WrongPassword));
    }
    let role = Role::parse(&role).ok_or_else(|| Error::Storage(format!("account {username}: unknown role '{role}'")))?;
    Ok(Ok(Session { username: username.into(), role }))
}

fn verify(phc: &PasswordHash<'_>, password: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

/// Checks `password` against a hash of no account's password: an unknown name takes as
/// long as a known one.
fn verify_nothing(password: &str) {
    static PHC: OnceLock<String> = OnceLock::new();
    let phc = PHC.get_or_init(|| hash("no account has this password").unwrap_or_default());
    if let Ok(parsed) = PasswordHash::new(phc) {
        verify(&parsed, password);
    }
}

/// Where a name stands: failed sign-ins in a row (within the window) and any lock now.
#[derive(Debug, Default)]
struct Standing {
    failures: u32,
    locked_until: Option<i64>,
}

fn standing(journal: &impl JournalStore, name: &str, at: i64) -> Result<Standing, Error> {
    let mut s = Standing::default();
    for e in journal.sign_in_attempts_since(at - FAILED_SIGN_IN_WINDOW_S.max(SIGN_IN_LOCK_S))? {
        match &e.body {
            EventBody::SignedIn { .. } if e.operator == name => s = Standing::default(),
            EventBody::PasswordReset { username, .. } if username == name => s = Standing::default(),
            EventBody::SignInLocked { username, until_utc, .. } if username == name => {
                s = Standing { failures: 0, locked_until: Some(*until_utc) }
            }
            EventBody::SignInFailed { username, reason }
                if username == name && *reason != SignInFailure::Locked && e.at_utc > at - FAILED_SIGN_IN_WINDOW_S =>
            {
                s.failures += 1
            }
            _ => {}
        }
    }
    s.locked_until = s.locked_until.filter(|&until| until > at);
    Ok(s)
}

fn locked(until: i64, at: i64) -> Error {
    Error::SignInLocked { minutes: (until - at + 59).div_euclid(60).max(1) }
}

/// Journals one refusal, and the lock it brings (failures, until) when it does: both or
/// neither.
fn journal_refusal(
    journal: &mut impl JournalStore,
    name: &str,
    reason: SignInFailure,
    lock: Option<(u32, i64)>,
    at: i64,
) -> Result<(), Error> {
    let event = |body| NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: NOT_SIGNED_IN.to_string(), body };
    let mut events = vec![event(EventBody::SignInFailed { username: name.into(), reason })];
    if let Some((failures, until_utc)) = lock {
        events.push(event(EventBody::SignInLocked { username: name.into(), failures, until_utc }));
    }
    journal.append_batch(&events).map(drop)
}
