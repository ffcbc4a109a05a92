//! Tamper evidence: recompute the hash chain and name the first event that does not fit.

use rusqlite::Connection;
use serde::Serialize;

use super::journal::chain_hash;
use crate::Error;

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct AuditReport {
    pub events: i64,
    pub ok: bool,
    /// The first event whose stored hash, link or sequence is wrong.
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
}

/// Verifies the chain of the journal at `path`, opened read-only.
pub fn verify(path: &std::path::Path) -> Result<AuditReport, Error> {
    // Never creates or changes the file; works in a read-only folder (evidence copies).
    verify_conn(&super::open::read_only(path)?)
}

pub(crate) fn verify_conn(conn: &Connection) -> Result<AuditReport, Error> {
    let mut stmt = conn.prepare(
        "SELECT seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash FROM events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = [0u8; 32];
    let mut expected_seq = 1;
    let mut count = 0;
    let bad = |seq: i64, count: i64, why: String| AuditReport { events: count, ok: false, first_bad_seq: Some(seq), problem: Some(why) };
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        count += 1;
        if seq != expected_seq {
            return Ok(bad(seq, count, format!("sequence jumps from {} to {seq}: events are missing", expected_seq - 1)));
        }
        let prev_hash: Vec<u8> = r.get(8)?;
        if prev_hash != prev {
            return Ok(bad(seq, count, "its link to the previous event is broken".into()));
        }
        let kind: String = r.get(2)?;
        let unit: Option<String> = r.get(6)?;
        let payload: String = r.get(7)?;
        let stored: Vec<u8> = r.get(9)?;
        let h = chain_hash(&prev, seq, r.get(1)?, &kind, r.get(3)?, r.get(4)?, &r.get::<_, String>(5)?, unit.as_deref(), &payload);
        if stored != h {
            return Ok(bad(seq, count, "its contents do not match its hash: it was changed after it was written".into()));
        }
        prev = h;
        expected_seq += 1;
    }
    Ok(AuditReport { events: count, ok: true, first_bad_seq: None, problem: None })
}
