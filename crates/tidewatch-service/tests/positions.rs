//! Crews' devices and positions against a real PostgreSQL (`TIDEWATCH_PG_URL`): devices
//! registered and revoked by administrators (journaled), positions from Traccar Client and
//! OwnTracks accepted, refused and counted, freshness and retention, and arbitrary
//! requests never answered 5xx.

mod common;

use std::net::SocketAddr;

use common::*;
use proptest::prelude::*;
use tidewatch_core::time::ManualClock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "correct horse 1";
/// 临城派出所 (Lincheng police station), on the main island.
const LINCHENG: (f64, f64) = (122.203, 29.988);
/// Open water west of Dinghai, away from every bridge and ferry line.
const OPEN_SEA: (f64, f64) = (121.95, 29.93);

/// One request with any headers; the status and the body as JSON (Null when not JSON).
async fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, serde_json::Value) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let end = out.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(out.len());
    let status = String::from_utf8_lossy(&out[..end]).split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, serde_json::from_slice(&out[end..]).unwrap_or(serde_json::Value::Null))
}

async fn osmand(addr: SocketAddr, secret: &str, (lon, lat): (f64, f64), t: i64) -> (u16, serde_json::Value) {
    let path = format!("/api/positions/osmand?id={secret}&lat={lat}&lon={lon}&timestamp={t}&speed=0&accuracy=8&batt=80");
    send(addr, "GET", &path, &[], b"").await
}

fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

/// A service with an administrator and a dispatcher signed in: (service, admin, dispatcher).
async fn setup(url: &str, clock: &ManualClock) -> (tidewatch_service::Running, String, String) {
    let svc = serve(url, clock, lenient()).await;
    add_account(url, "root", "administrator", PASSWORD).await;
    add_account(url, "ann", "dispatcher", PASSWORD).await;
    let admin = token(svc.addr, "root", PASSWORD).await;
    let dispatcher = token(svc.addr, "ann", PASSWORD).await;
    (svc, admin, dispatcher)
}

