//! The crew's page (a unit's crew on their phones): what the unit is sent to, with the
//! route in words and the sailing to catch, and the crew's own actions. A crew member
//! signs in with their own account (role `crew`) for one unit; the caller (the service)
//! keeps the unit with the session and passes it to every call here, where it is checked:
//! a crew acts only on the incident its unit is on, and only for its unit. Every action is
//! the desk's own step, journaled under the crew member's name (`desk/crew.rs`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Workstation;
use crate::accounts::{Action, Session};
use crate::desk::{CarrierStep, CrewStatus, CrewStep, DeskStore};
use tidewatch_core::dispatch::{recommend, IncidentState, UnitStatus};
use tidewatch_core::ids::{IncidentId, IslandId, PlaceId, UnitId};
use tidewatch_core::region::{Region, RouteMode};
use tidewatch_core::route::{Leg, LegMode};
use tidewatch_core::Error;
use tidewatch_journal::{Ack, Event, EventBody};

/// The earliest and latest phone time taken (2000-01-01 to 2100-01-01 UTC): anything else
/// is not a clock reading.
const PHONE_UTC_RANGE: std::ops::RangeInclusive<i64> = 946_684_800..=4_102_444_800;

/// A thing with a name in both languages (a place, an island, a ferry route, a bridge).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// What the crew's page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CrewView {
    pub unit: String,
    pub call_sign: String,
    pub status: UnitStatus,
    /// Where the desk has the unit (its last known place).
    pub position: Option<Named>,
    /// The incident the unit is on, if any.
    pub assignment: Option<Assignment>,
    /// For a boat carrying a land crew to `assignment` (issue #16): the boat's job.
    pub carrying: Option<CarrierJob>,
}

