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
    /// Another administrator saved a region edit after the version this one's editor
    /// showed: nothing was written; the editor is re-read and the edit made again on it.
    #[error("{}", region_conflict_text(by, *at_utc, *version))]
    RegionEditConflict { by: String, at_utc: i64, version: i64 },
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
    /// A desk working on the command-centre service cannot reach it (or no longer trusts
    /// it): the action was not sent, nothing was written. Says since when and why.
    #[error("{0}")]
    ServiceUnavailable(String),
    /// The command-centre service refused a call: its error as it sent it, with the kind
    /// mapped back to one of [`Error::kind`]'s names (so the desk words it as a local one)
    /// and its message kept whole.
    #[error("{}", .0.message)]
    Remote(Box<RemoteError>),
}

/// A service's refusal as a desk receives it (`{kind, message, field?, minutes?}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    /// One of the kinds [`Error::kind`] names ([`remote_kind`]).
    pub kind: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub minutes: Option<i64>,
}

/// Every kind a desk's UI words by name: the core's own, and the service's.
pub const KINDS: &[&str] = &[
    "pack",
    "unknown",
    "invalid_input",
    "unit_unavailable",
    "unit_taken",
    "region_edit_conflict",
    "storage",
    "forbidden",
    "not_signed_in",
    "session_expired",
    "sign_in_locked",
    "io",
    "solver",
    "service_unavailable",
    "rate_limited",
    "payload_too_large",
];

/// The kind a service sent, as one of [`KINDS`]: the service's `unavailable` is this desk's
/// `service_unavailable`; a kind this desk does not know (a newer service) is `remote`,
/// the UI then shows the message as it came.
pub fn remote_kind(kind: &str) -> &'static str {
    if kind == "unavailable" {
        return "service_unavailable";
    }
    KINDS.iter().find(|k| **k == kind).copied().unwrap_or("remote")
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
            Error::RegionEditConflict { .. } => "region_edit_conflict",
            Error::Storage(_) => "storage",
            Error::Forbidden { .. } => "forbidden",
            Error::NotSignedIn => "not_signed_in",
            Error::SessionExpired { .. } => "session_expired",
            Error::SignInLocked { .. } => "sign_in_locked",
            Error::Io(_) => "io",
            Error::Solver(_) => "solver",
            Error::ServiceUnavailable(_) => "service_unavailable",
            Error::Remote(e) => e.kind,
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

/// "the region was edited by admin.wu at 2026-07-01 02:00:00 UTC (version 3) after your
/// editor was opened; nothing was saved: look at the region again and redo the edit".
fn region_conflict_text(by: &str, at_utc: i64, version: i64) -> String {
    let when = chrono::DateTime::from_timestamp(at_utc, 0)
        .map_or_else(|| format!("{at_utc} (unix)"), |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
    format!("the region was edited by {by} at {when} (version {version}) after your editor was opened; nothing was saved: look at the region again and redo the edit")
}

/// Serialised as `{"kind": "...", "message": "..."}` for the desk's UI, with `minutes` for
/// the errors that carry a duration the UI words itself (`session_expired`,
/// `sign_in_locked`) and `field` for `invalid_input` (so a form can show it at the field).
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let minutes = match self {
            Error::SessionExpired { minutes, .. } | Error::SignInLocked { minutes } => Some(*minutes),
            Error::Remote(e) => e.minutes,
            _ => None,
        };
        let field = match self {
            Error::InvalidInput { field, .. } => Some(field),
            Error::Remote(e) => e.field.as_ref(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_refusal_keeps_its_kind_message_and_details() {
        let e = Error::Remote(Box::new(RemoteError {
            kind: remote_kind("invalid_input"),
            message: "seat: no such station".into(),
            field: Some("seat".into()),
            minutes: None,
        }));
        assert_eq!(e.kind(), "invalid_input");
        assert_eq!(e.to_string(), "seat: no such station");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "invalid_input", "message": "seat: no such station", "field": "seat"}));
        let locked = Error::Remote(Box::new(RemoteError {
            kind: remote_kind("sign_in_locked"),
            message: "m".into(),
            field: None,
            minutes: Some(9),
        }));
        assert_eq!(serde_json::to_value(&locked).unwrap()["minutes"], 9);
    }

    #[test]
    fn service_kinds_map_to_the_desks_kinds() {
        assert_eq!(remote_kind("unit_taken"), "unit_taken");
        assert_eq!(remote_kind("unavailable"), "service_unavailable");
        assert_eq!(remote_kind("rate_limited"), "rate_limited");
        assert_eq!(remote_kind("from_a_newer_service"), "remote");
        assert_eq!(Error::ServiceUnavailable("lost".into()).kind(), "service_unavailable");
    }
}
