//! The command centre's region edits in PostgreSQL (`TIDEWATCH_PG_URL`; `make test-pg`
//! sets it): the store saves an edit with its event as version 1 and refuses a second save
//! on version 0 naming who saved first; `tidewatch region export --pg` writes the pack with
//! the stored edits laid over it, and refuses a folder that exists.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sqlx::Connection;
use tidewatch_core::region::edit::overlay::changed_files;
use tidewatch_core::region::edit::{save, EditResult, RegionEdit};
use tidewatch_core::region::{LinkStatus, Region};
use tidewatch_core::Error;
use tidewatch_journal::{EventBody, NewEvent};
use tidewatch_journal_pg::PgJournal;

const T0: i64 = 1_782_864_000;

fn pack() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/regions/dinghai"))
}

fn export(url: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["region", "export", "--region", pack().to_str().unwrap(), "--out", out.to_str().unwrap()])
        .env("TIDEWATCH_PG_URL", url)
        .output()
        .expect("tidewatch region export runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A new empty database beside the one `TIDEWATCH_PG_URL` names.
fn fresh_database(url: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (base, _) = url.rsplit_once('/').unwrap();
        let name = format!("tidewatch_test_region_export_{}", std::process::id());
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut conn).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
        format!("{base}/{name}")
    })
}

#[test]
fn a_stored_edit_is_exported_over_the_pack_and_a_second_save_on_its_version_is_refused() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("SKIPPED: TIDEWATCH_PG_URL is unset (make test-pg)");
        return;
    };
    let url = fresh_database(&url);
    let tmp = tempfile::tempdir().unwrap();
    let region = Region::load(&pack()).unwrap();
    let edit = RegionEdit::SetLinkStatus { link: "cengang_bridge".into(), closed: true, reason: "resurfacing".into() };
    let date = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let Ok(EditResult::Saved { change, .. }) = save(&region, &tmp.path().join("edited"), &edit, "root", date) else { panic!("refused") };
    let files = changed_files(&pack(), &tmp.path().join("edited")).unwrap();
    let body = EventBody::RegionEdited { file: change.file, row: change.row, change: change.change };
    let event = NewEvent { incident_id: None, at_utc: T0, recorded_utc: T0, operator: "root".into(), body };

    let pg = PgJournal::connect(&url).unwrap();
    assert_eq!(pg.stored_region().unwrap().version, 0);
    let (version, ack) = pg.save_region_edit(0, &files, &event).unwrap();
    assert_eq!((version, ack.seq), (1, 1));
    match pg.save_region_edit(0, &files, &event) {
        Err(Error::RegionEditConflict { by, at_utc, version }) => assert_eq!((by.as_str(), at_utc, version), ("root", T0, 1)),
        other => panic!("a second save on version 0: {other:?}"),
    }
    let stored = pg.stored_region().unwrap();
    assert_eq!((stored.version, stored.files.len(), stored.by.as_deref()), (1, 1, Some("root")), "nothing of the refused save");
    drop(pg);

    let out = tmp.path().join("out");
    let exported = export(&url, &out);
    assert!(exported.status.success(), "{}", text(&exported));
    assert!(text(&exported).contains("1 edits, the last by root (bridges.csv)"), "{}", text(&exported));
    let bridge = Region::load(&out).unwrap().bridges.into_iter().find(|b| b.id.0 == "cengang_bridge").unwrap();
    assert_eq!(bridge.status, LinkStatus::Closed { reason: "resurfacing".into() });

    let again = export(&url, &out);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("exists"), "{}", text(&again));
}
