//! The patrol plan published (issue #18) on the real Dinghai pack, through the CLI and the
//! workstation: a leader publishes (a dispatcher may not), the journal gives the same plan
//! back, the visit lists are re-created from their journaled seeds, the board says where a
//! unit should be, results are recorded against the plan (bad ones refused naming the
//! field) and the supervisor's KPIs count the plan executed.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use tidewatch_core::dispatch::PlannedKind;
use tidewatch_core::route::Network;
use tidewatch_journal::{EventBody, Journal, JournalStore, PatrolPlanRecord};
use tidewatch_plan::patrol::checkpoint::Operation;
use tidewatch_plan::patrol::publish::{self, CheckpointPart, VisitInputs};
use tidewatch_plan::patrol::visit::VisitParams;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::desk::CheckpointResultInput;

use support::station::{signed_in, PASSWORD};
use support::{dinghai, dinghai_dir, path_str, tidewatch};

/// The CLI with `stdin` as its standard input (the password).
fn with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tidewatch");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn journaled_plans(db: &Path) -> Vec<(i64, PatrolPlanRecord)> {
    let j = Journal::open_read_only(db).unwrap();
    j.events_of_kinds(&["patrol_planned"], i64::MIN, i64::MAX)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::PatrolPlanned { plan } => Some((e.seq, plan)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_leader_publishes_the_desk_follows_and_the_supervisor_counts_the_plan_executed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let mut admin = signed_in(&db, "admin");
    admin.create_account("zhou", Role::PatrolLeader, PASSWORD, 4).unwrap();
    drop(admin);
    let region_dir = dinghai_dir();
    let region = path_str(&region_dir);
    let plan_json = dir.path().join("plan.json");
    let out =
        tidewatch(&["patrol", "checkpoints", "--region", region, "--from", "2026-09-21", "--weeks", "1", "--every-weeks", "1", "--json"]);
    std::fs::write(&plan_json, &out.stdout).unwrap();
    let file: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ops: Vec<Operation> = serde_json::from_value(file["operations"].clone()).unwrap();
    assert!(ops.len() >= 7, "{} operations", ops.len());
    let team = ops[0].team.clone();
    let visit = format!("{team},{},08:00-16:00,42", ops[0].date);
    let publish = |user: &str| {
        let args = ["patrol", "publish", "--region", region, "--db", path_str(&db), "--user", user];
        let mut args = args.to_vec();
        args.extend(["--checkpoints", path_str(&plan_json), "--visit", &visit]);
        with_stdin(&args, &format!("{PASSWORD}\n"))
    };
    // Nothing to publish is refused naming the flag.
    let empty = with_stdin(&["patrol", "publish", "--region", region, "--db", path_str(&db), "--user", "zhou"], &format!("{PASSWORD}\n"));
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("--checkpoints"));
    // A dispatcher may not publish; nothing is journaled.
    let refused = publish("wang");
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stdout));
    assert!(journaled_plans(&db).is_empty());
    let out = publish("zhou");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Replayed from the journal: the same plan as made from the same inputs.
    let plans = journaled_plans(&db);
    assert_eq!(plans.len(), 1);
    let (seq, journaled) = &plans[0];
    let pack = dinghai();
    let net = Network::from_region(&pack);
    let part = CheckpointPart { from: support::date("2026-09-21"), weeks: 1, seed: 1, operations: &ops };
    let ops_record = publish::record(&pack, Some(&part), &[], Vec::new()).operations;
    let inputs = VisitInputs { calls: &[], history_days: 56, params: VisitParams { population_share: 0.25, ..VisitParams::default() } };
    let list = publish::make_visits(&pack, &net, &ops_record, (&team, ops[0].date, "08:00-16:00", 42), &inputs).unwrap();
    assert_eq!(*journaled, publish::record(&pack, Some(&part), std::slice::from_ref(&list), Vec::new()));
    assert_eq!(journaled.visits[0].seed, 42);
    assert!(!journaled.visits[0].stops.is_empty());

    // The audit re-creates the list from the journaled seed; a tampered seed is caught.
    let audit = tidewatch(&["patrol", "audit", "--region", region, "--db", path_str(&db)]);
    let text = String::from_utf8_lossy(&audit.stdout);
    assert!(audit.status.success() && text.contains("1 visit lists, 0 differ"), "{text}");
    let mut tampered = journaled.clone();
    tampered.visits[0].seed = 43;
    let differ = publish::recreate_check(&pack, &net, &tampered, |_| {
        Ok(VisitInputs { calls: &[], history_days: 56, params: VisitParams { population_share: 0.25, ..VisitParams::default() } })
    })
    .unwrap();
    assert_eq!(differ.len(), 1, "{differ:?}");

    // The board: the team at its checkpoint during its slot, on its patrol before.
    let mut desk = signed_in(&db, "wang");
    let o = &journaled.operations[0];
    let at = |t: i64| chrono::DateTime::from_timestamp(t, 0).unwrap();
    let board = desk.board(at(o.start_utc + 60)).unwrap();
    let unit = board.units.iter().find(|u| u.unit == team).unwrap();
    let task = unit.planned.clone().expect("planned");
    assert!(matches!(task.kind, PlannedKind::Checkpoint | PlannedKind::Raid), "{task:?}");
    assert_eq!((task.place.as_str(), task.operation.as_deref()), (o.site.as_str(), Some(o.id.as_str())));
    let first = &journaled.visits[0].stops[0];
    let board = desk.board(at(first.arrive_utc)).unwrap();
    let task = board.units.iter().find(|u| u.unit == team).unwrap().planned.clone().expect("a stop");
    assert_eq!((task.kind, task.stop, task.stops), (PlannedKind::PatrolStop, Some(1), Some(journaled.visits[0].stops.len() as u32)));

    // Results: on the CLI and the desk; bad ones refused naming the field. One process
    // holds a desk's journal at a time.
    drop(desk);
    let result = |extra: &[&str]| {
        let mut args = vec!["patrol", "result", "--region", region, "--db", path_str(&db), "--user", "wang"];
        args.extend_from_slice(extra);
        with_stdin(&args, &format!("{PASSWORD}\n"))
    };
    let ok =
        result(&["--operation", &o.id, "--held", "yes", "--vehicles", "40", "--violation", "drunk_driving=2", "--violation", "other=1"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    for (extra, needle) in [
        (vec!["--operation", &o.id, "--held", "yes", "--vehicles", "5", "--violation", "speeding=1"], "violations"),
        (vec!["--operation", "2026-09-21/nope/x", "--held", "yes"], "operation"),
        (vec!["--operation", &o.id, "--held", "no", "--vehicles", "3"], "held"),
        (vec!["--operation", &o.id, "--held", "maybe"], "--held"),
        (vec!["--operation", &o.id, "--held", "yes", "--plan", "99999"], "plan"),
    ] {
        let out = result(&extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
    let mut desk = signed_in(&db, "wang");
    let second = &journaled.operations[1];
    let input = CheckpointResultInput {
        plan: Some(*seq),
        operation: second.id.clone(),
        held: false,
        vehicles_checked: 0,
        violations: Default::default(),
        note: "boat not running".into(),
    };
    desk.record_checkpoint_result(chrono::Utc::now(), &input).unwrap();

    drop(desk);
    // The supervisor's KPIs for the plan's week.
    let mut li = signed_in(&db, "li");
    let q = tidewatch_workstation::ReportQuery { from: Some("2026-09-21".into()), to: Some("2026-09-27".into()), ..Default::default() };
    let k = li.supervisor_dashboard(chrono::Utc::now(), &q).unwrap().kpis;
    let x = k.plan_executed.expect("plan executed");
    assert_eq!((x.planned as usize, x.held, x.not_held), (journaled.operations.len(), 1, 1));
    assert_eq!(x.unrecorded as usize, journaled.operations.len() - 2);
    assert_eq!((x.vehicles_checked, x.violations.get("drunk_driving").copied()), (40, Some(2)));
    assert!((x.executed_share.unwrap() - 1.0 / journaled.operations.len() as f64).abs() < 1e-12);
}
