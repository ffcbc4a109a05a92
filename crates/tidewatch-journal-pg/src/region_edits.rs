//! Region edits stored beside the journal (migration 0004): the text of the pack files an
//! administrator's edit changed, versioned, written in one transaction with the edit's
//! `RegionEdited` event. A save names the version its editor showed; when another edit was
//! saved since, nothing is written and the error says whose and when (one of two
//! administrators editing at once wins, the other is told). Every save notifies
//! [`REGION_CHANNEL`] with the new version, so every service process lays it over its pack.

use sqlx::Row;
use tidewatch_core::region::edit::overlay::EditedFile;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, NewEvent};

use super::{db, PgJournal, Tx};

/// Notified with the new version after each saved region edit.
pub const REGION_CHANNEL: &str = "tidewatch_region";

/// The stored edits as a process lays them over its pack: for each edited file, the text
/// of the newest version that changed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredRegion {
    /// The newest version (0: no edit saved yet).
    pub version: i64,
    /// Who saved it and when (UTC unix seconds); None before the first edit.
    pub by: Option<String>,
    pub at_utc: Option<i64>,
    pub files: Vec<EditedFile>,
}

impl StoredRegion {
    /// The refusal of an edit made on version `base` when this is newer.
    pub fn conflict(&self, base: i64) -> Option<Error> {
        (self.version != base).then(|| Error::RegionEditConflict {
            by: self.by.clone().unwrap_or_default(),
            at_utc: self.at_utc.unwrap_or_default(),
            version: self.version,
        })
    }
}

impl PgJournal {
    /// The newest text of every edited file, at the newest version.
    pub fn stored_region(&self) -> Result<StoredRegion, Error> {
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            // One snapshot for both reads (REPEATABLE READ): the files are those of `version`.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await.map_err(db)?;
            let newest = newest(&mut tx).await?;
            let rows = sqlx::query("SELECT DISTINCT ON (file) file, text FROM region_edit_files ORDER BY file, version DESC")
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
            let files = rows
                .iter()
                .map(|r| Ok(EditedFile { name: r.try_get(0)?, text: r.try_get(1)? }))
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            Ok(match newest {
                Some((version, by, at_utc)) => StoredRegion { version, by: Some(by), at_utc: Some(at_utc), files },
                None => StoredRegion::default(),
            })
        })
    }

    /// Saves `files` as version `base + 1` with `event` (the edit's `RegionEdited`), all or
    /// nothing; refused with [`Error::RegionEditConflict`] when the newest version is not
    /// `base`. Returns the new version and the event's acknowledgement.
    pub fn save_region_edit(&self, base: i64, files: &[EditedFile], event: &NewEvent) -> Result<(i64, Ack), Error> {
        event.check()?;
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            match save_in_tx(&mut tx, base, files, event).await {
                Ok(saved) => tx.commit().await.map(|()| saved).map_err(db),
                // Rolled back now, not on drop (see `account_write`).
                Err(e) => match tx.rollback().await {
                    Ok(()) => Err(e),
                    Err(r) => Err(Error::Storage(format!("{e}; then the rollback failed: {}", db(r)))),
                },
            }
        })
    }
}

async fn save_in_tx(tx: &mut Tx, base: i64, files: &[EditedFile], event: &NewEvent) -> Result<(i64, Ack), Error> {
    // Saves of region edits wait for each other here; the version check below then sees
    // the one that committed first.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('tidewatch.region:' || current_schema(), 0))")
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    if let Some((version, by, at_utc)) = newest(tx).await? {
        if version != base {
            return Err(Error::RegionEditConflict { by, at_utc, version });
        }
    } else if base != 0 {
        return Err(Error::invalid("base_version", format!("no region edit has been saved, so there is no version {base}")));
    }
    let acks = PgJournal::append_in_tx(tx, std::slice::from_ref(event)).await?;
    let ack = acks.into_iter().next().ok_or_else(|| Error::Storage("the append returned no acknowledgement".into()))?;
    let version = base + 1;
    sqlx::query("INSERT INTO region_edits (version, seq, operator, at_utc) VALUES ($1, $2, $3, $4)")
        .bind(version)
        .bind(ack.seq)
        .bind(&event.operator)
        .bind(event.at_utc)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    for f in files {
        sqlx::query("INSERT INTO region_edit_files (version, file, text) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(&f.name)
            .bind(&f.text)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }
    sqlx::query("SELECT pg_notify($1, $2)").bind(REGION_CHANNEL).bind(version.to_string()).execute(&mut **tx).await.map_err(db)?;
    Ok((version, ack))
}

/// The newest version, who saved it and when.
async fn newest(tx: &mut Tx) -> Result<Option<(i64, String, i64)>, Error> {
    let row = sqlx::query("SELECT version, operator, at_utc FROM region_edits ORDER BY version DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await
        .map_err(db)?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).transpose().map_err(db)
}
