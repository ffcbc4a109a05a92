//! Sessions and sign-in rates, in PostgreSQL so that every `serve` process on the database
//! shares them (the service keeps no state of its own).
//!
//! A session token is 32 bytes from the operating system's random source, given to the
//! client once as hex; the database holds only its SHA-256, so a copy of the table signs
//! nobody in. A session lapses after [`Limits::idle_s`] without a request and after
//! [`Limits::max_s`] in all, and ends at sign-out (revoked, kept for the record).
//!
//! Sign-in attempts are counted per name and per client address over a sliding window
//! before the password is checked (an argon2 check is the costly part), on top of the
//! journaled lock-out of a name after repeated failures (`accounts::sign_in`).

use sha2::{Digest, Sha256};
use sqlx::{PgPool, Row};
use tidewatch_core::Error;
use tidewatch_workstation::accounts::{Role, Session};

use crate::error::ApiError;

/// How long sessions last and how fast sign-ins may come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A session lapses after this long without a request (seconds).
    pub idle_s: i64,
    /// ...and after this long in all (a shift and a half).
    pub max_s: i64,
    /// Sign-in attempts with one name per window.
    pub per_name: i64,
    /// Sign-in attempts from one address per window.
    pub per_address: i64,
    pub window_s: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { idle_s: tidewatch_workstation::IDLE_TIMEOUT_S, max_s: 12 * 3600, per_name: 10, per_address: 30, window_s: 60 }
    }
}

/// The service's own tables, made if missing (one process at a time: two starting
/// together would race on `CREATE TABLE IF NOT EXISTS`).
const SCHEMA: [&str; 5] = [
    "CREATE TABLE IF NOT EXISTS service_sessions (
        token_hash    BYTEA  PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        username      TEXT   NOT NULL,
        role          TEXT   NOT NULL,
        created_utc   BIGINT NOT NULL,
        last_seen_utc BIGINT NOT NULL,
        revoked_utc   BIGINT)",
    "CREATE TABLE IF NOT EXISTS service_sign_in_attempts (key TEXT NOT NULL, at_utc BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS service_sign_in_attempts_key ON service_sign_in_attempts(key, at_utc)",
    "CREATE INDEX IF NOT EXISTS service_sign_in_attempts_at ON service_sign_in_attempts(at_utc)",
    // The seat the session signed in at (`Seat::name`); sessions from before seats were the centre's.
    "ALTER TABLE service_sessions ADD COLUMN IF NOT EXISTS seat TEXT NOT NULL DEFAULT 'centre'",
];

pub async fn migrate(db: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.schema', 0))").execute(&mut *tx).await?;
    for sql in SCHEMA {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// A new token (hex, for the client) and its hash (for the database).
pub fn new_token() -> Result<(String, [u8; 32]), Error> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| Error::Storage(format!("the system's random source failed: {e}")))?;
    let token = tidewatch_journal::hex(&raw);
    let hash = token_hash(&token);
    Ok((token, hash))
}

pub(crate) fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Whether `token` could be one of ours (64 lower-case hex digits): anything else is
/// refused before the database sees it.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new session for `session` at `seat` (`Seat::name`).
pub async fn open(db: &PgPool, hash: &[u8; 32], session: &Session, seat: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_sessions (token_hash, username, role, created_utc, last_seen_utc, seat) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(&hash[..])
    .bind(&session.username)
    .bind(session.role.name())
    .bind(now)
    .bind(seat)
    .execute(db)
    .await
    .map(drop)
}

/// The live session `token` names and its seat (`Seat::name`), now marked as used at `now`;
/// None when there is no such session, or it lapsed or was revoked.
pub async fn touch(db: &PgPool, token: &str, now: i64, limits: &Limits) -> Result<Option<(Session, String)>, ApiError> {
    if !well_formed(token) {
        return Ok(None);
    }
    let row = sqlx::query(
        "UPDATE service_sessions SET last_seen_utc = $2
         WHERE token_hash = $1 AND revoked_utc IS NULL AND last_seen_utc >= $2 - $3 AND created_utc >= $2 - $4
         RETURNING username, role, seat",
    )
    .bind(&token_hash(token)[..])
    .bind(now)
    .bind(limits.idle_s)
    .bind(limits.max_s)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get(1)?;
    let role = Role::parse(&role).ok_or_else(|| ApiError::unavailable(format!("a session has an unknown role '{role}'")))?;
    Ok(Some((Session { username: row.try_get(0)?, role }, row.try_get(2)?)))
}

/// Ends the session `token` names; false when it was not live.
pub async fn revoke(db: &PgPool, token: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE service_sessions SET revoked_utc = $2 WHERE token_hash = $1 AND revoked_utc IS NULL")
        .bind(&token_hash(token)[..])
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every live session of `username` (a disabled account); how many there were.
pub async fn revoke_all_of(db: &PgPool, username: &str, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE service_sessions SET revoked_utc = $2 WHERE username = $1 AND revoked_utc IS NULL")
        .bind(username)
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Counts one sign-in attempt with `name` from `address`, and refuses it when either has
/// made too many within the window. Counted before the refusal, so hammering on does not
/// reset the window.
pub async fn count_attempt(db: &PgPool, name: &str, address: &str, now: i64, limits: &Limits) -> Result<(), ApiError> {
    let name_key = format!("name:{}", name.to_lowercase());
    let address_key = format!("address:{address}");
    let mut tx = db.begin().await?;
    // Old attempts go as new ones come (the index on at_utc keeps it cheap).
    sqlx::query("DELETE FROM service_sign_in_attempts WHERE at_utc < $1").bind(now - limits.window_s).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO service_sign_in_attempts (key, at_utc) VALUES ($1, $3), ($2, $3)")
        .bind(&name_key)
        .bind(&address_key)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let counts = sqlx::query(
        "SELECT COUNT(*) FILTER (WHERE key = $1), COUNT(*) FILTER (WHERE key = $2)
         FROM service_sign_in_attempts WHERE key IN ($1, $2) AND at_utc > $3",
    )
    .bind(&name_key)
    .bind(&address_key)
    .bind(now - limits.window_s)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    let (by_name, by_address): (i64, i64) = (counts.try_get(0)?, counts.try_get(1)?);
    if by_name > limits.per_name {
        return Err(ApiError::rate_limited(format!("too many sign-ins with this name; wait {} s", limits.window_s), limits.window_s));
    }
    if by_address > limits.per_address {
        return Err(ApiError::rate_limited(format!("too many sign-ins from this address; wait {} s", limits.window_s), limits.window_s));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let (a, ha) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert!(well_formed(&a) && well_formed(&b));
        assert_eq!(ha, token_hash(&a));
        assert_ne!(&ha[..], a.as_bytes());
    }

    #[test]
    fn malformed_tokens_are_refused_before_the_database() {
        for bad in ["", "abc", &"A".repeat(64), &"g".repeat(64), &"a".repeat(65), "' OR 1=1 --"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
