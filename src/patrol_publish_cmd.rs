//! `tidewatch patrol publish|result|audit` (issue #18): the patrol plan published to the
//! desk's journal by a patrol leader, a checkpoint's result recorded against it, and the
//! audit that re-creates every journaled visit list from its seed. Signing in and the role
//! check are the workstation's (the password is the first line of standard input).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::Args;
use tidewatch_core::region::Region;
use tidewatch_core::route::Network;
use tidewatch_core::time::SystemClock;
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, JournalStore, PatrolPlanRecord, SignOutReason, StandbyRecord};
use tidewatch_plan::patrol::checkpoint::Operation;
use tidewatch_plan::patrol::publish::{self, CheckpointPart, VisitInputs};
use tidewatch_plan::patrol::visit::VisitParams;
use tidewatch_plan::patrol::{history_calls, Window};
use tidewatch_workstation::desk::CheckpointResultInput;
use tidewatch_workstation::Workstation;

use crate::journal_cmd::{date, finish, open_existing};

/// Signing in to the desk's journal.
#[derive(Args)]
pub struct SignInArgs {
    #[arg(long)]
    region: PathBuf,
    /// The desk's journal (SQLite).
    #[arg(long)]
    db: PathBuf,
    /// The account to act as; its password is the first line of standard input.
    #[arg(long)]
    user: String,
}

#[derive(Args)]
pub struct PublishArgs {
    #[command(flatten)]
    sign_in: SignInArgs,
    /// A checkpoint plan written by `tidewatch patrol checkpoints --json`.
    #[arg(long)]
    checkpoints: Option<PathBuf>,
    /// A visit list to make and publish: TEAM,DATE,SHIFT[,SEED] (e.g.
    /// dinghai_traffic_01,2026-12-08,08:00-16:00,42; no seed: a new one). Repeatable.
    #[arg(long)]
    visit: Vec<String>,
    /// A standby plan written by `tidewatch patrol standby --json`. Repeatable.
    #[arg(long)]
    standby: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ResultArgs {
    #[command(flatten)]
    sign_in: SignInArgs,
    /// The operation's id as the plan has it (date/slot/team).
    #[arg(long)]
    operation: String,
    /// The plan's `patrol_planned` seq (default: the newest plan holding the operation).
    #[arg(long)]
    plan: Option<i64>,
    /// yes or no.
    #[arg(long, action = clap::ArgAction::Set, value_parser = yes_no)]
    held: bool,
    #[arg(long, default_value_t = 0)]
    vehicles: u32,
    /// KIND=N: drunk_driving, unlicensed_driving, overloading or other. Repeatable.
    #[arg(long)]
    violation: Vec<String>,
    /// Why it was not held, or anything to add.
    #[arg(long, default_value = "")]
    note: String,
}

#[derive(Args)]
pub struct AuditArgs {
    #[arg(long)]
    region: PathBuf,
    #[arg(long)]
    db: PathBuf,
}

fn yes_no(s: &str) -> Result<bool, String> {
    match s {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("'{s}': yes or no")),
    }
}

fn signed_in(a: &SignInArgs) -> Result<(Workstation, Region), Error> {
    let region = Region::load(&a.region)?;
    let password = crate::serve_cmd::read_password(std::io::stdin().lock()).map_err(|e| Error::invalid("password", e))?;
    if !a.db.is_file() {
        return Err(Error::invalid("--db", format!("{}: no such journal", a.db.display())));
    }
    let mut ws = Workstation::open(region.clone(), &a.db, SystemClock.clock())?;
    ws.login(&a.user, &password)?;
    Ok((ws, region))
}

/// The command's session ends with it (journaled, as a desk's sign-out is).
fn sign_out(ws: &mut Workstation) -> Result<(), Error> {
    ws.sign_out(SignOutReason::SignedOut, Utc::now().timestamp())
}

pub fn run_publish(a: &PublishArgs) -> ExitCode {
    finish(publish_plan(a), "patrol publish")
}

pub fn run_result(a: &ResultArgs) -> ExitCode {
    finish(result(a), "patrol result")
}

pub fn run_audit(a: &AuditArgs) -> ExitCode {
    match audit(a) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => finish(Err(e), "patrol audit"),
    }
}

