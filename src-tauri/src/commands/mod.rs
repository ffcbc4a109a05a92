//! IPC commands: each one is a one-line delegation to the desk's API (`DeskApi`: the local
//! `Workstation`, or a seat on the command-centre service), which checks the signed-in
//! operator's role and journals under their name. The only error that crosses IPC is
//! `tidewatch_core::Error` (`{"kind": ..., "message": ...}`). One file per screen.

pub mod account;
pub mod dispatcher;
pub mod leader;
pub mod region_edit;
pub mod startup;
pub mod supervisor;
pub mod tips;

use std::ops::{Deref, DerefMut};
use std::sync::MutexGuard;

use tauri::State;
use tidewatch_core::Error;
use tidewatch_workstation::DeskApi;

use crate::state::{AppState, Seat};

/// The desk's API, locked for one call.
pub(crate) struct Desk<'a>(MutexGuard<'a, Seat>);

impl Deref for Desk<'_> {
    type Target = dyn DeskApi;

    fn deref(&self) -> &(dyn DeskApi + 'static) {
        match &*self.0 {
            Seat::Local(w) => &**w,
            Seat::Remote(r) => &**r,
        }
    }
}

impl DerefMut for Desk<'_> {
    fn deref_mut(&mut self) -> &mut (dyn DeskApi + 'static) {
        match &mut *self.0 {
            Seat::Local(w) => &mut **w,
            Seat::Remote(r) => &mut **r,
        }
    }
}

fn lock<'a>(state: &'a State<'_, AppState>) -> Result<MutexGuard<'a, Seat>, Error> {
    state.seat().lock().map_err(|_| Error::Storage("the desk lock is poisoned".into()))
}

/// The desk, locked for one call. A poisoned lock (a panic in an earlier call) is reported.
pub(crate) fn desk<'a>(state: &'a State<'_, AppState>) -> Result<Desk<'a>, Error> {
    lock(state).map(Desk)
}
