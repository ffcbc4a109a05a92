//! The status board: every open incident and every unit, with time in the current state
//! and a colour when a step is overdue.

use serde::{Deserialize, Serialize};

use super::desk::Desk;
use crate::ids::UnitId;
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TimerLevel {
    Ok,
    Amber,
    Red,
}

/// Seconds in a state before it turns amber, and red. En route is judged against the
/// trip's own ETA (amber at 100 %, red at `en_route_red_pct`), so a ferry trip is not red
/// for waiting for its sailing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Thresholds {
    /// received → dispatched, by priority 1..=4: (amber, red).
    pub received: [(u32, u32); 4],
    /// dispatched → en route.
    pub dispatched: [(u32, u32); 4],
    pub en_route_red_pct: u32,
    /// on scene → cleared.
    pub on_scene: [(u32, u32); 4],
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            received: [(60, 120), (90, 180), (180, 360), (600, 1200)],
            dispatched: [(60, 120), (80, 160), (120, 300), (300, 600)],
            en_route_red_pct: 150,
            on_scene: [(3600, 7200), (3600, 7200), (5400, 10800), (7200, 14400)],
        }
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BoardIncident {
    pub id: i64,
    pub state: String,
    pub incident_type: String,
    pub priority: u8,
    pub island: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub unit: Option<String>,
    pub since_s: i64,
    pub level: TimerLevel,
    pub route_mode: Option<String>,
    pub eta_s: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BoardUnit {
    pub unit: String,
    pub call_sign: String,
    pub kind: crate::region::UnitKind,
    pub status: super::UnitStatus,
    pub position: String,
    pub island: String,
    pub lon: f64,
    pub lat: f64,
    pub incident: Option<i64>,
    pub since_s: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Board {
    pub at: i64,
    pub incidents: Vec<BoardIncident>,
    pub units: Vec<BoardUnit>,
}

fn level(since: i64, (amber, red): (u32, u32)) -> TimerLevel {
    if since >= red as i64 {
        TimerLevel::Red
    } else if since >= amber as i64 {
        TimerLevel::Amber
    } else {
        TimerLevel::Ok
    }
}

pub fn board(desk: &Desk, now: i64, t: &Thresholds) -> Result<Board, Error> {
    let mut incidents = Vec::new();
    for r in desk.journal().open_incidents()? {
        let p = (r.priority.clamp(1, 4) - 1) as usize;
        let (since_at, limits) = match r.state.as_str() {
            "received" => (r.received_utc, t.received[p]),
            "dispatched" => (r.dispatched_utc.unwrap_or(r.received_utc), t.dispatched[p]),
            "en_route" => {
                let eta = r.eta_s.unwrap_or(600).max(60);
                (r.en_route_utc.unwrap_or(r.received_utc), (eta, eta * t.en_route_red_pct / 100))
            }
            _ => (r.on_scene_utc.unwrap_or(r.received_utc), t.on_scene[p]),
        };
        let since = (now - since_at).max(0);
        incidents.push(BoardIncident {
            id: r.id,
            state: r.state.clone(),
            incident_type: r.incident_type.clone(),
            priority: r.priority,
            island: r.island.clone(),
            lon: r.lon,
            lat: r.lat,
            unit: r.unit_id.clone(),
            since_s: since,
            level: level(since, limits),
            route_mode: r.route_mode.clone(),
            eta_s: r.eta_s,
        });
    }
    let rows = desk.journal().unit_rows()?;
    let fleet = desk.fleet_at(now)?;
    let mut units = Vec::new();
    for u in &desk.region.units {
        let state = fleet.state(&u.id).ok_or_else(|| Error::unknown("unit", u.id.0.clone()))?;
        let place = desk.region.place(&state.position).ok_or_else(|| Error::unknown("place", state.position.0.clone()))?;
        let row = rows.iter().find(|r| UnitId(r.unit_id.clone()) == u.id);
        units.push(BoardUnit {
            unit: u.id.0.clone(),
            call_sign: u.call_sign.clone(),
            kind: u.kind,
            status: state.status,
            position: state.position.0.clone(),
            island: place.island.0.clone(),
            lon: place.lon,
            lat: place.lat,
            incident: row.and_then(|r| r.incident_id),
            since_s: row.map(|r| (now - r.since_utc).max(0)),
        });
    }
    Ok(Board { at: now, incidents, units })
}
