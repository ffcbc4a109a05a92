//! Accounts on PostgreSQL: the row and its event together, and a refused one leaves nothing
//! behind, not even the chain's lock (needs TIDEWATCH_PG_URL, as tests/contract.rs).

use tidewatch_journal::{AccountStore, EventBody, JournalStore, NewEvent, ReadModels};
use tidewatch_journal_pg::PgJournal;

fn created(username: &str) -> NewEvent {
    let body = EventBody::AccountCreated { username: username.into(), role: "dispatcher".into(), password_sha256: None };
    NewEvent { incident_id: None, at_utc: 1_767_225_600, recorded_utc: 1_767_225_600, operator: "admin".into(), body }
}

#[test]
fn an_account_and_its_event_are_written_together_and_a_refused_one_holds_no_lock() {
    let Some(url) = std::env::var("TIDEWATCH_PG_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so PostgreSQL accounts were NOT tested (`make test-pg`).\n");
        return;
    };
    let mut a = PgJournal::connect_in_schema(&url, &format!("accounts_{}", std::process::id())).unwrap();
    let mut b = a.open_again().unwrap();
    assert_eq!(a.add_account("wang", "dispatcher", "$argon2id$x", &created("wang")).unwrap().seq, 1);
    assert_eq!(a.account("wang").unwrap(), Some(("dispatcher".into(), "$argon2id$x".into(), false)));
    // The same name again: refused by the table, and the event with it.
    assert!(a.add_account("wang", "dispatcher", "$argon2id$y", &created("wang")).is_err());
    // Another writer is not kept waiting by a lock the refused transaction held (asked
    // before `a` is called again: a rollback left to `a`'s runtime would run only then).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(b.append(&created("li")).map(|ack| ack.seq)).unwrap());
    let seq = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the other writer was not blocked");
    assert_eq!(seq.unwrap(), 2, "the refused account journaled nothing");
    assert_eq!(a.account_count().unwrap(), 1);
}
