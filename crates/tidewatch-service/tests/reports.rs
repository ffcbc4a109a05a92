//! The supervisor's monthly report over HTTP against a real PostgreSQL (`TIDEWATCH_PG_URL`):
//! only the roles that view reports get it, a bad month is refused naming it, and a call
//! taken after the month's figures were stored shows in the next report.

mod common;

use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use tidewatch_core::time::ManualClock;

const PASSWORD: &str = "correct horse 1";
/// Dinghai town, on the main island.
const TOWN: (f64, f64) = (122.103, 30.018);
/// T0 (2026-07-01 08:00 in Dinghai) falls in July.
const JULY: &str = "/api/reports/monthly?month=2026-07";

fn row<'a>(figures: &'a Value, scope: &str, incident_type: &str) -> Option<&'a Value> {
    figures.as_array()?.iter().find(|r| r["scope"] == scope && r["incident_type"] == incident_type)
}

async fn call_in(addr: SocketAddr, token: &str, kind: &str) {
    let body = json!({"incident_type": kind, "lon": TOWN.0, "lat": TOWN.1, "source": "phone", "text": "test"}).to_string();
    let (status, answer) = call(addr, "POST", "/api/incidents", Some(token), Some(body.as_bytes())).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_report_follows_the_calls_and_is_for_supervisors() {
    let Some(url) = pg_url("the_monthly_report_follows_the_calls_and_is_for_supervisors") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let a = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "sue", "supervisor", PASSWORD).await;
    let (ann, sue) = (token(a.addr, "ann", PASSWORD).await, token(a.addr, "sue", PASSWORD).await);

    let (status, body) = call(a.addr, "GET", JULY, Some(&ann), None).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    for bad in ["/api/reports/monthly?month=2026-13", "/api/reports/monthly?month=July", "/api/reports/monthly"] {
        let (status, body) = call(a.addr, "GET", bad, Some(&sue), None).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }

    let (status, before) = call(a.addr, "GET", JULY, Some(&sue), None).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(row(&before, "all", "*").map(|r| r["incidents"].clone()), Some(json!(0)), "{before}");
    call_in(a.addr, &ann, "theft").await;
    let (status, after) = call(a.addr, "GET", JULY, Some(&sue), None).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(row(&after, "all", "*").map(|r| r["incidents"].clone()), Some(json!(1)), "{after}");
    assert_eq!(row(&after, "type", "theft").map(|r| r["incidents"].clone()), Some(json!(1)), "{after}");
}
