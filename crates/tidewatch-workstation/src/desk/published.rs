//! Published rosters feed dispatch: a unit is on duty when its officers are. Publishing
//! journals the whole roster (so the journal says what dispatch believed); the desk keeps
//! each one's duty index and, for any time, the newest roster covering it decides.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use tidewatch_core::dispatch::{Fleet, UnitStatus};
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, JournalStore, PublishedRosterRecord};
use tidewatch_plan::roster::{self, Roster, UnitDuty};

/// The journal kind of a published roster (`EventBody::RosterPublished`).
pub(super) const KIND: &str = "roster_published";

/// A roster the desk follows.
pub(super) struct Published {
    summary: PublishedRoster,
    duty: UnitDuty,
}

/// What the leader's and dispatcher's screens show of a published roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PublishedRoster {
    /// The journal event that published it.
    pub seq: i64,
    pub published_at: i64,
    pub published_by: String,
    pub from: NaiveDate,
    pub days: u32,
    pub shifts: u32,
}

impl Published {
    /// `roster` as published by `operator` at `at` in journal event `seq`.
    pub(super) fn new(seq: i64, at: i64, operator: &str, roster: &Roster) -> Published {
        let summary = PublishedRoster {
            seq,
            published_at: at,
            published_by: operator.to_string(),
            from: roster.period.from,
            days: roster.period.days,
            shifts: roster.assignments.len() as u32,
        };
        Published { summary, duty: UnitDuty::of(roster) }
    }

    pub(super) fn summary(&self) -> &PublishedRoster {
        &self.summary
    }
}

/// Why `roster` may not be published to a desk running `region`, if it may not: it is for
/// another region, breaks a hard rule, or names a unit this region does not have.
pub(super) fn refusal(roster: &Roster, region: &Region) -> Option<Error> {
    if roster.region != region.meta.id {
        let message = format!("planned for region '{}', this desk runs '{}'", roster.region, region.meta.id);
        return Some(Error::invalid("roster", message));
    }
    if let Some(v) = roster::check(roster).first() {
        let message = format!("breaks a hard rule ({}): {}; re-plan or fix it before publishing", v.rule, v.message);
        return Some(Error::invalid("roster", message));
    }
    let unknown = roster.officers.iter().filter_map(|o| o.unit.as_ref()).find(|u| region.unit(u).is_none());
    unknown.map(|unit| Error::unknown("unit", unit.0.clone()))
}

/// The event that publishes `roster`.
pub(super) fn event(roster: &Roster) -> EventBody {
    let shifts = roster.assignments.len() as u32;
    let record = PublishedRosterRecord::V2(Box::new(roster::journal::to_record(roster)));
    EventBody::RosterPublished { from: roster.period.from, days: roster.period.days, shifts, roster: record }
}

/// The newest published roster in `journal`, in full, with who published it when. Read
/// from the journal each time: another process on the same journal may have published.
pub(super) fn latest(journal: &impl JournalStore) -> Result<Option<LatestRoster>, Error> {
    let latest = journal.published_rosters()?.into_iter().rev().find_map(|e| match e.body {
        EventBody::RosterPublished { from, days, shifts, roster } => {
            Some((PublishedRoster { seq: e.seq, published_at: e.at_utc, published_by: e.operator, from, days, shifts }, roster))
        }
        _ => None,
    });
    latest.map(|(summary, r)| Ok(LatestRoster { summary, roster: roster::journal::from_record(&r.rows())? })).transpose()
}

/// The newest published roster and its summary (what a leader's seat adopts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatestRoster {
    pub summary: PublishedRoster,
    pub roster: Roster,
}

pub(super) fn load(journal: &impl JournalStore) -> Result<Vec<Published>, Error> {
    let mut out = Vec::new();
    for e in journal.published_rosters()? {
        if let EventBody::RosterPublished { from, days, shifts, roster } = e.body {
            out.push(Published {
                summary: PublishedRoster { seq: e.seq, published_at: e.at_utc, published_by: e.operator, from, days, shifts },
                duty: UnitDuty::of(&roster::journal::from_record(&roster.rows())?),
            });
        }
    }
    Ok(out)
}

/// Marks free units off duty (and rostered-off units back on) where the newest roster
/// covering `at` that crews the unit says so, unless their status was set by hand after
/// their last shift change. Per unit, because a station's seat publishes a roster of its own
/// officers only: the centre's roster still governs every unit the station's does not crew.
pub(super) fn apply(rosters: &[Published], fleet: &mut Fleet, set_since: &HashMap<UnitId, i64>, at: i64) {
    for (unit, state) in fleet.states.iter_mut() {
        let newest = rosters.iter().rev().find_map(|p| Some((p, p.duty.on_duty(unit, at)?, p.duty.last_change(unit, at)?)));
        let Some((p, on, changed)) = newest else { continue };
        let set_by_hand_since_change = set_since.get(unit).is_some_and(|&s| s >= changed.max(p.summary.published_at));
        match state.status {
            UnitStatus::Available if !on && !set_by_hand_since_change => state.status = UnitStatus::OffDuty,
            UnitStatus::OffDuty if on && !set_by_hand_since_change => state.status = UnitStatus::Available,
            _ => {}
        }
    }
}
