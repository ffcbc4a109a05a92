//! The supervisor's monthly figures on 1,000,000 incidents in PostgreSQL against DuckDB
//! running the same aggregate on the same facts (the CSV that was COPYed into PostgreSQL), in
//! the same run: both must give the same figures; the times (warm, best of several) and
//! their ratios are printed for both of PostgreSQL's paths: the aggregate computed from the
//! incidents (`compute_monthly_figures`, what DuckDB does, and what the report costs the
//! first time after a month changed) and the report as the supervisor gets it
//! (`monthly_figures`: the figures stored by the first computation, read back). Needs TIDEWATCH_PG_URL and Python's
//! `duckdb` (`pip install duckdb`). `make bench-service`, or
//! `cargo test --release -p tidewatch-journal-pg --test report_bench -- --ignored --nocapture`.

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tidewatch_journal_pg::{MonthlyRow, Period, PgJournal, MONTHLY_SQL};

const INCIDENTS: u64 = 1_000_000;
/// 2025-01-01 to 2027-01-01 UTC: two years, so the month has a year before.
const START: i64 = 1_735_689_600;
const END: i64 = 1_798_761_600;
/// June 2026 and June 2025 (UTC).
const MONTH: (i64, i64) = (1_780_272_000, 1_782_864_000);
const YEAR_BEFORE: (i64, i64) = (1_748_736_000, 1_751_328_000);
const PERIOD: Period = Period { from: MONTH.0, to: MONTH.1, before_from: YEAR_BEFORE.0, before_to: YEAR_BEFORE.1 };
const RUNS: usize = 7;

const TYPES: [&str; 12] = [
    "theft",
    "burglary",
    "assault",
    "fraud",
    "traffic_accident",
    "drunk_driving",
    "dispute",
    "missing_person",
    "fire",
    "drowning_risk",
    "noise",
    "other",
];

/// splitmix64: the same facts on every run, without a dependency.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One incident as a CSV line of the incidents table's loaded columns (empty = NULL).
fn incident(i: u64, mix: &mut Mix) -> String {
    let step = (END - START) as u64 / INCIDENTS;
    let received = START + (i * step + mix.below(step)) as i64;
    let kind = TYPES[mix.below(TYPES.len() as u64) as usize];
    let island = match mix.below(50) {
        0 => String::new(),
        n => format!("island_{:02}", n % 20),
    };
    let cancelled = mix.below(40) == 0;
    let dispatched = (!cancelled).then(|| received + 20 + mix.below(600) as i64);
    let spread = 1800 + mix.below(3600);
    let on_scene = dispatched.filter(|_| mix.below(20) != 0).map(|d| d + 60 + mix.below(spread) as i64);
    let en_route = dispatched.map(|d| d + 30 + mix.below(120) as i64).filter(|&e| on_scene.is_none_or(|o| e <= o));
    let closed = on_scene.unwrap_or(received + 900) + 600 + mix.below(7200) as i64;
    let overridden = dispatched.is_some() && mix.below(30) == 0;
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{i},{},{kind},{},{:.5},{:.5},{island},,phone,t,{received},{},{},{},{closed},{},{}\n",
        if cancelled { "cancelled" } else { "cleared" },
        1 + mix.below(3),
        122.0 + mix.below(100_000) as f64 / 100_000.0,
        30.0 + mix.below(100_000) as f64 / 100_000.0,
        opt(dispatched),
        opt(en_route),
        opt(on_scene),
        if dispatched.is_some() { format!("unit_{}", mix.below(40)) } else { String::new() },
        if overridden { "closer by sea" } else { "" },
    )
}

const COLUMNS: &str = "id, state, incident_type, priority, lon, lat, island, node, source, synthetic, received_utc, \
                       dispatched_utc, en_route_utc, on_scene_utc, closed_utc, unit_id, override_reason";

fn write_facts(path: &Path) {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut mix = Mix(13);
    for i in 1..=INCIDENTS {
        out.write_all(incident(i, &mut mix).as_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// COPY the CSV into the journal's incidents table, then VACUUM ANALYZE it.
fn copy_in(options: PgConnectOptions, csv: &Path) -> Duration {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let pool = PgPoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        let t = Instant::now();
        let mut conn = pool.acquire().await.unwrap();
        let copy = format!("COPY incidents ({COLUMNS}) FROM STDIN WITH (FORMAT csv)");
        let mut copy = conn.copy_in_raw(&copy).await.unwrap();
        let mut file = std::fs::File::open(csv).unwrap();
        let mut chunk = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            copy.send(&chunk[..n]).await.unwrap();
        }
        assert_eq!(copy.finish().await.unwrap(), INCIDENTS);
        sqlx::query("VACUUM ANALYZE incidents").execute(&mut *conn).await.unwrap();
        drop(conn);
        pool.close().await;
        t.elapsed()
    })
}

/// The same aggregate in DuckDB: `percentile_disc(qs) WITHIN GROUP (ORDER BY x)` is
/// `quantile_disc(x, qs)` there (nearest rank, as the figures agreeing shows), and text
/// has no collations.
fn duckdb_sql() -> String {
    let mut sql = MONTHLY_SQL.replace("COLLATE \"C\"", "");
    for x in ["response_s", "processing_s"] {
        sql = sql
            .replace(&format!("percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {x})"), &format!("quantile_disc({x}, [0.5, 0.9])"));
    }
    assert!(!sql.contains("percentile_disc"));
    sql
}

