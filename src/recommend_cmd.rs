//! `tidewatch recommend`: rank units for an incident.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tidewatch_core::dispatch::{recommend, Fleet, IncidentQuery, Recommendation};
use tidewatch_core::ids::IncidentTypeId;
use tidewatch_core::region::Region;
use tidewatch_core::route::{Conditions, LegMode, Network};

#[derive(clap::Args)]
pub struct RecommendArgs {
    #[arg(long)]
    region: PathBuf,
    /// Time of the call, RFC 3339 (e.g. 2026-07-01T09:00:00+08:00).
    #[arg(long)]
    at: String,
    #[arg(long, allow_hyphen_values = true)]
    lon: f64,
    #[arg(long, allow_hyphen_values = true)]
    lat: f64,
    /// Incident type id from the pack's incident_types.csv.
    #[arg(long = "type")]
    incident_type: String,
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u8).range(1..=4))]
    priority: Option<u8>,
    /// Wind, Beaufort force.
    #[arg(long, allow_hyphen_values = true, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=17))]
    wind: u8,
    /// Visibility in metres.
    #[arg(long, allow_hyphen_values = true)]
    visibility: Option<u32>,
    /// Bridge or ferry-route ids closed by hand, comma-separated.
    #[arg(long, value_delimiter = ',')]
    closed: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: &RecommendArgs) -> ExitCode {
    match run_recommend(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("tidewatch recommend: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run_recommend(a: &RecommendArgs) -> Result<(), String> {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&a.at)
        .map_err(|e| format!("--at '{}' is not an RFC 3339 time (e.g. 2026-07-01T09:00:00+08:00): {e}", a.at))?
        .with_timezone(&Utc);
    let region = Region::load(&a.region).map_err(|e| e.to_string())?;
    let net = Network::from_region(&region);
    let query = IncidentQuery {
        at,
        lon: a.lon,
        lat: a.lat,
        incident_type: IncidentTypeId(a.incident_type.clone()),
        priority: a.priority,
        conditions: Conditions { wind_force: a.wind, visibility_m: a.visibility, closed: a.closed.clone() },
    };
    let rec = recommend(&region, &net, &Fleet::at_bases(&region), &query).map_err(|e| e.to_string())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rec).expect("json"));
    } else {
        print_table(&region, &rec);
    }
    Ok(())
}

fn print_table(region: &Region, rec: &Recommendation) {
    let loc = &rec.location;
    match &loc.island {
        Some(i) => println!("Incident on {i}, {} m from {}", loc.snap_m, loc.node_id.as_deref().unwrap_or("-")),
        None => {
            println!("Incident AT SEA ({} m off {})", loc.nearest_island_m.unwrap_or(0.0), loc.nearest_island.as_deref().unwrap_or("-"))
        }
    }
    for r in &rec.responders {
        // No police unit arrives within target: the island's own people first (not police).
        let may: Vec<String> = r.may.iter().map(|m| format!("{m:?}").to_lowercase()).collect();
        println!("CALL {} ({}) {} — may {} (not a police arrival)", r.name, r.role, r.phone, may.join(", "));
    }
    println!("{:<4} {:<20} {:<8} {:<10} {:>7}  route", "#", "unit", "kind", "island", "ETA");
    let name = |id: &str| region.place(&id.into()).map(|p| p.name_en.clone()).unwrap_or_else(|| id.to_string());
    for (i, c) in rec.candidates.iter().enumerate() {
        let legs: Vec<String> = c
            .legs
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let min = l.seconds.div_ceil(60);
                match l.mode {
                    LegMode::Drive if l.bridges.is_empty() => format!("drive {min} min to {}", name(&l.to)),
                    LegMode::Drive => format!("drive {min} min to {} via {}", name(&l.to), l.bridges.join(", ")),
                    LegMode::Wait if l.route.is_none() => {
                        format!("wait {min} min for {}", c.carrier.as_ref().map_or("the boat", |b| b.call_sign.as_str()))
                    }
                    LegMode::Wait => {
                        // The sailing is the next leg; a wait leg starts on arrival at the pier.
                        let sailing = c.legs.get(i + 1).and_then(|n| n.start.get(11..16)).unwrap_or("?");
                        format!("wait {min} min for the {sailing} sailing")
                    }
                    LegMode::Ferry => format!("ferry {min} min to {}", name(&l.to)),
                    LegMode::Boat => format!("boat {min} min to {}", name(&l.to)),
                    LegMode::Walk => format!("on foot {min} min to {}", name(&l.to)),
                }
            })
            .collect();
        println!(
            "{:<4} {:<20} {:<8} {:<10} {:>4}:{:02}  {}",
            i + 1,
            c.carrier.as_ref().map_or_else(|| c.unit.clone(), |b| format!("{} by {}", c.unit, b.unit)),
            format!("{:?}", c.kind).to_lowercase(),
            c.island,
            c.eta_s / 60,
            c.eta_s % 60,
            legs.join(" → ")
        );
    }
    let x = &rec.excluded;
    println!("left out: {} ineligible, {} unavailable, {} unreachable", x.ineligible.len(), x.unavailable.len(), x.unreachable.len());
    for w in &rec.warnings {
        println!("WARNING: {}", w.message);
    }
}
