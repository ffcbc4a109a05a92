//! The read models as the desk, the reports and the roster read them: the same answers as
//! the SQLite journal's `src/store/read.rs` (checked side by side in tests/contract.rs).

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row};
use tidewatch_core::dispatch::{IncidentState, UnitStatus};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{AccountRow, CallRecord, DispatchOverride, EventBody, IncidentRow, IncidentSpan};
use tidewatch_journal::{JointWorkTotals, ReadModels, Scope, UnitRow};

use super::{db, PgJournal};

macro_rules! incidents_query {
    ($tail:literal) => {
        concat!(
            "SELECT id, state, incident_type, priority, lon, lat, island, source, synthetic, received_utc, dispatched_utc, en_route_utc,
             on_scene_utc, closed_utc, unit_id, recommended_unit, rank, eta_s, route_mode, drive_s, ferry_wait_s, crossing_s,
             override_reason, reassignments, carrier_id FROM incidents ",
            $tail
        )
    };
}

/// The island and type filters: `$3` island, `$4` type, NULL for "any".
macro_rules! scoped {
    ($head:literal, $tail:literal) => {
        concat!($head, " AND ($3::text IS NULL OR island = $3) AND ($4::text IS NULL OR incident_type = $4) ", $tail)
    };
}

type Q<'q> = Query<'q, Postgres, PgArguments>;

