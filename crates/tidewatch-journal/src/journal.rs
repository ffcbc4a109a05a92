//! The journal: an append-only SQLite event log with a hash chain, and the projections
//! (incidents, unit status, joint work) derived from it as events are appended.
//!
//! This is the narrow storage interface of the core: nothing above it writes SQL.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use sha2::{Digest, Sha256};

use super::crew::CrewActionKind;
use super::event::{Event, EventBody, StoredEvent, EVENT_COLUMNS};
use super::lock::{JournalLock, LockMode};
use super::open::{db, sibling};
use super::records::UnitStatusRecord as UnitStatus;
use super::{migrations, open};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;

pub struct Journal {
    // Declared before `lock`: the connection closes (and checkpoints) before the lock goes.
    conn: Connection,
    path: PathBuf,
    /// The chain head as of this handle's last read or write; re-read inside every write
    /// transaction, so another handle's appends (or a restore) never fork the chain.
    last_hash: [u8; 32],
    last_seq: i64,
    in_batch: bool,
    /// The process lock of a writer; `None` when opened read-only.
    lock: Option<JournalLock>,
    /// This handle made the file ([`Journal::create`]): only then may it delete it.
    created: bool,
    /// Opened for writing: a writer's file under its lock, or the audit's private scratch.
    writable: bool,
    /// `incidents` has `carrier_id` (migration 3): always, but in an older journal opened
    /// read-only (never migrated).
    carrier_column: bool,
}

/// An event the journal has made durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Ack {
    pub seq: i64,
    #[serde(skip)]
    pub hash: [u8; 32],
}

/// `sha256(prev ‖ seq ‖ incident ‖ kind ‖ at ‖ recorded ‖ operator ‖ unit ‖ payload)`, with
/// lengths so that no two different events hash alike by concatenation.
#[allow(clippy::too_many_arguments)]
pub(crate) fn chain_hash(
    prev: &[u8; 32],
    seq: i64,
    incident: Option<i64>,
    kind: &str,
    at: i64,
    recorded: i64,
    operator: &str,
    unit: Option<&str>,
    payload: &str,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(seq.to_le_bytes());
    h.update(incident.unwrap_or(-1).to_le_bytes());
    for s in [kind, operator, unit.unwrap_or(""), payload] {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    }
    h.update(at.to_le_bytes());
    h.update(recorded.to_le_bytes());
    h.finalize().into()
}

/// The last event's seq and hash (0 and zeros for an empty journal).
fn tail(conn: &Connection) -> Result<(i64, [u8; 32]), Error> {
    let tail = conn
        .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        .map_err(db)?
        .query_row([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .optional()
        .map_err(db)?;
    Ok(tail.map(|(s, h)| (s, h.try_into().unwrap_or([0u8; 32]))).unwrap_or((0, [0u8; 32])))
}

/// Does `table` have `column`? (A journal opened read-only keeps the schema it was written
/// with.)
pub(crate) fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool, Error> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).map_err(db)?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1)).map_err(db)?;
    for name in names {
        if name.map_err(db)? == column {
            return Ok(true);
        }
    }
    Ok(false)
}

fn make_parent(path: &Path) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::Storage(format!("{}: {e}", dir.display())))?;
    }
    Ok(())
}

/// A writer's connection to the journal at `path`, schema brought up to date, and its
/// chain head. An existing file that is not a Tidewatch journal, or is from a newer
/// version, is refused before anything writes to it.
fn connect(path: &Path) -> Result<(Connection, i64, [u8; 32]), Error> {
    // No URI flag: the path is a path.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Storage(format!("{}: {e}", path.display())))?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db)?;
    open::check(&conn, path)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(db)?;
    // FULL: a commit is on disk before the caller hears "saved".
    conn.pragma_update(None, "synchronous", "FULL").map_err(db)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(db)?;
    migrations::apply(&conn).map_err(db)?;
    let (last_seq, last_hash) = tail(&conn)?;
    Ok((conn, last_seq, last_hash))
}

