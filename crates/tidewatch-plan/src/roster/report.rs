//! The figures a patrol leader reads about a roster: coverage (per island, per skill,
//! ordinary vs peak days), under- and over-coverage in officer-hours, overtime, fairness
//! spreads, how staggered or stacked the shifts are, requests honoured, and the gap to the
//! solver's bound. Computed from the roster file alone.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::{Assignment, IslandDemand, RequestKind, Roster, RosterOfficer, SolveInfo};
use tidewatch_core::ids::{IslandId, OfficerId};
use tidewatch_core::region::DayType;
use tidewatch_core::Error;

/// Coverage over a set of hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct Coverage {
    pub hours: u32,
    /// Officer-hours needed: traffic-capable, station-capable, in all.
    pub need_traffic: u32,
    pub need_station: u32,
    pub need_total: u32,
    /// Of those, met.
    pub met_traffic: u32,
    pub met_station: u32,
    pub traffic_pct: f64,
    pub station_pct: f64,
    /// 100 × (1 − under-coverage / need in all).
    pub coverage_pct: f64,
    /// Officer-hours missing: per hour, the fewest extra officers of the right skills.
    pub under_hours: u32,
    /// Officer-hours on duty above the need.
    pub over_hours: u32,
    pub on_duty_hours: u32,
    /// Hours with a minimum-presence floor, and those where it was not met.
    pub floor_hours: u32,
    pub floor_short_hours: u32,
}

impl Coverage {
    fn finish(&mut self) {
        let pct = |met: u32, need: u32| {
            if need == 0 {
                100.0
            } else {
                100.0 * met as f64 / need as f64
            }
        };
        self.traffic_pct = pct(self.met_traffic, self.need_traffic);
        self.station_pct = pct(self.met_station, self.need_station);
        self.coverage_pct = if self.need_total == 0 { 100.0 } else { 100.0 * (1.0 - self.under_hours as f64 / self.need_total as f64) };
    }
}

