//! The storage contract every journal store must pass (SQLite here; PostgreSQL in
//! crates/tidewatch-journal-pg includes this file). `make` gives a new, empty journal each
//! time it is called.

use tidewatch_core::dispatch::UnitStatus;
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{
    hex, Ack, CallSource, CrewActionKind, Event, EventBody, JournalStore, NewEvent, ReadModels, SignOutReason, UnitStatusRecord,
};

/// Runs every check of the contract, each on a journal of its own.
pub fn contract_suite<S: JournalStore + ReadModels + Send>(make: impl Fn() -> S) {
    seqs_start_at_one_and_have_no_gaps(make());
    every_hash_links_to_the_one_before(make());
    a_batch_is_all_or_nothing(make());
    reads_by_seq_incident_kind_and_time_agree(make());
    the_head_is_the_newest_event(make());
    two_handles_appending_at_once_keep_one_linear_chain(make());
    a_bad_event_is_refused_without_writing(make());
    a_dispatch_claims_its_unit(make());
    two_handles_racing_for_one_unit_have_one_winner(make());
    a_carried_dispatch_takes_the_crew_and_its_boat(make());
    two_handles_racing_for_one_boat_have_one_winner(make());
    a_boat_back_at_base_is_free_while_its_crew_stays(make());
}

const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn new(incident: Option<i64>, at: i64, operator: &str, body: EventBody) -> NewEvent {
    NewEvent { incident_id: incident.map(IncidentId), at_utc: at, recorded_utc: at + 1, operator: operator.into(), body }
}

fn note(incident: i64, at: i64, text: &str) -> NewEvent {
    new(Some(incident), at, "op.wang", EventBody::Note { text: text.into() })
}

fn received(incident: i64, at: i64) -> NewEvent {
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
    new(Some(incident), at, "op.li", body)
}

/// A mixed history: incidents 1..=3, their notes, sign-ins and -outs, at rising times.
fn history() -> Vec<NewEvent> {
    let mut out = Vec::new();
    for i in 1..=3 {
        out.push(received(i, T0 + i * 100));
        out.push(new(None, T0 + i * 100 + 5, "op.li", EventBody::SignedIn { role: "dispatcher".into() }));
        out.push(note(i, T0 + i * 100 + 10, "first"));
        out.push(note(i, T0 + i * 100 + 20, "second"));
        out.push(new(None, T0 + i * 100 + 30, "op.li", EventBody::SignedOut { reason: SignOutReason::SignedOut }));
    }
    out.push(new(Some(2), T0 + 500, "op.li", EventBody::Cancelled { reason: "caller withdrew".into() }));
    out
}

fn all(s: &impl JournalStore) -> Vec<Event> {
    s.events_between(1, i64::MAX).expect("read every event")
}

fn append_all(s: &mut impl JournalStore, events: &[NewEvent]) -> Vec<Ack> {
    events.iter().map(|e| s.append(e).expect("append")).collect()
}

/// Recomputes the chain over `events` from the empty head: seqs 1, 2, … and each hash
/// over the previous one, with the one hash function every store shares.
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
        let row = again.chain(prev.0, &prev.1).expect("chain");
        assert_eq!(e.seq, prev.0 + 1, "seq {} follows {}", e.seq, prev.0);
        assert!(row.hash_checks());
        assert_eq!(row.hash, e.hash.to_vec(), "event {}: the stored hash is not the chain's hash", e.seq);
        prev = (e.seq, e.hash);
    }
}

fn seqs_start_at_one_and_have_no_gaps(mut s: impl JournalStore) {
    assert_eq!(s.head().unwrap(), None, "a new journal is empty");
    let acks = append_all(&mut s, &history());
    let seqs: Vec<i64> = acks.iter().map(|a| a.seq).collect();
    assert_eq!(seqs, (1..=history().len() as i64).collect::<Vec<_>>());
    let stored: Vec<i64> = all(&s).iter().map(|e| e.seq).collect();
    assert_eq!(stored, seqs);
}

