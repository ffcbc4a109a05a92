//! The supervisor's monthly figures in one query over the incidents read model: counts by
//! island, by type and by both, overrides, and the response (received → on scene) and
//! processing (received → dispatched) times as nearest-rank medians and 90th percentiles
//! (`percentile_disc`, the report's `stats::percentile`), with the year-before counts by
//! type the KPIs compare against. PostgreSQL does the work, so a month of a million-incident
//! journal is not carried to the report row by row.
//!
//! The figures of a period are kept once computed (`monthly_figures`, migration 0002): a
//! closed month's report is then one row read. The table's triggers delete a period's row
//! whenever an incident received in it changes, so a stored row is always what the query
//! would give now. Filling it without a window for a stale row: a placeholder row is
//! committed first (a change from then on deletes it), then every append already holding
//! the chain's lock is waited for, then the figures are computed in a snapshot taken after
//! that, and stored only if the placeholder is still there, still ours. (Every writer of
//! the incidents table — appends, import — holds the chain's lock.)

use sqlx::Row;
use tidewatch_core::Error;

use super::{db, PgJournal};

type Pool = sqlx::PgPool;

/// One group's figures. `island`/`incident_type` are `*` where the group spans them all
/// (`island` is empty for incidents on no island).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MonthlyRow {
    /// `all`, `island`, `type`, `island_type`, or `type_year_before` (the year-before counts).
    pub scope: String,
    pub island: String,
    pub incident_type: String,
    pub incidents: i64,
    pub overrides: i64,
    /// Incidents with an on-scene time, of which the response figures are.
    pub responded: i64,
    pub response_p50_s: Option<i64>,
    pub response_p90_s: Option<i64>,
    pub response_max_s: Option<i64>,
    pub processing_p50_s: Option<i64>,
    pub processing_p90_s: Option<i64>,
}

/// `$1..$2`: the month (received, UTC seconds, half-open); `$3..$4`: the same a year before.
pub const MONTHLY_SQL: &str = "
WITH m AS (
    -- Grouped by byte order (\"C\"): the figures do not depend on it, the sorts are faster.
    SELECT incident_type COLLATE \"C\" AS incident_type, COALESCE(island, '') COLLATE \"C\" AS island,
           on_scene_utc - received_utc AS response_s, dispatched_utc - received_utc AS processing_s,
           override_reason IS NOT NULL AS overridden
    FROM incidents WHERE received_utc >= $1 AND received_utc < $2
)
SELECT scope, island, incident_type, incidents, overrides, responded, response[1], response[2], response_max, processing[1], processing[2]
FROM (
    SELECT CASE GROUPING(island, incident_type) WHEN 0 THEN 'island_type' WHEN 1 THEN 'island' WHEN 2 THEN 'type' ELSE 'all' END AS scope,
           COALESCE(island, '*') AS island, COALESCE(incident_type, '*') AS incident_type, count(*) AS incidents,
           count(*) FILTER (WHERE overridden) AS overrides, count(response_s) AS responded,
           -- Both percentiles of a group from one sort.
           percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY response_s) AS response, max(response_s) AS response_max,
           percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY processing_s) AS processing
    FROM m GROUP BY GROUPING SETS ((island, incident_type), (island), (incident_type), ())
) AS month
UNION ALL
SELECT 'type_year_before', '*', incident_type, count(*), 0, 0, NULL, NULL, NULL, NULL, NULL
FROM incidents WHERE received_utc >= $3 AND received_utc < $4 GROUP BY incident_type
ORDER BY 1, 2, 3";

/// Sorting a month's incidents in memory (PostgreSQL's default 4 MB spills them to disk).
const MONTHLY_WORK_MEM: &str = "SET LOCAL work_mem = '64MB'";

/// The chain's lock, taken shared and given back at once: waits for the appends holding it.
const APPENDS_DONE: &str = "SELECT pg_advisory_lock_shared(hashtextextended('tidewatch.chain:' || current_schema(), 0));
                            SELECT pg_advisory_unlock_shared(hashtextextended('tidewatch.chain:' || current_schema(), 0))";

/// A period: the month `[from, to)` and the year before `[before_from, before_to)`, UTC seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub before_from: i64,
    pub before_to: i64,
}

impl PgJournal {
    /// The figures of `p`, sorted by scope, island, type: the stored ones, or computed from
    /// the incidents (and stored) when the period has none or an incident in it changed.
    pub fn monthly_figures(&self, p: Period) -> Result<Vec<MonthlyRow>, Error> {
        self.rt.block_on(async {
            match stored(&self.pool, p).await? {
                Some(rows) => Ok(rows),
                None => fill(&self.pool, p).await,
            }
        })
    }

