//! One desk as a signed-in operator uses it. Every call checks the operator's role here,
//! in the core, before it reaches the desk, the reports or the roster: the UI hides what a
//! role cannot do, but this is where it is refused. Every action is journaled under the
//! signed-in username.
//!
//! The Tauri shell keeps one `Workstation` behind a mutex and delegates each command to one
//! method. Each screen's methods live in their own file (`dispatcher.rs`, ...) as further
//! `impl Workstation` blocks.

mod administrator;
mod dispatcher;
pub mod leader;
mod publish;
mod region_edit;
mod sessions;
mod supervisor;

pub use dispatcher::{ConditionsView, PreviewQuery, ReassignOption, PREVIEW_RANGE_DAYS};
pub use region_edit::{FerryRouteTimetables, RegionEditorView, RegionSave};
pub use supervisor::{ExportedFile, ReportFormat, ReportQuery};

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::accounts::{self, Action, Role, Session};
use crate::dispatch::Desk;
use crate::region::Region;
use crate::route::Conditions;
use crate::Error;

pub struct Workstation {
    desk: Desk,
    session: Option<Session>,
    /// The conditions the dispatcher has set (wind, visibility, closures); every
    /// recommendation uses them.
    conditions: Conditions,
    /// The leader's running plan and this session's rosters.
    leader: leader::LeaderDesk,
    /// Where region edits are saved (the desk's editable copy of the pack, in the app-data
    /// directory); `None`: this desk cannot edit its region.
    region_copy: Option<PathBuf>,
}

/// What the UI needs before anything else: who is signed in, or whether the first
/// administrator must be created.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SignIn {
    pub needs_first_administrator: bool,
    pub session: Option<Session>,
}

impl Workstation {
    pub fn open(region: Region, db: &Path) -> Result<Workstation, Error> {
        Ok(Workstation::new(Desk::open(region, db)?))
    }

    pub fn new(desk: Desk) -> Workstation {
        let conditions = dispatcher::restored_conditions(&desk);
        Workstation { desk, session: None, conditions, leader: leader::LeaderDesk::default(), region_copy: None }
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    pub fn region(&self) -> &Region {
        &self.desk.region
    }

    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// The signed-in operator when they may do `action`; a clear refusal otherwise.
    pub fn authorized(&self, action: Action) -> Result<&Session, Error> {
        let session = self.session.as_ref().ok_or(Error::NotSignedIn)?;
        session.authorize(action)?;
        Ok(session)
    }

    /// The signed-in operator's username, when they may do `action`.
    fn operator(&self, action: Action) -> Result<String, Error> {
        self.authorized(action).map(|s| s.username.clone())
    }

    pub fn sign_in_state(&self) -> Result<SignIn, Error> {
        Ok(SignIn { needs_first_administrator: accounts::needs_first_administrator(self.desk.journal())?, session: self.session.clone() })
    }

    /// First start: creates the administrator and signs them in.
    pub fn create_first_administrator(&mut self, username: &str, password: &str, at: i64) -> Result<Session, Error> {
        let session = accounts::create_first_administrator(self.desk.journal_mut(), username, password, at)?;
        self.begin_session(session.clone(), at)?;
        Ok(session)
    }

    /// Signs in (journaled as `SignedIn` under the operator); a wrong password changes nothing.
    pub fn login(&mut self, username: &str, password: &str) -> Result<Session, Error> {
        let session = accounts::login(self.desk.journal(), username, password)?;
        self.begin_session(session.clone(), chrono::Utc::now().timestamp())?;
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
