//! Faults on PostgreSQL: a process appending in a loop is killed with SIGKILL again and
//! again, at whatever point of an append it is. Every seq it was told was durable (an
//! acknowledged append) must be there with the hash it was given, the seqs must have no
//! gaps and the chain must verify. Needs TIDEWATCH_PG_URL (`make test-pg`).
//!
//! The child is this test binary again, running `child_appender` with the journal's schema
//! in TIDEWATCH_KILL9_SCHEMA; it prints `ack <seq> <hash>` after each acknowledgement.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tidewatch_journal::{hex, Event, EventBody, JournalStore, NewEvent};
use tidewatch_journal_pg::PgJournal;

const KILLS: usize = 8;
/// The whole test stops (and fails) past this.
const LIMIT: Duration = Duration::from_secs(120);
const SCHEMA_VAR: &str = "TIDEWATCH_KILL9_SCHEMA";

fn url() -> Option<String> {
    let url = std::env::var("TIDEWATCH_PG_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the kill -9 test did NOT run (`make test-pg`).\n");
    }
    url
}

fn note(i: u64) -> NewEvent {
    NewEvent {
        incident_id: None,
        at_utc: 1_767_225_600 + i as i64,
        recorded_utc: 1_767_225_600 + i as i64,
        operator: "op.kill9".into(),
        body: EventBody::Note { text: format!("append {i}") },
    }
}

/// The child: appends until killed, telling the parent each acknowledged seq and hash.
#[test]
#[ignore = "the child process of every_acknowledged_append_survives_kill_9 (runs only with TIDEWATCH_KILL9_SCHEMA)"]
fn child_appender() {
    let (Some(url), Ok(schema)) = (url(), std::env::var(SCHEMA_VAR)) else { return };
    let mut pg = PgJournal::connect_in_schema(&url, &schema).expect("the child's journal");
    for i in 0.. {
        // Batches of two now and then: a kill may land between their two rows.
        let acks = if i % 3 == 0 { pg.append_batch(&[note(i), note(i)]).unwrap() } else { vec![pg.append(&note(i)).unwrap()] };
        for a in acks {
            println!("ack {} {}", a.seq, hex(&a.hash));
        }
    }
}

/// Recomputes the chain from the empty head (as the contract suite does).
fn assert_chain(events: &[Event]) {
    let mut prev = (0i64, [0u8; 32]);
    for e in events {
        let again = NewEvent {
            incident_id: e.incident_id,
            at_utc: e.at_utc,
            recorded_utc: e.recorded_utc,
            operator: e.operator.clone(),
            body: e.body.clone(),
        };
        let row = again.chain(prev.0, &prev.1).unwrap();
        assert_eq!(e.seq, prev.0 + 1, "seq {} follows {}", e.seq, prev.0);
        assert_eq!(row.hash, e.hash.to_vec(), "event {}: the stored hash is not the chain's hash", e.seq);
        prev = (e.seq, e.hash);
    }
}

/// Runs one child until it has acknowledged `acks` more appends, then kills it (SIGKILL);
/// the (seq, hash) pairs it acknowledged.
fn run_and_kill(url: &str, schema: &str, acks: usize, started: Instant) -> Vec<(i64, String)> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_appender", "--ignored", "--nocapture", "--test-threads=1"])
        .env("TIDEWATCH_PG_URL", url)
        .env(SCHEMA_VAR, schema)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the child appender");
    let mut seen = Vec::new();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines {
        let line = line.unwrap();
        let mut parts = line.split_whitespace();
        if parts.next() == Some("ack") {
            let seq: i64 = parts.next().unwrap().parse().unwrap();
            seen.push((seq, parts.next().unwrap().to_string()));
        }
        if seen.len() >= acks || started.elapsed() > LIMIT {
            break;
        }
    }
    child.kill().expect("kill -9"); // SIGKILL on Unix: no destructor, no rollback by the child.
    child.wait().unwrap();
    seen
}

#[test]
fn every_acknowledged_append_survives_kill_9() {
    let Some(url) = url() else { return };
    let schema = format!("kill9_{}", std::process::id());
    // Makes the schema (and its tables) before the first child races to.
    drop(PgJournal::connect_in_schema(&url, &schema).unwrap());
    let started = Instant::now();
    let mut acked = Vec::new();
    for k in 0..KILLS {
        acked.extend(run_and_kill(&url, &schema, 20 + 37 * k, started));
        assert!(started.elapsed() < LIMIT, "the kills took over {LIMIT:?}");
    }
    let pg = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let events = pg.events_between(1, i64::MAX).unwrap();
    assert_chain(&events);
    for (seq, hash) in &acked {
        let e = events.get((*seq - 1) as usize).unwrap_or_else(|| panic!("acknowledged seq {seq} is missing"));
        assert_eq!((e.seq, &hex(&e.hash)), (*seq, hash), "acknowledged seq {seq} has another hash");
    }
    let kept = events.len();
    eprintln!("kill -9: {KILLS} kills, {} acknowledged appends, {kept} events kept, chain valid", acked.len());
    assert!(acked.len() >= (0..KILLS).map(|k| 20 + 37 * k).sum::<usize>(), "every child acknowledged its appends");
    // And the journal takes appends again after the last kill.
    let mut pg = pg;
    assert_eq!(pg.append(&note(u64::MAX / 2)).unwrap().seq, kept as i64 + 1);
}
