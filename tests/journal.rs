//! The response journal on a real SQLite file: lifecycle rules, append-only storage,
//! tamper evidence, backups, crash safety.

mod support;

use chrono::Duration;
use tidewatch_core::dispatch::{IncidentState, UnitStatus};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::route::Conditions;
use tidewatch_core::Error;
use tidewatch_journal::{backup, restore, verify, EventBody, Journal};
use tidewatch_workstation::desk::{Desk, Intake};

use support::{at, phone_call};

const CHANGBAI: (f64, f64) = (122.036, 30.178);
const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);

fn desk(dir: &tempfile::TempDir) -> Desk {
    let region = support::dinghai();
    let now = at("2026-07-01T12:00:00+08:00").timestamp();
    Desk::open(region, &dir.path().join("journal.db"), tidewatch_core::time::Clock::fixed(now)).unwrap()
}

fn intake(kind: &str, p: (f64, f64)) -> Intake {
    Intake { text: "caller reports a crash".into(), ..phone_call(kind, p) }
}

fn calm() -> Conditions {
    Conditions::default()
}

#[test]
fn a_call_from_receipt_to_clearing_is_journaled_step_by_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let id = d.receive("op.wang", at, &intake("traffic_accident", CHANGBAI)).unwrap();
    let rec = d.recommend(id, at + Duration::seconds(30), &calm()).unwrap();
    let top = UnitId(rec.candidates[0].unit.clone());
    assert_eq!(top.0, "changbai_post");
    d.dispatch("op.wang", at + Duration::seconds(40), id, &top, &calm(), None, None).unwrap();
    // The post is now busy: it is not offered to a second call.
    let second = d.receive("op.li", at + Duration::seconds(50), &intake("traffic_accident", CHANGBAI)).unwrap();
    let rec2 = d.recommend(second, at + Duration::seconds(55), &calm()).unwrap();
    assert!(rec2.candidates.iter().all(|c| c.unit != "changbai_post"));
    assert!(rec2.excluded.unavailable.contains(&"changbai_post".to_string()));

    d.en_route("op.wang", at + Duration::seconds(70), id).unwrap();
    d.on_scene("op.wang", at + Duration::seconds(200), id).unwrap();
    d.clear("op.wang", at + Duration::seconds(1400), id, "minor damage, towed").unwrap();

    let timeline = d.timeline(id).unwrap();
    let kinds: Vec<&str> = timeline.iter().map(|e| e.body.kind()).collect();
    assert_eq!(kinds, ["received", "dispatched", "en_route", "on_scene", "cleared"]);
    assert!(timeline.iter().all(|e| e.operator == "op.wang"));
    assert!(timeline.windows(2).all(|w| w[0].at_utc <= w[1].at_utc && w[0].seq < w[1].seq));
    let EventBody::Dispatched { plan, override_reason, .. } = &timeline[1].body else { panic!() };
    assert_eq!(plan.rank, Some(1));
    assert_eq!(plan.recommended_unit.as_deref(), Some("changbai_post"));
    assert!(override_reason.is_none());
    let row = d.incident(id).unwrap();
    assert_eq!(row.state, IncidentState::Cleared);
    assert_eq!(row.on_scene_utc.unwrap() - row.received_utc, 200);
    // Free again, where it cleared.
    let fleet = d.fleet().unwrap();
    let post = fleet.state(&top).unwrap();
    assert_eq!(post.status, UnitStatus::Available);
    assert_eq!(d.region.place(&post.position).unwrap().island.0, "changbai");
}

#[test]
fn out_of_order_events_are_refused_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let id = d.receive("op", at, &intake("theft", DINGHAI_TOWN)).unwrap();
    let before = d.journal().last_seq();
    let err = d.on_scene("op", at + Duration::seconds(60), id).unwrap_err();
    assert_eq!(err.to_string(), "incident: incident 1 is received: it cannot be on scene before the unit is en route");
    assert!(d.en_route("op", at, id).is_err());
    assert!(d.clear("op", at, id, "x").is_err());
    assert_eq!(d.journal().last_seq(), before, "a refused action writes nothing");
    assert!(matches!(d.cancel("op", at, id, " "), Err(Error::InvalidInput { .. })));
    d.cancel("op", at + Duration::seconds(5), id, "caller withdrew").unwrap();
    // Closed: only notes and corrections now.
    assert!(d.cancel("op", at + Duration::seconds(6), id, "again").is_err());
    let unit = UnitId("changguo_patrol_01".into());
    assert!(d.dispatch("op", at + Duration::seconds(7), id, &unit, &calm(), None, None).is_err());
    d.note("op", at + Duration::seconds(8), id, "caller called back: all fine").unwrap();
    assert!(matches!(d.incident(IncidentId(99)), Err(Error::Unknown { .. })));
}

