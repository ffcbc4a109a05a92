//! What the client's tests share: a throwaway database of their own on `TIDEWATCH_PG_URL`,
//! accounts put straight into it, and the service started in-process on a runtime of its own
//! (dropping it ends every task, sockets too) on a clock the test turns.
#![allow(dead_code)] // each test binary uses its own part

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use sqlx::Connection;
use tidewatch_core::time::ManualClock;
use tidewatch_service::sessions::Limits;
use tidewatch_service::Config;

pub const PASSWORD: &str = "correct horse 1";
/// 2026-07-01 08:00 +08:00.
pub const T0: i64 = 1_782_864_000;

pub fn pg_url(test: &str) -> Option<String> {
    match std::env::var("TIDEWATCH_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED {test}: TIDEWATCH_PG_URL is unset (run `make test-pg`)");
            None
        }
    }
}

pub fn region_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/regions/dinghai"))
}

pub fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// A database of its own, with the accounts the tests sign in as.
pub fn fresh_database(url: &str, tag: &str) -> String {
    block(async {
        let (base, _) = url.rsplit_once('/').unwrap();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("tidewatch_test_{tag}_{}_{nanos}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
        format!("{base}/{name}")
    })
}

/// Accounts straight into the table (after the service made it).
pub fn add_accounts(url: &str, accounts: &[(&str, &str)]) {
    block(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        for (name, role) in accounts {
            let phc = argon2::Argon2::default().hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng)).unwrap().to_string();
            sqlx::query("INSERT INTO accounts (username, role, password, created_utc) VALUES ($1, $2, $3, $4)")
                .bind(name)
                .bind(role)
                .bind(phc)
                .bind(T0)
                .execute(&mut conn)
                .await
                .unwrap();
        }
    })
}

/// A desk as a seat on the service at `url` (no pin, no seat scope: the centre), keeping
/// its files in `data_dir`.
pub fn seat(url: &str, data_dir: &Path) -> tidewatch_client::RemoteDesk {
    let config = tidewatch_client::RemoteConfig {
        url: url.into(),
        data_dir: data_dir.into(),
        ca_file: None,
        seat: None,
        clock: tidewatch_core::time::SystemClock.clock(),
    };
    let region = tidewatch_core::region::Region::load(&region_dir()).unwrap();
    tidewatch_client::RemoteDesk::new(config, region, std::sync::Arc::new(|_| {})).unwrap()
}

/// A call about a collision on 定海 at `lon`.
pub fn call(lon: f64) -> tidewatch_workstation::desk::Intake {
    tidewatch_workstation::desk::Intake {
        incident_type: "traffic_accident".into(),
        priority: None,
        lon,
        lat: 30.018,
        source: tidewatch_journal::CallSource::Phone,
        text: "两车相撞".into(),
    }
}

/// The clock's start, T0.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(T0, 0).unwrap()
}

pub fn sql(url: &str, statements: &[&str]) {
    block(async {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s.to_string())).execute(&mut conn).await.unwrap();
        }
    })
}

/// A service on a runtime of its own; dropping it ends every task (sockets too).
pub struct Svc {
    rt: Option<tokio::runtime::Runtime>,
    pub addr: SocketAddr,
    pub fingerprint: Option<String>,
    pub clock: ManualClock,
}

impl Svc {
    pub fn start(url: &str, listen: SocketAddr, tls_dir: Option<&Path>) -> Svc {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let clock = ManualClock::new(T0);
        let config = Config {
            pg_url: url.to_string(),
            region: region_dir(),
            listen,
            clock: clock.clock(),
            limits: Limits { per_name: 10_000, per_address: 10_000, ..Limits::default() },
            journal_handles: 2,
            tls_dir: tls_dir.map(Path::to_path_buf),
            positions: Default::default(),
            tips: Default::default(),
        };
        let running = rt.block_on(tidewatch_service::start(config)).expect("the service starts");
        let (addr, fingerprint) = (running.addr, running.tls.as_ref().map(|(f, _)| f.clone()));
        // The server's task runs on; `running` only holds its stop handle.
        std::mem::forget(running);
        Svc { rt: Some(rt), addr, fingerprint, clock }
    }

    pub fn http(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl Drop for Svc {
    fn drop(&mut self) {
        self.stop();
    }
}
