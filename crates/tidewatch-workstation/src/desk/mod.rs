//! The desk: the one place where dispatcher actions become journal events. It checks
//! every rule first (type, place, unit, state, clock) so that a refused action writes
//! nothing, and every accepted one is journaled with its operator.

mod carried;
mod crew;
mod import;
mod patrol;
mod published;
mod reassign;
mod responders;

pub use carried::CarriedAsk;
pub use crew::{CarrierStep, CrewStatus, CrewStep};
pub use import::{export_events, import_events, import_events_with, ImportOptions, ImportSummary};
pub use patrol::{planned_now, CheckpointResultInput, PublishedPatrol};
pub use published::{LatestRoster, PublishedRoster};
pub use reassign::ReassignOption;

use std::path::Path;

use chrono::{DateTime, Utc};

use published::Published;
use tidewatch_core::dispatch::IncidentState;
use tidewatch_core::dispatch::{plan_for, recommend, IncidentQuery, Pick, Recommendation};
use tidewatch_core::dispatch::{Board, BoardIncident, BoardMode, BoardUnit, Thresholds};
use tidewatch_core::dispatch::{Fleet, UnitState, UnitStatus};
use tidewatch_core::ids::{IncidentId, IncidentTypeId, PlaceId, UnitId};
use tidewatch_core::region::Region;
use tidewatch_core::route::{locate, Conditions, Network, Passable};
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::{AccountStore, Ack, CallSource, Event, EventBody, IncidentRow, Journal, JournalStore, NewEvent, ReadModels};
use tidewatch_plan::roster::Roster;

/// How far from now the desk's clock may be set for a preview: timetables and rosters are
/// planned about that far ahead, and further out the answer would mean little.
pub const PREVIEW_RANGE_DAYS: i64 = 30;

/// How far ahead of the desk's clock an event time may be (a clock jump is refused).
const MAX_FUTURE_S: i64 = 5 * 60;

/// A dispatcher's request to send a unit (see [`Desk::dispatch_pick`]).
#[derive(Clone, Copy)]
struct DispatchAsk<'a> {
    operator: &'a str,
    at: DateTime<Utc>,
    id: IncidentId,
    pick: &'a Pick,
    conditions: &'a Conditions,
    override_reason: Option<&'a str>,
    reassign_reason: Option<&'a str>,
}

/// A new call, as the dispatcher types it.
#[derive(Debug, Clone)]
pub struct Intake {
    pub incident_type: String,
    pub priority: Option<u8>,
    pub lon: f64,
    pub lat: f64,
    pub source: CallSource,
    pub text: String,
}

/// What a desk keeps its journal in: the SQLite journal on one desk ([`Journal`], the
/// default), or PostgreSQL behind the command-centre service. Everything the desk does goes
/// through these traits; only what is honestly SQLite's own (the file, its batches for the
/// demo history, backups, import) is on `Desk<Journal>`.
pub trait DeskStore: JournalStore + ReadModels + AccountStore {}

impl<T: JournalStore + ReadModels + AccountStore> DeskStore for T {}

/// Generic over its store rather than boxed: the desk's code reads the same either way,
/// `Desk` alone still means the SQLite desk (the shells and tests name no parameter), and the
/// SQLite-only operations stay plain methods of `Desk<Journal>` instead of downcasts.
pub struct Desk<S = Journal> {
    pub region: Region,
    pub net: Network,
    journal: S,
    clock: Clock,
    synthetic: bool,
    /// Published rosters, oldest first (see `published.rs`).
    rosters: Vec<Published>,
    /// The units' live fixes the next rankings start from (`set_live`); empty by default.
    live: tidewatch_core::dispatch::Live,
}

impl Desk<Journal> {
    /// The desk on `region`'s journal at `db`, telling the time by `clock` (the shell's
    /// wall clock, a replay's, the demo history's or a test's).
    pub fn open(region: Region, db: &Path, clock: Clock) -> Result<Desk, Error> {
        Desk::with_store(region, Journal::open(db)?, clock)
    }
}

impl<S: DeskStore> Desk<S> {
    /// The desk on `region`'s journal in `journal` (SQLite or PostgreSQL), telling the time
    /// by `clock`.
    pub fn with_store(region: Region, journal: S, clock: Clock) -> Result<Desk<S>, Error> {
        let net = Network::from_region(&region);
        let rosters = published::load(&journal)?;
        Ok(Desk { region, net, journal, clock, synthetic: false, rosters, live: Default::default() })
    }

