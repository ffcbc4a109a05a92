//! The storage contract on the SQLite journal (the embedded default).

#[path = "journal_contract/suite.rs"]
mod suite;

use std::cell::Cell;

use tidewatch_journal::Journal;

#[test]
fn the_sqlite_journal_passes_the_storage_contract() {
    let dir = tempfile::tempdir().unwrap();
    let n = Cell::new(0);
    suite::contract_suite(|| {
        n.set(n.get() + 1);
        Journal::open(&dir.path().join(format!("journal-{}.db", n.get()))).expect("a new journal")
    });
}
