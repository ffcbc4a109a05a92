//! A tide window: a span of the local day, `22:00-02:00` running past midnight.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::Serialize;

use tidewatch_core::route::local_instant;
use tidewatch_core::Error;

const DAY_MIN: u32 = 24 * 60;

/// `[start, end)` in local minutes of the day; `end` ≤ `start` runs into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub start_min: u32,
    pub end_min: u32,
}

fn clock(s: &str, end: bool) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) if end => Some(DAY_MIN),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

impl Window {
    /// `HH:MM-HH:MM` (`24:00` as an end): at least one minute, at most a whole day.
    pub fn parse(s: &str) -> Result<Window, Error> {
        let bad = || Error::invalid("window", format!("'{s}': HH:MM-HH:MM, e.g. 22:00-02:00 (a span of the local day, at most 24 h)"));
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let (start_min, end_min) = (clock(a, false).ok_or_else(bad)?, clock(b, true).ok_or_else(bad)?);
        if start_min == end_min {
            return Err(Error::invalid("window", format!("'{s}' is empty (use 00:00-24:00 for the whole day)")));
        }
        Ok(Window { start_min, end_min })
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u32 {
        if self.end_min > self.start_min {
            self.end_min - self.start_min
        } else {
            self.end_min + DAY_MIN - self.start_min
        }
    }

    /// Whether local minute-of-day `m` falls in the window.
    pub fn contains(&self, m: u32) -> bool {
        (m + DAY_MIN - self.start_min) % DAY_MIN < self.minutes()
    }

    pub fn label(&self) -> String {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        format!("{}-{}", hm(self.start_min), hm(self.end_min))
    }

    /// Instants (UTC seconds) every `step_min` through the window starting on local day
    /// `date`: the moments at which travel times are taken.
    pub fn samples(&self, tz: Tz, date: NaiveDate, step_min: u32) -> Vec<i64> {
        let step = step_min.max(1);
        let midnight = date.and_time(NaiveTime::MIN);
        (0..self.minutes().div_ceil(step))
            .map(|k| local_instant(tz, midnight + chrono::Duration::minutes(i64::from(self.start_min + k * step))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_wrap_and_refuse_nonsense() {
        let w = Window::parse("22:00-02:00").unwrap();
        assert_eq!(
            (w.minutes(), w.contains(23 * 60), w.contains(60), w.contains(2 * 60), w.contains(12 * 60)),
            (240, true, true, false, false)
        );
        assert_eq!(Window::parse("00:00-24:00").unwrap().minutes(), DAY_MIN);
        assert_eq!(Window::parse("07:30-09:00").unwrap().label(), "07:30-09:00");
        for bad in
            ["", "22-02", "22:00", "25:00-02:00", "22:60-23:00", "24:00-02:00", "08:00-08:00", "8:0-9:00", "-1:00-02:00", "a:bc-02:00"]
        {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn samples_step_through_the_window_past_midnight() {
        let w = Window::parse("23:00-01:00").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let s = w.samples(chrono_tz::Asia::Shanghai, d, 30);
        assert_eq!(s.len(), 4);
        assert_eq!(s[3] - s[0], 90 * 60);
        // 23:00 in Shanghai is 15:00 UTC.
        assert_eq!(s[0] % 86_400, 15 * 3600);
    }
}