    /// The desk's clock, now (UTC unix seconds).
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The clock the desk was given.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Marks everything this desk records as synthetic (demo history).
    pub fn synthetic(mut self) -> Desk<S> {
        self.synthetic = true;
        self
    }

    pub fn journal(&self) -> &S {
        &self.journal
    }

    pub fn journal_mut(&mut self) -> &mut S {
        &mut self.journal
    }

    /// Where every unit is and whether it is free at `at`: bases, then the journal's latest
    /// status, then the published roster (a free unit whose officers are off shift is off
    /// duty; one set by hand after its last shift change keeps what was set).
    pub fn fleet_at(&self, at: i64) -> Result<Fleet, Error> {
        let mut fleet = Fleet::at_bases(&self.region);
        let mut since: std::collections::HashMap<UnitId, i64> = Default::default();
        for row in self.journal.unit_rows()? {
            let status = row.status;
            let id = UnitId(row.unit_id.clone());
            if let Some(state) = fleet.states.get_mut(&id) {
                *state =
                    UnitState { status, position: if row.position.is_empty() { state.position.clone() } else { PlaceId(row.position) } };
                since.insert(id, row.since_utc);
            }
        }
        published::apply(&self.rosters, &mut fleet, &since, at);
        fleet.live = self.live.clone();
        Ok(fleet)
    }

    /// The live fixes rankings start from until the next call (empty: the journal's places).
    pub fn set_live(&mut self, live: tidewatch_core::dispatch::Live) {
        self.live = live;
    }

    /// The fleet now (the desk's clock).
    pub fn fleet(&self) -> Result<Fleet, Error> {
        self.fleet_at(self.clock.now())
    }

    pub(super) fn check_time(&self, at: i64, after: Option<i64>) -> Result<(), Error> {
        let now = self.clock.now();
        if at > now + MAX_FUTURE_S {
            return Err(Error::invalid("at", format!("event time is {} s ahead of the desk's clock; check the clock", at - now)));
        }
        if let Some(prev) = after.filter(|&p| at < p) {
            return Err(Error::invalid(
                "at",
                format!("event time is {} s before the incident's previous event; record a correction instead", prev - at),
            ));
        }
        Ok(())
    }

    /// The event `operator` records at `at`, written now by the desk's clock.
    fn event(&self, incident: Option<IncidentId>, at: i64, operator: &str, body: EventBody) -> NewEvent {
        let recorded = self.clock.now().max(at);
        NewEvent { incident_id: incident, at_utc: at, recorded_utc: recorded, operator: operator.to_string(), body }
    }

    pub(super) fn append(&mut self, incident: Option<IncidentId>, at: i64, operator: &str, body: &EventBody) -> Result<Ack, Error> {
        let event = self.event(incident, at, operator, body.clone());
        self.journal.append(&event)
    }

    /// Appends `events` in one transaction (all or none); the last one's acknowledgement.
    fn append_all(&mut self, events: &[NewEvent]) -> Result<Ack, Error> {
        let acks = self.journal.append_batch(events)?;
        acks.last().cloned().ok_or_else(|| Error::Storage("an append returned no acknowledgement".into()))
    }

    /// Records a new call; returns its incident id.
    pub fn receive(&mut self, operator: &str, at: DateTime<Utc>, intake: &Intake) -> Result<IncidentId, Error> {
        let itype = self
            .region
            .incident_type(&IncidentTypeId(intake.incident_type.clone()))
            .ok_or_else(|| Error::unknown("incident type", intake.incident_type.clone()))?;
        let priority = intake.priority.unwrap_or(itype.default_priority);
        if !(1..=4).contains(&priority) {
            return Err(Error::invalid("priority", format!("{priority} is outside 1..=4")));
        }
        if !self.region.meta.bounds.contains(intake.lon, intake.lat) {
            return Err(Error::invalid("lon/lat", format!("{}, {} is outside the region", intake.lon, intake.lat)));
        }
        self.check_time(at.timestamp(), None)?;
        let location = locate(&self.net, intake.lon, intake.lat);
        let id = self.journal.next_incident_id()?;
        let body = EventBody::Received {
            incident_type: itype.id.0.clone(),
            priority,
            lon: intake.lon,
            lat: intake.lat,
            island: location.island,
            node: location.node_id,
            source: intake.source,
            text: intake.text.clone(),
            synthetic: self.synthetic,
        };
        self.append_received(id, at.timestamp(), operator, &body)
    }

