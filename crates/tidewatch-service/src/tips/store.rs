//! The tips' own tables in PostgreSQL (kept beside the journal, not in its chain): the tips
//! with their state and the tipper's phone number, the re-encoded photos by SHA-256, and the
//! rate-limit counts. Every statement is static with bound parameters.

use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, Row, Transaction};

use crate::error::ApiError;

const SCHEMA: [&str; 7] = [
    "CREATE TABLE IF NOT EXISTS service_tips (
        id            BIGSERIAL PRIMARY KEY,
        seq           BIGINT UNIQUE,
        receipt       TEXT   NOT NULL UNIQUE,
        received_utc  BIGINT NOT NULL,
        category      TEXT   NOT NULL,
        island        TEXT,
        place         TEXT,
        lon           DOUBLE PRECISION,
        lat           DOUBLE PRECISION,
        position_from TEXT   NOT NULL,
        text          TEXT   NOT NULL,
        phone         TEXT,
        photo_sha256  TEXT,
        device        TEXT,
        address       TEXT   NOT NULL,
        group_id      BIGINT REFERENCES service_tips(id),
        state         TEXT   NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'handling', 'closed')),
        incident_id   BIGINT,
        passed_to     TEXT,
        handled_utc   BIGINT,
        handled_by    TEXT,
        closed_utc    BIGINT,
        closed_by     TEXT,
        reply         TEXT)",
    "CREATE INDEX IF NOT EXISTS service_tips_recent ON service_tips (category, received_utc)",
    "CREATE INDEX IF NOT EXISTS service_tips_state ON service_tips (state, received_utc)",
    "CREATE TABLE IF NOT EXISTS service_tip_photos (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        jpeg   BYTEA NOT NULL,
        width  INTEGER NOT NULL,
        height INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS service_tip_attempts (key TEXT NOT NULL, at_utc BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS service_tip_attempts_key ON service_tip_attempts (key, at_utc)",
    "CREATE INDEX IF NOT EXISTS service_tip_attempts_at ON service_tip_attempts (at_utc)",
];

/// The tips' tables, made if missing (one process at a time).
pub(crate) async fn migrate(db: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.tips', 0))").execute(&mut *tx).await?;
    for sql in SCHEMA {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// How fast tips may come (per device, per network address) and what is a duplicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub per_device: i64,
    pub per_address: i64,
    pub window_s: i64,
}

/// Counts one tip from `device` (if the page sent its id) and `address`, and refuses it
/// when either sent too many within the window. Counted before the photo is decoded (the
/// costly part), and before the refusal, so hammering on does not reset the window.
pub(crate) async fn count_attempt(db: &PgPool, device: Option<&str>, address: &str, now: i64, rates: &Rates) -> Result<(), ApiError> {
    let device_key = device.map(|d| format!("device:{d}"));
    let address_key = format!("address:{address}");
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM service_tip_attempts WHERE at_utc < $1").bind(now - rates.window_s).execute(&mut *tx).await?;
    for key in device_key.iter().chain([&address_key]) {
        sqlx::query("INSERT INTO service_tip_attempts (key, at_utc) VALUES ($1, $2)").bind(key).bind(now).execute(&mut *tx).await?;
    }
    let counts = sqlx::query(
        "SELECT COUNT(*) FILTER (WHERE key = $1), COUNT(*) FILTER (WHERE key = $2)
         FROM service_tip_attempts WHERE key IN ($1, $2) AND at_utc > $3",
    )
    .bind(device_key.as_deref().unwrap_or(""))
    .bind(&address_key)
    .bind(now - rates.window_s)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let (by_device, by_address): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
    let minutes = (rates.window_s + 59) / 60;
    if by_device > rates.per_device {
        return Err(ApiError::rate_limited(
            format!("too many tips from this phone: at most {} in {minutes} minutes; please wait", rates.per_device),
            rates.window_s,
        ));
    }
    if by_address > rates.per_address {
        return Err(ApiError::rate_limited(
            format!("too many tips from this network: at most {} in {minutes} minutes; please wait", rates.per_address),
            rates.window_s,
        ));
    }
    Ok(())
}

/// A tip about to be stored.
#[derive(Debug, Clone)]
pub(crate) struct NewTip {
    pub receipt: String,
    pub received_utc: i64,
    pub category: &'static str,
    pub island: Option<String>,
    pub place: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub position_from: &'static str,
    pub text: String,
    pub phone: Option<String>,
    pub photo_sha256: Option<String>,
    pub device: Option<String>,
    pub address: String,
}

/// What a duplicate is: the same category, and the same place within `radius_m` (or the
/// same gazetteer place, or the same island when neither has a position), within
/// `window_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grouping {
    pub radius_m: f64,
    pub window_s: i64,
}

