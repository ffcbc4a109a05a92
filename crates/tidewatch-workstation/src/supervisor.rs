//! The supervisor's screen: the dashboard, report and journal exports, the audit check.
//! Reports need `ViewReports`; the journal export needs `ExportJournal` (supervisors only).
//! Exports are journaled under the operator (a desk note), after the file is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::Workstation;
use crate::accounts::Action;
use tidewatch_core::ids::{IncidentTypeId, IslandId};
use tidewatch_core::Error;
use tidewatch_journal::{verify, AuditReport, EventBody};
use tidewatch_report::{dashboard, default_period, kpis_in, response_report_in, write_csv, write_xlsx, Dashboard, GroupBy, Scope};

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

impl Workstation {
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

    /// Writes the report for the filters in `q`, grouped by `by` (island when empty), as CSV
    /// or XLSX (response times and KPIs) into `dir`.
    pub fn export_report(
        &mut self,
        now: DateTime<Utc>,
        q: &ReportQuery,
        by: &[String],
        format: ReportFormat,
        dir: &Path,
    ) -> Result<ExportedFile, Error> {
        let operator = self.operator(Action::ViewReports)?;
        let r = self.resolve(q, self.today(now))?;
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
        let mut name = format!("tidewatch-report-{}_{}", r.first.format("%Y%m%d"), r.last.format("%Y%m%d"));
        for part in [&r.island, &r.incident_type].into_iter().flatten() {
            name.push('-');
            name.push_str(part);
        }
        let path = new_file(dir, &name, now, if format == ReportFormat::Csv { "csv" } else { "xlsx" })?;
        match format {
            ReportFormat::Csv => {
                let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
                write_csv(&report, &mut out)?;
                out.flush()?;
            }
            ReportFormat::Xlsx => write_xlsx(&report, &kpis_in(journal, self.region(), &scope)?, &path)?,
        }
        let bytes = std::fs::metadata(&path)?.len();
        self.note_export(&operator, now, &format!("report exported to {} ({bytes} bytes)", path.display()))?;
        Ok(ExportedFile { path: path.display().to_string(), bytes, events: None })
    }

    /// Supervisors only: every event of the journal as JSON lines, into `dir`.
    pub fn export_journal(&mut self, now: DateTime<Utc>, dir: &Path) -> Result<ExportedFile, Error> {
        let operator = self.operator(Action::ExportJournal)?;
        let path = new_file(dir, "tidewatch-journal", now, "jsonl")?;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let events = crate::desk::export_events(self.desk.journal(), &mut out)?;
        drop(out);
        let bytes = std::fs::metadata(&path)?.len();
        self.note_export(&operator, now, &format!("journal exported to {} ({events} events)", path.display()))?;
        Ok(ExportedFile { path: path.display().to_string(), bytes, events: Some(events) })
    }

    /// Re-checks the journal's hash chain: intact, or the first event that does not fit.
    pub fn audit_journal(&mut self) -> Result<AuditReport, Error> {
        self.authorized(Action::ViewReports)?;
        verify(self.desk.journal().path())
    }

    fn note_export(&mut self, operator: &str, now: DateTime<Utc>, text: &str) -> Result<(), Error> {
        let at = now.timestamp();
        self.desk.journal_mut().append(None, at, at, operator, &EventBody::Note { text: text.to_string() })?;
        Ok(())
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
