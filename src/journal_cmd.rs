//! Journal commands: demo history, reports, audit, backup and restore.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use tidewatch_core::region::Region;
use tidewatch_core::time::SystemClock;
use tidewatch_core::Error;
use tidewatch_journal::{backup, restore, verify_sealed, EventBody, Journal, Seal};
use tidewatch_report::{kpis, response_report, write_csv, write_xlsx, GroupBy};
use tidewatch_workstation::demo::{seed, SeedOptions};

/// The bundled pack, for commands that need targets and names but were given no region.
const DEFAULT_REGION: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai");

fn load_region(dir: &Option<PathBuf>) -> Result<Region, Error> {
    let dir = dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_REGION));
    Ok(Region::load(&dir)?)
}

pub fn date(s: &str, field: &str) -> Result<NaiveDate, Error> {
    tidewatch_core::time::parse_date(s).ok_or_else(|| Error::invalid(field, format!("'{s}' is not a date YYYY-MM-DD (four-digit year)")))
}

/// The first instant of local day `d` in the region's zone (its midnight, or the end of
/// the jump when the zone skips midnight), as UTC seconds.
pub fn local_midnight(region: &Region, d: NaiveDate) -> Result<i64, Error> {
    tidewatch_journal::day_start(region.meta.time_zone, d)
}

