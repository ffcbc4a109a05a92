//! Tidewatch core: region packs, the travel-time engine and the dispatch rules
//! (eligibility, recommendation, the incident lifecycle, the status board's thresholds).
//!
//! No storage, no GUI, no solver, no web framework: every other crate builds on this one
//! (see docs/architecture.md).

pub mod dispatch;
pub mod error;
pub mod field;
pub mod geo_math;
pub mod ids;
pub mod map;
pub mod region;
pub mod rng;
pub mod route;
pub mod time;

pub use error::Error;
