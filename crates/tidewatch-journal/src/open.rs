//! Opening a journal file: telling a Tidewatch journal from anything else before touching
//! it, and read-only connections that never create or change a file (reports, audits,
//! exports and backups of evidence copies, also on read-only media).

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::migrations;
use tidewatch_core::Error;

/// `path` with `suffix` appended to its file name (SQLite's `-wal`, `-shm`, `-journal`;
/// our `-lock`).
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// What the file at a connection holds: `Ok(None)` a blank database (no tables yet),
/// `Ok(Some(version))` a Tidewatch journal this build can read. Anything else is refused
/// with what it is, so no command adds Tidewatch's schema to somebody else's database.
pub(crate) fn check(conn: &Connection, path: &Path) -> Result<Option<usize>, Error> {
    let (objects, events, version) = probe(conn).map_err(|e| probe_error(path, e))?;
    if version > migrations::latest() as i64 {
        return Err(newer(path, version));
    }
    match (objects, events, version) {
        (0, _, 0) => Ok(None),
        (_, true, v) if v >= 1 => Ok(Some(v as usize)),
        _ => Err(Error::Storage(format!("{}: not a Tidewatch journal (an SQLite database with other tables)", path.display()))),
    }
}

/// Schema objects, whether an `events` table exists, and `user_version`.
fn probe(conn: &Connection) -> rusqlite::Result<(i64, bool, i64)> {
    conn.query_row(
        "SELECT (SELECT COUNT(*) FROM sqlite_schema),
                (SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'events') > 0,
                (SELECT user_version FROM pragma_user_version)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

fn probe_error(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::Storage(format!("{}: not a Tidewatch journal (not an SQLite database)", path.display())),
        _ => Error::Storage(format!("{}: {e}", path.display())),
    }
}

/// The journal at `path`, opened read-only with no migrations: the file is never created
/// or changed. Refuses a missing file, anything that is not a Tidewatch journal, an empty
/// database and a journal from a newer version.
pub(crate) fn read_only(path: &Path) -> Result<Connection, Error> {
    match path.metadata() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::Storage(format!("no such journal: {}", path.display()))),
        Err(e) => return Err(Error::Storage(format!("{}: {e}", path.display()))),
        Ok(m) if !m.is_file() => return Err(Error::Storage(format!("{}: not a Tidewatch journal (not a file)", path.display()))),
        Ok(_) => {}
    }
    refuse_by_header(path)?;
    // No URI flag: the path is a path, whatever it starts with.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error::Storage(format!("{}: {e}", path.display())))?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db)?;
    let (conn, version) = match probe(&conn) {
        Err(e) if cannot_read_in_place(&e) => {
            drop(conn);
            let conn = immutable(path)?;
            let version = check(&conn, path)?;
            (conn, version)
        }
        _ => {
            let version = check(&conn, path)?;
            (conn, version)
        }
    };
    match version {
        Some(_) => Ok(conn),
        None => Err(Error::Storage(format!("{}: not a Tidewatch journal (an empty database)", path.display()))),
    }
}

/// Refuses, from the file's first 100 bytes alone, what is plainly not a journal this build
/// can read, before SQLite opens it (SQLite would make its `-wal` and `-shm` files beside a
/// WAL database). While a write-ahead log beside it holds data the header may be stale
/// (a new journal's schema can still be in the log), so only "newer" is decided then.
fn refuse_by_header(path: &Path) -> Result<(), Error> {
    let refuse = |what: &str| Err(Error::Storage(format!("{}: not a Tidewatch journal ({what})", path.display())));
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .and_then(|f| f.take(100).read_to_end(&mut header))
        .map_err(|e| Error::Storage(format!("{}: {e}", path.display())))?;
    if header.is_empty() {
        return refuse("an empty file");
    }
    if header.len() < 100 || !header.starts_with(b"SQLite format 3\0") {
        return refuse("not an SQLite database");
    }
    let version = u32::from_be_bytes([header[60], header[61], header[62], header[63]]) as usize;
    if version > migrations::latest() {
        return Err(newer(path, version as i64));
    }
    let logged = sibling(path, "-wal").metadata().is_ok_and(|m| m.len() > 0);
    if version == 0 && !logged {
        return refuse("an SQLite database without Tidewatch's schema");
    }
    Ok(())
}

fn newer(path: &Path, version: i64) -> Error {
    Error::Storage(format!(
        "{}: journal from a newer version of Tidewatch (schema {version}; this one knows up to {})",
        path.display(),
        migrations::latest()
    ))
}

/// A WAL journal whose folder this process may not write (read-only media, an evidence
/// copy): SQLite cannot make the shared-memory file a reader needs.
fn cannot_read_in_place(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen))
}

/// Opens `path` as an immutable file (SQLite takes no locks and reads no WAL). Only safe
/// when no write-ahead log holds events not yet in the file: refused if one does.
fn immutable(path: &Path) -> Result<Connection, Error> {
    let wal = sibling(path, "-wal");
    if wal.metadata().map(|m| m.len() > 0).unwrap_or(false) {
        return Err(Error::Storage(format!(
            "{}: cannot be read in place (its folder is read-only) and {} holds events not yet in it: copy both files to a writable folder and read the copy",
            path.display(),
            wal.display()
        )));
    }
    let uri = format!("file:{}?immutable=1", uri_path(path)?);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(&uri, flags).map_err(|e| Error::Storage(format!("{}: {e}", path.display())))
}

/// `path`, absolute and percent-encoded for an SQLite URI (`?`, `#`, `%` and spaces in
/// file names are legal on disk but not in a URI).
fn uri_path(path: &Path) -> Result<String, Error> {
    let abs = std::path::absolute(path)?;
    let mut out = String::new();
    for b in path_bytes(&abs) {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().replace('\\', "/").into_bytes()
}

/// A SQLite failure as the core's error (the orphan rule keeps `From` out of reach: the
/// error is the core's, the driver is this crate's).
pub(crate) fn db(e: rusqlite::Error) -> Error {
    Error::Storage(e.to_string())
}
