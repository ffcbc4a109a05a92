//! A roster that keeps every hard rule of a benchmark instance, in seconds whatever its
//! size: the starting point the large-neighbourhood search ([`super::lns`]) improves.
//!
//! Every hard rule of the format is about one employee alone (runs, minutes, weekends,
//! successions, days off); only cover, which is soft, ties employees together. So the
//! roster is built one employee at a time: each gets the row that best serves the cover
//! still open (and their own requests), from a MIP over that row alone — small enough to
//! solve in milliseconds, exact about the hard rules, and never stuck the way a greedy
//! day-by-day fill can be on minimum-run and minimum-minutes rules.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use super::benchmark::{employee_violations, solve_scope, Assignment, Cell, Instance, Scope};
use super::mip::MipOptions;
use tidewatch_core::Error;

/// Seconds one row may take before the search settles for the best row found so far;
/// a row with no solution yet gets longer tries.
const ROW_SECONDS: [f64; 3] = [1.0, 5.0, 30.0];

/// Builds the roster, employees with the fewest shift types they may work first (they
/// have the least choice), on two threads. `stop` ends it early with an error: a
/// half-built roster would break the minimum-minutes rule of the employees not yet
/// reached.
pub fn initial(inst: &Instance, stop: Option<&AtomicBool>) -> Result<Assignment, Error> {
    initial_on(inst, stop, 2)
}

/// [`initial`] on `threads` threads (at least one), each choosing rows against the rows
/// finished so far. On one thread the roster depends on the instance alone; on more, on
/// which rows finish first (a row MIP's time is the machine's).
pub fn initial_on(inst: &Instance, stop: Option<&AtomicBool>, threads: usize) -> Result<Assignment, Error> {
    let mut order: Vec<usize> = (0..inst.staff.len()).collect();
    order.sort_by_key(|&e| inst.staff[e].max_shifts.iter().filter(|&&m| m > 0).count());
    let work = Work {
        inst,
        order,
        next: AtomicUsize::new(0),
        roster: Mutex::new(vec![vec![None; inst.horizon]; inst.staff.len()]),
        failed: AtomicBool::new(false),
        stop,
    };
    let results: Vec<Result<(), Error>> = std::thread::scope(|sc| {
        let workers: Vec<_> = (0..threads.max(1)).map(|_| sc.spawn(|| work.run())).collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| Err(Error::Solver("a roster thread panicked".into())))).collect()
    });
    results.into_iter().collect::<Result<(), Error>>()?;
    Ok(work.roster.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// The rows still to choose, shared by the threads.
struct Work<'a> {
    inst: &'a Instance,
    order: Vec<usize>,
    next: AtomicUsize,
    roster: Mutex<Assignment>,
    failed: AtomicBool,
    stop: Option<&'a AtomicBool>,
}

impl Work<'_> {
    fn run(&self) -> Result<(), Error> {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(&e) = self.order.get(i) else { return Ok(()) };
            if self.failed.load(Ordering::Relaxed) {
                return Ok(());
            }
            if self.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                return Err(Error::Solver("stopped before any solution was found".into()));
            }
            let snapshot = self.roster.lock().unwrap_or_else(|e| e.into_inner()).clone();
            match best_row(self.inst, e, &snapshot, self.stop) {
                Ok(row) => self.roster.lock().unwrap_or_else(|e| e.into_inner())[e] = row,
                Err(err) => {
                    self.failed.store(true, Ordering::Relaxed);
                    return Err(err);
                }
            }
        }
    }
}

