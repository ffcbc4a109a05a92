//! Arbitrary bodies, paths and seats on the desk's routes against a real service: never a
//! 5xx, never a panic (a panic in a handler drops the connection: status 0 here), and every
//! refusal in the core error's shape. PROPTEST_CASES sets the cases.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::json;
use tidewatch_core::time::ManualClock;

/// The routes that read a body (method, path with `{id}` and `{name}` to fill).
const ROUTES: [(&str, &str); 14] = [
    ("POST", "/api/first-administrator"),
    ("POST", "/api/sign-in"),
    ("POST", "/api/incidents"),
    ("POST", "/api/preview"),
    ("POST", "/api/incidents/{id}/dispatch"),
    ("POST", "/api/incidents/{id}/clear"),
    ("POST", "/api/incidents/{id}/cancel"),
    ("POST", "/api/incidents/{id}/note"),
    ("POST", "/api/incidents/{id}/reassign"),
    ("PUT", "/api/conditions"),
    ("PUT", "/api/board-thresholds"),
    ("POST", "/api/accounts"),
    ("POST", "/api/accounts/{name}/disabled"),
    ("POST", "/api/accounts/{name}/password"),
];

fn values() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|x| json!(x)),
        any::<String>().prop_map(|s| json!(s)),
        Just(json!("station:ps_jintang")),
        Just(json!([1, "x"])),
        Just(json!({"$gt": ""})),
        Just(json!("a\u{0}b")),
        Just(json!("x".repeat(3000))),
    ]
}

/// Objects of the routes' field names (and a stray one) with arbitrary values, or raw bytes.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let names = prop::sample::select(vec![
        "username",
        "password",
        "role",
        "seat",
        "incident_type",
        "priority",
        "lon",
        "lat",
        "source",
        "text",
        "unit",
        "override_reason",
        "reassign_reason",
        "outcome",
        "reason",
        "at",
        "wind_force",
        "visibility_m",
        "closed",
        "disabled",
        "dispatched",
        "en_route",
        "stray",
    ]);
    let objects = prop::collection::btree_map(names, values(), 0..6).prop_map(|m| serde_json::to_vec(&m).unwrap());
    prop_oneof![4 => objects, 1 => prop::collection::vec(any::<u8>(), 0..256)]
}

fn paths() -> impl Strategy<Value = (String, String)> {
    let ids = prop_oneof![Just("1".to_string()), Just("-1".to_string()), Just("99999999999999999999".to_string()), "[a-z%0-9]{0,8}"];
    let names = prop_oneof![Just("ann".to_string()), Just("root".to_string()), "[a-zA-Z%0-9._-]{1,80}"];
    (prop::sample::select(ROUTES.to_vec()), ids, names)
        .prop_map(|((method, path), id, name)| (method.to_string(), path.replace("{id}", &id).replace("{name}", &name)))
}

#[test]
fn desk_bodies_never_get_a_5xx() {
    let Some(url) = pg_url("desk_bodies_never_get_a_5xx") else { return };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let url = rt.block_on(fresh_database(&url));
    let clock = ManualClock::new(T0);
    let svc = rt.block_on(serve(&url, &clock, lenient()));
    rt.block_on(add_account(&url, "ann", "dispatcher", "correct horse 1"));
    rt.block_on(add_account(&url, "root", "administrator", "correct horse 1"));
    let ann = rt.block_on(token(svc.addr, "ann", "correct horse 1"));
    let root = rt.block_on(token(svc.addr, "root", "correct horse 1"));
    let call_body = json!({"incident_type": "theft", "lon": 122.103, "lat": 30.018, "source": "phone"}).to_string();
    assert_eq!(rt.block_on(call(svc.addr, "POST", "/api/incidents", Some(&ann), Some(call_body.as_bytes()))).0, 201);
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96);
    proptest!(ProptestConfig::with_cases(cases), |((method, path) in paths(), body in bodies(), admin in any::<bool>())| {
        let token = if admin { &root } else { &ann };
        let (status, answer) = rt.block_on(call(svc.addr, &method, &path, Some(token), Some(&body)));
        prop_assert!((200..500).contains(&status), "status {status} for {method} {path} {:?}: {answer}", String::from_utf8_lossy(&body));
        if status >= 400 {
            prop_assert!(answer["kind"].is_string() && answer["message"].is_string(), "{method} {path}: {answer}");
        }
    });
    rt.block_on(svc.stop());
}
