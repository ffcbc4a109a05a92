//! Positions from field crews' phones: the apps' wire formats read into [`Fix`]es
//! (`report`), and each fix judged against the region and the unit's last one (`check`).
//! Pure: no storage, no clock (the caller passes `now`), so the rules test in seconds and
//! the service only stores and counts what they decide.

pub mod check;
pub mod drive;
pub mod fix;
pub mod report;

pub use check::{judge, max_speed_kmh, Accepted, Flag, Geometry, Previous, Rules, Verdict};
pub use drive::Drive;
pub use fix::{Fix, Refusal};
pub use report::{osmand_json, osmand_params, owntracks, Parsed};
