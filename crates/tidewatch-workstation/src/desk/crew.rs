//! A crew's own actions (the crew's page on their phones): each is the desk's own step
//! (the same lifecycle and clock checks as a dispatcher's) and, in the same transaction,
//! the crew's record beside it (`CrewAction`: what they did and the phone's time).

use chrono::{DateTime, Utc};

use super::{Desk, DeskStore};
use tidewatch_core::dispatch::{IncidentState, UnitStatus};
use tidewatch_core::ids::{IncidentId, PlaceId, UnitId};
use tidewatch_core::Error;
use tidewatch_journal::{Ack, CrewActionKind, EventBody, NewEvent, PhotoRecord};

/// What a crew does about its incident.
#[derive(Debug, Clone, PartialEq)]
pub enum CrewStep {
    Acknowledge,
    EnRoute,
    OnScene,
    Clear {
        outcome: String,
    },
    /// The unit cannot go: it is withdrawn with `reason`; the incident waits for another.
    Unable {
        reason: String,
    },
    Note {
        text: String,
    },
    /// A photo stored outside the chain; its digest is journaled.
    Photo(PhotoRecord),
}

/// The unit's own status from its crew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrewStatus {
    Available,
    OffDuty,
    /// Free, on its way back to base: available to the desk.
    Returning,
}

/// A step of a boat carrying a land crew (issue #16), reported by the boat's crew on the
/// incident it carries for. Journaled as the boat's `crew_action` on that incident; the
/// boat stays claimed until it is back at its base (`AtBase`: free for other incidents,
/// the crew still on this one), the incident clears or its crew is withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarrierStep {
    ToPickup,
    CrewAboard,
    CrewLanded,
    Returning,
    AtBase,
}

impl CarrierStep {
    pub fn kind(self) -> CrewActionKind {
        match self {
            CarrierStep::ToPickup => CrewActionKind::ToPickup,
            CarrierStep::CrewAboard => CrewActionKind::CrewAboard,
            CarrierStep::CrewLanded => CrewActionKind::CrewLanded,
            CarrierStep::Returning => CrewActionKind::Returning,
            CarrierStep::AtBase => CrewActionKind::AtBase,
        }
    }
}

impl<S: DeskStore> Desk<S> {
    /// Journals `step` of `boat` carrying incident `id`'s crew (the caller checked it is
    /// the incident's carrier). Refused once the incident is closed: the boat is free then
    /// and reports its own status.
    pub fn carrier_step(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        boat: &UnitId,
        step: CarrierStep,
        phone_utc: Option<i64>,
    ) -> Result<Ack, Error> {
        let (_, state, last) = self.state_and_last(id)?;
        if !matches!(state, IncidentState::Dispatched | IncidentState::EnRoute | IncidentState::OnScene) {
            return Err(Error::invalid(
                "action",
                format!("incident {id} is {}: {boat} carries no crew for it now (report the boat's own status)", state.name()),
            ));
        }
        if self.holding_carrier(&self.incident(id)?)?.as_deref() != Some(boat.as_str()) {
            return Err(Error::invalid(
                "action",
                format!("{boat} is back at its base and free: it carries no crew for incident {id} now (report the boat's own status)"),
            ));
        }
        self.check_time(at.timestamp(), Some(last))?;
        let record = EventBody::CrewAction { unit: boat.0.clone(), action: step.kind(), phone_utc, photo: None };
        self.append_all(&[self.event(Some(id), at.timestamp(), operator, record)])
    }

    /// The dispatcher marks incident `id`'s boat back at its base (its phone did not say
    /// so): the same `at_base` step, under the dispatcher's name and without a phone time.
    pub fn boat_back(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        let row = self.incident(id)?;
        let Some(boat) = row.carrier_id.filter(|_| row.unit_id.is_some()) else {
            return Err(Error::invalid("incident", format!("incident {id} has no boat carrying its crew")));
        };
        self.carrier_step(operator, at, id, &UnitId(boat), CarrierStep::AtBase, None)
    }

    /// Journals `step` of `unit`'s crew on incident `id` (the caller checked the unit is
    /// the incident's), with `phone_utc` beside the desk's time; all or nothing.
    pub fn crew_step(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        step: &CrewStep,
        phone_utc: Option<i64>,
    ) -> Result<Ack, Error> {
        let mut events = Vec::new();
        let (action, photo) = match step {
            CrewStep::Acknowledge => {
                let (_, state, last) = self.state_and_last(id)?;
                if !matches!(state, IncidentState::Dispatched | IncidentState::EnRoute | IncidentState::OnScene) {
                    return Err(Error::invalid("action", format!("incident {id} is {}: nothing to acknowledge", state.name())));
                }
                self.check_time(at.timestamp(), Some(last))?;
                (CrewActionKind::Acknowledged, None)
            }
            CrewStep::EnRoute => {
                events.push(self.step_event(operator, at, id, |_| EventBody::EnRoute { unit: unit.0.clone() })?);
                (CrewActionKind::EnRoute, None)
            }
            CrewStep::OnScene => {
                events.push(self.step_event(operator, at, id, |_| EventBody::OnScene { unit: unit.0.clone() })?);
                (CrewActionKind::OnScene, None)
            }
            CrewStep::Clear { outcome } => {
                let outcome = non_empty("outcome", outcome, "clearing needs an outcome")?;
                events.push(self.step_event(operator, at, id, |_| EventBody::Cleared { unit: Some(unit.0.clone()), outcome })?);
                (CrewActionKind::Cleared, None)
            }
            CrewStep::Unable { reason } => {
                let reason = non_empty("reason", reason, "say why the unit cannot go")?;
                events.push(self.step_event(operator, at, id, |_| EventBody::UnitWithdrawn { unit: unit.0.clone(), reason })?);
                (CrewActionKind::Unable, None)
            }
            CrewStep::Note { text } => {
                let text = non_empty("text", text, "a note needs text")?;
                self.incident(id)?;
                self.check_time(at.timestamp(), None)?;
                events.push(self.event(Some(id), at.timestamp(), operator, EventBody::Note { text }));
                (CrewActionKind::Note, None)
            }
            CrewStep::Photo(photo) => {
                self.incident(id)?;
                self.check_time(at.timestamp(), None)?;
                (CrewActionKind::Photo, Some(photo.clone()))
            }
        };
        let record = EventBody::CrewAction { unit: unit.0.clone(), action, phone_utc, photo };
        events.push(self.event(Some(id), at.timestamp(), operator, record));
        self.append_all(&events)
    }

    /// The unit's own status from its crew: the desk's rules for a status set by hand (not
    /// while it has an incident) and the crew's record beside it, in one transaction.
    pub fn crew_status(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        unit: &UnitId,
        status: CrewStatus,
        phone_utc: Option<i64>,
    ) -> Result<Ack, Error> {
        let (set, action) = match status {
            CrewStatus::Available => (UnitStatus::Available, CrewActionKind::Available),
            CrewStatus::OffDuty => (UnitStatus::OffDuty, CrewActionKind::OffDuty),
            CrewStatus::Returning => (UnitStatus::Available, CrewActionKind::Returning),
        };
        let first = self.unit_status_event(operator, at, unit, set, None::<&PlaceId>)?;
        let record = EventBody::CrewAction { unit: unit.0.clone(), action, phone_utc, photo: None };
        let events: Vec<NewEvent> = vec![first, self.event(None, at.timestamp(), operator, record)];
        self.append_all(&events)
    }
}

fn non_empty(field: &str, text: &str, why: &str) -> Result<String, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid(field, why));
    }
    Ok(text.to_string())
}
