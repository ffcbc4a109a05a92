//! Rankings from the crews' live positions: the service reads each unit's latest fix and
//! runs one desk action with them (a recommendation, a dispatch, a reassignment).

use tidewatch_core::dispatch::Live;

use super::Workstation;
use crate::desk::DeskStore;

impl<S: DeskStore> Workstation<S> {
    /// Runs `f` with `live` as the units' fixes, then forgets them, so a handle shared
    /// between requests never ranks from another request's positions.
    pub fn with_live<R>(&mut self, live: Live, f: impl FnOnce(&mut Self) -> R) -> R {
        self.desk.set_live(live);
        let out = f(self);
        self.desk.set_live(Live::default());
        out
    }
}
