//! The tips' routes: the public ones (the page, the form, the status by receipt code, the
//! gazetteer) with a body limit of their own for the photo, and the dispatchers' (queue,
//! photo, steps, figures) under the service's usual 16 KiB limit. Handlers are a line or
//! two over the facade (`mod.rs`).
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /tips/` | no | the public page (zh-CN); `?island=<id>` preselects the island, `&place=<id>` a place on it (a pier's poster) |
//! | `GET /api/tips/places` | no | islands, their places and the categories, for the page |
//! | `POST /api/tips` | no | multipart: category, photo?, lon/lat or island/place, text, phone? → 201 `Receipt` |
//! | `GET /api/tips/status/{receipt}` | no | `PublicStatus` |
//! | `GET /api/tips/queue?closed_since=` | yes | `[QueuedTip]`: open tips, grouped |
//! | `GET /api/tips/{id}/photo` | yes | the stored JPEG |
//! | `POST /api/tips/{id}/incident` | dispatch role, area | `{incident_type, priority?, lon?, lat?}` → `TipStep` |
//! | `POST /api/tips/{id}/pass-on` | dispatch role, area | `{to: traffic\|station, note?}` → `TipStep` |
//! | `POST /api/tips/{id}/close` | dispatch role, area | `{reply}` → `TipStep` |
//! | `GET /api/tips/kpis?from=&to=` | report role | `TipKpis` |
//! | `POST /api/tips/cleanup` | administrator | forgets closed tips' phone, photo, device, address past retention now → `Forgotten` |

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::multipart::MultipartRejection;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    device_id, page, Forgotten, PublicStatus, QueuedTip, Receipt, TipCloseBody, TipForm, TipIncidentBody, TipKpis, TipPassOnBody, TipStep,
};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::operator::Operator;
use crate::Service;

type App = State<Arc<Service>>;
type Answer<T> = Result<Json<T>, ApiError>;

/// The header the page sends its own random id in (for the per-device rate limit).
pub const DEVICE_HEADER: &str = "x-tip-device";

/// The public routes, with a body limit that fits a photo (`POST /api/tips` only).
pub fn public_routes(service: &Arc<Service>) -> Router<Arc<Service>> {
    let limit = service.tip_settings().photo.max_bytes + 64 * 1024;
    // The form's reader stops at the limit and answers in JSON (413 naming `body`); a
    // layer refusing by Content-Length would answer without a body.
    let form = Router::new().route("/api/tips", post(submit)).layer(DefaultBodyLimit::max(limit));
    Router::new()
        .route("/tips", get(page::index))
        .route("/tips/", get(page::index))
        .route("/tips/{file}", get(page::asset))
        .route("/api/tips/places", get(places))
        .route("/api/tips/status/{receipt}", get(status))
        .merge(form)
}

/// The dispatchers' routes (JSON under the service's usual limit).
pub fn desk_routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/tips/queue", get(queue))
        .route("/api/tips/kpis", get(kpis))
        .route("/api/tips/cleanup", post(cleanup))
        .route("/api/tips/{id}/photo", get(photo))
        .route("/api/tips/{id}/incident", post(to_incident))
        .route("/api/tips/{id}/pass-on", post(pass_on))
        .route("/api/tips/{id}/close", post(close))
}

async fn cleanup(State(s): App, op: Operator) -> Answer<Forgotten> {
    s.forget_old_tips(&op.session).await.map(Json)
}

async fn places(State(s): App) -> Json<Value> {
    Json(s.tip_gazetteer())
}

async fn status(State(s): App, Path(receipt): Path<String>) -> Answer<PublicStatus> {
    s.tip_status(&receipt).await.map(Json)
}

/// A tip: counted against the rate limits first (before its upload is read), then read
/// within the upload time limit, then checked and stored.
async fn submit(
    State(s): App,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let device = device_id(headers.get(DEVICE_HEADER).and_then(|v| v.to_str().ok()));
    let address = from.ip().to_string();
    s.count_tip(device.as_deref(), &address).await?;
    let multipart =
        multipart.map_err(|e| ApiError::bad_field("body", format!("send the tip as a form (multipart/form-data): {}", e.body_text())))?;
    let settings = *s.tip_settings();
    let form = tokio::time::timeout(Duration::from_secs(settings.upload_timeout_s), read_form(multipart, settings.photo.max_bytes))
        .await
        .map_err(|_| ApiError {
            status: StatusCode::REQUEST_TIMEOUT,
            ..ApiError::bad_field(
                "photo",
                format!(
                    "the upload did not finish within {} s; try again on a better connection (the page keeps what you typed)",
                    settings.upload_timeout_s
                ),
            )
        })??;
    s.submit_tip(form, device, &address).await.map(|r| (StatusCode::CREATED, Json(r)))
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::too_large("the upload is too large (a photo may be at most 10 MB)");
    }
    ApiError::bad_field("body", format!("the form could not be read: {}", e.body_text()))
}

/// The form's fields; an unknown one, a field twice or one over its size is refused by name.
async fn read_form(mut multipart: Multipart, max_photo: usize) -> Result<TipForm, ApiError> {
    let mut form = TipForm::default();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        let known = ["category", "text", "phone", "lon", "lat", "island", "place", "photo_position", "photo"];
        let Some(name) = known.iter().find(|k| **k == name) else {
            let shown: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(32).collect();
            return Err(ApiError::bad_field("body", format!("unknown field '{shown}'")));
        };
        if !seen.insert(*name) {
            return Err(ApiError::bad_field(*name, "sent twice"));
        }
        if *name == "photo" {
            let bytes = read_field(field, "photo", max_photo).await?;
            form.photo = (!bytes.is_empty()).then_some(bytes);
            continue;
        }
        let limit = if *name == "text" { 4 * super::MAX_TIP_TEXT } else { 256 };
        let bytes = read_field(field, name, limit).await?;
        let value = String::from_utf8(bytes).map_err(|_| ApiError::bad_field(*name, "not UTF-8 text"))?;
        set(&mut form, name, value);
    }
    Ok(form)
}

fn set(form: &mut TipForm, name: &str, value: String) {
    let some = |v: String| (!v.trim().is_empty()).then_some(v);
    match name {
        "category" => form.category = some(value),
        "text" => form.text = value,
        "phone" => form.phone = some(value),
        "lon" => form.lon = some(value),
        "lat" => form.lat = some(value),
        "island" => form.island = some(value),
        "place" => form.place = some(value),
        _ => form.photo_position = matches!(value.trim(), "1" | "true" | "on" | "yes"),
    }
}

/// A field's bytes, at most `max` of them (refused naming the field beyond). The body's own
/// limit (a little above the photo's) may trip first, depending on how the bytes arrive in
/// chunks: inside a field it is that field's refusal too, so the answer does not vary.
async fn read_field(mut field: Field<'_>, name: &str, max: usize) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        let what = if name == "photo" { format!("the photo is over {} MB", max / (1024 * 1024)) } else { format!("at most {max} bytes") };
        ApiError { status: StatusCode::PAYLOAD_TOO_LARGE, ..ApiError::bad_field(name, what) }
    };
    let mut bytes = Vec::new();
    loop {
        let chunk = match field.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(bytes),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(multipart_error(e)),
        };
        if bytes.len() + chunk.len() > max {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    pub closed_since: Option<i64>,
}

async fn queue(State(s): App, op: Operator, q: Result<Query<QueueQuery>, QueryRejection>) -> Answer<Vec<QueuedTip>> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    s.tips_queue(&op.session, q.closed_since).await.map(Json)
}

/// The tip `{id}` of the path; anything but a number is refused 400 naming `id`.
fn tip_id(id: Result<Path<i64>, axum::extract::rejection::PathRejection>) -> Result<i64, ApiError> {
    id.map(|Path(id)| id).map_err(|e| ApiError::bad_field("id", e.body_text()))
}

type TipPath = Result<Path<i64>, axum::extract::rejection::PathRejection>;

async fn photo(State(s): App, op: Operator, id: TipPath) -> Result<Response, ApiError> {
    let jpeg = s.tip_photo(&op.session, tip_id(id)?).await?;
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "private, max-age=86400"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
    ];
    Ok((headers, jpeg).into_response())
}

async fn to_incident(State(s): App, op: Operator, id: TipPath, JsonBody(b): JsonBody<TipIncidentBody>) -> Answer<TipStep> {
    s.tip_to_incident(&op.session, &op.seat, tip_id(id)?, b).await.map(Json)
}

async fn pass_on(State(s): App, op: Operator, id: TipPath, JsonBody(b): JsonBody<TipPassOnBody>) -> Answer<TipStep> {
    s.tip_pass_on(&op.session, &op.seat, tip_id(id)?, b).await.map(Json)
}

async fn close(State(s): App, op: Operator, id: TipPath, JsonBody(b): JsonBody<TipCloseBody>) -> Answer<TipStep> {
    s.tip_close(&op.session, &op.seat, tip_id(id)?, b).await.map(Json)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiQuery {
    pub from: i64,
    pub to: i64,
}

async fn kpis(State(s): App, op: Operator, q: Result<Query<KpiQuery>, QueryRejection>) -> Answer<TipKpis> {
    let Query(q) = q.map_err(|e| ApiError::bad_field("query", e.body_text()))?;
    s.tip_kpis(&op.session, q.from, q.to).await.map(Json)
}

/// The routes above, described for `openapi.rs`.
pub fn paths() -> Value {
    let error =
        |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |d: &str| json!({ "description": d });
    let id = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }]);
    let session = |summary: &str, params: Value, answer: &str, refusals: Value| {
        let mut responses =
            json!({ "200": ok(answer), "401": error("no session (kind not_signed_in)"), "503": error("PostgreSQL is unreachable; retry") });
        if let (Some(r), Value::Object(more)) = (responses.as_object_mut(), refusals) {
            r.extend(more);
        }
        json!({ "summary": summary, "security": [{ "session": [] }], "parameters": params, "responses": responses })
    };
    let step = |summary: &str, body: &str| {
        let mut op = session(
            summary,
            id.clone(),
            "TipStep {tips, seq, incident_id?}",
            json!({
            "400": error("a field missing or too long, or the tip is closed already (field names it)"),
            "403": error("the role may not dispatch, or the tip is outside the seat's area"),
            "404": error("no such tip") }),
        );
        op["requestBody"] =
            json!({ "required": true, "content": { "application/json": { "schema": { "type": "object", "description": body } } } });
        op
    };
    json!({
        "/tips": { "get": { "summary": "The public tips page (zh-CN); ?island=<id> preselects the island", "responses": { "200": ok("HTML") } } },
        "/tips/": { "get": { "summary": "The public tips page", "responses": { "200": ok("HTML") } } },
        "/tips/{file}": { "get": { "summary": "The page's script, style and offline worker", "responses": { "200": ok("the file"), "404": error("no such file") } } },
        "/api/tips/places": { "get": { "summary": "Islands, their places and the categories, for the page (no session)", "responses": { "200": ok("{islands, categories, max_text, max_phone}") } } },
        "/api/tips": { "post": {
            "summary": "A citizen's tip (no session): multipart/form-data with category, photo?, photo_position?, lon and lat or island and place, text, phone?; header x-tip-device: the page's id",
            "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
                "category": { "type": "string", "enum": ["hazard", "traffic_jam", "accident", "public_order", "other"] },
                "photo": { "type": "string", "format": "binary", "description": "JPEG, PNG or WebP, at most 10 MB, at most 10000 px a side; re-encoded" },
                "photo_position": { "type": "string", "description": "1: the position may be read from the photo" },
                "lon": { "type": "number" }, "lat": { "type": "number" }, "island": { "type": "string" }, "place": { "type": "string" },
                "text": { "type": "string", "maxLength": super::MAX_TIP_TEXT }, "phone": { "type": "string", "maxLength": super::MAX_PHONE } } } } } },
            "responses": {
                "201": ok("Receipt {receipt, state, grouped, position_from}"),
                "400": error("a field missing, unknown, too long or not what it should be; a photo that is not a readable JPEG/PNG/WebP or too large when opened (field names it)"),
                "408": error("the upload did not finish in time (field photo)"),
                "413": error("the upload is over the limit"),
                "429": error("too many tips from this phone or this network (kind sign_in_locked, minutes)"),
                "503": error("PostgreSQL is unreachable; retry") } } },
        "/api/tips/status/{receipt}": { "get": { "summary": "Where a tip stands, by its receipt code (no session)",
            "parameters": [{ "name": "receipt", "in": "path", "required": true, "schema": { "type": "string" } }],
            "responses": { "200": ok("PublicStatus {receipt, category, state: received|handling|closed, received_utc, handled_utc, closed_utc, reply, text}"), "404": error("no tip has this receipt code") } } },
        "/api/tips/queue": { "get": session("The dispatchers' queue: open tips grouped (and those closed since closed_since)",
            json!([{ "name": "closed_since", "in": "query", "required": false, "schema": { "type": "integer" } }]), "[QueuedTip]", json!({})) },
        "/api/tips/kpis": { "get": session("Tips received and closed, median time to close, by island and category (report role)",
            json!([{ "name": "from", "in": "query", "required": true, "schema": { "type": "integer" } }, { "name": "to", "in": "query", "required": true, "schema": { "type": "integer" } }]),
            "TipKpis", json!({ "403": error("the role may not see reports") })) },
        "/api/tips/cleanup": { "post": session("Forget now what closed tips past retention carried about their senders: phone, photo, device id, network address (administrators)",
            json!([]), "Forgotten {tips, photos}", json!({ "403": error("administrators only") })) },
        "/api/tips/{id}/photo": { "get": session("The tip's photo (the re-encoded JPEG)", id.clone(), "image/jpeg", json!({ "404": error("no such tip, or no photo") })) },
        "/api/tips/{id}/incident": { "post": step("Make the tip (and its group) an incident: {incident_type, priority?, lon?, lat?}", "{incident_type, priority?, lon?, lat?}") },
        "/api/tips/{id}/pass-on": { "post": step("Pass the tip on as a hazard: {to: traffic|station, note?}", "{to, note?}") },
        "/api/tips/{id}/close": { "post": step("Close the tip and its group with the public reply: {reply}", "{reply}") },
    })
}
