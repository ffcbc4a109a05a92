//! What the chain costs: appends per second through `PgJournal::append` (advisory lock,
//! head read, hash, insert, read models, NOTIFY, commit) against a plain one-row INSERT
//! per transaction into a table of the same shape, in the same run and database.
//! `cargo test --release -p tidewatch-journal-pg --test append_bench -- --ignored --nocapture`
//! with TIDEWATCH_PG_URL set.

use std::time::Instant;

use tidewatch_journal::{EventBody, JournalStore, NewEvent};
use tidewatch_journal_pg::PgJournal;

const N: u32 = 2_000;

fn note(i: u32) -> NewEvent {
    NewEvent {
        incident_id: None,
        at_utc: 1_767_225_600 + i64::from(i),
        recorded_utc: 1_767_225_600 + i64::from(i),
        operator: "op.bench".into(),
        body: EventBody::Note { text: format!("append {i}") },
    }
}

#[test]
#[ignore = "slow tier: the append benchmark (figures, not a pass/fail check beyond sanity)"]
fn chain_append_rate_against_a_plain_insert() {
    let Ok(url) = std::env::var("TIDEWATCH_PG_URL") else {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the append benchmark did NOT run.\n");
        return;
    };
    let schema = format!("bench_{}", std::process::id());
    let mut pg = PgJournal::connect_in_schema(&url, &schema).unwrap();

    let t = Instant::now();
    for i in 0..N {
        pg.append(&note(i)).unwrap();
    }
    let chain = f64::from(N) / t.elapsed().as_secs_f64();

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let plain = rt.block_on(async {
        let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options.options([("search_path", schema.as_str())]))
            .await
            .unwrap();
        sqlx::query(
            "CREATE TABLE plain_events (seq BIGSERIAL PRIMARY KEY, incident_id BIGINT, kind TEXT NOT NULL, at_utc BIGINT NOT NULL,
             recorded_utc BIGINT NOT NULL, operator TEXT NOT NULL, unit_id TEXT, payload TEXT NOT NULL)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let t = Instant::now();
        for i in 0..N {
            let e = note(i);
            sqlx::query("INSERT INTO plain_events (incident_id, kind, at_utc, recorded_utc, operator, unit_id, payload) VALUES (NULL, 'note', $1, $2, $3, NULL, $4)")
                .bind(e.at_utc)
                .bind(e.recorded_utc)
                .bind(&e.operator)
                .bind(serde_json::to_string(&e.body).unwrap())
                .execute(&pool)
                .await
                .unwrap();
        }
        let rate = f64::from(N) / t.elapsed().as_secs_f64();
        pool.close().await;
        rate
    });
    eprintln!(
        "append benchmark ({N} each, one connection, sequential): chain {chain:.0}/s, plain INSERT {plain:.0}/s, plain/chain {:.2}x",
        plain / chain
    );
    assert_eq!(pg.head().unwrap().unwrap().seq, i64::from(N));
}
