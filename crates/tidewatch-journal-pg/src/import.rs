//! Moving in: a desk's SQLite journal brought into the service's journal on PostgreSQL
//! (`tidewatch journal import --pg <url> <sqlite-file>`), all or nothing, in one
//! transaction under the chain's lock.
//!
//! The desk's file must pass its own audit first (chain, read models, accounts). Then:
//!
//! - **Into an empty journal** every event keeps its seq and its hash: each is chained
//!   again here and must come out with the hash the desk gave it, so `audit verify` on the
//!   desk's file and on the service agree event for event (a seal of the desk's file still
//!   checks against the service). A last `journal_imported` event says where they came from.
//! - **Into a journal that already has events** (the fallback: a desk that worked on its
//!   own journal while the service was down) the desk's events are appended after the head:
//!   new seqs, new hashes, its incidents renumbered after the service's (references to seqs
//!   and tips follow). Each event is re-checked against the service's state as it is then:
//!   a dispatch of a unit the service has busy, a status or lifecycle event for a unit the
//!   service has on another incident, an account whose name the service already has. Such an
//!   event is not applied; a `note` in its place (on the same incident) says what the desk
//!   recorded and why it was not applied, and the import lists every one for a supervisor.
//!
//! Accounts come along with their password hashes (the rows beside the account events), so
//! people sign in to the service with their desk passwords.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Postgres, Row, Transaction};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{claimed_units, hex, ChainHead, Event, EventBody, Journal, NewEvent};

use super::{claim, db, head_in, insert, project, PgJournal, CHANNEL};

type Tx = Transaction<'static, Postgres>;

/// Events read from the desk's file at a time.
const CHUNK: i64 = 20_000;

/// What an import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// The desk's events read (every one is either in the service or a conflict).
    pub events: u64,
    pub accounts: u64,
    /// The service's head before the import (0: it was empty, seqs and hashes were kept).
    pub appended_after: i64,
    /// SHA-256 of the desk's file as read.
    pub file_sha256: String,
    /// The desk's chain head as its file held it.
    pub source_head: Option<ChainHead>,
    /// The service's head after the import (its `journal_imported` event).
    pub head: Option<ChainHead>,
    /// Events the service's state refused, each journaled as a note in its place.
    pub conflicts: Vec<Conflict>,
}

/// One desk event the service did not apply.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// The event's seq in the desk's file, and its kind.
    pub desk_seq: i64,
    pub kind: String,
    /// The incident as the service numbers it (None: not about an incident).
    pub incident: Option<i64>,
    pub at_utc: i64,
    pub operator: String,
    pub why: String,
    /// The note that stands in its place.
    pub note_seq: i64,
}

/// Who imports and when (the `journal_imported` event and the conflict notes).
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub operator: String,
    pub now_utc: i64,
}

/// Imports the desk journal at `file` into `pg` (see the module's documentation).
pub fn import_sqlite(pg: &mut PgJournal, file: &Path, opts: &ImportOptions) -> Result<ImportReport, Error> {
    if opts.operator.trim().is_empty() {
        return Err(Error::invalid("operator", "an import needs the operator who makes it"));
    }
    let audit = tidewatch_journal::verify(file)?;
    if !audit.ok {
        let at = audit.first_bad_seq.map(|s| format!(" at event {s}")).unwrap_or_default();
        return Err(Error::invalid(
            file.display().to_string(),
            format!("fails its audit{at}: {}; nothing was imported", audit.problem.unwrap_or_default()),
        ));
    }
    let desk = Journal::open_read_only(file)?;
    let file_sha256 = sha256_of(file)?;
    let source_head = desk.head()?;
    let accounts = desk_accounts(&desk)?;
    pg.rt.block_on(async {
        let mut tx = pg.pool.begin().await.map_err(db)?;
        let mut run = Importer::start(&mut tx, opts, accounts).await?;
        let done = run.all(&mut tx, &desk, file_sha256, source_head).await;
        match done {
            Ok(report) => tx.commit().await.map(|()| report).map_err(db),
            // Rolled back now, not on drop (see `append_batch`): the chain's lock goes with it.
            Err(e) => match tx.rollback().await {
                Ok(()) => Err(e),
                Err(r) => Err(Error::Storage(format!("{e}; then the rollback failed: {}", db(r)))),
            },
        }
    })
}