fn u32_of(v: Option<i64>) -> Option<u32> {
    v.map(|v| v.clamp(0, u32::MAX as i64) as u32)
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

/// A stored name decoded once, here: a value no variant has is a storage fault naming the
/// table, the row and the column (as the SQLite journal does), not a panic further up.
fn decode<T>(table: &str, key: impl std::fmt::Display, column: &str, value: &str, parse: fn(&str) -> Option<T>) -> Result<T, Error> {
    parse(value).ok_or_else(|| Error::Storage(format!("{table} row {key}: column {column} has unknown value '{value}'")))
}

fn incident_row(r: &PgRow) -> Result<IncidentRow, Error> {
    let id: i64 = r.try_get(0).map_err(db)?;
    let state: String = r.try_get(1).map_err(db)?;
    let state = decode("incidents", id, "state", &state, IncidentState::parse)?;
    incident_columns(r, IncidentId(id), state).map_err(db)
}

fn incident_columns(r: &PgRow, id: IncidentId, state: IncidentState) -> Result<IncidentRow, sqlx::Error> {
    Ok(IncidentRow {
        id,
        state,
        incident_type: r.try_get(2)?,
        priority: r.try_get::<i32, _>(3)?.clamp(0, 255) as u8,
        lon: r.try_get(4)?,
        lat: r.try_get(5)?,
        island: r.try_get(6)?,
        source: r.try_get(7)?,
        synthetic: r.try_get(8)?,
        received_utc: r.try_get(9)?,
        dispatched_utc: r.try_get(10)?,
        en_route_utc: r.try_get(11)?,
        on_scene_utc: r.try_get(12)?,
        closed_utc: r.try_get(13)?,
        unit_id: r.try_get(14)?,
        recommended_unit: r.try_get(15)?,
        rank: u32_of(r.try_get(16)?),
        eta_s: u32_of(r.try_get(17)?),
        route_mode: r.try_get(18)?,
        drive_s: u32_of(r.try_get(19)?),
        ferry_wait_s: u32_of(r.try_get(20)?),
        crossing_s: u32_of(r.try_get(21)?),
        override_reason: r.try_get(22)?,
        reassignments: r.try_get::<i32, _>(23)?.max(0) as u32,
        carrier_id: r.try_get(24)?,
    })
}

fn unit_row(r: &PgRow) -> Result<UnitRow, Error> {
    let unit_id: String = r.try_get(0).map_err(db)?;
    let status: String = r.try_get(1).map_err(db)?;
    let status = decode("unit_status", &unit_id, "status", &status, UnitStatus::parse)?;
    Ok(UnitRow {
        unit_id,
        status,
        position: r.try_get(2).map_err(db)?,
        incident_id: r.try_get::<Option<i64>, _>(3).map_err(db)?.map(IncidentId),
        since_utc: r.try_get(4).map_err(db)?,
    })
}

impl PgJournal {
    fn rows(&self, q: Q<'_>) -> Result<Vec<PgRow>, Error> {
        self.rt.block_on(q.fetch_all(&self.pool)).map_err(db)
    }

    fn one(&self, q: Q<'_>) -> Result<PgRow, Error> {
        self.rt.block_on(q.fetch_one(&self.pool)).map_err(db)
    }

    fn incidents(&self, q: Q<'_>) -> Result<Vec<IncidentRow>, Error> {
        self.rows(q)?.iter().map(incident_row).collect()
    }

    fn scoped<'q>(q: Q<'q>, scope: &'q Scope) -> Q<'q> {
        q.bind(scope.from).bind(scope.to).bind(&scope.island).bind(&scope.incident_type)
    }

    /// The joint-work totals: counts and sums from `joint_work`, the rest from payloads.
    fn joint_work(&self, from: i64, to: i64, island: Option<&str>) -> Result<JointWorkTotals, Error> {
        let mut t = JointWorkTotals::default();
        let sums = "SELECT kind, COUNT(*), SUM(vehicles_checked)::bigint, SUM(violations)::bigint, SUM(drunk_driving)::bigint,
                    SUM(patrol_hours), SUM(people_served)::bigint, COUNT(*) FILTER (WHERE synthetic)
                    FROM joint_work WHERE at_utc >= $1 AND at_utc < $2 AND ($3::text IS NULL OR island = $3) GROUP BY kind";
        for r in self.rows(sqlx::query(sums).bind(from).bind(to).bind(island))? {
            add_joint_work_row(&mut t, &r).map_err(db)?;
        }
        let details = "SELECT
              COUNT(*) FILTER (WHERE kind = 'checkpoint' AND (p->>'surprise')::boolean),
              COALESCE(SUM((p->>'elderly_served')::bigint) FILTER (WHERE kind = 'service_stall'), 0)::bigint,
              COUNT(DISTINCT p->>'place') FILTER (WHERE kind = 'service_stall'),
              COUNT(*) FILTER (WHERE kind = 'hazard' AND p->>'passed_to' = 'traffic'),
              COUNT(*) FILTER (WHERE kind = 'hazard' AND p->>'passed_to' = 'station')
            FROM (SELECT kind, payload::jsonb AS p FROM events
                  WHERE kind IN ('checkpoint', 'service_stall', 'hazard') AND at_utc >= $1 AND at_utc < $2) e
            WHERE $3::text IS NULL OR p->>'island' = $3";
        let r = self.one(sqlx::query(details).bind(from).bind(to).bind(island))?;
        let n = |i: usize| r.try_get::<i64, _>(i).map(count).map_err(db);
        (t.surprise_raids, t.elderly_served, t.stall_places) = (n(0)?, n(1)?, n(2)?);
        (t.hazards_to_traffic, t.hazards_to_stations) = (n(3)?, n(4)?);
        Ok(t)
    }
}

/// One `kind` row of the joint-work sums added to the totals.
fn add_joint_work_row(t: &mut JointWorkTotals, r: &PgRow) -> Result<(), sqlx::Error> {
    let kind: String = r.try_get(0)?;
    let n = count(r.try_get(1)?);
    let sum = |i: usize| r.try_get::<Option<i64>, _>(i).map(|v| count(v.unwrap_or(0)));
    t.synthetic_rows += count(r.try_get(7)?);
    match kind.as_str() {
        "checkpoint" => {
            t.checkpoints = n;
            (t.vehicles_checked, t.violations, t.drunk_driving) = (sum(2)?, sum(3)?, sum(4)?);
        }
        "patrol" => t.patrol_hours = r.try_get::<Option<f64>, _>(5)?.unwrap_or(0.0),
        "service_stall" => (t.service_stalls, t.people_served) = (n, sum(6)?),
        "hazard" => t.hazards_passed = n,
        "tip_received" => t.tips_received = n,
        "tip_closed" => t.tips_closed = n,
        _ => {}
    }
    Ok(())
}

impl ReadModels for PgJournal {
    fn incident(&self, id: IncidentId) -> Result<Option<IncidentRow>, Error> {
        Ok(self.incidents(sqlx::query(incidents_query!("WHERE id = $1")).bind(id.0))?.pop())
    }

    fn next_incident_id(&self) -> Result<IncidentId, Error> {
        self.one(sqlx::query("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents"))?.try_get(0).map(IncidentId).map_err(db)
    }

    fn open_incidents(&self) -> Result<Vec<IncidentRow>, Error> {
        self.incidents(sqlx::query(incidents_query!("WHERE state NOT IN ('cleared', 'cancelled') ORDER BY received_utc, id")))
    }

    fn unit_rows(&self) -> Result<Vec<UnitRow>, Error> {
        let rows = self.rows(sqlx::query("SELECT unit_id, status, position, incident_id, since_utc FROM unit_status ORDER BY unit_id"))?;
        rows.iter().map(unit_row).collect()
    }

    fn incidents_received(&self, from: i64, to: i64) -> Result<Vec<IncidentRow>, Error> {
        self.incidents(
            sqlx::query(incidents_query!("WHERE received_utc >= $1 AND received_utc < $2 ORDER BY received_utc, id")).bind(from).bind(to),
        )
    }

    fn call_records(&self, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<Vec<CallRecord>, Error> {
        let sql =
            "SELECT received_utc, island, incident_type, priority, CASE WHEN state = 'cleared' THEN closed_utc - on_scene_utc END, lon, lat
                   FROM incidents WHERE received_utc >= $1 AND received_utc < $2 ORDER BY received_utc, id";
        let rows = self.rows(sqlx::query(sql).bind(from.timestamp()).bind(to.timestamp()))?;
        rows.iter()
            .map(|r| {
                Ok(CallRecord {
                    received_at: chrono::DateTime::from_timestamp(r.try_get(0)?, 0).unwrap_or_default(),
                    island: r.try_get(1)?,
                    incident_type: r.try_get(2)?,
                    priority: r.try_get::<i32, _>(3)?.clamp(0, 255) as u8,
                    handling_s: r.try_get::<Option<i64>, _>(4)?.map(|s| s.clamp(0, u32::MAX as i64) as u32),
                    lon: r.try_get(5)?,
                    lat: r.try_get(6)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db)
    }

    fn incident_span(&self) -> Result<IncidentSpan, Error> {
        let r = self.one(sqlx::query("SELECT COUNT(*), MIN(received_utc), MAX(received_utc) FROM incidents"))?;
        Ok(IncidentSpan {
            incidents: count(r.try_get(0).map_err(db)?),
            first_utc: r.try_get(1).map_err(db)?,
            last_utc: r.try_get(2).map_err(db)?,
        })
    }

    fn has_synthetic_data(&self) -> Result<bool, Error> {
        let sql = "SELECT EXISTS(SELECT 1 FROM incidents WHERE synthetic) OR EXISTS(SELECT 1 FROM joint_work WHERE synthetic)";
        self.one(sqlx::query(sql))?.try_get(0).map_err(db)
    }

    fn incidents_per_island_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, u64)>, Error> {
        let sql = scoped!(
            "SELECT island, COUNT(*) FROM incidents WHERE received_utc >= $1 AND received_utc < $2 AND state != 'cancelled'",
            "GROUP BY island"
        );
        let rows = self.rows(PgJournal::scoped(sqlx::query(sql), scope))?;
        rows.iter().map(|r| Ok((r.try_get(0)?, count(r.try_get(1)?)))).collect::<Result<_, sqlx::Error>>().map_err(db)
    }

    fn incidents_per_island_type_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, String, u64)>, Error> {
        let sql = scoped!(
            "SELECT island, incident_type, COUNT(*) FROM incidents WHERE received_utc >= $1 AND received_utc < $2 AND state != 'cancelled'",
            "GROUP BY island, incident_type"
        );
        let rows = self.rows(PgJournal::scoped(sqlx::query(sql), scope))?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, count(r.try_get(2)?)))).collect::<Result<_, sqlx::Error>>().map_err(db)
    }

    fn incidents_per_type_in(&self, scope: &Scope) -> Result<Vec<(String, u64)>, Error> {
        let sql = scoped!(
            "SELECT incident_type, COUNT(*) FROM incidents WHERE received_utc >= $1 AND received_utc < $2 AND state != 'cancelled'",
            "GROUP BY incident_type"
        );
        let rows = self.rows(PgJournal::scoped(sqlx::query(sql), scope))?;
        rows.iter().map(|r| Ok((r.try_get(0)?, count(r.try_get(1)?)))).collect::<Result<_, sqlx::Error>>().map_err(db)
    }

    fn override_count_in(&self, scope: &Scope) -> Result<u64, Error> {
        let sql =
            scoped!("SELECT COUNT(*) FROM incidents WHERE received_utc >= $1 AND received_utc < $2 AND override_reason IS NOT NULL", "");
        Ok(count(self.one(PgJournal::scoped(sqlx::query(sql), scope))?.try_get(0).map_err(db)?))
    }

    fn joint_work_totals_on(&self, from: i64, to: i64, island: Option<&str>) -> Result<JointWorkTotals, Error> {
        self.joint_work(from, to, island)
    }

    fn dispatch_overrides(&self, scope: &Scope) -> Result<Vec<DispatchOverride>, Error> {
        let sql = "SELECT e.seq, e.incident_id, e.kind, e.at_utc, e.recorded_utc, e.operator, e.unit_id, e.payload, e.prev_hash, e.hash,
                          i.incident_type, i.priority, i.island
                   FROM events e JOIN incidents i ON i.id = e.incident_id
                   WHERE e.kind = 'dispatched' AND i.received_utc >= $1 AND i.received_utc < $2
                     AND ($3::text IS NULL OR i.island = $3) AND ($4::text IS NULL OR i.incident_type = $4)
                   ORDER BY e.at_utc, e.seq";
        let mut out = Vec::new();
        for r in self.rows(PgJournal::scoped(sqlx::query(sql), scope))? {
            let event = super::event_row(&r)?.into_event()?;
            let EventBody::Dispatched { unit, plan, override_reason, .. } = event.body else { continue };
            let overridden = override_reason.is_some() || plan.rank.is_some_and(|k| k > 1);
            if !overridden {
                continue;
            }
            out.push(DispatchOverride {
                seq: event.seq,
                incident_id: event
                    .incident_id
                    .ok_or_else(|| Error::Storage(format!("event {}: a dispatch without an incident", event.seq)))?,
                at_utc: event.at_utc,
                operator: event.operator,
                incident_type: r.try_get("incident_type").map_err(db)?,
                priority: r.try_get::<i32, _>("priority").map_err(db)?.clamp(0, 255) as u8,
                island: r.try_get("island").map_err(db)?,
                recommended_unit: plan.recommended_unit,
                chosen_unit: unit,
                rank: plan.rank,
                eta_s: plan.eta_s,
                reason: override_reason,
            });
        }
        Ok(out)
    }

    fn account_count(&self) -> Result<u64, Error> {
        Ok(count(self.one(sqlx::query("SELECT COUNT(*) FROM accounts"))?.try_get(0).map_err(db)?))
    }

    fn account(&self, username: &str) -> Result<Option<(String, String, bool)>, Error> {
        let rows =
            self.rows(sqlx::query("SELECT role, password, disabled FROM accounts WHERE username = $1").bind(username.to_string()))?;
        rows.first().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).transpose().map_err(db)
    }

    fn accounts(&self) -> Result<Vec<AccountRow>, Error> {
        let rows = self.rows(sqlx::query("SELECT username, role, created_utc, disabled FROM accounts ORDER BY username"))?;
        rows.iter()
            .map(|r| Ok(AccountRow { username: r.try_get(0)?, role: r.try_get(1)?, created_utc: r.try_get(2)?, disabled: r.try_get(3)? }))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db)
    }
}
