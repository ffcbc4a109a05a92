//! `tidewatch reach`: the reach map for a patrol leader (issue #16): every inhabited island
//! by its best police ETA at an hour and under conditions, and how it is reached.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tidewatch_core::dispatch::{reach_map, station_moves, Fleet, IslandReach, UnitMove};
use tidewatch_core::region::Region;
use tidewatch_core::route::{Conditions, Network};

#[derive(clap::Args)]
pub struct ReachArgs {
    #[arg(long)]
    region: PathBuf,
    /// The moment, RFC 3339 (e.g. 2026-10-14T02:00:00+08:00).
    #[arg(long)]
    at: String,
    /// The priority whose targets the ETAs are judged by.
    #[arg(long, allow_hyphen_values = true, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    priority: u8,
    /// Wind, Beaufort force.
    #[arg(long, allow_hyphen_values = true, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=17))]
    wind: u8,
    /// Visibility in metres.
    #[arg(long, allow_hyphen_values = true)]
    visibility: Option<u32>,
    /// Bridge or ferry-route ids closed by hand, comma-separated.
    #[arg(long, value_delimiter = ',')]
    closed: Vec<String>,
    /// A unit stationed elsewhere than its base, UNIT@PLACE (e.g. boat_02@pier_xiju); repeatable.
    #[arg(long = "move", value_parser = parse_move)]
    moves: Vec<UnitMove>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: &ReachArgs) -> ExitCode {
    match run_reach(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("tidewatch reach: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run_reach(a: &ReachArgs) -> Result<(), String> {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&a.at)
        .map_err(|e| format!("--at '{}' is not an RFC 3339 time (e.g. 2026-10-14T02:00:00+08:00): {e}", a.at))?
        .with_timezone(&Utc);
    let region = Region::load(&a.region).map_err(|e| e.to_string())?;
    let net = Network::from_region(&region);
    let conditions = Conditions { wind_force: a.wind, visibility_m: a.visibility, closed: a.closed.clone() };
    let mut fleet = Fleet::at_bases(&region);
    station_moves(&region, &mut fleet, &a.moves).map_err(|e| e.to_string())?;
    let map = reach_map(&region, &net, &fleet, at, &conditions, a.priority).map_err(|e| e.to_string())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&map).map_err(|e| e.to_string())?);
    } else {
        print_table(&map);
    }
    Ok(())
}

fn parse_move(s: &str) -> Result<UnitMove, String> {
    match s.split_once('@') {
        Some((unit, place)) if !unit.is_empty() && !place.is_empty() => Ok(UnitMove { unit: unit.into(), place: place.into() }),
        _ => Err(format!("'{s}' is not UNIT@PLACE (e.g. boat_02@pier_xiju)")),
    }
}

fn print_table(map: &[IslandReach]) {
    println!("{:<14} {:<12} {:>7} {:>7}  {:<7} {:<7} unit", "island", "", "ETA", "target", "mode", "");
    for r in map {
        let min = |s: Option<u32>| s.map_or_else(|| "-".to_string(), |s| format!("{}:{:02}", s / 60, s % 60));
        let mode = r.mode.map_or_else(|| "none".to_string(), |m| format!("{m:?}").to_lowercase());
        let verdict = format!("{:?}", r.band).to_lowercase();
        let unit = match (&r.unit, &r.carrier) {
            (Some(u), Some(b)) => format!("{u} by {b}"),
            (Some(u), None) => u.clone(),
            _ => "-".into(),
        };
        println!("{:<14} {:<12} {:>7} {:>7}  {:<7} {:<7} {unit}", r.island, r.name_zh, min(r.eta_s), min(r.target_s), mode, verdict);
    }
}
