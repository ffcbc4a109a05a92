//! The administrator's accounts screen: who may sign in at this desk, with which role.

use super::Workstation;
use crate::accounts::Action;
use crate::store::AccountRow;
use crate::Error;

impl Workstation {
    /// Administrator only: every local account (username, role, created, disabled).
    pub fn accounts(&self) -> Result<Vec<AccountRow>, Error> {
        self.authorized(Action::ManageAccounts)?;
        self.desk.journal().accounts()
    }
}
