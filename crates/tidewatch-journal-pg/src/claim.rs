//! A dispatch claims its unit in the append's transaction, as the SQLite journal does
//! (`tidewatch-journal`'s `claim.rs` says why): one conditional write on the unit's row,
//! "dispatched only if still available"; no row changed → refused, naming who holds it.
//! The chain's advisory lock already orders the appends; the condition is what makes the
//! second of two dispatches of one unit fail instead of overwriting the first.

use sqlx::{Postgres, Row, Transaction};
use tidewatch_core::Error;
use tidewatch_journal::{claimed_units, unit_taken, HeldUnit, NewEvent};

use super::db;

type Tx = Transaction<'static, Postgres>;

/// Claims the units of a Dispatched event (the crew and the boat carrying it), all in
/// the append's transaction: one taken unit refuses the event and the rollback undoes the
/// other's claim. Other events claim nothing.
pub(crate) async fn claim(tx: &mut Tx, e: &NewEvent) -> Result<(), Error> {
    for unit in claimed_units(&e.body) {
        claim_one(tx, e, unit).await?;
    }
    Ok(())
}

async fn claim_one(tx: &mut Tx, e: &NewEvent, unit: &str) -> Result<(), Error> {
    let sql = "INSERT INTO unit_status (unit_id, status, position, incident_id, since_utc) VALUES ($1, 'dispatched', '', $2, $3)
               ON CONFLICT (unit_id) DO UPDATE SET status = 'dispatched', incident_id = excluded.incident_id, since_utc = excluded.since_utc
               WHERE unit_status.status = 'available'";
    let done = sqlx::query(sql).bind(unit).bind(e.incident_id.map(|i| i.0)).bind(e.at_utc).execute(&mut **tx).await.map_err(db)?;
    if done.rows_affected() == 1 {
        return Ok(());
    }
    Err(holder_of(tx, unit).await?)
}

/// Who holds `unit`: its row, and the event that took it.
async fn holder_of(tx: &mut Tx, unit: &str) -> Result<Error, Error> {
    let row = sqlx::query("SELECT status, incident_id, since_utc FROM unit_status WHERE unit_id = $1")
        .bind(unit)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
    let held =
        HeldUnit { status: row.try_get(0).map_err(db)?, incident: row.try_get(1).map_err(db)?, since_utc: row.try_get(2).map_err(db)? };
    let found = match held.incident {
        Some(incident) => {
            sqlx::query(
                "SELECT operator, at_utc FROM events WHERE incident_id = $1 AND kind = 'dispatched'
                 AND (unit_id = $2 OR payload::jsonb ->> 'carrier' = $2) ORDER BY seq DESC LIMIT 1",
            )
            .bind(incident)
            .bind(unit)
            .fetch_optional(&mut **tx)
            .await
        }
        None => {
            sqlx::query("SELECT operator, at_utc FROM events WHERE kind = 'unit_status' AND unit_id = $1 ORDER BY seq DESC LIMIT 1")
                .bind(unit)
                .fetch_optional(&mut **tx)
                .await
        }
    }
    .map_err(db)?;
    let holder = found.map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?))).transpose().map_err(db)?;
    Ok(unit_taken(unit, held, holder))
}
