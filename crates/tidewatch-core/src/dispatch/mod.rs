//! Dispatch: units, eligibility by incident type, and the ranked recommendation.

mod board;
mod fleet;
mod incident;
mod live;
mod quality;
mod recommend;
pub mod seat;

pub use board::{
    Board, BoardIncident, BoardMode, BoardUnit, Limits, ModeTable, ModeThresholds, PlannedKind, PlannedTask, Thresholds, TimerLevel,
    MAX_EN_ROUTE_RED_PCT, MAX_THRESHOLD_S,
};
pub use fleet::unit_starts;
pub use fleet::{Fleet, UnitState, UnitStatus};
pub use incident::{IncidentState, LifecycleEvent};
pub use live::{FixSource, FixUsed, Freshness, IgnoredFix, Live, LiveFix, StartBasis, StartFrom};
pub use quality::{estimated_data, EstimatedData};
pub use recommend::{
    carried_plan, may_respond, plan_for, plan_for_call, police_crewed, reach_changes, reach_map, recommend, route_mode, station_moves,
    Candidate, CarriedBy, Excluded, IncidentQuery, IslandReach, Pick, PlanOutcome, ReachBand, ReachChange, ReachMode, Recommendation,
    TripPlan, UnitMove, Warning, WarningKind, WarningParams, MAX_BOATS_PER_CREW, MAX_CARRIED,
};
