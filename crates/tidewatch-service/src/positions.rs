//! Positions from crews' phones: the OsmAnd protocol (Traccar Client) and OwnTracks HTTP,
//! each fix judged by `tidewatch_core::field` and stored apart from the hash chain (high
//! volume, kept [`Settings::retention_s`]), every refusal and flag counted.
//!
//! A device proves itself with its secret (`devices.rs`): Traccar Client sends it as its
//! device identifier (`id`), OwnTracks as the password of HTTP Basic authentication (the
//! user name is not checked; the unit's id is a good one to type). An unknown secret is
//! answered 401 and a revoked device 403, both counted, nothing stored. A known device's
//! fix that the checks refuse is counted and answered 200 all the same, with the reason in
//! the body: the apps re-send a position until it is accepted, and a fix that can never be
//! accepted must not hold up the phone's queue behind it.
//!
//! | route | session | what |
//! |---|---|---|
//! | `GET or POST /api/positions/osmand` | device secret (`id`) | query or form parameters, or Traccar Client's JSON → `{accepted, refused, flagged}` |
//! | `POST /api/positions/owntracks` | device secret (Basic) | an OwnTracks message → `[]` |
//! | `GET /api/positions/latest` | yes | each unit's fresh usable position |
//! | `GET /api/positions/map` | yes | each unit's latest position within the hour, stale ones marked (the desk's map) |
//! | `GET /api/positions/track?unit=&from=&to=` | report role | a unit's fixes in the period with its incidents (`track.rs`) |
//! | `GET /api/positions/stats` | administrator | counts of accepted, refused (by reason) and flagged (by flag) |
//! | `POST /api/positions/cleanup` | administrator | deletes positions past retention now → `{deleted}` |

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Row};
use tidewatch_core::field::report::Unreadable;
use tidewatch_core::field::{self, Fix, Geometry, Parsed, Previous, Refusal, Rules, Verdict};
use tidewatch_core::region::{Region, UnitKind};
use tidewatch_workstation::accounts::{Action, Session};

use crate::devices::{self, Operator, Reporter};
use crate::error::ApiError;
use crate::Service;

/// How positions are judged, kept and thought fresh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub rules: Rules,
    /// Positions older than this are deleted (seconds).
    pub retention_s: i64,
    /// A position is a unit's fresh one for this long after its fix, by source (seconds).
    pub fresh_osmand_s: i64,
    pub fresh_owntracks_s: i64,
    /// How often each process deletes what is past retention (seconds).
    pub cleanup_every_s: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { rules: Rules::default(), retention_s: 30 * 86_400, fresh_osmand_s: 120, fresh_owntracks_s: 120, cleanup_every_s: 600 }
    }
}

impl Settings {
    /// How long a fix from `source` stays fresh.
    pub fn fresh_s(&self, source: Source) -> i64 {
        match source {
            Source::Osmand => self.fresh_osmand_s,
            Source::Owntracks => self.fresh_owntracks_s,
        }
    }
}

/// Which app protocol a position came by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Osmand,
    Owntracks,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Osmand => "osmand",
            Source::Owntracks => "owntracks",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        [Source::Osmand, Source::Owntracks].into_iter().find(|x| x.name() == s)
    }
}

/// The region as positions need it: built at start, and again whenever the region edits
/// change it ([`Field::install`]; a moved pier moves its ferry crossing).
pub(crate) struct Field {
    ground: RwLock<Arc<Ground>>,
    pub settings: Settings,
}

/// What of the region a fix is judged against.
struct Ground {
    geometry: Geometry,
    kinds: HashMap<String, UnitKind>,
}

impl Ground {
    fn of(region: &Region) -> Ground {
        Ground { geometry: Geometry::of(region), kinds: region.units.iter().map(|u| (u.id.0.clone(), u.kind)).collect() }
    }
}

impl Field {
    pub fn new(region: &Region, settings: Settings) -> Field {
        Field { ground: RwLock::new(Arc::new(Ground::of(region))), settings }
    }

    /// Judges fixes against `region` from now on (the region edits changed it).
    pub fn install(&self, region: &Region) {
        let ground = Arc::new(Ground::of(region));
        *self.ground.write().unwrap_or_else(|p| p.into_inner()) = ground;
    }

