//! Calling an island's community responders about an incident (issue #16): the desk
//! journals who was called, when and by whom, on the incident's timeline. A call sends no
//! unit and changes no state: a responder is never a police arrival.

use chrono::{DateTime, Utc};

use super::{Desk, DeskStore};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventBody};

impl<S: DeskStore> Desk<S> {
    /// Journals that `operator` called responder `responder` (the pack's id) about open
    /// incident `id`. Refused when the pack has no such responder, or it is not on the
    /// incident's island.
    pub fn call_responder(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId, responder: &str) -> Result<Ack, Error> {
        let (row, state, last) = self.state_and_last(id)?;
        if state.is_closed() {
            return Err(Error::invalid("incident", format!("incident {id} is {}: nobody is called about it", state.name())));
        }
        let r = self.region.responders.iter().find(|r| r.id == responder).ok_or_else(|| Error::unknown("responder", responder))?;
        if row.island.as_deref() != Some(r.island.as_str()) {
            return Err(Error::invalid(
                "responder",
                format!("{responder} is on {}, not on the incident's island ({})", r.island, row.island.as_deref().unwrap_or("at sea")),
            ));
        }
        self.check_time(at.timestamp(), Some(last))?;
        let body = EventBody::ResponderCalled { responder: r.id.clone(), name: r.name.clone(), phone: r.phone.clone() };
        self.append(Some(id), at.timestamp(), operator, &body)
    }
}
