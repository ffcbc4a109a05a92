//! The region editor on a copy of the real Dinghai pack: edits are validated by the real
//! loader before anything is replaced, saved to the desk's editable copy, journaled, and
//! used by the next recommendation.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::TimeZone;
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_core::region::{ProblemKind, Region, RouteMode};
use tidewatch_core::route::ServiceDays;
use tidewatch_core::Error;
use tidewatch_journal::EventBody;
use tidewatch_workstation::accounts::Role;
use tidewatch_workstation::{RegionSave, Workstation};

use support::{at, phone_call};

struct Fixture {
    _tmp: tempfile::TempDir,
    /// The pack the desk started on (a copy of the bundled one: it must stay untouched).
    pack: PathBuf,
    /// Where the desk keeps its edited copy.
    copy: PathBuf,
    station: Workstation,
}

fn fixture() -> Fixture {
    fixture_with(|_| {})
}

/// A fixture whose pack `prepare` changes first.
fn fixture_with(prepare: impl FnOnce(&Path)) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let pack = support::pack_copy().keep();
    prepare(&pack);
    let copy = tmp.path().join("app-data/region");
    let region = Region::load(&pack).expect("pack");
    let mut station = Workstation::open(region, &tmp.path().join("j.db"), tidewatch_core::time::SystemClock.clock())
        .unwrap()
        .with_region_copy(copy.clone());
    station.create_first_administrator("admin", "correct horse", 1).unwrap();
    station.create_account("wang", Role::Dispatcher, "s3cret-pass", 2).unwrap();
    Fixture { _tmp: tmp, pack, copy, station }
}

const NOON: &str = "2026-07-01T12:00:00+08:00";

/// Every file of a folder, by name.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap()).map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap())).collect())
        .unwrap_or_default()
}

fn saved(r: RegionSave) -> i64 {
    match r {
        RegionSave::Saved { seq, .. } => seq,
        RegionSave::Refused { problems } => panic!("refused: {problems:?}"),
    }
}

#[test]
fn moving_a_place_saves_the_copy_and_the_desk_and_a_reload_see_it() {
    let mut f = fixture();
    let bundled = snapshot(&f.pack);
    let (lon, lat) = (122.1215, 30.0195);
    let seq = saved(f.station.edit_region(at(NOON), &RegionEdit::MovePlace { place: "chengdong".into(), lon, lat }).unwrap());

    // The desk uses the copy at once.
    let p = f.station.region().place(&"chengdong".into()).unwrap();
    assert_eq!((p.lon, p.lat), (lon, lat));
    assert_eq!(f.station.region().dir, f.copy);
    assert!(p.provenance.source.starts_with("manual edit by admin on 2026-07-01"), "{}", p.provenance.source);
    let node = f.station.desk().net.node_ids.iter().position(|n| n == "chengdong").unwrap();
    assert_eq!(f.station.desk().net.pos(node as u32), (lon, lat));

    // A fresh load of the copy has it; the pack the desk started on is untouched.
    let reloaded = Region::load(&f.copy).unwrap();
    let p = reloaded.place(&"chengdong".into()).unwrap();
    assert_eq!((p.lon, p.lat), (lon, lat));
    assert_eq!(snapshot(&f.pack), bundled, "the original pack was written");

    // Only the edited row (and the generated roads from it) changed; the others are
    // byte-for-byte as they were.
    let before = String::from_utf8(bundled["places.csv"].clone()).unwrap();
    let after = std::fs::read_to_string(f.copy.join("places.csv")).unwrap();
    let changed: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.starts_with("chengdong,town,") && changed[0].1.ends_with(",medium"), "{}", changed[0].1);
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(snapshot(&f.pack)["units.csv"], snapshot(&f.copy)["units.csv"]);

    // The generated roads ending at the place are straight line × detour again.
    let original = Region::load(&f.pack).unwrap();
    let changguo = reloaded.place(&"changguo".into()).unwrap();
    let road = |r: &Region| r.roads.iter().find(|x| x.id == "r_changguo__chengdong").unwrap().length_m;
    let expected =
        (tidewatch_core::geo_math::haversine_m((lon, lat), (changguo.lon, changguo.lat)) * reloaded.meta.defaults.detour_factor).round();
    assert_eq!(road(&reloaded), expected);
    assert_ne!(road(&reloaded), road(&original));
    let untouched = |r: &Region| r.roads.iter().find(|x| x.id == "r_changguo__ps_chengdong").unwrap().length_m;
    assert_eq!(untouched(&reloaded), untouched(&original));

    // Journaled under the administrator.
    let events = f.station.desk().journal().events_between(seq, seq).unwrap();
    assert_eq!(events[0].operator, "admin");
    assert!(matches!(&events[0].body, EventBody::RegionEdited { file, row, .. } if file == "places.csv" && row == "chengdong"));
    assert!(f.station.region_editor().unwrap().edited_copy);
}

