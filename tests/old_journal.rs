//! Old journals keep working: `tests/data/journal-v1/journal.db` was written by the code
//! before the journal owned its vocabulary (a published roster journaled as the whole
//! `roster::Roster`, the board's `Thresholds`, `UnitStatus` and `RouteMode` serialised as
//! the domain types). Opened (a copy) with today's code, it must give the same timeline,
//! reports, desk state and audit result as the goldens written beside it by the old code.
//!
//! How the fixture was made: `write_journal_v1_fixture` below (ignored), run once at the
//! commit that added this file:
//! `OLD_JOURNAL_OUT=tests/data/journal-v1 cargo test --release -p tidewatch --test old_journal -- --ignored`.
//! Running it again writes today's format: do not, unless on purpose for a new fixture.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use tidewatch_core::dispatch::Thresholds;
use tidewatch_core::ids::UnitId;
use tidewatch_core::region::Region;
use tidewatch_core::route::Conditions;
use tidewatch_journal::{CallSource, Journal, SignOutReason};
use tidewatch_report::{kpis, response_report, write_csv, GroupBy};
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::demo::{seed, SeedOptions};
use tidewatch_workstation::desk::{Desk, Intake};
use tidewatch_workstation::Workstation;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/journal-v1")
}

fn region() -> Region {
    Region::load(&support::dinghai_dir()).expect("Dinghai pack loads")
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// 2026-10-08 02:00 UTC (10:00 in Dinghai): the desk's clock when the live part starts.
const LIVE_FROM: i64 = 1_791_424_800;

/// The report period: the whole history.
fn report_period(region: &Region) -> (i64, i64) {
    let tz = region.meta.time_zone;
    let day = |d: &str| tz.from_local_datetime(&date(d).and_hms_opt(0, 0, 0).unwrap()).unwrap().timestamp();
    (day("2026-10-05"), day("2026-10-12"))
}

/// Every golden output, by file name, computed from the journal at `db` (a copy: opening
/// the desk brings the schema up to date).
fn outputs(db: &Path) -> Vec<(&'static str, String)> {
    let region = region();
    let mut out = Vec::new();
    {
        let journal = Journal::open_read_only(db).expect("journal opens");
        let mut events = Vec::new();
        tidewatch_workstation::desk::export_events(&journal, &mut events).expect("export");
        out.push(("events.jsonl", String::from_utf8(events).unwrap()));
        let (from, to) = report_period(&region);
        let by = [GroupBy::Island, GroupBy::Priority, GroupBy::RouteMode, GroupBy::Unit];
        let report = response_report(&journal, &region, from, to, &by).expect("report");
        let mut csv = Vec::new();
        write_csv(&report, &mut csv).expect("csv");
        out.push(("report.csv", String::from_utf8(csv).unwrap()));
        out.push(("kpis.json", json(&kpis(&journal, &region, from, to).expect("kpis"))));
        let sessions = journal.session_events_since(0).expect("sessions");
        out.push(("desk_sessions.json", json(&tidewatch_workstation::accounts::desk_sessions(&sessions))));
        let attempts = journal.sign_in_attempts_since(0).expect("attempts");
        out.push(("refused_sign_ins.json", json(&tidewatch_workstation::accounts::refused_sign_ins(&attempts))));
        out.push(("accounts.json", json(&journal.accounts().expect("accounts"))));
    }
    out.push(("audit.json", json(&tidewatch_journal::verify(db).expect("audit runs"))));
    let desk = Desk::open(region, db, tidewatch_core::time::Clock::fixed(LIVE_FROM + 6 * 3600)).expect("desk opens");
    out.push(("published_rosters.json", json(&desk.published_rosters())));
    out.push(("published_roster.json", json(&desk.latest_published_roster().expect("roster reads"))));
    out.push(("fleet.json", fleet_table(&desk)));
    let thresholds = desk.journal().latest_event("board_thresholds_set").expect("thresholds");
    let conditions = desk.journal().latest_event("conditions_set").expect("conditions");
    out.push(("latest_settings.json", json(&(thresholds, conditions))));
    out
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

/// Each unit's status and position every three hours over the published roster's period
/// (the roster decides who is off duty), one line per time.
fn fleet_table(desk: &Desk) -> String {
    let mut units: Vec<UnitId> = desk.region.units.iter().map(|u| u.id.clone()).collect();
    units.sort();
    let mut lines = Vec::new();
    for t in (LIVE_FROM - 6 * 3600..LIVE_FROM + 54 * 3600).step_by(3 * 3600) {
        let fleet = desk.fleet_at(t).expect("fleet");
        let row: Vec<String> = units
            .iter()
            .map(|u| {
                let s = fleet.state(u).expect("unit");
                format!("{}={}@{}", u.0, serde_json::to_value(s.status).unwrap().as_str().unwrap(), s.position.0)
            })
            .collect();
        lines.push(format!("{t} {}", row.join(" ")));
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_journal_written_before_the_journal_owned_its_vocabulary_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    std::fs::copy(fixture_dir().join("journal.db"), &db).expect("fixture copied");
    for (name, got) in outputs(&db) {
        let want = std::fs::read_to_string(fixture_dir().join(name)).unwrap_or_else(|e| panic!("golden {name}: {e}"));
        assert!(got == want, "{name} differs from the golden written by the old code:\n{}", first_difference(&want, &got));
    }
}

#[test]
fn an_export_of_the_old_journal_imports_with_every_hash_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read(fixture_dir().join("events.jsonl")).unwrap();
    let mut journal = Journal::create(&dir.path().join("imported.db")).unwrap();
    let summary = tidewatch_workstation::desk::import_events(&mut journal, &mut export.as_slice(), LIVE_FROM + 6 * 3600)
        .expect("the old export imports");
    assert_eq!(summary.rechained, None, "every old event keeps its hash");
    assert!(summary.events > 100, "{} events", summary.events);
    let report = tidewatch_journal::verify(journal.path()).unwrap();
    assert!(report.ok, "{report:?}");
}

fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n golden: {w}\n    now: {g}", i + 1);
        }
    }
    format!("golden has {} lines, now {}", want.lines().count(), got.lines().count())
}

