//! Tamper evidence on PostgreSQL, as the SQLite journal's audit (`tidewatch-journal`'s
//! `audit.rs`) does it, in one snapshot (REPEATABLE READ: appends may go on meanwhile):
//! 1. recomputes the hash chain and names the first event that does not fit;
//! 2. replays every event into a scratch schema with this journal's own claim and
//!    projection code, and compares each read model (`incidents`, `joint_work`,
//!    `unit_status`) with the stored one, naming the table, the key and the column;
//! 3. recomputes every stored period of the monthly figures (`monthly.rs`) from the rebuilt
//!    incidents and compares;
//! 4. compares the accounts table with the account events (`JournaledAccounts`).
//!
//! The scratch schema is made inside the audit's transaction and rolled back with it:
//! nothing is left behind, and nothing in the journal's schema is written.

use sqlx::{AssertSqlSafe, Postgres, Row, Transaction};
use tidewatch_core::Error;
use tidewatch_journal::{hex, AuditReport, ChainHead, EventRow, JournaledAccounts, NewEvent, StoredAccount};

use super::monthly::{compute, MonthlyRow, Period};
use super::{claim, db, event_row, insert, plain_identifier, project, PgJournal};

type Tx = Transaction<'static, Postgres>;

/// Events read at a time.
const CHUNK: i64 = 10_000;

/// The read models and the key each is ordered by.
const READ_MODELS: [(&str, &str); 3] = [("incidents", "id"), ("joint_work", "seq"), ("unit_status", "unit_id")];

impl PgJournal {
    /// Audits this journal: the chain, the read models rebuilt from the events, the accounts.
    pub fn verify(&self) -> Result<AuditReport, Error> {
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            let report = audit(&mut tx).await;
            // Always rolled back: the scratch schema goes with it.
            let rolled = tx.rollback().await.map_err(db);
            let report = report?;
            rolled?;
            Ok(report)
        })
    }
}

async fn audit(tx: &mut Tx) -> Result<AuditReport, Error> {
    exec(tx, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").await?;
    let stored: String = sqlx::query("SELECT current_schema()").fetch_one(&mut **tx).await.map_err(db)?.try_get(0).map_err(db)?;
    if !plain_identifier(&stored) {
        return Err(Error::Storage(format!("the journal's schema {stored:?} is not a plain name the audit can read")));
    }
    let scratch = scratch_schema(tx).await?;
    let mut accounts = JournaledAccounts::default();
    let (events, head) = match replay(tx, &stored, &mut accounts).await? {
        Ok(done) => done,
        Err(bad) => return Ok(bad),
    };
    let mut report = AuditReport { events, ok: true, first_bad_seq: None, problem: None, head, after_seal: None };
    exec(tx, &format!("SET LOCAL search_path TO {stored}")).await?;
    let mut problem = compare_read_models(tx, &stored, &scratch).await?;
    if problem.is_none() {
        problem = compare_monthly(tx, &stored, &scratch).await?;
    }
    if problem.is_none() {
        problem = compare_accounts(tx, &stored, accounts).await?;
    }
    if let Some(p) = problem {
        report.ok = false;
        report.problem = Some(p);
    }
    Ok(report)
}

async fn exec(tx: &mut Tx, sql: &str) -> Result<(), Error> {
    sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut **tx).await.map(drop).map_err(db)
}

/// A schema of the journal's tables for the rebuild, made in the audit's transaction.
async fn scratch_schema(tx: &mut Tx) -> Result<String, Error> {
    // Named after this transaction's id: no other audit can have it at the same time.
    let txid: i64 = sqlx::query("SELECT txid_current()").fetch_one(&mut **tx).await.map_err(db)?.try_get(0).map_err(db)?;
    let name = format!("tidewatch_audit_{txid}");
    exec(tx, &format!("CREATE SCHEMA {name}")).await?;
    exec(tx, &format!("SET LOCAL search_path TO {name}")).await?;
    exec(tx, include_str!("../migrations/0001_journal.sql")).await?;
    exec(tx, include_str!("../migrations/0003_carrier.sql")).await?;
    Ok(name)
}