fn every_hash_links_to_the_one_before(mut s: impl JournalStore) {
    let acks = append_all(&mut s, &history());
    let events = all(&s);
    assert_chain(&events);
    for (a, e) in acks.iter().zip(&events) {
        assert_eq!(a.hash, e.hash, "the ack of event {} gives its stored hash", e.seq);
    }
    // What was stored is what was asked for.
    for (asked, e) in history().iter().zip(&events) {
        assert_eq!((asked.incident_id, asked.at_utc, asked.recorded_utc), (e.incident_id, e.at_utc, e.recorded_utc));
        assert_eq!((&asked.operator, &asked.body), (&e.operator, &e.body));
    }
}

fn a_batch_is_all_or_nothing(mut s: impl JournalStore) {
    s.append(&received(1, T0)).unwrap();
    let batch = vec![note(1, T0 + 1, "a"), note(1, T0 + 2, "b"), received(2, T0 + 3)];
    let acks = s.append_batch(&batch).unwrap();
    assert_eq!(acks.iter().map(|a| a.seq).collect::<Vec<_>>(), vec![2, 3, 4]);
    let before = all(&s);

    // Fails at the store on its third event (incident 1 was received already): the first
    // two, written in the same transaction, go too.
    let failing = vec![note(2, T0 + 4, "c"), note(2, T0 + 5, "d"), received(1, T0 + 6)];
    assert!(s.append_batch(&failing).is_err(), "a second `received` for incident 1 is refused");
    assert_eq!(all(&s), before, "nothing of the failed batch was kept");
    assert_eq!(s.head().unwrap().unwrap().seq, 4);

    // Refused before writing: an event without an operator in the middle.
    let mut unsigned = note(2, T0 + 7, "e");
    unsigned.operator = " ".into();
    assert!(s.append_batch(&[note(2, T0 + 7, "ok"), unsigned]).is_err());
    assert_eq!(all(&s), before);

    // And the chain goes on from where it was.
    assert_eq!(s.append(&note(2, T0 + 8, "after")).unwrap().seq, 5);
    assert_chain(&all(&s));
    assert_eq!(s.append_batch(&[]).unwrap(), vec![], "an empty batch writes nothing");
    assert_eq!(s.head().unwrap().unwrap().seq, 5);
}

fn reads_by_seq_incident_kind_and_time_agree(mut s: impl JournalStore) {
    append_all(&mut s, &history());
    let every = all(&s);
    let n = every.len() as i64;
    let filtered = |f: &dyn Fn(&Event) -> bool| every.iter().filter(|e| f(e)).cloned().collect::<Vec<_>>();

    assert_eq!(s.events_between(3, 7).unwrap(), filtered(&|e| (3..=7).contains(&e.seq)));
    assert_eq!(s.events_between(n + 1, n + 10).unwrap(), vec![]);
    assert_eq!(s.events_after(0, 1000).unwrap(), every);
    assert_eq!(s.events_after(4, 3).unwrap(), filtered(&|e| (5..=7).contains(&e.seq)));
    assert_eq!(s.events_after(n, 10).unwrap(), vec![]);

    for i in 1..=4 {
        assert_eq!(s.incident_events(IncidentId(i)).unwrap(), filtered(&|e| e.incident_id == Some(IncidentId(i))), "incident {i}");
    }
    assert_eq!(s.incident_events(IncidentId(2)).unwrap().len(), 4, "received, two notes, cancelled");

    let kinds = ["note", "cancelled"];
    let window = (T0 + 150, T0 + 510);
    assert_eq!(
        s.events_of_kinds(&kinds, window.0, window.1).unwrap(),
        filtered(&|e| kinds.contains(&e.body.kind()) && e.at_utc >= window.0 && e.at_utc < window.1)
    );
    assert_eq!(s.events_of_kinds(&[], i64::MIN, i64::MAX).unwrap(), vec![]);
    assert_eq!(s.events_of_kinds(&["no_such_kind"], i64::MIN, i64::MAX).unwrap(), vec![]);
    // The period is half-open: an event at `to` is outside it.
    let at = every[4].at_utc;
    assert_eq!(s.events_at(at, at + 1).unwrap(), filtered(&|e| e.at_utc == at));
    assert_eq!(s.events_at(at - 1, at).unwrap(), filtered(&|e| e.at_utc == at - 1));
    assert_eq!(s.events_at(window.0, window.1).unwrap(), filtered(&|e| e.at_utc >= window.0 && e.at_utc < window.1));

    assert_eq!(s.latest_event("note").unwrap().as_ref(), filtered(&|e| e.body.kind() == "note").last());
    assert_eq!(s.latest_event("roster_published").unwrap(), None);
    assert_eq!(s.published_rosters().unwrap(), vec![]);
    let since = T0 + 200;
    assert_eq!(
        s.session_events_since(since).unwrap(),
        filtered(&|e| matches!(e.body.kind(), "signed_in" | "signed_out") && e.at_utc >= since)
    );
    assert_eq!(s.sign_in_attempts_since(since).unwrap(), filtered(&|e| e.body.kind() == "signed_in" && e.at_utc >= since));
}

