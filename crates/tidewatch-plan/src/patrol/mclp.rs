//! The maximal covering location problem (Church & ReVelle, 1974), solved with HiGHS.
//!
//! Given candidate sites, demand points with weights and, for each demand point, the sites
//! that reach it in time, choose at most `p` sites so that the weight of the demand points
//! reached by at least one chosen site is as large as possible:
//!
//! ```text
//! maximise  Σ w_i z_i
//! s.t.      z_i ≤ Σ_{j ∈ N_i} y_j     for every demand point i
//!           Σ_j y_j ≤ p
//!           y_j ∈ {0, 1},  0 ≤ z_i ≤ 1
//! ```
//!
//! `z` may stay continuous: with `y` integral an optimal `z_i` is `min(1, Σ y)` ∈ {0, 1}.
//! Before solving, demand points with the same set of sites are merged (weights added) and
//! points no site reaches are set aside (nothing can cover them); sites that reach nothing
//! are left out. A greedy solution (lazy marginal gains) starts the search, and the
//! caller may offer another start (the units at their bases): HiGHS keeps the better, and
//! the answer is never worse than either.

use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use good_lp::{constraint, variable, Expression, ProblemVariables, Variable};
use serde::Serialize;

use super::lagrange;
use super::reduced::{Budget, Reduced};
use crate::roster::mip::{self, MipOptions, MipStatus};
use tidewatch_core::Error;

/// Demand points, their weights and the sites that reach each of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    sites: usize,
    weights: Vec<f64>,
    /// Per demand point: the sites within reach, sorted, without repeats.
    covers: Vec<Vec<u32>>,
}

impl Coverage {
    /// Checks the instance: one weight per demand point, finite and ≥ 0, and sites below
    /// `sites`.
    pub fn new(sites: usize, weights: Vec<f64>, mut covers: Vec<Vec<u32>>) -> Result<Coverage, Error> {
        if weights.len() != covers.len() {
            return Err(Error::invalid("coverage", format!("{} weights for {} demand points", weights.len(), covers.len())));
        }
        if let Some(w) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
            return Err(Error::invalid("coverage", format!("a demand weight must be finite and ≥ 0, not {w}")));
        }
        for row in &mut covers {
            row.sort_unstable();
            row.dedup();
            if let Some(&j) = row.last().filter(|&&j| j as usize >= sites) {
                return Err(Error::invalid("coverage", format!("site {j} of {sites}")));
            }
        }
        Ok(Coverage { sites, weights, covers })
    }

    pub fn sites(&self) -> usize {
        self.sites
    }

    pub fn demand_points(&self) -> usize {
        self.weights.len()
    }

    pub fn weight(&self, i: usize) -> f64 {
        self.weights[i]
    }

    pub fn covers(&self, i: usize) -> &[u32] {
        &self.covers[i]
    }

    /// Total demand weight.
    pub fn total(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// Weight of the demand points no site reaches.
    pub fn uncoverable(&self) -> f64 {
        self.weights.iter().zip(&self.covers).filter(|(_, c)| c.is_empty()).map(|(w, _)| w).sum()
    }

    /// Weight covered when `chosen` sites are manned (repeats and unknown sites ignored).
    pub fn covered(&self, chosen: &[u32]) -> f64 {
        let mut on = vec![false; self.sites];
        for &j in chosen {
            if let Some(slot) = on.get_mut(j as usize) {
                *slot = true;
            }
        }
        self.weights.iter().zip(&self.covers).filter(|(_, c)| c.iter().any(|&j| on[j as usize])).map(|(w, _)| w).sum()
    }

    /// Whether demand point `i` is covered by `chosen`.
    pub fn is_covered(&self, i: usize, chosen: &[u32]) -> bool {
        self.covers[i].iter().any(|j| chosen.contains(j))
    }
}

/// How to solve one instance.
#[derive(Clone, Default)]
pub struct CoverOptions<'a> {
    /// At most this many sites (≥ 1).
    pub p: usize,
    /// Seconds; `None` runs to the gap.
    pub time_limit: Option<f64>,
    /// Stop once (bound − covered) / covered ≤ this (default 1e-6: optimal).
    pub rel_gap: Option<f64>,
    /// A solution to start from (at most `p` sites); the answer is never worse.
    pub start: Option<Vec<u32>>,
    pub stop: Option<&'a AtomicBool>,
    pub threads: Option<u32>,
}

