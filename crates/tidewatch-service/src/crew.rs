//! The crew's page (issue #14): a unit's crew signs in on their phone with their own
//! account (role `crew`) for one unit, sees what the unit is sent to, and acts on it.
//!
//! The unit is kept with the session in PostgreSQL (`crew_sessions`, beside
//! `service_sessions`), never taken from a request body: [`CrewOperator`] turns a token into
//! the crew member and their unit, and every call passes that unit to the workstation
//! (`Workstation::crew_*`), which checks the role (`Action::Crew`, only `crew` has it) and
//! that the incident is the unit's own. A crew's token on the desk's routes is refused by
//! the workstation's role checks (a crew never dispatches).
//!
//! Photos are kept outside the hash chain (`crew_photos`), at most [`MAX_PHOTO`] bytes of
//! JPEG, PNG or WebP (the type named and the bytes must agree); the journal records their
//! SHA-256, size and type in the crew's `crew_action` event.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Row};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::region::Region;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, PhotoRecord, SignOutReason};
use tidewatch_workstation::accounts::{Role, Session};
use tidewatch_workstation::crew::CrewView;
use tidewatch_workstation::desk::{CarrierStep, CrewStatus, CrewStep};

use crate::error::ApiError;
use crate::{accounts, body, sessions, Service, MAX_ID, MAX_REASON, MAX_TEXT};

/// The largest photo taken (the page scales a camera's photo down to about 200 KB first).
pub const MAX_PHOTO: usize = 2 * 1024 * 1024;

/// The crew's tables, made if missing.
const SCHEMA: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS crew_sessions (
        token_hash BYTEA PRIMARY KEY REFERENCES service_sessions(token_hash),
        unit       TEXT  NOT NULL)",
    "CREATE TABLE IF NOT EXISTS crew_photos (
        sha256       TEXT   PRIMARY KEY CHECK (length(sha256) = 64),
        media_type   TEXT   NOT NULL,
        bytes        BYTEA  NOT NULL,
        unit         TEXT   NOT NULL,
        incident_id  BIGINT NOT NULL,
        operator     TEXT   NOT NULL,
        received_utc BIGINT NOT NULL)",
];

pub async fn migrate(db: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.service.crew', 0))").execute(&mut *tx).await?;
    for sql in SCHEMA {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// `{username, password, unit}`: `unit` is the unit's id or its call sign.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrewSignInBody {
    pub username: String,
    pub password: String,
    pub unit: String,
}

/// A crew member signed in for a unit.
#[derive(Debug, Clone, Serialize)]
pub struct CrewSignedIn {
    /// The bearer token (also accepted as the WebSocket subprotocol `bearer.<token>`).
    pub token: String,
    pub username: String,
    pub unit: String,
    pub call_sign: String,
    pub idle_timeout_s: i64,
}

/// What a crew does about its incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActName {
    Acknowledge,
    EnRoute,
    OnScene,
    /// Needs `text`: the outcome.
    Clear,
    /// Needs `text`: why the unit cannot go.
    Unable,
    /// Needs `text`.
    Note,
}

/// `{incident, action, text?, phone_utc?}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrewActBody {
    pub incident: i64,
    pub action: ActName,
    #[serde(default)]
    pub text: Option<String>,
    /// When the phone says the crew acted (UTC seconds); an action queued offline arrives
    /// later.
    #[serde(default)]
    pub phone_utc: Option<i64>,
}

/// `{incident, step, phone_utc?}`: a step of a boat carrying a land crew (issue #16).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierStepBody {
    pub incident: i64,
    pub step: StepName,
    #[serde(default)]
    pub phone_utc: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    ToPickup,
    CrewAboard,
    CrewLanded,
    Returning,
    AtBase,
}

/// `{status, phone_utc?}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrewStatusBody {
    pub status: StatusName,
    #[serde(default)]
    pub phone_utc: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Available,
    OffDuty,
    Returning,
}

/// `?incident=&phone_utc=` of a photo (the body is the image).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoQuery {
    pub incident: i64,
    #[serde(default)]
    pub phone_utc: Option<i64>,
}

/// A photo taken: the journal's acknowledgement and the photo's digest.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoTaken {
    pub seq: i64,
    pub sha256: String,
    pub bytes: u64,
}

