//! Sending a land crew carried across by a police boat (issue #16): one dispatch naming
//! both units, checked like any other, claimed together by the store (of two seats taking
//! the same boat or crew at once, one is refused, naming who took which unit).

use chrono::{DateTime, Utc};

use super::{Desk, DeskStore};
use tidewatch_core::dispatch::{carried_plan, UnitStatus};
use tidewatch_core::ids::{IncidentId, IncidentTypeId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventBody};

/// A dispatcher's choice of a carried row: the crew, the boat, and why (a carried row is
/// never the recommended one).
#[derive(Debug, Clone, Copy)]
pub struct CarriedAsk<'a> {
    pub crew: &'a UnitId,
    pub boat: &'a UnitId,
    pub override_reason: Option<&'a str>,
}

impl<S: DeskStore> Desk<S> {
    /// Sends `ask.crew` to incident `id` carried across by `ask.boat`: one `dispatched`
    /// event naming both, so both are committed to the incident until it is cleared,
    /// cancelled or the crew is withdrawn. Both must be free (a busy unit is reassigned
    /// alone first), and a reason is needed: the recommended unit is the first going alone.
    pub fn dispatch_carried(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        ask: CarriedAsk<'_>,
        conditions: &Conditions,
    ) -> Result<Ack, Error> {
        let (row, state, last) = self.state_and_last(id)?;
        let probe = EventBody::Dispatched { unit: String::new(), plan: Default::default(), override_reason: None, carrier: None };
        state.check(id, probe.lifecycle())?;
        self.check_time(at.timestamp(), Some(last))?;
        let fleet = self.fleet_at(at.timestamp())?;
        for unit in [ask.crew, ask.boat] {
            let current = fleet.state(unit).ok_or_else(|| Error::unknown("unit", unit.0.clone()))?;
            if !current.status.is_free() {
                return Err(Error::UnitUnavailable {
                    unit: unit.0.clone(),
                    state: status_name(current.status),
                    message: format!("a carried crew and its boat must both be free{}", self.held_by(unit)),
                });
            }
        }
        let itype = self
            .region
            .incident_type(&IncidentTypeId(row.incident_type.clone()))
            .ok_or_else(|| Error::unknown("incident type", row.incident_type.clone()))?;
        let outcome = carried_plan(
            &self.region,
            &self.net,
            &fleet,
            itype,
            row.priority,
            (row.lon, row.lat),
            at.timestamp(),
            conditions,
            (ask.crew, ask.boat),
        )?;
        // The recommended unit is the first going alone (as for any dispatch): a carried
        // crew is an alternative to it, sent with a reason (none when no unit goes alone).
        let recommended = outcome.plan.recommended_unit.as_deref();
        let reason = ask.override_reason.map(str::trim).filter(|r| !r.is_empty()).filter(|_| recommended.is_some());
        if let (Some(top), None) = (recommended, reason) {
            return Err(Error::invalid(
                "override_reason",
                format!("{top} is recommended; sending {} carried by {} instead needs a reason", ask.crew, ask.boat),
            ));
        }
        let body = EventBody::Dispatched {
            unit: ask.crew.0.clone(),
            plan: (&outcome.plan).into(),
            override_reason: reason.map(str::to_string),
            carrier: Some(ask.boat.0.clone()),
        };
        self.append(Some(id), at.timestamp(), operator, &body)
    }
}

fn status_name(status: UnitStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
