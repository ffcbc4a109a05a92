//! A few workstations on the PostgreSQL journal (`Workstation<PgJournal>`: the desk's own
//! rules and role checks over the shared store), shared by the requests. A request runs as
//! its operator ([`Journals::acting`]: `Workstation::act_as`, after the service checked the
//! token and its own idle timeout), with the conditions and thresholds re-read from the
//! journal when another desk or process moved its head.
//!
//! `PgJournal` is synchronous (it blocks on a runtime of its own, see `JournalStore`), so
//! every call runs on a blocking thread, never on the service's async workers. A handle is
//! taken, used and put back inside that blocking thread: it is never dropped on an async
//! worker (its `Drop` blocks), even when the client goes away mid-request.
//!
//! The region is the pack with the stored region edits laid over it (`region_edits.rs`):
//! when a newer version is installed, each handle takes it up the next time it is used.

use std::sync::{Arc, Mutex, RwLock};

use tidewatch_core::region::Region;
use tidewatch_core::time::Clock;
use tidewatch_core::Error;
use tidewatch_journal::JournalStore;
use tidewatch_journal_pg::PgJournal;
use tidewatch_workstation::accounts::Session;
use tidewatch_workstation::desk::Desk;
use tidewatch_workstation::Workstation;
use tokio::sync::Semaphore;

pub struct Journals {
    url: String,
    /// The region edits' version (0: the pack as it is) and the region it makes.
    region: RwLock<(i64, Arc<Region>)>,
    clock: Clock,
    /// Each with the version of the region it routes on.
    idle: Mutex<Vec<(i64, Workstation<PgJournal>)>>,
    /// At most this many calls at once (one handle each).
    permits: Semaphore,
}

impl Journals {
    /// `handles` handles on the journal at `url`; connecting runs the journal's migrations.
    /// Blocking: call it from a blocking thread.
    pub fn connect(url: &str, handles: usize, region: Region, clock: Clock) -> Result<Journals, Error> {
        let mut me = Journals {
            url: url.to_string(),
            region: RwLock::new((0, Arc::new(region))),
            clock,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(handles.max(1)),
        };
        // Handles of one journal (`open_again`), so appends arriving together share a commit.
        let first = PgJournal::connect(url)?;
        let mut stores = (1..handles.max(1)).map(|_| first.open_again()).collect::<Result<Vec<_>, _>>()?;
        stores.push(first);
        let region = me.region();
        let desks = stores
            .into_iter()
            .map(|s| Ok((0, Workstation::new(Desk::with_store(Region::clone(&region), s, me.clock.clone())?))))
            .collect::<Result<Vec<_>, Error>>()?;
        *me.idle.get_mut().unwrap_or_else(|p| p.into_inner()) = desks;
        Ok(me)
    }

    /// A new workstation on the journal (the first runs the journal's migrations).
    fn open(&self) -> Result<(i64, Workstation<PgJournal>), Error> {
        let (version, region) = self.current();
        Ok((version, Workstation::new(Desk::with_store(Region::clone(&region), PgJournal::connect(&self.url)?, self.clock.clone())?)))
    }

    /// The region as the newest installed edits make it.
    pub fn region(&self) -> Arc<Region> {
        self.current().1
    }

    /// The installed version of the region edits and its region.
    pub fn current(&self) -> (i64, Arc<Region>) {
        let r = self.region.read().unwrap_or_else(|p| p.into_inner());
        (r.0, Arc::clone(&r.1))
    }

    /// Makes `region` (the edits up to `version`) the one every handle routes on; an older
    /// version than the installed one is ignored (two refreshes finishing out of order).
    pub fn install(&self, version: i64, region: Region) {
        let mut r = self.region.write().unwrap_or_else(|p| p.into_inner());
        if version > r.0 {
            *r = (version, Arc::new(region));
        }
    }

    /// Runs `f` as `operator` (signed in at the service), on a blocking thread: the
    /// workstation acts for them for this call only.
    pub async fn acting<R: Send + 'static>(
        self: &Arc<Self>,
        operator: &Session,
        f: impl FnOnce(&mut Workstation<PgJournal>) -> Result<R, Error> + Send + 'static,
    ) -> Result<R, Error> {
        let operator = operator.clone();
        self.with(move |w| {
            let now = w.desk().now();
            w.act_as(operator, now);
            let result = w.reload_settings().and_then(|_| f(w));
            w.logout();
            result
        })
        .await
    }

    /// Runs `f` on a handle, on a blocking thread, as nobody (reads, sign-in).
    pub async fn with<R: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Workstation<PgJournal>) -> Result<R, Error> + Send + 'static,
    ) -> Result<R, Error> {
        let _permit = self.permits.acquire().await.map_err(|_| Error::Storage("the service is stopping".into()))?;
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let (version, mut workstation) = me.take()?;
            let result = f(&mut workstation);
            // Nobody stays signed in on a handle between calls, even when `f` left someone.
            workstation.logout();
            me.put_back(version, workstation);
            result
        })
        .await
        .map_err(|e| Error::Storage(format!("a journal call failed: {e}")))?
    }

    /// An idle handle on the newest installed region, or a new one where one was lost (a
    /// call that panicked).
    fn take(&self) -> Result<(i64, Workstation<PgJournal>), Error> {
        let idle = self.idle.lock().map_err(|_| Error::Storage("journal handles poisoned".into()))?.pop();
        let Some((version, mut workstation)) = idle else { return self.open() };
        let (newest, region) = self.current();
        if newest != version {
            workstation.install_region(Region::clone(&region));
        }
        Ok((newest, workstation))
    }

    fn put_back(&self, version: i64, workstation: Workstation<PgJournal>) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push((version, workstation));
        }
    }
}

impl Drop for Journals {
    /// The handles close their connections on a thread of their own (their `Drop` blocks,
    /// which must not happen on an async worker).
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}
