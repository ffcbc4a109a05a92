//! Which incidents a read (a report, the override review) covers: a period and, optionally, one island and one type.
//! The supervisor's filters apply to every figure on the dashboard through this one value.

use chrono::NaiveDate;
use serde::Serialize;

use tidewatch_core::region::Region;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// Received at or after (UTC unix seconds).
    pub from: i64,
    /// Received before (UTC unix seconds).
    pub to: i64,
    pub island: Option<String>,
    pub incident_type: Option<String>,
}

impl Scope {
    /// Everything received in `[from, to)`.
    pub fn period(from: i64, to: i64) -> Scope {
        Scope { from, to, island: None, incident_type: None }
    }

    /// Local days `first..=last` in the region's time zone.
    pub fn local_days(region: &Region, first: NaiveDate, last: NaiveDate) -> Scope {
        let after_last = last.succ_opt().unwrap_or(last);
        Scope::period(local_midnight(region, first), local_midnight(region, after_last))
    }

    pub fn on_island(mut self, island: Option<String>) -> Scope {
        self.island = island;
        self
    }

    pub fn of_type(mut self, incident_type: Option<String>) -> Scope {
        self.incident_type = incident_type;
        self
    }

    /// The same filters shifted to other times (year-on-year comparisons).
    pub fn with_period(&self, from: i64, to: i64) -> Scope {
        Scope { from, to, ..self.clone() }
    }
}

/// Local midnight of `d` in the region's zone, as UTC seconds (the first instant of the
/// day when a zone skips midnight: [`tidewatch_core::time::local_start_of_day`]).
/// The first instant of local day `d` in `tz`, in UTC seconds; a date beyond chrono's range
/// is refused as bad input (a typed `--from`, a seeded span).
pub fn day_start(tz: chrono_tz::Tz, d: NaiveDate) -> Result<i64, tidewatch_core::Error> {
    tidewatch_core::time::local_start_of_day(tz, d)
        .map(|t| t.timestamp())
        .ok_or_else(|| tidewatch_core::Error::invalid("date", format!("{d} is out of range")))
}

pub fn local_midnight(region: &Region, d: NaiveDate) -> i64 {
    tidewatch_core::time::local_start_of_day(region.meta.time_zone, d)
        .map(|t| t.timestamp())
        // Only beyond chrono's range (±262 000 years): no zone data there anyway.
        .unwrap_or_else(|| d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp())
}
