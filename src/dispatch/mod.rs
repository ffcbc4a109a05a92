//! Dispatch: units, eligibility by incident type, and the ranked recommendation.

mod fleet;
mod recommend;

pub use fleet::{Fleet, UnitState, UnitStatus};
pub use recommend::{recommend, Candidate, Excluded, IncidentQuery, Recommendation, Warning, WarningKind};