    fn ground(&self) -> Arc<Ground> {
        Arc::clone(&self.ground.read().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn knows_unit(&self, unit: &str) -> bool {
        self.ground().kinds.contains_key(unit)
    }

    /// The checks on `fix` from a unit of `kind`, on the region as now installed.
    fn judge(&self, kind: UnitKind, fix: &Fix, previous: Option<&Previous>, now: i64) -> Verdict {
        field::judge(&self.ground().geometry, &self.settings.rules, kind, fix, previous, now)
    }
}

const SCHEMA: [&str; 4] = [
    // Keyed by device and fix time: a re-sent fix is a conflict, not a second row.
    "CREATE TABLE IF NOT EXISTS service_positions (
        device_id    BIGINT  NOT NULL REFERENCES service_devices(id),
        unit         TEXT    NOT NULL,
        source       TEXT    NOT NULL,
        fix_utc      BIGINT  NOT NULL,
        received_utc BIGINT  NOT NULL,
        lon          DOUBLE PRECISION NOT NULL,
        lat          DOUBLE PRECISION NOT NULL,
        accuracy_m   DOUBLE PRECISION,
        speed_kmh    DOUBLE PRECISION,
        bearing_deg  DOUBLE PRECISION,
        altitude_m   DOUBLE PRECISION,
        battery_pct  DOUBLE PRECISION,
        island       TEXT,
        afloat       BOOLEAN NOT NULL,
        crossing     TEXT,
        flags        TEXT    NOT NULL,
        usable       BOOLEAN NOT NULL,
        PRIMARY KEY (device_id, fix_utc))",
    // The fresh positions and the retention both look by fix time.
    "CREATE INDEX IF NOT EXISTS service_positions_fix ON service_positions (fix_utc)",
    // A unit's track (the supervisor's replay).
    "CREATE INDEX IF NOT EXISTS service_positions_unit ON service_positions (unit, fix_utc)",
    "CREATE TABLE IF NOT EXISTS service_position_counts (key TEXT PRIMARY KEY, count BIGINT NOT NULL)",
];

/// The devices' and positions' tables, made if missing (one process at a time).
pub(crate) async fn migrate(db: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.positions', 0))").execute(&mut *tx).await?;
    for sql in devices::SCHEMA.iter().chain(SCHEMA.iter()) {
        sqlx::query(sqlx::AssertSqlSafe(*sql)).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// What the service made of a device's request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    pub accepted: u32,
    /// The reason of each fix not stored.
    pub refused: Vec<String>,
    /// The flags of the fixes stored with doubts.
    pub flagged: Vec<String>,
}

/// A unit's fresh position, for the ETA and the desk's map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitPosition {
    pub unit: String,
    pub device: i64,
    pub source: Source,
    pub fix_utc: i64,
    /// Seconds between the fix and now (0 for a fix from a clock a little ahead).
    pub age_s: i64,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
    pub island: Option<String>,
    pub afloat: bool,
    pub crossing: Option<String>,
}

/// The counters, for administrators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub accepted: i64,
    pub refused: BTreeMap<String, i64>,
    pub flagged: BTreeMap<String, i64>,
    pub retention_s: i64,
}

async fn count(db: &PgPool, key: &str, n: i64) -> Result<(), sqlx::Error> {
    if n == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO service_position_counts (key, count) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET count = service_position_counts.count + excluded.count",
    )
    .bind(key)
    .bind(n)
    .execute(db)
    .await
    .map(drop)
}

async fn count_refusal(db: &PgPool, reason: Refusal) -> Result<(), sqlx::Error> {
    count(db, &format!("refused:{}", reason.name()), 1).await
}

/// The device's latest usable fix at or before `t`: what a new fix is judged against.
async fn previous(db: &PgPool, device: i64, t: i64) -> Result<Option<Previous>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT fix_utc, lon, lat, accuracy_m FROM service_positions
         WHERE device_id = $1 AND fix_utc <= $2 AND usable ORDER BY fix_utc DESC LIMIT 1",
    )
    .bind(device)
    .bind(t)
    .fetch_optional(db)
    .await?;
    row.map(|r| Ok(Previous { fix_utc: r.try_get(0)?, lon: r.try_get(1)?, lat: r.try_get(2)?, accuracy_m: r.try_get(3)? })).transpose()
}

