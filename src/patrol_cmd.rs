//! `tidewatch patrol …`: standby positions per tide window (the maximal covering model)
//! and its benchmark on province-size synthetic instances.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use tidewatch_core::region::Region;
use tidewatch_core::route::{Conditions, Network};
use tidewatch_core::time::SystemClock;
use tidewatch_core::Error;
use tidewatch_plan::patrol::card::{self, Card, PageSize};
use tidewatch_plan::patrol::checkpoint::Operation;
use tidewatch_plan::patrol::checkpoint::{self, CheckpointParams, CheckpointPlan, CheckpointRequest};
use tidewatch_plan::patrol::checkpoint_check;
use tidewatch_plan::patrol::mclp::{self, CoverOptions};
use tidewatch_plan::patrol::synthetic::{self, SyntheticOptions};
use tidewatch_plan::patrol::visit::{self, Busy, VisitList, VisitParams, VisitRequest};
use tidewatch_plan::patrol::{history_calls, plan, prepare, StandbyParams, StandbyPlan, StandbyRequest, Window};
use tidewatch_plan::roster::Roster;

use crate::journal_cmd::{date, finish, open_existing};

#[derive(Subcommand)]
pub enum PatrolCommand {
    /// Where the on-duty units wait in a tide window: chosen sites and the covered share
    /// before (at their bases) and after, per island.
    Standby(StandbyArgs),
    /// The weekly plan of checkpoints and surprise raids: every inhabited island visited
    /// within --every-weeks, more at peaks and on nights before holidays, teams on duty,
    /// standby coverage kept above --floor; every rule re-checked.
    Checkpoints(CheckpointArgs),
    /// A randomised visit list for one team and shift across the hot spots (stops of 10–16
    /// min, travel by the real engine); the same --seed re-creates it.
    Visits(VisitArgs),
    /// A printable patrol card (PDF, A4 or phone-sized) for one team and shift: its
    /// checkpoint and raid slots (from a plan written by `checkpoints --json`) and its
    /// visit list.
    Card(CardArgs),
    /// Publishes a patrol plan to the desk's journal (patrol leaders): the checkpoint
    /// plan's operations, visit lists made now with their seeds journaled, standby windows.
    /// The password is the first line of standard input.
    Publish(crate::patrol_publish_cmd::PublishArgs),
    /// Records what came of one operation of a published plan: held or not, vehicles
    /// checked, violations by kind. The password is the first line of standard input.
    Result(crate::patrol_publish_cmd::ResultArgs),
    /// Re-creates every journaled visit list from its seed and compares (exit 1 when one
    /// differs).
    Audit(crate::patrol_publish_cmd::AuditArgs),
    /// The covering model on a seeded synthetic instance (default: the province, 5,000
    /// sites × 50,000 demand points): time, objective and gap to the LP bound.
    Bench(BenchArgs),
    /// Solve a covering instance written by --export (JSON: p, sites, weights, covers) to
    /// optimality: the figure a peer solver is compared with.
    Solve {
        instance: PathBuf,
        #[arg(long, allow_hyphen_values = true, default_value_t = 600.0, value_parser = crate::args::time_limit)]
        time_limit: f64,
    },
}