/// How shifts sit in the day: staggered (many starts, few on at once) or stacked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct Shape {
    pub days: u32,
    /// Mean number of distinct start hours per day (days with shifts).
    pub distinct_starts: f64,
    /// Mean of the day's largest number of officers on duty at once.
    pub peak_on_duty: f64,
    /// Mean officer-hours on duty per day.
    pub officer_hours: f64,
    /// Mean hours per day with two or more shifts overlapping.
    pub overlap_hours: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct Fairness {
    pub officers: usize,
    /// Hours worked, normalised to a 40-hour contract: min, max, spread.
    pub hours_min: f64,
    pub hours_max: f64,
    pub hours_spread: f64,
    pub nights_spread: u32,
    pub holiday_shifts_spread: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct IslandReport {
    pub island: IslandId,
    pub name: String,
    pub outlying: bool,
    pub officers: usize,
    pub all: Coverage,
    pub ordinary: Coverage,
    pub peak: Coverage,
    pub ordinary_shape: Shape,
    pub peak_shape: Shape,
    pub fairness: Fairness,
    /// Shifts worked here by officers of other islands (peak step).
    pub borrowed_shifts: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct OfficerReport {
    pub officer: OfficerId,
    pub name: String,
    pub home_island: IslandId,
    pub shifts: u32,
    pub hours: f64,
    /// Contract hours over the period.
    pub contract_hours: f64,
    pub overtime_hours: f64,
    pub nights: u32,
    pub holiday_shifts: u32,
    pub lent_shifts: u32,
    pub requests: u32,
    pub requests_honoured: u32,
}

/// One part of the solve: its objective, the solver's bound and the gap between them.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PartFigure {
    pub part: String,
    pub status: Option<super::mip::MipStatus>,
    pub objective: f64,
    pub bound: f64,
    pub gap_pct: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(rename = "RosterReport")]
pub struct Report {
    pub region: String,
    pub from: chrono::NaiveDate,
    pub days: u32,
    pub peak_days: u32,
    pub officers: usize,
    pub shifts: usize,
    pub all: Coverage,
    pub ordinary: Coverage,
    pub peak: Coverage,
    pub overtime_hours: f64,
    pub requests: u32,
    pub requests_honoured: u32,
    pub islands: Vec<IslandReport>,
    pub officer_figures: Vec<OfficerReport>,
    /// Solver status, objective and the largest gap of a part to the solver's bound
    /// (absent for a hand-made roster); every part's figures in `solve_parts`.
    pub solver_status: Option<super::mip::MipStatus>,
    pub objective: Option<f64>,
    pub gap_pct: Option<f64>,
    pub gap_part: Option<String>,
    pub solve_seconds: Option<f64>,
    pub solve_parts: Vec<PartFigure>,
}

/// Start instants of every hour of the period, plus the end.
fn slot_times(roster: &Roster) -> Result<Vec<DateTime<Utc>>, Error> {
    let tz = roster.tz()?;
    Ok((0..=roster.period.hours()).map(|s| roster.period.utc(tz, s)).collect())
}

/// The hours `[a, b)` of the period an assignment covers.
fn slot_range(times: &[DateTime<Utc>], a: &Assignment) -> std::ops::Range<usize> {
    let n = times.len() - 1;
    let first = times.partition_point(|t| *t < a.start).min(n);
    let last = times.partition_point(|t| *t < a.end).min(n);
    first..last
}

fn is_night(roster: &Roster, a: &Assignment) -> bool {
    roster.templates.iter().any(|t| t.id == a.template && t.is_night())
}

pub fn report(roster: &Roster) -> Result<Report, Error> {
    let times = slot_times(roster)?;
    let peak_day: Vec<bool> = (0..roster.period.days as usize).map(|d| roster.days.get(d).is_some_and(|x| x.peak)).collect();
    let holiday: Vec<bool> =
        (0..roster.period.days as usize).map(|d| roster.days.get(d).is_some_and(|x| x.day_type == DayType::Holiday)).collect();
    let officers: HashMap<&OfficerId, usize> = roster.officers.iter().enumerate().map(|(i, o)| (&o.id, i)).collect();

    let mut totals = [Coverage::default(), Coverage::default(), Coverage::default()];
    let mut islands = Vec::new();
    for dem in &roster.demand {
        islands.push(island_report(roster, dem, &times, &officers, &peak_day, &mut totals));
    }
    for c in &mut totals {
        c.finish();
    }
    let figures: Vec<OfficerReport> = roster.officers.iter().map(|o| officer_report(roster, o, &holiday)).collect();
    for isl in &mut islands {
        if let Some(fairness) = fairness(roster, &figures, &isl.island) {
            isl.fairness = fairness;
        }
    }
    let solve = roster.solve.as_ref();
    let [all, ordinary, peak] = totals;
    Ok(Report {
        region: roster.region.clone(),
        from: roster.period.from,
        days: roster.period.days,
        peak_days: peak_day.iter().filter(|&&p| p).count() as u32,
        officers: roster.officers.len(),
        shifts: roster.assignments.len(),
        all,
        ordinary,
        peak,
        overtime_hours: figures.iter().map(|f| f.overtime_hours).sum(),
        requests: figures.iter().map(|f| f.requests).sum(),
        requests_honoured: figures.iter().map(|f| f.requests_honoured).sum(),
        islands,
        officer_figures: figures,
        solver_status: solve.map(|s| s.status),
        objective: solve.map(|s| s.objective),
        gap_pct: solve.map(|s| 100.0 * s.gap),
        gap_part: solve.and_then(|s| s.gap_part.clone()),
        solve_seconds: solve.map(|s| s.seconds),
        solve_parts: solve.map(part_figures).unwrap_or_default(),
    })
}

/// Who is on duty on one island, hour by hour, and its shifts by day.
struct OnDuty<'r> {
    /// Per hour: traffic-capable, station-capable, all on duty.
    on: Vec<(u32, u32, u32)>,
    shifts_by_day: Vec<Vec<&'r Assignment>>,
    /// Shifts worked there by officers of other islands.
    borrowed: u32,
}

fn on_duty<'r>(roster: &'r Roster, dem: &IslandDemand, times: &[DateTime<Utc>], officers: &HashMap<&OfficerId, usize>) -> OnDuty<'r> {
    let mut on = vec![(0u32, 0u32, 0u32); times.len() - 1];
    let mut shifts_by_day: Vec<Vec<&Assignment>> = vec![Vec::new(); roster.period.days as usize];
    let mut borrowed = 0;
    for a in roster.assignments.iter().filter(|a| a.island == dem.island) {
        let Some(&o) = officers.get(&a.officer) else {
            continue;
        };
        let off = &roster.officers[o];
        if off.home_island != dem.island {
            borrowed += 1;
        }
        for s in slot_range(times, a) {
            on[s].0 += off.skills.traffic() as u32;
            on[s].1 += off.skills.station() as u32;
            on[s].2 += 1;
        }
        if let Some(d) = shifts_by_day.get_mut(a.day as usize) {
            d.push(a);
        }
    }
    OnDuty { on, shifts_by_day, borrowed }
}

