//! Region packs: the person-editable files that describe an archipelago (see
//! `assets/regions/README.md`), loaded and validated into a [`Region`].

mod calendar;
mod checkpoints;
mod csv_rows;
pub mod edit;
mod load;
mod model;
mod responders;
mod search;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use crate::error::pack::{PackError, PackErrors, ProblemKind, ProblemParams};
pub use calendar::{HolidayCalendar, SpecialDay};
pub use checkpoints::{CheckpointKind, CheckpointSite, CHECKPOINTS};
pub use model::*;
pub use responders::{Responder, ResponderTask, RESPONDERS};

use crate::ids::{IncidentTypeId, IslandId, PlaceId, UnitId};

/// A validated region pack. Built only by [`Region::load`], so every cross-reference in
/// it resolves (a unit's base is a place, a ferry route joins two piers, ...).
#[derive(Debug, Clone)]
pub struct Region {
    pub dir: PathBuf,
    pub meta: RegionMeta,
    pub islands: Vec<Island>,
    /// `islands.geojson` as read, for drawing.
    pub islands_geojson: serde_json::Value,
    pub places: Vec<Place>,
    pub roads: Vec<Road>,
    pub bridges: Vec<Bridge>,
    pub ferry_routes: Vec<FerryRoute>,
    pub sailings: Vec<Sailing>,
    pub incident_types: Vec<IncidentType>,
    pub units: Vec<Unit>,
    pub officers: Vec<crate::region::Officer>,
    /// Community responders per island (`responders.csv`, optional; issue #16).
    pub responders: Vec<Responder>,
    /// Checkpoint and raid sites (`checkpoints.csv`, optional; issue #18).
    pub checkpoints: Vec<CheckpointSite>,
    pub holidays: HolidayCalendar,
    island_index: HashMap<IslandId, usize>,
    place_index: HashMap<PlaceId, usize>,
    unit_index: HashMap<UnitId, usize>,
}

/// Counts printed by `tidewatch region check`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PackCounts {
    pub islands: usize,
    pub places: usize,
    pub roads: usize,
    pub bridges: usize,
    pub ferry_routes: usize,
    pub sailings: usize,
    pub incident_types: usize,
    pub units: usize,
    pub officers: usize,
    pub holidays: usize,
    /// Rows whose confidence is `low` or `estimate`.
    pub estimated: usize,
}

impl Region {
    /// Loads and validates the pack in `dir`. Either every file is valid and
    /// cross-referenced, or every problem found is returned.
    pub fn load(dir: &Path) -> Result<Region, PackErrors> {
        load::load(dir)
    }

    pub fn island(&self, id: &IslandId) -> Option<&Island> {
        self.island_index.get(id).map(|&i| &self.islands[i])
    }

    pub fn island_index(&self, id: &IslandId) -> Option<usize> {
        self.island_index.get(id).copied()
    }

    pub fn place(&self, id: &PlaceId) -> Option<&Place> {
        self.place_index.get(id).map(|&i| &self.places[i])
    }

    pub fn place_index(&self, id: &PlaceId) -> Option<usize> {
        self.place_index.get(id).copied()
    }

    pub fn unit(&self, id: &UnitId) -> Option<&Unit> {
        self.unit_index.get(id).map(|&i| &self.units[i])
    }

    pub fn incident_type(&self, id: &IncidentTypeId) -> Option<&IncidentType> {
        self.incident_types.iter().find(|t| &t.id == id)
    }

    pub fn target(&self, priority: u8) -> Option<&Target> {
        self.meta.targets.iter().find(|t| t.priority == priority)
    }

    pub fn counts(&self) -> PackCounts {
        let est = |p: &Provenance| p.confidence.is_estimate() as usize;
        PackCounts {
            islands: self.islands.len(),
            places: self.places.len(),
            roads: self.roads.len(),
            bridges: self.bridges.len(),
            ferry_routes: self.ferry_routes.len(),
            sailings: self.sailings.len(),
            incident_types: self.incident_types.len(),
            units: self.units.len(),
            officers: self.officers.len(),
            holidays: self.holidays.len(),
            estimated: self.islands.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.places.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.roads.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.bridges.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.ferry_routes.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.sailings.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.units.iter().map(|x| est(&x.provenance)).sum::<usize>()
                + self.officers.iter().map(|x| est(&x.provenance)).sum::<usize>(),
        }
    }
}
