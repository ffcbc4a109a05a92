//! `tidewatch serve` as two real processes on one PostgreSQL database (`TIDEWATCH_PG_URL`;
//! `make test-pg` sets it): a session made on one works on the other, and an append through
//! one is pushed to a WebSocket on the other within a bounded time.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sqlx::Connection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse 1";

/// A `tidewatch serve` process, killed when dropped.
struct Serve(Child, SocketAddr);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `tidewatch serve` on an ephemeral port and reads where it listens.
fn serve(url: &str) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["serve", "--region", concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai"), "--listen", "127.0.0.1:0"])
        .env("TIDEWATCH_PG_URL", url)
        .stdout(Stdio::piped())
        .spawn()
        .expect("tidewatch serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|s| s.split_whitespace().next()).and_then(|a| a.parse().ok());
    let Some(addr) = addr else {
        let _ = child.kill();
        panic!("no address in {line:?}")
    };
    Serve(child, addr)
}

async fn fresh_database(url: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap();
    let name = format!("tidewatch_test_serve_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
    format!("{base}/{name}")
}

/// The first administrator and the dispatcher `ann`, made through the service (journaled
/// as on a desk).
async fn add_accounts(addr: SocketAddr) {
    let (status, admin) = post(addr, "/api/first-administrator", None, &format!(r#"{{"username":"root","password":"{PASSWORD}"}}"#)).await;
    assert_eq!(status, 200, "{admin}");
    let root = admin["token"].as_str().unwrap();
    let ann = format!(r#"{{"username":"ann","password":"{PASSWORD}","role":"dispatcher"}}"#);
    assert_eq!(post(addr, "/api/accounts", Some(root), &ann).await.0, 204);
    assert_eq!(post(addr, "/api/sign-out", Some(root), "{}").await.0, 204);
}

async fn post(addr: SocketAddr, path: &str, token: Option<&str>, body: &str) -> (u16, serde_json::Value) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let method = if body.is_empty() { "GET" } else { "POST" };
    let req = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}Content-Length: {}\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    (head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0), serde_json::from_str(body).unwrap_or_default())
}

async fn sign_in(addr: SocketAddr) -> String {
    let (status, body) = post(addr, "/api/sign-in", None, &format!(r#"{{"username":"ann","password":"{PASSWORD}"}}"#)).await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_share_sessions_and_push_each_others_appends() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("SKIPPED: TIDEWATCH_PG_URL is unset (run `make test-pg`)");
        return;
    };
    let url = fresh_database(&url).await;
    let a = serve(&url);
    let b = serve(&url);
    add_accounts(a.1).await;

    let token_a = sign_in(a.1).await;
    assert_eq!(post(b.1, "/api/head", Some(&token_a), "").await.0, 200, "A's session works on B");
    // Journaled so far: the administrator made and signed in, ann made, the administrator
    // signed out, ann signed in.
    const SEEN: i64 = 5;
    let mut req = format!("ws://{}/api/live?after={SEEN}", b.1).into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {token_a}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();

    // Appends through A (sign-ins are journaled) reach B's socket, each within 5 s.
    for expected in SEEN + 1..=SEEN + 3 {
        let started = Instant::now();
        sign_in(a.1).await;
        let seq = loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("a push within 5 s").unwrap().unwrap();
            if let Message::Text(t) = msg {
                break serde_json::from_str::<serde_json::Value>(&t).unwrap()["seq"].as_i64().unwrap();
            }
        };
        assert_eq!(seq, expected);
        eprintln!("seq {seq}: sign-in on A to push on B in {:?}", started.elapsed());
    }
    let (_, head_a) = post(a.1, "/api/head", Some(&token_a), "").await;
    let (_, head_b) = post(b.1, "/api/head", Some(&token_a), "").await;
    assert_eq!((head_a["seq"].as_i64(), &head_a), (Some(SEEN + 3), &head_b));

    // The desk's actions go through either process, answering the workstation's types.
    let call = r#"{"incident_type":"theft","lon":122.103,"lat":30.018,"source":"phone"}"#;
    let (status, received) = post(b.1, "/api/incidents", Some(&token_a), call).await;
    assert_eq!(status, 201, "{received}");
    let id = received["incident_id"].as_i64().unwrap();
    let (status, ranked) = post(a.1, &format!("/api/incidents/{id}/recommendation"), Some(&token_a), "").await;
    let unit = ranked["candidates"][0]["unit"].as_str().unwrap_or_else(|| panic!("{status} {ranked}")).to_string();
    let (status, ack) = post(a.1, &format!("/api/incidents/{id}/dispatch"), Some(&token_a), &format!(r#"{{"unit":"{unit}"}}"#)).await;
    assert!(status == 200 && ack["seq"].as_i64() > Some(SEEN + 4), "an Ack after the intake: {status} {ack}");
}
