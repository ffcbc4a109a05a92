//! The supervisor's screen on a seat: the dashboard and the audit are the service's
//! answers; the report and journal exports are files the service makes (and journals),
//! written here into the desk's own export folder under the name the service gave.

use std::path::Path;

use chrono::{DateTime, Utc};
use tidewatch_core::Error;
use tidewatch_journal::AuditReport;
use tidewatch_workstation::{Dashboard, ExportBytes, ExportedFile, ReportFormat, ReportQuery};

use crate::address::segment;
use crate::RemoteDesk;

/// The largest export the desk takes (a year of a busy command's report is far below;
/// the whole journal of years is not: beyond this, export it at the service with the CLI).
pub const MAX_EXPORT_BYTES: u64 = 512 * 1024 * 1024;
/// The largest audit answer or dashboard.
const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;

/// `q`'s filters as query parameters (`&`-joined, each value percent-encoded).
fn filters(q: &ReportQuery) -> Vec<String> {
    [("from", &q.from), ("to", &q.to), ("island", &q.island), ("incident_type", &q.incident_type)]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.trim().is_empty()).map(|v| format!("{k}={}", segment(v))))
        .collect()
}

/// `name.ext` as the service sent it, split for `ExportBytes` (which stamps the time).
fn split_name(name: Option<String>, fallback: &str, ext: &str) -> (String, String) {
    match name.as_deref().and_then(|n| n.rsplit_once('.')) {
        Some((stem, ext)) => (stem.to_string(), ext.to_string()),
        None => (fallback.to_string(), ext.to_string()),
    }
}

impl RemoteDesk {
    pub(crate) fn remote_dashboard(&mut self, q: &ReportQuery) -> Result<Dashboard, Error> {
        self.ready()?;
        let answer = self.http.get_slowly(&format!("/api/reports/dashboard?{}", filters(q).join("&")), MAX_JSON_BYTES);
        self.signed(answer)
    }

    pub(crate) fn remote_export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error> {
        let ext = if format == ReportFormat::Csv { "csv" } else { "xlsx" };
        let mut params = filters(q);
        params.push(format!("by={}", segment(&by.join(","))));
        params.push(format!("format={ext}"));
        self.download(&format!("/api/reports/export?{}", params.join("&")), "tidewatch-report", ext, now, dir, |_| None)
    }

    pub(crate) fn remote_export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error> {
        // Every line but the last (the chain head) is an event.
        let events = |b: &[u8]| Some(b.split(|c| *c == b'\n').filter(|l| !l.is_empty()).count().saturating_sub(1) as u64);
        self.download("/api/journal/export", "tidewatch-journal", "jsonl", now, dir, events)
    }

    pub(crate) fn remote_audit(&mut self) -> Result<AuditReport, Error> {
        self.ready()?;
        let answer = self.http.get_slowly("/api/journal/audit", MAX_JSON_BYTES);
        self.signed(answer)
    }

    fn download(
        &mut self,
        path: &str,
        fallback: &str,
        ext: &str,
        now: DateTime<Utc>,
        dir: &Path,
        events: impl Fn(&[u8]) -> Option<u64>,
    ) -> Result<ExportedFile, Error> {
        self.ready()?;
        let answer = self.http.file(path, MAX_EXPORT_BYTES);
        let file = self.signed(answer)?;
        let (stem, ext) = split_name(file.name, fallback, ext);
        let events = events(&file.bytes);
        ExportBytes { stem, ext, bytes: file.bytes, events }.write_into(dir, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_encoded_and_empty_ones_left_out() {
        let q =
            ReportQuery { from: Some("2026-01-01".into()), to: Some(" ".into()), island: Some("大猫岛".into()), incident_type: None };
        let got = filters(&q);
        assert_eq!(got[0], "from=2026-01-01");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].starts_with("island=%E5%A4%A7"), "{got:?}");
    }

    #[test]
    fn a_name_without_extension_falls_back() {
        assert_eq!(split_name(Some("r-2026.csv".into()), "x", "csv"), ("r-2026".into(), "csv".into()));
        assert_eq!(split_name(None, "tidewatch-journal", "jsonl"), ("tidewatch-journal".into(), "jsonl".into()));
    }
}
