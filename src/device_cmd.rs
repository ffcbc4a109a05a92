//! `tidewatch device add|list|revoke`: crews' phones registered to units, on the service's
//! database (docs/service.md, "Devices and positions"). Thin over
//! `tidewatch_service::devices::command_line`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tidewatch_service::devices::{self, Answer, Command, Device, DeviceBody};

#[derive(Args)]
pub struct Database {
    /// The service's PostgreSQL database (as for `tidewatch serve`).
    #[arg(long, env = "TIDEWATCH_PG_URL", hide_env_values = true)]
    pg: String,
    /// The region pack the service runs (a device's unit must be one of its units).
    #[arg(long, env = "TIDEWATCH_REGION")]
    region: PathBuf,
    /// Who does it (journaled as the operator).
    #[arg(long, default_value = "tidewatch-device")]
    operator: String,
}

#[derive(Subcommand)]
pub enum DeviceCommand {
    /// Register a phone to a unit and print its secret (shown this once).
    Add {
        #[command(flatten)]
        db: Database,
        /// The unit's id (units.csv).
        #[arg(long)]
        unit: String,
        /// A label for administrators ("traffic 01, Xiaomi").
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Every registered device.
    List {
        #[command(flatten)]
        db: Database,
    },
    /// Revoke a device: its positions are refused from now on.
    Revoke {
        #[command(flatten)]
        db: Database,
        /// The device's number (from `device list`).
        id: i64,
    },
}

pub fn run(command: DeviceCommand) -> ExitCode {
    let (db, command) = match command {
        DeviceCommand::Add { db, unit, name } => (db, Command::Add(DeviceBody { unit, name })),
        DeviceCommand::List { db } => (db, Command::List),
        DeviceCommand::Revoke { db, id } => (db, Command::Revoke(id)),
    };
    let config = crate::serve_cmd::offline_config(db.pg, db.region);
    match devices::command_line(&config, &db.operator, command) {
        Ok(Answer::Added(r)) => {
            println!("device {} registered to {}", r.device.id, r.device.unit);
            println!("secret {} (shown this once: Traccar Client's device identifier, or OwnTracks' password)", r.secret);
            ExitCode::SUCCESS
        }
        Ok(Answer::Listed(list)) => {
            println!("{:>5}  {:<16} {:<24} {:<10} last fix", "id", "unit", "name", "state");
            list.iter().for_each(print_row);
            ExitCode::SUCCESS
        }
        Ok(Answer::Revoked(d)) => {
            println!("device {} ({}) revoked", d.id, d.unit);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tidewatch device: {}", e.message);
            ExitCode::from(2)
        }
    }
}

fn print_row(d: &Device) {
    let state = if d.revoked_utc.is_some() { "revoked" } else { "active" };
    let last = d.last_fix_utc.and_then(|t| chrono::DateTime::from_timestamp(t, 0)).map(|t| t.to_rfc3339()).unwrap_or_else(|| "-".into());
    println!("{:>5}  {:<16} {:<24} {:<10} {last}", d.id, d.unit, d.name, state);
}