/// Walks the stored chain in order (from schema `stored`), replaying each event into the
/// scratch schema (the search path). Ok((count, head)), or Err(the report naming the
/// first bad event).
async fn replay(
    tx: &mut Tx,
    stored: &str,
    accounts: &mut JournaledAccounts,
) -> Result<Result<(i64, Option<ChainHead>), AuditReport>, Error> {
    let select = format!(
        "SELECT seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash FROM {stored}.events
         WHERE seq > $1 ORDER BY seq LIMIT $2"
    );
    let (mut count, mut prev) = (0i64, [0u8; 32]);
    let bad = |seq: i64, count: i64, why: String| AuditReport {
        events: count,
        ok: false,
        first_bad_seq: Some(seq),
        problem: Some(why),
        head: None,
        after_seal: None,
    };
    loop {
        let rows = sqlx::query(AssertSqlSafe(select.clone())).bind(count).bind(CHUNK).fetch_all(&mut **tx).await.map_err(db)?;
        if rows.is_empty() {
            let head = (count > 0).then(|| ChainHead { seq: count, hash: hex(&prev) });
            return Ok(Ok((count, head)));
        }
        for r in &rows {
            count += 1;
            let row = event_row(r)?;
            if let Err(why) = check_link(&row, count, &prev) {
                return Ok(Err(bad(row.seq, count, why)));
            }
            let seq = row.seq;
            prev = row.hash.as_slice().try_into().unwrap_or([0u8; 32]);
            let event = match row.into_event() {
                Ok(e) => e,
                Err(e) => return Ok(Err(bad(seq, count, e.to_string()))),
            };
            accounts.observe(seq, event.at_utc, &event.body);
            let again = NewEvent {
                incident_id: event.incident_id,
                at_utc: event.at_utc,
                recorded_utc: event.recorded_utc,
                operator: event.operator,
                body: event.body,
            };
            if let Err(e) = rebuild(tx, seq, &prev, &again).await {
                return Ok(Err(bad(seq, count, format!("it cannot be replayed: {e}"))));
            }
        }
    }
}

/// The row's place in the chain: its seq, its link to the previous hash, its own hash.
fn check_link(row: &EventRow, count: i64, prev: &[u8; 32]) -> Result<(), String> {
    if row.seq != count {
        return Err(format!("sequence jumps from {} to {}: events are missing", count - 1, row.seq));
    }
    if row.prev_hash != prev.to_vec() {
        return Err("its link to the previous event is broken".into());
    }
    if !row.hash_checks() {
        return Err("its contents do not match its hash: it was changed after it was written".into());
    }
    Ok(())
}

/// One event into the scratch schema, as an append writes it.
async fn rebuild(tx: &mut Tx, seq: i64, hash: &[u8; 32], e: &NewEvent) -> Result<(), Error> {
    // Inside a savepoint: a refused replay must not abort the audit's transaction.
    exec(tx, "SAVEPOINT replay").await?;
    let done = async {
        claim::claim(tx, e).await?;
        let mut row = e.chain(seq - 1, &[0u8; 32])?;
        // The scratch chain is not checked again (check_link did): it only feeds the
        // foreign keys of the read models.
        row.hash = hash.to_vec();
        insert(tx, &row).await?;
        project::apply(tx, seq, e).await
    }
    .await;
    match done {
        Ok(()) => exec(tx, "RELEASE SAVEPOINT replay").await,
        Err(e) => {
            exec(tx, "ROLLBACK TO SAVEPOINT replay").await?;
            Err(e)
        }
    }
}

async fn compare_read_models(tx: &mut Tx, stored: &str, scratch: &str) -> Result<Option<String>, Error> {
    for (table, key) in READ_MODELS {
        if let Some(problem) = compare_table(tx, stored, scratch, table, key).await? {
            return Ok(Some(problem));
        }
    }
    Ok(None)
}