fn the_head_is_the_newest_event(mut s: impl JournalStore) {
    for (i, e) in history().iter().enumerate() {
        let ack = s.append(e).unwrap();
        let head = s.head().unwrap().expect("a head after an append");
        assert_eq!((head.seq, head.hash.clone()), (ack.seq, hex(&ack.hash)), "after append {i}");
    }
    let last = all(&s).pop().unwrap();
    assert_eq!(s.head().unwrap().unwrap().hash, hex(&last.hash));
    // Another handle sees the same head.
    assert_eq!(s.open_again().unwrap().head().unwrap(), s.head().unwrap());
}

fn two_handles_appending_at_once_keep_one_linear_chain<S: JournalStore + Send>(a: S) {
    let b = a.open_again().expect("a second handle on the same journal");
    const EACH: i64 = 40;
    let run = |mut s: S, who: &'static str| {
        move || {
            let mut acks = Vec::new();
            for i in 0..EACH {
                // Batches and single events interleaved: both take the chain's lock.
                if i % 4 == 0 {
                    acks.extend(s.append_batch(&[note(1, T0 + i, who), note(1, T0 + i, who)]).unwrap());
                } else {
                    acks.push(s.append(&note(1, T0 + i, who)).unwrap());
                }
            }
            (s, acks)
        }
    };
    let (mut a, mut b, acks_a, acks_b) = std::thread::scope(|scope| {
        let ta = scope.spawn(run(a, "op.a"));
        let tb = scope.spawn(run(b, "op.b"));
        let (a, acks_a) = ta.join().expect("writer a");
        let (b, acks_b) = tb.join().expect("writer b");
        (a, b, acks_a, acks_b)
    });
    let per_writer = EACH + EACH / 4;
    assert_eq!(acks_a.len() as i64, per_writer);
    for acks in [&acks_a, &acks_b] {
        assert!(acks.windows(2).all(|w| w[0].seq < w[1].seq), "each writer's seqs rise");
    }
    let mut seqs: Vec<i64> = acks_a.iter().chain(&acks_b).map(|a| a.seq).collect();
    seqs.sort();
    assert_eq!(seqs, (1..=2 * per_writer).collect::<Vec<_>>(), "one seq each, no gaps, no doubles");
    let events = all(&a);
    assert_chain(&events);
    assert_eq!(all(&b), events, "both handles read the same chain");
    // Either handle appends after the other's last event.
    assert_eq!(a.append(&note(1, T0, "op.a")).unwrap().seq, 2 * per_writer + 1);
    assert_eq!(b.append(&note(1, T0, "op.b")).unwrap().seq, 2 * per_writer + 2);
    assert_chain(&all(&a));
}

fn a_bad_event_is_refused_without_writing(mut s: impl JournalStore) {
    s.append(&received(1, T0)).unwrap();
    let before = all(&s);
    for operator in ["", "   "] {
        let mut e = note(1, T0 + 1, "x");
        e.operator = operator.into();
        assert!(s.append(&e).is_err(), "operator {operator:?} refused");
    }
    assert!(s.append(&received(1, T0 + 2)).is_err(), "incident 1 received twice");
    assert_eq!(all(&s), before, "nothing written");
    assert_eq!(s.append(&note(1, T0 + 3, "fine")).unwrap().seq, 2, "no seq was used up");
    assert_chain(&all(&s));
}

