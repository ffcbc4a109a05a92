//! The supervisor's figures, from a synthetic history written through the desk.

mod support;

use tidewatch_core::dispatch::IncidentState;
use tidewatch_journal::{verify, Journal};
use tidewatch_report::{kpis, percentile, response_report, write_csv, write_xlsx, GroupBy};

use support::{demo::demo_journal, midnight};

#[test]
fn demo_history_feeds_consistent_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let region = support::dinghai();
    let summary = demo_journal(&db, "2026-09-20", "2026-10-11", 30.0, 7);
    assert!(summary.incidents > 400, "{summary:?}");
    assert!(summary.overrides > 0 && summary.cancelled > 0, "{summary:?}");
    assert!(verify(&db).unwrap().ok);

    let journal = Journal::open(&db).unwrap();
    assert!(journal.has_synthetic_data().unwrap());
    let (from, to) = (midnight(&region, 2026, 9, 20), midnight(&region, 2026, 10, 11));
    let by = [GroupBy::Island, GroupBy::Type];
    let r = response_report(&journal, &region, from, to, &by).unwrap();
    assert!(r.synthetic);
    // Groups partition the total.
    assert_eq!(r.groups.iter().map(|g| g.incidents).sum::<usize>(), r.total.incidents);
    let rows = journal.incidents_received(from, to).unwrap();
    assert_eq!(r.total.incidents, rows.iter().filter(|r| r.state != IncidentState::Cancelled).count());
    // Response p50/p90 recomputed independently from the rows.
    let mut response: Vec<u32> = rows
        .iter()
        .filter(|r| r.state != IncidentState::Cancelled)
        .filter_map(|r| Some((r.on_scene_utc? - r.received_utc) as u32))
        .collect();
    response.sort_unstable();
    let s = r.total.segments["response"];
    assert_eq!(s.p50, percentile(&response, 50.0));
    assert_eq!(s.p90, percentile(&response, 90.0));
    assert!(s.p50 <= s.p90 && s.p90 <= s.max);
    let w = r.total.within_target.unwrap();
    assert!((0.0..=1.0).contains(&w));
    // Ferry responses exist and their wait and crossing are split out.
    let by_mode = response_report(&journal, &region, from, to, &[GroupBy::RouteMode]).unwrap();
    let ferry = by_mode.groups.iter().find(|g| g.key == ["ferry"]).expect("some responses needed a ferry");
    assert!(ferry.segments["crossing"].p50 > 0);
    let road = by_mode.groups.iter().find(|g| g.key == ["road"]).unwrap();
    assert!(ferry.segments["response"].p50 > road.segments["response"].p50, "ferry responses are slower");
    // The National Day holiday stacks calls up.
    let by_day = response_report(&journal, &region, from, to, &[GroupBy::Weekday]).unwrap();
    assert_eq!(by_day.groups.len(), 7);

    let k = kpis(&journal, &region, from, to).unwrap();
    assert!(k.synthetic);
    assert_eq!(k.incidents as usize, r.total.incidents);
    assert!(k.inhabited_islands >= 15);
    assert!((0.0..=1.0).contains(&k.zero_incident_share));
    assert!(k.joint_work.vehicles_checked > 0 && k.joint_work.patrol_hours > 0.0 && k.joint_work.tips_received > 0);
    assert!(k.total_change.is_none(), "no history a year before");
    assert_eq!(k.overrides as usize, r.total.overrides);

    let mut csv = Vec::new();
    write_csv(&r, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("# SYNTHETIC DEMO DATA"));
    assert!(csv.lines().nth(1).unwrap().starts_with("island,type,incidents,within_target,overrides,processing_count"));
    // The synthetic warning, the header, the groups, and the journal's head (an anchor).
    assert_eq!(csv.lines().count(), 3 + r.groups.len());
    assert!(csv.lines().last().unwrap().starts_with("# journal head: seq "));
    let xlsx = dir.path().join("report.xlsx");
    write_xlsx(&r, &k, &xlsx).unwrap();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an XLSX is a zip");

    // The CLI prints the same figures.
    let db_arg = support::path_str(&db);
    let out = support::tidewatch(&["report", "--db", db_arg, "--from", "2026-09-20", "--to", "2026-10-10", "--by", "island", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["response"]["total"]["incidents"], r.total.incidents);
    assert_eq!(v["kpis"]["synthetic"], true);
    let bad = support::tidewatch(&["report", "--db", db_arg, "--from", "2026-09-20", "--to", "2026-10-10", "--by", "colour"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'colour' is not one of"));
}

#[test]
fn a_journal_exported_and_imported_gives_the_same_reports_and_bad_files_write_nothing() {
    use tidewatch_workstation::desk::{export_events, import_events};
    let dir = tempfile::tempdir().unwrap();
    let region = support::dinghai();
    let db = dir.path().join("a.db");
    demo_journal(&db, "2026-05-01", "2026-05-08", 25.0, 3);
    let a = Journal::open(&db).unwrap();
    let mut lines = Vec::new();
    let n = export_events(&a, &mut lines).unwrap();
    assert_eq!(n as i64, a.last_seq());

    let mut b = Journal::open(&dir.path().join("b.db")).unwrap();
    let s = import_events(&mut b, &mut &lines[..], chrono::Utc::now().timestamp()).unwrap();
    assert_eq!(s.events, n);
    let (from, to) = (midnight(&region, 2026, 5, 1), midnight(&region, 2026, 5, 9));
    let ra = response_report(&a, &region, from, to, &[GroupBy::Island]).unwrap();
    let mut rb = response_report(&b, &region, from, to, &[GroupBy::Island]).unwrap();
    // The copy's head is its journaled import, one event after the original's head.
    let (ha, hb) = (ra.journal_head.clone().unwrap(), rb.journal_head.take().unwrap());
    assert_eq!(hb.seq, ha.seq + 1);
    rb.journal_head = Some(ha);
    assert_eq!(serde_json::to_value(&ra).unwrap(), serde_json::to_value(&rb).unwrap());
    assert!(verify(&dir.path().join("b.db")).unwrap().ok);

    // Swap an incident's en-route and on-scene lines: refused, and nothing is written.
    let text = String::from_utf8(lines).unwrap();
    let mut ls: Vec<&str> = text.lines().collect();
    let er = ls.iter().position(|l| l.contains("\"kind\":\"en_route\"")).unwrap();
    let id_tag = {
        let v: serde_json::Value = serde_json::from_str(ls[er]).unwrap();
        v["incident_id"].as_i64().unwrap()
    };
    let os = ls
        .iter()
        .position(|l| l.contains("\"kind\":\"on_scene\"") && serde_json::from_str::<serde_json::Value>(l).unwrap()["incident_id"] == id_tag)
        .unwrap();
    ls.swap(er, os);
    let broken = ls.join("\n");
    let mut c = Journal::open(&dir.path().join("c.db")).unwrap();
    let err = import_events(&mut c, &mut broken.as_bytes(), chrono::Utc::now().timestamp()).unwrap_err().to_string();
    assert!(err.contains("cannot be on scene before the unit is en route"), "{err}");
    assert_eq!(c.last_seq(), 0, "nothing written");
}
