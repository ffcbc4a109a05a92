//! Read models: what the desk, the reports and the roster ask the journal.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use super::event::{decode_body, EventBody};
use super::journal::Journal;
use super::scope::Scope;
use crate::open::db;
use tidewatch_core::dispatch::{IncidentState, UnitStatus};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRow {
    pub id: IncidentId,
    pub state: IncidentState,
    pub incident_type: String,
    pub priority: u8,
    pub lon: f64,
    pub lat: f64,
    pub island: Option<String>,
    pub source: String,
    pub synthetic: bool,
    pub received_utc: i64,
    pub dispatched_utc: Option<i64>,
    pub en_route_utc: Option<i64>,
    pub on_scene_utc: Option<i64>,
    pub closed_utc: Option<i64>,
    pub unit_id: Option<String>,
    pub recommended_unit: Option<String>,
    pub rank: Option<u32>,
    pub eta_s: Option<u32>,
    pub route_mode: Option<String>,
    pub drive_s: Option<u32>,
    pub ferry_wait_s: Option<u32>,
    pub crossing_s: Option<u32>,
    pub override_reason: Option<String>,
    pub reassignments: u32,
    /// The police boat carrying `unit_id`'s crew across (issue #16), if one does.
    pub carrier_id: Option<String>,
}

/// One local account as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct AccountRow {
    pub username: String,
    pub role: String,
    pub created_utc: i64,
    pub disabled: bool,
}

const INCIDENT_COLUMNS: &str = "id, state, incident_type, priority, lon, lat, island, source, synthetic, received_utc, dispatched_utc, en_route_utc, on_scene_utc, closed_utc, unit_id, recommended_unit, rank, eta_s, route_mode, drive_s, ferry_wait_s, crossing_s, override_reason, reassignments, carrier_id";

/// The same from a journal older than the carrier column (opened read-only, so never
/// migrated): no boat carried anyone then.
const INCIDENT_COLUMNS_V2: &str = "id, state, incident_type, priority, lon, lat, island, source, synthetic, received_utc, dispatched_utc, en_route_utc, on_scene_utc, closed_utc, unit_id, recommended_unit, rank, eta_s, route_mode, drive_s, ferry_wait_s, crossing_s, override_reason, reassignments, NULL AS carrier_id";

