//! The supervisor's reports on the service. The monthly figures come from the journal's
//! stored figures (`tidewatch_journal_pg`'s `monthly.rs`): computed from the incidents the
//! first time a month is asked for after an incident of it changed, read back after that.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/reports/monthly?month=YYYY-MM` | patrol leader, supervisor or administrator | the month (the region's time zone) and the same month a year before → `Vec<MonthlyRow>` |
//! | `GET /api/reports/dashboard?from&to&island&incident_type` | as above | the supervisor's dashboard (`Dashboard`), as the desk computes it |
//! | `GET /api/reports/export?…&by=island,type&format=csv\|xlsx` | as above | the report file's bytes; the export is journaled |
//! | `GET /api/journal/export` | supervisor | every event as JSON lines; journaled |
//! | `GET /api/journal/audit` | as the reports | the tamper check: chain, read models rebuilt and compared, accounts |
//! | `GET /api/reports/desk-sessions?from_utc&to_utc` | as the reports | who sat at a seat when (`Vec<DeskSession>`) |
//! | `GET /api/reports/refused-sign-ins?from_utc&to_utc` | as the reports | refused sign-ins and lock-outs |
//!
//! The desk's supervisor screen on a seat calls these (`tidewatch_client`): the files are
//! made here and written into the seat's own export folder.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::{local_midnight, AuditReport};
use tidewatch_journal_pg::{MonthlyRow, Period};
use tidewatch_workstation::accounts::{Action, DeskSession, RefusedSignIn, Session};
use tidewatch_workstation::{Dashboard, ExportBytes, ReportFormat, ReportQuery};

use crate::api::Operator;
use crate::error::ApiError;
use crate::Service;

pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/reports/monthly", get(monthly))
        .route("/api/reports/dashboard", get(dashboard))
        .route("/api/reports/export", get(export_report))
        .route("/api/journal/export", get(export_journal))
        .route("/api/journal/audit", get(audit))
        .route("/api/reports/desk-sessions", get(desk_sessions))
        .route("/api/reports/refused-sign-ins", get(refused_sign_ins))
}

/// A span of UTC seconds `[from_utc, to_utc)`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub from_utc: i64,
    pub to_utc: i64,
}

async fn desk_sessions(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<Span>, QueryRejection>,
) -> Result<Json<Vec<DeskSession>>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    Ok(Json(s.journals.acting(&op.session, move |w| w.desk_sessions(q.from_utc, q.to_utc)).await?))
}

async fn refused_sign_ins(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<Span>, QueryRejection>,
) -> Result<Json<Vec<RefusedSignIn>>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    Ok(Json(s.journals.acting(&op.session, move |w| w.refused_sign_ins(q.from_utc, q.to_utc)).await?))
}

/// The report's filters and its file: `by` is comma-separated groupings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub island: Option<String>,
    pub incident_type: Option<String>,
    #[serde(default)]
    pub by: String,
    pub format: ReportFormat,
}

async fn dashboard(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Json<Dashboard>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    let now = s.clock.now_utc();
    Ok(Json(s.journals.acting(&op.session, move |w| w.supervisor_dashboard(now, &q)).await?))
}

async fn export_report(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<ExportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    let by: Vec<String> = q.by.split(',').map(str::trim).filter(|b| !b.is_empty()).map(str::to_string).collect();
    let filters = ReportQuery { from: q.from, to: q.to, island: q.island, incident_type: q.incident_type };
    let now = s.clock.now_utc();
    let file = s.journals.acting(&op.session, move |w| sent(|to| w.report_export(now, &filters, &by, q.format, to))).await?;
    Ok(file_response(file))
}

async fn export_journal(State(s): State<Arc<Service>>, op: Operator) -> Result<Response, ApiError> {
    let now = s.clock.now_utc();
    Ok(file_response(s.journals.acting(&op.session, move |w| sent(|to| w.journal_export(now, to))).await?))
}