    /// Appends a `received` event under the next free id. The id is read before the
    /// append's transaction, so on a shared journal another seat may take it first; the
    /// store then refuses it by name (`incident_id`) and the next id is tried. (Busy seats
    /// can make one caller lose several times in a row: a test with three callers at once
    /// saw eight. The store choosing the id under the chain's lock would end the retries.)
    fn append_received(&mut self, mut id: IncidentId, at: i64, operator: &str, body: &EventBody) -> Result<IncidentId, Error> {
        for _ in 0..64 {
            match self.append(Some(id), at, operator, body) {
                Err(Error::InvalidInput { field, .. }) if field == "incident_id" => id = self.journal.next_incident_id()?,
                done => return done.map(|_| id),
            }
        }
        Err(Error::Storage(format!("incident {id}: other seats kept taking the next number; try again")))
    }

    pub fn incident(&self, id: IncidentId) -> Result<IncidentRow, Error> {
        self.journal.incident(id)?.ok_or_else(|| Error::unknown("incident", id.to_string()))
    }

    pub fn timeline(&self, id: IncidentId) -> Result<Vec<Event>, Error> {
        self.incident(id)?;
        self.journal.incident_events(id)
    }

    /// Incident `id` as the engine asks it: its place, type and priority at `at`.
    pub fn incident_query(&self, id: IncidentId, at: DateTime<Utc>, conditions: &Conditions) -> Result<IncidentQuery, Error> {
        let row = self.incident(id)?;
        Ok(IncidentQuery {
            at,
            lon: row.lon,
            lat: row.lat,
            incident_type: IncidentTypeId(row.incident_type.clone()),
            priority: Some(row.priority),
            conditions: conditions.clone(),
        })
    }

    /// The ranked units for an open incident, now.
    pub fn recommend(&self, id: IncidentId, at: DateTime<Utc>, conditions: &Conditions) -> Result<Recommendation, Error> {
        let query = self.incident_query(id, at, conditions)?;
        recommend(&self.region, &self.net, &self.fleet_at(at.timestamp())?, &query)
    }

    /// The ranking for a call that is not on the journal (a preview at another time): the
    /// fleet as the rosters published for `query.at` have it.
    /// The ranking for a call at `query.at`, up to [`PREVIEW_RANGE_DAYS`] either side of
    /// `now`: that moment's sailings and published rosters, the units where and as they
    /// are now. It journals nothing.
    pub fn preview(&self, now: DateTime<Utc>, query: &IncidentQuery) -> Result<Recommendation, Error> {
        let range = chrono::Duration::days(PREVIEW_RANGE_DAYS);
        if query.at < now - range || query.at > now + range {
            return Err(Error::invalid("at", format!("the desk's clock can be set up to {PREVIEW_RANGE_DAYS} days either side of now")));
        }
        recommend(&self.region, &self.net, &self.fleet_at(query.at.timestamp())?, query)
    }

    fn state_and_last(&self, id: IncidentId) -> Result<(IncidentRow, IncidentState, i64), Error> {
        let row = self.incident(id)?;
        let state = row.state;
        // Missing steps are left out, not taken as 0: times before 1970 are negative.
        let steps = [row.dispatched_utc, row.en_route_utc, row.on_scene_utc, row.closed_utc];
        let last = steps.into_iter().flatten().fold(row.received_utc, i64::max);
        Ok((row, state, last))
    }

    /// Sends `unit`. Choosing another unit than the recommended one needs `override_reason`;
    /// taking a busy unit off its incident needs `reassign_reason`.
    #[allow(clippy::too_many_arguments)]
    pub fn dispatch(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        conditions: &Conditions,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        self.dispatch_pick(operator, at, id, &Pick::Unit(unit.clone()), conditions, override_reason, reassign_reason).map(|(ack, _)| ack)
    }

