//! The status board: every open incident and every unit, with time in the current state
//! and a colour when a step is overdue.

use serde::{Deserialize, Serialize};

use super::incident::IncidentState;
use crate::ids::IncidentId;
use crate::region::UnitKind;
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TimerLevel {
    Ok,
    Amber,
    Red,
}

/// Seconds in a state before it turns amber, and before it turns red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Limits {
    pub amber_s: u32,
    pub red_s: u32,
}

impl Limits {
    /// The timer's colour after `since` seconds in the state.
    pub fn level(self, since: i64) -> TimerLevel {
        if since >= i64::from(self.red_s) {
            TimerLevel::Red
        } else if since >= i64::from(self.amber_s) {
            TimerLevel::Amber
        } else {
            TimerLevel::Ok
        }
    }

    pub const fn new(amber_s: u32, red_s: u32) -> Limits {
        Limits { amber_s, red_s }
    }

    /// The longer allowance of the two, amber and red each.
    fn longest(self, other: Limits) -> Limits {
        Limits { amber_s: self.amber_s.max(other.amber_s), red_s: self.red_s.max(other.red_s) }
    }
}

/// How the unit on an incident gets there, as the board judges it: the route mode its trip
/// was planned with at dispatch (`road`, `bridge`, `ferry`), except that a police boat's
/// crew is judged as a boat whatever the trip was (it must get the boat under way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BoardMode {
    Road,
    Bridge,
    Ferry,
    Boat,
}

impl BoardMode {
    pub const ALL: [BoardMode; 4] = [BoardMode::Road, BoardMode::Bridge, BoardMode::Ferry, BoardMode::Boat];

    pub fn name(self) -> &'static str {
        match self {
            BoardMode::Road => "road",
            BoardMode::Bridge => "bridge",
            BoardMode::Ferry => "ferry",
            BoardMode::Boat => "boat",
        }
    }

    /// The board's mode of an incident's unit: a boat is a boat; otherwise the route mode
    /// journaled with its dispatch (road when none was).
    pub fn of(unit_kind: Option<UnitKind>, route_mode: Option<&str>) -> BoardMode {
        if unit_kind == Some(UnitKind::Boat) {
            return BoardMode::Boat;
        }
        match route_mode {
            Some("bridge") => BoardMode::Bridge,
            Some("ferry") => BoardMode::Ferry,
            _ => BoardMode::Road,
        }
    }
}

/// What one route mode allows on the way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ModeThresholds {
    /// Dispatched → en route: the crew getting under way. The board uses the longer of
    /// this and the priority's `dispatched` allowance.
    pub turnout: Limits,
    /// En route turns amber at 100 % of the trip's own ETA and red at this percentage.
    pub en_route_red_pct: u32,
}

/// The per-route-mode part of the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ModeTable {
    pub road: ModeThresholds,
    pub bridge: ModeThresholds,
    pub ferry: ModeThresholds,
    pub boat: ModeThresholds,
}

impl ModeTable {
    pub fn get(&self, mode: BoardMode) -> &ModeThresholds {
        match mode {
            BoardMode::Road => &self.road,
            BoardMode::Bridge => &self.bridge,
            BoardMode::Ferry => &self.ferry,
            BoardMode::Boat => &self.boat,
        }
    }
}

/// When the board turns a state amber, then red: by priority (1..=4, index 0..=3) for
/// received, dispatched and on scene; by route mode for turnout and en route. En route is
/// judged against the trip's own ETA (amber at 100 %, red at the mode's percentage), so a
/// ferry trip is not red for waiting for its sailing. Supervisors set them
/// (`Workstation::set_board_thresholds`, journaled as `BoardThresholdsSet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct Thresholds {
    /// received → dispatched, by priority.
    pub received: [Limits; 4],
    /// dispatched → en route, by priority (the route mode's turnout may allow longer).
    pub dispatched: [Limits; 4],
    /// on scene → cleared, by priority.
    pub on_scene: [Limits; 4],
    pub route_modes: ModeTable,
}

/// No timer may be set longer than a day: a longer one would never colour anything.
pub const MAX_THRESHOLD_S: u32 = 24 * 3600;
/// En route red may be set up to ten times the trip's ETA.
pub const MAX_EN_ROUTE_RED_PCT: u32 = 1000;

impl Default for Thresholds {
    fn default() -> Self {
        let by_road = ModeThresholds { turnout: Limits::new(60, 120), en_route_red_pct: 150 };
        Thresholds {
            received: [Limits::new(60, 120), Limits::new(90, 180), Limits::new(180, 360), Limits::new(600, 1200)],
            dispatched: [Limits::new(60, 120), Limits::new(80, 160), Limits::new(120, 300), Limits::new(300, 600)],
            on_scene: [Limits::new(3600, 7200), Limits::new(3600, 7200), Limits::new(5400, 10800), Limits::new(7200, 14400)],
            route_modes: ModeTable {
                road: by_road,
                bridge: by_road,
                ferry: by_road,
                // A boat crew must get to the pier and cast off.
                boat: ModeThresholds { turnout: Limits::new(300, 600), en_route_red_pct: 150 },
            },
        }
    }
}