/// The sites chosen and how good they are.
#[derive(Debug, Clone, Serialize)]
pub struct CoverSolution {
    /// Chosen sites, ascending.
    pub sites: Vec<u32>,
    /// Weight covered.
    pub covered: f64,
    /// Proven upper bound on the weight any `p` sites can cover.
    pub bound: f64,
    pub status: MipStatus,
    pub seconds: f64,
    /// Size of the model HiGHS saw (after merging demand points).
    pub columns: usize,
    pub rows: usize,
    /// Subgradient steps of the Lagrangian bound.
    pub relaxation_steps: usize,
    /// Seconds the swaps and the Lagrangian bound took.
    pub heuristic_s: f64,
    /// Sites in the narrowed model HiGHS was given first (0: none).
    pub narrowed_sites: usize,
}

pub(super) fn reduce(cov: &Coverage) -> Reduced {
    let mut merged: HashMap<&[u32], f64> = HashMap::new();
    for (w, c) in cov.weights.iter().zip(&cov.covers) {
        if !c.is_empty() && *w > 0.0 {
            *merged.entry(c.as_slice()).or_default() += w;
        }
    }
    let mut used = vec![u32::MAX; cov.sites];
    let mut sites = Vec::new();
    let mut keys: Vec<(&[u32], f64)> = merged.into_iter().collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    let rows = keys
        .into_iter()
        .map(|(c, w)| {
            let at = c
                .iter()
                .map(|&j| {
                    if used[j as usize] == u32::MAX {
                        used[j as usize] = sites.len() as u32;
                        sites.push(j);
                    }
                    used[j as usize]
                })
                .collect();
            (w, at)
        })
        .collect();
    Reduced { sites, rows }
}

/// Greedy by marginal gain (lazy: a site's gain only falls as others are chosen).
pub fn greedy(cov: &Coverage, p: usize) -> Vec<u32> {
    let mut by_site: Vec<Vec<u32>> = vec![Vec::new(); cov.sites];
    for (i, c) in cov.covers.iter().enumerate() {
        for &j in c {
            by_site[j as usize].push(i as u32);
        }
    }
    let mut done = vec![false; cov.weights.len()];
    // Folded from +0.0: an empty f64 `sum()` is −0.0, whose bits would top the heap.
    let gain = |j: usize, done: &[bool]| -> f64 {
        by_site[j].iter().filter(|&&i| !done[i as usize]).fold(0.0, |a, &i| a + cov.weights[i as usize])
    };
    // Max-heap on (gain, lower index first); gains as ordered bits (all ≥ +0.0).
    let mut heap: BinaryHeap<(u64, std::cmp::Reverse<u32>)> =
        (0..cov.sites).map(|j| (gain(j, &done).to_bits(), std::cmp::Reverse(j as u32))).collect();
    let mut chosen = Vec::new();
    while chosen.len() < p {
        let Some((g, std::cmp::Reverse(j))) = heap.pop() else { break };
        let now = gain(j as usize, &done);
        if now.to_bits() != g {
            heap.push((now.to_bits(), std::cmp::Reverse(j)));
            continue;
        }
        if now <= 0.0 {
            break;
        }
        chosen.push(j);
        for &i in &by_site[j as usize] {
            done[i as usize] = true;
        }
    }
    chosen.sort_unstable();
    chosen
}

/// The model's variables and constraints; `integral` false gives the LP relaxation.
fn build(red: &Reduced, p: usize, integral: bool) -> (ProblemVariables, Vec<Variable>, Expression, Vec<good_lp::Constraint>) {
    let mut vars = ProblemVariables::new();
    let y: Vec<Variable> =
        red.sites.iter().map(|_| vars.add(if integral { variable().binary() } else { variable().min(0).max(1) })).collect();
    let z: Vec<Variable> = red.rows.iter().map(|_| vars.add(variable().min(0).max(1))).collect();
    let mut objective = Expression::default();
    let mut constraints = Vec::with_capacity(red.rows.len() + 1);
    for ((w, at), &zi) in red.rows.iter().zip(&z) {
        objective -= *w * zi;
        let reach: Expression = at.iter().map(|&k| y[k as usize]).sum();
        constraints.push(constraint!(zi - reach <= 0));
    }
    let count: Expression = y.iter().copied().sum();
    constraints.push(constraint!(count <= p as f64));
    (vars, y, objective, constraints)
}

fn check_p(p: usize) -> Result<(), Error> {
    if p == 0 {
        return Err(Error::invalid("p", "at least one site must be chosen"));
    }
    Ok(())
}