/// Serialises tips being stored, so two duplicates arriving together are grouped too.
pub(crate) async fn lock_for_new_tip(tx: &mut Transaction<'_, Postgres>) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.tips.new', 0))").execute(&mut **tx).await.map(drop)
}

/// The group (its first tip's id and journal seq) a new tip belongs to, if it repeats an
/// open tip.
pub(crate) async fn group_of(tx: &mut Transaction<'_, Postgres>, tip: &NewTip, g: &Grouping) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let degrees = g.radius_m / 111_320.0;
    let row = sqlx::query(
        "SELECT COALESCE(t.group_id, t.id), lead.seq FROM service_tips t JOIN service_tips lead ON lead.id = COALESCE(t.group_id, t.id)
         WHERE t.category = $1 AND t.received_utc >= $2 AND lead.state <> 'closed' AND lead.seq IS NOT NULL AND (
             ($3::float8 IS NOT NULL AND t.lon IS NOT NULL
                AND power((t.lon - $3) * cos(radians($4)), 2) + power(t.lat - $4, 2) <= power($5::float8, 2))
          OR ($6::text IS NOT NULL AND t.place = $6)
          OR ($3::float8 IS NULL AND $6::text IS NULL AND t.lon IS NULL AND t.place IS NULL AND t.island = $7))
         ORDER BY t.received_utc, t.id LIMIT 1",
    )
    .bind(tip.category)
    .bind(tip.received_utc - g.window_s)
    .bind(tip.lon)
    .bind(tip.lat)
    .bind(degrees)
    .bind(tip.place.as_deref())
    .bind(tip.island.as_deref())
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

pub(crate) async fn insert(tx: &mut Transaction<'_, Postgres>, tip: &NewTip, group: Option<i64>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO service_tips (receipt, received_utc, category, island, place, lon, lat, position_from, text, phone,
             photo_sha256, device, address, group_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(&tip.receipt)
    .bind(tip.received_utc)
    .bind(tip.category)
    .bind(&tip.island)
    .bind(&tip.place)
    .bind(tip.lon)
    .bind(tip.lat)
    .bind(tip.position_from)
    .bind(&tip.text)
    .bind(&tip.phone)
    .bind(&tip.photo_sha256)
    .bind(&tip.device)
    .bind(&tip.address)
    .bind(group)
    .fetch_one(&mut **tx)
    .await
}

pub(crate) async fn set_seq(tx: &mut Transaction<'_, Postgres>, id: i64, seq: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE service_tips SET seq = $2 WHERE id = $1").bind(id).bind(seq).execute(&mut **tx).await.map(drop)
}

/// Keeps a photo (once per content).
pub(crate) async fn save_photo(tx: &mut Transaction<'_, Postgres>, photo: &super::photo::Photo) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO service_tip_photos (sha256, jpeg, width, height) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
        .bind(&photo.sha256)
        .bind(&photo.jpeg)
        .bind(photo.width as i32)
        .bind(photo.height as i32)
        .execute(&mut **tx)
        .await
        .map(drop)
}

pub(crate) async fn photo(db: &PgPool, sha256: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT jpeg FROM service_tip_photos WHERE sha256 = $1").bind(sha256).fetch_optional(db).await
}

/// Where a tip stands, for the tipper (by receipt code): nothing about who sent it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PublicStatus {
    pub receipt: String,
    pub category: String,
    /// `received`, `handling` (being handled) or `closed`.
    pub state: String,
    pub received_utc: i64,
    pub handled_utc: Option<i64>,
    pub closed_utc: Option<i64>,
    /// The short public reply the dispatcher closed it with.
    pub reply: Option<String>,
    /// The tipper's own text, shown back to them (as text).
    pub text: String,
}

