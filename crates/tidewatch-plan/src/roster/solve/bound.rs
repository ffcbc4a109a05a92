//! A lower bound on the district's objective ([`super::score`]) that comes in seconds,
//! where the LP relaxation of the whole model (some 80 000 columns on Dinghai over 28
//! days) does not finish within a minute on a shared machine.
//!
//! **The aggregated model.** Officers are pooled by (home island, skills); a variable
//! counts how many officers of a pool work template `t` on day `d` on island `i`
//! (integer). Every officer's rules are summed over the pool: one shift a day and the
//! templates the officer may start that day (at most as many as are free), rest (a shift
//! and the starts it excludes in the next days), hours and days per week, consecutive
//! days, weekends worked; overtime is counted per pool and week as
//! `max(0, Σ hours − Σ contract)`; lent shifts pay the lend weight; coverage, floor and
//! over-coverage per island and hour are the exact model's rows, since they depend on
//! the officers only through how many of each skill are present.
//!
//! **Why it is a relaxation.** Map any roster of the district model to the counts of its
//! shifts per pool, day, template and island. Each summed rule is a sum of rules the
//! roster keeps, so the counts are feasible. Coverage, floor, over-coverage and lending
//! cost the same. Overtime costs no more: `Σ max(0, a_o) ≥ max(0, Σ a_o)`. Fairness
//! spreads and requests are left out; their weights are non-negative (checked), so
//! they only add to the roster's score. Hence the aggregated optimum, and any lower bound
//! HiGHS proves on it, is at most the score of every roster of the district model — the
//! island-by-island solver's included (the same candidates and objective).

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

use super::{Ctx, Sched, MAX_LOOKAHEAD};
use crate::roster::mip::{self, MipOptions, MipStatus};

/// One pool: officers of one home island with the same skills, and where they may work.
struct Pool {
    home: usize,
    traffic: bool,
    station: bool,
    officers: Vec<usize>,
    islands: Vec<usize>,
}

/// A count variable: how many of pool `p` work template `t` on day `d` on island `i`.
struct Count {
    p: usize,
    d: usize,
    t: usize,
    i: usize,
    var: Variable,
}

/// The aggregated model's proven lower bound within `options`' limits (`None` when a
/// left-out term has a negative weight, or HiGHS proved nothing in time). `lending`:
/// officers of islands that are not outlying may work on outlying ones, as in the
/// district's candidates. `integral`: the counts are integers and HiGHS' dual bound is
/// taken (`progress` sees it rise); otherwise the LP relaxation's optimum (far sooner,
/// weaker).
pub(super) fn aggregate_bound(
    ctx: &Ctx,
    lending: bool,
    integral: bool,
    options: &MipOptions,
    progress: &mut dyn FnMut(f64),
) -> Option<f64> {
    let w = ctx.w;
    if [w.hours_spread, w.nights_spread, w.holiday_spread, w.request].iter().any(|&x| x < 0.0) {
        return None;
    }
    let pools = pools(ctx, lending);
    let mut m = Aggregate::new(ctx, &pools, integral);
    for p in 0..pools.len() {
        m.pool_rules(p);
    }
    for i in 0..ctx.input.demand.len() {
        m.coverage(i);
    }
    let bound = if integral {
        mip::dual_bound(m.vars, m.obj, m.cons, options, &mut |p| progress(p.bound)).ok()?
    } else {
        let r = mip::solve(m.vars, m.obj, m.cons, options, &mut |_| {}).ok()?;
        if r.status == MipStatus::Optimal {
            r.objective
        } else {
            f64::NEG_INFINITY
        }
    };
    bound.is_finite().then_some(bound.max(0.0))
}

/// Officers pooled by (home island, traffic skill, station skill).
fn pools(ctx: &Ctx, lending: bool) -> Vec<Pool> {
    let input = ctx.input;
    let outlying: Vec<usize> = (0..input.demand.len()).filter(|&i| input.demand[i].outlying).collect();
    let mut pools: Vec<Pool> = Vec::new();
    for (o, officer) in input.officers.iter().enumerate() {
        let (home, traffic, station) = (ctx.home[o], officer.skills.traffic(), officer.skills.station());
        match pools.iter_mut().find(|p| (p.home, p.traffic, p.station) == (home, traffic, station)) {
            Some(p) => p.officers.push(o),
            None => {
                let mut islands = vec![home];
                if lending && !input.demand[home].outlying {
                    islands.extend(outlying.iter().copied());
                }
                pools.push(Pool { home, traffic, station, officers: vec![o], islands });
            }
        }
    }
    pools
}

