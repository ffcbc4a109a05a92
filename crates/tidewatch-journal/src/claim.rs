//! A dispatch claims its unit in the transaction that journals it. The desk checks that a
//! unit is free before it dispatches, but two seats (or two service processes) can check
//! at once and both see it free; only the store sees the commits in order. So the store
//! makes the check again, as one conditional write on the unit's read-model row ("set
//! dispatched only if still available"): the first dispatch changes the row, a second one
//! changes nothing and is refused, naming who holds the unit, and writes nothing.
//!
//! The claim is part of appending, not of the projection: the audit's rebuild replays
//! history into the read models and must not judge it again.

use rusqlite::{params, OptionalExtension};

use super::event::EventBody;
use super::journal::Journal;
use crate::open::db;
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;

/// The unit's row as found when a claim changed nothing.
pub struct HeldUnit {
    pub status: String,
    pub incident: Option<i64>,
    pub since_utc: i64,
}

/// The refusal every store gives for a unit that is not free: `holder` is the operator and
/// time of the event that took it (the dispatch, or the status set by hand), when found.
pub fn unit_taken(unit: &str, held: HeldUnit, holder: Option<(String, i64)>) -> Error {
    let (by, since_utc) = holder.unwrap_or_else(|| ("an earlier event".to_string(), held.since_utc));
    Error::UnitTaken { unit: unit.to_string(), status: held.status, by, incident: held.incident.map(IncidentId), since_utc }
}

/// The units a Dispatched event claims: its unit, and the boat carrying its crew (both
/// or neither); none for other events.
pub fn claimed_units(body: &EventBody) -> Vec<&str> {
    match body {
        EventBody::Dispatched { unit, carrier, .. } => std::iter::once(unit.as_str()).chain(carrier.as_deref()).collect(),
        _ => Vec::new(),
    }
}

impl Journal {
    /// Claims the units of a Dispatched event (the crew and its boat) for `incident` at
    /// `at`, inside the append's transaction; other events claim nothing. A unit without a
    /// row yet is at its base and free. One taken unit refuses the whole event (the append
    /// rolls back the claim of the other).
    pub(crate) fn claim(&self, incident: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
        for unit in claimed_units(body) {
            self.claim_one(incident, at, unit)?;
        }
        Ok(())
    }

    fn claim_one(&self, incident: Option<i64>, at: i64, unit: &str) -> Result<(), Error> {
        let changed = self
            .conn()
            .prepare_cached(
                "INSERT INTO unit_status (unit_id, status, position, incident_id, since_utc) VALUES (?1, 'dispatched', '', ?2, ?3)
                 ON CONFLICT(unit_id) DO UPDATE SET status = 'dispatched', incident_id = excluded.incident_id, since_utc = excluded.since_utc
                 WHERE unit_status.status = 'available'",
            )
            .map_err(db)?
            .execute(params![unit, incident, at])
            .map_err(db)?;
        if changed == 1 {
            return Ok(());
        }
        Err(self.holder_of(unit)?)
    }

    /// Who holds `unit`: its row, and the event that took it.
    fn holder_of(&self, unit: &str) -> Result<Error, Error> {
        let c = self.conn();
        let held = c
            .prepare_cached("SELECT status, incident_id, since_utc FROM unit_status WHERE unit_id = ?1")
            .map_err(db)?
            .query_row([unit], |r| Ok(HeldUnit { status: r.get(0)?, incident: r.get(1)?, since_utc: r.get(2)? }))
            .map_err(db)?;
        let holder = match held.incident {
            Some(incident) => c
                .prepare_cached(
                    "SELECT operator, at_utc FROM events WHERE incident_id = ?1 AND kind = 'dispatched'
                     AND (unit_id = ?2 OR json_extract(payload, '$.carrier') = ?2) ORDER BY seq DESC LIMIT 1",
                )
                .map_err(db)?
                .query_row(params![incident, unit], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional(),
            None => c
                .prepare_cached("SELECT operator, at_utc FROM events WHERE kind = 'unit_status' AND unit_id = ?1 ORDER BY seq DESC LIMIT 1")
                .map_err(db)?
                .query_row([unit], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional(),
        }
        .map_err(db)?;
        Ok(unit_taken(unit, held, holder))
    }
}