fn dispatched(incident: i64, at: i64, operator: &str, unit: &str) -> NewEvent {
    new(
        Some(incident),
        at,
        operator,
        EventBody::Dispatched { unit: unit.into(), plan: Default::default(), override_reason: None, carrier: None },
    )
}

/// The refusal's parts: (unit, status, by, incident, since).
fn taken(e: &Error) -> (&str, &str, &str, Option<IncidentId>, i64) {
    match e {
        Error::UnitTaken { unit, status, by, incident, since_utc } => (unit, status, by, *incident, *since_utc),
        other => panic!("expected the unit to be refused as taken, got: {other}"),
    }
}

fn a_dispatch_claims_its_unit(mut s: impl JournalStore) {
    for i in 1..=4 {
        s.append(&received(i, T0 + i)).unwrap();
    }
    s.append(&dispatched(1, T0 + 10, "op.a", "p1")).unwrap();
    let before = all(&s);
    let err = s.append(&dispatched(2, T0 + 20, "op.b", "p1")).unwrap_err();
    assert_eq!(taken(&err), ("p1", "dispatched", "op.a", Some(IncidentId(1)), T0 + 10));
    let text = err.to_string();
    assert!(text.contains("op.a") && text.contains("incident 1") && text.contains("2026-01-01 00:00:10 UTC"), "{text}");
    assert_eq!(all(&s), before, "the refused dispatch wrote nothing");
    s.append(&dispatched(2, T0 + 21, "op.b", "p2")).expect("another unit is free");

    // Still held on its way and on scene: by the dispatcher who took it, since then.
    s.append(&new(Some(1), T0 + 30, "op.c", EventBody::EnRoute { unit: "p1".into() })).unwrap();
    let err = s.append(&dispatched(3, T0 + 31, "op.b", "p1")).unwrap_err();
    assert_eq!(taken(&err), ("p1", "en_route", "op.a", Some(IncidentId(1)), T0 + 10));

    // One batch sending one unit twice is refused whole.
    let head = s.head().unwrap();
    let err = s.append_batch(&[dispatched(3, T0 + 40, "op.b", "p3"), dispatched(4, T0 + 40, "op.d", "p3")]).unwrap_err();
    assert_eq!(taken(&err), ("p3", "dispatched", "op.b", Some(IncidentId(3)), T0 + 40));
    assert_eq!(s.head().unwrap(), head, "nothing of the batch was kept");

    // Reassigning takes the unit off its incident first, in the same transaction.
    let withdraw = new(Some(1), T0 + 50, "op.b", EventBody::UnitWithdrawn { unit: "p1".into(), reason: "3 is urgent".into() });
    s.append_batch(&[withdraw, dispatched(3, T0 + 50, "op.b", "p1")]).expect("withdraw, then dispatch");
    // Cleared, the unit is free again.
    s.append(&new(Some(3), T0 + 60, "op.b", EventBody::Cleared { unit: Some("p1".into()), outcome: "done".into() })).unwrap();
    s.append(&dispatched(4, T0 + 70, "op.d", "p1")).expect("a cleared unit is free");

    // Off duty by hand: held by nobody's incident, named by who set it.
    let off = EventBody::UnitStatus { unit: "p9".into(), status: UnitStatusRecord::OffDuty, position: "base".into() };
    s.append(&new(None, T0 + 80, "op.e", off)).unwrap();
    let err = s.append(&dispatched(1, T0 + 90, "op.b", "p9")).unwrap_err();
    assert_eq!(taken(&err), ("p9", "off_duty", "op.e", None, T0 + 80));
    assert_chain(&all(&s));
}

