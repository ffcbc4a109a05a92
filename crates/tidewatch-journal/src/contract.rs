//! The storage contract: what any journal store (SQLite on one desk, PostgreSQL behind the
//! command-centre service) must do, as two traits — [`JournalStore`] for the events and
//! their hash chain, [`ReadModels`] for what the desk, the reports and the roster read.
//! `tests/journal_contract.rs` holds the one suite every implementation must pass.
//!
//! The chain is computed here, once, for every store: [`NewEvent::chain`] gives the row a
//! store writes (seq, kind, unit, payload, previous hash, hash), so two stores can never
//! disagree on how an event is hashed.

use rusqlite::params_from_iter;

use super::event::{Event, EventBody, StoredEvent, EVENT_COLUMNS};
use super::journal::{chain_hash, Ack, Journal};
use super::read::{AccountRow, CallRecord, DispatchOverride, IncidentRow, IncidentSpan, JointWorkTotals, UnitRow};
use super::scope::Scope;
use super::seal::ChainHead;
use crate::open::db;
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;

/// An event a caller asks a store to append: the store gives it its seq and hash.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub incident_id: Option<IncidentId>,
    /// When it happened (UTC unix seconds).
    pub at_utc: i64,
    /// When the desk wrote it (UTC unix seconds).
    pub recorded_utc: i64,
    pub operator: String,
    pub body: EventBody,
}

/// An `events` row exactly as every store writes it and the chain hashes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub seq: i64,
    pub incident_id: Option<i64>,
    pub kind: String,
    pub at_utc: i64,
    pub recorded_utc: i64,
    pub operator: String,
    pub unit_id: Option<String>,
    /// The body as JSON, byte for byte what was hashed.
    pub payload: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl NewEvent {
    /// What every store refuses before it writes anything.
    pub fn check(&self) -> Result<(), Error> {
        if self.operator.trim().is_empty() {
            return Err(Error::invalid("operator", "every event needs the operator who made it"));
        }
        Ok(())
    }

    /// The row that follows `prev` (the chain head: seq and hash; 0 and zeros when empty).
    pub fn chain(&self, prev_seq: i64, prev_hash: &[u8; 32]) -> Result<EventRow, Error> {
        self.check()?;
        let seq = prev_seq + 1;
        let payload = serde_json::to_string(&self.body).map_err(|e| Error::Storage(e.to_string()))?;
        let kind = self.body.kind();
        let unit = self.body.unit();
        let hash =
            chain_hash(prev_hash, seq, self.incident_id.map(|i| i.0), kind, self.at_utc, self.recorded_utc, &self.operator, unit, &payload);
        Ok(EventRow {
            seq,
            incident_id: self.incident_id.map(|i| i.0),
            kind: kind.to_string(),
            at_utc: self.at_utc,
            recorded_utc: self.recorded_utc,
            operator: self.operator.clone(),
            unit_id: unit.map(str::to_string),
            payload,
            prev_hash: prev_hash.to_vec(),
            hash: hash.to_vec(),
        })
    }
}

impl EventRow {
    /// The event this row stores; a payload that does not fit its kind, or a hash that is
    /// not 32 bytes, is an error naming the event.
    pub fn into_event(self) -> Result<Event, Error> {
        let EventRow { seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash } = self;
        StoredEvent { seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash }.into_event()
    }

    /// Whether this row's hash is the chain's hash of its content after `prev_hash`.
    pub fn hash_checks(&self) -> bool {
        let Ok(prev) = <[u8; 32]>::try_from(self.prev_hash.as_slice()) else { return false };
        let h = chain_hash(
            &prev,
            self.seq,
            self.incident_id,
            &self.kind,
            self.at_utc,
            self.recorded_utc,
            &self.operator,
            self.unit_id.as_deref(),
            &self.payload,
        );
        h[..] == self.hash[..]
    }
}

/// The events and their hash chain.
///
/// **Synchronous on purpose.** Every caller today (the desk's `Workstation`, the reports,
/// the CLI, the Tauri commands) is synchronous, and SQLite is too; an `async` trait would
/// colour the whole core for the one store that needs a runtime. The PostgreSQL store owns
/// a small current-thread tokio runtime and blocks on sqlx inside each call. The service
/// (axum on tokio) must therefore call a store from `spawn_blocking` (or a thread of its
/// own), never from inside an async task: blocking on a runtime from within another
/// runtime's worker panics. Should the service outgrow that, an async twin of this trait
/// can sit beside it without changing the desk.
///
/// Seqs start at 1 and have no gaps; each event's hash covers the previous event's hash
/// ([`NewEvent::chain`]). Appends from several handles on one journal (several desks, two
/// service processes) stay one linear chain: each store reads the head inside the write
/// transaction that appends after it.
pub trait JournalStore {
    /// Appends one event (and updates the read models) in one transaction; on `Ok` it is
    /// durable. A refused event writes nothing and uses no seq.
    fn append(&mut self, event: &NewEvent) -> Result<Ack, Error>;

