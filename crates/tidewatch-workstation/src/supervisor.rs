//! The supervisor's screen: the dashboard, report and journal exports, the audit check.
//! Reports need `ViewReports`; the journal export needs `ExportJournal` (supervisors only).
//! Exports are journaled under the operator (a desk note), after the file is written.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::Workstation;
use crate::accounts::Action;
use crate::desk::DeskStore;
use tidewatch_core::ids::{IncidentTypeId, IslandId};
use tidewatch_core::Error;
use tidewatch_journal::{AuditReport, EventBody, NewEvent};
use tidewatch_report::{dashboard, default_period, kpis_in, response_report_in, write_csv, xlsx_bytes, Dashboard, GroupBy, Scope};

/// The dashboard's filters as the screen sends them; absent dates mean the default period
/// (the last year of recorded incidents).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ReportQuery {
    /// First day, local YYYY-MM-DD.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub from: Option<String>,
    /// Last day (inclusive), local YYYY-MM-DD.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub to: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub island: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub incident_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Csv,
    Xlsx,
}

/// A file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ExportedFile {
    pub path: String,
    pub bytes: u64,
    /// Journal exports: how many events the file holds.
    pub events: Option<u64>,
}

/// The filters checked against the region and the journal: local days and optional ids.
struct Resolved {
    first: NaiveDate,
    last: NaiveDate,
    island: Option<String>,
    incident_type: Option<String>,
}

fn day(s: &str, field: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::invalid(field, format!("'{s}' is not a date YYYY-MM-DD")))
}

/// An empty string from a cleared select means "any".
fn chosen(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A report or journal export as a file's name and contents: the desk writes it into its
/// export folder; a seat on the service receives it over HTTP and writes it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportBytes {
    /// The file name without the time stamp and extension (`new_file` adds them).
    pub stem: String,
    pub ext: String,
    pub bytes: Vec<u8>,
    /// Journal exports: how many events the file holds.
    pub events: Option<u64>,
}

impl ExportBytes {
    /// Writes the file into `dir` under a new name (never overwriting).
    pub fn write_into(&self, dir: &Path, now: DateTime<Utc>) -> Result<ExportedFile, Error> {
        let path = new_file(dir, &self.stem, now, &self.ext)?;
        std::fs::write(&path, &self.bytes)?;
        Ok(ExportedFile { path: path.display().to_string(), bytes: self.bytes.len() as u64, events: self.events })
    }
}

impl<S: DeskStore> Workstation<S> {
    fn resolve(&self, q: &ReportQuery, today: NaiveDate) -> Result<Resolved, Error> {
        let region = self.region();
        let (default_first, default_last) = default_period(self.desk.journal(), region, today)?;
        let first = chosen(&q.from).map(|s| day(&s, "from")).transpose()?.unwrap_or(default_first);
        let last = chosen(&q.to).map(|s| day(&s, "to")).transpose()?.unwrap_or(default_last);
        if last < first {
            return Err(Error::invalid("to", "is before from"));
        }
        let island = chosen(&q.island);
        if let Some(i) = &island {
            region.island(&IslandId(i.clone())).ok_or_else(|| Error::unknown("island", i))?;
        }
        let incident_type = chosen(&q.incident_type);
        if let Some(t) = &incident_type {
            region.incident_type(&IncidentTypeId(t.clone())).ok_or_else(|| Error::unknown("incident type", t))?;
        }
        Ok(Resolved { first, last, island, incident_type })
    }

    fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.region().meta.time_zone.from_utc_datetime(&now.naive_utc()).date_naive()
    }

    /// Every figure of the supervisor's dashboard for the filters in `q`.
    pub fn supervisor_dashboard(&mut self, now: DateTime<Utc>, q: &ReportQuery) -> Result<Dashboard, Error> {
        self.authorized(Action::ViewReports)?;
        let r = self.resolve(q, self.today(now))?;
        dashboard(self.desk.journal(), self.region(), r.first, r.last, r.island, r.incident_type)
    }

    /// The report for the filters in `q`, grouped by `by` (island when empty), as CSV or
    /// XLSX (response times and KPIs), journaled as exported under the operator with `to`
    /// saying where it went.
    pub fn report_export(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        to: impl FnOnce(&ExportBytes) -> Result<String, Error>,
    ) -> Result<String, Error> {
        let operator = self.operator(Action::ViewReports)?;
        let r = self.resolve(q, self.today(now))?;
        let file = self.report_bytes(&r, by, format)?;
        let place = to(&file)?;
        self.note_export(&operator, now, &format!("report exported to {place} ({} bytes)", file.bytes.len()))?;
        Ok(place)
    }

    fn report_bytes(&self, r: &Resolved, by: &[String], format: ReportFormat) -> Result<ExportBytes, Error> {
        let mut by: Vec<GroupBy> = by
            .iter()
            .map(|b| GroupBy::parse(b).ok_or_else(|| Error::invalid("by", format!("'{b}' is not a grouping"))))
            .collect::<Result<_, _>>()?;
        if by.is_empty() {
            by.push(GroupBy::Island);
        }
        let scope = Scope::local_days(self.region(), r.first, r.last).on_island(r.island.clone()).of_type(r.incident_type.clone());
        let journal = self.desk.journal();
        let report = response_report_in(journal, self.region(), &scope, &by)?;
        let mut stem = format!("tidewatch-report-{}_{}", r.first.format("%Y%m%d"), r.last.format("%Y%m%d"));
        for part in [&r.island, &r.incident_type].into_iter().flatten() {
            stem.push('-');
            stem.push_str(part);
        }
        let (ext, bytes) = match format {
            ReportFormat::Csv => {
                let mut out = Vec::new();
                write_csv(&report, &mut out)?;
                ("csv", out)
            }
            ReportFormat::Xlsx => ("xlsx", xlsx_bytes(&report, &kpis_in(journal, self.region(), &scope)?)?),
        };
        Ok(ExportBytes { stem, ext: ext.into(), bytes, events: None })
    }

    /// Supervisors only: every event of the journal as JSON lines, journaled as exported
    /// with `to` saying where it went.
    pub fn journal_export(&mut self, now: DateTime<Utc>, to: impl FnOnce(&ExportBytes) -> Result<String, Error>) -> Result<String, Error> {
        let operator = self.operator(Action::ExportJournal)?;
        let mut bytes = Vec::new();
        let events = crate::desk::export_events(self.desk.journal(), &mut bytes)?;
        let file = ExportBytes { stem: "tidewatch-journal".into(), ext: "jsonl".into(), bytes, events: Some(events) };
        let place = to(&file)?;
        self.note_export(&operator, now, &format!("journal exported to {place} ({events} events)"))?;
        Ok(place)
    }

    /// The journal's tamper check: intact, or the first event or read-model row that does
    /// not fit.
    pub fn audit_journal(&mut self) -> Result<AuditReport, Error> {
        self.authorized(Action::ViewReports)?;
        self.desk.journal().audit()
    }

    fn note_export(&mut self, operator: &str, now: DateTime<Utc>, text: &str) -> Result<(), Error> {
        let at = now.timestamp();
        let body = EventBody::Note { text: text.to_string() };
        self.desk.journal_mut().append(&NewEvent { incident_id: None, at_utc: at, recorded_utc: at, operator: operator.into(), body })?;
        Ok(())
    }
}

impl Workstation {
    /// Writes the report for the filters in `q` into `dir` (see `report_export`).
    pub fn export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error> {
        let mut written = None;
        self.report_export(now, q, by, format, |f| {
            let file = f.write_into(dir, now)?;
            let path = file.path.clone();
            written = Some(file);
            Ok(path)
        })?;
        written.ok_or_else(|| Error::Storage("the report was not written".into()))
    }

    /// Supervisors only: every event of the journal as JSON lines, into `dir`.
    pub fn export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error> {
        let mut written = None;
        self.journal_export(now, |f| {
            let file = f.write_into(dir, now)?;
            let path = file.path.clone();
            written = Some(file);
            Ok(path)
        })?;
        written.ok_or_else(|| Error::Storage("the journal was not written".into()))
    }
}

/// `dir/name-YYYYMMDD-HHMMSS.ext`, creating `dir`; never overwrites (a suffix is added).
fn new_file(dir: &Path, name: &str, now: DateTime<Utc>, ext: &str) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir)?;
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{name}-{stamp}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{name}-{stamp}-{n}.{ext}"));
        n += 1;
    }
    Ok(path)
}