/// The first row (by key) where the stored table and the rebuilt one differ, named.
async fn compare_table(tx: &mut Tx, stored: &str, scratch: &str, table: &str, key: &str) -> Result<Option<String>, Error> {
    let differ = format!(
        "SELECT {key}::text FROM ((SELECT * FROM {stored}.{table} EXCEPT ALL SELECT * FROM {scratch}.{table})
         UNION ALL (SELECT * FROM {scratch}.{table} EXCEPT ALL SELECT * FROM {stored}.{table})) d ORDER BY {key} LIMIT 1"
    );
    let first = sqlx::query(AssertSqlSafe(differ))
        .fetch_optional(&mut **tx)
        .await
        .map_err(|e| Error::Storage(format!("the {table} table cannot be compared with its events: {e}")))?;
    let Some(first) = first else { return Ok(None) };
    let k: String = first.try_get(0).map_err(db)?;
    let row_of = |schema: &str| format!("SELECT to_jsonb(t)::text FROM {schema}.{table} t WHERE {key}::text = $1");
    let mut rows = Vec::new();
    for schema in [stored, scratch] {
        let r = sqlx::query(AssertSqlSafe(row_of(schema))).bind(&k).fetch_optional(&mut **tx).await.map_err(db)?;
        let json = r.map(|r| r.try_get::<String, _>(0)).transpose().map_err(db)?;
        rows.push(json.and_then(|j| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&j).ok()));
    }
    let row = format!("{table} row {key} = {k}");
    Ok(Some(match (&rows[0], &rows[1]) {
        (Some(_), None) => format!("{row} has no event behind it: it was added, or its events were removed"),
        (None, Some(_)) => format!("{row} is missing: its events create it, so it was deleted"),
        (Some(a), Some(b)) => {
            let col = b.iter().find(|(c, v)| a.get(*c) != Some(*v)).map(|(c, _)| c.clone()).unwrap_or_default();
            let show = |m: &serde_json::Map<String, serde_json::Value>| m.get(&col).map(|v| v.to_string()).unwrap_or("nothing".into());
            format!("{row} was changed: {col} is {} in the table but its events give {}", show(a), show(b))
        }
        (None, None) => format!("{row} differs from its events"),
    }))
}

/// The first stored period of the monthly figures that the rebuilt incidents do not give.
async fn compare_monthly(tx: &mut Tx, stored: &str, scratch: &str) -> Result<Option<String>, Error> {
    let sql = format!(
        "SELECT from_utc, to_utc, before_from_utc, before_to_utc, figures::text FROM {stored}.monthly_figures
         WHERE figures IS NOT NULL ORDER BY 1, 2, 3, 4"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| Error::Storage(format!("the monthly_figures table cannot be read: {e}")))?;
    exec(tx, &format!("SET LOCAL search_path TO {scratch}")).await?;
    let mut problem = None;
    for r in &rows {
        let p = Period {
            from: r.try_get(0).map_err(db)?,
            to: r.try_get(1).map_err(db)?,
            before_from: r.try_get(2).map_err(db)?,
            before_to: r.try_get(3).map_err(db)?,
        };
        let text: String = r.try_get(4).map_err(db)?;
        let kept: Option<Vec<MonthlyRow>> = serde_json::from_str(&text).ok();
        if kept.as_ref() != Some(&compute(tx, p).await?) {
            problem = Some(format!(
                "monthly_figures row from_utc = {} to_utc = {} was changed: the incidents its events give have other figures",
                p.from, p.to
            ));
            break;
        }
    }
    exec(tx, &format!("SET LOCAL search_path TO {stored}")).await?;
    Ok(problem)
}

async fn compare_accounts(tx: &mut Tx, stored: &str, mut accounts: JournaledAccounts) -> Result<Option<String>, Error> {
    let sql = format!("SELECT username, role, disabled, created_utc, password FROM {stored}.accounts ORDER BY username");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| Error::Storage(format!("the accounts table cannot be read: {e}")))?;
    for r in &rows {
        let (username, role, password): (String, String, String) =
            (r.try_get(0).map_err(db)?, r.try_get(1).map_err(db)?, r.try_get(4).map_err(db)?);
        let row = StoredAccount {
            username: &username,
            role: &role,
            disabled: r.try_get(2).map_err(db)?,
            created_utc: r.try_get(3).map_err(db)?,
            password: &password,
        };
        if let Some(problem) = accounts.check_row(&row) {
            return Ok(Some(problem));
        }
    }
    Ok(accounts.missing())
}
