//! One place that hands a `good_lp` model to HiGHS and runs it with what a desk needs
//! around a long solve: a time limit, progress reports (incumbent, bound, gap) and a stop
//! flag that ends the search with the best solution found so far.
//!
//! The model is written with `good_lp`; to reach HiGHS' callback (which `good_lp` does
//! not expose) the built `highs::Model` is taken out of `good_lp` and the callback is
//! registered through the HiGHS C API (`highs-sys`, the same library `good_lp` links).

use std::ffi::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use good_lp::solvers::highs::highs;
use good_lp::{Constraint, Expression, IntoAffineExpression, ProblemVariables, SolverModel};
use highs::HighsModelStatus;

use tidewatch_core::Error;

/// How to run one MIP.
#[derive(Clone, Default)]
pub struct MipOptions<'a> {
    /// Seconds; `None` runs to optimality.
    pub time_limit: Option<f64>,
    /// Set by another thread (a Stop button, Ctrl-C) to end the search now.
    pub stop: Option<&'a AtomicBool>,
    /// Stop once incumbent − bound ≤ this (0.99 proves optimality of an integer objective).
    pub abs_gap: Option<f64>,
    /// Relative gap at which to stop (HiGHS' default is 1e-4).
    pub rel_gap: Option<f64>,
    /// HiGHS threads (default: HiGHS' choice).
    pub threads: Option<u32>,
    /// A starting point: `(column, value)` for some columns (HiGHS completes the rest).
    pub start: Option<Vec<(usize, f64)>>,
}

/// A snapshot of a running search, reported about twice a second.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct MipProgress {
    pub elapsed_s: f64,
    /// Best solution's objective so far (`None` before the first one).
    pub incumbent: Option<f64>,
    /// Proven lower bound (minimisation).
    pub bound: f64,
    /// Relative gap as HiGHS reports it (`None` without an incumbent).
    pub gap: Option<f64>,
    pub nodes: i64,
}

/// Why the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MipStatus {
    /// Proven optimal (within the gap asked for).
    Optimal,
    /// The time limit ended it; the solution is the best found.
    TimeLimit,
    /// The stop flag ended it; the solution is the best found.
    Stopped,
}

#[derive(Debug, Clone)]
pub struct MipResult {
    /// Column values, in the order the variables were added.
    pub values: Vec<f64>,
    pub objective: f64,
    /// Proven bound on the optimum (equal to `objective` when optimal; −∞ when the
    /// search ended before proving any).
    pub bound: f64,
    pub status: MipStatus,
    pub seconds: f64,
}

impl MipResult {
    pub fn value(&self, column: usize) -> f64 {
        self.values[column]
    }
}

// HiGHS callback types (`HighsCallbackType` in HConst.h).
const CB_SIMPLEX_INTERRUPT: c_int = 1;
const CB_MIP_INTERRUPT: c_int = 6;

/// Seconds past the time limit (or past a stop) before a solver that does not answer is
/// abandoned: HiGHS checks its limits at many places but not all (a presolve of a sub-MIP
/// has been seen to run on for minutes), and the desk must keep its word on time.
const GRACE_S: f64 = 5.0;

enum Msg {
    Progress(MipProgress),
    Done(Result<MipResult, Error>),
}

struct CallbackState {
    interrupt: Arc<AtomicBool>,
    tx: mpsc::Sender<Msg>,
    last: Instant,
    started: Instant,
    interrupted: bool,
    /// The objective's constant term (HiGHS only sees the linear part).
    offset: f64,
}

unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    input: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    // Never unwind into C++.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() || out.is_null() || input.is_null() {
            return;
        }
        // SAFETY: `user` is the `CallbackState` registered by the solver thread, alive for
        // the whole `Highs_run`; `out`/`input` are valid for this call (HiGHS' contract).
        let state = unsafe { &mut *(user as *mut CallbackState) };
        let out = unsafe { &*out };
        let input = unsafe { &mut *input };
        if state.interrupt.load(Ordering::Relaxed) {
            input.user_interrupt = 1;
            state.interrupted = true;
            return;
        }
        if kind == CB_MIP_INTERRUPT && state.last.elapsed() >= Duration::from_millis(500) {
            state.last = Instant::now();
            let incumbent = out.mip_primal_bound.is_finite().then_some(out.mip_primal_bound + state.offset);
            let p = MipProgress {
                elapsed_s: state.started.elapsed().as_secs_f64(),
                incumbent,
                bound: out.mip_dual_bound + state.offset,
                gap: incumbent.map(|_| out.mip_gap).filter(|g| g.is_finite()),
                nodes: out.mip_node_count,
            };
            let _ = state.tx.send(Msg::Progress(p));
        }
    }));
}

/// The HiGHS instance, moved once to the thread that runs it and used only there.
struct Owned(highs::Model);
// SAFETY: a Highs instance has no thread affinity; it is used by one thread at a time
// (built here, then moved into the solver thread, which alone touches it afterwards).
unsafe impl Send for Owned {}

/// Minimises `objective` subject to `constraints` with HiGHS.
///
/// HiGHS runs on its own thread; this one relays progress, passes a stop on, and keeps
/// the time limit even if HiGHS does not (see [`GRACE_S`]). Returns the best solution
/// found; an error when the model is infeasible or no solution was found in time.
pub fn solve(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: &MipOptions,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<MipResult, Error> {
    run(vars, objective, constraints, options, progress, Mode::Mip)
}

/// The MIP's proven lower bound within the options' limits, whether or not a solution
/// was found: for a relaxation solved only for its bound (−∞ when HiGHS proved none).
/// `progress` sees the bound as it rises.
pub fn dual_bound(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: &MipOptions,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<f64, Error> {
    run(vars, objective, constraints, options, progress, Mode::BoundOnly).map(|r| r.bound)
}

/// How [`run`] solves and what it needs from the answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Branch and bound (or simplex on a model without integers); a solution is needed.
    Mip,
    /// Interior point without crossover, for an LP relaxation.
    Ipm,
    /// Branch and bound for its dual bound alone; no solution needed.
    BoundOnly,
}

/// [`solve`] for a model without integer columns (an LP relaxation) by the interior-point
/// method without crossover: far faster than simplex on a large relaxation; the objective
/// is the LP optimum within the solver's tolerances.
pub fn solve_lp(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: &MipOptions,
) -> Result<MipResult, Error> {
    run(vars, objective, constraints, options, &mut |_| {}, Mode::Ipm)
}

fn run(
    vars: ProblemVariables,
    objective: Expression,
    constraints: Vec<Constraint>,
    options: &MipOptions,
    progress: &mut dyn FnMut(&MipProgress),
    mode: Mode,
) -> Result<MipResult, Error> {
    let started = Instant::now();
    let offset = objective.constant();
    let mut problem = vars.minimise(objective).using(highs);
    for c in constraints {
        problem.add_constraint(c);
    }
    let mut model = problem.try_into_inner().map_err(|e| Error::Solver(format!("building the model: {e}")))?;
    model.make_quiet();
    model.set_option("mip_rel_gap", options.rel_gap.unwrap_or(1e-4));
    if let Some(g) = options.abs_gap {
        model.set_option("mip_abs_gap", g);
    }
    if let Some(t) = options.time_limit {
        model.set_option("time_limit", t.max(0.0));
    }
    if let Some(t) = options.threads {
        model.set_option("threads", t as i32);
    }
    if mode == Mode::Ipm {
        model.set_option("solver", "ipm");
        model.set_option("run_crossover", "off");
    }
    if let Some(start) = &options.start {
        let index: Vec<highs_sys::HighsInt> = start.iter().map(|&(c, _)| c as highs_sys::HighsInt).collect();
        let value: Vec<f64> = start.iter().map(|&(_, v)| v).collect();
        // SAFETY: the instance is live; the arrays hold `index.len()` entries each.
        unsafe {
            highs_sys::Highs_setSparseSolution(model.as_mut_ptr(), index.len() as highs_sys::HighsInt, index.as_ptr(), value.as_ptr());
        }
    }

    let interrupt = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let owned = Owned(model);
    let worker_interrupt = interrupt.clone();
    std::thread::Builder::new()
        .name("highs".into())
        .spawn(move || {
            let owned = owned;
            let Owned(mut model) = owned;
            let mut state =
                CallbackState { interrupt: worker_interrupt, tx: tx.clone(), last: Instant::now(), started, interrupted: false, offset };
            let ptr = model.as_mut_ptr();
            // SAFETY: `ptr` is the live instance owned by `model`; `state` outlives the
            // run (the callback is only invoked from inside `try_solve` below).
            unsafe {
                highs_sys::Highs_setCallback(ptr, Some(callback), &mut state as *mut CallbackState as *mut c_void);
                highs_sys::Highs_startCallback(ptr, CB_MIP_INTERRUPT);
                highs_sys::Highs_startCallback(ptr, CB_SIMPLEX_INTERRUPT);
            }
            let solved = model.try_solve();
            let result = solved
                .map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))
                .and_then(|solved| outcome(&solved, state.interrupted, offset, started, mode));
            let _ = tx.send(Msg::Done(result));
        })
        .map_err(|e| Error::Solver(format!("cannot start the solver thread: {e}")))?;

    let mut stop_seen: Option<Instant> = None;
    loop {
        if stop_seen.is_none() && options.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            interrupt.store(true, Ordering::Relaxed);
            stop_seen = Some(Instant::now());
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Msg::Progress(p)) => progress(&p),
            Ok(Msg::Done(r)) => return r,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Error::Solver("no solution: the solver thread ended without an answer".into()))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let over_time = options.time_limit.is_some_and(|t| started.elapsed().as_secs_f64() > t + GRACE_S);
                let over_stop = stop_seen.is_some_and(|t| t.elapsed().as_secs_f64() > GRACE_S);
                if over_time {
                    interrupt.store(true, Ordering::Relaxed);
                }
                if over_stop || (over_time && started.elapsed().as_secs_f64() > options.time_limit.unwrap_or(0.0) + 2.0 * GRACE_S) {
                    // Abandon it: the thread finishes (or not) on its own; its answer is
                    // dropped.
                    return Err(Error::Solver("no solution: HiGHS did not stop within its time limit; abandoned".into()));
                }
            }
        }
    }
}