#[derive(Args)]
pub struct StandbyArgs {
    #[arg(long)]
    region: PathBuf,
    /// The window, local HH:MM-HH:MM (e.g. 22:00-02:00, past midnight).
    #[arg(long)]
    window: String,
    /// The day the window starts, YYYY-MM-DD (default: today, local).
    #[arg(long)]
    date: Option<String>,
    /// Units on standby (default: every land unit on duty), 1 to the units on duty.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    units: Option<u32>,
    /// Who is on duty (default: every land unit of the pack).
    #[arg(long)]
    roster: Option<PathBuf>,
    /// The desk's journal: the calls of the weeks before --date in the window's hours.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Weeks of history, 1–104.
    #[arg(long, allow_hyphen_values = true, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=104))]
    weeks: u32,
    /// Share of the demand from the islands' population, 0–1 (all of it without --db).
    #[arg(long, allow_hyphen_values = true, default_value_t = 0.25, value_parser = share)]
    population_share: f64,
    /// Beaufort force for the window.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u8).range(0..=17))]
    wind: Option<u8>,
    /// Visibility in metres.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    visibility: Option<u32>,
    /// Bridge or ferry-route id closed (repeatable).
    #[arg(long)]
    close: Vec<String>,
    /// Tourist season on the day: ISLAND=FACTOR multiplies that island's demand, factor in
    /// (0, 5] (repeatable; e.g. --season dapeng=3).
    #[arg(long, value_parser = island_factor)]
    season: Vec<(String, f64)>,
    /// Seconds HiGHS may take (0.1–86400).
    #[arg(long, allow_hyphen_values = true, default_value_t = 30.0, value_parser = crate::args::time_limit)]
    time_limit: f64,
    /// Also write the covering instance (JSON: p, sites, weights, covers) for a peer solver.
    #[arg(long)]
    export: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CheckpointArgs {
    #[arg(long)]
    region: PathBuf,
    /// The plan's first day, YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Weeks to plan, 1–26.
    #[arg(long, allow_hyphen_values = true, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=26))]
    weeks: u32,
    /// Who is on duty (default: every unit of the pack, all day).
    #[arg(long)]
    roster: Option<PathBuf>,
    /// The desk's journal: the calls of the 8 weeks before --from weigh the standby demand.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Every inhabited island with a site is visited within each this many weeks (1–52).
    #[arg(long, allow_hyphen_values = true, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=52))]
    every_weeks: u32,
    /// Operations on an ordinary day (0–10).
    #[arg(long, allow_hyphen_values = true, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    per_day: u32,
    /// More operations on weekends and holidays (0–10).
    #[arg(long, allow_hyphen_values = true, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    peak_extra: u32,
    /// Share of the slot's demand the units on standby must still cover, 0–1.
    #[arg(long, allow_hyphen_values = true, default_value_t = 0.5, value_parser = share)]
    floor: f64,
    /// Longest time away before the slot (waiting for a sailing included) and after it,
    /// minutes (10–600).
    #[arg(long, allow_hyphen_values = true, default_value_t = 300, value_parser = clap::value_parser!(u32).range(10..=600))]
    max_travel: u32,
    /// The surprise: another seed, another draw among equally good sites and teams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct VisitArgs {
    #[arg(long)]
    region: PathBuf,
    /// The team (a land unit id of the pack).
    #[arg(long)]
    team: String,
    /// The day the shift starts, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// The shift, local HH:MM-HH:MM.
    #[arg(long)]
    shift: String,
    /// The seed of the draw (default: a new one, printed); give a journaled one to re-create
    /// that list.
    #[arg(long)]
    seed: Option<u64>,
    /// The desk's journal: the hot spots from its calls of the 8 weeks before --date.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Hot spots to draw from (1–100).
    #[arg(long, allow_hyphen_values = true, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=100))]
    hot_spots: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct CardArgs {
    #[command(flatten)]
    visits: VisitArgs,
    /// A checkpoint plan (`tidewatch patrol checkpoints --json`): the team's slots that day.
    #[arg(long)]
    checkpoints: Option<PathBuf>,
    /// a4 or phone.
    #[arg(long, default_value = "a4", value_parser = page_size)]
    size: PageSize,
    /// The PDF to write.
    #[arg(long)]
    out: PathBuf,
}

fn page_size(s: &str) -> Result<PageSize, String> {
    PageSize::parse(s).ok_or_else(|| format!("'{s}': a4 or phone"))
}

#[derive(Args)]
pub struct BenchArgs {
    /// Candidate sites.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    sites: u32,
    /// Demand points.
    #[arg(long, default_value_t = 50_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    demand: u32,
    /// Sites to choose.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    p: u32,
    /// Coverage radius, km (the square is --side km).
    #[arg(long, default_value_t = 8.0, value_parser = positive_km)]
    radius: f64,
    #[arg(long, default_value_t = 300.0, value_parser = positive_km)]
    side: f64,
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    towns: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop within this relative gap (default 1 %).
    #[arg(long, default_value_t = 0.01, value_parser = share)]
    gap: f64,
    #[arg(long, allow_hyphen_values = true, default_value_t = 60.0, value_parser = crate::args::time_limit)]
    time_limit: f64,
    /// Also write the instance (JSON) for a peer solver.
    #[arg(long)]
    export: Option<PathBuf>,
    /// Also solve the LP relaxation on HiGHS (up to 5 × --time-limit) to compare bounds.
    #[arg(long)]
    lp: bool,
    #[arg(long)]
    json: bool,
}

fn share(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| "not a number".to_string())?;
    if x.is_finite() && (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err("must be a number from 0 to 1".into())
    }
}

fn island_factor(s: &str) -> Result<(String, f64), String> {
    let (island, factor) = s.split_once('=').ok_or("ISLAND=FACTOR, e.g. dapeng=3")?;
    let f: f64 = factor.trim().parse().map_err(|_| format!("'{factor}' is not a number"))?;
    Ok((island.trim().to_string(), f))
}

fn positive_km(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| "not a number".to_string())?;
    if x.is_finite() && x > 0.0 && x <= 10_000.0 {
        Ok(x)
    } else {
        Err("must be a number of km above 0, at most 10000".into())
    }
}

