//! A group's events in few round trips (the first try of a group commit, `group.rs`): the
//! whole group chained here, written by one `INSERT … SELECT FROM UNNEST` that also
//! notifies the last seq, then the claims and read models event by event.
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

use super::group::{Outcome, Request};
use super::{claim, db, head_in, project, Tx, CHANNEL};

/// Appends every request of `batch`, in order; Err: nothing of it can stay.
pub(crate) async fn append(tx: &mut Tx, batch: &[Request]) -> Result<Vec<Outcome>, Error> {
    let mut head = head_in(tx).await?;
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
    insert_all(tx, &rows).await?;
    for (e, row) in batch.iter().flat_map(|r| &r.events).zip(&rows) {
        claim::claim(tx, e).await?;
        project::apply(tx, row.seq, e).await?;
    }
    Ok(outcomes)
}

/// All the rows in one statement, and `NOTIFY` with the last seq (delivered at commit).
async fn insert_all(tx: &mut Tx, rows: &[EventRow]) -> Result<(), Error> {
    let column = |f: fn(&EventRow) -> i64| rows.iter().map(f).collect::<Vec<i64>>();
    let text = |f: fn(&EventRow) -> &String| rows.iter().map(|r| f(r).clone()).collect::<Vec<String>>();
    let bytes = |f: fn(&EventRow) -> &Vec<u8>| rows.iter().map(|r| f(r).clone()).collect::<Vec<Vec<u8>>>();
    let row = sqlx::query(
        "WITH added AS (
             INSERT INTO events (seq, incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload, prev_hash, hash)
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                                  $8::text[], $9::bytea[], $10::bytea[])
             RETURNING seq)
         SELECT count(*), pg_notify($11, max(seq)::text)::text FROM added",
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
    .fetch_one(&mut **tx)
    .await
    .map_err(db)?;
    let added: i64 = row.try_get(0).map_err(db)?;
    match usize::try_from(added) == Ok(rows.len()) {
        true => Ok(()),
        false => Err(Error::Storage(format!("{added} of {} events written", rows.len()))),
    }
}
