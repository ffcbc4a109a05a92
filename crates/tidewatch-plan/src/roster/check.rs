//! Re-verifies every hard rule of a published roster, from the roster file alone.
//!
//! Deliberately shares nothing with the solver: it works on the shifts' real start and
//! end instants in the roster's time zone (not on day indexes or template arithmetic),
//! sorts each officer's shifts and walks them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use super::model::{Assignment, LabourRules, Roster, RosterOfficer};
use tidewatch_core::ids::OfficerId;
use tidewatch_core::Error;

/// A hard rule broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Violation {
    pub officer: Option<OfficerId>,
    /// `file`, `officer`, `island`, `template`, `period`, `day_off`, `hours_per_day`,
    /// `one_shift_a_day`, `rest`, `hours_per_week`, `days_off_per_week`,
    /// `consecutive_days`, `weekends_off`.
    pub rule: &'static str,
    pub message: String,
}

fn v(officer: Option<&OfficerId>, rule: &'static str, message: String) -> Violation {
    Violation { officer: officer.cloned(), rule, message }
}

/// Every hard rule broken in `roster` (empty: the roster is valid).
pub fn check(roster: &Roster) -> Vec<Violation> {
    let mut out = Vec::new();
    let checker = match Checker::new(roster) {
        Ok(checker) => checker,
        Err(e) => return vec![v(None, "file", e.to_string())],
    };
    let mut by_officer: BTreeMap<&OfficerId, Vec<&Assignment>> = BTreeMap::new();
    for a in &roster.assignments {
        by_officer.entry(&a.officer).or_default().push(a);
    }
    let known: HashMap<&OfficerId, _> = roster.officers.iter().map(|o| (&o.id, o)).collect();

    for (id, mut shifts) in by_officer {
        let Some(officer) = known.get(id) else {
            out.push(v(Some(id), "officer", format!("{id} is not an officer of this roster")));
            continue;
        };
        shifts.sort_by_key(|a| a.start);
        let per_date = checker.shifts(officer, &shifts, &mut out);
        checker.days(id, &per_date, &mut out);
        checker.rest(id, &shifts, &mut out);
        checker.weeks(id, &per_date, &mut out);
        checker.consecutive_days(id, &per_date, &mut out);
        checker.weekends(id, &per_date, &mut out);
    }
    out
}

/// An officer's shifts by local start date: how many start that day, and their hours.
type PerDate = BTreeMap<NaiveDate, (u32, f64)>;

/// What the rules are checked against: the roster's time zone, period, islands and
/// templates.
struct Checker<'r> {
    tz: Tz,
    rules: &'r LabourRules,
    first: NaiveDate,
    last: NaiveDate,
    islands: BTreeSet<&'r str>,
    /// Template id: (local start hour, hours).
    templates: HashMap<&'r str, (u32, u32)>,
}

