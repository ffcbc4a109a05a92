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
use serde::{Deserialize, Serialize};

use super::mip::{self, MipOptions, MipProgress, MipStatus};
use super::model::{
    Assignment, DayInfo, IslandDemand, LabourRules, PartSolve, Period, RequestKind, Roster,
    RosterOfficer, ShiftTemplate, SolveInfo,
};
use crate::region::DayType;
use crate::Error;

/// Objective weights. The defaults make the order strict in practice: one officer-hour
/// of under-coverage outweighs any overtime a single shift can cause, and so on down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Per officer-hour below the minimum-presence floor.
    pub floor: f64,
    /// Per officer-hour of under-coverage.
    pub under: f64,
    /// Per hour of overtime (above contract hours, per week).
    pub overtime: f64,
    /// Per hour of spread (max − min) of contract-normalised hours within an island.
    pub hours_spread: f64,
    /// Per night shift of spread within an island.
    pub nights_spread: f64,
    /// Per holiday shift of spread within an island.
    pub holiday_spread: f64,
    /// Per unit of request weight not honoured.
    pub request: f64,
    /// Per officer-hour above the need (keeps idle shifts out of ordinary days).
    pub over: f64,
    /// Per shift worked away from the home island.
    pub lend: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            floor: 10_000.0,
            under: 1_000.0,
            overtime: 20.0,
            hours_spread: 2.0,
            nights_spread: 4.0,
            holiday_spread: 4.0,
            request: 3.0,
            over: 0.5,
            lend: 10.0,
        }
    }
}

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
}

/// Reported while planning.
#[derive(Debug, Clone, Serialize)]
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
}

const MAX_LOOKAHEAD: usize = 3;

impl<'a> Ctx<'a> {
    fn new(input: &'a PlanInput, w: &'a Weights) -> Result<Ctx<'a>, Error> {
        let rules = &input.rules;
        let mut seen = std::collections::HashSet::new();
        for t in &input.templates {
            if t.start_hour >= 24 || t.hours == 0 || t.hours > 24 {
                return Err(Error::invalid(
                    format!("templates.{}", t.id),
                    "start_hour must be 0–23 and hours 1–24",
                ));
            }
            if t.hours > rules.max_hours_per_day {
                return Err(Error::invalid(
                    format!("templates.{}", t.id),
                    format!(
                        "{} hours is over the daily maximum of {}",
                        t.hours, rules.max_hours_per_day
                    ),
                ));
            }
            if !seen.insert(&t.id) {
                return Err(Error::invalid(
                    "templates",
                    format!("template '{}' twice", t.id),
                ));
            }
        }
        if input.templates.is_empty() {
            return Err(Error::invalid("templates", "no shift templates"));
        }
        if input.days.len() != input.period.days as usize {
            return Err(Error::invalid(
                "days",
                "one day entry per day of the period expected",
            ));
        }
        let hours = input.period.hours() as usize;
        for d in &input.demand {
            if d.hours.len() != hours {
                return Err(Error::invalid(
                    format!("demand.{}", d.island),
                    format!(
                        "{} hours of demand for a {}-hour period",
                        d.hours.len(),
                        hours
                    ),
                ));
            }
        }
        for o in &input.officers {
            if !input.demand.iter().any(|d| d.island == o.home_island) {
                return Err(Error::invalid(
                    format!("officers.{}", o.id),
                    format!("home island '{}' has no demand entry", o.home_island),
                ));
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
                                let gap = 24 * k as i64 + b.start_hour as i64
                                    - (a.start_hour + a.hours) as i64;
                                gap < rest
                            })
                            .map(|(j, _)| j)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Ok(Ctx {
            input,
            w,
            conflicts,
            hours,
            contract: input
                .officers
                .iter()
                .map(|o| o.contract_hours_per_week as f64)
                .collect(),
        })
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
    /// Objective when nothing new is chosen (for the peak step's improvement).
    baseline: f64,
}