fn check_limits(field: &str, l: Limits) -> Result<(), Error> {
    if l.amber_s == 0 {
        return Err(Error::invalid(field, "amber must be over 0"));
    }
    if l.red_s > MAX_THRESHOLD_S {
        return Err(Error::invalid(field, format!("red must be at most {} h", MAX_THRESHOLD_S / 3600)));
    }
    if l.amber_s >= l.red_s {
        return Err(Error::invalid(field, "amber must be under red"));
    }
    Ok(())
}

impl Thresholds {
    /// Every timer: amber over 0, under red, red at most a day; every en-route red over
    /// 100 % (amber is at 100 %) and at most 1000 %. The error names the first field wrong,
    /// e.g. `received.p1` or `route_modes.boat.en_route_red_pct`.
    pub fn validate(&self) -> Result<(), Error> {
        for (name, table) in [("received", &self.received), ("dispatched", &self.dispatched), ("on_scene", &self.on_scene)] {
            for (i, l) in table.iter().enumerate() {
                check_limits(&format!("{name}.p{}", i + 1), *l)?;
            }
        }
        for mode in BoardMode::ALL {
            let m = self.route_modes.get(mode);
            check_limits(&format!("route_modes.{}.turnout", mode.name()), m.turnout)?;
            if m.en_route_red_pct <= 100 || m.en_route_red_pct > MAX_EN_ROUTE_RED_PCT {
                return Err(Error::invalid(
                    format!("route_modes.{}.en_route_red_pct", mode.name()),
                    format!("red must be over 100 % of the ETA (amber) and at most {MAX_EN_ROUTE_RED_PCT} %"),
                ));
            }
        }
        Ok(())
    }

    /// The limits for an incident in `state` with priority `priority` (clamped to 1..=4)
    /// whose unit goes by `mode` on a trip of `eta_s` (en route only).
    pub fn limits(&self, state: IncidentState, priority: u8, mode: BoardMode, eta_s: Option<u32>) -> Limits {
        let p = (priority.clamp(1, 4) - 1) as usize;
        match state {
            IncidentState::Received => self.received[p],
            IncidentState::Dispatched => self.dispatched[p].longest(self.route_modes.get(mode).turnout),
            IncidentState::EnRoute => {
                let eta = eta_s.unwrap_or(600).max(60);
                let red = u64::from(eta) * u64::from(self.route_modes.get(mode).en_route_red_pct) / 100;
                Limits::new(eta, u32::try_from(red).unwrap_or(u32::MAX))
            }
            _ => self.on_scene[p],
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct BoardIncident {
    pub id: IncidentId,
    pub state: IncidentState,
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
    /// How the board judged the unit's way out (a boat, or the trip's route mode); none
    /// before a unit is sent.
    pub board_mode: Option<BoardMode>,
    /// When this state turns amber and red (seconds in the state), by the thresholds set.
    pub amber_s: u32,
    pub red_s: u32,
    /// The police boat carrying `unit`'s crew across (issue #16), committed with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier: Option<String>,
    /// The carrier's latest step reported from its crew's phone (`to_pickup`,
    /// `crew_aboard`, `crew_landed`, `returning`, `at_base`); none before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrier_step: Option<String>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct BoardUnit {
    pub unit: String,
    pub call_sign: String,
    pub kind: crate::region::UnitKind,
    pub status: super::UnitStatus,
    pub position: String,
    pub island: String,
    pub lon: f64,
    pub lat: f64,
    pub incident: Option<IncidentId>,
    pub since_s: Option<i64>,
    /// For a boat carrying a crew (issue #16): that crew's unit, on `incident`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub carrying: Option<String>,
    /// Where the newest published patrol plan covering the moment wants the unit (issue
    /// #18); none when no plan gives it anything now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub planned: Option<PlannedTask>,
}

/// What the patrol plan has a unit doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PlannedKind {
    /// A checkpoint on its own island (from leaving the base until the slot ends).
    Checkpoint,
    /// An unannounced raid off its island.
    Raid,
    /// At a stop of its visit list.
    PatrolStop,
    /// On the way to a stop of its visit list.
    ToStop,
}

/// One unit's task of the plan at the moment: "checkpoint at 定海客运码头 19:00–21:00",
/// "patrol stop 3 of 8".
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct PlannedTask {
    /// The plan's `patrol_planned` event.
    pub plan: i64,
    pub kind: PlannedKind,
    pub place: String,
    pub name_zh: String,
    pub name_en: String,
    pub island: String,
    /// The slot or the stop (UTC seconds).
    pub from_utc: i64,
    pub to_utc: i64,
    /// The operation's id, for a checkpoint or raid (its result is recorded against it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub operation: Option<String>,
    /// The stop's number (from 1) and the list's length, for a visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stop: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stops: Option<u32>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Board {
    pub at: i64,
    pub incidents: Vec<BoardIncident>,
    pub units: Vec<BoardUnit>,
}
