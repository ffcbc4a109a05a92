//! The typed contents of a region pack, after validation.

use chrono::NaiveDate;
use chrono_tz::Tz;
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::ids::{BridgeId, FerryRouteId, IncidentTypeId, IslandId, OfficerId, PlaceId, UnitId};
use crate::time::{Seconds, TimeOfDay};

/// How sure the pack is of a row. `Low` and `Estimate` count as estimates on the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
    Estimate,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "high" => Confidence::High,
            "medium" => Confidence::Medium,
            "low" => Confidence::Low,
            "estimate" => Confidence::Estimate,
            _ => return None,
        })
    }

    pub fn is_estimate(self) -> bool {
        matches!(self, Confidence::Low | Confidence::Estimate)
    }
}

/// Where a row's facts come from and how sure we are of them.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Provenance {
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
pub struct Bounds {
    pub min_lon: f64,
    pub max_lon: f64,
    pub min_lat: f64,
    pub max_lat: f64,
}

impl Bounds {
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

/// `region.toml` `[defaults]`: the knobs of the travel-time model.
#[derive(Debug, Clone, Serialize)]
pub struct Defaults {
    pub detour_factor: f64,
    pub snap_max_m: f64,
    pub place_tolerance_m: f64,
    pub access_speed_kmh: f64,
    pub ferry_disembark: Seconds,
    pub boat_speed_kmh: f64,
    pub boat_detour_factor: f64,
    pub boat_landing: Seconds,
    /// Police boats stay in port at this Beaufort force and above.
    pub boat_stop_wind_force: u8,
    /// A crew landed by boat on an island with no vehicle walks at this speed.
    pub walk_speed_kmh: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoadClass {
    pub id: String,
    pub speed_kmh: f64,
}

/// How a response reaches its incident; targets and reports are split by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RouteMode {
    Road,
    Bridge,
    Ferry,
}

/// Response-time target (received → on scene) for one priority.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct Target {
    pub priority: u8,
    pub road: Seconds,
    pub bridge: Seconds,
    pub ferry: Seconds,
}

