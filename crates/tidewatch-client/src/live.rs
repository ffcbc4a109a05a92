//! Live: a thread of its own holds the service's WebSocket (`/api/live?after=<seq>`) while
//! someone is signed in, and tells the desk (a) every new seq, so the board is fetched at
//! once instead of at the next poll, (b) when the connection is lost and back, (c) that
//! crews' phones reported and (d) that the region edits changed (the map re-reads them).
//!
//! On every (re)connect it first checks the service's chain still extends the head this
//! desk last saw (kept in `service-head` in the app-data directory, across restarts): the
//! event at that seq must have that hash. A mismatch or a shorter chain is a loud, lasting
//! error state (the service's journal was rewritten or truncated); the desk then refuses
//! every action on that service. After a loss it reconnects with backoff, with
//! `after=<last seq seen>`: the service answers with its head at once if it moved.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use serde::Serialize;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::{ChainHead, Event};
use tungstenite::client::IntoClientRequest;
use tungstenite::{Message, WebSocket};

use crate::http::{causes, Http, CONNECT_TIMEOUT, REQUEST_TIMEOUT};

/// The chain head this desk last saw, in its app-data directory.
pub const HEAD_FILE: &str = "service-head";
/// How often the thread looks up from the socket (to stop, to ping).
const TICK: Duration = Duration::from_millis(250);
/// A ping this often; nothing heard for [`SILENCE`] is a lost connection (a cable pulled
/// sends no FIN).
const PING_EVERY: Duration = Duration::from_secs(5);
const SILENCE: Duration = Duration::from_secs(15);
/// Reconnect backoff: from the first to the last, doubling.
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
const BACKOFF_LAST: Duration = Duration::from_secs(4);

/// The desk's link to the service, as the banner shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkStatus {
    pub connected: bool,
    /// Since when connected, or lost (unix seconds).
    pub since: i64,
    /// Why it was lost, or what the chain check found.
    pub message: Option<String>,
    /// The service's chain no longer extends the head this desk saw: not trusted any more.
    pub tampered: bool,
}

/// What the live thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// Everything up to this seq is committed on the service.
    Seq(i64),
    /// Crews' phones reported (at most once a second): the map re-reads the fixes.
    Fixes,
    /// The service's region edits up to this version are saved and laid over its pack
    /// (told on connecting too, when any are stored): the map re-reads the region.
    Region(i64),
    Status(LinkStatus),
    /// This desk trusted the service's certificate on first use: its SHA-256, for the
    /// operator to compare with the one `tidewatch serve` printed.
    Pinned(String),
}

pub type Report = Arc<dyn Fn(Live) + Send + Sync>;

/// The link's state, shared by the thread and the desk (None: no thread has connected
/// yet, nothing known).
pub type Link = Arc<Mutex<Option<LinkStatus>>>;

/// A running live thread; it stops soon after [`LiveThread::stop`] or a drop.
pub struct LiveThread {
    stop: Arc<AtomicBool>,
}

impl LiveThread {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for LiveThread {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Context {
    http: Http,
    data_dir: PathBuf,
    clock: Clock,
    report: Report,
    link: Link,
    stop: Arc<AtomicBool>,
}

/// Starts the thread for the signed-in `http` (its token).
pub fn start(http: Http, data_dir: &Path, clock: Clock, report: Report, link: Link) -> Result<LiveThread, Error> {
    let stop = Arc::new(AtomicBool::new(false));
    let cx = Context { http, data_dir: data_dir.to_path_buf(), clock, report, link, stop: Arc::clone(&stop) };
    std::thread::Builder::new().name("tidewatch-live".into()).spawn(move || run(&cx))?;
    Ok(LiveThread { stop })
}

/// Why a connection ended.
enum End {
    Stopped,
    Lost(String),
    Tampered(String),
    /// The service no longer knows the session.
    SignedOut,
}

fn run(cx: &Context) {
    let mut last_seq = read_head(&cx.data_dir).ok().flatten().map_or(0, |h| h.seq);
    let mut backoff = BACKOFF_FIRST;
    loop {
        let end = connect(cx, last_seq).and_then(|ws| {
            backoff = BACKOFF_FIRST;
            set_link(cx, true, None, false);
            pump(cx, ws, &mut last_seq)
        });
        match end {
            Ok(()) | Err(End::Stopped) => return,
            Err(End::Tampered(message)) => return set_link(cx, false, Some(message), true),
            // Not a lost link: the desk's next call hears the 401 and signs the operator out.
            Err(End::SignedOut) => return forget_link(cx),
            Err(End::Lost(message)) => set_link(cx, false, Some(message), false),
        }
        if !pause(cx, backoff) {
            return;
        }
        backoff = (backoff * 2).min(BACKOFF_LAST);
    }
}

/// Sleeps `d` unless stopped meanwhile; false when stopped.
fn pause(cx: &Context, d: Duration) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if cx.stop.load(Ordering::Relaxed) {
            return false;
        }
        std::thread::sleep(TICK.min(until.saturating_duration_since(Instant::now())));
    }
    !cx.stop.load(Ordering::Relaxed)
}

