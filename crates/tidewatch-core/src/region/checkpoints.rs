//! `checkpoints.csv` (optional, issue #18): the sites where the joint teams may set up a
//! checkpoint or a surprise raid — piers, bridge heads and main road junctions. Each row
//! names a place of `places.csv`; the weekly checkpoint plan chooses among them.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::csv_rows::CsvFile;
use super::model::{Place, Provenance};
use crate::error::pack::ErrorSink;
use crate::ids::PlaceId;

pub const CHECKPOINTS: &str = "checkpoints.csv";

/// What a checkpoint site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointKind {
    Pier,
    BridgeHead,
    Junction,
}

impl CheckpointKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pier" => Some(CheckpointKind::Pier),
            "bridge_head" => Some(CheckpointKind::BridgeHead),
            "junction" => Some(CheckpointKind::Junction),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            CheckpointKind::Pier => "pier",
            CheckpointKind::BridgeHead => "bridge_head",
            CheckpointKind::Junction => "junction",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointSite {
    pub place: PlaceId,
    pub kind: CheckpointKind,
    #[serde(skip)]
    pub provenance: Option<Provenance>,
}

/// The pack's checkpoint sites; none when the file is absent (it is optional).
pub(super) fn read_checkpoints(
    dir: &Path,
    places: &[Place],
    place_index: &HashMap<PlaceId, usize>,
    sink: &mut ErrorSink,
) -> Vec<CheckpointSite> {
    if !dir.join(CHECKPOINTS).exists() {
        return Vec::new();
    }
    let Some(file) = CsvFile::read(dir, CHECKPOINTS, &["place", "kind", "source", "confidence"], sink) else {
        return Vec::new();
    };
    let mut out: Vec<CheckpointSite> = Vec::new();
    for row in file.rows() {
        let place = row.id(sink, "place");
        let kind = row.choice(sink, "kind", CheckpointKind::parse, "pier, bridge_head, junction");
        let provenance = row.provenance(sink);
        let (Some(place), Some(kind), Some(provenance)) = (place, kind, provenance) else { continue };
        let place = PlaceId(place);
        let Some(&k) = place_index.get(&place) else {
            row.error(sink, "place", format!("place '{}' is not in places.csv", place.0));
            continue;
        };
        if out.iter().any(|c| c.place == place) {
            row.error(sink, "place", format!("duplicate checkpoint site '{}'", place.0));
            continue;
        }
        // A pier checkpoint at a village would be a typo the plan cannot show on a map.
        use super::model::PlaceKind as P;
        let fits = match kind {
            CheckpointKind::Pier => places[k].kind == P::Pier,
            CheckpointKind::BridgeHead => places[k].kind == P::BridgeEnd,
            CheckpointKind::Junction => !matches!(places[k].kind, P::Pier | P::BridgeEnd),
        };
        if !fits {
            row.error(sink, "kind", format!("'{}' is a {} in places.csv, not a {}", place.0, places[k].kind.name(), kind.name()));
            continue;
        }
        out.push(CheckpointSite { place, kind, provenance: Some(provenance) });
    }
    out
}