    /// Appends the events in order in one transaction: all of them, or (on any error)
    /// none. Every event is checked before anything is written.
    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Vec<Ack>, Error>;

    /// The newest event (seq and hash) as the store holds it now; None when empty.
    fn head(&self) -> Result<Option<ChainHead>, Error>;

    /// Events with seq in `from..=to`, in order.
    fn events_between(&self, from_seq: i64, to_seq: i64) -> Result<Vec<Event>, Error>;

    /// At most `limit` events after `after_seq`, in order (a desk catching up).
    fn events_after(&self, after_seq: i64, limit: u32) -> Result<Vec<Event>, Error>;

    /// Every event of one incident, in order.
    fn incident_events(&self, incident: IncidentId) -> Result<Vec<Event>, Error>;

    /// Events of any of `kinds` (`EventBody::kind`) that happened in `[from_utc, to_utc)`,
    /// in seq order.
    fn events_of_kinds(&self, kinds: &[&str], from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error>;

    /// Every event that happened in `[from_utc, to_utc)`, in seq order.
    fn events_at(&self, from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error>;

    /// The latest event of one kind, if any.
    fn latest_event(&self, kind: &str) -> Result<Option<Event>, Error>;

    /// The tamper check: the hash chain recomputed and the read models rebuilt from the
    /// events and compared (`audit.rs` for SQLite, `tidewatch-journal-pg`'s for PostgreSQL).
    fn audit(&self) -> Result<crate::AuditReport, Error>;

    /// Another handle on the same journal (another seat; the contract's concurrent writers).
    fn open_again(&self) -> Result<Self, Error>
    where
        Self: Sized;

    /// Every published roster, oldest first.
    fn published_rosters(&self) -> Result<Vec<Event>, Error> {
        self.events_of_kinds(&["roster_published"], i64::MIN, i64::MAX)
    }

    /// The seq of the latest event of one kind, if any: what a desk sharing its journal
    /// checks before re-reading something (a published roster) another process may have
    /// written. The stores answer it without reading the event's body.
    fn latest_seq_of(&self, kind: &str) -> Result<Option<i64>, Error> {
        Ok(self.latest_event(kind)?.map(|e| e.seq))
    }

    /// Sign-ins and sign-outs at or after `from_utc`, in order.
    fn session_events_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        self.events_of_kinds(&["signed_in", "signed_out"], from_utc, i64::MAX)
    }

    /// Sign-ins, failed sign-ins, lock-outs and password resets at or after `from_utc`.
    fn sign_in_attempts_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        self.events_of_kinds(&["signed_in", "sign_in_failed", "sign_in_locked", "password_reset"], from_utc, i64::MAX)
    }
}

/// The read models derived from the events as they are appended: what the desk's board,
/// the supervisor's reports and the roster's demand model read. Times are UTC unix seconds,
/// periods `[from, to)`.
pub trait ReadModels {
    fn incident(&self, id: IncidentId) -> Result<Option<IncidentRow>, Error>;
    /// The id the next incident gets (one past the largest).
    fn next_incident_id(&self) -> Result<IncidentId, Error>;
    fn open_incidents(&self) -> Result<Vec<IncidentRow>, Error>;
    fn unit_rows(&self) -> Result<Vec<UnitRow>, Error>;
    fn incidents_received(&self, from: i64, to: i64) -> Result<Vec<IncidentRow>, Error>;
    fn call_records(&self, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<Vec<CallRecord>, Error>;
    fn incident_span(&self) -> Result<IncidentSpan, Error>;
    fn has_synthetic_data(&self) -> Result<bool, Error>;
    fn incidents_per_island_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, u64)>, Error>;
    fn incidents_per_island_type_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, String, u64)>, Error>;
    fn incidents_per_type_in(&self, scope: &Scope) -> Result<Vec<(String, u64)>, Error>;
    fn override_count_in(&self, scope: &Scope) -> Result<u64, Error>;
    fn joint_work_totals_on(&self, from: i64, to: i64, island: Option<&str>) -> Result<JointWorkTotals, Error>;
    fn dispatch_overrides(&self, scope: &Scope) -> Result<Vec<DispatchOverride>, Error>;
    fn account_count(&self) -> Result<u64, Error>;
    /// (role, password PHC, disabled) of an account, enabled or not.
    fn account(&self, username: &str) -> Result<Option<(String, String, bool)>, Error>;
    fn accounts(&self) -> Result<Vec<AccountRow>, Error>;
}

