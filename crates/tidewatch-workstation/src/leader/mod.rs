//! The patrol leader's shift-planning screen: the demand curves learned from the journal,
//! a plan that runs in the background (progress, stop with the best roster so far), the
//! rosters made in this session with their report and hourly coverage, and exports.
//!
//! The solve takes tens of seconds, so it must not hold the desk: `start_plan` prepares
//! the input here (role checked, journal read) and hands it to a [`PlanJob`] thread; the
//! finished roster is collected by the next `plan_status` call.
//!
//! The same code runs on a desk on its own journal and on a seat of the command-centre
//! service: [`LeaderDesk`] reads and writes through a [`LeaderSource`] (`source.rs`: the
//! desk's own journal, or the service's calls in `tidewatch_client`). The plan and the
//! what-if always run in the desk's own process, never in the (stateless) service; the
//! screen's calls are the [`LeaderApi`] trait (`api.rs`), which both desks have.

mod api;
mod scope;
mod source;

pub use api::{LeaderApi, PlanNotify};
pub use source::{LeaderSource, MAX_SPAN_S};

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::Action;
use tidewatch_core::dispatch::{reach_changes, station_moves, IslandReach, ReachChange, UnitMove};
use tidewatch_core::Error;
use tidewatch_plan::roster::demand::{FloorPolicy, Season};
use tidewatch_plan::roster::job::{history_span, JobOptions, PlanJob, PlanStatus};
use tidewatch_plan::roster::mip::MipStatus;
use tidewatch_plan::roster::model::{DayInfo, IslandDemand};
use tidewatch_plan::roster::report::{hourly, IslandHours};
use tidewatch_plan::roster::{self, DemandNotes, Period, PlanConfig, PlanInput, Report, Roster, Violation};
use tidewatch_plan::sim::islands::{compare_periods, IslandPeriodRow};
use tidewatch_plan::sim::{replay_window, simulate, Scenario, ScenarioSetup, SimReport};

pub use tidewatch_plan::roster::job::TIME_LIMIT_RANGE;

/// The period and the demand settings the leader chooses on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DemandRequest {
    pub from: NaiveDate,
    /// 1–28.
    pub days: u32,
    /// Tourist seasons (a factor on every island's calls on their days); a factor at or
    /// above the peak threshold makes the days peak days.
    #[serde(default)]
    pub seasons: Vec<Season>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanRequest {
    #[serde(flatten)]
    pub demand: DemandRequest,
    pub time_limit_s: f64,
}

/// The demand curves and why they are what they are.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct DemandView {
    pub notes: DemandNotes,
    pub days: Vec<DayInfo>,
    pub islands: Vec<IslandDemand>,
    /// The peak threshold on season factors, for the screen's explanation.
    pub peak_factor: f64,
    pub target_wait_probability: f64,
    /// Below this many expected calls an hour no officer is needed for calls.
    pub min_calls_per_hour: f64,
    pub floor: FloorPolicy,
}

/// A roster made (or loaded) in this session.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RosterSummary {
    pub id: u32,
    pub label: String,
    /// Who planned it.
    pub by: String,
    pub made_at: DateTime<Utc>,
    pub from: NaiveDate,
    pub days: u32,
    pub shifts: usize,
    pub coverage_pct: f64,
    /// The solve was stopped before its time limit.
    pub stopped: bool,
    /// Set once the roster is published to dispatch (the journal event's sequence number).
    pub published_seq: Option<i64>,
}

/// Everything the screen shows of one roster.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RosterView {
    pub summary: RosterSummary,
    pub roster: Roster,
    /// The period's first hour (local midnight of `from`) in UTC: hour `h` of the
    /// timeline starts `h` hours later.
    pub start_utc: DateTime<Utc>,
    pub report: Report,
    pub hourly: Vec<IslandHours>,
    /// Hard-rule violations found by the independent checker (empty for a sound roster).
    pub violations: Vec<Violation>,
}

/// Where the plan stands; `latest` names the roster a plan just produced.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlanState {
    pub status: Option<PlanStatus>,
    pub latest: Option<u32>,
    /// Why the last plan failed.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportedFiles {
    pub dir: PathBuf,
    pub xlsx: PathBuf,
    pub calendars_dir: PathBuf,
    pub calendars: usize,
}

