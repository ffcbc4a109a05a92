//! Journals written by the demo seeder (the workstation layer's history generator).

use std::path::Path;

use tidewatch_workstation::demo::{seed, SeedOptions, SeedSummary};

/// Seeds `db` with the demo history of the Dinghai pack over `[from, to)` (`YYYY-MM-DD`).
pub fn demo_journal(db: &Path, from: &str, to: &str, calls_per_day: f64, seed_no: u64) -> SeedSummary {
    let opts = SeedOptions { from: super::date(from), to: super::date(to), calls_per_day, seed: seed_no };
    seed(super::dinghai(), db, &opts, |_| {}).expect("demo history")
}
