//! How crews go on after a boat lands them, per island: on foot where the pack stations no
//! vehicle (a leaf of `network`; the searches that use it are in `walk`).

use crate::region::{Region, UnitKind};

const INF: u32 = u32::MAX;

/// Walking speed when the pack names none (`[defaults] walk_speed_kmh`).
pub const DEFAULT_WALK_SPEED_KMH: f64 = 5.0;

/// A road of unknown length (built in code, not from a pack) takes this many times its
/// driving time on foot: about 22 km/h driven against 5 walked.
pub const WALK_FACTOR: u32 = 4;

/// How crews go on after landing, per island.
#[derive(Debug, Clone)]
pub struct LastLegModel {
    pub walk_speed_kmh: f64,
    /// The access speed (incident's road node to the point) over the walking speed.
    access_ratio: f64,
    /// Indexed by island: no vehicle is stationed there.
    on_foot: Vec<bool>,
}

impl LastLegModel {
    pub fn new(walk_speed_kmh: f64, access_speed_kmh: f64, islands: usize, no_vehicle: &[u32]) -> LastLegModel {
        let mut on_foot = vec![false; islands];
        for &i in no_vehicle {
            if let Some(x) = on_foot.get_mut(i as usize) {
                *x = true;
            }
        }
        LastLegModel { walk_speed_kmh, access_ratio: access_speed_kmh / walk_speed_kmh, on_foot }
    }

    /// Crews landed on `island` go on foot.
    pub fn on_foot(&self, island: u32) -> bool {
        self.on_foot.get(island as usize).copied().unwrap_or(false)
    }

    /// The access leg's seconds at walking speed instead of the access speed.
    pub fn access_on_foot(&self, access_s: u32) -> u32 {
        let s = (access_s as f64 * self.access_ratio).round();
        if s.is_finite() && s < INF as f64 {
            s as u32
        } else {
            INF
        }
    }
}

/// Islands on which no land unit is based: a crew landed there walks.
pub fn islands_without_vehicle(region: &Region) -> Vec<u32> {
    (0..region.islands.len() as u32)
        .filter(|&i| {
            let id = &region.islands[i as usize].id;
            !region.units.iter().filter(|u| u.kind != UnitKind::Boat).any(|u| region.place(&u.base).is_some_and(|p| &p.island == id))
        })
        .collect()
}