/// Builds and solves one part: the candidate shifts `cands` on top of `fixed`.
/// `islands`: the islands whose coverage this part counts (demand indexes).
/// `fair_over`: officers whose fairness spread is optimised (island parts).
#[allow(clippy::too_many_arguments, clippy::needless_range_loop)]
fn solve_part(
    ctx: &Ctx,
    name: &str,
    vars: ProblemVariables,
    cands: Vec<Cand>,
    fixed: &Sched,
    islands: &[usize],
    fair_over: &[usize],
    lending: bool,
    opts: &MipOptions,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<PartResult, Error> {
    let mut vars = vars;
    let input = ctx.input;
    let w = ctx.w;
    let days = input.period.days as usize;
    let nvars_x = cands.len();
    let mut columns = nvars_x;
    let mut add = |vars: &mut ProblemVariables, def: good_lp::VariableDefinition| {
        columns += 1;
        vars.add(def)
    };
    let mut cons: Vec<Constraint> = Vec::new();
    let mut obj = Expression::from(0.0);
    let mut baseline = 0.0;

    // Index candidates by officer and day.
    let nof = input.officers.len();
    let mut by_od: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); days]; nof];
    for (k, c) in cands.iter().enumerate() {
        by_od[c.o][c.d].push(k);
    }
    let officers: Vec<usize> = (0..nof)
        .filter(|&o| by_od[o].iter().any(|v| !v.is_empty()))
        .collect();
    let fixed_hours =
        |o: usize, d: usize| fixed[o][d].map_or(0.0, |(t, _)| ctx.tmpl(t).hours as f64);
    let fixed_work = |o: usize, d: usize| fixed[o][d].is_some() as u32 as f64;

    for &o in &officers {
        let work = |d: usize| -> Expression {
            let mut e: Expression = by_od[o][d]
                .iter()
                .map(|&k| Expression::from(cands[k].var))
                .sum();
            e += fixed_work(o, d);
            e
        };
        let hours = |d: usize| -> Expression {
            let mut e: Expression = by_od[o][d]
                .iter()
                .map(|&k| ctx.tmpl(cands[k].t).hours as f64 * cands[k].var)
                .sum();
            e += fixed_hours(o, d);
            e
        };
        let has_var = |a: usize, b: usize| (a..b).any(|d| !by_od[o][d].is_empty());
        // One shift a day.
        for d in 0..days {
            if by_od[o][d].len() > 1 {
                cons.push(constraint!(work(d) <= 1));
            }
        }
        // Rest between shifts: a shift excludes every conflicting start in the next days.
        for d in 0..days {
            let mut by_t: Vec<Vec<usize>> = vec![Vec::new(); input.templates.len()];
            for &k in &by_od[o][d] {
                by_t[cands[k].t].push(k);
            }
            for (t, ks) in by_t.iter().enumerate() {
                if ks.is_empty() {
                    continue;
                }
                let mut e: Expression = ks.iter().map(|&k| Expression::from(cands[k].var)).sum();
                let mut any = false;
                for k in 1..=MAX_LOOKAHEAD {
                    if d + k >= days {
                        break;
                    }
                    for &k2 in &by_od[o][d + k] {
                        if ctx.conflicts[t][k].contains(&cands[k2].t) {
                            e += cands[k2].var;
                            any = true;
                        }
                    }
                }
                if any {
                    cons.push(constraint!(e <= 1));
                }
            }
        }
        // Weekly hours, days off, overtime.
        let mut ot_total = Expression::from(0.0);
        let mut ot_base = 0.0;
        for (start, len) in input.period.weeks() {
            let (a, b) = (start as usize, (start + len) as usize);
            let h: Expression = (a..b).map(hours).sum();
            let wk: Expression = (a..b).map(work).sum();
            if has_var(a, b) {
                cons.push(constraint!(
                    h.clone() <= input.rules.max_hours_per_week as f64
                ));
                let max_days = len - input.rules.days_off_in_block(len);
                cons.push(constraint!(wk <= max_days as f64));
                let contract = ctx.contract[o] * len as f64 / 7.0;
                let ot = add(&mut vars, variable().min(0));
                cons.push(constraint!(ot >= h - contract));
                ot_total += ot;
                let fixed_h: f64 = (a..b).map(|d| fixed_hours(o, d)).sum();
                ot_base += (fixed_h - contract).max(0.0);
            }
        }
        obj += w.overtime * ot_total;
        baseline += w.overtime * ot_base;
        // Consecutive days.
        let maxc = input.rules.max_consecutive_days as usize;
        if maxc < days {
            for a in 0..days - maxc {
                if has_var(a, a + maxc + 1) {
                    let s: Expression = (a..=a + maxc).map(work).sum();
                    cons.push(constraint!(s <= maxc as f64));
                }
            }
        }
        // Weekends off.
        let weekends = input.period.weekends();
        let need_off = input.rules.weekends_off(weekends.len() as u32) as usize;
        if need_off > 0
            && weekends
                .iter()
                .any(|&(s, u)| has_var(s as usize, u as usize + 1))
        {
            let mut total = Expression::from(0.0);
            for &(sat, sun) in &weekends {
                let y = add(&mut vars, variable().min(0).max(1));
                cons.push(constraint!(y >= work(sat as usize)));
                cons.push(constraint!(y >= work(sun as usize)));
                total += y;
            }
            cons.push(constraint!(total <= (weekends.len() - need_off) as f64));
        }
        // Requests.
        let off = &input.officers[o];
        for r in &off.requests {
            let Some(d) = input.period.day_of(r.date) else {
                continue;
            };
            let d = d as usize;
            let matching: Expression = by_od[o][d]
                .iter()
                .filter(|&&k| {
                    r.template
                        .as_deref()
                        .is_none_or(|id| ctx.tmpl(cands[k].t).id == id)
                })
                .map(|&k| Expression::from(cands[k].var))
                .sum();
            let wt = w.request * r.weight as f64;
            match r.kind {
                RequestKind::On if !lending => {
                    obj += wt - wt * matching;
                    baseline += wt;
                }
                RequestKind::Off => obj += wt * matching,
                RequestKind::On => {}
            }
        }
    }

    // Fairness within an island.
    if !fair_over.is_empty() {
        let spread = |vars: &mut ProblemVariables,
                      cons: &mut Vec<Constraint>,
                      add: &mut dyn FnMut(
            &mut ProblemVariables,
            good_lp::VariableDefinition,
        ) -> Variable,
                      values: Vec<Expression>|
         -> Expression {
            let hi = add(vars, variable().min(0));
            let lo = add(vars, variable().min(0));
            for v in values {
                cons.push(constraint!(hi >= v.clone()));
                cons.push(constraint!(lo <= v));
            }
            hi - lo
        };
        let norm_hours: Vec<Expression> = fair_over
            .iter()
            .map(|&o| {
                let scale = 40.0 / ctx.contract[o].max(1.0);
                (0..days)
                    .flat_map(|d| by_od[o][d].iter())
                    .map(|&k| scale * ctx.tmpl(cands[k].t).hours as f64 * cands[k].var)
                    .sum()
            })
            .collect();
        let nights: Vec<Expression> = fair_over
            .iter()
            .map(|&o| {
                (0..days)
                    .flat_map(|d| by_od[o][d].iter())
                    .filter(|&&k| ctx.tmpl(cands[k].t).is_night())
                    .map(|&k| Expression::from(cands[k].var))
                    .sum()
            })
            .collect();
        let hol: Vec<Expression> = fair_over
            .iter()
            .map(|&o| {
                (0..days)
                    .filter(|&d| ctx.is_holiday(d))
                    .flat_map(|d| by_od[o][d].iter())
                    .map(|&k| Expression::from(cands[k].var))
                    .sum()
            })
            .collect();
        if fair_over.len() > 1 {
            let s = spread(&mut vars, &mut cons, &mut add, norm_hours);
            obj += w.hours_spread * s;
            let s = spread(&mut vars, &mut cons, &mut add, nights);
            obj += w.nights_spread * s;
            if (0..days).any(|d| ctx.is_holiday(d)) {
                let s = spread(&mut vars, &mut cons, &mut add, hol);
                obj += w.holiday_spread * s;
            }
        }
    }

    // Coverage.
    for &i in islands {
        let dem = &input.demand[i];
        // Fixed presence per slot: (traffic-capable, station-capable, all).
        let mut base = vec![(0u32, 0u32, 0u32); ctx.hours];
        for (o, row) in fixed.iter().enumerate() {
            let sk = input.officers[o].skills;
            for (d, a) in row.iter().enumerate() {
                if let Some((t, isl)) = *a {
                    if isl == i {
                        for s in ctx.slots(d, t) {
                            base[s].0 += sk.traffic() as u32;
                            base[s].1 += sk.station() as u32;
                            base[s].2 += 1;
                        }
                    }
                }
            }
        }
        let mut on: Vec<Vec<usize>> = vec![Vec::new(); ctx.hours];
        for (k, c) in cands.iter().enumerate() {
            if c.i == i {
                for s in ctx.slots(c.d, c.t) {
                    on[s].push(k);
                }
            }
        }
        for s in 0..ctx.hours {
            let need = dem.hours[s].need;
            let (bt, bs, ball) = base[s];
            let sum_if = |f: &dyn Fn(&RosterOfficer) -> bool| -> Expression {
                on[s]
                    .iter()
                    .filter(|&&k| f(&input.officers[cands[k].o]))
                    .map(|&k| Expression::from(cands[k].var))
                    .sum()
            };
            let cap_t = sum_if(&|o| o.skills.traffic()) + bt as f64;
            let cap_s = sum_if(&|o| o.skills.station()) + bs as f64;
            let tot = sum_if(&|_| true) + ball as f64;
            let short = |n: u32, b: u32| (n as f64 - b as f64).max(0.0);
            let under0 = short(need.traffic, bt)
                .max(short(need.station, bs))
                .max(short(need.total, ball));
            if under0 > 0.0 {
                let u = add(&mut vars, variable().min(0));
                if need.traffic > bt {
                    cons.push(constraint!(u + cap_t.clone() >= need.traffic as f64));
                }
                if need.station > bs {
                    cons.push(constraint!(u + cap_s.clone() >= need.station as f64));
                }
                if need.total > ball {
                    cons.push(constraint!(u + tot.clone() >= need.total as f64));
                }
                obj += w.under * u;
                baseline += w.under * under0;
            }
            let floor0 = short(need.floor_traffic, bt).max(short(need.floor_station, bs));
            if floor0 > 0.0 {
                let f = add(&mut vars, variable().min(0));
                if need.floor_traffic > bt {
                    cons.push(constraint!(f + cap_t.clone() >= need.floor_traffic as f64));
                }
                if need.floor_station > bs {
                    cons.push(constraint!(f + cap_s.clone() >= need.floor_station as f64));
                }
                obj += w.floor * f;
                baseline += w.floor * floor0;
            }
            if !on[s].is_empty() {
                let over0 = (ball as f64 - need.total as f64).max(0.0);
                let v = add(&mut vars, variable().min(0));
                cons.push(constraint!(v >= tot - need.total as f64));
                obj += w.over * v;
                baseline += w.over * over0;
            } else {
                baseline += w.over * (ball as f64 - need.total as f64).max(0.0);
                obj += w.over * (ball as f64 - need.total as f64).max(0.0);
            }
        }
    }
    if lending {
        for c in &cands {
            obj += w.lend * c.var;
        }
    }

    let nvars = columns;
    let result = if cands.is_empty() {
        None
    } else {
        match mip::solve(vars, obj, cons, opts, progress) {
            Ok(r) => Some(r),
            // Stopped or out of time before any solution: nothing new is chosen (the
            // empty choice always keeps every hard rule).
            Err(Error::Solver(m))
                if m.contains("no solution") || m.contains("before any solution") =>
            {
                None
            }
            Err(e) => return Err(e),
        }
    };
    let (chosen, status, objective, bound, seconds) = match &result {
        Some(r) => (
            cands
                .iter()
                .filter(|c| r.value(c.col) > 0.5)
                .map(|c| (c.o, c.d, c.t, c.i))
                .collect(),
            Some(r.status),
            r.objective,
            r.bound,
            r.seconds,
        ),
        // Every objective term is non-negative: 0 bounds an unsolved part.
        None => (Vec::new(), None, baseline, 0.0, 0.0),
    };
    Ok(PartResult {
        chosen,
        info: PartSolve {
            part: name.to_string(),
            officers: officers.len(),
            variables: nvars,
            status,
            objective,
            bound,
            seconds,
        },
        baseline,
    })
}