struct Kept {
    summary: RosterSummary,
    roster: Roster,
}

struct RunningPlan {
    job: PlanJob,
    by: String,
    request: PlanRequest,
}

/// The leader screen's part of a desk (its own journal's, or a seat's): the running plan
/// and this session's rosters.
#[derive(Default)]
pub struct LeaderDesk {
    running: Option<RunningPlan>,
    /// The last status of a finished plan, so the screen can show how it ended.
    last_status: Option<PlanStatus>,
    last_error: Option<String>,
    latest: Option<u32>,
    rosters: Vec<Kept>,
}

fn plan_config(demand: &DemandRequest) -> PlanConfig {
    let mut config = PlanConfig::default();
    config.demand.seasons = demand.seasons.clone();
    config
}

/// Demand input for a period: the journal's history before it, the leader's seasons, the
/// officers of the leader's seat (`scope.rs`).
fn plan_input(src: &mut impl LeaderSource, demand: &DemandRequest) -> Result<(PlanInput, DemandNotes, PlanConfig), Error> {
    let period = Period::new(demand.from, demand.days)?;
    demand.seasons.iter().try_for_each(Season::check)?;
    let mut config = plan_config(demand);
    scope::plan_only_own_officers(src.region(), &src.leader_seat()?, &mut config);
    let (a, b) = history_span(src.region().meta.time_zone, period.from, &config.demand);
    let calls = src.call_records(a, b)?;
    let (input, notes) = roster::prepare(src.region(), &calls, period, &config)?;
    Ok((input, notes, config))
}

impl LeaderDesk {
    /// The hourly demand per island over a period (calls, Erlang C, floors, need).
    pub fn roster_demand(&mut self, src: &mut impl LeaderSource, request: &DemandRequest) -> Result<DemandView, Error> {
        src.operator(Action::ViewReports)?;
        let (input, notes, config) = plan_input(src, request)?;
        Ok(DemandView {
            notes,
            days: input.days,
            islands: input.demand,
            peak_factor: config.demand.peak_factor,
            target_wait_probability: config.demand.target_wait_probability,
            min_calls_per_hour: config.demand.min_calls_per_hour,
            floor: config.demand.floor,
        })
    }

    /// Starts a plan on its own thread; `notify` hears its progress and its end (on that
    /// thread). One plan at a time.
    pub fn start_plan(
        &mut self,
        src: &mut impl LeaderSource,
        request: &PlanRequest,
        notify: impl FnMut(&PlanStatus) + Send + 'static,
    ) -> Result<PlanStatus, Error> {
        let by = src.operator(Action::PlanRoster)?;
        if self.running.as_ref().is_some_and(|r| !r.job.is_finished()) {
            return Err(Error::invalid("plan", "a plan is running; stop it or wait for it"));
        }
        let config = plan_config(&request.demand);
        let options = JobOptions::new(request.time_limit_s, config.weights, config.no_peak_step)?;
        self.collect_finished_plan(src.now());
        let (input, _, _) = plan_input(src, &request.demand)?;
        let job = PlanJob::spawn(input, options, notify);
        let status = job.status();
        self.running = Some(RunningPlan { job, by, request: request.clone() });
        self.last_error = None;
        Ok(status)
    }

    /// Ends the running plan now; it keeps the best roster found so far.
    pub fn stop_plan(&mut self, src: &mut impl LeaderSource) -> Result<(), Error> {
        src.operator(Action::PlanRoster)?;
        if let Some(r) = &self.running {
            r.job.stop();
        }
        Ok(())
    }

    /// How the plan stands; a finished plan's roster joins this session's rosters here.
    /// Polled while a plan runs: not itself the operator's activity.
    pub fn plan_status(&mut self, src: &mut impl LeaderSource) -> Result<PlanState, Error> {
        src.watching()?;
        self.collect_finished_plan(src.now());
        let status = match &self.running {
            Some(r) => Some(r.job.status()),
            None => self.last_status.clone(),
        };
        Ok(PlanState { status, latest: self.latest, error: self.last_error.clone() })
    }

