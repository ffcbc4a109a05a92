//! Published patrol plans (issue #18): the leader publishes a plan whole
//! (`patrol_planned`), the board shows where each unit should be now from the newest plan
//! covering the moment, and checkpoint results are recorded against the plan's operations
//! (`checkpoint_result`). Read from the journal each time, so a plan published by another
//! process on the same journal shows at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Desk, DeskStore};
use tidewatch_core::dispatch::{PlannedKind, PlannedTask};
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::patrol_record::result_problem;
use tidewatch_journal::{Ack, Event, EventBody, JournalStore, PatrolPlanRecord};

/// The journal kind of a published plan.
pub(super) const PLANNED: &str = "patrol_planned";

/// What the screens list of a published plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PublishedPatrol {
    /// The journal event that published it.
    pub seq: i64,
    pub published_at: i64,
    pub published_by: String,
    pub from: chrono::NaiveDate,
    pub days: u32,
    pub operations: u32,
    pub visit_lists: u32,
    pub standby_windows: u32,
}

/// A checkpoint result as the desk's form or the CLI gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct CheckpointResultInput {
    /// The plan's `patrol_planned` seq; none: the newest plan holding the operation.
    #[serde(default)]
    pub plan: Option<i64>,
    pub operation: String,
    pub held: bool,
    pub vehicles_checked: u32,
    /// By kind: drunk_driving, unlicensed_driving, overloading, other.
    #[serde(default)]
    pub violations: BTreeMap<String, u32>,
    #[serde(default)]
    pub note: String,
}

fn summary(e: &Event, p: &PatrolPlanRecord) -> PublishedPatrol {
    PublishedPatrol {
        seq: e.seq,
        published_at: e.at_utc,
        published_by: e.operator.clone(),
        from: p.from,
        days: p.days,
        operations: p.operations.len() as u32,
        visit_lists: p.visits.len() as u32,
        standby_windows: p.standby.len() as u32,
    }
}

/// Every published plan with its event, oldest first.
pub fn plans(journal: &impl JournalStore) -> Result<Vec<(Event, PatrolPlanRecord)>, Error> {
    Ok(journal
        .events_of_kinds(&[PLANNED], i64::MIN, i64::MAX)?
        .into_iter()
        .filter_map(|e| match &e.body {
            EventBody::PatrolPlanned { plan } => Some((plan.clone(), e)),
            _ => None,
        })
        .map(|(p, e)| (e, p))
        .collect())
}

/// Whether `plan`'s local days cover UTC `t`.
fn covers(region: &Region, plan: &PatrolPlanRecord, t: i64) -> bool {
    let start = tidewatch_journal::local_midnight(region, plan.from);
    let end = tidewatch_journal::local_midnight(region, plan.from + chrono::Duration::days(i64::from(plan.days)));
    (start..end).contains(&t)
}

/// Why `plan` may not be published on a desk running `region`, naming the field.
fn refusal(plan: &PatrolPlanRecord, region: &Region) -> Option<Error> {
    if plan.region != region.meta.id {
        return Some(Error::invalid("region", format!("planned for region '{}', this desk runs '{}'", plan.region, region.meta.id)));
    }
    if let Some(problem) = plan.problem() {
        let (field, message) = problem.split_once(": ").unwrap_or(("plan", &problem));
        return Some(Error::invalid(field, message));
    }
    let teams = plan.operations.iter().map(|o| &o.team).chain(plan.visits.iter().map(|v| &v.team));
    if let Some(t) = teams.into_iter().find(|t| region.unit(&UnitId((*t).clone())).is_none()) {
        return Some(Error::unknown("unit", t.clone()));
    }
    let places = plan.operations.iter().map(|o| &o.site).chain(plan.visits.iter().flat_map(|v| v.stops.iter().map(|s| &s.place)));
    let sites = plan.standby.iter().flat_map(|s| s.sites.iter());
    places.chain(sites).find(|p| region.place(&p.as_str().into()).is_none()).map(|p| Error::unknown("place", p.clone()))
}

/// What `plan` has `unit` doing at `t`: an operation from leaving the base until its slot
/// ends, else a stop (or the way to it) of the unit's visit list.
pub fn planned_now(seq: i64, plan: &PatrolPlanRecord, unit: &str, t: i64) -> Option<PlannedTask> {
    let op = plan.operations.iter().find(|o| o.team == unit && o.start_utc - i64::from(o.travel_min) * 60 <= t && t < o.end_utc);
    if let Some(o) = op {
        let kind = if o.kind == "raid" { PlannedKind::Raid } else { PlannedKind::Checkpoint };
        return Some(PlannedTask {
            plan: seq,
            kind,
            place: o.site.clone(),
            name_zh: o.name_zh.clone(),
            name_en: o.name_en.clone(),
            island: o.island.clone(),
            from_utc: o.start_utc,
            to_utc: o.end_utc,
            operation: Some(o.id.clone()),
            stop: None,
            stops: None,
        });
    }
    let list = plan.visits.iter().find(|v| v.team == unit && v.start_utc <= t && t < v.end_utc)?;
    // The first stop not yet left: at it when arrived, on the way otherwise.
    let (i, s) = list.stops.iter().enumerate().find(|(_, s)| t < s.leave_utc)?;
    Some(PlannedTask {
        plan: seq,
        kind: if t >= s.arrive_utc { PlannedKind::PatrolStop } else { PlannedKind::ToStop },
        place: s.place.clone(),
        name_zh: s.name_zh.clone(),
        name_en: s.name_en.clone(),
        island: s.island.clone(),
        from_utc: s.arrive_utc,
        to_utc: s.leave_utc,
        operation: None,
        stop: Some(i as u32 + 1),
        stops: Some(list.stops.len() as u32),
    })
}

