//! Moving a journal: export every event as JSON lines and a last `journal_head` line (the
//! chain's head, so a cut file shows), and import them into another journal.
//!
//! An import checks, in one transaction (nothing is written unless the whole file is
//! sound): each line's hash against the chain it rebuilds, so an edited line is refused,
//! naming the line and event; the head line; each incident's lifecycle and the time order.
//! With `rechain` a file whose chain does not verify is imported anyway, chained anew. Every
//! import is journaled as a last `journal_imported` event: the file's SHA-256 and, when
//! re-chained, why.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use tidewatch_core::dispatch::IncidentState;
use tidewatch_core::ids::IncidentId;
use tidewatch_core::Error;
use tidewatch_journal::{decode_json, hex, parse_hex32, ChainHead, Event, EventBody, Journal, JournalStore};

/// The last line of an export: `{"journal_head":{"seq":…,"hash":"…","events":…}}`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadLine {
    journal_head: ExportHead,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportHead {
    /// The last event's seq (0 for an empty journal) and hash.
    seq: i64,
    hash: String,
    events: u64,
}

/// Writes every event of `journal`, oldest first, one JSON object a line, then the
/// `journal_head` line.
pub fn export_events(journal: &impl JournalStore, out: &mut dyn Write) -> Result<u64, Error> {
    let mut n = 0;
    let mut from = 1;
    let mut head = ExportHead { seq: 0, hash: hex(&[0u8; 32]), events: 0 };
    loop {
        let chunk = journal.events_between(from, from + 49_999)?;
        if chunk.is_empty() {
            break;
        }
        for e in &chunk {
            serde_json::to_writer(&mut *out, e).map_err(|e| Error::Io(std::io::Error::other(e)))?;
            out.write_all(b"\n")?;
            n += 1;
            (head.seq, head.hash) = (e.seq, hex(&e.hash));
        }
        from += 50_000;
    }
    head.events = n;
    serde_json::to_writer(&mut *out, &HeadLine { journal_head: head }).map_err(|e| Error::Io(std::io::Error::other(e)))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(n)
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportSummary {
    pub events: u64,
    pub incidents: u64,
    /// SHA-256 of the imported file (journaled with the import).
    pub file_sha256: String,
    /// Why the file's chain did not verify, when it was imported with `rechain`.
    pub rechained: Option<String>,
    /// The new journal's head (its last event is the `journal_imported` one).
    pub head: Option<ChainHead>,
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Import a file whose chain does not verify, chaining its events anew (journaled).
    pub rechain: bool,
    /// Who imports: the operator of the `journal_imported` event.
    pub operator: String,
    /// When (UTC unix seconds), for the `journal_imported` event.
    pub now_utc: i64,
}

impl ImportOptions {
    /// A plain import (refusing a broken chain) journaled at `now_utc` by "journal import".
    pub fn at(now_utc: i64) -> Self {
        ImportOptions { rechain: false, operator: "journal import".into(), now_utc }
    }
}

/// Imports the events of `input` (an [`export_events`] file) into an empty journal,
/// refusing a file whose chain does not verify; journaled at `now_utc`.
pub fn import_events(journal: &mut Journal, input: &mut dyn BufRead, now_utc: i64) -> Result<ImportSummary, Error> {
    import_events_with(journal, input, &ImportOptions::at(now_utc))
}

pub fn import_events_with(journal: &mut Journal, input: &mut dyn BufRead, opts: &ImportOptions) -> Result<ImportSummary, Error> {
    if journal.last_seq() != 0 {
        return Err(Error::Storage(format!("{} is not empty: import into a new journal", journal.path().display())));
    }
    // One transaction for the whole file: keep its pages in memory rather than spilling.
    journal.set_cache_mib(512)?;
    journal.begin_batch()?;
    match Importer::new(opts).run(journal, input) {
        Ok(summary) => {
            journal.commit_batch()?;
            Ok(summary)
        }
        Err(e) => {
            journal.rollback_batch()?;
            Err(e)
        }
    }
}

struct Importer<'o> {
    opts: &'o ImportOptions,
    states: HashMap<IncidentId, (IncidentState, i64)>,
    summary: ImportSummary,
    /// The first place the file's chain does not verify (only kept with `rechain`).
    fault: Option<String>,
    /// The file's last event: its seq and hash as the file says.
    last: Option<(i64, [u8; 32])>,
    head_line: Option<u64>,
}

impl<'o> Importer<'o> {
    fn new(opts: &'o ImportOptions) -> Self {
        Importer { opts, states: HashMap::new(), summary: ImportSummary::default(), fault: None, last: None, head_line: None }
    }