/// Employee `e`'s row, chosen against the cover left open by the rows in `roster`: by
/// dynamic programming over runs when that gives a row that keeps every rule (almost
/// always: microseconds), else by the row's exact MIP.
fn best_row(inst: &Instance, e: usize, roster: &Assignment, stop: Option<&AtomicBool>) -> Result<Vec<Option<usize>>, Error> {
    let gain = gains(inst, e, roster);
    if let Some(row) = pattern_row(inst, e, &gain).and_then(|p| typed_row(inst, e, &gain, &p)) {
        if employee_violations(inst, e, &row).is_empty() {
            return Ok(row);
        }
    }
    let scope = Scope { staff: vec![e], cells: vec![vec![Cell::Free; inst.horizon]; inst.staff.len()], base: roster };
    let mut last = None;
    for seconds in ROW_SECONDS {
        // A near-optimal row is as good a start as an optimal one.
        let options = MipOptions { time_limit: Some(seconds), stop, threads: Some(1), rel_gap: Some(0.02), ..Default::default() };
        match solve_scope(inst, &scope, &options, None, &mut |_| {}) {
            Ok((mut roster, _)) => return Ok(std::mem::take(&mut roster[e])),
            Err(Error::Solver(m)) if m.contains("infeasible") => {
                return Err(Error::invalid(
                    format!("employee {}", inst.staff[e].id),
                    "no roster meets all of this employee's hard rules (minutes, runs, weekends, days off)",
                ))
            }
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| Error::Solver("no solution".into())))
}

/// `gain[d][s]`: what employee `e` working shift `s` on day `d` saves against `roster`
/// (an under-covered slot's weight, or minus the over-cover weight; their on-request
/// weight; minus their off-request weight). `None` where they may not work it.
fn gains(inst: &Instance, e: usize, roster: &Assignment) -> Vec<Vec<Option<f64>>> {
    let st = &inst.staff[e];
    let mut gain: Vec<Vec<Option<f64>>> = (0..inst.horizon)
        .map(|d| {
            (0..inst.shifts.len())
                .map(|s| {
                    if st.days_off.contains(&d) || st.max_shifts[s] == 0 {
                        return None;
                    }
                    let c = inst.cover[d][s];
                    let on = roster.iter().filter(|row| row[d] == Some(s)).count() as u32;
                    Some(if on < c.requirement { c.under as f64 } else { -(c.over as f64) })
                })
                .collect()
        })
        .collect();
    for r in inst.on_requests.iter().filter(|r| r.staff == e) {
        if let Some(g) = &mut gain[r.day][r.shift] {
            *g += r.weight as f64;
        }
    }
    for r in inst.off_requests.iter().filter(|r| r.staff == e) {
        if let Some(g) = &mut gain[r.day][r.shift] {
            *g -= r.weight as f64;
        }
    }
    gain
}