impl CrewActBody {
    fn step(self) -> Result<(IncidentId, CrewStep, Option<i64>), ApiError> {
        let text = self.text.unwrap_or_default();
        let needs_text = matches!(self.action, ActName::Clear | ActName::Unable | ActName::Note);
        if !needs_text && !text.is_empty() {
            return Err(ApiError::bad_field("text", "only clear, unable and note take text"));
        }
        let max = if self.action == ActName::Note { MAX_TEXT } else { MAX_REASON };
        body::at_most("text", &text, max)?;
        if text.contains('\0') || (self.action != ActName::Note && text.chars().any(char::is_control)) {
            return Err(ApiError::bad_field("text", "no control characters"));
        }
        let step = match self.action {
            ActName::Acknowledge => CrewStep::Acknowledge,
            ActName::EnRoute => CrewStep::EnRoute,
            ActName::OnScene => CrewStep::OnScene,
            ActName::Clear => CrewStep::Clear { outcome: text },
            ActName::Unable => CrewStep::Unable { reason: text },
            ActName::Note => CrewStep::Note { text },
        };
        Ok((IncidentId(self.incident), step, self.phone_utc))
    }
}

/// A signed-in crew member and the unit their session is for. Takes the token from
/// `Authorization: Bearer`, or from the WebSocket subprotocol `bearer.<token>` (a browser
/// cannot set headers on a WebSocket).
pub struct CrewOperator {
    pub session: Session,
    pub unit: UnitId,
    pub token: String,
}

impl FromRequestParts<Arc<Service>> for CrewOperator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Arc<Service>) -> Result<CrewOperator, ApiError> {
        let token = token_of(&parts.headers).ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        let (session, _) = service.session(&token).await?.ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        let unit = unit_of(&service.db, &token).await?.ok_or_else(|| not_a_crew(&session))?;
        Ok(CrewOperator { session, unit: UnitId(unit), token })
    }
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let protocol = || {
        let offered = headers.get(header::SEC_WEBSOCKET_PROTOCOL)?.to_str().ok()?;
        offered.split(',').map(str::trim).find_map(|p| p.strip_prefix("bearer."))
    };
    bearer.or_else(protocol).map(|t| t.trim().to_string())
}

async fn unit_of(db: &PgPool, token: &str) -> Result<Option<String>, ApiError> {
    let row = sqlx::query("SELECT unit FROM crew_sessions WHERE token_hash = $1")
        .bind(&sessions::token_hash(token)[..])
        .fetch_optional(db)
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

fn not_a_crew(session: &Session) -> ApiError {
    ApiError::from(Error::Forbidden {
        user: session.username.clone(),
        role: session.role.name().into(),
        action: "use the crew's page: sign in there for a unit with a crew account".into(),
    })
}

/// The unit `typed` names: its id, or its call sign (case and spaces aside).
fn find_unit(region: &Region, typed: &str) -> Option<(UnitId, String)> {
    let typed = typed.trim();
    let same = |a: &str| a.trim().eq_ignore_ascii_case(typed);
    region.units.iter().find(|u| same(&u.id.0) || same(&u.call_sign)).map(|u| (u.id.clone(), u.call_sign.clone()))
}

/// The media type `bytes` are, when it is `named` and one taken: JPEG, PNG or WebP.
fn photo_type(named: Option<&str>, bytes: &[u8]) -> Result<&'static str, ApiError> {
    let named = named.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let actual = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        return Err(ApiError::bad_field("body", "not a JPEG, PNG or WebP image"));
    };
    if named != actual {
        return Err(ApiError::bad_field("content-type", format!("the image is {actual}, not '{named}'")));
    }
    Ok(actual)
}

