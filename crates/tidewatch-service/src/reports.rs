//! The supervisor's reports on the service. The monthly figures come from the journal's
//! stored figures (`tidewatch_journal_pg`'s `monthly.rs`): computed from the incidents the
//! first time a month is asked for after an incident of it changed, read back after that.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/reports/monthly?month=YYYY-MM` | patrol leader, supervisor or administrator | the month (the region's time zone) and the same month a year before → `Vec<MonthlyRow>` |

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::local_midnight;
use tidewatch_journal_pg::{MonthlyRow, Period};
use tidewatch_workstation::accounts::{Action, Session};

use crate::api::Operator;
use crate::error::ApiError;
use crate::Service;

pub fn routes() -> Router<Arc<Service>> {
    Router::new().route("/api/reports/monthly", get(monthly))
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
    }}})
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