/// Two seats send the same unit at the same moment, race after race: one wins each, the
/// other is refused naming the winner.
fn two_handles_racing_for_one_unit_have_one_winner<S: JournalStore + Send>(mut a: S) {
    const RACES: i64 = 25;
    // Race r: seat a sends unit u{r} to incident 2r + 1, seat b to 2r + 2.
    a.append_batch(&(1..=2 * RACES).map(|i| received(i, T0)).collect::<Vec<_>>()).unwrap();
    let b = a.open_again().expect("a second handle on the same journal");
    let start = std::sync::Barrier::new(2);
    let run = |mut s: S, who: &'static str, incident_of: fn(i64) -> i64| {
        let start = &start;
        move || {
            let mut out = Vec::new();
            for r in 0..RACES {
                start.wait();
                out.push(s.append(&dispatched(incident_of(r), T0 + 1, who, &format!("u{r}"))));
            }
            (s, out)
        }
    };
    let (a, out_a, out_b) = std::thread::scope(|scope| {
        let ta = scope.spawn(run(a, "op.a", |r| 2 * r + 1));
        let tb = scope.spawn(run(b, "op.b", |r| 2 * r + 2));
        let (a, out_a) = ta.join().expect("seat a");
        let (_, out_b) = tb.join().expect("seat b");
        (a, out_a, out_b)
    });
    for (r, (ra, rb)) in out_a.iter().zip(&out_b).enumerate() {
        let r = r as i64;
        let (winner, incident, loser) = match (ra, rb) {
            (Ok(_), Err(e)) => ("op.a", 2 * r + 1, e),
            (Err(e), Ok(_)) => ("op.b", 2 * r + 2, e),
            _ => panic!("race {r}: exactly one seat must win: {ra:?} / {rb:?}"),
        };
        let unit = format!("u{r}");
        assert_eq!(taken(loser), (unit.as_str(), "dispatched", winner, Some(IncidentId(incident)), T0 + 1), "race {r}");
    }
    let events = all(&a);
    assert_eq!(events.len() as i64, 3 * RACES, "the calls and one dispatch per race");
    assert_chain(&events);
}

/// A crew carried across by a boat (issue #16): both units in one dispatch.
fn carried(incident: i64, at: i64, operator: &str, unit: &str, boat: &str) -> NewEvent {
    let body = EventBody::Dispatched { unit: unit.into(), plan: Default::default(), override_reason: None, carrier: Some(boat.into()) };
    new(Some(incident), at, operator, body)
}

/// A unit's status and incident in the read model (None: no row, free at its base).
fn on(s: &impl ReadModels, unit: &str) -> Option<(UnitStatus, Option<IncidentId>)> {
    s.unit_rows().unwrap().into_iter().find(|r| r.unit_id == unit).map(|r| (r.status, r.incident_id))
}

fn carrier_of(s: &impl ReadModels, incident: i64) -> Option<String> {
    s.incident(IncidentId(incident)).unwrap().expect("the incident").carrier_id
}

