//! The recommendation from crews' live positions, against a real PostgreSQL
//! (`TIDEWATCH_PG_URL`): no position, a fresh one, a stale one, and the position used
//! journaled with the dispatch.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use tidewatch_core::time::ManualClock;

const PASSWORD: &str = "correct horse 1";
/// 白泉派出所 (Baiquan police station); no traffic unit is based there.
const BAIQUAN: (f64, f64) = (122.175, 30.065);

async fn osmand(addr: SocketAddr, secret: &str, (lon, lat): (f64, f64), t: i64) {
    let path = format!("/api/positions/osmand?id={secret}&lat={lat}&lon={lon}&timestamp={t}&speed=30&accuracy=8");
    let (status, body) = call(addr, "GET", &path, None, None).await;
    assert_eq!((status, body["accepted"].as_u64()), (200, Some(1)), "{body}");
}

async fn from_of(addr: SocketAddr, token: &str, id: i64, unit: &str) -> (Value, Value) {
    let (status, rec) = call(addr, "GET", &format!("/api/incidents/{id}/recommendation"), Some(token), None).await;
    assert_eq!(status, 200, "{rec}");
    let c = rec["candidates"].as_array().unwrap().iter().find(|c| c["unit"] == unit).cloned().unwrap_or_else(|| panic!("{unit}: {rec}"));
    (c["from"].clone(), rec["candidates"][0]["unit"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recommendation_starts_from_a_fresh_fix_and_the_dispatch_journals_it() {
    let Some(url) = pg_url("the_recommendation_starts_from_a_fresh_fix_and_the_dispatch_journals_it") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = serve(&url, &clock, lenient()).await;
    add_account(&url, "root", "administrator", PASSWORD).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    let (admin, ann) = (token(svc.addr, "root", PASSWORD).await, token(svc.addr, "ann", PASSWORD).await);
    let (status, device) =
        call(svc.addr, "POST", "/api/devices", Some(&admin), Some(br#"{"unit": "dh_traffic_01", "name": "phone"}"#)).await;
    assert_eq!(status, 201, "{device}");
    let secret = device["secret"].as_str().unwrap().to_string();
    let intake = json!({"incident_type": "traffic_accident", "lon": BAIQUAN.0, "lat": BAIQUAN.1, "source": "phone", "text": "test"});
    let (status, made) = call(svc.addr, "POST", "/api/incidents", Some(&ann), Some(intake.to_string().as_bytes())).await;
    assert_eq!(status, 201, "{made}");
    let id = made["incident_id"].as_i64().unwrap();

    // No position yet: its base.
    let (from, _) = from_of(svc.addr, &ann, id, "dh_traffic_01").await;
    assert_eq!((from["basis"].as_str(), from["place"].as_str()), (Some("last_known"), Some("tsq_shuangqiao")), "{from}");
    assert!(from.get("fix").is_none(), "{from}");

    // A fix 40 s old next to the incident: from there, and it ranks first.
    osmand(svc.addr, &secret, (BAIQUAN.0 + 0.0005, BAIQUAN.1), T0 - 40).await;
    let (from, first) = from_of(svc.addr, &ann, id, "dh_traffic_01").await;
    assert_eq!((from["basis"].as_str(), from["fix"]["age_s"].as_i64()), (Some("gps"), Some(40)), "{from}");
    assert_eq!(first, "dh_traffic_01");

    // Three minutes on (limit 2 min for a phone): stale, its last known place again.
    clock.set(T0 + 180);
    let (from, _) = from_of(svc.addr, &ann, id, "dh_traffic_01").await;
    assert_eq!((from["basis"].as_str(), from["ignored"].as_str()), (Some("last_known"), Some("stale")), "{from}");
    assert_eq!(from["fix"]["age_s"].as_i64(), Some(220), "{from}");

    // A fresh fix again, and the dispatch journals the position it was planned from.
    osmand(svc.addr, &secret, (BAIQUAN.0 + 0.001, BAIQUAN.1), T0 + 175).await;
    let (status, body) =
        call(svc.addr, "POST", &format!("/api/incidents/{id}/dispatch"), Some(&ann), Some(br#"{"unit": "dh_traffic_01"}"#)).await;
    assert_eq!(status, 200, "{body}");
    let (_, events) = call(svc.addr, "GET", "/api/events?after=0&limit=100", Some(&ann), None).await;
    let sent = events.as_array().unwrap().iter().find(|e| e["body"]["kind"] == "dispatched").expect("the dispatch").clone();
    let journaled = &sent["body"]["plan"]["from"];
    assert_eq!(journaled["basis"], "gps", "{sent}");
    assert_eq!((journaled["fix"]["fix_utc"].as_i64(), journaled["fix"]["source"].as_str()), (Some(T0 + 175), Some("osmand")), "{sent}");
    assert!((journaled["fix"]["lon"].as_f64().unwrap() - (BAIQUAN.0 + 0.001)).abs() < 1e-9, "{sent}");
}
