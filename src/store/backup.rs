//! Online backup (SQLite's backup API: consistent while the desk keeps writing) and
//! restore (only from a backup whose hash chain verifies).

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::audit::{verify_conn, AuditReport};
use crate::Error;

pub fn backup(db: &Path, out: &Path) -> Result<AuditReport, Error> {
    if !db.exists() {
        return Err(Error::Storage(format!("{} does not exist", db.display())));
    }
    if out.exists() {
        return Err(Error::Storage(format!("{} already exists: choose a new file for the backup", out.display())));
    }
    let src = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut dst = Connection::open(out)?;
    Backup::new(&src, &mut dst)?.run_to_completion(256, Duration::from_millis(0), None)?;
    verify_conn(&dst)
}

/// Copies `from` (a backup) over the journal at `db`, after checking the backup's chain.
pub fn restore(from: &Path, db: &Path) -> Result<AuditReport, Error> {
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::Storage(format!("{}: {e}", from.display())))?;
    let report = verify_conn(&src)?;
    if !report.ok {
        return Err(Error::Storage(format!(
            "{} fails its audit at event {}: {}; not restored",
            from.display(),
            report.first_bad_seq.unwrap_or(0),
            report.problem.unwrap_or_default()
        )));
    }
    let mut dst = Connection::open(db)?;
    Backup::new(&src, &mut dst)?.run_to_completion(256, Duration::from_millis(0), None)?;
    Ok(report)
}
