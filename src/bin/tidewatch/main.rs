//! `tidewatch`: the core, headless. Checks region packs and answers "who gets there
//! first?" from the command line, in a readable table or JSON for other tools.
//! One file per command family.

mod recommend_cmd;
mod region_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "tidewatch", version, about = "Tidewatch island dispatch desk: the core on the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Region packs.
    Region {
        #[command(subcommand)]
        command: region_cmd::RegionCommand,
    },
    /// Rank every eligible free unit for an incident by real ETA.
    Recommend(recommend_cmd::RecommendArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Region { command } => region_cmd::run(command),
        Command::Recommend(args) => recommend_cmd::run(&args),
    }
}
