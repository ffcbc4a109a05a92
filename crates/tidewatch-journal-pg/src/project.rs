//! The read models kept in step with the events, in the append's transaction: the same
//! projection as the SQLite journal's (`src/store/journal.rs`), in PostgreSQL's SQL.

use sqlx::{Postgres, Row, Transaction};
use tidewatch_core::Error;
use tidewatch_journal::{CrewActionKind, EventBody, NewEvent, UnitStatusRecord as UnitStatus};

use super::db;

type Tx = Transaction<'static, Postgres>;

/// A serde enum's name as stored (`"en_route"`, `"citizen_tip"`).
fn name_of<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// u32 figures are stored as BIGINT (PostgreSQL has no unsigned types).
fn big(v: Option<u32>) -> Option<i64> {
    v.map(i64::from)
}

/// Applies event `seq` to the read models.
pub(crate) async fn apply(tx: &mut Tx, seq: i64, e: &NewEvent) -> Result<(), Error> {
    // Bound as the BIGINT it is stored as (sqlx stays out of the core's id types).
    let (id, at) = (e.incident_id.map(|i| i.0), e.at_utc);
    match &e.body {
        EventBody::Received { .. } => received(tx, id, at, &e.body).await,
        EventBody::Dispatched { .. } => dispatched(tx, id, at, &e.body).await,
        EventBody::EnRoute { unit } => {
            exec(tx, sqlx::query("UPDATE incidents SET state = 'en_route', en_route_utc = $2 WHERE id = $1").bind(id).bind(at)).await?;
            set_unit(tx, unit, UnitStatus::EnRoute, None, id, at).await?;
            set_carrier(tx, id, UnitStatus::EnRoute, at).await
        }
        EventBody::OnScene { unit } => {
            exec(tx, sqlx::query("UPDATE incidents SET state = 'on_scene', on_scene_utc = $2 WHERE id = $1").bind(id).bind(at)).await?;
            // A unit on scene is where the incident is; after clearing it stays there.
            let node: Option<String> = scalar(tx, sqlx::query("SELECT node FROM incidents WHERE id = $1").bind(id)).await?;
            set_unit(tx, unit, UnitStatus::OnScene, node.as_deref(), id, at).await?;
            // Its boat waits for the crew where it landed them (its place unchanged).
            set_carrier(tx, id, UnitStatus::OnScene, at).await
        }
        EventBody::Cleared { unit, .. } => {
            exec(tx, sqlx::query("UPDATE incidents SET state = 'cleared', closed_utc = $2 WHERE id = $1").bind(id).bind(at)).await?;
            if let Some(unit) = unit {
                set_unit(tx, unit, UnitStatus::Available, None, None, at).await?;
            }
            set_carrier(tx, id, UnitStatus::Available, at).await
        }
        EventBody::Cancelled { .. } => {
            let unit: Option<String> = scalar(tx, sqlx::query("SELECT unit_id FROM incidents WHERE id = $1").bind(id)).await?;
            exec(tx, sqlx::query("UPDATE incidents SET state = 'cancelled', closed_utc = $2 WHERE id = $1").bind(id).bind(at)).await?;
            if let Some(unit) = unit {
                set_unit(tx, &unit, UnitStatus::Available, None, None, at).await?;
            }
            set_carrier(tx, id, UnitStatus::Available, at).await
        }
        EventBody::UnitWithdrawn { unit, .. } => {
            // The boat that carried the crew is freed with it.
            set_carrier(tx, id, UnitStatus::Available, at).await?;
            let sql =
                "UPDATE incidents SET state = 'received', unit_id = NULL, carrier_id = NULL, en_route_utc = NULL, on_scene_utc = NULL,
                       reassignments = reassignments + 1 WHERE id = $1";
            exec(tx, sqlx::query(sql).bind(id)).await?;
            set_unit(tx, unit, UnitStatus::Available, None, None, at).await
        }
        EventBody::UnitStatus { unit, status, position } => set_unit(tx, unit, *status, Some(position), None, at).await,
        EventBody::Correction { field, value, .. } => correction(tx, id, field, value).await,
        // The boat's own release, reported by its phone or marked by the dispatcher.
        EventBody::CrewAction { unit, action: CrewActionKind::AtBase, .. } => release_carrier(tx, id, unit, at).await,
        EventBody::Checkpoint { .. }
        | EventBody::Patrol { .. }
        | EventBody::ServiceStall { .. }
        | EventBody::Hazard { .. }
        | EventBody::TipReceived { .. }
        | EventBody::TipClosed { .. } => joint_work(tx, seq, at, &e.body).await,
        // No read model of their own: read back from the events (conditions, thresholds,
        // rosters), or written beside them (accounts: the password hash is never journaled).
        _ => Ok(()),
    }
}

