//! What the desk keeps while it runs (the workstation: its region pack and journal, or its
//! seat on the command-centre service), and which region pack it loads.

use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex, OnceLock};

use tidewatch_client::{RemoteConfig, RemoteDesk, Report};
use tidewatch_core::region::Region;
use tidewatch_core::time::SystemClock;
use tidewatch_workstation::Workstation;

/// Environment variable naming the command-centre service (`https://host:port`, or
/// `http://127.0.0.1:port` on this machine): set, the desk is a seat on it instead of a
/// desk on its own journal.
pub const SERVICE_ENV: &str = "TIDEWATCH_SERVICE";
/// The office CA's certificate (PEM), when the service's certificate comes from one.
pub const SERVICE_CA_ENV: &str = "TIDEWATCH_SERVICE_CA";
/// The seat to sign in at: `centre` (the default), `traffic` or `station:<place id>`.
pub const SEAT_ENV: &str = "TIDEWATCH_SEAT";

/// The desk's seat: its own journal, or a seat on the service.
pub enum Seat {
    Local(Box<Workstation>),
    Remote(Box<RemoteDesk>),
}

/// Where the desk works: its own journal, or a seat on the service at this address.
pub enum Mode {
    Local,
    Remote { url: String, ca_file: Option<PathBuf>, seat: Option<String>, report: Report },
}

impl Mode {
    /// The mode the environment asks for; `report` hears a remote seat's live thread.
    pub fn from_env(report: Report) -> Mode {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        match var(SERVICE_ENV) {
            None => Mode::Local,
            Some(url) => Mode::Remote { url, ca_file: var(SERVICE_CA_ENV).map(PathBuf::from), seat: var(SEAT_ENV), report },
        }
    }
}

/// Environment variable naming a region pack folder to load instead of the bundled one.
pub const REGION_ENV: &str = "TIDEWATCH_REGION";

/// The default pack in a source checkout (used by `cargo run` and the e2e tests).
pub const DEV_REGION_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/regions/dinghai");

/// The desk's own editable copy of the region pack, in the app-data directory. The region
/// editor writes only here (made from the running pack on the first saved edit); the
/// bundled pack and the source checkout's pack are never written by the app.
pub const USER_REGION_DIR: &str = "region";

/// Where the default pack sits inside the installed bundle's resource directory
/// (tauri.conf.json `bundle.resources`).
pub const BUNDLED_REGION_DIR: &str = "regions/dinghai";

pub struct AppState {
    /// The desk (its region pack, network and journal) over the SQLite journal
    /// `tidewatch.db` in the app-data directory, as the signed-in operator uses it. One call
    /// at a time: each command locks it for one core call. Opened on a thread of its own at
    /// start, while the window comes up; a command that arrives first waits for it. It holds
    /// the journal's writer lock while the desk runs: a journal another desk or command
    /// holds stops this one with who holds it.
    ///
    /// A seat on the service (`TIDEWATCH_SERVICE`) holds no journal: every call is one
    /// request to the service (tidewatch-client).
    seat: OnceLock<Mutex<Seat>>,
    /// The pack to load and the app-data directory (journal, edited pack copy; a remote
    /// seat's pinned certificate and last chain head).
    region_dir: PathBuf,
    data_dir: PathBuf,
    mode: Mutex<Option<Mode>>,
}

impl AppState {
    pub fn new(region_dir: PathBuf, data_dir: PathBuf, mode: Mode) -> AppState {
        AppState { seat: OnceLock::new(), region_dir, data_dir, mode: Mutex::new(Some(mode)) }
    }

