//! A trip in the words a dispatcher reads: drive to the pier, wait for the 09:30
//! sailing, cross, drive on.

use chrono::TimeZone;
use serde::Serialize;

use super::network::{Network, NO_BRIDGE};
use super::trip::{StepKind, Trip};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LegMode {
    Drive,
    Wait,
    Ferry,
    Boat,
    /// On foot from the landing pier (no vehicle on the island).
    Walk,
}

/// The place id legs use for the incident itself.
pub const INCIDENT: &str = "incident";

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Leg {
    pub mode: LegMode,
    pub from: String,
    pub to: String,
    /// RFC 3339 in the region's time zone.
    pub start: String,
    pub seconds: u32,
    /// The ferry route of a wait or ferry leg.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub route: Option<String>,
    /// Bridges a drive leg crosses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub bridges: Vec<String>,
    /// [lon, lat] points to draw the leg.
    pub path: Vec<[f64; 2]>,
}

pub fn legs_of(net: &Network, trip: &Trip, incident: (f64, f64)) -> Vec<Leg> {
    let rfc = |t: i64| net.tz.timestamp_opt(t, 0).single().map(|d| d.to_rfc3339()).unwrap_or_default();
    let id = |n: u32| net.node_ids[n as usize].clone();
    let at = |n: u32| [net.nodes[n as usize].lon, net.nodes[n as usize].lat];
    let mut legs: Vec<Leg> = Vec::new();
    let first_start = trip.steps.first().map(|s| s.start).unwrap_or(trip.depart);
    if first_start > trip.depart {
        // The unit was off the road network (a reported position): reaching its node.
        let to = trip.steps.first().map(|s| id(s.from)).unwrap_or_else(|| INCIDENT.into());
        legs.push(Leg {
            mode: LegMode::Drive,
            from: "position".into(),
            to,
            start: rfc(trip.depart),
            seconds: span(trip.depart, first_start),
            route: None,
            bridges: Vec::new(),
            path: Vec::new(),
        });
    }
    for step in &trip.steps {
        let to_id = step.to.map(id).unwrap_or_else(|| INCIDENT.into());
        let to_at = step.to.map(at).unwrap_or([incident.0, incident.1]);
        match step.kind {
            StepKind::Road { .. } | StepKind::Access | StepKind::Walk { .. } => {
                let bridge = match step.kind {
                    StepKind::Road { bridge, .. } if bridge != NO_BRIDGE => Some(net.bridges[bridge as usize].id.clone()),
                    StepKind::Walk { edge: Some(e) } if net.edge(e).bridge != NO_BRIDGE => {
                        Some(net.bridges[net.edge(e).bridge as usize].id.clone())
                    }
                    _ => None,
                };
                let mode = if matches!(step.kind, StepKind::Walk { .. }) { LegMode::Walk } else { LegMode::Drive };
                let secs = span(step.start, step.end);
                match legs.last_mut() {
                    Some(last) if last.mode == mode && last.to == id(step.from) => {
                        last.to = to_id;
                        last.seconds = last.seconds.saturating_add(secs);
                        last.path.push(to_at);
                        last.bridges.extend(bridge);
                    }
                    _ => legs.push(Leg {
                        mode,
                        from: id(step.from),
                        to: to_id,
                        start: rfc(step.start),
                        seconds: secs,
                        route: None,
                        bridges: bridge.into_iter().collect(),
                        path: vec![at(step.from), to_at],
                    }),
                }
            }
            StepKind::Ferry { depart, .. } | StepKind::Carried { depart } => {
                let route = match step.kind {
                    StepKind::Ferry { arc, .. } => Some(net.ferries[arc as usize].route_id.clone()),
                    _ => None,
                };
                let mode = if route.is_some() { LegMode::Ferry } else { LegMode::Boat };
                if depart > step.start {
                    // Waiting at the pier: for the ferry, or for the boat that fetches the crew.
                    let secs = span(step.start, depart);
                    legs.push(leg(LegMode::Wait, id(step.from), id(step.from), rfc(step.start), secs, route.clone(), vec![at(step.from)]));
                }
                let path = vec![at(step.from), to_at];
                legs.push(leg(mode, id(step.from), to_id, rfc(depart), span(depart, step.end), route, path));
            }
            StepKind::Boat => {
                let path = vec![at(step.from), to_at];
                legs.push(leg(LegMode::Boat, id(step.from), to_id, rfc(step.start), span(step.start, step.end), None, path));
            }
        }
    }
    legs
}

/// A leg that crosses no bridge.
fn leg(mode: LegMode, from: String, to: String, start: String, seconds: u32, route: Option<String>, path: Vec<[f64; 2]>) -> Leg {
    Leg { mode, from, to, start, seconds, route, bridges: Vec::new(), path }
}

/// Seconds from `a` to `b`, saturating (a trip's steps are ordered, so never negative).
fn span(a: i64, b: i64) -> u32 {
    u32::try_from(b.saturating_sub(a).max(0)).unwrap_or(u32::MAX)
}
