//! The tidal roster: a MIP per island (officers stay on their home island), then a peak
//! step that lends officers' free days to islands whose demand is still not covered.
//!
//! Objective, minimised, in this order of weight (see [`Weights`]): minimum-presence
//! shortfall, under-coverage (officer-hours), overtime hours, unfairness (spread of
//! contract-normalised hours, of night shifts, of holiday shifts within an island),
//! unmet requests, over-coverage, lent shifts. Every labour rule is a hard constraint.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono_tz::Tz;
use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};
use serde::Serialize;

mod bound;
mod district;

use super::mip::{self, MipOptions, MipProgress, MipStatus};
use super::model::{
    Assignment, DayInfo, IslandDemand, LabourRules, PartSolve, Period, RequestKind, Roster, RosterOfficer, ShiftTemplate, SolveInfo,
    Weights,
};
use tidewatch_core::region::DayType;
use tidewatch_core::Error;

/// Everything a plan needs (demand already built).
#[derive(Debug, Clone)]
pub struct PlanInput {
    pub region: String,
    pub time_zone: Tz,
    pub period: Period,
    pub days: Vec<DayInfo>,
    pub officers: Vec<RosterOfficer>,
    pub templates: Vec<ShiftTemplate>,
    pub rules: LabourRules,
    pub demand: Vec<IslandDemand>,
}

#[derive(Clone, Default)]
pub struct PlanOptions<'a> {
    /// Seconds for the whole plan; shared among the parts by size.
    pub time_limit: Option<f64>,
    pub stop: Option<&'a AtomicBool>,
    pub weights: Weights,
    /// Skip the step that lends officers to other islands' peaks.
    pub no_peak_step: bool,
    pub threads: Option<u32>,
    /// Plan the whole district as one model (`solve/district.rs`) instead of island by
    /// island (a MIP per island, then the peak step and top-ups, each part on its time
    /// share). Not the default: on Dinghai it wins at 10 and 30 s but the island parts end
    /// lower at 60 s (docs/roster.md).
    pub district: bool,
}

/// Reported while planning.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlanProgress {
    /// Island id or `peak`.
    pub part: String,
    /// 1-based index of the part, and how many there are.
    pub index: usize,
    pub parts: usize,
    pub mip: Option<MipProgress>,
}

/// One possible shift: officer `o` works template `t` on day `d` on island `i`.
#[derive(Debug, Clone, Copy)]
struct Cand {
    o: usize,
    d: usize,
    t: usize,
    i: usize,
    var: Variable,
    col: usize,
}

/// The schedule fixed so far: `[officer][day] = (template, island)`.
type Sched = Vec<Vec<Option<(usize, usize)>>>;

struct Ctx<'a> {
    input: &'a PlanInput,
    w: &'a Weights,
    /// `conflicts[t][k]`: templates that may not start `k` days after `t` starts (rest).
    conflicts: Vec<Vec<Vec<usize>>>,
    hours: usize,
    /// Contract hours per officer per week.
    contract: Vec<f64>,
    /// Each officer's home island (demand index).
    home: Vec<usize>,
}

const MAX_LOOKAHEAD: usize = 3;

/// An island whose officers × days × templates stay under this is planned as one MIP over
/// the whole period; a larger one week by week.
const WHOLE_PERIOD_MAX: usize = 3_000;