impl Service {
    /// Signs a crew member in for `unit` (its id or call sign): the accounts' own password
    /// check, rate limits and journal entries as for a desk; an account of another role is
    /// signed out again (journaled) and refused.
    pub async fn crew_sign_in(&self, ask: CrewSignInBody, address: &str) -> Result<CrewSignedIn, ApiError> {
        accounts::name_and_password(&ask.username, &ask.password)?;
        body::at_most("unit", &ask.unit, MAX_ID)?;
        let (unit, call_sign) = find_unit(&self.journals.region(), &ask.unit)
            .ok_or_else(|| ApiError::bad_field("unit", "no such unit in the region (its id or call sign)"))?;
        let now = self.clock.now();
        sessions::count_attempt(&self.db, &ask.username, address, now, &self.limits).await?;
        let (name, password) = (ask.username, ask.password);
        let session = self.journals.with(move |w| w.login(&name, &password)).await?;
        if session.role != Role::Crew {
            let refusal = not_a_crew(&session);
            self.journals.acting(&session, move |w| w.sign_out(SignOutReason::SignedOut, now)).await?;
            return Err(refusal);
        }
        let (token, hash) = sessions::new_token()?;
        // The service session first (the crew's row refers to it); without its unit it is
        // no crew's session, so a failure between the two is revoked.
        sessions::open(&self.db, &hash, &session, "centre", now).await?;
        let scoped = sqlx::query("INSERT INTO crew_sessions (token_hash, unit) VALUES ($1, $2)")
            .bind(&hash[..])
            .bind(&unit.0)
            .execute(&self.db)
            .await;
        if let Err(e) = scoped {
            sessions::revoke(&self.db, &token, now).await?;
            return Err(e.into());
        }
        Ok(CrewSignedIn { token, username: session.username, unit: unit.0, call_sign, idle_timeout_s: self.limits.idle_s })
    }

    /// What the crew's unit is sent to, with the route in words.
    pub async fn crew_view(&self, crew: &CrewOperator) -> Result<CrewView, ApiError> {
        let (now, unit) = (self.clock.now_utc(), crew.unit.clone());
        Ok(self.journals.acting(&crew.session, move |w| w.crew_view(now, &unit)).await?)
    }

    /// One action of the crew on its unit's incident.
    pub async fn crew_act(&self, crew: &CrewOperator, ask: CrewActBody) -> Result<Ack, ApiError> {
        let (id, step, phone_utc) = ask.step()?;
        let (now, unit) = (self.clock.now_utc(), crew.unit.clone());
        Ok(self.journals.acting(&crew.session, move |w| w.crew_act(now, &unit, id, &step, phone_utc)).await?)
    }

    /// A step of the crew's boat as the carrier of the incident's land crew.
    pub async fn carrier_step(&self, crew: &CrewOperator, ask: CarrierStepBody) -> Result<Ack, ApiError> {
        let step = match ask.step {
            StepName::ToPickup => CarrierStep::ToPickup,
            StepName::CrewAboard => CarrierStep::CrewAboard,
            StepName::CrewLanded => CarrierStep::CrewLanded,
            StepName::Returning => CarrierStep::Returning,
            StepName::AtBase => CarrierStep::AtBase,
        };
        let (now, boat, id, phone_utc) = (self.clock.now_utc(), crew.unit.clone(), IncidentId(ask.incident), ask.phone_utc);
        Ok(self.journals.acting(&crew.session, move |w| w.carrier_act(now, &boat, id, step, phone_utc)).await?)
    }

    /// The unit's own status from its crew.
    pub async fn crew_status(&self, crew: &CrewOperator, ask: CrewStatusBody) -> Result<Ack, ApiError> {
        let status = match ask.status {
            StatusName::Available => CrewStatus::Available,
            StatusName::OffDuty => CrewStatus::OffDuty,
            StatusName::Returning => CrewStatus::Returning,
        };
        let (now, unit, phone_utc) = (self.clock.now_utc(), crew.unit.clone(), ask.phone_utc);
        Ok(self.journals.acting(&crew.session, move |w| w.crew_status(now, &unit, status, phone_utc)).await?)
    }