fn sha256_of(file: &Path) -> Result<String, Error> {
    let mut f = std::fs::File::open(file)?;
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(hex(sha.finalize().as_slice()));
        }
        sha.update(&buf[..n]);
    }
}

/// A desk account as its row holds it: the password hash is not in the events.
struct DeskAccount {
    role: String,
    phc: String,
    created_utc: i64,
    disabled: bool,
}

fn desk_accounts(desk: &Journal) -> Result<BTreeMap<String, DeskAccount>, Error> {
    let mut out = BTreeMap::new();
    for a in desk.accounts()? {
        let Some((role, phc, disabled)) = desk.account(&a.username)? else { continue };
        out.insert(a.username, DeskAccount { role, phc, created_utc: a.created_utc, disabled });
    }
    Ok(out)
}

struct Importer<'o> {
    opts: &'o ImportOptions,
    /// The service's head before the import; its head as the import goes.
    before: i64,
    seq: i64,
    hash: [u8; 32],
    /// Desk seq → service seq, desk incident → service incident (identity when empty).
    seqs: HashMap<i64, i64>,
    incidents: HashMap<i64, i64>,
    next_incident: i64,
    /// Service incidents made by this import (a unit on one of them is the desk's own).
    ours: HashSet<i64>,
    accounts: BTreeMap<String, DeskAccount>,
    /// Account names the service had before the import.
    taken_names: HashSet<String>,
    /// (incident, unit) of dispatches refused: the unit's later events there are too.
    refused: HashSet<(i64, String)>,
    report: ImportReport,
}