/// Records the link's state; reports it when it changed (connected or not, tampered).
fn set_link(cx: &Context, connected: bool, message: Option<String>, tampered: bool) {
    let Ok(mut link) = cx.link.lock() else { return };
    let changed = link.as_ref().is_none_or(|l| l.connected != connected || l.tampered != tampered);
    let since = match link.as_ref() {
        Some(l) if !changed => l.since,
        _ => cx.clock.now(),
    };
    let status = LinkStatus { connected, since, message, tampered };
    *link = Some(status.clone());
    drop(link);
    if changed {
        (cx.report)(Live::Status(status));
    }
}

/// Nothing known about the link (the session ended; the thread stops).
fn forget_link(cx: &Context) {
    if let Ok(mut link) = cx.link.lock() {
        *link = None;
    }
}

/// Checks the chain, then opens the socket after `last_seq`.
fn connect(cx: &Context, last_seq: i64) -> Result<WebSocket<Stream>, End> {
    if cx.stop.load(Ordering::Relaxed) {
        return Err(End::Stopped);
    }
    check_chain(&cx.http, &cx.data_dir)?;
    open(&cx.http, last_seq)
}

/// The service's chain must still hold the head this desk saw; then its head now is the
/// one remembered.
fn check_chain(http: &Http, data_dir: &Path) -> Result<(), End> {
    let seen = read_head(data_dir).map_err(|e| End::Tampered(e.to_string()))?;
    if let Some(seen) = &seen {
        let path = format!("/api/events?after={}&limit=1", seen.seq - 1);
        let events: Vec<Event> = http.get(&path).map_err(ended)?;
        match events.first() {
            Some(e) if e.seq == seen.seq && tidewatch_journal::hex(&e.hash) == seen.hash => {}
            Some(e) => {
                return Err(End::Tampered(format!(
                    "the command centre's journal was rewritten: its event {} has hash {}, this desk saw {} ({})",
                    e.seq,
                    tidewatch_journal::hex(&e.hash),
                    seen.hash,
                    data_dir.join(HEAD_FILE).display()
                )))
            }
            None => {
                return Err(End::Tampered(format!(
                    "the command centre's journal was cut short: it ends before seq {}, which this desk saw (hash {}; {})",
                    seen.seq,
                    seen.hash,
                    data_dir.join(HEAD_FILE).display()
                )))
            }
        }
    }
    let head: Option<ChainHead> = http.get("/api/head").map_err(ended)?;
    if let Some(head) = head.filter(|h| seen.as_ref().is_none_or(|s| h.seq > s.seq)) {
        write_head(data_dir, &head).map_err(|e| End::Lost(e.to_string()))?;
    }
    Ok(())
}

/// A failed call as the end of a connection: a session the service ended stops the
/// thread, anything else is a loss to retry.
fn ended(e: Error) -> End {
    match e.kind() {
        "not_signed_in" | "session_expired" => End::SignedOut,
        _ => End::Lost(e.to_string()),
    }
}

