//! Shared by the integration tests: the real Dinghai pack, and copies of it to break.

#![allow(dead_code)]

pub mod roster_history;

use std::path::{Path, PathBuf};

pub fn dinghai_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/regions/dinghai")
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