fn a_carried_dispatch_takes_the_crew_and_its_boat<S: JournalStore + ReadModels>(mut s: S) {
    for i in 1..=5 {
        s.append(&received(i, T0 + i)).unwrap();
    }
    s.append(&carried(1, T0 + 10, "op.a", "p1", "b1")).unwrap();
    let busy_on = |status, i| Some((status, Some(IncidentId(i))));
    assert_eq!(on(&s, "p1"), busy_on(UnitStatus::Dispatched, 1));
    assert_eq!(on(&s, "b1"), busy_on(UnitStatus::Dispatched, 1), "the boat is committed with its crew");
    assert_eq!(carrier_of(&s, 1).as_deref(), Some("b1"));
    assert_eq!(s.incident(IncidentId(1)).unwrap().unwrap().unit_id.as_deref(), Some("p1"));

    // The boat is not another incident's, alone or carrying: refused naming who took it.
    let before = all(&s);
    let err = s.append(&dispatched(2, T0 + 20, "op.b", "b1")).unwrap_err();
    assert_eq!(taken(&err), ("b1", "dispatched", "op.a", Some(IncidentId(1)), T0 + 10));
    let err = s.append(&carried(2, T0 + 21, "op.b", "p2", "b1")).unwrap_err();
    assert_eq!(taken(&err), ("b1", "dispatched", "op.a", Some(IncidentId(1)), T0 + 10));
    assert_eq!(all(&s), before, "the refused dispatches wrote nothing");
    assert_eq!(on(&s, "p2"), None, "nor claimed the crew of the refused pair");
    s.append(&dispatched(2, T0 + 22, "op.b", "p2")).expect("p2 is free");
    // A pair whose crew is taken is refused whole: its boat stays free.
    let err = s.append(&carried(3, T0 + 30, "op.c", "p2", "b2")).unwrap_err();
    assert_eq!(taken(&err), ("p2", "dispatched", "op.b", Some(IncidentId(2)), T0 + 22));
    assert_eq!(on(&s, "b2"), None);

    // The boat follows its crew on the way and on scene.
    s.append(&new(Some(1), T0 + 40, "op.a", EventBody::EnRoute { unit: "p1".into() })).unwrap();
    assert_eq!(on(&s, "b1"), busy_on(UnitStatus::EnRoute, 1));
    s.append(&new(Some(1), T0 + 50, "op.a", EventBody::OnScene { unit: "p1".into() })).unwrap();
    assert_eq!(on(&s, "b1"), busy_on(UnitStatus::OnScene, 1));
    let err = s.append(&dispatched(3, T0 + 55, "op.c", "b1")).unwrap_err();
    assert_eq!(taken(&err), ("b1", "on_scene", "op.a", Some(IncidentId(1)), T0 + 10));
    // Cleared: both free again; the incident keeps the pairing.
    s.append(&new(Some(1), T0 + 60, "op.a", EventBody::Cleared { unit: Some("p1".into()), outcome: "done".into() })).unwrap();
    assert_eq!(on(&s, "p1"), Some((UnitStatus::Available, None)));
    assert_eq!(on(&s, "b1"), Some((UnitStatus::Available, None)));
    assert_eq!(carrier_of(&s, 1).as_deref(), Some("b1"));

    // Withdrawn: crew and boat free; the incident waits with no pairing (here the boat
    // goes alone in the same transaction).
    s.append(&carried(3, T0 + 70, "op.c", "p1", "b1")).unwrap();
    let withdraw = new(Some(3), T0 + 80, "op.c", EventBody::UnitWithdrawn { unit: "p1".into(), reason: "the boat alone".into() });
    s.append_batch(&[withdraw, dispatched(3, T0 + 80, "op.c", "b1")]).expect("withdraw the pair, send the boat");
    assert_eq!(on(&s, "p1"), Some((UnitStatus::Available, None)));
    assert_eq!(on(&s, "b1"), busy_on(UnitStatus::Dispatched, 3));
    assert_eq!(carrier_of(&s, 3), None);
    // Cancelled: both free.
    s.append(&carried(4, T0 + 90, "op.d", "p3", "b3")).unwrap();
    s.append(&new(Some(4), T0 + 95, "op.d", EventBody::Cancelled { reason: "caller withdrew".into() })).unwrap();
    assert_eq!((on(&s, "p3"), on(&s, "b3")), (Some((UnitStatus::Available, None)), Some((UnitStatus::Available, None))));

    // The audit rebuilds the same read models from the events.
    let report = s.audit().unwrap();
    assert!(report.ok, "{report:?}");
    assert_chain(&all(&s));
}

/// Two seats send a crew each, carried by the same boat, at the same moment, race after
/// race: one pair wins, the other is refused naming the boat and its winner, and the
/// loser's crew stays free.
fn two_handles_racing_for_one_boat_have_one_winner<S: JournalStore + ReadModels + Send>(mut a: S) {
    const RACES: i64 = 15;
    a.append_batch(&(1..=2 * RACES).map(|i| received(i, T0)).collect::<Vec<_>>()).unwrap();
    let b = a.open_again().expect("a second handle on the same journal");
    let start = std::sync::Barrier::new(2);
    let run = |mut s: S, who: &'static str, crew: &'static str, incident_of: fn(i64) -> i64| {
        let start = &start;
        move || {
            let mut out = Vec::new();
            for r in 0..RACES {
                start.wait();
                out.push(s.append(&carried(incident_of(r), T0 + 1, who, &format!("{crew}{r}"), &format!("boat{r}"))));
            }
            (s, out)
        }
    };
    let (a, out_a, out_b) = std::thread::scope(|scope| {
        let ta = scope.spawn(run(a, "op.a", "a", |r| 2 * r + 1));
        let tb = scope.spawn(run(b, "op.b", "c", |r| 2 * r + 2));
        let (a, out_a) = ta.join().expect("seat a");
        let (_, out_b) = tb.join().expect("seat b");
        (a, out_a, out_b)
    });
    for (r, (ra, rb)) in out_a.iter().zip(&out_b).enumerate() {
        let r = r as i64;
        let (winner, incident, loser, loser_crew) = match (ra, rb) {
            (Ok(_), Err(e)) => ("op.a", 2 * r + 1, e, format!("c{r}")),
            (Err(e), Ok(_)) => ("op.b", 2 * r + 2, e, format!("a{r}")),
            _ => panic!("race {r}: exactly one seat must win: {ra:?} / {rb:?}"),
        };
        let boat = format!("boat{r}");
        assert_eq!(taken(loser), (boat.as_str(), "dispatched", winner, Some(IncidentId(incident)), T0 + 1), "race {r}");
        assert_eq!(on(&a, &loser_crew), None, "race {r}: the loser's crew was not kept");
        assert_eq!(on(&a, &boat), Some((UnitStatus::Dispatched, Some(IncidentId(incident)))));
    }
    let events = all(&a);
    assert_eq!(events.len() as i64, 3 * RACES, "the calls and one dispatch per race");
    assert_chain(&events);
}