    fn collect_finished_plan(&mut self, now: DateTime<Utc>) {
        let Some(running) = self.running.as_mut() else {
            return;
        };
        let mut status = running.job.status();
        let Some(result) = running.job.take_result() else {
            return;
        };
        status.running = false;
        let running = self.running.take().expect("a running plan");
        match result {
            Ok(roster) => {
                let id = self.next_roster_id();
                let stopped = status.stopping || roster.solve.as_ref().is_some_and(|s| s.status == MipStatus::Stopped);
                let label = format!(
                    "#{id} {} +{}d{}",
                    running.request.demand.from,
                    running.request.demand.days,
                    if stopped { " (stopped)" } else { "" }
                );
                let summary = summarize(id, label, running.by, now, stopped, &roster);
                self.rosters.push(Kept { summary, roster });
                self.latest = Some(id);
            }
            Err(e) => self.last_error = Some(e.to_string()),
        }
        self.last_status = Some(status);
    }

    /// The rosters of this session, oldest first, and the newest published one (taken
    /// from the journal when it was published before this session, or by another leader).
    pub fn session_rosters(&mut self, src: &mut impl LeaderSource) -> Result<Vec<RosterSummary>, Error> {
        src.operator(Action::ViewReports)?;
        self.adopt_published(src)?;
        Ok(self.rosters.iter().map(|k| k.summary.clone()).collect())
    }

    fn adopt_published(&mut self, src: &mut impl LeaderSource) -> Result<(), Error> {
        let Some(latest) = src.latest_published()? else {
            return Ok(());
        };
        if self.rosters.iter().any(|k| k.summary.published_seq == Some(latest.summary.seq)) {
            return Ok(());
        }
        let (published, roster) = (latest.summary, latest.roster);
        let id = self.next_roster_id();
        let at = DateTime::from_timestamp(published.published_at, 0).unwrap_or_default();
        let label = format!("#{id} {} +{}d (published)", roster.period.from, roster.period.days);
        let mut summary = summarize(id, label, published.published_by, at, false, &roster);
        summary.published_seq = Some(published.seq);
        self.rosters.push(Kept { summary, roster });
        Ok(())
    }

    fn next_roster_id(&self) -> u32 {
        self.rosters.iter().map(|k| k.summary.id).max().unwrap_or(0) + 1
    }

    /// Publishes a roster of this session to dispatch (journaled; from then on its units
    /// are on duty when their officers are).
    pub fn publish(&mut self, src: &mut impl LeaderSource, id: u32, at: DateTime<Utc>) -> Result<RosterSummary, Error> {
        src.operator(Action::PublishRoster)?;
        let roster = self.kept(id)?.roster.clone();
        let ack = src.publish(at, &roster)?;
        let kept = self.rosters.iter_mut().find(|k| k.summary.id == id).expect("kept roster");
        kept.summary.published_seq = Some(ack.seq);
        Ok(kept.summary.clone())
    }

    fn kept(&self, id: u32) -> Result<&Kept, Error> {
        self.rosters.iter().find(|k| k.summary.id == id).ok_or_else(|| Error::unknown("roster", id.to_string()))
    }

    /// A roster with its report, hourly coverage and the checker's verdict.
    pub fn roster_view(&mut self, src: &mut impl LeaderSource, id: u32) -> Result<RosterView, Error> {
        src.operator(Action::ViewReports)?;
        let k = self.kept(id)?;
        Ok(RosterView {
            summary: k.summary.clone(),
            start_utc: k.roster.period.utc(k.roster.tz()?, 0),
            report: roster::report(&k.roster)?,
            hourly: hourly(&k.roster)?,
            violations: roster::check(&k.roster),
            roster: k.roster.clone(),
        })
    }

