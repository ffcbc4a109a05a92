//! The region editor on seats of the command centre, against two service processes on one
//! real PostgreSQL (`TIDEWATCH_PG_URL`; `make test-pg` sets it): an administrator's edit
//! saved through process A is what process B recommends with, and B started again keeps
//! it; a dispatcher is refused; a bad edit is refused naming the field; of two
//! administrators editing at once, the second is told who saved first.

mod common;
use common::*;

use std::time::Duration;

use tidewatch_core::dispatch::Recommendation;
use tidewatch_core::ids::IncidentId;
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::region::LinkStatus;
use tidewatch_journal::CallSource;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::desk::Intake;
use tidewatch_workstation::{DeskApi, RegionSave};

const BRIDGE: &str = "cengang_bridge";

/// A collision at the Lidiao end of the Cengang bridge: the main island's units cross it.
fn at_the_bridge() -> Intake {
    Intake {
        incident_type: "traffic_accident".into(),
        priority: None,
        lon: 121.9840,
        lat: 30.0740,
        source: CallSource::Phone,
        text: "岑港大桥里钓端两车相撞".into(),
    }
}

/// Whether any candidate's route drives over the bridge.
fn crosses(r: &Recommendation) -> bool {
    r.candidates.iter().any(|c| c.legs.iter().any(|l| l.bridges.iter().any(|b| b == BRIDGE)))
}

fn close(reason: &str) -> RegionEdit {
    RegionEdit::SetLinkStatus { link: BRIDGE.into(), closed: true, reason: reason.into() }
}