/// A step of `boat` as the carrier on `incident` (its phone's `crew_action`).
fn boat_step(incident: i64, at: i64, boat: &str, action: CrewActionKind) -> NewEvent {
    new(Some(incident), at, "boat.crew", EventBody::CrewAction { unit: boat.into(), action, phone_utc: None, photo: None })
}

/// Issue #16: the boat that carried a crew is free once back at its base (`at_base`), the
/// crew still on its incident; the incident's later steps leave the boat alone, even when
/// it has been sent elsewhere meanwhile.
fn a_boat_back_at_base_is_free_while_its_crew_stays<S: JournalStore + ReadModels>(mut s: S) {
    for i in 1..=3 {
        s.append(&received(i, T0 + i)).unwrap();
    }
    s.append(&carried(1, T0 + 10, "op.a", "p1", "b1")).unwrap();
    s.append(&new(Some(1), T0 + 20, "op.a", EventBody::OnScene { unit: "p1".into() })).unwrap();
    // Landed and sailing home: still the incident's.
    s.append(&boat_step(1, T0 + 21, "b1", CrewActionKind::CrewLanded)).unwrap();
    s.append(&boat_step(1, T0 + 22, "b1", CrewActionKind::Returning)).unwrap();
    assert_eq!(on(&s, "b1"), Some((UnitStatus::OnScene, Some(IncidentId(1)))));
    // Another boat's step, or a step on an incident it does not carry for, frees nothing.
    s.append(&carried(2, T0 + 25, "op.b", "p2", "b2")).unwrap();
    s.append(&boat_step(1, T0 + 26, "b2", CrewActionKind::AtBase)).unwrap();
    assert_eq!(on(&s, "b2"), Some((UnitStatus::Dispatched, Some(IncidentId(2)))));

    s.append(&boat_step(1, T0 + 30, "b1", CrewActionKind::AtBase)).unwrap();
    assert_eq!(on(&s, "b1"), Some((UnitStatus::Available, None)), "the boat is free at its base");
    assert_eq!(on(&s, "p1"), Some((UnitStatus::OnScene, Some(IncidentId(1)))), "the crew stays on its incident");
    assert_eq!(carrier_of(&s, 1).as_deref(), Some("b1"), "the incident keeps the pairing");

    // Free to be claimed by another incident; incident 1's clearing leaves it there.
    s.append(&dispatched(3, T0 + 40, "op.c", "b1")).expect("the released boat is free");
    s.append(&new(Some(1), T0 + 50, "op.a", EventBody::Cleared { unit: Some("p1".into()), outcome: "done".into() })).unwrap();
    assert_eq!(on(&s, "b1"), Some((UnitStatus::Dispatched, Some(IncidentId(3)))), "no double release");
    assert_eq!(on(&s, "p1"), Some((UnitStatus::Available, None)));
    // A second at_base on the closed incident changes nothing either.
    s.append(&boat_step(1, T0 + 55, "b1", CrewActionKind::AtBase)).unwrap();
    assert_eq!(on(&s, "b1"), Some((UnitStatus::Dispatched, Some(IncidentId(3)))));

    let report = s.audit().unwrap();
    assert!(report.ok, "the audit rebuilds the same read models: {report:?}");
    assert_chain(&all(&s));
}
