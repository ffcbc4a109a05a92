//! Group commit: the appends of a journal's handles in one process that arrive while an
//! append is being written go into the next transaction together.
//!
//! Why: the chain's advisory lock is held until the commit, so one append per transaction
//! means one WAL fsync after another, one at a time (about 150–200 appends/s here), however
//! many desks append at once. Written together, they share one lock, one head check and one
//! fsync. Nothing about durability changes: `synchronous_commit` stays on, and no caller
//! hears its acknowledgement before the commit that holds its events has returned.
//!
//! The first caller to find nobody writing leads: it takes the queue (the oldest first, up
//! to [`MOST`] requests), writes it with its own handle, hands out the results and wakes
//! the others; whoever is still queued then leads the next group. A leader that finds fewer
//! callers queued than the last group had waits up to [`GATHER`] for the others to come
//! back: without that, the first caller back after a commit writes a group of one or two
//! and the rest wait a whole fsync behind it (measured: groups alternating 15 and 1). The
//! chain comes out as if the requests had been appended one by one in queue order
//! (`PgJournal::write_group` gives each its own savepoint when a group is refused, so a
//! refused one leaves nothing). (Two groups in flight, the next waiting for the lock while
//! the first's fsync ran, was tried and was slower: with every caller in one of two groups,
//! each round of callers cost two fsyncs.)
//!
//! The group also keeps the chain head its last write left ([`Group::head`]): the next group
//! chains after it without reading the head first, and the insert checks, under the lock,
//! that the head is still that one (another process, or an append outside the group, may
//! have moved it; then the group is chained again on the head the check returned).

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tidewatch_core::Error;
use tidewatch_journal::{Ack, NewEvent};

/// The most requests written in one transaction (each a savepoint: PostgreSQL keeps 64
/// subtransactions per backend in shared memory before other sessions' snapshots slow down).
pub(crate) const MOST: usize = 48;

/// How long a leader waits, at most, for callers to come back before writing a group
/// smaller than the last one (PostgreSQL's `commit_delay`, on our side of the lock): one
/// fsync for the lot instead of two.
const GATHER: Duration = Duration::from_millis(2);

/// A chain head: its seq and hash.
pub(crate) type Head = (i64, [u8; 32]);

/// One caller's events, and the ticket its result is filed under.
pub(crate) struct Request {
    ticket: u64,
    pub events: Vec<NewEvent>,
}

pub(crate) type Outcome = Result<Vec<Ack>, Error>;

#[derive(Default)]
struct State {
    next_ticket: u64,
    queue: VecDeque<Request>,
    results: HashMap<u64, Outcome>,
    /// A group is being written.
    leading: bool,
    /// How many requests the last group took.
    last_size: usize,
    /// Until when a would-be leader waits for more callers ([`GATHER`]); set while one does.
    gather_until: Option<Instant>,
}

impl State {
    /// Whether the caller holding `ticket` may lead a group now: its request is still
    /// queued (not taken by a group being written), and nobody is writing.
    fn may_lead(&self, ticket: u64) -> bool {
        !self.leading && self.queue.iter().any(|r| r.ticket == ticket)
    }

    /// Whether a leader should wait for more callers first: fewer are queued than the
    /// last group held (they are likely on their way back).
    fn gather(&self) -> bool {
        self.queue.len() < self.last_size.min(MOST)
    }
}

/// The queue shared by the handles of one journal (`open_again` shares it).
#[derive(Default)]
pub(crate) struct Group {
    state: Mutex<State>,
    changed: Condvar,
    /// The head the last group left (written, perhaps not yet committed), or None when
    /// unknown (nothing written yet, or a group failed): only a guess the insert checks.
    head: Mutex<Option<Head>>,
}

impl Group {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is whole after any panic (results are filed under the lock), so a
        // poisoned lock is taken as it is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The head a group may chain after (checked by its insert under the lock).
    pub(crate) fn head(&self) -> Option<Head> {
        *self.head.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the head a group left once its insert is done (None: unknown).
    pub(crate) fn set_head(&self, head: Option<Head>) {
        *self.head.lock().unwrap_or_else(|p| p.into_inner()) = head;
    }

    /// Queues `events` and returns their acknowledgements once a commit holds them (or the
    /// error that refused them); `write` writes a group when this caller leads one and
    /// returns one outcome per request, in order.
    pub(crate) fn append(&self, events: Vec<NewEvent>, mut write: impl FnMut(&[Request]) -> Vec<Outcome>) -> Outcome {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push_back(Request { ticket, events });
        if state.gather_until.is_some() {
            self.changed.notify_all();
        }
        loop {
            if let Some(outcome) = state.results.remove(&ticket) {
                return outcome;
            }
            if !state.may_lead(ticket) {
                state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            if state.gather() {
                let until = *state.gather_until.get_or_insert_with(|| Instant::now() + GATHER);
                if let Some(left) = until.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
                    state = self.changed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0;
                    continue;
                }
            }
            state.gather_until = None;
            state.leading = true;
            let take = state.queue.len().min(MOST);
            let batch: Vec<Request> = state.queue.drain(..take).collect();
            state.last_size = batch.len();
            drop(state);
            let mut written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write(&batch)));
            state = self.lock();
            let mut outcomes = written.as_mut().map(std::mem::take).unwrap_or_default().into_iter();
            for request in &batch {
                let outcome = outcomes.next().unwrap_or_else(|| Err(Error::Storage("the group's write gave no outcome".into())));
                state.results.insert(request.ticket, outcome);
            }
            state.leading = false;
            self.changed.notify_all();
            if let Err(panic) = written {
                // The others heard an error (nothing of the group is acknowledged); this
                // thread goes on panicking.
                state.results.remove(&ticket);
                drop(state);
                self.set_head(None);
                std::panic::resume_unwind(panic);
            }
        }
    }
}
