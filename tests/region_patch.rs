//! Corrections that last (`tidewatch region patch export|apply`): the region editor's edits
//! of a desk copy become CSV rows (who, when, what, source) and are applied to a newer
//! pack; a row the newer pack changed itself is a conflict, reported and not applied.

mod support;

use chrono::NaiveDate;
use support::*;
use tidewatch_core::region::edit::{patch, save, EditResult, RegionEdit};
use tidewatch_core::region::Region;

fn edited_copy(base: &std::path::Path, copy: &std::path::Path) -> Region {
    let day = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    let mut region = Region::load(base).unwrap();
    let edits = [
        RegionEdit::MovePlace { place: "pier_damao".into(), lon: 122.0525, lat: 29.9556 },
        RegionEdit::RenamePlace {
            place: "post_panzhi".into(),
            name_zh: "盘峙警务站（新址）".into(),
            name_en: "Panzhi police post (new)".into(),
        },
        RegionEdit::SetTimetable {
            route: "ferry_dinghai_damao".into(),
            from: "pier_dinghai".into(),
            day_type: "weekday".into(),
            departures: vec!["07:30".into(), "15:00".into()],
        },
        RegionEdit::SetLinkStatus { link: "cengang_bridge".into(), closed: true, reason: "deck repairs".into() },
    ];
    for e in &edits {
        match save(&region, copy, e, "chen", day).unwrap() {
            EditResult::Saved { region: r, .. } => region = *r,
            EditResult::Refused(p) => panic!("{e:?} refused: {p:?}"),
        }
    }
    region
}

#[test]
fn the_editors_corrections_export_with_who_and_when_and_apply_to_a_newer_pack() {
    let base = pack_copy();
    let scratch = tempfile::tempdir().unwrap();
    let edited = edited_copy(base.path(), &scratch.path().join("desk-copy"));
    let rows = patch::export(&edited, &Region::load(base.path()).unwrap());
    let labels: Vec<String> = rows.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        [
            "rename_place post_panzhi",
            "move_place pier_damao",
            "set_link_status cengang_bridge",
            "set_timetable ferry_dinghai_damao from pier_dinghai (weekday)"
        ],
        "{rows:#?}"
    );
    assert!(rows.iter().all(|r| r.who == "chen" && r.when == "2026-11-03"), "{rows:#?}");
    assert_eq!(rows[2].old, "open");
    assert!(rows[1].what.starts_with("moved from"), "{:?}", rows[1].what);
    let text = patch::to_csv(&rows).unwrap();
    assert!(text.starts_with("who,when,kind,id,from,day_type,old,new,what,source\n"));
    assert_eq!(patch::parse("p.csv", &text).unwrap(), rows, "the CSV reads back as written");

    // the newer shipped pack moved Damao's pier itself, and changed nothing else we edited
    let newer = pack_copy();
    let line = line_of(newer.path(), "places.csv", "id", "pier_damao");
    set_field(newer.path(), "places.csv", line, "lon", "122.0531");
    let out = scratch.path().join("updated");
    let report = patch::apply(newer.path(), &rows, &out, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    assert_eq!(report.applied.len(), 3, "{report:?}");
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    assert_eq!(report.conflicts[0].0, "move_place pier_damao");
    assert!(report.conflicts[0].1.contains("the newer pack has '122.053100 "), "{report:?}");
    let updated = Region::load(&out).unwrap();
    let post = updated.place(&"post_panzhi".into()).unwrap();
    assert_eq!(post.name_zh, "盘峙警务站（新址）");
    assert!(post.provenance.source.starts_with("manual edit by chen on 2026-11-03"), "{}", post.provenance.source);
    assert!(updated.bridges.iter().any(|b| b.id.0 == "cengang_bridge" && b.status.is_closed()));
    // the shipped pack itself is untouched, and a second apply finds everything there
    assert_eq!(Region::load(newer.path()).unwrap().place(&"post_panzhi".into()).unwrap().name_zh, "盘峙岛共治警务站");
    let rest: Vec<patch::PatchRow> = rows.iter().filter(|r| !r.label().starts_with("move_place")).cloned().collect();
    let again = patch::apply(&out, &rest, &out, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    assert_eq!((again.applied.len(), again.already.len(), again.conflicts.len()), (0, 3, 0), "{again:?}");
}

#[test]
fn the_cli_exports_applies_and_exits_1_on_a_conflict() {
    let base = pack_copy();
    let scratch = tempfile::tempdir().unwrap();
    let desk = scratch.path().join("desk-copy");
    edited_copy(base.path(), &desk);
    let file = scratch.path().join("patch.csv");
    let out = tidewatch(&["region", "patch", "export", path_str(&desk), "--base", path_str(base.path()), "--out", path_str(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("4 corrections written"), "{}", stdout(&out));
    let newer = pack_copy();
    let line = line_of(newer.path(), "places.csv", "id", "pier_damao");
    set_field(newer.path(), "places.csv", line, "lat", "29.9561");
    let result = scratch.path().join("updated");
    let out = tidewatch(&["region", "patch", "apply", path_str(newer.path()), path_str(&file), "--out", path_str(&result)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("CONFLICT: move_place pier_damao"), "{}", stdout(&out));
    assert!(stdout(&out).contains("3 applied, 0 already there, 1 conflicts"), "{}", stdout(&out));
}

#[test]
fn a_broken_patch_names_its_line_and_exits_2() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("patch.csv");
    std::fs::write(
        &file,
        "who,when,kind,id,from,day_type,old,new,what,source\nchen,2026-11-03,move_place,pier_damao,,,1 2,122.05 north,,\n",
    )
    .unwrap();
    let pack = pack_copy();
    let out =
        tidewatch(&["region", "patch", "apply", path_str(pack.path()), path_str(&file), "--out", path_str(&scratch.path().join("x"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("patch.csv:2: new '122.05 north' is not 'lon lat'"), "{}", stderr(&out));
    for (bad, want) in [
        ("chen,03/11/2026,move_place,pier_damao,,,1 2,122.05 29.95,,", "when '03/11/2026' is not YYYY-MM-DD"),
        ("chen,,teleport,pier_damao,,,,x,,", "kind 'teleport' is not"),
        ("chen,,set_link_status,cengang_bridge,,,open,shut,,", "new 'shut' is not 'open' or 'closed: <reason>'"),
    ] {
        let text = format!("who,when,kind,id,from,day_type,old,new,what,source\n{bad}\n");
        let err = patch::parse("p.csv", &text).unwrap_err().to_string();
        assert!(err.contains("p.csv:2") && err.contains(want), "{err}");
    }
}
