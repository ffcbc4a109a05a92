//! Tamper evidence. The audit
//! 1. recomputes the hash chain and names the first event that does not fit;
//! 2. checks the chain against a seal kept outside the file, when given one (a cut tail,
//!    an emptied journal, an edited and re-chained one);
//! 3. replays every event into a scratch database with the journal's own projection code
//!    and compares the read models the reports are computed from (`incidents`,
//!    `joint_work`, `unit_status`) row by row with the stored ones;
//! 4. compares the accounts table with the account events: who exists, their role, whether
//!    they are enabled, and each password hash against the digest its event journaled
//!    (`password_digest`; events older than the digests leave the hash unchecked).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::event::{password_digest, EventBody, StoredEvent, EVENT_COLUMNS};
use super::journal::{chain_hash, Journal};
use super::seal::{check_seal, head_of, ChainHead, Seal};
use crate::open::db;
use tidewatch_core::Error;

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct AuditReport {
    pub events: i64,
    pub ok: bool,
    /// The first event whose stored hash, link or sequence is wrong (None when the fault
    /// is in a read model or the accounts table: `problem` names the row).
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
    /// The newest event: write it down or seal it (`tidewatch audit seal`) to anchor the
    /// chain outside the file.
    #[ts(optional = nullable)]
    pub head: Option<ChainHead>,
    /// Checked against a seal: events written after the sealed one (the seal does not
    /// vouch for them).
    #[ts(optional = nullable)]
    pub after_seal: Option<i64>,
}

/// Audits the journal at `path`, opened read-only.
pub fn verify(path: &std::path::Path) -> Result<AuditReport, Error> {
    verify_sealed(path, None)
}

/// Audits the journal at `path` and checks it against `seal`. Never creates or changes the
/// file; works in a read-only folder (evidence copies).
pub fn verify_sealed(path: &std::path::Path, seal: Option<&Seal>) -> Result<AuditReport, Error> {
    audit(&super::open::read_only(path)?, seal)
}

pub(crate) fn verify_conn(conn: &Connection) -> Result<AuditReport, Error> {
    audit(conn, None)
}

fn audit(conn: &Connection, seal: Option<&Seal>) -> Result<AuditReport, Error> {
    let mut scratch = Journal::scratch()?;
    scratch.begin_batch()?;
    let mut accounts = JournaledAccounts::default();
    let events = match replay(conn, &scratch, &mut accounts)? {
        Ok(events) => events,
        Err(bad) => return Ok(bad),
    };
    scratch.commit_batch()?;
    let head = head_of(conn)?;
    let mut report = AuditReport { events, ok: true, first_bad_seq: None, problem: None, head: head.clone(), after_seal: None };
    if let Some(seal) = seal {
        match check_seal(conn, seal, head.as_ref())? {
            Ok(after) => report.after_seal = Some(after),
            Err(problem) => {
                let next = head.as_ref().map_or(1, |h| h.seq + 1);
                report.first_bad_seq = Some(seal.seq.min(next));
                return Ok(failed(report, problem));
            }
        }
    }
    if let Some(problem) = compare_read_models(conn, scratch.conn())? {
        return Ok(failed(report, problem));
    }
    if let Some(problem) = accounts.compare(conn)? {
        return Ok(failed(report, problem));
    }
    Ok(report)
}

fn failed(mut report: AuditReport, problem: String) -> AuditReport {
    report.ok = false;
    report.problem = Some(problem);
    report
}

