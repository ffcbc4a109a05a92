//! What a crew's phone adds to the journal (the crew's page, issue #14): which action the
//! crew member took, when the phone says they took it, and a photo's digest. The photo
//! itself is kept outside the chain (the service's table); its SHA-256 pins it.

use serde::{Deserialize, Serialize};

/// What a crew member did on the crew's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CrewActionKind {
    /// The crew has seen the assignment (no change of the incident's state).
    Acknowledged,
    EnRoute,
    OnScene,
    Cleared,
    /// The crew cannot take the assignment: the unit is withdrawn with the reason, and the
    /// incident waits for another unit.
    Unable,
    Note,
    Photo,
    /// The unit's own status.
    Available,
    OffDuty,
    /// Free again and on its way back to base (available to the desk). From a boat
    /// carrying a crew (on the incident): on its way back, with or without the crew.
    Returning,
    /// A boat carrying a crew (issue #16), on the incident: on its way to the pickup pier.
    ToPickup,
    /// The carried crew is aboard.
    CrewAboard,
    /// The carried crew is put ashore at the landing pier.
    CrewLanded,
    /// The boat is back at its base (the incident still open: its crew came back on its own
    /// way, or the boat waits there to fetch it).
    AtBase,
}

impl CrewActionKind {
    pub fn name(self) -> &'static str {
        match self {
            CrewActionKind::Acknowledged => "acknowledged",
            CrewActionKind::EnRoute => "en_route",
            CrewActionKind::OnScene => "on_scene",
            CrewActionKind::Cleared => "cleared",
            CrewActionKind::Unable => "unable",
            CrewActionKind::Note => "note",
            CrewActionKind::Photo => "photo",
            CrewActionKind::Available => "available",
            CrewActionKind::OffDuty => "off_duty",
            CrewActionKind::Returning => "returning",
            CrewActionKind::ToPickup => "to_pickup",
            CrewActionKind::CrewAboard => "crew_aboard",
            CrewActionKind::CrewLanded => "crew_landed",
            CrewActionKind::AtBase => "at_base",
        }
    }
}

/// A photo from the scene as the journal records it: its digest, size and type (the bytes
/// are the service's, outside the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PhotoRecord {
    /// Lower-case hex SHA-256 of the bytes as received.
    pub sha256: String,
    pub bytes: u64,
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub media_type: String,
}
