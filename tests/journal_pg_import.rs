//! Moving in and the fallback (`journal import --pg`), and the audit of the journal on
//! PostgreSQL (`audit verify --pg`): a desk's SQLite journal into an empty service journal
//! keeps every seq and hash; into one with the service's own events it is appended with
//! every conflict listed and journaled; all or nothing; and every kind of tampering with
//! the PostgreSQL tables is named. Needs TIDEWATCH_PG_URL (`make test-pg`); without it the
//! tests say loudly that they did not run.

mod support;

use std::process::Command;

use chrono::{DateTime, Utc};
use tidewatch_core::dispatch::IncidentState;
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::time::ManualClock;
use tidewatch_journal::{AuditReport, EventBody, Journal, JournalStore, ReadModels};
use tidewatch_journal_pg::import::{import_sqlite, ImportOptions};
use tidewatch_journal_pg::PgJournal;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::desk::{Desk, DeskStore};
use tidewatch_workstation::Workstation;

use support::station::{ADMIN_PASSWORD, PASSWORD};

const DINGHAI_TOWN: (f64, f64) = (122.103, 30.018);
const LINCHENG: (f64, f64) = (122.203, 29.988);
/// 2026-03-02 10:00 Beijing time.
const T0: i64 = 1_772_416_800;

fn url(test: &str) -> Option<String> {
    let url = std::env::var("TIDEWATCH_PG_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("\n*** SKIPPED {test}: TIDEWATCH_PG_URL is not set, so PostgreSQL was NOT tested (`make test-pg`).\n");
    }
    url
}

/// A schema of its own for one check.
fn schema(name: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{name}_{}_{nanos}", std::process::id())
}

fn when(clock: &ManualClock) -> DateTime<Utc> {
    DateTime::from_timestamp(clock.now(), 0).unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions { operator: "supervisor.chen".into(), now_utc: T0 + 86_400 }
}

/// A seat's morning on `store`: accounts `admin` and `dispatcher`; a call in Dinghai town
/// dispatched to the first recommended unit and left on scene; a call in Lincheng handled
/// and cleared. The unit left on scene.
fn morning<S: DeskStore>(store: S, dispatcher: &str, start: i64) -> String {
    let clock = ManualClock::new(start);
    let mut ws = Workstation::new(Desk::with_store(support::dinghai(), store, clock.clock()).unwrap());
    ws.create_first_administrator("admin", ADMIN_PASSWORD, start).unwrap();
    ws.create_account(dispatcher, Role::Dispatcher, PASSWORD, start).unwrap();
    ws.logout();
    ws.login(dispatcher, PASSWORD).unwrap();
    let a = ws.receive(when(&clock), &support::phone_call("traffic_accident", DINGHAI_TOWN)).unwrap();
    clock.advance(30);
    let held = ws.recommend(when(&clock), a).unwrap().candidates[0].unit.clone();
    ws.assign(when(&clock), a, &UnitId(held.clone()), None, None).unwrap();
    clock.advance(60);
    ws.en_route(when(&clock), a).unwrap();
    clock.advance(300);
    ws.on_scene(when(&clock), a).unwrap();
    let b = ws.receive(when(&clock), &support::phone_call("traffic_accident", LINCHENG)).unwrap();
    clock.advance(20);
    let other = ws.recommend(when(&clock), b).unwrap().candidates[0].unit.clone();
    ws.assign(when(&clock), b, &UnitId(other), None, None).unwrap();
    clock.advance(60);
    ws.en_route(when(&clock), b).unwrap();
    clock.advance(300);
    ws.on_scene(when(&clock), b).unwrap();
    clock.advance(600);
    ws.clear(when(&clock), b, "settled").unwrap();
    ws.logout();
    held
}

