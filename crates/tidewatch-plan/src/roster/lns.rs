//! The benchmark solver at scale: a roster that keeps every hard rule in seconds
//! ([`super::construct`]), then large-neighbourhood search around the exact MIP — most of
//! the roster fixed, HiGHS re-optimising a window of it — while the whole MIP runs on the
//! other core for the lower bound (and, on small instances, the proof of optimality).
//!
//! A window is one of three shapes, placed where the penalties are:
//! - some employees × some days (a block of 4–10 days where cover and requests cost most);
//! - some employees × the whole horizon (those whose requests are broken);
//! - one shift type × one or two weeks: who works that type is re-decided, every other
//!   shift stays (where that type's cover costs most).
//!
//! Each window's MIP starts from the current roster, so it always has a solution; the
//! result is kept when it is no worse (equal moves let the search drift across
//! plateaus). The window's size adapts: larger after a window solved to optimality,
//! smaller after one that ran out of its time.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::benchmark::{self, evaluate, solve_scope, Assignment, Cell, Instance, Scope, Solved};
use super::construct;
use super::mip::{MipOptions, MipProgress, MipStatus};
use tidewatch_core::rng::Rng;
use tidewatch_core::Error;

/// Seconds one window's MIP may take.
const WINDOW_SECONDS: f64 = 3.0;
/// Free shift variables (employee × day × type) in the first window.
const FIRST_BUDGET: f64 = 400.0;
/// A bound on the loop; in practice the time limit or the proof ends it far earlier.
const MAX_WINDOWS: usize = 1_000_000;
/// Employee × day × shift-type cells above which the bound thread solves the LP
/// relaxation before the MIP (the public Instances 1–4 have at most 840; the generated
/// 30-staff, 4-type, 28-day one 3 360).
const LP_FIRST_CELLS: usize = 2_000;
/// On one core, the share of the time a large instance's LP relaxation may take.
const LP_SHARE: f64 = 0.2;
/// Share of the time left the quick bound ([`benchmark::quick_bound`]) gets before the LP
/// (which on the largest instances does not finish within a minute on a shared machine).
const QUICK_SHARE: f64 = 0.5;
/// Seconds for the quick bound without a time limit.
const QUICK_SECONDS: f64 = 10.0;
/// Progress is reported on every improvement and at least this often (seconds).
const REPORT_EVERY: f64 = 1.0;

/// What the two threads share.
struct Shared {
    /// Best proven lower bound (f64 bits).
    bound: AtomicU64,
    /// Set to end both searches: limit, Ctrl-C, or optimality proven.
    halt: AtomicBool,
}

impl Shared {
    fn bound(&self) -> f64 {
        f64::from_bits(self.bound.load(Ordering::Relaxed))
    }

    fn raise_bound(&self, b: f64) {
        if b.is_finite() {
            let _ = self.bound.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| (b > f64::from_bits(old)).then_some(b.to_bits()));
        }
    }

    fn halted(&self) -> bool {
        self.halt.load(Ordering::Relaxed)
    }
}

/// Solves an instance: always a roster that keeps every hard rule (unless stopped before
/// the first one is built), the best found within the time limit, with the best bound.
/// `options.threads`: `Some(1)` keeps to one core ([`alone`]); otherwise a large instance
/// gets two ([`beside`]).
pub fn solve(inst: &Instance, options: &MipOptions, progress: &mut dyn FnMut(&MipProgress)) -> Result<Solved, Error> {
    let started = Instant::now();
    let shared = Shared { bound: AtomicU64::new(0f64.to_bits()), halt: AtomicBool::new(false) };
    let deadline = options.time_limit.map(|t| started + Duration::from_secs_f64(t.max(0.0)));
    let clock = Clock { started, deadline };
    let (best, exact) = std::thread::scope(|sc| {
        sc.spawn(|| watch(options.stop, &shared));
        // A small instance goes to the whole MIP from the built roster on either setting:
        // it proves the optimum sooner without the search competing for the cores.
        let one = options.threads == Some(1) || cells(inst) <= LP_FIRST_CELLS;
        let answer = if one { alone(inst, clock, &shared, progress) } else { beside(inst, clock, &shared, progress) };
        shared.halt.store(true, Ordering::Relaxed);
        answer
    });
    let stopped = options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    match (best, exact) {
        (Ok(best), exact) => Ok(finish(inst, best, exact, shared.bound(), stopped, started)),
        // Stopped (or proven) before the constructed roster was complete.
        (Err(_), Some(x)) => Ok(finish(inst, (x.assignment.clone(), x.objective), Some(x), shared.bound(), stopped, started)),
        (Err(e), None) => Err(e),
    }
}

