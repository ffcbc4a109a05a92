//! `tidewatch roster …`: tidal shift rosters (plan, check, export, demand) and the shift
//! scheduling benchmark.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Subcommand;
use tidewatch_core::region::Region;
use tidewatch_plan::roster::benchmark::{self, Instance};
use tidewatch_plan::roster::generate::{self, GenerateOptions};
use tidewatch_plan::roster::lns;
use tidewatch_plan::roster::mip::{MipOptions, MipProgress};
use tidewatch_plan::roster::{self, CallRecord, Period, PlanConfig, PlanOptions, PlanProgress, Roster};

#[derive(Subcommand)]
pub enum RosterCommand {
    /// Plan a roster: demand from the journal's history; island by island, then the peak
    /// step (or `--district`: the whole district as one model).
    Plan {
        #[arg(long)]
        region: PathBuf,
        /// The desk's journal (SQLite): calls of the `history_weeks` before --from.
        #[arg(long)]
        db: Option<PathBuf>,
        /// First day, YYYY-MM-DD (local).
        #[arg(long)]
        from: String,
        /// Days, 1–28.
        #[arg(long, allow_hyphen_values = true, value_parser = roster_days())]
        days: u32,
        /// Seconds for the whole solve (default 60, at most 86400). Ctrl-C stops with the best so far.
        #[arg(long, allow_hyphen_values = true, default_value_t = 60.0, value_parser = crate::args::time_limit)]
        time_limit: f64,
        /// Rules, demand parameters, templates, officers' days off and requests (TOML).
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// No progress lines on stderr.
        #[arg(long)]
        quiet: bool,
        /// Plan the whole district as one model (a constructive start, then windows
        /// re-optimised by HiGHS) instead of island by island; better on short limits.
        #[arg(long)]
        district: bool,
    },
    /// Re-verify every hard rule of a roster (independently of the solver) and print its
    /// report. Exit 1 when a rule is broken.
    Check {
        roster: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Export a roster: XLSX (a sheet per island and per officer) and/or iCalendar files.
    Export {
        roster: PathBuf,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Folder for one `<officer>.ics` per officer.
        #[arg(long)]
        ics: Option<PathBuf>,
    },
    /// Print the hourly demand curve per island (JSON) without planning.
    Demand {
        #[arg(long)]
        region: PathBuf,
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long)]
        from: String,
        /// Days, 1–28.
        #[arg(long, allow_hyphen_values = true, value_parser = roster_days())]
        days: u32,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Solve an instance of the employee shift scheduling benchmark (Curtois & Qu format):
    /// a roster that keeps every hard rule in seconds, improved by large-neighbourhood
    /// search while the whole MIP runs alongside for the bound.
    Benchmark {
        instance: PathBuf,
        /// Seconds (default: until proven optimal; at most 86400). Ctrl-C stops with the best so far.
        #[arg(long, allow_hyphen_values = true, value_parser = crate::args::time_limit)]
        time_limit: Option<f64>,
        /// Write the roster as CSV `employee,day,shift` (day 0-based, days off omitted).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        quiet: bool,
        /// Plain HiGHS on the whole model instead (no constructed start, no search around
        /// it): the peer the benchmarks compare against.
        #[arg(long)]
        exact: bool,
        /// Cores the search may use on a large instance: 2 runs the whole MIP beside it for
        /// the bound; 1 takes turns on one core (a small one goes to the whole MIP on one
        /// core either way, which proves its optimum).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=2))]
        threads: u32,
    },
    /// Write a generated instance of the benchmark's format (for tuning and benchmarks).
    Generate {
        #[arg(long)]
        staff: usize,
        #[command(flatten)]
        shape: InstanceShape,
        #[arg(long)]
        out: PathBuf,
    },
}

