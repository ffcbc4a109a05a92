//! `tidewatch region …`: region packs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tidewatch_core::region::{PackErrors, Region};

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Validate a pack and print its counts (exit 1 when it has errors).
    Check {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: RegionCommand) -> ExitCode {
    match command {
        RegionCommand::Check { dir, json } => region_check(&dir, json),
    }
}

fn region_check(dir: &std::path::Path, json: bool) -> ExitCode {
    let result = Region::load(dir);
    let (counts, errors) = match &result {
        Ok(region) => (region.counts(), Vec::new()),
        Err(PackErrors(errors)) => (Default::default(), errors.clone()),
    };
    if json {
        let mut v = serde_json::to_value(&counts).expect("counts serialise");
        v["errors"] = errors
            .iter()
            .map(|e| serde_json::json!({"file": e.file, "line": e.line, "field": e.field, "message": e.to_string()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        match &result {
            Ok(region) => {
                println!("{} ({}): OK", region.meta.name_en, dir.display());
                let c = &counts;
                println!(
                    "  islands {}  places {}  roads {}  bridges {}  ferry routes {}  sailings {}\n  incident types {}  units {}  officers {}  holiday dates {}\n  rows marked as estimates: {}",
                    c.islands, c.places, c.roads, c.bridges, c.ferry_routes, c.sailings, c.incident_types, c.units, c.officers, c.holidays, c.estimated
                );
            }
            Err(e) => println!("{}: {e}", dir.display()),
        }
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