    /// Sends the unit ranked `pick` (or a named one); returns the unit sent. A busy unit is
    /// withdrawn from its incident in the same transaction, and the store claims the unit
    /// with the dispatch: a unit another desk took meanwhile is refused, naming who has it.
    #[allow(clippy::too_many_arguments)]
    pub fn dispatch_pick(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        pick: &Pick,
        conditions: &Conditions,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<(Ack, UnitId), Error> {
        let ask = DispatchAsk { operator, at, id, pick, conditions, override_reason, reassign_reason };
        let (events, unit) = self.dispatch_events(&ask, None)?;
        Ok((self.append_all(&events)?, unit))
    }

    /// The events that send the unit `ask` picks, checked against every rule, written
    /// nowhere yet. `first`: this incident's own unit withdrawn just before (a reassign),
    /// so the incident is planned as waiting and that unit as free.
    fn dispatch_events(&self, ask: &DispatchAsk<'_>, first: Option<NewEvent>) -> Result<(Vec<NewEvent>, UnitId), Error> {
        let DispatchAsk { operator, at, id, pick, conditions, override_reason, reassign_reason } = *ask;
        let (mut row, mut state, last) = self.state_and_last(id)?;
        let mut fleet = self.fleet_at(at.timestamp())?;
        if first.is_some() {
            // Withdrawn just before: the unit, and the boat that carried it, are free.
            // (A boat already released at its base may be on another incident now.)
            let boat = self.holding_carrier(&row)?;
            row.carrier_id = None;
            for freed in [row.unit_id.take(), boat].into_iter().flatten() {
                if let Some(s) = fleet.states.get_mut(&UnitId(freed)) {
                    s.status = UnitStatus::Available;
                }
            }
            (state, row.state) = (IncidentState::Received, IncidentState::Received);
        }
        let body_probe = EventBody::Dispatched { unit: String::new(), plan: Default::default(), override_reason: None, carrier: None };
        state.check(id, body_probe.lifecycle())?;
        self.check_time(at.timestamp(), Some(last))?;
        let itype = self
            .region
            .incident_type(&IncidentTypeId(row.incident_type.clone()))
            .ok_or_else(|| Error::unknown("incident type", row.incident_type.clone()))?
            .clone();
        let mut fleet_for_plan = fleet.clone();
        let mut withdraw_from = None;
        let named = match pick {
            Pick::Unit(u) => Some(fleet.state(u).ok_or_else(|| Error::unknown("unit", u.0.clone()))?.clone()),
            Pick::Rank(_) => None,
        };
        if let (Some(current), Pick::Unit(unit)) = (named.filter(|c| !c.status.is_free()), pick) {
            let Some(reason) = reassign_reason.filter(|r| !r.trim().is_empty()) else {
                return Err(Error::UnitUnavailable {
                    unit: unit.0.clone(),
                    state: format!("{:?}", current.status).to_lowercase(),
                    message: format!("reassigning a busy unit needs a reason{}", self.held_by(unit)),
                });
            };
            if current.status == UnitStatus::OffDuty {
                return Err(Error::UnitUnavailable {
                    unit: unit.0.clone(),
                    state: "off_duty".into(),
                    message: "put it on duty first".into(),
                });
            }
            let busy_with = self.journal.unit_rows()?.into_iter().find(|r| r.unit_id == unit.0).and_then(|r| r.incident_id);
            self.not_carrying(unit, busy_with)?;
            withdraw_from = busy_with.map(|other| (other, reason.to_string()));
            if let Some(s) = fleet_for_plan.states.get_mut(unit) {
                s.status = UnitStatus::Available;
            }
        }
        let outcome = plan_for(&self.region, &self.net, &fleet_for_plan, &itype, row.lon, row.lat, at.timestamp(), conditions, pick)?;
        let unit = &outcome.unit;
        let overridden = !outcome.plan.recommends(unit, outcome.carrier.as_ref());
        let override_reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
        if overridden && override_reason.is_none() {
            return Err(Error::invalid(
                "override_reason",
                format!("{} is recommended; sending {unit} instead needs a reason", recommended_row(&outcome.plan)),
            ));
        }
        let mut events: Vec<NewEvent> = first.into_iter().collect();
        if let Some((other, reason)) = withdraw_from {
            let body = EventBody::UnitWithdrawn { unit: unit.0.clone(), reason };
            events.push(self.event(Some(other), at.timestamp(), operator, body));
        }
        let body = EventBody::Dispatched {
            unit: unit.0.clone(),
            plan: (&outcome.plan).into(),
            override_reason: if overridden { override_reason.map(str::to_string) } else { None },
            // A rank picks the recommendation's row, a crew carried by a boat included.
            carrier: outcome.carrier.as_ref().map(|b| b.0.clone()),
        };
        events.push(self.event(Some(id), at.timestamp(), operator, body));
        Ok((events, outcome.unit))
    }

    /// The event of one step of incident `id`'s life, checked (its state allows it, its time
    /// follows the incident's last), not yet written.
    fn step_event(
        &self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        make: impl FnOnce(&IncidentRow) -> EventBody,
    ) -> Result<NewEvent, Error> {
        let (row, state, last) = self.state_and_last(id)?;
        let body = make(&row);
        state.check(id, body.lifecycle())?;
        self.check_time(at.timestamp(), Some(last))?;
        Ok(self.event(Some(id), at.timestamp(), operator, body))
    }

    fn step(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        make: impl FnOnce(&IncidentRow) -> EventBody,
    ) -> Result<Ack, Error> {
        let event = self.step_event(operator, at, id, make)?;
        self.journal.append(&event)
    }

    fn assigned(row: &IncidentRow) -> String {
        row.unit_id.clone().unwrap_or_default()
    }

    pub fn en_route(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        self.step(operator, at, id, |r| EventBody::EnRoute { unit: Self::assigned(r) })
    }

    pub fn on_scene(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        self.step(operator, at, id, |r| EventBody::OnScene { unit: Self::assigned(r) })
    }

    pub fn clear(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId, outcome: &str) -> Result<Ack, Error> {
        self.step(operator, at, id, |r| EventBody::Cleared { unit: r.unit_id.clone(), outcome: outcome.to_string() })
    }

    pub fn cancel(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error> {
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "cancelling needs a reason"));
        }
        self.step(operator, at, id, |_| EventBody::Cancelled { reason: reason.to_string() })
    }

    /// Takes the unit off the incident (sent elsewhere, broke down); the incident waits
    /// for another unit.
    pub fn withdraw(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error> {
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "withdrawing a unit needs a reason"));
        }
        self.step(operator, at, id, |r| EventBody::UnitWithdrawn { unit: Self::assigned(r), reason: reason.to_string() })
    }

    /// A free-text note on an incident's timeline (open or closed), trimmed; never empty.
    pub fn note(&mut self, operator: &str, at: DateTime<Utc>, id: IncidentId, text: &str) -> Result<Ack, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("text", "a note needs text"));
        }
        self.incident(id)?;
        self.check_time(at.timestamp(), None)?;
        self.append(Some(id), at.timestamp(), operator, &EventBody::Note { text: text.to_string() })
    }

    /// Corrects a recorded fact by a new event; the original stays in the journal.
    #[allow(clippy::too_many_arguments)]
    pub fn correct(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        id: IncidentId,
        corrects_seq: i64,
        field: &str,
        value: &str,
        reason: &str,
    ) -> Result<Ack, Error> {
        self.incident(id)?;
        if reason.trim().is_empty() {
            return Err(Error::invalid("reason", "a correction needs a reason"));
        }
        let target = self.journal.incident_events(id)?;
        if !target.iter().any(|e| e.seq == corrects_seq) {
            return Err(Error::invalid("corrects_seq", format!("event {corrects_seq} is not an event of incident {id}")));
        }
        self.check_time(at.timestamp(), None)?;
        self.append(
            Some(id),
            at.timestamp(),
            operator,
            &EventBody::Correction { corrects_seq, field: field.to_string(), value: value.to_string(), reason: reason.to_string() },
        )
    }

    /// On duty / off duty (or a position reported by the crew).
    pub fn set_unit_status(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        unit: &UnitId,
        status: UnitStatus,
        position: Option<&PlaceId>,
    ) -> Result<Ack, Error> {
        let event = self.unit_status_event(operator, at, unit, status, position)?;
        self.journal.append(&event)
    }

    /// The `UnitStatus` event [`Desk::set_unit_status`] writes, checked, not yet written.
    fn unit_status_event(
        &self,
        operator: &str,
        at: DateTime<Utc>,
        unit: &UnitId,
        status: UnitStatus,
        position: Option<&PlaceId>,
    ) -> Result<NewEvent, Error> {
        let fleet = self.fleet_at(at.timestamp())?;
        let current = fleet.state(unit).ok_or_else(|| Error::unknown("unit", unit.0.clone()))?;
        if !matches!(status, UnitStatus::Available | UnitStatus::OffDuty) {
            return Err(Error::invalid("status", "only available and off duty are set by hand; the rest follow the incident"));
        }
        if matches!(current.status, UnitStatus::Dispatched | UnitStatus::EnRoute | UnitStatus::OnScene) {
            return Err(Error::UnitUnavailable {
                unit: unit.0.clone(),
                state: format!("{:?}", current.status).to_lowercase(),
                message: "clear or withdraw it from its incident first".into(),
            });
        }
        let position = position.cloned().unwrap_or_else(|| current.position.clone());
        if self.region.place(&position).is_none() {
            return Err(Error::unknown("place", position.0));
        }
        self.check_time(at.timestamp(), None)?;
        Ok(self.event(
            None,
            at.timestamp(),
            operator,
            EventBody::UnitStatus { unit: unit.0.clone(), status: status.into(), position: position.0 },
        ))
    }

    /// Journals the conditions the desk works under from `at` on (checked against the
    /// network first: a Beaufort force out of range or an unknown closure writes nothing).
    pub fn record_conditions(&mut self, operator: &str, at: DateTime<Utc>, conditions: &Conditions) -> Result<Ack, Error> {
        Passable::new(&self.net, conditions, at.timestamp())?;
        self.check_time(at.timestamp(), None)?;
        let body = EventBody::ConditionsSet {
            wind_force: conditions.wind_force,
            visibility_m: conditions.visibility_m,
            closed: conditions.closed.clone(),
        };
        self.append(None, at.timestamp(), operator, &body)
    }

    /// The conditions last journaled, with their event (who set them, when). Closures of
    /// bridges or routes the current pack no longer has are dropped, so a changed pack
    /// cannot make every recommendation fail.
    pub fn journaled_conditions(&self) -> Result<Option<(Conditions, Event)>, Error> {
        let Some(event) = self.journal.latest_event("conditions_set")? else { return Ok(None) };
        let EventBody::ConditionsSet { wind_force, visibility_m, closed } = &event.body else {
            return Err(Error::Storage(format!("event {} is not a conditions change", event.seq)));
        };
        let known = |id: &String| self.net.bridges.iter().any(|b| &b.id == id) || self.net.ferries.iter().any(|f| &f.route_id == id);
        let conditions = Conditions {
            wind_force: (*wind_force).min(17),
            visibility_m: *visibility_m,
            closed: closed.iter().filter(|id| known(id)).cloned().collect(),
        };
        Ok(Some((conditions, event)))
    }

    /// Journals the board's thresholds from `at` on, after checking them (a bad table
    /// writes nothing and names the field).
    pub fn record_board_thresholds(&mut self, operator: &str, at: DateTime<Utc>, thresholds: &Thresholds) -> Result<Ack, Error> {
        thresholds.validate()?;
        self.check_time(at.timestamp(), None)?;
        self.append(None, at.timestamp(), operator, &EventBody::BoardThresholdsSet { thresholds: (*thresholds).into() })
    }

    /// The board thresholds last journaled, with their event (who set them, when).
    pub fn journaled_board_thresholds(&self) -> Result<Option<(Thresholds, Event)>, Error> {
        let Some(event) = self.journal.latest_event("board_thresholds_set")? else { return Ok(None) };
        let EventBody::BoardThresholdsSet { thresholds } = &event.body else {
            return Err(Error::Storage(format!("event {} is not a board thresholds change", event.seq)));
        };
        Ok(Some(((*thresholds).into(), event)))
    }

    /// Joint-work records and citizen tips.
    pub fn record(&mut self, operator: &str, at: DateTime<Utc>, body: EventBody) -> Result<Ack, Error> {
        let body = match body {
            EventBody::Checkpoint { .. }
            | EventBody::Patrol { .. }
            | EventBody::ServiceStall { .. }
            | EventBody::Hazard { .. }
            | EventBody::TipReceived { .. } => mark_synthetic(body, self.synthetic),
            EventBody::TipAssigned { .. } | EventBody::TipClosed { .. } => body,
            other => return Err(Error::invalid("kind", format!("'{}' is not a joint-work record", other.kind()))),
        };
        self.check_time(at.timestamp(), None)?;
        self.append(None, at.timestamp(), operator, &body)
    }
}