/// Writes the fixture and its goldens into `$OLD_JOURNAL_OUT` (see the module docs).
#[test]
#[ignore = "writes the old-journal fixture; run only on purpose"]
fn write_journal_v1_fixture() {
    let out = PathBuf::from(std::env::var("OLD_JOURNAL_OUT").expect("OLD_JOURNAL_OUT=<dir>"));
    std::fs::create_dir_all(&out).unwrap();
    let db = out.join("journal.db");
    assert!(!db.exists(), "{} exists: remove it first", db.display());
    write_history(&db);
    // One file, no write-ahead log beside it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("journal.db");
    std::fs::copy(&db, &copy).unwrap();
    for (name, text) in outputs(&copy) {
        std::fs::write(out.join(name), text).unwrap();
    }
}

/// Three days of demo history, then a live morning on a desk whose clock the test moves:
/// accounts made, changed and signed in and out, a refused sign-in, the conditions and
/// the board's thresholds set, an incident through its whole lifecycle, units put off and
/// on duty by hand, and a published roster.
fn write_history(db: &Path) {
    let region = region();
    let opts = SeedOptions { from: date("2026-10-05"), to: date("2026-10-08"), calls_per_day: 12.0, seed: 12 };
    seed(region.clone(), db, &opts, |_| {}).expect("demo seed");

    let clock = Arc::new(AtomicI64::new(LIVE_FROM));
    let c = clock.clone();
    let mut desk = Desk::open(region.clone(), db, tidewatch_core::time::Clock::from_fn(move || c.load(Ordering::SeqCst))).unwrap();
    let tick = |s: i64| clock.fetch_add(s, Ordering::SeqCst) + s;
    let ts = |t: i64| Utc.timestamp_opt(t, 0).unwrap();
    // Units off and back on duty by hand.
    let unit = region.units[0].id.clone();
    desk.set_unit_status("desk", ts(tick(60)), &unit, tidewatch_core::dispatch::UnitStatus::OffDuty, None).unwrap();
    desk.set_unit_status("desk", ts(tick(60)), &unit, tidewatch_core::dispatch::UnitStatus::Available, None).unwrap();
    let mut ws = Workstation::new(desk);

    ws.create_first_administrator("admin", "admin-pass-1", tick(60)).unwrap();
    ws.create_account("wang", Role::Dispatcher, "dispatch-pass-1", tick(60)).unwrap();
    ws.create_account("zhou", Role::Supervisor, "super-pass-1", tick(60)).unwrap();
    ws.create_account("li", Role::PatrolLeader, "leader-pass-1", tick(60)).unwrap();
    ws.create_account("temp", Role::Dispatcher, "temp-pass-1", tick(60)).unwrap();
    ws.set_account_disabled("temp", true, tick(60)).unwrap();
    ws.set_account_disabled("temp", false, tick(60)).unwrap();
    ws.reset_password("temp", "temp-pass-2", tick(60)).unwrap();
    ws.sign_out(SignOutReason::SignedOut, tick(60)).unwrap();

    tick(60);
    assert!(ws.login("wang", "wrong-password").is_err());
    tick(60);
    ws.login("wang", "dispatch-pass-1").unwrap();
    let conditions = Conditions { wind_force: 7, visibility_m: Some(800), closed: vec!["aoshan_bridge".into()] };
    ws.set_conditions(ts(tick(60)), conditions).unwrap();
    // 定海 town: received, dispatched on the desk's first choice, en route, on scene, cleared.
    let intake = Intake {
        incident_type: "traffic_accident".into(),
        priority: None,
        lon: 122.103,
        lat: 30.018,
        source: CallSource::Phone,
        text: "two cars, no one hurt".into(),
    };
    let id = ws.receive(ts(tick(60)), &intake).unwrap();
    let rec = ws.recommend(ts(tick(20)), id).unwrap();
    let first = UnitId(rec.candidates[0].unit.clone());
    ws.assign(ts(tick(20)), id, &first, None, None).unwrap();
    ws.en_route(ts(tick(60)), id).unwrap();
    ws.note(ts(tick(120)), id, "caller waiting at the junction").unwrap();
    ws.on_scene(ts(tick(300)), id).unwrap();
    ws.clear(ts(tick(900)), id, "resolved").unwrap();
    // A second one, cancelled.
    let id = ws.receive(ts(tick(60)), &Intake { text: "prank?".into(), ..intake }).unwrap();
    ws.cancel(ts(tick(60)), id, "caller withdrew").unwrap();
    ws.sign_out(SignOutReason::SignedOut, tick(60)).unwrap();

    tick(60);
    ws.login("zhou", "super-pass-1").unwrap();
    let mut thresholds = Thresholds::default();
    thresholds.received[0].amber_s = 45;
    thresholds.route_modes.boat.en_route_red_pct = 175;
    ws.set_board_thresholds(ts(tick(60)), thresholds).unwrap();
    ws.sign_out(SignOutReason::Idle, tick(60)).unwrap();

    tick(60);
    ws.login("li", "leader-pass-1").unwrap();
    let roster = support::roster_history::greedy_roster(&region, date("2026-10-08"), 2);
    ws.publish_roster(ts(tick(60)), &roster).unwrap();
    ws.sign_out(SignOutReason::SignedOut, tick(60)).unwrap();
}