impl<'a> Ctx<'a> {
    fn new(input: &'a PlanInput, w: &'a Weights) -> Result<Ctx<'a>, Error> {
        let rules = &input.rules;
        let mut seen = std::collections::HashSet::new();
        for t in &input.templates {
            if t.start_hour >= 24 || t.hours == 0 || t.hours > 24 {
                return Err(Error::invalid(format!("templates.{}", t.id), "start_hour must be 0–23 and hours 1–24"));
            }
            if t.hours > rules.max_hours_per_day {
                return Err(Error::invalid(
                    format!("templates.{}", t.id),
                    format!("{} hours is over the daily maximum of {}", t.hours, rules.max_hours_per_day),
                ));
            }
            if !seen.insert(&t.id) {
                return Err(Error::invalid("templates", format!("template '{}' twice", t.id)));
            }
        }
        if input.templates.is_empty() {
            return Err(Error::invalid("templates", "no shift templates"));
        }
        if input.days.len() != input.period.days as usize {
            return Err(Error::invalid("days", "one day entry per day of the period expected"));
        }
        let hours = input.period.hours() as usize;
        for d in &input.demand {
            if d.hours.len() != hours {
                return Err(Error::invalid(
                    format!("demand.{}", d.island),
                    format!("{} hours of demand for a {}-hour period", d.hours.len(), hours),
                ));
            }
        }
        for o in &input.officers {
            if !input.demand.iter().any(|d| d.island == o.home_island) {
                return Err(Error::invalid(format!("officers.{}", o.id), format!("home island '{}' has no demand entry", o.home_island)));
            }
        }
        let rest = rules.min_rest_hours as i64;
        let conflicts = input
            .templates
            .iter()
            .map(|a| {
                (0..=MAX_LOOKAHEAD)
                    .map(|k| {
                        if k == 0 {
                            return Vec::new();
                        }
                        input
                            .templates
                            .iter()
                            .enumerate()
                            .filter(|(_, b)| {
                                let gap = 24 * k as i64 + b.start_hour as i64 - (a.start_hour + a.hours) as i64;
                                gap < rest
                            })
                            .map(|(j, _)| j)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let contract = input.officers.iter().map(|o| o.contract_hours_per_week as f64).collect();
        let home = input.officers.iter().map(|o| input.demand.iter().position(|d| d.island == o.home_island).unwrap_or(0)).collect();
        Ok(Ctx { input, w, conflicts, hours, contract, home })
    }

    fn tmpl(&self, t: usize) -> &ShiftTemplate {
        &self.input.templates[t]
    }

    /// Slots (hours of the period) a template on day `d` covers, clipped to the period.
    fn slots(&self, d: usize, t: usize) -> std::ops::Range<usize> {
        let tp = self.tmpl(t);
        let a = (24 * d + tp.start_hour as usize).min(self.hours);
        let b = (24 * d + (tp.start_hour + tp.hours) as usize).min(self.hours);
        a..b
    }

    fn is_holiday(&self, d: usize) -> bool {
        self.input.days[d].day_type == DayType::Holiday
    }

    /// Whether officer `o` may start template `t` on day `d`, given the fixed schedule.
    fn allowed(&self, o: usize, d: usize, t: usize, fixed: &Sched) -> bool {
        let off = &self.input.officers[o];
        if off.days_off.contains(&self.input.period.date(d as u32)) || fixed[o][d].is_some() {
            return false;
        }
        for k in 1..=MAX_LOOKAHEAD {
            if d + k < fixed[o].len() {
                if let Some((t2, _)) = fixed[o][d + k] {
                    if self.conflicts[t][k].contains(&t2) {
                        return false;
                    }
                }
            }
            if d >= k {
                if let Some((t0, _)) = fixed[o][d - k] {
                    if self.conflicts[t0][k].contains(&t) {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// The result of one part.
struct PartResult {
    chosen: Vec<(usize, usize, usize, usize)>,
    info: PartSolve,
}

/// What one part decides.
struct PartSpec<'a> {
    name: String,
    /// The islands whose coverage this part counts (demand indexes).
    islands: &'a [usize],
    /// Groups of officers (an island's) whose fairness spread is optimised, each on its own.
    fair_over: &'a [Vec<usize>],
    /// On-requests are not counted (the peak step: its candidates are away from home).
    lending: bool,
    /// Weight of an hour of overtime in this part: above the under-coverage weight in the
    /// first pass on outlying islands, so that their demand peaks are left to the hub's
    /// spare officers (peak step) rather than met with overtime.
    overtime_weight: f64,
}

/// A part's model under construction: the candidates' variables first (column = index in
/// `cands`), then the auxiliary ones in the order the sections add them.
struct Build<'a> {
    ctx: &'a Ctx<'a>,
    cands: &'a [Cand],
    fixed: &'a Sched,
    /// `by_od[o][d]`: indexes of the candidates of officer `o` on day `d`.
    by_od: Vec<Vec<Vec<usize>>>,
    vars: ProblemVariables,
    cons: Vec<Constraint>,
    obj: Expression,
    /// The objective's value when no candidate is chosen (the part's answer when the
    /// solver finds nothing; fairness not counted).
    baseline: f64,
    columns: usize,
}

impl<'a> Build<'a> {
    fn new(ctx: &'a Ctx<'a>, vars: ProblemVariables, cands: &'a [Cand], fixed: &'a Sched) -> Build<'a> {
        let days = ctx.input.period.days as usize;
        let mut by_od: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); days]; ctx.input.officers.len()];
        for (k, c) in cands.iter().enumerate() {
            by_od[c.o][c.d].push(k);
        }
        Build { ctx, cands, fixed, by_od, vars, cons: Vec::new(), obj: Expression::from(0.0), baseline: 0.0, columns: cands.len() }
    }

    fn add(&mut self, def: good_lp::VariableDefinition) -> Variable {
        self.columns += 1;
        self.vars.add(def)
    }

    /// Officers with at least one candidate.
    fn officers(&self) -> Vec<usize> {
        (0..self.by_od.len()).filter(|&o| self.by_od[o].iter().any(|v| !v.is_empty())).collect()
    }

    fn fixed_hours(&self, o: usize, d: usize) -> f64 {
        self.fixed[o][d].map_or(0.0, |(t, _)| self.ctx.tmpl(t).hours as f64)
    }

    /// 1 when officer `o` works day `d`.
    fn work(&self, o: usize, d: usize) -> Expression {
        let mut e: Expression = self.by_od[o][d].iter().map(|&k| Expression::from(self.cands[k].var)).sum();
        e += self.fixed[o][d].is_some() as u32 as f64;
        e
    }

    /// Hours officer `o` works on day `d`.
    fn hours(&self, o: usize, d: usize) -> Expression {
        let mut e: Expression = self.by_od[o][d].iter().map(|&k| self.ctx.tmpl(self.cands[k].t).hours as f64 * self.cands[k].var).sum();
        e += self.fixed_hours(o, d);
        e
    }

    fn has_var(&self, o: usize, a: usize, b: usize) -> bool {
        (a..b).any(|d| !self.by_od[o][d].is_empty())
    }

    /// One shift a day; rest between shifts: a shift excludes every conflicting start in
    /// the next days.
    fn shifts_and_rest(&mut self, o: usize) {
        let days = self.by_od[o].len();
        for d in 0..days {
            if self.by_od[o][d].len() > 1 {
                let e = self.work(o, d);
                self.cons.push(constraint!(e <= 1));
            }
        }
        for d in 0..days {
            let mut by_t: Vec<Vec<usize>> = vec![Vec::new(); self.ctx.input.templates.len()];
            for &k in &self.by_od[o][d] {
                by_t[self.cands[k].t].push(k);
            }
            for (t, ks) in by_t.iter().enumerate().filter(|(_, ks)| !ks.is_empty()) {
                let mut e: Expression = ks.iter().map(|&k| Expression::from(self.cands[k].var)).sum();
                let mut any = false;
                for k in (1..=MAX_LOOKAHEAD).take_while(|k| d + k < days) {
                    for &k2 in &self.by_od[o][d + k] {
                        if self.ctx.conflicts[t][k].contains(&self.cands[k2].t) {
                            e += self.cands[k2].var;
                            any = true;
                        }
                    }
                }
                if any {
                    self.cons.push(constraint!(e <= 1));
                }
            }
        }
    }

    /// Weekly hours, days off, overtime.
    fn weeks(&mut self, o: usize, overtime_weight: f64) {
        let input = self.ctx.input;
        let mut ot_total = Expression::from(0.0);
        let mut ot_base = 0.0;
        for (start, len) in input.period.weeks() {
            let (a, b) = (start as usize, (start + len) as usize);
            if !self.has_var(o, a, b) {
                continue;
            }
            let h: Expression = (a..b).map(|d| self.hours(o, d)).sum();
            let wk: Expression = (a..b).map(|d| self.work(o, d)).sum();
            self.cons.push(constraint!(h.clone() <= input.rules.max_hours_per_week as f64));
            let max_days = len - input.rules.days_off_in_block(len);
            self.cons.push(constraint!(wk <= max_days as f64));
            let contract = self.ctx.contract[o] * len as f64 / 7.0;
            let fixed_h: f64 = (a..b).map(|d| self.fixed_hours(o, d)).sum();
            ot_base += (fixed_h - contract).max(0.0);
            let ot = self.add(variable().min(0));
            self.cons.push(constraint!(ot >= h - contract));
            ot_total += ot;
        }
        self.obj += overtime_weight * ot_total;
        self.baseline += overtime_weight * ot_base;
    }

    /// Consecutive days, weekends off.
    fn runs_and_weekends(&mut self, o: usize) {
        let input = self.ctx.input;
        let days = self.by_od[o].len();
        let maxc = input.rules.max_consecutive_days as usize;
        if maxc < days {
            for a in 0..days - maxc {
                if !self.has_var(o, a, a + maxc + 1) {
                    continue;
                }
                let s: Expression = (a..=a + maxc).map(|d| self.work(o, d)).sum();
                self.cons.push(constraint!(s <= maxc as f64));
            }
        }
        let weekends = input.period.weekends();
        let need_off = input.rules.weekends_off(weekends.len() as u32) as usize;
        if need_off > 0 && weekends.iter().any(|&(s, u)| self.has_var(o, s as usize, u as usize + 1)) {
            let mut total = Expression::from(0.0);
            for &(sat, sun) in &weekends {
                let y = self.add(variable().min(0).max(1));
                let (ws, wu) = (self.work(o, sat as usize), self.work(o, sun as usize));
                self.cons.push(constraint!(y >= ws));
                self.cons.push(constraint!(y >= wu));
                total += y;
            }
            self.cons.push(constraint!(total <= (weekends.len() - need_off) as f64));
        }
    }

    /// Requests: on-requests are not counted when lending (away from home).
    fn requests(&mut self, o: usize, lending: bool) {
        let (ctx, input) = (self.ctx, self.ctx.input);
        for r in &input.officers[o].requests {
            let Some(d) = input.period.day_of(r.date) else {
                continue;
            };
            let matching: Expression = self.by_od[o][d as usize]
                .iter()
                .filter(|&&k| r.template.as_deref().is_none_or(|id| ctx.tmpl(self.cands[k].t).id == id))
                .map(|&k| Expression::from(self.cands[k].var))
                .sum();
            let wt = ctx.w.request * r.weight as f64;
            match r.kind {
                RequestKind::On if !lending => {
                    self.obj += wt - wt * matching;
                    self.baseline += wt;
                }
                RequestKind::Off => self.obj += wt * matching,
                RequestKind::On => {}
            }
        }
    }

    /// max − min of `values`, as two new variables.
    fn spread(&mut self, values: Vec<Expression>) -> Expression {
        let hi = self.add(variable().min(0));
        let lo = self.add(variable().min(0));
        for v in values {
            self.cons.push(constraint!(hi >= v.clone()));
            self.cons.push(constraint!(lo <= v));
        }
        hi - lo
    }

    /// Officer `o`'s total of `f(day, template)` over the period: fixed shifts plus
    /// candidates.
    fn total(&self, o: usize, f: &dyn Fn(usize, usize) -> f64) -> Expression {
        let mut e: Expression = self.by_od[o].iter().flatten().map(|&k| f(self.cands[k].d, self.cands[k].t) * self.cands[k].var).sum();
        e += self.fixed[o].iter().enumerate().filter_map(|(d, a)| a.map(|(t, _)| f(d, t))).sum::<f64>();
        e
    }

    /// Fairness within an island: spreads of contract-normalised hours, nights, holidays.
    fn fairness(&mut self, fair_over: &[usize]) {
        let ctx = self.ctx;
        if fair_over.len() < 2 {
            return;
        }
        let norm_hours: Vec<Expression> = fair_over
            .iter()
            .map(|&o| {
                let scale = 40.0 / ctx.contract[o].max(1.0);
                self.total(o, &|_, t| scale * ctx.tmpl(t).hours as f64)
            })
            .collect();
        let nights: Vec<Expression> = fair_over.iter().map(|&o| self.total(o, &|_, t| ctx.tmpl(t).is_night() as u32 as f64)).collect();
        let hol: Vec<Expression> = fair_over.iter().map(|&o| self.total(o, &|d, _| ctx.is_holiday(d) as u32 as f64)).collect();
        let s = self.spread(norm_hours);
        self.obj += ctx.w.hours_spread * s;
        let s = self.spread(nights);
        self.obj += ctx.w.nights_spread * s;
        if (0..ctx.input.period.days as usize).any(|d| ctx.is_holiday(d)) {
            let s = self.spread(hol);
            self.obj += ctx.w.holiday_spread * s;
        }
    }

    /// Coverage of island `i`: under-coverage, floor and over-coverage in every hour a
    /// candidate can change (the others are constant to this part).
    fn coverage(&mut self, i: usize) {
        let ctx = self.ctx;
        let base = presence(ctx, self.fixed, i);
        let mut on: Vec<Vec<usize>> = vec![Vec::new(); ctx.hours];
        for (k, c) in self.cands.iter().enumerate().filter(|(_, c)| c.i == i) {
            for s in ctx.slots(c.d, c.t) {
                on[s].push(k);
            }
        }
        for s in (0..ctx.hours).filter(|&s| !on[s].is_empty()) {
            self.coverage_hour(i, base[s], &on[s], s);
        }
    }

    /// One hour of island `i`: `base` is the fixed presence (traffic-capable,
    /// station-capable, all), `on` the candidates present.
    fn coverage_hour(&mut self, i: usize, base: (u32, u32, u32), on: &[usize], s: usize) {
        let (input, w) = (self.ctx.input, self.ctx.w);
        let need = input.demand[i].hours[s].need;
        let (bt, bs, ball) = base;
        let sum_if = |f: &dyn Fn(&RosterOfficer) -> bool| -> Expression {
            on.iter().filter(|&&k| f(&input.officers[self.cands[k].o])).map(|&k| Expression::from(self.cands[k].var)).sum()
        };
        let cap_t = sum_if(&|o| o.skills.traffic()) + bt as f64;
        let cap_s = sum_if(&|o| o.skills.station()) + bs as f64;
        let tot = sum_if(&|_| true) + ball as f64;
        let short = |n: u32, b: u32| (n as f64 - b as f64).max(0.0);
        let under0 = short(need.traffic, bt).max(short(need.station, bs)).max(short(need.total, ball));
        if under0 > 0.0 {
            let u = self.add(variable().min(0));
            for (n, b, cap) in [(need.traffic, bt, &cap_t), (need.station, bs, &cap_s), (need.total, ball, &tot)] {
                if n > b {
                    self.cons.push(constraint!(u + cap.clone() >= n as f64));
                }
            }
            self.obj += w.under * u;
            self.baseline += w.under * under0;
        }
        let floor0 = short(need.floor_traffic, bt).max(short(need.floor_station, bs));
        if floor0 > 0.0 {
            let f = self.add(variable().min(0));
            for (n, b, cap) in [(need.floor_traffic, bt, &cap_t), (need.floor_station, bs, &cap_s)] {
                if n > b {
                    self.cons.push(constraint!(f + cap.clone() >= n as f64));
                }
            }
            self.obj += w.floor * f;
            self.baseline += w.floor * floor0;
        }
        let over0 = (ball as f64 - need.total as f64).max(0.0);
        let v = self.add(variable().min(0));
        self.cons.push(constraint!(v >= tot - need.total as f64));
        self.obj += w.over * v;
        self.baseline += w.over * over0;
    }
}

/// Presence on island `i` per hour of the period under `sched`: (traffic-capable,
/// station-capable, all).
fn presence(ctx: &Ctx, sched: &Sched, i: usize) -> Vec<(u32, u32, u32)> {
    let mut on = vec![(0u32, 0u32, 0u32); ctx.hours];
    for (o, row) in sched.iter().enumerate() {
        let sk = ctx.input.officers[o].skills;
        for (d, a) in row.iter().enumerate() {
            if let Some((t, isl)) = *a {
                if isl == i {
                    for s in ctx.slots(d, t) {
                        on[s].0 += sk.traffic() as u32;
                        on[s].1 += sk.station() as u32;
                        on[s].2 += 1;
                    }
                }
            }
        }
    }
    on
}

/// Builds one part's model: every officer's labour rules, requests and overtime, the
/// fairness spread, the islands' coverage, the lent shifts.
fn build_part<'a>(ctx: &'a Ctx<'a>, spec: &PartSpec, vars: ProblemVariables, cands: &'a [Cand], fixed: &'a Sched) -> Build<'a> {
    let mut b = Build::new(ctx, vars, cands, fixed);
    for o in b.officers() {
        b.shifts_and_rest(o);
        b.weeks(o, spec.overtime_weight);
        b.runs_and_weekends(o);
        b.requests(o, spec.lending);
    }
    for group in spec.fair_over {
        b.fairness(group);
    }
    for &i in spec.islands {
        b.coverage(i);
    }
    for c in cands.iter().filter(|c| c.i != ctx.home[c.o]) {
        b.obj += ctx.w.lend * c.var;
    }
    b
}

/// Builds and solves one part: the candidate shifts `cands` on top of `fixed`. The whole
/// part's MIP starts from a greedy choice (kept when the solver finds nothing) and gets
/// [`FIRST_SHARE`] of the time; unless it proves its part, windows of the part are then
/// re-optimised until the part's time ends ([`improve_part`]), so a part never ends on a
/// poor first incumbent.
fn solve_part(
    ctx: &Ctx,
    spec: &PartSpec,
    vars: ProblemVariables,
    cands: Vec<Cand>,
    fixed: &Sched,
    opts: &MipOptions,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<PartResult, Error> {
    let started = Instant::now();
    let b = build_part(ctx, spec, vars, &cands, fixed);
    let (officers, nvars, baseline) = (b.officers().len(), b.columns, b.baseline);
    let start = greedy(ctx, &cands, fixed, spec.overtime_weight);
    let result = if cands.is_empty() {
        None
    } else {
        let mut first = MipOptions { time_limit: opts.time_limit.map(|t| t * FIRST_SHARE), ..opts.clone() };
        first.start = Some(cands.iter().enumerate().map(|(k, c)| (c.col, start.contains(&k) as u32 as f64)).collect());
        match mip::solve(b.vars, b.obj, b.cons, &first, progress) {
            Ok(r) => Some(r),
            // Stopped or out of time before any solution: the greedy choice stays (it
            // keeps every hard rule).
            Err(Error::Solver(m)) if m.contains("no solution") || m.contains("before any solution") => None,
            Err(e) => return Err(e),
        }
    };
    let (chosen, status, objective, bound): (Choice, _, _, _) = match &result {
        Some(r) => {
            (cands.iter().filter(|c| r.value(c.col) > 0.5).map(|c| (c.o, c.d, c.t, c.i)).collect(), Some(r.status), r.objective, r.bound)
        }
        // No solution from the solver (stopped or out of time first): the greedy choice.
        // Every objective term is non-negative: 0 bounds it.
        None => (start.iter().map(|&k| (cands[k].o, cands[k].d, cands[k].t, cands[k].i)).collect(), None, baseline, 0.0),
    };
    let deadline = opts.time_limit.map(|t| started + std::time::Duration::from_secs_f64(t));
    let (chosen, objective) = match deadline {
        Some(deadline) if result.is_some() && status != Some(MipStatus::Optimal) => {
            let (better, gained) = improve_part(ctx, spec, &cands, fixed, chosen, deadline, opts);
            let objective = objective - gained;
            let gap = (objective > 0.0).then(|| ((objective - bound) / objective).max(0.0));
            progress(&MipProgress { elapsed_s: started.elapsed().as_secs_f64(), incumbent: Some(objective), bound, gap, nodes: 0 });
            (better, objective)
        }
        _ => (chosen, objective),
    };
    let seconds = started.elapsed().as_secs_f64();
    Ok(PartResult { chosen, info: PartSolve { part: spec.name.clone(), officers, variables: nvars, status, objective, bound, seconds } })
}

/// A part's choice: `(officer, day, template, island)` per shift.
type Choice = Vec<(usize, usize, usize, usize)>;

/// Share of a part's time the whole part's MIP gets before windows take over.
const FIRST_SHARE: f64 = 0.5;
/// Seconds one window's MIP may take.
const WINDOW_SECONDS: f64 = 1.0;
/// Candidate shifts in the first window; grows after a window solved to optimality,
/// shrinks after one that ran out of time.
const WINDOW_BUDGET: f64 = 300.0;
/// A bound on the windows of one part (the time share ends it far earlier).
const MAX_WINDOWS: usize = 10_000;

/// `fixed` with `choice` added.
fn with_choice(fixed: &Sched, choice: &[(usize, usize, usize, usize)]) -> Sched {
    let mut s = fixed.clone();
    for &(o, d, t, i) in choice {
        s[o][d] = Some((t, i));
    }
    s
}

/// The part's objective for `choice` on top of `fixed`, term by term as [`build_part`]
/// states it but over every hour and week: it differs from the part MIP's objective by a
/// constant (hours and weeks no candidate can change), so it compares two choices of the
/// same part exactly.
fn part_score(ctx: &Ctx, spec: &PartSpec, officers: &[usize], fixed: &Sched, choice: &[(usize, usize, usize, usize)]) -> f64 {
    let (input, w) = (ctx.input, ctx.w);
    let sched = with_choice(fixed, choice);
    let mut total = w.lend * choice.iter().filter(|&&(o, _, _, i)| i != ctx.home[o]).count() as f64;
    for &o in officers {
        for (start, len) in input.period.weeks() {
            let h: f64 = (start..start + len).filter_map(|d| sched[o][d as usize].map(|(t, _)| ctx.tmpl(t).hours as f64)).sum();
            total += spec.overtime_weight * (h - ctx.contract[o] * len as f64 / 7.0).max(0.0);
        }
        for r in &input.officers[o].requests {
            let Some(d) = input.period.day_of(r.date) else { continue };
            let hit = choice
                .iter()
                .any(|&(o2, d2, t, _)| o2 == o && d2 == d as usize && r.template.as_deref().is_none_or(|id| ctx.tmpl(t).id == id));
            let wt = w.request * r.weight as f64;
            total += match r.kind {
                RequestKind::On if !spec.lending && !hit => wt,
                RequestKind::Off if hit => wt,
                _ => 0.0,
            };
        }
    }
    for group in spec.fair_over.iter().filter(|g| g.len() > 1) {
        total += fairness_score(ctx, &sched, group);
    }
    for &i in spec.islands {
        total += coverage_score(ctx, &presence(ctx, &sched, i), i);
    }
    total
}

/// Weighted spreads (hours normalised to the contract, nights, holidays) among `officers`.
fn fairness_score(ctx: &Ctx, sched: &Sched, officers: &[usize]) -> f64 {
    let w = ctx.w;
    let spread = |f: &dyn Fn(usize, usize, usize) -> f64| {
        let v: Vec<f64> =
            officers.iter().map(|&o| sched[o].iter().enumerate().filter_map(|(d, a)| a.map(|(t, _)| f(o, d, t))).sum::<f64>()).collect();
        v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min)
    };
    let mut total = w.hours_spread * spread(&|o, _, t| 40.0 / ctx.contract[o].max(1.0) * ctx.tmpl(t).hours as f64);
    total += w.nights_spread * spread(&|_, _, t| ctx.tmpl(t).is_night() as u32 as f64);
    if (0..ctx.input.period.days as usize).any(|d| ctx.is_holiday(d)) {
        total += w.holiday_spread * spread(&|_, d, _| ctx.is_holiday(d) as u32 as f64);
    }
    total
}

/// Weighted under-coverage, floor shortfall and over-coverage of island `i` given its
/// presence per hour.
fn coverage_score(ctx: &Ctx, on: &[(u32, u32, u32)], i: usize) -> f64 {
    (0..on.len())
        .map(|s| shortfall_cost(ctx, on[s], i, s) + ctx.w.over * on[s].2.saturating_sub(ctx.input.demand[i].hours[s].need.total) as f64)
        .sum()
}

/// Weighted under-coverage and floor shortfall of island `i` in hour `s` given its
/// presence there.
fn shortfall_cost(ctx: &Ctx, (ct, cs, all): (u32, u32, u32), i: usize, s: usize) -> f64 {
    let (n, w) = (ctx.input.demand[i].hours[s].need, ctx.w);
    let short = |need: u32, have: u32| need.saturating_sub(have) as f64;
    w.under * short(n.traffic, ct).max(short(n.station, cs)).max(short(n.total, all))
        + w.floor * short(n.floor_traffic, ct).max(short(n.floor_station, cs))
}

/// Per day: 1 plus the weighted shortfall of the part's islands that day under `sched`
/// (where a window is most worth placing).
fn day_weights(ctx: &Ctx, spec: &PartSpec, sched: &Sched) -> Vec<f64> {
    let mut v = vec![1.0; ctx.input.period.days as usize];
    for &i in spec.islands {
        for (s, &p) in presence(ctx, sched, i).iter().enumerate() {
            v[s / 24] += shortfall_cost(ctx, p, i, s) / ctx.w.under;
        }
    }
    v
}

/// Large-neighbourhood search on one part until `deadline`: fixes the part's choice
/// outside a window (some of its officers × a block of days) and lets HiGHS re-decide the
/// window, starting from the current choice; keeps the result when it is no worse.
/// Returns the best choice and how much lower its [`part_score`] is than `choice`'s.
fn improve_part(
    ctx: &Ctx,
    spec: &PartSpec,
    cands: &[Cand],
    fixed: &Sched,
    mut choice: Choice,
    deadline: Instant,
    opts: &MipOptions,
) -> (Choice, f64) {
    let officers: Vec<usize> = {
        let mut v: Vec<usize> = cands.iter().map(|c| c.o).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let first = part_score(ctx, spec, &officers, fixed, &choice);
    let mut best = first;
    let Some(d_lo) = cands.iter().map(|c| c.d).min() else { return (choice, 0.0) };
    let d_hi = cands.iter().map(|c| c.d).max().unwrap_or(d_lo) + 1;
    let mut rng = tidewatch_core::rng::Rng::scrambled(spec.name.bytes().map(u64::from).sum());
    let mut budget = WINDOW_BUDGET;
    for _ in 0..MAX_WINDOWS {
        let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if left < 0.5 || opts.stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            break;
        }
        let weights = day_weights(ctx, spec, &with_choice(fixed, &choice));
        let (in_window, w_cands) = pick_window(cands, &officers, (d_lo, &weights[d_lo..d_hi]), budget, &mut rng);
        let outside: Choice = choice.iter().copied().filter(|&(o, d, ..)| !in_window(o, d)).collect();
        let fixed_w = with_choice(fixed, &outside);
        match solve_window(ctx, spec, &w_cands, &fixed_w, &choice, left.min(WINDOW_SECONDS), opts) {
            Some((picked, optimal)) => {
                let mut next = outside;
                next.extend(picked);
                let score = part_score(ctx, spec, &officers, fixed, &next);
                if score <= best + 1e-6 {
                    (choice, best) = (next, score);
                }
                budget = if optimal { (budget * 1.2).min(5_000.0) } else { (budget * 0.7).max(50.0) };
            }
            None => budget = (budget * 0.7).max(50.0),
        }
    }
    (choice, first - best)
}

/// A window: a block of 3–10 days of the part's day range (`day_weights` from its first
/// day `d_lo`) around a day drawn by its weight, and officers drawn at random
/// until the window holds about `budget` of the part's candidates. Returns the membership
/// test and the window's candidate shifts.
fn pick_window(
    cands: &[Cand],
    officers: &[usize],
    (d_lo, day_weights): (usize, &[f64]),
    budget: f64,
    rng: &mut tidewatch_core::rng::Rng,
) -> (impl Fn(usize, usize) -> bool, Vec<Cand>) {
    let span = day_weights.len();
    let len = (3 + rng.below(8)).min(span);
    // A block around a day drawn by its shortfall.
    let centre = rng.weighted(day_weights);
    let a = d_lo + centre.saturating_sub(rng.below(len)).min(span - len);
    let b = a + len;
    let mut order = officers.to_vec();
    for k in (1..order.len()).rev() {
        order.swap(k, rng.below(k + 1));
    }
    let per_officer: Vec<usize> = order.iter().map(|&o| cands.iter().filter(|c| c.o == o && (a..b).contains(&c.d)).count()).collect();
    let mut chosen = vec![false; cands.iter().map(|c| c.o).max().map_or(0, |m| m + 1)];
    let mut n = 0;
    for (k, &o) in order.iter().enumerate() {
        if n as f64 >= budget {
            break;
        }
        chosen[o] = true;
        n += per_officer[k];
    }
    let w_cands = cands.iter().copied().filter(|c| chosen[c.o] && (a..b).contains(&c.d)).collect();
    (move |o: usize, d: usize| chosen.get(o).copied().unwrap_or(false) && (a..b).contains(&d), w_cands)
}

/// Solves one window: `w_cands` (still allowed on top of `fixed_w`) as a part of their
/// own, starting from `current`'s shifts in the window. `None` when the solver found
/// nothing (the caller keeps the current choice).
fn solve_window(
    ctx: &Ctx,
    spec: &PartSpec,
    w_cands: &[Cand],
    fixed_w: &Sched,
    current: &[(usize, usize, usize, usize)],
    seconds: f64,
    opts: &MipOptions,
) -> Option<(Choice, bool)> {
    let mut vars = ProblemVariables::new();
    let cands: Vec<Cand> = w_cands
        .iter()
        .filter(|c| ctx.allowed(c.o, c.d, c.t, fixed_w))
        .enumerate()
        .map(|(col, c)| Cand { var: vars.add(variable().binary()), col, ..*c })
        .collect();
    if cands.is_empty() {
        return None;
    }
    let start: Vec<(usize, f64)> =
        cands.iter().map(|c| (c.col, current.iter().any(|&(o, d, t, i)| (o, d, t, i) == (c.o, c.d, c.t, c.i)) as u32 as f64)).collect();
    let b = build_part(ctx, spec, vars, &cands, fixed_w);
    let opts = MipOptions { time_limit: Some(seconds), start: Some(start), ..opts.clone() };
    let r = mip::solve(b.vars, b.obj, b.cons, &opts, &mut |_| {}).ok()?;
    let picked = cands.iter().filter(|c| r.value(c.col) > 0.5).map(|c| (c.o, c.d, c.t, c.i)).collect();
    Some((picked, r.status == MipStatus::Optimal))
}

/// A quick feasible choice among `cands` on top of `fixed`: repeatedly adds the shift that
/// removes the most weighted shortfall (floor, then need) net of over-coverage and
/// overtime, as long as every labour rule still holds. The solver's starting point, and
/// the part's answer when the solver is stopped before it finds a solution.
fn greedy(ctx: &Ctx, cands: &[Cand], fixed: &Sched, overtime_weight: f64) -> Vec<usize> {
    let input = ctx.input;
    let cal = Calendar::new(ctx);
    let mut cur = fixed.clone();
    let mut on: std::collections::HashMap<usize, Vec<(u32, u32, u32)>> = std::collections::HashMap::new();
    for c in cands {
        on.entry(c.i).or_insert_with(|| presence(ctx, fixed, c.i));
    }
    let mut chosen = Vec::new();
    let mut taken = vec![false; cands.len()];
    loop {
        let mut best: Option<(usize, f64)> = None;
        for (k, c) in cands.iter().enumerate() {
            if taken[k] || cur[c.o][c.d].is_some() {
                continue;
            }
            let gain = cover_gain(ctx, &on[&c.i], c);
            if gain <= 0.0 || best.is_some_and(|(_, g)| gain <= g) {
                continue;
            }
            let wk = cal.week_of(c.d);
            let contract = ctx.contract[c.o] * cal.weeks[wk].1 as f64 / 7.0;
            let h = cal.hours_in(ctx, &cur[c.o], wk);
            let extra = (h + ctx.tmpl(c.t).hours as f64 - contract).max(0.0) - (h - contract).max(0.0);
            // Spread the work: prefer officers with fewer hours so far.
            let so_far: f64 = cur[c.o].iter().flatten().map(|(t, _)| ctx.tmpl(*t).hours as f64).sum();
            let lend = if c.i != home_of(ctx, c.o) { ctx.w.lend } else { 0.0 };
            let net = gain - overtime_weight * extra - 0.01 * so_far - lend;
            if net <= 0.0 || best.is_some_and(|(_, g)| net <= g) {
                continue;
            }
            if cal.keeps_rules(ctx, &cur, c.o, c.d, c.t) {
                best = Some((k, net));
            }
        }
        let Some((k, _)) = best else { break };
        let c = cands[k];
        taken[k] = true;
        chosen.push(k);
        cur[c.o][c.d] = Some((c.t, c.i));
        let sk = input.officers[c.o].skills;
        let cov = on.get_mut(&c.i).expect("island");
        for s in ctx.slots(c.d, c.t) {
            cov[s].0 += sk.traffic() as u32;
            cov[s].1 += sk.station() as u32;
            cov[s].2 += 1;
        }
    }
    chosen
}

/// What adding candidate `c` removes from its island's weighted shortfall (floor, need),
/// net of the over-coverage it adds, given the island's presence `cov`.
fn cover_gain(ctx: &Ctx, cov: &[(u32, u32, u32)], c: &Cand) -> f64 {
    let (w, sk) = (ctx.w, ctx.input.officers[c.o].skills);
    let dem = &ctx.input.demand[c.i];
    let mut gain = 0.0;
    for s in ctx.slots(c.d, c.t) {
        let n = dem.hours[s].need;
        let (ct, cs, all) = cov[s];
        let (ct2, cs2, all2) = (ct + sk.traffic() as u32, cs + sk.station() as u32, all + 1);
        let under =
            |a: u32, b: u32, c: u32| n.traffic.saturating_sub(a).max(n.station.saturating_sub(b)).max(n.total.saturating_sub(c)) as f64;
        let floor = |a: u32, b: u32| n.floor_traffic.saturating_sub(a).max(n.floor_station.saturating_sub(b)) as f64;
        gain += w.under * (under(ct, cs, all) - under(ct2, cs2, all2)) + w.floor * (floor(ct, cs) - floor(ct2, cs2));
        if all >= n.total {
            gain -= w.over;
        }
    }
    gain
}

/// The period's weeks and weekends, for the greedy's rule checks.
struct Calendar {
    weeks: Vec<(u32, u32)>,
    weekends: Vec<(u32, u32)>,
}

impl Calendar {
    fn new(ctx: &Ctx) -> Calendar {
        Calendar { weeks: ctx.input.period.weeks(), weekends: ctx.input.period.weekends() }
    }

    fn week_of(&self, d: usize) -> usize {
        self.weeks.iter().position(|&(a, l)| (a as usize..(a + l) as usize).contains(&d)).expect("in period")
    }

    fn hours_in(&self, ctx: &Ctx, row: &[Option<(usize, usize)>], wk: usize) -> f64 {
        let (a, l) = self.weeks[wk];
        (a as usize..(a + l) as usize).filter_map(|d| row[d].map(|(t, _)| ctx.tmpl(t).hours as f64)).sum()
    }

    /// Whether officer `o` may also work template `t` on day `d` under `cur`: rest, week
    /// hours and days, consecutive days, weekends off.
    fn keeps_rules(&self, ctx: &Ctx, cur: &Sched, o: usize, d: usize, t: usize) -> bool {
        let (rules, row) = (&ctx.input.rules, &cur[o]);
        if !ctx.allowed(o, d, t, cur) {
            return false;
        }
        let wk = self.week_of(d);
        let (a, l) = self.weeks[wk];
        if self.hours_in(ctx, row, wk) + ctx.tmpl(t).hours as f64 > rules.max_hours_per_week as f64 {
            return false;
        }
        let worked = (a as usize..(a + l) as usize).filter(|&x| row[x].is_some()).count() as u32;
        if worked + 1 > l - rules.days_off_in_block(l) {
            return false;
        }
        let left = (0..d).rev().take_while(|&x| row[x].is_some()).count();
        let right = (d + 1..row.len()).take_while(|&x| row[x].is_some()).count();
        if left + 1 + right > rules.max_consecutive_days as usize {
            return false;
        }
        let on_weekend = |&(x, y): &(u32, u32)| row[x as usize].is_some() || row[y as usize].is_some();
        match self.weekends.iter().find(|&&(sa, su)| d == sa as usize || d == su as usize) {
            Some(we) if !on_weekend(we) => {
                let allowed = self.weekends.len() - rules.weekends_off(self.weekends.len() as u32) as usize;
                self.weekends.iter().filter(|we| on_weekend(we)).count() < allowed
            }
            _ => true,
        }
    }
}

fn home_of(ctx: &Ctx, o: usize) -> usize {
    ctx.home[o]
}

/// Plans a roster. Never breaks a hard rule; returns the best roster found within the
/// time limit, or when `stop` is set (parts not reached then get a greedy choice).
///
/// 1. Islands, smallest first: officers stay home. A small island is one MIP over the
///    whole period; a large one is planned week by week, each week on top of the weeks
///    before (so rules across the boundary hold). On outlying islands overtime costs more
///    than under-coverage in this pass (the floor still outweighs it).
/// 2. Peak step: the hub's officers (not outlying) work free days on outlying islands
///    still short of their need or floor.
/// 3. Top-up: outlying islands still short may use their own officers' overtime.
pub fn plan(input: PlanInput, options: &PlanOptions, progress: &mut dyn FnMut(&PlanProgress)) -> Result<Roster, Error> {
    let started = Instant::now();
    let ctx = Ctx::new(&input, &options.weights)?;
    if options.district {
        let planned = district::plan(&ctx, options, progress)?;
        let stopped = options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
        let whole = planned.infos.last().cloned();
        let status = match whole.as_ref().and_then(|p| p.status) {
            Some(s) if !stopped => s,
            _ => MipStatus::Stopped,
        };
        let solve = SolveInfo {
            status,
            objective: score(&ctx, &planned.sched, &ctx.home),
            gap: whole.as_ref().map_or(0.0, |p| p.gap()),
            gap_part: whole.map(|p| p.part),
            seconds: started.elapsed().as_secs_f64(),
            parts: planned.infos,
            weights: options.weights.clone(),
        };
        return Ok(roster_of(&ctx, &planned.sched, solve));
    }
    let (sched, infos) = by_island(Ctx::new(&input, &options.weights)?, options, progress, started)?;
    let home = &ctx.home;
    let status = overall_status(&infos, options);
    let objective = score(&ctx, &sched, home);
    let worst = infos.iter().filter(|p| p.status.is_some()).max_by(|a, b| a.gap().total_cmp(&b.gap())).cloned();
    let worst = worst.as_ref();
    let solve = SolveInfo {
        status,
        objective,
        gap: worst.map_or(0.0, |p| p.gap()),
        gap_part: worst.map(|p| p.part.clone()),
        seconds: started.elapsed().as_secs_f64(),
        parts: infos,
        weights: options.weights.clone(),
    };
    Ok(roster_of(&ctx, &sched, solve))
}

/// The island-by-island plan (steps 1–3 of [`plan`]) within `options.time_limit` from
/// `started`: the schedule and every part's report.
fn by_island<'a>(
    ctx: Ctx<'a>,
    options: &'a PlanOptions<'a>,
    progress: &'a mut dyn FnMut(&PlanProgress),
    started: Instant,
) -> Result<(Sched, Vec<PartSolve>), Error> {
    let mut planner = Planner::new(ctx, options, progress, started);
    planner.islands()?;
    if planner.two_step {
        planner.peak_step()?;
        planner.top_ups()?;
    }
    Ok((planner.sched, planner.infos))
}

/// The roster file of a planned schedule.
fn roster_of(ctx: &Ctx, sched: &Sched, solve: SolveInfo) -> Roster {
    let input = ctx.input;
    Roster {
        format: Roster::FORMAT,
        region: input.region.clone(),
        time_zone: input.time_zone.name().to_string(),
        period: input.period,
        days: input.days.clone(),
        rules: input.rules.clone(),
        templates: input.templates.clone(),
        officers: input.officers.clone(),
        demand: input.demand.clone(),
        assignments: assignments(ctx, sched),
        solve: Some(solve),
    }
}

/// Stopped if any part (or the whole plan) was stopped; out of time if any part ran out
/// of it (or found nothing to improve the greedy start with); else every part proved.
fn overall_status(infos: &[PartSolve], options: &PlanOptions) -> MipStatus {
    let stopped = options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    if infos.iter().any(|p| p.status == Some(MipStatus::Stopped)) || stopped {
        MipStatus::Stopped
    } else if infos.iter().any(|p| p.status == Some(MipStatus::TimeLimit) || (p.status.is_none() && p.variables > 0)) {
        MipStatus::TimeLimit
    } else {
        MipStatus::Optimal
    }
}

/// The schedule's shifts as assignments, by start time, island and officer.
fn assignments(ctx: &Ctx, sched: &Sched) -> Vec<Assignment> {
    let input = ctx.input;
    let mut assignments = Vec::new();
    for (o, row) in sched.iter().enumerate() {
        for (d, a) in row.iter().enumerate() {
            if let Some((t, i)) = *a {
                let tp = ctx.tmpl(t);
                let start = 24 * d as u32 + tp.start_hour;
                assignments.push(Assignment {
                    officer: input.officers[o].id.clone(),
                    day: d as u32,
                    template: tp.id.clone(),
                    island: input.demand[i].island.clone(),
                    start: input.period.utc(input.time_zone, start),
                    end: input.period.utc(input.time_zone, start + tp.hours),
                });
            }
        }
    }
    assignments.sort_by(|a, b| (a.start, &a.island, &a.officer).cmp(&(b.start, &b.island, &b.officer)));
    assignments
}

/// A part's candidate shifts, a binary variable each (column = index).
struct Candidates {
    vars: ProblemVariables,
    list: Vec<Cand>,
}

impl Candidates {
    fn new() -> Candidates {
        Candidates { vars: ProblemVariables::new(), list: Vec::new() }
    }

    fn add(&mut self, o: usize, d: usize, t: usize, i: usize) {
        let col = self.list.len();
        let var = self.vars.add(variable().binary());
        self.list.push(Cand { o, d, t, i, var, col });
    }
}

/// A plan under way: the schedule fixed so far, the parts still to come and the results
/// of those run.
struct Planner<'a> {
    ctx: Ctx<'a>,
    options: &'a PlanOptions<'a>,
    progress: &'a mut dyn FnMut(&PlanProgress),
    started: Instant,
    sched: Sched,
    /// Each officer's home island (demand index).
    home: Vec<usize>,
    /// The first pass's parts, in order: (island, (first day, days)).
    island_parts: Vec<(usize, (u32, u32))>,
    /// Whether the peak step and top-ups follow the islands.
    two_step: bool,
    /// Parts in all, and the number of the last one run (1-based).
    parts: usize,
    index: usize,
    infos: Vec<PartSolve>,
}

impl<'a> Planner<'a> {
    fn new(ctx: Ctx<'a>, options: &'a PlanOptions<'a>, progress: &'a mut dyn FnMut(&PlanProgress), started: Instant) -> Planner<'a> {
        let input = ctx.input;
        let (days, nof) = (input.period.days as usize, input.officers.len());
        let home: Vec<usize> = (0..nof).map(|o| home_of(&ctx, o)).collect();
        let island_parts = island_parts(&ctx, &home);
        let two_step = !options.no_peak_step;
        let n_outlying = input.demand.iter().filter(|d| d.outlying).count();
        let parts = island_parts.len() + if two_step { 1 + n_outlying } else { 0 };
        let sched = vec![vec![None; days]; nof];
        Planner { ctx, options, progress, started, sched, home, island_parts, two_step, parts, index: 0, infos: Vec::new() }
    }