impl<S: DeskStore> Desk<S> {
    /// The latest step `boat` reported as the carrier of incident `id`'s crew since it was
    /// sent there (its name, as journaled), if any.
    pub fn carrier_step_of(&self, id: IncidentId, boat: &str) -> Result<Option<String>, Error> {
        let events = self.journal.incident_events(id)?;
        let sent = events.iter().rposition(|e| matches!(&e.body, EventBody::Dispatched { carrier: Some(b), .. } if b == boat));
        let Some(sent) = sent else { return Ok(None) };
        Ok(events[sent..].iter().rev().find_map(|e| match &e.body {
            EventBody::CrewAction { unit, action, .. } if unit == boat => Some(action.name().to_string()),
            _ => None,
        }))
    }

    /// Incident `row`'s carrier while it still holds the incident: not once released at
    /// its base (`at_base`), when it is free or on another incident.
    pub fn holding_carrier(&self, row: &IncidentRow) -> Result<Option<String>, Error> {
        let Some(boat) = &row.carrier_id else { return Ok(None) };
        let on = self.journal.unit_rows()?.into_iter().find(|r| r.unit_id == *boat).and_then(|r| r.incident_id);
        Ok((on == Some(row.id)).then(|| boat.clone()))
    }

    /// " (on incident 3, sent by ann)": who holds a busy `unit`, for a refusal (another seat
    /// may have sent it a moment ago); empty when that cannot be read.
    fn held_by(&self, unit: &UnitId) -> String {
        let on = self.journal.unit_rows().ok().and_then(|rows| rows.into_iter().find(|r| r.unit_id == unit.0)).and_then(|r| r.incident_id);
        let Some(on) = on else { return String::new() };
        let sends = |b: &EventBody| match b {
            EventBody::Dispatched { unit: u, carrier, .. } => *u == unit.0 || carrier.as_deref() == Some(unit.as_str()),
            _ => false,
        };
        let sent = self.timeline(on).ok().and_then(|events| events.into_iter().rev().find(|e| sends(&e.body)));
        let carrying = sent.as_ref().and_then(|e| match &e.body {
            EventBody::Dispatched { unit: crew, carrier: Some(boat), .. } if *boat == unit.0 => Some(crew.clone()),
            _ => None,
        });
        match (sent, carrying) {
            (Some(e), Some(crew)) => format!(" (carrying {crew} on incident {on}, sent by {})", e.operator),
            (Some(e), None) => format!(" (on incident {on}, sent by {})", e.operator),
            (None, _) => format!(" (on incident {on})"),
        }
    }