#[test]
fn a_clock_jump_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let id = d.receive("op", at, &intake("theft", DINGHAI_TOWN)).unwrap();
    let unit = UnitId(d.recommend(id, at, &calm()).unwrap().candidates[0].unit.clone());
    let err = d.dispatch("op", at - Duration::seconds(90), id, &unit, &calm(), None, None).unwrap_err();
    assert!(err.to_string().contains("before the incident's previous event"), "{err}");
    // The desk's clock says 12:00; an event at 13:00 is a clock problem.
    let err = d.receive("op", support::at("2026-07-01T13:00:00+08:00"), &intake("theft", DINGHAI_TOWN)).unwrap_err();
    assert!(err.to_string().contains("ahead of the desk's clock"), "{err}");
}

#[test]
fn choosing_another_unit_needs_a_reason_and_a_busy_unit_needs_reassignment() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let a = d.receive("op", at, &intake("traffic_accident", CHANGBAI)).unwrap();
    let rec = d.recommend(a, at, &calm()).unwrap();
    let second = UnitId(rec.candidates[1].unit.clone());
    let err = d.dispatch("op", at, a, &second, &calm(), None, None).unwrap_err();
    assert!(err.to_string().contains("changbai_post is recommended"), "{err}");
    d.dispatch("op", at, a, &second, &calm(), Some("post crew at training"), None).unwrap();
    let row = d.incident(a).unwrap();
    assert_eq!(row.override_reason.as_deref(), Some("post crew at training"));
    assert_eq!(row.rank, Some(2));

    // `second` is busy now. Sending it to a new call needs an explicit reassignment.
    let b = d.receive("op", at + Duration::seconds(60), &intake("traffic_accident", CHANGBAI)).unwrap();
    let err = d.dispatch("op", at + Duration::seconds(90), b, &second, &calm(), Some("closest"), None).unwrap_err();
    assert!(matches!(err, Error::UnitUnavailable { .. }), "{err}");
    assert_eq!(d.incident(a).unwrap().unit_id.as_deref(), Some(second.as_str()), "nothing changed");
    d.dispatch("op", at + Duration::seconds(90), b, &second, &calm(), Some("closest"), Some("b is more urgent")).unwrap();
    let a_row = d.incident(a).unwrap();
    assert_eq!(a_row.state, IncidentState::Received, "a waits for another unit");
    assert_eq!(a_row.reassignments, 1);
    assert!(d
        .timeline(a)
        .unwrap()
        .iter()
        .any(|e| matches!(&e.body, EventBody::UnitWithdrawn { reason, .. } if reason == "b is more urgent")));
    assert_eq!(d.incident(b).unwrap().unit_id.as_deref(), Some(second.as_str()));
}

#[test]
fn a_correction_is_a_new_event_and_the_journal_refuses_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let id = d.receive("op", at, &intake("theft", DINGHAI_TOWN)).unwrap();
    let first = d.timeline(id).unwrap()[0].clone();
    let corrected = (at - Duration::seconds(120)).timestamp().to_string();
    d.correct(
        "supervisor.zhao",
        at + Duration::seconds(10),
        id,
        first.seq,
        "received_utc",
        &corrected,
        "call came in earlier per phone log",
    )
    .unwrap();
    let events = d.timeline(id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0], first, "the original is untouched");
    assert_eq!(d.incident(id).unwrap().received_utc, at.timestamp() - 120);

    let conn = rusqlite::Connection::open(dir.path().join("journal.db")).unwrap();
    let err = conn.execute("UPDATE events SET operator = 'someone' WHERE seq = 1", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(conn.execute("DELETE FROM events WHERE seq = 1", []).is_err());
}

