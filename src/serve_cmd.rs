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
}

pub fn run(args: ServeArgs) -> ExitCode {
    let config = Config {
        pg_url: args.pg,
        region: args.region,
        listen: args.listen,
        clock: SystemClock.clock(),
        limits: Limits::default(),
        journal_handles: 4,
    };
    let started = |addr: SocketAddr| {
        println!("tidewatch serve: listening on http://{addr} (Ctrl-C stops)");
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
