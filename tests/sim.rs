//! What-if replay on the real Dinghai pack against a real journal: the same engine as the
//! desk, rosters that take units off duty, and scenarios that close crossings or add calls.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use tidewatch_core::dispatch::{recommend, Fleet, IncidentQuery};
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_journal::Journal;
use tidewatch_plan::sim::islands::{compare_periods, island_periods};
use tidewatch_plan::sim::{incidents_from_journal, simulate, Scenario, ScenarioSetup, SimIncident};
use tidewatch_workstation::demo::{seed, SeedOptions};

fn from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 12).unwrap()
}

/// Two weeks of demo history from `from()`, as the journal records them.
fn history(region: &Region) -> Vec<SimIncident> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let to = from() + chrono::Duration::days(14);
    seed(region.clone(), &db, &SeedOptions { from: from(), to, calls_per_day: 50.0, seed: 11 }, |_| {}).unwrap();
    let calls = incidents_from_journal(&Journal::open(&db).unwrap(), i64::MIN, i64::MAX).unwrap();
    assert!(calls.len() > 500, "{} calls", calls.len());
    calls
}

#[test]
fn a_lone_call_gets_the_desks_first_recommendation() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let scenario = ScenarioSetup::normal();
    // A call on Changbai at 10:00 and one on Panzhi at 03:00 (no ferry: the wait counts).
    for (place, hour) in [("changbai_village", 10), ("da_nanao", 3), ("wuxing_daao", 23)] {
        let p = region.places.iter().find(|p| p.id.0 == place).unwrap_or_else(|| panic!("{place}"));
        let at = region.meta.time_zone.with_ymd_and_hms(2026, 10, 14, hour, 0, 0).unwrap().with_timezone(&Utc);
        let call = SimIncident {
            at: at.timestamp(),
            lon: p.lon,
            lat: p.lat,
            incident_type: tidewatch_core::ids::IncidentTypeId("dispute".into()),
            priority: 2,
            on_scene_s: 1800,
            island: Some(p.island.0.clone()),
        };
        let report = simulate(&region, &net, std::slice::from_ref(&call), None, &scenario).unwrap();
        let leave = at + chrono::Duration::seconds(scenario.turnout_s as i64);
        let q = IncidentQuery {
            at: leave,
            lon: p.lon,
            lat: p.lat,
            incident_type: call.incident_type.clone(),
            priority: Some(2),
            conditions: scenario.conditions.clone(),
        };
        let desk = recommend(&region, &net, &Fleet::at_bases(&region), &q).unwrap();
        let first = &desk.candidates[0];
        let sim = report.overall.response.expect("reached");
        assert_eq!(sim.p50, scenario.turnout_s + first.eta_s, "{place}: replay and desk disagree");
    }
}

#[test]
fn scenarios_change_the_prediction_the_way_a_leader_expects() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let calls = history(&region);
    let normal = simulate(&region, &net, &calls, None, &ScenarioSetup::normal()).unwrap();
    assert_eq!(normal.calls, calls.len());
    assert_eq!(normal.reached + normal.unreached, normal.calls);
    let p50 = normal.overall.response.unwrap().p50;
    assert!(p50 > 60 && p50 < 3600, "p50 {p50} s");

    // A typhoon day: no ferries, no boats — the outlying islands without a post of their
    // own are cut off, so fewer calls are reached and none by ferry.
    let typhoon = simulate(&region, &net, &calls, None, &ScenarioSetup::new(Scenario::Typhoon, &[]).unwrap()).unwrap();
    assert!(typhoon.unreached > normal.unreached, "{} vs {}", typhoon.unreached, normal.unreached);
    assert!(typhoon.by_route_mode.iter().all(|r| r.key != "ferry"));

    // The period per island (issue #16): each island's calls and response times are those of
    // the report's `by_island`; the typhoon, cutting islands off, lowers their share within
    // target (unreached calls count as missed) and B's band differs where it does.
    let periods = island_periods(&normal.outcomes);
    assert_eq!(periods.len(), normal.by_island.len());
    for row in &normal.by_island {
        let p = &periods[&row.key];
        assert_eq!(p.calls, row.calls, "{}", row.key);
        assert_eq!(p.response, row.response, "{}", row.key);
    }
    let rows = compare_periods(&normal.outcomes, Some(&typhoon.outcomes));
    let cut: Vec<&str> =
        rows.iter().filter(|r| r.b.as_ref().unwrap().unreached > r.a.as_ref().unwrap().unreached).map(|r| r.island.as_str()).collect();
    assert!(!cut.is_empty());
    let mut lower = 0;
    for r in rows.iter().filter(|r| cut.contains(&r.island.as_str())) {
        let (a, b) = (r.a.as_ref().unwrap(), r.b.as_ref().unwrap());
        assert!(b.within_share <= a.within_share, "{}: {:?} vs {:?}", r.island, a.within_share, b.within_share);
        lower += (b.within_share < a.within_share) as usize;
        assert_eq!(r.band_changed, a.band != b.band, "{}", r.island);
    }
    assert!(lower > 0, "no island cut off lost a share within target: {cut:?}");

    // Every bridge closed: nothing goes by bridge.
    let mut closed = ScenarioSetup::normal();
    closed.conditions.closed = region.bridges.iter().map(|b| b.id.0.clone()).collect();
    let closed = simulate(&region, &net, &calls, None, &closed).unwrap();
    assert!(normal.by_route_mode.iter().any(|r| r.key == "bridge"));
    assert!(closed.by_route_mode.iter().all(|r| r.key != "bridge"));

    // A holiday surge: about 1.6 × the calls, and the units are busier.
    let surge = simulate(&region, &net, &calls, None, &ScenarioSetup::new(Scenario::HolidaySurge, &[]).unwrap()).unwrap();
    let ratio = surge.calls as f64 / normal.calls as f64;
    assert!((1.5..1.7).contains(&ratio), "surge ratio {ratio}");
    assert!(surge.waited >= normal.waited);
}

