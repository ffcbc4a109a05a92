//! What the wire formats read (`report`) and the checks judge (`check`): a fix, and why
//! one was not stored.

use serde::Serialize;

/// One position as the phone reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub lon: f64,
    pub lat: f64,
    /// When the phone took it (UTC unix seconds); None when the app sent no time (the
    /// check then takes the time it arrived).
    pub fix_utc: Option<i64>,
    /// Horizontal accuracy (metres), when the app gave a usable one.
    pub accuracy_m: Option<f64>,
    pub speed_kmh: Option<f64>,
    pub bearing_deg: Option<f64>,
    pub altitude_m: Option<f64>,
    pub battery_pct: Option<f64>,
}

/// Why a position was not stored. `name` is the counter's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No registered device has this secret.
    UnknownDevice,
    /// The device was revoked.
    RevokedDevice,
    Malformed,
    NoFix,
    OutsideRegion,
    AtSea,
    Future,
    TooOld,
    Duplicate,
}

impl Refusal {
    pub const ALL: [Refusal; 9] = [
        Refusal::UnknownDevice,
        Refusal::RevokedDevice,
        Refusal::Malformed,
        Refusal::NoFix,
        Refusal::OutsideRegion,
        Refusal::AtSea,
        Refusal::Future,
        Refusal::TooOld,
        Refusal::Duplicate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Refusal::UnknownDevice => "unknown_device",
            Refusal::RevokedDevice => "revoked_device",
            Refusal::Malformed => "malformed",
            Refusal::NoFix => "no_fix",
            Refusal::OutsideRegion => "outside_region",
            Refusal::AtSea => "at_sea",
            Refusal::Future => "future",
            Refusal::TooOld => "too_old",
            Refusal::Duplicate => "duplicate",
        }
    }
}
