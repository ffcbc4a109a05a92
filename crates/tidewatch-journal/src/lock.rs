//! The journal's process lock: one process at a time may write a journal file.
//!
//! A writer (the desk, `demo seed`, `journal import`, `restore`) holds an exclusive
//! `flock` on `<journal>-lock` beside the database for as long as it has the journal open,
//! and writes its pid and command line into it, so whoever is refused can say who holds it.
//! The kernel releases the lock when the process ends, however it ends; the file itself is
//! left in place (deleting it could let two processes lock two different files).
//!
//! Within one process, the handles on one journal share the lock (the store reads the
//! chain head inside each write transaction, so they cannot fork the chain); only
//! [`LockMode::Sole`] (restore) refuses a journal this process already has open.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tidewatch_core::Error;

/// The lock file of the journal at `db`: `<db>-lock`, beside it.
pub(crate) fn lock_path(db: &Path) -> PathBuf {
    super::open::sibling(db, "-lock")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockMode {
    /// A writer: shares the lock with other handles of this process.
    Writer,
    /// Restore: refuses unless no handle of any process, this one included, has it.
    Sole,
}

/// Held for as long as a journal is open for writing; dropping the last handle of this
/// process on a journal releases the file lock.
#[derive(Debug)]
pub(crate) struct JournalLock {
    key: PathBuf,
}

/// The lock files this process holds, by canonical journal path, with how many handles
/// share each (the open file is the lock: closing it releases the flock).
type Held = Mutex<HashMap<PathBuf, (File, usize)>>;

/// Taking and releasing go through this one mutex, so a release never races a take.
fn held() -> &'static Held {
    static HELD: std::sync::OnceLock<Held> = std::sync::OnceLock::new();
    HELD.get_or_init(Default::default)
}

impl JournalLock {
    /// Takes the lock of the journal at `db` (which need not exist yet; its folder must).
    /// Waits at most a second: a journal held elsewhere is then refused, naming the holder.
    pub(crate) fn acquire(db: &Path, mode: LockMode) -> Result<JournalLock, Error> {
        let key = canonical(db)?;
        if key.is_dir() {
            return Err(Error::Storage(format!("{} is a folder: give the journal's file", db.display())));
        }
        let mut map = held().lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, count)) = map.get_mut(&key) {
            if mode == LockMode::Sole {
                return Err(Error::Storage(format!("{} is open in this process; close it first", db.display())));
            }
            *count += 1;
            return Ok(JournalLock { key });
        }
        let path = lock_path(&key);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::Storage(format!("cannot open the lock file {}: {e}", path.display())))?;
        try_lock_briefly(&file).map_err(|e| match e {
            TryLockError::WouldBlock => in_use(db, &path),
            TryLockError::Error(e) => Error::Storage(format!("cannot lock {}: {e}", path.display())),
        })?;
        // Ours now: say who we are (a failure here only loses the note, not the lock).
        let _ = file.set_len(0).and_then(|_| file.write_all(holder_note().as_bytes())).and_then(|_| file.flush());
        map.insert(key.clone(), (file, 1));
        Ok(JournalLock { key })
    }
}

impl Drop for JournalLock {
    fn drop(&mut self) {
        let mut map = held().lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, count)) = map.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                // Closing the file releases the flock.
                map.remove(&self.key);
            }
        }
    }
}

/// Tries the flock for up to a second before giving up. A lock just released can still be
/// held for a moment by a child process between its fork and its exec (the descriptor is
/// close-on-exec, but the open file is shared until then), and a command that is just
/// finishing should not make the next one fail.
fn try_lock_briefly(file: &File) -> Result<(), TryLockError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn holder_note() -> String {
    let args: Vec<String> = std::env::args().collect();
    format!("pid {}: {}\n", std::process::id(), args.join(" "))
}

fn in_use(db: &Path, lock: &Path) -> Error {
    let mut note = String::new();
    let _ = File::open(lock).and_then(|mut f| f.read_to_string(&mut note));
    let who = match note.trim() {
        "" => "another process".to_string(),
        n => format!("another process ({n})"),
    };
    Error::Storage(format!(
        "{} is in use by {who}: close that desk or let that command finish first (lock file {})",
        db.display(),
        lock.display()
    ))
}

/// One name per journal whatever path reached it (`./a.db`, `dir/../a.db`, a symlink), so
/// two handles of this process on one file share one lock.
fn canonical(db: &Path) -> Result<PathBuf, Error> {
    if let Ok(p) = db.canonicalize() {
        return Ok(p);
    }
    let name = db.file_name().ok_or_else(|| Error::Storage(format!("{} names no file", db.display())))?;
    let parent = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = parent.canonicalize().map_err(|e| Error::Storage(format!("{}: {e}", parent.display())))?;
    Ok(dir.join(name))
}
