//! Durations and times of day: the units travel times and timetables are counted in;
//! local wall-clock times and days in a region's zone, and calendar dates as typed.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The one source of "now" in the core. The desk and the workstation are given one when
/// they are made and ask it whenever they need the time; nothing below the shell and the
/// CLI reads the wall clock itself (tests/clock.rs checks), so a replay, the demo's
/// history, the CLI's `--at` and every test run on a clock they choose.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// A clock that always says `at` (UTC unix seconds).
    pub fn fixed(at: i64) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// A clock read from `now` (UTC unix seconds) each time it is asked.
    pub fn from_fn(now: impl Fn() -> i64 + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(now))
    }

    /// UTC unix seconds.
    pub fn now(&self) -> i64 {
        (self.0)()
    }

    /// The same instant as a date-time (the epoch for a clock beyond chrono's range).
    pub fn now_utc(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.now(), 0).unwrap_or_default()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// A clock its owner sets and moves by hand (the demo's history, tests); its [`Clock`]s
/// follow every change.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn new(at: i64) -> ManualClock {
        ManualClock(Arc::new(AtomicI64::new(at)))
    }

    pub fn set(&self, at: i64) {
        self.0.store(at, Ordering::Relaxed);
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::Relaxed);
    }

    pub fn now(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    pub fn clock(&self) -> Clock {
        let at = self.0.clone();
        Clock::from_fn(move || at.load(Ordering::Relaxed))
    }
}

/// The wall clock. Only the shells (the desk's `src-tauri`, the CLI in `src/bin`) make one
/// and hand it down; this is the one place the core reads the wall clock (tests/clock.rs).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl SystemClock {
    pub fn clock(self) -> Clock {
        Clock::from_fn(|| Utc::now().timestamp())
    }
}

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

/// The instant a local wall-clock time names in `tz`. When the clocks went back over it (it
/// happens twice) the earlier one; when they jumped over it (it never happens) the first
/// instant after the jump, i.e. the moment of the jump. `None` only beyond chrono's range.
///
/// Every local → UTC conversion of the core goes through here: `from_local_datetime(..)
/// .single()/.earliest()` alone is `None` on the days a zone skips the time.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => end_of_gap(tz, local),
    }
}

/// The first instant of local day `date` in `tz` (its midnight, or the first instant after
/// the jump on a day whose midnight is skipped; an empty day, such as Samoa's 2011-12-30,
/// starts where the next one does).
pub fn local_start_of_day(tz: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    local_to_utc(tz, date.and_time(NaiveTime::MIN))
}

/// The first UTC second whose local time is at or after `local`, for a `local` inside a
/// gap. Bisection over ±48 h of UTC: wider than any zone's offset (≤ 15 h) plus the
/// longest gap (a whole day), so the answer lies inside.
fn end_of_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const SPAN: i64 = 48 * 3600;
    let naive = local.and_utc().timestamp();
    // Compared as seconds: `naive_local()` panics near the ends of chrono's range.
    let reached = |t: i64| {
        let u = DateTime::from_timestamp(t, 0)?;
        Some(t + i64::from(tz.offset_from_utc_datetime(&u.naive_utc()).fix().local_minus_utc()) >= naive)
    };
    let (mut lo, mut hi) = (naive.checked_sub(SPAN)?, naive.checked_add(SPAN)?);
    if reached(lo)? || !reached(hi)? {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::from_timestamp(hi, 0)
}

