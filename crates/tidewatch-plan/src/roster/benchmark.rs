//! The employee shift scheduling benchmark (Curtois & Qu, schedulingbenchmarks.org):
//! the text format, an exact MIP for it, and an independent evaluator.
//!
//! The evaluator ([`evaluate`]) re-reads a roster day by day — runs of work and rest,
//! weekends, minutes — without any of the MIP's constraint code, so a test can trust the
//! objective it computes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

use super::mip::{self, MipOptions, MipProgress, MipStatus};
use tidewatch_core::Error;

/// A shift type: `SECTION_SHIFTS`.
#[derive(Debug, Clone)]
pub struct ShiftType {
    pub id: String,
    pub minutes: u32,
    /// Shift types that may not be worked the day after this one.
    pub cannot_follow: Vec<usize>,
}

/// One employee: `SECTION_STAFF` plus their fixed days off.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: String,
    /// Per shift type (index into `Instance::shifts`).
    pub max_shifts: Vec<u32>,
    pub max_minutes: u32,
    pub min_minutes: u32,
    pub max_consecutive: u32,
    pub min_consecutive: u32,
    pub min_consecutive_off: u32,
    pub max_weekends: u32,
    pub days_off: Vec<usize>,
}

/// A weighted request to work (on) or not to work (off) a shift on a day.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub staff: usize,
    pub day: usize,
    pub shift: usize,
    pub weight: u32,
}

/// Requirement for a shift on a day, and the penalty per person under and over it.
#[derive(Debug, Clone, Copy)]
pub struct Cover {
    pub requirement: u32,
    pub under: u32,
    pub over: u32,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub horizon: usize,
    pub shifts: Vec<ShiftType>,
    pub staff: Vec<Staff>,
    pub on_requests: Vec<Request>,
    pub off_requests: Vec<Request>,
    /// `cover[day][shift]`; a day/shift not listed needs nobody and costs nothing.
    pub cover: Vec<Vec<Cover>>,
}

/// A roster for an instance: `assignment[staff][day]` is the shift worked, if any.
pub type Assignment = Vec<Vec<Option<usize>>>;

fn bad(file: &str, line: usize, message: impl Into<String>) -> Error {
    Error::invalid(format!("{file}:{line}"), message)
}

impl Instance {
    pub fn read(path: &Path) -> Result<Instance, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::invalid(path.display().to_string(), format!("cannot read: {e}")))?;
        Instance::parse(&text, &path.display().to_string())
    }

    /// Parses the text format; `file` names the source in errors (`file:line`).
    pub fn parse(text: &str, file: &str) -> Result<Instance, Error> {
        let mut sections = Sections::read(text, file)?;
        let horizon = sections.horizon.ok_or_else(|| bad(file, 1, "no SECTION_HORIZON"))?;
        if sections.shifts.is_empty() {
            return Err(bad(file, 1, "no shift types in SECTION_SHIFTS"));
        }
        let mut shifts = std::mem::take(&mut sections.shifts);
        let shift_index = shifts.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        let mut ids = Ids { file, horizon, n_shifts: shifts.len(), shifts: shift_index, staff: HashMap::new() };
        for (i, (line, follow)) in sections.follow_ids.iter().enumerate() {
            for f in follow {
                let j = ids.shift(*line, f)?;
                shifts[i].cannot_follow.push(j);
            }
        }
        let mut staff: Vec<Staff> = sections.staff.iter().map(|(line, f)| ids.staff_row(*line, f)).collect::<Result<_, _>>()?;
        ids.staff = staff.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        for (line, f) in &sections.days_off {
            let e = ids.staff(*line, &f[0])?;
            for d in f[1..].iter().filter(|s| !s.is_empty()) {
                staff[e].days_off.push(ids.day(*line, d)?);
            }
        }
        let on_requests = ids.requests(&sections.on)?;
        let off_requests = ids.requests(&sections.off)?;
        let cover = ids.cover(&sections.cover)?;
        Ok(Instance { horizon, shifts, staff, on_requests, off_requests, cover })
    }

    /// Days 5, 6, 12, 13, …: the instances start on a Monday.
    pub fn weekends(&self) -> Vec<(usize, usize)> {
        (0..self.horizon / 7 + 1).map(|w| (7 * w + 5, 7 * w + 6)).filter(|&(sat, _)| sat < self.horizon).collect()
    }
}

/// A data line: its number and its comma-separated fields.
type Row = (usize, Vec<String>);

/// An instance file's lines by section, before their ids are resolved.
#[derive(Default)]
struct Sections {
    horizon: Option<usize>,
    shifts: Vec<ShiftType>,
    /// Per shift type: its line and the ids of the shift types that cannot follow it.
    follow_ids: Vec<Row>,
    staff: Vec<Row>,
    days_off: Vec<Row>,
    on: Vec<Row>,
    off: Vec<Row>,
    cover: Vec<Row>,
}

