//! Published rosters feed dispatch: on the real Dinghai pack and a real journal file, a
//! unit is offered only while its officers are on shift; publishing is a patrol leader's
//! act, journaled with the whole roster, refused (nothing written) when the roster is unsound.

mod support;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tidewatch_core::dispatch::UnitStatus;
use tidewatch_core::ids::UnitId;
use tidewatch_core::time::{Clock, SystemClock};
use tidewatch_plan::roster::{Roster, UnitDuty};
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::desk::Desk;
use tidewatch_workstation::Workstation;

fn from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()
}

/// A unit the roster crews, a time inside the period when it is on shift and one when
/// it is not (both on the hour, after the period's first day started).
fn crewed_unit_on_and_off(roster: &Roster) -> (UnitId, i64, i64) {
    let duty = UnitDuty::of(roster);
    let (start, end) = duty.period();
    let hours: Vec<i64> = (start.timestamp()..end.timestamp()).step_by(3600).collect();
    let mut units: Vec<&UnitId> = duty.units().collect();
    units.sort();
    for unit in units {
        let on = hours.iter().find(|&&t| duty.on_duty(unit, t) == Some(true));
        let off = hours.iter().find(|&&t| duty.on_duty(unit, t) == Some(false));
        if let (Some(&on), Some(&off)) = (on, off) {
            return (unit.clone(), on, off);
        }
    }
    panic!("no unit is both on and off shift in the roster");
}

fn ts(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).unwrap()
}

fn status(desk: &Desk, unit: &UnitId, t: i64) -> UnitStatus {
    desk.fleet_at(t).unwrap().state(unit).unwrap().status
}

#[test]
fn units_follow_the_published_roster_and_a_reopened_desk_still_does() {
    let region = support::dinghai();
    let roster = support::roster_history::greedy_roster(&region, from(), 2);
    let (unit, on, off) = crewed_unit_on_and_off(&roster);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let published_at = UnitDuty::of(&roster).period().0.timestamp() - 3600;
    let mut desk = Desk::open(region.clone(), &db, Clock::fixed(published_at)).unwrap();

    // Before publishing every unit is on duty.
    assert_eq!(status(&desk, &unit, off), UnitStatus::Available);
    desk.publish_roster("leader", ts(published_at), &roster).unwrap();
    assert_eq!(status(&desk, &unit, on), UnitStatus::Available);
    assert_eq!(status(&desk, &unit, off), UnitStatus::OffDuty);
    // Outside the period the roster says nothing.
    let after = UnitDuty::of(&roster).period().1.timestamp() + 3600;
    assert_eq!(status(&desk, &unit, after), UnitStatus::Available);

    // The journal holds it: a desk opened on the same file follows it too.
    drop(desk);
    let desk = Desk::open(region, &db, SystemClock.clock()).unwrap();
    assert_eq!(desk.published_rosters().len(), 1);
    assert_eq!(desk.published_rosters()[0].shifts as usize, roster.assignments.len());
    assert_eq!(status(&desk, &unit, off), UnitStatus::OffDuty);
    assert_eq!(desk.latest_published_roster().unwrap().as_ref(), Some(&roster));
}

#[test]
fn an_off_shift_unit_is_not_offered_but_one_put_on_duty_by_hand_is() {
    let region = support::dinghai();
    let roster = support::roster_history::greedy_roster(&region, from(), 2);
    let (unit, _, off) = crewed_unit_on_and_off(&roster);
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(region.clone(), &dir.path().join("j.db"), Clock::fixed(off)).unwrap();
    desk.publish_roster("leader", ts(off - 7200), &roster).unwrap();

    let u = region.unit(&unit).unwrap();
    let base = region.place(&u.base).unwrap();
    let itype = region.incident_types.iter().find(|t| tidewatch_core::dispatch::may_respond(t, u.kind)).unwrap();
    let intake = support::phone_call(&itype.id.0, (base.lon, base.lat));
    let id = desk.receive("dispatcher", ts(off), &intake).unwrap();
    let rec = desk.recommend(id, ts(off), &Default::default()).unwrap();
    assert!(rec.excluded.unavailable.contains(&unit.0), "{unit} is off shift: {:?}", rec.excluded);
    assert!(rec.candidates.iter().all(|c| c.unit != unit.0));

    // Called in by hand after the shift change: the desk keeps what was set.
    desk.set_unit_status("dispatcher", ts(off), &unit, UnitStatus::Available, None).unwrap();
    let rec = desk.recommend(id, ts(off), &Default::default()).unwrap();
    assert!(rec.candidates.iter().any(|c| c.unit == unit.0), "put on duty by hand");
}