/// A stored name decoded once, here: a value no variant has is a storage fault naming the
/// table, the row and the column, not a panic further up.
fn decode<T>(table: &str, key: impl std::fmt::Display, column: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, Error> {
    parse(value).ok_or_else(|| Error::Storage(format!("{table} row {key}: column {column} has unknown value '{value}'")))
}

fn incident_row(r: &Row) -> Result<IncidentRow, Error> {
    let id: i64 = r.get(0).map_err(db)?;
    Ok(IncidentRow {
        id: IncidentId(id),
        state: decode("incidents", id, "state", &r.get::<_, String>(1).map_err(db)?, IncidentState::parse)?,
        incident_type: r.get(2).map_err(db)?,
        priority: r.get(3).map_err(db)?,
        lon: r.get(4).map_err(db)?,
        lat: r.get(5).map_err(db)?,
        island: r.get(6).map_err(db)?,
        source: r.get(7).map_err(db)?,
        synthetic: r.get(8).map_err(db)?,
        received_utc: r.get(9).map_err(db)?,
        dispatched_utc: r.get(10).map_err(db)?,
        en_route_utc: r.get(11).map_err(db)?,
        on_scene_utc: r.get(12).map_err(db)?,
        closed_utc: r.get(13).map_err(db)?,
        unit_id: r.get(14).map_err(db)?,
        recommended_unit: r.get(15).map_err(db)?,
        rank: r.get(16).map_err(db)?,
        eta_s: r.get(17).map_err(db)?,
        route_mode: r.get(18).map_err(db)?,
        drive_s: r.get(19).map_err(db)?,
        ferry_wait_s: r.get(20).map_err(db)?,
        crossing_s: r.get(21).map_err(db)?,
        override_reason: r.get(22).map_err(db)?,
        reassignments: r.get(23).map_err(db)?,
        carrier_id: r.get(24).map_err(db)?,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub unit_id: String,
    pub status: UnitStatus,
    pub position: String,
    pub incident_id: Option<IncidentId>,
    pub since_utc: i64,
}

/// One historical call, for demand models.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CallRecord {
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub island: Option<String>,
    pub incident_type: String,
    pub priority: u8,
    /// On scene → cleared, seconds, when cleared.
    pub handling_s: Option<u32>,
    /// Where the call was located: what decides which seat's area it is in.
    pub lon: f64,
    pub lat: f64,
}

/// Totals of the four joint lines of work and of citizen tips over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct JointWorkTotals {
    pub checkpoints: u64,
    pub vehicles_checked: u64,
    pub violations: u64,
    pub drunk_driving: u64,
    pub patrol_hours: f64,
    pub service_stalls: u64,
    pub people_served: u64,
    pub hazards_passed: u64,
    pub tips_received: u64,
    pub tips_closed: u64,
    pub synthetic_rows: u64,
    /// Checkpoints that were unannounced raids (also counted in `checkpoints`).
    pub surprise_raids: u64,
    /// Elderly people among `people_served` at service stalls.
    pub elderly_served: u64,
    /// Distinct places (villages) where a service stall stood.
    pub stall_places: u64,
    /// Hazards found by the stations and passed to the traffic police (traffic hazards).
    pub hazards_to_traffic: u64,
    /// Hazards found by the traffic police and passed to the stations (public-order hazards).
    pub hazards_to_stations: u64,
}

fn incident_rows(mut rows: rusqlite::Rows) -> Result<Vec<IncidentRow>, Error> {
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(db)? {
        out.push(incident_row(r)?);
    }
    Ok(out)
}

impl Journal {
    /// The incidents' columns as this journal's schema has them.
    fn incident_columns(&self) -> &'static str {
        if self.has_carrier_column() {
            INCIDENT_COLUMNS
        } else {
            INCIDENT_COLUMNS_V2
        }
    }

    pub fn incident(&self, id: IncidentId) -> Result<Option<IncidentRow>, Error> {
        let cols = self.incident_columns();
        let mut stmt = self.conn().prepare_cached(&format!("SELECT {cols} FROM incidents WHERE id = ?1")).map_err(db)?;
        let mut rows = stmt.query([id.0]).map_err(db)?;
        rows.next().map_err(db)?.map(incident_row).transpose()
    }

    /// Incidents received in `[from, to)` (UTC unix seconds), oldest first.
    pub fn incidents_received(&self, from: i64, to: i64) -> Result<Vec<IncidentRow>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {} FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 ORDER BY received_utc",
                self.incident_columns()
            ))
            .map_err(db)?;
        let rows = incident_rows(stmt.query(params![from, to]).map_err(db)?);
        rows
    }

    pub fn open_incidents(&self) -> Result<Vec<IncidentRow>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {} FROM incidents WHERE state NOT IN ('cleared', 'cancelled') ORDER BY received_utc",
                self.incident_columns()
            ))
            .map_err(db)?;
        let rows = incident_rows(stmt.query([]).map_err(db)?);
        rows
    }

    pub fn unit_rows(&self) -> Result<Vec<UnitRow>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT unit_id, status, position, incident_id, since_utc FROM unit_status ORDER BY unit_id")
            .map_err(db)?;
        let mut rows = stmt.query([]).map_err(db)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db)? {
            let unit_id: String = r.get(0).map_err(db)?;
            let status = decode("unit_status", &unit_id, "status", &r.get::<_, String>(1).map_err(db)?, UnitStatus::parse)?;
            out.push(UnitRow {
                unit_id,
                status,
                position: r.get(2).map_err(db)?,
                incident_id: r.get::<_, Option<i64>>(3).map_err(db)?.map(IncidentId),
                since_utc: r.get(4).map_err(db)?,
            });
        }
        Ok(out)
    }

    /// Calls received in `[from, to)`, for demand models.
    pub fn call_records(&self, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<Vec<CallRecord>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT received_utc, island, incident_type, priority, CASE WHEN state = 'cleared' THEN closed_utc - on_scene_utc END, lon, lat
             FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 ORDER BY received_utc",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![from.timestamp(), to.timestamp()], |r| {
                Ok(CallRecord {
                    received_at: chrono::DateTime::from_timestamp(r.get(0)?, 0).unwrap_or_default(),
                    island: r.get(1)?,
                    incident_type: r.get(2)?,
                    priority: r.get(3)?,
                    handling_s: r.get::<_, Option<i64>>(4)?.map(|s| s.max(0) as u32),
                    lon: r.get(5)?,
                    lat: r.get(6)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    pub fn joint_work_totals(&self, from: i64, to: i64) -> Result<JointWorkTotals, Error> {
        let mut t = JointWorkTotals::default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, COUNT(*), SUM(vehicles_checked), SUM(violations), SUM(drunk_driving), SUM(patrol_hours), SUM(people_served), SUM(synthetic)
             FROM joint_work WHERE at_utc >= ?1 AND at_utc < ?2 GROUP BY kind",
        ).map_err(db)?;
        let mut rows = stmt.query(params![from, to]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            add_joint_work_row(&mut t, r).map_err(db)?;
        }
        self.add_joint_work_details(&mut t, from, to, None)?;
        Ok(t)
    }

    /// The figures the `joint_work` table has no column for, read from the events' payloads
    /// (raids, elderly served, stall places, the direction a hazard was passed in).
    fn add_joint_work_details(&self, t: &mut JointWorkTotals, from: i64, to: i64, island: Option<&str>) -> Result<(), Error> {
        const IN_SCOPE: &str = "at_utc >= ?1 AND at_utc < ?2 AND (?3 IS NULL OR json_extract(payload, '$.island') = ?3)";
        let one = |sql: &str| -> Result<u64, Error> {
            let n: Option<i64> =
                self.conn().prepare_cached(sql).map_err(db)?.query_row(params![from, to, island], |r| r.get(0)).map_err(db)?;
            Ok(n.unwrap_or(0).max(0) as u64)
        };
        t.surprise_raids = one(&format!(
            "SELECT COUNT(*) FROM events WHERE kind = 'checkpoint' AND {IN_SCOPE} AND json_extract(payload, '$.surprise') = 1"
        ))?;
        t.elderly_served =
            one(&format!("SELECT SUM(json_extract(payload, '$.elderly_served')) FROM events WHERE kind = 'service_stall' AND {IN_SCOPE}"))?;
        t.stall_places = one(&format!(
            "SELECT COUNT(DISTINCT json_extract(payload, '$.place')) FROM events WHERE kind = 'service_stall' AND {IN_SCOPE}"
        ))?;
        let passed = |to_line: &str| {
            format!(
                "SELECT COUNT(*) FROM events WHERE kind = 'hazard' AND {IN_SCOPE} AND json_extract(payload, '$.passed_to') = '{to_line}'"
            )
        };
        t.hazards_to_traffic = one(&passed("traffic"))?;
        t.hazards_to_stations = one(&passed("station"))?;
        Ok(())
    }

    /// Incidents received per island in `[from, to)`.
    pub fn incidents_per_island(&self, from: i64, to: i64) -> Result<Vec<(Option<String>, u64)>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT island, COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND state != 'cancelled' GROUP BY island").map_err(db)?;
        let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))).map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Incidents received per type in `[from, to)`.
    pub fn incidents_per_type(&self, from: i64, to: i64) -> Result<Vec<(String, u64)>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT incident_type, COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND state != 'cancelled' GROUP BY incident_type").map_err(db)?;
        let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))).map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Incidents received in `[from, to)` sent to another unit than the recommended one.
    pub fn override_count(&self, from: i64, to: i64) -> Result<u64, Error> {
        Ok(self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND override_reason IS NOT NULL")
            .map_err(db)?
            .query_row(params![from, to], |r| r.get::<_, i64>(0))
            .map_err(db)? as u64)
    }

    pub fn account_count(&self) -> Result<u64, Error> {
        Ok(self.conn().prepare_cached("SELECT COUNT(*) FROM accounts").map_err(db)?.query_row([], |r| r.get::<_, i64>(0)).map_err(db)?
            as u64)
    }

    /// (role, password PHC, disabled) of an account, enabled or not.
    pub fn account(&self, username: &str) -> Result<Option<(String, String, bool)>, Error> {
        self.conn()
            .prepare_cached("SELECT role, password, disabled FROM accounts WHERE username = ?1")
            .map_err(db)?
            .query_row([username], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)))
            .optional()
            .map_err(db)
    }

    /// Every account, enabled or not, by username (no password hashes).
    pub fn accounts(&self) -> Result<Vec<AccountRow>, Error> {
        let mut stmt =
            self.conn().prepare_cached("SELECT username, role, created_utc, disabled FROM accounts ORDER BY username").map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(AccountRow { username: r.get(0)?, role: r.get(1)?, created_utc: r.get(2)?, disabled: r.get::<_, i64>(3)? != 0 })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    pub fn insert_account(&self, username: &str, role: &str, phc: &str, at: i64) -> Result<(), Error> {
        self.conn()
            .prepare_cached("INSERT INTO accounts (username, role, password, created_utc) VALUES (?1, ?2, ?3, ?4)")
            .map_err(db)?
            .execute(params![username, role, phc, at])
            .map_err(db)?;
        Ok(())
    }

    pub fn set_account_disabled(&self, username: &str, disabled: bool) -> Result<(), Error> {
        self.conn()
            .prepare_cached("UPDATE accounts SET disabled = ?2 WHERE username = ?1")
            .map_err(db)?
            .execute(params![username, disabled])
            .map_err(db)?;
        Ok(())
    }

    pub fn set_account_password(&self, username: &str, phc: &str) -> Result<(), Error> {
        self.conn()
            .prepare_cached("UPDATE accounts SET password = ?2 WHERE username = ?1")
            .map_err(db)?
            .execute(params![username, phc])
            .map_err(db)?;
        Ok(())
    }

    pub fn has_synthetic_data(&self) -> Result<bool, Error> {
        self.conn()
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM incidents WHERE synthetic = 1) OR EXISTS(SELECT 1 FROM joint_work WHERE synthetic = 1)",
                [],
                |r| r.get(0),
            )
            .map_err(db)
    }
}

