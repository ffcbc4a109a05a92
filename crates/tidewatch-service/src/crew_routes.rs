//! The crew's routes and page (`crew.rs` is the facade). Each handler is a line over one
//! call of it.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /crew/` (and its `crew.js`, `crew.css`) | no | the crew's page (embedded) |
//! | `POST /api/crew/sign-in` | no | `{username, password, unit}` → `CrewSignedIn` (crew accounts only) |
//! | `GET /api/crew/assignment` | crew | `CrewView`: the unit, its incident and route in words |
//! | `POST /api/crew/act` | crew | `{incident, action, text?, phone_utc?}` → `Ack` |
//! | `POST /api/crew/carrier` | crew (a boat carrying a land crew) | `{incident, step, phone_utc?}` → `Ack` |
//! | `POST /api/crew/status` | crew | `{status, phone_utc?}` → `Ack` |
//! | `POST /api/crew/photo?incident=&phone_utc=` | crew | the image (JPEG, PNG, WebP; at most 2 MiB) → `{seq, sha256, bytes}` |
//! | `GET /api/crew/live?after=` | crew (header or subprotocol `bearer.<token>`) | WebSocket: `{"seq": n}` per commit |
//! | `GET /api/photos/{sha256}` | yes | a crew's photo |

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tidewatch_journal::Ack;
use tidewatch_workstation::crew::CrewView;
use tower_http::limit::RequestBodyLimitLayer;

use crate::body::JsonBody;
use crate::crew::{
    bad_query, CarrierStepBody, CrewActBody, CrewOperator, CrewSignInBody, CrewSignedIn, CrewStatusBody, PhotoQuery, PhotoTaken, MAX_PHOTO,
};
use crate::error::ApiError;
use crate::live::LiveQuery;
use crate::operator::Operator;
use crate::Service;

type App = State<Arc<Service>>;
type Answer<T> = Result<Json<T>, ApiError>;
type QueryOf<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

const PAGE: &str = include_str!("../web/crew/index.html");
const SCRIPT: &str = include_str!("../web/crew/crew.js");
const STYLE: &str = include_str!("../web/crew/crew.css");

/// The page and the crew's JSON routes (under the service's 16 KiB body limit).
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/crew", get(to_page))
        .route("/crew/", get(page))
        .route("/crew/crew.js", get(script))
        .route("/crew/crew.css", get(style))
        .route("/api/crew/sign-in", post(sign_in))
        .route("/api/crew/assignment", get(assignment))
        .route("/api/crew/act", post(act))
        .route("/api/crew/carrier", post(carrier))
        .route("/api/crew/status", post(status))
        .route("/api/crew/live", get(live))
        .route("/api/photos/{sha256}", get(photo))
}

/// The photo upload, with a body limit of its own (merged after the service's 16 KiB one).
pub fn photo_routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/crew/photo", post(take_photo))
        .layer(DefaultBodyLimit::max(MAX_PHOTO + 1))
        .layer(RequestBodyLimitLayer::new(MAX_PHOTO + 1))
}

fn file(media_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, media_type), (header::CACHE_CONTROL, "no-cache")], text).into_response()
}

async fn to_page() -> Redirect {
    Redirect::permanent("/crew/")
}

async fn page() -> Response {
    file("text/html; charset=utf-8", PAGE)
}

async fn script() -> Response {
    file("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    file("text/css; charset=utf-8", STYLE)
}

async fn sign_in(
    State(s): App,
    axum::extract::ConnectInfo(from): axum::extract::ConnectInfo<std::net::SocketAddr>,
    JsonBody(b): JsonBody<CrewSignInBody>,
) -> Answer<CrewSignedIn> {
    s.crew_sign_in(b, &from.ip().to_string()).await.map(Json)
}

async fn assignment(State(s): App, crew: CrewOperator) -> Answer<CrewView> {
    s.crew_view(&crew).await.map(Json)
}

async fn act(State(s): App, crew: CrewOperator, JsonBody(b): JsonBody<CrewActBody>) -> Answer<Ack> {
    s.crew_act(&crew, b).await.map(Json)
}

async fn carrier(State(s): App, crew: CrewOperator, JsonBody(b): JsonBody<CarrierStepBody>) -> Answer<Ack> {
    s.carrier_step(&crew, b).await.map(Json)
}

async fn status(State(s): App, crew: CrewOperator, JsonBody(b): JsonBody<CrewStatusBody>) -> Answer<Ack> {
    s.crew_status(&crew, b).await.map(Json)
}

async fn take_photo(
    State(s): App,
    crew: CrewOperator,
    q: QueryOf<PhotoQuery>,
    headers: HeaderMap,
    bytes: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Answer<PhotoTaken> {
    let Query(q) = q.map_err(|e| bad_query(&e))?;
    let bytes = bytes.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(e.body_text())
        } else {
            ApiError::bad_field("body", e.body_text())
        }
    })?;
    let media_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    s.crew_photo(&crew, q, media_type, &bytes).await.map(Json)
}