/// One island's figures; its coverage (all, ordinary, peak days) is also added to `totals`.
fn island_report(
    roster: &Roster,
    dem: &IslandDemand,
    times: &[DateTime<Utc>],
    officers: &HashMap<&OfficerId, usize>,
    peak_day: &[bool],
    totals: &mut [Coverage; 3],
) -> IslandReport {
    let duty = on_duty(roster, dem, times, officers);
    let mut cov = coverage(dem, &duty.on, peak_day);
    for (c, total) in cov.iter_mut().zip(totals.iter_mut()) {
        add(total, c);
        c.finish();
    }
    let [c_all, c_ord, c_peak] = cov;
    IslandReport {
        island: dem.island.clone(),
        name: dem.name.clone(),
        outlying: dem.outlying,
        officers: roster.officers.iter().filter(|o| o.home_island == dem.island).count(),
        all: c_all,
        ordinary: c_ord,
        peak: c_peak,
        ordinary_shape: shape(&duty, peak_day, false),
        peak_shape: shape(&duty, peak_day, true),
        fairness: Fairness::default(),
        borrowed_shifts: duty.borrowed,
    }
}

/// An island's coverage, not yet finished: over all days, ordinary days and peak days.
#[allow(clippy::needless_range_loop)] // hour indexes across several per-hour arrays
fn coverage(dem: &IslandDemand, on: &[(u32, u32, u32)], peak_day: &[bool]) -> [Coverage; 3] {
    let mut cov = [Coverage::default(), Coverage::default(), Coverage::default()];
    for s in 0..on.len().min(dem.hours.len()) {
        let n = dem.hours[s].need;
        let (t, st, tot) = on[s];
        let d = s / 24;
        for (k, c) in cov.iter_mut().enumerate() {
            if (k == 1 && peak_day[d]) || (k == 2 && !peak_day[d]) {
                continue;
            }
            c.hours += 1;
            c.need_traffic += n.traffic;
            c.need_station += n.station;
            c.need_total += n.total;
            c.met_traffic += t.min(n.traffic);
            c.met_station += st.min(n.station);
            c.under_hours += n.traffic.saturating_sub(t).max(n.station.saturating_sub(st)).max(n.total.saturating_sub(tot));
            c.over_hours += tot.saturating_sub(n.total);
            c.on_duty_hours += tot;
            if n.floor_traffic + n.floor_station > 0 {
                c.floor_hours += 1;
                if t < n.floor_traffic || st < n.floor_station {
                    c.floor_short_hours += 1;
                }
            }
        }
    }
    cov
}

/// How an island's shifts sit in the day, on peak days or on ordinary days.
fn shape(duty: &OnDuty, peak_day: &[bool], want_peak: bool) -> Shape {
    let (on, nh) = (&duty.on, duty.on.len());
    let mut sh = Shape::default();
    for (d, shifts) in duty.shifts_by_day.iter().enumerate() {
        if peak_day[d] != want_peak {
            continue;
        }
        sh.days += 1;
        let mut starts: Vec<DateTime<Utc>> = shifts.iter().map(|a| a.start).collect();
        starts.sort();
        starts.dedup();
        sh.distinct_starts += starts.len() as f64;
        let day_slots = 24 * d..(24 * d + 24).min(nh);
        sh.peak_on_duty += day_slots.clone().map(|s| on[s].2).max().unwrap_or(0) as f64;
        sh.officer_hours += day_slots.clone().map(|s| on[s].2 as f64).sum::<f64>();
        sh.overlap_hours += day_slots.filter(|&s| on[s].2 >= 2).count() as f64;
    }
    if sh.days > 0 {
        let n = sh.days as f64;
        sh.distinct_starts /= n;
        sh.peak_on_duty /= n;
        sh.officer_hours /= n;
        sh.overlap_hours /= n;
    }
    sh
}