/// Plans a roster. Never breaks a hard rule; returns the best roster found within the
/// time limit, or when `stop` is set (parts not reached then get no shifts).
pub fn plan(
    input: PlanInput,
    options: &PlanOptions,
    progress: &mut dyn FnMut(&PlanProgress),
) -> Result<Roster, Error> {
    let started = Instant::now();
    let ctx = Ctx::new(&input, &options.weights)?;
    let days = input.period.days as usize;
    let nof = input.officers.len();
    let mut sched: Sched = vec![vec![None; days]; nof];
    let home: Vec<usize> = input
        .officers
        .iter()
        .map(|o| {
            input
                .demand
                .iter()
                .position(|d| d.island == o.home_island)
                .expect("checked")
        })
        .collect();
    let nislands = input.demand.len();
    let sizes: Vec<usize> = (0..nislands)
        .map(|i| home.iter().filter(|&&h| h == i).count() * days * input.templates.len())
        .collect();
    let parts = nislands + (!options.no_peak_step) as usize;
    let stopped = || options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let mut infos = Vec::new();
    let mut objective = 0.0;
    // Σ (part objective − part bound): how far, at most, each part is from its optimum.
    let mut slack = 0.0;

    // Islands, largest last so small ones are certainly solved before a stop.
    let mut order: Vec<usize> = (0..nislands).collect();
    order.sort_by_key(|&i| sizes[i]);
    for (n, &i) in order.iter().enumerate() {
        let name = input.demand[i].island.to_string();
        let officers: Vec<usize> = (0..nof).filter(|&o| home[o] == i).collect();
        // Smallest parts first, each an equal share of the time left (the peak step's
        // reserve aside): time a small part does not use goes to the larger ones.
        let time = options.time_limit.map(|t| {
            let left = (t - started.elapsed().as_secs_f64()).max(0.0);
            let reserve = if options.no_peak_step { 0.0 } else { 0.15 * t };
            ((left - reserve).max(0.0) / (nislands - n) as f64).max(0.5)
        });
        if stopped() {
            let r = empty_part(&ctx, &name, &officers, &sched, i)?;
            objective += r.info.objective;
            slack += r.info.objective - r.info.bound;
            infos.push(r.info);
            continue;
        }
        let mut vars = ProblemVariables::new();
        let mut cands = Vec::new();
        for &o in &officers {
            for d in 0..days {
                for t in 0..input.templates.len() {
                    if ctx.allowed(o, d, t, &sched) {
                        let col = cands.len();
                        cands.push(Cand {
                            o,
                            d,
                            t,
                            i,
                            var: vars.add(variable().binary()),
                            col,
                        });
                    }
                }
            }
        }
        let opts = MipOptions {
            time_limit: time,
            stop: options.stop,
            threads: options.threads,
            rel_gap: Some(1e-4),
            abs_gap: Some(0.5),
        };
        let mut report = |m: &MipProgress| {
            progress(&PlanProgress {
                part: name.clone(),
                index: n + 1,
                parts,
                mip: Some(*m),
            })
        };
        report(&MipProgress {
            elapsed_s: 0.0,
            incumbent: None,
            bound: 0.0,
            gap: None,
            nodes: 0,
        });
        let r = solve_part(
            &ctx,
            &name,
            vars,
            cands,
            &sched,
            &[i],
            &officers,
            false,
            &opts,
            &mut report,
        )?;
        for &(o, d, t, isl) in &r.chosen {
            sched[o][d] = Some((t, isl));
        }
        objective += r.info.objective;
        slack += (r.info.objective - r.info.bound).max(0.0);
        infos.push(r.info);
    }

    // Peak step: lend free days of officers to islands still short.
    if !options.no_peak_step {
        let name = "peak".to_string();
        let short = shortfall_by_island(&ctx, &sched);
        let targets: Vec<usize> = (0..nislands)
            .filter(|&i| short[i].iter().any(|&s| s))
            .collect();
        let mut vars = ProblemVariables::new();
        let mut cands = Vec::new();
        if !stopped() {
            for &i in &targets {
                for o in (0..nof).filter(|&o| home[o] != i) {
                    for d in 0..days {
                        for t in 0..input.templates.len() {
                            if ctx.slots(d, t).any(|s| short[i][s]) && ctx.allowed(o, d, t, &sched)
                            {
                                let col = cands.len();
                                cands.push(Cand {
                                    o,
                                    d,
                                    t,
                                    i,
                                    var: vars.add(variable().binary()),
                                    col,
                                });
                            }
                        }
                    }
                }
            }
        }
        let time = options
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(1.0));
        let opts = MipOptions {
            time_limit: time,
            stop: options.stop,
            threads: options.threads,
            rel_gap: Some(1e-4),
            abs_gap: Some(0.5),
        };
        let mut report = |m: &MipProgress| {
            progress(&PlanProgress {
                part: name.clone(),
                index: parts,
                parts,
                mip: Some(*m),
            })
        };
        let r = solve_part(
            &ctx,
            &name,
            vars,
            cands,
            &sched,
            &targets,
            &[],
            true,
            &opts,
            &mut report,
        )?;
        for &(o, d, t, isl) in &r.chosen {
            sched[o][d] = Some((t, isl));
        }
        if r.info.status.is_some() {
            // The peak step only adds to what the islands have: its objective minus its
            // value with nothing lent is the change to the whole.
            objective += r.info.objective - r.baseline;
            slack += (r.info.objective - r.info.bound).max(0.0);
        }
        infos.push(r.info);
    }

    let status = if infos.iter().any(|p| p.status == Some(MipStatus::Stopped)) || stopped() {
        MipStatus::Stopped
    } else if infos
        .iter()
        .any(|p| p.status == Some(MipStatus::TimeLimit) || (p.status.is_none() && p.variables > 0))
    {
        MipStatus::TimeLimit
    } else {
        MipStatus::Optimal
    };
    let tz = input.time_zone;
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
                    start: input.period.utc(tz, start),
                    end: input.period.utc(tz, start + tp.hours),
                });
            }
        }
    }
    assignments
        .sort_by(|a, b| (a.start, &a.island, &a.officer).cmp(&(b.start, &b.island, &b.officer)));
    let seconds = started.elapsed().as_secs_f64();
    Ok(Roster {
        format: Roster::FORMAT,
        region: input.region.clone(),
        time_zone: tz.name().to_string(),
        period: input.period,
        days: input.days.clone(),
        rules: input.rules.clone(),
        templates: input.templates.clone(),
        officers: input.officers.clone(),
        demand: input.demand.clone(),
        assignments,
        solve: Some(SolveInfo {
            status,
            objective,
            // The decomposition's bound: each part is within its own gap of the best
            // it could do given the parts before it (not a bound of one monolithic model).
            bound: objective - slack,
            seconds,
            parts: infos,
            weights: options.weights.clone(),
        }),
    })
}