    fn outlying(&self, i: usize) -> bool {
        self.ctx.input.demand[i].outlying
    }

    /// The officers whose home is island `i`.
    fn officers_of(&self, i: usize) -> Vec<usize> {
        (0..self.home.len()).filter(|&o| self.home[o] == i).collect()
    }

    /// Adds the shifts of `officers` on island `i` on `days` that the rules allow on top
    /// of the schedule so far (and, given `short`, that cover an hour still short there).
    fn add_shifts(&self, cands: &mut Candidates, i: usize, officers: &[usize], days: std::ops::Range<usize>, short: Option<&[bool]>) {
        for &o in officers {
            for d in days.clone() {
                for t in 0..self.ctx.input.templates.len() {
                    let needed = short.is_none_or(|short| self.ctx.slots(d, t).any(|s| short[s]));
                    if needed && self.ctx.allowed(o, d, t, &self.sched) {
                        cands.add(o, d, t, i);
                    }
                }
            }
        }
    }

    /// Time: an equal share of what is left for each part still to come, 15 % kept for
    /// the peak step and top-ups; a part that finishes early leaves its time to the rest.
    fn share(&self, n_left: usize, reserve: bool) -> Option<f64> {
        self.options.time_limit.map(|t| {
            let left = (t - self.started.elapsed().as_secs_f64()).max(0.0);
            let keep = if reserve && self.two_step { 0.15 * t } else { 0.0 };
            ((left - keep).max(0.0) / n_left.max(1) as f64).max(0.5)
        })
    }

