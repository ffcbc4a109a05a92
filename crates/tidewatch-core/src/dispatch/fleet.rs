//! Where each unit is and whether it can take a call.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::{PlaceId, UnitId};
use crate::region::Region;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Available,
    Dispatched,
    EnRoute,
    OnScene,
    OffDuty,
}

impl UnitStatus {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "available" => UnitStatus::Available,
            "dispatched" => UnitStatus::Dispatched,
            "en_route" => UnitStatus::EnRoute,
            "on_scene" => UnitStatus::OnScene,
            "off_duty" => UnitStatus::OffDuty,
            _ => return None,
        })
    }

    /// The name stored in the `unit_status` read model (the serde name).
    pub fn name(self) -> &'static str {
        match self {
            UnitStatus::Available => "available",
            UnitStatus::Dispatched => "dispatched",
            UnitStatus::EnRoute => "en_route",
            UnitStatus::OnScene => "on_scene",
            UnitStatus::OffDuty => "off_duty",
        }
    }

    /// Only an available unit is offered; a busy one is taken only by explicit reassignment.
    pub fn is_free(self) -> bool {
        self == UnitStatus::Available
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnitState {
    pub status: UnitStatus,
    /// The place the unit is at or was last known at (its base at the start of a shift,
    /// the incident's nearest node once on scene).
    pub position: PlaceId,
}

/// The state of every unit of a region.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fleet {
    pub states: HashMap<UnitId, UnitState>,
    /// The units' live fixes (crews' phones), used for the ETA while fresh.
    #[serde(skip)]
    pub live: super::live::Live,
}

impl Fleet {
    /// Every unit on duty, free, at its base: the start of a shift.
    pub fn at_bases(region: &Region) -> Fleet {
        Fleet {
            states: region
                .units
                .iter()
                .map(|u| (u.id.clone(), UnitState { status: UnitStatus::Available, position: u.base.clone() }))
                .collect(),
            live: Default::default(),
        }
    }

    pub fn state(&self, unit: &UnitId) -> Option<&UnitState> {
        self.states.get(unit)
    }
}

/// Where every unit in the fleet starts at `at`, in `units.csv` order (whatever its status):
/// for benchmarks and tools; a recommendation does this for its eligible free units.
pub fn unit_starts(
    region: &crate::region::Region,
    net: &crate::route::Network,
    fleet: &Fleet,
    at: i64,
) -> Result<Vec<(crate::route::UnitStart, super::live::StartFrom)>, crate::Error> {
    region
        .units
        .iter()
        .filter_map(|u| fleet.state(&u.id).map(|s| (u, s)))
        .map(|(u, s)| super::live::start_of(region, net, u, &s.position, &fleet.live, at))
        .collect()
}

#[cfg(test)]
mod status_tests {
    use super::UnitStatus;

    #[test]
    fn stored_name_is_the_serde_name_and_parses_back() {
        for s in [UnitStatus::Available, UnitStatus::Dispatched, UnitStatus::EnRoute, UnitStatus::OnScene, UnitStatus::OffDuty] {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::Value::String(s.name().into()));
            assert_eq!(UnitStatus::parse(s.name()), Some(s));
        }
        assert_eq!(UnitStatus::parse("busy"), None);
    }
}