pub(crate) async fn status(db: &PgPool, receipt: &str) -> Result<Option<PublicStatus>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT receipt, category, state, received_utc, handled_utc, closed_utc, reply, text FROM service_tips WHERE receipt = $1",
    )
    .bind(receipt)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        Ok(PublicStatus {
            receipt: r.try_get(0)?,
            category: r.try_get(1)?,
            state: r.try_get(2)?,
            received_utc: r.try_get(3)?,
            handled_utc: r.try_get(4)?,
            closed_utc: r.try_get(5)?,
            reply: r.try_get(6)?,
            text: r.try_get(7)?,
        })
    })
    .transpose()
}

/// A tip as a dispatcher sees it in the queue (the desk's type: one definition for both).
pub use tidewatch_workstation::tips::QueuedTip;

const QUEUED: &str = "SELECT t.id, t.seq, t.receipt, t.received_utc, t.category, t.island, t.place, t.lon, t.lat, t.position_from,
    t.text, t.phone, t.photo_sha256 IS NOT NULL, COALESCE(t.group_id, t.id),
    (SELECT COUNT(*) FROM service_tips m WHERE COALESCE(m.group_id, m.id) = COALESCE(t.group_id, t.id)),
    t.state, t.incident_id, t.passed_to, t.handled_by, t.handled_utc, t.closed_by, t.closed_utc, t.reply
    FROM service_tips t";

fn queued(r: &PgRow) -> Result<QueuedTip, sqlx::Error> {
    let id: i64 = r.try_get(0)?;
    let has_photo: bool = r.try_get(12)?;
    Ok(QueuedTip {
        id,
        seq: r.try_get(1)?,
        receipt: r.try_get(2)?,
        received_utc: r.try_get(3)?,
        category: r.try_get(4)?,
        island: r.try_get(5)?,
        place: r.try_get(6)?,
        lon: r.try_get(7)?,
        lat: r.try_get(8)?,
        position_from: r.try_get(9)?,
        text: r.try_get(10)?,
        phone: r.try_get(11)?,
        photo_url: has_photo.then(|| format!("/api/tips/{id}/photo")),
        group_id: r.try_get(13)?,
        group_size: r.try_get(14)?,
        state: r.try_get(15)?,
        incident_id: r.try_get(16)?,
        passed_to: r.try_get(17)?,
        handled_by: r.try_get(18)?,
        handled_utc: r.try_get(19)?,
        closed_by: r.try_get(20)?,
        closed_utc: r.try_get(21)?,
        reply: r.try_get(22)?,
    })
}

/// The queue: open tips (and, with `closed_since`, those closed since then), grouped
/// (each group's tips together, oldest group first).
pub(crate) async fn queue(db: &PgPool, closed_since: Option<i64>, limit: i64) -> Result<Vec<QueuedTip>, sqlx::Error> {
    let sql = format!(
        "{QUEUED} WHERE t.seq IS NOT NULL AND (t.state <> 'closed' OR t.closed_utc >= $1)
         ORDER BY COALESCE(t.group_id, t.id), t.id LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(closed_since.unwrap_or(i64::MAX)).bind(limit).fetch_all(db).await?;
    rows.iter().map(queued).collect()
}

pub(crate) async fn tip(db: &PgPool, id: i64) -> Result<Option<QueuedTip>, sqlx::Error> {
    let sql = format!("{QUEUED} WHERE t.id = $1 AND t.seq IS NOT NULL");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db).await?.as_ref().map(queued).transpose()
}

pub(crate) async fn photo_of(db: &PgPool, id: i64) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query_scalar::<_, Option<String>>("SELECT photo_sha256 FROM service_tips WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?
        .flatten())
}

/// The tips of `id`'s group (id and journal seq), locked for a step; the group's state.
pub(crate) async fn lock_group(tx: &mut Transaction<'_, Postgres>, id: i64) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, seq, state FROM service_tips
         WHERE seq IS NOT NULL AND COALESCE(group_id, id) = (SELECT COALESCE(group_id, id) FROM service_tips WHERE id = $1)
         ORDER BY id FOR UPDATE",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
}

