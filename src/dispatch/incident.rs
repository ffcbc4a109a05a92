//! The incident lifecycle: which event may follow which.
//!
//! received → dispatched → en route → on scene → cleared; cancelled from any open state;
//! a unit withdrawn (reassigned elsewhere) returns the incident to received. Closed
//! incidents take only notes and corrections.

use serde::{Deserialize, Serialize};

use crate::ids::IncidentId;
use crate::store::EventBody;
use crate::Error;

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

    /// The state after `body` (which [`IncidentState::check`] accepted).
    pub fn after(self, body: &EventBody) -> IncidentState {
        match body {
            EventBody::Received { .. } => IncidentState::Received,
            EventBody::Dispatched { .. } => IncidentState::Dispatched,
            EventBody::EnRoute { .. } => IncidentState::EnRoute,
            EventBody::OnScene { .. } => IncidentState::OnScene,
            EventBody::Cleared { .. } => IncidentState::Cleared,
            EventBody::Cancelled { .. } => IncidentState::Cancelled,
            EventBody::UnitWithdrawn { .. } => IncidentState::Received,
            _ => self,
        }
    }

    /// Whether `body` may be recorded on an incident in this state.
    pub fn check(self, incident: IncidentId, body: &EventBody) -> Result<(), Error> {
        use IncidentState::*;
        let allowed = match body {
            EventBody::Note { .. } | EventBody::Correction { .. } => true,
            _ if self.is_closed() => {
                return Err(Error::invalid(
                    "incident",
                    format!("incident {incident} is {}: it is closed; add a note or a correction instead", self.name()),
                ));
            }
            EventBody::Dispatched { .. } => self == Received,
            EventBody::EnRoute { .. } => self == Dispatched,
            EventBody::OnScene { .. } => self == EnRoute,
            EventBody::Cleared { .. } => self == OnScene,
            EventBody::Cancelled { .. } => true,
            EventBody::UnitWithdrawn { .. } => matches!(self, Dispatched | EnRoute | OnScene),
            _ => false,
        };
        if allowed {
            Ok(())
        } else {
            let wanted = match body {
                EventBody::Dispatched { .. } => "be dispatched (it already has a unit: withdraw or reassign it first)",
                EventBody::EnRoute { .. } => "go en route before it is dispatched",
                EventBody::OnScene { .. } => "be on scene before the unit is en route",
                EventBody::Cleared { .. } => "be cleared before the unit is on scene",
                EventBody::UnitWithdrawn { .. } => "have a unit withdrawn: no unit is assigned",
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
        let unit = || "u1".to_string();
        let en_route = EventBody::EnRoute { unit: unit() };
        assert!(IncidentState::Received.check(IncidentId(1), &en_route).is_err());
        assert!(IncidentState::Dispatched.check(IncidentId(1), &en_route).is_ok());
        let cleared = EventBody::Cleared { unit: Some(unit()), outcome: "done".into() };
        assert_eq!(
            IncidentState::EnRoute.check(IncidentId(7), &cleared).unwrap_err().to_string(),
            "incident: incident 7 is en_route: it cannot be cleared before the unit is on scene"
        );
        let cancel = EventBody::Cancelled { reason: "dup".into() };
        assert!(IncidentState::Cleared.check(IncidentId(1), &cancel).is_err());
        assert!(IncidentState::Cleared.check(IncidentId(1), &EventBody::Note { text: "x".into() }).is_ok());
    }
}