/// Removes a journal file this process made, and SQLite's files beside it.
fn remove_with_sidecars(path: &Path) -> Result<(), Error> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        match std::fs::remove_file(sibling(path, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

impl Journal {
    /// Opens (creating if needed) the journal at `path` for writing and brings its schema up
    /// to date. Takes the journal's process lock for as long as the handle lives: a journal
    /// another process writes (a desk, an import, a restore) is refused, naming it. An
    /// existing file that is not a Tidewatch journal, or is from a newer version, is refused
    /// untouched.
    pub fn open(path: &Path) -> Result<Journal, Error> {
        make_parent(path)?;
        let lock = JournalLock::acquire(path, LockMode::Writer)?;
        let (conn, last_seq, last_hash) = connect(path)?;
        Ok(Journal::writer(conn, path, (last_seq, last_hash), lock, false))
    }

    /// A writer's handle: under `lock`, at chain head `head`; `created` when it made the file.
    fn writer(conn: Connection, path: &Path, head: (i64, [u8; 32]), lock: JournalLock, created: bool) -> Journal {
        let (last_seq, last_hash) = head;
        Journal {
            conn,
            path: path.to_path_buf(),
            last_hash,
            last_seq,
            in_batch: false,
            lock: Some(lock),
            created,
            writable: true,
            carrier_column: true,
        }
    }

    /// Creates a new journal at `path` (an import's target); refused if the file, or a
    /// write-ahead log of an earlier one, is already there. Only a handle made here may
    /// [`Journal::discard`] its file.
    pub fn create(path: &Path) -> Result<Journal, Error> {
        make_parent(path)?;
        let lock = JournalLock::acquire(path, LockMode::Writer)?;
        // Checked under the lock, so a file found here was made by someone else.
        if path.exists() {
            return Err(Error::Storage(format!("{} exists: choose a new file", path.display())));
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = sibling(path, suffix);
            if side.exists() {
                return Err(Error::Storage(format!("{} exists (left by an earlier journal): move it away first", side.display())));
            }
        }
        match std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::Storage(format!("{} exists: choose a new file", path.display())));
            }
            Err(e) => return Err(Error::Storage(format!("{}: {e}", path.display()))),
        }
        match connect(path) {
            Ok((conn, last_seq, last_hash)) => Ok(Journal::writer(conn, path, (last_seq, last_hash), lock, true)),
            Err(e) => {
                // Still under the lock: nobody else can have opened what we made.
                remove_with_sidecars(path)?;
                Err(e)
            }
        }
    }

    /// Opens the journal at `path` read-only: no lock, no migrations, and the file is never
    /// created or changed (reports, audits, exports; evidence copies on read-only media).
    /// Refuses a missing file, a file that is not a Tidewatch journal, an empty database and
    /// a journal from a newer version, each in so many words.
    pub fn open_read_only(path: &Path) -> Result<Journal, Error> {
        let conn = open::read_only(path)?;
        let (last_seq, last_hash) = tail(&conn)?;
        let carrier_column = has_column(&conn, "incidents", "carrier_id")?;
        Ok(Journal {
            conn,
            path: path.to_path_buf(),
            last_hash,
            last_seq,
            in_batch: false,
            lock: None,
            created: false,
            writable: false,
            carrier_column,
        })
    }

    /// Deletes the journal this handle created with [`Journal::create`] (an import that
    /// failed), with its write-ahead files. A journal it did not create is refused.
    pub fn discard(self) -> Result<(), Error> {
        let Journal { conn, path, lock, created, .. } = self;
        if !created {
            return Err(Error::Storage(format!("{} was not created by this handle: not deleted", path.display())));
        }
        conn.close().map_err(|(_, e)| db(e))?;
        remove_with_sidecars(&path)?;
        drop(lock);
        Ok(())
    }

    /// An empty journal in SQLite's private temporary database (memory, spilling to a
    /// temporary file when large), with the schema: the audit replays events into it to
    /// rebuild the read models with the same projection code.
    pub(crate) fn scratch() -> Result<Journal, Error> {
        let conn = Connection::open("").map_err(db)?;
        migrations::apply(&conn).map_err(db)?;
        // Only the read models are filled (see `replay`): no events rows to refer to.
        conn.pragma_update(None, "foreign_keys", "OFF").map_err(db)?;
        Ok(Journal {
            conn,
            path: PathBuf::from("(scratch)"),
            last_hash: [0u8; 32],
            last_seq: 0,
            in_batch: false,
            lock: None,
            created: false,
            writable: true,
            carrier_column: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn has_carrier_column(&self) -> bool {
        self.carrier_column
    }

    /// Groups many appends into one transaction (bulk import, demo seeding). Events are
    /// acknowledged when [`Journal::commit_batch`] returns.
    pub fn begin_batch(&mut self) -> Result<(), Error> {
        self.begin_write()?;
        self.in_batch = true;
        Ok(())
    }

    /// Starts a write transaction and reads the chain head inside it: the head cached since
    /// this handle's last write may be stale (another handle appended, or the file was
    /// restored behind its back), and appending after a stale head would fork the chain.
    fn begin_write(&mut self) -> Result<(), Error> {
        if !self.writable {
            return Err(Error::Storage(format!("{} is open read-only", self.path.display())));
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(db)?;
        if let Err(e) = self.reload_tail() {
            let _ = self.conn.execute_batch("ROLLBACK");
            return Err(e);
        }
        Ok(())
    }

    pub fn commit_batch(&mut self) -> Result<(), Error> {
        if self.in_batch {
            self.conn.execute_batch("COMMIT").map_err(db)?;
            self.in_batch = false;
        }
        Ok(())
    }

    /// SQLite's page cache for this connection (large imports).
    pub fn set_cache_mib(&self, mib: i64) -> Result<(), Error> {
        self.conn.pragma_update(None, "cache_size", -mib * 1024).map_err(db)?;
        Ok(())
    }

    pub fn in_batch(&self) -> bool {
        self.in_batch
    }

    /// Abandons the batch: none of its events were acknowledged.
    pub fn rollback_batch(&mut self) -> Result<(), Error> {
        if self.in_batch {
            self.conn.execute_batch("ROLLBACK").map_err(db)?;
            self.in_batch = false;
            self.reload_tail()?;
        }
        Ok(())
    }

    pub fn next_incident_id(&self) -> Result<IncidentId, Error> {
        Ok(IncidentId(
            self.conn
                .prepare_cached("SELECT COALESCE(MAX(id), 0) + 1 FROM incidents")
                .map_err(db)?
                .query_row([], |r| r.get(0))
                .map_err(db)?,
        ))
    }

    /// Appends one event and updates the projections, in one transaction. When this
    /// returns `Ok`, the event is on disk (outside a batch).
    pub fn append(
        &mut self,
        incident_id: Option<IncidentId>,
        at_utc: i64,
        recorded_utc: i64,
        operator: &str,
        body: &EventBody,
    ) -> Result<Ack, Error> {
        if operator.trim().is_empty() {
            return Err(Error::invalid("operator", "every event needs the operator who made it"));
        }
        let own_tx = !self.in_batch;
        if own_tx {
            self.begin_write()?;
        }
        let result = self.append_in_tx(incident_id.map(|i| i.0), at_utc, recorded_utc, operator, body);
        match (&result, own_tx) {
            (Ok(_), true) => {
                if let Err(e) = self.conn.execute_batch("COMMIT") {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    self.reload_tail()?;
                    return Err(db(e));
                }
            }
            (Err(_), true) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.reload_tail()?;
            }
            _ => {}
        }
        result
    }

    fn reload_tail(&mut self) -> Result<(), Error> {
        (self.last_seq, self.last_hash) = tail(&self.conn)?;
        Ok(())
    }

    fn append_in_tx(&mut self, incident_id: Option<i64>, at: i64, recorded: i64, operator: &str, body: &EventBody) -> Result<Ack, Error> {
        let seq = self.last_seq + 1;
        let payload = serde_json::to_string(body).map_err(|e| Error::Storage(e.to_string()))?;
        let kind = body.kind();
        let unit = body.unit();
        let hash = chain_hash(&self.last_hash, seq, incident_id, kind, at, recorded, operator, unit, &payload);
        // A dispatch takes its unit here, or is refused before anything is written.
        self.claim(incident_id, at, body)?;
        self.conn
            .prepare_cached("INSERT INTO events (seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)").map_err(db)?
            .execute(params![seq, incident_id, kind, at, recorded, operator, unit, payload, &self.last_hash[..], &hash[..]]).map_err(db)?;
        self.project(seq, incident_id, at, body)?;
        self.last_seq = seq;
        self.last_hash = hash;
        Ok(Ack { seq, hash })
    }

    /// Applies one event to the read models only, as `append` does after storing it (the
    /// audit's rebuild of the read models from a journal's events).
    pub(crate) fn replay(&self, seq: i64, incident_id: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
        self.project(seq, incident_id, at, body)
    }

    fn set_unit(&self, unit: &str, status: UnitStatus, position: Option<&str>, incident: Option<i64>, at: i64) -> Result<(), Error> {
        let status = status.name();
        self.conn
            .prepare_cached(
                "INSERT INTO unit_status (unit_id, status, position, incident_id, since_utc) VALUES (?1, ?2, COALESCE(?3, ''), ?4, ?5)
                 ON CONFLICT(unit_id) DO UPDATE SET status = excluded.status, position = COALESCE(?3, unit_status.position), incident_id = excluded.incident_id, since_utc = excluded.since_utc",
            ).map_err(db)?
            .execute(params![unit, status, position, incident, at]).map_err(db)?;
        Ok(())
    }

    /// The status of the boat carrying incident `id`'s unit, if one does: it follows its
    /// crew's (free again with it), on that incident while busy. Only while the boat is
    /// still that incident's: once released at its base (`at_base`) it may be on another
    /// incident, which this one's later steps must not touch.
    fn set_carrier(&self, id: Option<i64>, status: UnitStatus, at: i64) -> Result<(), Error> {
        let Some(boat) = self.incident_text("SELECT carrier_id FROM incidents WHERE id = ?1", id)? else { return Ok(()) };
        let on = if status == UnitStatus::Available { None } else { id };
        self.exec(
            "UPDATE unit_status SET status = ?2, incident_id = ?3, since_utc = ?4 WHERE unit_id = ?1 AND incident_id = ?5",
            params![boat, status.name(), on, at, id],
        )
    }

    /// A carrier's `at_base` step (issue #16): the boat is back at its own base and free for
    /// other incidents, while the crew it carried stays on this one. Nothing when `unit` is
    /// not this incident's carrier or no longer holds it (released or withdrawn already).
    fn release_carrier(&self, id: Option<i64>, unit: &str, at: i64) -> Result<(), Error> {
        self.exec(
            "UPDATE unit_status SET status = 'available', incident_id = NULL, since_utc = ?3 WHERE unit_id = ?1 AND incident_id = ?2
             AND EXISTS (SELECT 1 FROM incidents WHERE id = ?2 AND carrier_id = ?1)",
            params![unit, id, at],
        )
    }

    /// Keeps the read models in step with the journal.
    fn project(&self, seq: i64, incident: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
        match body {
            EventBody::Received { .. }
            | EventBody::Dispatched { .. }
            | EventBody::EnRoute { .. }
            | EventBody::OnScene { .. }
            | EventBody::Cleared { .. }
            | EventBody::Cancelled { .. }
            | EventBody::UnitWithdrawn { .. }
            | EventBody::Correction { .. } => self.project_incident(incident, at, body),
            EventBody::UnitStatus { unit, status, position } => self.set_unit(unit, *status, Some(position), None, at),
            EventBody::Checkpoint { .. }
            | EventBody::Patrol { .. }
            | EventBody::ServiceStall { .. }
            | EventBody::Hazard { .. }
            | EventBody::TipReceived { .. }
            | EventBody::TipClosed { .. } => self.project_joint_work(seq, at, body),
            EventBody::Note { .. }
            | EventBody::ResponderCalled { .. }
            | EventBody::TipAssigned { .. }
            | EventBody::AccountCreated { .. }
            | EventBody::RosterPublished { .. }
            | EventBody::RegionEdited { .. } => Ok(()),
            // Read back from the events (the board's layer, the plan-executed KPI).
            EventBody::PatrolPlanned { .. } | EventBody::CheckpointResult { .. } => Ok(()),
            // Sessions and account changes touch no read model (the accounts table is
            // written with them, as the password hash is never journaled).
            EventBody::SignedIn { .. }
            | EventBody::SignedOut { .. }
            | EventBody::AccountDisabled { .. }
            | EventBody::AccountEnabled { .. }
            | EventBody::PasswordReset { .. }
            | EventBody::SignInFailed { .. }
            | EventBody::SignInLocked { .. } => Ok(()),
            EventBody::JournalImported { .. } => Ok(()),
            // The devices table is the service's; the events are its record.
            EventBody::DeviceRegistered { .. } | EventBody::DeviceRevoked { .. } => Ok(()),
            // The tips table is the service's; a tip's closing is joint work (above).
            EventBody::TipToIncident { .. } | EventBody::TipPassedOn { .. } => Ok(()),
            // The boat's own release, reported by its phone or marked by the dispatcher.
            EventBody::CrewAction { unit, action: CrewActionKind::AtBase, .. } => self.release_carrier(incident, unit, at),
            // A crew's record beside the event that changed the read models.
            EventBody::CrewAction { .. } => Ok(()),
            // Read back from the events themselves (the latest one is the desk's belief).
            EventBody::ConditionsSet { .. } | EventBody::BoardThresholdsSet { .. } => Ok(()),
        }
    }

    /// Runs one statement of the read models (prepared once per connection).
    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<(), Error> {
        self.conn.prepare_cached(sql).map_err(db)?.execute(params).map_err(db)?;
        Ok(())
    }

    /// One text column of incident `id`'s row, if the row and the value are there.
    fn incident_text(&self, sql: &str, id: Option<i64>) -> Result<Option<String>, Error> {
        Ok(self.conn.prepare_cached(sql).map_err(db)?.query_row([id], |r| r.get(0)).optional().map_err(db)?.flatten())
    }

    /// An incident's lifecycle in `incidents` (and its unit's in `unit_status`); the
    /// events of other read models are `project`'s.
    fn project_incident(&self, id: Option<i64>, at: i64, body: &EventBody) -> Result<(), Error> {
        match body {
            EventBody::Received { incident_type, priority, lon, lat, island, node, source, synthetic, .. } => {
                let source = serde_json::to_value(source).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                self.exec("INSERT INTO incidents (id, state, incident_type, priority, lon, lat, island, node, source, synthetic, received_utc) VALUES (?1, 'received', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![id, incident_type, priority, lon, lat, island, node, source, synthetic, at])?;
            }
            EventBody::Dispatched { unit, plan, override_reason, carrier } => {
                self.exec(
                    "UPDATE incidents SET state = 'dispatched', dispatched_utc = COALESCE(dispatched_utc, ?2), unit_id = ?3, recommended_unit = ?4, rank = ?5, eta_s = ?6,
                     route_mode = ?7, drive_s = ?8, ferry_wait_s = ?9, crossing_s = ?10, override_reason = COALESCE(?11, override_reason), en_route_utc = NULL, on_scene_utc = NULL,
                     carrier_id = ?12 WHERE id = ?1",
                    params![
                        id,
                        at,
                        unit,
                        plan.recommended_unit,
                        plan.rank,
                        plan.eta_s,
                        plan.route_mode.map(|m| m.name()),
                        plan.drive_s,
                        plan.ferry_wait_s,
                        plan.crossing_s,
                        override_reason,
                        carrier
                    ],
                )?;
                self.set_unit(unit, UnitStatus::Dispatched, None, id, at)?;
                if let Some(boat) = carrier {
                    self.set_unit(boat, UnitStatus::Dispatched, None, id, at)?;
                }
            }
            EventBody::EnRoute { unit } => {
                self.exec("UPDATE incidents SET state = 'en_route', en_route_utc = ?2 WHERE id = ?1", params![id, at])?;
                self.set_unit(unit, UnitStatus::EnRoute, None, id, at)?;
                self.set_carrier(id, UnitStatus::EnRoute, at)?;
            }
            EventBody::OnScene { unit } => {
                self.exec("UPDATE incidents SET state = 'on_scene', on_scene_utc = ?2 WHERE id = ?1", params![id, at])?;
                // A unit on scene is where the incident is; after clearing it stays there.
                let node = self.incident_text("SELECT node FROM incidents WHERE id = ?1", id)?;
                self.set_unit(unit, UnitStatus::OnScene, node.as_deref(), id, at)?;
                // Its boat waits for the crew where it landed them (its place unchanged).
                self.set_carrier(id, UnitStatus::OnScene, at)?;
            }
            EventBody::Cleared { unit, .. } => {
                self.exec("UPDATE incidents SET state = 'cleared', closed_utc = ?2 WHERE id = ?1", params![id, at])?;
                if let Some(unit) = unit {
                    self.set_unit(unit, UnitStatus::Available, None, None, at)?;
                }
                self.set_carrier(id, UnitStatus::Available, at)?;
            }
            EventBody::Cancelled { .. } => {
                let unit = self.incident_text("SELECT unit_id FROM incidents WHERE id = ?1", id)?;
                self.exec("UPDATE incidents SET state = 'cancelled', closed_utc = ?2 WHERE id = ?1", params![id, at])?;
                if let Some(unit) = unit {
                    self.set_unit(&unit, UnitStatus::Available, None, None, at)?;
                }
                self.set_carrier(id, UnitStatus::Available, at)?;
            }
            EventBody::UnitWithdrawn { unit, .. } => {
                // The boat that carried the crew is freed with it.
                self.set_carrier(id, UnitStatus::Available, at)?;
                self.exec("UPDATE incidents SET state = 'received', unit_id = NULL, carrier_id = NULL, en_route_utc = NULL, on_scene_utc = NULL, reassignments = reassignments + 1 WHERE id = ?1",
                    params![id])?;
                self.set_unit(unit, UnitStatus::Available, None, None, at)?;
            }
            EventBody::Correction { field, value, .. } => {
                let column = match field.as_str() {
                    "received_utc" | "dispatched_utc" | "en_route_utc" | "on_scene_utc" | "closed_utc" | "priority" => field.as_str(),
                    "incident_type" => "incident_type",
                    _ => return Ok(()),
                };
                self.conn.execute(&format!("UPDATE incidents SET {column} = ?2 WHERE id = ?1"), params![id, value]).map_err(db)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The joint lines of work and citizen tips, a row each in `joint_work`; the events of
    /// other read models are `project`'s.
    fn project_joint_work(&self, seq: i64, at: i64, body: &EventBody) -> Result<(), Error> {
        match body {
            EventBody::Checkpoint { island, vehicles_checked, violations, synthetic, .. } => {
                let total: u32 = violations.values().sum();
                let drunk = violations.get("drunk_driving").copied().unwrap_or(0);
                self.exec("INSERT INTO joint_work (seq, kind, at_utc, island, vehicles_checked, violations, drunk_driving, synthetic) VALUES (?1, 'checkpoint', ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![seq, at, island, vehicles_checked, total, drunk, synthetic])
            }
            EventBody::Patrol { island, hours, synthetic, .. } => self.exec(
                "INSERT INTO joint_work (seq, kind, at_utc, island, patrol_hours, synthetic) VALUES (?1, 'patrol', ?2, ?3, ?4, ?5)",
                params![seq, at, island, hours, synthetic],
            ),
            EventBody::ServiceStall { island, people_served, synthetic, .. } => self.exec(
                "INSERT INTO joint_work (seq, kind, at_utc, island, people_served, synthetic) VALUES (?1, 'service_stall', ?2, ?3, ?4, ?5)",
                params![seq, at, island, people_served, synthetic],
            ),
            EventBody::Hazard { island, synthetic, .. } => self.exec(
                "INSERT INTO joint_work (seq, kind, at_utc, island, synthetic) VALUES (?1, 'hazard', ?2, ?3, ?4)",
                params![seq, at, island, synthetic],
            ),
            EventBody::TipReceived { island, synthetic, .. } => self.exec(
                "INSERT INTO joint_work (seq, kind, at_utc, island, tip_id, synthetic) VALUES (?1, 'tip_received', ?2, ?3, ?1, ?4)",
                params![seq, at, island, synthetic],
            ),
            EventBody::TipClosed { tip, .. } => {
                self.exec("INSERT INTO joint_work (seq, kind, at_utc, tip_id) VALUES (?1, 'tip_closed', ?2, ?3)", params![seq, at, tip])
            }
            _ => Ok(()),
        }
    }

    /// Every event of one incident, in order.
    pub fn incident_events(&self, incident: IncidentId) -> Result<Vec<Event>, Error> {
        self.events_where("incident_id = ?1", [incident.0])
    }

    /// Every published roster, oldest first.
    pub fn published_rosters(&self) -> Result<Vec<Event>, Error> {
        self.events_where("kind = ?1", ["roster_published"])
    }

    /// Sign-ins and sign-outs at or after `from_utc`, in order.
    pub fn session_events_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        self.events_where("kind IN ('signed_in', 'signed_out') AND at_utc >= ?1", [from_utc])
    }

    /// What decides whether a name may try to sign in: sign-ins, failed sign-ins, lock-outs
    /// and password resets at or after `from_utc` (every name), in order.
    pub fn sign_in_attempts_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        self.events_where("kind IN ('signed_in', 'sign_in_failed', 'sign_in_locked', 'password_reset') AND at_utc >= ?1", [from_utc])
    }

    /// Events with seq in `from..=to`.
    pub fn events_between(&self, from_seq: i64, to_seq: i64) -> Result<Vec<Event>, Error> {
        self.events_where("seq BETWEEN ?1 AND ?2", [from_seq, to_seq])
    }

    /// The latest event of one kind (`EventBody::kind`), if any.
    pub fn latest_event(&self, kind: &str) -> Result<Option<Event>, Error> {
        Ok(self.events_where("seq = (SELECT MAX(seq) FROM events WHERE kind = ?1)", [kind])?.pop())
    }

    /// The seq of the latest event of one kind, without reading it.
    pub fn latest_seq_of(&self, kind: &str) -> Result<Option<i64>, Error> {
        self.conn.query_row("SELECT MAX(seq) FROM events WHERE kind = ?1", [kind], |r| r.get(0)).map_err(db)
    }

    fn events_where<P: rusqlite::Params>(&self, filter: &str, p: P) -> Result<Vec<Event>, Error> {
        let mut stmt = self.conn.prepare(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE {filter} ORDER BY seq")).map_err(db)?;
        let mut rows = stmt.query(p).map_err(db)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db)? {
            out.push(StoredEvent::read(r)?.into_event()?);
        }
        Ok(out)
    }

    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }

    /// SQLite's own consistency check ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String, Error> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(db)
    }
}
