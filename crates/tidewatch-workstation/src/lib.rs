//! One desk as a signed-in operator uses it: the authorisation facade over the desk
//! (`desk/`: every dispatcher action checked and journaled), the accounts, the reports and
//! the roster. Every call checks the operator's role here, before it reaches the desk, the reports or the roster: the UI hides what a
//! role cannot do, but this is where it is refused. Every action is journaled under the
//! signed-in username. The core also ends a session nobody uses: after
//! [`IDLE_TIMEOUT_S`] without an action it signs the operator out and refuses the call
//! (`sessions.rs`).
//!
//! The Tauri shell keeps one `Workstation` behind a mutex and delegates each command to one
//! method. Each screen's methods live in their own file (`dispatcher.rs`, ...) as further
//! `impl Workstation` blocks.

pub mod accounts;
pub mod demo;
pub mod desk;

mod acting;
mod administrator;
pub mod crew;
mod desk_api;
mod dispatcher;
pub mod leader;
mod live;
pub mod map_fixes;
mod publish;
mod region_edit;
mod sessions;
mod supervisor;
pub mod tips;

pub use desk::{ReassignOption, PREVIEW_RANGE_DAYS};
pub use desk_api::DeskApi;
pub use dispatcher::{BoardThresholdsView, ConditionsView, PreviewQuery};
pub use map_fixes::{MapFix, Track, TrackIncident, TrackPoint};
pub use region_edit::{FerryRouteTimetables, RegionEditorView, RegionSave, StagedEdit};
pub use sessions::IDLE_TIMEOUT_S;
pub use supervisor::{ExportBytes, ExportedFile, ReportFormat, ReportQuery};
pub use tidewatch_report::Dashboard;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::accounts::{Action, Role, Session};
use crate::desk::{Desk, DeskStore};
use tidewatch_core::dispatch::Thresholds;
use tidewatch_core::region::Region;
use tidewatch_core::route::Conditions;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::Journal;

/// Generic over the desk's store like [`Desk`]: `Workstation` alone is the SQLite desk; the
/// reports and the roster, which read SQLite's own tables directly, are on
/// `Workstation<Journal>` only.
pub struct Workstation<S = Journal> {
    desk: Desk<S>,
    session: Option<Session>,
    /// When the operator last acted (the desk's clock); see `sessions.rs`.
    last_activity: i64,
    /// How long the operator may do nothing before the core signs them out (seconds).
    idle_timeout_s: i64,
    /// Who the desk last signed out for being idle, until the next sign-in.
    idle_signed_out: Option<String>,
    /// The conditions the dispatcher has set (wind, visibility, closures); every
    /// recommendation uses them.
    conditions: Conditions,
    /// The thresholds the board turns amber and red by (set by supervisors, journaled).
    thresholds: Thresholds,
    /// The leader's running plan and this session's rosters.
    leader: leader::LeaderDesk,
    /// Where region edits are saved (the desk's editable copy of the pack, in the app-data
    /// directory); `None`: this desk cannot edit its region.
    region_copy: Option<PathBuf>,
    /// The journal's head seq when the conditions and thresholds were last read from it
    /// (`acting.rs`); None: never reloaded.
    settings_seq: Option<i64>,
}

/// What the UI needs before anything else: who is signed in, or whether the first
/// administrator must be created.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct SignIn {
    pub needs_first_administrator: bool,
    pub session: Option<Session>,
    /// The operator the desk last signed out for doing nothing, until someone signs in (the
    /// sign-in screen says so, and offers the name again).
    pub idle_signed_out: Option<String>,
    /// How long an operator may do nothing before the desk signs them out, in minutes.
    pub idle_minutes: u32,
    /// The command-centre service this desk is a seat on; none for a desk on its own journal.
    pub service: Option<ServiceSeat>,
}

/// A desk's seat on the command-centre service, as the sign-in screen and header show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ServiceSeat {
    /// The service's address (`https://host:port`).
    pub url: String,
    /// `centre`, `traffic` or `station:<place id>`: the one signed in at, else the one asked for.
    pub seat: String,
}

impl Workstation<Journal> {
    /// The workstation on `region`'s journal at `db`, telling the time by `clock`.
    pub fn open(region: Region, db: &Path, clock: Clock) -> Result<Workstation, Error> {
        Ok(Workstation::new(Desk::open(region, db, clock)?))
    }
}

impl<S: DeskStore> Workstation<S> {
    /// The workstation over `desk`, on the desk's clock.
    pub fn new(desk: Desk<S>) -> Workstation<S> {
        let conditions = dispatcher::restored_conditions(&desk);
        let thresholds = dispatcher::restored_thresholds(&desk);
        Workstation {
            desk,
            session: None,
            last_activity: 0,
            idle_timeout_s: IDLE_TIMEOUT_S,
            idle_signed_out: None,
            conditions,
            thresholds,
            leader: leader::LeaderDesk::default(),
            region_copy: None,
            settings_seq: None,
        }
    }

    pub fn desk(&self) -> &Desk<S> {
        &self.desk
    }

    pub fn region(&self) -> &Region {
        &self.desk.region
    }

    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// Who is signed in (after signing out one who has been idle too long), or whether the
    /// first administrator must be created.
    pub fn sign_in_state(&mut self) -> Result<SignIn, Error> {
        self.lapse_if_idle()?;
        Ok(SignIn {
            needs_first_administrator: accounts::needs_first_administrator(self.desk.journal())?,
            session: self.session.clone(),
            idle_signed_out: self.idle_signed_out.clone(),
            idle_minutes: u32::try_from(self.idle_minutes()).unwrap_or(u32::MAX),
            service: None,
        })
    }

    /// First start: creates the administrator and signs them in.
    pub fn create_first_administrator(&mut self, username: &str, password: &str, at: i64) -> Result<Session, Error> {
        let session = accounts::create_first_administrator(self.desk.journal_mut(), username, password, at)?;
        self.begin_session(session.clone(), at)?;
        Ok(session)
    }

    /// Signs in (journaled as `SignedIn` under the operator, at the desk's clock). A refusal
    /// is journaled as `SignInFailed` under no operator and leaves whoever is signed in
    /// signed in; repeated failures lock the name (see `accounts`).
    pub fn login(&mut self, username: &str, password: &str) -> Result<Session, Error> {
        let at = self.desk.now();
        let session = accounts::login(self.desk.journal_mut(), username, password, at)?;
        self.begin_session(session.clone(), at)?;
        Ok(session)
    }

    /// Ends the session without a journal entry (tests and tools); the desk itself signs
    /// out with [`Workstation::sign_out`], which journals it.
    pub fn logout(&mut self) {
        self.session = None;
    }

    /// Administrator only: a new local account.
    pub fn create_account(&mut self, username: &str, role: Role, password: &str, at: i64) -> Result<(), Error> {
        let by = self.authorized(Action::ManageAccounts)?.clone();
        accounts::create_account(self.desk.journal_mut(), &by, username, role, password, at)
    }
}