/// The shape of a generated benchmark instance (`roster generate`, `bench roster`).
#[derive(clap::Args, Clone, Copy)]
pub struct InstanceShape {
    /// Shift types, 1–10.
    #[arg(long, visible_alias = "shift-types", default_value_t = 4)]
    pub shifts: usize,
    /// Days, a multiple of 7.
    #[arg(long, default_value_t = 28)]
    pub days: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl InstanceShape {
    pub fn with_staff(self, staff: usize) -> GenerateOptions {
        GenerateOptions { staff, shifts: self.shifts, days: self.days, seed: self.seed }
    }
}

pub fn run(command: RosterCommand) -> ExitCode {
    let result = match command {
        RosterCommand::Plan { region, db, from, days, time_limit, config, out, json, quiet, district } => {
            let how = How { json, quiet, district };
            plan(&region, db.as_deref(), &from, days, time_limit, config.as_deref(), &out, how)
        }
        RosterCommand::Check { roster, json } => return check(&roster, json),
        RosterCommand::Export { roster, xlsx, ics } => export(&roster, xlsx.as_deref(), ics.as_deref()),
        RosterCommand::Demand { region, db, from, days, config } => demand(&region, db.as_deref(), &from, days, config.as_deref()),
        RosterCommand::Benchmark { instance, time_limit, out, quiet, exact, threads } => {
            bench(&instance, time_limit, out.as_deref(), quiet, exact, threads)
        }
        RosterCommand::Generate { staff, shape, out } => generate_instance(&shape.with_staff(staff), &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("tidewatch roster: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A stop flag set by Ctrl-C (the solve then ends with the best roster so far).
fn ctrl_c_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    // A second handler cannot be installed in the same process; ignore that case.
    let _ = ctrlc::set_handler(move || {
        if s.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
        eprintln!("\nstopping: keeping the best roster found so far (Ctrl-C again to abort)");
    });
    stop
}

/// A roster's length in days, as `Period::new` accepts it.
fn roster_days() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..=i64::from(roster::model::MAX_DAYS))
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    tidewatch_core::time::parse_date(s).ok_or_else(|| format!("--from '{s}' is not a date YYYY-MM-DD (four-digit year)"))
}

/// Calls of the history window from the journal; none without a journal (the demand is
/// then the minimum-presence floors alone).
fn load_calls(db: Option<&Path>, tz: chrono_tz::Tz, from: NaiveDate, params: &roster::DemandParams) -> Result<Vec<CallRecord>, String> {
    let Some(db) = db else { return Ok(Vec::new()) };
    if !db.exists() {
        return Err(format!("--db {}: no such journal", db.display()));
    }
    let journal = crate::journal_cmd::open_existing(db).map_err(|e| e.to_string())?;
    roster::job::history_calls(&journal, tz, from, params).map_err(|e| format!("{}: {e}", db.display()))
}

fn setup(
    region: &Path,
    db: Option<&Path>,
    from: &str,
    days: u32,
    config: Option<&Path>,
) -> Result<(roster::PlanInput, roster::DemandNotes, PlanConfig), String> {
    let region = Region::load(region).map_err(|e| e.to_string())?;
    let config = match config {
        Some(p) => PlanConfig::read(p).map_err(|e| e.to_string())?,
        None => PlanConfig::default(),
    };
    let period = Period::new(parse_date(from)?, days).map_err(|e| e.to_string())?;
    let calls = load_calls(db, region.meta.time_zone, period.from, &config.demand)?;
    let (input, notes) = roster::prepare(&region, &calls, period, &config).map_err(|e| e.to_string())?;
    Ok((input, notes, config))
}

#[allow(clippy::too_many_arguments)]
fn plan(
    region: &Path,
    db: Option<&Path>,
    from: &str,
    days: u32,
    time_limit: f64,
    config: Option<&Path>,
    out: &Path,
    how: How,
) -> Result<(), String> {
    let How { json, quiet, district } = how;
    let (input, notes, config) = setup(region, db, from, days, config)?;
    if !quiet {
        eprintln!(
            "demand: {} calls used ({} skipped, {} counted on {}) from {} to {}",
            notes.calls_used,
            notes.calls_skipped,
            notes.calls_redirected,
            notes.hub.as_ref().map_or("-".into(), |h| h.to_string()),
            notes.history_from.map_or("-".into(), |d| d.to_string()),
            notes.history_to.map_or("-".into(), |d| d.to_string()),
        );
    }
    let stop = ctrl_c_flag();
    let options = PlanOptions {
        time_limit: Some(time_limit),
        stop: Some(&stop),
        weights: config.weights.clone(),
        no_peak_step: config.no_peak_step,
        threads: None,
        district,
    };
    let mut last_part = String::new();
    let mut on_progress = |p: &PlanProgress| {
        if quiet {
            return;
        }
        if p.part != last_part {
            last_part = p.part.clone();
            eprintln!("[{}/{}] {}", p.index, p.parts, p.part);
        }
        if let Some(m) = &p.mip {
            if m.elapsed_s > 0.0 {
                eprintln!("    {}", progress_line(m));
            }
        }
    };
    let roster = roster::plan(input, &options, &mut on_progress).map_err(|e| e.to_string())?;
    roster.write(out).map_err(|e| e.to_string())?;
    let violations = roster::check(&roster);
    let report = roster::report(&roster).map_err(|e| e.to_string())?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("json"));
    } else {
        print!("{}", report.to_text());
        println!("written to {}", out.display());
    }
    if !violations.is_empty() {
        return Err(format!("{} hard-rule violations in the planned roster (a bug): {:?}", violations.len(), violations));
    }
    Ok(())
}