/// The days to work: the best pattern of work and rest runs by dynamic programming over
/// (working, run touches day 0, run length, weekends worked, shifts so far), each worked
/// day valued at its best shift. Keeps the run, weekend and day-off rules and a number of
/// shifts the minutes allow; shift types and their limits are left to [`typed_row`].
fn pattern_row(inst: &Instance, e: usize, gain: &[Vec<Option<f64>>]) -> Option<Vec<bool>> {
    let st = &inst.staff[e];
    let h = inst.horizon;
    let value: Vec<Option<f64>> = gain.iter().map(|g| g.iter().flatten().copied().reduce(f64::max)).collect();
    let lengths: Vec<u32> = (0..inst.shifts.len()).filter(|&s| st.max_shifts[s] > 0).map(|s| inst.shifts[s].minutes).collect();
    let (shortest, longest) = (*lengths.iter().min()?, *lengths.iter().max()?);
    let n_min = st.min_minutes.div_ceil(longest.max(1)) as usize;
    let n_max = ((st.max_minutes / shortest.max(1)) as usize).min(h);
    let dims = Dims {
        cap: (st.max_consecutive.max(st.min_consecutive_off).max(st.min_consecutive).max(1)) as usize,
        weekends: (st.max_weekends as usize).min(h / 7 + 1),
        shifts: n_max,
    };
    let mut best: Vec<Vec<f64>> = vec![vec![f64::NEG_INFINITY; dims.size()]; h];
    let mut back: Vec<Vec<u32>> = vec![vec![u32::MAX; dims.size()]; h];
    let weekend_start = |d: usize, prev_work: bool| d % 7 == 5 || (d % 7 == 6 && !prev_work);
    if let Some(v) = value[0] {
        best[0][dims.at(true, true, 1, weekend_start(0, false) as usize, 1)] = v;
    }
    best[0][dims.at(false, true, 1, 0, 0)] = 0.0;
    for d in 1..h {
        for i in 0..dims.size() {
            let v = best[d - 1][i];
            if v == f64::NEG_INFINITY {
                continue;
            }
            let (work, edge, run, wk, n) = dims.state(i);
            let mut push = |j: usize, add: f64| {
                if v + add > best[d][j] {
                    best[d][j] = v + add;
                    back[d][j] = i as u32;
                }
            };
            // Work on day d.
            if let Some(val) = value[d] {
                let wk2 = wk + weekend_start(d, work) as usize;
                let fresh_ok = edge || run >= st.min_consecutive_off as usize;
                if wk2 <= dims.weekends && n < n_max {
                    if work && run < st.max_consecutive as usize {
                        push(dims.at(true, edge, run + 1, wk2, n + 1), val);
                    } else if !work && fresh_ok {
                        push(dims.at(true, false, 1, wk2, n + 1), val);
                    }
                }
            }
            // Rest on day d.
            if work && (edge || run >= st.min_consecutive as usize) {
                push(dims.at(false, false, 1, wk, n), 0.0);
            } else if !work {
                push(dims.at(false, edge, (run + 1).min(dims.cap), wk, n), 0.0);
            }
        }
    }
    let end = (0..dims.size())
        .filter(|&i| best[h - 1][i] > f64::NEG_INFINITY && (n_min..=n_max).contains(&dims.state(i).4))
        .max_by(|&a, &b| best[h - 1][a].total_cmp(&best[h - 1][b]))?;
    let mut pattern = vec![false; h];
    let mut i = end;
    for d in (0..h).rev() {
        pattern[d] = dims.state(i).0;
        i = back[d][i] as usize;
    }
    Some(pattern)
}

/// The shape of [`pattern_row`]'s state space.
struct Dims {
    cap: usize,
    weekends: usize,
    shifts: usize,
}

impl Dims {
    fn size(&self) -> usize {
        4 * (self.cap + 1) * (self.weekends + 1) * (self.shifts + 1)
    }

    fn at(&self, work: bool, edge: bool, run: usize, wk: usize, n: usize) -> usize {
        (((work as usize * 2 + edge as usize) * (self.cap + 1) + run) * (self.weekends + 1) + wk) * (self.shifts + 1) + n
    }

    fn state(&self, mut i: usize) -> (bool, bool, usize, usize, usize) {
        let n = i % (self.shifts + 1);
        i /= self.shifts + 1;
        let wk = i % (self.weekends + 1);
        i /= self.weekends + 1;
        let run = i % (self.cap + 1);
        i /= self.cap + 1;
        (i / 2 == 1, i % 2 == 1, run, wk, n)
    }
}

/// Shift types for a pattern's worked days: the best sequence that keeps the forbidden
/// successions (dynamic programming over the type worked the day before); a type over
/// its maximum is made dearer and the sequence chosen again. `None` when no sequence
/// within the maxima is found.
fn typed_row(inst: &Instance, e: usize, gain: &[Vec<Option<f64>>], pattern: &[bool]) -> Option<Vec<Option<usize>>> {
    let st = &inst.staff[e];
    let mut surcharge = vec![0.0; inst.shifts.len()];
    for _ in 0..TYPE_TRIES {
        let row = best_types(inst, gain, pattern, &surcharge)?;
        let mut over = false;
        for (s, extra) in surcharge.iter_mut().enumerate() {
            if row.iter().filter(|&&t| t == Some(s)).count() as u32 > st.max_shifts[s] {
                *extra += 50.0;
                over = true;
            }
        }
        if !over {
            return Some(row);
        }
    }
    None
}

