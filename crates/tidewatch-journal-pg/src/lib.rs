//! The Tidewatch journal on PostgreSQL: the same events and hash chain as the SQLite
//! journal, for several writers (the command-centre service's processes) on one database.
//!
//! An append is one transaction: `pg_advisory_xact_lock(chain)` → read the head → seq =
//! head + 1, hash by [`NewEvent::chain`] (the one function the SQLite journal uses too) →
//! insert → project into the read models → `pg_notify('tidewatch', seq)` → commit. The lock
//! makes seqs commit in order, so a desk catching up by seq never skips a late commit.
//! Appends that arrive together on the handles of one journal in one process share that
//! transaction (group commit, `group.rs`): one lock, one NOTIFY (the last seq) and one
//! fsync for the lot, each caller acknowledged only after the commit.
//!
//! [`JournalStore`] is synchronous (why: see its documentation): a [`PgJournal`] owns a
//! current-thread tokio runtime and blocks on sqlx inside each call. Do not call it from
//! inside an async task; the service calls it from `spawn_blocking`.

mod accounts;
mod audit;
mod bulk;
mod claim;
mod group;
pub mod import;
mod monthly;
mod project;
mod read;
mod region_edits;

use std::borrow::Cow;
use std::sync::Arc;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgPool, Postgres, Row, SqlSafeStr, Transaction};
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{hex, Ack, ChainHead, Event, EventRow, JournalStore, NewEvent};

pub use monthly::{MonthlyRow, Period, MONTHLY_SQL};
pub use region_edits::{StoredRegion, REGION_CHANNEL};

/// How long a call waits for a connection (a server that is down or restarting) before it
/// fails with a storage error.
pub const ACQUIRE: std::time::Duration = std::time::Duration::from_secs(3);

/// The channel every append notifies, with the new head's seq as the payload.
pub const CHANNEL: &str = "tidewatch";

/// `SELECT <the event columns> FROM events <tail>` as one static string (no SQL is built
/// at run time).
macro_rules! events_query {
    ($tail:literal) => {
        concat!("SELECT seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash FROM events ", $tail)
    };
}

/// A handle on the journal in one PostgreSQL schema.
pub struct PgJournal {
    rt: tokio::runtime::Runtime,
    pool: PgPool,
    options: PgConnectOptions,
    /// Shared with the handles `open_again` makes.
    group: Arc<group::Group>,
}

fn db(e: sqlx::Error) -> Error {
    db_ref(&e)
}

/// The embedded migrations, in order; never edit one that has shipped.
fn migrator() -> Migrator {
    let m = |version, description: &'static str, sql: &'static str| {
        Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, sql.into_sql_str(), false)
    };
    Migrator::with_migrations(vec![
        m(1, "journal", include_str!("../migrations/0001_journal.sql")),
        m(2, "monthly figures", include_str!("../migrations/0002_monthly_figures.sql")),
        m(3, "carrier", include_str!("../migrations/0003_carrier.sql")),
        m(4, "region edits", include_str!("../migrations/0004_region_edits.sql")),
    ])
}

/// Whether `name` may be used as a schema name as it is: lower-case letters, digits and
/// `_`, not starting with a digit (it is spliced into `CREATE SCHEMA`, so nothing else).
fn plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

impl PgJournal {
    /// The journal in the database at `url` (its default schema), schema brought up to date.
    pub fn connect(url: &str) -> Result<PgJournal, Error> {
        let options: PgConnectOptions = url.parse().map_err(db)?;
        PgJournal::with_options(options, Arc::default())
    }

    /// The journal in schema `schema` of the database at `url`, created if missing: one
    /// database can hold several journals (the contract suite makes one per check).
    pub fn connect_in_schema(url: &str, schema: &str) -> Result<PgJournal, Error> {
        if !plain_identifier(schema) {
            return Err(Error::invalid("schema", format!("{schema:?}: lower-case letters, digits and _ only")));
        }
        let options: PgConnectOptions = url.parse().map_err(db)?;
        let rt = runtime()?;
        rt.block_on(async {
            let pool = PgPoolOptions::new().max_connections(1).connect_with(options.clone()).await.map_err(db)?;
            let create = sqlx::AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS {schema}"));
            let made = sqlx::query(create).execute(&pool).await.map(drop).map_err(db);
            pool.close().await;
            made
        })?;
        PgJournal::with_options(options.options([("search_path", schema)]), Arc::default())
    }

