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

// ---- what a desk on the service reads and asks about tips (the service's JSON; one
// definition for both sides)

/// A tip as a dispatcher sees it in the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct QueuedTip {
    pub id: i64,
    /// Its `tip_received` event.
    pub seq: Option<i64>,
    pub receipt: String,
    pub received_utc: i64,
    /// `hazard`, `traffic_jam`, `accident`, `public_order` or `other`.
    pub category: String,
    pub island: Option<String>,
    pub place: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// Where the position came from: `phone`, `photo`, `place`, `island`.
    pub position_from: String,
    /// The tipper's text: shown as text, never as markup.
    pub text: String,
    pub phone: Option<String>,
    /// `GET /api/tips/{id}/photo`, when it has one.
    pub photo_url: Option<String>,
    /// The first tip of its group (itself when it is the first).
    pub group_id: i64,
    /// How many tips the group has (1: no duplicate).
    pub group_size: i64,
    /// `received`, `handling` or `closed`.
    pub state: String,
    pub incident_id: Option<i64>,
    pub passed_to: Option<String>,
    pub handled_by: Option<String>,
    pub handled_utc: Option<i64>,
    pub closed_by: Option<String>,
    pub closed_utc: Option<i64>,
    pub reply: Option<String>,
}

/// A dispatcher's step with a tip, answered.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TipStep {
    /// The tips of the group the step was journaled for.
    pub tips: Vec<i64>,
    /// The seq of the last event.
    pub seq: i64,
    /// The incident made (make incident).
    pub incident_id: Option<tidewatch_core::ids::IncidentId>,
}

/// Make a tip an incident: the intake the dispatcher confirmed (prefilled from the tip).
/// The place is the tip's unless given; the text is the tip's unless given.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TipIncident {
    pub incident_type: String,
    pub priority: Option<u8>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub text: Option<String>,
}

/// A tip's photo for the desk's window: the service's re-encoded JPEG as a `data:` URL
/// (the window's content policy takes images from itself and `data:` only).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TipPhoto {
    pub data_url: String,
}

/// Tips received and closed, and the median time to close, in a period.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TipFigures {
    /// The island, the category, or `all`.
    pub key: String,
    pub received: i64,
    pub closed: i64,
    /// Median seconds from receipt to closing, of the tips closed.
    pub median_close_s: Option<f64>,
}

/// The supervisor's figures on tips received in `[from, to)`: in all, by island and by
/// category.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TipKpis {
    pub from_utc: i64,
    pub to_utc: i64,
    pub all: TipFigures,
    pub by_island: Vec<TipFigures>,
    pub by_category: Vec<TipFigures>,
}

/// What a desk on its own journal answers about tips: they arrive only through the
/// command-centre service (its public page), so there is no queue here to fail.
pub fn only_on_the_service() -> Error {
    Error::ServiceUnavailable("citizens' tips arrive only through the command-centre service; this desk works on its own journal".into())
}
