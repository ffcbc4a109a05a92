//! The command-centre service: several desks on one journal in PostgreSQL, over HTTP and a
//! WebSocket (`tidewatch serve`). Stateless apart from PostgreSQL: sessions, sign-in counts
//! and the journal all live there, so two `serve` processes on one database serve the same
//! desks, and each pushes the other's appends (`live.rs`, `LISTEN/NOTIFY`).
//!
//! `api.rs` is the router; each handler is a line or two over a call of [`Service`], the
//! facade, where every rule is. Authorisation is in one place: the [`api::Operator`]
//! extractor turns a bearer token into the signed-in `Session`, and the facade checks the
//! session's role (`Session::authorize`) for anything beyond reading.

pub mod accounts;
pub mod api;
pub mod body;
pub mod crew;
mod crew_routes;
pub mod desk;
pub mod devices;
pub mod error;
mod journals;
pub mod leader;
mod live;
pub mod live_fixes;
pub mod openapi;
mod operator;
pub mod positions;
pub mod region_edits;
pub mod reports;
mod routes;
mod seats;
pub mod sessions;
pub mod tips;
pub mod tls;
pub mod track;

pub use desk::{DispatchBody, IntakeBody, Received};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::sync::broadcast;

use error::ApiError;
use journals::Journals;
use sessions::Limits;
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::region::Region;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::{ChainHead, Event, IncidentRow, JournalStore, ReadModels, SignOutReason, UnitRow};
use tidewatch_workstation::accounts::Session;

/// The most events one `GET /api/events` returns.
pub const MAX_EVENTS_PER_CALL: u32 = 1000;
/// The longest user name and password the service reads (argon2 on a megabyte is a way
/// to burn the service's CPU).
pub const MAX_USERNAME: usize = 64;
pub const MAX_PASSWORD: usize = 256;

/// How the service is started.
#[derive(Clone)]
pub struct Config {
    pub pg_url: String,
    pub region: PathBuf,
    pub listen: SocketAddr,
    /// The clock the shell passes in (the CLI's wall clock) or a test's.
    pub clock: Clock,
    pub limits: Limits,
    /// Handles on the journal (calls at once).
    pub journal_handles: usize,
    /// Serve HTTPS with the certificate in this directory (a self-signed one is made there
    /// on first start; `tls.rs`); None: plain HTTP (tests, a loopback-only service).
    pub tls_dir: Option<PathBuf>,
    /// Crews' positions: their checks, retention and freshness (`positions.rs`).
    pub positions: positions::Settings,
    /// Citizens' tips: photo limits, rates, grouping (`tips/`).
    pub tips: tips::Settings,
}

/// The facade: what the handlers call.
pub struct Service {
    journals: Arc<Journals>,
    db: PgPool,
    clock: Clock,
    limits: Limits,
    live: broadcast::Sender<i64>,
    /// A crew's phone reported (the desks' maps re-read the fixes; `live.rs`).
    fixes: broadcast::Sender<()>,
    /// A newer version of the region edits was laid over the pack (the desks' maps re-read
    /// the region; `live.rs`).
    regions: broadcast::Sender<i64>,
    field: positions::Field,
    tips: tips::Tips,
    /// The pack this process was started on, with the stored region edits laid over it.
    overlay: region_edits::Overlay,
}

/// What a signed-in client gets.
#[derive(Debug, Clone, Serialize)]
pub struct SignedIn {
    /// The bearer token for every later call (shown once; the service keeps only its hash).
    pub token: String,
    pub username: String,
    pub role: &'static str,
    /// The session lapses after this long without a request.
    pub idle_timeout_s: i64,
    /// Where the operator sits: `centre`, `traffic` or `station:<place id>`.
    pub seat: Seat,
}

/// The signed-in operator (`GET /api/session`): the workstation's `Session` and the seat.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    #[serde(flatten)]
    pub session: Session,
    pub seat: Seat,
}

/// The board: open incidents and every unit's latest status, at one head.
#[derive(Debug, Clone, Serialize)]
pub struct BoardView {
    pub head: Option<ChainHead>,
    pub incidents: Vec<IncidentRow>,
    pub units: Vec<UnitRow>,
}

