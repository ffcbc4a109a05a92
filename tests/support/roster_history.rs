//! A deterministic call history on the Dinghai pack and rosters planned from it, for the
//! roster, publish and what-if tests.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use tidewatch_core::region::Region;
use tidewatch_plan::roster::demand::{CallRecord, Season};
use tidewatch_plan::roster::{self, Period, PlanConfig, PlanOptions, Roster};

/// Relative call rate by local hour (a quiet night, a morning and an evening high).
pub const RHYTHM: [f64; 24] =
    [0.3, 0.2, 0.2, 0.15, 0.15, 0.25, 0.5, 0.9, 1.2, 1.3, 1.4, 1.4, 1.2, 1.2, 1.3, 1.3, 1.4, 1.6, 1.6, 1.5, 1.3, 1.0, 0.8, 0.5];

/// A deterministic history: calls per ordinary day by island, weekends × 1.3, spread over
/// the hours by `RHYTHM` and over types; a call is emitted whenever the expected count
/// accumulates past one (no randomness, so the test is stable).
pub fn history(region: &Region, from: NaiveDate, to: NaiveDate) -> Vec<CallRecord> {
    let per_day = [("zhoushan", 40.0), ("jintang", 12.0), ("cezi", 3.0), ("changbai", 3.0), ("panzhi", 2.5), ("damao", 2.0)];
    let types =
        [("traffic_accident", 0.3, 40u32), ("congestion", 0.1, 30), ("dispute", 0.25, 50), ("theft", 0.15, 45), ("citizen_tip", 0.2, 25)];
    let tz = region.meta.time_zone;
    let rhythm_sum: f64 = RHYTHM.iter().sum();
    let mut acc: HashMap<(&str, &str, usize), f64> = HashMap::new();
    let mut calls = Vec::new();
    // Each island's calls at its first place (the demand reads the island; a seat's scope
    // reads the point).
    let at: HashMap<&str, (f64, f64)> = per_day
        .iter()
        .map(|&(island, _)| {
            let p = region.places.iter().find(|p| p.island.0 == island).expect("a place on the island");
            (island, (p.lon, p.lat))
        })
        .collect();
    let mut day = from;
    while day < to {
        let weekend = matches!(region.holidays.day_type(day), tidewatch_core::region::DayType::Weekend);
        for (hour, rate) in RHYTHM.iter().enumerate() {
            for &(island, n) in &per_day {
                for &(kind, share, minutes) in &types {
                    let expect = n * if weekend { 1.3 } else { 1.0 } * rate / rhythm_sum * share;
                    let a = acc.entry((island, kind, hour)).or_default();
                    *a += expect;
                    while *a >= 1.0 {
                        *a -= 1.0;
                        let local = day.and_hms_opt(hour as u32, 20, 0).unwrap();
                        calls.push(CallRecord {
                            received_at: tz.from_local_datetime(&local).unwrap().with_timezone(&Utc),
                            island: Some(island.to_string()),
                            incident_type: kind.to_string(),
                            priority: 3,
                            handling_s: Some(minutes * 60),
                            lon: at[island].0,
                            lat: at[island].1,
                        });
                    }
                }
            }
        }
        day += Duration::days(1);
    }
    calls
}

pub fn config() -> PlanConfig {
    let mut c = PlanConfig::default();
    c.demand.seasons.push(Season {
        name: "Golden Week".into(),
        from: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 10, 7).unwrap(),
        factor: 1.8,
    });
    c
}

/// A quick roster for `days` from `from`: the planner stopped before its first MIP, so the
/// greedy start (sound, but not optimised) — enough where a test needs some roster.
pub fn greedy_roster(region: &Region, from: NaiveDate, days: u32) -> Roster {
    let config = config();
    let window = roster::history_window(from, &config.demand);
    let calls = history(region, window.0, window.1);
    let (input, _) = roster::prepare(region, &calls, Period::new(from, days).unwrap(), &config).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(true);
    let options = PlanOptions { time_limit: Some(10.0), stop: Some(&stop), ..Default::default() };
    roster::plan(input, &options, &mut |_| {}).unwrap()
}