/// Walks the chain in order, replaying each event into `scratch`. Ok(event count), or
/// Err(the report naming the first bad event).
fn replay(conn: &Connection, scratch: &Journal, accounts: &mut JournaledAccounts) -> Result<Result<i64, AuditReport>, Error> {
    let mut stmt = conn.prepare(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq")).map_err(db)?;
    let mut rows = stmt.query([]).map_err(db)?;
    let mut prev = [0u8; 32];
    let mut count = 0;
    let bad = |seq: i64, count: i64, why: String| AuditReport {
        events: count,
        ok: false,
        first_bad_seq: Some(seq),
        problem: Some(why),
        head: None,
        after_seal: None,
    };
    while let Some(r) = rows.next().map_err(db)? {
        count += 1;
        let e = match StoredEvent::read(r) {
            Ok(e) => e,
            Err(err) => return Ok(Err(bad(r.get(0).unwrap_or(count), count, err.to_string()))),
        };
        if e.seq != count {
            return Ok(Err(bad(e.seq, count, format!("sequence jumps from {} to {}: events are missing", count - 1, e.seq))));
        }
        if e.prev_hash != prev {
            return Ok(Err(bad(e.seq, count, "its link to the previous event is broken".into())));
        }
        let h = chain_hash(&prev, e.seq, e.incident_id, &e.kind, e.at_utc, e.recorded_utc, &e.operator, e.unit_id.as_deref(), &e.payload);
        if e.hash != h {
            return Ok(Err(bad(e.seq, count, "its contents do not match its hash: it was changed after it was written".into())));
        }
        let body = match e.body() {
            Ok(b) => b,
            Err(err) => return Ok(Err(bad(e.seq, count, err.to_string()))),
        };
        if let Err(err) = scratch.replay(e.seq, e.incident_id, e.at_utc, &body) {
            return Ok(Err(bad(e.seq, count, format!("it cannot be replayed: {err}"))));
        }
        accounts.observe(e.seq, e.at_utc, &body);
        prev = h;
    }
    Ok(Ok(count))
}

/// The read models and the key each is ordered by.
const READ_MODELS: [(&str, &str); 3] = [("incidents", "id"), ("joint_work", "seq"), ("unit_status", "unit_id")];

/// The first row where a stored read model differs from the one rebuilt from the events.
fn compare_read_models(stored: &Connection, rebuilt: &Connection) -> Result<Option<String>, Error> {
    for (table, key) in READ_MODELS {
        if let Some(problem) = compare_table(stored, rebuilt, table, key)? {
            return Ok(Some(problem));
        }
    }
    Ok(None)
}

fn compare_table(stored: &Connection, rebuilt: &Connection, table: &str, key: &str) -> Result<Option<String>, Error> {
    // A journal opened read-only keeps its own (older) schema: the columns added since
    // (say `carrier_id`) were not there to be set, so they are left out of the comparison.
    let theirs = columns(stored, table)?;
    let cols: Vec<String> = columns(rebuilt, table)?.into_iter().filter(|c| theirs.is_empty() || theirs.contains(c)).collect();
    let k = cols.iter().position(|c| c == key).unwrap_or(0);
    let sql = format!("SELECT {} FROM {table} ORDER BY {key}", cols.join(", "));
    let mut a_stmt = stored.prepare(&sql).map_err(|e| Error::Storage(format!("the {table} table cannot be read: {e}")))?;
    let mut b_stmt = rebuilt.prepare(&sql).map_err(db)?;
    let (mut a_rows, mut b_rows) = (a_stmt.query([]).map_err(db)?, b_stmt.query([]).map_err(db)?);
    let (mut a, mut b) = (values(a_rows.next().map_err(db)?, cols.len())?, values(b_rows.next().map_err(db)?, cols.len())?);
    let row = |v: &Value| format!("{table} row {key} = {}", show(v));
    loop {
        let order = match (&a, &b) {
            (None, None) => return Ok(None),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => sqlite_order(&x[k], &y[k]),
        };
        match (order, &a, &b) {
            (Ordering::Less, Some(x), _) => {
                return Ok(Some(format!("{} has no event behind it: it was added, or its events were removed", row(&x[k]))))
            }
            (Ordering::Greater, _, Some(y)) => {
                return Ok(Some(format!("{} is missing: its events create it, so it was deleted", row(&y[k]))))
            }
            (_, Some(x), Some(y)) => {
                if let Some(i) = (0..cols.len()).find(|&i| x[i] != y[i]) {
                    return Ok(Some(format!(
                        "{} was changed: {} is {} in the table but its events give {}",
                        row(&x[k]),
                        cols[i],
                        show(&x[i]),
                        show(&y[i])
                    )));
                }
            }
            _ => return Ok(None),
        }
        a = values(a_rows.next().map_err(db)?, cols.len())?;
        b = values(b_rows.next().map_err(db)?, cols.len())?;
    }
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<String>, Error> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).map_err(db)?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1)).map_err(db)?;
    names.collect::<Result<_, _>>().map_err(db)
}

fn values(row: Option<&rusqlite::Row>, n: usize) -> Result<Option<Vec<Value>>, Error> {
    let Some(r) = row else { return Ok(None) };
    Ok(Some((0..n).map(|i| r.get::<_, Value>(i)).collect::<Result<_, _>>().map_err(db)?))
}

/// SQLite's order of values in `ORDER BY` (NULL, numbers, text, blobs; BINARY collation).
fn sqlite_order(a: &Value, b: &Value) -> Ordering {
    let class = |v: &Value| match v {
        Value::Null => 0,
        Value::Integer(_) | Value::Real(_) => 1,
        Value::Text(_) => 2,
        Value::Blob(_) => 3,
    };
    let num = |v: &Value| match v {
        Value::Integer(i) => *i as f64,
        Value::Real(f) => *f,
        _ => 0.0,
    };
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Value::Blob(x), Value::Blob(y)) => x.cmp(y),
        _ if class(a) == class(b) && class(a) == 1 => num(a).total_cmp(&num(b)),
        _ => class(a).cmp(&class(b)),
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => format!("'{t}'"),
        Value::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}

/// The accounts as the events make them: what every store's audit (SQLite here, the
/// PostgreSQL journal's own) compares its accounts table with.
#[derive(Default)]
pub struct JournaledAccounts {
    accounts: BTreeMap<String, JournaledAccount>,
    /// The latest `journal_imported` event: accounts created before it may have no row
    /// (their password hashes were not in the export).
    last_import: i64,
    /// Names whose rows were checked.
    seen: std::collections::BTreeSet<String>,
}

struct JournaledAccount {
    role: String,
    disabled: bool,
    created_seq: i64,
    created_utc: i64,
    /// The digest of the password hash the latest event set, and that event (None: the
    /// event is older than the digests, so the hash cannot be checked).
    password: Option<(String, i64)>,
}

