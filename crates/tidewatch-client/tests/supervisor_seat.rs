//! The supervisor's screen on a seat, against a real service on a real PostgreSQL
//! (`TIDEWATCH_PG_URL`; `make test-pg` sets it): the dashboard counts what the seats
//! journaled, the report and journal exports land in the desk's export folder under the
//! service's names and are journaled, the audit rebuilds the read models (an edited row is
//! caught), every seat's sessions and refused sign-ins are listed, and a dispatcher is
//! refused all of it.

mod common;
use common::*;

use std::path::Path;

use tidewatch_client::RemoteDesk;
use tidewatch_journal::EventBody;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::{DeskApi, ReportFormat, ReportQuery};

#[test]
fn a_supervisor_on_a_seat_sees_exports_and_audits_the_command_centres_journal() {
    let Some(url) = pg_url("a_supervisor_on_a_seat_sees_exports_and_audits_the_command_centres_journal") else { return };
    let url = fresh_database(&url, "supervisor_seat");
    let svc = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    // Accounts made as an office makes them (journaled), so the audit has nothing to say
    // until a row is edited behind the service's back.
    let (root_dir, ann_dir, sue_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut root = seat(&svc.http(), root_dir.path());
    root.create_first_administrator("root", PASSWORD, T0).unwrap();
    root.create_account("ann", Role::Dispatcher, PASSWORD, T0).unwrap();
    root.create_account("sue", Role::Supervisor, PASSWORD, T0).unwrap();
    let mut ann = seat(&svc.http(), ann_dir.path());
    ann.login("ann", PASSWORD).unwrap();
    for lon in [122.105, 122.11, 122.115] {
        ann.receive(now(), &call(lon)).unwrap();
    }

    // A dispatcher may do none of it, and is told so by the service.
    let q = ReportQuery::default();
    assert_eq!(ann.supervisor_dashboard(now(), &q).unwrap_err().kind(), "forbidden");
    assert_eq!(ann.audit_journal().unwrap_err().kind(), "forbidden");
    assert_eq!(ann.export_journal(now(), ann_dir.path()).unwrap_err().kind(), "forbidden");

    let mut sue = seat(&svc.http(), sue_dir.path());
    assert!(sue.login("sue", "not the password").is_err());
    sue.login("sue", PASSWORD).unwrap();
    assert_eq!(dashboard_total(&mut sue, &q), 3, "the three calls the dispatcher's seat took");
    let island = ReportQuery { island: Some("no_such_island".into()), ..ReportQuery::default() };
    assert_eq!(sue.supervisor_dashboard(now(), &island).unwrap_err().kind(), "unknown", "a bad filter is named");

    // The exports: files in the desk's own folder, under the service's names.
    let out = sue_dir.path().join("exports");
    let csv = sue.export_report(now(), &q, &["island".into()], ReportFormat::Csv, &out).unwrap();
    let name = Path::new(&csv.path).file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("tidewatch-report-") && name.ends_with(".csv"), "{name}");
    let text = std::fs::read_to_string(&csv.path).unwrap();
    assert_eq!(text.len() as u64, csv.bytes);
    assert!(text.lines().count() >= 3, "header, a group and the chain head: {text}");
    let xlsx = sue.export_report(now(), &q, &[], ReportFormat::Xlsx, &out).unwrap();
    assert!(std::fs::read(&xlsx.path).unwrap().starts_with(b"PK"), "an XLSX is a zip");
    let journal = sue.export_journal(now(), &out).unwrap();
    let lines: Vec<String> = std::fs::read_to_string(&journal.path).unwrap().lines().map(str::to_string).collect();
    assert_eq!(journal.events, Some(lines.len() as u64 - 1));
    assert!(lines.last().unwrap().contains("journal_head"), "{}", lines.last().unwrap());

    // Each export is journaled under the supervisor, saying where it went.
    let notes: Vec<String> = svc_events(&mut sue)
        .into_iter()
        .filter(|e| e.operator == "sue")
        .filter_map(|e| match e.body {
            EventBody::Note { text } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].starts_with("report exported to a seat's export folder as tidewatch-report-"), "{notes:?}");
    assert!(notes[2].starts_with("journal exported to a seat's export folder as tidewatch-journal.jsonl"), "{notes:?}");

    // Who sat at the seats, and the refused sign-in, as on a desk of its own.
    let sessions = sue.desk_sessions(0, i64::MAX).unwrap();
    let who: Vec<&str> = sessions.iter().map(|s| s.username.as_str()).collect();
    assert!(who.contains(&"ann") && who.contains(&"sue") && who.contains(&"root"), "{sessions:?}");
    assert!(sessions.iter().all(|s| s.signed_out_utc.is_none()), "nobody signed out yet: {sessions:?}");
    let refused = sue.refused_sign_ins(0, i64::MAX).unwrap();
    assert_eq!(refused.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(), ["sue"], "{refused:?}");
    assert_eq!(ann.desk_sessions(0, i64::MAX).unwrap_err().kind(), "forbidden");

    // The audit: intact, then an edited read-model row is caught and named.
    let audit = sue.audit_journal().unwrap();
    assert!(audit.ok && audit.events as usize >= lines.len() - 1, "{audit:?}");
    sql(&url, &["UPDATE incidents SET priority = 4 WHERE id = 1"]);
    let audit = sue.audit_journal().unwrap();
    assert!(!audit.ok, "{audit:?}");
    assert!(audit.problem.as_deref().unwrap_or("").contains("incidents"), "{audit:?}");
}

fn dashboard_total(desk: &mut RemoteDesk, q: &ReportQuery) -> usize {
    let d = desk.supervisor_dashboard(now(), q).unwrap();
    assert_eq!(d.kpis.incidents as usize, d.total.incidents, "the KPIs and the totals count the same incidents");
    d.total.incidents
}

/// Every event of the journal as the desk reads it (a timeline per incident is not enough:
/// the export notes belong to no incident), from the exported file itself.
fn svc_events(desk: &mut RemoteDesk) -> Vec<tidewatch_journal::Event> {
    let dir = tempfile::tempdir().unwrap();
    let file = desk.export_journal(now(), dir.path()).unwrap();
    std::fs::read_to_string(&file.path)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("journal_head"))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