/// How `roster plan` prints and which solver it runs.
struct How {
    json: bool,
    quiet: bool,
    district: bool,
}

fn progress_line(m: &MipProgress) -> String {
    format!(
        "{:6.1} s  best {}  bound {:.1}  gap {}  nodes {}",
        m.elapsed_s,
        m.incumbent.map_or("-".into(), |v| format!("{v:.1}")),
        m.bound,
        m.gap.map_or("-".into(), |g| format!("{:.2}%", 100.0 * g)),
        m.nodes
    )
}

fn check(path: &Path, json: bool) -> ExitCode {
    let roster = match Roster::read(path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tidewatch roster check: {e}");
            return ExitCode::from(2);
        }
    };
    let violations = roster::check(&roster);
    let report = match roster::report(&roster) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tidewatch roster check: {e}");
            return ExitCode::from(2);
        }
    };
    if json {
        let v = serde_json::json!({ "violations": violations, "report": report });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        if violations.is_empty() {
            println!("{}: every hard rule holds ({} shifts checked)", path.display(), roster.assignments.len());
        } else {
            println!("{}: {} hard-rule violations", path.display(), violations.len());
            for v in &violations {
                println!("  [{}] {}", v.rule, v.message);
            }
        }
        print!("{}", report.to_text());
    }
    if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn export(path: &Path, xlsx: Option<&Path>, ics: Option<&Path>) -> Result<(), String> {
    if xlsx.is_none() && ics.is_none() {
        return Err("nothing to export: give --xlsx <file> and/or --ics <dir>".into());
    }
    let roster = Roster::read(path).map_err(|e| e.to_string())?;
    if let Some(x) = xlsx {
        let report = roster::report(&roster).map_err(|e| e.to_string())?;
        roster::export::write_xlsx(&roster, &report, x).map_err(|e| format!("--xlsx {}: {e}", x.display()))?;
        println!("{}", x.display());
    }
    if let Some(dir) = ics {
        let files = roster::export::write_ics(&roster, dir, tidewatch_core::time::SystemClock.clock().now_utc())
            .map_err(|e| format!("--ics {}: {e}", dir.display()))?;
        println!("{} calendars in {}", files.len(), dir.display());
    }
    Ok(())
}

fn demand(region: &Path, db: Option<&Path>, from: &str, days: u32, config: Option<&Path>) -> Result<(), String> {
    let (input, notes, _) = setup(region, db, from, days, config)?;
    let v = serde_json::json!({ "notes": notes, "days": input.days, "islands": input.demand });
    println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    Ok(())
}

fn generate_instance(options: &GenerateOptions, out: &Path) -> Result<(), String> {
    let inst = generate::generate(options).map_err(|e| e.to_string())?;
    std::fs::write(out, generate::to_text(&inst)).map_err(|e| format!("{}: {e}", out.display()))
}

fn bench(path: &Path, time_limit: Option<f64>, out: Option<&Path>, quiet: bool, exact: bool, threads: u32) -> Result<(), String> {
    let inst = Instance::read(path).map_err(|e| e.to_string())?;
    let stop = ctrl_c_flag();
    let options = MipOptions { time_limit, stop: Some(&stop), threads: Some(threads), ..Default::default() };
    let mut on_progress = |m: &MipProgress| {
        if !quiet {
            eprintln!("{}", progress_line(m));
        }
    };
    let solved = if exact { benchmark::solve(&inst, &options, &mut on_progress) } else { lns::solve(&inst, &options, &mut on_progress) }
        .map_err(|e| e.to_string())?;
    let eval = benchmark::evaluate(&inst, &solved.assignment);
    if !eval.violations.is_empty() {
        return Err(format!("the solution breaks hard rules (a bug): {:?}", eval.violations));
    }
    println!("{}", solved.objective);
    if !quiet {
        eprintln!(
            "{}: objective {} ({:?}, bound {}), {:.2} s",
            path.display(),
            solved.objective,
            solved.status,
            solved.bound,
            solved.seconds
        );
    }
    if let Some(out) = out {
        let mut f = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
        f.write_all(benchmark::to_csv(&inst, &solved.assignment).as_bytes()).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(())
}