impl Sections {
    /// Sorts the lines into their sections (comments and blank lines dropped); reads the
    /// horizon and the shift types, which need nothing else.
    fn read(text: &str, file: &str) -> Result<Sections, Error> {
        let mut sections = Sections::default();
        let mut section = String::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if line.starts_with("SECTION_") {
                section = line.to_string();
                continue;
            }
            let fields: Vec<String> = line.split(',').map(|f| f.trim().to_string()).collect();
            match section.as_str() {
                "SECTION_HORIZON" => {
                    let horizon = line.parse().map_err(|_| bad(file, line_no, format!("horizon '{line}' is not a number of days")))?;
                    sections.horizon = Some(horizon);
                }
                "SECTION_SHIFTS" => {
                    let (shift, follow) = shift_type(file, line_no, &fields)?;
                    sections.follow_ids.push((line_no, follow));
                    sections.shifts.push(shift);
                }
                "SECTION_STAFF" => sections.staff.push((line_no, fields)),
                "SECTION_DAYS_OFF" => sections.days_off.push((line_no, fields)),
                "SECTION_SHIFT_ON_REQUESTS" => sections.on.push((line_no, fields)),
                "SECTION_SHIFT_OFF_REQUESTS" => sections.off.push((line_no, fields)),
                "SECTION_COVER" => sections.cover.push((line_no, fields)),
                "" => return Err(bad(file, line_no, "data before the first SECTION_ line")),
                other => return Err(bad(file, line_no, format!("unknown section {other}"))),
            }
        }
        Ok(sections)
    }
}

/// A `SECTION_SHIFTS` line: the shift type, and the ids of those that cannot follow it.
fn shift_type(file: &str, line: usize, fields: &[String]) -> Result<(ShiftType, Vec<String>), Error> {
    if fields.len() < 2 {
        return Err(bad(file, line, "expected: ShiftID, minutes, shifts that cannot follow"));
    }
    let minutes = fields[1].parse().map_err(|_| bad(file, line, format!("shift length '{}' is not minutes", fields[1])))?;
    let follow =
        fields.get(2).map(|f| f.split('|').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()).unwrap_or_default();
    Ok((ShiftType { id: fields[0].clone(), minutes, cannot_follow: Vec::new() }, follow))
}

/// Resolves the ids and numbers of an instance's lines, with errors at `file:line`.
struct Ids<'f> {
    file: &'f str,
    horizon: usize,
    /// Shift types (an id given twice is found at its last line).
    n_shifts: usize,
    shifts: HashMap<String, usize>,
    /// Empty until the staff are read.
    staff: HashMap<String, usize>,
}

impl Ids<'_> {
    fn shift(&self, line: usize, id: &str) -> Result<usize, Error> {
        self.shifts.get(id).copied().ok_or_else(|| bad(self.file, line, format!("unknown shift '{id}'")))
    }

    fn staff(&self, line: usize, id: &str) -> Result<usize, Error> {
        self.staff.get(id).copied().ok_or_else(|| bad(self.file, line, format!("unknown employee '{id}'")))
    }

    fn num(&self, line: usize, what: &str, s: &str) -> Result<u32, Error> {
        s.parse().map_err(|_| bad(self.file, line, format!("{what} '{s}' is not a whole number")))
    }

    /// A day index inside the horizon.
    fn day(&self, line: usize, s: &str) -> Result<usize, Error> {
        let d = self.num(line, "day", s)? as usize;
        if d >= self.horizon {
            return Err(bad(self.file, line, format!("day {d} is outside the horizon of {} days", self.horizon)));
        }
        Ok(d)
    }

    /// A `SECTION_STAFF` line (days off come later).
    fn staff_row(&self, line: usize, f: &[String]) -> Result<Staff, Error> {
        if f.len() != 8 {
            return Err(bad(self.file, line, "expected 8 fields: ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends"));
        }
        // A shift type not listed in MaxShifts is not limited.
        let mut max_shifts = vec![self.horizon as u32; self.n_shifts];
        for part in f[1].split('|').map(str::trim).filter(|s| !s.is_empty()) {
            let (id, n) =
                part.split_once('=').ok_or_else(|| bad(self.file, line, format!("MaxShifts entry '{part}' is not ShiftID=number")))?;
            max_shifts[self.shift(line, id.trim())?] = self.num(line, "MaxShifts", n.trim())?;
        }
        Ok(Staff {
            id: f[0].clone(),
            max_shifts,
            max_minutes: self.num(line, "MaxTotalMinutes", &f[2])?,
            min_minutes: self.num(line, "MinTotalMinutes", &f[3])?,
            max_consecutive: self.num(line, "MaxConsecutiveShifts", &f[4])?,
            min_consecutive: self.num(line, "MinConsecutiveShifts", &f[5])?,
            min_consecutive_off: self.num(line, "MinConsecutiveDaysOff", &f[6])?,
            max_weekends: self.num(line, "MaxWeekends", &f[7])?,
            days_off: Vec::new(),
        })
    }

    /// `SECTION_SHIFT_ON_REQUESTS` or `SECTION_SHIFT_OFF_REQUESTS` lines.
    fn requests(&self, rows: &[Row]) -> Result<Vec<Request>, Error> {
        rows.iter()
            .map(|(line, f)| {
                if f.len() != 4 {
                    return Err(bad(self.file, *line, "expected: EmployeeID, Day, ShiftID, Weight"));
                }
                Ok(Request {
                    staff: self.staff(*line, &f[0])?,
                    day: self.day(*line, &f[1])?,
                    shift: self.shift(*line, &f[2])?,
                    weight: self.num(*line, "weight", &f[3])?,
                })
            })
            .collect()
    }

    /// `SECTION_COVER` lines as `cover[day][shift]` (nobody needed where none is listed).
    fn cover(&self, rows: &[Row]) -> Result<Vec<Vec<Cover>>, Error> {
        let none = Cover { requirement: 0, under: 0, over: 0 };
        let mut cover = vec![vec![none; self.n_shifts]; self.horizon];
        for (line, f) in rows {
            if f.len() != 5 {
                return Err(bad(self.file, *line, "expected: Day, ShiftID, Requirement, weight under, weight over"));
            }
            let d = self.day(*line, &f[0])?;
            let s = self.shift(*line, &f[1])?;
            cover[d][s] = Cover {
                requirement: self.num(*line, "requirement", &f[2])?,
                under: self.num(*line, "under weight", &f[3])?,
                over: self.num(*line, "over weight", &f[4])?,
            };
        }
        Ok(cover)
    }
}