/// The journal's calls before `day` and the visit settings a published list is made with
/// (the audit re-creates it with the same).
fn inputs_for(
    journal: &tidewatch_journal::Journal,
    region: &Region,
    day: NaiveDate,
) -> Result<(Vec<tidewatch_plan::patrol::DemandCall>, u32), Error> {
    history_calls(journal, region, day, 8)
}

fn visit_params() -> VisitParams {
    VisitParams { population_share: 0.25, ..VisitParams::default() }
}

fn publish_plan(a: &PublishArgs) -> Result<(), Error> {
    if a.checkpoints.is_none() && a.visit.is_empty() && a.standby.is_empty() {
        return Err(Error::invalid("--checkpoints", "nothing to publish: give --checkpoints, --visit or --standby"));
    }
    let region = Region::load(&a.sign_in.region)?;
    let net = Network::from_region(&region);
    let read = open_existing(&a.sign_in.db)?;
    let checkpoints = a.checkpoints.as_deref().map(read_checkpoints).transpose()?;
    let part =
        checkpoints.as_ref().map(|(from, weeks, seed, ops)| CheckpointPart { from: *from, weeks: *weeks, seed: *seed, operations: ops });
    let ops_record = part.as_ref().map(|p| publish::record(&region, Some(p), &[], Vec::new()).operations).unwrap_or_default();
    let mut lists = Vec::new();
    for v in &a.visit {
        let (team, day, shift, seed) = visit_spec(v)?;
        let (calls, history_days) = inputs_for(&read, &region, day)?;
        let inputs = VisitInputs { calls: &calls, history_days, params: visit_params() };
        let list = publish::make_visits(&region, &net, &ops_record, (&team, day, &shift, seed), &inputs).map_err(|e| flag(e, "--visit"))?;
        lists.push(list);
    }
    let standby = a.standby.iter().map(|p| read_standby(&region, p)).collect::<Result<Vec<_>, _>>()?;
    let plan = publish::record(&region, part.as_ref(), &lists, standby);
    let (mut ws, _) = signed_in(&a.sign_in)?;
    let ack = ws.publish_patrol_plan(Utc::now(), &plan);
    sign_out(&mut ws)?;
    let ack = ack?;
    println!(
        "Published patrol plan {} ({} days from {}): {} operations, {} visit lists, {} standby windows",
        ack.seq,
        plan.days,
        plan.from,
        plan.operations.len(),
        plan.visits.len(),
        plan.standby.len()
    );
    for v in &plan.visits {
        println!("  visits {} on {} {}: {} stops, seed {}", v.team, v.date, v.shift, v.stops.len(), v.seed);
    }
    Ok(())
}

fn flag(e: Error, flag: &str) -> Error {
    match e {
        Error::InvalidInput { message, .. } => Error::invalid(flag, message),
        e => e,
    }
}

/// TEAM,DATE,SHIFT[,SEED]; no seed: a new one from the clock.
fn visit_spec(s: &str) -> Result<(String, NaiveDate, String, u64), Error> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let bad = |m: String| Error::invalid("--visit", format!("'{s}': {m}"));
    let (team, day, shift) = match parts.as_slice() {
        [t, d, sh] | [t, d, sh, _] => (*t, *d, *sh),
        _ => return Err(bad("TEAM,DATE,SHIFT[,SEED]".into())),
    };
    let day = date(day, "--visit")?;
    Window::parse(shift).map_err(|e| bad(e.to_string()))?;
    let seed = match parts.get(3) {
        Some(x) => x.parse().map_err(|_| bad(format!("seed '{x}' is not a whole number")))?,
        None => Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64,
    };
    Ok((team.to_string(), day, shift.to_string(), seed))
}

type CheckpointFile = (NaiveDate, u32, u64, Vec<Operation>);