/// When the solve started and must end.
#[derive(Clone, Copy)]
struct Clock {
    started: Instant,
    deadline: Option<Instant>,
}

impl Clock {
    /// Seconds left (`None`: no limit).
    fn left(&self) -> Option<f64> {
        self.deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64())
    }
}

/// The search's answer and the whole MIP's, when it gave one.
type Answers = (Result<(Assignment, i64), Error>, Option<Solved>);

/// Two cores: the whole MIP runs from the start on its own thread (the bound, and on
/// small instances the proof, come sooner; its own solutions count too) while the roster
/// is built and improved on this one.
fn beside(inst: &Instance, clock: Clock, shared: &Shared, progress: &mut dyn FnMut(&MipProgress)) -> Answers {
    std::thread::scope(|sc| {
        let exact = sc.spawn(|| exact(inst, clock, shared, None, &mut |_| {}));
        let best = construct::initial(inst, Some(&shared.halt)).map(|start| improve(inst, start, clock, shared, progress));
        shared.halt.store(true, Ordering::Relaxed);
        (best, exact.join().ok().and_then(Result::ok))
    })
}

/// One core, in turn: the roster is built; a small instance then goes to the whole MIP
/// from it (which proves the optimum in seconds); a large one is searched, and the last
/// [`LP_SHARE`] of the time goes to its LP relaxation for the bound (first, when there is
/// no limit: a stop may come at any time).
fn alone(inst: &Instance, clock: Clock, shared: &Shared, progress: &mut dyn FnMut(&MipProgress)) -> Answers {
    let start = match construct::initial_on(inst, Some(&shared.halt), 1) {
        Ok(start) => start,
        Err(e) => return (Err(e), None),
    };
    if cells(inst) <= LP_FIRST_CELLS {
        let objective = evaluate(inst, &start).objective;
        let x = exact(inst, clock, shared, Some(&start), progress);
        return (Ok((start, objective)), x.ok());
    }
    let Some(deadline) = clock.deadline else {
        quick(inst, None, shared);
        lp(inst, None, shared);
        return (Ok(improve(inst, start, clock, shared, progress)), None);
    };
    let search_until = clock.started + deadline.saturating_duration_since(clock.started).mul_f64(1.0 - LP_SHARE);
    let best = improve(inst, start, Clock { deadline: Some(search_until), ..clock }, shared, progress);
    quick(inst, clock.left(), shared);
    lp(inst, clock.left(), shared);
    progress(&report(best.1, shared.bound(), clock.started.elapsed().as_secs_f64(), 0));
    (Ok(best), None)
}

/// Raises the shared bound to [`benchmark::quick_bound`]'s as it rises, for
/// [`QUICK_SHARE`] of `seconds` (the LP after it gets the rest; [`QUICK_SECONDS`]
/// without a limit).
fn quick(inst: &Instance, seconds: Option<f64>, shared: &Shared) {
    let limit = seconds.map_or(QUICK_SECONDS, |s| s * QUICK_SHARE);
    let options = MipOptions { time_limit: Some(limit), stop: Some(&shared.halt), threads: Some(1), ..Default::default() };
    if let Ok(b) = benchmark::quick_bound(inst, &options, &mut |m| shared.raise_bound(m.bound)) {
        shared.raise_bound(b);
    }
}

/// Raises the shared bound to the LP relaxation's optimum, if found within `seconds`.
fn lp(inst: &Instance, seconds: Option<f64>, shared: &Shared) {
    let options = MipOptions { time_limit: seconds, stop: Some(&shared.halt), threads: Some(1), ..Default::default() };
    if let Ok(lp) = benchmark::lp_bound(inst, &options) {
        shared.raise_bound(lp);
    }
}

