//! Re-verifies a checkpoint plan rule by rule from the plan alone (like the roster's
//! check): the planner's bookkeeping is not trusted — travel times, duty, the day's needs,
//! the islands' blocks and the standby cover are all computed again.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::checkpoint::{
    block_of, day_need, is_team, islands_to_visit, on_duty_through, slot_span, trip_times, CheckpointPlan, CheckpointRequest, Operation,
    OperationKind, Purpose, SlotCover, NIGHT_SLOT,
};
use crate::roster::UnitDuty;
use tidewatch_core::ids::{PlaceId, UnitId};
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::Error;

/// The checkpoint plan for `r`, with every rule it leaves unmet (`unmet`, as [`check`] finds).
pub fn plan(region: &Region, net: &Network, r: &CheckpointRequest) -> Result<CheckpointPlan, Error> {
    let mut out = super::checkpoint::draft(region, net, r)?;
    out.unmet = check(region, net, r, &out)?;
    Ok(out)
}

/// Every rule the plan breaks, in words (empty: all met).
pub fn check(region: &Region, net: &Network, r: &CheckpointRequest, plan: &CheckpointPlan) -> Result<Vec<String>, Error> {
    let mut unmet = Vec::new();
    days(region, r, plan, &mut unmet);
    islands(region, r, plan, &mut unmet);
    let duty = r.roster.map(UnitDuty::of);
    let mut per_team_day: BTreeSet<(&str, NaiveDate)> = BTreeSet::new();
    for op in &plan.operations {
        if !per_team_day.insert((op.team.as_str(), op.date)) {
            unmet.push(format!("{} {}: {} has a second operation that day", op.date, op.slot, op.team));
        }
        operation(region, net, r, duty.as_ref(), op, &mut unmet)?;
    }
    standby(region, net, r, plan, &mut unmet)?;
    Ok(unmet)
}

fn days(region: &Region, r: &CheckpointRequest, plan: &CheckpointPlan, unmet: &mut Vec<String>) {
    let mut count: HashMap<NaiveDate, u32> = HashMap::new();
    for op in &plan.operations {
        *count.entry(op.date).or_default() += 1;
    }
    for k in 0..i64::from(r.weeks) * 7 {
        let date = r.from + chrono::Duration::days(k);
        let need = day_need(region, date, &r.params);
        let got = count.get(&date).copied().unwrap_or(0);
        if got < need.operations {
            unmet.push(format!("{date}: {got} operations, the day needs {}", need.operations));
        }
        let drunk = plan.operations.iter().any(|o| o.date == date && o.slot == NIGHT_SLOT && o.purpose == Purpose::DrunkDriving);
        if let (Some(h), false) = (&need.eve_of, drunk) {
            unmet.push(format!("{date}: no drunk-driving checkpoint on the night before {h}"));
        }
    }
    if plan.operations.iter().any(|o| o.date < r.from || (o.date - r.from).num_days() >= i64::from(r.weeks) * 7) {
        unmet.push("an operation lies outside the plan's weeks".into());
    }
}

fn islands(region: &Region, r: &CheckpointRequest, plan: &CheckpointPlan, unmet: &mut Vec<String>) {
    let blocks = (i64::from(r.weeks) * 7 - 1).div_euclid(i64::from(r.params.every_weeks) * 7) + 1;
    let mut seen: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
    for op in &plan.operations {
        seen.entry(block_of(r.from, op.date, r.params.every_weeks)).or_default().insert(op.island.as_str());
    }
    for island in islands_to_visit(region).0 {
        for b in 0..blocks {
            if !seen.get(&b).is_some_and(|s| s.contains(island.as_str())) {
                let first = r.from + chrono::Duration::days(b * i64::from(r.params.every_weeks) * 7);
                unmet.push(format!("island {island}: not visited in the {} weeks from {first}", r.params.every_weeks));
            }
        }
    }
}

fn operation(
    region: &Region,
    net: &Network,
    r: &CheckpointRequest,
    duty: Option<&UnitDuty>,
    op: &Operation,
    unmet: &mut Vec<String>,
) -> Result<(), Error> {
    let at = format!("{} {} {}", op.date, op.slot, op.team);
    let Some(unit) = region.unit(&UnitId(op.team.clone())).filter(|u| is_team(u.kind)) else {
        unmet.push(format!("{at}: not a traffic or joint team of the pack"));
        return Ok(());
    };
    let site = region.checkpoints.iter().find(|c| c.place.0 == op.site && c.kind == op.site_kind);
    let (Some(k), Some(_)) = (region.place_index(&PlaceId(op.site.clone())), site) else {
        unmet.push(format!("{at}: {} is not a {} checkpoint site of the pack", op.site, op.site_kind.name()));
        return Ok(());
    };
    let (start, end) = slot_span(region, op.date, &op.slot)?;
    if (start, end) != (op.start_utc, op.end_utc) {
        unmet.push(format!("{at}: the times are not the slot's"));
    }
    let limit = r.params.max_travel_min;
    let base = region.place_index(&unit.base).unwrap_or(k);
    let place = &region.places[k];
    let raid = place.island != region.places[base].island;
    if (op.kind == OperationKind::Raid) != raid || op.island != place.island.0 {
        unmet.push(format!("{at}: {:?} on {} does not match the site's island {}", op.kind, op.island, place.island.0));
    }
    match trip_times(net, &r.conditions, (base, k), (start, end), limit)? {
        None => unmet.push(format!("{at}: {} and back are not within {limit} min of the slot from the base", op.site)),
        Some((go, back)) => {
            if !on_duty_through(duty, &op.team, start - i64::from(go) * 60, end + i64::from(back) * 60) {
                unmet.push(format!("{at}: the team is not on duty from leaving to coming back"));
            }
        }
    }
    Ok(())
}

fn standby(region: &Region, net: &Network, r: &CheckpointRequest, plan: &CheckpointPlan, unmet: &mut Vec<String>) -> Result<(), Error> {
    let mut slots: BTreeMap<(NaiveDate, &str), BTreeSet<&str>> = BTreeMap::new();
    for op in &plan.operations {
        slots.entry((op.date, op.slot.as_str())).or_default().insert(op.team.as_str());
    }
    for ((date, slot), away) in slots {
        let Some(s) = plan.standby.iter().find(|s| s.date == date && s.slot == slot) else {
            unmet.push(format!("{date} {slot}: no standby placement while teams are away"));
            continue;
        };
        let listed: BTreeSet<&str> = s.away.iter().map(String::as_str).collect();
        if listed != away {
            unmet.push(format!("{date} {slot}: the standby's away list is not the slot's teams"));
        }
        let cover = SlotCover::new(region, net, r, date, slot)?;
        let left = cover.on_duty().iter().filter(|u| !away.contains(u.as_str())).count();
        if s.sites.len() > left {
            unmet.push(format!("{date} {slot}: {} standby sites for {left} units left", s.sites.len()));
        }
        let nodes: Option<Vec<u32>> = s.sites.iter().map(|p| region.place_index(&PlaceId(p.clone())).map(|k| k as u32)).collect();
        match nodes.and_then(|n| cover.share_at(&n)) {
            None => unmet.push(format!("{date} {slot}: a standby site is no candidate site")),
            Some(share) if share + 1e-9 < r.params.floor => {
                unmet.push(format!("{date} {slot}: standby covers {:.1} % while teams are away, under the floor", 100.0 * share))
            }
            Some(share) if (share - s.covered).abs() > 1e-6 => {
                unmet.push(format!("{date} {slot}: standby covers {share:.4}, the plan says {:.4}", s.covered))
            }
            Some(_) => {}
        }
    }
    Ok(())
}
