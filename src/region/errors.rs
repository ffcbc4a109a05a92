//! Validation errors that say which file, which line (or feature) and which field.

use std::fmt;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PackError {
    pub file: String,
    /// 1-based line of a CSV file (the header is line 1), or a GeoJSON feature index.
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
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
        self.errors.push(PackError { file: file.to_string(), line, field: field.map(str::to_string), message });
    }

    pub fn file(&mut self, file: &str, message: String) {
        self.push(file, None, None, message);
    }
}