impl<'o> Importer<'o> {
    async fn start(tx: &mut Tx, opts: &'o ImportOptions, accounts: BTreeMap<String, DeskAccount>) -> Result<Importer<'o>, Error> {
        super::lock_chain(tx).await?;
        let (seq, hash) = head_in(tx).await?;
        let max: Option<i64> =
            sqlx::query("SELECT max(id) FROM incidents").fetch_one(&mut **tx).await.map_err(db)?.try_get(0).map_err(db)?;
        let names = sqlx::query("SELECT username FROM accounts").fetch_all(&mut **tx).await.map_err(db)?;
        let taken_names = names.iter().map(|r| r.try_get::<String, _>(0)).collect::<Result<_, _>>().map_err(db)?;
        Ok(Importer {
            opts,
            before: seq,
            seq,
            hash,
            seqs: HashMap::new(),
            incidents: HashMap::new(),
            next_incident: max.unwrap_or(0) + 1,
            ours: HashSet::new(),
            accounts,
            taken_names,
            refused: HashSet::new(),
            report: ImportReport { appended_after: seq, ..ImportReport::default() },
        })
    }

    async fn all(
        &mut self,
        tx: &mut Tx,
        desk: &Journal,
        file_sha256: String,
        source_head: Option<ChainHead>,
    ) -> Result<ImportReport, Error> {
        let mut from = 1;
        loop {
            let chunk = desk.events_between(from, from + CHUNK - 1)?;
            if chunk.is_empty() {
                break;
            }
            for e in chunk {
                self.event(tx, e).await?;
            }
            from += CHUNK;
        }
        let rechained = (self.before > 0).then(|| {
            format!(
                "appended after the service's event {}: the desk's {} events renumbered and chained anew, {} conflicts journaled as notes",
                self.before,
                self.report.events,
                self.report.conflicts.len()
            )
        });
        let body = EventBody::JournalImported { file_sha256: file_sha256.clone(), events: self.report.events, rechained };
        self.write(tx, &self.own_event(None, body)).await?;
        sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(self.seq.to_string()).execute(&mut **tx).await.map_err(db)?;
        self.report.file_sha256 = file_sha256;
        self.report.source_head = source_head;
        self.report.head = Some(ChainHead { seq: self.seq, hash: hex(&self.hash) });
        Ok(std::mem::take(&mut self.report))
    }

    /// One desk event: applied (renumbered when appending), or a conflict note in its place.
    async fn event(&mut self, tx: &mut Tx, e: Event) -> Result<(), Error> {
        self.report.events += 1;
        let incident = self.incident_of(&e);
        let body = self.renumbered(&e.body);
        let new = NewEvent {
            incident_id: incident.map(IncidentId),
            at_utc: e.at_utc,
            recorded_utc: e.recorded_utc,
            operator: e.operator.clone(),
            body,
        };
        if let Some(why) = self.conflict(tx, incident, &new.body).await? {
            if let (EventBody::Dispatched { unit, .. }, Some(i)) = (&new.body, incident) {
                self.refused.insert((i, unit.clone()));
            }
            return self.conflict_note(tx, &e, incident, why).await;
        }
        let row = self.write(tx, &new).await?;
        if self.before == 0 && (row.seq != e.seq || row.hash != e.hash.to_vec()) {
            return Err(Error::Storage(format!("event {}: chained again it does not keep its seq and hash; nothing was imported", e.seq)));
        }
        self.seqs.insert(e.seq, row.seq);
        if let EventBody::AccountCreated { username, .. } = &new.body {
            self.account(tx, username).await?;
        }
        Ok(())
    }

    /// The service's number for the event's incident (a new one for each desk incident
    /// when appending after the service's own).
    fn incident_of(&mut self, e: &Event) -> Option<i64> {
        let desk = e.incident_id?.0;
        if self.before == 0 {
            return Some(desk);
        }
        if let Some(id) = self.incidents.get(&desk) {
            return Some(*id);
        }
        let id = self.next_incident;
        self.next_incident += 1;
        self.incidents.insert(desk, id);
        self.ours.insert(id);
        Some(id)
    }

    /// The body with the desk's seqs (corrections, tips) as the service numbers them.
    fn renumbered(&self, body: &EventBody) -> EventBody {
        let seq = |s: &i64| self.seqs.get(s).copied().unwrap_or(*s);
        let mut body = body.clone();
        match &mut body {
            EventBody::Correction { corrects_seq, .. } => *corrects_seq = seq(corrects_seq),
            EventBody::TipAssigned { tip, .. } | EventBody::TipClosed { tip, .. } => *tip = seq(tip),
            EventBody::TipToIncident { tip, incident } => {
                *tip = seq(tip);
                *incident = self.incidents.get(incident).copied().unwrap_or(*incident);
            }
            EventBody::TipPassedOn { tip, .. } => *tip = seq(tip),
            _ => {}
        }
        body
    }

    /// Why the service's state as it is now refuses this event (None: it does not). Into
    /// an empty journal nothing is re-checked beyond the claims: the state is the desk's
    /// own, which its audit has just checked.
    async fn conflict(&self, tx: &mut Tx, incident: Option<i64>, body: &EventBody) -> Result<Option<String>, Error> {
        if self.before == 0 {
            return Ok(None);
        }
        if let EventBody::AccountCreated { username, .. } = body {
            let taken = self.taken_names.contains(username);
            return Ok(taken.then(|| format!("the service already has an account '{username}'; the desk's account was not imported")));
        }
        // A dispatch needs its unit and the boat carrying it (if any) free.
        if let EventBody::Dispatched { .. } = body {
            for unit in claimed_units(body) {
                match unit_row(tx, unit).await? {
                    (status, Some(j)) => return Ok(Some(format!("the service has unit {unit} {status} on its incident {j}"))),
                    (status, None) if status != "available" => return Ok(Some(format!("the service has unit {unit} {status}"))),
                    _ => {}
                }
            }
            return Ok(None);
        }
        // Patrols and tips name a unit but do not hold it.
        let Some(unit) = body.unit().filter(|_| !matches!(body, EventBody::Patrol { .. } | EventBody::TipAssigned { .. })) else {
            return Ok(None);
        };
        let (status, on) = unit_row(tx, unit).await?;
        // On one of the service's own incidents (not one this import made, not this one).
        let theirs = on.filter(|j| Some(*j) != incident && !self.ours.contains(j));
        let held = |j: i64| format!("the service has unit {unit} {status} on its incident {j}");
        Ok(match body {
            EventBody::UnitStatus { .. } => theirs.map(held),
            // En route, on scene, cleared, withdrawn.
            _ => match (theirs, incident) {
                (Some(j), _) => Some(held(j)),
                (None, Some(i)) if self.refused.contains(&(i, unit.to_string())) => {
                    Some(format!("the desk's dispatch of unit {unit} to this incident was not applied (an earlier conflict)"))
                }
                _ => None,
            },
        })
    }

    async fn conflict_note(&mut self, tx: &mut Tx, e: &Event, incident: Option<i64>, why: String) -> Result<(), Error> {
        let text = format!(
            "IMPORT CONFLICT for a supervisor: the desk's event {} ({}, by {} at {}) was not applied: {why}. It read: {}",
            e.seq,
            e.body.kind(),
            e.operator,
            e.at_utc,
            serde_json::to_string(&e.body).unwrap_or_default()
        );
        let row = self.write(tx, &self.own_event(incident, EventBody::Note { text })).await?;
        self.seqs.insert(e.seq, row.seq);
        self.report.conflicts.push(Conflict {
            desk_seq: e.seq,
            kind: e.body.kind().into(),
            incident,
            at_utc: e.at_utc,
            operator: e.operator.clone(),
            why,
            note_seq: row.seq,
        });
        Ok(())
    }

    /// An event of the import itself (its notes and its `journal_imported`).
    fn own_event(&self, incident: Option<i64>, body: EventBody) -> NewEvent {
        NewEvent {
            incident_id: incident.map(IncidentId),
            at_utc: self.opts.now_utc,
            recorded_utc: self.opts.now_utc,
            operator: self.opts.operator.clone(),
            body,
        }
    }

    /// Chains, claims, inserts and projects one event after the current head.
    async fn write(&mut self, tx: &mut Tx, e: &NewEvent) -> Result<tidewatch_journal::EventRow, Error> {
        claim::claim(tx, e).await?;
        let row = e.chain(self.seq, &self.hash)?;
        insert(tx, &row).await?;
        project::apply(tx, row.seq, e).await?;
        self.seq = row.seq;
        self.hash = row.hash.as_slice().try_into().map_err(|_| Error::Storage("a hash is not 32 bytes".into()))?;
        Ok(row)
    }

    /// The account row beside its `account_created` event: the desk's row as it is now
    /// (role, password hash, disabled).
    async fn account(&mut self, tx: &mut Tx, username: &str) -> Result<(), Error> {
        // An account the desk itself imported from an export has no row (no password hash
        // came with it): none here either, as on the desk.
        let Some(a) = self.accounts.get(username) else { return Ok(()) };
        sqlx::query("INSERT INTO accounts (username, role, password, created_utc, disabled) VALUES ($1, $2, $3, $4, $5)")
            .bind(username)
            .bind(&a.role)
            .bind(&a.phc)
            .bind(a.created_utc)
            .bind(a.disabled)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        self.report.accounts += 1;
        Ok(())
    }
}

/// A unit's status and incident on the service (a unit without a row is free at its base).
async fn unit_row(tx: &mut Tx, unit: &str) -> Result<(String, Option<i64>), Error> {
    let row = sqlx::query("SELECT status, incident_id FROM unit_status WHERE unit_id = $1")
        .bind(unit)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?;
    Ok(match row {
        Some(r) => (r.try_get(0).map_err(db)?, r.try_get(1).map_err(db)?),
        None => ("available".into(), None),
    })
}
