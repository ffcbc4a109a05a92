//! The dispatcher's screen: intake, recommendation, assignment, status changes, the board.

use chrono::{DateTime, Utc};

use serde::{Deserialize, Serialize};

use super::Workstation;
use crate::accounts::Action;
use crate::desk::{board, CarriedAsk, Desk, DeskStore, Intake, ReassignOption, PREVIEW_RANGE_DAYS};
use tidewatch_core::dispatch::{Board, IncidentQuery, Recommendation, Thresholds};
use tidewatch_core::ids::{IncidentId, IncidentTypeId, UnitId};
use tidewatch_core::route::{boats_in_port, closed_links, ClosedLink, Conditions};
use tidewatch_core::Error;
use tidewatch_journal::{Ack, Event};

/// The conditions the desk works under, what they close, and who set them when.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ConditionsView {
    #[serde(flatten)]
    pub conditions: Conditions,
    /// Every bridge closed and ferry route suspended, by hand or by the weather, and why.
    pub closed_links: Vec<ClosedLink>,
    /// Police boats stay in port at this wind.
    pub boats_in_port: bool,
    pub set_by: Option<String>,
    pub set_at: Option<i64>,
}

/// A call as it would come in with the desk's clock set to `at` (seconds since the epoch).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct PreviewQuery {
    pub at: i64,
    pub lon: f64,
    pub lat: f64,
    pub incident_type: String,
    pub priority: Option<u8>,
}

/// The board's thresholds, who set them when (none: the defaults, never set).
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct BoardThresholdsView {
    pub thresholds: Thresholds,
    /// What a desk that never had them set uses.
    pub defaults: Thresholds,
    pub set_by: Option<String>,
    pub set_at: Option<i64>,
}

/// The board thresholds last journaled (the defaults when there are none): a restarted
/// desk judges the board as it did.
pub(super) fn restored_thresholds<S: DeskStore>(desk: &Desk<S>) -> Thresholds {
    desk.journaled_board_thresholds().ok().flatten().map(|(t, _)| t).unwrap_or_default()
}

/// The conditions last journaled (clear weather, nothing closed, when there are none): a
/// restarted desk keeps believing what it believed.
pub(super) fn restored_conditions<S: DeskStore>(desk: &Desk<S>) -> Conditions {
    // An unreadable journal fails loudly on the first real read; the desk still starts.
    desk.journaled_conditions().ok().flatten().map(|(c, _)| c).unwrap_or_default()
}