/// A station's seat publishes a roster of its own officers only: the units it does not crew
/// keep following the centre's earlier roster (they were counted on duty when the newest
/// covering roster decided for every unit).
#[test]
fn a_later_roster_of_some_units_leaves_the_others_to_the_earlier_one() {
    let region = support::dinghai();
    let roster = support::roster_history::greedy_roster(&region, from(), 2);
    let (unit, on, off) = crewed_unit_on_and_off(&roster);
    let mut station = roster.clone();
    let theirs: Vec<_> = station.officers.iter().filter(|o| o.unit.as_ref() == Some(&unit)).map(|o| o.id.clone()).collect();
    station.officers.retain(|o| !theirs.contains(&o.id));
    station.assignments.retain(|a| !theirs.contains(&a.officer));
    assert!(!UnitDuty::of(&station).units().any(|u| u == &unit), "the station's roster does not crew {unit}");
    let dir = tempfile::tempdir().unwrap();
    let published_at = UnitDuty::of(&roster).period().0.timestamp() - 3600;
    let mut desk = Desk::open(region, &dir.path().join("j.db"), Clock::fixed(published_at)).unwrap();
    desk.publish_roster("leader", ts(published_at), &roster).unwrap();
    desk.publish_roster("station_leader", ts(published_at + 60), &station).unwrap();

    assert_eq!(status(&desk, &unit, off), UnitStatus::OffDuty, "still the centre's roster");
    assert_eq!(status(&desk, &unit, on), UnitStatus::Available);
}

#[test]
fn only_a_patrol_leader_publishes_and_an_unsound_roster_is_refused() {
    let region = support::dinghai();
    let roster = support::roster_history::greedy_roster(&region, from(), 2);
    let dir = tempfile::tempdir().unwrap();
    let now = UnitDuty::of(&roster).period().0.timestamp();
    let desk = Desk::open(region, &dir.path().join("j.db"), Clock::fixed(now)).unwrap();
    let mut ws = Workstation::new(desk);
    ws.create_first_administrator("admin", "admin-password", now).unwrap();
    ws.create_account("lead", Role::PatrolLeader, "leader-password", now).unwrap();
    ws.create_account("disp", Role::Dispatcher, "dispatch-password", now).unwrap();

    ws.login("disp", "dispatch-password").unwrap();
    let e = ws.publish_roster(ts(now), &roster).unwrap_err();
    assert_eq!(e.kind(), "forbidden", "{e}");
    assert!(ws.published_rosters().unwrap().is_empty(), "nothing written");

    ws.login("lead", "leader-password").unwrap();
    let mut other = roster.clone();
    other.region = "elsewhere".into();
    assert!(ws.publish_roster(ts(now), &other).unwrap_err().to_string().contains("region"));

    // Two shifts on one day for one officer breaks a hard rule.
    let mut broken = roster.clone();
    let mut twice = broken.assignments[0].clone();
    twice.start += chrono::Duration::hours(1);
    twice.end += chrono::Duration::hours(1);
    broken.assignments.push(twice);
    let e = ws.publish_roster(ts(now), &broken).unwrap_err();
    assert!(e.to_string().contains("hard rule"), "{e}");
    assert!(ws.published_rosters().unwrap().is_empty(), "nothing written");

    ws.publish_roster(ts(now), &roster).unwrap();
    let published = ws.published_rosters().unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].published_by, "lead");
    assert_eq!(published[0].from, from());
}
