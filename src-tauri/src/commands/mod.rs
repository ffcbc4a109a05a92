//! IPC commands: each one is a one-line delegation to the core's `Workstation`, which checks
//! the signed-in operator's role and journals under their name. The only error that crosses
//! IPC is `tidewatch_core::Error` (`{"kind": ..., "message": ...}`). One file per screen.

pub mod account;
pub mod dispatcher;
pub mod leader;
pub mod region_edit;
pub mod startup;
pub mod supervisor;

use std::sync::MutexGuard;

use tauri::State;
use tidewatch_workstation::Workstation;

use crate::state::AppState;

/// The workstation, locked for one call. A poisoned lock (a panic in an earlier call) is reported.
pub(crate) fn station<'a>(state: &'a State<'_, AppState>) -> Result<MutexGuard<'a, Workstation>, tidewatch_core::Error> {
    state.station().lock().map_err(|_| tidewatch_core::Error::Storage("the desk lock is poisoned".into()))
}
