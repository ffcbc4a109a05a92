//! Group commit: the appends of a journal's handles in one process that arrive while an
//! append is being written go into the next transaction together.
//!
//! Why: the chain's advisory lock is held until the commit, so one append per transaction
//! means one WAL fsync after another, one at a time (about 150–200 appends/s here), however
//! many desks append at once. Written together, they share one lock, one head read and one
//! fsync. Nothing about durability changes: `synchronous_commit` stays on, and no caller
//! hears its acknowledgement before the commit that holds its events has returned.
//!
//! The first caller to find nobody writing leads: it takes the queue (the oldest first, up
//! to [`MOST`] requests), writes it with its own handle, hands out the results and wakes
//! the others; whoever is still queued then leads the next group. The chain comes out as
//! if the requests had been appended one by one in queue order (`PgJournal::write_group`
//! gives each its own savepoint, so a refused one leaves nothing behind).

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};

use tidewatch_core::Error;
use tidewatch_journal::{Ack, NewEvent};

/// The most requests written in one transaction (each a savepoint: PostgreSQL keeps 64
/// subtransactions per backend in shared memory before other sessions' snapshots slow down).
pub(crate) const MOST: usize = 48;

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
    leading: bool,
}

/// The queue shared by the handles of one journal (`open_again` shares it).
#[derive(Default)]
pub(crate) struct Group {
    state: Mutex<State>,
    changed: Condvar,
}

impl Group {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is whole after any panic (results are filed under the lock), so a
        // poisoned lock is taken as it is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `events` and returns their acknowledgements once a commit holds them (or the
    /// error that refused them); `write` writes a group when this caller leads one and
    /// returns one outcome per request, in order.
    pub(crate) fn append(&self, events: Vec<NewEvent>, mut write: impl FnMut(&[Request]) -> Vec<Outcome>) -> Outcome {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push_back(Request { ticket, events });
        loop {
            if let Some(outcome) = state.results.remove(&ticket) {
                return outcome;
            }
            if state.leading {
                state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            state.leading = true;
            let take = state.queue.len().min(MOST);
            let batch: Vec<Request> = state.queue.drain(..take).collect();
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
                std::panic::resume_unwind(panic);
            }
        }
    }
}
