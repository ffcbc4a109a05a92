//! Where a request becomes a signed-in session (or is refused 401): the extractor every
//! route but health, sign-in-state, first-administrator and sign-in takes.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tidewatch_core::dispatch::seat::Seat;
use tidewatch_core::Error;
use tidewatch_workstation::accounts::Session;

use crate::error::ApiError;
use crate::Service;

/// A signed-in operator: the request's `Authorization: Bearer <token>` names a live
/// session. Every route but health and sign-in takes one.
pub struct Operator {
    pub session: Session,
    /// Where they sit (`tidewatch_core::dispatch::seat`).
    pub seat: Seat,
    pub token: String,
}

impl FromRequestParts<Arc<Service>> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Arc<Service>) -> Result<Operator, ApiError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        let (session, seat) = service.session(token).await?.ok_or_else(|| ApiError::from(Error::NotSignedIn))?;
        Ok(Operator { session, seat, token: token.to_string() })
    }
}
