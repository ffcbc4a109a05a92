//! Citizens' tips (随手拍) worked on at the command-centre service: the journal's side.
//! The service keeps the tips themselves (photo, phone number, state) in its own tables;
//! what is journaled is the tip as received, and every step a dispatcher takes with it.
//!
//! A tip from the public page comes with nobody signed in: it is journaled under
//! [`CITIZEN`], not a possible username, as failed sign-ins are under `NOT_SIGNED_IN`.

use super::Workstation;
use crate::accounts::Action;
use crate::desk::DeskStore;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventBody, NewEvent};

/// The operator column of a tip received from the public page (usernames have no brackets).
pub const CITIZEN: &str = "(citizen)";

impl<S: DeskStore> Workstation<S> {
    /// Journals a tip from the public page (`tip_received` with its record), under
    /// [`CITIZEN`]; needs no session. Anything else is refused.
    pub fn journal_citizen_tip(&mut self, body: EventBody, at: i64) -> Result<Ack, Error> {
        if !matches!(&body, EventBody::TipReceived { tip: Some(_), synthetic: false, .. }) {
            return Err(Error::invalid("event", "only a tip received from the public page"));
        }
        self.desk.journal_mut().append(&NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: CITIZEN.into(), body })
    }

    /// Journals a dispatcher's step with a tip (made an incident, passed on, closed with
    /// the public reply) under the operator; needs the dispatch role.
    pub fn journal_tip_step(&mut self, body: EventBody, at: i64) -> Result<Ack, Error> {
        if !matches!(body, EventBody::TipToIncident { .. } | EventBody::TipPassedOn { .. } | EventBody::TipClosed { .. }) {
            return Err(Error::invalid("event", "only a step with a tip"));
        }
        let operator = self.operator(Action::Dispatch)?;
        self.desk.journal_mut().append(&NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator, body })
    }
}
