//! Standby positions per tide window (issue #18) on the real Dinghai pack: the plan is
//! never worse than the units at their bases, travel times follow the hour's sailings,
//! and bad requests are refused with the flag named.

mod support;

use tidewatch_core::route::{Conditions, Network};
use tidewatch_plan::patrol::{plan, prepare, DemandCall, StandbyParams, StandbyRequest, Window};

use support::{dinghai, tidewatch};

fn request<'a>(window: &str, units: Option<usize>, calls: &'a [DemandCall], days: u32) -> StandbyRequest<'a> {
    StandbyRequest {
        date: support::date("2026-07-01"),
        window: Window::parse(window).unwrap(),
        units,
        roster: None,
        conditions: Conditions::default(),
        calls,
        history_days: days,
        params: StandbyParams { population_share: if calls.is_empty() { 1.0 } else { 0.25 }, ..StandbyParams::default() },
    }
}

#[test]
fn the_plan_never_covers_less_than_the_units_at_their_bases() {
    let region = dinghai();
    let net = Network::from_region(&region);
    for (window, units) in [("22:00-02:00", 6), ("07:00-11:00", 3), ("17:00-21:00", 10), ("00:00-24:00", 1)] {
        let p = plan(&region, &net, &request(window, Some(units), &[], 0)).unwrap();
        assert!(p.covered_after + 1e-9 >= p.covered_before, "{window}: {} < {}", p.covered_after, p.covered_before);
        assert!(p.bound + 1e-9 >= p.covered_after && p.covered_after <= 1.0 + 1e-9, "{window}");
        assert!(p.after.len() <= units && p.before.len() <= units, "{window}");
        let demand: f64 = p.by_island.iter().map(|i| i.demand).sum();
        assert!((demand - 1.0).abs() < 1e-9, "{window}: island shares add to {demand}");
        // The overall share is the islands' shares weighted by their demand.
        let after: f64 = p.by_island.iter().map(|i| i.demand * i.after).sum();
        assert!((after - p.covered_after).abs() < 1e-9, "{window}");
    }
}

#[test]
fn six_units_do_better_than_at_their_bases_and_one_more_unit_never_hurts() {
    let region = dinghai();
    let net = Network::from_region(&region);
    let six = plan(&region, &net, &request("22:00-02:00", Some(6), &[], 0)).unwrap();
    let seven = plan(&region, &net, &request("22:00-02:00", Some(7), &[], 0)).unwrap();
    assert!(seven.covered_after + 1e-9 >= six.covered_after);
    // Proven optimal: the bound is met.
    assert!((six.bound - six.covered_after).abs() < 1e-6, "{} vs {}", six.bound, six.covered_after);
}

#[test]
fn a_ferry_island_is_reached_from_the_main_island_only_while_the_ferries_run() {
    let region = dinghai();
    let net = Network::from_region(&region);
    let dinghai_pier = region.places.iter().position(|p| p.id.0 == "pier_dinghai").unwrap() as u32;
    let reaches_panzhi = |window: &str| {
        let w = prepare(&region, &net, &request(window, Some(6), &[], 0)).unwrap();
        let j = w.sites.iter().position(|&n| n == dinghai_pier).expect("the Dinghai pier is a candidate") as u32;
        let on_panzhi: Vec<usize> = (0..w.points.len()).filter(|&i| w.points[i].island == "panzhi").collect();
        assert!(!on_panzhi.is_empty());
        on_panzhi.iter().filter(|&&i| w.coverage.covers(i).contains(&j)).count()
    };
    // Every 30 min from 06:00 to 18:00: a P2 call on Panzhi is within its ferry target.
    assert!(reaches_panzhi("09:00-12:00") > 0);
    // No sailing at night: only a unit on the island reaches it.
    assert_eq!(reaches_panzhi("22:00-02:00"), 0);
}

#[test]
fn journal_calls_weigh_by_priority_and_calls_outside_the_window_do_not_count() {
    let region = dinghai();
    let net = Network::from_region(&region);
    let ts = |s: &str| support::at(s).timestamp();
    // Two P1 calls on Jintang at 23:30 and a P4 call at noon in Dinghai town.
    let calls = vec![
        DemandCall { at: ts("2026-06-20T23:30:00+08:00"), lon: 121.89, lat: 30.02, priority: 1 },
        DemandCall { at: ts("2026-06-21T23:30:00+08:00"), lon: 121.89, lat: 30.02, priority: 1 },
        DemandCall { at: ts("2026-06-21T12:00:00+08:00"), lon: 122.10, lat: 30.02, priority: 4 },
    ];
    let w = prepare(&region, &net, &request("22:00-02:00", Some(4), &calls, 28)).unwrap();
    assert_eq!((w.demand.calls, w.demand.calls_at_sea), (2, 0));
    assert!((w.demand.history_weight - 2.0 * 4.0 / 28.0).abs() < 1e-9);
    // The population is a quarter of the whole.
    assert!((w.demand.population_weight / (w.demand.population_weight + w.demand.history_weight) - 0.25).abs() < 1e-9);
}