/// Signs in on the service's journal with a desk password.
fn signs_in(pg: PgJournal, username: &str, password: &str) -> bool {
    let mut ws = Workstation::new(Desk::with_store(support::dinghai(), pg, ManualClock::new(T0 + 90_000).clock()).unwrap());
    ws.login(username, password).is_ok()
}

fn all_events(j: &impl JournalStore) -> Vec<tidewatch_journal::Event> {
    j.events_between(1, i64::MAX).unwrap()
}

#[test]
fn into_an_empty_journal_every_event_keeps_its_seq_and_hash() {
    let Some(url) = url("into_an_empty_journal_every_event_keeps_its_seq_and_hash") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.db");
    morning(Journal::open(&file).unwrap(), "wang", T0);
    let schema = schema("import_empty");
    let mut pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let r = import_sqlite(&mut pg, &file, &opts()).unwrap();

    let desk = all_events(&Journal::open_read_only(&file).unwrap());
    let service = all_events(&pg);
    assert_eq!((r.events, r.accounts, r.appended_after, r.conflicts.len()), (desk.len() as u64, 2, 0, 0));
    assert_eq!(service[..desk.len()], desk[..], "the same events, seqs and hashes");
    let last = &service[desk.len()];
    assert!(matches!(&last.body, EventBody::JournalImported { rechained: None, events, .. } if *events == desk.len() as u64));
    assert_eq!(r.head.as_ref().map(|h| h.seq), Some(last.seq));

    let (on_desk, on_service) = (tidewatch_journal::verify(&file).unwrap(), pg.verify().unwrap());
    assert!(on_desk.ok && on_service.ok, "{on_desk:?} {on_service:?}");
    assert_eq!(on_desk.head.unwrap().hash, tidewatch_journal::hex(&desk.last().unwrap().hash));
    let open_on_desk = Journal::open_read_only(&file).unwrap().open_incidents().unwrap();
    assert_eq!(format!("{:?}", pg.open_incidents().unwrap()), format!("{open_on_desk:?}"));
    assert!(signs_in(pg, "wang", PASSWORD), "a desk password signs in to the service");
}