/// Local accounts, kept beside the events: the password hash is never journaled, so the
/// account row is written next to the event that records its creation.
pub trait AccountStore {
    /// Adds the account `username` (`role`, argon2id PHC `phc`, created at `event.at_utc`)
    /// and appends `event` (its `AccountCreated`) in one transaction: both or neither.
    fn add_account(&mut self, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error>;

    /// Changes the account `username` (disabled, or its password's PHC) and appends `event`
    /// (its `AccountDisabled`/`AccountEnabled`/`PasswordReset`) in one transaction: both or
    /// neither.
    fn update_account(&mut self, username: &str, change: AccountChange<'_>, event: &NewEvent) -> Result<Ack, Error>;
}

/// What [`AccountStore::update_account`] changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange<'a> {
    Disabled(bool),
    /// A new argon2id PHC string.
    Password(&'a str),
}

impl Journal {
    /// Events matching `filter` (SQL over the events table, `?n` parameters), in seq order,
    /// then `tail` (a LIMIT, or nothing).
    fn select_events(&self, filter: &str, tail: &str, params: impl rusqlite::Params) -> Result<Vec<Event>, Error> {
        let mut stmt =
            self.conn().prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE {filter} ORDER BY seq {tail}")).map_err(db)?;
        let mut rows = stmt.query(params).map_err(db)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(db)? {
            out.push(StoredEvent::read(r)?.into_event()?);
        }
        Ok(out)
    }
}

impl JournalStore for Journal {
    fn append(&mut self, e: &NewEvent) -> Result<Ack, Error> {
        e.check()?;
        Journal::append(self, e.incident_id, e.at_utc, e.recorded_utc, &e.operator, &e.body)
    }

    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Vec<Ack>, Error> {
        events.iter().try_for_each(NewEvent::check)?;
        if self.in_batch() {
            // Inside a batch the caller opened (the demo history): its commit or rollback
            // decides for these events too.
            return events.iter().map(|e| Journal::append(self, e.incident_id, e.at_utc, e.recorded_utc, &e.operator, &e.body)).collect();
        }
        self.begin_batch()?;
        let acks = events
            .iter()
            .map(|e| Journal::append(self, e.incident_id, e.at_utc, e.recorded_utc, &e.operator, &e.body))
            .collect::<Result<Vec<_>, _>>();
        match acks {
            Ok(acks) => {
                if let Err(e) = self.commit_batch() {
                    self.rollback_batch()?;
                    return Err(e);
                }
                Ok(acks)
            }
            Err(e) => {
                self.rollback_batch()?;
                Err(e)
            }
        }
    }

    fn head(&self) -> Result<Option<ChainHead>, Error> {
        Journal::head(self)
    }

    fn events_between(&self, from_seq: i64, to_seq: i64) -> Result<Vec<Event>, Error> {
        Journal::events_between(self, from_seq, to_seq)
    }

    fn events_after(&self, after_seq: i64, limit: u32) -> Result<Vec<Event>, Error> {
        self.select_events("seq > ?1", "LIMIT ?2", rusqlite::params![after_seq, limit])
    }

    fn incident_events(&self, incident: IncidentId) -> Result<Vec<Event>, Error> {
        Journal::incident_events(self, incident)
    }

    fn events_of_kinds(&self, kinds: &[&str], from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        // ?1, ?2: the period; ?3.. the kinds (never text spliced into the SQL).
        let marks: Vec<String> = (0..kinds.len()).map(|i| format!("?{}", i + 3)).collect();
        let filter = format!("at_utc >= ?1 AND at_utc < ?2 AND kind IN ({})", marks.join(", "));
        let mut values: Vec<rusqlite::types::Value> = vec![from_utc.into(), to_utc.into()];
        values.extend(kinds.iter().map(|k| rusqlite::types::Value::Text(k.to_string())));
        self.select_events(&filter, "", params_from_iter(values))
    }

    fn events_at(&self, from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error> {
        self.select_events("at_utc >= ?1 AND at_utc < ?2", "", [from_utc, to_utc])
    }

    fn latest_event(&self, kind: &str) -> Result<Option<Event>, Error> {
        Journal::latest_event(self, kind)
    }

    fn audit(&self) -> Result<crate::AuditReport, Error> {
        crate::verify(self.path())
    }
    fn open_again(&self) -> Result<Journal, Error> {
        Journal::open(self.path())
    }

    fn published_rosters(&self) -> Result<Vec<Event>, Error> {
        Journal::published_rosters(self)
    }

    fn latest_seq_of(&self, kind: &str) -> Result<Option<i64>, Error> {
        Journal::latest_seq_of(self, kind)
    }

    fn session_events_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        Journal::session_events_since(self, from_utc)
    }

    fn sign_in_attempts_since(&self, from_utc: i64) -> Result<Vec<Event>, Error> {
        Journal::sign_in_attempts_since(self, from_utc)
    }
}

impl ReadModels for Journal {
    fn incident(&self, id: IncidentId) -> Result<Option<IncidentRow>, Error> {
        Journal::incident(self, id)
    }
    fn next_incident_id(&self) -> Result<IncidentId, Error> {
        Journal::next_incident_id(self)
    }
    fn open_incidents(&self) -> Result<Vec<IncidentRow>, Error> {
        Journal::open_incidents(self)
    }
    fn unit_rows(&self) -> Result<Vec<UnitRow>, Error> {
        Journal::unit_rows(self)
    }
    fn incidents_received(&self, from: i64, to: i64) -> Result<Vec<IncidentRow>, Error> {
        Journal::incidents_received(self, from, to)
    }
    fn call_records(&self, from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> Result<Vec<CallRecord>, Error> {
        Journal::call_records(self, from, to)
    }
    fn incident_span(&self) -> Result<IncidentSpan, Error> {
        Journal::incident_span(self)
    }
    fn has_synthetic_data(&self) -> Result<bool, Error> {
        Journal::has_synthetic_data(self)
    }
    fn incidents_per_island_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, u64)>, Error> {
        Journal::incidents_per_island_in(self, scope)
    }
    fn incidents_per_island_type_in(&self, scope: &Scope) -> Result<Vec<(Option<String>, String, u64)>, Error> {
        Journal::incidents_per_island_type_in(self, scope)
    }
    fn incidents_per_type_in(&self, scope: &Scope) -> Result<Vec<(String, u64)>, Error> {
        Journal::incidents_per_type_in(self, scope)
    }
    fn override_count_in(&self, scope: &Scope) -> Result<u64, Error> {
        Journal::override_count_in(self, scope)
    }
    fn joint_work_totals_on(&self, from: i64, to: i64, island: Option<&str>) -> Result<JointWorkTotals, Error> {
        Journal::joint_work_totals_on(self, from, to, island)
    }
    fn dispatch_overrides(&self, scope: &Scope) -> Result<Vec<DispatchOverride>, Error> {
        Journal::dispatch_overrides(self, scope)
    }
    fn account_count(&self) -> Result<u64, Error> {
        Journal::account_count(self)
    }
    fn account(&self, username: &str) -> Result<Option<(String, String, bool)>, Error> {
        Journal::account(self, username)
    }
    fn accounts(&self) -> Result<Vec<AccountRow>, Error> {
        Journal::accounts(self)
    }
}

impl AccountStore for Journal {
    fn add_account(&mut self, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error> {
        self.with_account_event(event, |j| j.insert_account(username, role, phc, event.at_utc))
    }

    fn update_account(&mut self, username: &str, change: AccountChange<'_>, event: &NewEvent) -> Result<Ack, Error> {
        self.with_account_event(event, |j| match change {
            AccountChange::Disabled(disabled) => j.set_account_disabled(username, disabled),
            AccountChange::Password(phc) => j.set_account_password(username, phc),
        })
    }
}

impl Journal {
    /// `change` and `event` in one transaction (inside the caller's batch when one is open).
    fn with_account_event(&mut self, event: &NewEvent, change: impl FnOnce(&Journal) -> Result<(), Error>) -> Result<Ack, Error> {
        event.check()?;
        let outer = self.in_batch();
        if !outer {
            self.begin_batch()?;
        }
        let written = change(self)
            .and_then(|()| Journal::append(self, event.incident_id, event.at_utc, event.recorded_utc, &event.operator, &event.body));
        if outer {
            return written;
        }
        match written {
            Ok(ack) => self.commit_batch().map(|()| ack),
            Err(e) => {
                self.rollback_batch()?;
                Err(e)
            }
        }
    }
}