async fn exec(tx: &mut Tx, q: sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments>) -> Result<(), Error> {
    q.execute(&mut **tx).await.map(drop).map_err(db)
}

/// The first column of the first row, None when there is no row or it is NULL.
async fn scalar(tx: &mut Tx, q: sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments>) -> Result<Option<String>, Error> {
    let row = q.fetch_optional(&mut **tx).await.map_err(db)?;
    row.map(|r| r.try_get::<Option<String>, _>(0)).transpose().map(Option::flatten).map_err(db)
}

async fn received(tx: &mut Tx, id: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
    let EventBody::Received { incident_type, priority, lon, lat, island, node, source, synthetic, .. } = body else { return Ok(()) };
    // The caller chose the id (one past the largest) before the chain's lock: another seat
    // may have taken it meanwhile. Refused by name (`incident_id`), so the caller can take
    // the next one, rather than as a failed statement.
    let sql = "INSERT INTO incidents (id, state, incident_type, priority, lon, lat, island, node, source, synthetic, received_utc)
               VALUES ($1, 'received', $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING";
    let q = sqlx::query(sql)
        .bind(id)
        .bind(incident_type)
        .bind(i32::from(*priority))
        .bind(lon)
        .bind(lat)
        .bind(island)
        .bind(node)
        .bind(name_of(source))
        .bind(synthetic)
        .bind(at);
    let done = q.execute(&mut **tx).await.map_err(db)?;
    if done.rows_affected() == 0 {
        return Err(Error::invalid(INCIDENT_TAKEN, format!("incident {} exists already: another seat took that number", id.unwrap_or(0))));
    }
    Ok(())
}

/// The field of the refusal of a `received` event whose incident id is taken.
const INCIDENT_TAKEN: &str = "incident_id";

async fn dispatched(tx: &mut Tx, id: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
    let EventBody::Dispatched { unit, plan, override_reason, carrier } = body else { return Ok(()) };
    let sql = "UPDATE incidents SET state = 'dispatched', dispatched_utc = COALESCE(dispatched_utc, $2), unit_id = $3,
               recommended_unit = $4, rank = $5, eta_s = $6, route_mode = $7, drive_s = $8, ferry_wait_s = $9, crossing_s = $10,
               override_reason = COALESCE($11, override_reason), en_route_utc = NULL, on_scene_utc = NULL, carrier_id = $12 WHERE id = $1";
    let q = sqlx::query(sql)
        .bind(id)
        .bind(at)
        .bind(unit)
        .bind(&plan.recommended_unit)
        .bind(big(plan.rank))
        .bind(big(plan.eta_s))
        .bind(plan.route_mode.map(|m| m.name()))
        .bind(i64::from(plan.drive_s))
        .bind(i64::from(plan.ferry_wait_s))
        .bind(i64::from(plan.crossing_s))
        .bind(override_reason)
        .bind(carrier);
    exec(tx, q).await?;
    set_unit(tx, unit, UnitStatus::Dispatched, None, id, at).await?;
    match carrier {
        Some(boat) => set_unit(tx, boat, UnitStatus::Dispatched, None, id, at).await,
        None => Ok(()),
    }
}

/// The status of the boat carrying incident `id`'s unit, if one does: it follows its
/// crew's (free again with it), on that incident while busy. Only while the boat is still
/// that incident's: once released at its base (`at_base`) it may be on another incident,
/// which this one's later steps must not touch.
async fn set_carrier(tx: &mut Tx, id: Option<i64>, status: UnitStatus, at: i64) -> Result<(), Error> {
    let Some(boat) = scalar(tx, sqlx::query("SELECT carrier_id FROM incidents WHERE id = $1").bind(id)).await? else { return Ok(()) };
    let on = if status == UnitStatus::Available { None } else { id };
    let sql = "UPDATE unit_status SET status = $2, incident_id = $3, since_utc = $4 WHERE unit_id = $1 AND incident_id = $5";
    exec(tx, sqlx::query(sql).bind(boat).bind(status.name()).bind(on).bind(at).bind(id)).await
}

/// A carrier's `at_base` step (issue #16): the boat is back at its own base and free for
/// other incidents, while the crew it carried stays on this one. Nothing when `unit` is not
/// this incident's carrier or no longer holds it (released or withdrawn already).
async fn release_carrier(tx: &mut Tx, id: Option<i64>, unit: &str, at: i64) -> Result<(), Error> {
    let sql = "UPDATE unit_status SET status = 'available', incident_id = NULL, since_utc = $3 WHERE unit_id = $1 AND incident_id = $2
               AND EXISTS (SELECT 1 FROM incidents WHERE id = $2 AND carrier_id = $1)";
    exec(tx, sqlx::query(sql).bind(unit).bind(id).bind(at)).await
}

async fn set_unit(
    tx: &mut Tx,
    unit: &str,
    status: UnitStatus,
    position: Option<&str>,
    incident: Option<i64>,
    at: i64,
) -> Result<(), Error> {
    let sql = "INSERT INTO unit_status (unit_id, status, position, incident_id, since_utc) VALUES ($1, $2, COALESCE($3, ''), $4, $5)
               ON CONFLICT (unit_id) DO UPDATE SET status = excluded.status, position = COALESCE($3, unit_status.position),
               incident_id = excluded.incident_id, since_utc = excluded.since_utc";
    exec(tx, sqlx::query(sql).bind(unit).bind(status.name()).bind(position).bind(incident).bind(at)).await
}

/// A correction of one of the incident's times, its priority or its type; other fields
/// touch no read model. One statement per column: no SQL is built from the event.
async fn correction(tx: &mut Tx, id: Option<i64>, field: &str, value: &str) -> Result<(), Error> {
    let sql = match field {
        "received_utc" => "UPDATE incidents SET received_utc = $2::bigint WHERE id = $1",
        "dispatched_utc" => "UPDATE incidents SET dispatched_utc = $2::bigint WHERE id = $1",
        "en_route_utc" => "UPDATE incidents SET en_route_utc = $2::bigint WHERE id = $1",
        "on_scene_utc" => "UPDATE incidents SET on_scene_utc = $2::bigint WHERE id = $1",
        "closed_utc" => "UPDATE incidents SET closed_utc = $2::bigint WHERE id = $1",
        "priority" => "UPDATE incidents SET priority = $2::integer WHERE id = $1",
        "incident_type" => "UPDATE incidents SET incident_type = $2 WHERE id = $1",
        _ => return Ok(()),
    };
    exec(tx, sqlx::query(sql).bind(id).bind(value)).await
}

async fn joint_work(tx: &mut Tx, seq: i64, at: i64, body: &EventBody) -> Result<(), Error> {
    let q = match body {
        EventBody::Checkpoint { island, vehicles_checked, violations, synthetic, .. } => {
            let total: u64 = violations.values().map(|&v| u64::from(v)).sum();
            let drunk = violations.get("drunk_driving").copied().unwrap_or(0);
            sqlx::query(
                "INSERT INTO joint_work (seq, kind, at_utc, island, vehicles_checked, violations, drunk_driving, synthetic)
                 VALUES ($1, 'checkpoint', $2, $3, $4, $5, $6, $7)",
            )
            .bind(seq)
            .bind(at)
            .bind(island)
            .bind(i64::from(*vehicles_checked))
            .bind(total as i64)
            .bind(i64::from(drunk))
            .bind(synthetic)
        }
        EventBody::Patrol { island, hours, synthetic, .. } => {
            sqlx::query("INSERT INTO joint_work (seq, kind, at_utc, island, patrol_hours, synthetic) VALUES ($1, 'patrol', $2, $3, $4, $5)")
                .bind(seq)
                .bind(at)
                .bind(island)
                .bind(hours)
                .bind(synthetic)
        }
        EventBody::ServiceStall { island, people_served, synthetic, .. } => sqlx::query(
            "INSERT INTO joint_work (seq, kind, at_utc, island, people_served, synthetic) VALUES ($1, 'service_stall', $2, $3, $4, $5)",
        )
        .bind(seq)
        .bind(at)
        .bind(island)
        .bind(i64::from(*people_served))
        .bind(synthetic),
        EventBody::Hazard { island, synthetic, .. } => {
            sqlx::query("INSERT INTO joint_work (seq, kind, at_utc, island, synthetic) VALUES ($1, 'hazard', $2, $3, $4)")
                .bind(seq)
                .bind(at)
                .bind(island)
                .bind(synthetic)
        }
        EventBody::TipReceived { island, synthetic, .. } => {
            sqlx::query("INSERT INTO joint_work (seq, kind, at_utc, island, tip_id, synthetic) VALUES ($1, 'tip_received', $2, $3, $1, $4)")
                .bind(seq)
                .bind(at)
                .bind(island)
                .bind(synthetic)
        }
        EventBody::TipClosed { tip, .. } => {
            sqlx::query("INSERT INTO joint_work (seq, kind, at_utc, tip_id) VALUES ($1, 'tip_closed', $2, $3)").bind(seq).bind(at).bind(tip)
        }
        _ => return Ok(()),
    };
    exec(tx, q).await
}