/// Attempts of [`typed_row`] at keeping each type's maximum.
const TYPE_TRIES: usize = 8;

/// The sequence of types for the worked days with the most gain net of `surcharge`.
fn best_types(inst: &Instance, gain: &[Vec<Option<f64>>], pattern: &[bool], surcharge: &[f64]) -> Option<Vec<Option<usize>>> {
    let (h, ns) = (pattern.len(), inst.shifts.len());
    // best[d][s]: the best total up to day d with type s worked on day d.
    let mut best = vec![vec![f64::NEG_INFINITY; ns]; h];
    let mut back = vec![vec![usize::MAX; ns]; h];
    for d in (0..h).filter(|&d| pattern[d]) {
        for s in 0..ns {
            let Some(g) = gain[d][s] else { continue };
            let (before, from) = if d > 0 && pattern[d - 1] {
                (0..ns)
                    .filter(|&p| !inst.shifts[p].cannot_follow.contains(&s))
                    .map(|p| (best[d - 1][p], p))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .unwrap_or((f64::NEG_INFINITY, usize::MAX))
            } else {
                (0.0, usize::MAX)
            };
            best[d][s] = before + g - surcharge[s];
            back[d][s] = from;
        }
    }
    let mut row = vec![None; h];
    let mut d = h;
    while d > 0 {
        d -= 1;
        if !pattern[d] {
            continue;
        }
        // The last day of a run: its best type; earlier days of the run follow `back`.
        let mut s = (0..ns).max_by(|&a, &b| best[d][a].total_cmp(&best[d][b]))?;
        loop {
            if best[d][s] == f64::NEG_INFINITY {
                return None;
            }
            row[d] = Some(s);
            if d == 0 || !pattern[d - 1] {
                break;
            }
            s = back[d][s];
            d -= 1;
        }
    }
    Some(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::benchmark::evaluate;
    use crate::roster::generate::{generate, GenerateOptions};

    #[test]
    fn generated_instances_of_every_size_get_a_roster_that_keeps_every_hard_rule() {
        let shapes = [(8, 1, 14, 1), (25, 4, 28, 9), (40, 4, 28, 2), (60, 4, 28, 3), (60, 10, 28, 4), (30, 6, 56, 5)];
        for (staff, shifts, days, seed) in shapes {
            let inst = generate(&GenerateOptions { staff, shifts, days, seed }).unwrap();
            let roster = initial_on(&inst, None, 1).unwrap();
            let ev = evaluate(&inst, &roster);
            assert!(ev.violations.is_empty(), "{staff} staff, {shifts} types, {days} days: {:?}", ev.violations);
            // Every employee's row, and cover that is not left wholly to the search.
            assert_eq!(roster.len(), staff);
            assert!(roster.iter().all(|row| row.len() == days));
            let empty = evaluate(&inst, &vec![vec![None; days]; staff]);
            assert!(ev.cover_penalty < empty.cover_penalty, "{staff} staff: cover {} of {}", ev.cover_penalty, empty.cover_penalty);
        }
    }

    #[test]
    fn on_one_thread_the_roster_depends_on_the_instance_alone() {
        let inst = generate(&GenerateOptions { staff: 20, shifts: 3, days: 28, seed: 11 }).unwrap();
        assert_eq!(initial_on(&inst, None, 1).unwrap(), initial_on(&inst, None, 1).unwrap());
    }

    #[test]
    fn an_employee_whose_rules_cannot_all_hold_is_named() {
        // A must work at least 4000 minutes in 7 days of 480-minute shifts at most 5 in a row.
        let text = "SECTION_HORIZON\n7\nSECTION_SHIFTS\nD,480,\nSECTION_STAFF\nA,D=7,4800,4000,5,1,1,1\nB,D=7,2400,0,5,1,1,1\nSECTION_COVER\n0,D,1,100,1\n";
        let inst = Instance::parse(text, "t").unwrap();
        let err = initial(&inst, None).unwrap_err().to_string();
        assert!(err.contains("employee A"), "{err}");
    }
}
