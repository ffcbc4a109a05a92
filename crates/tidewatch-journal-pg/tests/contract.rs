//! The storage contract on a real PostgreSQL (`make test-pg` sets TIDEWATCH_PG_URL to a
//! throwaway database made by scripts/postgres.sh --test).

#[path = "../../../tests/journal_contract/suite.rs"]
mod suite;

use std::cell::Cell;

use tidewatch_core::ids::IncidentId;
use tidewatch_journal::{EventBody, Journal, JournalStore, NewEvent};
use tidewatch_journal_pg::PgJournal;

/// The database URL, or None (with a loud note) when no PostgreSQL was given.
fn url() -> Option<String> {
    let url = std::env::var("TIDEWATCH_PG_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the PostgreSQL journal was NOT tested.");
        eprintln!("*** Run `make test-pg` (it starts PostgreSQL with scripts/postgres.sh --test).\n");
    }
    url
}

/// A schema name of its own for each journal of this run.
fn schema(prefix: &str, n: u32) -> String {
    format!("{prefix}_{}_{n}", std::process::id())
}

#[test]
fn the_postgres_journal_passes_the_storage_contract() {
    let Some(url) = url() else { return };
    let n = Cell::new(0);
    suite::contract_suite(|| {
        n.set(n.get() + 1);
        PgJournal::connect_in_schema(&url, &schema("contract", n.get())).expect("a new journal in PostgreSQL")
    });
}

/// The same events give the same chain on SQLite and on PostgreSQL, hash for hash: an
/// export from one verifies on the other.
#[test]
fn sqlite_and_postgres_chain_alike() {
    let Some(url) = url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut lite = Journal::open(&dir.path().join("j.db")).unwrap();
    let mut pg = PgJournal::connect_in_schema(&url, &schema("alike", 0)).unwrap();
    for i in 0..20 {
        let e = NewEvent {
            incident_id: Some(IncidentId(i % 3)),
            at_utc: 1_767_225_600 + i,
            recorded_utc: 1_767_225_601 + i,
            operator: "op.wang".into(),
            body: EventBody::Note { text: format!("note {i} — 定海") },
        };
        let (a, b) = (JournalStore::append(&mut lite, &e).unwrap(), pg.append(&e).unwrap());
        assert_eq!(a, b, "event {i}");
    }
    assert_eq!(JournalStore::head(&lite).unwrap(), pg.head().unwrap());
}

/// Every append tells listeners the new seq on channel `tidewatch`, after it commits.
#[test]
fn an_append_notifies_its_seq() {
    let Some(url) = url() else { return };
    let mut pg = PgJournal::connect_in_schema(&url, &schema("notify", 0)).unwrap();
    let note = |text: &str| NewEvent {
        incident_id: None,
        at_utc: 1_767_225_600,
        recorded_utc: 1_767_225_600,
        operator: "op.li".into(),
        body: EventBody::Note { text: text.into() },
    };
    // Other journals of this run (other schemas) notify the same channel with their own
    // seqs, all far below 1000: start this one past them so its notices are its own.
    let before: Vec<NewEvent> = (0..1000).map(|i| note(&format!("before {i}"))).collect();
    pg.append_batch(&before).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut listener = rt.block_on(async {
        let mut l = sqlx::postgres::PgListener::connect(&url).await.unwrap();
        l.listen(tidewatch_journal_pg::CHANNEL).await.unwrap();
        l
    });
    pg.append(&note("one")).unwrap();
    pg.append_batch(&[note("two"), note("three")]).unwrap();
    let ours: Vec<String> = rt.block_on(async {
        let mut ours = Vec::new();
        while ours.len() < 2 {
            let n = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv()).await.expect("a notice").unwrap();
            if n.payload().parse::<i64>().is_ok_and(|seq| seq > 1000) {
                ours.push(n.payload().to_string());
            }
        }
        ours
    });
    // sqlx returns the listener's connection with a task: drop it inside its runtime.
    rt.block_on(async move { drop(listener) });
    assert_eq!(ours, ["1001", "1003"], "one notice per transaction, with its last seq");
}