#[test]
fn a_roster_takes_units_off_duty_and_two_rosters_compare() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let calls = history(&region);
    let roster = support::roster_history::greedy_roster(&region, from(), 7);
    let all_on = simulate(&region, &net, &calls, None, &ScenarioSetup::normal()).unwrap();
    let rostered = simulate(&region, &net, &calls, Some(&roster), &ScenarioSetup::normal()).unwrap();
    assert_eq!(rostered.roster_shifts, Some(roster.assignments.len()));
    // Fewer units on duty never makes the district faster.
    let (a, r) = (all_on.overall.response.unwrap(), rostered.overall.response.unwrap());
    assert!(r.mean >= a.mean, "rostered mean {} < all-on mean {}", r.mean, a.mean);

    // An empty roster (nobody on shift) leaves only units without rostered officers.
    let mut nobody = roster.clone();
    nobody.assignments.clear();
    let none = simulate(&region, &net, &calls, Some(&nobody), &ScenarioSetup::normal()).unwrap();
    assert!(none.reached < rostered.reached || none.overall.response.unwrap().mean > r.mean);
}

#[test]
fn bad_scenarios_are_clear_errors() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let mut s = ScenarioSetup::normal();
    s.conditions.closed = vec!["no_such_bridge".into()];
    let e = simulate(&region, &net, &[], None, &s).unwrap_err().to_string();
    assert!(e.contains("no_such_bridge"), "{e}");
    let mut s = ScenarioSetup::normal();
    s.surge = 0.5;
    assert!(simulate(&region, &net, &[], None, &s).unwrap_err().to_string().contains("surge"));
    assert!(Scenario::parse("meteor").is_err());
    assert!(ScenarioSetup::new(Scenario::BridgeClosed, &[]).is_err(), "which bridge?");
    let closed = ScenarioSetup::new(Scenario::BridgeClosed, &["jintang_bridge".into()]).unwrap();
    assert_eq!((closed.name, closed.conditions.closed), (Scenario::BridgeClosed, vec!["jintang_bridge".to_string()]));
    for s in Scenario::ALL {
        assert_eq!(Scenario::parse(s.as_str()).unwrap(), s);
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
}

#[test]
fn a_replay_covers_whole_copies_of_the_period_before_it() {
    use tidewatch_plan::roster::Period;
    use tidewatch_plan::sim::replay_window;
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let week = Period::new(day("2026-11-02"), 7).unwrap();
    assert_eq!(replay_window(Some(week), day("2030-01-01")), (day("2026-10-19"), day("2026-11-02")));
    let five = Period::new(day("2026-11-02"), 5).unwrap();
    assert_eq!(replay_window(Some(five), day("2030-01-01")), (day("2026-10-18"), day("2026-11-02")));
    assert_eq!(replay_window(None, day("2026-11-02")), (day("2026-10-19"), day("2026-11-02")));
}

/// Issue #16: at 02:00 no sailing reaches 大猫岛 before the morning; a fight there is
/// reached by a land crew carried across by a police boat (the desk's fastest carried row),
/// and without the pack's boats the same night is much slower. The boat is held: a second
/// fight ten minutes later gets another boat or a slower crossing.
#[test]
fn a_night_fight_on_damao_is_reached_by_a_carried_crew() {
    let region = support::dinghai();
    let net = Network::from_region(&region);
    let scenario = ScenarioSetup::normal();
    let at = region.meta.time_zone.with_ymd_and_hms(2026, 10, 14, 2, 0, 0).unwrap().with_timezone(&Utc);
    let fight = |at: i64| SimIncident {
        at,
        lon: 122.039,
        lat: 29.951,
        incident_type: tidewatch_core::ids::IncidentTypeId("fight".into()),
        priority: 1,
        on_scene_s: 1800,
        island: None,
    };
    let one = [fight(at.timestamp())];
    let report = simulate(&region, &net, &one, None, &scenario).unwrap();
    assert_eq!((report.reached, report.carried), (1, 1), "{report:?}");
    let with_boats = report.overall.response.expect("reached").p50;

    let leave = at + chrono::Duration::seconds(scenario.turnout_s as i64);
    let q = IncidentQuery {
        at: leave,
        lon: 122.039,
        lat: 29.951,
        incident_type: one[0].incident_type.clone(),
        priority: Some(1),
        conditions: scenario.conditions.clone(),
    };
    let desk = recommend(&region, &net, &Fleet::at_bases(&region), &q).unwrap();
    let carried = desk.candidates.iter().filter(|c| c.carrier.is_some()).map(|c| c.eta_s).min().expect("the desk offers carried rows");
    assert_eq!(with_boats, scenario.turnout_s + carried, "replay and the desk's fastest carried row agree");

    let mut no_boats = region.clone();
    no_boats.units.retain(|u| u.kind != tidewatch_core::region::UnitKind::Boat);
    let report = simulate(&no_boats, &Network::from_region(&no_boats), &one, None, &scenario).unwrap();
    assert_eq!(report.carried, 0);
    let without = report.overall.response.expect("reached by the morning sailing").p50;
    assert!(without > with_boats + 3600, "without boats {without} s, with {with_boats} s");

    let two = [fight(at.timestamp()), fight(at.timestamp() + 600)];
    let report = simulate(&region, &net, &two, None, &scenario).unwrap();
    assert_eq!(report.carried, 2, "{report:?}");
    let second = report.overall.response.expect("reached").max;
    assert!(second >= with_boats, "the first boat is held: {second} s vs {with_boats} s");
}
