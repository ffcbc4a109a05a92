//! The journal's own records of what was decided: the unit statuses, route modes, board
//! thresholds and published rosters that events carry, in journal terms. They are not
//! the domain types: a journaled payload can never be rewritten (its text is hashed), so
//! renaming a field in the dispatch rules or the roster model must not change what the
//! journal writes or reads. The domain maps to and from these at the edge: here for the
//! core's types (dispatch rules, region), in `roster` for the roster.
//!
//! Versions: a record whose shape changed carries `"v"`; absent means version 1. Every
//! version ever written still decodes, and decodes to what it was written as, so a payload
//! re-serialised (an export imported elsewhere) hashes as it did.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use tidewatch_core::dispatch::{Limits, ModeTable, ModeThresholds, Thresholds, TripPlan, UnitStatus};
use tidewatch_core::region::RouteMode;

/// A unit's status as journaled (`unit_status` events and the `unit_status` read model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum UnitStatusRecord {
    #[serde(rename = "available")]
    Available,
    #[serde(rename = "dispatched")]
    Dispatched,
    #[serde(rename = "en_route")]
    EnRoute,
    #[serde(rename = "on_scene")]
    OnScene,
    #[serde(rename = "off_duty")]
    OffDuty,
}

impl UnitStatusRecord {
    /// The name journaled and kept in the read model.
    pub fn name(self) -> &'static str {
        match self {
            UnitStatusRecord::Available => "available",
            UnitStatusRecord::Dispatched => "dispatched",
            UnitStatusRecord::EnRoute => "en_route",
            UnitStatusRecord::OnScene => "on_scene",
            UnitStatusRecord::OffDuty => "off_duty",
        }
    }
}

impl From<UnitStatus> for UnitStatusRecord {
    fn from(s: UnitStatus) -> Self {
        match s {
            UnitStatus::Available => UnitStatusRecord::Available,
            UnitStatus::Dispatched => UnitStatusRecord::Dispatched,
            UnitStatus::EnRoute => UnitStatusRecord::EnRoute,
            UnitStatus::OnScene => UnitStatusRecord::OnScene,
            UnitStatus::OffDuty => UnitStatusRecord::OffDuty,
        }
    }
}

impl From<UnitStatusRecord> for UnitStatus {
    fn from(s: UnitStatusRecord) -> Self {
        match s {
            UnitStatusRecord::Available => UnitStatus::Available,
            UnitStatusRecord::Dispatched => UnitStatus::Dispatched,
            UnitStatusRecord::EnRoute => UnitStatus::EnRoute,
            UnitStatusRecord::OnScene => UnitStatus::OnScene,
            UnitStatusRecord::OffDuty => UnitStatus::OffDuty,
        }
    }
}

/// How a dispatched unit's trip was planned, as journaled with the dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
pub enum RouteModeRecord {
    #[serde(rename = "road")]
    Road,
    #[serde(rename = "bridge")]
    Bridge,
    #[serde(rename = "ferry")]
    Ferry,
}

impl RouteModeRecord {
    /// The name journaled and kept in the `incidents` read model.
    pub fn name(self) -> &'static str {
        match self {
            RouteModeRecord::Road => "road",
            RouteModeRecord::Bridge => "bridge",
            RouteModeRecord::Ferry => "ferry",
        }
    }
}

impl From<RouteMode> for RouteModeRecord {
    fn from(m: RouteMode) -> Self {
        match m {
            RouteMode::Road => RouteModeRecord::Road,
            RouteMode::Bridge => RouteModeRecord::Bridge,
            RouteMode::Ferry => RouteModeRecord::Ferry,
        }
    }
}

impl From<RouteModeRecord> for RouteMode {
    fn from(m: RouteModeRecord) -> Self {
        match m {
            RouteModeRecord::Road => RouteMode::Road,
            RouteModeRecord::Bridge => RouteMode::Bridge,
            RouteModeRecord::Ferry => RouteMode::Ferry,
        }
    }
}

/// The plan the unit was sent on: what the desk recommended and what it predicted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DispatchPlan {
    pub recommended_unit: Option<String>,
    /// The boat carrying the recommended unit's crew, when the recommended row was a
    /// carried one (issue #16); absent otherwise, so older records' hashes still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub recommended_carrier: Option<String>,
    /// 1-based rank of the chosen unit in the recommendation.
    pub rank: Option<u32>,
    pub eta_s: Option<u32>,
    pub route_mode: Option<RouteModeRecord>,
    pub drive_s: u32,
    pub ferry_wait_s: u32,
    pub crossing_s: u32,
    /// Where the unit's trip started (a GPS fix or its last known place); absent in
    /// records written before positions, so their hashes still verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from: Option<crate::StartRecord>,
}

