//! The desk over HTTP against a real PostgreSQL (`TIDEWATCH_PG_URL`): the first
//! administrator (raced), account administration, every dispatcher action with the
//! workstation's answers and roles, conditions set on one process seen by the other, and the
//! seats' areas. Each test has a database of its own.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use tidewatch_core::time::ManualClock;

const PASSWORD: &str = "correct horse 1";
/// Dinghai town (ps_changguo's area, on the main island).
const TOWN: (f64, f64) = (122.103, 30.018);
/// Shantan on 金塘 (ps_jintang's area).
const JINTANG: (f64, f64) = (121.855, 30.055);

async fn post(addr: SocketAddr, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    call(addr, "POST", path, token, Some(body.to_string().as_bytes())).await
}

async fn get(addr: SocketAddr, path: &str, token: &str) -> (u16, Value) {
    call(addr, "GET", path, Some(token), None).await
}

/// Signs in at `seat` and returns the token.
async fn seated(addr: SocketAddr, username: &str, seat: &str) -> String {
    let (status, body) = post(addr, "/api/sign-in", None, json!({"username": username, "password": PASSWORD, "seat": seat})).await;
    assert_eq!((status, body["seat"].as_str()), (200, Some(seat)), "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// A call of `kind` at `at`; its incident id.
async fn incident(addr: SocketAddr, token: &str, kind: &str, at: (f64, f64)) -> i64 {
    let body = json!({"incident_type": kind, "lon": at.0, "lat": at.1, "source": "phone", "text": "test"});
    let (status, answer) = post(addr, "/api/incidents", Some(token), body).await;
    assert_eq!(status, 201, "{answer}");
    answer["incident_id"].as_i64().unwrap()
}

fn kinds_of(events: &Value) -> Vec<String> {
    events.as_array().unwrap().iter().filter_map(|e| e["body"]["kind"].as_str().map(str::to_string)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_is_made_once_even_when_raced_then_accounts_are_administered() {
    let Some(url) = pg_url("the_first_administrator_is_made_once_even_when_raced_then_accounts_are_administered") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (a, b) = (serve(&url, &clock, lenient()).await, serve(&url, &clock, lenient()).await);
    let (status, state) = call(a.addr, "GET", "/api/sign-in-state", None, None).await;
    assert_eq!((status, state), (200, json!({"needs_first_administrator": true})));

    // Two at once, on two processes: exactly one is made.
    let (ra, rb) = tokio::join!(
        post(a.addr, "/api/first-administrator", None, json!({"username": "root", "password": PASSWORD})),
        post(b.addr, "/api/first-administrator", None, json!({"username": "boss", "password": PASSWORD}))
    );
    let (made, refused) = match (ra.0, rb.0) {
        (200, 409) => (ra.1, rb.1),
        (409, 200) => (rb.1, ra.1),
        other => panic!("exactly one first administrator: {other:?} {ra:?} {rb:?}"),
    };
    assert_eq!((made["role"].as_str(), made["seat"].as_str()), (Some("administrator"), Some("centre")), "{made}");
    assert_eq!((refused["kind"].as_str(), refused["field"].as_str()), (Some("invalid_input"), Some("username")), "{refused}");
    let admin = made["username"].as_str().unwrap().to_string();
    let root = made["token"].as_str().unwrap().to_string();
    assert_eq!(call(a.addr, "GET", "/api/sign-in-state", None, None).await.1, json!({"needs_first_administrator": false}));
    assert_eq!(post(a.addr, "/api/first-administrator", None, json!({"username": "late", "password": PASSWORD})).await.0, 409);
    assert_eq!(get(b.addr, "/api/session", &root).await.1, json!({"username": admin, "role": "administrator", "seat": "centre"}));

    // Accounts, by the administrator only.
    let new = |name: &str, role: &str| json!({"username": name, "password": PASSWORD, "role": role});
    assert_eq!(post(a.addr, "/api/accounts", Some(&root), new("ann", "dispatcher")).await.0, 204);
    let (status, body) = post(a.addr, "/api/accounts", Some(&root), new("ann", "dispatcher")).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("username")), "a second ann: {body}");
    let (status, body) = post(a.addr, "/api/accounts", Some(&root), new("bob", "emperor")).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("role")), "{body}");
    let (status, body) =
        post(a.addr, "/api/accounts", Some(&root), json!({"username": "bob", "password": "short", "role": "supervisor"})).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("password")), "{body}");
    let ann = token(b.addr, "ann", PASSWORD).await;
    let (status, body) = get(a.addr, "/api/accounts", &ann).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    assert_eq!(post(a.addr, "/api/accounts", Some(&ann), new("eve", "administrator")).await.0, 403);
    let (status, list) = get(a.addr, "/api/accounts", &root).await;
    let names: Vec<&str> = list.as_array().unwrap().iter().filter_map(|r| r["username"].as_str()).collect();
    assert_eq!((status, names.len()), (200, 2), "{list}");
    assert!(names.contains(&"ann") && names.contains(&admin.as_str()));

    // Disabling ends ann's sessions at once, and she cannot sign in; enabling restores her.
    let off = json!({"disabled": true});
    assert_eq!(post(a.addr, "/api/accounts/ann/disabled", Some(&ann), off.clone()).await.0, 403);
    assert_eq!(post(a.addr, "/api/accounts/nobody/disabled", Some(&root), off.clone()).await.0, 404);
    assert_eq!(post(a.addr, &format!("/api/accounts/{admin}/disabled"), Some(&root), off.clone()).await.0, 400, "not oneself");
    assert_eq!(post(a.addr, "/api/accounts/ann/disabled", Some(&root), off).await.0, 204);
    assert_eq!(get(b.addr, "/api/head", &ann).await.0, 401, "her session ended on the other process too");
    assert_eq!(sign_in(a.addr, "ann", PASSWORD).await.0, 400);
    assert_eq!(post(a.addr, "/api/accounts/ann/disabled", Some(&root), json!({"disabled": false})).await.0, 204);
    let new_password = json!({"password": "another horse 2"});
    assert_eq!(post(a.addr, "/api/accounts/ann/password", Some(&root), new_password).await.0, 204);
    assert_eq!(sign_in(a.addr, "ann", PASSWORD).await.0, 400, "the old password is gone");
    assert_eq!(sign_in(a.addr, "ann", "another horse 2").await.0, 200);

    let (_, events) = get(a.addr, "/api/events?after=0", &root).await;
    let kinds = kinds_of(&events);
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!(
        (count("account_created"), count("account_disabled"), count("account_enabled"), count("password_reset")),
        (2, 1, 1, 1),
        "{kinds:?}"
    );
    let created: Vec<&Value> = events.as_array().unwrap().iter().filter(|e| e["body"]["kind"] == "account_created").collect();
    assert_eq!(created[1]["operator"].as_str(), Some(admin.as_str()), "journaled under the administrator: {:?}", created[1]);
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dispatcher_action_answers_as_the_workstation_does() {
    let Some(url) = pg_url("every_dispatcher_action_answers_as_the_workstation_does") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (a, b) = (serve(&url, &clock, lenient()).await, serve(&url, &clock, lenient()).await);
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "sue", "supervisor", PASSWORD).await;
    add_account(&url, "root", "administrator", PASSWORD).await;
    let (ann, sue, root) =
        (token(a.addr, "ann", PASSWORD).await, token(b.addr, "sue", PASSWORD).await, token(a.addr, "root", PASSWORD).await);

    let id = incident(a.addr, &ann, "traffic_accident", TOWN).await;
    let (status, rec) = get(b.addr, &format!("/api/incidents/{id}/recommendation"), &ann).await;
    assert_eq!(status, 200, "{rec}");
    let first = rec["candidates"][0]["unit"].as_str().expect("a ranked unit").to_string();
    assert_eq!(get(a.addr, &format!("/api/incidents/{id}/recommendation"), &root).await.0, 403, "an administrator does not dispatch");
    assert_eq!(get(a.addr, "/api/incidents/999/recommendation", &ann).await.0, 404);
    assert_eq!(get(a.addr, "/api/incidents/x/recommendation", &ann).await.1["field"], "id");
    let preview = json!({"at": T0 + 3600, "lon": TOWN.0, "lat": TOWN.1, "incident_type": "theft"});
    let (status, ranked) = post(a.addr, "/api/preview", Some(&ann), preview).await;
    assert!(status == 200 && ranked["candidates"].is_array(), "{ranked}");

    let path = |what: &str| format!("/api/incidents/{id}/{what}");
    let (status, ack) = post(a.addr, &path("dispatch"), Some(&ann), json!({"unit": first})).await;
    assert_eq!(status, 200, "{ack}");
    let seq = ack["seq"].as_i64().expect("an Ack");
    assert_eq!(ack, json!({"seq": seq}));
    let (status, body) = post(a.addr, &path("on-scene"), Some(&ann), json!(null)).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "not on scene before en route, as on the desk: {body}");
    assert_eq!(post(b.addr, &path("en-route"), Some(&ann), json!(null)).await.0, 200);
    assert_eq!(post(a.addr, &path("on-scene"), Some(&ann), json!(null)).await.0, 200);
    assert_eq!(post(a.addr, &path("note"), Some(&ann), json!({"text": "两车相撞\n无人受伤"})).await.0, 200);
    assert_eq!(post(a.addr, &path("note"), Some(&root), json!({"text": "x"})).await.0, 403);
    assert_eq!(post(a.addr, &path("note"), Some(&ann), json!({"txt": "x"})).await.1["field"], "txt");
    let (status, options) = get(a.addr, &path("reassign-options"), &ann).await;
    assert!(status == 200 && !options.as_array().unwrap().is_empty(), "{options}");
    let (status, board) = get(b.addr, "/api/desk/board", &sue).await;
    assert_eq!(status, 200, "{board}");
    let row = board["incidents"].as_array().unwrap().iter().find(|i| i["id"] == id).expect("on the board").clone();
    assert_eq!((row["state"].as_str(), row["unit"].as_str()), (Some("on_scene"), Some(first.as_str())), "{row}");
    assert!(row["amber_s"].is_u64() && board["units"].as_array().unwrap().len() > 10, "the desk's Board: {board}");
    assert_eq!(post(a.addr, &path("clear"), Some(&ann), json!({"outcome": "towed"})).await.0, 200);
    let (status, timeline) = get(b.addr, &path("timeline"), &root).await;
    assert_eq!(status, 200, "anyone signed in reads a timeline");
    assert_eq!(kinds_of(&timeline), ["received", "dispatched", "en_route", "on_scene", "note", "cleared"]);

    let other = incident(a.addr, &ann, "theft", TOWN).await;
    assert_eq!(post(a.addr, &format!("/api/incidents/{other}/cancel"), Some(&ann), json!({"reason": "caller rang back"})).await.0, 200);
    let (status, body) = post(a.addr, &format!("/api/incidents/{other}/clear"), Some(&ann), json!({"outcome": "x"})).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "a cancelled incident is not cleared: {body}");

    // Conditions set through A are what B recommends by (re-read when the head moved).
    let gale = json!({"wind_force": 9, "visibility_m": null, "closed": []});
    let (status, view) = call(a.addr, "PUT", "/api/conditions", Some(&ann), Some(gale.to_string().as_bytes())).await;
    assert_eq!((status, view["wind_force"].as_u64(), view["set_by"].as_str()), (200, Some(9), Some("ann")), "{view}");
    assert_eq!(get(b.addr, "/api/conditions", &sue).await.1["wind_force"], 9);
    let bad = json!({"wind_force": 9, "visibility_m": null, "closed": ["no_such_bridge"]});
    let (status, _) = call(a.addr, "PUT", "/api/conditions", Some(&ann), Some(bad.to_string().as_bytes())).await;
    assert!(status == 400 || status == 404, "{status}");

    // Thresholds: anyone reads them; a supervisor sets them, a dispatcher may not.
    let (status, view) = get(a.addr, "/api/board-thresholds", &ann).await;
    assert_eq!(status, 200, "{view}");
    let thresholds = view["thresholds"].to_string();
    assert_eq!(call(a.addr, "PUT", "/api/board-thresholds", Some(&ann), Some(thresholds.as_bytes())).await.0, 403);
    let (status, set) = call(b.addr, "PUT", "/api/board-thresholds", Some(&sue), Some(thresholds.as_bytes())).await;
    assert_eq!((status, set["set_by"].as_str()), (200, Some("sue")), "{set}");
    assert_eq!(get(a.addr, "/api/board-thresholds", &ann).await.1["set_by"], "sue");
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_seat_acts_only_in_its_area_and_sees_it_first() {
    let Some(url) = pg_url("a_station_seat_acts_only_in_its_area_and_sees_it_first") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "jin", "dispatcher", PASSWORD).await;
    add_account(&url, "tom", "dispatcher", PASSWORD).await;
    let centre = token(svc.addr, "ann", PASSWORD).await;
    let jintang = seated(svc.addr, "jin", "station:ps_jintang").await;
    let traffic = seated(svc.addr, "tom", "traffic").await;
    assert_eq!(get(svc.addr, "/api/session", &jintang).await.1["seat"], "station:ps_jintang");
    for bad in ["center", "station:pier_gangwu", "station:", "jintang"] {
        let (status, body) = post(svc.addr, "/api/sign-in", None, json!({"username": "jin", "password": PASSWORD, "seat": bad})).await;
        assert_eq!((status, body["field"].as_str()), (400, Some("seat")), "{bad}: {body}");
    }

    // Any seat takes a call; the town's theft is not Jintang's.
    let town = incident(svc.addr, &jintang, "theft", TOWN).await;
    let island = incident(svc.addr, &centre, "theft", JINTANG).await;
    let crash = incident(svc.addr, &centre, "traffic_accident", TOWN).await;

    let (_, board) = get(svc.addr, "/api/desk/board", &jintang).await;
    let ids: Vec<i64> = board["incidents"].as_array().unwrap().iter().filter_map(|i| i["id"].as_i64()).collect();
    assert_eq!(ids[0], island, "Jintang's own incident first: {ids:?}");
    let first_unit = board["units"][0]["unit"].as_str().unwrap();
    assert!(first_unit.starts_with("jintang_"), "Jintang's units first: {first_unit}");
    let (_, board) = get(svc.addr, "/api/desk/board", &centre).await;
    let ids: Vec<i64> = board["incidents"].as_array().unwrap().iter().filter_map(|i| i["id"].as_i64()).collect();
    assert_eq!(ids, [town, island, crash], "the centre's board in the desk's order");

    // Acting outside the area is refused, naming it; inside it goes through.
    let send = |unit: &str| json!({"unit": unit, "override_reason": "test"});
    let (status, body) = post(svc.addr, &format!("/api/incidents/{town}/dispatch"), Some(&jintang), send("changguo_patrol_01")).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("ps_jintang"), "names the area: {body}");
    for (what, body) in [("note", json!({"text": "x"})), ("cancel", json!({"reason": "x"})), ("en-route", json!(null))] {
        assert_eq!(post(svc.addr, &format!("/api/incidents/{town}/{what}"), Some(&jintang), body).await.0, 403, "{what}");
    }
    assert_eq!(post(svc.addr, &format!("/api/incidents/{island}/note"), Some(&jintang), json!({"text": "on our island"})).await.0, 200);

    // The centre sends the town's unit; Jintang may not take it off the town's incident.
    assert_eq!(post(svc.addr, &format!("/api/incidents/{town}/dispatch"), Some(&centre), send("changguo_patrol_01")).await.0, 200);
    let (status, body) = post(svc.addr, &format!("/api/incidents/{crash}/dispatch"), Some(&centre), send("changguo_patrol_01")).await;
    assert_eq!((status, body["kind"].as_str()), (409, Some("unit_unavailable")), "busy, and no reason given: {body}");
    assert!(body["message"].as_str().unwrap().contains(&format!("on incident {town}, sent by ann")), "says who holds it: {body}");
    let take = json!({"unit": "changguo_patrol_01", "override_reason": "x", "reassign_reason": "ours is more urgent"});
    let (status, body) = post(svc.addr, &format!("/api/incidents/{island}/dispatch"), Some(&jintang), take).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["message"].as_str().unwrap().contains(&format!("incident {town}")), "{body}");
    let (status, body) = post(svc.addr, &format!("/api/incidents/{island}/dispatch"), Some(&jintang), send("jintang_patrol_01")).await;
    assert_eq!(status, 200, "{body}");

    // The squadron: traffic calls only; the conditions are the centre's.
    assert_eq!(post(svc.addr, &format!("/api/incidents/{crash}/note"), Some(&traffic), json!({"text": "x"})).await.0, 200);
    assert_eq!(post(svc.addr, &format!("/api/incidents/{island}/note"), Some(&traffic), json!({"text": "x"})).await.0, 403);
    let calm = json!({"wind_force": 2, "visibility_m": null, "closed": []}).to_string();
    assert_eq!(call(svc.addr, "PUT", "/api/conditions", Some(&traffic), Some(calm.as_bytes())).await.0, 403);
    assert_eq!(call(svc.addr, "PUT", "/api/conditions", Some(&centre), Some(calm.as_bytes())).await.0, 200);
    svc.stop().await;
}