/// An existing journal that a command reads (`--db`): never a new empty one made on a
/// mistyped path, and every error names the file.
pub fn open_existing(db: &Path) -> Result<Journal, Error> {
    if !db.is_file() {
        let what = if db.exists() { "is not a file" } else { "does not exist: no such journal" };
        return Err(Error::invalid("--db", format!("{} {what}", db.display())));
    }
    // Reading commands open read-only: the file is never created or changed.
    Journal::open_read_only(db).map_err(|e| {
        let path = db.display().to_string();
        if e.to_string().contains(&path) {
            e
        } else {
            Error::invalid("--db", format!("{path}: {e}"))
        }
    })
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
    #[arg(long, allow_hyphen_values = true, default_value_t = tidewatch_workstation::demo::DEFAULT_CALLS_PER_DAY, value_parser = crate::args::calls_per_day)]
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
            if opts.to <= opts.from || (opts.to - opts.from).num_days() > tidewatch_workstation::demo::MAX_SEED_DAYS {
                let max = tidewatch_workstation::demo::MAX_SEED_DAYS;
                return Err(Error::invalid("--to", format!("must be 1 to {max} days after --from ({} to {})", opts.from, opts.to)));
            }
            crate::args::generated_calls((opts.to - opts.from).num_days(), opts.calls_per_day, "--per-day")?;
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
            let journal = open_existing(&a.db)?;
            let after = to.succ_opt().ok_or_else(|| Error::invalid("--to", format!("{to} is the last date there is")))?;
            let (f, t) = (local_midnight(&region, from)?, local_midnight(&region, after)?);
            let r = response_report(&journal, &region, f, t, &by)?;
            let k = kpis(&journal, &region, f, t)?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&serde_json::json!({"response": r, "kpis": k})).expect("json"));
            } else if a.csv {
                write_csv(&r, &mut crate::out::Stdout)?;
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

fn print_report(r: &tidewatch_report::ResponseReport, k: &tidewatch_report::Kpis) {
    // Its write errors end the process (crate::out), so the results here are always Ok.
    let mut out = crate::out::Stdout;
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
    let _ = writeln!(out, "\n{}", tidewatch_report::head_line(r).trim_start_matches("# "));
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain, the read models and the accounts against the events (and the
    /// chain against a seal); name the first fault (exit 1).
    Verify {
        #[arg(long, required_unless_present = "pg")]
        db: Option<PathBuf>,
        /// The service's journal on PostgreSQL instead (postgres://…): the same checks.
        #[arg(long, conflicts_with_all = ["db", "seal"])]
        pg: Option<String>,
        /// A seal from `audit seal`: the journal must still hold the sealed event.
        #[arg(long)]
        seal: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Audit the journal and write its head (seq, hash, time, count) to a new seal file,
    /// to keep outside the journal.
    Seal {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Region pack named in the seal (default: the bundled Dinghai pack).
        #[arg(long)]
        region: Option<PathBuf>,
    },
}

pub fn audit(cmd: AuditCommand) -> ExitCode {
    let (db, seal_path, json) = match cmd {
        AuditCommand::Seal { db, out, region } => return seal_cmd(&db, &out, &region),
        AuditCommand::Verify { pg: Some(url), json, .. } => return crate::pg_cmd::audit_verify(&url, json),
        AuditCommand::Verify { db: Some(db), seal, json, .. } => (db, seal, json),
        AuditCommand::Verify { db: None, .. } => {
            return finish(Err(Error::invalid("--db", "give --db <file> or --pg <url>")), "audit verify")
        }
    };
    let checked = seal_path.as_deref().map(Seal::read).transpose().and_then(|s| verify_sealed(&db, s.as_ref()));
    match checked {
        Ok(r) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&r).expect("json"));
            } else {
                println!("{}", crate::verdict::audit_text(&db.display().to_string(), &r, seal_path.is_some()));
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

fn seal_cmd(db: &Path, out: &Path, region: &Option<PathBuf>) -> ExitCode {
    finish(
        (|| {
            let region = load_region(region)?;
            let s = tidewatch_journal::seal(db, Some(region.meta.id.clone()), SystemClock.clock().now())?;
            s.write(out)?;
            println!(
                "sealed {} at event {} ({} events), hash {}: keep {} outside the journal",
                db.display(),
                s.seq,
                s.events,
                s.hash,
                out.display()
            );
            Ok(())
        })(),
        "audit seal",
    )
}

/// Exit 1 when the journal fails its audit (the copy is kept, as with `audit verify`).
pub fn backup_cmd(db: &Path, out: &Path) -> ExitCode {
    match backup(db, out) {
        Ok(r) if r.ok => {
            println!("backed up {} events to {}; both hash chains verify", r.events, out.display());
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprintln!(
                "tidewatch backup: {} is TAMPERED at event {}: {}; {} is a faithful copy of it, kept as evidence, but restore will refuse it",
                db.display(),
                r.first_bad_seq.unwrap_or(0),
                r.problem.as_deref().unwrap_or(""),
                out.display()
            );
            ExitCode::from(1)
        }
        Err(e) => finish(Err(e), "backup"),
    }
}

pub fn restore_cmd(from: &Path, db: &Path, allow_empty: bool) -> ExitCode {
    finish(
        restore(from, db, allow_empty).map(|r| println!("restored {} events from {} into {}", r.events, from.display(), db.display())),
        "restore",
    )
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
    /// Import an export into a new journal: every line's hash is checked against the chain
    /// (an edited file is refused, naming the line), and every lifecycle. Or, with
    /// `--pg <url> <desk-journal>`, a desk's SQLite journal into the service's journal on
    /// PostgreSQL (docs/service.md, "Moving in" and "The fallback").
    Import {
        #[arg(long, required_unless_present = "pg")]
        db: Option<PathBuf>,
        #[arg(long, required_unless_present = "pg")]
        from: Option<PathBuf>,
        /// Import a file whose chain does not verify, chaining it anew; journaled with the
        /// file's SHA-256 and the first fault.
        #[arg(long, requires = "operator")]
        rechain: bool,
        /// The service's journal on PostgreSQL (postgres://…): import the desk journal given
        /// as the last argument into it, all or nothing.
        #[arg(long, conflicts_with_all = ["db", "from", "rechain"], requires = "desk")]
        pg: Option<String>,
        /// The desk's SQLite journal (with --pg).
        #[arg(requires = "pg")]
        desk: Option<PathBuf>,
        /// Who imports (journaled with the import).
        #[arg(long)]
        operator: Option<String>,
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
                    let j = Journal::open_read_only(&db)?;
                    let mut w = std::io::BufWriter::new(std::fs::File::create(&out)?);
                    let n = tidewatch_workstation::desk::export_events(&j, &mut w)?;
                    println!("exported {n} events to {}", out.display());
                    Ok(())
                })(),
                "journal export",
            );
        }
        JournalCommand::Import { pg: Some(url), desk: Some(desk), operator, .. } => {
            return crate::pg_cmd::import(&url, &desk, operator);
        }
        JournalCommand::Import { db: Some(db), from: Some(from), rechain, operator, .. } => {
            return finish(
                (|| {
                    let t = std::time::Instant::now();
                    let mut r = std::io::BufReader::new(
                        std::fs::File::open(&from).map_err(|e| Error::invalid("--from", format!("{}: {e}", from.display())))?,
                    );
                    // Refused if the file exists or another process holds its lock; only
                    // the journal made here is deleted when the import fails.
                    let mut j = Journal::create(&db).map_err(|e| Error::invalid("--db", e.to_string()))?;
                    let mut opts = tidewatch_workstation::desk::ImportOptions {
                        rechain,
                        ..tidewatch_workstation::desk::ImportOptions::at(SystemClock.clock().now())
                    };
                    opts.operator = operator.unwrap_or(opts.operator);
                    let s = match tidewatch_workstation::desk::import_events_with(&mut j, &mut r, &opts) {
                        Ok(s) => s,
                        Err(e) => {
                            j.discard()?;
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
                    match &s.rechained {
                        Some(why) => println!("RE-CHAINED (journaled): the file's chain did not verify: {why}"),
                        None => println!("every line's hash verified; the events keep their hashes"),
                    }
                    Ok(())
                })(),
                "journal import",
            );
        }
        JournalCommand::Import { .. } => {
            return finish(
                Err(Error::invalid("--db", "give --db <new journal> --from <export>, or --pg <url> <desk journal>")),
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