#[test]
fn a_place_moved_into_the_sea_is_refused_with_the_loader_error_and_nothing_changes() {
    let mut f = fixture();
    saved(
        f.station
            .edit_region(
                at(NOON),
                &RegionEdit::RenamePlace { place: "chengdong".into(), name_zh: "城东街道".into(), name_en: "Chengdong".into() },
            )
            .unwrap(),
    );
    let copy_before = snapshot(&f.copy);
    let pack_before = snapshot(&f.pack);
    // South-east of Zhoushan island, out at sea.
    let r = f.station.edit_region(at(NOON), &RegionEdit::MovePlace { place: "chengdong".into(), lon: 122.2, lat: 29.9 }).unwrap();
    let RegionSave::Refused { problems } = r else { panic!("saved a place in the sea") };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field.as_deref(), Some("lon"));
    assert!(problems[0].message.contains("off its island 'zhoushan'"), "{}", problems[0].message);
    assert!(problems[0].at.starts_with("places.csv:"));
    // What a UI words in its own language: the kind and the names and numbers.
    assert_eq!(problems[0].kind, Some(ProblemKind::OffIsland));
    let params = &problems[0].params;
    assert_eq!((params.place.as_deref(), params.island.as_deref(), params.tolerance_m), (Some("chengdong"), Some("zhoushan"), Some(500)));
    assert!(params.distance_m.is_some_and(|d| d > 500), "{params:?}");
    assert_eq!(snapshot(&f.copy), copy_before);
    assert_eq!(snapshot(&f.pack), pack_before);
    let p = f.station.region().place(&"chengdong".into()).unwrap();
    assert_eq!((p.lon, p.lat, p.name_en.as_str()), (122.125, 30.018, "Chengdong"), "the desk kept the saved pack");
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(f.copy.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("region")]);
}

#[test]
fn a_bad_departure_is_placed_on_its_row_of_the_timetable() {
    let mut f = fixture();
    let edit = RegionEdit::SetTimetable {
        route: "ferry_dinghai_panzhi".into(),
        from: "pier_dinghai".into(),
        day_type: "weekday".into(),
        departures: vec!["06:00".into(), "7:5".into(), "08:00".into()],
    };
    let RegionSave::Refused { problems } = f.station.edit_region(at(NOON), &edit).unwrap() else { panic!("saved 7:5") };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].field.as_deref(), problems[0].index), (Some("depart"), Some(1)));
    assert_eq!((problems[0].kind, problems[0].params.value.as_deref()), (Some(ProblemKind::NotHhmm), Some("7:5")));
    assert!(!f.copy.exists(), "a refused first edit must not create the copy");
}

#[test]
fn an_edited_timetable_changes_the_engines_next_sailing() {
    let mut f = fixture();
    let next = |s: &Workstation, t: i64| {
        let net = &s.desk().net;
        let arc =
            net.ferries.iter().find(|a| a.route_id == "ferry_dinghai_panzhi" && net.node_ids[a.from as usize] == "pier_dinghai").unwrap();
        ServiceDays::around(net, t).next_departure(arc, t).unwrap()
    };
    // Wednesday 1 July 2026, 06:01 local: a weekday.
    let t = chrono_tz::Asia::Shanghai.with_ymd_and_hms(2026, 7, 1, 6, 1, 0).unwrap().timestamp();
    assert_eq!(next(&f.station, t) - t, 29 * 60, "06:30 before the edit");

    let view = f.station.region_editor().unwrap();
    let route = view.ferry_routes.iter().find(|r| r.route.id.0 == "ferry_dinghai_panzhi").unwrap();
    let list = route.timetables.iter().find(|t| t.from == "pier_dinghai" && t.day_type == "weekday").unwrap();
    let mut departures: Vec<String> = list.departures.iter().filter(|d| d.as_str() != "06:30").cloned().collect();
    departures.push("06:45".into());
    let n = departures.len();
    let edit = RegionEdit::SetTimetable {
        route: "ferry_dinghai_panzhi".into(),
        from: "pier_dinghai".into(),
        day_type: "weekday".into(),
        departures,
    };
    saved(f.station.edit_region(at(NOON), &edit).unwrap());
    assert_eq!(next(&f.station, t) - t, 44 * 60, "06:45 after the edit");

    // The file keeps the untouched departures' rows (and sources) and notes the new one.
    let text = std::fs::read_to_string(f.copy.join("sailings.csv")).unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("ferry_dinghai_panzhi,pier_dinghai,weekday,")).collect();
    assert_eq!(rows.len(), n);
    assert!(rows.iter().any(|r| r.starts_with("ferry_dinghai_panzhi,pier_dinghai,weekday,06:45,manual edit by admin on 2026-07-01")));
    assert!(rows.iter().filter(|r| r.contains("ESTIMATE")).count() == n - 1);
    let reloaded = Region::load(&f.copy).unwrap();
    assert_eq!(reloaded.sailings.len(), f.station.region().sailings.len());
}