fn cells(inst: &Instance) -> usize {
    inst.staff.len() * inst.horizon * inst.shifts.len()
}

/// Passes a Ctrl-C (or Stop button) on to both searches.
fn watch(stop: Option<&AtomicBool>, shared: &Shared) {
    while !shared.halted() {
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            shared.halt.store(true, Ordering::Relaxed);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The LP relaxation (on a large instance), then the whole MIP (from `start` if given),
/// on one thread: raises the shared bound as it goes, and ends the search when it proves
/// optimality.
fn exact(
    inst: &Instance,
    clock: Clock,
    shared: &Shared,
    start: Option<&Assignment>,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<Solved, Error> {
    let options = MipOptions { time_limit: clock.left(), stop: Some(&shared.halt), threads: Some(1), ..Default::default() };
    // The LP relaxation first on a large instance, where the MIP's own first bound
    // (after presolve, root LP and cuts) can take longer than the whole limit; a small
    // one goes straight to the MIP, which proves its optimum in seconds.
    if cells(inst) > LP_FIRST_CELLS {
        quick(inst, clock.left(), shared);
        lp(inst, clock.left(), shared);
    }
    let options = MipOptions { time_limit: clock.left(), ..options };
    let result = benchmark::solve_from(inst, &options, start, &mut |m: &MipProgress| {
        shared.raise_bound(m.bound);
        progress(m);
    });
    if let Ok(r) = &result {
        shared.raise_bound(r.bound as f64);
        if r.status == MipStatus::Optimal {
            shared.halt.store(true, Ordering::Relaxed);
        }
    }
    result
}

/// The better of the two searches' rosters, and what is proven about it.
fn finish(inst: &Instance, lns: (Assignment, i64), exact: Option<Solved>, bound: f64, stopped: bool, started: Instant) -> Solved {
    let (mut assignment, mut objective) = lns;
    let mut proven = false;
    if let Some(x) = exact {
        proven = x.status == MipStatus::Optimal;
        if x.objective < objective && evaluate(inst, &x.assignment).violations.is_empty() {
            (assignment, objective) = (x.assignment, x.objective);
        }
    }
    let bound = ((bound - 1e-6).ceil() as i64).min(objective);
    let status = if proven || objective <= bound {
        MipStatus::Optimal
    } else if stopped {
        MipStatus::Stopped
    } else {
        MipStatus::TimeLimit
    };
    let bound = if status == MipStatus::Optimal { objective } else { bound };
    Solved { assignment, objective, bound, status, seconds: started.elapsed().as_secs_f64() }
}

/// The search: window after window until the deadline, a stop, or the bound is reached.
fn improve(inst: &Instance, start: Assignment, clock: Clock, shared: &Shared, progress: &mut dyn FnMut(&MipProgress)) -> (Assignment, i64) {
    let started = clock.started;
    let mut rng = Rng::scrambled(1);
    let mut best_obj = evaluate(inst, &start).objective;
    let mut best = start;
    let mut budget = FIRST_BUDGET;
    let mut last_report = f64::NEG_INFINITY;
    for window in 0..MAX_WINDOWS {
        let elapsed = started.elapsed().as_secs_f64();
        if elapsed - last_report >= REPORT_EVERY {
            last_report = elapsed;
            progress(&report(best_obj, shared.bound(), elapsed, window));
        }
        if shared.halted() || best_obj as f64 <= (shared.bound() - 1e-6).ceil() {
            break;
        }
        let left = clock.left();
        if left.is_some_and(|l| l < 0.05) {
            break;
        }
        let options = MipOptions {
            time_limit: Some(left.map_or(WINDOW_SECONDS, |l| l.min(WINDOW_SECONDS))),
            stop: Some(&shared.halt),
            threads: Some(1),
            abs_gap: Some(0.999),
            rel_gap: Some(0.0),
            start: None,
        };
        let (solved, whole) = {
            let scope = neighbourhood(inst, &best, budget, &mut rng);
            let whole = scope.staff.len() == inst.staff.len() && scope.cells.iter().flatten().all(|&c| c == Cell::Free);
            (solve_scope(inst, &scope, &options, Some(&best), &mut |_| {}), whole)
        };
        let Ok((roster, result)) = solved else {
            budget = adapt(inst, budget, false);
            continue;
        };
        budget = adapt(inst, budget, result.status == MipStatus::Optimal);
        if whole {
            // The window was the whole instance: its bound is the instance's.
            shared.raise_bound(result.bound);
        }
        let ev = evaluate(inst, &roster);
        // The window's MIP keeps every hard rule; the check guards against a bug.
        if ev.violations.is_empty() && ev.objective <= best_obj {
            if ev.objective < best_obj {
                last_report = f64::NEG_INFINITY;
            }
            (best, best_obj) = (roster, ev.objective);
        }
    }
    progress(&report(best_obj, shared.bound(), started.elapsed().as_secs_f64(), 0));
    (best, best_obj)
}

fn report(objective: i64, bound: f64, elapsed_s: f64, windows: usize) -> MipProgress {
    let incumbent = objective as f64;
    let gap = (incumbent > 0.0).then(|| ((incumbent - bound) / incumbent).max(0.0));
    MipProgress { elapsed_s, incumbent: Some(incumbent), bound, gap, nodes: windows as i64 }
}

/// The next window's size: 10 % larger after a window solved to optimality, 20 % smaller
/// after one that was not (between two employees' rows and the whole instance).
fn adapt(inst: &Instance, budget: f64, solved: bool) -> f64 {
    let h = inst.horizon as f64;
    let all = inst.staff.len() as f64 * h * inst.shifts.len() as f64;
    let next = if solved { budget * 1.1 } else { budget * 0.8 };
    next.clamp(2.0 * h, all.max(2.0 * h))
}

/// Where the roster loses points: `cover[d][s]` and `request[e][d]`.
struct Penalties {
    cover: Vec<Vec<f64>>,
    request: Vec<Vec<f64>>,
}

fn penalties(inst: &Instance, roster: &Assignment) -> Penalties {
    let mut request = vec![vec![0.0; inst.horizon]; inst.staff.len()];
    for r in &inst.on_requests {
        if roster[r.staff][r.day] != Some(r.shift) {
            request[r.staff][r.day] += r.weight as f64;
        }
    }
    for r in &inst.off_requests {
        if roster[r.staff][r.day] == Some(r.shift) {
            request[r.staff][r.day] += r.weight as f64;
        }
    }
    let cover = (0..inst.horizon)
        .map(|d| {
            (0..inst.shifts.len())
                .map(|s| {
                    let c = inst.cover[d][s];
                    let n = roster.iter().filter(|row| row[d] == Some(s)).count() as f64;
                    let req = c.requirement as f64;
                    if n < req {
                        (req - n) * c.under as f64
                    } else {
                        (n - req) * c.over as f64
                    }
                })
                .collect()
        })
        .collect();
    Penalties { cover, request }
}

/// A window of about `budget` free shift variables, placed by the penalties.
fn neighbourhood<'a>(inst: &Instance, roster: &'a Assignment, budget: f64, rng: &mut Rng) -> Scope<'a> {
    let pen = penalties(inst, roster);
    match rng.below(3) {
        0 => days_window(inst, roster, &pen, budget, rng),
        1 => staff_block(inst, roster, &pen, budget, rng),
        _ => shift_weeks(inst, roster, &pen, budget, rng),
    }
}

/// A start day for a window of `len` days, drawn by the penalty inside it.
fn pick_window(per_day: &[f64], len: usize, rng: &mut Rng) -> usize {
    let starts = per_day.len() - len + 1;
    let weights: Vec<f64> = (0..starts).map(|a| 1.0 + per_day[a..a + len].iter().sum::<f64>()).collect();
    rng.weighted(&weights)
}

/// `k` employees drawn without replacement, each by 1 + their request penalty on `days`.
fn pick_staff(pen: &Penalties, days: std::ops::Range<usize>, k: usize, rng: &mut Rng) -> Vec<usize> {
    let mut weights: Vec<f64> = pen.request.iter().map(|row| 1.0 + row[days.clone()].iter().sum::<f64>()).collect();
    let mut chosen = Vec::with_capacity(k);
    for _ in 0..k.min(weights.len()) {
        let e = rng.weighted(&weights);
        weights[e] = 0.0;
        chosen.push(e);
    }
    chosen.sort_unstable();
    chosen
}

fn fixed_cells(inst: &Instance) -> Vec<Vec<Cell>> {
    vec![vec![Cell::Fixed; inst.horizon]; inst.staff.len()]
}

/// Some employees × a block of 4–10 days.
fn days_window<'a>(inst: &Instance, roster: &'a Assignment, pen: &Penalties, budget: f64, rng: &mut Rng) -> Scope<'a> {
    let h = inst.horizon;
    let len = (4 + rng.below(7)).min(h);
    let per_day: Vec<f64> = (0..h).map(|d| pen.cover[d].iter().sum::<f64>() + pen.request.iter().map(|row| row[d]).sum::<f64>()).collect();
    let first = pick_window(&per_day, len, rng);
    let k = (budget / (len * inst.shifts.len()) as f64) as usize;
    let staff = pick_staff(pen, first..first + len, k.clamp(2, inst.staff.len().max(2)), rng);
    let mut cells = fixed_cells(inst);
    for &e in &staff {
        cells[e][first..first + len].fill(Cell::Free);
    }
    Scope { staff, cells, base: roster }
}