impl Target {
    pub fn for_mode(&self, mode: RouteMode) -> Seconds {
        match mode {
            RouteMode::Road => self.road,
            RouteMode::Bridge => self.bridge,
            RouteMode::Ferry => self.ferry,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionMeta {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(serialize_with = "serialize_tz")]
    pub time_zone: Tz,
    pub attribution: String,
    pub bounds: Bounds,
    pub defaults: Defaults,
    pub road_classes: Vec<RoadClass>,
    pub targets: Vec<Target>,
    pub kpi: KpiDefinitions,
}

/// `region.toml` `[kpi]`: what the district's published figures count, so that the
/// supervisor's KPIs are computed the way the district reports them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KpiDefinitions {
    /// Which islands the "islands with no reported crime" share counts.
    pub islands: KpiIslands,
    /// Incident types that are reported crime (criminal and public-order cases).
    pub crime_types: Vec<String>,
    /// Incident types that are traffic incidents (the year-on-year traffic figure).
    pub traffic_types: Vec<String>,
    /// Traffic accidents handled under the ordinary (not the simple) procedure.
    pub ordinary_traffic_accident_types: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiIslands {
    /// `inhabited = true` and `in_district = true` in islands.geojson.
    #[default]
    InhabitedInDistrict,
    /// Every island with `in_district = true`, inhabited or not.
    InDistrict,
}

impl KpiIslands {
    pub fn counts(self, island: &Island) -> bool {
        island.in_district && (self == KpiIslands::InDistrict || island.inhabited)
    }
}

fn serialize_tz<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

#[derive(Debug, Clone)]
pub struct Island {
    pub id: IslandId,
    pub name_zh: String,
    pub name_en: String,
    pub inhabited: bool,
    pub in_district: bool,
    pub population: Option<u64>,
    pub shape: MultiPolygon<f64>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Station,
    Post,
    TrafficSquadron,
    Pier,
    Village,
    Town,
    Landmark,
    BridgeEnd,
    Junction,
}

impl PlaceKind {
    pub const ALL: [(&'static str, PlaceKind); 9] = [
        ("station", PlaceKind::Station),
        ("post", PlaceKind::Post),
        ("traffic_squadron", PlaceKind::TrafficSquadron),
        ("pier", PlaceKind::Pier),
        ("village", PlaceKind::Village),
        ("town", PlaceKind::Town),
        ("landmark", PlaceKind::Landmark),
        ("bridge_end", PlaceKind::BridgeEnd),
        ("junction", PlaceKind::Junction),
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, k)| *k == self).map(|(n, _)| *n).unwrap_or("?")
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Place {
    pub id: PlaceId,
    pub kind: PlaceKind,
    pub name_zh: String,
    pub name_en: String,
    pub pinyin: String,
    pub lon: f64,
    pub lat: f64,
    pub island: IslandId,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize)]
pub struct Road {
    pub id: String,
    pub from: PlaceId,
    pub to: PlaceId,
    pub class: String,
    pub length_m: f64,
    pub time: Seconds,
    /// Driven only from `from` to `to` (the `oneway` column says `yes`); walked both ways.
    pub one_way: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Bridge {
    pub id: BridgeId,
    pub name_zh: String,
    pub name_en: String,
    pub from: PlaceId,
    pub to: PlaceId,
    pub class: String,
    pub length_m: f64,
    #[ts(type = "number")]
    pub time: Seconds,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the source; `None`: unknown, and
    /// then the bridge is taken as always open. See [`PartialDate::usable_from`].
    #[ts(type = "string | null")]
    pub opened: Option<PartialDate>,
    pub close_wind_force: Option<u8>,
    #[serde(flatten)]
    pub status: LinkStatus,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A date as precise as its source gives it: a year (`2019`), a month (`2007-09`) or a
/// day (`2009-12-25`). Written back as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartialDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl PartialDate {
    /// Strict `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (four-digit year, two-digit month and day,
    /// a real calendar date).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let b = s.as_bytes();
        let shape_ok = match b.len() {
            4 | 7 | 10 => b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() }),
            _ => false,
        };
        if !shape_ok {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        match b.len() {
            4 => Some(PartialDate::Year(year)),
            7 => {
                let month: u32 = s[5..7].parse().ok()?;
                NaiveDate::from_ymd_opt(year, month, 1).map(|_| PartialDate::Month(year, month))
            }
            _ => NaiveDate::from_ymd_opt(year, s[5..7].parse().ok()?, s[8..10].parse().ok()?).map(PartialDate::Day),
        }
    }

    /// The first day the thing surely existed: the day itself, or, for a year or a month,
    /// the day after that period ends (`2019` → 2020-01-01, `2007-09` → 2007-10-01). The
    /// conservative reading: a replay never routes over a bridge that may not have been
    /// open yet. `None` only past the calendar's end (never for a four-digit year).
    pub fn usable_from(self) -> Option<NaiveDate> {
        match self {
            PartialDate::Day(d) => Some(d),
            PartialDate::Month(y, 12) | PartialDate::Year(y) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m + 1, 1),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whether the pack itself closes a bridge or suspends a ferry route (the optional
/// `status` / `closed_reason` columns), e.g. for works lasting weeks. Weather and the
/// dispatcher's own closures come on top, from the route `Conditions`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LinkStatus {
    #[default]
    Open,
    Closed {
        #[serde(rename = "closed_reason")]
        reason: String,
    },
}

impl LinkStatus {
    pub fn is_closed(&self) -> bool {
        matches!(self, LinkStatus::Closed { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum VesselClass {
    HighSpeed,
    Ordinary,
    CarFerry,
}

impl VesselClass {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "high_speed" => VesselClass::HighSpeed,
            "ordinary" => VesselClass::Ordinary,
            "car_ferry" => VesselClass::CarFerry,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FerryRoute {
    pub id: FerryRouteId,
    pub name_zh: String,
    pub name_en: String,
    pub from: PlaceId,
    pub to: PlaceId,
    pub vessel: VesselClass,
    #[ts(type = "number")]
    pub crossing: Seconds,
    pub stop_wind_force: u8,
    pub stop_visibility_m: u32,
    #[serde(flatten)]
    pub status: LinkStatus,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// Which timetable a calendar day runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    Weekday,
    Weekend,
    Holiday,
}

impl DayType {
    pub const ALL: [DayType; 3] = [DayType::Weekday, DayType::Weekend, DayType::Holiday];

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Sailing {
    pub route: FerryRouteId,
    pub from: PlaceId,
    pub day_types: Vec<DayType>,
    pub depart: TimeOfDay,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Traffic,
    Station,
    Joint,
    Post,
    Boat,
}

impl UnitKind {
    pub const ALL: [(&'static str, UnitKind); 5] = [
        ("traffic", UnitKind::Traffic),
        ("station", UnitKind::Station),
        ("joint", UnitKind::Joint),
        ("post", UnitKind::Post),
        ("boat", UnitKind::Boat),
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, k)| *k == self).map(|(n, _)| *n).unwrap_or("?")
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct IncidentType {
    pub id: IncidentTypeId,
    pub name_zh: String,
    pub name_en: String,
    pub unit_kinds: Vec<UnitKind>,
    pub default_priority: u8,
    /// When a police boat may answer although `unit_kinds` does not list boats.
    pub boat_fallback: BoatFallback,
    /// How long a unit is assumed to stay on scene before it can head back, seconds
    /// (`on_scene_min`; [`DEFAULT_ON_SCENE_S`] when the column is empty or absent): when
    /// it can return, when a boat that carried its crew is free again.
    #[serde(skip)]
    #[ts(skip)]
    pub on_scene_s: u32,
}

/// The on-scene time of a type whose `on_scene_min` is empty: 45 minutes.
pub const DEFAULT_ON_SCENE_S: u32 = 45 * 60;

/// `incident_types.csv` `boat_fallback`: may a police boat answer a type it is not listed
/// for? Only as the last resort, and only with a crew of police officers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BoatFallback {
    /// Empty or `never`: only if `unit_kinds` lists `boat`.
    #[default]
    Never,
    /// `police_crew`: a boat whose crew (officers.csv) are police officers is offered when no
    /// eligible unit arrives within the priority's target.
    PoliceCrew,
}

impl BoatFallback {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "" | "never" => Some(BoatFallback::Never),
            "police_crew" => Some(BoatFallback::PoliceCrew),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub call_sign: String,
    pub kind: UnitKind,
    pub base: PlaceId,
    pub crew: u32,
    pub speed_kmh: Option<f64>,
    #[serde(flatten)]
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skills {
    Traffic,
    Station,
    Both,
}

#[derive(Debug, Clone, Serialize)]
pub struct Officer {
    pub id: OfficerId,
    pub name: String,
    pub skills: Skills,
    pub home_island: IslandId,
    pub unit: Option<UnitId>,
    #[serde(flatten)]
    pub provenance: Provenance,
}