    /// Solves the next part and fixes its shifts in the schedule.
    fn run(&mut self, spec: PartSpec, cands: Candidates, time: Option<f64>, officers: usize) -> Result<(), Error> {
        self.index += 1;
        let (index, parts) = (self.index, self.parts);
        let name = spec.name.clone();
        let progress = &mut *self.progress;
        let mut report = |m: &MipProgress| progress(&PlanProgress { part: name.clone(), index, parts, mip: Some(*m) });
        report(&MipProgress { elapsed_s: 0.0, incumbent: None, bound: 0.0, gap: None, nodes: 0 });
        let mip_options = MipOptions {
            time_limit: time,
            stop: self.options.stop,
            threads: self.options.threads,
            rel_gap: Some(1e-4),
            abs_gap: Some(0.5),
            start: None,
        };
        let mut r = solve_part(&self.ctx, &spec, cands.vars, cands.list, &self.sched, &mip_options, &mut report)?;
        r.info.officers = officers;
        // Every term of a part's objective is non-negative: 0 bounds it when the solver
        // proved nothing (stopped before its root LP ended).
        r.info.bound = r.info.bound.max(0.0);
        for &(o, d, t, isl) in &r.chosen {
            self.sched[o][d] = Some((t, isl));
        }
        self.infos.push(r.info);
        Ok(())
    }