/// Stores an accepted fix; false when the device already has one at that time.
async fn insert(db: &PgPool, who: &Reporter, source: Source, fix: &Fix, a: &field::Accepted, now: i64) -> Result<bool, sqlx::Error> {
    let flags: Vec<&str> = a.flags.iter().map(|f| f.name()).collect();
    let done = sqlx::query(
        "INSERT INTO service_positions (device_id, unit, source, fix_utc, received_utc, lon, lat, accuracy_m, speed_kmh,
            bearing_deg, altitude_m, battery_pct, island, afloat, crossing, flags, usable)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (device_id, fix_utc) DO NOTHING",
    )
    .bind(who.id)
    .bind(&who.unit)
    .bind(source.name())
    .bind(a.fix_utc)
    .bind(now)
    .bind(fix.lon)
    .bind(fix.lat)
    .bind(fix.accuracy_m)
    .bind(fix.speed_kmh)
    .bind(fix.bearing_deg)
    .bind(fix.altitude_m)
    .bind(fix.battery_pct)
    .bind(a.island.as_ref().map(|i| i.0.as_str()))
    .bind(a.afloat)
    .bind(a.crossing.as_deref())
    .bind(flags.join(","))
    .bind(a.usable_for_eta())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Each unit's latest usable position that is still fresh at `now` for its source
/// (`max_age_s`). The latest is taken across a unit's devices, then judged by its own
/// source's limit.
pub async fn latest_positions(db: &PgPool, now: i64, max_age_s: impl Fn(Source) -> i64) -> Result<Vec<UnitPosition>, sqlx::Error> {
    let oldest = now - max_age_s(Source::Osmand).max(max_age_s(Source::Owntracks));
    let rows = sqlx::query(
        "SELECT DISTINCT ON (unit) unit, device_id, source, fix_utc, lon, lat, accuracy_m, island, afloat, crossing
         FROM service_positions WHERE usable AND fix_utc >= $1 ORDER BY unit, fix_utc DESC",
    )
    .bind(oldest)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let source: String = r.try_get(2)?;
        let Some(source) = Source::parse(&source) else { continue };
        let fix_utc: i64 = r.try_get(3)?;
        if fix_utc < now - max_age_s(source) {
            continue;
        }
        out.push(UnitPosition {
            unit: r.try_get(0)?,
            device: r.try_get(1)?,
            source,
            fix_utc,
            age_s: (now - fix_utc).max(0),
            lon: r.try_get(4)?,
            lat: r.try_get(5)?,
            accuracy_m: r.try_get(6)?,
            island: r.try_get(7)?,
            afloat: r.try_get(8)?,
            crossing: r.try_get(9)?,
        });
    }
    Ok(out)
}

/// Deletes the positions whose fix is before `before`, a batch at a time (no long lock on
/// a busy table); how many went.
pub async fn cleanup(db: &PgPool, before: i64) -> Result<u64, sqlx::Error> {
    const BATCH: i64 = 10_000;
    let mut deleted = 0;
    loop {
        let done =
            sqlx::query("DELETE FROM service_positions WHERE ctid IN (SELECT ctid FROM service_positions WHERE fix_utc < $1 LIMIT $2)")
                .bind(before)
                .bind(BATCH)
                .execute(db)
                .await?;
        deleted += done.rows_affected();
        if done.rows_affected() < BATCH as u64 {
            return Ok(deleted);
        }
    }
}

/// Deletes what is past retention every [`Settings::cleanup_every_s`], while the service
/// lives.
pub(crate) async fn keep_clean(service: Weak<Service>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let Some(service) = service.upgrade() else { return };
        let before = service.clock.now() - service.field.settings.retention_s;
        if let Err(e) = cleanup(&service.db, before).await {
            eprintln!("tidewatch serve: deleting old positions: {e}");
        }
    }
}