/// The LP relaxation's optimum: no `p` sites cover more. An error when `time_limit` (s)
/// ends the solve before the optimum (an unfinished LP proves nothing).
pub fn lp_bound(cov: &Coverage, p: usize, time_limit: Option<f64>) -> Result<f64, Error> {
    check_p(p)?;
    let red = reduce(cov);
    if red.sites.len() <= p {
        return Ok(red.rows.iter().map(|r| r.0).sum());
    }
    let (vars, _, objective, constraints) = build(&red, p, false);
    let r = mip::solve(vars, objective, constraints, &MipOptions { time_limit, ..Default::default() }, &mut |_| {})?;
    if r.status != MipStatus::Optimal {
        return Err(Error::Solver(format!("the LP relaxation did not finish in {:.0} s", r.seconds)));
    }
    Ok(-r.objective)
}

/// The best `p` sites (see the module's text). An error when `p` is 0 or a start names
/// more than `p` sites or an unknown one.
///
/// First the greedy (or the caller's start, if better) improved by swaps, and the
/// Lagrangian bound ([`super::lagrange`]) for at most half the time limit; HiGHS only when
/// they leave a gap above the one asked for, started from the best found, in the time
/// left. The bound reported is the lower of the two proven bounds.
pub fn solve(cov: &Coverage, o: &CoverOptions) -> Result<CoverSolution, Error> {
    let started = Instant::now();
    check_p(o.p)?;
    if let Some(s) = &o.start {
        if s.len() > o.p || s.iter().any(|&j| j as usize >= cov.sites) {
            return Err(Error::invalid("start", format!("{} sites given for p = {} over {} sites", s.len(), o.p, cov.sites)));
        }
    }
    let red = reduce(cov);
    if red.sites.len() <= o.p {
        // Every useful site fits: all coverable demand is covered.
        let covered = cov.covered(&red.sites);
        return Ok(solution(red.sites.clone(), covered, MipStatus::Optimal, started, &red));
    }
    let rel_gap = o.rel_gap.unwrap_or(1e-6);
    let pos: HashMap<u32, u32> = red.sites.iter().enumerate().map(|(k, &j)| (j, k as u32)).collect();
    let to_pos = |s: &[u32]| -> Vec<u32> { s.iter().filter_map(|j| pos.get(j).copied()).collect() };
    let mut start = greedy(cov, o.p);
    if let Some(s) = o.start.as_ref().filter(|s| cov.covered(s) > cov.covered(&start)) {
        start = s.clone();
    }
    let budget =
        Budget { until: started + Duration::from_secs_f64(o.time_limit.map_or(HEURISTIC_S, |t| (t / 2.0).min(HEURISTIC_S))), stop: o.stop };
    let mut best = lagrange::improve(&red, o.p, &to_pos(&start), &budget);
    let relaxed = lagrange::relax(&red, o.p, lagrange::covered(&red, &best), rel_gap, &budget);
    if relaxed.best_covered > lagrange::covered(&red, &best) {
        best = lagrange::improve(&red, o.p, &relaxed.best, &budget);
    }
    let heuristic_s = started.elapsed().as_secs_f64();
    let found: Vec<u32> = best.iter().map(|&k| red.sites[k as usize]).collect();
    let covered = cov.covered(&found);
    if relaxed.bound - covered <= rel_gap * covered.max(1e-12) {
        let mut sol = solution(found, covered, MipStatus::Optimal, started, &red);
        sol.bound = relaxed.bound.max(covered);
        (sol.relaxation_steps, sol.heuristic_s) = (relaxed.steps, heuristic_s);
        return Ok(sol);
    }
    let left = |share: f64| o.time_limit.map(|t| share * (t - started.elapsed().as_secs_f64()).max(0.0));
    // The sites the relaxation keeps picking, and the best found: a far smaller model that
    // holds the good solutions; HiGHS gets half the time left on it.
    let counted = relaxed.steps.saturating_sub(lagrange::WARM_STEPS) as f64;
    let narrow: Vec<u32> = (0..red.sites.len())
        .filter(|&k| f64::from(relaxed.picked[k]) > NARROW_SHARE * counted || best.contains(&(k as u32)))
        .map(|k| red.sites[k])
        .collect();
    let mut found = found;
    let narrowed = if narrow.len() < red.sites.len() / 2 { narrow.len() } else { 0 };
    if narrowed > 0 {
        let only = restrict(cov, &narrow)?;
        // A narrowed run that finds nothing better (or is abandoned) leaves the best found.
        if let Ok(sol) = highs(&only, &reduce(&only), &CoverOptions { time_limit: left(0.5), start: Some(found.clone()), ..o.clone() }) {
            if sol.covered > cov.covered(&found) {
                found = sol.sites;
            }
        }
        let covered = cov.covered(&found);
        if relaxed.bound - covered <= rel_gap * covered.max(1e-12) {
            let mut sol = solution(found, covered, MipStatus::Optimal, started, &red);
            sol.bound = relaxed.bound.max(covered);
            (sol.relaxation_steps, sol.heuristic_s) = (relaxed.steps, heuristic_s);
            sol.narrowed_sites = narrowed;
            return Ok(sol);
        }
    }
    let time_limit = left(1.0);
    let whole = match time_limit {
        Some(t) if t < MIN_HIGHS_S => None,
        _ => highs(cov, &red, &CoverOptions { time_limit, start: Some(found.clone()), ..o.clone() }).ok(),
    };
    let Some(mut sol) = whole else {
        // No time left for the whole model, or HiGHS gave up: the best found stands.
        let covered = cov.covered(&found);
        let mut sol = solution(found, covered, MipStatus::TimeLimit, started, &red);
        sol.bound = relaxed.bound.max(covered);
        (sol.relaxation_steps, sol.heuristic_s) = (relaxed.steps, heuristic_s);
        sol.narrowed_sites = narrowed;
        return Ok(sol);
    };
    sol.bound = sol.bound.min(relaxed.bound).max(sol.covered);
    (sol.relaxation_steps, sol.heuristic_s) = (relaxed.steps, heuristic_s);
    sol.narrowed_sites = narrowed;
    sol.seconds = started.elapsed().as_secs_f64();
    Ok(sol)
}