pub fn run(command: PatrolCommand) -> ExitCode {
    match command {
        PatrolCommand::Standby(a) => finish(standby(&a), "patrol standby"),
        // Exit 1: a plan was made but a rule is not met (listed); 2: refused.
        PatrolCommand::Checkpoints(a) => match checkpoints(&a) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => finish(Err(e), "patrol checkpoints"),
        },
        PatrolCommand::Visits(a) => finish(visit_list(&a), "patrol visits"),
        PatrolCommand::Card(a) => finish(card(&a), "patrol card"),
        PatrolCommand::Publish(a) => crate::patrol_publish_cmd::run_publish(&a),
        PatrolCommand::Result(a) => crate::patrol_publish_cmd::run_result(&a),
        PatrolCommand::Audit(a) => crate::patrol_publish_cmd::run_audit(&a),
        PatrolCommand::Bench(a) => finish(bench(&a), "patrol bench"),
        PatrolCommand::Solve { instance, time_limit } => finish(solve_file(&instance, time_limit), "patrol solve"),
    }
}

/// A refused input, named by the flag that gave it.
fn as_flag(e: Error, flag: &str) -> Error {
    match e {
        Error::InvalidInput { message, .. } => Error::invalid(flag, message),
        e => e,
    }
}

fn standby(a: &StandbyArgs) -> Result<(), Error> {
    let window = Window::parse(&a.window).map_err(|e| as_flag(e, "--window"))?;
    let region = Region::load(&a.region)?;
    let net = Network::from_region(&region);
    let day = match &a.date {
        Some(d) => date(d, "--date")?,
        None => SystemClock.clock().now_utc().with_timezone(&region.meta.time_zone).date_naive(),
    };
    let roster = a.roster.as_deref().map(Roster::read).transpose()?;
    let (calls, history_days) = match &a.db {
        Some(db) => history_calls(&open_existing(db)?, &region, day, a.weeks)?,
        None => (Vec::new(), 0),
    };
    for id in &a.close {
        let known = region.bridges.iter().any(|b| b.id.0 == *id) || region.ferry_routes.iter().any(|f| f.id.0 == *id);
        if !known {
            return Err(Error::invalid("--close", format!("'{id}' is no bridge or ferry route of the pack")));
        }
    }
    let conditions = Conditions { wind_force: a.wind.unwrap_or(0), visibility_m: a.visibility, closed: a.close.clone() };
    let params = StandbyParams {
        population_share: if a.db.is_some() { a.population_share } else { 1.0 },
        time_limit_s: a.time_limit,
        island_season: a.season.iter().cloned().collect(),
        ..StandbyParams::default()
    };
    let request = StandbyRequest {
        date: day,
        window,
        units: a.units.map(|u| u as usize),
        roster: roster.as_ref(),
        conditions,
        calls: &calls,
        history_days,
        params,
    };
    if let Some(path) = &a.export {
        let w = prepare(&region, &net, &request).map_err(|e| as_flag(e, "--units"))?;
        let json = synthetic::to_json(&w.coverage, w.units);
        std::fs::write(path, json.to_string()).map_err(|e| Error::invalid("--export", format!("{}: {e}", path.display())))?;
    }
    let p = plan(&region, &net, &request).map_err(|e| as_flag(e, "--units"))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&p).map_err(|e| Error::Storage(e.to_string()))?);
    } else {
        print_plan(&p);
    }
    Ok(())
}

