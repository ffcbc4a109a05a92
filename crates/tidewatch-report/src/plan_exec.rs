//! Plan executed % (issue #18): of the checkpoint and raid operations published patrol plans
//! set in a period, how many were held, with the vehicles checked and violations by kind
//! their results recorded.
//!
//! - Planned: each operation starting in the period, once, as the newest plan covering its
//!   day has it (a re-published plan replaces the older one's days: its operations count,
//!   the older ones' on those days do not).
//! - Results: matched by operation id; a later result for the same operation replaces an
//!   earlier one (a correction). A result whose operation is no longer planned does not
//!   count.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use tidewatch_core::Error;
use tidewatch_journal::{Event, EventBody, JournalStore, PatrolPlanRecord, Scope};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanExecution {
    pub planned: u32,
    pub held: u32,
    /// Recorded as not held.
    pub not_held: u32,
    /// Planned with no result recorded (yet).
    pub unrecorded: u32,
    /// held / planned; none when nothing was planned.
    pub executed_share: Option<f64>,
    pub vehicles_checked: u64,
    /// By kind (drunk_driving, unlicensed_driving, overloading, other).
    pub violations: BTreeMap<String, u64>,
}

/// The figure for `scope` (its period and island) from the journal's plans and results;
/// none when no published plan has an operation in it.
pub fn plan_execution(journal: &impl JournalStore, scope: &Scope) -> Result<Option<PlanExecution>, Error> {
    let plans = journal.events_of_kinds(&["patrol_planned"], i64::MIN, i64::MAX)?;
    let results = journal.events_of_kinds(&["checkpoint_result"], i64::MIN, i64::MAX)?;
    Ok(execution_of(&plans, &results, scope))
}

/// [`plan_execution`] over the events themselves (oldest first).
pub fn execution_of(plans: &[Event], results: &[Event], scope: &Scope) -> Option<PlanExecution> {
    let plans: Vec<&PatrolPlanRecord> = plans
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::PatrolPlanned { plan } => Some(plan),
            _ => None,
        })
        .collect();
    // The newest plan holding a day decides it (by date: the record's days are local).
    let newest_for =
        |d: chrono::NaiveDate| plans.iter().rposition(|p| p.from <= d && d < p.from + chrono::Duration::days(i64::from(p.days)));
    let mut planned: Vec<&tidewatch_journal::OperationRecord> = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        let ops = p.operations.iter().filter(|o| newest_for(o.date) == Some(i));
        let ops = ops.filter(|o| (scope.from..scope.to).contains(&o.start_utc));
        planned.extend(ops.filter(|o| scope.island.as_deref().is_none_or(|only| o.island == only)));
    }
    if planned.is_empty() {
        return None;
    }
    let mut last: HashMap<&str, &EventBody> = HashMap::new();
    for e in results {
        if let EventBody::CheckpointResult { operation, .. } = &e.body {
            last.insert(operation.as_str(), &e.body);
        }
    }
    let mut x = PlanExecution { planned: planned.len() as u32, ..PlanExecution::default() };
    for o in planned {
        match last.get(o.id.as_str()) {
            Some(EventBody::CheckpointResult { held: true, vehicles_checked, violations, .. }) => {
                x.held += 1;
                x.vehicles_checked += u64::from(*vehicles_checked);
                for (k, n) in violations {
                    *x.violations.entry(k.clone()).or_default() += u64::from(*n);
                }
            }
            Some(_) => x.not_held += 1,
            None => x.unrecorded += 1,
        }
    }
    x.executed_share = Some(f64::from(x.held) / f64::from(x.planned));
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use tidewatch_journal::OperationRecord;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn op(d: u32, team: &str, island: &str) -> OperationRecord {
        let start = i64::from(d) * 86_400;
        OperationRecord {
            id: OperationRecord::id_of(day(d), "09:30-11:30", team),
            date: day(d),
            slot: "09:30-11:30".into(),
            start_utc: start,
            end_utc: start + 7_200,
            kind: "checkpoint".into(),
            purpose: "routine".into(),
            team: team.into(),
            site: "s".into(),
            island: island.into(),
            name_zh: "s".into(),
            name_en: "s".into(),
            travel_min: 0,
            back_min: 0,
        }
    }

    fn event(seq: i64, body: EventBody) -> Event {
        Event { seq, incident_id: None, at_utc: seq, recorded_utc: seq, operator: "x".into(), body, hash: [0; 32] }
    }

    fn planned(seq: i64, from: u32, days: u32, operations: Vec<OperationRecord>) -> Event {
        let plan = PatrolPlanRecord { region: "r".into(), from: day(from), days, seed: 1, operations, visits: vec![], standby: vec![] };
        event(seq, EventBody::PatrolPlanned { plan })
    }

    fn result(seq: i64, o: &OperationRecord, held: bool, vehicles: u32, drunk: u32) -> Event {
        let violations = if drunk > 0 { BTreeMap::from([("drunk_driving".to_string(), drunk)]) } else { BTreeMap::new() };
        let body = EventBody::CheckpointResult {
            plan: 1,
            operation: o.id.clone(),
            site: o.site.clone(),
            island: o.island.clone(),
            held,
            vehicles_checked: vehicles,
            violations,
            note: String::new(),
        };
        event(seq, body)
    }

    #[test]
    fn held_over_planned_with_the_newest_plan_and_result_deciding() {
        let (a, b, c) = (op(1, "t1", "zhoushan"), op(2, "t2", "panzhi"), op(3, "t1", "zhoushan"));
        // The re-published plan holds days 2–3 (b kept, c dropped, d new): a from the old one.
        let d = op(3, "t2", "cezi");
        let plans = [planned(1, 1, 3, vec![a.clone(), b.clone(), c.clone()]), planned(2, 2, 2, vec![b.clone(), d.clone()])];
        let results = [
            result(3, &a, true, 40, 1),
            result(4, &b, true, 10, 0),
            // A correction of b: not held after all.
            result(5, &b, false, 0, 0),
            // c is no longer planned: its result does not count.
            result(6, &c, true, 99, 9),
        ];
        let all = Scope::period(0, 10 * 86_400);
        let x = execution_of(&plans, &results, &all).unwrap();
        assert_eq!((x.planned, x.held, x.not_held, x.unrecorded), (3, 1, 1, 1));
        assert_eq!(x.executed_share, Some(1.0 / 3.0));
        assert_eq!((x.vehicles_checked, x.violations.get("drunk_driving").copied()), (40, Some(1)));
        let on_panzhi = execution_of(&plans, &results, &all.clone().on_island(Some("panzhi".into()))).unwrap();
        assert_eq!((on_panzhi.planned, on_panzhi.held, on_panzhi.not_held), (1, 0, 1));
        // Day 1 only.
        let x = execution_of(&plans, &results, &Scope::period(0, 2 * 86_400)).unwrap();
        assert_eq!((x.planned, x.held), (1, 1));
        assert_eq!(execution_of(&plans, &results, &Scope::period(20 * 86_400, 30 * 86_400)), None);
    }
}
