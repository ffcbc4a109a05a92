//! The leader's routes over HTTP against a real PostgreSQL (`TIDEWATCH_PG_URL`): the
//! history is for the roles that view reports, a span is checked, publishing is for patrol
//! leaders and its body has a limit of its own (above the service's 16 KiB, below 4 MiB).
//! A roster planned and published end to end, and a dispatcher's publish refused by the
//! service: tidewatch-client's `leader_seat.rs`.

mod common;

use common::*;
use serde_json::json;
use tidewatch_core::time::ManualClock;
use tidewatch_service::leader::MAX_ROSTER_BODY;

const PASSWORD: &str = "correct horse 1";
/// 2026-06-30 08:00 → 2026-07-01 08:00 (Dinghai time).
const DAY: &str = "/api/leader/calls?from_utc=1782777600&to_utc=1782864000";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_is_for_those_who_view_reports_and_publishing_for_leaders() {
    let Some(url) = pg_url("the_history_is_for_those_who_view_reports_and_publishing_for_leaders") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0 - 3600);
    let a = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "li", "patrol_leader", PASSWORD).await;
    add_account(&url, "sue", "supervisor", PASSWORD).await;
    let (ann, li, sue) = (token(a.addr, "ann", PASSWORD).await, token(a.addr, "li", PASSWORD).await, token(a.addr, "sue", PASSWORD).await);
    let body = json!({"incident_type": "theft", "lon": 122.103, "lat": 30.018, "source": "phone", "text": "test"}).to_string();
    let (status, answer) = call(a.addr, "POST", "/api/incidents", Some(&ann), Some(body.as_bytes())).await;
    assert_eq!(status, 201, "{answer}");

    // A dispatcher gets none of it.
    let replay = DAY.replace("calls", "replay-calls");
    for path in [DAY, replay.as_str(), "/api/leader/published"] {
        let (status, body) = call(a.addr, "GET", path, Some(&ann), None).await;
        assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{path}: {body}");
    }

    // The leader (and a supervisor) get the day's call, as the demand and the what-if read it.
    for who in [&li, &sue] {
        let (status, calls) = call(a.addr, "GET", DAY, Some(who), None).await;
        assert_eq!(status, 200, "{calls}");
        assert_eq!(calls.as_array().map(Vec::len), Some(1), "{calls}");
        assert_eq!(calls[0]["incident_type"], "theft");
    }
    let (status, calls) = call(a.addr, "GET", &replay, Some(&li), None).await;
    assert_eq!((status, calls.as_array().map(Vec::len)), (200, Some(1)), "{calls}");
    assert_eq!((calls[0]["lon"].as_f64(), calls[0]["priority"].as_u64().is_some()), (Some(122.103), true), "{calls}");
    let (status, none) = call(a.addr, "GET", "/api/leader/published", Some(&li), None).await;
    assert_eq!((status, none), (200, serde_json::Value::Null));

    // Spans: reversed, over a year and a day, or missing are refused naming them.
    for bad in [
        "/api/leader/calls?from_utc=1782864000&to_utc=1782777600",
        "/api/leader/calls?from_utc=0&to_utc=1782864000",
        "/api/leader/replay-calls?from_utc=1782864000",
        "/api/leader/calls?from_utc=x&to_utc=1",
    ] {
        let (status, body) = call(a.addr, "GET", bad, Some(&li), None).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{bad}: {body}");
        assert!(matches!(body["field"].as_str(), Some("span" | "query")), "{bad}: {body}");
    }

    // Publishing: not a roster is 400 naming the field, even above the service's 16 KiB
    // (the route has its own limit); over that limit is 413. Nothing is journaled.
    let (_, head) = call(a.addr, "GET", "/api/head", Some(&li), None).await;
    let (status, body) = call(a.addr, "POST", "/api/leader/rosters", Some(&li), Some(br#"{"roster": {"region": "dinghai"}}"#)).await;
    assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{body}");
    let big = format!(r#"{{"roster": "{}"}}"#, "x".repeat(64 * 1024));
    let (status, body) = call(a.addr, "POST", "/api/leader/rosters", Some(&li), Some(big.as_bytes())).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("roster")), "{body}");
    let huge = format!(r#"{{"roster": "{}"}}"#, "x".repeat(MAX_ROSTER_BODY));
    let (status, _) = call(a.addr, "POST", "/api/leader/rosters", Some(&li), Some(huge.as_bytes())).await;
    assert_eq!(status, 413);
    let (_, after) = call(a.addr, "GET", "/api/head", Some(&li), None).await;
    assert_eq!(head, after, "nothing journaled");
}