impl Service {
    /// Judges and stores what a device sent. `secret` is what the request carried to prove
    /// the device (None: nothing).
    pub async fn ingest(&self, source: Source, secret: Option<&str>, parsed: Result<Parsed, Unreadable>) -> Result<Ingested, ApiError> {
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => {
                count_refusal(&self.db, e.reason).await?;
                return Err(ApiError::bad_field("position", e.why));
            }
        };
        let secret = secret.or(parsed.device.as_deref());
        let who = match secret {
            Some(secret) => devices::reporter(&self.db, secret).await?,
            None => None,
        };
        let ground = self.field.ground();
        let Some((who, kind)) = who.and_then(|w| ground.kinds.get(&w.unit).copied().map(|k| (w, k))) else {
            count_refusal(&self.db, Refusal::UnknownDevice).await?;
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "unknown_device", "no registered device has this secret"));
        };
        if who.revoked {
            count_refusal(&self.db, Refusal::RevokedDevice).await?;
            return Err(ApiError::new(StatusCode::FORBIDDEN, "revoked_device", "this device was revoked; ask an administrator"));
        }
        let mut out = Ingested::default();
        for fix in &parsed.fixes {
            self.store(&who, kind, source, fix, &mut out).await?;
        }
        count(&self.db, "accepted", i64::from(out.accepted)).await?;
        if out.accepted > 0 {
            // Every process's desks hear of it (live.rs), so their maps re-read the fixes.
            sqlx::query("SELECT pg_notify($1, $2)").bind(crate::live::FIXES_CHANNEL).bind(&who.unit).execute(&self.db).await?;
        }
        Ok(out)
    }

    async fn store(&self, who: &Reporter, kind: UnitKind, source: Source, fix: &Fix, out: &mut Ingested) -> Result<(), ApiError> {
        let now = self.clock.now();
        let previous = previous(&self.db, who.id, fix.fix_utc.unwrap_or(now)).await?;
        let refusal = match self.field.judge(kind, fix, previous.as_ref(), now) {
            Verdict::Refused(r) => r,
            Verdict::Accepted(a) if insert(&self.db, who, source, fix, &a, now).await? => {
                out.accepted += 1;
                for flag in &a.flags {
                    count(&self.db, &format!("flagged:{}", flag.name()), 1).await?;
                    out.flagged.push(flag.name().to_string());
                }
                return Ok(());
            }
            Verdict::Accepted(_) => Refusal::Duplicate,
        };
        count_refusal(&self.db, refusal).await?;
        out.refused.push(refusal.name().to_string());
        Ok(())
    }

    /// Each unit's fresh position, by the service's own freshness limits.
    pub async fn fresh_positions(&self, _operator: &Session) -> Result<Vec<UnitPosition>, ApiError> {
        let settings = self.field.settings;
        Ok(latest_positions(&self.db, self.clock.now(), |s| settings.fresh_s(s)).await?)
    }

    /// The counters. Needs an administrator.
    pub async fn position_stats(&self, operator: &Session) -> Result<Stats, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        let rows = sqlx::query("SELECT key, count FROM service_position_counts").fetch_all(&self.db).await?;
        let mut stats = Stats { retention_s: self.field.settings.retention_s, ..Stats::default() };
        for r in rows {
            let (key, n): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
            match key.split_once(':') {
                Some(("refused", reason)) => drop(stats.refused.insert(reason.to_string(), n)),
                Some(("flagged", flag)) => drop(stats.flagged.insert(flag.to_string(), n)),
                _ if key == "accepted" => stats.accepted = n,
                _ => {}
            }
        }
        Ok(stats)
    }

    /// Deletes what is past retention now. Needs an administrator.
    pub async fn clean_positions(&self, operator: &Session) -> Result<u64, ApiError> {
        operator.authorize(Action::ManageAccounts)?;
        Ok(cleanup(&self.db, self.clock.now() - self.field.settings.retention_s).await?)
    }
}

pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/positions/osmand", get(osmand).post(osmand))
        .route("/api/positions/owntracks", post(owntracks))
        .route("/api/positions/latest", get(latest))
        .route("/api/positions/map", get(map))
        .route("/api/positions/track", get(crate::track::track))
        .route("/api/positions/stats", get(stats))
        .route("/api/positions/cleanup", post(clean))
}

type App = State<Arc<Service>>;

/// The body, or a 413/400 (as `body.rs` answers for JSON bodies).
fn bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", e.body_text())
        } else {
            ApiError::bad_field("body", e.body_text())
        }
    })
}