/// Whether every rule is met.
fn checkpoints(a: &CheckpointArgs) -> Result<bool, Error> {
    let region = Region::load(&a.region)?;
    let net = Network::from_region(&region);
    let from = date(&a.from, "--from")?;
    let roster = a.roster.as_deref().map(Roster::read).transpose()?;
    let (calls, history_days) = match &a.db {
        Some(db) => history_calls(&open_existing(db)?, &region, from, 8)?,
        None => (Vec::new(), 0),
    };
    let defaults = CheckpointParams::default();
    let params = CheckpointParams {
        every_weeks: a.every_weeks,
        per_day: a.per_day,
        peak_extra: a.peak_extra,
        floor: a.floor,
        max_travel_min: a.max_travel,
        seed: a.seed,
        standby: StandbyParams { population_share: if a.db.is_some() { 0.25 } else { 1.0 }, ..defaults.standby },
    };
    let request = CheckpointRequest {
        from,
        weeks: a.weeks,
        roster: roster.as_ref(),
        conditions: Conditions::default(),
        calls: &calls,
        history_days,
        params,
    };
    let p = checkpoint_check::plan(&region, &net, &request)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&p).map_err(|e| Error::Storage(e.to_string()))?);
    } else {
        print_checkpoints(&p);
    }
    Ok(p.unmet.is_empty())
}

fn print_checkpoints(p: &CheckpointPlan) {
    println!("Checkpoints and raids, {} weeks from {} (seed {})", p.weeks, p.from, p.params.seed);
    println!("{:<16} {:<12} {:<11} {:<13} {:<20} {:<12} {:<26} travel", "day", "slot", "kind", "purpose", "team", "island", "site");
    for o in &p.operations {
        let day = format!("{} {}", o.date, checkpoint::weekday(o.date));
        let (kind, purpose) = (o.kind.name(), o.purpose.name());
        println!(
            "{day:<16} {:<12} {kind:<11} {purpose:<13} {:<20} {:<12} {:<26} {}+{} min",
            o.slot, o.team, o.island, o.site, o.travel_min, o.back_min
        );
    }
    let low = p.standby.iter().map(|s| s.covered).fold(f64::INFINITY, f64::min);
    if low.is_finite() {
        println!("Standby while teams are away: lowest {} (floor {})", pct(low), pct(p.params.floor));
    }
    println!("Islands visited within each {} weeks: {}", p.params.every_weeks, p.islands.join(", "));
    if !p.islands_without_site.is_empty() {
        println!("Inhabited islands with no checkpoint site (a boat's job): {}", p.islands_without_site.join(", "));
    }
    if p.unmet.is_empty() {
        println!("Rules: all met (re-checked)");
    } else {
        for u in &p.unmet {
            println!("NOT MET: {u}");
        }
    }
}

/// The region and the visit list the flags ask for.
fn make_visits(a: &VisitArgs, busy: &[Operation]) -> Result<(Region, VisitList), Error> {
    let shift = Window::parse(&a.shift).map_err(|e| as_flag(e, "--shift"))?;
    let region = Region::load(&a.region)?;
    let net = Network::from_region(&region);
    let day = date(&a.date, "--date")?;
    let (calls, history_days) = match &a.db {
        Some(db) => history_calls(&open_existing(db)?, &region, day, 8)?,
        None => (Vec::new(), 0),
    };
    // A fresh seed from the clock: a new pattern every time unless one is given back.
    let seed = a.seed.unwrap_or_else(|| SystemClock.clock().now_utc().timestamp_nanos_opt().unwrap_or_default() as u64);
    let params = VisitParams {
        hot_spots: a.hot_spots as usize,
        population_share: if a.db.is_some() { 0.25 } else { 1.0 },
        ..VisitParams::default()
    };
    let request = VisitRequest {
        date: day,
        team: &a.team,
        shift,
        seed,
        conditions: Conditions::default(),
        calls: &calls,
        history_days,
        params,
        busy: busy.iter().map(|o| Busy { place: o.site.clone(), start_utc: o.start_utc, end_utc: o.end_utc }).collect(),
    };
    let list = visit::visits(&region, &net, &request).map_err(|e| as_flag(e, "--team"))?;
    Ok((region, list))
}