/// A part that was not solved: no shifts, its objective is the empty roster's.
fn empty_part(
    ctx: &Ctx,
    name: &str,
    officers: &[usize],
    sched: &Sched,
    i: usize,
) -> Result<PartResult, Error> {
    let r = solve_part(
        ctx,
        name,
        ProblemVariables::new(),
        Vec::new(),
        sched,
        &[i],
        &[],
        false,
        &MipOptions::default(),
        &mut |_| {},
    )?;
    Ok(PartResult {
        info: PartSolve {
            officers: officers.len(),
            ..r.info
        },
        ..r
    })
}

/// `[island][slot]`: whether the island is short of its need or floor in that hour.
fn shortfall_by_island(ctx: &Ctx, sched: &Sched) -> Vec<Vec<bool>> {
    let input = ctx.input;
    input
        .demand
        .iter()
        .enumerate()
        .map(|(i, dem)| {
            let mut on = vec![(0u32, 0u32, 0u32); ctx.hours];
            for (o, row) in sched.iter().enumerate() {
                let sk = input.officers[o].skills;
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
            (0..ctx.hours)
                .map(|s| {
                    let n = dem.hours[s].need;
                    let (t, st, all) = on[s];
                    t < n.traffic
                        || st < n.station
                        || all < n.total
                        || t < n.floor_traffic
                        || st < n.floor_station
                })
                .collect()
        })
        .collect()
}
