//! Sending a land crew carried across by a police boat (issue #16): one dispatch naming
//! both units, checked like any other, claimed together by the store (of two seats taking
//! the same boat or crew at once, one is refused, naming who took which unit).

use chrono::{DateTime, Utc};

use super::{Desk, DeskStore};
use tidewatch_core::dispatch::{carried_plan, Fleet, IncidentState, UnitStatus};
use tidewatch_core::ids::{IncidentId, IncidentTypeId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventBody, NewEvent};

/// A dispatcher's choice of a carried row: the crew, the boat, and why (when it is not the
/// recommended row; always, for a reassignment).
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
    /// alone first), and a reason is needed unless the pair is the recommended row.
    pub fn dispatch_carried(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        ask: CarriedAsk<'_>,
        conditions: &Conditions,
    ) -> Result<Ack, Error> {
        let events = self.carried_events(operator, at, id, ask, conditions, None)?;
        self.append_all(&events)
    }

    /// Sends `ask.crew` carried by `ask.boat` to incident `id` instead of the unit it has
    /// (withdrawn, and its boat freed, with `ask.override_reason`, which is required). The
    /// boat must be free; a busy crew is taken off its own incident with the same reason.
    /// All or nothing: a refusal at any step writes nothing.
    pub fn reassign_carried(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        ask: CarriedAsk<'_>,
        conditions: &Conditions,
    ) -> Result<Ack, Error> {
        let reason = ask.override_reason.map(str::trim).filter(|r| !r.is_empty());
        let Some(reason) = reason else { return Err(Error::invalid("reason", "sending another unit needs a reason")) };
        let row = self.incident(id)?;
        if row.unit_id.as_deref() == Some(ask.crew.as_str()) && row.carrier_id.as_deref() == Some(ask.boat.as_str()) {
            return Err(Error::invalid("unit", format!("{} carried by {} is already on incident {id}", ask.crew, ask.boat)));
        }
        let first = match row.unit_id {
            Some(_) => Some(
                self.step_event(operator, at, id, |r| EventBody::UnitWithdrawn { unit: Self::assigned(r), reason: reason.to_string() })?,
            ),
            None => None,
        };
        let ask = CarriedAsk { override_reason: Some(reason), ..ask };
        let events = self.carried_events(operator, at, id, ask, conditions, Some(first))?;
        self.append_all(&events)
    }

    /// The events that send `ask.crew` carried by `ask.boat`, checked against every rule,
    /// written nowhere yet. `reassign`: a reassignment (with this incident's own unit
    /// withdrawn just before, when it had one): the incident is planned as waiting, its unit
    /// and that unit's boat as free, and a busy crew is taken off its own incident.
    fn carried_events(
        &self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        ask: CarriedAsk<'_>,
        conditions: &Conditions,
        reassign: Option<Option<NewEvent>>,
    ) -> Result<Vec<NewEvent>, Error> {
        let (mut row, mut state, last) = self.state_and_last(id)?;
        let mut fleet = self.fleet_at(at.timestamp())?;
        if reassign.is_some() {
            // (A boat already released at its base may be on another incident now.)
            let boat = self.holding_carrier(&row)?;
            row.carrier_id = None;
            for freed in [row.unit_id.take(), boat].into_iter().flatten() {
                if let Some(s) = fleet.states.get_mut(&UnitId(freed)) {
                    s.status = UnitStatus::Available;
                }
            }
            state = IncidentState::Received;
        }
        let probe = EventBody::Dispatched { unit: String::new(), plan: Default::default(), override_reason: None, carrier: None };
        state.check(id, probe.lifecycle())?;
        self.check_time(at.timestamp(), Some(last))?;
        let mut events: Vec<NewEvent> = reassign.clone().flatten().into_iter().collect();
        self.must_be_free(&fleet, ask.boat)?;
        match (reassign.is_some(), ask.override_reason) {
            (true, Some(reason)) => {
                if let Some(other) = self.take_off(&mut fleet, ask.crew)? {
                    let body = EventBody::UnitWithdrawn { unit: ask.crew.0.clone(), reason: reason.to_string() };
                    events.push(self.event(Some(other), at.timestamp(), operator, body));
                }
            }
            _ => self.must_be_free(&fleet, ask.crew)?,
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
        // A carried row other than the recommended one is sent with a reason.
        let overridden = !outcome.plan.recommends(ask.crew, Some(ask.boat));
        let reason = ask.override_reason.map(str::trim).filter(|r| !r.is_empty()).filter(|_| overridden);
        if overridden && reason.is_none() {
            return Err(Error::invalid(
                "override_reason",
                format!(
                    "{} is recommended; sending {} carried by {} instead needs a reason",
                    super::recommended_row(&outcome.plan),
                    ask.crew,
                    ask.boat
                ),
            ));
        }
        let body = EventBody::Dispatched {
            unit: ask.crew.0.clone(),
            plan: (&outcome.plan).into(),
            override_reason: reason.map(str::to_string),
            carrier: Some(ask.boat.0.clone()),
        };
        events.push(self.event(Some(id), at.timestamp(), operator, body));
        Ok(events)
    }

    /// Refuses `unit` unless it is free in `fleet`, naming who holds it.
    fn must_be_free(&self, fleet: &Fleet, unit: &UnitId) -> Result<(), Error> {
        let current = fleet.state(unit).ok_or_else(|| Error::unknown("unit", unit.0.clone()))?;
        if current.status.is_free() {
            return Ok(());
        }
        Err(Error::UnitUnavailable {
            unit: unit.0.clone(),
            state: status_name(current.status),
            message: format!("a carried crew and its boat must both be free{}", self.held_by(unit)),
        })
    }

    /// A busy crew planned as free, and the incident it is taken off (None: it was free).
    /// An off-duty crew, or a boat carrying someone, is refused.
    fn take_off(&self, fleet: &mut Fleet, crew: &UnitId) -> Result<Option<IncidentId>, Error> {
        let current = fleet.state(crew).ok_or_else(|| Error::unknown("unit", crew.0.clone()))?;
        if current.status.is_free() {
            return Ok(None);
        }
        if current.status == UnitStatus::OffDuty {
            return Err(Error::UnitUnavailable { unit: crew.0.clone(), state: "off_duty".into(), message: "put it on duty first".into() });
        }
        let busy_with = self.journal.unit_rows()?.into_iter().find(|r| r.unit_id == crew.0).and_then(|r| r.incident_id);
        self.not_carrying(crew, busy_with)?;
        if let Some(s) = fleet.states.get_mut(crew) {
            s.status = UnitStatus::Available;
        }
        Ok(busy_with)
    }
}

fn status_name(status: UnitStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
