//! What a patrol leader's seat reads and writes for its planning screen. The plan and the
//! what-if run on the leader's own desk (CPU for tens of seconds, and a plan in progress
//! is state the service does not keep): the service only answers the history they learn
//! from and journals the roster the leader publishes.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/leader/calls?from_utc&to_utc` | patrol leader, supervisor or administrator | the calls of the seat's area received then, for the demand curves (`Vec<CallRecord>`) |
//! | `GET /api/leader/replay-calls?from_utc&to_utc` | as above | the calls of the seat's area received then as the what-if replays them (`Vec<SimIncident>`) |
//! | `GET /api/leader/published` | as above | the newest published roster with who published it when (`LatestRoster` or null) |
//! | `POST /api/leader/rosters` `{roster}` | patrol leader | publishes the roster to dispatch, journaled under the leader (`Ack`) |
//!
//! A seat plans its own area: a station's seat is answered only the calls in its area, the
//! traffic squadron's only the traffic calls, the centre's all (`Seat::owns_incident`),
//! checked here whatever the desk asks; the desk then rosters only the seat's officers.
//! A span is at most a year and a day (`MAX_SPAN_S`). The roster body has a limit of its
//! own ([`MAX_ROSTER_BODY`]): a four-week roster is far over the service's 16 KiB.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tidewatch_journal::{Ack, CallRecord};
use tidewatch_plan::roster::Roster;
use tidewatch_plan::sim::SimIncident;
use tidewatch_workstation::desk::LatestRoster;
use tower_http::limit::RequestBodyLimitLayer;

use crate::body::JsonBody;
use crate::error::ApiError;
use crate::operator::Operator;
use crate::reports::Span;
use crate::Service;

/// The largest roster a seat may publish (a four-week roster of a large command is a few
/// hundred KiB of JSON).
pub const MAX_ROSTER_BODY: usize = 4 * 1024 * 1024;

type App = State<Arc<Service>>;
type Answer<T> = Result<Json<T>, ApiError>;

pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/leader/calls", get(calls))
        .route("/api/leader/replay-calls", get(replay_calls))
        .route("/api/leader/published", get(published))
}

/// Publishing, with a body limit of its own (merged after the service's 16 KiB one).
pub fn publish_routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/leader/rosters", post(publish))
        .layer(DefaultBodyLimit::max(MAX_ROSTER_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_ROSTER_BODY))
}

fn span(q: Result<Query<Span>, QueryRejection>) -> Result<Span, ApiError> {
    q.map(|Query(s)| s).map_err(|e| ApiError::bad_field("query", e.body_text()))
}

async fn calls(State(s): App, op: Operator, q: Result<Query<Span>, QueryRejection>) -> Answer<Vec<CallRecord>> {
    let (q, seat) = (span(q)?, op.seat);
    Ok(Json(s.journals.acting(&op.session, move |w| w.leader_calls(&seat, q.from_utc, q.to_utc)).await?))
}

async fn replay_calls(State(s): App, op: Operator, q: Result<Query<Span>, QueryRejection>) -> Answer<Vec<SimIncident>> {
    let (q, seat) = (span(q)?, op.seat);
    Ok(Json(s.journals.acting(&op.session, move |w| w.leader_replay_calls(&seat, q.from_utc, q.to_utc)).await?))
}

async fn published(State(s): App, op: Operator) -> Answer<Option<LatestRoster>> {
    Ok(Json(s.journals.acting(&op.session, |w| w.latest_published()).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    pub roster: Roster,
}

/// Journaled at the service's clock (the moment dispatch starts following it).
async fn publish(State(s): App, op: Operator, JsonBody(body): JsonBody<PublishBody>) -> Answer<Ack> {
    let now = s.clock.now_utc();
    Ok(Json(s.journals.acting(&op.session, move |w| w.publish_roster(now, &body.roster)).await?))
}

/// The routes above, for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    let span = serde_json::json!([
        { "name": "from_utc", "in": "query", "required": true, "schema": { "type": "integer" } },
        { "name": "to_utc", "in": "query", "required": true, "schema": { "type": "integer" } },
    ]);
    let answers = |ok: &str| {
        serde_json::json!({
            "200": { "description": ok, "content": { "application/json": {} } },
            "400": { "description": "the span is malformed, reversed or over a year and a day (field query or span)" },
            "401": { "description": "no session" },
            "403": { "description": "the role may not view reports (kind forbidden)" },
            "503": { "description": "PostgreSQL is unreachable" },
        })
    };
    serde_json::json!({
        "/api/leader/calls": { "get": {
            "summary": "The calls of the seat's area (a station's area, the traffic calls, or all at the centre) received in [from_utc, to_utc): what a leader's seat learns the demand curves from",
            "security": [{ "session": [] }],
            "parameters": span,
            "responses": answers("Vec<CallRecord>: received_at, island, incident_type, priority, handling_s"),
        }},
        "/api/leader/replay-calls": { "get": {
            "summary": "The calls of the seat's area received in [from_utc, to_utc) as a leader's what-if replays them (cancelled calls no unit went to left out)",
            "security": [{ "session": [] }],
            "parameters": span,
            "responses": answers("Vec<SimIncident> in ui/src/lib/bindings.ts"),
        }},
        "/api/leader/published": { "get": {
            "summary": "The newest published roster in full, with who published it when (null when none is)",
            "security": [{ "session": [] }],
            "responses": answers("LatestRoster: summary (PublishedRoster), roster (Roster)"),
        }},
        "/api/leader/rosters": { "post": {
            "summary": "Publishes a roster to dispatch: journaled (roster_published) under the patrol leader; from then on its units \
                are on duty when their officers are",
            "security": [{ "session": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": ["roster"], "properties": { "roster": { "description": "Roster in ui/src/lib/bindings.ts" } } } } } },
            "responses": {
                "200": { "description": "Ack: seq and hash of the journal event", "content": { "application/json": {} } },
                "400": { "description": "not a roster (field named), for another region, or it breaks a hard rule (field roster)" },
                "401": { "description": "no session" },
                "403": { "description": "only a patrol leader publishes (kind forbidden)" },
                "404": { "description": "it names a unit the region does not have (kind unknown)" },
                "413": { "description": "over the roster body limit (4 MiB)" },
                "503": { "description": "PostgreSQL is unreachable" },
            }
        }},
    })
}
