//! The routes. Each handler is a line or two over one call of the facade ([`Service`]);
//! [`Operator`] (`operator.rs`) is where a request becomes a signed-in session (or is
//! refused 401).
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/health` | no | `{"ok": true}` |
//! | `GET /api/sign-in-state` | no | `{needs_first_administrator}` |
//! | `POST /api/first-administrator` | no (only while no account exists) | `{username, password}` → `SignedIn` |
//! | `POST /api/sign-in` | no | `{username, password, seat?}` → `SignedIn {token, username, role, idle_timeout_s, seat}` |
//! | `POST /api/sign-out` | yes | ends the session |
//! | `GET /api/session` | yes | `{username, role, seat}` |
//! | `GET /api/head` | yes | the chain head `{seq, hash}` (null when empty) |
//! | `GET /api/board` | yes | the read models `{head, incidents, units}` |
//! | `GET /api/desk/board` | yes | the desk's `Board` (thresholds applied, the seat's own first) |
//! | `GET /api/events?after=&limit=` | yes | events after a seq, in order |
//! | `GET /api/live?after=` | yes | WebSocket: `{"seq": n}` for every commit; `{"fixes": true}` (at most once a second) when crews' phones reported |
//! | `POST /api/incidents` | dispatch role | a new call → `{incident_id}` |
//! | `GET /api/incidents/{id}/recommendation` | dispatch role | `Recommendation` |
//! | `POST /api/preview` | dispatch role | `PreviewQuery` → `Recommendation` |
//! | `POST /api/incidents/{id}/dispatch` | dispatch role, area | `{unit, override_reason?, reassign_reason?}` → `Ack` |
//! | `POST /api/incidents/{id}/dispatch-carried` | dispatch role, area | `{unit, carrier, override_reason?}` → `Ack`: a crew and the police boat carrying it |
//! | `POST /api/incidents/{id}/responder-call` | dispatch role, area | `{responder}` → `Ack`: a community responder called about the incident |
//! | `POST /api/incidents/{id}/en-route`, `/on-scene` | dispatch role, area | `Ack` |
//! | `POST /api/incidents/{id}/boat-back` | dispatch role, area | `Ack`: the boat carrying the crew is back at its base, free again (the crew stays) |
//! | `POST /api/incidents/{id}/clear` | dispatch role, area | `{outcome}` → `Ack` |
//! | `POST /api/incidents/{id}/cancel` | dispatch role, area | `{reason}` → `Ack` |
//! | `POST /api/incidents/{id}/note` | dispatch role, area | `{text}` → `Ack` |
//! | `GET /api/incidents/{id}/timeline` | yes | `Vec<Event>` |
//! | `GET /api/incidents/{id}/reassign-options` | dispatch role | `Vec<ReassignOption>` |
//! | `POST /api/incidents/{id}/reassign` | dispatch role, area | `{unit, reason, carrier?}` → `Ack`: `carrier`, a police boat carrying the crew (both sent) |
//! | `GET`/`PUT /api/conditions` | yes / dispatch role, centre | `Conditions` → `ConditionsView` |
//! | `GET`/`PUT /api/board-thresholds` | yes / supervisor or administrator, centre | `Thresholds` → `BoardThresholdsView` |
//! | `GET`/`POST /api/accounts` | administrator | `Vec<AccountRow>` / `{username, password, role}` → 204 |
//! | `POST /api/accounts/{name}/disabled` | administrator | `{disabled}` → 204 |
//! | `POST /api/accounts/{name}/password` | administrator | `{password}` → 204 |
//!
//! "area": at a station's or the traffic squadron's seat, only on incidents of its area
//! (`seats.rs`); the centre acts on everything.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tidewatch_journal::{ChainHead, Event};
use tower_http::limit::RequestBodyLimitLayer;

pub use crate::live::LiveQuery;
pub use crate::operator::Operator;

use crate::body::JsonBody;
use crate::error::ApiError;
use crate::{BoardView, Service, SignedIn};

/// The largest request body read (a sign-in or an intake is well under 1 KiB).
pub const MAX_BODY: usize = 16 * 1024;

type App = State<Arc<Service>>;

pub fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/sign-in", post(sign_in))
        .route("/api/sign-out", post(sign_out))
        .route("/api/head", get(head))
        .route("/api/board", get(board))
        .route("/api/events", get(events))
        .route("/api/live", get(live))
        .route("/api/openapi.json", get(openapi))
        .merge(crate::routes::router())
        .merge(crate::devices::routes().merge(crate::positions::routes()))
        .merge(crate::tips::desk_routes())
        .merge(crate::crew_routes::routes())
        .merge(crate::reports::routes())
        .merge(crate::leader::routes())
        .merge(crate::region_edits::routes())
        .fallback(not_found)
        // The extractor's limit answers in JSON; the layer is the backstop for any body.
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        // After the layers: the tips' form has a limit of its own (a photo).
        .merge(crate::tips::public_routes(&service))
        // A crew's photo has a larger limit of its own.
        .merge(crate::crew_routes::photo_routes())
        // A roster to publish too.
        .merge(crate::leader::publish_routes())
        .with_state(service)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

/// The API described (`openapi.rs`), for a session like everything but health.
async fn openapi(_operator: Operator) -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "unknown", "no such endpoint")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    pub username: String,
    pub password: String,
    /// `centre` (when none), `traffic` or `station:<place id>`.
    #[serde(default)]
    pub seat: Option<String>,
}

async fn sign_in(
    State(s): App,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    JsonBody(b): JsonBody<SignInBody>,
) -> Result<Json<SignedIn>, ApiError> {
    s.sign_in(b.username, b.password, b.seat, &from.ip().to_string()).await.map(Json)
}

async fn sign_out(State(s): App, op: Operator) -> Result<StatusCode, ApiError> {
    s.sign_out(&op.session, &op.token).await.map(|()| StatusCode::NO_CONTENT)
}

async fn head(State(s): App, _op: Operator) -> Result<Json<Option<ChainHead>>, ApiError> {
    s.head().await.map(Json)
}

async fn board(State(s): App, op: Operator) -> Result<Json<BoardView>, ApiError> {
    s.board(&op.session).await.map(Json)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct After {
    #[serde(default)]
    pub after: i64,
    pub limit: Option<u32>,
}

async fn events(
    State(s): App,
    op: Operator,
    q: Result<Query<After>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<Event>>, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    s.events(&op.session, q.after, q.limit).await.map(Json)
}

async fn live(
    State(s): App,
    op: Operator,
    q: Result<Query<LiveQuery>, axum::extract::rejection::QueryRejection>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    Ok(ws.on_upgrade(move |socket| crate::live::socket(socket, s, op.token, q.after, true)))
}