/// 2026-10-14 02:00 +08:00: no sailing to 大猫岛 before the morning (issue #16).
const NIGHT: i64 = 1_791_914_400;
/// A fight on 大猫岛.
const DAMAO: (f64, f64) = (122.039, 29.951);

/// Issue #16 over HTTP: two processes sending a crew each carried by the same boat at once
/// give the boat to one; the other is refused (409) naming the boat and who took it; the
/// winner's crew and boat are both on the incident; a responder's call is journaled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_seats_racing_for_one_boat_one_wins_and_the_refusal_names_the_boat() {
    let Some(url) = pg_url("two_seats_racing_for_one_boat_one_wins_and_the_refusal_names_the_boat") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(NIGHT);
    let (a, b) = (serve(&url, &clock, lenient()).await, serve(&url, &clock, lenient()).await);
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "bob", "dispatcher", PASSWORD).await;
    let (ann, bob) = (token(a.addr, "ann", PASSWORD).await, token(b.addr, "bob", PASSWORD).await);
    let one = incident(a.addr, &ann, "fight", DAMAO).await;
    let two = incident(b.addr, &bob, "fight", DAMAO).await;
    let (status, rec) = get(a.addr, &format!("/api/incidents/{one}/recommendation"), &ann).await;
    assert_eq!(status, 200, "{rec}");
    let carried: Vec<&Value> = rec["candidates"].as_array().unwrap().iter().filter(|c| c["carrier"].is_object()).collect();
    assert!(carried.len() >= 2, "crews a boat would carry: {rec}");
    let boat = carried[0]["carrier"]["unit"].as_str().unwrap().to_string();
    let (crew1, crew2) = (carried[0]["unit"].as_str().unwrap(), carried[1]["unit"].as_str().unwrap());

    let send = |crew: &str| json!({"unit": crew, "carrier": boat, "override_reason": "陆上警力处置"});
    let (path_one, path_two) = (format!("/api/incidents/{one}/dispatch-carried"), format!("/api/incidents/{two}/dispatch-carried"));
    let (ra, rb) = tokio::join!(post(a.addr, &path_one, Some(&ann), send(crew1)), post(b.addr, &path_two, Some(&bob), send(crew2)));
    let (refused, winner, won, crew, free_crew) = match (ra.0, rb.0) {
        (200, 409) => (rb.1, "ann", one, crew1, crew2),
        (409, 200) => (ra.1, "bob", two, crew2, crew1),
        other => panic!("exactly one seat gets the boat: {other:?} {ra:?} {rb:?}"),
    };
    let message = refused["message"].as_str().unwrap();
    assert!(matches!(refused["kind"].as_str(), Some("unit_taken" | "unit_unavailable")), "{refused}");
    assert!(message.contains(&boat) && message.contains(winner), "names the boat and who took it: {refused}");
    let (_, board) = get(a.addr, "/api/desk/board", &ann).await;
    let row = board["incidents"].as_array().unwrap().iter().find(|i| i["id"] == won).unwrap().clone();
    assert_eq!((row["unit"].as_str(), row["carrier"].as_str()), (Some(crew), Some(boat.as_str())), "{row}");
    let unit = board["units"].as_array().unwrap().iter().find(|u| u["unit"] == boat.as_str()).unwrap().clone();
    assert_eq!((unit["incident"].as_i64(), unit["carrying"].as_str()), (Some(won), Some(crew)), "{unit}");
    // A carrier that is not a boat: refused as on the desk (the losing seat's incident is
    // still open and its crew free, so the refusal is about the carrier, whichever seat won).
    let lost = if won == one { two } else { one };
    let (status, body) =
        post(a.addr, &format!("/api/incidents/{lost}/dispatch-carried"), Some(&ann), json!({"unit": free_crew, "carrier": free_crew}))
            .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("boat"), "{body}");

    // Reassigning the losing seat's incident onto a carried pair (another boat): the crew and
    // the boat go together; a carrier that is not a boat is refused as above.
    let other_boat = ["boat_01", "boat_02", "boat_03"].into_iter().find(|b| *b != boat).unwrap();
    let reassign = format!("/api/incidents/{lost}/reassign");
    let (status, body) =
        post(a.addr, &reassign, Some(&ann), json!({"unit": free_crew, "reason": "夜间无航班", "carrier": free_crew})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) =
        post(a.addr, &reassign, Some(&ann), json!({"unit": free_crew, "reason": "夜间无航班", "carrier": other_boat})).await;
    assert_eq!(status, 200, "{body}");
    let (_, board) = get(b.addr, "/api/desk/board", &bob).await;
    let row = board["incidents"].as_array().unwrap().iter().find(|i| i["id"] == lost).unwrap().clone();
    assert_eq!((row["unit"].as_str(), row["carrier"].as_str()), (Some(free_crew), Some(other_boat)), "{row}");

    // A community responder of 大猫岛 called about the call; one of another island is refused.
    let path = |what: &str| format!("/api/incidents/{one}/{what}");
    let (status, body) = post(a.addr, &path("responder-call"), Some(&ann), json!({"responder": "cr_damao_01"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(post(a.addr, &path("responder-call"), Some(&ann), json!({"responder": "cr_dapeng_01"})).await.0, 400);
    assert_eq!(post(a.addr, &path("responder-call"), Some(&ann), json!({"responder": "nobody"})).await.0, 404);
    let (_, timeline) = get(b.addr, &path("timeline"), &bob).await;
    assert!(kinds_of(&timeline).contains(&"responder_called".to_string()), "{timeline}");
    a.stop().await;
    b.stop().await;
}