/// A site the relaxation picked in more than this share of its steps stays in the narrowed
/// model.
const NARROW_SHARE: f64 = 0.05;

/// Seconds below which the whole model is not handed to HiGHS (building it takes longer).
const MIN_HIGHS_S: f64 = 2.0;

/// `cov` with only the sites in `keep` (original indexes).
fn restrict(cov: &Coverage, keep: &[u32]) -> Result<Coverage, Error> {
    let mut on = vec![false; cov.sites];
    for &j in keep {
        on[j as usize] = true;
    }
    let covers = cov.covers.iter().map(|c| c.iter().copied().filter(|&j| on[j as usize]).collect()).collect();
    Coverage::new(cov.sites, cov.weights.clone(), covers)
}

/// Longest the swaps and the Lagrangian bound run before HiGHS takes over, seconds.
const HEURISTIC_S: f64 = 30.0;

fn solution(sites: Vec<u32>, covered: f64, status: MipStatus, started: Instant, red: &Reduced) -> CoverSolution {
    let mut sites = sites;
    sites.sort_unstable();
    sites.dedup();
    CoverSolution {
        sites,
        covered,
        bound: covered,
        status,
        seconds: started.elapsed().as_secs_f64(),
        columns: red.sites.len() + red.rows.len(),
        rows: red.rows.len() + 1,
        relaxation_steps: 0,
        heuristic_s: 0.0,
        narrowed_sites: 0,
    }
}

/// The model on HiGHS alone, from the better of the greedy and `o.start` (the exact
/// reference the heuristics are tested against).
pub(super) fn highs(cov: &Coverage, red: &Reduced, o: &CoverOptions) -> Result<CoverSolution, Error> {
    let started = Instant::now();
    let mut start = greedy(cov, o.p);
    if let Some(s) = o.start.as_ref().filter(|s| cov.covered(s) > cov.covered(&start)) {
        start = s.clone();
    }
    let (vars, y, objective, constraints) = build(red, o.p, true);
    let pos: HashMap<u32, usize> = red.sites.iter().enumerate().map(|(k, &j)| (j, k)).collect();
    let on: Vec<usize> = start.iter().filter_map(|j| pos.get(j).copied()).collect();
    let mip_start: Vec<(usize, f64)> = (0..y.len()).map(|k| (k, if on.contains(&k) { 1.0 } else { 0.0 })).collect();
    let options = MipOptions {
        time_limit: o.time_limit,
        stop: o.stop,
        rel_gap: Some(o.rel_gap.unwrap_or(1e-6)),
        abs_gap: Some(1e-9),
        threads: o.threads,
        start: Some(mip_start),
    };
    let r = mip::solve(vars, objective, constraints, &options, &mut |_| {})?;
    let chosen: Vec<u32> = (0..y.len()).filter(|&k| r.value(k) > 0.5).map(|k| red.sites[k]).collect();
    // HiGHS had the start; should rounding ever lose to it, the start stands.
    let best = if cov.covered(&chosen) + 1e-9 >= cov.covered(&start) { chosen } else { start };
    let covered = cov.covered(&best);
    let mut sol = solution(best, covered, r.status, started, red);
    sol.bound = (-r.bound).max(covered);
    Ok(sol)
}

