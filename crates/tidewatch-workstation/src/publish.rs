//! Publishing a roster to dispatch (patrol leaders), and what is published (everyone).
//! On either journal: the command-centre service publishes a leader seat's roster here.

use chrono::{DateTime, Utc};

use super::Workstation;
use crate::accounts::Action;
use crate::desk::{DeskStore, LatestRoster, PublishedRoster};
use tidewatch_core::Error;
use tidewatch_journal::Ack;
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
}
