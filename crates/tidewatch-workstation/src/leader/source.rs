//! Where the leader's screen reads its history and publishes its rosters: the desk's own
//! journal ([`Workstation`], either store), or — on a seat — the command-centre service
//! (`tidewatch_client`), which answers from its own `Workstation<PgJournal>` with the
//! methods below.

use chrono::{DateTime, Utc};

use super::LeaderDesk;
use crate::accounts::Action;
use crate::desk::{DeskStore, LatestRoster};
use crate::Workstation;
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, CallRecord};
use tidewatch_plan::roster::Roster;
use tidewatch_plan::sim::{incidents_from_journal, SimIncident};

/// The longest span of history one call reads (a year and a day): the demand learns from
/// weeks and the what-if replays at most a few, so a longer one is a mistake, and its
/// answer would be unbounded.
pub const MAX_SPAN_S: i64 = 366 * 86_400;

/// What [`LeaderDesk`] needs of the desk it runs on.
pub trait LeaderSource {
    /// This desk's running plan and session rosters.
    fn leader_desk(&mut self) -> &mut LeaderDesk;
    fn region(&self) -> &Region;
    /// The region and its network, for the what-if's replay.
    fn ground(&mut self) -> (&Region, &Network);
    /// The desk's clock.
    fn now(&self) -> DateTime<Utc>;
    /// The signed-in operator's name, when they may do `action` (counts as their activity).
    fn operator(&mut self, action: Action) -> Result<String, Error>;
    /// Anyone signed in, for what the screen polls (not their activity).
    fn watching(&mut self) -> Result<(), Error>;
    /// The calls received in `[from, to)`, for the demand curves.
    fn call_records(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<CallRecord>, Error>;
    /// The calls received in `[from, to)` (UTC seconds) as the what-if replays them.
    fn replay_calls(&mut self, from: i64, to: i64) -> Result<Vec<SimIncident>, Error>;
    /// The newest published roster, by whoever published it.
    fn latest_published(&mut self) -> Result<Option<LatestRoster>, Error>;
    /// Journals `roster` as published to dispatch, under the signed-in leader.
    fn publish(&mut self, at: DateTime<Utc>, roster: &Roster) -> Result<Ack, Error>;
    /// Where the leader sits: the plan rosters the seat's own officers and the reach view
    /// lists its own islands. A desk on its own journal is the whole command (the centre);
    /// a seat is where the service seated it (which also answers only its area's calls).
    fn leader_seat(&self) -> Result<Seat, Error> {
        Ok(Seat::Centre)
    }
}

/// Refuses an empty, reversed or over-long span, naming it.
fn checked_span(from: i64, to: i64) -> Result<(), Error> {
    if from >= to || to.saturating_sub(from) > MAX_SPAN_S {
        return Err(Error::invalid("span", format!("[{from}, {to}) is not a span of at most {} days", MAX_SPAN_S / 86_400)));
    }
    Ok(())
}

/// What the service serves a leader's seat: each checks the role, as the desk's own
/// screen does before reading, and answers only the calls of `seat`'s area (a station's
/// leader plans its own area; the centre's, everything).
impl<S: DeskStore> Workstation<S> {
    pub fn leader_calls(&mut self, seat: &Seat, from_utc: i64, to_utc: i64) -> Result<Vec<CallRecord>, Error> {
        self.authorized(Action::ViewReports)?;
        checked_span(from_utc, to_utc)?;
        let at = |t: i64| DateTime::from_timestamp(t, 0).ok_or_else(|| Error::invalid("span", format!("{t} is not a time")));
        let mut calls = self.desk.journal().call_records(at(from_utc)?, at(to_utc)?)?;
        calls.retain(|c| seat.owns_incident(&self.desk.region, &c.incident_type, c.lon, c.lat, c.island.as_deref()));
        Ok(calls)
    }

    pub fn leader_replay_calls(&mut self, seat: &Seat, from_utc: i64, to_utc: i64) -> Result<Vec<SimIncident>, Error> {
        self.authorized(Action::ViewReports)?;
        checked_span(from_utc, to_utc)?;
        let mut calls = incidents_from_journal(self.desk.journal(), from_utc, to_utc)?;
        calls.retain(|c| seat.owns_incident(&self.desk.region, &c.incident_type.0, c.lon, c.lat, c.island.as_deref()));
        Ok(calls)
    }
}

/// The desk on its own journal (and the service's workstations, on theirs).
impl<S: DeskStore> LeaderSource for Workstation<S> {
    fn leader_desk(&mut self) -> &mut LeaderDesk {
        &mut self.leader
    }
    fn region(&self) -> &Region {
        &self.desk.region
    }
    fn ground(&mut self) -> (&Region, &Network) {
        (&self.desk.region, &self.desk.net)
    }
    fn now(&self) -> DateTime<Utc> {
        self.desk.clock().now_utc()
    }
    fn operator(&mut self, action: Action) -> Result<String, Error> {
        Workstation::operator(self, action)
    }
    fn watching(&mut self) -> Result<(), Error> {
        Workstation::watching(self).map(drop)
    }
    fn call_records(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<CallRecord>, Error> {
        self.desk.journal().call_records(from, to)
    }
    fn replay_calls(&mut self, from: i64, to: i64) -> Result<Vec<SimIncident>, Error> {
        incidents_from_journal(self.desk.journal(), from, to)
    }
    fn latest_published(&mut self) -> Result<Option<LatestRoster>, Error> {
        self.desk.latest_published()
    }
    fn publish(&mut self, at: DateTime<Utc>, roster: &Roster) -> Result<Ack, Error> {
        self.publish_roster(at, roster)
    }
}
