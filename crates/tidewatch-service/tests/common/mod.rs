//! Test harness: a fresh PostgreSQL database per test (from `TIDEWATCH_PG_URL`, which
//! `scripts/postgres.sh --test` prints), services started on it on ephemeral ports, and a
//! plain HTTP/1.1 client over TCP.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use sqlx::Connection;
use tidewatch_core::time::ManualClock;
use tidewatch_service::sessions::Limits;
use tidewatch_service::{start, Config, Running};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The test database's URL, or None (the test then says it is skipped).
pub fn pg_url(test: &str) -> Option<String> {
    match std::env::var("TIDEWATCH_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED {test}: TIDEWATCH_PG_URL is unset (run `make test-pg`, or set it to scripts/postgres.sh --test's URL)");
            None
        }
    }
}

/// A database of its own for one test (its own journal, sessions and NOTIFY channel),
/// made with the test role's CREATEDB; `scripts/postgres.sh --test` drops old ones.
pub async fn fresh_database(url: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let (base, _) = url.rsplit_once('/').expect("a database URL");
    let name = format!("tidewatch_test_svc_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos());
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to the test database");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create a database");
    conn.close().await.ok();
    format!("{base}/{name}")
}

fn nanos() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

pub fn region() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/regions/dinghai"))
}

/// 2026-07-01 08:00 +08:00.
pub const T0: i64 = 1_782_864_000;

pub fn config(url: &str, clock: &ManualClock, limits: Limits) -> Config {
    Config {
        pg_url: url.to_string(),
        region: region(),
        listen: "127.0.0.1:0".parse().unwrap(),
        clock: clock.clock(),
        limits,
        journal_handles: 2,
        tls_dir: None,
        positions: Default::default(),
        tips: Default::default(),
    }
}

pub async fn serve(url: &str, clock: &ManualClock, limits: Limits) -> Running {
    start(config(url, clock, limits)).await.expect("the service starts")
}

/// An account straight into the accounts table (quicker than making the first administrator
/// and the account over the service, which `desk.rs` tests; the desk's accounts code makes
/// the same argon2id PHC string).
pub async fn add_account(url: &str, username: &str, role: &str, password: &str) {
    let salt = SaltString::generate(&mut OsRng);
    let phc = argon2::Argon2::default().hash_password(password.as_bytes(), &salt).unwrap().to_string();
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query("INSERT INTO accounts (username, role, password, created_utc) VALUES ($1, $2, $3, $4)")
        .bind(username)
        .bind(role)
        .bind(phc)
        .bind(T0)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.ok();
}

/// One request; the status and the body as JSON (Null when it is not JSON).
pub async fn call(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: Option<&[u8]>) -> (u16, serde_json::Value) {
    let (status, bytes) = raw(addr, method, path, token, body).await;
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

pub async fn raw(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: Option<&[u8]>) -> (u16, Vec<u8>) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let body = body.unwrap_or(b"");
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    // The server may answer (413) before reading a large body, and close.
    let _ = s.write_all(body).await;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    let text_end = out.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(out.len());
    let status_line = String::from_utf8_lossy(&out[..text_end]);
    let status = status_line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, out[text_end..].to_vec())
}

pub async fn sign_in(addr: SocketAddr, username: &str, password: &str) -> (u16, serde_json::Value) {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    call(addr, "POST", "/api/sign-in", None, Some(body.as_bytes())).await
}

/// Signs in and returns the token.
pub async fn token(addr: SocketAddr, username: &str, password: &str) -> String {
    let (status, body) = sign_in(addr, username, password).await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().expect("a token").to_string()
}

/// Limits too high to get in a test's way.
pub fn lenient() -> Limits {
    Limits { per_name: 10_000, per_address: 10_000, ..Limits::default() }
}
