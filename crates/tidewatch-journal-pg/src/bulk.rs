//! A group's events in few round trips (the first try of a group commit, `group.rs`): the
//! whole group chained here after the head the group kept, written by one
//! `INSERT … SELECT FROM UNNEST` that first checks, under the chain's lock, that the head is
//! still that one, and notifies the last seq; then the claims and read models event by
//! event. So a group of notes is three round trips: BEGIN with the lock, the insert, COMMIT.
//!
//! Why this order gives what one-by-one appends give: neither a claim nor a projection
//! reads the events table (a projection only needs its event's row to exist, for the
//! joint-work key), so writing the events first changes nothing they see, and they still
//! run in chain order. Any refusal (a unit taken, a bad event) or error fails the whole
//! try: the caller rolls it back and writes the group again one by one, where the refusal
//! gets its own message and touches nobody else's events.

use sqlx::Row;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, EventRow};

use super::group::{Group, Head, Outcome, Request};
use super::{claim, db, head_in, project, Tx, CHANNEL};

/// Appends every request of `batch`, in order; Err: nothing of it can stay.
pub(crate) async fn append(tx: &mut Tx, batch: &[Request], group: &Group) -> Result<Vec<Outcome>, Error> {
    let head = match group.head() {
        Some(head) => head,
        None => head_in(tx).await?,
    };
    let (mut rows, mut outcomes, mut tail) = chain(batch, head)?;
    if let Some(moved) = insert_all(tx, &rows, head).await? {
        // Someone else appended since this process last did: chain the group on their head.
        (rows, outcomes, tail) = chain(batch, moved)?;
        if insert_all(tx, &rows, moved).await?.is_some() {
            return Err(Error::Storage("the chain head moved while its lock was held".into()));
        }
    }
    // Under the lock: the next group (waiting for it) chains after this one.
    group.set_head(Some(tail));
    for (e, row) in batch.iter().flat_map(|r| &r.events).zip(&rows) {
        claim::claim(tx, e).await?;
        project::apply(tx, row.seq, e).await?;
    }
    Ok(outcomes)
}

/// The batch chained after `head`: the rows, each request's acknowledgements, the new head.
fn chain(batch: &[Request], mut head: Head) -> Result<(Vec<EventRow>, Vec<Outcome>, Head), Error> {
    let mut rows = Vec::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    for request in batch {
        let mut acks = Vec::with_capacity(request.events.len());
        for e in &request.events {
            let row = e.chain(head.0, &head.1)?;
            head = (row.seq, row.hash.as_slice().try_into().map_err(|_| Error::Storage("a hash is not 32 bytes".into()))?);
            acks.push(Ack { seq: head.0, hash: head.1 });
            rows.push(row);
        }
        outcomes.push(Ok(acks));
    }
    Ok((rows, outcomes, head))
}

/// All the rows in one statement if the chain's head is still `after` (read in this
/// statement, which began once the lock was held), and `NOTIFY` with the last seq
/// (delivered at commit). Ok(None): written; Ok(Some(head)): nothing written, the head is
/// `head` (0 and zeros for an empty journal).
async fn insert_all(tx: &mut Tx, rows: &[EventRow], after: Head) -> Result<Option<Head>, Error> {
    let column = |f: fn(&EventRow) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
    let text = |f: fn(&EventRow) -> &String| rows.iter().map(|r| f(r).clone()).collect::<Vec<String>>();
    let bytes = |f: fn(&EventRow) -> &Vec<u8>| rows.iter().map(|r| f(r).clone()).collect::<Vec<Vec<u8>>>();
    let row = sqlx::query(
        "WITH head AS (SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1),
         now AS (SELECT COALESCE((SELECT seq FROM head), 0) AS seq, COALESCE((SELECT hash FROM head), $13) AS hash),
         added AS (
             INSERT INTO events (seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                                  $8::text[], $9::bytea[], $10::bytea[])
             WHERE (SELECT seq = $12 AND hash = $13 FROM now)
             RETURNING seq)
         SELECT (SELECT count(*) FROM added), seq, hash,
                (SELECT pg_notify($11, max(seq)::text)::text FROM added HAVING count(*) > 0)
         FROM now",
    )
    .bind(column(|r| r.seq))
    .bind(rows.iter().map(|r| r.incident_id).collect::<Vec<Option<i64>>>())
    .bind(text(|r| &r.kind))
    .bind(column(|r| r.at_utc))
    .bind(column(|r| r.recorded_utc))
    .bind(text(|r| &r.operator))
    .bind(rows.iter().map(|r| r.unit_id.clone()).collect::<Vec<Option<String>>>())
    .bind(text(|r| &r.payload))
    .bind(bytes(|r| &r.prev_hash))
    .bind(bytes(|r| &r.hash))
    .bind(CHANNEL)
    .bind(after.0)
    .bind(after.1.as_slice())
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    let added: i64 = row.try_get(0).map_err(db)?;
    let seq: i64 = row.try_get(1).map_err(db)?;
    let hash: Vec<u8> = row.try_get(2).map_err(db)?;
    let hash = hash.try_into().map_err(|_| Error::Storage(format!("event {seq}: the stored hash is not 32 bytes")))?;
    match usize::try_from(added) {
        Ok(n) if n == rows.len() => Ok(None),
        Ok(0) if (seq, hash) != after => Ok(Some((seq, hash))),
        _ => Err(Error::Storage(format!("{added} of {} events written", rows.len()))),
    }
}