    /// The desk's seat, opened on first use: its journal, or its seat on the service. A
    /// pack with errors, a journal that cannot be opened or a service address that is not
    /// one stops the desk with a message that says what and where.
    pub fn seat(&self) -> &Mutex<Seat> {
        self.seat.get_or_init(|| {
            let region = self.region();
            let mode = self.mode.lock().ok().and_then(|mut m| m.take()).unwrap_or(Mode::Local);
            match mode {
                Mode::Local => Mutex::new(Seat::Local(Box::new(self.local(region)))),
                Mode::Remote { url, ca_file, seat, report } => {
                    let config = RemoteConfig { url, data_dir: self.data_dir.clone(), ca_file, seat, clock: SystemClock.clock() };
                    match RemoteDesk::new(config, region, Arc::clone(&report)) {
                        Ok(desk) => {
                            eprintln!("tidewatch: a seat on the command centre at {}", desk.base());
                            Mutex::new(Seat::Remote(Box::new(desk)))
                        }
                        Err(e) => {
                            eprintln!("tidewatch: {SERVICE_ENV}: {e}");
                            std::process::exit(2);
                        }
                    }
                }
            }
        })
    }

    /// The region pack; errors stop the desk.
    fn region(&self) -> Region {
        match Region::load(&self.region_dir) {
            Ok(region) => region,
            Err(errors) => {
                eprintln!("tidewatch: cannot load the region pack {}:\n{}", self.region_dir.display(), tidewatch_core::Error::from(errors));
                if self.region_dir == self.data_dir.join(USER_REGION_DIR) {
                    eprintln!("(this is the desk's edited copy; fix it, or move it away to start on the shipped pack)");
                }
                std::process::exit(2);
            }
        }
    }

    /// The desk on its own journal `tidewatch.db` in the app-data directory.
    fn local(&self, region: Region) -> Workstation {
        let db_path = self.data_dir.join("tidewatch.db");
        // The desk's one wall clock; everything below it tells the time by this.
        match Workstation::open(region, &db_path, SystemClock.clock()) {
            Ok(station) => station.with_region_copy(self.data_dir.join(USER_REGION_DIR)),
            Err(e) => {
                eprintln!("tidewatch: cannot open the journal {}: {e}", db_path.display());
                std::process::exit(2);
            }
        }
    }
}

/// The pack to load, first found of:
/// 1. `$TIDEWATCH_REGION` (an explicit choice by whoever starts the desk);
/// 2. the desk's edited copy `<app data>/region` ([`USER_REGION_DIR`]), once an
///    administrator has saved an edit;
/// 3. the source checkout's pack, when this binary was built from one that still exists;
/// 4. the copy bundled with the installed app.
pub fn region_dir(env_value: Option<PathBuf>, resource_dir: Option<&Path>, app_data_dir: Option<&Path>) -> PathBuf {
    if let Some(dir) = env_value.filter(|p| !p.as_os_str().is_empty()) {
        return dir;
    }
    if let Some(copy) = app_data_dir.map(|d| d.join(USER_REGION_DIR)) {
        if copy.join("region.toml").is_file() {
            return copy;
        }
    }
    let dev = PathBuf::from(DEV_REGION_DIR);
    if dev.join("region.toml").is_file() {
        return dev;
    }
    if let Some(res) = resource_dir {
        let bundled = res.join(BUNDLED_REGION_DIR);
        if bundled.join("region.toml").is_file() {
            return bundled;
        }
    }
    dev
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_wins() {
        let p = region_dir(Some("/tmp/other-pack".into()), None, None);
        assert_eq!(p, PathBuf::from("/tmp/other-pack"));
    }

    #[test]
    fn empty_env_var_is_ignored() {
        let p = region_dir(Some(PathBuf::new()), None, None);
        assert_eq!(p, PathBuf::from(DEV_REGION_DIR));
    }

    #[test]
    fn an_edited_copy_in_app_data_wins_over_the_shipped_pack() {
        let data = std::env::temp_dir().join(format!("tidewatch-state-test-{}", std::process::id()));
        assert_eq!(region_dir(None, None, Some(&data)), PathBuf::from(DEV_REGION_DIR), "no copy yet");
        std::fs::create_dir_all(data.join(USER_REGION_DIR)).unwrap();
        std::fs::write(data.join(USER_REGION_DIR).join("region.toml"), "").unwrap();
        assert_eq!(region_dir(None, None, Some(&data)), data.join(USER_REGION_DIR));
        assert_eq!(region_dir(Some("/tmp/other-pack".into()), None, Some(&data)), PathBuf::from("/tmp/other-pack"));
        std::fs::remove_dir_all(&data).unwrap();
    }
}