    fn with_options(options: PgConnectOptions, group: Arc<group::Group>) -> Result<PgJournal, Error> {
        let rt = runtime()?;
        let pool = rt.block_on(async {
            // A lost server fails a call within ACQUIRE (the service answers 503) instead
            // of holding it for sqlx's default 30 s; a pool connection is tested before
            // each use and replaced when dead, so the handle outlives a restarted server.
            let pool = PgPoolOptions::new()
                .max_connections(4)
                .acquire_timeout(ACQUIRE)
                .test_before_acquire(true)
                .connect_with(options.clone())
                .await
                .map_err(db)?;
            migrator().run(&pool).await.map_err(|e| Error::Storage(format!("PostgreSQL migrations: {e}")))?;
            Ok::<_, Error>(pool)
        })?;
        Ok(PgJournal { rt, pool, options, group })
    }

    /// Events matching a query whose `SELECT` list is the event columns, in seq order.
    fn select(&self, query: sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments>) -> Result<Vec<Event>, Error> {
        let rows = self.rt.block_on(query.fetch_all(&self.pool)).map_err(db)?;
        rows.iter().map(|r| event_row(r)?.into_event()).collect()
    }

    /// Appends `events` in `tx` (a transaction of its own, or the account's): lock, head,
    /// the events, NOTIFY.
    async fn append_in_tx(tx: &mut Tx, events: &[NewEvent]) -> Result<Vec<Ack>, Error> {
        lock_chain(tx).await?;
        let mut head = head_in(tx).await?;
        let acks = append_events(tx, &mut head, events).await?;
        notify(tx, head.0).await?;
        Ok(acks)
    }

    /// Writes a group of requests in one transaction: each as if appended alone, in order.
    /// First in bulk (`bulk.rs`: a few round trips for the lot); when that fails (a unit
    /// taken, a bad event) the try is rolled back and the group written again one by one,
    /// each request in a savepoint, so a refused one has its own error and takes nothing of
    /// the others with it.
    fn write_group(&self, batch: &[group::Request]) -> Vec<group::Outcome> {
        self.rt.block_on(async {
            match self.write_once(batch, true).await {
                Some(outcomes) => outcomes,
                None => self.write_once(batch, false).await.unwrap_or_default(),
            }
        })
    }

    /// One transaction of the group; None when the bulk try failed before its commit (and
    /// was rolled back): write it again one by one.
    async fn write_once(&self, batch: &[group::Request], bulk: bool) -> Option<Vec<group::Outcome>> {
        let failed = |e: &Error| batch.iter().map(|_| Err(Error::Storage(e.to_string()))).collect();
        // BEGIN and the chain's lock in one round trip (one simple query).
        let mut tx = match self.pool.begin_with(LOCKED_BEGIN).await {
            Ok(tx) => tx,
            Err(e) => return Some(failed(&db(e))),
        };
        let written = match bulk {
            true => bulk::append(&mut tx, batch, &self.group).await,
            false => {
                // The head is read in the transaction; the guess is dropped.
                self.group.set_head(None);
                one_by_one(&mut tx, batch).await
            }
        };
        let e = match written {
            // A failed commit is not retried: it may have committed.
            Ok(outcomes) => {
                return Some(match tx.commit().await {
                    Ok(()) => outcomes,
                    Err(e) => {
                        self.group.set_head(None);
                        outcomes.into_iter().map(|o| o.and_then(|_| Err(db_ref(&e)))).collect()
                    }
                })
            }
            Err(e) => e,
        };
        self.group.set_head(None);
        // Rolled back now, not on drop: a dropped transaction is rolled back by a task of
        // this handle's runtime, which runs only at its next call, and until then the
        // chain's lock stays held and every other writer waits.
        match tx.rollback().await {
            Ok(()) if bulk => None,
            Ok(()) => Some(failed(&e)),
            Err(r) => Some(failed(&Error::Storage(format!("{e}; then the rollback failed: {}", db(r))))),
        }
    }
}

