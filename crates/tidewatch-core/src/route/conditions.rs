//! Weather and closures: which bridges, crossings and boats can be used right now.

use serde::{Deserialize, Serialize};

use super::network::{BridgeLink, FerryArc, Network, NO_BRIDGE};
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
    /// What is open at `at` (UTC seconds) under `c`: a bridge is usable from its opening
    /// (`opened` in the pack) and when no closure applies. Judged once, at the query time,
    /// like the weather.
    pub fn new(net: &Network, c: &Conditions, at: i64) -> Result<Passable, Error> {
        check(net, c)?;
        let bridge_open = net
            .bridges
            .iter()
            .map(|b| b.opened_at.is_none_or(|o| at >= o) && bridge_closure(b, c, &net.closed_in_pack).is_none())
            .collect();
        let ferry_running = net.ferries.iter().map(|f| ferry_closure(f, c, &net.closed_in_pack).is_none()).collect();
        Ok(Passable { bridge_open, ferry_running, boats_out: !boats_in_port(net, c) })
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

/// Refuses conditions that cannot be: a wind force off the Beaufort scale, a closure of
/// a link the network does not have.
fn check(net: &Network, c: &Conditions) -> Result<(), Error> {
    if c.wind_force > 17 {
        return Err(Error::invalid("wind", format!("Beaufort force {} is outside 0..=17", c.wind_force)));
    }
    for id in &c.closed {
        let known = net.bridges.iter().any(|b| &b.id == id) || net.ferries.iter().any(|f| &f.route_id == id);
        if !known {
            return Err(Error::unknown("bridge or ferry route", id.clone()));
        }
    }
    Ok(())
}

/// Why a bridge or a ferry route cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ClosedBy {
    /// Closed or suspended by hand by the desk.
    Hand,
    /// The wind is at or over the link's limit (Beaufort).
    Wind { force: u8, limit: u8 },
    /// Visibility is under the route's limit (metres).
    Visibility { visibility_m: u32, limit_m: u32 },
    /// Closed in the region pack itself (`status = closed`, set in the region editor).
    Pack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Bridge,
    Ferry,
}

/// A bridge closed or a ferry route suspended under the conditions, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ClosedLink {
    pub id: String,
    pub kind: LinkKind,
    pub reason: ClosedBy,
}

/// The one rule for bridges: closed by hand first, else by the wind.
fn bridge_closure(b: &BridgeLink, c: &Conditions, closed_in_pack: &[String]) -> Option<ClosedBy> {
    if closed_in_pack.contains(&b.id) {
        return Some(ClosedBy::Pack);
    }
    if c.closed.iter().any(|x| x == &b.id) {
        return Some(ClosedBy::Hand);
    }
    b.close_wind_force.filter(|&limit| c.wind_force >= limit).map(|limit| ClosedBy::Wind { force: c.wind_force, limit })
}

/// The one rule for sailings: suspended by hand, by wind, or by poor visibility.
fn ferry_closure(f: &FerryArc, c: &Conditions, closed_in_pack: &[String]) -> Option<ClosedBy> {
    if closed_in_pack.contains(&f.route_id) {
        return Some(ClosedBy::Pack);
    }
    if c.closed.iter().any(|x| x == &f.route_id) {
        return Some(ClosedBy::Hand);
    }
    if c.wind_force >= f.stop_wind_force {
        return Some(ClosedBy::Wind { force: c.wind_force, limit: f.stop_wind_force });
    }
    match c.visibility_m {
        Some(v) if v < f.stop_visibility_m => Some(ClosedBy::Visibility { visibility_m: v, limit_m: f.stop_visibility_m }),
        _ => None,
    }
}

/// Police boats stay in port at the boat model's stop wind force and above.
pub fn boats_in_port(net: &Network, c: &Conditions) -> bool {
    c.wind_force >= net.boat.stop_wind_force
}

/// Every bridge and ferry route the conditions close, with the reason, in pack order
/// (a ferry route once, though the network holds one arc per direction). Refuses the
/// same conditions [`Passable::new`] refuses. A bridge not yet opened is not listed: it
/// is not a closure of the moment but a link the network does not have yet.
pub fn closed_links(net: &Network, c: &Conditions) -> Result<Vec<ClosedLink>, Error> {
    check(net, c)?;
    let mut out: Vec<ClosedLink> = net
        .bridges
        .iter()
        .filter_map(|b| {
            bridge_closure(b, c, &net.closed_in_pack).map(|reason| ClosedLink { id: b.id.clone(), kind: LinkKind::Bridge, reason })
        })
        .collect();
    for f in &net.ferries {
        if out.iter().any(|l| l.kind == LinkKind::Ferry && l.id == f.route_id) {
            continue;
        }
        if let Some(reason) = ferry_closure(f, c, &net.closed_in_pack) {
            out.push(ClosedLink { id: f.route_id.clone(), kind: LinkKind::Ferry, reason });
        }
    }
    Ok(out)
}