/// A boat's job as the carrier of a land crew: whom it takes from which pier to which, the
/// crew's own status, and the last step the boat reported.
#[derive(Debug, Clone, Serialize)]
pub struct CarrierJob {
    pub crew_unit: String,
    pub crew_call_sign: String,
    pub crew_status: UnitStatus,
    /// The piers of the crossing as the desk plans it now (from where the crew was sent);
    /// None when no crossing by this boat works out any more.
    pub pickup: Option<Named>,
    pub landing: Option<Named>,
    /// Local `HH:MM` the boat is planned to leave the pickup pier.
    pub departs: Option<String>,
    /// The boat's latest step (`to_pickup`, `crew_aboard`, `crew_landed`, `returning`,
    /// `at_base`), none before the first.
    pub step: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub incident_id: IncidentId,
    pub state: IncidentState,
    pub incident_type: Named,
    pub priority: u8,
    pub lon: f64,
    pub lat: f64,
    /// The place the incident is reached from, and its island.
    pub place: Option<Named>,
    pub island: Option<Named>,
    /// The call as taken, then every note on the incident, oldest first.
    pub text: String,
    pub notes: Vec<NoteLine>,
    pub dispatched_utc: Option<i64>,
    /// The crew acknowledged this dispatch.
    pub acknowledged: bool,
    /// The route from where the unit is, as the desk's recommendation words it; None when
    /// it cannot be worked out (unreachable now, or the unit is on scene).
    pub route: Option<CrewRoute>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteLine {
    pub at_utc: i64,
    pub operator: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrewRoute {
    pub eta_s: u32,
    pub route_mode: RouteMode,
    pub legs: Vec<CrewLeg>,
    /// The first sailing on the way: the one to catch.
    pub sailing: Option<Sailing>,
}

/// One leg in words: from, to, start (local `HH:MM`), seconds; the ferry route of a wait or
/// a crossing, the bridges of a drive.
#[derive(Debug, Clone, Serialize)]
pub struct CrewLeg {
    pub mode: LegMode,
    pub from: Named,
    pub to: Named,
    pub start: String,
    pub seconds: u32,
    pub route: Option<Named>,
    pub bridges: Vec<Named>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sailing {
    pub route: Named,
    pub from: Named,
    /// Local `HH:MM` it leaves.
    pub departs: String,
}

impl<S: DeskStore> Workstation<S> {
    /// What `unit`'s crew sees at `at`: the unit, and the incident it is on with the route.
    pub fn crew_view(&mut self, at: DateTime<Utc>, unit: &UnitId) -> Result<CrewView, Error> {
        self.crew(unit)?;
        let region = self.region();
        let call_sign = region.unit(unit).map(|u| u.call_sign.clone()).unwrap_or_default();
        let fleet = self.desk.fleet_at(at.timestamp())?;
        let state = fleet.state(unit).cloned().ok_or_else(|| Error::unknown("unit", unit.0.clone()))?;
        let on = self.desk.journal().unit_rows()?.into_iter().find(|r| r.unit_id == unit.0).and_then(|r| r.incident_id);
        let assignment = match on {
            Some(id) => Some(self.assignment(at, unit, id)?),
            None => None,
        };
        let carrying = match on {
            Some(id) => self.carrier_job(unit, id)?,
            None => None,
        };
        Ok(CrewView {
            unit: unit.0.clone(),
            call_sign,
            status: state.status,
            position: place_named(self.region(), &state.position),
            assignment,
            carrying,
        })
    }

    /// `step` by `unit`'s crew on incident `id` (the unit's own incident only), at `at`,
    /// with the phone's time; journaled under the crew member.
    pub fn crew_act(
        &mut self,
        at: DateTime<Utc>,
        unit: &UnitId,
        id: IncidentId,
        step: &CrewStep,
        phone_utc: Option<i64>,
    ) -> Result<Ack, Error> {
        let session = self.crew(unit)?;
        check_phone_time(phone_utc)?;
        let row = self.desk.incident(id)?;
        if row.unit_id.as_deref() != Some(unit.0.as_str()) {
            return Err(refusal(&session, format!("act on incident {id}: unit {unit} is not on it")));
        }
        self.desk.crew_step(&session.username, at, id, unit, step, phone_utc)
    }

    /// `step` of `boat` as the carrier of incident `id`'s crew (refused unless the boat
    /// carries that incident's crew), at `at`, with the phone's time.
    pub fn carrier_act(
        &mut self,
        at: DateTime<Utc>,
        boat: &UnitId,
        id: IncidentId,
        step: CarrierStep,
        phone_utc: Option<i64>,
    ) -> Result<Ack, Error> {
        let session = self.crew(boat)?;
        check_phone_time(phone_utc)?;
        let row = self.desk.incident(id)?;
        if row.carrier_id.as_deref() != Some(boat.0.as_str()) || row.unit_id.is_none() {
            return Err(refusal(&session, format!("report a carrier's step on incident {id}: {boat} carries no crew for it")));
        }
        self.desk.carrier_step(&session.username, at, id, boat, step, phone_utc)
    }

    /// The unit's own status from its crew (available, off duty, returning).
    pub fn crew_status(&mut self, at: DateTime<Utc>, unit: &UnitId, status: CrewStatus, phone_utc: Option<i64>) -> Result<Ack, Error> {
        let session = self.crew(unit)?;
        check_phone_time(phone_utc)?;
        self.desk.crew_status(&session.username, at, unit, status, phone_utc)
    }

    /// The signed-in crew member, for a unit the region has.
    fn crew(&mut self, unit: &UnitId) -> Result<Session, Error> {
        let session = self.authorized(Action::Crew)?.clone();
        if self.region().unit(unit).is_none() {
            return Err(Error::unknown("unit", unit.0.clone()));
        }
        Ok(session)
    }

    /// `boat`'s job when it carries incident `id`'s crew: the crossing as the desk plans it
    /// from the dispatch's time with both units free (the piers do not move as the crew
    /// does).
    fn carrier_job(&self, boat: &UnitId, id: IncidentId) -> Result<Option<CarrierJob>, Error> {
        let row = self.desk.incident(id)?;
        let (Some(crew), Some(_)) = (row.unit_id.clone(), row.carrier_id.as_ref().filter(|b| **b == boat.0)) else { return Ok(None) };
        let region = self.region();
        let crew_id = UnitId(crew.clone());
        let mut fleet = self.desk.fleet_at(row.dispatched_utc.unwrap_or(row.received_utc))?;
        let crew_status = fleet.state(&crew_id).map_or(UnitStatus::Available, |s| s.status);
        for u in [&crew_id, boat] {
            if let Some(s) = fleet.states.get_mut(u) {
                s.status = UnitStatus::Available;
            }
        }
        let sent = DateTime::from_timestamp(row.dispatched_utc.unwrap_or(row.received_utc), 0).unwrap_or_default();
        let query = self.desk.incident_query(id, sent, &self.conditions)?;
        let ranked = recommend(region, &self.desk.net, &fleet, &query)?;
        let carried = ranked.candidates.iter().find(|c| c.unit == crew && c.carrier.as_ref().is_some_and(|b| b.unit == boat.0));
        let crossing = carried.and_then(|c| c.legs.iter().find(|l| l.mode == LegMode::Boat)).map(|l| crew_leg(region, l));
        Ok(Some(CarrierJob {
            crew_call_sign: region.unit(&crew_id).map(|u| u.call_sign.clone()).unwrap_or_default(),
            crew_unit: crew,
            crew_status,
            pickup: crossing.as_ref().map(|l| l.from.clone()),
            landing: crossing.as_ref().map(|l| l.to.clone()),
            departs: crossing.map(|l| l.start),
            step: self.desk.carrier_step_of(id, &boat.0)?,
        }))
    }

    fn assignment(&self, at: DateTime<Utc>, unit: &UnitId, id: IncidentId) -> Result<Assignment, Error> {
        let row = self.desk.incident(id)?;
        let events = self.desk.journal().incident_events(id)?;
        let region = self.region();
        let itype = region.incident_type(&tidewatch_core::ids::IncidentTypeId(row.incident_type.clone()));
        let (text, node) = received(&events);
        let route = if row.state == IncidentState::OnScene { None } else { self.route(at, unit, id)? };
        Ok(Assignment {
            incident_id: id,
            state: row.state,
            incident_type: Named {
                id: row.incident_type.clone(),
                zh: itype.map(|t| t.name_zh.clone()).unwrap_or_default(),
                en: itype.map(|t| t.name_en.clone()).unwrap_or_default(),
            },
            priority: row.priority,
            lon: row.lon,
            lat: row.lat,
            place: node.and_then(|n| place_named(region, &PlaceId(n))),
            island: row.island.as_ref().and_then(|i| region.island(&IslandId(i.clone()))).map(|i| Named {
                id: i.id.0.clone(),
                zh: i.name_zh.clone(),
                en: i.name_en.clone(),
            }),
            text,
            notes: notes(&events),
            dispatched_utc: row.dispatched_utc,
            acknowledged: acknowledged(&events, unit),
            route,
        })
    }

    /// The unit's route to incident `id` as the recommendation words it, the unit taken as
    /// free where it is (it is busy with this very incident).
    fn route(&self, at: DateTime<Utc>, unit: &UnitId, id: IncidentId) -> Result<Option<CrewRoute>, Error> {
        let mut fleet = self.desk.fleet_at(at.timestamp())?;
        if let Some(s) = fleet.states.get_mut(unit) {
            s.status = UnitStatus::Available;
        }
        let query = self.desk.incident_query(id, at, &self.conditions)?;
        let ranked = recommend(self.region(), &self.desk.net, &fleet, &query)?;
        let Some(c) = ranked.candidates.into_iter().find(|c| c.unit == unit.0) else { return Ok(None) };
        let region = self.region();
        let legs: Vec<CrewLeg> = c.legs.iter().map(|l| crew_leg(region, l)).collect();
        let sailing = legs
            .iter()
            .find(|l| l.mode == LegMode::Ferry)
            .and_then(|l| Some(Sailing { route: l.route.clone()?, from: l.from.clone(), departs: l.start.clone() }));
        Ok(Some(CrewRoute { eta_s: c.eta_s, route_mode: c.route_mode, legs, sailing }))
    }
}

fn refusal(session: &Session, action: String) -> Error {
    Error::Forbidden { user: session.username.clone(), role: session.role.name().into(), action }
}

fn check_phone_time(phone_utc: Option<i64>) -> Result<(), Error> {
    match phone_utc {
        Some(t) if !PHONE_UTC_RANGE.contains(&t) => Err(Error::invalid("phone_utc", "not a time between 2000 and 2100 (UTC seconds)")),
        _ => Ok(()),
    }
}

/// The call's text and the place it is reached from, from its `received` event.
fn received(events: &[Event]) -> (String, Option<String>) {
    events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Received { text, node, .. } => Some((text.clone(), node.clone())),
            _ => None,
        })
        .unwrap_or_default()
}

fn notes(events: &[Event]) -> Vec<NoteLine> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Note { text } => Some(NoteLine { at_utc: e.at_utc, operator: e.operator.clone(), text: text.clone() }),
            _ => None,
        })
        .collect()
}

