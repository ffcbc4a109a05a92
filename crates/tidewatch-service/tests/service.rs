//! The service against a real PostgreSQL (`TIDEWATCH_PG_URL`; `make test-pg` sets it):
//! sessions, rate limits, reads, input limits, and live pushes between two services on one
//! database. Each test has a database of its own.

mod common;

use std::time::Duration;

use common::*;
use futures_util::StreamExt;
use tidewatch_core::time::ManualClock;
use tidewatch_service::sessions::Limits;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_needs_no_session_and_everything_else_does() {
    let Some(url) = pg_url("health_needs_no_session_and_everything_else_does") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = serve(&url, &clock, lenient()).await;
    assert_eq!(call(svc.addr, "GET", "/api/health", None, None).await, (200, serde_json::json!({"ok": true})));
    for path in ["/api/head", "/api/board", "/api/events?after=0", "/api/live"] {
        let (status, body) = call(svc.addr, "GET", path, None, None).await;
        assert_eq!((status, body["kind"].as_str()), (401, Some("not_signed_in")), "{path}: {body}");
        let (status, _) = call(svc.addr, "GET", path, Some(&"a".repeat(64)), None).await;
        assert_eq!(status, 401, "{path} with a made-up token");
        let (status, _) = call(svc.addr, "GET", path, Some("' OR 1=1 --"), None).await;
        assert_eq!(status, 401, "{path} with SQL for a token");
    }
    let (status, body) = call(svc.addr, "POST", "/api/sign-out", None, None).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = call(svc.addr, "GET", "/api/nothing-here", None, None).await;
    assert_eq!((status, body["kind"].as_str()), (404, Some("unknown")));
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_shared_by_two_services_hashed_expiring_and_revocable() {
    let Some(url) = pg_url("sessions_are_shared_by_two_services_hashed_expiring_and_revocable") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let a = serve(&url, &clock, lenient()).await;
    let b = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;

    let (status, body) = sign_in(a.addr, "ann", "wrong password").await;
    assert_eq!((status, body["message"].as_str()), (400, Some("login: unknown user or wrong password")), "{body}");
    let (status, _) = sign_in(a.addr, "nobody", PASSWORD).await;
    assert_eq!(status, 400, "an unknown name is refused like a wrong password");

    let (status, body) = sign_in(a.addr, "ann", PASSWORD).await;
    assert_eq!((status, body["role"].as_str()), (200, Some("dispatcher")), "{body}");
    let token = body["token"].as_str().unwrap().to_string();
    assert!(token.len() == 64 && token.bytes().all(|c| c.is_ascii_hexdigit()), "{token}");
    assert_ne!(token, self::token(a.addr, "ann", PASSWORD).await, "every sign-in gets a new token");

    // The token works on the other service too: sessions are in PostgreSQL.
    assert_eq!(call(b.addr, "GET", "/api/board", Some(&token), None).await.0, 200);
    // ...which holds only hashes of tokens.
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
    let stored: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT token_hash FROM service_sessions").fetch_all(&mut conn).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|(h,)| h.len() == 32 && h[..] != token.as_bytes()[..32]));

    // A session lapses after the idle limit, and a request within it keeps it alive.
    clock.advance(Limits::default().idle_s - 10);
    assert_eq!(call(a.addr, "GET", "/api/head", Some(&token), None).await.0, 200);
    clock.advance(Limits::default().idle_s - 10);
    assert_eq!(call(a.addr, "GET", "/api/head", Some(&token), None).await.0, 200, "used 10 s before lapsing");
    clock.advance(Limits::default().idle_s + 1);
    let (status, body) = call(a.addr, "GET", "/api/head", Some(&token), None).await;
    assert_eq!((status, body["kind"].as_str()), (401, Some("not_signed_in")), "idle too long");

    // Sign-out on one service ends the session on both, and is journaled.
    let token = self::token(a.addr, "ann", PASSWORD).await;
    assert_eq!(call(b.addr, "POST", "/api/sign-out", Some(&token), None).await.0, 204);
    assert_eq!(call(a.addr, "GET", "/api/board", Some(&token), None).await.0, 401);
    let fresh = self::token(a.addr, "ann", PASSWORD).await;
    let (_, events) = call(a.addr, "GET", "/api/events?after=0", Some(&fresh), None).await;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().filter_map(|e| e["body"]["kind"].as_str()).collect();
    assert!(kinds.contains(&"signed_out") && kinds.contains(&"sign_in_failed") && kinds.contains(&"signed_in"), "{kinds:?}");
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_rate_limited_per_name_and_per_address() {
    let Some(url) = pg_url("sign_in_is_rate_limited_per_name_and_per_address") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let limits = Limits { per_name: 3, per_address: 6, window_s: 60, ..Limits::default() };
    let a = serve(&url, &clock, limits).await;
    let b = serve(&url, &clock, limits).await;
    add_account(&url, "bob", "supervisor", PASSWORD).await;

    // Three tries with one name (across both services: the count is in PostgreSQL)...
    assert_eq!(sign_in(a.addr, "bob", "guess 1").await.0, 400);
    assert_eq!(sign_in(b.addr, "bob", "guess 2").await.0, 400);
    assert_eq!(sign_in(a.addr, "bob", PASSWORD).await.0, 200);
    // ...then even the right password waits for the window.
    let (status, body) = sign_in(b.addr, "bob", PASSWORD).await;
    assert_eq!((status, body["kind"].as_str()), (429, Some("sign_in_locked")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("name"), "{body}");

    // Other names from the same address: two more, then the address is refused.
    assert_eq!(sign_in(a.addr, "carol", "x").await.0, 400);
    assert_eq!(sign_in(a.addr, "dave", "x").await.0, 400);
    let (status, body) = sign_in(a.addr, "erin", "x").await;
    assert_eq!((status, body["kind"].as_str()), (429, Some("sign_in_locked")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("address"), "{body}");

    // After the window, bob gets in again.
    clock.advance(61);
    assert_eq!(sign_in(b.addr, "bob", PASSWORD).await.0, 200);
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_the_board_the_head_and_events_after_a_seq() {
    let Some(url) = pg_url("reads_the_board_the_head_and_events_after_a_seq") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    let token = token(svc.addr, "ann", PASSWORD).await;
    let _ = self::token(svc.addr, "ann", PASSWORD).await;

    let (status, head) = call(svc.addr, "GET", "/api/head", Some(&token), None).await;
    assert_eq!((status, head["seq"].as_i64()), (200, Some(2)), "two sign-ins journaled: {head}");
    assert_eq!(head["hash"].as_str().map(str::len), Some(64));

    let (status, events) = call(svc.addr, "GET", "/api/events?after=0&limit=1", Some(&token), None).await;
    assert_eq!(status, 200);
    let seqs: Vec<i64> = events.as_array().unwrap().iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(seqs, [1]);
    let (_, events) = call(svc.addr, "GET", "/api/events?after=1", Some(&token), None).await;
    assert_eq!(events.as_array().unwrap().iter().filter_map(|e| e["seq"].as_i64()).collect::<Vec<_>>(), [2]);
    let (_, events) = call(svc.addr, "GET", "/api/events?after=2", Some(&token), None).await;
    assert_eq!(events, serde_json::json!([]));

    let (status, board) = call(svc.addr, "GET", "/api/board", Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(board["head"], head);
    assert!(board["incidents"].is_array() && board["units"].is_array(), "{board}");

    for bad in ["/api/events?after=x", "/api/events?limit=0", "/api/events?limit=1001", "/api/events?limit=-1", "/api/events?sql=1"] {
        let (status, body) = call(svc.addr, "GET", bad, Some(&token), None).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{bad}: {body}");
        assert!(body["field"].is_string(), "{bad}: {body}");
    }
    svc.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_refused_naming_the_field() {
    let Some(url) = pg_url("bad_bodies_are_refused_naming_the_field") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let svc = serve(&url, &clock, lenient()).await;
    let cases: [(&str, &str); 6] = [
        (r#"{"username": "ann"}"#, "password"),
        (r#"{"username": 1, "password": "x"}"#, "username"),
        (r#"{"username": "a", "password": "x", "role": "administrator"}"#, "role"),
        ("{", "body"),
        ("", "body"),
        (r#"{"username": "a", "password": "x", "#, "body"),
    ];
    for (body, field) in cases {
        let (status, answer) = call(svc.addr, "POST", "/api/sign-in", None, Some(body.as_bytes())).await;
        assert_eq!((status, answer["field"].as_str()), (400, Some(field)), "{body:?}: {answer}");
    }
    let long = serde_json::json!({"username": "a".repeat(65), "password": "x"}).to_string();
    let (status, answer) = call(svc.addr, "POST", "/api/sign-in", None, Some(long.as_bytes())).await;
    assert_eq!((status, answer["field"].as_str()), (400, Some("username")), "{answer}");
    let long = serde_json::json!({"username": "a", "password": "x".repeat(257)}).to_string();
    assert_eq!(call(svc.addr, "POST", "/api/sign-in", None, Some(long.as_bytes())).await.0, 400);
    let huge = vec![b' '; 64 * 1024];
    assert_eq!(call(svc.addr, "POST", "/api/sign-in", None, Some(&huge)).await.0, 413);
    svc.stop().await;
}

/// A WebSocket on `addr` with `token`, after seq `after`.
async fn live(
    addr: std::net::SocketAddr,
    token: &str,
    after: i64,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut req = format!("ws://{addr}/api/live?after={after}").into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req).await.expect("the socket opens").0
}

/// The next seq pushed, within 5 s.
async fn next_seq(ws: &mut (impl StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin)) -> i64 {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("a push within 5 s").expect("open").unwrap();
        if let Message::Text(text) = msg {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            return v["seq"].as_i64().expect("a seq");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_append_through_one_service_is_pushed_to_a_socket_on_the_other() {
    let Some(url) = pg_url("an_append_through_one_service_is_pushed_to_a_socket_on_the_other") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let a = serve(&url, &clock, lenient()).await;
    let b = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    let token_b = token(b.addr, "ann", PASSWORD).await; // seq 1

    // Connected with nothing seen: told the head at once.
    let mut ws = live(b.addr, &token_b, 0).await;
    assert_eq!(next_seq(&mut ws).await, 1);
    // A sign-in through A is an append (seq 2): B's socket hears it.
    let started = std::time::Instant::now();
    let token_a = token(a.addr, "ann", PASSWORD).await;
    assert_eq!(next_seq(&mut ws).await, 2);
    eprintln!("pushed across services in {:?} (sign-in included)", started.elapsed());
    // A failed sign-in is journaled too (seq 3).
    assert_eq!(sign_in(a.addr, "ann", "nope").await.0, 400);
    assert_eq!(next_seq(&mut ws).await, 3);

    // A desk that was away reconnects after the last seq it saw and is told the head; it
    // then catches up by seq.
    drop(ws);
    let _ = sign_in(a.addr, "ann", "nope again").await; // seq 4, while disconnected
    let mut ws = live(b.addr, &token_b, 3).await;
    assert_eq!(next_seq(&mut ws).await, 4);
    let (_, missed) = call(b.addr, "GET", "/api/events?after=3", Some(&token_b), None).await;
    assert_eq!(missed.as_array().unwrap().iter().filter_map(|e| e["seq"].as_i64()).collect::<Vec<_>>(), [4]);

    // Revoked: the socket is refused.
    assert_eq!(call(a.addr, "POST", "/api/sign-out", Some(&token_a), None).await.0, 204);
    let mut req = format!("ws://{}/api/live", b.addr).into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {token_a}").parse().unwrap());
    assert!(tokio_tungstenite::connect_async(req).await.is_err(), "a revoked token opens no socket");
    a.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_tls_dir_the_service_speaks_https_with_the_certificate_it_made() {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(url) = pg_url("with_a_tls_dir_the_service_speaks_https_with_the_certificate_it_made") else { return };
    let url = fresh_database(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(T0);
    let config = tidewatch_service::Config { tls_dir: Some(dir.path().to_path_buf()), ..config(&url, &clock, lenient()) };
    let svc = tidewatch_service::start(config).await.unwrap();
    let (fingerprint, made) = svc.tls.clone().expect("TLS on");
    assert!(made && svc.scheme() == "https");

    let connector = tokio_rustls::TlsConnector::from(Arc::new(tidewatch_service::tls::pinned_client_config(&fingerprint).unwrap()));
    let tcp = tokio::net::TcpStream::connect(svc.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = connector.connect(name, tcp).await.expect("the pinned certificate is accepted");
    tls.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with(r#"{"ok":true}"#), "{answer}");
    // Plain HTTP on the TLS port gets nothing.
    let (status, _) = call(svc.addr, "GET", "/api/health", None, None).await;
    assert_eq!(status, 0);
    svc.stop().await;

    // The next start keeps the certificate (desks keep their pin).
    let config = tidewatch_service::Config { tls_dir: Some(dir.path().to_path_buf()), ..common::config(&url, &clock, lenient()) };
    let again = tidewatch_service::start(config).await.unwrap();
    assert_eq!(again.tls, Some((fingerprint, false)));
    again.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_and_dispatch_go_through_the_desk_and_a_raced_unit_goes_to_one_seat() {
    let Some(url) = pg_url("intake_and_dispatch_go_through_the_desk_and_a_raced_unit_goes_to_one_seat") else { return };
    let url = fresh_database(&url).await;
    let clock = ManualClock::new(T0);
    let a = serve(&url, &clock, lenient()).await;
    let b = serve(&url, &clock, lenient()).await;
    add_account(&url, "ann", "dispatcher", PASSWORD).await;
    add_account(&url, "bob", "dispatcher", PASSWORD).await;
    add_account(&url, "root", "administrator", PASSWORD).await;
    let (ann, bob, root) =
        (token(a.addr, "ann", PASSWORD).await, token(b.addr, "bob", PASSWORD).await, token(a.addr, "root", PASSWORD).await);

    let call_at = |lon: f64| {
        serde_json::json!({"incident_type": "traffic_accident", "lon": lon, "lat": 30.018, "source": "phone", "text": "两车相撞"})
            .to_string()
    };
    let (status, first) = call(a.addr, "POST", "/api/incidents", Some(&ann), Some(call_at(122.103).as_bytes())).await;
    assert_eq!(status, 201, "{first}");
    let (status, second) = call(b.addr, "POST", "/api/incidents", Some(&bob), Some(call_at(122.104).as_bytes())).await;
    assert_eq!(status, 201, "{second}");
    let (one, two) = (first["incident_id"].as_i64().unwrap(), second["incident_id"].as_i64().unwrap());
    assert_ne!(one, two);

    // The desk's rules and roles apply.
    let (status, body) = call(a.addr, "POST", "/api/incidents", Some(&root), Some(call_at(122.103).as_bytes())).await;
    assert_eq!((status, body["kind"].as_str()), (403, Some("forbidden")), "{body}");
    let (status, body) = call(a.addr, "POST", "/api/incidents", Some(&ann), Some(call_at(100.0).as_bytes())).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("lon/lat")), "{body}");
    let bad_type = call_at(122.103).replace("traffic_accident", "alien_landing");
    assert_eq!(call(a.addr, "POST", "/api/incidents", Some(&ann), Some(bad_type.as_bytes())).await.0, 404);
    let send = serde_json::json!({"unit": "dh_traffic_01", "override_reason": "nearest by radio"}).to_string();
    assert_eq!(call(a.addr, "POST", "/api/incidents/999/dispatch", Some(&ann), Some(send.as_bytes())).await.0, 404);
    assert_eq!(call(a.addr, "POST", "/api/incidents/x/dispatch", Some(&ann), Some(send.as_bytes())).await.0, 400);

    // Two seats on two services send the same unit at once: one gets it, the other is told
    // who has it.
    let path = |id: i64| format!("/api/incidents/{id}/dispatch");
    let (pa, pb) = (path(one), path(two));
    let (ra, rb) = tokio::join!(
        call(a.addr, "POST", &pa, Some(&ann), Some(send.as_bytes())),
        call(b.addr, "POST", &pb, Some(&bob), Some(send.as_bytes()))
    );
    let (won, lost, winner) = match (ra.0, rb.0) {
        (200, 409) => (ra, rb, "ann"),
        (409, 200) => (rb, ra, "bob"),
        other => panic!("exactly one dispatch wins: {other:?} {ra:?} {rb:?}"),
    };
    assert!(won.1["seq"].as_i64().is_some(), "{won:?}");
    let message = lost.1["message"].as_str().unwrap();
    assert!(message.contains(winner) && message.contains("dh_traffic_01"), "the refusal names who holds the unit: {lost:?}");

    let (_, board) = call(b.addr, "GET", "/api/board", Some(&bob), None).await;
    let units: Vec<&serde_json::Value> = board["units"].as_array().unwrap().iter().filter(|u| u["unit_id"] == "dh_traffic_01").collect();
    assert_eq!(units.len(), 1, "{board}");
    assert_eq!(units[0]["status"], "dispatched");
    a.stop().await;
    b.stop().await;
}