/// Parses a calendar date as typed, strictly `YYYY-MM-DD` with a four-digit year. chrono
/// alone also takes `+262143-12-31`, whose next day does not exist; four digits keep any
/// bounded span of days after it inside chrono's range.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn a_day_starts_at_its_midnight() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(local_start_of_day(tz, day("2026-07-01")), Some(utc("2026-06-30T16:00:00Z")));
    }

    #[test]
    fn a_skipped_midnight_starts_the_day_at_the_jump() {
        // Shanghai 1940-06-01: 00:00 +08 became 01:00 +09.
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(local_start_of_day(tz, day("1940-06-01")), Some(utc("1940-05-31T16:00:00Z")));
        // Santiago 2025-09-07: 00:00 -04 became 01:00 -03.
        let tz: Tz = "America/Santiago".parse().unwrap();
        let start = local_start_of_day(tz, day("2025-09-07")).unwrap();
        assert_eq!(start, utc("2025-09-07T04:00:00Z"));
        assert_eq!(start.with_timezone(&tz).naive_local().to_string(), "2025-09-07 01:00:00");
        // Samoa skipped 2011-12-30 whole: that day is empty, it starts where the 31st does.
        let tz: Tz = "Pacific/Apia".parse().unwrap();
        assert_eq!(local_start_of_day(tz, day("2011-12-30")), local_start_of_day(tz, day("2011-12-31")));
        assert_eq!(local_start_of_day(tz, day("2011-12-31")), Some(utc("2011-12-30T10:00:00Z")));
    }

    #[test]
    fn a_repeated_midnight_is_the_earlier() {
        // Santiago 2025-04-06: 00:00 -03 went back to 23:00 -04 on the 5th, so 2025-04-05
        // 23:xx happens twice and the 6th's midnight once.
        let tz: Tz = "America/Santiago".parse().unwrap();
        assert_eq!(local_start_of_day(tz, day("2025-04-06")), Some(utc("2025-04-06T04:00:00Z")));
        let twice = NaiveDate::from_ymd_opt(2025, 4, 5).unwrap().and_hms_opt(23, 30, 0).unwrap();
        assert_eq!(local_to_utc(tz, twice), Some(utc("2025-04-06T02:30:00Z")));
    }

    #[test]
    fn a_skipped_time_moves_to_the_jump() {
        // Berlin 2026-03-29: 02:00 +01 became 03:00 +02.
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(local_to_utc(tz, skipped), Some(utc("2026-03-29T01:00:00Z")));
    }

    #[test]
    fn the_ends_of_chronos_range_are_none_not_a_panic() {
        for tz in [Tz::UTC, "Pacific/Kiritimati".parse().unwrap(), "Pacific/Pago_Pago".parse().unwrap()] {
            let _ = local_start_of_day(tz, NaiveDate::MAX);
            let _ = local_start_of_day(tz, NaiveDate::MIN);
            let _ = local_to_utc(tz, NaiveDateTime::MAX);
        }
    }

    #[test]
    fn dates_are_strict_four_digit_years() {
        assert_eq!(parse_date("2026-07-01"), NaiveDate::from_ymd_opt(2026, 7, 1));
        for bad in ["+262143-12-31", "12026-01-01", "2026-7-1", "2026-02-30", "", "２０２６-07-01", "2026-07-01 ", "-026-07-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn hhmm_is_strict() {
        assert_eq!(TimeOfDay::parse_hhmm("09:30"), Some(TimeOfDay(9 * 3600 + 1800)));
        assert_eq!(TimeOfDay::parse_hhmm("23:59").unwrap().to_string(), "23:59");
        for bad in ["9:30", "09.30", "24:00", "12:60", "ab:cd", "", "09:3", "+9:30"] {
            assert_eq!(TimeOfDay::parse_hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_manual_clock_moves_its_clocks() {
        let hand = ManualClock::new(100);
        let clock = hand.clock();
        assert_eq!(Clock::fixed(7).now(), 7);
        assert_eq!(clock.now(), 100);
        hand.advance(20);
        assert_eq!((clock.now(), clock.clone().now()), (120, 120));
        hand.set(1_800_000_000);
        assert_eq!(clock.now_utc(), utc("2027-01-15T08:00:00Z"));
    }

    #[test]
    fn travel_time_rounds_to_seconds() {
        assert_eq!(Seconds::travel(1000.0, 60.0), Seconds(60));
        assert_eq!(Seconds::travel(0.0, 60.0), Seconds(0));
        assert_eq!(Seconds::travel(1.0, 100.0), Seconds(1));
    }
}
