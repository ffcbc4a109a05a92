//! The leader's screen on a seat: the plan and the what-if run here, on the leader's own
//! desk, as on a desk of its own journal (`tidewatch_workstation::leader`); the history
//! they learn from is the service's answer, and publishing is one request the service
//! journals under the leader. Reading this session's rosters needs no service.

use chrono::{DateTime, Utc};
use serde_json::json;
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, CallRecord};
use tidewatch_plan::roster::Roster;
use tidewatch_plan::sim::SimIncident;
use tidewatch_workstation::accounts::Action;
use tidewatch_workstation::desk::LatestRoster;
use tidewatch_workstation::leader::{LeaderDesk, LeaderSource};

use crate::RemoteDesk;

/// The largest history answer the desk takes (a year of a busy command's calls is a few MB).
const MAX_HISTORY_BYTES: u64 = 64 * 1024 * 1024;

fn span(path: &str, from: i64, to: i64) -> String {
    format!("/api/leader/{path}?from_utc={from}&to_utc={to}")
}

impl LeaderSource for RemoteDesk {
    fn leader_desk(&mut self) -> &mut LeaderDesk {
        &mut self.leader
    }

    fn region(&self) -> &Region {
        &self.region
    }

    fn ground(&mut self) -> (&Region, &Network) {
        let net = self.net.get_or_insert_with(|| Network::from_region(&self.region));
        (&self.region, net)
    }

    fn now(&self) -> DateTime<Utc> {
        self.config.clock.now_utc()
    }

    /// Checked here too, so the screen is refused at once; the service checks again what
    /// it serves.
    fn operator(&mut self, action: Action) -> Result<String, Error> {
        let session = self.session.as_ref().ok_or(Error::NotSignedIn)?;
        session.authorize(action)?;
        Ok(session.username.clone())
    }

    fn watching(&mut self) -> Result<(), Error> {
        self.session.as_ref().map(drop).ok_or(Error::NotSignedIn)
    }

    fn call_records(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<CallRecord>, Error> {
        self.ready()?;
        let answer = self.http.get_slowly(&span("calls", from.timestamp(), to.timestamp()), MAX_HISTORY_BYTES);
        self.signed(answer)
    }

    fn replay_calls(&mut self, from: i64, to: i64) -> Result<Vec<SimIncident>, Error> {
        self.ready()?;
        let answer = self.http.get_slowly(&span("replay-calls", from, to), MAX_HISTORY_BYTES);
        self.signed(answer)
    }

    fn latest_published(&mut self) -> Result<Option<LatestRoster>, Error> {
        self.ready()?;
        let answer = self.http.get_slowly("/api/leader/published", MAX_HISTORY_BYTES);
        self.signed(answer)
    }

    fn publish(&mut self, _at: DateTime<Utc>, roster: &Roster) -> Result<Ack, Error> {
        self.send("POST", "/api/leader/rosters", Some(json!({ "roster": roster })))
    }

    /// Where the service seated the session (the calls it answers are that seat's already).
    fn leader_seat(&self) -> Result<Seat, Error> {
        Seat::parse(&self.region, &self.seat())
    }
}
