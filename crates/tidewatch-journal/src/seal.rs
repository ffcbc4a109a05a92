//! Anchors for the hash chain outside the journal file. The chain alone proves only that
//! the events fit together: whoever can write the file can cut its tail, empty it, or edit
//! an event and recompute every hash after it. A seal (the newest event's seq and hash,
//! written to a file the supervisor keeps elsewhere, or printed on a report) pins the
//! chain: a later audit checks the journal still holds exactly that event at that seq.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::event::{hex, parse_hex32};
use super::journal::Journal;
use tidewatch_core::Error;

/// The newest event of a journal: its seq and hash (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for ChainHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seq {} hash {}", self.seq, self.hash)
    }
}

impl Journal {
    /// The newest event (seq and hash) as the file holds it; None when empty.
    pub fn head(&self) -> Result<Option<ChainHead>, Error> {
        head_of(self.conn())
    }
}

pub(crate) fn head_of(conn: &Connection) -> Result<Option<ChainHead>, Error> {
    let row = conn
        .query_row("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .optional()
        .map_err(|e| Error::Storage(format!("the newest event cannot be read: {e}")))?;
    Ok(row.map(|(seq, hash)| ChainHead { seq, hash: hex(&hash) }))
}

/// What `tidewatch audit seal` writes: the chain's head at a moment, for the supervisor
/// to keep outside the journal (another disk, a printout, a message to the office).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    pub format: u32,
    /// The newest event when sealed.
    pub seq: i64,
    pub hash: String,
    /// Events in the journal when sealed (equal to `seq`: the chain has no gaps).
    pub events: i64,
    /// When it was sealed (UTC unix seconds).
    pub sealed_utc: i64,
    /// The region pack's id (for people: the journal does not record its region).
    pub region: Option<String>,
    /// The journal file sealed (for people; not checked).
    pub journal: String,
}

impl Seal {
    pub const FORMAT: u32 = 1;

    /// Reads a seal file, naming the file and the field when it is not one.
    pub fn read(path: &Path) -> Result<Seal, Error> {
        let at = |msg: String| Error::invalid(path.display().to_string(), msg);
        let text = std::fs::read_to_string(path).map_err(|e| at(e.to_string()))?;
        let seal: Seal = super::event::decode_json(&text).map_err(|e| at(format!("not a seal file: {e}")))?;
        if seal.format != Seal::FORMAT {
            return Err(at(format!("seal format {} (this build reads {})", seal.format, Seal::FORMAT)));
        }
        if parse_hex32(&seal.hash).is_none() {
            return Err(at("field hash: not 64 hex digits".into()));
        }
        if seal.seq < 1 {
            return Err(at(format!("field seq: {} is not an event (events start at 1)", seal.seq)));
        }
        Ok(seal)
    }

    /// Writes the seal to a new file (never over an older seal: each one is an anchor).
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Storage(e.to_string()))?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| Error::invalid("--out", format!("{}: {e}; seals are never overwritten, choose a new file", path.display())))?;
        std::io::Write::write_all(&mut f, format!("{text}\n").as_bytes())?;
        f.sync_all()?;
        Ok(())
    }
}

/// Checks a journal whose chain verifies against a seal: Ok(events written after the
/// sealed one) or Err(what is wrong).
pub(crate) fn check_seal(conn: &Connection, seal: &Seal, head: Option<&ChainHead>) -> Result<Result<i64, String>, Error> {
    let when = chrono::DateTime::from_timestamp(seal.sealed_utc, 0).map(|t| t.to_rfc3339()).unwrap_or_else(|| seal.sealed_utc.to_string());
    let sealed = format!("the seal of {when} names event {} (hash {})", seal.seq, short(&seal.hash));
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT hash FROM events WHERE seq = ?1", [seal.seq], |r| r.get(0))
        .optional()
        .map_err(|e| Error::Storage(format!("event {}: {e}", seal.seq)))?;
    Ok(match (stored, head) {
        (_, None) => Err(format!("the journal has no events but {sealed}: every event was deleted")),
        (None, Some(h)) if h.seq < seal.seq => {
            let n = seal.seq - h.seq;
            let cut = if n == 1 { "1 event was".to_string() } else { format!("{n} events were") };
            Err(format!("the journal ends at event {} but {sealed}: the last {cut} removed", h.seq))
        }
        (None, Some(_)) => Err(format!("{sealed}, which is missing")),
        (Some(hash), Some(h)) if hex(&hash) == seal.hash.to_ascii_lowercase() => Ok(h.seq - seal.seq),
        (Some(hash), Some(_)) => Err(format!(
            "{sealed} but the journal's event {} has hash {}: the journal was rewritten at or before event {} (edited and re-chained, or replaced)",
            seal.seq,
            short(&hex(&hash)),
            seal.seq
        )),
    })
}

/// The first 12 hex digits, for messages (the seal file has them all).
fn short(hash: &str) -> String {
    hash.chars().take(12).collect::<String>() + "…"
}