#[test]
fn a_tourist_peak_moves_cover_toward_the_tourist_islands() {
    let region = dinghai();
    let net = Network::from_region(&region);
    // A night window (no sailings: a ferry island is covered only by a unit on it) with
    // six units: on an ordinary night one waits on Panzhi and none on Dapeng (785 people).
    let ordinary = request("22:00-02:00", Some(6), &[], 0);
    let mut peak = request("22:00-02:00", Some(6), &[], 0);
    peak.params.island_season = [("dapeng".to_string(), 5.0)].into();
    let (a, b) = (plan(&region, &net, &ordinary).unwrap(), plan(&region, &net, &peak).unwrap());
    let island = |p: &tidewatch_plan::patrol::StandbyPlan, id: &str| p.by_island.iter().find(|i| i.island == id).cloned().unwrap();
    let on = |p: &tidewatch_plan::patrol::StandbyPlan, id: &str| p.after.iter().filter(|s| s.island == id).count();
    // The peak's island weighs about five times more in the demand...
    let (da, db) = (island(&a, "dapeng").demand, island(&b, "dapeng").demand);
    assert!(db > 4.5 * da && db < 5.0 * da, "{db} vs {da}");
    assert!(b.demand.season_weight > 0.0 && a.demand.season_weight == 0.0);
    // ...and the peak night's plan puts a unit on Dapeng, which the ordinary night's does not.
    assert_eq!((on(&a, "dapeng"), island(&a, "dapeng").after), (0, 0.0));
    assert!(on(&b, "dapeng") >= 1 && island(&b, "dapeng").after > 0.99, "{:?}", island(&b, "dapeng"));
    assert!(b.after.len() <= 6);
    // An unknown island or a factor out of range is refused.
    let mut bad = request("22:00-02:00", Some(3), &[], 0);
    bad.params.island_season = [("atlantis".to_string(), 2.0)].into();
    assert!(plan(&region, &net, &bad).unwrap_err().to_string().contains("atlantis"));
    bad.params.island_season = [("dapeng".to_string(), 9.0)].into();
    assert!(plan(&region, &net, &bad).unwrap_err().to_string().contains("(0, 5]"));
}

#[test]
fn bad_requests_are_refused_naming_what_is_wrong() {
    let region = dinghai();
    let net = Network::from_region(&region);
    let err = plan(&region, &net, &request("22:00-02:00", Some(500), &[], 0)).unwrap_err().to_string();
    assert!(err.contains("units") && err.contains("500"), "{err}");
    let err = plan(&region, &net, &request("22:00-02:00", Some(0), &[], 0)).unwrap_err().to_string();
    assert!(err.contains("units"), "{err}");
    let mut r = request("22:00-02:00", Some(3), &[], 0);
    r.params.within_share = 0.0;
    assert!(plan(&region, &net, &r).unwrap_err().to_string().contains("within_share"));
    let mut r = request("22:00-02:00", Some(3), &[], 0);
    r.params.population_share = 0.0;
    assert!(plan(&region, &net, &r).unwrap_err().to_string().contains("no demand"));
}

#[test]
fn the_cli_prints_the_table_and_json_and_refuses_bad_flags() {
    let dir = support::dinghai_dir();
    let region = dir.to_str().unwrap();
    let base = ["patrol", "standby", "--region", region, "--date", "2026-07-01"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        tidewatch(&args)
    };
    let out = run(&["--window", "22:00-02:00", "--units", "6"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Covered: before (at bases)") && text.contains("zhoushan"), "{text}");
    let out = run(&["--window", "22:00-02:00", "--units", "6", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["covered_after"].as_f64().unwrap() >= v["covered_before"].as_f64().unwrap());
    assert_eq!(v["after"].as_array().unwrap().len(), 6);
    for (extra, needle) in [
        (vec!["--window", "22:00"], "--window"),
        (vec!["--window", "25:00-02:00"], "--window"),
        (vec!["--window", "22:00-02:00", "--units", "99"], "--units"),
        (vec!["--window", "22:00-02:00", "--units", "0"], "--units"),
        (vec!["--window", "22:00-02:00", "--close", "no_such_bridge"], "--close"),
        (vec!["--window", "22:00-02:00", "--db", "/nonexistent/desk.db"], "--db"),
        (vec!["--window", "22:00-02:00", "--population-share", "1.5"], "--population-share"),
    ] {
        let out = run(&extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
}
