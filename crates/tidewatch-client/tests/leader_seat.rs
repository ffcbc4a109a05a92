//! The patrol leader's screen on a seat, against a real service on a real PostgreSQL
//! (`TIDEWATCH_PG_URL`; `make test-pg` sets it): the demand is learned from the calls the
//! dispatcher's seat took, a small roster is planned and replayed on the leader's own desk,
//! published through the service under the leader, and seen by a leader at a second
//! service process on the same database; a dispatcher is refused all of it.

mod common;
use common::*;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use tidewatch_core::Error;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::leader::{DemandRequest, LeaderApi, PlanRequest, ReachRequest, WhatIfRequest};
use tidewatch_workstation::DeskApi;

/// Calls a day on each of the days before T0.
const CALLS_A_DAY: usize = 3;
const DAYS: i64 = 13;

fn period() -> DemandRequest {
    // The day after T0's: every call of the history lies before it.
    DemandRequest { from: NaiveDate::from_ymd_opt(2026, 7, 2).unwrap(), days: 1, seasons: Vec::new() }
}

#[test]
fn a_leader_on_a_seat_plans_replays_and_publishes_from_the_command_centres_history() {
    let Some(url) = pg_url("a_leader_on_a_seat_plans_replays_and_publishes_from_the_command_centres_history") else { return };
    let url = fresh_database(&url, "leader_seat");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();

    // Two weeks of history taken by a dispatcher's seat, from 13 days before T0 on.
    svc.clock.set(T0 - DAYS * 86_400);
    let mut root = seat(&svc.http(), dirs[0].path());
    root.create_first_administrator("root", PASSWORD, T0).unwrap();
    root.create_account("ann", Role::Dispatcher, PASSWORD, T0).unwrap();
    root.create_account("li", Role::PatrolLeader, PASSWORD, T0).unwrap();
    root.create_account("zhou", Role::PatrolLeader, PASSWORD, T0).unwrap();
    let mut ann = seat(&svc.http(), dirs[1].path());
    for day in 0..DAYS {
        svc.clock.set(T0 - (DAYS - day) * 86_400);
        // A day apart the seat's session has lapsed at the service: signed in afresh.
        ann.login("ann", PASSWORD).unwrap();
        for k in 0..CALLS_A_DAY {
            svc.clock.advance(600);
            ann.receive(now(), &call(122.10 + 0.005 * k as f64)).unwrap();
        }
    }
    svc.clock.set(T0);
    ann.login("ann", PASSWORD).unwrap();
    let taken = DAYS as usize * CALLS_A_DAY;

    // The dispatcher may not plan, replay or publish.
    let forbidden = |e: Error| assert_eq!(e.kind(), "forbidden", "{e}");
    forbidden(ann.roster_demand(&period()).unwrap_err());
    forbidden(ann.start_plan(&PlanRequest { demand: period(), time_limit_s: 10.0 }, Box::new(|_| {})).unwrap_err());
    forbidden(ann.what_if(&WhatIfRequest { a: None, b: None, scenario: "normal".into(), closed: vec![] }).unwrap_err());
    forbidden(ann.session_rosters().unwrap_err());

    // The demand curves: learned from the calls the dispatcher's seat took.
    let mut li = seat(&svc.http(), dirs[2].path());
    li.login("li", PASSWORD).unwrap();
    let demand = li.roster_demand(&period()).unwrap();
    assert_eq!(demand.notes.calls_used + demand.notes.calls_skipped, taken, "{:?}", demand.notes);
    assert!(demand.notes.calls_used > 0, "{:?}", demand.notes);
    assert!(!demand.islands.is_empty() && demand.days.len() == 1);

    // The plan runs on the leader's desk, its progress heard here.
    let (tx, rx) = std::sync::mpsc::channel();
    let started = li.start_plan(&PlanRequest { demand: period(), time_limit_s: 10.0 }, Box::new(move |s| drop(tx.send(s.clone()))));
    assert!(started.unwrap().running);
    let t0 = Instant::now();
    let state = loop {
        let s = li.plan_status().unwrap();
        if s.latest.is_some() || s.error.is_some() {
            break s;
        }
        assert!(t0.elapsed() < Duration::from_secs(120), "the plan did not end");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(state.error.is_none(), "{:?}", state.error);
    assert!(rx.try_iter().last().is_some_and(|s| !s.running), "the plan's end was not heard");
    let id = state.latest.unwrap();
    let view = li.roster_view(id).unwrap();
    assert!(view.violations.is_empty(), "{:?}", view.violations);
    assert!(!view.roster.assignments.is_empty());
    assert_eq!(view.summary.by, "li");
    let out = li.export_roster(id, dirs[2].path(), Utc::now()).unwrap();
    assert!(std::fs::metadata(&out.xlsx).unwrap().len() > 1_000);

    // The what-if replays the seat's calls (the two weeks before the period) here.
    let what_if = li.what_if(&WhatIfRequest { a: Some(id), b: None, scenario: "normal".into(), closed: vec![] }).unwrap();
    assert_eq!(what_if.a.report.calls, taken);
    assert_eq!(what_if.b.report.calls, taken);
    assert!(what_if.a.report.unreached >= what_if.b.report.unreached);
    // The period per island is summed on the seat from its own replay: every call on a row.
    let on_islands =
        |side: fn(&tidewatch_plan::sim::islands::IslandPeriodRow) -> Option<usize>| what_if.islands.iter().filter_map(side).sum::<usize>();
    assert_eq!(on_islands(|r| r.a.as_ref().map(|p| p.calls)), taken);
    assert_eq!(on_islands(|r| r.b.as_ref().map(|p| p.calls)), taken);
    let bad = li.what_if(&WhatIfRequest { a: Some(99), b: None, scenario: "normal".into(), closed: vec![] }).unwrap_err();
    assert_eq!(bad.kind(), "unknown", "{bad}");

    // Published through the service, journaled under the leader.
    let published = li.publish_session_roster(id, Utc::now()).unwrap();
    let seq = published.published_seq.expect("a journal seq");
    assert_eq!(li.session_rosters().unwrap().len(), 1, "the published roster is the session's, not a second entry");

    // A leader at a second service process on the same database sees it, published by li,
    // and replays against it.
    let other = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    other.clock.set(T0 + 60);
    let mut zhou = seat(&other.http(), dirs[3].path());
    zhou.login("zhou", PASSWORD).unwrap();
    let rosters = zhou.session_rosters().unwrap();
    assert_eq!(rosters.len(), 1, "{rosters:?}");
    assert_eq!((rosters[0].by.as_str(), rosters[0].published_seq), ("li", Some(seq)));
    assert_eq!(rosters[0].shifts, view.roster.assignments.len());
    let replay = zhou.what_if(&WhatIfRequest { a: Some(rosters[0].id), b: None, scenario: "typhoon".into(), closed: vec![] }).unwrap();
    assert_eq!(replay.a.report.calls, taken);
    // The dispatcher cannot publish it: refused on the seat, and by the service when asked
    // straight, with nothing journaled.
    forbidden(ann.publish_session_roster(1, Utc::now()).unwrap_err());
    let (status, answer) = post_as(&svc, "ann", "/api/leader/rosters", &serde_json::json!({ "roster": view.roster }));
    assert_eq!((status, answer["kind"].as_str()), (403, Some("forbidden")), "{answer}");
    let (status, again) = post_as(&svc, "li", "/api/leader/rosters", &serde_json::json!({ "roster": view.roster }));
    assert_eq!(status, 200, "{again}");
    assert!(again["seq"].as_i64().is_some_and(|s| s > seq), "the leader's second publish is journaled after the first: {again}");
}

/// Signs `who` in at the service straight (no desk) and posts `body` to `path`.
fn post_as(svc: &Svc, who: &str, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let json = |r: ureq::Response| serde_json::from_str::<serde_json::Value>(&r.into_string().unwrap()).unwrap();
    let sign_in = serde_json::json!({ "username": who, "password": PASSWORD }).to_string();
    let signed =
        json(ureq::post(&format!("{}/api/sign-in", svc.http())).set("Content-Type", "application/json").send_string(&sign_in).unwrap());
    let answer = ureq::post(&format!("{}{path}", svc.http()))
        .set("Content-Type", "application/json")
        .set("Authorization", &format!("Bearer {}", signed["token"].as_str().unwrap()))
        .send_string(&body.to_string());
    match answer {
        Ok(r) => (r.status(), json(r)),
        Err(ureq::Error::Status(code, r)) => (code, json(r)),
        Err(e) => panic!("{e}"),
    }
}

/// A station's leader plans its own area: the service answers its seat only the calls of
/// the station's area (whatever the desk asks), its demand is its own officers' islands and
/// its reach view its own islands; the centre's leader plans the whole command.
#[test]
fn a_station_leader_plans_its_area_and_the_centre_the_whole_command() {
    let Some(url) = pg_url("a_station_leader_plans_its_area_and_the_centre_the_whole_command") else { return };
    let url = fresh_database(&url, "leader_scope");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    svc.clock.set(T0 - 3 * 86_400);
    let mut root = seat(&svc.http(), dirs[0].path());
    root.create_first_administrator("root", PASSWORD, T0).unwrap();
    root.create_account("ann", Role::Dispatcher, PASSWORD, T0).unwrap();
    root.create_account("li", Role::PatrolLeader, PASSWORD, T0).unwrap();
    let mut ann = seat(&svc.http(), dirs[1].path());
    ann.login("ann", PASSWORD).unwrap();
    // Three calls on 定海 (the main island) and two on 金塘, taken at the centre.
    let jintang = |lon: f64| tidewatch_workstation::desk::Intake { lon, lat: 30.035, text: "金塘两车相撞".into(), ..call(0.0) };
    for intake in [call(122.10), call(122.105), call(122.11), jintang(121.87), jintang(121.875)] {
        svc.clock.advance(600);
        ann.receive(now(), &intake).unwrap();
    }
    svc.clock.set(T0);
    let request = DemandRequest { from: NaiveDate::from_ymd_opt(2026, 7, 2).unwrap(), days: 1, seasons: Vec::new() };

    let mut centre = seat(&svc.http(), dirs[2].path());
    centre.login("li", PASSWORD).unwrap();
    let all = centre.roster_demand(&request).unwrap();
    assert_eq!(all.notes.calls_used + all.notes.calls_skipped, 5, "{:?}", all.notes);
    let station = seat_at(&svc.http(), dirs[3].path(), "station:ps_jintang");
    let mut station = station;
    station.login("li", PASSWORD).unwrap();
    let own = station.roster_demand(&request).unwrap();
    assert_eq!(own.notes.calls_used + own.notes.calls_skipped, 2, "only 金塘's calls: {:?}", own.notes);
    let islands = |d: &tidewatch_workstation::leader::DemandView| d.islands.iter().map(|i| i.island.0.clone()).collect::<Vec<_>>();
    assert_eq!(islands(&own), vec!["jintang".to_string()], "金塘's officers only");
    assert!(islands(&all).len() > 1 && islands(&all).contains(&"jintang".to_string()), "{:?}", islands(&all));

    // The service, asked straight, answers the station's seat its area's calls only.
    let token = sign_in_at(&svc, "li", "station:ps_jintang");
    let path = format!("/api/leader/calls?from_utc={}&to_utc={}", T0 - 7 * 86_400, T0);
    let calls: Vec<serde_json::Value> = get_as(&svc, &token, &path);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls.iter().all(|c| c["lon"].as_f64().unwrap() < 122.0), "{calls:?}");
    let path = format!("/api/leader/replay-calls?from_utc={}&to_utc={}", T0 - 7 * 86_400, T0);
    assert_eq!(get_as::<Vec<serde_json::Value>>(&svc, &token, &path).len(), 2);
    let token = sign_in_at(&svc, "li", "centre");
    assert_eq!(get_as::<Vec<serde_json::Value>>(&svc, &token, &path).len(), 5);

    // The reach view: the station's own islands, the centre's every inhabited one.
    let reach = ReachRequest { at: "2026-07-02T10:00".into(), priority: 1, conditions: Default::default(), roster: None, moves: None };
    let own: Vec<String> = station.reach(&reach).unwrap().into_iter().map(|r| r.island).collect();
    let all: Vec<String> = centre.reach(&reach).unwrap().into_iter().map(|r| r.island).collect();
    assert!(own.contains(&"jintang".to_string()) && !own.contains(&"zhoushan".to_string()), "{own:?}");
    assert!(own.len() < all.len() && all.contains(&"zhoushan".to_string()), "{own:?} of {all:?}");
}

