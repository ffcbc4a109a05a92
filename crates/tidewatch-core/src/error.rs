//! The one error type that crosses the IPC boundary and the CLI.

use serde::ser::SerializeStruct;

pub mod pack;

use pack::PackErrors;

use crate::ids::IncidentId;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Pack(#[from] PackErrors),
    #[error("unknown {what} '{id}'")]
    Unknown { what: &'static str, id: String },
    #[error("{field}: {message}")]
    InvalidInput { field: String, message: String },
    #[error("unit '{unit}' is {state}: {message}")]
    UnitUnavailable { unit: String, state: String, message: String },
    /// A dispatch found its unit already claimed by another one that committed first
    /// (another seat, another service process): the journal refused it and wrote nothing.
    /// Names who holds the unit and since when, so the desk can say so and offer a fresh
    /// recommendation.
    #[error("{}", taken_text(unit, status, by, *incident, *since_utc))]
    UnitTaken { unit: String, status: String, by: String, incident: Option<IncidentId>, since_utc: i64 },
    #[error("{user} ({role}) may not {action}")]
    Forbidden { user: String, role: String, action: String },
    #[error("nobody is signed in at this desk; sign in first")]
    NotSignedIn,
    /// The operator did nothing at the desk for the idle timeout: the core signed them out
    /// (journaled) and refused the call.
    #[error("{user} did nothing at the desk for {minutes} minutes and was signed out; sign in again")]
    SessionExpired { user: String, minutes: i64 },
    /// Too many failed sign-ins with this name: refused for `minutes` more.
    #[error("too many failed sign-ins with this name; try again in {minutes} minutes, or ask an administrator to reset the password")]
    SignInLocked { minutes: i64 },
    #[error("journal: {0}")]
    Storage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The optimisation solver (rosters) failed or found no solution.
    #[error("solver: {0}")]
    Solver(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), message: message.into() }
    }

    pub fn unknown(what: &'static str, id: impl Into<String>) -> Self {
        Error::Unknown { what, id: id.into() }
    }

    /// A stable machine-readable name for the UI to branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Pack(_) => "pack",
            Error::Unknown { .. } => "unknown",
            Error::InvalidInput { .. } => "invalid_input",
            Error::UnitUnavailable { .. } => "unit_unavailable",
            Error::UnitTaken { .. } => "unit_taken",
            Error::Storage(_) => "storage",
            Error::Forbidden { .. } => "forbidden",
            Error::NotSignedIn => "not_signed_in",
            Error::SessionExpired { .. } => "session_expired",
            Error::SignInLocked { .. } => "sign_in_locked",
            Error::Io(_) => "io",
            Error::Solver(_) => "solver",
        }
    }
}

/// "unit 'p1' was taken by op.li for incident 17 at 2026-07-01 02:00:00 UTC (now
/// dispatched); choose another unit".
fn taken_text(unit: &str, status: &str, by: &str, incident: Option<IncidentId>, since_utc: i64) -> String {
    let when = chrono::DateTime::from_timestamp(since_utc, 0)
        .map_or_else(|| format!("{since_utc} (unix)"), |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
    let what = incident.map_or_else(String::new, |i| format!(" for incident {i}"));
    format!("unit '{unit}' was taken by {by}{what} at {when} (now {status}); choose another unit")
}

/// Serialised as `{"kind": "...", "message": "..."}` for the desk's UI, with `minutes` for
/// the errors that carry a duration the UI words itself (`session_expired`,
/// `sign_in_locked`) and `field` for `invalid_input` (so a form can show it at the field).
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let minutes = match self {
            Error::SessionExpired { minutes, .. } | Error::SignInLocked { minutes } => Some(*minutes),
            _ => None,
        };
        let field = match self {
            Error::InvalidInput { field, .. } => Some(field),
            _ => None,
        };
        let mut s = serializer.serialize_struct("Error", 2 + usize::from(minutes.is_some()) + usize::from(field.is_some()))?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(minutes) = minutes {
            s.serialize_field("minutes", &minutes)?;
        }
        if let Some(field) = field {
            s.serialize_field("field", field)?;
        }
        s.end()
    }
}