const DUCKDB_RUN: &str = r#"
import duckdb, json, sys, time
csv, sql, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
params = [int(v) for v in sys.argv[4:8]]
con = duckdb.connect()
t = time.perf_counter()
con.execute(f"""CREATE TABLE incidents AS SELECT * FROM read_csv('{csv}', header = false, nullstr = '', columns = {{
    'id': 'BIGINT', 'state': 'TEXT', 'incident_type': 'TEXT', 'priority': 'INTEGER', 'lon': 'DOUBLE', 'lat': 'DOUBLE',
    'island': 'TEXT', 'node': 'TEXT', 'source': 'TEXT', 'synthetic': 'BOOLEAN', 'received_utc': 'BIGINT',
    'dispatched_utc': 'BIGINT', 'en_route_utc': 'BIGINT', 'on_scene_utc': 'BIGINT', 'closed_utc': 'BIGINT',
    'unit_id': 'TEXT', 'override_reason': 'TEXT'}})""")
load = time.perf_counter() - t
times, rows = [], None
for _ in range(runs):
    t = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    times.append(time.perf_counter() - t)
print(json.dumps({"load_s": load, "times_s": times, "rows": [list(r) for r in rows]}))
"#;

/// DuckDB's times (seconds) and rows as JSON values; None when Python or duckdb is missing.
fn duckdb(csv: &Path) -> Option<(f64, Vec<f64>, Vec<serde_json::Value>)> {
    let sql = duckdb_sql();
    let args = [MONTH.0, MONTH.1, YEAR_BEFORE.0, YEAR_BEFORE.1].map(|v| v.to_string());
    let out = Command::new("python3").args(["-c", DUCKDB_RUN, csv.to_str().unwrap(), &sql, &RUNS.to_string()]).args(&args).output().ok()?;
    if !out.status.success() {
        eprintln!("duckdb run failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    // The last line: DuckDB may print progress before it.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
    let times = v["times_s"].as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    Some((v["load_s"].as_f64().unwrap(), times, v["rows"].as_array().unwrap().clone()))
}

fn as_json(r: &MonthlyRow) -> serde_json::Value {
    serde_json::json!([
        r.scope,
        r.island,
        r.incident_type,
        r.incidents,
        r.overrides,
        r.responded,
        r.response_p50_s,
        r.response_p90_s,
        r.response_max_s,
        r.processing_p50_s,
        r.processing_p90_s
    ])
}

fn best_and_median(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

#[test]
#[ignore = "slow tier: the monthly report benchmark (figures; checks PostgreSQL and DuckDB agree)"]
fn monthly_figures_on_a_million_incidents_against_duckdb() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the report benchmark did NOT run.\n");
        return;
    };
    let schema = format!("report_bench_{}", std::process::id());
    let pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("incidents.csv");
    let t = Instant::now();
    write_facts(&csv);
    let made = t.elapsed();
    let options = url.parse::<PgConnectOptions>().unwrap().options([("search_path", schema.as_str())]);
    let copied = copy_in(options, &csv);
    eprintln!("report benchmark: {INCIDENTS} incidents made in {made:.1?}, COPY + VACUUM ANALYZE in {copied:.1?}");

    let timed = |f: &dyn Fn() -> Vec<MonthlyRow>| {
        let mut times = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            rows = f();
            times.push(t.elapsed().as_secs_f64());
        }
        (rows, best_and_median(times))
    };
    let (rows, (pg_best, pg_median)) = timed(&|| pg.compute_monthly_figures(PERIOD).unwrap());
    let month = rows.iter().find(|r| r.scope == "all").expect("the month's totals");
    assert!(month.incidents > 30_000, "the month holds {} incidents", month.incidents);
    let t = Instant::now();
    assert_eq!(pg.monthly_figures(PERIOD).unwrap(), rows, "the first report computes the same figures");
    let first_report = t.elapsed().as_secs_f64();
    let (stored_rows, (stored_best, stored_median)) = timed(&|| pg.monthly_figures(PERIOD).unwrap());
    assert_eq!(stored_rows, rows, "the stored figures are the computed ones");

    let Some((load, duck_times, duck_rows)) = duckdb(&csv) else {
        eprintln!("\n*** SKIPPED: python3 with duckdb is not available (`pip install duckdb`): no DuckDB peer.\n");
        return;
    };
    // Sorted alike here: the two order text by different collations.
    let mut pg_rows: Vec<serde_json::Value> = rows.iter().map(as_json).collect();
    let mut duck_rows = duck_rows;
    pg_rows.sort_by_key(|v| v.to_string());
    duck_rows.sort_by_key(|v| v.to_string());
    assert_eq!(pg_rows.len(), duck_rows.len(), "as many groups in both");
    for (p, d) in pg_rows.iter().zip(&duck_rows) {
        assert_eq!(p, d, "PostgreSQL and DuckDB disagree");
    }
    let (duck_best, duck_median) = best_and_median(duck_times);
    eprintln!(
        "report benchmark: June 2026 of {INCIDENTS} ({} incidents, {} groups, figures identical): DuckDB best {:.1} ms \
         (median {:.1}; CSV load {load:.1} s)\n  PostgreSQL computed from the incidents: best {:.1} ms (median {:.1}), {:.2}x DuckDB\n  \
         the report (stored figures; the first call computed and stored them in {:.1} ms): best {:.2} ms (median {:.2}), {:.3}x DuckDB",
        month.incidents,
        rows.len(),
        duck_best * 1e3,
        duck_median * 1e3,
        pg_best * 1e3,
        pg_median * 1e3,
        pg_best / duck_best,
        first_report * 1e3,
        stored_best * 1e3,
        stored_median * 1e3,
        stored_best / duck_best
    );
}
