//! Where an incident is: on which island, and which road node it is reached from.
//! A point is never snapped across water: only to nodes of the island it lies on.
//!
//! - On an island: inside its polygon, or in a hole of it (holes count as land, see
//!   `geo_math::land_of`); where polygons overlap, the first island in the pack's order
//!   whose polygon (holes excluded) holds the point, else the first whose land does.
//! - Snap target: the island's nearest place of any kind (every place is a road node),
//!   by great-circle distance; on a tie the first in `places.csv` order.
//! - At sea: the nearest island by great-circle distance to its coastline; on a tie the
//!   first in `islands.geojson` order.
//! - Distances are rounded to the metre for display; the access time is from the
//!   unrounded distance, rounded to the second (at least 1 s for a real move).

use geo::{Contains, Point};
use serde::Serialize;

use super::network::{Network, NodeIx};
use crate::geo_math::{haversine_m, metres_to_coast};
use crate::time::Seconds;

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Location {
    pub lon: f64,
    pub lat: f64,
    /// The island the point is on, if any.
    pub island: Option<String>,
    pub at_sea: bool,
    /// The road node the incident is reached from, and how far it is.
    #[serde(skip)]
    pub node: Option<NodeIx>,
    pub node_id: Option<String>,
    pub snap_m: f64,
    /// From the road node to the point, at the access speed.
    pub access_s: u32,
    /// Further than the pack's `snap_max_m` from every road node of its island.
    pub off_network: bool,
    /// For a point at sea: the nearest island and how far off it the point is.
    pub nearest_island: Option<String>,
    pub nearest_island_m: Option<f64>,
}

pub fn locate(net: &Network, lon: f64, lat: f64) -> Location {
    let p = Point::new(lon, lat);
    let on = net.islands.iter().position(|i| i.shape.contains(&p)).or_else(|| net.islands.iter().position(|i| i.land.contains(&p)));
    let Some(island) = on else {
        // Off every island's land, the nearest land is on an outer coastline.
        let nearest = net.islands.iter().map(|i| (i, metres_to_coast(&i.shape, lon, lat))).min_by(|a, b| a.1.total_cmp(&b.1));
        return Location {
            lon,
            lat,
            island: None,
            at_sea: true,
            node: None,
            node_id: None,
            snap_m: 0.0,
            access_s: 0,
            off_network: false,
            nearest_island: nearest.map(|(i, _)| i.id.clone()),
            nearest_island_m: nearest.map(|(_, m)| m.round()),
        };
    };
    let nearest_node =
        net.island_nodes[island].iter().map(|&n| (n, haversine_m((lon, lat), net.pos(n)))).min_by(|a, b| a.1.total_cmp(&b.1));
    let (node, snap_m) = match nearest_node {
        Some((n, m)) => (Some(n), m),
        None => (None, f64::INFINITY),
    };
    Location {
        lon,
        lat,
        island: Some(net.islands[island].id.clone()),
        at_sea: false,
        node,
        node_id: node.map(|n| net.node_ids[n as usize].clone()),
        snap_m: if snap_m.is_finite() { snap_m.round() } else { 0.0 },
        access_s: if snap_m.is_finite() { Seconds::travel(snap_m, net.access_speed_kmh).0 } else { 0 },
        off_network: node.is_none() || snap_m > net.snap_max_m,
        nearest_island: None,
        nearest_island_m: None,
    }
}