/// A dispatch that sent another unit than the one the desk recommended first, as the
/// supervisor reviews it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct DispatchOverride {
    /// The `dispatched` event.
    pub seq: i64,
    pub incident_id: IncidentId,
    /// When the unit was sent (UTC unix seconds).
    pub at_utc: i64,
    pub incident_type: String,
    pub priority: u8,
    pub island: Option<String>,
    pub recommended_unit: Option<String>,
    pub chosen_unit: String,
    /// 1-based rank of the chosen unit in the recommendation.
    pub rank: Option<u32>,
    /// The chosen unit's predicted arrival, seconds.
    pub eta_s: Option<u32>,
    pub reason: Option<String>,
    pub operator: String,
}

/// Incidents in the journal at all, and the first and last time one was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct IncidentSpan {
    pub incidents: u64,
    pub first_utc: Option<i64>,
    pub last_utc: Option<i64>,
}

/// The island and type filters as SQL parameters: `?3` island, `?4` type, NULL for "any".
const SCOPE_FILTER: &str = "(?3 IS NULL OR island = ?3) AND (?4 IS NULL OR incident_type = ?4)";

impl Journal {
    pub fn incident_span(&self) -> Result<IncidentSpan, Error> {
        self.conn()
            .prepare_cached("SELECT COUNT(*), MIN(received_utc), MAX(received_utc) FROM incidents")
            .map_err(db)?
            .query_row([], |r| Ok(IncidentSpan { incidents: r.get::<_, i64>(0)? as u64, first_utc: r.get(1)?, last_utc: r.get(2)? }))
            .map_err(db)
    }

