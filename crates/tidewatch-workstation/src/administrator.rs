//! The administrator's accounts screen: who may sign in at this desk, with which role.
//! Every change is journaled under the administrator who made it.

use super::Workstation;
use crate::accounts::{self, Action};
use crate::desk::DeskStore;
use tidewatch_core::Error;
use tidewatch_journal::{AccountRow, Ack, EventBody, NewEvent};

impl<S: DeskStore> Workstation<S> {
    /// Administrator only: every local account (username, role, created, disabled).
    pub fn accounts(&mut self) -> Result<Vec<AccountRow>, Error> {
        self.authorized(Action::ManageAccounts)?;
        self.desk.journal().accounts()
    }

    /// Administrator only: a disabled account cannot sign in (not one's own account).
    pub fn set_account_disabled(&mut self, username: &str, disabled: bool, at: i64) -> Result<(), Error> {
        let by = self.authorized(Action::ManageAccounts)?.clone();
        accounts::set_disabled(self.desk.journal_mut(), &by, username, disabled, at)
    }

    /// Administrator only: a new password for a forgotten one.
    pub fn reset_password(&mut self, username: &str, password: &str, at: i64) -> Result<(), Error> {
        let by = self.authorized(Action::ManageAccounts)?.clone();
        accounts::reset_password(self.desk.journal_mut(), &by, username, password, at)
    }

    /// Administrator only: journals a field device's registration or revocation (the
    /// device table itself is the service's; the journal keeps who did it, when).
    pub fn journal_device(&mut self, body: EventBody, at: i64) -> Result<Ack, Error> {
        if !matches!(body, EventBody::DeviceRegistered { .. } | EventBody::DeviceRevoked { .. }) {
            return Err(Error::invalid("event", "only a device's registration or revocation"));
        }
        let operator = self.operator(Action::ManageAccounts)?;
        self.desk.journal_mut().append(&NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator, body })
    }
}
