//! The one error a client sees: `tidewatch_core::Error` (or the service's own refusals) as
//! an HTTP status and a JSON body `{"error": kind, "message": text}` (plus `field` when one
//! input is at fault).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tidewatch_core::Error;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// A stable name to branch on (`tidewatch_core::Error::kind`, or the service's own).
    pub error: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, error, message: message.into(), field: None }
    }

    /// A request whose input `field` does not fit: 400 naming it.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        let field = field.into();
        ApiError {
            field: Some(field.clone()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", format!("{field}: {}", message.into()))
        }
    }

    pub fn rate_limited(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
    }

    /// The service's own failure (a lost connection, a crashed worker): 503, the request may
    /// be retried.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }
}

/// The status each kind of core error means to a client.
fn status(e: &Error) -> StatusCode {
    match e {
        Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
        Error::Unknown { .. } => StatusCode::NOT_FOUND,
        Error::UnitUnavailable { .. } | Error::UnitTaken { .. } => StatusCode::CONFLICT,
        Error::Forbidden { .. } => StatusCode::FORBIDDEN,
        Error::NotSignedIn | Error::SessionExpired { .. } => StatusCode::UNAUTHORIZED,
        Error::SignInLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Storage(_) | Error::ServiceUnavailable(_) | Error::Remote(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Pack(_) | Error::Io(_) | Error::Solver(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let field = match &e {
            Error::InvalidInput { field, .. } => Some(field.clone()),
            _ => None,
        };
        ApiError { status: status(&e), error: e.kind(), message: e.to_string(), field }
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
        assert_eq!((e.status, e.error, e.field.as_deref()), (StatusCode::BAD_REQUEST, "invalid_input", Some("priority")));
        let e = ApiError::from(Error::UnitUnavailable { unit: "u1".into(), state: "dispatched".into(), message: "held by ann".into() });
        assert_eq!((e.status, e.error), (StatusCode::CONFLICT, "unit_unavailable"));
        assert!(e.message.contains("held by ann"));
        assert_eq!(ApiError::from(Error::NotSignedIn).status, StatusCode::UNAUTHORIZED);
        assert_eq!(ApiError::from(Error::SignInLocked { minutes: 2 }).status, StatusCode::TOO_MANY_REQUESTS);
        let forbidden = Error::Forbidden { user: "d".into(), role: "dispatcher".into(), action: "manage_accounts".into() };
        assert_eq!(ApiError::from(forbidden).status, StatusCode::FORBIDDEN);
    }

    #[test]
    fn the_body_is_error_and_message() {
        let body = serde_json::to_value(ApiError::bad_field("username", "too long")).unwrap();
        assert_eq!(body, serde_json::json!({"error": "invalid_input", "message": "username: too long", "field": "username"}));
    }
}
