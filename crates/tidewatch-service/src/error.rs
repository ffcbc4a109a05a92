//! The one error a client sees: `tidewatch_core::Error` as an HTTP status and the core
//! error's own serialisation `{"kind", "message", "field"?, "minutes"?}` (what the desk's
//! IPC gives the UI, so a remote desk maps `kind` back to the same error). The service's own
//! refusals use the same kinds: a rate limit is `sign_in_locked` (with the minutes to
//! wait), PostgreSQL or a worker failing is `storage`, a body too large `invalid_input` on
//! the field `body`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tidewatch_core::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// A stable name to branch on: one of `tidewatch_core::Error::kind`'s.
    pub kind: &'static str,
    pub message: String,
    /// The input at fault (`invalid_input`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// How long to wait (`sign_in_locked`), or how long the operator was idle
    /// (`session_expired`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, message: message.into(), field: None, minutes: None }
    }

    /// A request whose input `field` does not fit: 400 naming it.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::from(Error::invalid(field, message))
    }

    /// Too many sign-ins: 429 `sign_in_locked`, with the whole minutes to wait.
    pub fn rate_limited(message: impl Into<String>, wait_s: i64) -> ApiError {
        ApiError { minutes: Some((wait_s.max(1) + 59) / 60), ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "sign_in_locked", message) }
    }

    /// The service's own failure (a lost connection, a crashed worker): 503 `storage`, the
    /// request may be retried.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "storage", message)
    }

    /// A body over the limit: 413, naming the field `body`.
    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::PAYLOAD_TOO_LARGE, ..ApiError::bad_field("body", message) }
    }
}

/// The status each kind of core error means to a client.
fn status(e: &Error) -> StatusCode {
    match e {
        Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
        Error::Unknown { .. } => StatusCode::NOT_FOUND,
        Error::UnitUnavailable { .. } | Error::UnitTaken { .. } | Error::RegionEditConflict { .. } => StatusCode::CONFLICT,
        Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        Error::NotSignedIn | Error::SessionExpired { .. } => StatusCode::UNAUTHORIZED,
        Error::SignInLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
        // The journal is PostgreSQL: its failures are the database's, and worth a retry.
        Error::Storage(_) | Error::ServiceUnavailable(_) | Error::Remote(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Pack(_) | Error::Io(_) | Error::Solver(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for ApiError {
    /// The core error's own serialisation, so the two can never drift apart.
    fn from(e: Error) -> ApiError {
        let body = serde_json::to_value(&e).unwrap_or_default();
        ApiError {
            status: status(&e),
            kind: e.kind(),
            message: e.to_string(),
            field: body["field"].as_str().map(str::to_string),
            minutes: body["minutes"].as_i64(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::unavailable(format!("PostgreSQL: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(&self)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_map_to_their_statuses() {
        let e = ApiError::from(Error::invalid("priority", "5 is outside 1..=4"));
        assert_eq!((e.status, e.kind, e.field.as_deref()), (StatusCode::BAD_REQUEST, "invalid_input", Some("priority")));
        let e = ApiError::from(Error::UnitUnavailable { unit: "u1".into(), state: "dispatched".into(), message: "held by ann".into() });
        assert_eq!((e.status, e.kind), (StatusCode::CONFLICT, "unit_unavailable"));
        assert!(e.message.contains("held by ann"));
        assert_eq!(ApiError::from(Error::NotSignedIn).status, StatusCode::UNAUTHORIZED);
        assert_eq!(ApiError::from(Error::SignInLocked { minutes: 2 }).status, StatusCode::TOO_MANY_REQUESTS);
        let forbidden = Error::Forbidden { user: "d".into(), role: "dispatcher".into(), action: "manage_accounts".into() };
        assert_eq!(ApiError::from(forbidden).status, StatusCode::FORBIDDEN);
    }

    #[test]
    fn the_body_is_the_core_errors_own_serialisation() {
        for e in [
            Error::invalid("username", "too long"),
            Error::SignInLocked { minutes: 3 },
            Error::SessionExpired { user: "ann".into(), minutes: 30 },
            Error::unknown("incident", "7"),
            Error::NotSignedIn,
        ] {
            let core = serde_json::to_value(&e).unwrap();
            assert_eq!(serde_json::to_value(ApiError::from(e)).unwrap(), core);
        }
        let body = serde_json::to_value(ApiError::bad_field("username", "too long")).unwrap();
        assert_eq!(body, serde_json::json!({"kind": "invalid_input", "message": "username: too long", "field": "username"}));
        let body = serde_json::to_value(ApiError::rate_limited("too many", 61)).unwrap();
        assert_eq!(body, serde_json::json!({"kind": "sign_in_locked", "message": "too many", "minutes": 2}));
    }
}
