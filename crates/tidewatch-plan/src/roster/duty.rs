//! When each unit is crewed under a roster: a unit is on duty when at least one of its
//! officers works a shift on the unit's home island (an officer lent to another island's
//! peak does not crew their unit). Built once per roster so that dispatch and the what-if
//! replay ask "is this unit on duty at t" in O(log shifts).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::Roster;
use tidewatch_core::ids::UnitId;

#[derive(Debug, Clone, Default)]
pub struct UnitDuty {
    /// Merged, sorted `[start, end)` UTC seconds per crewed unit.
    by_unit: HashMap<UnitId, Vec<(i64, i64)>>,
    /// The roster's period, UTC seconds `[from, to)`.
    from: i64,
    to: i64,
}

impl UnitDuty {
    pub fn of(roster: &Roster) -> UnitDuty {
        let tz = roster.tz().unwrap_or(chrono_tz::UTC);
        let from = roster.period.utc(tz, 0).timestamp();
        let to = roster.period.utc(tz, roster.period.hours()).timestamp();
        let mut by_unit: HashMap<UnitId, Vec<(i64, i64)>> = HashMap::new();
        // Units with officers in the roster are governed by it, even if none of them works.
        for o in &roster.officers {
            if let Some(unit) = &o.unit {
                by_unit.entry(unit.clone()).or_default();
            }
        }
        for a in &roster.assignments {
            let Some(o) = roster.officer(&a.officer) else { continue };
            if let (Some(unit), true) = (&o.unit, o.home_island == a.island) {
                by_unit.entry(unit.clone()).or_default().push((a.start.timestamp(), a.end.timestamp()));
            }
        }
        for spans in by_unit.values_mut() {
            spans.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
            for &(s, e) in spans.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *spans = merged;
        }
        UnitDuty { by_unit, from, to }
    }

    /// The roster's period, UTC.
    pub fn period(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (DateTime::from_timestamp(self.from, 0).unwrap_or_default(), DateTime::from_timestamp(self.to, 0).unwrap_or_default())
    }

    pub fn covers(&self, t: i64) -> bool {
        self.from <= t && t < self.to
    }

    /// `Some(on duty)` for a unit the roster crews, at a time inside its period; `None` when
    /// the roster does not say (a unit without rostered officers, or a time outside the
    /// period): the caller then keeps its own view of the unit.
    pub fn on_duty(&self, unit: &UnitId, t: i64) -> Option<bool> {
        if !self.covers(t) {
            return None;
        }
        let span = last_span_from(self.by_unit.get(unit)?, t);
        Some(span.is_some_and(|(_, end)| t < end))
    }

    /// When the unit last came on or went off duty at or before `t` (the period's start
    /// counts as a change): a status set by hand after it wins over the roster.
    pub fn last_change(&self, unit: &UnitId, t: i64) -> Option<i64> {
        if !self.covers(t) {
            return None;
        }
        let change = match last_span_from(self.by_unit.get(unit)?, t) {
            None => self.from,
            Some((start, end)) => {
                if t < end {
                    start
                } else {
                    end
                }
            }
        };
        Some(change.max(self.from))
    }

    /// As [`UnitDuty::on_duty`], with the roster repeated over whole copies of its period
    /// before and after it (a what-if replay of a longer history against a weekly pattern).
    pub fn on_duty_repeating(&self, unit: &UnitId, t: i64) -> Option<bool> {
        let len = self.to - self.from;
        if len <= 0 {
            return None;
        }
        let shifted = self.from + (t - self.from).rem_euclid(len);
        self.on_duty(unit, shifted)
    }

    /// Units the roster crews.
    pub fn units(&self) -> impl Iterator<Item = &UnitId> {
        self.by_unit.keys()
    }
}

/// The last of the sorted, merged spans that starts at or before `t`.
fn last_span_from(spans: &[(i64, i64)], t: i64) -> Option<(i64, i64)> {
    let i = spans.partition_point(|&(start, _)| start <= t);
    i.checked_sub(1).map(|i| spans[i])
}
