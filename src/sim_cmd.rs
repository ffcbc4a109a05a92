//! `tidewatch sim`: replay a period of calls against one roster or two side by side.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Days, NaiveDate};
use clap::Args;
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::Error;
use tidewatch_journal::Journal;
use tidewatch_plan::patrol::{history_calls, StandbyParams, Window};
use tidewatch_plan::roster::Roster;
use tidewatch_plan::sim::islands::compare_periods;
use tidewatch_plan::sim::standby::{compare, StandbyWhatIf};
use tidewatch_plan::sim::{incidents_from_journal, simulate, Scenario, ScenarioSetup, SimIncident, SimReport, SimRow};
use tidewatch_workstation::demo::{seed, SeedOptions};

use crate::journal_cmd::{date, finish, local_midnight, open_existing};

#[derive(Args)]
pub struct SimArgs {
    #[arg(long)]
    region: PathBuf,
    /// Replay the calls this journal received in the period.
    #[arg(long, conflicts_with = "generate")]
    db: Option<PathBuf>,
    /// Replay a generated (synthetic) history of the period instead.
    #[arg(long)]
    generate: bool,
    /// Mean calls per ordinary day of a generated history.
    #[arg(long, allow_hyphen_values = true, default_value_t = 60.0, value_parser = crate::args::calls_per_day)]
    calls_per_day: f64,
    /// First day (local), YYYY-MM-DD.
    #[arg(long)]
    from: String,
    /// Days replayed, 1–3660 (ten years).
    #[arg(long, allow_hyphen_values = true, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=MAX_DAYS as i64))]
    days: u32,
    /// The roster to replay against (none: every unit always on duty).
    #[arg(long)]
    roster: Option<PathBuf>,
    /// A second roster, replayed the same way and shown beside the first.
    #[arg(long)]
    compare: Option<PathBuf>,
    /// normal, typhoon (force 10: ferries and boats stop), holiday_surge (calls × 1.6) or
    /// bridge_closed (with --close).
    #[arg(long, default_value = "normal")]
    scenario: String,
    /// Beaufort force, overriding the scenario's.
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u8).range(0..=17))]
    wind: Option<u8>,
    /// Visibility in metres.
    #[arg(long, allow_hyphen_values = true)]
    visibility: Option<u32>,
    /// Bridge or ferry-route id closed for the whole replay (repeatable).
    #[arg(long)]
    close: Vec<String>,
    /// Calls × this factor (1–10), overriding the scenario's.
    #[arg(long, allow_hyphen_values = true, value_parser = crate::args::surge)]
    surge: Option<f64>,
    /// Call to unit on its way, seconds (0–3600).
    #[arg(long, allow_hyphen_values = true, value_parser = clap::value_parser!(u32).range(0..=3600))]
    turnout: Option<u32>,
    /// Also replay with the units at the standby plan's sites (issue #18): the tide
    /// windows of each day, comma-separated (e.g. 00:00-06:00,06:00-12:00,12:00-18:00,18:00-24:00);
    /// the plans' demand is the journal's 4 weeks before --from (the population alone with
    /// --generate). Prints each island with and without the plan.
    #[arg(long, conflicts_with = "compare")]
    standby: Option<String>,
    #[arg(long)]
    json: bool,
}

/// The longest replay, in days (ten years).
pub const MAX_DAYS: u32 = 3660;

pub fn run(a: &SimArgs) -> ExitCode {
    finish(sim(a), "sim")
}

/// A refused input, named by the flag that gave it.
fn as_flag(e: Error, flag: &str) -> Error {
    match e {
        Error::InvalidInput { message, .. } => Error::invalid(flag, message),
        e => e,
    }
}

/// The scenario the flags describe.
fn scenario(a: &SimArgs) -> Result<ScenarioSetup, Error> {
    let name = Scenario::parse(&a.scenario).map_err(|e| as_flag(e, "--scenario"))?;
    let mut s = ScenarioSetup::new(name, &a.close).map_err(|e| as_flag(e, "--close"))?;
    if let Some(w) = a.wind {
        s.conditions.wind_force = w;
    }
    if a.visibility.is_some() {
        s.conditions.visibility_m = a.visibility;
    }
    if let Some(x) = a.surge {
        s.surge = x;
    }
    if let Some(t) = a.turnout {
        s.turnout_s = t;
    }
    Ok(s)
}

/// The calls of `[from, from + days)`: the journal's, or a generated history (seeded
/// through the desk into a scratch journal, so it has the demo's rhythm and mix).
pub fn calls(region: &Region, db: Option<&Path>, from: NaiveDate, days: u32, calls_per_day: f64) -> Result<Vec<SimIncident>, Error> {
    let to = from
        .checked_add_days(Days::new(days.into()))
        .ok_or_else(|| Error::invalid("--days", format!("{days} days after {from} is out of range")))?;
    let (start, end) = (local_midnight(region, from)?, local_midnight(region, to)?);
    match db {
        Some(db) => incidents_from_journal(&open_existing(db)?, start, end),
        None => {
            crate::args::generated_calls(days.into(), calls_per_day, "--calls-per-day")?;
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("generated.db");
            seed(region.clone(), &path, &SeedOptions { from, to, calls_per_day, seed: 7 }, |_| {})?;
            incidents_from_journal(&Journal::open_read_only(&path)?, start, end)
        }
    }
}