impl From<&TripPlan> for DispatchPlan {
    fn from(p: &TripPlan) -> Self {
        DispatchPlan {
            recommended_unit: p.recommended_unit.clone(),
            recommended_carrier: p.recommended_carrier.clone(),
            rank: p.rank,
            eta_s: p.eta_s,
            route_mode: p.route_mode.map(Into::into),
            drive_s: p.drive_s,
            ferry_wait_s: p.ferry_wait_s,
            crossing_s: p.crossing_s,
            from: p.from.as_ref().map(Into::into),
        }
    }
}

/// The status board's thresholds as journaled (`board_thresholds_set`): amber and red
/// seconds by state and priority (index 0 = priority 1), and by route mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ThresholdsRecord {
    pub received: [LimitsRecord; 4],
    pub dispatched: [LimitsRecord; 4],
    pub on_scene: [LimitsRecord; 4],
    pub route_modes: ModeTableRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LimitsRecord {
    pub amber_s: u32,
    pub red_s: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ModeTableRecord {
    pub road: ModeRecord,
    pub bridge: ModeRecord,
    pub ferry: ModeRecord,
    pub boat: ModeRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ModeRecord {
    pub turnout: LimitsRecord,
    pub en_route_red_pct: u32,
}

impl From<Limits> for LimitsRecord {
    fn from(l: Limits) -> Self {
        LimitsRecord { amber_s: l.amber_s, red_s: l.red_s }
    }
}

impl From<LimitsRecord> for Limits {
    fn from(l: LimitsRecord) -> Self {
        Limits::new(l.amber_s, l.red_s)
    }
}

impl From<ModeThresholds> for ModeRecord {
    fn from(m: ModeThresholds) -> Self {
        ModeRecord { turnout: m.turnout.into(), en_route_red_pct: m.en_route_red_pct }
    }
}

impl From<ModeRecord> for ModeThresholds {
    fn from(m: ModeRecord) -> Self {
        ModeThresholds { turnout: m.turnout.into(), en_route_red_pct: m.en_route_red_pct }
    }
}

impl From<Thresholds> for ThresholdsRecord {
    fn from(t: Thresholds) -> Self {
        let m = t.route_modes;
        ThresholdsRecord {
            received: t.received.map(Into::into),
            dispatched: t.dispatched.map(Into::into),
            on_scene: t.on_scene.map(Into::into),
            route_modes: ModeTableRecord { road: m.road.into(), bridge: m.bridge.into(), ferry: m.ferry.into(), boat: m.boat.into() },
        }
    }
}

impl From<ThresholdsRecord> for Thresholds {
    fn from(t: ThresholdsRecord) -> Self {
        let m = t.route_modes;
        Thresholds {
            received: t.received.map(Into::into),
            dispatched: t.dispatched.map(Into::into),
            on_scene: t.on_scene.map(Into::into),
            route_modes: ModeTable { road: m.road.into(), bridge: m.bridge.into(), ferry: m.ferry.into(), boat: m.boat.into() },
        }
    }
}

// ---- published rosters

/// A published roster as journaled (`roster_published`), in the version it was written.
#[derive(Debug, Clone, PartialEq, ts_rs::TS)]
#[ts(type = "unknown")]
pub enum PublishedRosterRecord {
    /// Version 1 (no `v`): the roster file (format 1) as it was published.
    V1(Box<RosterFileV1>),
    /// Version 2: plain rows.
    V2(Box<RosterRecord>),
}

impl PublishedRosterRecord {
    /// The roster as rows, whichever version was written.
    pub fn rows(&self) -> Cow<'_, RosterRecord> {
        match self {
            PublishedRosterRecord::V1(file) => Cow::Owned(file.rows()),
            PublishedRosterRecord::V2(rows) => Cow::Borrowed(rows),
        }
    }
}

impl Serialize for PublishedRosterRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PublishedRosterRecord::V1(file) => file.serialize(s),
            PublishedRosterRecord::V2(rows) => rows.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for PublishedRosterRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        match value.get("v").map(serde_json::Value::as_u64) {
            None => serde_json::from_value(value).map(|f| PublishedRosterRecord::V1(Box::new(f))).map_err(D::Error::custom),
            Some(Some(2)) => serde_json::from_value(value).map(|r| PublishedRosterRecord::V2(Box::new(r))).map_err(D::Error::custom),
            Some(v) => Err(D::Error::custom(format!(
                "roster record version {}: written by a newer desk than this one",
                v.map_or("?".to_string(), |v| v.to_string())
            ))),
        }
    }
}

