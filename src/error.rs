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
    UnitUnavailable {
        unit: String,
        state: String,
        message: String,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn unknown(what: &'static str, id: impl Into<String>) -> Self {
        Error::Unknown {
            what,
            id: id.into(),
        }
    }

    /// A stable machine-readable name for the UI to branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Pack(_) => "pack",
            Error::Unknown { .. } => "unknown",
            Error::InvalidInput { .. } => "invalid_input",
            Error::UnitUnavailable { .. } => "unit_unavailable",
            Error::Io(_) => "io",
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