fn visit_list(a: &VisitArgs) -> Result<(), Error> {
    let (region, list) = make_visits(a, &[])?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&list).map_err(|e| Error::Storage(e.to_string()))?);
        return Ok(());
    }
    let tz = region.meta.time_zone;
    let hm = |t: i64| chrono::DateTime::from_timestamp(t, 0).unwrap_or_default().with_timezone(&tz).format("%H:%M").to_string();
    println!("Visits of {} ({}) on {}, shift {} — seed {}", list.team, list.call_sign, list.date, list.shift, list.seed);
    println!("{:<6} {:<6} {:>7} {:>5}  {:<12} place", "arrive", "leave", "travel", "stop", "island");
    for s in &list.stops {
        println!(
            "{:<6} {:<6} {:>4} min {:>2} min  {:<12} {} {}",
            hm(s.arrive_utc),
            hm(s.leave_utc),
            s.travel_min,
            s.stop_min,
            s.island,
            s.name_zh,
            s.name_en
        );
    }
    println!("Back at {} by {} (shift ends {})", list.base, hm(list.back_utc), hm(list.end_utc));
    Ok(())
}

fn card(a: &CardArgs) -> Result<(), Error> {
    let operations = match &a.checkpoints {
        Some(path) => team_operations(path, &a.visits)?,
        None => Vec::new(),
    };
    let (region, list) = make_visits(&a.visits, &operations)?;
    let card = Card { tz: region.meta.time_zone, visits: &list, operations: &operations };
    let bytes = card::pdf(&card, a.size)?;
    std::fs::write(&a.out, bytes).map_err(|e| Error::invalid("--out", format!("{}: {e}", a.out.display())))?;
    println!("{} ({} operations, {} stops, seed {})", a.out.display(), operations.len(), list.stops.len(), list.seed);
    Ok(())
}

