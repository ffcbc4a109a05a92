//! Field devices: a crew's phone (or a tracker) registered to a unit by an administrator,
//! with a secret of its own that the app sends with every position (`positions.rs`).
//!
//! The secret is 128 random bits from the operating system, shown once when the device is
//! registered (as 32 hex digits, to type into Traccar Client or OwnTracks); the table keeps
//! only its SHA-256, so a copy of it reports for nobody. Registration and revocation are
//! journaled (`device_registered`, `device_revoked`, under the administrator's name); the
//! secret never is. A revoked device stays in the table (its positions keep their device).
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET /api/devices` | administrator | every device, newest first |
//! | `POST /api/devices` | administrator | `{unit, name?}` → 201 `{device, secret}` (the secret shown once) |
//! | `POST /api/devices/{id}/revoke` | administrator | → the device, revoked |

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use tidewatch_core::Error;
use tidewatch_journal::EventBody;
use tidewatch_workstation::accounts::{Action, Role, Session};

use crate::body::JsonBody;
use crate::error::ApiError;
pub use crate::operator::Operator;
use crate::Service;

/// The longest device name (a label for the administrator: "traffic 01, Xiaomi").
pub const MAX_NAME: usize = 64;

pub(crate) const SCHEMA: [&str; 1] = ["CREATE TABLE IF NOT EXISTS service_devices (
        id          BIGSERIAL PRIMARY KEY,
        unit        TEXT   NOT NULL,
        name        TEXT   NOT NULL,
        secret_hash BYTEA  NOT NULL UNIQUE CHECK (octet_length(secret_hash) = 32),
        created_utc BIGINT NOT NULL,
        created_by  TEXT   NOT NULL,
        revoked_utc BIGINT,
        revoked_by  TEXT)"];

/// A registered device as an administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub id: i64,
    pub unit: String,
    pub name: String,
    pub created_utc: i64,
    pub created_by: String,
    pub revoked_utc: Option<i64>,
    pub revoked_by: Option<String>,
    /// The time of its latest stored position, if any.
    pub last_fix_utc: Option<i64>,
}

/// A device just registered, and its secret (shown this once).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registered {
    pub device: Device,
    pub secret: String,
}

/// What a device sending a position is, found by its secret.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reporter {
    pub id: i64,
    pub unit: String,
    pub revoked: bool,
}

/// A new device as an administrator asks for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceBody {
    pub unit: String,
    #[serde(default)]
    pub name: String,
}

/// A new secret (hex, for the phone) and its hash (for the table).
fn new_secret() -> Result<(String, [u8; 32]), Error> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| Error::Storage(format!("the system's random source failed: {e}")))?;
    let secret = tidewatch_journal::hex(&raw);
    let hash = secret_hash(&secret);
    Ok((secret, hash))
}

fn secret_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether `secret` could be one of ours (32 lower-case hex digits): anything else is
/// refused before the database sees it.
pub(crate) fn well_formed(secret: &str) -> bool {
    secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

const DEVICE_COLUMNS: &str = "id, unit, name, created_utc, created_by, revoked_utc, revoked_by,
    (SELECT max(fix_utc) FROM service_positions p WHERE p.device_id = d.id) AS last_fix_utc";

fn read(row: &PgRow) -> Result<Device, sqlx::Error> {
    Ok(Device {
        id: row.try_get(0)?,
        unit: row.try_get(1)?,
        name: row.try_get(2)?,
        created_utc: row.try_get(3)?,
        created_by: row.try_get(4)?,
        revoked_utc: row.try_get(5)?,
        revoked_by: row.try_get(6)?,
        last_fix_utc: row.try_get(7)?,
    })
}

/// The device whose secret this is (revoked or not); None for no device.
pub(crate) async fn reporter(db: &PgPool, secret: &str) -> Result<Option<Reporter>, sqlx::Error> {
    if !well_formed(secret) {
        return Ok(None);
    }
    let row = sqlx::query("SELECT id, unit, revoked_utc IS NOT NULL FROM service_devices WHERE secret_hash = $1")
        .bind(&secret_hash(secret)[..])
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(Reporter { id: r.try_get(0)?, unit: r.try_get(1)?, revoked: r.try_get(2)? })).transpose()
}

pub async fn list(db: &PgPool) -> Result<Vec<Device>, sqlx::Error> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM service_devices d ORDER BY id DESC");
    sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?.iter().map(read).collect()
}

async fn one(db: &PgPool, id: i64) -> Result<Option<Device>, sqlx::Error> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM service_devices d WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db).await?.as_ref().map(read).transpose()
}

impl Service {
    /// Registers a device to a unit of the region; journaled `device_registered`. Needs an
    /// administrator. The answer holds the secret, which is not kept.
    pub async fn add_device(&self, operator: &Session, ask: DeviceBody) -> Result<Registered, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        crate::body::at_most("unit", &ask.unit, crate::MAX_ID)?;
        crate::body::at_most("name", &ask.name, MAX_NAME)?;
        crate::body::printable("name", &ask.name)?;
        if !self.field.knows_unit(&ask.unit) {
            return Err(Error::Unknown { what: "unit", id: ask.unit.chars().take(crate::MAX_ID).collect() }.into());
        }
        let (secret, hash) = new_secret()?;
        let (now, by) = (self.clock.now(), operator.username.clone());
        // The row and the event commit together or not at all: the row's transaction
        // commits only after the event is journaled.
        let mut tx = self.db.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO service_devices (unit, name, secret_hash, created_utc, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&ask.unit)
        .bind(&ask.name)
        .bind(&hash[..])
        .bind(now)
        .bind(&by)
        .fetch_one(&mut *tx)
        .await?;
        let body = EventBody::DeviceRegistered { device: id, unit: ask.unit.clone(), name: ask.name.clone() };
        self.journals.acting(operator, move |w| w.journal_device(body, now)).await?;
        tx.commit().await?;
        let device = one(&self.db, id).await?.ok_or_else(|| ApiError::unavailable("the new device is not in the table"))?;
        Ok(Registered { device, secret })
    }

    /// Every device. Needs an administrator.
    pub async fn devices(&self, operator: &Session) -> Result<Vec<Device>, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        Ok(list(&self.db).await?)
    }

    /// Revokes device `id`: its reports are refused from now on; journaled
    /// `device_revoked`. Revoking a revoked device changes nothing. Needs an administrator.
    pub async fn revoke_device(&self, operator: &Session, id: i64) -> Result<Device, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        let (now, by) = (self.clock.now(), operator.username.clone());
        let mut tx = self.db.begin().await?;
        let unit: Option<String> = sqlx::query_scalar(
            "UPDATE service_devices SET revoked_utc = $2, revoked_by = $3 WHERE id = $1 AND revoked_utc IS NULL RETURNING unit",
        )
        .bind(id)
        .bind(now)
        .bind(&by)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(unit) = unit {
            let body = EventBody::DeviceRevoked { device: id, unit };
            self.journals.acting(operator, move |w| w.journal_device(body, now)).await?;
        }
        tx.commit().await?;
        one(&self.db, id).await?.ok_or_else(|| Error::Unknown { what: "device", id: id.to_string() }.into())
    }
}

/// What `tidewatch device …` asks.
#[derive(Debug, Clone)]
pub enum Command {
    Add(DeviceBody),
    List,
    Revoke(i64),
}

/// What it is told.
#[derive(Debug, Clone)]
pub enum Answer {
    Added(Registered),
    Listed(Vec<Device>),
    Revoked(Device),
}

/// `tidewatch device …`: the service's own calls (tables made if missing, the unit checked
/// against the region, journaled), without serving, as the administrator `operator`.
/// Blocking.
pub fn command_line(config: &crate::Config, operator: &str, command: Command) -> Result<Answer, ApiError> {
    let session = Session { username: operator.to_string(), role: Role::Administrator };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(Error::from)?;
    let service = rt.block_on(Service::connect(config))?;
    let answer = rt.block_on(async {
        match command {
            Command::Add(ask) => service.add_device(&session, ask).await.map(Answer::Added),
            Command::List => service.devices(&session).await.map(Answer::Listed),
            Command::Revoke(id) => service.revoke_device(&session, id).await.map(Answer::Revoked),
        }
    });
    // The journal's handles close on this thread, not on the runtime's workers.
    drop(rt);
    drop(service);
    answer
}

pub fn routes() -> Router<Arc<Service>> {
    Router::new().route("/api/devices", get(devices).post(add)).route("/api/devices/{id}/revoke", post(revoke))
}

async fn devices(State(s): State<Arc<Service>>, op: Operator) -> Result<Json<Vec<Device>>, ApiError> {
    s.devices(&op.session).await.map(Json)
}

async fn add(
    State(s): State<Arc<Service>>,
    op: Operator,
    JsonBody(b): JsonBody<DeviceBody>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    s.add_device(&op.session, b).await.map(|r| (StatusCode::CREATED, Json(r)))
}

async fn revoke(
    State(s): State<Arc<Service>>,
    op: Operator,
    id: Result<axum::extract::Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Json<Device>, ApiError> {
    let axum::extract::Path(id) = id.map_err(|e| ApiError::bad_field("id", e.body_text()))?;
    s.revoke_device(&op.session, id).await.map(Json)
}

/// The routes above, described for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    let admin = |summary: &str, ok: &str| {
        serde_json::json!({ "summary": summary, "security": [{ "session": [] }], "responses": {
            "200": { "description": ok }, "401": { "description": "no session" },
            "403": { "description": "not an administrator (kind forbidden)" }, "503": { "description": "PostgreSQL is unreachable" } } })
    };
    let mut add = admin("Register a device to a unit: {unit, name?}", "unused");
    add["responses"]["201"] = serde_json::json!({ "description": "{device, secret}: the secret is shown this once" });
    add["responses"]["404"] = serde_json::json!({ "description": "no such unit in the region (kind unknown)" });
    add["responses"].as_object_mut().map(|r| r.remove("200"));
    serde_json::json!({
        "/api/devices": { "get": admin("Every field device, newest first", "[Device]"), "post": add },
        "/api/devices/{id}/revoke": { "post": admin("Revoke a device: its reports are refused from now on", "the device, revoked") },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_hex_and_stored_hashed() {
        let (a, ha) = new_secret().unwrap();
        let (b, _) = new_secret().unwrap();
        assert_ne!(a, b);
        assert!(well_formed(&a) && well_formed(&b));
        assert_eq!(ha, secret_hash(&a));
    }

    #[test]
    fn malformed_secrets_are_refused_before_the_database() {
        for bad in ["", "abc", &"A".repeat(32), &"g".repeat(32), &"a".repeat(33), "' OR 1=1 --"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