/// The result of solving an instance.
#[derive(Debug, Clone)]
pub struct Solved {
    pub assignment: Assignment,
    /// Objective of `assignment`, as the MIP computed it (rounded).
    pub objective: i64,
    /// Proven lower bound (rounded up).
    pub bound: i64,
    pub status: MipStatus,
    pub seconds: f64,
}

/// Per modelled employee, day and shift type: the variable and its column (None: fixed
/// to 0).
type XVars = Vec<Vec<Vec<Option<(Variable, usize)>>>>;

/// What a model may change on one employee's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Any allowed shift type, or a day off.
    Free,
    /// A day off or this shift type only.
    Only(usize),
    /// As in the base roster.
    Fixed,
}

/// The part of an instance one MIP decides: the rest stays as in `base`. The hard rules
/// are all per employee, so fixing whole employees leaves a smaller instance of the same
/// model (their shifts become constants in the cover terms); fixing days of a modelled
/// employee pins their variables and prunes the runs that would contradict them.
pub struct Scope<'a> {
    /// Employees modelled.
    pub staff: Vec<usize>,
    /// `cells[e][d]` (read for modelled employees only).
    pub cells: Vec<Vec<Cell>>,
    pub base: &'a Assignment,
}

impl<'a> Scope<'a> {
    /// Every employee, every day free: the whole instance.
    pub fn whole(inst: &Instance, base: &'a Assignment) -> Scope<'a> {
        Scope { staff: (0..inst.staff.len()).collect(), cells: vec![vec![Cell::Free; inst.horizon]; inst.staff.len()], base }
    }
}

/// A model being written: variables (with their column numbers), constraints, objective.
struct Builder {
    vars: ProblemVariables,
    columns: usize,
    cons: Vec<Constraint>,
    objective: Expression,
    /// Binaries become continuous in [0, 1]: the LP relaxation.
    relaxed: bool,
}

impl Builder {
    fn var(&mut self, def: good_lp::VariableDefinition) -> (Variable, usize) {
        self.columns += 1;
        (self.vars.add(def), self.columns - 1)
    }

