//! `tidewatch bench journal`: the journal's load targets, measured on a real file.
//!
//! Seeds N synthetic incidents through the desk (timed), then times the monthly report by
//! island × type and the yearly KPI page (p50 of several runs), and writes the incident
//! facts as CSV so `scripts/bench/duckdb_peer.py` can run the same queries in DuckDB.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand};
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_report::{kpis, response_report, GroupBy};
use tidewatch_workstation::demo::{seed, SeedOptions};

use crate::journal_cmd::finish;

#[path = "bench_roster.rs"]
mod bench_roster;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Seed, report and KPI timings on a journal of N incidents.
    Journal(JournalBench),
    /// What-if replay of a year of calls (target ≤ 5 s), against the desk's per-call path.
    Sim(SimBench),
    /// The roster solver on generated benchmark instances against plain HiGHS.
    Roster(bench_roster::RosterBench),
}

#[derive(Args)]
pub struct SimBench {
    #[arg(long)]
    region: PathBuf,
    /// Journal to replay; without it a year of demo history is generated first.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The year replayed (1000–9998).
    #[arg(long, allow_hyphen_values = true, default_value_t = 2026, value_parser = clap::value_parser!(i32).range(1000..=9998))]
    year: i32,
    /// Mean calls per ordinary day of a generated year.
    #[arg(long, allow_hyphen_values = true, default_value_t = 60.0, value_parser = crate::args::calls_per_day)]
    calls_per_day: f64,
    /// Replay against this roster too (repeated over the year).
    #[arg(long)]
    roster: Option<PathBuf>,
}

#[derive(Args)]
pub struct JournalBench {
    /// Journal file to create (must not exist) or, with --reuse, to read.
    #[arg(long)]
    db: PathBuf,
    #[arg(long)]
    region: PathBuf,
    /// Incidents to seed (spread over `--years` years ending 2026-12-31), 1–10 000 000
    /// (about an hour through the desk).
    #[arg(long, allow_hyphen_values = true, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    incidents: u64,
    /// Years seeded, 1–100.
    #[arg(long, allow_hyphen_values = true, default_value_t = 10, value_parser = clap::value_parser!(i32).range(1..=100))]
    years: i32,
    /// Do not seed: time the reports on an existing journal.
    #[arg(long)]
    reuse: bool,
    /// Write the incident facts here for the DuckDB peer.
    #[arg(long)]
    facts_csv: Option<PathBuf>,
}

pub fn run(cmd: BenchCommand) -> ExitCode {
    match cmd {
        BenchCommand::Journal(a) => finish(journal_bench(&a), "bench journal"),
        BenchCommand::Sim(a) => finish(sim_bench(&a), "bench sim"),
        BenchCommand::Roster(a) => finish(bench_roster::roster_bench(&a), "bench roster"),
    }
}

/// p50 of the replay (the target), and the peer: the same calls through the desk's
/// recommendation (`dispatch::recommend`: one full ranking with legs and warnings per
/// call, every unit free), the path a replay written on the desk would take.
fn sim_bench(a: &SimBench) -> Result<(), Error> {
    use tidewatch_core::dispatch::{recommend, Fleet, IncidentQuery};
    use tidewatch_plan::sim::{simulate, ScenarioSetup};

    let region = Region::load(&a.region)?;
    let net = tidewatch_core::route::Network::from_region(&region);
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| Error::invalid("--year", format!("{y} is out of range")));
    let from = year_start(a.year)?;
    let days = (year_start(a.year + 1)? - from).num_days() as u32;
    let t = Instant::now();
    let calls = crate::sim_cmd::calls(&region, a.db.as_deref(), from, days, a.calls_per_day)?;
    println!(
        "{} calls in {} ({}: {:.1} s)",
        calls.len(),
        a.year,
        if a.db.is_some() { "read" } else { "generated" },
        t.elapsed().as_secs_f64()
    );
    let scenario = ScenarioSetup::normal();
    let mut reached = 0;
    let replay = p50(
        || {
            reached = simulate(&region, &net, &calls, None, &scenario)?.reached;
            Ok(())
        },
        5,
    )?;
    println!("replay, every unit on duty: p50 {replay:.3} s ({reached} reached; target ≤ 5 s)");
    if let Some(path) = &a.roster {
        let roster = tidewatch_plan::roster::Roster::read(path)?;
        let with_roster = p50(
            || {
                simulate(&region, &net, &calls, Some(&roster), &scenario)?;
                Ok(())
            },
            5,
        )?;
        println!("replay against {}: p50 {with_roster:.3} s", path.display());
    }
    let fleet = Fleet::at_bases(&region);
    let peer = p50(
        || {
            for c in &calls {
                let at = chrono::DateTime::from_timestamp(c.at, 0)
                    .ok_or_else(|| Error::invalid("--db", format!("a call at {} s is out of range", c.at)))?;
                let q = IncidentQuery {
                    at,
                    lon: c.lon,
                    lat: c.lat,
                    incident_type: c.incident_type.clone(),
                    priority: Some(c.priority),
                    conditions: scenario.conditions.clone(),
                };
                recommend(&region, &net, &fleet, &q)?;
            }
            Ok(())
        },
        3,
    )?;
    println!("peer, the desk's recommend per call: p50 {peer:.3} s ({:.1}× the replay)", peer / replay);
    Ok(())
}

