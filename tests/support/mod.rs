//! Shared by the integration tests: the real Dinghai pack and copies of it to break, times,
//! calls and questions to the dispatch rules, and the CLI. The submodules are by layer:
//! `demo` writes journals, `station` drives the workstation, `roster_history` feeds the
//! roster; this file needs only the pack and the dispatch rules.

#![allow(dead_code)]

pub mod demo;
pub mod roster_history;
pub mod station;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tidewatch_core::dispatch::IncidentQuery;
use tidewatch_core::ids::IncidentTypeId;
use tidewatch_core::region::Region;
use tidewatch_core::route::Conditions;
use tidewatch_journal::CallSource;
use tidewatch_workstation::desk::Intake;

pub fn dinghai_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/regions/dinghai")
}

/// The real Dinghai pack, loaded.
pub fn dinghai() -> Region {
    Region::load(&dinghai_dir()).expect("the Dinghai pack loads")
}

/// An RFC 3339 time (any offset) as UTC.
pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap_or_else(|e| panic!("{rfc3339}: {e}")).with_timezone(&Utc)
}

/// A `YYYY-MM-DD` date.
pub fn date(ymd: &str) -> NaiveDate {
    NaiveDate::parse_from_str(ymd, "%Y-%m-%d").unwrap_or_else(|e| panic!("{ymd}: {e}"))
}

/// The Unix time of a local midnight in the region's zone.
pub fn midnight(region: &Region, y: i32, m: u32, d: u32) -> i64 {
    region.meta.time_zone.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().timestamp()
}

/// A path as a CLI argument.
pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Runs the `tidewatch` CLI built with these tests.
pub fn tidewatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(args).output().expect("run tidewatch")
}

/// Runs the CLI with stdin closed and stdout and stderr captured to files (a full pipe
/// would block it); `None` when it was still running after `limit` (it is killed then).
pub fn tidewatch_within<S: AsRef<std::ffi::OsStr>>(limit: std::time::Duration, args: &[S]) -> Option<Output> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, err) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("run tidewatch");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    Some(Output { status, stdout: std::fs::read(out).expect("stdout"), stderr: std::fs::read(err).expect("stderr") })
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A copy of the journal `db` made by exporting it and importing the export into `copy`.
pub fn exported_copy(db: &Path, copy: &Path) -> tidewatch_journal::Journal {
    let journal = tidewatch_journal::Journal::open(db).expect("journal");
    let mut exported = Vec::new();
    tidewatch_workstation::desk::export_events(&journal, &mut exported).expect("export");
    let mut imported = tidewatch_journal::Journal::open(copy).expect("copy");
    tidewatch_workstation::desk::import_events(&mut imported, &mut exported.as_slice(), chrono::Utc::now().timestamp()).expect("import");
    imported
}

/// A phone call of `kind` at `place` (lon, lat), no priority given, no text.
pub fn phone_call(kind: &str, place: (f64, f64)) -> Intake {
    Intake { incident_type: kind.into(), priority: None, lon: place.0, lat: place.1, source: CallSource::Phone, text: String::new() }
}

/// The question a dispatcher asks: `kind` at `place` at `when` (RFC 3339), in wind of
/// force `wind`, with the links `closed` closed.
pub fn query(when: &str, place: (f64, f64), kind: &str, wind: u8, closed: &[&str]) -> IncidentQuery {
    IncidentQuery {
        at: at(when),
        lon: place.0,
        lat: place.1,
        incident_type: IncidentTypeId(kind.into()),
        priority: None,
        conditions: Conditions { wind_force: wind, visibility_m: None, closed: closed.iter().map(|s| s.to_string()).collect() },
    }
}

/// A scratch copy of the Dinghai pack that a test may break.
pub fn pack_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(dinghai_dir()).expect("pack dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// Sets `field` of the CSV row on file line `line` (header = line 1) to `value`.
pub fn set_field(dir: &Path, file: &str, line: usize, field: &str, value: &str) {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let col = headers.iter().position(|h| h == field).unwrap_or_else(|| panic!("{file} has no column {field}"));
    let mut rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = &mut rows[line - 2];
    let mut fields: Vec<String> = row.iter().map(str::to_string).collect();
    fields[col] = value.to_string();
    *row = csv::StringRecord::from(fields);
    write_csv(&path, &headers, &rows);
}

/// Appends a copy of the row on `line` to the end of the file; returns the new line number.
pub fn duplicate_row(dir: &Path, file: &str, line: usize) -> usize {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    rows.push(rows[line - 2].clone());
    write_csv(&path, &headers, &rows);
    rows.len() + 1
}

/// The file line of the first row whose `field` equals `value`.
pub fn line_of(dir: &Path, file: &str, field: &str, value: &str) -> usize {
    let mut reader = csv::Reader::from_path(dir.join(file)).expect("csv");
    let col = reader.headers().expect("headers").iter().position(|h| h == field).expect("column");
    reader
        .records()
        .position(|r| r.expect("row").get(col) == Some(value))
        .map(|i| i + 2)
        .unwrap_or_else(|| panic!("{file}: no row with {field} = {value}"))
}

fn write_csv(path: &Path, headers: &csv::StringRecord, rows: &[csv::StringRecord]) {
    let mut w = csv::Writer::from_path(path).expect("write csv");
    w.write_record(headers).expect("header");
    for r in rows {
        w.write_record(r).expect("row");
    }
    w.flush().expect("flush");
}
