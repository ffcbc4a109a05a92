//! The one error type that crosses the IPC boundary and the CLI.

use serde::ser::SerializeStruct;

use crate::region::PackErrors;

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
    #[error("{user} ({role}) may not {action}")]
    Forbidden { user: String, role: String, action: String },
    #[error("nobody is signed in at this desk; sign in first")]
    NotSignedIn,
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
            Error::Storage(_) => "storage",
            Error::Forbidden { .. } => "forbidden",
            Error::NotSignedIn => "not_signed_in",
            Error::Io(_) => "io",
            Error::Solver(_) => "solver",
        }
    }
}

/// Serialised as `{"kind": "...", "message": "..."}` for the desk's UI.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}