    /// Refuses taking a boat off the incident whose crew it carries: the crew would be left
    /// without its way back. Withdraw the crew (which frees the boat) first.
    fn not_carrying(&self, unit: &UnitId, on: Option<IncidentId>) -> Result<(), Error> {
        let Some(on) = on else { return Ok(()) };
        let row = self.incident(on)?;
        if row.carrier_id.as_deref() != Some(unit.as_str()) {
            return Ok(());
        }
        Err(Error::UnitUnavailable {
            unit: unit.0.clone(),
            state: "carrying".into(),
            message: format!(
                "it carries {} on incident {on}; withdraw that crew first (the boat is freed with it)",
                row.unit_id.as_deref().unwrap_or("a crew")
            ),
        })
    }
}

/// Published rosters (see `published.rs`).
impl<S: DeskStore> Desk<S> {
    /// Publishes `roster` to dispatch. Refused (nothing written) when it is for another
    /// region, breaks a hard rule, or names a unit this region does not have.
    pub fn publish_roster(&mut self, operator: &str, at: DateTime<Utc>, roster: &Roster) -> Result<Ack, Error> {
        if let Some(refused) = published::refusal(roster, &self.region) {
            return Err(refused);
        }
        self.check_time(at.timestamp(), None)?;
        let ack = self.append(None, at.timestamp(), operator, &published::event(roster))?;
        self.rosters.push(Published::new(ack.seq, at.timestamp(), operator, roster));
        Ok(ack)
    }

