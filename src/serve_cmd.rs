//! `tidewatch serve`: the command-centre service on PostgreSQL (docs/service.md), and
//! `tidewatch first-administrator`, the first-run step of an installed service
//! (docs/install.md). Every setting of `serve` may come from the environment, so the
//! service package's unit reads them from `/etc/tidewatch/server.env`.

use std::io::BufRead;
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
    #[arg(long, env = "TIDEWATCH_REGION")]
    region: PathBuf,
    /// Where to listen (address:port).
    #[arg(long, env = "TIDEWATCH_LISTEN", default_value = "127.0.0.1:8640")]
    listen: SocketAddr,
    /// Serve HTTPS with the certificate and key in this directory; on first start a
    /// self-signed one is made there and its fingerprint printed (desks pin it). Without
    /// it, plain HTTP: for a service on the loopback only.
    #[arg(long, env = "TIDEWATCH_TLS_DIR")]
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
    /// A closed tip's phone number, photo and sender's addresses are forgotten this many days
    /// after it was closed (the tip, its reply and its journal record stay).
    #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(u32).range(1..=3650))]
    tips_retention_days: u32,
}

fn tips_settings(args: &ServeArgs) -> tidewatch_service::tips::Settings {
    let defaults = tidewatch_service::tips::Settings::default();
    let rates = tidewatch_service::tips::Rates {
        per_device: args.tips_per_device.into(),
        per_address: args.tips_per_address.into(),
        ..defaults.rates
    };
    let retention_s = i64::from(args.tips_retention_days) * 86_400;
    tidewatch_service::tips::Settings { rates, retention_s, ..defaults }
}

/// The service's settings for a one-off command on its database (no listener, one journal
/// handle): `first-administrator`, `device`.
pub fn offline_config(pg_url: String, region: PathBuf) -> Config {
    Config {
        pg_url,
        region,
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        clock: SystemClock.clock(),
        limits: Limits::default(),
        journal_handles: 1,
        tls_dir: None,
        positions: Default::default(),
        tips: Default::default(),
    }
}

pub fn run(args: ServeArgs) -> ExitCode {
    // A service not yet set up has the line `TIDEWATCH_PG_URL=`. Exit 2, as clap does for
    // any bad argument (an empty --tls-dir among them): the unit does not restart on it.
    if args.pg.trim().is_empty() {
        eprintln!("tidewatch serve: no database: --pg / TIDEWATCH_PG_URL is empty (an installed service: run tidewatch-server-setup)");
        return ExitCode::from(2);
    }
    let tips = tips_settings(&args);
    let config = Config {
        listen: args.listen,
        journal_handles: 4,
        tls_dir: args.tls_dir,
        positions: tidewatch_service::positions::Settings {
            retention_s: i64::from(args.positions_retention_days) * 86_400,
            fresh_osmand_s: i64::from(args.gps_fresh_s),
            fresh_owntracks_s: i64::from(args.gps_fresh_s),
            ..Default::default()
        },
        tips,
        ..offline_config(args.pg, args.region)
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

#[derive(Args)]
pub struct FirstAdministratorArgs {
    /// The service's PostgreSQL database (as for `tidewatch serve`). Migrations run first.
    #[arg(long, env = "TIDEWATCH_PG_URL", hide_env_values = true)]
    pg: String,
    /// The region pack the service runs.
    #[arg(long, env = "TIDEWATCH_REGION")]
    region: PathBuf,
    /// The administrator's user name (letters, digits, `.`, `_`, `-`).
    #[arg(long)]
    username: String,
}

/// Makes the first administrator; the password is the first line of standard input (so it
/// never shows in a process list; `tidewatch-server-setup` asks for it without echo).
pub fn first_administrator(args: FirstAdministratorArgs) -> ExitCode {
    let password = match read_password(std::io::stdin().lock()) {
        Ok(p) => p,
        Err(why) => {
            eprintln!("tidewatch first-administrator: {why}");
            return ExitCode::from(2);
        }
    };
    let ask = tidewatch_service::accounts::FirstAdministratorBody { username: args.username, password };
    match tidewatch_service::accounts::command_line_first_administrator(&offline_config(args.pg, args.region), ask) {
        Ok(name) => {
            println!("administrator {name} created: sign in on a desk, then add the other accounts");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tidewatch first-administrator: {}", e.message);
            ExitCode::from(2)
        }
    }
}

/// The first line of `input`, without its line end; an empty one is refused.
pub(crate) fn read_password(mut input: impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err("no password on standard input (echo it in, or use tidewatch-server-setup, which asks)".into());
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::read_password;

    #[test]
    fn the_password_is_the_first_line_without_its_end() {
        assert_eq!(read_password(&b"s3cret pass\r\nsecond\n"[..]).unwrap(), "s3cret pass");
        assert_eq!(read_password(&b"last line without end"[..]).unwrap(), "last line without end");
        assert!(read_password(&b""[..]).unwrap_err().contains("no password"));
        assert!(read_password(&b"\n"[..]).unwrap_err().contains("no password"));
    }
}
