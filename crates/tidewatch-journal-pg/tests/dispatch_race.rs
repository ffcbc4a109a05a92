//! Seats racing to send the same unit, on a real PostgreSQL (`make test-pg`): each racer
//! a thread with a journal handle (and connections) of its own, released together race
//! after race. Exactly one wins each race; the others are refused naming the winner; no
//! unit is ever on two incidents; the chain is whole afterwards.
//!
//! TIDEWATCH_RACES sets the number of races (default 500, at most 1,000). The run stops
//! starting races after RACE_BUDGET and then needs at least MIN_RACES done, so a slow
//! machine shows as a failure, not as a hang.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{Ack, CallSource, EventBody, JournalStore, NewEvent, ReadModels};
use tidewatch_journal_pg::PgJournal;

const RACERS: usize = 4;
const MIN_RACES: usize = 200;
const RACE_BUDGET: Duration = Duration::from_secs(120);
const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn url() -> Option<String> {
    let url = std::env::var("TIDEWATCH_PG_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("\n*** SKIPPED: TIDEWATCH_PG_URL is not set, so the dispatch race on PostgreSQL was NOT tested.");
        eprintln!("*** Run `make test-pg` (it starts PostgreSQL with scripts/postgres.sh --test).\n");
    }
    url
}

fn races_asked() -> usize {
    std::env::var("TIDEWATCH_RACES").ok().and_then(|v| v.parse().ok()).unwrap_or(500).clamp(1, 1000)
}

/// Race `r`'s racer `k` sends unit u{r} to its own incident.
fn incident_of(race: usize, racer: usize) -> i64 {
    (race * RACERS + racer + 1) as i64
}

fn operator(racer: usize) -> String {
    format!("op.seat{racer}")
}

fn received(incident: i64) -> NewEvent {
    let body = EventBody::Received {
        incident_type: "theft".into(),
        priority: 2,
        lon: 122.1,
        lat: 30.0,
        island: Some("zhoushan".into()),
        node: None,
        source: CallSource::Phone,
        text: format!("call {incident}"),
        synthetic: false,
    };
    NewEvent { incident_id: Some(IncidentId(incident)), at_utc: T0, recorded_utc: T0, operator: "op.intake".into(), body }
}

fn dispatch(race: usize, racer: usize) -> NewEvent {
    NewEvent {
        incident_id: Some(IncidentId(incident_of(race, racer))),
        at_utc: T0 + 60,
        recorded_utc: T0 + 60,
        operator: operator(racer),
        body: EventBody::Dispatched { unit: format!("u{race}"), plan: Default::default(), override_reason: None, carrier: None },
    }
}

/// One racer: waits for the others at each race, then appends its dispatch. Stops, all
/// together, once the leader finds the time budget spent.
fn racer(mut journal: PgJournal, racer: usize, races: usize, gate: &Barrier, stop: &AtomicBool, began: Instant) -> Vec<Result<Ack, Error>> {
    let mut out = Vec::with_capacity(races);
    for race in 0..races {
        if gate.wait().is_leader() && began.elapsed() > RACE_BUDGET {
            stop.store(true, Ordering::SeqCst);
        }
        gate.wait();
        if stop.load(Ordering::SeqCst) {
            break;
        }
        out.push(journal.append(&dispatch(race, racer)));
    }
    out
}

/// Checks race `race`'s outcomes (one per racer); returns the winning racer.
fn judge(race: usize, outcomes: &[&Result<Ack, Error>]) -> usize {
    let winners: Vec<usize> = (0..RACERS).filter(|&k| outcomes[k].is_ok()).collect();
    assert_eq!(winners.len(), 1, "race {race}: exactly one winner, got {outcomes:?}");
    let w = winners[0];
    let unit = format!("u{race}");
    for (k, outcome) in outcomes.iter().enumerate().filter(|(k, _)| *k != w) {
        match outcome {
            Err(Error::UnitTaken { unit: u, status, by, incident, since_utc }) => {
                assert_eq!(
                    (u.as_str(), status.as_str(), by.as_str(), *incident, *since_utc),
                    (unit.as_str(), "dispatched", operator(w).as_str(), Some(IncidentId(incident_of(race, w))), T0 + 60),
                    "race {race}, racer {k}: refused naming the winner"
                );
            }
            other => panic!("race {race}, racer {k}: expected a refusal naming the winner, got {other:?}"),
        }
    }
    w
}