    /// A photo for the unit's incident: checked (size, type), stored outside the chain,
    /// its digest journaled; a refused journal entry takes the stored photo back out.
    pub async fn crew_photo(
        &self,
        crew: &CrewOperator,
        q: PhotoQuery,
        media_type: Option<&str>,
        bytes: &[u8],
    ) -> Result<PhotoTaken, ApiError> {
        if bytes.is_empty() {
            return Err(ApiError::bad_field("body", "no photo"));
        }
        if bytes.len() > MAX_PHOTO {
            return Err(ApiError::too_large(format!("a photo is at most {MAX_PHOTO} bytes")));
        }
        let media_type = photo_type(media_type, bytes)?;
        let sha256 = tidewatch_journal::hex(&Sha256::digest(bytes));
        let stored = sqlx::query(
            "INSERT INTO crew_photos (sha256, media_type, bytes, unit, incident_id, operator, received_utc)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&sha256)
        .bind(media_type)
        .bind(bytes)
        .bind(&crew.unit.0)
        .bind(q.incident)
        .bind(&crew.session.username)
        .bind(self.clock.now())
        .execute(&self.db)
        .await?
        .rows_affected()
            == 1;
        let photo = PhotoRecord { sha256: sha256.clone(), bytes: bytes.len() as u64, media_type: media_type.into() };
        let (now, unit, id) = (self.clock.now_utc(), crew.unit.clone(), IncidentId(q.incident));
        let journaled =
            self.journals.acting(&crew.session, move |w| w.crew_act(now, &unit, id, &CrewStep::Photo(photo), q.phone_utc)).await;
        match journaled {
            Ok(ack) => Ok(PhotoTaken { seq: ack.seq, sha256, bytes: bytes.len() as u64 }),
            Err(e) => {
                if stored {
                    sqlx::query("DELETE FROM crew_photos WHERE sha256 = $1").bind(&sha256).execute(&self.db).await?;
                }
                Err(e.into())
            }
        }
    }

    /// A stored photo and its type, for anyone signed in (the desk shows a crew's photo).
    pub async fn photo(&self, sha256: &str) -> Result<(String, Vec<u8>), ApiError> {
        if tidewatch_journal::parse_hex32(sha256).is_none() {
            return Err(ApiError::bad_field("sha256", "64 hex digits"));
        }
        let row = sqlx::query("SELECT media_type, bytes FROM crew_photos WHERE sha256 = $1")
            .bind(sha256.to_ascii_lowercase())
            .fetch_optional(&self.db)
            .await?;
        let row = row.ok_or_else(|| ApiError::from(Error::unknown("photo", sha256)))?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }
}

/// 400 for a bad query string, naming it.
pub fn bad_query(e: &axum::extract::rejection::QueryRejection) -> ApiError {
    ApiError::bad_field("query", e.body_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_must_be_what_they_say() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        assert_eq!(photo_type(Some("image/jpeg"), &jpeg).unwrap(), "image/jpeg");
        assert_eq!(photo_type(Some("IMAGE/JPEG; q=1"), &jpeg).unwrap(), "image/jpeg");
        assert_eq!(photo_type(Some("image/png"), &jpeg).unwrap_err().field.as_deref(), Some("content-type"));
        assert_eq!(photo_type(Some("image/jpeg"), b"GIF89a...").unwrap_err().field.as_deref(), Some("body"));
        assert_eq!(photo_type(Some("image/webp"), b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), "image/webp");
        assert!(photo_type(None, b"\x89PNG\r\n\x1a\n").is_err());
    }

    #[test]
    fn the_token_comes_from_the_header_or_the_subprotocol() {
        let mut h = HeaderMap::new();
        h.insert(header::SEC_WEBSOCKET_PROTOCOL, "tidewatch, bearer.abc".parse().unwrap());
        assert_eq!(token_of(&h).as_deref(), Some("abc"));
        h.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(token_of(&h).as_deref(), Some("xyz"));
        assert_eq!(token_of(&HeaderMap::new()), None);
    }

    #[test]
    fn text_only_where_it_belongs() {
        let ask = |action, text: Option<&str>| CrewActBody { incident: 1, action, text: text.map(str::to_string), phone_utc: None }.step();
        assert_eq!(ask(ActName::EnRoute, Some("x")).unwrap_err().field.as_deref(), Some("text"));
        assert!(ask(ActName::Note, Some("two\nlines")).is_ok());
        assert_eq!(ask(ActName::Unable, Some("a\u{7}b")).unwrap_err().field.as_deref(), Some("text"));
        assert_eq!(ask(ActName::Clear, Some(&"x".repeat(MAX_REASON + 1))).unwrap_err().field.as_deref(), Some("text"));
    }
}
