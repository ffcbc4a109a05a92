//! TLS end to end, without PostgreSQL: a router served over [`TlsListener`] with the
//! self-signed certificate of a first start; a desk that pinned its fingerprint gets
//! through (plain requests and a WebSocket), a desk that pinned another is refused with
//! a message saying the certificate changed, and a client that never finishes its
//! handshake does not hold up the others.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use futures_util::StreamExt;
use rustls::pki_types::ServerName;
use tidewatch_service::tls::{self, Tls, TlsListener};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

fn app() -> Router {
    Router::new()
        .route("/api/health", get(|ConnectInfo(from): ConnectInfo<SocketAddr>| async move { format!("ok from {}", from.ip()) }))
        .route(
            "/api/live",
            get(|ws: WebSocketUpgrade| async move {
                ws.on_upgrade(|mut socket| async move {
                    let _ = socket.send(Message::Text(r#"{"seq":7}"#.into())).await;
                })
            }),
        )
}

/// Serves [`app`] over TLS with a certificate made in `dir`.
async fn serve(dir: &std::path::Path) -> (SocketAddr, Tls) {
    let tls = tls::load_or_make(dir, &["localhost".into(), "127.0.0.1".into()]).unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let listener = TlsListener::new(tcp, &tls).unwrap().tap_io(|_| {});
    let addr = axum::serve::Listener::local_addr(&listener).unwrap();
    tokio::spawn(async move { axum::serve(listener, app().into_make_service_with_connect_info::<SocketAddr>()).await });
    (addr, tls)
}

async fn connect(addr: SocketAddr, pin: &str) -> std::io::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let connector = TlsConnector::from(Arc::new(tls::pinned_client_config(pin).unwrap()));
    let tcp = TcpStream::connect(addr).await?;
    connector.connect(ServerName::try_from("localhost").unwrap(), tcp).await
}

async fn get_health(addr: SocketAddr, pin: &str) -> std::io::Result<String> {
    let mut tls = connect(addr, pin).await?;
    tls.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await?;
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await?;
    Ok(answer)
}

#[tokio::test]
async fn a_desk_with_the_pinned_fingerprint_gets_through() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, tls) = serve(dir.path()).await;
    assert!(tls.made);
    let answer = get_health(addr, &tls.fingerprint).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("ok from 127.0.0.1"), "the client's address reaches the handlers: {answer}");
    // The pin as typed: lower case, no colons.
    let typed: String = tls.fingerprint.to_lowercase().replace(':', "");
    assert!(get_health(addr, &typed).await.unwrap().starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_changed_certificate_is_refused_saying_so() {
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let pinned = tls::load_or_make(old.path(), &["localhost".into()]).unwrap().fingerprint;
    let (addr, tls) = serve(new.path()).await;
    assert_ne!(pinned, tls.fingerprint, "a new certificate on a new start");
    let refused = get_health(addr, &pinned).await.unwrap_err().to_string();
    assert!(refused.contains("certificate has changed") && refused.contains(&tls.fingerprint), "{refused}");
}

#[tokio::test]
async fn the_websocket_works_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, tls) = serve(dir.path()).await;
    let stream = connect(addr, &tls.fingerprint).await.unwrap();
    let (mut ws, _) = tokio_tungstenite::client_async(format!("wss://localhost:{}/api/live", addr.port()), stream).await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(first.into_text().unwrap().as_str(), r#"{"seq":7}"#);
}

#[tokio::test]
async fn a_silent_client_does_not_hold_up_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, tls) = serve(dir.path()).await;
    // Connected, never says hello.
    let _silent = TcpStream::connect(addr).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), get_health(addr, &tls.fingerprint)).await;
    assert!(answer.expect("served while another handshake hangs").unwrap().starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn plain_http_gets_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _) = serve(dir.path()).await;
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut answer)).await;
    assert!(!String::from_utf8_lossy(&answer).contains("ok from"), "nothing served in the clear");
}

#[tokio::test]
async fn a_desk_learns_the_fingerprint_on_first_connect_then_pins_it() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, tls) = serve(dir.path()).await;
    let learned = tls::first_use_fingerprint(addr, "localhost").await.unwrap();
    assert_eq!(learned, tls.fingerprint, "what the desk shows is what `serve` printed");
    assert!(get_health(addr, &learned).await.unwrap().starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn first_connect_to_a_plain_server_learns_nothing() {
    let plain = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = plain.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(plain, app().into_make_service_with_connect_info::<SocketAddr>()).await });
    assert!(tls::first_use_fingerprint(addr, "localhost").await.is_err());
}
