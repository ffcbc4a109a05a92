//! Tidewatch core: region packs, the travel-time engine and dispatch recommendation.
//!
//! No GUI dependency lives here: the desktop shell (`src-tauri/`) and the CLI
//! (`src/bin/tidewatch.rs`) are thin layers over this crate.

pub mod accounts;
pub mod demo;
pub mod dispatch;
pub mod error;
pub mod geo_math;
pub mod ids;
pub mod map;
pub mod region;
pub mod report;
pub mod rng;
pub mod roster;
pub mod route;
pub mod sim;
pub mod store;
pub mod time;
pub mod workstation;

pub use error::Error;
