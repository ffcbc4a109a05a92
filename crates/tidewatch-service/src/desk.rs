//! The dispatcher's desk over HTTP: each call runs the `Workstation` method a local desk
//! runs, as the request's operator (`Journals::acting`), and returns what it returns, so a
//! remote desk sees what a local one sees. The role checks are the workstation's; the seat
//! checks (`seats.rs`) are made here first, inside the same call, so the incident cannot
//! change between the check and the action.

use serde::{Deserialize, Serialize};
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::dispatch::{Board, Recommendation, Thresholds};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_journal::{Ack, CallSource, Event};
use tidewatch_workstation::accounts::{Action, Session};
use tidewatch_workstation::desk::Intake;
use tidewatch_workstation::{BoardThresholdsView, ConditionsView, PreviewQuery, ReassignOption};

use crate::error::ApiError;
use crate::seats::{centre_only, in_area, may_take};
use crate::{body, Service, MAX_ID, MAX_REASON, MAX_TEXT};

/// A new call as a desk sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeBody {
    pub incident_type: String,
    pub priority: Option<u8>,
    pub lon: f64,
    pub lat: f64,
    pub source: CallSource,
    #[serde(default)]
    pub text: String,
}

impl IntakeBody {
    fn checked(self) -> Result<Intake, ApiError> {
        body::at_most("incident_type", &self.incident_type, MAX_ID)?;
        body::at_most("text", &self.text, MAX_TEXT)?;
        body::printable("incident_type", &self.incident_type)?;
        no_nul("text", &self.text)?;
        let IntakeBody { incident_type, priority, lon, lat, source, text } = self;
        Ok(Intake { incident_type, priority, lon, lat, source, text })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Received {
    pub incident_id: IncidentId,
}

/// Which unit to send, and why when it is not the recommended one or is busy elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispatchBody {
    pub unit: String,
    pub override_reason: Option<String>,
    pub reassign_reason: Option<String>,
}

impl DispatchBody {
    fn check(&self) -> Result<(), ApiError> {
        unit_id(&self.unit)?;
        reason("override_reason", self.override_reason.as_deref())?;
        reason("reassign_reason", self.reassign_reason.as_deref())
    }
}

/// A crew carried across by a police boat (a carried row of the recommendation), and why
/// when it is not the first row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarriedBody {
    pub unit: String,
    pub carrier: String,
    pub override_reason: Option<String>,
}

/// A community responder called about the incident (the pack's id).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponderCallBody {
    pub responder: String,
}

/// `{outcome}` (clear), `{reason}` (cancel), `{text}` (note), `{unit, reason}` (reassign).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClearBody {
    pub outcome: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    pub unit: String,
    pub reason: String,
    /// The police boat carrying `unit`'s crew (a carried reassign option, issue #16).
    #[serde(default)]
    pub carrier: Option<String>,
}

fn unit_id(unit: &str) -> Result<UnitId, ApiError> {
    body::at_most("unit", unit, MAX_ID)?;
    body::printable("unit", unit)?;
    Ok(UnitId(unit.to_string()))
}

fn reason(field: &str, reason: Option<&str>) -> Result<(), ApiError> {
    if let Some(reason) = reason {
        body::at_most(field, reason, MAX_REASON)?;
        body::printable(field, reason)?;
    }
    Ok(())
}

/// Free text may have line breaks, but no NUL (PostgreSQL text cannot hold it).
fn no_nul(field: &str, text: &str) -> Result<(), ApiError> {
    if text.contains('\0') {
        return Err(ApiError::bad_field(field, "no NUL characters"));
    }
    Ok(())
}

/// A status change of an incident (the ones with no body).
#[derive(Debug, Clone, Copy)]
pub enum Step {
    EnRoute,
    OnScene,
    /// The incident's boat back at its base (issue #16): free again, its crew still there.
    BoatBack,
}

