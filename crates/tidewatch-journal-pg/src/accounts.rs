//! Local accounts on PostgreSQL: the account row (or its change) and its event in one
//! transaction (the password hash is never journaled, so it is written beside the event).

use sqlx::postgres::PgArguments;
use sqlx::{Postgres, Transaction};
use tidewatch_core::Error;
use tidewatch_journal::{AccountChange, AccountStore, Ack, NewEvent};

use super::{db, PgJournal};

type Query = sqlx::query::Query<'static, Postgres, PgArguments>;

impl AccountStore for PgJournal {
    fn add_account(&mut self, username: &str, role: &str, phc: &str, event: &NewEvent) -> Result<Ack, Error> {
        let insert = sqlx::query("INSERT INTO accounts (username, role, password, created_utc) VALUES ($1, $2, $3, $4)")
            .bind(username.to_string())
            .bind(role.to_string())
            .bind(phc.to_string())
            .bind(event.at_utc);
        self.account_write(insert, event)
    }

    fn update_account(&mut self, username: &str, change: AccountChange<'_>, event: &NewEvent) -> Result<Ack, Error> {
        let update = match change {
            AccountChange::Disabled(disabled) => {
                sqlx::query("UPDATE accounts SET disabled = $2 WHERE username = $1").bind(username.to_string()).bind(disabled)
            }
            AccountChange::Password(phc) => {
                sqlx::query("UPDATE accounts SET password = $2 WHERE username = $1").bind(username.to_string()).bind(phc.to_string())
            }
        };
        self.account_write(update, event)
    }
}

impl PgJournal {
    /// `write` and `event` in one transaction.
    fn account_write(&mut self, write: Query, event: &NewEvent) -> Result<Ack, Error> {
        event.check()?;
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            match write_in_tx(&mut tx, write, event).await {
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

async fn write_in_tx(tx: &mut Transaction<'static, Postgres>, write: Query, event: &NewEvent) -> Result<Ack, Error> {
    write.execute(&mut **tx).await.map_err(db)?;
    let acks = PgJournal::append_in_tx(tx, std::slice::from_ref(event)).await?;
    acks.into_iter().next().ok_or_else(|| Error::Storage("the append returned no acknowledgement".into()))
}