/// The group is being handled: made incident `incident` or passed to `passed_to`.
pub(crate) async fn mark_handled(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    incident: Option<i64>,
    passed_to: Option<&str>,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE service_tips SET state = 'handling', incident_id = COALESCE($2, incident_id), passed_to = COALESCE($3, passed_to),
             handled_by = $4, handled_utc = $5 WHERE id = ANY($1) AND state <> 'closed'",
    )
    .bind(ids)
    .bind(incident)
    .bind(passed_to)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(drop)
}

pub(crate) async fn mark_closed(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[i64],
    reply: &str,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE service_tips SET state = 'closed', reply = $2, closed_by = $3, closed_utc = $4 WHERE id = ANY($1)")
        .bind(ids)
        .bind(reply)
        .bind(by)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(drop)
}

/// What a retention pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    /// Closed tips whose phone number, photo, device id and network address were removed.
    pub tips: u64,
    /// Photos deleted (no tip still kept needs them).
    pub photos: u64,
}

/// Forgets what a closed tip carried about its sender once it was closed before `before`:
/// the phone number, the device id, the network address and the photo (deleted when no
/// other tip still holds the same picture). The tip, its place, text, state and public reply
/// stay (the tipper's status page keeps working); the journal keeps the photo's SHA-256.
pub(crate) async fn forget_closed(db: &PgPool, before: i64) -> Result<Forgotten, sqlx::Error> {
    let mut tx = db.begin().await?;
    let old: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, photo_sha256 FROM service_tips
         WHERE state = 'closed' AND closed_utc < $1
           AND (phone IS NOT NULL OR device IS NOT NULL OR address <> '' OR photo_sha256 IS NOT NULL)
         FOR UPDATE",
    )
    .bind(before)
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<i64> = old.iter().map(|(id, _)| *id).collect();
    let shas: Vec<String> = old.into_iter().filter_map(|(_, sha)| sha).collect();
    sqlx::query("UPDATE service_tips SET phone = NULL, device = NULL, address = '', photo_sha256 = NULL WHERE id = ANY($1)")
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    let photos = sqlx::query(
        "DELETE FROM service_tip_photos p WHERE p.sha256 = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM service_tips t WHERE t.photo_sha256 = p.sha256)",
    )
    .bind(&shas)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Forgotten { tips: ids.len() as u64, photos: photos.rows_affected() })
}

/// The supervisor's figures (the desk's types).
pub use tidewatch_workstation::tips::{TipFigures, TipKpis};

pub(crate) async fn kpis(db: &PgPool, from: i64, to: i64) -> Result<TipKpis, sqlx::Error> {
    let figures = |column: &'static str| {
        format!(
            "SELECT COALESCE({column}, '(none)'), COUNT(*), COUNT(*) FILTER (WHERE state = 'closed'),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_utc - received_utc) FILTER (WHERE state = 'closed')
             FROM service_tips WHERE seq IS NOT NULL AND received_utc >= $1 AND received_utc < $2 GROUP BY 1 ORDER BY 1"
        )
    };
    let read = |r: &PgRow| -> Result<TipFigures, sqlx::Error> {
        Ok(TipFigures { key: r.try_get(0)?, received: r.try_get(1)?, closed: r.try_get(2)?, median_close_s: r.try_get(3)? })
    };
    let mut out = TipKpis { from_utc: from, to_utc: to, ..TipKpis::default() };
    let all = sqlx::query(sqlx::AssertSqlSafe(figures("'all'"))).bind(from).bind(to).fetch_all(db).await?;
    out.all = all.first().map(read).transpose()?.unwrap_or(TipFigures { key: "all".into(), ..TipFigures::default() });
    out.by_island = sqlx::query(sqlx::AssertSqlSafe(figures("island")))
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?
        .iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    out.by_category = sqlx::query(sqlx::AssertSqlSafe(figures("category")))
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?
        .iter()
        .map(read)
        .collect::<Result<_, _>>()?;
    Ok(out)
}
