//! Journal commands: demo history, reports, audit, backup and restore.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, TimeZone};
use clap::{Args, Subcommand};
use tidewatch::demo::{seed, SeedOptions};
use tidewatch::region::Region;
use tidewatch::report::{kpis, response_report, write_csv, write_xlsx, GroupBy};
use tidewatch::store::{backup, restore, verify, EventBody, Journal};
use tidewatch::Error;

/// The bundled pack, for commands that need targets and names but were given no region.
const DEFAULT_REGION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai");

fn load_region(dir: &Option<PathBuf>) -> Result<Region, Error> {
    let dir = dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_REGION));
    Ok(Region::load(&dir)?)
}

pub fn date(s: &str, field: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::invalid(field, format!("'{s}' is not a date YYYY-MM-DD")))
}

/// Local midnight of `d` in the region's zone, as UTC seconds.
pub fn local_midnight(region: &Region, d: NaiveDate) -> i64 {
    region.meta.time_zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")).earliest().expect("midnight exists").timestamp()
}

pub fn finish(result: Result<(), Error>, what: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tidewatch {what}: {e}");
            ExitCode::from(2)
        }
    }
}

#[derive(Subcommand)]
pub enum DemoCommand {
    /// Write a plausible SYNTHETIC history through the desk's own paths.
    Seed(SeedArgs),
}

#[derive(Args)]
pub struct SeedArgs {
    #[arg(long)]
    db: PathBuf,
    #[arg(long)]
    region: PathBuf,
    /// First day (local), YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Day after the last (local), YYYY-MM-DD. Seed two years to see traffic's year-on-year fall.
    #[arg(long)]
    to: String,
    /// Mean calls on an ordinary day, region-wide (the demo is calibrated to the default).
    #[arg(long, default_value_t = tidewatch::demo::DEFAULT_CALLS_PER_DAY)]
    per_day: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn demo(cmd: DemoCommand) -> ExitCode {
    let DemoCommand::Seed(a) = cmd;
    finish(
        (|| {
            let region = Region::load(&a.region)?;
            let opts = SeedOptions { from: date(&a.from, "--from")?, to: date(&a.to, "--to")?, calls_per_day: a.per_day, seed: a.seed };
            let s = seed(region, &a.db, &opts, |s| {
                eprint!("\r  {} incidents…", s.incidents);
            })?;
            eprintln!();
            println!(
                "SYNTHETIC demo history written to {}: {} incidents ({} cancelled, {} overrides, {} reassignments), {} joint-work records, {} events in {:.1} s",
                a.db.display(),
                s.incidents,
                s.cancelled,
                s.overrides,
                s.reassignments,
                s.joint_records,
                s.events,
                s.seconds
            );
            Ok(())
        })(),
        "demo seed",
    )
}

#[derive(Args)]
pub struct ReportArgs {
    #[arg(long)]
    db: PathBuf,
    /// First day (local), YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Last day (local, inclusive), YYYY-MM-DD.
    #[arg(long)]
    to: String,
    /// Group by any of island, type, priority, unit, hour, weekday, month, route_mode.
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Region pack for targets and islands (default: the bundled Dinghai pack).
    #[arg(long)]
    region: Option<PathBuf>,
    #[arg(long, conflicts_with_all = ["csv", "xlsx"])]
    json: bool,
    #[arg(long, conflicts_with = "xlsx")]
    csv: bool,
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

pub fn report(a: ReportArgs) -> ExitCode {
    finish(
        (|| {
            let region = load_region(&a.region)?;
            let by =
                a.by.iter()
                    .map(|b| {
                        GroupBy::parse(b).ok_or_else(|| {
                            Error::invalid(
                                "--by",
                                format!("'{b}' is not one of island, type, priority, unit, hour, weekday, month, route_mode"),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
            let (from, to) = (date(&a.from, "--from")?, date(&a.to, "--to")?);
            if to < from {
                return Err(Error::invalid("--to", "is before --from"));
            }
            if !a.db.exists() {
                return Err(Error::Storage(format!("{} does not exist", a.db.display())));
            }
            let journal = Journal::open(&a.db)?;
            let (f, t) = (local_midnight(&region, from), local_midnight(&region, to.succ_opt().expect("date")));
            let r = response_report(&journal, &region, f, t, &by)?;
            let k = kpis(&journal, &region, f, t)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&serde_json::json!({"response": r, "kpis": k})).expect("json"));
            } else if a.csv {
                write_csv(&r, &mut std::io::stdout().lock())?;
            } else if let Some(path) = &a.xlsx {
                write_xlsx(&r, &k, path)?;
                println!("wrote {}", path.display());
            } else {
                print_report(&r, &k);
            }
            Ok(())
        })(),
        "report",
    )
}

fn print_report(r: &tidewatch::report::ResponseReport, k: &tidewatch::report::Kpis) {
    let mut out = std::io::stdout().lock();
    if r.synthetic {
        let _ = writeln!(out, "*** SYNTHETIC DEMO DATA: not real incidents ***");
    }
    let _ = writeln!(out, "Response times {} – {} ({})", r.from, r.to, r.time_zone);
    let _ = writeln!(
        out,
        "{:<28} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8}",
        if r.by.is_empty() { "group".to_string() } else { r.by.join(" × ") },
        "calls",
        "in target",
        "resp p50",
        "resp p90",
        "mean",
        "max"
    );
    let groups = if r.groups.is_empty() { std::slice::from_ref(&r.total) } else { &r.groups[..] };
    for g in groups.iter().chain(if r.groups.is_empty() { None } else { Some(&r.total) }) {
        let s = g.segments.get("response");
        let m = |v: Option<u32>| v.map(|v| format!("{}:{:02}", v / 60, v % 60)).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<28} {:>7} {:>9} {:>8} {:>8} {:>8} {:>8}",
            g.key.join(" × "),
            g.incidents,
            g.within_target.map(|w| format!("{:.1}%", w * 100.0)).unwrap_or_else(|| "-".into()),
            m(s.map(|s| s.p50)),
            m(s.map(|s| s.p90)),
            m(s.map(|s| s.mean as u32)),
            m(s.map(|s| s.max))
        );
    }
    let j = &k.joint_work;
    let _ = writeln!(
        out,
        "\nDistrict: {} incidents; {:.2}% of {} inhabited islands with zero incidents; year on year {}",
        k.incidents,
        k.zero_incident_share * 100.0,
        k.inhabited_islands,
        k.total_change.map(|c| format!("{:+.2}%", c * 100.0)).unwrap_or_else(|| "n/a (no data a year before)".into())
    );
    let _ = writeln!(
        out,
        "Joint work: {} vehicles checked at {} checkpoints, {} violations ({} drunk driving), {:.0} patrol hours, {} people served at {} stalls, {} hazards passed, tips {} received / {} closed; {} overrides",
        j.vehicles_checked, j.checkpoints, j.violations, j.drunk_driving, j.patrol_hours, j.people_served, j.service_stalls, j.hazards_passed, j.tips_received, j.tips_closed, k.overrides
    );
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the journal's hash chain; name the first bad event (exit 1).
    Verify {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn audit(cmd: AuditCommand) -> ExitCode {
    let AuditCommand::Verify { db, json } = cmd;
    match verify(&db) {
        Ok(r) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&r).expect("json"));
            } else if r.ok {
                println!("{}: OK, {} events, hash chain intact", db.display(), r.events);
            } else {
                println!("{}: TAMPERED at event {}: {}", db.display(), r.first_bad_seq.unwrap_or(0), r.problem.as_deref().unwrap_or(""));
            }
            if r.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => finish(Err(e), "audit verify"),
    }
}

pub fn backup_cmd(db: &Path, out: &Path) -> ExitCode {
    finish(backup(db, out).map(|r| println!("backed up {} events to {} (chain intact: {})", r.events, out.display(), r.ok)), "backup")
}

pub fn restore_cmd(from: &Path, db: &Path) -> ExitCode {
    finish(restore(from, db).map(|r| println!("restored {} events from {} into {}", r.events, from.display(), db.display())), "restore")
}

#[derive(Subcommand)]
pub enum JournalCommand {
    /// Write every event as JSON lines.
    Export {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Import JSON-lines events into a new journal, re-checking every lifecycle.
    Import {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        from: PathBuf,
    },
    /// Test aid: append notes in a loop, printing `ack <seq>` after each durable commit.
    #[command(hide = true)]
    AppendLoop {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = u64::MAX)]
        count: u64,
    },
}