#[test]
fn a_desk_that_worked_alone_is_appended_with_every_conflict_listed() {
    let Some(url) = url("a_desk_that_worked_alone_is_appended_with_every_conflict_listed") else { return };
    let schema = schema("import_fallback");
    // The service's morning (the other seats), and the desk's own on its local journal.
    let busy = morning(PgJournal::connect_in_schema(&url, &schema).unwrap(), "wang", T0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.db");
    let desk_unit = morning(Journal::open(&file).unwrap(), "zhou", T0 + 5);
    assert_eq!(desk_unit, busy, "both sent the same unit to Dinghai town");

    let mut pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let before = pg.head().unwrap().unwrap().seq;
    let r = import_sqlite(&mut pg, &file, &opts()).unwrap();
    assert_eq!(r.appended_after, before);
    let kinds: Vec<(&str, Option<i64>)> = r.conflicts.iter().map(|c| (c.kind.as_str(), c.incident)).collect();
    // admin exists on both; the desk's first call (its incident 1, the service's 3) wanted
    // the unit the service has on scene at its incident 1.
    assert_eq!(kinds, [("account_created", None), ("dispatched", Some(3)), ("en_route", Some(3)), ("on_scene", Some(3))]);
    assert!(r.conflicts[1].why.contains(&format!("unit {busy}")) && r.conflicts[1].why.contains("incident 1"), "{:?}", r.conflicts[1]);

    let events = all_events(&pg);
    for c in &r.conflicts {
        let note = &events[(c.note_seq - 1) as usize];
        assert!(matches!(&note.body, EventBody::Note { text } if text.starts_with("IMPORT CONFLICT")), "{note:?}");
        assert_eq!(note.incident_id.map(|i| i.0), c.incident);
    }
    let desk_events = all_events(&Journal::open_read_only(&file).unwrap()).len() as i64;
    assert_eq!(events.len() as i64, before + desk_events + 1, "every desk event, or a note in its place, and the import");
    let units = pg.unit_rows().unwrap();
    let unit = units.iter().find(|u| u.unit_id == busy).unwrap();
    assert_eq!(unit.incident_id, Some(IncidentId(1)), "the service's claim on the unit stands: {unit:?}");
    assert_eq!(pg.incident(IncidentId(3)).unwrap().unwrap().state, IncidentState::Received, "left for a supervisor");
    assert_eq!(pg.incident(IncidentId(4)).unwrap().unwrap().state, IncidentState::Cleared, "the desk's other call came in whole");
    let audit = pg.verify().unwrap();
    assert!(audit.ok, "{audit:?}");
    assert!(signs_in(pg, "zhou", PASSWORD), "the desk's own dispatcher signs in to the service");
}

/// Runs SQL on schema `schema` of the test database.
fn sql(url: &str, schema: &str, statements: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        let all = format!("SET search_path TO {schema}; {statements}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(all)).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    });
}

#[test]
fn an_import_is_all_or_nothing() {
    let Some(url) = url("an_import_is_all_or_nothing") else { return };
    let schema = schema("import_atomic");
    morning(PgJournal::connect_in_schema(&url, &schema).unwrap(), "wang", T0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.db");
    morning(Journal::open(&file).unwrap(), "zhou", T0);
    let mut pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let head = pg.head().unwrap();

    // A failure half-way (the desk's account row refused after its events were written).
    sql(
        &url,
        &schema,
        "CREATE FUNCTION no_zhou() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             IF NEW.username = 'zhou' THEN RAISE EXCEPTION 'no zhou today'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER no_zhou BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION no_zhou();",
    );
    let e = import_sqlite(&mut pg, &file, &opts()).unwrap_err();
    assert!(e.to_string().contains("no zhou today"), "{e}");
    assert_eq!(pg.head().unwrap(), head, "nothing of the import is left");
    assert!(pg.verify().unwrap().ok);

    // A desk journal that fails its own audit is refused before anything is written.
    sql(&url, &schema, "DROP TRIGGER no_zhou ON accounts");
    rusqlite::Connection::open(&file).unwrap().execute("UPDATE incidents SET priority = 1 WHERE id = 2", []).unwrap();
    let e = import_sqlite(&mut pg, &file, &opts()).unwrap_err().to_string();
    assert!(e.contains("fails its audit") && e.contains("incidents row id = 2 was changed: priority"), "{e}");
    assert_eq!(pg.head().unwrap(), head);
}

/// A fresh journal with the morning's events in its own schema, tampered with by `tamper`
/// (SQL on that schema); its audit.
fn tampered(url: &str, name: &str, tamper: &str) -> AuditReport {
    let schema = schema(name);
    morning(PgJournal::connect_in_schema(url, &schema).unwrap(), "wang", T0);
    let pg = PgJournal::connect_in_schema(url, &schema).unwrap();
    assert!(pg.verify().unwrap().ok, "before tampering, {name} passes");
    sql(url, &schema, tamper);
    pg.verify().unwrap()
}

fn problem(r: &AuditReport) -> String {
    assert!(!r.ok, "the tampering was not caught: {r:?}");
    r.problem.clone().unwrap_or_default()
}

#[test]
fn the_audit_on_postgres_names_every_tampered_table() {
    let Some(url) = url("the_audit_on_postgres_names_every_tampered_table") else { return };
    let r = tampered(&url, "tamper_incident", "UPDATE incidents SET priority = 9 WHERE id = 2");
    assert!(problem(&r).starts_with("incidents row id = 2 was changed: priority is 9 in the table but its events give "), "{r:?}");
    let r = tampered(&url, "tamper_deleted", "DELETE FROM incidents WHERE id = 1");
    assert_eq!(problem(&r), "incidents row id = 1 is missing: its events create it, so it was deleted");
    let r = tampered(&url, "tamper_unit", "INSERT INTO unit_status VALUES ('ghost-1', 'available', '', NULL, 0)");
    assert_eq!(problem(&r), "unit_status row unit_id = ghost-1 has no event behind it: it was added, or its events were removed");
    let r = tampered(&url, "tamper_freed", "UPDATE unit_status SET status = 'available', incident_id = NULL WHERE incident_id = 1");
    assert!(problem(&r).starts_with("unit_status row unit_id = ") && problem(&r).contains("was changed"), "{r:?}");
}

#[test]
fn the_audit_on_postgres_names_a_forged_account_and_a_forged_password() {
    let Some(url) = url("the_audit_on_postgres_names_a_forged_account_and_a_forged_password") else { return };
    let r = tampered(
        &url,
        "tamper_eve",
        "INSERT INTO accounts SELECT 'eve', 'administrator', password, 0 FROM accounts WHERE username = 'admin'",
    );
    assert_eq!(problem(&r), "accounts row 'eve' (role 'administrator') has no account_created event: it was added behind the desk's back");
    let r = tampered(&url, "tamper_role", "UPDATE accounts SET role = 'administrator' WHERE username = 'wang'");
    assert!(problem(&r).starts_with("accounts row 'wang' was changed: role is 'administrator' in the table"), "{r:?}");
    let r = tampered(
        &url,
        "tamper_pw",
        "UPDATE accounts SET password = (SELECT password FROM accounts WHERE username = 'admin') WHERE username = 'wang'",
    );
    assert!(problem(&r).starts_with("accounts row 'wang' was changed: its password hash is not the one event "), "{r:?}");
    let r = tampered(&url, "tamper_gone", "DELETE FROM accounts WHERE username = 'wang'");
    assert!(
        problem(&r).starts_with("account 'wang' (created by event ") && problem(&r).ends_with("is missing from the accounts table"),
        "{r:?}"
    );
}

#[test]
fn the_audit_on_postgres_names_an_edited_event() {
    let Some(url) = url("the_audit_on_postgres_names_an_edited_event") else { return };
    let r = tampered(
        &url,
        "tamper_event",
        "ALTER TABLE events DISABLE TRIGGER events_no_update;
         UPDATE events SET payload = replace(payload, 'traffic_accident', 'noise') WHERE seq = (SELECT min(seq) FROM events WHERE kind = 'received');",
    );
    assert_eq!(problem(&r), "its contents do not match its hash: it was changed after it was written");
    assert!(r.first_bad_seq.is_some_and(|s| s > 2), "{r:?}");
}

fn fresh_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap();
    let db = schema(name);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    });
    format!("{base}/{db}")
}

fn tidewatch(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn the_commands_import_and_verify_on_postgres() {
    let Some(url) = url("the_commands_import_and_verify_on_postgres") else { return };
    let db = fresh_database(&url, "tidewatch_test_cli");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("desk.db");
    morning(Journal::open(&file).unwrap(), "wang", T0);
    let f = file.to_str().unwrap();
    let (code, out, err) = tidewatch(&["journal", "import", "--pg", &db, f, "--operator", "chen"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("every event kept its seq and hash"), "{out}");
    assert!(!out.contains(":tidewatch@"), "the password is not printed: {out}");
    let (code, out, err) = tidewatch(&["audit", "verify", "--pg", &db]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("OK,") && out.contains("read models and accounts match"), "{out}");

    // Imported again: now appended, with every event a conflict or a duplicate incident.
    let (code, out, err) = tidewatch(&["journal", "import", "--pg", &db, f]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("CONFLICTS for a supervisor"), "{out}");
    sql(&db, "public", "UPDATE incidents SET state = 'cleared' WHERE id = 1");
    let (code, out, _) = tidewatch(&["audit", "verify", "--pg", &db, "--json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("incidents row id = 1 was changed: state"), "{out}");
}
