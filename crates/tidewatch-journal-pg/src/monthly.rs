//! The supervisor's monthly figures in one query over the incidents read model: counts by
//! island, by type and by both, overrides, and the response (received → on scene) and
//! processing (received → dispatched) times as nearest-rank medians and 90th percentiles
//! (`percentile_disc`, the report's `stats::percentile`), with the year-before counts by
//! type the KPIs compare against. PostgreSQL does the work, so a month of a million-incident
//! journal is not carried to the report row by row.

use sqlx::Row;
use tidewatch_core::Error;

use super::{db, PgJournal};

/// One group's figures. `island`/`incident_type` are `*` where the group spans them all
/// (`island` is empty for incidents on no island).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

impl PgJournal {
    /// The figures of the incidents received in `[from, to)`, and the counts by type of
    /// `[year_before_from, year_before_to)`; sorted by scope, island, type.
    pub fn monthly_figures(&self, from: i64, to: i64, year_before_from: i64, year_before_to: i64) -> Result<Vec<MonthlyRow>, Error> {
        let rows = self.rt.block_on(async {
            let mut tx = self.pool.begin().await?;
            sqlx::query(MONTHLY_WORK_MEM).execute(&mut *tx).await?;
            let q = sqlx::query(MONTHLY_SQL).bind(from).bind(to).bind(year_before_from).bind(year_before_to);
            let rows = q.fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        });
        let rows = rows.map_err(db)?;
        rows.iter().map(|r| monthly_row(r).map_err(db)).collect()
    }
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