    /// A 0/1 variable (continuous in the relaxation) at least `lo`.
    fn binary(&mut self, lo: f64) -> (Variable, usize) {
        let def = if self.relaxed { variable().min(lo).max(1) } else { variable().binary().min(lo) };
        self.var(def)
    }
}

/// The shift types a cell may take, and the one it must take (a fixed working day).
fn cell_shifts(inst: &Instance, e: usize, d: usize, cell: Cell, base: &Assignment) -> (Vec<usize>, Option<usize>) {
    let st = &inst.staff[e];
    if st.days_off.contains(&d) {
        return (Vec::new(), None);
    }
    let allowed = |s: &usize| st.max_shifts[*s] > 0;
    match cell {
        Cell::Free => ((0..inst.shifts.len()).filter(allowed).collect(), None),
        Cell::Only(s) => ([s].into_iter().filter(allowed).collect(), None),
        Cell::Fixed => match base[e][d] {
            Some(s) => (vec![s], Some(s)),
            None => (Vec::new(), None),
        },
    }
}

/// The exact MIP of a scope.
fn build(inst: &Instance, scope: &Scope, relaxed: bool) -> (Builder, XVars) {
    build_with(inst, scope, relaxed, true)
}

/// [`build`]; without `runs` the run-length rules (the path of work and rest runs: the
/// minimum run lengths, and most of the model's columns) are left out, which relaxes it.
fn build_with(inst: &Instance, scope: &Scope, relaxed: bool, runs: bool) -> (Builder, XVars) {
    let mut b = Builder { vars: ProblemVariables::new(), columns: 0, cons: Vec::new(), objective: Expression::from(0.0), relaxed };
    let ns = inst.shifts.len();
    let mut x: XVars = Vec::with_capacity(scope.staff.len());
    let mut must_work = Vec::with_capacity(scope.staff.len());
    for &e in &scope.staff {
        let mut per_day = Vec::with_capacity(inst.horizon);
        let mut must = Vec::with_capacity(inst.horizon);
        for d in 0..inst.horizon {
            let (allowed, forced) = cell_shifts(inst, e, d, scope.cells[e][d], scope.base);
            must.push(forced.is_some());
            let row = (0..ns)
                .map(|s| {
                    let lo = if forced == Some(s) { 1.0 } else { 0.0 };
                    allowed.contains(&s).then(|| b.binary(lo))
                })
                .collect();
            per_day.push(row);
        }
        x.push(per_day);
        must_work.push(must);
    }
    for (i, &e) in scope.staff.iter().enumerate() {
        staff_rules(inst, e, &x[i], &must_work[i], runs, &mut b);
    }
    requests(inst, scope, &x, &mut b);
    cover(inst, scope, &x, &mut b);
    (b, x)
}

/// Whether employee `e` works on day `d`, as an expression of their variables.
fn work_expr(xe: &[Vec<Option<(Variable, usize)>>], d: usize) -> Expression {
    xe[d].iter().flatten().map(|(v, _)| Expression::from(*v)).sum()
}

/// Every hard rule of one employee.
fn staff_rules(inst: &Instance, e: usize, xe: &[Vec<Option<(Variable, usize)>>], must_work: &[bool], runs: bool, b: &mut Builder) {
    let st = &inst.staff[e];
    let h = inst.horizon;
    let w: Vec<Expression> = (0..h).map(|d| work_expr(xe, d)).collect();
    for (d, wd) in w.iter().enumerate() {
        if xe[d].iter().flatten().count() > 1 {
            b.cons.push(constraint!(wd.clone() <= 1));
        }
    }
    // Forbidden successions.
    for d in 0..h.saturating_sub(1) {
        for (s, sh) in inst.shifts.iter().enumerate() {
            let Some((a, _)) = xe[d][s] else { continue };
            let next: Vec<Variable> = sh.cannot_follow.iter().filter_map(|&t| xe[d + 1][t].map(|(v, _)| v)).collect();
            if !next.is_empty() {
                let next: Expression = next.into_iter().map(Expression::from).sum();
                b.cons.push(constraint!(a + next <= 1));
            }
        }
    }
    // Maximum shifts per type.
    for (s, &max) in st.max_shifts.iter().enumerate() {
        if (max as usize) < h {
            let n: Expression = (0..h).filter_map(|d| xe[d][s].map(|(v, _)| Expression::from(v))).sum();
            b.cons.push(constraint!(n <= max as f64));
        }
    }
    // Total minutes.
    let minutes: Expression =
        (0..h).flat_map(|d| xe[d].iter().enumerate().filter_map(|(s, v)| v.map(|(v, _)| inst.shifts[s].minutes as f64 * v))).sum();
    b.cons.push(constraint!(minutes.clone() <= st.max_minutes as f64));
    b.cons.push(constraint!(minutes >= st.min_minutes as f64));
    // Maximum consecutive shifts: any max+1 consecutive days hold a day off.
    let maxc = st.max_consecutive as usize;
    if maxc < h {
        for d in 0..h - maxc {
            let s: Expression = (d..=d + maxc).map(|j| w[j].clone()).sum();
            b.cons.push(constraint!(s <= maxc as f64));
        }
    }
    if runs {
        run_flow(inst, e, xe, must_work, &w, b);
    }
    max_weekends(inst, e, &w, b);
}

/// Runs of work and rest as a path through the horizon. Boundaries between days are
/// nodes, reached after a work run or after a rest run, and labelled with the weekends
/// worked so far; a work arc is a run of allowed length (a run touching either end of the
/// horizon may be shorter than the minimum) that adds the weekends it touches; a rest arc
/// is a rest run of allowed length; one unit of flow goes from day 0 to day h; a day is
/// worked when a work arc spans it. A far tighter relaxation than the run and weekend
/// rules as separate inequalities: on Instance 4 the root bound goes from 1330 to 1715.7
/// (optimum 1716). Runs that contradict a fixed day are left out.
fn run_flow(inst: &Instance, e: usize, xe: &[Vec<Option<(Variable, usize)>>], must_work: &[bool], w: &[Expression], b: &mut Builder) {
    let st = &inst.staff[e];
    let h = inst.horizon;
    let wks = inst.weekends();
    let wk_layer = (st.max_weekends as usize) < wks.len();
    let wmax = if wk_layer { st.max_weekends as usize } else { 0 };
    let touched = |a: usize, b: usize| wks.iter().filter(|&&(sa, su)| (a..b).contains(&sa) || (a..b).contains(&su)).count();
    let can_work: Vec<bool> = (0..h).map(|d| xe[d].iter().any(|v| v.is_some())).collect();
    let arc_ok = |a: usize, z: usize, work: bool| {
        let len = z - a;
        let edge = a == 0 || z == h;
        // A work run needs every day workable and its neighbours free to rest; a rest run
        // no fixed working day and its neighbours able to work.
        let (body, sides) = if work {
            ((a..z).all(|d| can_work[d]), (a == 0 || !must_work[a - 1]) && (z == h || !must_work[z]))
        } else {
            (!(a..z).any(|d| must_work[d]), (a == 0 || can_work[a - 1]) && (z == h || can_work[z]))
        };
        let length = if work {
            len <= st.max_consecutive as usize && (len >= st.min_consecutive as usize || edge)
        } else {
            len >= st.min_consecutive_off as usize || edge
        };
        body && sides && length
    };
    // (day, reached after work, weekends worked) → (flow in, flow out)
    let mut flow: HashMap<(usize, bool, usize), (Expression, Expression)> = HashMap::new();
    let mut from_start = Expression::from(0.0);
    let mut spans: Vec<Expression> = vec![Expression::from(0.0); h];
    for a in 0..h {
        for z in a + 1..=h {
            for work in [true, false] {
                if !arc_ok(a, z, work) {
                    continue;
                }
                for wk in 0..=wmax {
                    if a == 0 && wk > 0 {
                        continue;
                    }
                    let wk2 = if work && wk_layer { wk + touched(a, z) } else { wk };
                    if wk2 > wmax {
                        continue;
                    }
                    // Binary: branching on runs closes the last gap fastest.
                    let (arc, _) = b.binary(0.0);
                    let zero = || (Expression::from(0.0), Expression::from(0.0));
                    if a == 0 {
                        from_start += arc;
                    } else {
                        flow.entry((a, !work, wk)).or_insert_with(zero).1 += arc;
                    }
                    if z < h {
                        flow.entry((z, work, wk2)).or_insert_with(zero).0 += arc;
                    }
                    if work {
                        for span in &mut spans[a..z] {
                            *span += arc;
                        }
                    }
                }
            }
        }
    }
    b.cons.push(constraint!(from_start == 1));
    for (_, (i, o)) in flow {
        b.cons.push(constraint!(i == o));
    }
    for (d, span) in spans.into_iter().enumerate() {
        b.cons.push(constraint!(span == w[d].clone()));
    }
}

/// Maximum weekends: a weekend is worked when Saturday or Sunday is.
fn max_weekends(inst: &Instance, e: usize, w: &[Expression], b: &mut Builder) {
    let st = &inst.staff[e];
    let weekends = inst.weekends();
    if (st.max_weekends as usize) >= weekends.len() {
        return;
    }
    let mut total = Expression::from(0.0);
    for &(sat, sun) in &weekends {
        let (y, _) = b.var(variable().min(0).max(1));
        b.cons.push(constraint!(y >= w[sat].clone()));
        if sun < inst.horizon {
            b.cons.push(constraint!(y >= w[sun].clone()));
        }
        total += y;
    }
    b.cons.push(constraint!(total <= st.max_weekends as f64));
}

/// Request penalties of the modelled employees (the others' are constants, left out).
fn requests(inst: &Instance, scope: &Scope, x: &XVars, b: &mut Builder) {
    let pos: HashMap<usize, usize> = scope.staff.iter().enumerate().map(|(i, &e)| (e, i)).collect();
    for r in &inst.on_requests {
        let Some(&i) = pos.get(&r.staff) else { continue };
        match x[i][r.day][r.shift] {
            Some((v, _)) => b.objective += r.weight as f64 * (1.0 - v),
            None => b.objective += r.weight as f64,
        }
    }
    for r in &inst.off_requests {
        let Some(&i) = pos.get(&r.staff) else { continue };
        if let Some((v, _)) = x[i][r.day][r.shift] {
            b.objective += r.weight as f64 * v;
        }
    }
}

/// Cover penalties; the employees outside the scope count as their base roster.
fn cover(inst: &Instance, scope: &Scope, x: &XVars, b: &mut Builder) {
    let modelled: Vec<bool> = (0..inst.staff.len()).map(|e| scope.staff.contains(&e)).collect();
    for d in 0..inst.horizon {
        for (s, c) in inst.cover[d].iter().enumerate() {
            let fixed = (0..inst.staff.len()).filter(|&e| !modelled[e] && scope.base[e][d] == Some(s)).count() as f64;
            let vars: Vec<Variable> = x.iter().filter_map(|xe| xe[d][s].map(|(v, _)| v)).collect();
            if vars.is_empty() {
                let n = fixed as i64 - c.requirement as i64;
                b.objective += if n < 0 { (-n * c.under as i64) as f64 } else { (n * c.over as i64) as f64 };
                continue;
            }
            let on: Expression = vars.into_iter().map(Expression::from).sum();
            let (under, _) = b.var(variable().min(0));
            let (over, _) = b.var(variable().min(0));
            b.cons.push(constraint!(on - over + under == c.requirement as f64 - fixed));
            b.objective += c.under as f64 * under + c.over as f64 * over;
        }
    }
}

/// Solves a scope, starting from `start` when given (a roster that keeps every hard rule
/// and agrees with the scope's fixed cells: the solver then always has a solution).
/// Returns the whole roster (the scope's part replaced) and the solver's answer.
pub fn solve_scope(
    inst: &Instance,
    scope: &Scope,
    options: &MipOptions,
    start: Option<&Assignment>,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<(Assignment, mip::MipResult), Error> {
    let (b, x) = build(inst, scope, false);
    let mut opts = options.clone();
    if let Some(start) = start {
        let mut values = Vec::new();
        for (i, &e) in scope.staff.iter().enumerate() {
            for (d, row) in x[i].iter().enumerate() {
                for (s, v) in row.iter().enumerate() {
                    if let Some((_, col)) = v {
                        values.push((*col, (start[e][d] == Some(s)) as u32 as f64));
                    }
                }
            }
        }
        opts.start = Some(values);
    }
    let result = mip::solve(b.vars, b.objective, b.cons, &opts, progress)?;
    let mut roster = scope.base.clone();
    for (i, &e) in scope.staff.iter().enumerate() {
        for (d, row) in x[i].iter().enumerate() {
            roster[e][d] = row.iter().position(|v| v.is_some_and(|(_, col)| result.value(col) > 0.5));
        }
    }
    Ok((roster, result))
}

/// The optimum of the whole model's LP relaxation: a lower bound, usually far sooner than
/// the MIP's first one on a large instance.
pub fn lp_bound(inst: &Instance, options: &MipOptions) -> Result<f64, Error> {
    let empty: Assignment = vec![vec![None; inst.horizon]; inst.staff.len()];
    let (b, _) = build(inst, &Scope::whole(inst, &empty), true);
    let result = mip::solve(b.vars, b.objective, b.cons, options, &mut |_| {})?;
    Ok(if result.status == MipStatus::Optimal { result.objective } else { f64::NEG_INFINITY })
}

/// A lower bound that comes in seconds where the LP relaxation of the whole model does
/// not: the MIP without the run-length rules ([`build_with`]), solved for its dual bound
/// within the options' limits. Leaving constraints out only enlarges the feasible set and
/// every term kept is the exact model's, so the relaxation's optimum, and any bound on
/// it, is at most the instance's optimum. It keeps what the LP loses (integral shifts,
/// one a day, the per-type maxima and minutes per employee, requests), so it is often
/// higher than the LP as well. −∞ when HiGHS proved nothing in time.
/// `progress` sees the bound as it rises.
pub fn quick_bound(inst: &Instance, options: &MipOptions, progress: &mut dyn FnMut(&MipProgress)) -> Result<f64, Error> {
    let empty: Assignment = vec![vec![None; inst.horizon]; inst.staff.len()];
    let (b, _) = build_with(inst, &Scope::whole(inst, &empty), false, false);
    // The objective is integral: a bound rounds up.
    let up = |b: f64| if b.is_finite() { (b - 1e-6).ceil() } else { b };
    let bound = mip::dual_bound(b.vars, b.objective, b.cons, options, &mut |m| progress(&MipProgress { bound: up(m.bound), ..*m }))?;
    Ok(up(bound))
}

/// Solves an instance exactly (to proven optimality unless the time limit or the stop
/// flag ends it first): the whole model in one MIP.
pub fn solve(inst: &Instance, options: &MipOptions, progress: &mut dyn FnMut(&MipProgress)) -> Result<Solved, Error> {
    solve_from(inst, options, None, progress)
}

/// [`solve`], starting from a roster that keeps every hard rule.
pub fn solve_from(
    inst: &Instance,
    options: &MipOptions,
    start: Option<&Assignment>,
    progress: &mut dyn FnMut(&MipProgress),
) -> Result<Solved, Error> {
    let empty: Assignment = vec![vec![None; inst.horizon]; inst.staff.len()];
    let scope = Scope::whole(inst, &empty);
    // The objective is integral: a gap under 1 proves optimality.
    let mut opts = options.clone();
    opts.abs_gap.get_or_insert(0.999);
    opts.rel_gap.get_or_insert(0.0);
    let (assignment, result) = solve_scope(inst, &scope, &opts, start, progress)?;
    Ok(Solved {
        assignment,
        objective: result.objective.round() as i64,
        // Every penalty is non-negative: 0 bounds the optimum at worst.
        bound: (result.bound.max(0.0) - 1e-6).ceil() as i64,
        status: result.status,
        seconds: result.seconds,
    })
}

/// What [`evaluate`] finds: the objective and every hard rule broken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub objective: i64,
    pub request_penalty: i64,
    pub cover_penalty: i64,
    pub violations: Vec<String>,
}

/// Every hard rule employee `e`'s row `days` breaks (the per-employee part of
/// [`evaluate`]).
pub fn employee_violations(inst: &Instance, e: usize, days: &[Option<usize>]) -> Vec<String> {
    let mut v = Vec::new();
    let h = inst.horizon;
    let st = &inst.staff[e];
    let name = &st.id;
    let mut per_type = vec![0u32; inst.shifts.len()];
    let mut minutes = 0u32;
    for (d, a) in days.iter().enumerate() {
        if let Some(s) = *a {
            if s >= inst.shifts.len() {
                v.push(format!("{name} day {d}: no shift type #{s}"));
                continue;
            }
            per_type[s] += 1;
            minutes += inst.shifts[s].minutes;
            if st.days_off.contains(&d) {
                v.push(format!("{name} works on fixed day off {d}"));
            }
            if d + 1 < h {
                if let Some(t) = days[d + 1] {
                    if inst.shifts[s].cannot_follow.contains(&t) {
                        v.push(format!("{name}: {} on day {} may not follow {} on day {d}", inst.shifts[t].id, d + 1, inst.shifts[s].id));
                    }
                }
            }
        }
    }
    for (s, &n) in per_type.iter().enumerate() {
        if n > st.max_shifts[s] {
            v.push(format!("{name}: {n} {} shifts > max {}", inst.shifts[s].id, st.max_shifts[s]));
        }
    }
    if minutes > st.max_minutes || minutes < st.min_minutes {
        v.push(format!("{name}: {minutes} minutes outside [{}, {}]", st.min_minutes, st.max_minutes));
    }
    // Runs of equal working state: (working, start, length).
    let mut runs: Vec<(bool, usize, usize)> = Vec::new();
    for (d, a) in days.iter().enumerate() {
        let working = a.is_some();
        match runs.last_mut() {
            Some((w, _, len)) if *w == working => *len += 1,
            _ => runs.push((working, d, 1)),
        }
    }
    for &(working, start, len) in &runs {
        let touches_edge = start == 0 || start + len == h;
        if working {
            if len > st.max_consecutive as usize {
                v.push(format!("{name}: {len} shifts in a row from day {start} > max {}", st.max_consecutive));
            }
            if !touches_edge && len < st.min_consecutive as usize {
                v.push(format!("{name}: {len} shifts in a row from day {start} < min {}", st.min_consecutive));
            }
        } else if !touches_edge && len < st.min_consecutive_off as usize {
            v.push(format!("{name}: {len} days off in a row from day {start} < min {}", st.min_consecutive_off));
        }
    }
    let mut weekends = 0;
    let mut sat = 5;
    while sat < h {
        if days[sat].is_some() || (sat + 1 < h && days[sat + 1].is_some()) {
            weekends += 1;
        }
        sat += 7;
    }
    if weekends > st.max_weekends {
        v.push(format!("{name}: works {weekends} weekends > max {}", st.max_weekends));
    }
    v
}

/// Scores a roster against an instance from first principles: walks each employee's
/// days to find runs of work and rest, counts minutes, shifts and weekends, then adds
/// request and cover penalties. Shares no code with the MIP.
pub fn evaluate(inst: &Instance, roster: &Assignment) -> Evaluation {
    let mut ev = Evaluation::default();
    let h = inst.horizon;
    if roster.len() != inst.staff.len() || roster.iter().any(|r| r.len() != h) {
        ev.violations.push(format!("roster is not {} employees × {} days", inst.staff.len(), h));
        return ev;
    }
    for (e, days) in roster.iter().enumerate() {
        ev.violations.extend(employee_violations(inst, e, days));
    }
    for r in &inst.on_requests {
        if roster[r.staff][r.day] != Some(r.shift) {
            ev.request_penalty += r.weight as i64;
        }
    }
    for r in &inst.off_requests {
        if roster[r.staff][r.day] == Some(r.shift) {
            ev.request_penalty += r.weight as i64;
        }
    }
    for d in 0..h {
        for (s, c) in inst.cover[d].iter().enumerate() {
            let n = roster.iter().filter(|days| days[d] == Some(s)).count() as i64;
            let req = c.requirement as i64;
            ev.cover_penalty += if n < req { (req - n) * c.under as i64 } else { (n - req) * c.over as i64 };
        }
    }
    ev.objective = ev.request_penalty + ev.cover_penalty;
    ev
}

/// The roster as CSV: a header `employee,day,shift`, then one line per shift worked
/// (day 0-based; days off omitted).
pub fn to_csv(inst: &Instance, roster: &Assignment) -> String {
    let mut out = String::from("employee,day,shift\n");
    for (e, days) in roster.iter().enumerate() {
        for (d, a) in days.iter().enumerate() {
            if let Some(s) = a {
                let _ = writeln!(out, "{},{d},{}", inst.staff[e].id, inst.shifts[*s].id);
            }
        }
    }
    out
}

/// Reads [`to_csv`]'s format back (the header is optional).
pub fn from_csv(inst: &Instance, text: &str) -> Result<Assignment, Error> {
    let mut roster: Assignment = vec![vec![None; inst.horizon]; inst.staff.len()];
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.starts_with("employee")) {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let here = || format!("csv:{}", i + 1);
        if f.len() != 3 {
            return Err(Error::invalid(here(), "expected employee,day,shift"));
        }
        let e =
            inst.staff.iter().position(|s| s.id == f[0]).ok_or_else(|| Error::invalid(here(), format!("unknown employee '{}'", f[0])))?;
        let d: usize = f[1]
            .parse()
            .ok()
            .filter(|&d| d < inst.horizon)
            .ok_or_else(|| Error::invalid(here(), format!("day '{}' outside the horizon", f[1])))?;
        let s = inst.shifts.iter().position(|s| s.id == f[2]).ok_or_else(|| Error::invalid(here(), format!("unknown shift '{}'", f[2])))?;
        if roster[e][d].is_some() {
            return Err(Error::invalid(here(), format!("{} has two shifts on day {d}", f[0])));
        }
        roster[e][d] = Some(s);
    }
    Ok(roster)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "SECTION_HORIZON\n7\nSECTION_SHIFTS\nD,480,\nN,480,D\nSECTION_STAFF\nA,D=7|N=7,2400,960,5,2,2,1\nB,D=7|N=0,2400,960,5,1,1,1\nSECTION_DAYS_OFF\nA,3\nSECTION_SHIFT_ON_REQUESTS\nB,0,D,2\nSECTION_SHIFT_OFF_REQUESTS\nA,1,D,1\nSECTION_COVER\n0,D,1,100,1\n1,D,1,100,1\n2,N,1,100,1\n";