impl Service {
    /// The board as `Workstation::board` gives it (the thresholds applied), the seat's own
    /// incidents and units first.
    pub async fn desk_board(&self, operator: &Session, seat: &Seat) -> Result<Board, ApiError> {
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self
            .journals
            .acting(operator, move |w| {
                let mut board = w.board(now)?;
                seat.own_first(w.region(), &mut board);
                Ok(board)
            })
            .await?)
    }

    /// A new call, through the desk's rules (type, priority, place, clock), from any seat (a
    /// station takes a call that is not its own, as the desk does). Needs the dispatch role.
    pub async fn receive(&self, operator: &Session, intake: IntakeBody) -> Result<Received, ApiError> {
        let intake = intake.checked()?;
        let now = self.clock.now_utc();
        let incident_id = self.journals.acting(operator, move |w| w.receive(now, &intake)).await?;
        Ok(Received { incident_id })
    }

    pub async fn recommend(&self, operator: &Session, id: IncidentId) -> Result<Recommendation, ApiError> {
        let (now, live) = (self.clock.now_utc(), self.live_fixes().await?);
        Ok(self.journals.acting(operator, move |w| w.with_live(live, |w| w.recommend(now, id))).await?)
    }

    pub async fn preview(&self, operator: &Session, query: PreviewQuery) -> Result<Recommendation, ApiError> {
        body::at_most("incident_type", &query.incident_type, MAX_ID)?;
        let (now, live) = (self.clock.now_utc(), self.live_fixes().await?);
        Ok(self.journals.acting(operator, move |w| w.with_live(live, |w| w.preview(now, &query))).await?)
    }

    /// Sends `unit` to incident `id` through the desk's rules; the store claims the unit in
    /// the same transaction, so of two seats sending one unit at once one is refused
    /// (`unit_taken`, naming who holds it). Needs the dispatch role and, at a station or the
    /// squadron, the incident in the seat's area (and a busy unit taken only off another of
    /// its incidents).
    pub async fn dispatch(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: DispatchBody) -> Result<Ack, ApiError> {
        ask.check()?;
        let (now, seat, live) = (self.clock.now_utc(), seat.clone(), self.live_fixes().await?);
        Ok(self
            .journals
            .acting(operator, move |w| {
                let unit = UnitId(ask.unit);
                in_area(w, &seat, id)?;
                may_take(w, &seat, id, &unit)?;
                w.with_live(live, |w| w.assign(now, id, &unit, ask.override_reason.as_deref(), ask.reassign_reason.as_deref()))
            })
            .await?)
    }

    /// Sends a crew carried across by a police boat, as [`Service::dispatch`] sends one
    /// unit: the store claims both in the same transaction, so of two seats taking the same
    /// crew or boat at once one is refused (`unit_taken`, naming the unit and who has it).
    pub async fn dispatch_carried(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: CarriedBody) -> Result<Ack, ApiError> {
        let crew = unit_id(&ask.unit)?;
        body::at_most("carrier", &ask.carrier, MAX_ID)?;
        body::printable("carrier", &ask.carrier)?;
        reason("override_reason", ask.override_reason.as_deref())?;
        let (now, seat, live) = (self.clock.now_utc(), seat.clone(), self.live_fixes().await?);
        let boat = UnitId(ask.carrier);
        // Both units must be free (the desk refuses a busy one), so no seat takes a unit
        // off another area's incident here.
        Ok(self
            .journals
            .acting(operator, move |w| {
                in_area(w, &seat, id)?;
                w.with_live(live, |w| w.assign_carried(now, id, &crew, &boat, ask.override_reason.as_deref()))
            })
            .await?)
    }

    /// Journals a call to a community responder about an incident in the seat's area.
    pub async fn call_responder(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: ResponderCallBody) -> Result<Ack, ApiError> {
        body::at_most("responder", &ask.responder, MAX_ID)?;
        body::printable("responder", &ask.responder)?;
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self.journals.acting(operator, move |w| in_area(w, &seat, id).and_then(|()| w.call_responder(now, id, &ask.responder))).await?)
    }

    /// En route, on scene or its boat back, for an incident in the seat's area.
    pub async fn step(&self, operator: &Session, seat: &Seat, id: IncidentId, step: Step) -> Result<Ack, ApiError> {
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self
            .journals
            .acting(operator, move |w| {
                in_area(w, &seat, id)?;
                match step {
                    Step::EnRoute => w.en_route(now, id),
                    Step::OnScene => w.on_scene(now, id),
                    Step::BoatBack => w.boat_back(now, id),
                }
            })
            .await?)
    }

    pub async fn clear(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: ClearBody) -> Result<Ack, ApiError> {
        body::at_most("outcome", &ask.outcome, MAX_REASON)?;
        body::printable("outcome", &ask.outcome)?;
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self.journals.acting(operator, move |w| in_area(w, &seat, id).and_then(|()| w.clear(now, id, &ask.outcome))).await?)
    }

    pub async fn cancel(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: CancelBody) -> Result<Ack, ApiError> {
        reason("reason", Some(&ask.reason))?;
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self.journals.acting(operator, move |w| in_area(w, &seat, id).and_then(|()| w.cancel(now, id, &ask.reason))).await?)
    }

    pub async fn note(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: NoteBody) -> Result<Ack, ApiError> {
        body::at_most("text", &ask.text, MAX_TEXT)?;
        no_nul("text", &ask.text)?;
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self.journals.acting(operator, move |w| in_area(w, &seat, id).and_then(|()| w.note(now, id, &ask.text))).await?)
    }

    /// Anyone signed in may read an incident's timeline (as on the desk).
    pub async fn timeline(&self, operator: &Session, id: IncidentId) -> Result<Vec<Event>, ApiError> {
        Ok(self.journals.acting(operator, move |w| w.timeline(id)).await?)
    }

    pub async fn reassign_options(&self, operator: &Session, id: IncidentId) -> Result<Vec<ReassignOption>, ApiError> {
        let now = self.clock.now_utc();
        let live = self.live_fixes().await?;
        Ok(self.journals.acting(operator, move |w| w.with_live(live, |w| w.reassign_options(now, id))).await?)
    }

    /// Another unit for incident `id`, within the seat's area like a dispatch.
    pub async fn reassign(&self, operator: &Session, seat: &Seat, id: IncidentId, ask: ReassignBody) -> Result<Ack, ApiError> {
        let unit = unit_id(&ask.unit)?;
        reason("reason", Some(&ask.reason))?;
        let boat = match &ask.carrier {
            Some(b) => Some(body::at_most("carrier", b, MAX_ID).and_then(|_| body::printable("carrier", b)).map(|_| UnitId(b.clone()))?),
            None => None,
        };
        let (now, seat, live) = (self.clock.now_utc(), seat.clone(), self.live_fixes().await?);
        // The boat must be free (the desk refuses a busy one); the crew may be taken off an
        // incident of the seat's area, as a unit going alone.
        Ok(self
            .journals
            .acting(operator, move |w| {
                in_area(w, &seat, id)?;
                may_take(w, &seat, id, &unit)?;
                w.with_live(live, |w| match &boat {
                    Some(boat) => w.reassign_carried(now, id, &unit, boat, &ask.reason),
                    None => w.reassign(now, id, &unit, &ask.reason),
                })
            })
            .await?)
    }

    pub async fn conditions(&self, operator: &Session) -> Result<ConditionsView, ApiError> {
        Ok(self.journals.acting(operator, |w| w.conditions_view()).await?)
    }

    /// The conditions hold for every seat: only the centre sets them.
    pub async fn set_conditions(&self, operator: &Session, seat: &Seat, conditions: Conditions) -> Result<ConditionsView, ApiError> {
        for id in &conditions.closed {
            body::at_most("closed", id, MAX_ID)?;
        }
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self
            .journals
            .acting(operator, move |w| {
                centre_only(w, &seat, Action::Dispatch, "set the conditions")?;
                w.set_conditions(now, conditions)
            })
            .await?)
    }

    pub async fn board_thresholds(&self, operator: &Session) -> Result<BoardThresholdsView, ApiError> {
        Ok(self.journals.acting(operator, |w| w.board_thresholds()).await?)
    }

    /// The thresholds hold for every seat's board: only the centre sets them.
    pub async fn set_board_thresholds(&self, operator: &Session, seat: &Seat, t: Thresholds) -> Result<BoardThresholdsView, ApiError> {
        let (now, seat) = (self.clock.now_utc(), seat.clone());
        Ok(self
            .journals
            .acting(operator, move |w| {
                centre_only(w, &seat, Action::ConfigureBoard, "set the board thresholds")?;
                w.set_board_thresholds(now, t)
            })
            .await?)
    }
}