/// Registers a device to `unit`; its id and secret.
async fn register(addr: SocketAddr, admin: &str, unit: &str) -> (i64, String) {
    let body = serde_json::json!({ "unit": unit, "name": "phone" }).to_string();
    let (status, answer) = call(addr, "POST", "/api/devices", Some(admin), Some(body.as_bytes())).await;
    assert_eq!(status, 201, "{answer}");
    (answer["device"]["id"].as_i64().unwrap(), answer["secret"].as_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_register_and_revoke_devices_journaled_without_the_secret() {
    let Some(url) = pg_url("administrators_register_and_revoke_devices_journaled_without_the_secret") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (svc, admin, dispatcher) = setup(&url, &clock).await;

    let ask = br#"{"unit": "dh_traffic_01", "name": "traffic 01"}"#;
    let (status, body) = call(svc.addr, "POST", "/api/devices", Some(&dispatcher), Some(ask)).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, _) = call(svc.addr, "GET", "/api/devices", Some(&dispatcher), None).await;
    assert_eq!(status, 403);
    let (status, _) = call(svc.addr, "POST", "/api/devices", None, Some(ask)).await;
    assert_eq!(status, 401);
    let (status, body) = call(svc.addr, "POST", "/api/devices", Some(&admin), Some(br#"{"unit": "no_such_unit"}"#)).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("unknown")), "{body}");
    let (status, body) = call(svc.addr, "POST", "/api/devices", Some(&admin), Some(br#"{"unit": "dh_traffic_01", "secret": "x"}"#)).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("secret")), "{body}");

    let (status, added) = call(svc.addr, "POST", "/api/devices", Some(&admin), Some(ask)).await;
    assert_eq!(status, 201, "{added}");
    let secret = added["secret"].as_str().unwrap();
    assert!(secret.len() == 32 && secret.bytes().all(|c| c.is_ascii_hexdigit()), "{secret}");
    let id = added["device"]["id"].as_i64().unwrap();
    assert_eq!((added["device"]["unit"].as_str(), added["device"]["created_by"].as_str()), (Some("dh_traffic_01"), Some("root")));
    let (_, second) = call(svc.addr, "POST", "/api/devices", Some(&admin), Some(ask)).await;
    assert_ne!(second["secret"], added["secret"], "every device has a secret of its own");

    let (status, list) = call(svc.addr, "GET", "/api/devices", Some(&admin), None).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(2)), "{list}");
    assert!(!list.to_string().contains(secret), "the secret is shown once only");

    clock.advance(60);
    let (status, revoked) = call(svc.addr, "POST", &format!("/api/devices/{id}/revoke"), Some(&admin), None).await;
    assert_eq!((status, revoked["revoked_utc"].as_i64(), revoked["revoked_by"].as_str()), (200, Some(T0 + 60), Some("root")), "{revoked}");
    let (status, again) = call(svc.addr, "POST", &format!("/api/devices/{id}/revoke"), Some(&admin), None).await;
    assert_eq!((status, again["revoked_utc"].as_i64()), (200, Some(T0 + 60)), "revoking again changes nothing");
    let (status, _) = call(svc.addr, "POST", "/api/devices/999/revoke", Some(&admin), None).await;
    assert_eq!(status, 404);

    let (_, events) = call(svc.addr, "GET", "/api/events?after=0", Some(&admin), None).await;
    let kinds: Vec<(&str, &str)> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["body"]["kind"].as_str().is_some_and(|k| k.starts_with("device_")))
        .map(|e| (e["body"]["kind"].as_str().unwrap(), e["operator"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("device_registered", "root"), ("device_registered", "root"), ("device_revoked", "root")]);
    assert!(!events.to_string().contains(secret), "the secret is never journaled");
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_are_accepted_refused_and_counted() {
    let Some(url) = pg_url("positions_are_accepted_refused_and_counted") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (svc, admin, dispatcher) = setup(&url, &clock).await;
    let (_, secret) = register(svc.addr, &admin, "lincheng_patrol_01").await;
    let (_, boat) = register(svc.addr, &admin, "boat_01").await;

    let (status, body) = osmand(svc.addr, &secret, LINCHENG, T0 - 5).await;
    assert_eq!((status, body["accepted"].as_u64()), (200, Some(1)), "{body}");
    let (status, body) = osmand(svc.addr, &secret, LINCHENG, T0 - 5).await;
    assert_eq!((status, body["refused"].clone()), (200, serde_json::json!(["duplicate"])), "a re-sent fix: {body}");
    let (status, body) = osmand(svc.addr, &secret, OPEN_SEA, T0 - 3).await;
    assert_eq!((status, body["refused"].clone()), (200, serde_json::json!(["at_sea"])), "a car at sea: {body}");
    let (_, body) = osmand(svc.addr, &boat, OPEN_SEA, T0 - 3).await;
    assert_eq!(body["accepted"].as_u64(), Some(1), "a boat at sea: {body}");
    let (_, body) = osmand(svc.addr, &secret, LINCHENG, T0 + 3600).await;
    assert_eq!(body["refused"], serde_json::json!(["future"]));
    let (_, body) = osmand(svc.addr, &secret, (116.4, 39.9), T0 - 2).await;
    assert_eq!(body["refused"], serde_json::json!(["outside_region"]));
    // 10 km in 4 s (to the Dinghai passenger terminal): stored for the track, flagged, not
    // a start point.
    let (_, body) = osmand(svc.addr, &secret, (122.09942, 30.00941), T0 - 1).await;
    assert_eq!((body["accepted"].as_u64(), body["flagged"].clone()), (Some(1), serde_json::json!(["jump"])), "{body}");

    let (status, body) = osmand(svc.addr, &"0".repeat(32), LINCHENG, T0).await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("unknown_device")), "{body}");
    let (status, body) = send(svc.addr, "GET", "/api/positions/osmand?id=x&lat=abc&lon=1", &[], b"").await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{body}");

    // Traccar Client 9's JSON, and a form.
    let json = format!(
        r#"{{"device_id":"{secret}","location":{{"timestamp":"2026-07-01T00:00:00Z","coords":{{"latitude":{},"longitude":{},"accuracy":5,"speed":1}},"battery":{{"level":0.5}}}}}}"#,
        LINCHENG.1, LINCHENG.0
    );
    let (status, body) = send(svc.addr, "POST", "/api/positions/osmand", &[("Content-Type", "application/json")], json.as_bytes()).await;
    assert_eq!((status, body["accepted"].as_u64()), (200, Some(1)), "{body}");
    let form = format!("id={secret}&lat={}&lon={}&timestamp={}", LINCHENG.1, LINCHENG.0, T0 + 10);
    let (_, body) =
        send(svc.addr, "POST", "/api/positions/osmand", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes()).await;
    assert_eq!(body["accepted"].as_u64(), Some(1), "{body}");

    // OwnTracks: the secret as the Basic password; answered with an array.
    let auth = basic("lincheng_patrol_01", &secret);
    let message =
        format!(r#"{{"_type":"location","lat":{},"lon":{},"tst":{},"acc":10,"batt":70,"tid":"S1"}}"#, LINCHENG.1, LINCHENG.0, T0 + 20);
    let (status, body) = send(svc.addr, "POST", "/api/positions/owntracks", &[("Authorization", &auth)], message.as_bytes()).await;
    assert_eq!((status, body), (200, serde_json::json!([])));
    let (status, _) = send(svc.addr, "POST", "/api/positions/owntracks", &[("Authorization", &auth)], br#"{"_type":"status"}"#).await;
    assert_eq!(status, 200, "a message without a fix is fine");
    let (status, _) =
        send(svc.addr, "POST", "/api/positions/owntracks", &[("Authorization", &basic("x", "wrong"))], message.as_bytes()).await;
    assert_eq!(status, 401);
    let (status, _) = send(svc.addr, "POST", "/api/positions/owntracks", &[], message.as_bytes()).await;
    assert_eq!(status, 401);

    let (status, _) = call(svc.addr, "GET", "/api/positions/stats", Some(&dispatcher), None).await;
    assert_eq!(status, 403);
    let (status, stats) = call(svc.addr, "GET", "/api/positions/stats", Some(&admin), None).await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["accepted"].as_i64(), Some(6), "{stats}");
    let refused = serde_json::json!({"duplicate": 1, "at_sea": 1, "future": 1, "outside_region": 1, "unknown_device": 3, "malformed": 1});
    assert_eq!(stats["refused"], refused, "{stats}");
    assert_eq!(stats["flagged"], serde_json::json!({"jump": 1}), "{stats}");

    // The fresh position: the station's latest (OwnTracks at T0 + 20, ahead of the clock
    // within the skew), the boat's at sea.
    let (status, latest) = call(svc.addr, "GET", "/api/positions/latest", Some(&dispatcher), None).await;
    assert_eq!(status, 200, "{latest}");
    let by_unit = |unit: &str| latest.as_array().unwrap().iter().find(|p| p["unit"] == unit).cloned();
    let station = by_unit("lincheng_patrol_01").expect("a fresh position");
    assert_eq!(
        (station["source"].as_str(), station["fix_utc"].as_i64(), station["island"].as_str()),
        (Some("owntracks"), Some(T0 + 20), Some("zhoushan"))
    );
    let boat = by_unit("boat_01").expect("the boat's position");
    assert_eq!((boat["afloat"].as_bool(), boat["island"].clone()), (Some(true), serde_json::Value::Null));
    clock.advance(121);
    let (_, latest) = call(svc.addr, "GET", "/api/positions/latest", Some(&dispatcher), None).await;
    assert_eq!(latest.as_array().map(|l| l.iter().filter(|p| p["unit"] == "boat_01").count()), Some(0), "stale after 2 min: {latest}");
    assert!(latest.as_array().unwrap().iter().all(|p| p["age_s"].as_i64().unwrap() <= 120), "{latest}");
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_device_is_refused_and_old_positions_go() {
    let Some(url) = pg_url("a_revoked_device_is_refused_and_old_positions_go") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (svc, admin, _) = setup(&url, &clock).await;
    let (id, secret) = register(svc.addr, &admin, "dh_traffic_01").await;
    let (_, other) = register(svc.addr, &admin, "dh_traffic_02").await;
    assert_eq!(osmand(svc.addr, &secret, LINCHENG, T0).await.1["accepted"].as_u64(), Some(1));

    let (status, _) = call(svc.addr, "POST", &format!("/api/devices/{id}/revoke"), Some(&admin), None).await;
    assert_eq!(status, 200);
    let (status, body) = osmand(svc.addr, &secret, LINCHENG, T0 + 5).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("revoked_device")), "{body}");
    let (_, stats) = call(svc.addr, "GET", "/api/positions/stats", Some(&admin), None).await;
    assert_eq!(stats["refused"]["revoked_device"].as_i64(), Some(1), "{stats}");
    let (_, list) = call(svc.addr, "GET", "/api/devices", Some(&admin), None).await;
    let revoked = list.as_array().unwrap().iter().find(|d| d["id"] == id).cloned().unwrap();
    assert_eq!(revoked["last_fix_utc"].as_i64(), Some(T0), "its positions stay, with their device: {revoked}");

    // Retention: 30 days by default. The other device reports a day before the end.
    clock.advance(29 * 86_400);
    assert_eq!(osmand(svc.addr, &other, LINCHENG, clock.now()).await.1["accepted"].as_u64(), Some(1));
    let admin = token(svc.addr, "root", PASSWORD).await;
    let (_, body) = call(svc.addr, "POST", "/api/positions/cleanup", Some(&admin), None).await;
    assert_eq!(body["deleted"].as_u64(), Some(0), "nothing is past retention yet: {body}");
    clock.advance(86_400 + 1);
    let admin = token(svc.addr, "root", PASSWORD).await;
    let (status, body) = call(svc.addr, "POST", "/api/positions/cleanup", Some(&admin), None).await;
    assert_eq!((status, body["deleted"].as_u64()), (200, Some(1)), "the 30-day-old fix goes: {body}");
    let (_, list) = call(svc.addr, "GET", "/api/devices", Some(&admin), None).await;
    let lasts: Vec<Option<i64>> = list.as_array().unwrap().iter().map(|d| d["last_fix_utc"].as_i64()).collect();
    assert_eq!(lasts, [Some(T0 + 29 * 86_400), None], "newest device first: {list}");
    svc.stop().await;
}

fn queries() -> impl Strategy<Value = String> {
    let key =
        prop_oneof![Just("id"), Just("lat"), Just("lon"), Just("timestamp"), Just("location"), Just("valid"), Just("batt"), Just("speed")];
    let value = prop_oneof![
        any::<f64>().prop_map(|x| x.to_string()),
        any::<i64>().prop_map(|x| x.to_string()),
        "[a-zA-Z0-9%+,.:-]{0,20}",
        Just("%00".to_string()),
        Just("%ZZ".to_string()),
    ];
    proptest::collection::vec((key, value), 0..10).prop_map(|kv| kv.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let owntracks = (any::<f64>(), any::<f64>(), any::<i64>(), "[ -~]{0,12}").prop_map(|(lat, lon, t, s)| {
        serde_json::json!({ "_type": "location", "lat": lat, "lon": lon, "tst": t, "tid": s, "acc": s }).to_string().into_bytes()
    });
    let traccar = (any::<f64>(), any::<f64>(), "[ -~]{0,24}").prop_map(|(lat, lon, t)| {
        serde_json::json!({ "device_id": t, "location": { "timestamp": t, "coords": { "latitude": lat, "longitude": lon } } })
            .to_string()
            .into_bytes()
    });
    prop_oneof![owntracks, traccar, proptest::collection::vec(any::<u8>(), 0..256)]
}

/// Arbitrary query strings and bodies, from a registered device and from nobody: an
/// answer below 500 every time (a panic in a handler would drop the connection: 0 here).
#[test]
fn arbitrary_reports_never_get_a_5xx() {
    let Some(url) = pg_url("arbitrary_reports_never_get_a_5xx") else { return };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let url = rt.block_on(fresh_database(&url));
    let clock = ManualClock::new(T0);
    let (svc, admin, _) = rt.block_on(setup(&url, &clock));
    let (_, secret) = rt.block_on(register(svc.addr, &admin, "dh_joint_01"));
    let auth = basic("u", &secret);
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    proptest!(ProptestConfig::with_cases(cases), |(query in queries(), body in bodies(), known in any::<bool>())| {
        let id = if known { format!("id={secret}&") } else { String::new() };
        let path = format!("/api/positions/osmand?{id}{query}");
        for (method, body) in [("GET", &b""[..]), ("POST", &body[..])] {
            let (status, answer) = rt.block_on(send(svc.addr, method, &path, &[], body));
            prop_assert!((200..500).contains(&status), "{method} {path}: {status} {answer}");
        }
        let headers = if known { vec![("Authorization", auth.as_str())] } else { vec![] };
        let (status, answer) = rt.block_on(send(svc.addr, "POST", "/api/positions/owntracks", &headers, &body));
        prop_assert!((200..500).contains(&status), "owntracks {:?}: {status} {answer}", String::from_utf8_lossy(&body));
    });
    rt.block_on(svc.stop());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_replays_a_units_track_with_its_incidents() {
    let Some(url) = pg_url("a_supervisor_replays_a_units_track_with_its_incidents") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (svc, admin, dispatcher) = setup(&url, &clock).await;
    add_account(&url, "sue", "supervisor", PASSWORD).await;
    let sue = token(svc.addr, "sue", PASSWORD).await;
    let body = serde_json::json!({ "incident_type": "fight", "lon": LINCHENG.0, "lat": LINCHENG.1, "source": "phone" }).to_string();
    let (status, made) = call(svc.addr, "POST", "/api/incidents", Some(&dispatcher), Some(body.as_bytes())).await;
    assert_eq!(status, 201, "{made}");
    let incident = made["incident_id"].as_i64().unwrap();
    let (_, rec) = call(svc.addr, "GET", &format!("/api/incidents/{incident}/recommendation"), Some(&dispatcher), None).await;
    let unit = rec["candidates"][0]["unit"].as_str().unwrap().to_string();
    let (_, secret) = register(svc.addr, &admin, &unit).await;
    let walk = [(122.2030, 29.9880), (122.2040, 29.9882), (122.2050, 29.9886)];
    for (i, at) in walk.iter().enumerate() {
        let (_, body) = osmand(svc.addr, &secret, *at, T0 - 300 + 60 * i as i64).await;
        assert_eq!(body["accepted"].as_u64(), Some(1), "{body}");
    }
    let body = serde_json::json!({ "unit": unit }).to_string();
    let (status, sent) =
        call(svc.addr, "POST", &format!("/api/incidents/{incident}/dispatch"), Some(&dispatcher), Some(body.as_bytes())).await;
    assert_eq!(status, 200, "{sent}");

    let ask = |token: String, unit: String, from: i64, to: i64| async move {
        call(svc.addr, "GET", &format!("/api/positions/track?unit={unit}&from={from}&to={to}"), Some(&token), None).await
    };
    let (status, track) = ask(sue.clone(), unit.clone(), T0 - 600, T0 + 600).await;
    assert_eq!(status, 200, "{track}");
    let fixes: Vec<(i64, f64)> =
        track["points"].as_array().unwrap().iter().map(|p| (p["fix_utc"].as_i64().unwrap(), p["lon"].as_f64().unwrap())).collect();
    assert_eq!(fixes, [(T0 - 300, 122.2030), (T0 - 240, 122.2040), (T0 - 180, 122.2050)], "in time order");
    assert_eq!(track["truncated"], false);
    let incidents = track["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{track}");
    assert_eq!((incidents[0]["id"].as_i64(), incidents[0]["dispatched_utc"].as_i64()), (Some(incident), Some(T0)));
    assert_eq!(incidents[0]["incident_type"], "fight");

    let (status, early) = ask(sue.clone(), unit.clone(), T0 - 7200, T0 - 3600).await;
    assert_eq!(
        (status, early["points"].as_array().map(Vec::len), early["incidents"].as_array().map(Vec::len)),
        (200, Some(0), Some(0)),
        "{early}"
    );
    let (status, refused) = ask(dispatcher.clone(), unit.clone(), T0 - 600, T0 + 600).await;
    assert_eq!(status, 403, "a dispatcher does not replay tracks: {refused}");
    let (status, refused) = ask(sue.clone(), "no_such_unit".into(), T0 - 600, T0 + 600).await;
    assert_eq!((status, refused["kind"].as_str()), (404, Some("unknown")), "{refused}");
    for (from, to) in [(T0, T0), (T0, T0 - 1), (T0, T0 + 8 * 86_400)] {
        let (status, refused) = ask(sue.clone(), unit.clone(), from, to).await;
        assert_eq!((status, refused["field"].as_str()), (400, Some("to")), "{from}..{to}: {refused}");
    }
    let (status, refused) = call(svc.addr, "GET", "/api/positions/track?unit=x&from=soon&to=1", Some(&sue), None).await;
    assert_eq!((status, refused["field"].as_str()), (400, Some("query")), "{refused}");
    svc.stop().await;
}

/// How many `{"fixes":true}` the socket brings within `ms`.
async fn told_fixes<S>(ws: &mut S, ms: u64) -> usize
where
    S: futures_util::StreamExt<Item = Result<tokio_tungstenite::tungstenite::Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(ms);
    let mut n = 0;
    while let Ok(Some(Ok(m))) = tokio::time::timeout_at(deadline, ws.next()).await {
        n += usize::from(m.to_text().is_ok_and(|t| t.contains(r#""fixes":true"#)));
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_is_told_when_phones_report_at_most_once_a_second() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let Some(url) = pg_url("a_desk_is_told_when_phones_report_at_most_once_a_second") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let (svc, admin, dispatcher) = setup(&url, &clock).await;
    let (_, secret) = register(svc.addr, &admin, "lincheng_patrol_01").await;
    let (_, head) = call(svc.addr, "GET", "/api/head", Some(&dispatcher), None).await;
    let mut req = format!("ws://{}/api/live?after={}", svc.addr, head["seq"].as_i64().unwrap_or(0)).into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {dispatcher}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("the socket opens");
    // Five reports in quick succession: told at once, then at most once more in the second.
    for i in 0..5 {
        let (_, body) = osmand(svc.addr, &secret, (LINCHENG.0 + 0.0001 * i as f64, LINCHENG.1), T0 - 50 + i).await;
        assert_eq!(body["accepted"].as_u64(), Some(1), "{body}");
    }
    let fixes = told_fixes(&mut ws, 2500).await;
    assert!((1..=3).contains(&fixes), "told {fixes} times in 2.5 s of five reports");
    assert_eq!(told_fixes(&mut ws, 1500).await, 0, "nothing reported, nothing told");
    let (_, refused) = osmand(svc.addr, &secret, (116.4, 39.9), T0 - 30).await;
    assert_eq!(refused["refused"], serde_json::json!(["outside_region"]));
    assert_eq!(told_fixes(&mut ws, 1500).await, 0, "a refused fix is not news");
    svc.stop().await;
}