    #[test]
    fn parses_and_reports_lines() {
        let inst = Instance::parse(TINY, "tiny").unwrap();
        assert_eq!(inst.horizon, 7);
        assert_eq!(inst.shifts[1].cannot_follow, vec![0]);
        assert_eq!(inst.staff[1].max_shifts, vec![7, 0]);
        assert_eq!(inst.staff[0].days_off, vec![3]);
        assert_eq!(inst.cover[2][1].requirement, 1);
        let err = Instance::parse("SECTION_HORIZON\nx\n", "f.txt").unwrap_err().to_string();
        assert!(err.starts_with("f.txt:2"), "{err}");
    }

    #[test]
    fn evaluator_finds_broken_rules() {
        let inst = Instance::parse(TINY, "tiny").unwrap();
        // A works N on day 2 then D on day 3 (forbidden, and a fixed day off).
        let mut r: Assignment = vec![vec![None; 7]; 2];
        r[0][2] = Some(1);
        r[0][3] = Some(0);
        let ev = evaluate(&inst, &r);
        assert!(ev.violations.iter().any(|v| v.contains("may not follow")), "{:?}", ev.violations);
        assert!(ev.violations.iter().any(|v| v.contains("fixed day off")));
        // B is under their minimum minutes.
        assert!(ev.violations.iter().any(|v| v.starts_with("B:") && v.contains("minutes")));
    }