/// The live seqs for the crew's page; a browser sends its token as the subprotocol
/// `bearer.<token>` and gets `tidewatch` back.
async fn live(State(s): App, crew: CrewOperator, q: QueryOf<LiveQuery>, ws: WebSocketUpgrade) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| bad_query(&e))?;
    Ok(ws.protocols(["tidewatch"]).on_upgrade(move |socket| crate::live::socket(socket, s, crew.token, q.after, false)))
}

async fn photo(State(s): App, _op: Operator, Path(sha256): Path<String>) -> Result<Response, ApiError> {
    let (media_type, bytes) = s.photo(&sha256).await?;
    Ok(([(header::CONTENT_TYPE, media_type)], bytes).into_response())
}

/// The crew's routes described for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    use serde_json::json;
    let crew = |summary: &str, ok: &str| {
        json!({ "summary": summary, "security": [{ "session": [] }], "responses": {
            "200": { "description": ok },
            "400": { "description": "a field missing, of the wrong type, unknown or too long (kind invalid_input, field names it), \
                or the action does not fit the incident's state or the desk's clock" },
            "401": { "description": "no session, or it lapsed or was revoked (kind not_signed_in)" },
            "403": { "description": "not a crew's session, or the incident is not the unit's (kind forbidden)" },
            "404": { "description": "no such incident (kind unknown)" },
            "409": { "description": "the unit is busy (kind unit_unavailable)" },
            "503": { "description": "PostgreSQL is unreachable; retry (kind storage)" } } })
    };
    let page = |what: &str| json!({ "get": { "summary": what, "responses": { "200": { "description": "the file" } } } });
    let mut sign_in = json!({ "post": {
        "summary": "Sign in on the crew's page for a unit: {username, password, unit (id or call sign)}; crew accounts only \
            (another role is signed out again, 403); rate-limited like /api/sign-in",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
            "required": ["username", "password", "unit"], "additionalProperties": false,
            "properties": { "username": { "type": "string" }, "password": { "type": "string" }, "unit": { "type": "string" } } } } } },
        "responses": { "200": { "description": "{token, username, unit, call_sign, idle_timeout_s}" },
            "400": { "description": "bad body, unknown unit (field unit), or a wrong name or password" },
            "403": { "description": "not a crew account" }, "429": { "description": "too many sign-ins (kind sign_in_locked)" } } } });
    sign_in["post"]["security"] = json!([]);
    let act = crew(
        "One action on the unit's incident: {incident, action: acknowledge|en_route|on_scene|clear|unable|note, text? (the outcome, \
         reason or note; only for clear, unable, note), phone_utc? (when the phone says it was done)}; the desk's rules apply",
        "Ack {seq, hash}",
    );
    let carrier = crew(
        "A step of the unit's boat carrying the incident's land crew (issue #16): {incident, step: to_pickup|crew_aboard|crew_landed|\
         returning|at_base, phone_utc?}; refused (403) unless the boat carries that incident's crew, and (400) once the incident is closed",
        "Ack {seq, hash}",
    );
    let status = crew("The unit's own status: {status: available|off_duty|returning, phone_utc?}", "Ack {seq, hash}");
    let mut photo = crew(
        "A photo for the unit's incident (?incident=&phone_utc=); body: the image, Content-Type image/jpeg, image/png or image/webp \
         matching its bytes, at most 2 MiB; stored outside the chain, its SHA-256 journaled",
        "{seq, sha256, bytes}",
    );
    photo["responses"]["413"] = json!({ "description": "over 2 MiB (kind invalid_input, field body)" });
    json!({
        "/crew": page("The crew's page (redirects to /crew/)"),
        "/crew/": page("The crew's page: zh-CN first, for a phone's browser"),
        "/crew/crew.js": page("The crew's page's script"),
        "/crew/crew.css": page("The crew's page's style"),
        "/api/crew/sign-in": sign_in,
        "/api/crew/assignment": { "get": crew("The unit, its status and the incident it is on, with the route in words and the sailing to catch", "CrewView") },
        "/api/crew/act": { "post": act },
        "/api/crew/carrier": { "post": carrier },
        "/api/crew/status": { "post": status },
        "/api/crew/photo": { "post": photo },
        "/api/crew/live": { "get": crew("WebSocket: {\"seq\": n} for every commit; the token as Authorization or as the subprotocol bearer.<token> \
            (answered with the subprotocol tidewatch)", "switching protocols") },
        "/api/photos/{sha256}": { "get": { "summary": "A crew's photo by its SHA-256 (any session)", "security": [{ "session": [] }],
            "responses": { "200": { "description": "the image" }, "400": { "description": "not 64 hex digits" },
                "401": { "description": "no session" }, "404": { "description": "no such photo" } } } },
    })
}