    /// Writes the roster as XLSX and one iCalendar file per officer into a new folder
    /// under `base` (the downloads folder or the desk's exports folder).
    pub fn export_roster(&mut self, src: &mut impl LeaderSource, id: u32, base: &Path, at: DateTime<Utc>) -> Result<ExportedFiles, Error> {
        src.operator(Action::PlanRoster)?;
        let k = self.kept(id)?;
        let dir = base.join(format!(
            "tidewatch-roster-{}-{}d-{}-{}",
            k.roster.period.from,
            k.roster.period.days,
            id,
            at.format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::create_dir_all(&dir)?;
        let xlsx = dir.join("roster.xlsx");
        let report = roster::report(&k.roster)?;
        roster::export::write_xlsx(&k.roster, &report, &xlsx)?;
        let calendars_dir = dir.join("calendars");
        let files = roster::export::write_ics(&k.roster, &calendars_dir, at)?;
        Ok(ExportedFiles { dir, xlsx, calendars_dir, calendars: files.len() })
    }
}

fn summarize(id: u32, label: String, by: String, made_at: DateTime<Utc>, stopped: bool, roster: &Roster) -> RosterSummary {
    let coverage_pct = roster::report(roster).map(|r| r.all.coverage_pct).unwrap_or(0.0);
    RosterSummary {
        id,
        label,
        by,
        made_at,
        from: roster.period.from,
        days: roster.period.days,
        shifts: roster.assignments.len(),
        coverage_pct,
        stopped,
        published_seq: None,
    }
}

/// Two rosters (or "every unit on duty") replayed against the same recorded calls under
/// one scenario, for the leader to compare side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct WhatIfRequest {
    /// A session roster, or `None` for every unit always on duty.
    pub a: Option<u32>,
    pub b: Option<u32>,
    /// `normal`, `typhoon` (ferries and boats stopped), `holiday_surge` or `bridge_closed`.
    pub scenario: String,
    /// Bridges or ferry routes closed (required for `bridge_closed`).
    #[serde(default)]
    pub closed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WhatIfSide {
    pub roster: Option<u32>,
    pub label: Option<String>,
    pub report: SimReport,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct WhatIf {
    pub scenario: ScenarioSetup,
    /// The replayed calls: received in `[replay_from, replay_to)` (local dates).
    pub replay_from: NaiveDate,
    pub replay_to: NaiveDate,
    pub a: WhatIfSide,
    pub b: WhatIfSide,
    /// The period's reach per island, A beside B (issue #16): the what-if's period map.
    pub islands: Vec<IslandPeriodRow>,
}

impl LeaderDesk {
    /// Replays the calls recorded just before the first roster's period (whole copies of
    /// it, at least two weeks) against both rosters under the scenario.
    pub fn what_if(&mut self, src: &mut impl LeaderSource, request: &WhatIfRequest) -> Result<WhatIf, Error> {
        src.operator(Action::ViewReports)?;
        let scenario = ScenarioSetup::new(Scenario::parse(&request.scenario)?, &request.closed)?;
        let side = |id: Option<u32>| -> Result<Option<&Kept>, Error> { id.map(|i| self.kept(i)).transpose() };
        let (a, b) = (side(request.a)?, side(request.b)?);
        let tz = src.region().meta.time_zone;
        let today = src.now().with_timezone(&tz).date_naive();
        let (replay_from, replay_to) = replay_window(a.or(b).map(|k| k.roster.period), today);
        let at = |d: NaiveDate| roster::model::to_utc(tz, d.and_hms_opt(0, 0, 0).expect("midnight")).timestamp();
        let calls = src.replay_calls(at(replay_from), at(replay_to))?;
        if calls.is_empty() {
            return Err(Error::invalid("what_if", format!("no calls recorded from {replay_from} to {replay_to} to replay")));
        }
        let (region, net) = src.ground();
        let run = |k: Option<&Kept>| -> Result<WhatIfSide, Error> {
            Ok(WhatIfSide {
                roster: k.map(|k| k.summary.id),
                label: k.map(|k| k.summary.label.clone()),
                report: simulate(region, net, &calls, k.map(|k| &k.roster), &scenario)?,
            })
        };
        let (a, b) = (run(a)?, run(b)?);
        let islands = compare_periods(&a.report.outcomes, Some(&b.report.outcomes));
        Ok(WhatIf { a, b, islands, scenario, replay_from, replay_to })
    }
}

/// The leader's reach view (issue #16): every inhabited island by its best police ETA at a
/// moment, under conditions, judged by a priority's targets.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ReachRequest {
    /// RFC 3339 ("2026-10-14T02:00:00+08:00"), or a local time in the region's zone
    /// ("2026-10-14T02:00", as a date-time field gives it).
    pub at: String,
    pub priority: u8,
    pub conditions: tidewatch_core::route::Conditions,
    /// A roster of this session: only the units it has on duty then answer; None: every
    /// unit, at its base.
    pub roster: Option<u32>,
    /// Units stationed elsewhere than their base (the what-if's moves); none by default.
    #[serde(default)]
    #[ts(optional)]
    pub moves: Option<Vec<UnitMove>>,
}

/// One side of a reach comparison: the conditions, the roster and the moves.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ReachSide {
    pub conditions: tidewatch_core::route::Conditions,
    pub roster: Option<u32>,
    #[serde(default)]
    pub moves: Vec<UnitMove>,
}

/// The reach at one moment for a priority, under a baseline and under a scenario (the
/// what-if's conditions, roster and moves).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct ReachCompareRequest {
    /// As [`ReachRequest::at`].
    pub at: String,
    pub priority: u8,
    pub baseline: ReachSide,
    pub scenario: ReachSide,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ReachComparison {
    pub baseline: Vec<IslandReach>,
    pub scenario: Vec<IslandReach>,
    /// The islands whose band the scenario changes.
    pub changed: Vec<ReachChange>,
}

impl LeaderDesk {
    /// The reach of every inhabited island of the leader's seat (`scope.rs`) for `request`,
    /// each unit free at its base (off duty when the chosen roster says so; elsewhere when
    /// moved), as `tidewatch reach` has it.
    pub fn reach(&mut self, src: &mut impl LeaderSource, request: &ReachRequest) -> Result<Vec<IslandReach>, Error> {
        src.operator(Action::ViewReports)?;
        let at = reach_time(&request.at, src.region().meta.time_zone)?;
        let side =
            ReachSide { conditions: request.conditions.clone(), roster: request.roster, moves: request.moves.clone().unwrap_or_default() };
        self.reach_at(src, at, request.priority, &side)
    }

