//! A desk as a seat on the command-centre service (`tidewatch serve`): [`RemoteDesk`]
//! implements the desk's API ([`tidewatch_workstation::DeskApi`]) over the service's HTTP
//! API (docs/service.md), so the desk's UI works the same on its own journal or on the
//! service.
//!
//! - `http.rs`: one blocking call (ureq), the bearer token, timeouts (connect 3 s, request
//!   10 s), and the service's error body mapped back to `tidewatch_core::Error` by kind,
//!   its message kept whole.
//! - `address.rs`, `tls.rs`: `https://` with the service's certificate pinned by SHA-256
//!   (trust on first use, `service-pin` in the desk's app-data; a changed certificate is
//!   refused naming both), or a certificate from an office CA file; plain `http://` on
//!   the loopback only.
//! - `live.rs`: the WebSocket on a thread of its own (new seqs, the link lost and back,
//!   reconnects with backoff) and the tamper check of the chain head the desk last saw
//!   (`service-head`).
//! - `desk.rs`: the API, call by call. While the link is lost (or the chain check failed)
//!   every call is refused at once with `service_unavailable`, saying since when: nothing
//!   is sent, nothing is half-done, and the desk keeps its last picture.
//! - `service_screens.rs`: what only the service has: citizens' tips (queue, photo, make
//!   incident, pass on, close, figures) and crews' positions for the map.
//! - `region_edit.rs`: the region editor (edits stored by the service) and the seat's map
//!   kept to the region the service routes on.
//! - `supervisor.rs`: the supervisor's screen: the dashboard, the report and journal
//!   exports (files the service makes, written into the desk's export folder), the audit.
//! - `leader.rs`: the leader's screen: planned and replayed here on the desk, from the
//!   history the service answers; a roster is published through the service.

mod address;
mod desk;
pub mod http;
mod leader;
pub mod live;
mod region_edit;
mod service_screens;
mod supervisor;
pub mod tls;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::TimeZone;
use tidewatch_core::region::Region;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_workstation::accounts::Session;

pub use address::Service;
pub use live::{Link, LinkStatus, Live, Report, HEAD_FILE};
pub use region_edit::REGION_DIR;
pub use tls::PIN_FILE;

use http::Http;
use live::LiveThread;

/// How a desk reaches its service.
#[derive(Clone)]
pub struct RemoteConfig {
    /// `https://host:port`, or `http://127.0.0.1:port` on this machine.
    pub url: String,
    /// The desk's app-data directory (`service-pin`, `service-head`).
    pub data_dir: PathBuf,
    /// The office CA's certificate (PEM), when the service's certificate comes from one.
    pub ca_file: Option<PathBuf>,
    /// The seat signed in at (`centre`, `traffic`, `station:<place>`); the service's
    /// default (the centre) when None.
    pub seat: Option<String>,
    /// The desk's clock (since when the link is up or lost).
    pub clock: Clock,
}

/// A seat on the service, as the desk's API.
pub struct RemoteDesk {
    http: Http,
    region: Region,
    /// The pack folder the desk was started on (never written).
    pack: PathBuf,
    /// The version of the service's region edits `region` has (0: the pack as it is).
    region_version: i64,
    config: RemoteConfig,
    session: Option<Session>,
    /// The seat the service gave the session (none before signing in).
    seat: Option<String>,
    idle_minutes: u32,
    link: Link,
    live: Option<LiveThread>,
    report: Report,
    /// The leader's running plan and this session's rosters (they run on the desk).
    leader: tidewatch_workstation::leader::LeaderDesk,
    /// The region's network for the what-if, built on first use.
    net: Option<tidewatch_core::route::Network>,
}

impl RemoteDesk {
    /// A seat on the service at `config.url`; `region` is the pack the desk draws its map
    /// from (the service's own). `report` hears the live thread (new seqs, the link).
    /// Nothing is sent until the first call.
    pub fn new(config: RemoteConfig, region: Region, report: Report) -> Result<RemoteDesk, Error> {
        let service = Service::parse(&config.url, &config.data_dir, config.ca_file.as_deref())?;
        Ok(RemoteDesk {
            http: Http::new(Arc::new(service)),
            pack: region.dir.clone(),
            region_version: 0,
            region,
            config,
            session: None,
            seat: None,
            idle_minutes: (tidewatch_workstation::IDLE_TIMEOUT_S / 60) as u32,
            link: Arc::new(Mutex::new(None)),
            live: None,
            report,
            leader: Default::default(),
            net: None,
        })
    }

    /// `scheme://host:port` of the service.
    pub fn base(&self) -> &str {
        &self.http.service.base
    }

    /// The seat signed in at, else the one this desk asks for (`centre` unless told).
    pub fn seat(&self) -> String {
        self.seat.clone().or_else(|| self.config.seat.clone()).unwrap_or_else(|| "centre".into())
    }

    /// The link as the live thread last found it (None: not connected yet).
    pub fn link(&self) -> Option<LinkStatus> {
        self.link.lock().ok().and_then(|l| l.clone())
    }

    /// The certificate fingerprint this desk trusts (https only; None before the first
    /// connect).
    pub fn pinned(&self) -> Option<String> {
        self.http.service.pin.as_ref().and_then(|p| p.pinned())
    }

    /// The fingerprint pinned on first use in this run, once: the desk shows it for the
    /// operator to compare with the one `tidewatch serve` printed.
    pub fn take_first_use_pin(&self) -> Option<String> {
        self.http.service.pin.as_ref().and_then(|p| p.take_first_use())
    }

    /// Refuses at once while the link is lost or the chain check failed.
    fn ready(&self) -> Result<(), Error> {
        match self.link() {
            Some(l) if l.tampered => Err(Error::ServiceUnavailable(l.message.unwrap_or_default())),
            Some(l) if !l.connected => Err(Error::ServiceUnavailable(format!(
                "lost the command centre at {} since {}: {}; nothing was sent (the board shows the last picture)",
                self.base(),
                self.local_time(l.since),
                l.message.unwrap_or_default()
            ))),
            _ => Ok(()),
        }
    }

    /// `at` (unix seconds) as HH:MM:SS in the region's time zone.
    fn local_time(&self, at: i64) -> String {
        self.region.meta.time_zone.timestamp_opt(at, 0).single().map_or_else(|| at.to_string(), |t| t.format("%H:%M:%S").to_string())
    }

    /// A signed-in seat: the token kept, the live thread started afresh.
    fn begin(&mut self, signed_in: desk::SignedIn) -> Result<Session, Error> {
        self.end();
        self.http.token = Some(signed_in.token);
        self.idle_minutes = u32::try_from((signed_in.idle_timeout_s + 59) / 60).unwrap_or(u32::MAX);
        let session = Session { username: signed_in.username, role: signed_in.role };
        self.session = Some(session.clone());
        self.seat = Some(signed_in.seat);
        let live = live::start(
            self.http.clone(),
            &self.config.data_dir,
            self.config.clock.clone(),
            Arc::clone(&self.report),
            Arc::clone(&self.link),
        )?;
        self.live = Some(live);
        Ok(session)
    }

    /// Forgets the session: token, live thread, link state.
    fn end(&mut self) {
        if let Some(live) = self.live.take() {
            live.stop();
        }
        self.http.token = None;
        self.session = None;
        self.seat = None;
        // A new link: a stopping thread's last word never reaches the next session.
        self.link = Arc::new(Mutex::new(None));
    }
}

impl Drop for RemoteDesk {
    fn drop(&mut self) {
        self.end();
    }
}
