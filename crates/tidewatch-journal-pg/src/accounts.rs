//! Local accounts on PostgreSQL: the account row and its `AccountCreated` event in one
//! transaction (the password hash is never journaled, so it is written beside the event).

use sqlx::{Postgres, Transaction};
use tidewatch_core::Error;
use tidewatch_journal::{AccountStore, Ack, NewEvent};

use super::{db, PgJournal};

impl AccountStore for PgJournal {
    fn add_account(&mut self, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error> {
        event.check()?;
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            match add_in_tx(&mut tx, username, role, phc, event).await {
                Ok(ack) => tx.commit().await.map(|()| ack).map_err(db),
                // Rolled back now, not on drop: a dropped transaction is rolled back by a task
                // of this handle's runtime at its next call, holding the chain's lock till then.
                Err(e) => match tx.rollback().await {
                    Ok(()) => Err(e),
                    Err(r) => Err(Error::Storage(format!("{e}; then the rollback failed: {}", db(r)))),
                },
            }
        })
    }
}

async fn add_in_tx(tx: &mut Transaction<'static, Postgres>, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error> {
    sqlx::query("INSERT INTO accounts (username, role, password, created_utc) VALUES ($1, $2, $3, $4)")
        .bind(username)
        .bind(role)
        .bind(phc)
        .bind(event.at_utc)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    let acks = PgJournal::append_in_tx(tx, std::slice::from_ref(event)).await?;
    acks.into_iter().next().ok_or_else(|| Error::Storage("the append returned no acknowledgement".into()))
}