#[test]
fn closing_a_bridge_in_the_pack_routes_recommendations_around_it() {
    let mut f = fixture();
    f.station.logout();
    f.station.login("wang", "s3cret-pass").unwrap();
    let intake = phone_call("bridge_crash", (122.036, 30.178));
    let id = f.station.receive(at(NOON), &intake).unwrap();
    let open = f.station.recommend(at(NOON), id).unwrap();
    let crosses = |c: &tidewatch_core::dispatch::Candidate| c.legs.iter().any(|l| l.bridges.iter().any(|b| b == "zhoudai_south"));
    assert!(crosses(&open.candidates[0]), "the Zhoudai bridge is the way to Changbai when open");

    f.station.logout();
    f.station.login("admin", "correct horse").unwrap();
    let edit = RegionEdit::SetLinkStatus { link: "zhoudai_south".into(), closed: true, reason: "deck repairs".into() };
    saved(f.station.edit_region(at(NOON), &edit).unwrap());
    let b = f.station.region().bridges.iter().find(|b| b.id.0 == "zhoudai_south").unwrap();
    assert!(b.status.is_closed());
    let json = serde_json::to_value(b).unwrap();
    assert_eq!((json["status"].as_str(), json["closed_reason"].as_str()), (Some("closed"), Some("deck repairs")), "{json}");
    assert_eq!(tidewatch_core::map::map_view(f.station.region()).bridges.iter().filter(|b| b.closed).count(), 1);
    // The dispatcher's conditions say why it is shut, with no hand closure set.
    let shut = tidewatch_core::route::closed_links(&f.station.desk().net, &Default::default()).unwrap();
    assert_eq!(shut.len(), 1);
    assert_eq!((shut[0].id.as_str(), shut[0].reason), ("zhoudai_south", tidewatch_core::route::ClosedBy::Pack));

    f.station.logout();
    f.station.login("wang", "s3cret-pass").unwrap();
    let closed = f.station.recommend(at(NOON), id).unwrap();
    assert!(!closed.candidates.is_empty());
    assert!(closed.candidates.iter().all(|c| !crosses(c)), "a closed bridge was used");
    assert_eq!(closed.candidates[0].route_mode, RouteMode::Ferry, "{:?}", closed.candidates[0].legs);
    assert!(closed.candidates[0].eta_s > open.candidates[0].eta_s);

    // The header gained the optional columns; every other bridge row is still open.
    let text = std::fs::read_to_string(f.copy.join("bridges.csv")).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",status,closed_reason"));
    let reloaded = Region::load(&f.copy).unwrap();
    assert_eq!(reloaded.bridges.iter().filter(|b| b.status.is_closed()).count(), 1);

    // Reopening needs no reason and puts the bridge back on the way.
    f.station.logout();
    f.station.login("admin", "correct horse").unwrap();
    let reopen = RegionEdit::SetLinkStatus { link: "zhoudai_south".into(), closed: false, reason: String::new() };
    saved(f.station.edit_region(at(NOON), &reopen).unwrap());
    f.station.logout();
    f.station.login("wang", "s3cret-pass").unwrap();
    assert!(crosses(&f.station.recommend(at(NOON), id).unwrap().candidates[0]));
}