impl<S: DeskStore> Desk<S> {
    /// Journals `plan` whole. Refused (nothing written) when it is for another region, is
    /// empty or inconsistent, or names a unit or place this region does not have.
    pub fn publish_patrol_plan(&mut self, operator: &str, at: DateTime<Utc>, plan: &PatrolPlanRecord) -> Result<Ack, Error> {
        if let Some(refused) = refusal(plan, &self.region) {
            return Err(refused);
        }
        self.check_time(at.timestamp(), None)?;
        self.append(None, at.timestamp(), operator, &EventBody::PatrolPlanned { plan: plan.clone() })
    }

    /// Every published patrol plan, oldest first.
    pub fn patrol_plans(&self) -> Result<Vec<PublishedPatrol>, Error> {
        Ok(plans(&self.journal)?.iter().map(|(e, p)| summary(e, p)).collect())
    }

    /// The newest published plan covering `t`, with its event's seq.
    pub fn patrol_plan_at(&self, t: i64) -> Result<Option<(i64, PatrolPlanRecord)>, Error> {
        Ok(plans(&self.journal)?.into_iter().rev().find(|(_, p)| covers(&self.region, p, t)).map(|(e, p)| (e.seq, p)))
    }

    /// What the plan covering `t` has each unit doing then (units with nothing left out).
    pub fn planned_tasks(&self, t: i64) -> Result<BTreeMap<String, PlannedTask>, Error> {
        let Some((seq, plan)) = self.patrol_plan_at(t)? else { return Ok(BTreeMap::new()) };
        Ok(self.region.units.iter().filter_map(|u| Some((u.id.0.clone(), planned_now(seq, &plan, &u.id.0, t)?))).collect())
    }

    /// Journals what came of one operation of a published plan. Refused naming the field
    /// when the plan or operation is unknown, or the figures do not add up.
    pub fn record_checkpoint_result(&mut self, operator: &str, at: DateTime<Utc>, r: &CheckpointResultInput) -> Result<Ack, Error> {
        if let Some(problem) = result_problem(r.held, r.vehicles_checked, &r.violations) {
            let (field, message) = problem.split_once(": ").unwrap_or(("result", &problem));
            return Err(Error::invalid(field, message));
        }
        let all = plans(&self.journal)?;
        let found = all
            .iter()
            .rev()
            .filter(|(e, _)| r.plan.is_none_or(|s| s == e.seq))
            .find_map(|(e, p)| Some((e.seq, p.operation(&r.operation)?)));
        let Some((seq, op)) = found else {
            return Err(match r.plan {
                Some(s) if !all.iter().any(|(e, _)| e.seq == s) => Error::invalid("plan", format!("{s} is no published patrol plan")),
                _ => Error::invalid("operation", format!("'{}' is no operation of a published patrol plan", r.operation)),
            });
        };
        self.check_time(at.timestamp(), None)?;
        let body = EventBody::CheckpointResult {
            plan: seq,
            operation: op.id.clone(),
            site: op.site.clone(),
            island: op.island.clone(),
            held: r.held,
            vehicles_checked: r.vehicles_checked,
            violations: r.violations.iter().filter(|(_, &n)| n > 0).map(|(k, &n)| (k.clone(), n)).collect(),
            note: r.note.trim().to_string(),
        };
        self.append(None, at.timestamp(), operator, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidewatch_journal::{OperationRecord, StopRecord, VisitListRecord};

    fn plan() -> PatrolPlanRecord {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let stop = |p: &str, a: i64, l: i64| StopRecord {
            place: p.into(),
            name_zh: p.into(),
            name_en: p.into(),
            island: "zhoushan".into(),
            arrive_utc: a,
            leave_utc: l,
        };
        PatrolPlanRecord {
            region: "dinghai".into(),
            from: d,
            days: 7,
            seed: 3,
            operations: vec![OperationRecord {
                id: OperationRecord::id_of(d, "13:30-15:30", "t1"),
                date: d,
                slot: "13:30-15:30".into(),
                start_utc: 5_000,
                end_utc: 12_200,
                kind: "raid".into(),
                purpose: "routine".into(),
                team: "t1".into(),
                site: "pier".into(),
                island: "panzhi".into(),
                name_zh: "码头".into(),
                name_en: "Pier".into(),
                travel_min: 30,
                back_min: 30,
            }],
            visits: vec![VisitListRecord {
                team: "t1".into(),
                date: d,
                shift: "08:00-16:00".into(),
                seed: 9,
                start_utc: 0,
                end_utc: 28_800,
                stops: vec![stop("a", 600, 1_200), stop("b", 1_800, 2_400)],
                back_utc: 3_000,
            }],
            standby: vec![],
        }
    }

    #[test]
    fn the_board_layer_says_where_a_unit_should_be() {
        let p = plan();
        let at = |t| planned_now(7, &p, "t1", t).map(|x| (x.kind, x.place, x.stop));
        assert_eq!(at(300), Some((PlannedKind::ToStop, "a".into(), Some(1))));
        assert_eq!(at(900), Some((PlannedKind::PatrolStop, "a".into(), Some(1))));
        assert_eq!(at(2_000), Some((PlannedKind::PatrolStop, "b".into(), Some(2))));
        // Stops done, not yet left for the raid: nothing planned.
        assert_eq!(at(2_500), None);
        // From leaving the base (30 min before the slot) until the slot ends.
        assert_eq!(at(5_000 - 1_800), Some((PlannedKind::Raid, "pier".into(), None)));
        assert_eq!(planned_now(7, &p, "t1", 12_199).unwrap().operation.as_deref(), Some("2026-12-08/13:30-15:30/t1"));
        assert_eq!(at(12_200), None);
        assert_eq!(planned_now(7, &p, "t2", 900), None);
    }
}
