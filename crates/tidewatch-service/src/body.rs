//! Request bodies: JSON read whole (under the body limit), unknown fields refused, and a
//! body that does not fit answered 400 naming the field (never a 422 or a panic).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body of type `T`.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large(e.body_text())
            } else {
                ApiError::bad_field("body", e.body_text())
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// `bytes` as a `T`, or a 400 naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let field = if path.is_empty() || path == "." || path == "?" { named_in(&inner).unwrap_or("body").to_string() } else { path };
        ApiError::bad_field(field, inner)
    })
}

/// The field serde names in "missing field `x`" or "unknown field `x`".
fn named_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `").or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next()
}

/// Refuses a string longer than `max` characters, naming `field`.
pub fn at_most(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::bad_field(field, format!("at most {max} characters")));
    }
    Ok(())
}

/// Refuses control characters (PostgreSQL text cannot hold NUL; none belongs in a name),
/// naming `field`.
pub fn printable(field: &str, value: &str) -> Result<(), ApiError> {
    if value.chars().any(char::is_control) {
        return Err(ApiError::bad_field(field, "no control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct SignIn {
        username: String,
        password: String,
    }

    fn field_of(body: &str) -> Option<String> {
        parse::<SignIn>(body.as_bytes()).err().and_then(|e| e.field)
    }

    #[test]
    fn the_field_at_fault_is_named() {
        assert_eq!(field_of(r#"{"username": "ann"}"#).as_deref(), Some("password"));
        assert_eq!(field_of(r#"{"username": 7, "password": "x"}"#).as_deref(), Some("username"));
        assert_eq!(field_of(r#"{"username": "a", "password": "x", "role": "x"}"#).as_deref(), Some("role"));
        assert_eq!(field_of("not json").as_deref(), Some("body"));
        assert!(field_of(r#"{"username": "a", "password": "x"}"#).is_none());
    }

    #[test]
    fn long_strings_are_refused() {
        assert!(at_most("username", &"x".repeat(65), 64).is_err());
        assert!(at_most("username", &"é".repeat(64), 64).is_ok());
    }
}