    #[test]
    fn solves_tiny_and_agrees_with_evaluator() {
        let inst = Instance::parse(TINY, "tiny").unwrap();
        let solved = solve(&inst, &MipOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(solved.status, MipStatus::Optimal);
        let ev = evaluate(&inst, &solved.assignment);
        assert!(ev.violations.is_empty(), "{:?}", ev.violations);
        assert_eq!(ev.objective, solved.objective);
        let back = from_csv(&inst, &to_csv(&inst, &solved.assignment)).unwrap();
        assert_eq!(back, solved.assignment);
    }

    /// The public Instances 1–4 and their proven optima.
    const PUBLIC: [(u32, i64); 4] = [(1, 607), (2, 828), (3, 1001), (4, 1716)];

    #[test]
    fn the_quick_bound_never_exceeds_a_known_optimum() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/shift-benchmark");
        let options = MipOptions { time_limit: Some(3.0), threads: Some(1), ..Default::default() };
        for (n, optimum) in PUBLIC {
            let inst = Instance::read(&dir.join(format!("Instance{n}.txt"))).unwrap();
            let b = quick_bound(&inst, &options, &mut |_| {}).unwrap();
            eprintln!("Instance {n}: quick bound {b}, optimum {optimum}");
            // Proven within the limit, above the trivial 0, never above the optimum.
            assert!(b > 0.0 && b <= optimum as f64, "Instance {n}: bound {b}, optimum {optimum}");
        }
    }