    /// The baseline's and the scenario's reach at the same moment, and the islands whose
    /// band changes between them.
    pub fn reach_compare(&mut self, src: &mut impl LeaderSource, request: &ReachCompareRequest) -> Result<ReachComparison, Error> {
        src.operator(Action::ViewReports)?;
        let at = reach_time(&request.at, src.region().meta.time_zone)?;
        let baseline = self.reach_at(src, at, request.priority, &request.baseline)?;
        let scenario = self.reach_at(src, at, request.priority, &request.scenario)?;
        let changed = reach_changes(&baseline, &scenario);
        Ok(ReachComparison { baseline, scenario, changed })
    }

    fn reach_at(&self, src: &mut impl LeaderSource, at: DateTime<Utc>, priority: u8, side: &ReachSide) -> Result<Vec<IslandReach>, Error> {
        let mut fleet = tidewatch_core::dispatch::Fleet::at_bases(src.region());
        if let Some(id) = side.roster {
            let duty = roster::UnitDuty::of(&self.kept(id)?.roster);
            for (unit, state) in fleet.states.iter_mut() {
                if duty.on_duty_repeating(unit, at.timestamp()) == Some(false) {
                    state.status = tidewatch_core::dispatch::UnitStatus::OffDuty;
                }
            }
        }
        // A moved unit answers from its new place, on duty whatever the roster says.
        station_moves(src.region(), &mut fleet, &side.moves)?;
        let seat = src.leader_seat()?;
        let (region, net) = src.ground();
        let mut reach = tidewatch_core::dispatch::reach_map(region, net, &fleet, at, &side.conditions, priority)?;
        reach.retain(|r| scope::owns_island(region, &seat, &r.island.as_str().into()));
        Ok(reach)
    }
}

/// `at` as RFC 3339, else as a local "YYYY-MM-DDTHH:MM" in the region's zone.
fn reach_time<Z: chrono::TimeZone>(at: &str, tz: Z) -> Result<DateTime<Utc>, Error> {
    if let Ok(t) = DateTime::parse_from_rfc3339(at) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad = || Error::invalid("at", format!("'{at}' is neither an RFC 3339 time nor a local YYYY-MM-DDTHH:MM"));
    let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M").map_err(|_| bad())?;
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).ok_or_else(bad)
}