    /// The figures of `p` computed from the incidents read model now (what
    /// [`PgJournal::monthly_figures`] does when nothing is stored), nothing stored.
    pub fn compute_monthly_figures(&self, p: Period) -> Result<Vec<MonthlyRow>, Error> {
        self.rt.block_on(async {
            let mut tx = self.pool.begin().await.map_err(db)?;
            let rows = compute(&mut tx, p).await?;
            tx.commit().await.map_err(db)?;
            Ok(rows)
        })
    }
}

/// The stored figures of `p`, if any.
async fn stored(pool: &Pool, p: Period) -> Result<Option<Vec<MonthlyRow>>, Error> {
    let q = sqlx::query(
        "SELECT figures::text FROM monthly_figures
         WHERE from_utc = $1 AND to_utc = $2 AND before_from_utc = $3 AND before_to_utc = $4 AND figures IS NOT NULL",
    );
    let row = q.bind(p.from).bind(p.to).bind(p.before_from).bind(p.before_to).fetch_optional(pool).await.map_err(db)?;
    let Some(row) = row else { return Ok(None) };
    let text: String = row.try_get(0).map_err(db)?;
    serde_json::from_str(&text).map(Some).map_err(|e| Error::Storage(format!("the stored monthly figures do not read: {e}")))
}

/// Computes the figures of `p` and stores them unless an incident of the period changed
/// meanwhile (see the module's documentation).
async fn fill(pool: &Pool, p: Period) -> Result<Vec<MonthlyRow>, Error> {
    let placeholder = sqlx::query(
        "INSERT INTO monthly_figures (from_utc, to_utc, before_from_utc, before_to_utc, token, figures)
         VALUES ($1, $2, $3, $4, txid_current(), NULL)
         ON CONFLICT (from_utc, to_utc, before_from_utc, before_to_utc) DO UPDATE SET token = excluded.token, figures = NULL
         RETURNING token",
    );
    let token: i64 = placeholder
        .bind(p.from)
        .bind(p.to)
        .bind(p.before_from)
        .bind(p.before_to)
        .fetch_one(pool)
        .await
        .map_err(db)?
        .try_get(0)
        .map_err(db)?;
    let mut conn = pool.acquire().await.map_err(db)?;
    sqlx::raw_sql(APPENDS_DONE).execute(&mut *conn).await.map_err(db)?;
    let mut tx = sqlx::Connection::begin(&mut *conn).await.map_err(db)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await.map_err(db)?;
    let rows = compute(&mut tx, p).await?;
    tx.commit().await.map_err(db)?;
    let json = serde_json::to_string(&rows).map_err(|e| Error::Storage(format!("monthly figures: {e}")))?;
    sqlx::query(
        "UPDATE monthly_figures SET figures = $6::jsonb
         WHERE from_utc = $1 AND to_utc = $2 AND before_from_utc = $3 AND before_to_utc = $4 AND token = $5",
    )
    .bind(p.from)
    .bind(p.to)
    .bind(p.before_from)
    .bind(p.before_to)
    .bind(token)
    .bind(json)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(rows)
}

/// The figures of `p` from the `incidents` table on the search path, in `tx`.
pub(crate) async fn compute(tx: &mut sqlx::PgConnection, p: Period) -> Result<Vec<MonthlyRow>, Error> {
    sqlx::query(MONTHLY_WORK_MEM).execute(&mut *tx).await.map_err(db)?;
    let q = sqlx::query(MONTHLY_SQL).bind(p.from).bind(p.to).bind(p.before_from).bind(p.before_to);
    let rows = q.fetch_all(&mut *tx).await.map_err(db)?;
    rows.iter().map(|r| monthly_row(r).map_err(db)).collect()
}

fn monthly_row(r: &sqlx::postgres::PgRow) -> Result<MonthlyRow, sqlx::Error> {
    Ok(MonthlyRow {
        scope: r.try_get(0)?,
        island: r.try_get(1)?,
        incident_type: r.try_get(2)?,
        incidents: r.try_get(3)?,
        overrides: r.try_get(4)?,
        responded: r.try_get(5)?,
        response_p50_s: r.try_get(6)?,
        response_p90_s: r.try_get(7)?,
        response_max_s: r.try_get(8)?,
        processing_p50_s: r.try_get(9)?,
        processing_p90_s: r.try_get(10)?,
    })
}