pub fn journal(cmd: JournalCommand) -> ExitCode {
    let (db, count) = match cmd {
        JournalCommand::Export { db, out } => {
            return finish(
                (|| {
                    let j = Journal::open(&db)?;
                    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
                    let n = tidewatch::dispatch::export_events(&j, &mut w)?;
                    println!("exported {n} events to {}", out.display());
                    Ok(())
                })(),
                "journal export",
            );
        }
        JournalCommand::Import { db, from } => {
            return finish(
                (|| {
                    let t = std::time::Instant::now();
                    if db.exists() {
                        return Err(Error::invalid("--db", format!("{} exists: import into a new journal", db.display())));
                    }
                    let mut j = Journal::open(&db)?;
                    let mut r = std::io::BufReader::new(std::fs::File::open(&from)?);
                    let s = match tidewatch::dispatch::import_events(&mut j, &mut r) {
                        Ok(s) => s,
                        Err(e) => {
                            drop(j);
                            for suffix in ["", "-wal", "-shm"] {
                                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                            }
                            return Err(e);
                        }
                    };
                    println!(
                        "imported {} events ({} incidents) into {} in {:.1} s",
                        s.events,
                        s.incidents,
                        db.display(),
                        t.elapsed().as_secs_f64()
                    );
                    Ok(())
                })(),
                "journal import",
            );
        }
        JournalCommand::AppendLoop { db, count } => (db, count),
    };
    finish(
        (|| {
            let mut j = Journal::open(&db)?;
            let mut out = std::io::stdout().lock();
            for i in 0..count {
                let body = EventBody::Note { text: format!("crash-test note {i}") };
                let ack = j.append(None, 1_700_000_000 + i as i64, 1_700_000_000 + i as i64, "crash-test", &body)?;
                writeln!(out, "ack {}", ack.seq)?;
                out.flush()?;
            }
            Ok(())
        })(),
        "journal append-loop",
    )
}