/// The period, seed and operations of a `checkpoints --json` file.
fn read_checkpoints(path: &Path) -> Result<CheckpointFile, Error> {
    let bad = |e: String| Error::invalid("--checkpoints", format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let from = v.get("from").and_then(|x| x.as_str()).ok_or_else(|| bad("no from".into()))?;
    let from = date(from, "--checkpoints")?;
    let weeks = v.get("weeks").and_then(|x| x.as_u64()).filter(|w| (1..=26).contains(w)).ok_or_else(|| bad("weeks: 1 to 26".into()))?;
    let seed = v.pointer("/params/seed").and_then(|x| x.as_u64()).ok_or_else(|| bad("no params.seed".into()))?;
    let ops: Vec<Operation> =
        serde_json::from_value(v.get("operations").cloned().unwrap_or_default()).map_err(|e| bad(format!("operations: {e}")))?;
    Ok((from, weeks as u32, seed, ops))
}

/// One window of a `standby --json` file: where the units wait and the share covered.
fn read_standby(region: &Region, path: &Path) -> Result<StandbyRecord, Error> {
    let bad = |e: String| Error::invalid("--standby", format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let day = date(v.get("date").and_then(|x| x.as_str()).ok_or_else(|| bad("no date".into()))?, "--standby")?;
    let label = v.get("window").and_then(|x| x.as_str()).ok_or_else(|| bad("no window".into()))?;
    let w = Window::parse(label).map_err(|e| bad(e.to_string()))?;
    let start = w.samples(region.meta.time_zone, day, w.minutes()).first().copied().ok_or_else(|| bad("window: no instant".into()))?;
    let after = v.get("after").and_then(|x| x.as_array()).ok_or_else(|| bad("no after (the chosen sites)".into()))?;
    let sites = after.iter().map(|s| s.get("place").and_then(|p| p.as_str()).map(str::to_string)).collect::<Option<Vec<_>>>();
    Ok(StandbyRecord {
        date: day,
        window: w.label(),
        start_utc: start,
        end_utc: start + i64::from(w.minutes()) * 60,
        sites: sites.ok_or_else(|| bad("after: a site without place".into()))?,
        covered: v.get("covered_after").and_then(|x| x.as_f64()).unwrap_or(0.0),
    })
}

fn result(a: &ResultArgs) -> Result<(), Error> {
    let mut violations = BTreeMap::new();
    for v in &a.violation {
        let (kind, n) = v.split_once('=').ok_or_else(|| Error::invalid("--violation", format!("'{v}': KIND=N")))?;
        let n: u32 = n.trim().parse().map_err(|_| Error::invalid("--violation", format!("'{v}': N is not a whole number")))?;
        *violations.entry(kind.trim().to_string()).or_insert(0) += n;
    }
    let input = CheckpointResultInput {
        plan: a.plan,
        operation: a.operation.clone(),
        held: a.held,
        vehicles_checked: a.vehicles,
        violations,
        note: a.note.clone(),
    };
    let (mut ws, _) = signed_in(&a.sign_in)?;
    let ack = ws.record_checkpoint_result(Utc::now(), &input);
    sign_out(&mut ws)?;
    let ack = ack?;
    println!("Recorded the result of {} (event {})", a.operation, ack.seq);
    Ok(())
}

/// Whether every journaled visit list is re-created exactly from its seed.
fn audit(a: &AuditArgs) -> Result<bool, Error> {
    let region = Region::load(&a.region)?;
    let net = Network::from_region(&region);
    let journal = open_existing(&a.db)?;
    let mut all_good = true;
    for e in journal.events_of_kinds(&["patrol_planned"], i64::MIN, i64::MAX)? {
        let EventBody::PatrolPlanned { plan } = &e.body else { continue };
        let differ = audit_plan(&journal, &region, &net, plan)?;
        println!("plan {} by {}: {} visit lists, {} differ", e.seq, e.operator, plan.visits.len(), differ.len());
        for d in &differ {
            println!("  DIFFERS: {d}");
        }
        all_good &= differ.is_empty();
    }
    Ok(all_good)
}

fn audit_plan(journal: &tidewatch_journal::Journal, region: &Region, net: &Network, plan: &PatrolPlanRecord) -> Result<Vec<String>, Error> {
    let mut kept = Vec::new();
    for v in &plan.visits {
        kept.push(inputs_for(journal, region, v.date)?);
    }
    let mut k = kept.iter();
    publish::recreate_check(region, net, plan, |_| {
        let (calls, days) = k.next().ok_or_else(|| Error::Storage("audit: inputs out of step".into()))?;
        Ok(VisitInputs { calls, history_days: *days, params: visit_params() })
    })
}
