//! A patrol plan as the journal keeps it (`patrol_planned`, issue #18), and a checkpoint's
//! result recorded against it (`checkpoint_result`). In the journal's own terms, never the
//! planner's structs: the planner may change, what the desk was told may not.
//!
//! The visit lists carry their seed (with team, date and shift), so `tidewatch patrol
//! visits --seed` re-creates a list and an auditor can compare it with the journaled one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The violation kinds a checkpoint result counts, as the joint-work records name them.
pub const VIOLATION_KINDS: [&str; 4] = ["drunk_driving", "unlicensed_driving", "overloading", "other"];

/// The plan as published: its period (local days), the checkpoint and raid operations, the
/// visit lists and, optionally, the standby positions per window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PatrolPlanRecord {
    pub region: String,
    /// First local day and number of days the plan covers: the newest plan covering a
    /// moment is the one the desk follows then.
    pub from: chrono::NaiveDate,
    pub days: u32,
    /// The checkpoint planner's seed (the draw among equally good sites and teams).
    pub seed: u64,
    pub operations: Vec<OperationRecord>,
    #[serde(default)]
    pub visits: Vec<VisitListRecord>,
    #[serde(default)]
    pub standby: Vec<StandbyRecord>,
}

/// One checkpoint or raid of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct OperationRecord {
    /// `date/slot/team`: unique in a plan (one operation a team a slot) and the same in a
    /// re-published plan when the operation did not change, so results follow it.
    pub id: String,
    pub date: chrono::NaiveDate,
    /// Local `HH:MM-HH:MM`.
    pub slot: String,
    pub start_utc: i64,
    pub end_utc: i64,
    /// `checkpoint` or `raid`.
    pub kind: String,
    /// `routine`, `peak` or `drunk_driving`.
    pub purpose: String,
    pub team: String,
    pub site: String,
    pub island: String,
    pub name_zh: String,
    pub name_en: String,
    /// Minutes away before the slot and back after it.
    pub travel_min: u32,
    pub back_min: u32,
}

impl OperationRecord {
    /// The id an operation of `team` on `date` in `slot` gets.
    pub fn id_of(date: chrono::NaiveDate, slot: &str, team: &str) -> String {
        format!("{date}/{slot}/{team}")
    }
}

/// One team's visit list for one shift, with the seed that re-creates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct VisitListRecord {
    pub team: String,
    pub date: chrono::NaiveDate,
    /// Local `HH:MM-HH:MM`.
    pub shift: String,
    pub seed: u64,
    pub start_utc: i64,
    pub end_utc: i64,
    pub stops: Vec<StopRecord>,
    pub back_utc: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StopRecord {
    pub place: String,
    pub name_zh: String,
    pub name_en: String,
    pub island: String,
    pub arrive_utc: i64,
    pub leave_utc: i64,
}

/// Where the units on standby wait in one window (sites, not yet who goes where).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct StandbyRecord {
    pub date: chrono::NaiveDate,
    /// Local `HH:MM-HH:MM`.
    pub window: String,
    pub start_utc: i64,
    pub end_utc: i64,
    pub sites: Vec<String>,
    pub covered: f64,
}

impl PatrolPlanRecord {
    /// The first reason the plan cannot be journaled, naming the field: an empty plan, an
    /// operation or visit list ending before it starts, a repeated operation id.
    pub fn problem(&self) -> Option<String> {
        if self.days == 0 || self.days > 366 {
            return Some(format!("days: {} (1 to 366)", self.days));
        }
        if self.operations.is_empty() && self.visits.is_empty() && self.standby.is_empty() {
            return Some("operations: the plan has no operation, visit list or standby window".into());
        }
        let mut ids = std::collections::HashSet::new();
        for o in &self.operations {
            if o.end_utc <= o.start_utc {
                return Some(format!("operations: {} ends before it starts", o.id));
            }
            if !ids.insert(o.id.as_str()) {
                return Some(format!("operations: id {} twice", o.id));
            }
        }
        for v in &self.visits {
            if v.end_utc <= v.start_utc {
                return Some(format!("visits: {} on {} ends before it starts", v.team, v.date));
            }
            if v.stops.iter().any(|s| s.leave_utc < s.arrive_utc) {
                return Some(format!("visits: a stop of {} on {} leaves before it arrives", v.team, v.date));
            }
        }
        None
    }

    /// The operation with id `id`.
    pub fn operation(&self, id: &str) -> Option<&OperationRecord> {
        self.operations.iter().find(|o| o.id == id)
    }
}

/// What a checkpoint result says, checked: `held` false with vehicles or violations, or a
/// violation kind not in [`VIOLATION_KINDS`], is refused naming the field.
pub fn result_problem(held: bool, vehicles_checked: u32, violations: &BTreeMap<String, u32>) -> Option<String> {
    if let Some(k) = violations.keys().find(|k| !VIOLATION_KINDS.contains(&k.as_str())) {
        return Some(format!("violations: '{k}' is not one of {}", VIOLATION_KINDS.join(", ")));
    }
    let found: u32 = violations.values().sum();
    if !held && (vehicles_checked > 0 || found > 0) {
        return Some("held: an operation not held checked no vehicle and found no violation".into());
    }
    if found > vehicles_checked {
        return Some(format!("violations: {found} found in {vehicles_checked} vehicles checked"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, start: i64, end: i64) -> OperationRecord {
        OperationRecord {
            id: id.into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            slot: "09:30-11:30".into(),
            start_utc: start,
            end_utc: end,
            kind: "checkpoint".into(),
            purpose: "routine".into(),
            team: "t1".into(),
            site: "s1".into(),
            island: "zhoushan".into(),
            name_zh: "码头".into(),
            name_en: "Pier".into(),
            travel_min: 10,
            back_min: 10,
        }
    }

    fn plan(ops: Vec<OperationRecord>) -> PatrolPlanRecord {
        PatrolPlanRecord {
            region: "dinghai".into(),
            from: chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            days: 7,
            seed: 1,
            operations: ops,
            visits: vec![],
            standby: vec![],
        }
    }

    #[test]
    fn a_bad_plan_is_refused_naming_the_field() {
        assert!(plan(vec![]).problem().unwrap().starts_with("operations:"));
        assert!(plan(vec![op("a", 10, 5)]).problem().unwrap().contains("ends before"));
        assert!(plan(vec![op("a", 1, 5), op("a", 6, 9)]).problem().unwrap().contains("twice"));
        let mut p = plan(vec![op("a", 1, 5)]);
        assert_eq!(p.problem(), None);
        p.days = 0;
        assert!(p.problem().unwrap().starts_with("days:"));
    }

    #[test]
    fn a_result_is_checked() {
        let v = |k: &str, n: u32| BTreeMap::from([(k.to_string(), n)]);
        assert_eq!(result_problem(true, 40, &v("drunk_driving", 2)), None);
        assert!(result_problem(true, 40, &v("speeding", 1)).unwrap().starts_with("violations:"));
        assert!(result_problem(false, 3, &BTreeMap::new()).unwrap().starts_with("held:"));
        assert!(result_problem(true, 1, &v("other", 2)).unwrap().starts_with("violations:"));
        assert_eq!(result_problem(false, 0, &BTreeMap::new()), None);
    }
}
