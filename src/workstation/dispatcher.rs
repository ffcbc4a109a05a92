//! The dispatcher's screen: intake, recommendation, assignment, status changes, the board.

use chrono::{DateTime, Utc};

use super::Workstation;
use crate::accounts::{Action, Session};
use crate::dispatch::{board, Board, Intake, Recommendation, Thresholds};
use crate::ids::UnitId;
use crate::route::Conditions;
use crate::store::{Ack, Event};
use crate::Error;

impl Workstation {
    /// Any signed-in operator may look (map, board, timelines); acting needs a role.
    pub fn signed_in(&self) -> Result<&Session, Error> {
        self.session.as_ref().ok_or(Error::NotSignedIn)
    }

    /// Sets the conditions every later recommendation uses.
    pub fn set_conditions(&mut self, conditions: Conditions) -> Result<(), Error> {
        self.authorized(Action::Dispatch)?;
        self.conditions = conditions;
        Ok(())
    }

    pub fn receive(&mut self, at: DateTime<Utc>, intake: &Intake) -> Result<i64, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.receive(&op, at, intake)
    }

    pub fn recommend(&self, at: DateTime<Utc>, id: i64) -> Result<Recommendation, Error> {
        self.authorized(Action::Dispatch)?;
        self.desk.recommend(id, at, &self.conditions)
    }

    /// Sends `unit`; another unit than the first needs `override_reason`, a busy one
    /// `reassign_reason` (it is withdrawn from its incident).
    pub fn assign(
        &mut self,
        at: DateTime<Utc>,
        id: i64,
        unit: &UnitId,
        override_reason: Option<&str>,
        reassign_reason: Option<&str>,
    ) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        let conditions = self.conditions.clone();
        self.desk.dispatch(&op, at, id, unit, &conditions, override_reason, reassign_reason)
    }

    pub fn en_route(&mut self, at: DateTime<Utc>, id: i64) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.en_route(&op, at, id)
    }

    pub fn on_scene(&mut self, at: DateTime<Utc>, id: i64) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.on_scene(&op, at, id)
    }

    pub fn clear(&mut self, at: DateTime<Utc>, id: i64, outcome: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.clear(&op, at, id, outcome)
    }

    pub fn cancel(&mut self, at: DateTime<Utc>, id: i64, reason: &str) -> Result<Ack, Error> {
        let op = self.operator(Action::Dispatch)?;
        self.desk.cancel(&op, at, id, reason)
    }

    pub fn board(&self, at: DateTime<Utc>) -> Result<Board, Error> {
        self.signed_in()?;
        board(&self.desk, at.timestamp(), &Thresholds::default())
    }

    pub fn timeline(&self, id: i64) -> Result<Vec<Event>, Error> {
        self.signed_in()?;
        self.desk.timeline(id)
    }
}
