//! Sending another unit to an incident: the options (every eligible unit on duty, busy ones
//! included, ranked as if free) and the all-or-nothing swap.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Desk, DeskStore, DispatchAsk};
use tidewatch_core::dispatch::UnitStatus;
use tidewatch_core::dispatch::{recommend, Candidate, Pick};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventBody};

/// A unit that could be sent to an incident instead of (or besides) what it has: free
/// and busy units alike, ranked as if each were free where it is now.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ReassignOption {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub status: UnitStatus,
    /// The incident a busy unit would be taken off.
    pub incident: Option<IncidentId>,
}

impl<S: DeskStore> Desk<S> {
    /// Every eligible unit on duty for incident `id`, busy ones included (with the incident
    /// they would be taken off), in the recommendation's order; the unit already on it, and
    /// boats carrying a crew, are left out. Crews a boat would carry are offered with a
    /// free boat only ([`Desk::reassign_carried`]).
    pub fn reassign_options(&self, id: IncidentId, at: DateTime<Utc>, conditions: &Conditions) -> Result<Vec<ReassignOption>, Error> {
        let row = self.incident(id)?;
        let fleet = self.fleet()?;
        let mut as_free = fleet.clone();
        for state in as_free.states.values_mut() {
            if state.status != UnitStatus::OffDuty {
                state.status = UnitStatus::Available;
            }
        }
        let query = self.incident_query(id, at, conditions)?;
        let ranked = recommend(&self.region, &self.net, &as_free, &query)?;
        let busy_with: HashMap<String, IncidentId> =
            self.journal().unit_rows()?.into_iter().filter_map(|r| r.incident_id.map(|i| (r.unit_id, i))).collect();
        // A boat carrying a crew is taken off only with its crew (see `not_carrying`).
        let mut carrying = Vec::new();
        for open in self.journal().open_incidents()? {
            carrying.extend(self.holding_carrier(&open)?);
        }
        // A boat carries a crew only when free, or freed by this reassignment.
        let own_boat = self.holding_carrier(&row)?;
        let boat_free = |b: &str| {
            [&row.unit_id, &own_boat].iter().any(|u| u.as_deref() == Some(b))
                || fleet.state(&UnitId(b.to_string())).is_some_and(|s| s.status.is_free())
        };
        Ok(ranked
            .candidates
            .into_iter()
            .filter(|c| row.unit_id.as_deref() != Some(c.unit.as_str()) && !carrying.contains(&c.unit))
            .filter(|c| c.carrier.as_ref().is_none_or(|b| boat_free(&b.unit)))
            .map(|c| {
                let status = fleet.state(&UnitId(c.unit.clone())).map(|s| s.status).unwrap_or(UnitStatus::Available);
                let incident = if status.is_free() { None } else { busy_with.get(&c.unit).copied() };
                ReassignOption { candidate: c, status, incident }
            })
            .collect())
    }

    /// Sends `unit` to incident `id` instead of the unit it has (withdrawn with `reason`);
    /// a busy `unit` is taken off its own incident with the same reason. All or nothing:
    /// a refusal at any step writes nothing.
    pub fn reassign(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        conditions: &Conditions,
        reason: &str,
    ) -> Result<Ack, Error> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", "sending another unit needs a reason"));
        }
        let row = self.incident(id)?;
        if row.unit_id.as_deref() == Some(unit.0.as_str()) {
            return Err(Error::invalid("unit", format!("{} is already on incident {id}", unit.0)));
        }
        let first = match row.unit_id {
            Some(_) => Some(
                self.step_event(operator, at, id, |r| EventBody::UnitWithdrawn { unit: Self::assigned(r), reason: reason.to_string() })?,
            ),
            None => None,
        };
        let pick = Pick::Unit(unit.clone());
        let ask = DispatchAsk { operator, at, id, pick: &pick, conditions, override_reason: Some(reason), reassign_reason: Some(reason) };
        let (events, _) = self.dispatch_events(&ask, first)?;
        self.append_all(&events)
    }
}