/// Decoded `key=value` pairs of a query string or a form.
fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw).take(64).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Traccar Client's request: parameters in the query (GET, or a POST with an empty body),
/// a form body, or its JSON body (with the identifier in the body or the query).
fn read_osmand(query: Option<&str>, body: &[u8]) -> Result<Parsed, Unreadable> {
    let mut params = pairs(query.unwrap_or("").as_bytes());
    let body = body.trim_ascii();
    if body.first() == Some(&b'{') {
        let mut parsed = field::osmand_json(body)?;
        if parsed.device.is_none() {
            parsed.device = params.iter().find(|(k, _)| k == "id" || k == "deviceid").map(|(_, v)| v.clone());
        }
        return Ok(parsed);
    }
    params.extend(pairs(body));
    field::osmand_params(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

async fn osmand(State(s): App, RawQuery(query): RawQuery, body: Result<Bytes, BytesRejection>) -> Result<Json<Ingested>, ApiError> {
    let body = bytes(body)?;
    s.ingest(Source::Osmand, None, read_osmand(query.as_deref(), &body)).await.map(Json)
}

/// The password of `Authorization: Basic …`.
fn basic_password(headers: &HeaderMap) -> Option<String> {
    use base64::Engine;
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(_, password)| password.to_string())
}

/// OwnTracks expects a JSON array back (messages for the phone: none).
async fn owntracks(State(s): App, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Json<Vec<()>>, ApiError> {
    let body = bytes(body)?;
    let password = basic_password(&headers);
    let parsed = field::owntracks(&body);
    s.ingest(Source::Owntracks, Some(password.as_deref().unwrap_or("")), parsed).await.map(|_| Json(Vec::new()))
}

async fn latest(State(s): App, op: Operator) -> Result<Json<Vec<UnitPosition>>, ApiError> {
    s.fresh_positions(&op.session).await.map(Json)
}

async fn map(State(s): App, op: Operator) -> Result<Json<Vec<tidewatch_workstation::MapFix>>, ApiError> {
    s.map_fixes(&op.session).await.map(Json)
}

async fn stats(State(s): App, op: Operator) -> Result<Json<Stats>, ApiError> {
    s.position_stats(&op.session).await.map(Json)
}

async fn clean(State(s): App, op: Operator) -> Result<Json<serde_json::Value>, ApiError> {
    s.clean_positions(&op.session).await.map(|deleted| Json(serde_json::json!({ "deleted": deleted })))
}

/// The routes above, described for `openapi.rs`.
pub fn paths() -> serde_json::Value {
    let device = |summary: &str| {
        serde_json::json!({ "summary": summary, "responses": {
            "200": { "description": "read; each fix stored or refused (the reasons in the body)" },
            "400": { "description": "not a position (kind invalid_input; counted as malformed)" },
            "401": { "description": "no registered device has this secret (kind unknown_device)" },
            "403": { "description": "the device was revoked (kind revoked_device)" },
            "413": { "description": "body over 16 KiB" } } })
    };
    let session = |summary: &str| {
        serde_json::json!({ "summary": summary, "security": [{ "session": [] }], "responses": {
            "200": { "description": "ok" }, "401": { "description": "no session" },
            "403": { "description": "not allowed (kind forbidden)" }, "503": { "description": "PostgreSQL is unreachable" } } })
    };
    let osmand = "OsmAnd protocol (Traccar Client): id=<device secret>, lat, lon, timestamp, speed (knots), bearing, altitude, accuracy, batt; or its JSON body";
    serde_json::json!({
        "/api/positions/osmand": { "get": device(osmand), "post": device(osmand) },
        "/api/positions/owntracks": { "post": device("OwnTracks HTTP: a location message; HTTP Basic with the device secret as password → []") },
        "/api/positions/latest": { "get": session("Each unit's fresh usable position [{unit, device, source, fix_utc, age_s, lon, lat, island, afloat, crossing}]") },
        "/api/positions/map": { "get": session("Each unit's latest position within the hour, for the desk's map [{unit, lon, lat, fix_utc, age_s, source, stale, afloat}]") },
        "/api/positions/track": { "get": {
            "summary": "A unit's track for a period (at most 7 days; report role): {unit, from_utc, to_utc, points: [{fix_utc, lon, lat, speed_kmh, afloat, usable}], truncated, incidents: [{id, incident_type, priority, lon, lat, dispatched_utc, on_scene_utc, closed_utc, carried}]}",
            "security": [{ "session": [] }],
            "parameters": [
                { "name": "unit", "in": "query", "required": true, "schema": { "type": "string" } },
                { "name": "from", "in": "query", "required": true, "schema": { "type": "integer" } },
                { "name": "to", "in": "query", "required": true, "schema": { "type": "integer" } }],
            "responses": { "200": { "description": "ok" }, "400": { "description": "a bad period (kind invalid_input, field to)" },
                "401": { "description": "no session" }, "403": { "description": "not the report role (kind forbidden)" },
                "404": { "description": "no such unit (kind unknown)" } } } },
        "/api/positions/stats": { "get": session("Counts (administrators): {accepted, refused: {reason: n}, flagged: {flag: n}, retention_s}") },
        "/api/positions/cleanup": { "post": session("Delete positions past retention now (administrators) → {deleted}") },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tidewatch_core::field::Flag;

    /// Piers moved by region edits move their ferry crossing: a car at the old crossing's
    /// middle is no longer on that ferry once the edited region is installed.
    #[test]
    fn fixes_are_judged_on_the_region_last_installed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/regions/dinghai");
        let mut region = Region::load(&dir).unwrap();
        let field = Field::new(&region, Settings::default());
        let at = |r: &Region, id: &str| r.place(&id.into()).map(|p| (p.lon, p.lat)).unwrap();
        let (a, b) = (at(&region, "pier_dinghai"), at(&region, "pier_panzhi"));
        let now = 1_791_424_800;
        let fix = Fix {
            lon: (a.0 + b.0) / 2.0,
            lat: (a.1 + b.1) / 2.0,
            fix_utc: Some(now),
            accuracy_m: Some(5.0),
            speed_kmh: None,
            bearing_deg: None,
            altitude_m: None,
            battery_pct: None,
        };
        let crossing = |f: &Field| match f.judge(UnitKind::Station, &fix, None, now) {
            Verdict::Accepted(a) => a.crossing,
            Verdict::Refused(_) => None,
        };
        assert_eq!(crossing(&field).as_deref(), Some("ferry_dinghai_panzhi"), "a car mid-crossing is on the ferry");
        // Both piers moved (two edits) some 25 km north-east: the 2 km corridor around the
        // crossing no longer reaches the old middle.
        for (id, to) in [("pier_dinghai", (122.30, 30.20)), ("pier_panzhi", (122.32, 30.18))] {
            let pier = region.places.iter_mut().find(|p| p.id.0 == id).unwrap();
            (pier.lon, pier.lat) = to;
        }
        field.install(&region);
        assert_ne!(crossing(&field).as_deref(), Some("ferry_dinghai_panzhi"), "the crossing moved with its pier");
    }

    #[test]
    fn traccar_client_requests_are_read_from_query_form_or_json() {
        let q = read_osmand(Some("id=abc&lat=30.1&lon=122.1&timestamp=1791424800"), b"").unwrap();
        assert_eq!((q.device.as_deref(), q.fixes[0].lat), (Some("abc"), 30.1));
        let form = read_osmand(None, b"id=abc&lat=30.2&lon=122.1").unwrap();
        assert_eq!(form.fixes[0].lat, 30.2);
        let json = read_osmand(Some("id=fromquery"), br#"{"location":{"coords":{"latitude":30.3,"longitude":122.1}}}"#).unwrap();
        assert_eq!((json.device.as_deref(), json.fixes[0].lat), (Some("fromquery"), 30.3));
        let encoded = read_osmand(Some("id=a%20b&location=30.4%2C122.1"), b"").unwrap();
        assert_eq!((encoded.device.as_deref(), encoded.fixes[0].lat), (Some("a b"), 30.4));
    }

    #[test]
    fn basic_authentication_gives_the_password() {
        let mut h = HeaderMap::new();
        // "unit:0123" in base64.
        h.insert(axum::http::header::AUTHORIZATION, "Basic dW5pdDowMTIz".parse().unwrap());
        assert_eq!(basic_password(&h).as_deref(), Some("0123"));
        h.insert(axum::http::header::AUTHORIZATION, "Bearer dW5pdDowMTIz".parse().unwrap());
        assert_eq!(basic_password(&h), None);
        h.insert(axum::http::header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert_eq!(basic_password(&h), None);
    }

    #[test]
    fn counters_name_every_refusal_and_flag() {
        let keys: Vec<String> = Refusal::ALL
            .iter()
            .map(|r| format!("refused:{}", r.name()))
            .chain(Flag::ALL.iter().map(|f| format!("flagged:{}", f.name())))
            .collect();
        assert!(keys.iter().all(|k| k.len() < 40 && !k.contains(' ')));
        assert_eq!(Source::parse("osmand"), Some(Source::Osmand));
        assert_eq!(Source::parse(Source::Owntracks.name()), Some(Source::Owntracks));
    }
}
