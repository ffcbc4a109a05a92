//! Live: every committed seq pushed to every desk.
//!
//! Each journal append ends with `NOTIFY tidewatch, '<seq>'` in its transaction, so every
//! `serve` process on the database hears every process's appends. One task per process
//! listens and fans the seqs out to its WebSockets. `LISTEN` loses what is sent while its
//! connection is down, so after a reconnect the task announces the head as it is then; and
//! a desk never trusts the pushes alone: it asks for the events after the last seq it saw
//! (`GET /api/events?after=`), also after its own reconnect.
//!
//! Crews' positions are not journaled, but the desks' maps should move when a phone reports:
//! an accepted fix ends with `NOTIFY tidewatch_fixes`, and each socket sends `{"fixes":true}`
//! at most once a second while fixes come (the desk then re-reads `/api/positions/map`).
//!
//! The same task hears `tidewatch_region` (a region edit saved on any process) and lays
//! the stored edits over this process's pack (`region_edits.rs`); after a reconnect it
//! does so too, for an edit saved while it did not listen. Once laid, each desk's socket
//! sends `{"region":<version>}` (the seat's open map re-reads the region), and so it does
//! on connecting when edits are stored: a seat that was away, or just signed in, catches up.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use crate::Service;

/// `?after=<seq>` of a live socket: the last seq the desk saw.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveQuery {
    #[serde(default)]
    pub after: i64,
}
use tidewatch_journal_pg::{CHANNEL, REGION_CHANNEL};

/// Seqs not yet sent to a slow socket; it skips to the newest (it catches up by seq).
pub const BACKLOG: usize = 1024;
/// How often a socket re-checks its session (a revoked or lapsed one is closed).
const SESSION_CHECK: Duration = Duration::from_secs(30);
/// The channel an accepted fix is announced on (its payload: the unit).
pub const FIXES_CHANNEL: &str = "tidewatch_fixes";
/// A socket tells of new fixes at most this often (500 phones report every 5 s).
const FIXES_EVERY: Duration = Duration::from_secs(1);

/// Listens on the journal's channel until the service stops, reconnecting as needed.
pub async fn listen(service: Arc<Service>) {
    loop {
        match PgListener::connect_with(&service.db).await {
            Ok(mut listener) => {
                if listener.listen_all([CHANNEL, FIXES_CHANNEL, REGION_CHANNEL]).await.is_ok() {
                    // What was appended, and edited, while nobody listened.
                    service.announce_head().await;
                    refresh_region(&service);
                    relay(&mut listener, &service).await;
                }
            }
            Err(e) => eprintln!("tidewatch serve: LISTEN failed ({e}); retrying"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Passes on every notification until the connection drops.
async fn relay(listener: &mut PgListener, service: &Arc<Service>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) if n.channel() == FIXES_CHANNEL => {
                let _ = service.fixes.send(());
            }
            Ok(Some(n)) if n.channel() == REGION_CHANNEL => refresh_region(service),
            Ok(Some(n)) => {
                if let Ok(seq) = n.payload().parse::<i64>() {
                    // No receivers (no desk connected) is not an error.
                    let _ = service.live.send(seq);
                }
            }
            // The connection dropped: reconnect, then announce the head.
            Ok(None) | Err(_) => return,
        }
    }
}

/// Lays the newest region edits over the pack, off the listening task (a slow disk must
/// not hold up the pushes).
fn refresh_region(service: &Arc<Service>) {
    let service = Arc::clone(service);
    tokio::spawn(async move {
        if let Err(e) = service.refresh_region().await {
            eprintln!("tidewatch serve: laying the stored region edits over the pack failed ({e}); the region stays as it was");
        }
    });
}

/// One desk's socket: the head first (when past `after`), then every seq committed (and,
/// with `tell_fixes`, that crews' phones reported), until the desk goes, its session ends,
/// or the service stops. A crew's page is not told of fixes.
pub async fn socket(mut ws: WebSocket, service: Arc<Service>, token: String, after: i64, tell_fixes: bool) {
    let mut seqs = service.live.subscribe();
    let mut sent = after;
    if let Ok(Some(head)) = service.head().await {
        if head.seq > sent && push(&mut ws, head.seq).await.is_err() {
            return;
        }
        sent = sent.max(head.seq);
    }
    let mut check = tokio::time::interval(SESSION_CHECK);
    check.tick().await;
    let mut regions = service.regions.subscribe();
    let version = service.journals.current().0;
    if tell_fixes && version > 0 && push_region(&mut ws, version).await.is_err() {
        return;
    }
    let (mut fixes, mut fixes_due) = (service.fixes.subscribe(), false);
    let mut fixes_tick = tokio::time::interval(FIXES_EVERY);
    fixes_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            msg = ws.recv() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            seq = seqs.recv() => match seq {
                Ok(seq) if seq > sent => {
                    if push(&mut ws, seq).await.is_err() {
                        return;
                    }
                    sent = seq;
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            news = fixes.recv() => match news {
                Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => fixes_due = tell_fixes,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            version = regions.recv() => match version {
                Ok(v) if tell_fixes => {
                    if push_region(&mut ws, v).await.is_err() {
                        return;
                    }
                }
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = fixes_tick.tick(), if fixes_due => {
                if ws.send(Message::Text(r#"{"fixes":true}"#.into())).await.is_err() {
                    return;
                }
                fixes_due = false;
            }
            _ = check.tick() => {
                if !matches!(service.session(&token).await, Ok(Some(_))) {
                    let _ = ws.send(Message::Close(None)).await;
                    return;
                }
            }
        }
    }
}

async fn push(ws: &mut WebSocket, seq: i64) -> Result<(), axum::Error> {
    ws.send(Message::Text(format!(r#"{{"seq":{seq}}}"#).into())).await
}

/// Tells a desk the region edits up to `version` are laid over this process's pack.
async fn push_region(ws: &mut WebSocket, version: i64) -> Result<(), axum::Error> {
    ws.send(Message::Text(format!(r#"{{"region":{version}}}"#).into())).await
}
