//! Weather and closures: which bridges, crossings and boats can be used right now.

use serde::{Deserialize, Serialize};

use super::network::{Network, NO_BRIDGE};
use crate::Error;

/// Conditions at the query time. Held constant over the search: a forecast change is a
/// new query.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
pub struct Conditions {
    /// Beaufort force, 0–17.
    pub wind_force: u8,
    /// Visibility in metres; `None` is clear.
    pub visibility_m: Option<u32>,
    /// Bridge or ferry-route ids closed by hand.
    pub closed: Vec<String>,
}

/// What the conditions leave open, resolved against one network.
#[derive(Debug, Clone)]
pub struct Passable {
    pub bridge_open: Vec<bool>,
    pub ferry_running: Vec<bool>,
    pub boats_out: bool,
}

impl Passable {
    pub fn new(net: &Network, c: &Conditions) -> Result<Passable, Error> {
        if c.wind_force > 17 {
            return Err(Error::invalid("wind", format!("Beaufort force {} is outside 0..=17", c.wind_force)));
        }
        for id in &c.closed {
            let known = net.bridges.iter().any(|b| &b.id == id) || net.ferries.iter().any(|f| &f.route_id == id);
            if !known {
                return Err(Error::unknown("bridge or ferry route", id.clone()));
            }
        }
        let closed = |id: &str| c.closed.iter().chain(&net.closed_in_pack).any(|x| x == id);
        let bridge_open = net.bridges.iter().map(|b| !closed(&b.id) && b.close_wind_force.is_none_or(|w| c.wind_force < w)).collect();
        let visibility = c.visibility_m.unwrap_or(u32::MAX);
        let ferry_running = net
            .ferries
            .iter()
            .map(|f| !closed(&f.route_id) && c.wind_force < f.stop_wind_force && visibility >= f.stop_visibility_m)
            .collect();
        Ok(Passable { bridge_open, ferry_running, boats_out: c.wind_force < net.boat.stop_wind_force })
    }

    /// Everything open: for tests and benchmarks.
    pub fn all_open(net: &Network) -> Passable {
        Passable { bridge_open: vec![true; net.bridges.len()], ferry_running: vec![true; net.ferries.len()], boats_out: true }
    }

    #[inline]
    pub fn edge_open(&self, bridge: u32) -> bool {
        bridge == NO_BRIDGE || self.bridge_open[bridge as usize]
    }
}