    #[test]
    fn the_quick_bound_stays_under_generated_optima_and_every_roster() {
        use crate::roster::generate::{generate, GenerateOptions};
        for seed in 1..=3 {
            let inst = generate(&GenerateOptions { staff: 8, shifts: 2, days: 14, seed }).unwrap();
            let exact = solve(&inst, &MipOptions::default(), &mut |_| {}).unwrap();
            assert_eq!(exact.status, MipStatus::Optimal, "seed {seed}");
            let b = quick_bound(&inst, &MipOptions { time_limit: Some(3.0), ..Default::default() }, &mut |_| {}).unwrap();
            eprintln!("generated seed {seed}: quick bound {b}, optimum {}", exact.objective);
            assert!(b.is_finite() && b <= exact.objective as f64, "seed {seed}: bound {b}, optimum {}", exact.objective);
            let built = crate::roster::construct::initial(&inst, None).unwrap();
            assert!(b <= evaluate(&inst, &built).objective as f64, "seed {seed}: above the built roster");
        }
    }

    #[test]
    fn a_scope_with_every_cell_fixed_gives_back_its_base() {
        let inst = Instance::parse(TINY, "tiny").unwrap();
        let solved = solve(&inst, &MipOptions::default(), &mut |_| {}).unwrap();
        let scope = Scope { staff: vec![0, 1], cells: vec![vec![Cell::Fixed; 7]; 2], base: &solved.assignment };
        let (roster, _) = solve_scope(&inst, &scope, &MipOptions::default(), None, &mut |_| {}).unwrap();
        assert_eq!(roster, solved.assignment);
    }

    #[test]
    fn a_scope_of_one_employee_counts_the_others_in_the_cover() {
        let inst = Instance::parse(TINY, "tiny").unwrap();
        let solved = solve(&inst, &MipOptions::default(), &mut |_| {}).unwrap();
        // Re-deciding A alone, with B as in the optimum, finds the optimum again.
        let mut cells = vec![vec![Cell::Fixed; 7]; 2];
        cells[0] = vec![Cell::Free; 7];
        let scope = Scope { staff: vec![0], cells, base: &solved.assignment };
        let (roster, _) = solve_scope(&inst, &scope, &MipOptions::default(), None, &mut |_| {}).unwrap();
        assert_eq!(roster[1], solved.assignment[1]);
        assert_eq!(evaluate(&inst, &roster).objective, solved.objective);
    }
}