/// Whether `unit`'s crew acknowledged its latest dispatch to this incident.
fn acknowledged(events: &[Event], unit: &UnitId) -> bool {
    let since = events.iter().rposition(|e| matches!(&e.body, EventBody::Dispatched { unit: u, .. } if *u == unit.0));
    since.is_some_and(|i| {
        events[i..].iter().any(|e| {
            matches!(&e.body, EventBody::CrewAction { unit: u, action, .. } if *u == unit.0 && *action == tidewatch_journal::CrewActionKind::Acknowledged)
        })
    })
}

fn place_named(region: &Region, id: &PlaceId) -> Option<Named> {
    region.place(id).map(|p| Named { id: p.id.0.clone(), zh: p.name_zh.clone(), en: p.name_en.clone() })
}

/// A leg's end: a place, the incident itself, or the unit's reported position.
fn end_named(region: &Region, id: &str) -> Named {
    place_named(region, &PlaceId(id.to_string())).unwrap_or_else(|| match id {
        "incident" => Named { id: id.into(), zh: "现场".into(), en: "the scene".into() },
        "position" => Named { id: id.into(), zh: "当前位置".into(), en: "where you are".into() },
        other => Named { id: other.into(), zh: other.into(), en: other.into() },
    })
}

fn crew_leg(region: &Region, leg: &Leg) -> CrewLeg {
    let route = leg.route.as_ref().map(|r| {
        region
            .ferry_routes
            .iter()
            .find(|f| f.id.0 == *r)
            .map(|f| Named { id: r.clone(), zh: f.name_zh.clone(), en: f.name_en.clone() })
            .unwrap_or_else(|| Named { id: r.clone(), zh: r.clone(), en: r.clone() })
    });
    let bridges = leg
        .bridges
        .iter()
        .map(|b| {
            region
                .bridges
                .iter()
                .find(|x| x.id.0 == *b)
                .map(|x| Named { id: b.clone(), zh: x.name_zh.clone(), en: x.name_en.clone() })
                .unwrap_or_else(|| Named { id: b.clone(), zh: b.clone(), en: b.clone() })
        })
        .collect();
    CrewLeg {
        mode: leg.mode,
        from: end_named(region, &leg.from),
        to: end_named(region, &leg.to),
        // RFC 3339 in the region's zone: "2026-07-01T09:30:00+08:00" → "09:30".
        start: leg.start.get(11..16).unwrap_or("").to_string(),
        seconds: leg.seconds,
        route,
        bridges,
    }
}
