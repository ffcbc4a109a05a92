//! Publishing a roster or a patrol plan to dispatch (patrol leaders), what is published
//! (everyone), and checkpoint results recorded against a published plan.
//! On either journal: the command-centre service publishes a leader seat's roster here.

use chrono::{DateTime, Utc};

use super::Workstation;
use crate::accounts::Action;
use crate::desk::{CheckpointResultInput, DeskStore, LatestRoster, PublishedPatrol, PublishedRoster};
use tidewatch_core::Error;
use tidewatch_journal::{Ack, PatrolPlanRecord};
use tidewatch_plan::roster::Roster;

impl<S: DeskStore> Workstation<S> {
    /// From now on the roster's units are on duty when their officers are.
    pub fn publish_roster(&mut self, at: DateTime<Utc>, roster: &Roster) -> Result<Ack, Error> {
        let op = self.operator(Action::PublishRoster)?;
        self.desk.publish_roster(&op, at, roster)
    }

    pub fn published_rosters(&mut self) -> Result<Vec<PublishedRoster>, Error> {
        self.signed_in()?;
        Ok(self.desk.published_rosters())
    }

    /// The newest published roster in full, if any.
    pub fn latest_published_roster(&mut self) -> Result<Option<Roster>, Error> {
        self.signed_in()?;
        self.desk.latest_published_roster()
    }

    /// The newest published roster with who published it when (the leader's screen adopts
    /// it among this session's rosters). Needs `ViewReports`, as the screen does.
    pub fn latest_published(&mut self) -> Result<Option<LatestRoster>, Error> {
        self.authorized(Action::ViewReports)?;
        self.desk.latest_published()
    }

    /// From now on the board shows where the plan wants each unit (issue #18).
    pub fn publish_patrol_plan(&mut self, at: DateTime<Utc>, plan: &PatrolPlanRecord) -> Result<Ack, Error> {
        let op = self.operator(Action::PublishPatrolPlan)?;
        self.desk.publish_patrol_plan(&op, at, plan)
    }

    pub fn patrol_plans(&mut self) -> Result<Vec<PublishedPatrol>, Error> {
        self.signed_in()?;
        self.desk.patrol_plans()
    }

    /// The newest published patrol plan covering `at`, in full, with its event's seq.
    pub fn patrol_plan_at(&mut self, at: DateTime<Utc>) -> Result<Option<(i64, PatrolPlanRecord)>, Error> {
        self.signed_in()?;
        self.desk.patrol_plan_at(at.timestamp())
    }

    /// What came of one operation of a published plan (whoever records joint work).
    pub fn record_checkpoint_result(&mut self, at: DateTime<Utc>, result: &CheckpointResultInput) -> Result<Ack, Error> {
        let op = self.operator(Action::RecordJointWork)?;
        self.desk.record_checkpoint_result(&op, at, result)
    }
}
