//! A citizen's tip (随手拍) as the command-centre service journals it: what the tipper sent,
//! in journal terms. The photo itself is kept apart from the chain (the service's table);
//! the journal holds its SHA-256, so a photo shown later can be checked against the event.
//! The tipper's phone number is not journaled (a chain is kept for ever; the number only as
//! long as the tip is worked on): `has_phone` says whether one was given.

use serde::{Deserialize, Serialize};

/// What a `tip_received` event from the public page carries besides island and text. Left
/// out of the event when None (the desk's and the demo's tips), so their payloads hash as
/// before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TipRecord {
    /// The code the tipper was given to look the tip up by.
    pub receipt: String,
    /// `hazard`, `traffic_jam`, `accident`, `public_order` or `other`.
    pub category: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The gazetteer place the tipper picked, when they picked one.
    pub place: Option<String>,
    /// Where the position came from: `phone` (the browser's), `photo` (its EXIF, read only
    /// with the tipper's leave), `place` (the gazetteer), or `none`.
    pub position_from: String,
    /// SHA-256 (hex) of the stored photo (the re-encoded one, the only one kept).
    pub photo_sha256: Option<String>,
    pub has_phone: bool,
    /// The tip (its `tip_received` seq) this one was grouped with: same place and category
    /// within minutes.
    pub grouped_with: Option<i64>,
}
