//! The leader's screen as the desk's API calls it: the same on a desk on its own journal
//! and on a seat of the command-centre service (a supertrait of `DeskApi`), for anything
//! that is a [`LeaderSource`].

use std::path::Path;

use chrono::{DateTime, Utc};

use super::{
    DemandRequest, DemandView, ExportedFiles, LeaderDesk, LeaderSource, PlanRequest, PlanState, ReachCompareRequest, ReachComparison,
    ReachRequest, RosterSummary, RosterView, WhatIf, WhatIfRequest,
};
use tidewatch_core::dispatch::IslandReach;
use tidewatch_core::Error;
use tidewatch_plan::roster::job::PlanStatus;

/// Hears a running plan's progress and its end, on the plan's thread.
pub type PlanNotify = Box<dyn FnMut(&PlanStatus) + Send + 'static>;

pub trait LeaderApi {
    fn roster_demand(&mut self, request: &DemandRequest) -> Result<DemandView, Error>;
    fn start_plan(&mut self, request: &PlanRequest, notify: PlanNotify) -> Result<PlanStatus, Error>;
    fn stop_plan(&mut self) -> Result<(), Error>;
    fn plan_status(&mut self) -> Result<PlanState, Error>;
    fn session_rosters(&mut self) -> Result<Vec<RosterSummary>, Error>;
    fn roster_view(&mut self, id: u32) -> Result<RosterView, Error>;
    /// Writes the roster's XLSX and calendars into a new folder under `base`.
    fn export_roster(&mut self, id: u32, base: &Path, at: DateTime<Utc>) -> Result<ExportedFiles, Error>;
    fn publish_session_roster(&mut self, id: u32, at: DateTime<Utc>) -> Result<RosterSummary, Error>;
    fn what_if(&mut self, request: &WhatIfRequest) -> Result<WhatIf, Error>;
    /// The reach view: every inhabited island by its best police ETA.
    fn reach(&mut self, request: &ReachRequest) -> Result<Vec<IslandReach>, Error>;
    /// The reach view under a baseline and a scenario, and the islands that change band.
    fn reach_compare(&mut self, request: &ReachCompareRequest) -> Result<ReachComparison, Error>;
}

/// `f` on the source's leader desk, taken out for the call so that both can be borrowed.
fn with_leader<S: LeaderSource, T>(src: &mut S, f: impl FnOnce(&mut LeaderDesk, &mut S) -> T) -> T {
    let mut leader = std::mem::take(src.leader_desk());
    let out = f(&mut leader, src);
    *src.leader_desk() = leader;
    out
}

impl<S: LeaderSource> LeaderApi for S {
    fn roster_demand(&mut self, request: &DemandRequest) -> Result<DemandView, Error> {
        with_leader(self, |l, s| l.roster_demand(s, request))
    }
    fn start_plan(&mut self, request: &PlanRequest, notify: PlanNotify) -> Result<PlanStatus, Error> {
        with_leader(self, |l, s| l.start_plan(s, request, notify))
    }
    fn stop_plan(&mut self) -> Result<(), Error> {
        with_leader(self, |l, s| l.stop_plan(s))
    }
    fn plan_status(&mut self) -> Result<PlanState, Error> {
        with_leader(self, |l, s| l.plan_status(s))
    }
    fn session_rosters(&mut self) -> Result<Vec<RosterSummary>, Error> {
        with_leader(self, |l, s| l.session_rosters(s))
    }
    fn roster_view(&mut self, id: u32) -> Result<RosterView, Error> {
        with_leader(self, |l, s| l.roster_view(s, id))
    }
    fn export_roster(&mut self, id: u32, base: &Path, at: DateTime<Utc>) -> Result<ExportedFiles, Error> {
        with_leader(self, |l, s| l.export_roster(s, id, base, at))
    }
    fn publish_session_roster(&mut self, id: u32, at: DateTime<Utc>) -> Result<RosterSummary, Error> {
        with_leader(self, |l, s| l.publish(s, id, at))
    }
    fn what_if(&mut self, request: &WhatIfRequest) -> Result<WhatIf, Error> {
        with_leader(self, |l, s| l.what_if(s, request))
    }
    fn reach(&mut self, request: &ReachRequest) -> Result<Vec<IslandReach>, Error> {
        with_leader(self, |l, s| l.reach(s, request))
    }
    fn reach_compare(&mut self, request: &ReachCompareRequest) -> Result<ReachComparison, Error> {
        with_leader(self, |l, s| l.reach_compare(s, request))
    }
}
