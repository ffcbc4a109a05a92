//! Local accounts on PostgreSQL: the account row and its `AccountCreated` event in one
//! transaction (the password hash is never journaled, so it is written beside the event).

use tidewatch_core::Error;
use tidewatch_journal::{AccountStore, Ack, NewEvent};

use super::{db, PgJournal};

impl AccountStore for PgJournal {
    fn add_account(&mut self, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error> {
        event.check()?;
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            sqlx::query("INSERT INTO accounts (username, role, password, created_utc) VALUES ($1, $2, $3, $4)")
                .bind(username)
                .bind(role)
                .bind(phc)
                .bind(event.at_utc)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            // On an error the transaction is dropped, and with it the account row.
            let acks = PgJournal::append_in_tx(&mut tx, std::slice::from_ref(event)).await?;
            tx.commit().await.map_err(db)?;
            acks.into_iter().next().ok_or_else(|| Error::Storage("the append returned no acknowledgement".into()))
        })
    }
}