fn sim(a: &SimArgs) -> Result<(), Error> {
    if a.db.is_none() && !a.generate {
        return Err(Error::invalid("--db", "give a journal to replay, or --generate"));
    }
    let region = Region::load(&a.region)?;
    let net = Network::from_region(&region);
    let from = date(&a.from, "--from")?;
    let scenario = scenario(a)?;
    let calls = calls(&region, a.db.as_deref(), from, a.days, a.calls_per_day)?;
    let first = a.roster.as_deref().map(Roster::read).transpose()?;
    if let Some(windows) = &a.standby {
        return standby(a, &region, &net, &calls, first.as_ref(), &scenario, windows, from);
    }
    let a_report = simulate(&region, &net, &calls, first.as_ref(), &scenario)?;
    let b_report = match &a.compare {
        Some(p) => Some(simulate(&region, &net, &calls, Some(&Roster::read(p)?), &scenario)?),
        None => None,
    };
    if a.json {
        let islands = compare_periods(&a_report.outcomes, b_report.as_ref().map(|b| b.outcomes.as_slice()));
        let out = serde_json::json!({ "a": a_report, "b": b_report, "islands": islands });
        println!("{}", serde_json::to_string_pretty(&out).expect("serialisable"));
        return Ok(());
    }
    let names = [
        a.roster.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "all units on duty".into()),
        a.compare.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
    ];
    print_side_by_side(&a_report, b_report.as_ref(), &names);
    Ok(())
}

fn cell(r: Option<&SimRow>) -> String {
    let Some(r) = r else { return "—".into() };
    let min = |s: u32| format!("{:.1}", s as f64 / 60.0);
    match &r.response {
        Some(s) => format!(
            "{:>5} calls  p50 {:>5}  p90 {:>5} min  {:>4}",
            r.calls,
            min(s.p50),
            min(s.p90),
            r.within_target.map(|w| format!("{:.0}%", w * 100.0)).unwrap_or_else(|| "—".into())
        ),
        None => format!("{:>5} calls  none reached", r.calls),
    }
}

fn print_side_by_side(a: &SimReport, b: Option<&SimReport>, names: &[String; 2]) {
    let s = &a.scenario;
    println!(
        "What-if replay: {} calls, scenario '{}' (wind {}, visibility {}, closed [{}], surge ×{}, turnout {} s)",
        a.calls,
        s.name,
        s.conditions.wind_force,
        s.conditions.visibility_m.map(|v| format!("{v} m")).unwrap_or_else(|| "clear".into()),
        s.conditions.closed.join(", "),
        s.surge,
        s.turnout_s
    );
    println!("model: {}", a.model);
    let w = 48;
    println!("\n{:<18} {:<w$} {}", "", names[0], names[1]);
    let summary = |r: &SimReport| format!("reached {}, unreached {}, waited {}", r.reached, r.unreached, r.waited);
    println!("{:<18} {:<w$} {}", "calls", summary(a), b.map(summary).unwrap_or_default());
    println!("{:<18} {:<w$} {}", "all", cell(Some(&a.overall)), b.map(|b| cell(Some(&b.overall))).unwrap_or_default());
    let section = |title: &str, rows_a: &[SimRow], rows_b: Option<&[SimRow]>| {
        println!("— {title} (call to scene; share within target)");
        let mut keys: Vec<&String> = rows_a.iter().map(|r| &r.key).collect();
        if let Some(rb) = rows_b {
            keys.extend(rb.iter().map(|r| &r.key).filter(|k| !rows_a.iter().any(|r| &r.key == *k)));
        }
        for k in keys {
            let ra = rows_a.iter().find(|r| &r.key == k);
            let rb = rows_b.map(|rb| cell(rb.iter().find(|r| &r.key == k))).unwrap_or_default();
            println!("{:<18} {:<w$} {}", k, cell(ra), rb);
        }
    };
    section("by route mode", &a.by_route_mode, b.map(|b| b.by_route_mode.as_slice()));
    section("by priority and route mode", &a.by_priority_mode, b.map(|b| b.by_priority_mode.as_slice()));
    section("by island", &a.by_island, b.map(|b| b.by_island.as_slice()));
    println!("\nreplayed in {:.2} s{}", a.seconds, b.map(|b| format!(" and {:.2} s", b.seconds)).unwrap_or_default());
}

/// The replay with and without the standby plans (`--standby`).
#[allow(clippy::too_many_arguments)]
fn standby(
    a: &SimArgs,
    region: &Region,
    net: &Network,
    calls: &[SimIncident],
    roster: Option<&Roster>,
    scenario: &ScenarioSetup,
    windows: &str,
    from: NaiveDate,
) -> Result<(), Error> {
    let windows = windows.split(',').map(Window::parse).collect::<Result<Vec<_>, _>>().map_err(|e| as_flag(e, "--standby"))?;
    let (history, history_days) = match &a.db {
        Some(db) => history_calls(&open_existing(db)?, region, from, 4)?,
        None => (Vec::new(), 0),
    };
    let params = StandbyParams { population_share: if history.is_empty() { 1.0 } else { 0.25 }, ..StandbyParams::default() };
    let w = StandbyWhatIf { from, days: a.days, windows, history: &history, history_days, params };
    let c = compare(region, net, calls, roster, scenario, &w).map_err(|e| as_flag(e, "--standby"))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&c).expect("serialisable"));
        return Ok(());
    }
    println!("{} calls, {} windows planned; {}", c.with.calls, c.windows, c.model);
    println!("— call to scene; share within target: without the plan | with it");
    for (island, a, b) in
        c.by_island.iter().map(|i| (i.island.as_str(), &i.without, &i.with)).chain([("all", &c.without.overall, &c.with.overall)])
    {
        println!("{island:<14} {}  |  {}", cell(Some(a)), cell(Some(b)));
    }
    Ok(())
}