/// An accounts row as a store holds it.
pub struct StoredAccount<'a> {
    pub username: &'a str,
    pub role: &'a str,
    pub disabled: bool,
    pub created_utc: i64,
    /// The password hash (argon2id PHC).
    pub password: &'a str,
}

impl JournaledAccounts {
    /// Takes in one event, in seq order.
    pub fn observe(&mut self, seq: i64, at: i64, body: &EventBody) {
        match body {
            EventBody::AccountCreated { username, role, password_sha256 } => {
                let password = password_sha256.clone().map(|d| (d, seq));
                let a = JournaledAccount { role: role.clone(), disabled: false, created_seq: seq, created_utc: at, password };
                self.accounts.insert(username.clone(), a);
            }
            EventBody::PasswordReset { username, password_sha256 } => {
                if let Some(a) = self.accounts.get_mut(username) {
                    a.password = password_sha256.clone().map(|d| (d, seq));
                }
            }
            EventBody::AccountDisabled { username } | EventBody::AccountEnabled { username } => {
                if let Some(a) = self.accounts.get_mut(username) {
                    a.disabled = matches!(body, EventBody::AccountDisabled { .. });
                }
            }
            EventBody::JournalImported { .. } => self.last_import = seq,
            _ => {}
        }
    }

    /// What is wrong with one accounts row (rows in any order, each once), if anything.
    pub fn check_row(&mut self, row: &StoredAccount) -> Option<String> {
        let name = row.username;
        let Some(a) = self.accounts.get(name) else {
            return Some(format!(
                "accounts row '{name}' (role '{}') has no account_created event: it was added behind the desk's back",
                row.role
            ));
        };
        self.seen.insert(name.to_string());
        let changed = |col: &str, stored: String, events: String| {
            format!(
                "accounts row '{name}' was changed: {col} is {stored} in the table but its events (from event {}) give {events}",
                a.created_seq
            )
        };
        if row.role != a.role {
            return Some(changed("role", format!("'{}'", row.role), format!("'{}'", a.role)));
        }
        if row.disabled != a.disabled {
            return Some(changed("disabled", i64::from(row.disabled).to_string(), i64::from(a.disabled).to_string()));
        }
        if row.created_utc != a.created_utc {
            return Some(changed("created_utc", row.created_utc.to_string(), a.created_utc.to_string()));
        }
        match &a.password {
            Some((digest, seq)) if password_digest(row.password) != *digest => Some(format!(
                "accounts row '{name}' was changed: its password hash is not the one event {seq} set (written behind the desk's back)"
            )),
            _ => None,
        }
    }

    /// After every row: the first account the events create that has no row.
    pub fn missing(&self) -> Option<String> {
        let missing = self.accounts.iter().find(|(name, a)| a.created_seq > self.last_import && !self.seen.contains(*name));
        missing.map(|(name, a)| format!("account '{name}' (created by event {}) is missing from the accounts table", a.created_seq))
    }

    /// The first accounts row that the events do not account for, or the first account
    /// the events create that has no row.
    fn compare(mut self, conn: &Connection) -> Result<Option<String>, Error> {
        let mut stmt = conn
            .prepare("SELECT username, role, disabled, created_utc, password FROM accounts ORDER BY username")
            .map_err(|e| Error::Storage(format!("the accounts table cannot be read: {e}")))?;
        let mut rows = stmt.query([]).map_err(db)?;
        while let Some(r) = rows.next().map_err(db)? {
            let row = values(Some(r), 5)?.unwrap_or_default();
            let (Value::Text(name), Value::Text(role), Value::Integer(disabled), Value::Integer(created_utc), Value::Text(password)) =
                (&row[0], &row[1], &row[2], &row[3], &row[4])
            else {
                return Ok(Some(format!(
                    "accounts row with username {} is not one the desk writes ({}, {}, {})",
                    show(&row[0]),
                    show(&row[1]),
                    show(&row[2]),
                    show(&row[3])
                )));
            };
            let stored = StoredAccount { username: name, role, disabled: *disabled != 0, created_utc: *created_utc, password };
            if let Some(problem) = self.check_row(&stored) {
                return Ok(Some(problem));
            }
        }
        Ok(self.missing())
    }
}

/// Seals the journal at `path` after auditing it: a journal that fails its audit is not
/// sealed (the seal would vouch for the tampering).
pub fn seal(path: &std::path::Path, region: Option<String>, now_utc: i64) -> Result<Seal, Error> {
    let report = verify(path)?;
    if !report.ok {
        return Err(Error::Storage(format!(
            "{} fails its audit{}: {}; not sealed",
            path.display(),
            report.first_bad_seq.map(|s| format!(" at event {s}")).unwrap_or_default(),
            report.problem.unwrap_or_default()
        )));
    }
    let head = report.head.ok_or_else(|| Error::Storage(format!("{} has no events: nothing to seal", path.display())))?;
    Ok(Seal {
        format: Seal::FORMAT,
        seq: head.seq,
        hash: head.hash,
        events: report.events,
        sealed_utc: now_utc,
        region,
        journal: path.display().to_string(),
    })
}