/// The plan's operations of the card's team on the card's day (the walk keeps those in
/// its shift).
fn team_operations(path: &std::path::Path, a: &VisitArgs) -> Result<Vec<Operation>, Error> {
    let day = date(&a.date, "--date")?;
    let bad = |e: String| Error::invalid("--checkpoints", format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let ops: Vec<Operation> =
        serde_json::from_value(v.get("operations").cloned().unwrap_or_default()).map_err(|e| bad(format!("operations: {e}")))?;
    Ok(ops.into_iter().filter(|o| o.team == a.team && o.date == day).collect())
}

fn pct(x: f64) -> String {
    format!("{:5.1} %", 100.0 * x)
}

fn print_plan(p: &StandbyPlan) {
    println!("Standby {} on {}: {} units, {} candidate sites, {} samples", p.window, p.date, p.units, p.candidates, p.samples);
    let d = &p.demand;
    println!(
        "Demand: {} calls in the window's hours over {} days ({} at sea, left to boats), history weight {:.2}, population weight {:.2}, {} points",
        d.calls, d.history_days, d.calls_at_sea, d.history_weight, d.population_weight, d.points
    );
    println!("Covered: before (at bases) {}   after {}   bound {}", pct(p.covered_before), pct(p.covered_after), pct(p.bound));
    println!("Solver: {:?} in {:.2} s ({} columns, {} rows)", p.solver.status, p.solver.seconds, p.solver.columns, p.solver.rows);
    println!();
    println!("{:<28} {:<14} {:>8} {:>8}  site", "standby at", "island", "reaches", "base");
    for s in &p.after {
        println!("{:<28} {:<14} {} {:>8}  {}", s.place, s.island, pct(s.reaches), if s.base { "yes" } else { "" }, s.name_en);
    }
    println!();
    println!("{:<14} {:>8} {:>8} {:>8} {:>12}", "island", "demand", "before", "after", "unreachable");
    for i in &p.by_island {
        println!("{:<14} {} {} {} {}", i.island, pct(i.demand), pct(i.before), pct(i.after), pct(i.unreachable));
    }
}

fn bench(a: &BenchArgs) -> Result<(), Error> {
    let o = SyntheticOptions {
        sites: a.sites as usize,
        demand: a.demand as usize,
        towns: a.towns as usize,
        side_km: a.side,
        radius_km: a.radius,
        seed: a.seed,
    };
    let t0 = Instant::now();
    let inst = synthetic::generate(&o)?;
    let generated_s = t0.elapsed().as_secs_f64();
    let cov = &inst.coverage;
    let p = a.p as usize;
    if let Some(path) = &a.export {
        std::fs::write(path, synthetic::to_json(cov, p).to_string())
            .map_err(|e| Error::invalid("--export", format!("{}: {e}", path.display())))?;
    }
    eprintln!("generated in {generated_s:.1} s");
    let t1 = Instant::now();
    let greedy = cov.covered(&mclp::greedy(cov, p));
    let greedy_s = t1.elapsed().as_secs_f64();
    let solved = mclp::solve(cov, &CoverOptions { p, time_limit: Some(a.time_limit), rel_gap: Some(a.gap), ..Default::default() })?;
    let gap = (solved.bound - solved.covered) / solved.bound.max(1e-12);
    eprintln!("solved: {:.0} ≤ {:.0} in {:.1} s ({:?})", solved.covered, solved.bound, solved.seconds, solved.status);
    let lp = if a.lp {
        let t2 = Instant::now();
        Some((mclp::lp_bound(cov, p, Some(a.time_limit * 5.0))?, t2.elapsed().as_secs_f64()))
    } else {
        None
    };
    let out = serde_json::json!({
        "instance": o, "p": p, "total": cov.total(), "uncoverable": cov.uncoverable(),
        "cover_pairs": (0..cov.demand_points()).map(|i| cov.covers(i).len()).sum::<usize>(),
        "generate_s": generated_s, "greedy": greedy, "greedy_s": greedy_s,
        "covered": solved.covered, "bound": solved.bound, "gap": gap, "status": solved.status, "solve_s": solved.seconds,
        "relaxation_steps": solved.relaxation_steps, "heuristic_s": solved.heuristic_s, "narrowed_sites": solved.narrowed_sites, "columns": solved.columns, "rows": solved.rows,
        "lp_bound": lp.map(|l| l.0), "lp_s": lp.map(|l| l.1),
    });
    if a.json {
        println!("{}", serde_json::to_string_pretty(&out).map_err(|e| Error::Storage(e.to_string()))?);
    } else {
        println!("{} sites × {} demand points, p = {}, radius {} km (seed {})", o.sites, o.demand, p, o.radius_km, o.seed);
        println!("greedy  {:.0} in {:.2} s", greedy, greedy_s);
        println!(
            "solved  {:.0}, bound {:.0} (gap {:.3} %) in {:.2} s ({:?}; swaps and {} Lagrangian steps {:.1} s; narrowed to {} sites; merged model {} columns, {} rows)",
            solved.covered,
            solved.bound,
            100.0 * gap,
            solved.seconds,
            solved.status,
            solved.relaxation_steps,
            solved.heuristic_s,
            solved.narrowed_sites,
            solved.columns,
            solved.rows
        );
        if let Some((lp, lp_s)) = lp {
            println!("LP bound {:.0} ({:.2} s)", lp, lp_s);
        }
    }
    Ok(())
}

fn solve_file(path: &std::path::Path, time_limit: f64) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::invalid("instance", format!("{}: {e}", path.display())))?;
    let t0 = Instant::now();
    let (cov, p) = synthetic::from_json(&text).map_err(|e| Error::invalid("instance", format!("{}: {e}", path.display())))?;
    let solved = mclp::solve(&cov, &CoverOptions { p, time_limit: Some(time_limit), ..Default::default() })?;
    let out = serde_json::json!({
        "covered": solved.covered, "bound": solved.bound, "status": solved.status, "sites": solved.sites,
        "solve_s": solved.seconds, "total_s": t0.elapsed().as_secs_f64(),
    });
    println!("{out}");
    Ok(())
}