    /// Incidents (not cancelled) per island in `scope`.
    pub fn incidents_per_island_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, u64)>, Error> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT island, COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND state != 'cancelled' AND {SCOPE_FILTER} GROUP BY island"
        )).map_err(db)?;
        let rows = stmt
            .query_map(params![scope.from, scope.to, scope.island, scope.incident_type], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Incidents (not cancelled) per island and type in `scope`.
    pub fn incidents_per_island_type_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, String, u64)>, Error> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT island, incident_type, COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND state != 'cancelled' AND {SCOPE_FILTER} GROUP BY island, incident_type"
        )).map_err(db)?;
        let rows = stmt
            .query_map(params![scope.from, scope.to, scope.island, scope.incident_type], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Incidents (not cancelled) per type in `scope`.
    pub fn incidents_per_type_in(&self, scope: &Scope) -> Result<Vec<(String, u64)>, Error> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT incident_type, COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND state != 'cancelled' AND {SCOPE_FILTER} GROUP BY incident_type"
        )).map_err(db)?;
        let rows = stmt
            .query_map(params![scope.from, scope.to, scope.island, scope.incident_type], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Incidents in `scope` sent to another unit than the recommended one.
    pub fn override_count_in(&self, scope: &Scope) -> Result<u64, Error> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT COUNT(*) FROM incidents WHERE received_utc >= ?1 AND received_utc < ?2 AND override_reason IS NOT NULL AND {SCOPE_FILTER}"
            )).map_err(db)?
            .query_row(params![scope.from, scope.to, scope.island, scope.incident_type], |r| r.get::<_, i64>(0)).map_err(db)? as u64)
    }

    /// Joint work in `[from, to)` on one island (every island when `None`). Joint work has
    /// no incident type, so the type filter does not apply to it.
    pub fn joint_work_totals_on(&self, from: i64, to: i64, island: Option<&str>) -> Result<JointWorkTotals, Error> {
        let Some(island) = island else { return self.joint_work_totals(from, to) };
        let mut t = JointWorkTotals::default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT kind, COUNT(*), SUM(vehicles_checked), SUM(violations), SUM(drunk_driving), SUM(patrol_hours), SUM(people_served), SUM(synthetic)
             FROM joint_work WHERE at_utc >= ?1 AND at_utc < ?2 AND island = ?3 GROUP BY kind",
        ).map_err(db)?;
        let mut rows = stmt.query(params![from, to, island]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            add_joint_work_row(&mut t, r).map_err(db)?;
        }
        self.add_joint_work_details(&mut t, from, to, Some(island))?;
        Ok(t)
    }

    /// Every dispatch of an incident in `scope` that overrode the recommendation (another
    /// unit than the first, with the operator's reason), oldest first. Reassignments count
    /// each time, so an incident may appear more than once.
    pub fn dispatch_overrides(&self, scope: &Scope) -> Result<Vec<DispatchOverride>, Error> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT e.seq, e.incident_id, e.at_utc, e.operator, e.payload, i.incident_type, i.priority, i.island
             FROM events e JOIN incidents i ON i.id = e.incident_id
             WHERE e.kind = 'dispatched' AND i.received_utc >= ?1 AND i.received_utc < ?2
               AND (?3 IS NULL OR i.island = ?3) AND (?4 IS NULL OR i.incident_type = ?4)
             ORDER BY e.at_utc, e.seq",
            )
            .map_err(db)?;
        let mut rows = stmt.query(params![scope.from, scope.to, scope.island, scope.incident_type]).map_err(db)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db)? {
            let seq: i64 = r.get(0).map_err(db)?;
            let payload: String = r.get(4).map_err(db)?;
            let body = decode_body(seq, "dispatched", &payload)?;
            let EventBody::Dispatched { unit, plan, override_reason, .. } = body else { continue };
            let overridden = override_reason.is_some() || plan.rank.is_some_and(|k| k > 1);
            if !overridden {
                continue;
            }
            out.push(DispatchOverride {
                seq,
                incident_id: IncidentId(r.get(1).map_err(db)?),
                at_utc: r.get(2).map_err(db)?,
                operator: r.get(3).map_err(db)?,
                incident_type: r.get(5).map_err(db)?,
                priority: r.get(6).map_err(db)?,
                island: r.get(7).map_err(db)?,
                recommended_unit: plan.recommended_unit,
                chosen_unit: unit,
                rank: plan.rank,
                eta_s: plan.eta_s,
                reason: override_reason,
            });
        }
        Ok(out)
    }
}