/// A desk as a seat at `seat` on the service at `url`.
fn seat_at(url: &str, data_dir: &std::path::Path, seat: &str) -> tidewatch_client::RemoteDesk {
    let config = tidewatch_client::RemoteConfig {
        url: url.into(),
        data_dir: data_dir.into(),
        ca_file: None,
        seat: Some(seat.into()),
        clock: tidewatch_core::time::SystemClock.clock(),
    };
    let region = tidewatch_core::region::Region::load(&region_dir()).unwrap();
    tidewatch_client::RemoteDesk::new(config, region, std::sync::Arc::new(|_| {})).unwrap()
}

/// Signs `who` in at `seat` straight (no desk); the bearer token.
fn sign_in_at(svc: &Svc, who: &str, seat: &str) -> String {
    let body = serde_json::json!({ "username": who, "password": PASSWORD, "seat": seat }).to_string();
    let answer = ureq::post(&format!("{}/api/sign-in", svc.http())).set("Content-Type", "application/json").send_string(&body).unwrap();
    let signed: serde_json::Value = serde_json::from_str(&answer.into_string().unwrap()).unwrap();
    signed["token"].as_str().unwrap().to_string()
}

fn get_as<T: serde::de::DeserializeOwned>(svc: &Svc, token: &str, path: &str) -> T {
    let answer = ureq::get(&format!("{}{path}", svc.http())).set("Authorization", &format!("Bearer {token}")).call().unwrap();
    serde_json::from_str(&answer.into_string().unwrap()).unwrap()
}