/// `BEGIN`, then the chain's lock: one chain per schema, so appenders to other journals in
/// this database do not wait. The head is read by a later statement, with a snapshot taken
/// once the lock is held.
const LOCKED_BEGIN: &str = "BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.chain:' || current_schema(), 0))";

type Tx = Transaction<'static, Postgres>;

/// One chain per schema: appenders to other journals in this database do not wait.
async fn lock_chain(tx: &mut Tx) -> Result<(), Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.chain:' || current_schema(), 0))")
        .execute(&mut **tx)
        .await
        .map(drop)
        .map_err(db)
}

async fn notify(tx: &mut Tx, seq: i64) -> Result<(), Error> {
    sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(seq.to_string()).execute(&mut **tx).await.map(drop).map_err(db)
}

/// Chains, inserts and projects `events` after `head`, which moves to the last of them.
async fn append_events(tx: &mut Tx, head: &mut (i64, [u8; 32]), events: &[NewEvent]) -> Result<Vec<Ack>, Error> {
    let mut acks = Vec::with_capacity(events.len());
    for e in events {
        // A dispatch takes its unit here, or is refused before anything is written.
        claim::claim(tx, e).await?;
        let row = e.chain(head.0, &head.1)?;
        insert(tx, &row).await?;
        project::apply(tx, row.seq, e).await?;
        let hash = row.hash.as_slice().try_into().map_err(|_| Error::Storage("a hash is not 32 bytes".into()))?;
        *head = (row.seq, hash);
        acks.push(Ack { seq: row.seq, hash });
    }
    Ok(acks)
}

/// The requests of a group one by one, each in a savepoint, in a transaction holding the
/// chain's lock: a refused request has its own error and leaves nothing. Err: the group as
/// a whole failed (the head, a savepoint, the NOTIFY).
async fn one_by_one(tx: &mut Tx, batch: &[group::Request]) -> Result<Vec<group::Outcome>, Error> {
    let mut head = head_in(tx).await?;
    let appended = head.0;
    // `g` always marks the state after the last request that was kept.
    savepoint(tx, "SAVEPOINT g").await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for request in batch {
        let before = head;
        let outcome = append_events(tx, &mut head, &request.events).await;
        match outcome {
            Ok(_) => savepoint(tx, "RELEASE SAVEPOINT g; SAVEPOINT g").await?,
            Err(_) => {
                savepoint(tx, "ROLLBACK TO SAVEPOINT g").await?;
                head = before;
            }
        }
        outcomes.push(outcome);
    }
    if head.0 > appended {
        notify(tx, head.0).await?;
    }
    Ok(outcomes)
}

/// Savepoint statements, sent as one simple query (one round trip, no parameters).
async fn savepoint(tx: &mut Tx, sql: &'static str) -> Result<(), Error> {
    sqlx::raw_sql(sql).execute(&mut **tx).await.map(drop).map_err(db)
}

fn db_ref(e: &sqlx::Error) -> Error {
    Error::Storage(format!("PostgreSQL: {e}"))
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Error::Io)
}

fn event_row(r: &PgRow) -> Result<EventRow, Error> {
    Ok(EventRow {
        seq: r.try_get("seq").map_err(db)?,
        incident_id: r.try_get("incident_id").map_err(db)?,
        kind: r.try_get("kind").map_err(db)?,
        at_utc: r.try_get("at_utc").map_err(db)?,
        recorded_utc: r.try_get("recorded_utc").map_err(db)?,
        operator: r.try_get("operator").map_err(db)?,
        unit_id: r.try_get("unit_id").map_err(db)?,
        payload: r.try_get("payload").map_err(db)?,
        prev_hash: r.try_get("prev_hash").map_err(db)?,
        hash: r.try_get("hash").map_err(db)?,
    })
}