/// Reads pushes until the connection ends; `last_seq` follows them.
fn pump(cx: &Context, mut ws: WebSocket<Stream>, last_seq: &mut i64) -> Result<(), End> {
    let (mut heard, mut pinged) = (Instant::now(), Instant::now());
    loop {
        if cx.stop.load(Ordering::Relaxed) {
            let _ = ws.close(None);
            let _ = ws.flush();
            return Err(End::Stopped);
        }
        match ws.read() {
            Ok(Message::Text(text)) => {
                heard = Instant::now();
                let message = serde_json::from_str::<serde_json::Value>(&text).unwrap_or_default();
                if message["fixes"] == true {
                    (cx.report)(Live::Fixes);
                }
                if let Some(version) = message["region"].as_i64() {
                    (cx.report)(Live::Region(version));
                }
                if let Some(seq) = message["seq"].as_i64().filter(|s| *s > *last_seq) {
                    *last_seq = seq;
                    remember(cx, seq);
                    (cx.report)(Live::Seq(seq));
                }
            }
            Ok(Message::Close(_)) => return Err(End::Lost("the command centre closed the connection".into())),
            Ok(_) => heard = Instant::now(),
            Err(tungstenite::Error::Io(e)) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                if heard.elapsed() > SILENCE {
                    return Err(End::Lost(format!("no answer from the command centre for {} s", SILENCE.as_secs())));
                }
                if pinged.elapsed() > PING_EVERY {
                    pinged = Instant::now();
                    let _ = ws.send(Message::Ping(Vec::new().into()));
                }
            }
            Err(e) => return Err(End::Lost(format!("the connection to the command centre broke: {}", causes(&e)))),
        }
    }
}

/// Remembers the event at `seq` as the head this desk saw (its hash from the service).
fn remember(cx: &Context, seq: i64) {
    if let Ok(events) = cx.http.get::<Vec<Event>>(&format!("/api/events?after={}&limit=1", seq - 1)) {
        if let Some(e) = events.first().filter(|e| e.seq == seq) {
            let _ = write_head(&cx.data_dir, &ChainHead { seq, hash: tidewatch_journal::hex(&e.hash) });
        }
    }
}

/// The head this desk last saw (None: it has seen none).
pub fn read_head(data_dir: &Path) -> Result<Option<ChainHead>, Error> {
    match fs::read_to_string(data_dir.join(HEAD_FILE)) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::Storage(format!("{} is damaged ({e}); the chain cannot be checked", data_dir.join(HEAD_FILE).display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Writes the head whole or not at all.
pub fn write_head(data_dir: &Path, head: &ChainHead) -> Result<(), Error> {
    let path = data_dir.join(HEAD_FILE);
    let scratch = path.with_extension("new");
    fs::write(&scratch, serde_json::to_string(head).map_err(|e| Error::Storage(e.to_string()))?)?;
    fs::rename(&scratch, &path)?;
    Ok(())
}

/// The socket under the WebSocket: TLS for `https`, plain on the loopback.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(s) => s,
            Stream::Tls(s) => &s.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// Opens `/api/live?after=<after>` with the session's token.
fn open(http: &Http, after: i64) -> Result<WebSocket<Stream>, End> {
    let service = &http.service;
    let lost = |what: &str, e: &dyn std::error::Error| End::Lost(format!("the command centre at {}: {what}: {}", service.base, causes(e)));
    let addr = (service.host.as_str(), service.port)
        .to_socket_addrs()
        .map_err(|e| lost("no such host", &e))?
        .next()
        .ok_or_else(|| End::Lost(format!("{}: no address", service.host)))?;
    let tcp = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| lost("cannot connect", &e))?;
    let timeouts = |t: &TcpStream, d: Duration| t.set_read_timeout(Some(d)).and_then(|()| t.set_write_timeout(Some(REQUEST_TIMEOUT)));
    timeouts(&tcp, REQUEST_TIMEOUT).map_err(|e| lost("socket", &e))?;
    let stream = match &service.tls {
        Some(config) => {
            let name = ServerName::try_from(service.host.clone()).map_err(|e| lost("server name", &e))?;
            let conn = rustls::ClientConnection::new(Arc::clone(config), name).map_err(|e| lost("TLS", &e))?;
            Stream::Tls(Box::new(rustls::StreamOwned::new(conn, tcp)))
        }
        None => Stream::Plain(tcp),
    };
    let mut request = service.ws_url(&format!("/api/live?after={after}")).into_client_request().map_err(|e| lost("address", &e))?;
    if let Some(token) = &http.token {
        let value = format!("Bearer {token}").parse().map_err(|e| lost("token", &e))?;
        request.headers_mut().insert("authorization", value);
    }
    let (ws, _) = tungstenite::client(request, stream).map_err(|e| match e {
        tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r)) if r.status() == 401 => End::SignedOut,
        tungstenite::HandshakeError::Failure(e) => lost("the live connection", &e),
        tungstenite::HandshakeError::Interrupted(_) => End::Lost(format!("the command centre at {} did not answer in time", service.base)),
    })?;
    timeouts(ws.get_ref().tcp(), TICK).map_err(|e| lost("socket", &e))?;
    Ok(ws)
}
