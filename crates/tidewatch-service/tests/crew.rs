//! The crew's page's routes against a real PostgreSQL (`TIDEWATCH_PG_URL`): sign-in per
//! unit (crew accounts only), the assignment with its route in words, every action through
//! the desk's rules under the crew member's name with the phone's time beside the
//! service's, the scope (another unit's incident, the desk's routes), photos (stored
//! outside the chain, digest journaled, bad ones refused) and bad bodies. Each test has a
//! database of its own.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use sha2::Digest;
use tidewatch_core::time::ManualClock;

const PASSWORD: &str = "correct horse 1";
/// Dinghai town, on the main island.
const TOWN: (f64, f64) = (122.103, 30.018);
/// Shantan on 金塘: across the water from the main island.
const JINTANG: (f64, f64) = (121.855, 30.055);
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 2, 3];

async fn post(addr: SocketAddr, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
    call(addr, "POST", path, token, Some(body.to_string().as_bytes())).await
}

async fn crew_sign_in(addr: SocketAddr, username: &str, unit: &str) -> (u16, Value) {
    post(addr, "/api/crew/sign-in", None, json!({"username": username, "password": PASSWORD, "unit": unit})).await
}

async fn crew_token(addr: SocketAddr, username: &str, unit: &str) -> String {
    let (status, body) = crew_sign_in(addr, username, unit).await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// A call at `at` and the unit sent to it (`unit`, with a reason when it is not the first).
async fn dispatched(addr: SocketAddr, desk: &str, kind: &str, at: (f64, f64), unit: &str) -> i64 {
    let body = json!({"incident_type": kind, "lon": at.0, "lat": at.1, "source": "phone", "text": "两车相撞 test"});
    let (status, answer) = post(addr, "/api/incidents", Some(desk), body).await;
    assert_eq!(status, 201, "{answer}");
    let id = answer["incident_id"].as_i64().unwrap();
    let (status, answer) =
        post(addr, &format!("/api/incidents/{id}/dispatch"), Some(desk), json!({"unit": unit, "override_reason": "the crew's test"})).await;
    assert_eq!(status, 200, "{answer}");
    id
}

async fn timeline(addr: SocketAddr, token: &str, id: i64) -> Vec<Value> {
    let (status, events) = call(addr, "GET", &format!("/api/incidents/{id}/timeline"), Some(token), None).await;
    assert_eq!(status, 200, "{events}");
    events.as_array().unwrap().clone()
}

struct World {
    url: String,
    clock: ManualClock,
    running: tidewatch_service::Running,
    desk: String,
}

async fn world(test: &str) -> Option<World> {
    world_at(test, T0).await
}

async fn world_at(test: &str, at: i64) -> Option<World> {
    let url = fresh_database(&pg_url(test)?).await;
    let clock = ManualClock::new(at);
    let running = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "lin", "crew", PASSWORD).await;
    add_account(&url, "wu", "crew", PASSWORD).await;
    let desk = token(running.addr, "ann", PASSWORD).await;
    Some(World { url, clock, running, desk })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crew_signs_in_for_a_unit_and_sees_its_assignment_with_the_route_in_words() {
    let Some(w) = world("a_crew_signs_in_for_a_unit_and_sees_its_assignment_with_the_route_in_words").await else { return };
    let addr = w.running.addr;

    // By call sign or id; the session is the unit's.
    let (status, body) = crew_sign_in(addr, "lin", "定海交巡01").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["unit"].as_str(), body["username"].as_str()), (Some("dh_traffic_01"), Some("lin")));
    let lin = body["token"].as_str().unwrap().to_string();
    let (status, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["unit"].as_str(), view["status"].as_str()), (Some("dh_traffic_01"), Some("available")));
    assert!(view["assignment"].is_null(), "{view}");

    // A desk sends the unit across the water: the crew sees the call, place and route in words.
    let id = dispatched(addr, &w.desk, "traffic_accident", JINTANG, "dh_traffic_01").await;
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    let a = &view["assignment"];
    assert_eq!(
        (a["incident_id"].as_i64(), a["state"].as_str(), a["acknowledged"].as_bool()),
        (Some(id), Some("dispatched"), Some(false)),
        "{view}"
    );
    assert_eq!(a["incident_type"]["id"], "traffic_accident");
    assert!(!a["incident_type"]["zh"].as_str().unwrap().is_empty(), "{a}");
    assert_eq!(a["text"], "两车相撞 test");
    assert!(a["place"]["zh"].as_str().is_some_and(|s| !s.is_empty()), "{a}");
    let route = &a["route"];
    let legs = route["legs"].as_array().unwrap_or_else(|| panic!("a route: {view}"));
    assert!(!legs.is_empty() && route["eta_s"].as_u64().unwrap() > 0, "{route}");
    let total: u64 = legs.iter().map(|l| l["seconds"].as_u64().unwrap()).sum();
    assert_eq!(total, route["eta_s"].as_u64().unwrap(), "the legs add up to the ETA: {route}");
    for l in legs {
        assert!(!l["from"]["zh"].as_str().unwrap().is_empty() && l["start"].as_str().unwrap().len() == 5, "{l}");
    }
    if route["route_mode"] == "ferry" {
        let sailing = &route["sailing"];
        assert!(sailing["departs"].as_str().is_some_and(|d| d.len() == 5), "the sailing to catch: {route}");
    }

    // Another role is refused on the crew's page (and its sign-in journaled out again).
    let (status, body) = crew_sign_in(addr, "ann", "dh_traffic_01").await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body) = crew_sign_in(addr, "lin", "no_such_unit").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("unit")), "{body}");
    let (status, body) =
        post(addr, "/api/crew/sign-in", None, json!({"username": "lin", "password": "wrong password"  , "unit": "dh_traffic_01"})).await;
    assert_eq!(status, 400, "{body}");
    // A desk's token is no crew's.
    let (status, body) = call(addr, "GET", "/api/crew/assignment", Some(&w.desk), None).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, _) = call(addr, "GET", "/api/crew/assignment", None, None).await;
    assert_eq!(status, 401);
    w.running.stop().await;
    drop(w.url);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_crew_action_goes_through_the_desks_rules_under_the_crews_name_with_the_phones_time() {
    let Some(w) = world("every_crew_action_goes_through_the_desks_rules_under_the_crews_name_with_the_phones_time").await else { return };
    let addr = w.running.addr;
    let lin = crew_token(addr, "lin", "dh_traffic_01").await;
    let id = dispatched(addr, &w.desk, "traffic_accident", TOWN, "dh_traffic_01").await;
    let act = |action: &'static str, text: Option<&'static str>, phone: i64| {
        let mut body = json!({"incident": id, "action": action, "phone_utc": phone});
        if let Some(text) = text {
            body["text"] = json!(text);
        }
        body
    };

    w.clock.advance(30);
    assert_eq!(post(addr, "/api/crew/act", Some(&lin), act("acknowledge", None, T0 + 20)).await.0, 200);
    // On scene before en route: the desk's lifecycle refuses it, naming why.
    let (status, body) = post(addr, "/api/crew/act", Some(&lin), act("on_scene", None, T0 + 25)).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{body}");
    assert_eq!(post(addr, "/api/crew/act", Some(&lin), act("en_route", None, T0 + 28)).await.0, 200);
    w.clock.advance(600);
    assert_eq!(post(addr, "/api/crew/act", Some(&lin), act("on_scene", None, T0 + 620)).await.0, 200);
    assert_eq!(post(addr, "/api/crew/act", Some(&lin), act("note", Some("伤者一名\n已叫120"), T0 + 700)).await.0, 200);
    let (status, body) = post(addr, "/api/crew/act", Some(&lin), act("clear", None, T0 + 800)).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("outcome")), "an outcome is needed: {body}");
    w.clock.advance(300);
    assert_eq!(post(addr, "/api/crew/act", Some(&lin), act("clear", Some("已处置"), T0 + 900)).await.0, 200);

    let events = timeline(addr, &w.desk, id).await;
    let by_crew: Vec<(String, String, Option<i64>, i64)> = events
        .iter()
        .filter(|e| e["operator"] == "lin")
        .map(|e| {
            (
                e["body"]["kind"].as_str().unwrap().into(),
                e["body"]["action"].as_str().unwrap_or("").into(),
                e["body"]["phone_utc"].as_i64(),
                e["at_utc"].as_i64().unwrap(),
            )
        })
        .collect();
    let kinds: Vec<(&str, &str)> = by_crew.iter().map(|(k, a, _, _)| (k.as_str(), a.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("crew_action", "acknowledged"),
            ("en_route", ""),
            ("crew_action", "en_route"),
            ("on_scene", ""),
            ("crew_action", "on_scene"),
            ("note", ""),
            ("crew_action", "note"),
            ("cleared", ""),
            ("crew_action", "cleared"),
        ],
        "{events:#?}"
    );
    // The phone's time beside the service's.
    assert_eq!(by_crew[0].2, Some(T0 + 20));
    assert_eq!(by_crew[0].3, T0 + 30);
    assert_eq!(by_crew[8].2, Some(T0 + 900));
    assert_eq!(by_crew[8].3, T0 + 930);
    // The board: the incident closed, the unit free again, and the crew back to no assignment.
    let (_, board) = call(addr, "GET", "/api/board", Some(&w.desk), None).await;
    assert!(board["incidents"].as_array().unwrap().iter().all(|i| i["id"].as_i64() != Some(id)), "{board}");
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert!(view["assignment"].is_null() && view["status"] == "available", "{view}");

    // The unit's own status: off duty, then returning (available to the desk).
    let (status, body) = post(addr, "/api/crew/status", Some(&lin), json!({"status": "off_duty", "phone_utc": T0 + 1000})).await;
    assert_eq!(status, 200, "{body}");
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert_eq!(view["status"], "off_duty");
    assert_eq!(post(addr, "/api/crew/status", Some(&lin), json!({"status": "returning"})).await.0, 200);
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert_eq!(view["status"], "available");
    w.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crew_acts_only_for_its_own_unit_and_never_dispatches() {
    let Some(w) = world("a_crew_acts_only_for_its_own_unit_and_never_dispatches").await else { return };
    let addr = w.running.addr;
    let lin = crew_token(addr, "lin", "dh_traffic_01").await;
    let wu = crew_token(addr, "wu", "dh_traffic_02").await;
    let id = dispatched(addr, &w.desk, "traffic_accident", TOWN, "dh_traffic_01").await;

    // Wu's unit is not on lin's incident: refused, nothing written.
    let before = timeline(addr, &w.desk, id).await.len();
    for action in ["acknowledge", "en_route", "unable", "note"] {
        let mut body = json!({"incident": id, "action": action});
        if matches!(action, "unable" | "note") {
            body["text"] = json!("x");
        }
        let (status, answer) = post(addr, "/api/crew/act", Some(&wu), body).await;
        assert_eq!((status, answer["kind"].as_str()), (403, Some("forbidden")), "{action}: {answer}");
    }
    let (status, _) = raw_typed(addr, &format!("/api/crew/photo?incident={id}"), &wu, "image/jpeg", JPEG).await;
    assert_eq!(status, 403);
    assert_eq!(timeline(addr, &w.desk, id).await.len(), before);
    // Lin's unit cannot go off duty while it is on the incident (the desk's rule).
    let (status, answer) = post(addr, "/api/crew/status", Some(&lin), json!({"status": "off_duty"})).await;
    assert_eq!((status, answer["kind"].as_str()), (409, Some("unit_unavailable")), "{answer}");

    // A crew's token on the desk's routes: the workstation's role checks refuse it.
    let intake = json!({"incident_type": "traffic_accident", "lon": TOWN.0, "lat": TOWN.1, "source": "phone"});
    assert_eq!(post(addr, "/api/incidents", Some(&lin), intake).await.0, 403);
    assert_eq!(post(addr, &format!("/api/incidents/{id}/dispatch"), Some(&wu), json!({"unit": "dh_traffic_02"})).await.0, 403);
    assert_eq!(call(addr, "POST", &format!("/api/incidents/{id}/en-route"), Some(&lin), None).await.0, 403);
    assert_eq!(post(addr, &format!("/api/incidents/{id}/note"), Some(&lin), json!({"text": "x"})).await.0, 403);
    let (status, _) = post(addr, "/api/accounts", Some(&lin), json!({"username": "x", "password": PASSWORD, "role": "crew"})).await;
    assert_eq!(status, 403);

    // Unable: the unit is withdrawn with the reason and the incident waits for another.
    let (status, answer) = post(addr, "/api/crew/act", Some(&lin), json!({"incident": id, "action": "unable", "text": "车辆故障"})).await;
    assert_eq!(status, 200, "{answer}");
    let (_, board) = call(addr, "GET", "/api/board", Some(&w.desk), None).await;
    let row = board["incidents"].as_array().unwrap().iter().find(|i| i["id"].as_i64() == Some(id)).cloned().unwrap();
    assert_eq!((row["state"].as_str(), row["unit_id"].as_str()), (Some("received"), None), "{row}");
    // ...and lin may no longer act on it.
    let (status, _) = post(addr, "/api/crew/act", Some(&lin), json!({"incident": id, "action": "en_route"})).await;
    assert_eq!(status, 403);
    w.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_are_stored_outside_the_chain_with_their_digest_journaled_and_bad_ones_refused() {
    let Some(w) = world("photos_are_stored_outside_the_chain_with_their_digest_journaled_and_bad_ones_refused").await else { return };
    let addr = w.running.addr;
    let lin = crew_token(addr, "lin", "dh_traffic_01").await;
    let id = dispatched(addr, &w.desk, "traffic_accident", TOWN, "dh_traffic_01").await;

    let (status, taken) = raw_typed(addr, &format!("/api/crew/photo?incident={id}&phone_utc={}", T0 - 5), &lin, "image/jpeg", JPEG).await;
    assert_eq!(status, 200, "{taken}");
    let sha = tidewatch_journal::hex(&sha2::Sha256::digest(JPEG));
    assert_eq!(taken["sha256"].as_str(), Some(sha.as_str()));
    let events = timeline(addr, &w.desk, id).await;
    let photo = events.iter().find(|e| e["body"]["action"] == "photo").expect("a photo event");
    assert_eq!(photo["body"]["photo"], json!({"sha256": sha, "bytes": JPEG.len(), "media_type": "image/jpeg"}));
    assert_eq!(photo["body"]["phone_utc"].as_i64(), Some(T0 - 5));
    let (status, bytes) = raw(addr, "GET", &format!("/api/photos/{sha}"), Some(&w.desk), None).await;
    assert_eq!((status, bytes.as_slice()), (200, JPEG));

    // Refusals, each naming its cause; nothing journaled.
    let before = timeline(addr, &w.desk, id).await.len();
    let path = format!("/api/crew/photo?incident={id}");
    let (status, body) = raw_typed(addr, &path, &lin, "image/png", JPEG).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("content-type")), "{body}");
    let (status, body) = raw_typed(addr, &path, &lin, "image/gif", b"GIF89a\x01\x00").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("body")), "{body}");
    let (status, body) = raw_typed(addr, &path, &lin, "image/jpeg", b"").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("body")), "{body}");
    let mut big = JPEG.to_vec();
    big.resize(tidewatch_service::crew::MAX_PHOTO + 10, 0);
    let (status, _) = raw_typed(addr, &path, &lin, "image/jpeg", &big).await;
    assert_eq!(status, 413);
    let (status, body) = raw_typed(addr, "/api/crew/photo?incident=abc", &lin, "image/jpeg", JPEG).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("query")), "{body}");
    let (status, _) = raw_typed(addr, "/api/crew/photo?incident=999", &lin, "image/jpeg", &[0xFF, 0xD8, 0xFF, 1]).await;
    assert_eq!(status, 404, "no such incident");
    assert_eq!(timeline(addr, &w.desk, id).await.len(), before);
    // A refused photo is not kept.
    let (status, _) = raw(
        addr,
        "GET",
        &format!("/api/photos/{}", tidewatch_journal::hex(&sha2::Sha256::digest([0xFF, 0xD8, 0xFF, 1]))),
        Some(&w.desk),
        None,
    )
    .await;
    assert_eq!(status, 404);
    w.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_refused_naming_the_field() {
    let Some(w) = world("bad_bodies_are_refused_naming_the_field").await else { return };
    let addr = w.running.addr;
    let lin = crew_token(addr, "lin", "dh_traffic_01").await;
    let id = dispatched(addr, &w.desk, "traffic_accident", TOWN, "dh_traffic_01").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/api/crew/act", json!({"incident": id}), "action"),
        ("/api/crew/act", json!({"incident": id, "action": "fly"}), "action"),
        ("/api/crew/act", json!({"incident": "one", "action": "en_route"}), "incident"),
        ("/api/crew/act", json!({"incident": id, "action": "en_route", "unit": "dh_traffic_02"}), "unit"),
        ("/api/crew/act", json!({"incident": id, "action": "en_route", "text": "x"}), "text"),
        ("/api/crew/act", json!({"incident": id, "action": "note", "text": "x".repeat(2001)}), "text"),
        ("/api/crew/act", json!({"incident": id, "action": "note", "text": "a\u{0}b"}), "text"),
        ("/api/crew/act", json!({"incident": id, "action": "unable", "text": "  "}), "reason"),
        ("/api/crew/act", json!({"incident": id, "action": "acknowledge", "phone_utc": 5}), "phone_utc"),
        ("/api/crew/act", json!({"incident": id, "action": "acknowledge", "phone_utc": 1.5}), "phone_utc"),
        ("/api/crew/status", json!({"status": "dispatched"}), "status"),
        ("/api/crew/status", json!({}), "status"),
        ("/api/crew/sign-in", json!({"username": "lin", "password": PASSWORD}), "unit"),
        ("/api/crew/sign-in", json!({"username": "lin", "password": PASSWORD, "unit": "u".repeat(65)}), "unit"),
    ];
    for (path, body, field) in cases {
        let token = if path.ends_with("sign-in") { None } else { Some(lin.as_str()) };
        let (status, answer) = post(addr, path, token, body.clone()).await;
        assert_eq!((status, answer["field"].as_str()), (400, Some(field)), "{path} {body}: {answer}");
    }
    let (status, answer) = call(addr, "POST", "/api/crew/act", Some(&lin), Some(b"{not json")).await;
    assert_eq!((status, answer["field"].as_str()), (400, Some("body")), "{answer}");
    let (status, _) = call(addr, "POST", "/api/crew/act", Some(&lin), Some(&vec![b' '; 20_000])).await;
    assert_eq!(status, 413);
    // The page itself is served without a session.
    let (status, page) = raw(addr, "GET", "/crew/", None, None).await;
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("crew.js"));
    w.running.stop().await;
}

