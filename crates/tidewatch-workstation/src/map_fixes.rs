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

/// A unit's track for a period (a supervisor replays it on a time slider), with the
/// incidents it was sent to in that period.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Track {
    pub unit: UnitId,
    pub from_utc: i64,
    pub to_utc: i64,
    /// Its crew's fixes in time order (the refused ones were never stored).
    pub points: Vec<TrackPoint>,
    /// The period had more fixes than one answer carries: these are the first; ask for a
    /// shorter period.
    pub truncated: bool,
    pub incidents: Vec<TrackIncident>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TrackPoint {
    pub fix_utc: i64,
    pub lon: f64,
    pub lat: f64,
    pub speed_kmh: Option<f64>,
    /// On the water (a boat, or a car on a ferry).
    pub afloat: bool,
    /// Whether the ETA could start from it (else flagged: a jump, a car at sea…).
    pub usable: bool,
}

/// An incident the unit was on during the period (as the one sent, or as the boat carrying
/// the crew that was).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TrackIncident {
    pub id: i64,
    pub incident_type: String,
    pub priority: u8,
    pub lon: f64,
    pub lat: f64,
    pub dispatched_utc: Option<i64>,
    pub on_scene_utc: Option<i64>,
    pub closed_utc: Option<i64>,
    pub carried: bool,
}
