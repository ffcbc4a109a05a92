//! A unit's track for the supervisor's replay (issue #14): its crew's stored fixes for a
//! period, in time order, with the incidents it was on then (from the journal's read
//! models). `GET /api/positions/track?unit=&from=&to=` (report role).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use sqlx::{PgPool, Row};
use tidewatch_core::ids::UnitId;
use tidewatch_core::Error;
use tidewatch_journal::{IncidentRow, ReadModels};
use tidewatch_workstation::accounts::{Action, Session};
use tidewatch_workstation::{Track, TrackIncident, TrackPoint};

use crate::error::ApiError;
use crate::operator::Operator;
use crate::Service;

/// The longest period one replay asks for, and the most fixes one answer carries (a phone
/// every 5 s for a day is 17,280).
pub const MAX_SPAN_S: i64 = 7 * 86_400;
pub const MAX_POINTS: usize = 20_000;
/// How long before the period an incident it shows may have been received (a long one).
const INCIDENT_LOOKBACK_S: i64 = 2 * 86_400;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackQuery {
    pub unit: String,
    pub from: i64,
    pub to: i64,
}

pub async fn track(
    State(s): State<Arc<Service>>,
    op: Operator,
    q: Result<Query<TrackQuery>, QueryRejection>,
) -> Result<Json<Track>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    s.unit_track(&op.session, q).await.map(Json)
}

impl Service {
    /// The unit's track in `[from, to)`. Needs the report role.
    pub async fn unit_track(self: &Arc<Self>, operator: &Session, q: TrackQuery) -> Result<Track, ApiError> {
        operator.authorize(Action::ViewReports)?;
        if !self.field.knows_unit(&q.unit) {
            return Err(Error::Unknown { what: "unit", id: q.unit.chars().take(64).collect() }.into());
        }
        if q.to <= q.from || q.to - q.from > MAX_SPAN_S {
            return Err(ApiError::bad_field("to", format!("after from, and at most {} days after it", MAX_SPAN_S / 86_400)));
        }
        let (mut points, unit) = (fixes(&self.db, &q).await?, q.unit.clone());
        let truncated = points.len() > MAX_POINTS;
        points.truncate(MAX_POINTS);
        let (from, to) = (q.from, q.to);
        let rows = self.journals.with(move |w| w.desk().journal().incidents_received(from - INCIDENT_LOOKBACK_S, to)).await?;
        let incidents = rows.iter().filter_map(|r| on_it(r, &unit, from, to)).collect();
        Ok(Track { unit: UnitId(q.unit), from_utc: from, to_utc: to, points, truncated, incidents })
    }
}

/// The fixes in the period, one more than an answer carries (to tell it was cut).
async fn fixes(db: &PgPool, q: &TrackQuery) -> Result<Vec<TrackPoint>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT fix_utc, lon, lat, speed_kmh, afloat, usable FROM service_positions
         WHERE unit = $1 AND fix_utc >= $2 AND fix_utc < $3 ORDER BY fix_utc LIMIT $4",
    )
    .bind(&q.unit)
    .bind(q.from)
    .bind(q.to)
    .bind(MAX_POINTS as i64 + 1)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TrackPoint {
                fix_utc: r.try_get(0)?,
                lon: r.try_get(1)?,
                lat: r.try_get(2)?,
                speed_kmh: r.try_get(3)?,
                afloat: r.try_get(4)?,
                usable: r.try_get(5)?,
            })
        })
        .collect()
}

/// The incident, when `unit` was on it (sent, or the boat carrying the crew) at some time
/// in `[from, to)`.
fn on_it(r: &IncidentRow, unit: &str, from: i64, to: i64) -> Option<TrackIncident> {
    let carried = r.carrier_id.as_deref() == Some(unit);
    let sent = r.unit_id.as_deref() == Some(unit) || carried;
    let dispatched = r.dispatched_utc?;
    let overlaps = dispatched < to && r.closed_utc.is_none_or(|c| c >= from);
    (sent && overlaps).then(|| TrackIncident {
        id: r.id.0,
        incident_type: r.incident_type.clone(),
        priority: r.priority,
        lon: r.lon,
        lat: r.lat,
        dispatched_utc: r.dispatched_utc,
        on_scene_utc: r.on_scene_utc,
        closed_utc: r.closed_utc,
        carried,
    })
}
