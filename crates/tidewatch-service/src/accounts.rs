//! The first administrator and account administration over the service, through the
//! workstation's own account functions, so each change is checked and journaled exactly as
//! on a desk (`AccountCreated`, `AccountDisabled`, ... under the administrator).
//!
//! The first administrator may be made without a session, only while there is no account.
//! Two such requests at once, on one process or two, make exactly one: the second waits
//! for a PostgreSQL advisory lock and then finds the account there (409).

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::Error;
use tidewatch_journal::AccountRow;
use tidewatch_workstation::accounts::{self, Role, Session};

use crate::error::ApiError;
use crate::{body, sessions, Service, SignedIn, MAX_PASSWORD, MAX_USERNAME};

/// What a desk shows before anyone signs in.
#[derive(Debug, Clone, Serialize)]
pub struct SignInState {
    pub needs_first_administrator: bool,
}

/// `{username, password}`: the first administrator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstAdministratorBody {
    pub username: String,
    pub password: String,
}

/// `{username, password, role}`: a new account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccountBody {
    pub username: String,
    pub password: String,
    pub role: Role,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisabledBody {
    pub disabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    pub password: String,
}

/// A name and password within the service's limits (the accounts' own rules come after).
pub fn name_and_password(username: &str, password: &str) -> Result<(), ApiError> {
    body::at_most("username", username, MAX_USERNAME)?;
    body::at_most("password", password, MAX_PASSWORD)?;
    body::printable("username", username)
}

fn exists_already() -> ApiError {
    let refusal = ApiError::from(Error::invalid("username", "the administrator exists already; sign in"));
    ApiError { status: StatusCode::CONFLICT, ..refusal }
}

/// The lock two first-administrator requests queue on (any process on the database).
const FIRST_ADMINISTRATOR_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.first_administrator', 0))";

impl Service {
    pub async fn sign_in_state(&self) -> Result<SignInState, ApiError> {
        let needs = self.journals.with(|w| accounts::needs_first_administrator(w.desk().journal())).await?;
        Ok(SignInState { needs_first_administrator: needs })
    }

    /// Makes the first administrator and signs them in at the centre; refused 409 once any
    /// account exists.
    pub async fn first_administrator(&self, ask: FirstAdministratorBody) -> Result<SignedIn, ApiError> {
        let session = self.make_first_administrator(ask).await?;
        self.open_session(session, Seat::Centre, self.clock.now()).await
    }

    /// Makes the first administrator (journaled `AccountCreated`), without a session: the
    /// route above, and the first-run step of an installed service (`tidewatch
    /// first-administrator`). Refused 409 once any account exists.
    pub async fn make_first_administrator(&self, ask: FirstAdministratorBody) -> Result<Session, ApiError> {
        name_and_password(&ask.username, &ask.password)?;
        if !self.sign_in_state().await?.needs_first_administrator {
            return Err(exists_already());
        }
        let mut lock = self.db.begin().await?;
        sqlx::query(FIRST_ADMINISTRATOR_LOCK).execute(&mut *lock).await?;
        let now = self.clock.now();
        let made = self
            .journals
            .with(move |w| {
                if !accounts::needs_first_administrator(w.desk().journal())? {
                    return Ok(None);
                }
                w.create_first_administrator(&ask.username, &ask.password, now).map(Some)
            })
            .await;
        lock.commit().await?;
        made?.ok_or_else(exists_already)
    }

    /// Administrator only: every account.
    pub async fn accounts(&self, operator: &Session) -> Result<Vec<AccountRow>, ApiError> {
        Ok(self.journals.acting(operator, |w| w.accounts()).await?)
    }

    /// Administrator only: a new account (journaled `AccountCreated` under the operator).
    pub async fn create_account(&self, operator: &Session, ask: NewAccountBody) -> Result<(), ApiError> {
        name_and_password(&ask.username, &ask.password)?;
        let now = self.clock.now();
        Ok(self.journals.acting(operator, move |w| w.create_account(&ask.username, ask.role, &ask.password, now)).await?)
    }

    /// Administrator only: disables (or enables) an account; a disabled account's sessions
    /// end at once on every process.
    pub async fn set_account_disabled(&self, operator: &Session, username: String, disabled: bool) -> Result<(), ApiError> {
        body::at_most("username", &username, MAX_USERNAME)?;
        let now = self.clock.now();
        let name = username.clone();
        self.journals.acting(operator, move |w| w.set_account_disabled(&name, disabled, now)).await?;
        if disabled {
            sessions::revoke_all_of(&self.db, &username, now).await?;
        }
        Ok(())
    }

    /// Administrator only: a new password for a forgotten one.
    pub async fn reset_password(&self, operator: &Session, username: String, password: String) -> Result<(), ApiError> {
        name_and_password(&username, &password)?;
        let now = self.clock.now();
        Ok(self.journals.acting(operator, move |w| w.reset_password(&username, &password, now)).await?)
    }
}

/// The first administrator from the command line, on the service's database (migrations
/// first, as `serve` does on start): the first-run step of an installed service.
pub fn command_line_first_administrator(config: &crate::Config, ask: FirstAdministratorBody) -> Result<String, ApiError> {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(Error::from)?;
    let service = rt.block_on(Service::connect(config))?;
    let made = rt.block_on(service.make_first_administrator(ask)).map(|s| s.username);
    // The journal's handles close on this thread, not on the runtime's workers.
    drop(rt);
    drop(service);
    made
}
