//! A roster plan as the desk and the command line run it: the calls learned from come out
//! of the journal, and the solve (tens of seconds) runs on its own thread so that nothing
//! else waits for it — the desk keeps answering while the leader watches the progress and
//! may stop it, keeping the best roster found so far.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::model::Weights;
use super::solve::{PlanInput, PlanOptions, PlanProgress};
use super::{history_window, model, CallRecord, Roster};
use tidewatch_core::Error;
use tidewatch_journal::ReadModels;

/// The calls of the history window before `from` (see [`history_window`]) from the
/// journal (SQLite or PostgreSQL): what [`super::prepare`] learns the demand from.
pub fn history_calls(
    journal: &(impl ReadModels + ?Sized),
    tz: Tz,
    from: NaiveDate,
    params: &super::DemandParams,
) -> Result<Vec<CallRecord>, Error> {
    let (a, b) = history_span(tz, from, params);
    journal.call_records(a, b)
}

/// The history window before `from` as UTC instants `[a, b)`: local midnights in `tz`.
/// A seat on the service asks the service for the calls in it.
pub fn history_span(tz: Tz, from: NaiveDate, params: &super::DemandParams) -> (DateTime<Utc>, DateTime<Utc>) {
    let (a, b) = history_window(from, params);
    let at = |d: NaiveDate| model::to_utc(tz, d.and_hms_opt(0, 0, 0).expect("midnight"));
    (at(a), at(b))
}

/// How a background plan stands, as the desk shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlanStatus {
    pub running: bool,
    /// The solve was asked to stop (it ends with the best roster so far).
    pub stopping: bool,
    pub elapsed_s: f64,
    pub time_limit_s: f64,
    /// The latest progress report (part, incumbent, bound, gap).
    pub progress: Option<PlanProgress>,
    /// Why the plan failed, once it has.
    pub error: Option<String>,
}

impl PlanStatus {
    /// Share of the time limit used, 0–1: the solve keeps its time limit, so this is an
    /// honest bar even though the parts differ in size.
    pub fn fraction(&self) -> f64 {
        if !self.running {
            return 1.0;
        }
        if self.time_limit_s <= 0.0 {
            return 0.0;
        }
        (self.elapsed_s / self.time_limit_s).clamp(0.0, 0.99)
    }
}

struct Shared {
    stop: AtomicBool,
    started: Instant,
    time_limit_s: f64,
    progress: Mutex<Option<PlanProgress>>,
    outcome: Mutex<Option<Result<Roster, Error>>>,
}

/// A plan running on its own thread. Dropping it does not stop the solve; call [`stop`].
///
/// [`stop`]: PlanJob::stop
pub struct PlanJob {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// What a plan job is given besides its input.
#[derive(Debug, Clone, Default)]
pub struct JobOptions {
    pub time_limit_s: f64,
    pub weights: Weights,
    pub no_peak_step: bool,
}

/// Time limits a leader may give a plan, seconds.
pub const TIME_LIMIT_RANGE: std::ops::RangeInclusive<f64> = 5.0..=3600.0;

impl JobOptions {
    /// A job under `time_limit_s` (within [`TIME_LIMIT_RANGE`]) with the plan's weights.
    pub fn new(time_limit_s: f64, weights: Weights, no_peak_step: bool) -> Result<JobOptions, Error> {
        if !TIME_LIMIT_RANGE.contains(&time_limit_s) {
            return Err(Error::invalid("time_limit_s", format!("{time_limit_s} s: give 5 to 3600 seconds")));
        }
        Ok(JobOptions { time_limit_s, weights, no_peak_step })
    }
}

impl PlanJob {
    /// Starts `roster::plan` on a new thread. `notify` hears every progress report and,
    /// last, the finished status (`running == false`); it runs on the solver's thread.
    pub fn spawn(input: PlanInput, options: JobOptions, mut notify: impl FnMut(&PlanStatus) + Send + 'static) -> PlanJob {
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            started: Instant::now(),
            time_limit_s: options.time_limit_s,
            progress: Mutex::new(None),
            outcome: Mutex::new(None),
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("roster-plan".into())
            .spawn(move || {
                let plan_options = PlanOptions {
                    time_limit: Some(options.time_limit_s),
                    stop: Some(&s.stop),
                    weights: options.weights,
                    no_peak_step: options.no_peak_step,
                    threads: None,
                    district: false,
                };
                let mut on_progress = |p: &PlanProgress| {
                    *s.progress.lock().expect("progress lock") = Some(p.clone());
                    notify(&status_of(&s));
                };
                let result = super::plan(input, &plan_options, &mut on_progress);
                *s.outcome.lock().expect("outcome lock") = Some(result);
                notify(&status_of(&s));
            })
            .expect("spawn the roster plan thread");
        PlanJob { shared, thread: Some(thread) }
    }

    /// Asks the solve to end now with the best roster found so far.
    pub fn stop(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    pub fn status(&self) -> PlanStatus {
        status_of(&self.shared)
    }

    pub fn is_finished(&self) -> bool {
        self.shared.outcome.lock().expect("outcome lock").is_some()
    }

    /// The roster (or the failure) once the solve has ended; `None` while it runs.
    pub fn take_result(&mut self) -> Option<Result<Roster, Error>> {
        let out = self.shared.outcome.lock().expect("outcome lock").take();
        if out.is_some() || self.thread.as_ref().is_some_and(|t| t.is_finished()) {
            let panicked = self.thread.take().is_some_and(|t| t.join().is_err());
            if out.is_none() && panicked {
                return Some(Err(Error::Solver("the plan thread panicked".into())));
            }
        }
        out
    }

    /// Waits for the end of the solve.
    pub fn wait(mut self) -> Result<Roster, Error> {
        if let Some(t) = self.thread.take() {
            t.join().map_err(|_| Error::Solver("the plan thread panicked".into()))?;
        }
        self.shared
            .outcome
            .lock()
            .expect("outcome lock")
            .take()
            .unwrap_or_else(|| Err(Error::Solver("the plan ended without a result".into())))
    }
}

fn status_of(s: &Shared) -> PlanStatus {
    let outcome = s.outcome.lock().expect("outcome lock");
    PlanStatus {
        running: outcome.is_none(),
        stopping: s.stop.load(Ordering::Relaxed),
        elapsed_s: s.started.elapsed().as_secs_f64(),
        time_limit_s: s.time_limit_s,
        progress: s.progress.lock().expect("progress lock").clone(),
        error: match &*outcome {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        },
    }
}
