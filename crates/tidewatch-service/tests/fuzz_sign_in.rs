//! Arbitrary sign-in bodies against a real service: never a 5xx, never a panic (a panic in
//! a handler would drop the connection: status 0 here). PROPTEST_CASES sets the cases.

mod common;

use common::*;
use proptest::prelude::*;
use tidewatch_core::time::ManualClock;

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let json_ish = (any::<String>(), any::<String>(), any::<bool>()).prop_map(|(u, p, extra)| {
        let mut v = serde_json::json!({ "username": u, "password": p });
        if extra {
            v["role"] = serde_json::json!("administrator");
        }
        v.to_string().into_bytes()
    });
    let shapes = prop_oneof![
        Just(br#"{"username": null, "password": null}"#.to_vec()),
        Just(br#"[]"#.to_vec()),
        Just(br#"{"username": "a\u0000", "password": "b"}"#.to_vec()),
        Just(br#"{"username": {"$gt": ""}, "password": "x"}"#.to_vec()),
        Just(br#"{"username": "' OR 1=1 --", "password": "x"}"#.to_vec()),
    ];
    prop_oneof![json_ish, shapes, proptest::collection::vec(any::<u8>(), 0..512)]
}

#[test]
fn sign_in_bodies_never_get_a_5xx() {
    let Some(url) = pg_url("sign_in_bodies_never_get_a_5xx") else { return };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let url = rt.block_on(fresh_database(&url));
    let clock = ManualClock::new(T0);
    let svc = rt.block_on(serve(&url, &clock, lenient()));
    rt.block_on(add_account(&url, "ann", "dispatcher", "correct horse 1"));
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48);
    proptest!(ProptestConfig::with_cases(cases), |(body in bodies())| {
        let (status, answer) = rt.block_on(call(svc.addr, "POST", "/api/sign-in", None, Some(&body)));
        prop_assert!((200..500).contains(&status), "status {status} for {:?}: {answer}", String::from_utf8_lossy(&body));
        if status != 200 {
            prop_assert!(answer["kind"].is_string() && answer["message"].is_string(), "{answer}");
        }
    });
    rt.block_on(svc.stop());
}
