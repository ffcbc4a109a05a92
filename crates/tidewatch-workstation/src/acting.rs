//! A workstation that serves operators who signed in elsewhere: the command-centre service
//! checks a request's bearer token (and its own idle timeout), then runs the request's one
//! call here as that operator. The role checks stay where they are
//! ([`Workstation::authorized`]); only the sign-in, and its journal entry, happened
//! elsewhere.
//!
//! Such a workstation shares its journal with other processes, which may set the
//! conditions or the board's thresholds, or publish a roster, at any time:
//! [`Workstation::reload_settings`] re-reads them before a request (cheaply: only when the
//! journal's head has moved, and the rosters only when a newer one was published).

use super::Workstation;
use crate::accounts::Session;
use crate::desk::DeskStore;
use tidewatch_core::Error;

impl<S: DeskStore> Workstation<S> {
    /// Acts as `session` from `now` on (the desk's clock), without journaling a sign-in:
    /// the caller authenticated the operator and journaled the sign-in itself. Replaces
    /// whoever the workstation acted for, unjournaled too; [`Workstation::logout`] ends it.
    pub fn act_as(&mut self, session: Session, now: i64) {
        self.session = Some(session);
        self.last_activity = now;
        self.idle_signed_out = None;
    }

    /// Reads the conditions and board thresholds last journaled (by any desk or process)
    /// when the journal's head moved since the last reload, and the published rosters when
    /// one was published since (dispatch follows who is on duty); true when it read them.
    pub fn reload_settings(&mut self) -> Result<bool, Error> {
        let head = self.desk.journal().head()?.map(|h| h.seq);
        if self.settings_seq.is_some() && self.settings_seq == head {
            return Ok(false);
        }
        self.conditions = self.desk.journaled_conditions()?.map(|(c, _)| c).unwrap_or_default();
        self.thresholds = self.desk.journaled_board_thresholds()?.map(|(t, _)| t).unwrap_or_default();
        self.desk.follow_published_rosters()?;
        self.settings_seq = head;
        Ok(true)
    }
}