    fn run(mut self, journal: &mut Journal, input: &mut dyn BufRead) -> Result<ImportSummary, Error> {
        let mut sha = Sha256::new();
        let mut buf = Vec::new();
        let mut n = 0u64;
        loop {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            n += 1;
            sha.update(&buf);
            let text = std::str::from_utf8(&buf).map_err(|e| Error::invalid(format!("line {n}"), format!("not UTF-8 text: {e}")))?;
            if text.trim().is_empty() {
                continue;
            }
            if let Some(h) = self.head_line {
                return Err(Error::invalid(format!("line {n}"), format!("follows the journal_head line (line {h}), which ends an export")));
            }
            if text.trim_start().starts_with("{\"journal_head\"") {
                self.head(n, text)?;
                continue;
            }
            let e: Event = decode_json(text).map_err(|m| Error::invalid(format!("line {n}"), m))?;
            self.event(journal, n, e)?;
        }
        if self.head_line.is_none() {
            let what = "the file ends without its journal_head line: it was cut short, or is not a whole export";
            let place = if n == 0 { "line 1 (the file is empty)".to_string() } else { format!("line {n}") };
            self.fault(place, what.into())?;
        }
        let file_sha256 = hex(sha.finalize().as_slice());
        let body =
            EventBody::JournalImported { file_sha256: file_sha256.clone(), events: self.summary.events, rechained: self.fault.clone() };
        journal.append(None, self.opts.now_utc, self.opts.now_utc, &self.opts.operator, &body)?;
        self.summary.file_sha256 = file_sha256;
        self.summary.rechained = self.fault;
        self.summary.head = journal.head()?;
        Ok(self.summary)
    }

    /// The file's chain does not verify at `place`: refused, or noted with `rechain`.
    fn fault(&mut self, place: String, what: String) -> Result<(), Error> {
        if !self.opts.rechain {
            return Err(Error::invalid(
                place,
                format!(
                    "{what}; the file's chain does not verify, nothing was imported (--rechain imports it chained anew, and journals that)"
                ),
            ));
        }
        self.fault.get_or_insert(format!("{place}: {what}"));
        Ok(())
    }

    fn head(&mut self, n: u64, text: &str) -> Result<(), Error> {
        let h: HeadLine = decode_json(text).map_err(|m| Error::invalid(format!("line {n}"), format!("not a journal_head line: {m}")))?;
        self.head_line = Some(n);
        let h = h.journal_head;
        let (seq, hash) = self.last.unwrap_or((0, [0u8; 32]));
        if h.seq != seq || parse_hex32(&h.hash) != Some(hash) || h.events != self.summary.events {
            let what = format!(
                "the journal_head line names event {} ({} events) but the file's last event is {seq} ({} events): lines were removed, added or edited",
                h.seq, h.events, self.summary.events
            );
            self.fault(format!("line {n}"), what)?;
        }
        Ok(())
    }

    fn event(&mut self, journal: &mut Journal, n: u64, e: Event) -> Result<(), Error> {
        let place = format!("line {n} (event {}, {})", e.seq, e.body.kind());
        self.check_lifecycle(&e).map_err(|msg| Error::invalid(place.clone(), msg))?;
        let ack = journal
            .append(e.incident_id, e.at_utc, e.recorded_utc, &e.operator, &e.body)
            .map_err(|err| Error::invalid(place.clone(), err.to_string()))?;
        // Once the chain is broken every later hash differs too: only the first fault counts.
        if self.fault.is_none() {
            if e.seq != ack.seq {
                self.fault(place, format!("event {} belongs here: lines are missing, repeated or out of order", ack.seq))?;
            } else if e.hash != ack.hash {
                let what = "its hash does not match its contents and the lines before it: this line, or one before it, was edited";
                self.fault(place, what.into())?;
            }
        }
        self.summary.events += 1;
        self.last = Some((e.seq, e.hash));
        Ok(())
    }

    /// Each incident's events in lifecycle order and (notes and corrections aside) in time.
    fn check_lifecycle(&mut self, e: &Event) -> Result<(), String> {
        let Some(id) = e.incident_id else { return Ok(()) };
        match (&e.body, self.states.get(&id)) {
            (EventBody::Received { .. }, None) => self.summary.incidents += 1,
            (EventBody::Received { .. }, Some(_)) => return Err(format!("incident {id} is received twice")),
            (_, None) => return Err(format!("incident {id} has events before it was received")),
            (body, Some(&(state, last))) => {
                state.check(id, body.lifecycle()).map_err(|err| err.to_string())?;
                if e.at_utc < last && !matches!(body, EventBody::Note { .. } | EventBody::Correction { .. }) {
                    return Err(format!("incident {id}: event time goes back {} s", last.saturating_sub(e.at_utc)));
                }
            }
        }
        let prev = self.states.get(&id).map(|s| s.0).unwrap_or(IncidentState::Received);
        let last = self.states.get(&id).map(|s| s.1).unwrap_or(e.at_utc).max(e.at_utc);
        self.states.insert(id, (prev.after(e.body.lifecycle()), last));
        Ok(())
    }
}