/// One officer's figures: shifts, hours, overtime by week, nights, holidays, requests.
fn officer_report(roster: &Roster, o: &RosterOfficer, holiday: &[bool]) -> OfficerReport {
    let mine: Vec<&Assignment> = roster.assignments.iter().filter(|a| a.officer == o.id).collect();
    let hours: f64 = mine.iter().map(|a| a.hours()).sum::<f64>() + 0.0;
    let mut overtime = 0.0;
    for (start, len) in roster.period.weeks() {
        let h: f64 = mine.iter().filter(|a| (start..start + len).contains(&a.day)).map(|a| a.hours()).sum();
        overtime += (h - o.contract_hours_per_week as f64 * len as f64 / 7.0).max(0.0);
    }
    let mut honoured = 0;
    for r in &o.requests {
        let worked = mine.iter().any(|a| roster.period.date(a.day) == r.date && r.template.as_deref().is_none_or(|t| t == a.template));
        if worked == (r.kind == RequestKind::On) {
            honoured += 1;
        }
    }
    OfficerReport {
        officer: o.id.clone(),
        name: o.name.clone(),
        home_island: o.home_island.clone(),
        shifts: mine.len() as u32,
        hours,
        contract_hours: o.contract_hours_per_week as f64 * roster.period.days as f64 / 7.0,
        overtime_hours: overtime,
        nights: mine.iter().filter(|a| is_night(roster, a)).count() as u32,
        holiday_shifts: mine.iter().filter(|a| holiday.get(a.day as usize) == Some(&true)).count() as u32,
        lent_shifts: mine.iter().filter(|a| a.island != o.home_island).count() as u32,
        requests: o.requests.len() as u32,
        requests_honoured: honoured,
    }
}

/// Spreads among the officers whose home is `island` (none when it has none).
fn fairness(roster: &Roster, figures: &[OfficerReport], island: &IslandId) -> Option<Fairness> {
    let mine: Vec<(&OfficerReport, f64)> = figures
        .iter()
        .zip(&roster.officers)
        .filter(|(_, o)| &o.home_island == island)
        .map(|(f, o)| (f, f.hours * 40.0 / o.contract_hours_per_week.max(1) as f64))
        .collect();
    if mine.is_empty() {
        return None;
    }
    let hmin = mine.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
    let hmax = mine.iter().map(|x| x.1).fold(f64::NEG_INFINITY, f64::max);
    let spread = |f: &dyn Fn(&OfficerReport) -> u32| {
        let v: Vec<u32> = mine.iter().map(|x| f(x.0)).collect();
        v.iter().max().unwrap_or(&0) - v.iter().min().unwrap_or(&0)
    };
    Some(Fairness {
        officers: mine.len(),
        hours_min: hmin,
        hours_max: hmax,
        hours_spread: hmax - hmin,
        nights_spread: spread(&|f| f.nights),
        holiday_shifts_spread: spread(&|f| f.holiday_shifts),
    })
}

/// Each part of the solve's figures.
fn part_figures(solve: &SolveInfo) -> Vec<PartFigure> {
    solve
        .parts
        .iter()
        .map(|p| PartFigure {
            part: p.part.clone(),
            status: p.status,
            objective: p.objective,
            bound: p.bound,
            gap_pct: 100.0 * p.gap(),
            seconds: p.seconds,
        })
        .collect()
}

fn add(total: &mut Coverage, c: &Coverage) {
    total.hours += c.hours;
    total.need_traffic += c.need_traffic;
    total.need_station += c.need_station;
    total.need_total += c.need_total;
    total.met_traffic += c.met_traffic;
    total.met_station += c.met_station;
    total.under_hours += c.under_hours;
    total.over_hours += c.over_hours;
    total.on_duty_hours += c.on_duty_hours;
    total.floor_hours += c.floor_hours;
    total.floor_short_hours += c.floor_short_hours;
}