    /// Re-reads the published rosters when the journal's newest `roster_published` is
    /// not the newest this desk follows (another handle or process published one); true
    /// when it re-read them. A journal shared by several processes needs it: dispatch
    /// follows the roster published anywhere, not only here.
    pub fn follow_published_rosters(&mut self) -> Result<bool, Error> {
        let newest = self.journal.latest_seq_of(published::KIND)?;
        if newest == self.rosters.last().map(|p| p.summary().seq) {
            return Ok(false);
        }
        self.rosters = published::load(&self.journal)?;
        Ok(true)
    }

    /// Every published roster, oldest first.
    pub fn published_rosters(&self) -> Vec<PublishedRoster> {
        self.rosters.iter().map(|p| p.summary().clone()).collect()
    }

    /// The newest published roster in full (for the leader's what-if and exports).
    pub fn latest_published_roster(&self) -> Result<Option<Roster>, Error> {
        Ok(published::latest(self.journal())?.map(|l| l.roster))
    }

    /// The newest published roster with who published it when, read from the journal.
    pub fn latest_published(&self) -> Result<Option<LatestRoster>, Error> {
        published::latest(self.journal())
    }
}

/// The status board at `now`: every open incident with its timer against the thresholds
/// `t`, and every unit where the desk has it.
pub fn board<S: DeskStore>(desk: &Desk<S>, now: i64, t: &Thresholds) -> Result<Board, Error> {
    let mut incidents = Vec::new();
    for r in desk.journal().open_incidents()? {
        let since_at = match r.state {
            IncidentState::Received => r.received_utc,
            IncidentState::Dispatched => r.dispatched_utc.unwrap_or(r.received_utc),
            IncidentState::EnRoute => r.en_route_utc.unwrap_or(r.received_utc),
            _ => r.on_scene_utc.unwrap_or(r.received_utc),
        };
        let kind = r.unit_id.as_deref().and_then(|u| desk.region.units.iter().find(|x| x.id.0 == u)).map(|u| u.kind);
        let mode = BoardMode::of(kind, r.route_mode.as_deref());
        let limits = t.limits(r.state, r.priority, mode, r.eta_s);
        let since = (now - since_at).max(0);
        incidents.push(BoardIncident {
            id: r.id,
            state: r.state,
            incident_type: r.incident_type.clone(),
            priority: r.priority,
            island: r.island.clone(),
            lon: r.lon,
            lat: r.lat,
            unit: r.unit_id.clone(),
            since_s: since,
            level: limits.level(since),
            route_mode: r.route_mode.clone(),
            eta_s: r.eta_s,
            board_mode: r.unit_id.as_ref().map(|_| mode),
            carrier: r.carrier_id.clone().filter(|_| r.unit_id.is_some()),
            carrier_step: match (&r.carrier_id, &r.unit_id) {
                (Some(boat), Some(_)) => desk.carrier_step_of(r.id, boat)?,
                _ => None,
            },
            amber_s: limits.amber_s,
            red_s: limits.red_s,
        });
    }
    let rows = desk.journal().unit_rows()?;
    // Boats carrying a crew, by boat: the open incidents' pairings whose boat still holds
    // the incident (not back at its base).
    let holds = |boat: &str, id: IncidentId| rows.iter().any(|r| r.unit_id == boat && r.incident_id == Some(id));
    let carrying: std::collections::HashMap<String, String> = incidents
        .iter()
        .filter(|i| i.carrier.as_deref().is_some_and(|b| holds(b, i.id)))
        .filter_map(|i| Some((i.carrier.clone()?, i.unit.clone()?)))
        .collect();
    let fleet = desk.fleet_at(now)?;
    let mut planned = desk.planned_tasks(now)?;
    let mut units = Vec::new();
    for u in &desk.region.units {
        let state = fleet.state(&u.id).ok_or_else(|| Error::unknown("unit", u.id.0.clone()))?;
        let place = desk.region.place(&state.position).ok_or_else(|| Error::unknown("place", state.position.0.clone()))?;
        let row = rows.iter().find(|r| UnitId(r.unit_id.clone()) == u.id);
        units.push(BoardUnit {
            unit: u.id.0.clone(),
            call_sign: u.call_sign.clone(),
            kind: u.kind,
            status: state.status,
            position: state.position.0.clone(),
            island: place.island.0.clone(),
            lon: place.lon,
            lat: place.lat,
            incident: row.and_then(|r| r.incident_id),
            since_s: row.map(|r| (now - r.since_utc).max(0)),
            carrying: carrying.get(&u.id.0).cloned(),
            planned: planned.remove(&u.id.0),
        });
    }
    Ok(Board { at: now, incidents, units })
}

fn mark_synthetic(mut body: EventBody, on: bool) -> EventBody {
    if on {
        match &mut body {
            EventBody::Checkpoint { synthetic, .. }
            | EventBody::Patrol { synthetic, .. }
            | EventBody::ServiceStall { synthetic, .. }
            | EventBody::Hazard { synthetic, .. }
            | EventBody::TipReceived { synthetic, .. } => *synthetic = true,
            _ => {}
        }
    }
    body
}

/// The recommended row in words: "crew" or "crew carried by boat".
pub(crate) fn recommended_row(plan: &tidewatch_core::dispatch::TripPlan) -> String {
    match (plan.recommended_unit.as_deref(), plan.recommended_carrier.as_deref()) {
        (Some(unit), Some(boat)) => format!("{unit} carried by {boat}"),
        (Some(unit), None) => unit.to_string(),
        (None, _) => "another unit".to_string(),
    }
}