impl<S: DeskStore> Workstation<S> {
    /// Sets the conditions every later recommendation and assignment uses, and journals
    /// them under the operator (supervisors can see what the desk believed, and a
    /// restarted desk restores them).
    pub fn set_conditions(&mut self, at: DateTime<Utc>, conditions: Conditions) -> Result<ConditionsView, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.record_conditions(&op, at, &conditions)?;
        self.conditions = conditions;
        self.conditions_view()
    }

    /// Polled by the conditions bar: not itself the operator's activity.
    pub fn conditions_view(&mut self) -> Result<ConditionsView, Error> {
        self.watching()?;
        let set = self.desk.journaled_conditions()?.map(|(_, e)| e);
        Ok(ConditionsView {
            conditions: self.conditions.clone(),
            closed_links: closed_links(&self.desk.net, &self.conditions)?,
            boats_in_port: boats_in_port(&self.desk.net, &self.conditions),
            set_by: set.as_ref().map(|e| e.operator.clone()),
            set_at: set.map(|e| e.at_utc),
        })
    }

    pub fn receive(&mut self, at: DateTime<Utc>, intake: &Intake) -> Result<IncidentId, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.receive(&op, at, intake)
    }

    pub fn recommend(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Recommendation, Error> {
        self.authorized(Action::Dispatch)?;
        self.desk.recommend(id, at, &self.conditions)
    }

    /// Sends `unit`; another unit than the first needs `override_reason`, a busy one
    /// `reassign_reason` (it is withdrawn from its incident).
    pub fn assign(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        unit: &UnitId,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        let conditions = self.conditions.clone();
        self.desk.dispatch(&op, at, id, unit, &conditions, override_reason, reassign_reason)
    }

    /// Sends `crew` carried across by `boat` (a carried row of the recommendation): both
    /// are committed to the incident, the pairing journaled; another row than the first
    /// needs `override_reason`.
    pub fn assign_carried(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        crew: &UnitId,
        boat: &UnitId,
        override_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        let conditions = self.conditions.clone();
        self.desk.dispatch_carried(&op, at, id, CarriedAsk { crew, boat, override_reason }, &conditions)
    }

    /// Journals a call to one of the island's community responders about incident `id`.
    pub fn call_responder(&mut self, at: DateTime<Utc>, id: IncidentId, responder: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.call_responder(&op, at, id, responder)
    }

    /// Marks incident `id`'s boat back at its base: free for other incidents, its crew
    /// still on this one (when the boat's phone did not report it).
    pub fn boat_back(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.boat_back(&op, at, id)
    }

    pub fn en_route(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.en_route(&op, at, id)
    }

    pub fn on_scene(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.on_scene(&op, at, id)
    }

    pub fn clear(&mut self, at: DateTime<Utc>, id: IncidentId, outcome: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.clear(&op, at, id, outcome)
    }

    pub fn cancel(&mut self, at: DateTime<Utc>, id: IncidentId, reason: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.cancel(&op, at, id, reason)
    }

    /// The ranking the desk would give a call at `query.at` (the clock set there): that
    /// moment's sailings and published rosters, the units where and as they are now, the
    /// conditions as set. It journals nothing: a live incident always carries the real time,
    /// so looking ahead ("who reaches 长白 at 23:40, after the last ferry?") is a question,
    /// never an entry.
    pub fn preview(&mut self, now: DateTime<Utc>, query: &PreviewQuery) -> Result<Recommendation, Error> {
        self.authorized(Action::Dispatch)?;
        // Beyond chrono's range is certainly beyond the preview range.
        let at = DateTime::from_timestamp(query.at, 0).ok_or_else(|| {
            Error::invalid("at", format!("the desk's clock can be set up to {PREVIEW_RANGE_DAYS} days either side of now"))
        })?;
        self.desk.preview(
            now,
            &IncidentQuery {
                at,
                lon: query.lon,
                lat: query.lat,
                incident_type: IncidentTypeId(query.incident_type.clone()),
                priority: query.priority,
                conditions: self.conditions.clone(),
            },
        )
    }

    /// Polled every second by the dispatcher's screen: not itself the operator's activity,
    /// so a desk left showing the board still signs its operator out when idle.
    pub fn board(&mut self, at: DateTime<Utc>) -> Result<Board, Error> {
        self.watching()?;
        board(&self.desk, at.timestamp(), &self.thresholds)
    }

    /// The thresholds the board judges by, and who set them when. Anyone signed in may
    /// read them (the dispatcher's legend says what amber and red mean).
    pub fn board_thresholds(&mut self) -> Result<BoardThresholdsView, Error> {
        self.signed_in()?;
        let set = self.desk.journaled_board_thresholds()?.map(|(_, e)| e);
        Ok(BoardThresholdsView {
            thresholds: self.thresholds,
            defaults: Thresholds::default(),
            set_by: set.as_ref().map(|e| e.operator.clone()),
            set_at: set.map(|e| e.at_utc),
        })
    }

    /// Supervisors (and administrators): sets the board's thresholds, journaled under the
    /// operator. Checked first: a refused role or a bad table writes nothing.
    pub fn set_board_thresholds(&mut self, at: DateTime<Utc>, thresholds: Thresholds) -> Result<BoardThresholdsView, Error> {
        let op = self.operator(Action::ConfigureBoard)?;
        self.desk.record_board_thresholds(&op, at, &thresholds)?;
        self.thresholds = thresholds;
        self.board_thresholds()
    }

    pub fn timeline(&mut self, id: IncidentId) -> Result<Vec<Event>, Error> {
        self.signed_in()?;
        self.desk.timeline(id)
    }
}

impl<S: DeskStore> Workstation<S> {
    /// Every eligible unit on duty for incident `id`, busy ones included (with the incident
    /// they would be taken off), fastest first; the unit already on it is left out.
    pub fn reassign_options(&mut self, at: DateTime<Utc>, id: IncidentId) -> Result<Vec<ReassignOption>, Error> {
        self.authorized(Action::Dispatch)?;
        self.desk.reassign_options(id, at, &self.conditions)
    }

    /// Sends `unit` to incident `id` instead of the unit it has (withdrawn with `reason`);
    /// a busy `unit` is taken off its own incident with the same reason. All or nothing.
    pub fn reassign(&mut self, at: DateTime<Utc>, id: IncidentId, unit: &UnitId, reason: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        let conditions = self.conditions.clone();
        self.desk.reassign(&op, at, id, unit, &conditions, reason)
    }

    /// Sends `crew` carried across by `boat` to incident `id` instead of the unit it has
    /// (withdrawn with `reason`, its boat freed); a busy crew is taken off its own incident
    /// with the same reason. All or nothing.
    pub fn reassign_carried(
        &mut self,
        at: DateTime<Utc>,
        id: IncidentId,
        crew: &UnitId,
        boat: &UnitId,
        reason: &str,
    ) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        let conditions = self.conditions.clone();
        self.desk.reassign_carried(&op, at, id, CarriedAsk { crew, boat, override_reason: Some(reason) }, &conditions)
    }

    /// A free-text note on an incident's timeline (open or closed).
    pub fn note(&mut self, at: DateTime<Utc>, id: IncidentId, text: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.note(&op, at, id, text)
    }
}
