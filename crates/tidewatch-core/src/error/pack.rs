//! Validation errors of a region pack that say which file, which line (or feature) and which
//! field. Kept under `error` (not `region`) so that [`crate::Error`] carries them without
//! `error` importing `region`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PackError {
    pub file: String,
    /// 1-based line of a CSV file (the header is line 1), or a GeoJSON feature index.
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
    /// What the problem is, for the problems an edit from the desk can cause: a UI words
    /// these in its own language from `kind` and `params` and shows `message` with them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ProblemKind>,
    #[serde(skip_serializing_if = "ProblemParams::is_empty")]
    pub params: ProblemParams,
}

/// The kinds of pack problem a UI can word in its own language (the others keep their
/// English `message`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Coordinates that are not numbers.
    NotANumber,
    /// `value` (a longitude or latitude) is outside the region's bounds.
    OutsideBounds,
    /// `place` lies `distance_m` off its island `island` (more than `tolerance_m`): in the sea.
    OffIsland,
    /// A departure `value` that is not HH:MM.
    NotHhmm,
    /// A departure `value` listed twice.
    ListedTwice,
    /// An empty Chinese name.
    NameEmpty,
    /// A closure without a reason.
    ReasonMissing,
    /// No road joins `place` to `places` on `island`.
    RoadsDisconnected,
}

/// The names and numbers a problem's message is made of.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ProblemParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub island: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub distance_m: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tolerance_m: Option<u32>,
    /// The value as written (a coordinate, a departure time).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub places: Option<Vec<String>>,
}

impl ProblemParams {
    pub fn is_empty(&self) -> bool {
        *self == ProblemParams::default()
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) if self.file.ends_with(".geojson") => {
                write!(f, "{}: feature {}: {}", self.file, line, self.message)
            }
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in a pack; a pack with any is not loaded.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "region pack has {n} error{}", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackErrors {}

/// Collects errors while loading, so one run reports all of them.
#[derive(Debug, Default)]
pub(crate) struct ErrorSink {
    pub errors: Vec<PackError>,
}

impl ErrorSink {
    pub fn push(&mut self, file: &str, line: Option<u64>, field: Option<&str>, message: String) {
        self.errors.push(PackError {
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            message,
            kind: None,
            params: ProblemParams::default(),
        });
    }

    /// Marks the error just pushed as a problem a UI can word (see [`ProblemKind`]).
    pub fn kind(&mut self, kind: ProblemKind, params: ProblemParams) {
        if let Some(e) = self.errors.last_mut() {
            e.kind = Some(kind);
            e.params = params;
        }
    }

    pub fn file(&mut self, file: &str, message: String) {
        self.push(file, None, None, message);
    }
}
