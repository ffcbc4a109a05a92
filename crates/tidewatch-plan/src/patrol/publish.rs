//! The patrol plan as published to the desk (issue #18): the planner's operations, visit
//! lists and standby windows in the journal's terms (`tidewatch_journal::PatrolPlanRecord`),
//! and the audit of a journaled plan: every visit list re-created from its seed.

use chrono::NaiveDate;

use super::checkpoint::Operation;
use super::visit::{self, Busy, VisitList, VisitParams, VisitRequest};
use super::window::Window;
use super::DemandCall;
use tidewatch_core::region::Region;
use tidewatch_core::route::{Conditions, Network};
use tidewatch_core::Error;
use tidewatch_journal::{OperationRecord, PatrolPlanRecord, StandbyRecord, StopRecord, VisitListRecord};

/// The checkpoint plan's part of a published plan: its period, seed and operations.
pub struct CheckpointPart<'a> {
    pub from: NaiveDate,
    pub weeks: u32,
    pub seed: u64,
    pub operations: &'a [Operation],
}

/// The plan in the journal's terms. The period is the checkpoint plan's, or the days the
/// visit lists and standby windows span when there is none.
pub fn record(
    region: &Region,
    checkpoints: Option<&CheckpointPart>,
    visits: &[VisitList],
    standby: Vec<StandbyRecord>,
) -> PatrolPlanRecord {
    let dates = visits.iter().map(|v| v.date).chain(standby.iter().map(|s| s.date));
    let (from, days, seed) = match checkpoints {
        Some(c) => (c.from, c.weeks * 7, c.seed),
        None => {
            let (lo, hi) = dates.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
            let days = if lo <= hi { (hi - lo).num_days() as u32 + 1 } else { 0 };
            (lo.min(hi), days, 0)
        }
    };
    PatrolPlanRecord {
        region: region.meta.id.clone(),
        from,
        days,
        seed,
        operations: checkpoints.map(|c| c.operations.iter().map(operation).collect()).unwrap_or_default(),
        visits: visits.iter().map(visit_record).collect(),
        standby,
    }
}

fn operation(o: &Operation) -> OperationRecord {
    OperationRecord {
        id: OperationRecord::id_of(o.date, &o.slot, &o.team),
        date: o.date,
        slot: o.slot.clone(),
        start_utc: o.start_utc,
        end_utc: o.end_utc,
        kind: o.kind.name().into(),
        purpose: o.purpose.name().into(),
        team: o.team.clone(),
        site: o.site.clone(),
        island: o.island.clone(),
        name_zh: o.name_zh.clone(),
        name_en: o.name_en.clone(),
        travel_min: o.travel_min,
        back_min: o.back_min,
    }
}

/// A visit list as journaled (the stops' places and times; the seed that re-creates them).
pub fn visit_record(v: &VisitList) -> VisitListRecord {
    VisitListRecord {
        team: v.team.clone(),
        date: v.date,
        shift: v.shift.clone(),
        seed: v.seed,
        start_utc: v.start_utc,
        end_utc: v.end_utc,
        stops: v
            .stops
            .iter()
            .map(|s| StopRecord {
                place: s.place.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                island: s.island.clone(),
                arrive_utc: s.arrive_utc,
                leave_utc: s.leave_utc,
            })
            .collect(),
        back_utc: v.back_utc,
    }
}

/// The team's checkpoint slots of the plan on `date`: the walk goes there by their start.
pub fn busy_of(operations: &[OperationRecord], team: &str, date: NaiveDate) -> Vec<Busy> {
    operations
        .iter()
        .filter(|o| o.team == team && o.date == date)
        .map(|o| Busy { place: o.site.clone(), start_utc: o.start_utc, end_utc: o.end_utc })
        .collect()
}

/// What a visit list is made from besides the team, day, shift and seed: the journal's
/// calls before the day and the settings (the same ones re-create the list).
pub struct VisitInputs<'a> {
    pub calls: &'a [DemandCall],
    pub history_days: u32,
    pub params: VisitParams,
}

/// The visit list of `team` on `date` in `shift` from `seed`, around the plan's operations.
pub fn make_visits(
    region: &Region,
    net: &Network,
    operations: &[OperationRecord],
    (team, date, shift, seed): (&str, NaiveDate, &str, u64),
    inputs: &VisitInputs,
) -> Result<VisitList, Error> {
    let request = VisitRequest {
        date,
        team,
        shift: Window::parse(shift)?,
        seed,
        conditions: Conditions::default(),
        calls: inputs.calls,
        history_days: inputs.history_days,
        params: inputs.params.clone(),
        busy: busy_of(operations, team, date),
    };
    visit::visits(region, net, &request)
}

/// The audit of a journaled plan: each visit list re-created from its journaled seed (with
/// `inputs_for` its day's inputs) and compared with the journaled one; what differs, by
/// team and day (empty: every list re-created exactly).
pub fn recreate_check<'c>(
    region: &Region,
    net: &Network,
    plan: &PatrolPlanRecord,
    mut inputs_for: impl FnMut(NaiveDate) -> Result<VisitInputs<'c>, Error>,
) -> Result<Vec<String>, Error> {
    let mut differ = Vec::new();
    for v in &plan.visits {
        let inputs = inputs_for(v.date)?;
        let again = make_visits(region, net, &plan.operations, (&v.team, v.date, &v.shift, v.seed), &inputs)?;
        if visit_record(&again) != *v {
            differ.push(format!(
                "{} on {} ({}), seed {}: re-created with {} stops, journaled {}",
                v.team,
                v.date,
                v.shift,
                v.seed,
                again.stops.len(),
                v.stops.len()
            ));
        }
    }
    Ok(differ)
}