/// A POST of `body` with its own Content-Type.
async fn raw_typed(addr: SocketAddr, path: &str, token: &str, media_type: &str, body: &[u8]) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {media_type}\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let end = out.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(out.len());
    let status = String::from_utf8_lossy(&out[..end]).split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, serde_json::from_slice(&out[end..]).unwrap_or(Value::Null))
}

/// 2026-10-14 02:00 +08:00: no sailing to 大猫岛 before the morning (issue #16).
const NIGHT: i64 = 1_791_914_400;
/// A fight on 大猫岛.
const DAMAO: (f64, f64) = (122.039, 29.951);

/// Issue #16: the boat's phone reports `at_base` and the boat is free again (PostgreSQL's
/// read model): the next call's recommendation offers it, the crew it carried stays on its
/// incident, the boat's page shows no job, and its later steps on that incident are
/// refused. The dispatcher's "boat back" on that incident is refused too (already back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boat_back_at_base_is_offered_to_the_next_call() {
    let Some(w) = world_at("a_boat_back_at_base_is_offered_to_the_next_call", NIGHT).await else { return };
    let addr = w.running.addr;
    let receive = || async {
        let body = json!({"incident_type": "fight", "lon": DAMAO.0, "lat": DAMAO.1, "source": "phone", "text": "打架 test"});
        let (status, answer) = post(addr, "/api/incidents", Some(&w.desk), body).await;
        assert_eq!(status, 201, "{answer}");
        answer["incident_id"].as_i64().unwrap()
    };
    let offers =
        |rec: &Value, boat: &str| rec["candidates"].as_array().unwrap().iter().any(|c| c["unit"] == boat || c["carrier"]["unit"] == boat);
    let id = receive().await;
    let (_, rec) = call(addr, "GET", &format!("/api/incidents/{id}/recommendation"), Some(&w.desk), None).await;
    let pair = rec["candidates"].as_array().unwrap().iter().find(|c| c["carrier"].is_object()).unwrap_or_else(|| panic!("{rec}")).clone();
    let (crew, boat) = (pair["unit"].as_str().unwrap().to_string(), pair["carrier"]["unit"].as_str().unwrap().to_string());
    let send = json!({"unit": crew, "carrier": boat, "override_reason": "陆上警力处置"});
    assert_eq!(post(addr, &format!("/api/incidents/{id}/dispatch-carried"), Some(&w.desk), send).await.0, 200);
    let lin = crew_token(addr, "lin", &boat).await;
    let step = |step: &str| {
        let body = json!({"incident": id, "step": step});
        let lin = lin.clone();
        async move { post(addr, "/api/crew/carrier", Some(&lin), body).await }
    };
    for s in ["to_pickup", "crew_aboard", "crew_landed", "returning"] {
        w.clock.advance(300);
        assert_eq!(step(s).await.0, 200, "{s}");
    }
    let next = receive().await;
    let (_, rec) = call(addr, "GET", &format!("/api/incidents/{next}/recommendation"), Some(&w.desk), None).await;
    assert!(!offers(&rec, &boat), "sailing home, the boat is still the first incident's: {rec}");

    w.clock.advance(600);
    let (status, body) = step("at_base").await;
    assert_eq!(status, 200, "{body}");
    let (_, rec) = call(addr, "GET", &format!("/api/incidents/{next}/recommendation"), Some(&w.desk), None).await;
    assert!(offers(&rec, &boat), "back at its base, the boat is offered again: {rec}");
    let (_, board) = call(addr, "GET", "/api/desk/board", Some(&w.desk), None).await;
    let unit = |u: &str| board["units"].as_array().unwrap().iter().find(|x| x["unit"] == u).unwrap().clone();
    assert_eq!((unit(&boat)["status"].as_str(), unit(&boat)["incident"].is_null()), (Some("available"), true), "{board}");
    assert_eq!((unit(&crew)["status"].as_str(), unit(&crew)["incident"].as_i64()), (Some("dispatched"), Some(id)), "the crew stays");
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert!(view["carrying"].is_null() && view["assignment"].is_null(), "{view}");
    assert_eq!(view["status"], "available");
    let (status, body) = step("returning").await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{body}");
    let (status, body) = post(addr, &format!("/api/incidents/{id}/boat-back"), Some(&w.desk), json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("back at its base"), "{body}");
}