/// The version marker of a [`RosterRecord`]: serialised as `2`, and only `2` reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ts_rs::TS)]
#[ts(type = "2")]
pub struct Version2;

impl Serialize for Version2 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(2)
    }
}

impl<'de> Deserialize<'de> for Version2 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match u32::deserialize(d)? {
            2 => Ok(Version2),
            v => Err(serde::de::Error::custom(format!("version {v}, not 2"))),
        }
    }
}

/// A published roster, version 2: who crews which unit and every shift as a row, with
/// the plan it answered (days, rules, templates, demand, how the solve went) so that the
/// leader's screen shows it as it was published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RosterRecord {
    pub v: Version2,
    pub region: String,
    pub time_zone: String,
    /// The first local day and the number of days.
    pub from: NaiveDate,
    pub days: u32,
    pub officers: Vec<OfficerRecord>,
    pub shifts: Vec<ShiftRecord>,
    pub plan: PlanRecord,
}

/// One shift worked: the local day it starts on, local start and end, and the instants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ShiftRecord {
    pub officer: String,
    /// Where it is worked (the officer's home island, or where a peak borrowed them).
    pub island: String,
    pub template: String,
    pub date: NaiveDate,
    #[ts(type = "string")]
    pub start: NaiveDateTime,
    #[ts(type = "string")]
    pub end: NaiveDateTime,
    /// UTC unix seconds.
    pub start_utc: i64,
    pub end_utc: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct OfficerRecord {
    pub id: String,
    pub name: String,
    pub skills: SkillsRecord,
    pub home_island: String,
    /// The unit the officer crews: the unit is on duty when one of its officers works on
    /// the officer's home island.
    pub unit: Option<String>,
    pub contract_hours_per_week: u32,
    pub days_off: Vec<NaiveDate>,
    pub requests: Vec<RequestRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum SkillsRecord {
    #[serde(rename = "traffic")]
    Traffic,
    #[serde(rename = "station")]
    Station,
    #[serde(rename = "both")]
    Both,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RequestRecord {
    pub date: NaiveDate,
    pub kind: RequestKindRecord,
    pub template: Option<String>,
    pub weight: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum RequestKindRecord {
    #[serde(rename = "on")]
    On,
    #[serde(rename = "off")]
    Off,
}

/// What the roster was planned against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PlanRecord {
    pub days: Vec<DayRecord>,
    pub rules: RulesRecord,
    pub templates: Vec<TemplateRecord>,
    pub demand: Vec<IslandDemandRecord>,
    pub solve: Option<SolveRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DayRecord {
    pub date: NaiveDate,
    pub day_type: DayTypeRecord,
    pub peak: bool,
    pub season_factor: f64,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum DayTypeRecord {
    #[serde(rename = "weekday")]
    Weekday,
    #[serde(rename = "weekend")]
    Weekend,
    #[serde(rename = "holiday")]
    Holiday,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RulesRecord {
    pub max_hours_per_day: u32,
    pub max_hours_per_week: u32,
    pub min_rest_hours: u32,
    pub max_consecutive_days: u32,
    pub min_days_off_per_week: u32,
    pub min_weekends_off_per_4_weeks: u32,
    pub contract_hours_per_week: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TemplateRecord {
    pub id: String,
    pub start_hour: u32,
    pub hours: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct IslandDemandRecord {
    pub island: String,
    pub name: String,
    pub outlying: bool,
    pub covers: Vec<String>,
    pub hours: Vec<HourDemandRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct HourDemandRecord {
    pub calls_traffic: f64,
    pub calls_station: f64,
    pub handling_traffic_min: f64,
    pub handling_station_min: f64,
    pub erlang_traffic: u32,
    pub erlang_station: u32,
    pub erlang_total: u32,
    pub need: HourNeedRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct HourNeedRecord {
    pub traffic: u32,
    pub station: u32,
    pub total: u32,
    pub floor_traffic: u32,
    pub floor_station: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SolveRecord {
    pub status: SolveStatusRecord,
    pub objective: f64,
    pub gap: f64,
    pub gap_part: Option<String>,
    pub seconds: f64,
    pub parts: Vec<PartRecord>,
    pub weights: WeightsRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub enum SolveStatusRecord {
    #[serde(rename = "optimal")]
    Optimal,
    #[serde(rename = "time_limit")]
    TimeLimit,
    #[serde(rename = "stopped")]
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PartRecord {
    pub part: String,
    pub officers: u64,
    pub variables: u64,
    pub status: Option<SolveStatusRecord>,
    pub objective: f64,
    pub bound: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct WeightsRecord {
    pub floor: f64,
    pub under: f64,
    pub overtime: f64,
    pub hours_spread: f64,
    pub nights_spread: f64,
    pub holiday_spread: f64,
    pub request: f64,
    pub over: f64,
    pub lend: f64,
}

/// Version 1 of a published roster: the roster file (format 1) as journaled before the
/// journal owned its vocabulary, field for field, so that it re-serialises to the text
/// that was hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RosterFileV1 {
    pub format: u32,
    pub region: String,
    pub time_zone: String,
    pub period: PeriodV1,
    pub days: Vec<DayRecord>,
    pub rules: RulesRecord,
    pub templates: Vec<TemplateRecord>,
    pub officers: Vec<OfficerRecord>,
    pub demand: Vec<IslandDemandRecord>,
    pub assignments: Vec<AssignmentV1>,
    pub solve: Option<SolveRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PeriodV1 {
    pub from: NaiveDate,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AssignmentV1 {
    pub officer: String,
    /// Day index in the period of the shift's start.
    pub day: u32,
    pub template: String,
    pub island: String,
    #[ts(type = "string")]
    pub start: DateTime<Utc>,
    #[ts(type = "string")]
    pub end: DateTime<Utc>,
}

impl RosterFileV1 {
    /// The same roster as version 2 rows.
    pub fn rows(&self) -> RosterRecord {
        let tz: chrono_tz::Tz = self.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let shifts = self
            .assignments
            .iter()
            .map(|a| ShiftRecord {
                officer: a.officer.clone(),
                island: a.island.clone(),
                template: a.template.clone(),
                date: self.period.from + chrono::Duration::days(a.day as i64),
                start: local(tz, a.start.timestamp()),
                end: local(tz, a.end.timestamp()),
                start_utc: a.start.timestamp(),
                end_utc: a.end.timestamp(),
            })
            .collect();
        RosterRecord {
            v: Version2,
            region: self.region.clone(),
            time_zone: self.time_zone.clone(),
            from: self.period.from,
            days: self.period.days,
            officers: self.officers.clone(),
            shifts,
            plan: PlanRecord {
                days: self.days.clone(),
                rules: self.rules.clone(),
                templates: self.templates.clone(),
                demand: self.demand.clone(),
                solve: self.solve.clone(),
            },
        }
    }
}

/// The local wall-clock time of UTC second `t` in `tz`.
pub fn local(tz: chrono_tz::Tz, t: i64) -> NaiveDateTime {
    DateTime::from_timestamp(t, 0).unwrap_or_default().with_timezone(&tz).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventBody;

    fn json(body: &EventBody) -> String {
        serde_json::to_string(body).unwrap()
    }

    /// The journaled text of each record is pinned: a payload is hashed as written, so a
    /// renamed domain field must never change it.
    #[test]
    fn unit_status_route_mode_and_thresholds_are_written_as_pinned() {
        let status = EventBody::UnitStatus { unit: "u1".into(), status: UnitStatus::OffDuty.into(), position: "p1".into() };
        assert_eq!(json(&status), r#"{"kind":"unit_status","unit":"u1","status":"off_duty","position":"p1"}"#);
        let plan = TripPlan { route_mode: Some(RouteMode::Ferry), rank: Some(1), ..Default::default() };
        let dispatched = EventBody::Dispatched { unit: "u1".into(), plan: (&plan).into(), override_reason: None, carrier: None };
        assert_eq!(
            json(&dispatched),
            r#"{"kind":"dispatched","unit":"u1","plan":{"recommended_unit":null,"rank":1,"eta_s":null,"route_mode":"ferry","drive_s":0,"ferry_wait_s":0,"crossing_s":0},"override_reason":null}"#
        );
        let t = EventBody::BoardThresholdsSet { thresholds: Thresholds::default().into() };
        let l = |a: u32, r: u32| format!(r#"{{"amber_s":{a},"red_s":{r}}}"#);
        let road = format!(r#"{{"turnout":{},"en_route_red_pct":150}}"#, l(60, 120));
        let expected = format!(
            r#"{{"kind":"board_thresholds_set","thresholds":{{"received":[{},{},{},{}],"dispatched":[{},{},{},{}],"on_scene":[{},{},{},{}],"route_modes":{{"road":{road},"bridge":{road},"ferry":{road},"boat":{{"turnout":{},"en_route_red_pct":150}}}}}}}}"#,
            l(60, 120),
            l(90, 180),
            l(180, 360),
            l(600, 1200),
            l(60, 120),
            l(80, 160),
            l(120, 300),
            l(300, 600),
            l(3600, 7200),
            l(3600, 7200),
            l(5400, 10800),
            l(7200, 14400),
            l(300, 600)
        );
        assert_eq!(json(&t), expected);
    }

    const V1: &str = r#"{"kind":"roster_published","from":"2026-10-08","days":1,"shifts":1,"roster":{"format":1,"region":"dinghai","time_zone":"Asia/Shanghai","period":{"from":"2026-10-08","days":1},"days":[{"date":"2026-10-08","day_type":"holiday","peak":true,"season_factor":1.5,"label":null}],"rules":{"max_hours_per_day":12,"max_hours_per_week":60,"min_rest_hours":11,"max_consecutive_days":6,"min_days_off_per_week":1,"min_weekends_off_per_4_weeks":1,"contract_hours_per_week":40},"templates":[{"id":"E07","start_hour":7,"hours":8}],"officers":[{"id":"o1","name":"Li","skills":"both","home_island":"cezi","unit":"cezi_01","contract_hours_per_week":40,"days_off":[],"requests":[{"date":"2026-10-08","kind":"off","template":null,"weight":1}]}],"demand":[],"assignments":[{"officer":"o1","day":0,"template":"E07","island":"cezi","start":"2026-10-07T23:00:00Z","end":"2026-10-08T07:00:00Z"}],"solve":null}}"#;

    const V2: &str = r#"{"kind":"roster_published","from":"2026-10-08","days":1,"shifts":1,"roster":{"v":2,"region":"dinghai","time_zone":"Asia/Shanghai","from":"2026-10-08","days":1,"officers":[{"id":"o1","name":"Li","skills":"both","home_island":"cezi","unit":"cezi_01","contract_hours_per_week":40,"days_off":[],"requests":[{"date":"2026-10-08","kind":"off","template":null,"weight":1}]}],"shifts":[{"officer":"o1","island":"cezi","template":"E07","date":"2026-10-08","start":"2026-10-08T07:00:00","end":"2026-10-08T15:00:00","start_utc":1791414000,"end_utc":1791442800}],"plan":{"days":[{"date":"2026-10-08","day_type":"holiday","peak":true,"season_factor":1.5,"label":null}],"rules":{"max_hours_per_day":12,"max_hours_per_week":60,"min_rest_hours":11,"max_consecutive_days":6,"min_days_off_per_week":1,"min_weekends_off_per_4_weeks":1,"contract_hours_per_week":40},"templates":[{"id":"E07","start_hour":7,"hours":8}],"demand":[],"solve":null}}}"#;

    fn decode(text: &str) -> EventBody {
        crate::event::decode_body(1, "roster_published", text).unwrap()
    }

    #[test]
    fn a_version_1_roster_reads_as_the_same_rows_as_version_2_and_each_writes_back_as_it_was() {
        let (v1, v2) = (decode(V1), decode(V2));
        assert_eq!(json(&v1), V1, "a v1 payload re-serialises to the text that was hashed");
        assert_eq!(json(&v2), V2, "the v2 format is pinned");
        let rows = |b: &EventBody| match b {
            EventBody::RosterPublished { roster, .. } => roster.rows().into_owned(),
            other => panic!("{other:?}"),
        };
        assert!(matches!(&v1, EventBody::RosterPublished { roster: PublishedRosterRecord::V1(_), .. }));
        assert_eq!(rows(&v1), rows(&v2));
    }

    #[test]
    fn a_roster_record_from_a_newer_desk_is_refused_in_so_many_words() {
        let v3 = V2.replace(r#""v":2"#, r#""v":3"#);
        let err = crate::event::decode_body(1, "roster_published", &v3).unwrap_err().to_string();
        assert!(err.contains("roster record version 3"), "{err}");
    }
}