/// The aggregated model under construction.
struct Aggregate<'a> {
    ctx: &'a Ctx<'a>,
    pools: &'a [Pool],
    /// `ok[o][d][t]`: officer `o` may start template `t` on day `d`.
    ok: Vec<Vec<Vec<bool>>>,
    counts: Vec<Count>,
    /// `at[p][d][t]`: indexes into `counts` (one per island).
    at: Vec<Vec<Vec<Vec<usize>>>>,
    vars: ProblemVariables,
    cons: Vec<Constraint>,
    obj: Expression,
}

impl<'a> Aggregate<'a> {
    fn new(ctx: &'a Ctx<'a>, pools: &'a [Pool], integral: bool) -> Aggregate<'a> {
        let input = ctx.input;
        let (days, nt) = (input.period.days as usize, input.templates.len());
        let empty: Sched = vec![vec![None; days]; input.officers.len()];
        let ok: Vec<Vec<Vec<bool>>> = (0..input.officers.len())
            .map(|o| (0..days).map(|d| (0..nt).map(|t| ctx.allowed(o, d, t, &empty)).collect()).collect())
            .collect();
        let mut vars = ProblemVariables::new();
        let mut counts = Vec::new();
        let mut at = vec![vec![vec![Vec::new(); nt]; days]; pools.len()];
        let mut obj = Expression::from(0.0);
        for (p, pool) in pools.iter().enumerate() {
            for d in 0..days {
                for t in 0..nt {
                    let free = pool.officers.iter().filter(|&&o| ok[o][d][t]).count();
                    if free == 0 {
                        continue;
                    }
                    for &i in &pool.islands {
                        let def = variable().min(0).max(free as f64);
                        let var = vars.add(if integral { def.integer() } else { def });
                        if i != pool.home {
                            obj += ctx.w.lend * var;
                        }
                        at[p][d][t].push(counts.len());
                        counts.push(Count { p, d, t, i, var });
                    }
                }
            }
        }
        Aggregate { ctx, pools, ok, counts, at, vars, cons: Vec::new(), obj }
    }

    /// Pool `p`'s shifts on day `d` (any template, any island), weighted by `f(template)`.
    fn day(&self, p: usize, d: usize, f: &dyn Fn(usize) -> f64) -> Expression {
        self.at[p][d].iter().enumerate().flat_map(|(t, ks)| ks.iter().map(move |&k| (t, k))).map(|(t, k)| f(t) * self.counts[k].var).sum()
    }

    /// How many of pool `p`'s officers may work on some day of `days`.
    fn free_on(&self, p: usize, days: &[usize]) -> f64 {
        self.pools[p].officers.iter().filter(|&&o| days.iter().any(|&d| self.ok[o][d].iter().any(|&b| b))).count() as f64
    }

    /// Every officer's rules of pool `p`, summed over the pool.
    fn pool_rules(&mut self, p: usize) {
        let (ctx, input) = (self.ctx, self.ctx.input);
        let rules = &input.rules;
        let days = input.period.days as usize;
        let size = self.pools[p].officers.len() as f64;
        for d in 0..days {
            // One shift a day; each template at most as often as officers may start it.
            let n = self.day(p, d, &|_| 1.0);
            let free = self.free_on(p, &[d]);
            self.cons.push(constraint!(n <= free));
            for t in 0..input.templates.len() {
                let ks = &self.at[p][d][t];
                if ks.len() > 1 {
                    let free = self.pools[p].officers.iter().filter(|&&o| self.ok[o][d][t]).count() as f64;
                    let n: Expression = ks.iter().map(|&k| Expression::from(self.counts[k].var)).sum();
                    self.cons.push(constraint!(n <= free));
                }
            }
            self.rest(p, d);
        }
        for (start, len) in input.period.weeks() {
            let (a, b) = (start as usize, (start + len) as usize);
            let hours: Expression = (a..b).map(|d| self.day(p, d, &|t| ctx.tmpl(t).hours as f64)).sum();
            let worked: Expression = (a..b).map(|d| self.day(p, d, &|_| 1.0)).sum();
            self.cons.push(constraint!(hours.clone() <= size * rules.max_hours_per_week as f64));
            self.cons.push(constraint!(worked <= size * (len - rules.days_off_in_block(len)) as f64));
            let contract: f64 = self.pools[p].officers.iter().map(|&o| ctx.contract[o] * len as f64 / 7.0).sum();
            let ot = self.vars.add(variable().min(0));
            self.cons.push(constraint!(ot >= hours - contract));
            self.obj += ctx.w.overtime * ot;
        }
        let maxc = rules.max_consecutive_days as usize;
        for a in (0..days.saturating_sub(maxc)).filter(|_| maxc < days) {
            let worked: Expression = (a..=a + maxc).map(|d| self.day(p, d, &|_| 1.0)).sum();
            self.cons.push(constraint!(worked <= size * maxc as f64));
        }
        let weekends = input.period.weekends();
        let need_off = rules.weekends_off(weekends.len() as u32) as usize;
        if need_off > 0 {
            // Each officer works at most (weekends − need_off) Saturdays, and as many Sundays.
            let most = size * (weekends.len() - need_off.min(weekends.len())) as f64;
            let picks: [fn((u32, u32)) -> u32; 2] = [|(sat, _)| sat, |(_, sun)| sun];
            for pick in picks {
                let n: Expression = weekends.iter().map(|&wk| self.day(p, pick(wk) as usize, &|_| 1.0)).sum();
                self.cons.push(constraint!(n <= most));
            }
        }
    }

    /// Rest, summed: an officer's shift `t` on day `d` and any start it excludes `k` days
    /// later are at most one, so the pool's are at most its officers free on either day.
    fn rest(&mut self, p: usize, d: usize) {
        let (ctx, days) = (self.ctx, self.ctx.input.period.days as usize);
        for t in (0..ctx.input.templates.len()).filter(|&t| !self.at[p][d][t].is_empty()) {
            for k in (1..=MAX_LOOKAHEAD).take_while(|k| d + k < days) {
                let later: Vec<usize> = ctx.conflicts[t][k].iter().flat_map(|&t2| self.at[p][d + k][t2].iter().copied()).collect();
                if later.is_empty() {
                    continue;
                }
                let n: Expression = self.at[p][d][t].iter().chain(&later).map(|&k| Expression::from(self.counts[k].var)).sum();
                let free = self.free_on(p, &[d, d + k]);
                self.cons.push(constraint!(n <= free));
            }
        }
    }

    /// Island `i`'s coverage rows in every hour, as the exact model states them with
    /// nothing fixed (an hour no count reaches keeps its whole shortfall).
    fn coverage(&mut self, i: usize) {
        let (ctx, w) = (self.ctx, self.ctx.w);
        let mut on: Vec<Vec<usize>> = vec![Vec::new(); ctx.hours];
        for (k, c) in self.counts.iter().enumerate().filter(|(_, c)| c.i == i) {
            for s in ctx.slots(c.d, c.t) {
                on[s].push(k);
            }
        }
        for (s, ks) in on.iter().enumerate() {
            let need = ctx.input.demand[i].hours[s].need;
            let sum_if = |f: &dyn Fn(&Pool) -> bool| -> Expression {
                ks.iter().filter(|&&k| f(&self.pools[self.counts[k].p])).map(|&k| Expression::from(self.counts[k].var)).sum()
            };
            let (cap_t, cap_s, tot) = (sum_if(&|p| p.traffic), sum_if(&|p| p.station), sum_if(&|_| true));
            if need.traffic.max(need.station).max(need.total) > 0 {
                let u = self.vars.add(variable().min(0));
                for (n, cap) in [(need.traffic, &cap_t), (need.station, &cap_s), (need.total, &tot)] {
                    if n > 0 {
                        self.cons.push(constraint!(u + cap.clone() >= n as f64));
                    }
                }
                self.obj += w.under * u;
            }
            if need.floor_traffic.max(need.floor_station) > 0 {
                let f = self.vars.add(variable().min(0));
                for (n, cap) in [(need.floor_traffic, &cap_t), (need.floor_station, &cap_s)] {
                    if n > 0 {
                        self.cons.push(constraint!(f + cap.clone() >= n as f64));
                    }
                }
                self.obj += w.floor * f;
            }
            if !ks.is_empty() {
                let v = self.vars.add(variable().min(0));
                self.cons.push(constraint!(v >= tot - need.total as f64));
                self.obj += w.over * v;
            }
        }
    }
}