    /// 1. Islands: each part's officers at home.
    fn islands(&mut self) -> Result<(), Error> {
        let input = self.ctx.input;
        for n in 0..self.island_parts.len() {
            let (i, (w0, wlen)) = self.island_parts[n];
            let island = input.demand[i].island.to_string();
            let mut name = if wlen == input.period.days { island } else { format!("{island} week {}", w0 / 7 + 1) };
            let held_back = self.two_step && self.outlying(i);
            if held_back {
                name.push_str(" (overtime held back)");
            }
            let officers = self.officers_of(i);
            let mut cands = Candidates::new();
            self.add_shifts(&mut cands, i, &officers, w0 as usize..(w0 + wlen) as usize, None);
            let spec = PartSpec {
                name,
                islands: &[i],
                fair_over: std::slice::from_ref(&officers),
                lending: false,
                overtime_weight: if held_back { 1.5 * self.ctx.w.under } else { self.ctx.w.overtime },
            };
            let time = self.share(self.island_parts.len() - n, true);
            self.run(spec, cands, time, officers.len())?;
        }
        Ok(())
    }

    /// 2. Peak step: the hub's officers' free days on outlying islands still short.
    fn peak_step(&mut self) -> Result<(), Error> {
        let input = self.ctx.input;
        let days = input.period.days as usize;
        let short = shortfall_by_island(&self.ctx, &self.sched);
        let targets: Vec<usize> = (0..input.demand.len()).filter(|&i| self.outlying(i) && short[i].iter().any(|&s| s)).collect();
        let lenders: Vec<usize> = (0..self.home.len()).filter(|&o| !self.outlying(self.home[o])).collect();
        let mut cands = Candidates::new();
        for &i in &targets {
            self.add_shifts(&mut cands, i, &lenders, 0..days, Some(&short[i]));
        }
        let spec = PartSpec { name: "peak".into(), islands: &targets, fair_over: &[], lending: true, overtime_weight: self.ctx.w.overtime };
        let n_outlying = (0..input.demand.len()).filter(|&i| self.outlying(i)).count();
        let time = self.share(1 + n_outlying, false).map(|t| t * 2.0);
        self.run(spec, cands, time, lenders.len())
    }