#[test]
fn closing_without_a_reason_is_refused_on_the_reason_field() {
    let mut f = fixture();
    let edit = RegionEdit::SetLinkStatus { link: "ferry_dinghai_panzhi".into(), closed: true, reason: "  ".into() };
    let RegionSave::Refused { problems } = f.station.edit_region(at(NOON), &edit).unwrap() else { panic!("closed without a reason") };
    assert_eq!(problems[0].field.as_deref(), Some("closed_reason"));
    assert_eq!(problems[0].kind, Some(ProblemKind::ReasonMissing));
    assert!(!f.copy.exists());
}

#[test]
fn a_dispatcher_may_not_edit_the_region_and_nothing_is_written() {
    let mut f = fixture();
    f.station.logout();
    f.station.login("wang", "s3cret-pass").unwrap();
    let pack_before = snapshot(&f.pack);
    let last = f.station.desk().journal().events_between(1, 1000).unwrap().len();
    let edit = RegionEdit::MovePlace { place: "chengdong".into(), lon: 122.1215, lat: 30.0195 };
    assert!(matches!(f.station.edit_region(at(NOON), &edit), Err(Error::Forbidden { .. })));
    assert!(matches!(f.station.region_editor(), Err(Error::Forbidden { .. })));
    assert!(!f.copy.exists() && !f.copy.parent().unwrap().exists());
    assert_eq!(snapshot(&f.pack), pack_before);
    assert_eq!(f.station.desk().journal().events_between(1, 1000).unwrap().len(), last);
    assert_eq!(f.station.region().place(&"chengdong".into()).unwrap().lon, 122.125);
    f.station.logout();
    assert!(matches!(f.station.edit_region(at(NOON), &edit), Err(Error::NotSignedIn)));
}

#[test]
fn an_old_pack_without_status_columns_loads_and_a_bad_status_is_reported() {
    let dir = support::pack_copy();
    let region = Region::load(dir.path()).unwrap();
    assert!(region.bridges.iter().all(|b| !b.status.is_closed()));
    let path = dir.path().join("ferry_routes.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[0].push_str(",status,closed_reason");
    lines[1].push_str(",shut,");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let errors = Region::load(dir.path()).unwrap_err();
    assert!(errors.0.iter().any(|e| e.file == "ferry_routes.csv" && e.line == Some(2) && e.field.as_deref() == Some("status")), "{errors}");
}

/// `roads.csv` with a `oneway` column (as `import-roads` writes it): `yes` on the rows whose
/// id is in `one_way`, empty elsewhere.
fn with_one_way(pack: &Path, one_way: &[&str]) {
    let path = pack.join("roads.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let id = line.split(',').next().unwrap();
        let value = if i == 0 {
            "oneway"
        } else if one_way.contains(&id) {
            "yes"
        } else {
            ""
        };
        out += &format!("{line},{value}\n");
    }
    std::fs::write(&path, out).unwrap();
}

#[test]
fn a_one_way_road_stays_one_way_through_an_edit_of_its_end() {
    let mut f = fixture_with(|pack| with_one_way(pack, &["r_changguo__chengdong"]));
    let before = Region::load(&f.pack).unwrap();
    assert!(before.roads.iter().find(|r| r.id == "r_changguo__chengdong").unwrap().one_way);
    saved(f.station.edit_region(at(NOON), &RegionEdit::MovePlace { place: "chengdong".into(), lon: 122.1215, lat: 30.0195 }).unwrap());

    // The regenerated road keeps its direction; the column and every other row's value
    // are as they were.
    let text = std::fs::read_to_string(f.copy.join("roads.csv")).unwrap();
    assert!(text.lines().next().unwrap().ends_with(",oneway"));
    let reloaded = Region::load(&f.copy).unwrap();
    let road = reloaded.roads.iter().find(|r| r.id == "r_changguo__chengdong").unwrap();
    assert!(road.one_way && road.length_m != before.roads.iter().find(|r| r.id == road.id).unwrap().length_m);
    assert_eq!(reloaded.roads.iter().filter(|r| r.one_way).count(), 1);

    // The desk's network drives it from changguo to chengdong only.
    let net = &f.station.desk().net;
    let ix = |id: &str| net.node_ids.iter().position(|n| n == id).unwrap() as u32;
    let (a, b) = (ix("changguo"), ix("chengdong"));
    assert!(net.edges(a).any(|e| e.to == b));
    assert!(!net.edges(b).any(|e| e.to == a));
}