/// HiGHS alone on `cov` (no swaps, no Lagrangian bound): the reference in tests.
#[cfg(test)]
pub(super) fn solve_exact(cov: &Coverage, o: &CoverOptions) -> Result<CoverSolution, Error> {
    let red = reduce(cov);
    highs(cov, &red, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sites 0..4 on a line; each covers its own demand point and its neighbours'.
    fn line() -> Coverage {
        let weights = vec![5.0, 1.0, 1.0, 1.0, 8.0];
        let covers = vec![vec![0, 1], vec![0, 1, 2], vec![1, 2, 3], vec![2, 3, 4], vec![3, 4]];
        Coverage::new(5, weights, covers).unwrap()
    }

    #[test]
    fn the_line_has_the_optimum_worked_out_by_hand() {
        // p = 1: site 0 covers 5 + 1, site 1 covers 5 + 1 + 1, site 2 covers 3, site 3
        // covers 1 + 1 + 8 = 10, site 4 covers 1 + 8: site 3 alone.
        let s = solve(&line(), &CoverOptions { p: 1, ..Default::default() }).unwrap();
        assert_eq!((s.sites.clone(), s.covered), (vec![3], 10.0));
        // p = 2: sites 1 and 3 cover every point (16), and so do 0 and 3.
        let s = solve(&line(), &CoverOptions { p: 2, ..Default::default() }).unwrap();
        assert_eq!((s.sites.len(), s.covered, line().covered(&s.sites)), (2, 16.0, 16.0));
        assert!(s.sites == [1, 3] || s.sites == [0, 3], "{:?}", s.sites);
        assert!((s.bound - 16.0).abs() < 1e-6);
    }

    #[test]
    fn greedy_can_be_beaten_and_the_solver_does() {
        // Site 0 reaches points 0-3, site 1 points 0, 1, 4, site 2 points 2, 3, 5 (all
        // weight 1). Greedy takes site 0 (4) and then one more point (5); sites 1 and 2
        // together reach all six.
        let covers = vec![vec![0, 1], vec![0, 1], vec![0, 2], vec![0, 2], vec![1], vec![2]];
        let cov = Coverage::new(3, vec![1.0; 6], covers).unwrap();
        assert_eq!((greedy(&cov, 2), cov.covered(&greedy(&cov, 2))), (vec![0, 1], 5.0));
        let s = solve(&cov, &CoverOptions { p: 2, ..Default::default() }).unwrap();
        assert_eq!((s.sites.clone(), s.covered), (vec![1, 2], 6.0));
        // The LP bound of p = 1 is fractional-free here: one site covers at most 4.
        assert!((lp_bound(&cov, 1, None).unwrap() - 4.0).abs() < 1e-6);
    }

    #[test]
    fn greedy_skips_sites_that_reach_nothing() {
        // Sites 0 and 2 reach nothing: the greedy must still take 1 and 3.
        let cov = Coverage::new(4, vec![2.0, 1.0], vec![vec![1], vec![3]]).unwrap();
        assert_eq!(greedy(&cov, 3), vec![1, 3]);
    }

    #[test]
    fn a_start_is_never_lost_and_bad_input_is_refused() {
        let cov = line();
        let s = solve(&cov, &CoverOptions { p: 2, start: Some(vec![0, 4]), ..Default::default() }).unwrap();
        assert!(s.covered >= cov.covered(&[0, 4]));
        assert!(solve(&cov, &CoverOptions { p: 0, ..Default::default() }).is_err());
        assert!(solve(&cov, &CoverOptions { p: 1, start: Some(vec![0, 4]), ..Default::default() }).is_err());
        assert!(solve(&cov, &CoverOptions { p: 2, start: Some(vec![9]), ..Default::default() }).is_err());
        assert!(Coverage::new(2, vec![1.0], vec![vec![2]]).is_err());
        assert!(Coverage::new(2, vec![f64::NAN], vec![vec![0]]).is_err());
        assert!(Coverage::new(2, vec![1.0, 1.0], vec![vec![0]]).is_err());
    }

    #[test]
    fn more_sites_than_needed_covers_everything_coverable() {
        let cov = Coverage::new(3, vec![1.0, 2.0, 4.0], vec![vec![0], vec![1], vec![]]).unwrap();
        let s = solve(&cov, &CoverOptions { p: 5, ..Default::default() }).unwrap();
        assert_eq!((s.sites.clone(), s.covered, cov.uncoverable()), (vec![0, 1], 3.0, 4.0));
        assert_eq!(lp_bound(&cov, 1, None).unwrap(), 2.0);
    }
}