/// Some employees × the whole horizon, drawn by their broken requests.
fn staff_block<'a>(inst: &Instance, roster: &'a Assignment, pen: &Penalties, budget: f64, rng: &mut Rng) -> Scope<'a> {
    let h = inst.horizon;
    let k = (budget / (h * inst.shifts.len()) as f64) as usize;
    let staff = pick_staff(pen, 0..h, k.clamp(2, inst.staff.len().max(2)), rng);
    let mut cells = fixed_cells(inst);
    for &e in &staff {
        cells[e].fill(Cell::Free);
    }
    Scope { staff, cells, base: roster }
}

/// One shift type over 7–14 days: who works it is re-decided among those off or on that
/// type there; everyone else's shifts stay.
fn shift_weeks<'a>(inst: &Instance, roster: &'a Assignment, pen: &Penalties, budget: f64, rng: &mut Rng) -> Scope<'a> {
    let h = inst.horizon;
    let ns = inst.shifts.len();
    let per_type: Vec<f64> = (0..ns).map(|s| 1.0 + (0..h).map(|d| pen.cover[d][s]).sum::<f64>()).collect();
    let s = rng.weighted(&per_type);
    let len = (7 + rng.below(8)).min(h);
    let per_day: Vec<f64> = (0..h).map(|d| pen.cover[d][s]).collect();
    let first = pick_window(&per_day, len, rng);
    let k = (budget / len as f64) as usize;
    let staff = pick_staff(pen, first..first + len, k.clamp(2, inst.staff.len().max(2)), rng);
    let mut cells = fixed_cells(inst);
    for &e in &staff {
        for d in first..first + len {
            if roster[e][d].is_none_or(|t| t == s) {
                cells[e][d] = Cell::Only(s);
            }
        }
    }
    Scope { staff, cells, base: roster }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::generate::{generate, GenerateOptions};

    #[test]
    fn windows_keep_every_hard_rule_and_the_rest_of_the_roster() {
        let inst = generate(&GenerateOptions { staff: 10, shifts: 3, days: 14, seed: 5 }).unwrap();
        let mut cur = construct::initial(&inst, None).unwrap();
        let mut obj = evaluate(&inst, &cur).objective;
        assert!(evaluate(&inst, &cur).violations.is_empty());
        let mut rng = Rng::scrambled(3);
        let options = MipOptions { time_limit: Some(20.0), abs_gap: Some(0.999), rel_gap: Some(0.0), ..Default::default() };
        for _ in 0..9 {
            let scope = neighbourhood(&inst, &cur, 120.0, &mut rng);
            let (roster, result) = solve_scope(&inst, &scope, &options, Some(&cur), &mut |_| {}).unwrap();
            let ev = evaluate(&inst, &roster);
            assert!(ev.violations.is_empty(), "{:?}", ev.violations);
            for (e, row) in roster.iter().enumerate() {
                for (d, a) in row.iter().enumerate() {
                    match (scope.staff.contains(&e), scope.cells[e][d]) {
                        (false, _) | (true, Cell::Fixed) => assert_eq!(*a, cur[e][d], "employee {e} day {d} outside the window"),
                        (true, Cell::Only(s)) => assert!(a.is_none_or(|t| t == s)),
                        (true, Cell::Free) => {}
                    }
                }
            }
            // Started from the current roster and solved to optimality: never worse.
            assert_eq!(result.status, MipStatus::Optimal);
            assert!(ev.objective <= obj, "{} after {obj}", ev.objective);
            (cur, obj) = (roster, ev.objective);
        }
    }

    #[test]
    fn a_stop_ends_an_unlimited_search_with_a_sound_roster() {
        let inst = generate(&GenerateOptions { staff: 30, shifts: 4, days: 28, seed: 4 }).unwrap();
        let stop = AtomicBool::new(false);
        let options = MipOptions { stop: Some(&stop), ..Default::default() };
        let solved = std::thread::scope(|sc| {
            sc.spawn(|| {
                std::thread::sleep(Duration::from_secs(2));
                stop.store(true, Ordering::Relaxed);
            });
            solve(&inst, &options, &mut |_| {}).unwrap()
        });
        assert_eq!(solved.status, MipStatus::Stopped);
        let ev = evaluate(&inst, &solved.assignment);
        assert!(ev.violations.is_empty(), "{:?}", ev.violations);
        assert_eq!(ev.objective, solved.objective);
        assert!(solved.bound <= solved.objective);
    }

    #[test]
    fn on_one_core_a_small_instance_is_proven_optimal() {
        let inst = generate(&GenerateOptions { staff: 8, shifts: 2, days: 14, seed: 6 }).unwrap();
        let options = MipOptions { threads: Some(1), ..Default::default() };
        let alone = solve(&inst, &options, &mut |_| {}).unwrap();
        let whole = benchmark::solve(&inst, &MipOptions::default(), &mut |_| {}).unwrap();
        assert_eq!((alone.status, alone.objective, alone.bound), (MipStatus::Optimal, whole.objective, whole.objective));
        assert!(evaluate(&inst, &alone.assignment).violations.is_empty());
    }

    #[test]
    fn on_one_core_a_large_instance_keeps_its_limit_and_improves_the_start() {
        let inst = generate(&GenerateOptions { staff: 30, shifts: 4, days: 28, seed: 7 }).unwrap();
        let start = evaluate(&inst, &construct::initial_on(&inst, None, 1).unwrap()).objective;
        let options = MipOptions { threads: Some(1), time_limit: Some(4.0), ..Default::default() };
        let solved = solve(&inst, &options, &mut |_| {}).unwrap();
        let ev = evaluate(&inst, &solved.assignment);
        assert!(ev.violations.is_empty(), "{:?}", ev.violations);
        assert_eq!(ev.objective, solved.objective);
        assert!(solved.objective < start, "{} from {start}", solved.objective);
        assert!(solved.bound <= solved.objective);
        // The limit, plus what one window's MIP and the evaluation may run over it.
        assert!(solved.seconds < 4.0 + WINDOW_SECONDS, "{} s", solved.seconds);
    }

    #[test]
    fn the_penalties_point_at_the_broken_requests_and_cover() {
        let inst = generate(&GenerateOptions { staff: 6, shifts: 2, days: 7, seed: 2 }).unwrap();
        let empty: Assignment = vec![vec![None; 7]; 6];
        let pen = penalties(&inst, &empty);
        for r in &inst.on_requests {
            assert!(pen.request[r.staff][r.day] >= r.weight as f64);
        }
        let expected: f64 = (0..7).flat_map(|d| inst.cover[d].iter().map(|c| (c.requirement * c.under) as f64)).sum();
        assert_eq!(pen.cover.iter().flatten().sum::<f64>(), expected);
    }
}