fn p50(mut f: impl FnMut() -> Result<(), Error>, runs: usize) -> Result<f64, Error> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[runs / 2])
}

fn journal_bench(a: &JournalBench) -> Result<(), Error> {
    let region = Region::load(&a.region)?;
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| Error::invalid("--years", format!("{y} is out of range")));
    let (from, to) = (year_start(2027 - a.years)?, year_start(2027)?);
    if !a.reuse {
        if a.db.exists() {
            return Err(Error::invalid("--db", format!("{} exists; pass --reuse to time reports on it", a.db.display())));
        }
        let days = (to - from).num_days() as f64;
        let calls_per_day = a.incidents as f64 / days / 1.12;
        if calls_per_day > tidewatch_workstation::demo::MAX_CALLS_PER_DAY {
            let most = (tidewatch_workstation::demo::MAX_CALLS_PER_DAY * days * 1.12) as u64;
            return Err(Error::invalid("--incidents", format!("{} over {} years is too many a day: at most {most}", a.incidents, a.years)));
        }
        let opts = SeedOptions { from, to, calls_per_day, seed: 42 };
        let t = Instant::now();
        let s = seed(region.clone(), &a.db, &opts, |s| eprint!("\r  seeding: {} incidents", s.incidents))?;
        eprintln!();
        println!(
            "seed: {} incidents, {} events in {:.1} s ({:.0} incidents/s)",
            s.incidents,
            s.events,
            t.elapsed().as_secs_f64(),
            s.incidents as f64 / t.elapsed().as_secs_f64()
        );
    }
    let journal = crate::journal_cmd::open_existing(&a.db)?;
    let at = |y: i32, m: u32| {
        let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| Error::invalid("date", format!("{y}-{m:02}-01 is out of range")))?;
        crate::journal_cmd::local_midnight(&region, first)
    };
    let (y, m) = (to.year() - 1, 7);
    let (mf, mt) = (at(y, m)?, at(y, m + 1)?);
    let mut groups = 0;
    let monthly = p50(
        || {
            groups = response_report(&journal, &region, mf, mt, &[GroupBy::Island, GroupBy::Type])?.groups.len();
            Ok(())
        },
        7,
    )?;
    println!("monthly report by island × type ({y}-{m:02}, {groups} groups): p50 {:.3} s (target ≤ 0.5 s)", monthly);
    let (yf, yt) = (at(y, 1)?, at(y + 1, 1)?);
    let yearly = p50(
        || {
            kpis(&journal, &region, yf, yt)?;
            Ok(())
        },
        5,
    )?;
    println!("yearly KPI page ({y}): p50 {:.3} s (target ≤ 1 s)", yearly);
    if let Some(path) = &a.facts_csv {
        let rows = journal.incidents_received(i64::MIN, i64::MAX)?;
        let mut w = csv::Writer::from_path(path).map_err(|e| Error::Io(std::io::Error::other(e)))?;
        w.write_record([
            "id",
            "state",
            "incident_type",
            "priority",
            "island",
            "received_utc",
            "dispatched_utc",
            "en_route_utc",
            "on_scene_utc",
            "closed_utc",
            "route_mode",
            "ferry_wait_s",
            "crossing_s",
            "override",
        ])
        .map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let o = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        for r in rows {
            w.write_record([
                r.id.to_string(),
                r.state.name().to_string(),
                r.incident_type,
                r.priority.to_string(),
                r.island.unwrap_or_default(),
                r.received_utc.to_string(),
                o(r.dispatched_utc),
                o(r.en_route_utc),
                o(r.on_scene_utc),
                o(r.closed_utc),
                r.route_mode.unwrap_or_default(),
                o(r.ferry_wait_s.map(i64::from)),
                o(r.crossing_s.map(i64::from)),
                (r.override_reason.is_some() as u8).to_string(),
            ])
            .map_err(|e| Error::Io(std::io::Error::other(e)))?;
        }
        w.flush()?;
        println!("facts for the DuckDB peer: {} (month {mf}..{mt}, year {yf}..{yt})", path.display());
    }
    Ok(())
}