impl<'r> Checker<'r> {
    fn new(roster: &'r Roster) -> Result<Checker<'r>, Error> {
        let tz = roster.tz()?;
        let first = roster.period.from;
        let last = first + Duration::days(roster.period.days as i64 - 1);
        let islands = roster.demand.iter().map(|d| d.island.as_str()).collect();
        let templates = roster.templates.iter().map(|t| (t.id.as_str(), (t.start_hour, t.hours))).collect();
        Ok(Checker { tz, rules: &roster.rules, first, last, islands, templates })
    }

    /// Each shift on its own (length, island, template, period, days off); returns the
    /// officer's shifts by local start date.
    fn shifts(&self, officer: &RosterOfficer, shifts: &[&Assignment], out: &mut Vec<Violation>) -> PerDate {
        let id = &officer.id;
        let mut per_date = PerDate::new();
        for a in shifts {
            let date = a.start.with_timezone(&self.tz).date_naive();
            let hours = (a.end - a.start).num_minutes() as f64 / 60.0;
            let what = format!("{id} {} {}", date, a.template);
            if hours <= 0.0 {
                out.push(v(Some(id), "template", format!("{what}: ends before it starts")));
            }
            if !self.islands.contains(a.island.as_str()) {
                out.push(v(Some(id), "island", format!("{what}: island '{}' is not in the roster", a.island)));
            }
            self.template(id, a, &what, out);
            if date < self.first || date > self.last {
                out.push(v(Some(id), "period", format!("{what}: starts outside the period")));
            }
            if officer.days_off.contains(&date) {
                out.push(v(Some(id), "day_off", format!("{what}: on a fixed day off")));
            }
            let e = per_date.entry(date).or_default();
            e.0 += 1;
            e.1 += hours;
        }
        per_date
    }

    /// The shift is a known template, at its local start hour and of its local length.
    fn template(&self, id: &OfficerId, a: &Assignment, what: &str, out: &mut Vec<Violation>) {
        use chrono::Timelike;
        let Some(&(h0, len)) = self.templates.get(a.template.as_str()) else {
            out.push(v(Some(id), "template", format!("{what}: unknown template")));
            return;
        };
        let (start, end) = (a.start.with_timezone(&self.tz), a.end.with_timezone(&self.tz));
        let local_len = (end.naive_local() - start.naive_local()).num_minutes();
        if start.hour() != h0 || start.minute() != 0 || local_len != len as i64 * 60 {
            let (from, to) = (start.format("%H:%M"), end.format("%H:%M"));
            let message = format!("{what}: {from}–{to} is not template {} ({h0:02}:00, {len} h)", a.template);
            out.push(v(Some(id), "template", message));
        }
    }

    /// One shift a day, and no more hours a day than the maximum.
    fn days(&self, id: &OfficerId, per_date: &PerDate, out: &mut Vec<Violation>) {
        for (date, &(n, hours)) in per_date {
            if n > 1 {
                out.push(v(Some(id), "one_shift_a_day", format!("{id} {date}: {n} shifts start")));
            }
            if hours > self.rules.max_hours_per_day as f64 + 1e-9 {
                out.push(v(Some(id), "hours_per_day", format!("{id} {date}: {hours} h > {} h", self.rules.max_hours_per_day)));
            }
        }
    }

    /// Rest (and overlap) between consecutive shifts (`shifts` sorted by start).
    fn rest(&self, id: &OfficerId, shifts: &[&Assignment], out: &mut Vec<Violation>) {
        let rules = self.rules;
        for pair in shifts.windows(2) {
            let rest = (pair[1].start - pair[0].end).num_minutes();
            if rest < rules.min_rest_hours as i64 * 60 {
                out.push(v(
                    Some(id),
                    "rest",
                    format!(
                        "{id}: {:.1} h between the shift ending {} and the next starting {} (min {} h)",
                        rest as f64 / 60.0,
                        pair[0].end.with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
                        pair[1].start.with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
                        rules.min_rest_hours
                    ),
                ));
            }
        }
    }

    /// Hours and days off in each 7-day block from the first day (the last may be shorter).
    fn weeks(&self, id: &OfficerId, per_date: &PerDate, out: &mut Vec<Violation>) {
        let rules = self.rules;
        let mut week_start = self.first;
        while week_start <= self.last {
            let week_end = (week_start + Duration::days(6)).min(self.last);
            let len = (week_end - week_start).num_days() as u32 + 1;
            let in_week = per_date.range(week_start..=week_end);
            let (worked, hours) = in_week.fold((0u32, 0.0), |(n, h), (_, &(_, hh))| (n + 1, h + hh));
            if hours > rules.max_hours_per_week as f64 + 1e-9 {
                out.push(v(
                    Some(id),
                    "hours_per_week",
                    format!("{id}: {hours} h in the week from {week_start} > {} h", rules.max_hours_per_week),
                ));
            }
            let off_needed = rules.min_days_off_per_week * len / 7;
            if len - worked.min(len) < off_needed {
                out.push(v(
                    Some(id),
                    "days_off_per_week",
                    format!("{id}: {} days off in the {len} days from {week_start} < {off_needed}", len - worked.min(len)),
                ));
            }
            week_start += Duration::days(7);
        }
    }

    /// The longest run of consecutive working dates (once per run that grows too long).
    fn consecutive_days(&self, id: &OfficerId, per_date: &PerDate, out: &mut Vec<Violation>) {
        let max = self.rules.max_consecutive_days;
        let mut run = 0u32;
        let mut prev: Option<NaiveDate> = None;
        for date in per_date.keys() {
            run = if prev.is_some_and(|p| p.succ_opt() == Some(*date)) { run + 1 } else { 1 };
            if run == max + 1 {
                out.push(v(Some(id), "consecutive_days", format!("{id}: more than {max} days in a row up to {date}")));
            }
            prev = Some(*date);
        }
    }

    /// Whole weekends off (Saturday and Sunday both in the period).
    fn weekends(&self, id: &OfficerId, per_date: &PerDate, out: &mut Vec<Violation>) {
        let mut weekends = 0u32;
        let mut off = 0u32;
        let mut d = self.first;
        while d < self.last {
            if d.weekday() == Weekday::Sat {
                weekends += 1;
                let sun = d.succ_opt().expect("date");
                if !per_date.contains_key(&d) && !per_date.contains_key(&sun) {
                    off += 1;
                }
            }
            d = d.succ_opt().expect("date");
        }
        let need = self.rules.min_weekends_off_per_4_weeks * weekends / 4;
        if off < need {
            out.push(v(Some(id), "weekends_off", format!("{id}: {off} whole weekends off of {weekends} < {need}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::model::*;
    use chrono::{TimeZone, Utc};

    fn roster(shifts: &[(&str, u32, &str)]) -> Roster {
        let period = Period::new(NaiveDate::from_ymd_opt(2026, 9, 28).unwrap(), 14).unwrap(); // a Monday
        let tz: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
        let templates = vec![
            ShiftTemplate::new("E06", 6, 8),
            ShiftTemplate::new("D08", 8, 8),
            ShiftTemplate::new("L14", 14, 8),
            ShiftTemplate::new("N22", 22, 8),
            ShiftTemplate::new("P08", 8, 12),
        ];
        let assignments = shifts
            .iter()
            .map(|&(o, day, t)| {
                let tp = templates.iter().find(|x| x.id == t).unwrap();
                let s = 24 * day + tp.start_hour;
                Assignment {
                    officer: OfficerId::from(o),
                    day,
                    template: t.into(),
                    island: "changbai".into(),
                    start: period.utc(tz, s),
                    end: period.utc(tz, s + tp.hours),
                }
            })
            .collect();
        Roster {
            format: Roster::FORMAT,
            region: "test".into(),
            time_zone: "Asia/Shanghai".into(),
            period,
            days: Vec::new(),
            rules: LabourRules::default(),
            templates,
            officers: vec![RosterOfficer {
                id: "a".into(),
                name: "A".into(),
                skills: SkillSet::Both,
                home_island: "changbai".into(),
                unit: None,
                contract_hours_per_week: 40,
                days_off: vec![NaiveDate::from_ymd_opt(2026, 10, 9).unwrap()],
                requests: Vec::new(),
            }],
            demand: vec![IslandDemand {
                island: "changbai".into(),
                name: "Changbai".into(),
                outlying: true,
                covers: Vec::new(),
                hours: vec![HourDemand::default(); 14 * 24],
            }],
            assignments,
            solve: None,
        }
    }

    fn rules_broken(r: &Roster) -> Vec<&'static str> {
        check(r).into_iter().map(|v| v.rule).collect()
    }

    #[test]
    fn a_plain_fortnight_is_valid() {
        let r = roster(&[("a", 0, "D08"), ("a", 1, "D08"), ("a", 2, "L14"), ("a", 3, "L14"), ("a", 7, "E06")]);
        assert!(check(&r).is_empty(), "{:?}", check(&r));
    }

    #[test]
    fn each_rule_is_caught() {
        // Night shift ends 06:00, early shift the same morning: rest.
        assert!(rules_broken(&roster(&[("a", 0, "N22"), ("a", 1, "E06")])).contains(&"rest"));
        // Late shift ends 22:00, next early starts 06:00: 8 h rest < 11.
        assert!(rules_broken(&roster(&[("a", 0, "L14"), ("a", 1, "E06")])).contains(&"rest"));
        // 7 days in a row (max 6), also no day off that week.
        let seven: Vec<_> = (0..7).map(|d| ("a", d, "D08")).collect();
        let broken = rules_broken(&roster(&seven));
        assert!(broken.contains(&"consecutive_days") && broken.contains(&"days_off_per_week"), "{broken:?}");
        // Fixed day off (2026-10-09 = day 11).
        assert!(rules_broken(&roster(&[("a", 11, "D08")])).contains(&"day_off"));
        // Weekly hours: 5 × 12 h + ... 6 × 12 = 72 > 60.
        let long: Vec<_> = [0, 1, 2, 3, 4, 5].iter().map(|&d| ("a", d, "P08")).collect();
        assert!(rules_broken(&roster(&long)).contains(&"hours_per_week"));
        // Unknown officer.
        assert!(rules_broken(&roster(&[("zz", 0, "D08")])).contains(&"officer"));
        // Both weekends worked in 14 days: 2 weekends, 1·2/4 = 0 off needed → fine; with
        // a 28-day rule of 2 per 4 weeks, one off is needed.
        let mut r = roster(&[("a", 5, "D08"), ("a", 13, "D08")]);
        assert!(check(&r).is_empty());
        r.rules.min_weekends_off_per_4_weeks = 2;
        assert!(rules_broken(&r).contains(&"weekends_off"));
        // A shift whose times do not match its template.
        let mut r = roster(&[("a", 0, "D08")]);
        r.assignments[0].end = Utc.with_ymd_and_hms(2026, 9, 28, 14, 0, 0).unwrap();
        assert!(rules_broken(&r).contains(&"template"));
    }
}