/// Recomputes the whole chain from the empty head.
fn assert_chain(journal: &PgJournal) -> usize {
    let events = journal.events_between(1, i64::MAX).unwrap();
    let mut prev = (0i64, [0u8; 32]);
    for e in &events {
        let again = NewEvent {
            incident_id: e.incident_id,
            at_utc: e.at_utc,
            recorded_utc: e.recorded_utc,
            operator: e.operator.clone(),
            body: e.body.clone(),
        };
        let row = again.chain(prev.0, &prev.1).unwrap();
        assert_eq!((e.seq, row.hash.as_slice()), (prev.0 + 1, &e.hash[..]), "event {} does not follow {}", e.seq, prev.0);
        prev = (e.seq, e.hash);
    }
    events.len()
}

#[test]
fn concurrent_dispatches_of_one_unit_have_exactly_one_winner() {
    let Some(url) = url() else { return };
    let schema = format!("race_{}", std::process::id());
    let races = races_asked();
    let mut setup = PgJournal::connect_in_schema(&url, &schema).unwrap();
    let calls: Vec<NewEvent> = (0..races).flat_map(|r| (0..RACERS).map(move |k| received(incident_of(r, k)))).collect();
    setup.append_batch(&calls).unwrap();
    let handles: Vec<PgJournal> = (0..RACERS).map(|_| setup.open_again().expect("a racer's own handle")).collect();

    let (gate, stop, began) = (Barrier::new(RACERS), AtomicBool::new(false), Instant::now());
    let outcomes: Vec<Vec<Result<Ack, Error>>> = std::thread::scope(|scope| {
        let (gate, stop) = (&gate, &stop);
        let threads: Vec<_> =
            handles.into_iter().enumerate().map(|(k, j)| scope.spawn(move || racer(j, k, races, gate, stop, began))).collect();
        threads.into_iter().map(|t| t.join().expect("a racer")).collect()
    });
    let elapsed = began.elapsed();
    let done = outcomes[0].len();
    assert!(outcomes.iter().all(|o| o.len() == done), "every racer ran every race");
    assert!(done >= MIN_RACES.min(races), "only {done} of {races} races in {RACE_BUDGET:?}");
    eprintln!(
        "{done} races of {RACERS} racers in {:.2} s ({:.1} ms a race, {} appends tried)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / done as f64,
        done * RACERS
    );

    let winners: Vec<usize> = (0..done).map(|r| judge(r, &outcomes.iter().map(|o| &o[r]).collect::<Vec<_>>())).collect();
    // The read models agree: each raced unit is on its winner's incident and on no other.
    let mut on: HashMap<String, Vec<IncidentId>> = HashMap::new();
    for row in setup.open_incidents().unwrap() {
        if let Some(unit) = row.unit_id {
            on.entry(unit).or_default().push(row.id);
        }
    }
    let units: HashMap<String, Option<IncidentId>> = setup.unit_rows().unwrap().into_iter().map(|u| (u.unit_id, u.incident_id)).collect();
    for (r, &w) in winners.iter().enumerate() {
        let (unit, incident) = (format!("u{r}"), IncidentId(incident_of(r, w)));
        assert_eq!(on.get(&unit).map(Vec::as_slice), Some(&[incident][..]), "unit {unit} is on exactly its winner's incident");
        assert_eq!(units.get(&unit), Some(&Some(incident)), "unit {unit}'s row names its winner's incident");
    }
    assert_eq!(on.len(), done, "no unit that did not race is on an incident");
    assert_eq!(assert_chain(&setup), calls.len() + done, "the calls and one dispatch per race, chain whole");
}
