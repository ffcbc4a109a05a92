//! `tidewatch serve`: the command-centre service on PostgreSQL (docs/service.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use tidewatch_core::time::SystemClock;
use tidewatch_service::sessions::Limits;
use tidewatch_service::Config;

#[derive(Args)]
pub struct ServeArgs {
    /// The PostgreSQL database, e.g. postgres://tidewatch:…@127.0.0.1:5432/tidewatch
    /// (`scripts/postgres.sh` prints one). Migrations run on start.
    #[arg(long, env = "TIDEWATCH_PG_URL", hide_env_values = true)]
    pg: String,
    /// The region pack (e.g. assets/regions/dinghai).
    #[arg(long)]
    region: PathBuf,
    /// Where to listen (address:port).
    #[arg(long, default_value = "127.0.0.1:8640")]
    listen: SocketAddr,
    /// Serve HTTPS with the certificate and key in this directory; on first start a
    /// self-signed one is made there and its fingerprint printed (desks pin it). Without
    /// it, plain HTTP: for a service on the loopback only.
    #[arg(long)]
    tls_dir: Option<PathBuf>,
    /// Crews' positions are kept this many days.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    positions_retention_days: u32,
    /// A phone's position is a unit's start point for this many seconds after its fix.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    gps_fresh_s: u32,
    /// Citizens' tips (the public page /tips/): at most this many from one phone, and from
    /// one network address, in 10 minutes.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    tips_per_device: u32,
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    tips_per_address: u32,
}

fn tips_settings(per_device: u32, per_address: u32) -> tidewatch_service::tips::Settings {
    let defaults = tidewatch_service::tips::Settings::default();
    let rates = tidewatch_service::tips::Rates { per_device: per_device.into(), per_address: per_address.into(), ..defaults.rates };
    tidewatch_service::tips::Settings { rates, ..defaults }
}

pub fn run(args: ServeArgs) -> ExitCode {
    let config = Config {
        pg_url: args.pg,
        region: args.region,
        listen: args.listen,
        clock: SystemClock.clock(),
        limits: Limits::default(),
        journal_handles: 4,
        tls_dir: args.tls_dir,
        positions: tidewatch_service::positions::Settings {
            retention_s: i64::from(args.positions_retention_days) * 86_400,
            fresh_osmand_s: i64::from(args.gps_fresh_s),
            fresh_owntracks_s: i64::from(args.gps_fresh_s),
            ..Default::default()
        },
        tips: tips_settings(args.tips_per_device, args.tips_per_address),
    };
    let started = |running: &tidewatch_service::Running| {
        if let Some((fingerprint, made)) = &running.tls {
            let new = if *made { "made a new self-signed certificate; " } else { "" };
            println!("tidewatch serve: {new}certificate SHA-256 {fingerprint} (desks pin it)");
        }
        println!("tidewatch serve: listening on {}://{} (Ctrl-C stops)", running.scheme(), running.addr);
        crate::out::flush();
    };
    match tidewatch_service::run(config, started) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tidewatch serve: {e}");
            ExitCode::FAILURE
        }
    }
}