/// Asks `desk` until `done` holds of its recommendation (B hears the edit by NOTIFY), at
/// most 10 s.
fn recommendation_until(desk: &mut dyn DeskApi, id: IncidentId, done: impl Fn(&Recommendation) -> bool) -> Recommendation {
    for _ in 0..100 {
        let r = desk.recommend(now(), id).unwrap();
        if done(&r) {
            return r;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the recommendation never changed");
}

#[test]
fn an_edit_saved_through_one_process_is_routed_on_by_the_other_and_kept_after_its_restart() {
    let Some(url) = pg_url("an_edit_saved_through_one_process_is_routed_on_by_the_other_and_kept_after_its_restart") else { return };
    let url = fresh_database(&url, "region_seat");
    let a = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let mut b = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut root = seat(&a.http(), dirs[0].path());
    root.create_first_administrator("root", PASSWORD, T0).unwrap();
    root.create_account("ann", Role::Dispatcher, PASSWORD, T0).unwrap();
    root.create_account("wu", Role::Administrator, PASSWORD, T0).unwrap();
    let mut ann = seat(&b.http(), dirs[1].path());
    ann.login("ann", PASSWORD).unwrap();
    let id = ann.receive(now(), &at_the_bridge()).unwrap();
    assert!(crosses(&ann.recommend(now(), id).unwrap()), "before the edit, units come over {BRIDGE}");

    // A dispatcher may neither open the editor nor save, and the service says so.
    assert_eq!(ann.region_editor().unwrap_err().kind(), "forbidden");
    assert_eq!(ann.edit_region(now(), &close("works")).unwrap_err().kind(), "forbidden");

    // Two administrators open the editor on the same version.
    let mut wu = seat(&b.http(), dirs[2].path());
    wu.login("wu", PASSWORD).unwrap();
    let view = root.region_editor().unwrap();
    assert!(!view.edited_copy, "nothing saved yet");
    assert!(view.bridges.iter().any(|x| x.id.0 == BRIDGE && !x.status.is_closed()));
    wu.region_editor().unwrap();

    // A bad edit is refused, the problem on its field, and nothing is saved.
    let RegionSave::Refused { problems } = root.edit_region(now(), &close("  ")).unwrap() else { panic!("a closure without a reason") };
    assert_eq!(problems[0].field.as_deref(), Some("closed_reason"), "{problems:?}");
    let bad_time = RegionEdit::SetTimetable {
        route: first_route(&view),
        from: first_pier(&view),
        day_type: "daily".into(),
        departures: vec!["25:70".into()],
    };
    let RegionSave::Refused { problems } = root.edit_region(now(), &bad_time).unwrap() else { panic!("25:70 is no time") };
    assert_eq!((problems[0].field.as_deref(), problems[0].index), (Some("depart"), Some(0)), "{problems:?}");

    // Saved through A; B routes with it once told.
    let RegionSave::Saved { seq, file, .. } = root.edit_region(now(), &close("resurfacing")).unwrap() else { panic!("refused") };
    assert_eq!(file, "bridges.csv");
    let after = recommendation_until(&mut ann, id, |r| !crosses(r));
    assert!(!after.candidates.is_empty(), "units still reach Lidiao, by the other bridges or by sea");

    // The second administrator, still on the old version, is told who saved first.
    let rename = RegionEdit::RenamePlace { place: view.places[0].id.0.clone(), name_zh: "新名".into(), name_en: "New name".into() };
    let conflict = wu.edit_region(now(), &rename).unwrap_err();
    assert_eq!(conflict.kind(), "region_edit_conflict");
    assert!(conflict.to_string().contains("root") && conflict.to_string().contains("version 1"), "{conflict}");
    // On the region as it is now, the edit goes through (and keeps the closure).
    let again = wu.region_editor().unwrap();
    assert!(again.edited_copy && again.bridges.iter().any(|x| x.id.0 == BRIDGE && x.status.is_closed()));
    assert!(matches!(wu.edit_region(now(), &rename).unwrap(), RegionSave::Saved { .. }));

    // The edit is journaled under the administrator, and stored as version 1 with it.
    assert_eq!(edit_row(&url, seq), Some(("root".to_string(), "region_edited".to_string(), 1)));

    // B started again lays the stored edits over its pack before it serves.
    b.stop();
    let b = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let mut ann = seat(&b.http(), dirs[3].path());
    ann.login("ann", PASSWORD).unwrap();
    let r = ann.recommend(now(), id).unwrap();
    assert!(!crosses(&r), "B after its restart still routes around the closed bridge");
    // The seat's map: the service's region, not the pack the desk was installed with.
    assert!(ann.reread_region().unwrap());
    let bridge = ann.region().bridges.iter().find(|x| x.id.0 == BRIDGE).unwrap();
    assert_eq!(bridge.status, LinkStatus::Closed { reason: "resurfacing".into() });
    assert_eq!(ann.region().places[0].name_zh, "新名");
    assert!(!ann.reread_region().unwrap(), "nothing newer the second time");
    drop(a);
}

fn first_route(view: &tidewatch_workstation::RegionEditorView) -> String {
    view.ferry_routes[0].route.id.0.clone()
}

fn first_pier(view: &tidewatch_workstation::RegionEditorView) -> String {
    view.ferry_routes[0].route.from.0.clone()
}

/// The event at `seq` (operator, kind) and the region edit version stored with it.
fn edit_row(url: &str, seq: i64) -> Option<(String, String, i64)> {
    block(async {
        use sqlx::{Connection, Row};
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        let sql = "SELECT e.operator, e.kind, r.version FROM events e JOIN region_edits r ON r.seq = e.seq WHERE e.seq = $1";
        let row = sqlx::query(sql).bind(seq).fetch_optional(&mut conn).await.unwrap();
        row.map(|r| (r.get(0), r.get(1), r.get(2)))
    })
}

/// The public tips page at process B lists a pier by the name an administrator gave it
/// through process A, without B restarting (B lays the edit over its pack when notified,
/// and every part of it that reads the region takes the new one up); a seat signed in at B
/// is pushed the new version (its open map re-reads the region), and so is one signing in
/// later.
#[test]
fn an_edit_saved_through_one_process_reaches_the_other_processs_tips_page_and_seats() {
    let Some(url) = pg_url("an_edit_saved_through_one_process_reaches_the_other_processs_tips_page_and_seats") else { return };
    let url = fresh_database(&url, "region_tips");
    let a = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let b = Svc::start(&url, "127.0.0.1:0".parse().unwrap(), None);
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut root = seat(&a.http(), dirs[0].path());
    root.create_first_administrator("root", PASSWORD, T0).unwrap();
    root.create_account("ann", Role::Dispatcher, PASSWORD, T0).unwrap();
    let (mut ann, pushed) = listening_seat(&b.http(), dirs[1].path());
    ann.login("ann", PASSWORD).unwrap();
    assert_eq!(region_pushed(&pushed, Duration::from_secs(2)), None, "nothing edited yet, nothing pushed");
    let pier_name = |svc: &Svc| {
        let places: serde_json::Value =
            serde_json::from_str(&ureq::get(&format!("{}/api/tips/places", svc.http())).call().unwrap().into_string().unwrap()).unwrap();
        let all = places["islands"].as_array().unwrap().iter().flat_map(|i| i["places"].as_array().unwrap().clone());
        all.into_iter().find(|p| p["id"] == "pier_panzhi").map(|p| p["name_zh"].as_str().unwrap().to_string())
    };
    assert_eq!(pier_name(&b).as_deref(), Some("盘峙码头（岛侧）"), "the pack's name before the edit");

    let rename =
        RegionEdit::RenamePlace { place: "pier_panzhi".into(), name_zh: "盘峙新码头".into(), name_en: "Panzhi New Pier".into() };
    assert!(matches!(root.edit_region(now(), &rename).unwrap(), RegionSave::Saved { .. }));
    assert_eq!(pier_name(&a).as_deref(), Some("盘峙新码头"), "A lists it as soon as it answered");
    let heard = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        pier_name(&b).as_deref() == Some("盘峙新码头")
    });
    assert!(heard, "B's tips page never listed the new name: {:?}", pier_name(&b));

    // The seat at B is told, and its map then reads the edited region.
    assert_eq!(region_pushed(&pushed, Duration::from_secs(10)), Some(1), "the seat at B is pushed version 1");
    assert!(ann.reread_region().unwrap());
    assert_eq!(ann.region().place(&"pier_panzhi".into()).unwrap().name_zh, "盘峙新码头");
    // A seat signing in later is told on connecting.
    let (mut late, told) = listening_seat(&b.http(), dirs[2].path());
    late.login("ann", PASSWORD).unwrap();
    assert_eq!(region_pushed(&told, Duration::from_secs(10)), Some(1), "told the stored version on connecting");
}

/// A seat on the service at `url`, with the region versions its live thread reports.
fn listening_seat(url: &str, data_dir: &std::path::Path) -> (tidewatch_client::RemoteDesk, std::sync::mpsc::Receiver<i64>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let config = tidewatch_client::RemoteConfig {
        url: url.into(),
        data_dir: data_dir.into(),
        ca_file: None,
        seat: None,
        clock: tidewatch_core::time::SystemClock.clock(),
    };
    let region = tidewatch_core::region::Region::load(&region_dir()).unwrap();
    let report = move |live| {
        if let tidewatch_client::Live::Region(v) = live {
            let _ = tx.lock().unwrap().send(v);
        }
    };
    (tidewatch_client::RemoteDesk::new(config, region, std::sync::Arc::new(report)).unwrap(), rx)
}

/// The region version pushed within `within`, if any.
fn region_pushed(rx: &std::sync::mpsc::Receiver<i64>, within: Duration) -> Option<i64> {
    rx.recv_timeout(within).ok()
}