/// One row of `SELECT kind, COUNT(*), SUM(vehicles_checked), SUM(violations),
/// SUM(drunk_driving), SUM(patrol_hours), SUM(people_served), SUM(synthetic) … GROUP BY kind`
/// added to the totals.
fn add_joint_work_row(t: &mut JointWorkTotals, r: &Row) -> rusqlite::Result<()> {
    let kind: String = r.get(0)?;
    let n: i64 = r.get(1)?;
    t.synthetic_rows += r.get::<_, i64>(7)? as u64;
    match kind.as_str() {
        "checkpoint" => {
            t.checkpoints = n as u64;
            t.vehicles_checked = r.get::<_, i64>(2)? as u64;
            t.violations = r.get::<_, i64>(3)? as u64;
            t.drunk_driving = r.get::<_, i64>(4)? as u64;
        }
        "patrol" => t.patrol_hours = r.get(5)?,
        "service_stall" => {
            t.service_stalls = n as u64;
            t.people_served = r.get::<_, i64>(6)? as u64;
        }
        "hazard" => t.hazards_passed = n as u64,
        "tip_received" => t.tips_received = n as u64,
        "tip_closed" => t.tips_closed = n as u64,
        _ => {}
    }
    Ok(())
}

/// Scopes filter the incidents read here (kept here, not in `scope.rs`, so that `scope`
/// needs nothing of `read`).
impl Scope {
    /// Whether an incident read for the period also passes the island and type filters.
    pub fn admits(&self, r: &IncidentRow) -> bool {
        self.island.as_deref().is_none_or(|i| r.island.as_deref() == Some(i))
            && self.incident_type.as_deref().is_none_or(|t| r.incident_type == t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_name_is_a_storage_error_naming_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("j.db")).unwrap();
        j.conn()
            .execute_batch(
                "INSERT INTO incidents (id, state, incident_type, priority, lon, lat, source, received_utc) VALUES (7, 'lost', 'theft', 2, 0, 0, 'phone', 0);
                 INSERT INTO unit_status (unit_id, status, position, since_utc) VALUES ('u1', 'busy', '', 0);",
            )
            .unwrap();
        let err = j.incident(IncidentId(7)).unwrap_err();
        assert!(matches!(err, Error::Storage(_)));
        assert!(err.to_string().contains("incidents row 7: column state has unknown value 'lost'"), "{err}");
        assert!(j.open_incidents().is_err());
        let err = j.unit_rows().unwrap_err();
        assert!(err.to_string().contains("unit_status row u1: column status has unknown value 'busy'"), "{err}");
    }
}
