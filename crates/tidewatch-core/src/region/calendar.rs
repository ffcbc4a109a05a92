//! The public-holiday calendar: which timetable (weekday, weekend, holiday) a date runs.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::model::DayType;

/// A date that is not what its weekday says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialDay {
    /// A public holiday: holiday timetables.
    Holiday,
    /// A make-up working day (调休上班) on a weekend: weekday timetables.
    Workday,
}

#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    special: HashMap<NaiveDate, (SpecialDay, String)>,
}

impl HolidayCalendar {
    pub fn insert(&mut self, date: NaiveDate, kind: SpecialDay, name: String) -> Option<(SpecialDay, String)> {
        self.special.insert(date, (kind, name))
    }

    pub fn day_type(&self, date: NaiveDate) -> DayType {
        match self.special.get(&date) {
            Some((SpecialDay::Holiday, _)) => DayType::Holiday,
            Some((SpecialDay::Workday, _)) => DayType::Weekday,
            None if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) => DayType::Weekend,
            None => DayType::Weekday,
        }
    }

    /// The holiday's name on that date, if it is one.
    pub fn name(&self, date: NaiveDate) -> Option<&str> {
        self.special.get(&date).map(|(_, n)| n.as_str())
    }

    pub fn len(&self) -> usize {
        self.special.len()
    }

    pub fn is_empty(&self) -> bool {
        self.special.is_empty()
    }
}

/// Years a pack's calendar may name: a typo such as `-2025` or `20255` is refused.
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A strict `YYYY-MM-DD` date within [`YEARS`]; the error says why not (after the value).
pub(crate) fn parse_pack_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape_ok =
        b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = if shape_ok { NaiveDate::parse_from_str(s, "%Y-%m-%d").ok() } else { None };
    match date {
        None => Err("is not a date YYYY-MM-DD".into()),
        Some(d) if !YEARS.contains(&d.year()) => Err(format!("is outside the years {}..={}", YEARS.start(), YEARS.end())),
        Some(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_up_workday_runs_weekday_timetable() {
        let mut cal = HolidayCalendar::default();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        cal.insert(d("2026-10-01"), SpecialDay::Holiday, "National Day".into());
        cal.insert(d("2026-10-10"), SpecialDay::Workday, "make-up".into());
        assert_eq!(cal.day_type(d("2026-10-01")), DayType::Holiday); // a Thursday
        assert_eq!(cal.day_type(d("2026-10-10")), DayType::Weekday); // a Saturday
        assert_eq!(cal.day_type(d("2026-10-11")), DayType::Weekend);
        assert_eq!(cal.day_type(d("2026-10-12")), DayType::Weekday);
    }

    #[test]
    fn pack_dates_are_strict() {
        assert_eq!(parse_pack_date("2025-04-05"), Ok(NaiveDate::from_ymd_opt(2025, 4, 5).unwrap()));
        for bad in ["-2025-04-05", "+2025-04-05", "2025-4-05", "2025-04-5", "2025/04/05", "2025-02-30", "20255-04-05", " 2025-04-05"] {
            assert!(parse_pack_date(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_pack_date("1899-04-05"), Err("is outside the years 2000..=2100".into()));
    }
}