/// Issue #16: the crew of a boat carrying a land crew sees the boat's job (whom, from which
/// pier to which, the crew's status) and reports the boat's steps, journaled under its name
/// and shown on the desk's board; the carried crew acts as before. Another boat, or the
/// carried crew itself, is refused as the carrier; so is any step once the incident is
/// cleared.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_boat_carrying_a_crew_reports_its_steps_as_the_carrier() {
    let Some(w) = world_at("a_boat_carrying_a_crew_reports_its_steps_as_the_carrier", NIGHT).await else { return };
    let addr = w.running.addr;
    add_account(&w.url, "zhou", "crew", PASSWORD).await;
    let body = json!({"incident_type": "fight", "lon": DAMAO.0, "lat": DAMAO.1, "source": "phone", "text": "打架 test"});
    let (status, answer) = post(addr, "/api/incidents", Some(&w.desk), body).await;
    assert_eq!(status, 201, "{answer}");
    let id = answer["incident_id"].as_i64().unwrap();
    let (_, rec) = call(addr, "GET", &format!("/api/incidents/{id}/recommendation"), Some(&w.desk), None).await;
    let pair = rec["candidates"].as_array().unwrap().iter().find(|c| c["carrier"].is_object()).unwrap_or_else(|| panic!("{rec}")).clone();
    let (crew, boat) = (pair["unit"].as_str().unwrap().to_string(), pair["carrier"]["unit"].as_str().unwrap().to_string());
    let send = json!({"unit": crew, "carrier": boat, "override_reason": "陆上警力处置"});
    let (status, answer) = post(addr, &format!("/api/incidents/{id}/dispatch-carried"), Some(&w.desk), send).await;
    assert_eq!(status, 200, "{answer}");

    // The boat's phone: its job, the pickup and landing piers as the recommendation had them.
    let (lin, wu) = (crew_token(addr, "lin", &boat).await, crew_token(addr, "wu", &crew).await);
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    let job = &view["carrying"];
    assert_eq!((job["crew_unit"].as_str(), job["crew_status"].as_str()), (Some(crew.as_str()), Some("dispatched")), "{view}");
    assert!(job["step"].is_null(), "{job}");
    let boat_leg = pair["legs"].as_array().unwrap().iter().find(|l| l["mode"] == "boat").unwrap().clone();
    assert_eq!((&job["pickup"]["id"], &job["landing"]["id"]), (&boat_leg["from"], &boat_leg["to"]), "{job} {boat_leg}");
    assert!(job["landing"]["zh"].as_str().is_some_and(|z| z.contains("大猫")), "{job}");
    assert_eq!(view["assignment"]["incident_id"].as_i64(), Some(id));
    let (_, crew_view) = call(addr, "GET", "/api/crew/assignment", Some(&wu), None).await;
    assert!(crew_view["carrying"].is_null(), "the carried crew has no boat's job: {crew_view}");

    let step = |token: String, step: &str, incident: i64| {
        let body = json!({"incident": incident, "step": step, "phone_utc": NIGHT + 60});
        async move { post(addr, "/api/crew/carrier", Some(&token), body).await }
    };
    let board_step = || async {
        let (_, board) = call(addr, "GET", "/api/desk/board", Some(&w.desk), None).await;
        let row = board["incidents"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
        row["carrier_step"].as_str().map(str::to_string)
    };
    assert_eq!(board_step().await, None);
    w.clock.advance(60);
    let (status, body) = step(lin.clone(), "to_pickup", id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(board_step().await.as_deref(), Some("to_pickup"));
    w.clock.advance(300);
    assert_eq!(step(lin.clone(), "crew_aboard", id).await.0, 200);
    // The carried crew's own steps are unchanged; its status is the crew's, not the boat's step.
    let (status, body) = post(addr, "/api/crew/act", Some(&wu), json!({"incident": id, "action": "en_route"})).await;
    assert_eq!(status, 200, "{body}");
    w.clock.advance(900);
    assert_eq!(step(lin.clone(), "crew_landed", id).await.0, 200);
    assert_eq!(board_step().await.as_deref(), Some("crew_landed"));
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert_eq!(
        (view["carrying"]["step"].as_str(), view["carrying"]["crew_status"].as_str()),
        (Some("crew_landed"), Some("en_route")),
        "{view}"
    );
    let events = timeline(addr, &w.desk, id).await;
    let landed = events.iter().find(|e| e["body"]["kind"] == "crew_action" && e["body"]["action"] == "crew_landed").expect("journaled");
    assert_eq!((landed["operator"].as_str(), landed["body"]["unit"].as_str()), (Some("lin"), Some(boat.as_str())), "{landed}");
    assert_eq!(landed["body"]["phone_utc"].as_i64(), Some(NIGHT + 60));

    // Not the carrier: the carried crew itself, and another boat.
    let (status, body) = step(wu.clone(), "returning", id).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    assert!(body["message"].as_str().unwrap_or("").contains("carries no crew"), "{body}");
    let other = ["boat_01", "boat_02", "boat_03"].into_iter().find(|b| *b != boat).unwrap();
    let zhou = crew_token(addr, "zhou", other).await;
    let (status, body) = step(zhou, "to_pickup", id).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body) = post(addr, "/api/crew/carrier", Some(&lin), json!({"incident": id, "step": "fly"})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(board_step().await.as_deref(), Some("crew_landed"), "nothing refused was journaled");

    // Cleared: the boat is free, and no step is taken for the incident any more.
    w.clock.advance(60);
    assert_eq!(post(addr, "/api/crew/act", Some(&wu), json!({"incident": id, "action": "on_scene"})).await.0, 200);
    w.clock.advance(120);
    let (status, body) = post(addr, "/api/crew/act", Some(&wu), json!({"incident": id, "action": "clear", "text": "已处置"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = step(lin.clone(), "returning", id).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{body}");
    let (_, view) = call(addr, "GET", "/api/crew/assignment", Some(&lin), None).await;
    assert!(view["carrying"].is_null() && view["assignment"].is_null(), "{view}");
    assert_eq!(view["status"], "available");
}
