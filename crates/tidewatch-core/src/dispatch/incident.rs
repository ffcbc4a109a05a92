//! The incident lifecycle: which event may follow which.
//!
//! received → dispatched → en route → on scene → cleared; cancelled from any open state;
//! a unit withdrawn (reassigned elsewhere) returns the incident to received. Closed
//! incidents take only notes and corrections.

use serde::{Deserialize, Serialize};

use crate::ids::IncidentId;
use crate::Error;

/// What an event does to an incident's lifecycle (the journal says which of its events is
/// which: `store::EventBody::lifecycle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEvent {
    Received,
    Dispatched,
    EnRoute,
    OnScene,
    Cleared,
    Cancelled,
    /// The unit was taken off the incident.
    UnitWithdrawn,
    Note,
    Correction,
    /// Not an incident event.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Received,
    Dispatched,
    EnRoute,
    OnScene,
    Cleared,
    Cancelled,
}

impl IncidentState {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "received" => IncidentState::Received,
            "dispatched" => IncidentState::Dispatched,
            "en_route" => IncidentState::EnRoute,
            "on_scene" => IncidentState::OnScene,
            "cleared" => IncidentState::Cleared,
            "cancelled" => IncidentState::Cancelled,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            IncidentState::Received => "received",
            IncidentState::Dispatched => "dispatched",
            IncidentState::EnRoute => "en_route",
            IncidentState::OnScene => "on_scene",
            IncidentState::Cleared => "cleared",
            IncidentState::Cancelled => "cancelled",
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, IncidentState::Cleared | IncidentState::Cancelled)
    }

    /// The state after `event` (which [`IncidentState::check`] accepted).
    pub fn after(self, event: LifecycleEvent) -> IncidentState {
        match event {
            LifecycleEvent::Received => IncidentState::Received,
            LifecycleEvent::Dispatched => IncidentState::Dispatched,
            LifecycleEvent::EnRoute => IncidentState::EnRoute,
            LifecycleEvent::OnScene => IncidentState::OnScene,
            LifecycleEvent::Cleared => IncidentState::Cleared,
            LifecycleEvent::Cancelled => IncidentState::Cancelled,
            LifecycleEvent::UnitWithdrawn => IncidentState::Received,
            _ => self,
        }
    }

    /// Whether `event` may be recorded on an incident in this state.
    pub fn check(self, incident: IncidentId, event: LifecycleEvent) -> Result<(), Error> {
        use IncidentState::*;
        let allowed = match event {
            LifecycleEvent::Note | LifecycleEvent::Correction => true,
            _ if self.is_closed() => {
                return Err(Error::invalid(
                    "incident",
                    format!("incident {incident} is {}: it is closed; add a note or a correction instead", self.name()),
                ));
            }
            LifecycleEvent::Dispatched => self == Received,
            LifecycleEvent::EnRoute => self == Dispatched,
            LifecycleEvent::OnScene => self == EnRoute,
            LifecycleEvent::Cleared => self == OnScene,
            LifecycleEvent::Cancelled => true,
            LifecycleEvent::UnitWithdrawn => matches!(self, Dispatched | EnRoute | OnScene),
            _ => false,
        };
        if allowed {
            Ok(())
        } else {
            let wanted = match event {
                LifecycleEvent::Dispatched => "be dispatched (it already has a unit: withdraw or reassign it first)",
                LifecycleEvent::EnRoute => "go en route before it is dispatched",
                LifecycleEvent::OnScene => "be on scene before the unit is en route",
                LifecycleEvent::Cleared => "be cleared before the unit is on scene",
                LifecycleEvent::UnitWithdrawn => "have a unit withdrawn: no unit is assigned",
                _ => "take this event",
            };
            Err(Error::invalid("incident", format!("incident {incident} is {}: it cannot {wanted}", self.name())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_in_order_only() {
        let en_route = LifecycleEvent::EnRoute;
        assert!(IncidentState::Received.check(IncidentId(1), en_route).is_err());
        assert!(IncidentState::Dispatched.check(IncidentId(1), en_route).is_ok());
        assert_eq!(
            IncidentState::EnRoute.check(IncidentId(7), LifecycleEvent::Cleared).unwrap_err().to_string(),
            "incident: incident 7 is en_route: it cannot be cleared before the unit is on scene"
        );
        assert!(IncidentState::Cleared.check(IncidentId(1), LifecycleEvent::Cancelled).is_err());
        assert!(IncidentState::Cleared.check(IncidentId(1), LifecycleEvent::Note).is_ok());
        assert!(IncidentState::Received.check(IncidentId(1), LifecycleEvent::Other).is_err());
    }
}
