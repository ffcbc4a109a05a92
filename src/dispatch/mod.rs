//! Dispatch: units, eligibility by incident type, and the ranked recommendation.

mod board;
mod desk;
mod fleet;
mod import;
mod incident;
mod published;
mod reassign;
mod recommend;

pub use board::{
    Board, BoardIncident, BoardMode, BoardUnit, Limits, ModeTable, ModeThresholds, Thresholds, TimerLevel, MAX_EN_ROUTE_RED_PCT,
    MAX_THRESHOLD_S,
};
pub use desk::{board, Desk, Intake, PREVIEW_RANGE_DAYS};
pub use fleet::{Fleet, UnitState, UnitStatus};
pub use import::{export_events, import_events, import_events_with, ImportOptions, ImportSummary};
pub use incident::{IncidentState, LifecycleEvent};
pub use published::PublishedRoster;
pub use reassign::ReassignOption;
pub use recommend::{
    may_respond, recommend, route_mode, Candidate, Excluded, IncidentQuery, Pick, Recommendation, TripPlan, Warning, WarningKind,
    WarningParams,
};