impl Report {
    /// A plain-text summary for the terminal.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let cov = |c: &Coverage| {
            format!(
                "{:5.1}% (traffic {:5.1}%, station {:5.1}%)  under {:4} h  over {:5} h  floor short {} of {} h",
                c.coverage_pct, c.traffic_pct, c.station_pct, c.under_hours, c.over_hours, c.floor_short_hours, c.floor_hours
            )
        };
        let _ = writeln!(
            s,
            "{} roster from {}, {} days ({} peak), {} officers, {} shifts",
            self.region, self.from, self.days, self.peak_days, self.officers, self.shifts
        );
        let _ = writeln!(s, "coverage  all       {}", cov(&self.all));
        let _ = writeln!(s, "          ordinary  {}", cov(&self.ordinary));
        let _ = writeln!(s, "          peak      {}", cov(&self.peak));
        let _ = writeln!(s, "overtime {:.0} h   requests honoured {}/{}", self.overtime_hours, self.requests_honoured, self.requests);
        if let (Some(st), Some(o), Some(g), Some(t)) = (self.solver_status, self.objective, self.gap_pct, self.solve_seconds) {
            let _ = writeln!(
                s,
                "solver {st:?}: objective {o:.1}, largest gap to the bound {g:.2}% ({}), {t:.1} s",
                self.gap_part.as_deref().unwrap_or("-")
            );
            for p in &self.solve_parts {
                let status = p.status.map_or("greedy / nothing to decide".to_string(), |x| format!("{x:?}"));
                let _ = writeln!(
                    s,
                    "  {:22} {:>12.1} bound {:>12.1} gap {:6.2}%  {:5.1} s  {status}",
                    p.part, p.objective, p.bound, p.gap_pct, p.seconds
                );
            }
        }
        for i in &self.islands {
            let _ = writeln!(
                s,
                "\n{} ({}{}), {} officers{}",
                i.name,
                i.island,
                if i.outlying { ", outlying" } else { "" },
                i.officers,
                if i.borrowed_shifts > 0 { format!(", {} shifts by officers of other islands", i.borrowed_shifts) } else { String::new() }
            );
            let _ = writeln!(s, "  ordinary {}", cov(&i.ordinary));
            if i.peak.hours > 0 {
                let _ = writeln!(s, "  peak     {}", cov(&i.peak));
            }
            for (label, sh) in [("ordinary", &i.ordinary_shape), ("peak", &i.peak_shape)] {
                if sh.days > 0 {
                    let _ = writeln!(
                        s,
                        "  {label:8} days: {:.1} start times/day, at most {:.1} on at once, {:.1} officer-h/day, {:.1} h/day with overlap",
                        sh.distinct_starts, sh.peak_on_duty, sh.officer_hours, sh.overlap_hours
                    );
                }
            }
            let f = &i.fairness;
            let _ = writeln!(
                s,
                "  fairness: hours {:.0}–{:.0} (spread {:.0}), nights spread {}, holiday shifts spread {}",
                f.hours_min, f.hours_max, f.hours_spread, f.nights_spread, f.holiday_shifts_spread
            );
        }
        s
    }
}

/// One hour of one island as a timeline shows it: who is on duty against the need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct HourCover {
    pub on_traffic: u32,
    pub on_station: u32,
    pub on_total: u32,
    pub need: super::model::HourNeed,
    /// The fewest extra officers of the right skills that would meet the need.
    pub under: u32,
    pub floor_short: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct IslandHours {
    pub island: IslandId,
    pub name: String,
    /// One per hour of the period.
    pub hours: Vec<HourCover>,
}

/// Per island and hour: officers on duty against the need (the report's sums, hour by hour).
pub fn hourly(roster: &Roster) -> Result<Vec<IslandHours>, Error> {
    let times = slot_times(roster)?;
    let nh = times.len() - 1;
    let officers: HashMap<&OfficerId, usize> = roster.officers.iter().enumerate().map(|(i, o)| (&o.id, i)).collect();
    let mut out = Vec::new();
    for dem in &roster.demand {
        let mut hours = vec![HourCover::default(); nh];
        for a in roster.assignments.iter().filter(|a| a.island == dem.island) {
            let Some(&o) = officers.get(&a.officer) else {
                continue;
            };
            let skills = roster.officers[o].skills;
            for s in slot_range(&times, a) {
                hours[s].on_traffic += skills.traffic() as u32;
                hours[s].on_station += skills.station() as u32;
                hours[s].on_total += 1;
            }
        }
        for (h, d) in hours.iter_mut().zip(&dem.hours) {
            let n = d.need;
            h.need = n;
            h.under =
                n.traffic.saturating_sub(h.on_traffic).max(n.station.saturating_sub(h.on_station)).max(n.total.saturating_sub(h.on_total));
            h.floor_short = n.floor_traffic + n.floor_station > 0 && (h.on_traffic < n.floor_traffic || h.on_station < n.floor_station);
        }
        out.push(IslandHours { island: dem.island.clone(), name: dem.name.clone(), hours });
    }
    Ok(out)
}
