//! Moving a journal: export every event as JSON lines, import them into another journal.
//! An import re-checks each incident's lifecycle and the time order, and chains the events
//! anew in the target, in one transaction: nothing is written unless the whole file is sound.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use super::incident::IncidentState;
use crate::store::{Event, EventBody, Journal};
use crate::Error;

/// Writes every event of `journal`, oldest first, one JSON object a line.
pub fn export_events(journal: &Journal, out: &mut dyn Write) -> Result<u64, Error> {
    let mut n = 0;
    let mut from = 1;
    loop {
        let chunk = journal.events_between(from, from + 49_999)?;
        if chunk.is_empty() {
            break;
        }
        for e in &chunk {
            serde_json::to_writer(&mut *out, e).map_err(|e| Error::Io(std::io::Error::other(e)))?;
            out.write_all(b"\n")?;
            n += 1;
        }
        from += 50_000;
    }
    out.flush()?;
    Ok(n)
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct ImportSummary {
    pub events: u64,
    pub incidents: u64,
}

/// Appends the events of `input` (JSON lines from [`export_events`]) to an empty journal.
pub fn import_events(journal: &mut Journal, input: &mut dyn BufRead) -> Result<ImportSummary, Error> {
    if journal.last_seq() != 0 {
        return Err(Error::Storage(format!("{} is not empty: import into a new journal", journal.path().display())));
    }
    // One transaction for the whole file: keep its pages in memory rather than spilling.
    journal.set_cache_mib(512)?;
    let mut states: HashMap<i64, (IncidentState, i64)> = HashMap::new();
    let mut summary = ImportSummary::default();
    journal.begin_batch()?;
    let result = (|| {
        let mut line = String::new();
        let mut n = 0u64;
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break;
            }
            n += 1;
            if line.trim().is_empty() {
                continue;
            }
            let e: Event = serde_json::from_str(&line).map_err(|err| Error::invalid(format!("line {n}"), err.to_string()))?;
            let at_line = |msg: String| Error::invalid(format!("line {n} (event {})", e.seq), msg);
            if let Some(id) = e.incident_id {
                match (&e.body, states.get(&id)) {
                    (EventBody::Received { .. }, None) => {
                        summary.incidents += 1;
                    }
                    (EventBody::Received { .. }, Some(_)) => return Err(at_line(format!("incident {id} is received twice"))),
                    (_, None) => return Err(at_line(format!("incident {id} has events before it was received"))),
                    (body, Some(&(state, last))) => {
                        state.check(id, body).map_err(|err| at_line(err.to_string()))?;
                        if e.at_utc < last && !matches!(body, EventBody::Note { .. } | EventBody::Correction { .. }) {
                            return Err(at_line(format!("incident {id}: event time goes back {} s", last - e.at_utc)));
                        }
                    }
                }
                let prev = states.get(&id).map(|s| s.0).unwrap_or(IncidentState::Received);
                let last = states.get(&id).map(|s| s.1).unwrap_or(e.at_utc).max(e.at_utc);
                states.insert(id, (prev.after(&e.body), last));
            }
            journal.append(e.incident_id, e.at_utc, e.recorded_utc, &e.operator, &e.body)?;
            summary.events += 1;
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            journal.commit_batch()?;
            Ok(summary)
        }
        Err(e) => {
            journal.rollback_batch()?;
            Err(e)
        }
    }
}
