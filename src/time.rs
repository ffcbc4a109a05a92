//! Durations and times of day: the units travel times and timetables are counted in.

use serde::{Deserialize, Serialize};

/// A duration in whole seconds. Travel times are integers so that sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(transparent)]
pub struct Seconds(pub u32);

impl Seconds {
    pub fn from_minutes(min: f64) -> Self {
        Seconds((min * 60.0).round() as u32)
    }

    /// Time to cover `metres` at `kmh`, rounded to the second (at least 1 s for a real move).
    pub fn travel(metres: f64, kmh: f64) -> Self {
        if metres <= 0.0 {
            return Seconds(0);
        }
        Seconds(((metres / 1000.0 / kmh) * 3600.0).round().max(1.0) as u32)
    }

    pub fn minutes(self) -> f64 {
        self.0 as f64 / 60.0
    }
}

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A local time of day, in seconds after midnight (a timetable entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimeOfDay(pub u32);

impl TimeOfDay {
    /// Parses strict `HH:MM` (00:00–23:59).
    pub fn parse_hhmm(s: &str) -> Option<TimeOfDay> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(TimeOfDay(h * 3600 + m * 60))
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 3600, self.0 / 60 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hhmm_is_strict() {
        assert_eq!(TimeOfDay::parse_hhmm("09:30"), Some(TimeOfDay(9 * 3600 + 1800)));
        assert_eq!(TimeOfDay::parse_hhmm("23:59").unwrap().to_string(), "23:59");
        for bad in ["9:30", "09.30", "24:00", "12:60", "ab:cd", "", "09:3", "+9:30"] {
            assert_eq!(TimeOfDay::parse_hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn travel_time_rounds_to_seconds() {
        assert_eq!(Seconds::travel(1000.0, 60.0), Seconds(60));
        assert_eq!(Seconds::travel(0.0, 60.0), Seconds(0));
        assert_eq!(Seconds::travel(1.0, 100.0), Seconds(1));
    }
}