    /// 3. Top-ups: outlying islands still short use their own officers' overtime.
    fn top_ups(&mut self) -> Result<(), Error> {
        let input = self.ctx.input;
        let days = input.period.days as usize;
        let short = shortfall_by_island(&self.ctx, &self.sched);
        let targets: Vec<usize> = (0..input.demand.len()).filter(|&i| self.outlying(i)).collect();
        for (n, &i) in targets.iter().enumerate() {
            let officers = self.officers_of(i);
            let mut cands = Candidates::new();
            if short[i].iter().any(|&s| s) {
                self.add_shifts(&mut cands, i, &officers, 0..days, Some(&short[i]));
            }
            let spec = PartSpec {
                name: format!("{} overtime", input.demand[i].island),
                islands: &[i],
                fair_over: std::slice::from_ref(&officers),
                lending: false,
                overtime_weight: self.ctx.w.overtime,
            };
            let time = self.share(targets.len() - n, false);
            self.run(spec, cands, time, officers.len())?;
        }
        Ok(())
    }
}

/// The first pass's parts, smallest island first: a small island's whole period, a large
/// one's weeks.
fn island_parts(ctx: &Ctx, home: &[usize]) -> Vec<(usize, (u32, u32))> {
    let input = ctx.input;
    let (days, nt, nislands) = (input.period.days as usize, input.templates.len(), input.demand.len());
    let staff: Vec<usize> = (0..nislands).map(|i| home.iter().filter(|&&h| h == i).count()).collect();
    let weeks = input.period.weeks();
    let mut order: Vec<usize> = (0..nislands).collect();
    order.sort_by_key(|&i| staff[i]);
    let mut island_parts = Vec::new();
    for &i in &order {
        if staff[i] * days * nt <= WHOLE_PERIOD_MAX || weeks.len() == 1 {
            island_parts.push((i, (0, days as u32)));
        } else {
            island_parts.extend(weeks.iter().map(|&w| (i, w)));
        }
    }
    island_parts
}