async fn audit(State(s): State<Arc<Service>>, op: Operator) -> Result<Json<AuditReport>, ApiError> {
    Ok(Json(s.journals.acting(&op.session, |w| w.audit_journal()).await?))
}

/// Runs an export that journals where its file went (a seat's export folder, under the
/// file's name) and hands the file back for the response.
fn sent(export: impl FnOnce(&mut dyn FnMut(&ExportBytes) -> Result<String, Error>) -> Result<String, Error>) -> Result<ExportBytes, Error> {
    let mut file = None;
    export(&mut |f: &ExportBytes| {
        file = Some(f.clone());
        Ok(format!("a seat's export folder as {}.{}", f.stem, f.ext))
    })?;
    file.ok_or_else(|| Error::Storage("the export made no file".into()))
}

/// The file's bytes under its name (stem and extension), which the client keeps.
fn file_response(f: ExportBytes) -> Response {
    let media = match f.ext.as_str() {
        "csv" => "text/csv; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/x-ndjson",
    };
    let disposition = format!("attachment; filename=\"{}.{}\"", f.stem, f.ext);
    ([(header::CONTENT_TYPE, media.to_string()), (header::CONTENT_DISPOSITION, disposition)], f.bytes).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`.
    pub month: String,
}

async fn monthly(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Json<Vec<MonthlyRow>>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    s.monthly_report(&op.session, &q.month).await.map(Json)
}

/// The routes above, for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    let row = serde_json::json!({ "type": "object", "description": "scope (all, island, type, island_type, type_year_before), island, \
        incident_type, incidents, overrides, responded, response_p50_s, response_p90_s, response_max_s, processing_p50_s, processing_p90_s" });
    serde_json::json!({ "/api/reports/monthly": { "get": {
        "summary": "The supervisor's monthly figures: counts by island, type and both, overrides, response and processing p50/p90 \
            (nearest rank), and the same month a year before counted by type",
        "security": [{ "session": [] }],
        "parameters": [{ "name": "month", "in": "query", "required": true, "description": "YYYY-MM, at the region's time",
            "schema": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" } }],
        "responses": {
            "200": { "description": "the figures, by scope, island, type", "content": { "application/json": {
                "schema": { "type": "array", "items": row } } } },
            "400": { "description": "month missing or not YYYY-MM (field month or query)" },
            "401": { "description": "no session" },
            "403": { "description": "the role may not view reports (kind forbidden)" },
            "503": { "description": "PostgreSQL is unreachable" },
        }
    }},
    "/api/reports/dashboard": { "get": {
        "summary": "The supervisor's dashboard over a period, as the desk computes it (KPIs, groups by island and type, \
            overrides, joint work, tips when the seat has them)",
        "security": [{ "session": [] }],
        "parameters": filters(),
        "responses": answers("the dashboard (Dashboard in ui/src/lib/bindings.ts)", "application/json"),
    }},
    "/api/reports/export": { "get": {
        "summary": "The response report as a file (CSV or XLSX), grouped by `by`; the export is journaled (a note under \
            the operator naming the file)",
        "security": [{ "session": [] }],
        "parameters": filters().as_array().unwrap().iter().cloned().chain([
            serde_json::json!({ "name": "by", "in": "query", "description": "comma-separated groupings: island, type, priority, unit, hour, weekday, month, route_mode",
                "schema": { "type": "string" } }),
            serde_json::json!({ "name": "format", "in": "query", "required": true, "schema": { "type": "string", "enum": ["csv", "xlsx"] } }),
        ]).collect::<Vec<_>>(),
        "responses": answers("the file, named in Content-Disposition", "application/octet-stream"),
    }},
    "/api/journal/export": { "get": {
        "summary": "Every event as JSON lines, the chain head last; the export is journaled",
        "security": [{ "session": [] }],
        "responses": answers("the journal, named in Content-Disposition", "application/x-ndjson"),
    }},
    "/api/reports/desk-sessions": { "get": {
        "summary": "Who sat at a seat when: sign-ins paired with the same person's sign-outs, oldest first",
        "security": [{ "session": [] }],
        "parameters": span(),
        "responses": answers("Vec<DeskSession>", "application/json"),
    }},
    "/api/reports/refused-sign-ins": { "get": {
        "summary": "Refused sign-ins and lock-outs (a name tried with wrong passwords), oldest first",
        "security": [{ "session": [] }],
        "parameters": span(),
        "responses": answers("Vec<RefusedSignIn>", "application/json"),
    }},
    "/api/journal/audit": { "get": {
        "summary": "The tamper check: the hash chain, the read models rebuilt from the events and compared, the accounts",
        "security": [{ "session": [] }],
        "responses": answers("AuditReport: ok, events, problem (the first found, naming table and row)", "application/json"),
    }},
    })
}

/// The dashboard's and the report's filters.
fn filters() -> serde_json::Value {
    let text =
        |name: &str, what: &str| serde_json::json!({ "name": name, "in": "query", "description": what, "schema": { "type": "string" } });
    serde_json::json!([
        text("from", "first day YYYY-MM-DD at the region's time (default: the last year of recorded incidents)"),
        text("to", "last day YYYY-MM-DD, inclusive"),
        text("island", "an island id of the region pack"),
        text("incident_type", "an incident type id of the region pack"),
    ])
}

/// `[from_utc, to_utc)`.
fn span() -> serde_json::Value {
    let at = |name: &str| serde_json::json!({ "name": name, "in": "query", "required": true, "schema": { "type": "integer" } });
    serde_json::json!([at("from_utc"), at("to_utc")])
}

/// What a report route answers.
fn answers(ok: &str, media: &str) -> serde_json::Value {
    serde_json::json!({
        "200": { "description": ok, "content": { media: {} } },
        "400": { "description": "a filter is malformed (field named)" },
        "401": { "description": "no session" },
        "403": { "description": "the role may not (kind forbidden)" },
        "404": { "description": "an island or incident type the pack does not know (kind unknown)" },
        "503": { "description": "PostgreSQL is unreachable" },
    })
}

/// `YYYY-MM` → (year, month).
fn month_of(s: &str) -> Result<(i32, u32), Error> {
    let bad = || Error::invalid("month", format!("'{}' is not a month YYYY-MM", s.chars().take(16).collect::<String>()));
    let (y, m) = s.split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    match (1..=12).contains(&m) && (2000..=2100).contains(&y) {
        true => Ok((y, m)),
        false => Err(bad()),
    }
}

/// The first instant of month `m` of `y` (13 is January of the next year) at the region's
/// time, UTC seconds.
fn month_start(region: &Region, y: i32, m: u32) -> Result<i64, Error> {
    let (y, m) = if m > 12 { (y + 1, m - 12) } else { (y, m) };
    let day = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| Error::invalid("month", "is not a month"))?;
    Ok(local_midnight(region, day))
}

impl Service {
    /// The monthly figures of `month` at the region's time, with the year-before counts.
    /// Needs `ViewReports`.
    pub async fn monthly_report(&self, operator: &Session, month: &str) -> Result<Vec<MonthlyRow>, ApiError> {
        operator.authorize(Action::ViewReports)?;
        let (y, m) = month_of(month)?;
        let figures = self.journals.with(move |w| {
            let r = w.region();
            let period = Period {
                from: month_start(r, y, m)?,
                to: month_start(r, y, m + 1)?,
                before_from: month_start(r, y - 1, m)?,
                before_to: month_start(r, y - 1, m + 1)?,
            };
            w.desk().journal().monthly_figures(period)
        });
        Ok(figures.await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_in_one_form() {
        assert_eq!(month_of("2026-06").unwrap(), (2026, 6));
        for bad in ["2026-13", "2026-00", "2026", "June", "2026-06-01", "99999-01", "-06"] {
            assert!(month_of(bad).is_err(), "{bad}");
        }
    }
}
