//! Crews' positions as the desk's map shows them (a seat on the command-centre service):
//! each unit at its latest fix, with the fix's age, and whether it is past its source's
//! freshness limit (the map dims it; the ETA then uses the last known place).

use tidewatch_core::dispatch::FixSource;
use tidewatch_core::ids::UnitId;

/// A unit's latest position from its crew's phone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct MapFix {
    pub unit: UnitId,
    pub lon: f64,
    pub lat: f64,
    pub fix_utc: i64,
    /// Seconds between the fix and the service's now.
    pub age_s: i64,
    pub source: FixSource,
    /// Older than its source's freshness limit.
    pub stale: bool,
    /// On the water (a boat, or a car on a ferry).
    pub afloat: bool,
}