/// What a finished run found.
fn outcome(solved: &highs::SolvedModel, interrupted: bool, offset: f64, started: Instant, mode: Mode) -> Result<MipResult, Error> {
    let status = match solved.status() {
        HighsModelStatus::Optimal | HighsModelStatus::ObjectiveBound | HighsModelStatus::ObjectiveTarget => MipStatus::Optimal,
        HighsModelStatus::ReachedInterrupt => MipStatus::Stopped,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedMemoryLimit => {
            if interrupted {
                MipStatus::Stopped
            } else {
                MipStatus::TimeLimit
            }
        }
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(Error::Solver("the hard rules cannot all be met (infeasible model)".into()))
        }
        other => return Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
    };
    let feasible = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    if mode == Mode::BoundOnly && !feasible {
        let bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).map_or(f64::NEG_INFINITY, |b| b + offset);
        let seconds = started.elapsed().as_secs_f64();
        return Ok(MipResult { values: Vec::new(), objective: f64::INFINITY, bound, status, seconds });
    }
    if !feasible {
        return Err(Error::Solver(match status {
            MipStatus::Stopped => "stopped before any solution was found".into(),
            _ => "no solution found within the time limit".into(),
        }));
    }
    let objective = solved.objective_value() + offset;
    // Without a finite dual bound (stopped before the root LP ended) nothing is proven,
    // unless the run ended optimal.
    let unknown = if status == MipStatus::Optimal { objective } else { f64::NEG_INFINITY };
    let bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).map_or(unknown, |b| b + offset);
    let values = solved.get_solution().columns().to_vec();
    Ok(MipResult {
        values,
        objective,
        bound: if status == MipStatus::Optimal { bound.min(objective) } else { bound },
        status,
        seconds: started.elapsed().as_secs_f64(),
    })
}
