//! The routes. Each handler is a line or two over one call of the facade ([`Service`]);
//! [`Operator`] is where a request becomes a signed-in session (or is refused 401).
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/health` | no | `{"ok": true}` |
//! | `POST /api/sign-in` | no | `{username, password}` → `{token, username, role, idle_timeout_s}` |
//! | `POST /api/sign-out` | yes | ends the session |
//! | `GET /api/head` | yes | the chain head `{seq, hash}` (null when empty) |
//! | `GET /api/board` | yes | `{head, incidents, units}` |
//! | `GET /api/events?after=&limit=` | yes | events after a seq, in order |
//! | `GET /api/live?after=` | yes | WebSocket: `{"seq": n}` for every commit |
//! | `POST /api/incidents` | dispatch role | a new call → `{incident_id}` |
//! | `POST /api/incidents/{id}/dispatch` | dispatch role | `{unit, override_reason?, reassign_reason?}` → `{seq}` |

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tidewatch_core::Error;
use tidewatch_journal::{ChainHead, Event};
use tidewatch_workstation::accounts::Session;
use tower_http::limit::RequestBodyLimitLayer;

use crate::body::JsonBody;
use crate::error::ApiError;
use crate::{BoardView, DispatchBody, Dispatched, IntakeBody, Received, Service, SignedIn};

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
        .route("/api/incidents", post(receive))
        .route("/api/incidents/{id}/dispatch", post(dispatch))
        .route("/api/openapi.json", get(openapi))
        .merge(crate::devices::routes().merge(crate::positions::routes()))
        .fallback(not_found)
        // The extractor's limit answers in JSON; the layer is the backstop for any body.
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .with_state(service)
}

/// A signed-in operator: the request's `Authorization: Bearer <token>` names a live
/// session. Every route but health and sign-in takes one.
pub struct Operator {
    pub session: Session,
    pub token: String,
}

impl FromRequestParts<Arc<Service>> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Arc<Service>) -> Result<Operator, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        let session = service.session(token).await?.ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        Ok(Operator { session, token: token.to_string() })
    }
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
}

async fn sign_in(
    State(s): App,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    JsonBody(b): JsonBody<SignInBody>,
) -> Result<Json<SignedIn>, ApiError> {
    s.sign_in(b.username, b.password, &from.ip().to_string()).await.map(Json)
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveQuery {
    #[serde(default)]
    pub after: i64,
}

async fn live(
    State(s): App,
    op: Operator,
    q: Result<Query<LiveQuery>, axum::extract::rejection::QueryRejection>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    Ok(ws.on_upgrade(move |socket| crate::live::socket(socket, s, op.token, q.after)))
}

async fn receive(State(s): App, op: Operator, JsonBody(b): JsonBody<IntakeBody>) -> Result<(StatusCode, Json<Received>), ApiError> {
    s.receive(&op.session, b).await.map(|r| (StatusCode::CREATED, Json(r)))
}

async fn dispatch(
    State(s): App,
    op: Operator,
    id: Result<axum::extract::Path<i64>, axum::extract::rejection::PathRejection>,
    JsonBody(b): JsonBody<DispatchBody>,
) -> Result<Json<Dispatched>, ApiError> {
    let axum::extract::Path(id) = id.map_err(|e| ApiError::bad_field("id", e.body_text()))?;
    s.dispatch(&op.session, tidewatch_core::ids::IncidentId(id), b).await.map(Json)
}