/// The objective of a whole schedule, term by term as the parts' MIPs state it.
fn score(ctx: &Ctx, sched: &Sched, home: &[usize]) -> f64 {
    let input = ctx.input;
    let w = ctx.w;
    let mut total = 0.0;
    // Coverage.
    for i in 0..input.demand.len() {
        total += coverage_score(ctx, &presence(ctx, sched, i), i);
    }
    // Overtime, requests, lent shifts.
    for (o, row) in sched.iter().enumerate() {
        for (start, len) in input.period.weeks() {
            let h: f64 = (start..start + len).filter_map(|d| row[d as usize].map(|(t, _)| ctx.tmpl(t).hours as f64)).sum();
            total += w.overtime * (h - ctx.contract[o] * len as f64 / 7.0).max(0.0);
        }
        for r in &input.officers[o].requests {
            let Some(d) = input.period.day_of(r.date) else { continue };
            let hit = row[d as usize].is_some_and(|(t, _)| r.template.as_deref().is_none_or(|id| ctx.tmpl(t).id == id));
            if hit != (r.kind == RequestKind::On) {
                total += w.request * r.weight as f64;
            }
        }
        total += w.lend * row.iter().flatten().filter(|(_, i)| *i != home[o]).count() as f64;
    }
    // Fairness within each island.
    let any_holiday = (0..input.period.days as usize).any(|d| ctx.is_holiday(d));
    for i in 0..input.demand.len() {
        let mine: Vec<usize> = (0..sched.len()).filter(|&o| home[o] == i).collect();
        if mine.len() < 2 {
            continue;
        }
        let spread = |f: &dyn Fn(usize, usize) -> f64| {
            let v: Vec<f64> =
                mine.iter().map(|&o| sched[o].iter().enumerate().filter_map(|(d, a)| a.map(|(t, _)| f(d, t))).sum::<f64>()).collect();
            v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min)
        };
        let norm: Vec<f64> = mine
            .iter()
            .map(|&o| {
                let scale = 40.0 / ctx.contract[o].max(1.0);
                sched[o].iter().flatten().map(|(t, _)| scale * ctx.tmpl(*t).hours as f64).sum::<f64>()
            })
            .collect();
        total += w.hours_spread * (norm.iter().copied().fold(f64::MIN, f64::max) - norm.iter().copied().fold(f64::MAX, f64::min));
        total += w.nights_spread * spread(&|_, t| ctx.tmpl(t).is_night() as u32 as f64);
        if any_holiday {
            total += w.holiday_spread * spread(&|d, _| ctx.is_holiday(d) as u32 as f64);
        }
    }
    total
}

/// `[island][slot]`: whether the island is short of its need or floor in that hour.
fn shortfall_by_island(ctx: &Ctx, sched: &Sched) -> Vec<Vec<bool>> {
    let input = ctx.input;
    input
        .demand
        .iter()
        .enumerate()
        .map(|(i, dem)| {
            let on = presence(ctx, sched, i);
            (0..ctx.hours)
                .map(|s| {
                    let n = dem.hours[s].need;
                    let (t, st, all) = on[s];
                    t < n.traffic || st < n.station || all < n.total || t < n.floor_traffic || st < n.floor_station
                })
                .collect()
        })
        .collect()
}