/// The chain head as this transaction sees it (0 and zeros when empty).
async fn head_in(tx: &mut Tx) -> Result<(i64, [u8; 32]), Error> {
    let row = sqlx::query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetch_optional(&mut **tx).await.map_err(db)?;
    let Some(row) = row else { return Ok((0, [0u8; 32])) };
    let seq: i64 = row.try_get(0).map_err(db)?;
    let hash: Vec<u8> = row.try_get(1).map_err(db)?;
    let hash = hash.try_into().map_err(|_| Error::Storage(format!("event {seq}: the stored hash is not 32 bytes")))?;
    Ok((seq, hash))
}

async fn insert(tx: &mut Tx, r: &EventRow) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO events (seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.seq)
    .bind(r.incident_id)
    .bind(&r.kind)
    .bind(r.at_utc)
    .bind(r.recorded_utc)
    .bind(&r.operator)
    .bind(&r.unit_id)
    .bind(&r.payload)
    .bind(&r.prev_hash)
    .bind(&r.hash)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    Ok(())
}

impl JournalStore for PgJournal {
    fn audit(&self) -> Result<tidewatch_journal::AuditReport, Error> {
        self.verify()
    }

    fn append(&mut self, event: &NewEvent) -> Result<Ack, Error> {
        let acks = self.append_batch(std::slice::from_ref(event))?;
        acks.into_iter().next().ok_or_else(|| Error::Storage("the append returned no acknowledgement".into()))
    }

    fn append_batch(&mut self, events: &[NewEvent]) -> Result<Vec<Ack>, Error> {
        events.iter().try_for_each(NewEvent::check)?;
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let group = Arc::clone(&self.group);
        group.append(events.to_vec(), |batch| self.write_group(batch))
    }

    fn head(&self) -> Result<Option<ChainHead>, Error> {
        let row = self
            .rt
            .block_on(sqlx::query("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetch_optional(&self.pool))
            .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let hash: Vec<u8> = row.try_get(1).map_err(db)?;
        Ok(Some(ChainHead { seq: row.try_get(0).map_err(db)?, hash: hex(&hash) }))
    }

    fn events_between(&self, from_seq: i64, to_seq: i64) -> Result<Vec<Event>, Error> {
        self.select(sqlx::query(events_query!("WHERE seq BETWEEN $1 AND $2 ORDER BY seq")).bind(from_seq).bind(to_seq))
    }

    fn events_after(&self, after_seq: i64, limit: u32) -> Result<Vec<Event>, Error> {
        self.select(sqlx::query(events_query!("WHERE seq > $1 ORDER BY seq LIMIT $2")).bind(after_seq).bind(i64::from(limit)))
    }

    fn incident_events(&self, incident: IncidentId) -> Result<Vec<Event>, Error> {
        self.select(sqlx::query(events_query!("WHERE incident_id = $1 ORDER BY seq")).bind(incident.0))
    }

    fn events_of_kinds(&self, kinds: &[&str], from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        self.select(
            sqlx::query(events_query!("WHERE kind = ANY($1) AND at_utc >= $2 AND at_utc < $3 ORDER BY seq"))
                .bind(kinds)
                .bind(from_utc)
                .bind(to_utc),
        )
    }

    fn events_at(&self, from_utc: i64, to_utc: i64) -> Result<Vec<Event>, Error> {
        self.select(sqlx::query(events_query!("WHERE at_utc >= $1 AND at_utc < $2 ORDER BY seq")).bind(from_utc).bind(to_utc))
    }

    fn latest_event(&self, kind: &str) -> Result<Option<Event>, Error> {
        Ok(self.select(sqlx::query(events_query!("WHERE kind = $1 ORDER BY seq DESC LIMIT 1")).bind(kind.to_string()))?.pop())
    }

    fn latest_seq_of(&self, kind: &str) -> Result<Option<i64>, Error> {
        let row = self.rt.block_on(sqlx::query("SELECT MAX(seq) FROM events WHERE kind = $1").bind(kind.to_string()).fetch_one(&self.pool));
        row.and_then(|r| r.try_get(0)).map_err(db)
    }

    fn open_again(&self) -> Result<PgJournal, Error> {
        PgJournal::with_options(self.options.clone(), Arc::clone(&self.group))
    }
}

impl Drop for PgJournal {
    /// Closes the connections inside the runtime that made them.
    fn drop(&mut self) {
        self.rt.block_on(self.pool.close());
    }
}
