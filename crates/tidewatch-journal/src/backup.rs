//! Online backup and verified restore.
//!
//! A backup is `VACUUM INTO` a new file from one read snapshot of the journal, opened
//! read-only: a desk writing flat out neither blocks it nor makes it start over (SQLite's
//! step-wise backup API restarts whenever the source changes, and never finished under a
//! busy writer). The copy's chain and the journal's are then verified.
//!
//! A restore takes the journal's lock alone (refused while a desk, an import or another
//! restore has it) and copies only a backup whose chain verifies, from a version this build
//! knows, and with events in it unless the caller allows an empty one.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::audit::{verify_conn, AuditReport};
use super::lock::{JournalLock, LockMode};
use super::open;
use crate::open::db as sql;
use tidewatch_core::Error;

/// Copies the journal at `db` to the new file `out` and verifies both. `Ok` with a report
/// that is not `ok` means the journal itself fails its audit (the report names the first
/// bad event): the copy is kept as a faithful copy of it, but [`restore`] will refuse it.
/// A copy that does not verify while the journal does is removed and is an error.
pub fn backup(db: &Path, out: &Path) -> Result<AuditReport, Error> {
    let src = open::read_only(db)?;
    claim(out)?;
    let copied = vacuum_into(&src, out).and_then(|_| verify_conn(&open::read_only(out)?));
    let copy = match copied {
        Ok(report) => report,
        Err(e) => return Err(remove_own(out, e)),
    };
    let journal = verify_conn(&src)?;
    if !journal.ok {
        return Ok(journal);
    }
    if !copy.ok {
        let why = format!(
            "the copy {} fails its audit at event {} ({}) though {} verifies: removed; try again",
            out.display(),
            copy.first_bad_seq.unwrap_or(0),
            copy.problem.unwrap_or_default(),
            db.display()
        );
        return Err(remove_own(out, Error::Storage(why)));
    }
    Ok(copy)
}

/// Makes the empty file `out` ours (`VACUUM INTO` writes into an empty file), so that a
/// failed backup removes only a file this process created.
fn claim(out: &Path) -> Result<(), Error> {
    match std::fs::OpenOptions::new().write(true).create_new(true).open(out) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::Storage(format!("{} already exists: choose a new file for the backup", out.display())))
        }
        Err(e) => Err(Error::Storage(format!("cannot create the backup {}: {e}", out.display()))),
    }
}

fn remove_own(out: &Path, e: Error) -> Error {
    let _ = std::fs::remove_file(out);
    e
}

/// One consistent snapshot of `src` into `out`, then on disk before we say it is.
fn vacuum_into(src: &Connection, out: &Path) -> Result<(), Error> {
    let target = std::path::absolute(out)?;
    let target = target.to_str().ok_or_else(|| Error::Storage(format!("{}: the backup's path must be UTF-8", out.display())))?;
    src.execute("VACUUM INTO ?1", [target]).map_err(|e| Error::Storage(format!("backup into {}: {e}", out.display())))?;
    std::fs::File::open(out)?.sync_all()?;
    // The new file's name is durable once its folder is synced (best effort: not every
    // platform can open a folder).
    if let Some(dir) = std::path::absolute(out)?.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Copies `from` (a backup) over the journal at `db`, after checking the backup: it must
/// be a Tidewatch journal of a version this build knows, its chain must verify, and it must
/// hold events unless `allow_empty`. Refused while any process has `db` open for writing;
/// a `db` that exists must be a Tidewatch journal (never somebody else's file).
pub fn restore(from: &Path, db: &Path, allow_empty: bool) -> Result<AuditReport, Error> {
    let src = open::read_only(from)?;
    let report = verify_conn(&src)?;
    if !report.ok {
        return Err(Error::Storage(format!(
            "{} fails its audit at event {}: {}; not restored",
            from.display(),
            report.first_bad_seq.unwrap_or(0),
            report.problem.unwrap_or_default()
        )));
    }
    if report.events == 0 && !allow_empty {
        return Err(Error::Storage(format!(
            "{} holds no events: restoring it would leave {} with none; not restored (--allow-empty if that is meant)",
            from.display(),
            db.display()
        )));
    }
    let _lock = JournalLock::acquire(db, LockMode::Sole)?;
    let mut dst = target(db)?;
    copy_all(&src, &mut dst, db)?;
    let restored = verify_conn(&dst)?;
    if !restored.ok || restored.events != report.events {
        return Err(Error::Storage(format!(
            "{} after the restore: {} events, {}",
            db.display(),
            restored.events,
            restored.problem.unwrap_or_else(|| format!("expected {}", report.events))
        )));
    }
    Ok(report)
}

/// Every page of `src` into `dst` in one step (nothing else writes either: the source is a
/// backup, the target is locked), retrying a reader's brief hold on the target for 10 s.
fn copy_all(src: &Connection, dst: &mut Connection, db: &Path) -> Result<(), Error> {
    let backup = Backup::new(src, dst).map_err(sql)?;
    for _ in 0..200 {
        match backup.step(-1).map_err(sql)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(Error::Storage(format!("{} stayed busy for 10 s: not restored", db.display())))
}

/// The restore's target: a new file, or an existing Tidewatch journal (or blank database);
/// anything else is refused untouched.
fn target(db: &Path) -> Result<Connection, Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(db, flags).map_err(|e| Error::Storage(format!("{}: {e}", db.display())))?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
    open::check(&conn, db).map_err(|e| match e {
        Error::Storage(m) => Error::Storage(format!("{m}; move it away to restore in its place")),
        e => e,
    })?;
    Ok(conn)
}