#[test]
fn audit_names_the_first_tampered_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    {
        let mut d = desk(&dir);
        let at = at("2026-07-01T10:00:00+08:00");
        for i in 0..5 {
            let id = d.receive("op", at + Duration::seconds(i), &intake("theft", DINGHAI_TOWN)).unwrap();
            d.note("op", at + Duration::seconds(i), id, "note").unwrap();
        }
    }
    let ok = verify(&db).unwrap();
    assert!(ok.ok && ok.events == 10, "{ok:?}");

    // Someone with the file and a SQL shell edits event 4, bypassing the triggers.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER events_no_update; UPDATE events SET operator = 'nobody' WHERE seq = 4;").unwrap();
    let bad = verify(&db).unwrap();
    assert!(!bad.ok);
    assert_eq!(bad.first_bad_seq, Some(4));

    let out = support::tidewatch(&["audit", "verify", "--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("TAMPERED at event 4"));

    // A deleted event breaks the sequence.
    conn.execute_batch("UPDATE events SET operator = 'op' WHERE seq = 4; DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 7;")
        .unwrap();
    let gap = verify(&db).unwrap();
    assert_eq!(gap.first_bad_seq, Some(8), "{gap:?}");
}

#[test]
fn backup_and_restore_keep_every_event() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    for i in 0..20 {
        d.receive("op", at + Duration::seconds(i), &intake("theft", DINGHAI_TOWN)).unwrap();
    }
    let copy = dir.path().join("backup.db");
    let report = backup(&db, &copy).unwrap();
    assert!(report.ok && report.events == 20);
    assert!(backup(&db, &copy).is_err(), "never overwrites a file");
    // The desk keeps writing after the backup.
    d.receive("op", at + Duration::seconds(30), &intake("theft", DINGHAI_TOWN)).unwrap();
    drop(d);
    let restored = dir.path().join("restored.db");
    let r = restore(&copy, &restored, false).unwrap();
    assert_eq!(r.events, 20);
    let j = Journal::open(&restored).unwrap();
    assert_eq!(j.last_seq(), 20);
    assert_eq!(j.integrity_check().unwrap(), "ok");
    assert_eq!(j.incidents_received(0, i64::MAX).unwrap().len(), 20);
}

#[test]
fn acknowledged_events_survive_kill_9() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let mut acked: Vec<i64> = Vec::new();
    for round in 0..12u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
            .args(["journal", "append-loop", "--db", db.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        // Let it write a varying number of events, then kill it mid-flight.
        let wanted = 5 + (round * 37) % 60;
        for _ in 0..wanted {
            match lines.next() {
                Some(Ok(line)) => acked.push(line.trim_start_matches("ack ").parse().unwrap()),
                _ => break,
            }
        }
        kill_9(child.id());
        let _ = child.wait();
    }
    assert!(acked.len() > 100);
    let j = Journal::open(&db).unwrap();
    assert_eq!(j.integrity_check().unwrap(), "ok");
    let present: std::collections::HashSet<i64> = j.events_between(1, i64::MAX).unwrap().iter().map(|e| e.seq).collect();
    for seq in &acked {
        assert!(present.contains(seq), "acknowledged event {seq} was lost");
    }
    assert!(verify(&db).unwrap().ok, "the chain survives the crashes");
}

/// SIGKILL, through the `kill` command (no libc dependency for one call).
fn kill_9(pid: u32) {
    let _ = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status();
}

#[test]
fn the_status_board_turns_amber_then_red_when_a_step_is_overdue() {
    use tidewatch_core::dispatch::{Thresholds, TimerLevel};
    use tidewatch_workstation::desk::board;
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(&dir);
    let at = at("2026-07-01T10:00:00+08:00");
    let id = d.receive("op", at, &intake("fight", DINGHAI_TOWN)).unwrap(); // P1
    let th = Thresholds::default();
    let level = |d: &Desk, secs: i64| board(d, at.timestamp() + secs, &th).unwrap().incidents.iter().find(|i| i.id == id).unwrap().level;
    assert_eq!(level(&d, 30), TimerLevel::Ok);
    assert_eq!(level(&d, 61), TimerLevel::Amber);
    assert_eq!(level(&d, 121), TimerLevel::Red);
    let unit = UnitId(d.recommend(id, at, &calm()).unwrap().candidates[0].unit.clone());
    d.dispatch("op", at + Duration::seconds(50), id, &unit, &calm(), None, None).unwrap();
    d.en_route("op", at + Duration::seconds(80), id).unwrap();
    let b = board(&d, at.timestamp() + 90, &th).unwrap();
    let row = b.incidents.iter().find(|i| i.id == id).unwrap();
    assert_eq!((row.state, row.since_s, row.level), (IncidentState::EnRoute, 10, TimerLevel::Ok));
    let eta = (row.eta_s.unwrap() as i64).max(60); // the board allows at least a minute
    assert_eq!(level(&d, 80 + eta + 1), TimerLevel::Amber);
    assert_eq!(level(&d, 80 + eta * 3 / 2 + 1), TimerLevel::Red);
    let u = b.units.iter().find(|u| u.unit == unit.0).unwrap();
    assert_eq!((u.status, u.incident), (UnitStatus::EnRoute, Some(id)));
    assert_eq!(b.units.len(), d.region.units.len());
}
