//! Reading pack CSV files row by row, with typed field accessors that record errors
//! (file, line, field) instead of failing on the first one.

use std::collections::HashMap;
use std::path::Path;

use super::model::{Confidence, Provenance};
use crate::error::pack::ErrorSink;

pub(crate) const UTF8_BOM: &str = "\u{feff}";

/// The plausible range of a numeric field, inclusive, with its unit for messages.
/// Every number the travel-time engine adds up has one, so no sum can overflow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limit {
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
}

impl Limit {
    pub const fn new(min: f64, max: f64, unit: &'static str) -> Limit {
        Limit { min, max, unit }
    }

    /// False for NaN and the infinities as well as for values outside the range.
    pub fn contains(&self, x: f64) -> bool {
        x.is_finite() && (self.min..=self.max).contains(&x)
    }

    /// `1..=200 km/h`, for messages.
    pub fn describe(&self) -> String {
        format!("{}..={} {}", self.min, self.max, self.unit).trim_end().to_string()
    }
}

pub(crate) struct CsvFile {
    pub name: String,
    headers: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl CsvFile {
    /// Reads `dir/name`; reports a missing file or missing columns and returns `None`.
    /// A UTF-8 byte-order mark (spreadsheets write one) is skipped.
    pub fn read(dir: &Path, name: &str, required: &[&str], sink: &mut ErrorSink) -> Option<CsvFile> {
        let path = dir.join(name);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                sink.file(name, format!("cannot read {}: {e}", path.display()));
                return None;
            }
        };
        let body = bytes.strip_prefix(UTF8_BOM.as_bytes()).unwrap_or(&bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
        let headers: HashMap<String, usize> = match reader.headers() {
            Ok(h) => h.iter().enumerate().map(|(i, h)| (h.trim().to_string(), i)).collect(),
            Err(e) => {
                sink.push(name, Some(1), None, format!("bad header: {e}"));
                return None;
            }
        };
        let missing: Vec<&str> = required.iter().copied().filter(|c| !headers.contains_key(*c)).collect();
        if !missing.is_empty() {
            sink.push(name, Some(1), None, format!("missing column(s): {}", missing.join(", ")));
            return None;
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    let line = r.position().map(|p| p.line()).unwrap_or(0);
                    if r.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    rows.push((line, r));
                }
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    sink.push(name, line, None, format!("unreadable row: {e}"));
                }
            }
        }
        Some(CsvFile { name: name.to_string(), headers, rows })
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, record)| Row { file: self, line: *line, record })
    }
}

pub(crate) struct Row<'a> {
    file: &'a CsvFile,
    pub line: u64,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    pub fn error(&self, sink: &mut ErrorSink, field: &str, message: String) {
        sink.push(&self.file.name, Some(self.line), Some(field), message);
    }

    /// The trimmed text of a column ("" when the row is short).
    pub fn text(&self, field: &str) -> &str {
        self.file.headers.get(field).and_then(|&i| self.record.get(i)).map(str::trim).unwrap_or("")
    }

    pub fn required(&self, sink: &mut ErrorSink, field: &str) -> Option<String> {
        let v = self.text(field);
        if v.is_empty() {
            self.error(sink, field, format!("{field} is empty"));
            None
        } else {
            Some(v.to_string())
        }
    }

    /// An id column: `[a-z0-9_-]+`.
    pub fn id(&self, sink: &mut ErrorSink, field: &str) -> Option<String> {
        let v = self.required(sink, field)?;
        if v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-') {
            Some(v)
        } else {
            self.error(sink, field, format!("{field} '{v}' is not a valid id (use a-z, 0-9, _ and -)"));
            None
        }
    }

    pub fn number(&self, sink: &mut ErrorSink, field: &str) -> Option<f64> {
        let v = self.text(field);
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.error(sink, field, format!("{field} '{v}' is not a number"));
                None
            }
        }
    }

    /// A number within `limit` (see [`Limit`]).
    pub fn bounded(&self, sink: &mut ErrorSink, field: &str, limit: Limit) -> Option<f64> {
        let x = self.number(sink, field)?;
        if limit.contains(x) {
            Some(x)
        } else {
            self.error(sink, field, format!("{field} {} is outside {}", self.text(field), limit.describe()));
            None
        }
    }

    pub fn optional_bounded(&self, sink: &mut ErrorSink, field: &str, limit: Limit) -> Option<Option<f64>> {
        if self.text(field).is_empty() {
            Some(None)
        } else {
            self.bounded(sink, field, limit).map(Some)
        }
    }

    pub fn integer(&self, sink: &mut ErrorSink, field: &str, range: std::ops::RangeInclusive<u64>) -> Option<u64> {
        let v = self.text(field);
        match v.parse::<u64>() {
            Ok(x) if range.contains(&x) => Some(x),
            Ok(x) => {
                self.error(sink, field, format!("{field} {x} is outside {}..={}", range.start(), range.end()));
                None
            }
            Err(_) => {
                self.error(sink, field, format!("{field} '{v}' is not a whole number"));
                None
            }
        }
    }

    pub fn optional_integer(&self, sink: &mut ErrorSink, field: &str, range: std::ops::RangeInclusive<u64>) -> Option<Option<u64>> {
        if self.text(field).is_empty() {
            Some(None)
        } else {
            self.integer(sink, field, range).map(Some)
        }
    }

    /// A keyword column checked against its allowed values.
    pub fn choice<T>(&self, sink: &mut ErrorSink, field: &str, parse: impl Fn(&str) -> Option<T>, allowed: &str) -> Option<T> {
        let v = self.text(field);
        let parsed = parse(v);
        if parsed.is_none() {
            self.error(sink, field, format!("{field} '{v}' is not one of {allowed}"));
        }
        parsed
    }

    pub fn provenance(&self, sink: &mut ErrorSink) -> Option<Provenance> {
        let confidence = self.choice(sink, "confidence", Confidence::parse, "high, medium, low, estimate")?;
        Some(Provenance { source: self.text("source").to_string(), confidence })
    }
}