impl Service {
    /// Connects to PostgreSQL (journal migrations, then the service's tables) and loads
    /// the region pack, with the stored region edits laid over it.
    pub async fn connect(config: &Config) -> Result<Arc<Service>, Error> {
        let region = Region::load(&config.region)?;
        let field = positions::Field::new(&region, config.positions);
        let tips = tips::Tips::new(&region, config.tips);
        let (url, handles, clock) = (config.pg_url.clone(), config.journal_handles.max(1), config.clock.clone());
        let journals = tokio::task::spawn_blocking(move || Journals::connect(&url, handles, region, clock))
            .await
            .map_err(|e| Error::Storage(format!("connecting the journal: {e}")))??;
        let db = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(tidewatch_journal_pg::ACQUIRE)
            .connect(&config.pg_url)
            .await
            .map_err(|e| Error::Storage(format!("PostgreSQL: {e}")))?;
        sessions::migrate(&db).await.map_err(|e| Error::Storage(format!("PostgreSQL (service tables): {e}")))?;
        positions::migrate(&db).await.map_err(|e| Error::Storage(format!("PostgreSQL (positions tables): {e}")))?;
        tips::store::migrate(&db).await.map_err(|e| Error::Storage(format!("PostgreSQL (tips tables): {e}")))?;
        crew::migrate(&db).await.map_err(|e| Error::Storage(format!("PostgreSQL (crew tables): {e}")))?;
        let (live, _) = broadcast::channel(live::BACKLOG);
        let (fixes, _) = broadcast::channel(16);
        let (regions, _) = broadcast::channel(16);
        let overlay = region_edits::Overlay::new(config.region.clone())?;
        let (journals, clock, limits) = (Arc::new(journals), config.clock.clone(), config.limits);
        let service = Service { journals, db, clock, limits, live, fixes, regions, field, tips, overlay };
        // The edits administrators saved (on any process) before this one started.
        service.refresh_region().await?;
        Ok(Arc::new(service))
    }

    /// Checks the password (the accounts' own check: argon2id, refusals journaled, the
    /// lock-out), after the per-name and per-address rate limits; journals `SignedIn` and
    /// opens a session at `seat` (the centre when none; an unknown seat is refused naming
    /// the field `seat`, before anything is counted or journaled).
    pub async fn sign_in(&self, username: String, password: String, seat: Option<String>, address: &str) -> Result<SignedIn, ApiError> {
        accounts::name_and_password(&username, &password)?;
        body::at_most("seat", seat.as_deref().unwrap_or(""), MAX_ID + 8)?;
        let seat = seat.map_or(Ok(Seat::Centre), |s| Seat::parse(&self.journals.region(), &s))?;
        let now = self.clock.now();
        sessions::count_attempt(&self.db, &username, address, now, &self.limits).await?;
        let session = self.journals.with(move |w| w.login(&username, &password)).await?;
        self.open_session(session, seat, now).await
    }

    /// A new service session for `session` (signed in and journaled already).
    async fn open_session(&self, session: Session, seat: Seat, now: i64) -> Result<SignedIn, ApiError> {
        let (token, hash) = sessions::new_token()?;
        sessions::open(&self.db, &hash, &session, &seat.name(), now).await?;
        Ok(SignedIn { token, username: session.username, role: session.role.name(), idle_timeout_s: self.limits.idle_s, seat })
    }

    /// Ends the session (journaled `SignedOut`).
    pub async fn sign_out(&self, operator: &Session, token: &str) -> Result<(), ApiError> {
        let now = self.clock.now();
        if sessions::revoke(&self.db, token, now).await? {
            self.journals.acting(operator, move |w| w.sign_out(SignOutReason::SignedOut, now)).await?;
        }
        Ok(())
    }

    /// The live session `token` names and its seat (and marks it used); None when there is
    /// none, or its seat is no longer in the region (a station removed: sign in again).
    pub async fn session(&self, token: &str) -> Result<Option<(Session, Seat)>, ApiError> {
        let Some((session, seat)) = sessions::touch(&self.db, token, self.clock.now(), &self.limits).await? else { return Ok(None) };
        Ok(Seat::parse(&self.journals.region(), &seat).ok().map(|seat| (session, seat)))
    }

    /// The journal's read models as they are (`/api/board`); the desk's board, with its
    /// timers and the seat's own first, is [`Service::desk_board`].
    pub async fn board(&self, _operator: &Session) -> Result<BoardView, ApiError> {
        let board = self
            .journals
            .with(|w| {
                let j = w.desk().journal();
                Ok(BoardView { head: j.head()?, incidents: j.open_incidents()?, units: j.unit_rows()? })
            })
            .await?;
        Ok(board)
    }

    /// At most `limit` events after seq `after` (a desk catching up).
    pub async fn events(&self, _operator: &Session, after: i64, limit: Option<u32>) -> Result<Vec<Event>, ApiError> {
        let limit = limit.unwrap_or(MAX_EVENTS_PER_CALL);
        if limit == 0 || limit > MAX_EVENTS_PER_CALL {
            return Err(ApiError::bad_field("limit", format!("from 1 to {MAX_EVENTS_PER_CALL}")));
        }
        Ok(self.journals.with(move |w| w.desk().journal().events_after(after, limit)).await?)
    }

    /// The chain's head (None when the journal is empty): a desk checks the chain still
    /// extends the head it last saw.
    pub async fn head(&self) -> Result<Option<ChainHead>, ApiError> {
        Ok(self.journals.with(|w| w.desk().journal().head()).await?)
    }

    /// Tells this process's sockets the head as it is now (after a lost `LISTEN`).
    async fn announce_head(&self) {
        if let Ok(Some(head)) = self.head().await {
            let _ = self.live.send(head.seq);
        }
    }
}

/// The longest free text of a call or a note, and of a reason or an outcome.
pub const MAX_TEXT: usize = 2000;
pub const MAX_REASON: usize = 500;
/// The longest id (incident type, unit).
pub const MAX_ID: usize = 64;

/// A running service: its address, and a handle that stops it.
pub struct Running {
    pub addr: SocketAddr,
    /// The TLS certificate's SHA-256 (what desks pin) and whether this start made it; None
    /// for plain HTTP.
    pub tls: Option<(String, bool)>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: tokio::task::JoinHandle<()>,
}

impl Running {
    /// `https` or `http`.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// Stops taking requests and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.served).await;
    }
}

/// Connects, binds `config.listen` and serves in the background (tests, and [`run`]).
pub async fn start(config: Config) -> Result<Running, Error> {
    let service = Service::connect(&config).await?;
    tokio::spawn(live::listen(Arc::clone(&service)));
    tokio::spawn(tips::keep_clean(Arc::downgrade(&service)));
    tokio::spawn(positions::keep_clean(Arc::downgrade(&service), std::time::Duration::from_secs(config.positions.cleanup_every_s.max(1))));
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let app = api::router(service).into_make_service_with_connect_info::<SocketAddr>();
    let Some(dir) = config.tls_dir.clone() else {
        let served = tokio::spawn(async move { report(axum::serve(listener, app).with_graceful_shutdown(shutdown).await) });
        return Ok(Running { addr, tls: None, stop: Some(stop), served });
    };
    let names = certificate_names(addr);
    let identity =
        tokio::task::spawn_blocking(move || tls::load_or_make(&dir, &names)).await.map_err(|e| Error::Storage(format!("TLS: {e}")))??;
    // tap_io: axum gives ConnectInfo<SocketAddr> (the rate limit's address) for a tapped
    // listener of any kind.
    let listener = axum::serve::ListenerExt::tap_io(tls::TlsListener::new(listener, &identity)?, |_| {});
    let served = tokio::spawn(async move { report(axum::serve(listener, app).with_graceful_shutdown(shutdown).await) });
    Ok(Running { addr, tls: Some((identity.fingerprint, identity.made)), stop: Some(stop), served })
}

/// The names a self-signed certificate is made for: this machine, and the address listened
/// on when it is a particular one.
fn certificate_names(addr: SocketAddr) -> Vec<String> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        names.push(addr.ip().to_string());
    }
    names
}

fn report(served: std::io::Result<()>) {
    if let Err(e) = served {
        eprintln!("tidewatch serve: {e}");
    }
}

/// Runs the service until Ctrl-C (the CLI's `serve`); `started` hears where it listens
/// (and the certificate's fingerprint).
pub fn run(config: Config, started: impl FnOnce(&Running)) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async {
        let running = start(config).await?;
        started(&running);
        let _ = tokio::signal::ctrl_c().await;
        running.stop().await;
        Ok(())
    })
}
