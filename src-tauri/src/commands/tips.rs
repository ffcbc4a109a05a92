//! Citizens' tips and crews' positions: what only a seat on the command-centre service
//! has. A desk on its own journal answers the tips' calls with `service_unavailable`
//! saying where tips arrive (the panel says so without asking), and no positions.

use tauri::State;
use tidewatch_core::ids::UnitId;
use tidewatch_journal::PoliceLine;
use tidewatch_workstation::tips::{QueuedTip, TipIncident, TipKpis, TipPhoto, TipStep};
use tidewatch_workstation::{MapFix, Track};

use super::desk;
use crate::state::AppState;

/// Re-read on every journal change and every few seconds: not the operator's activity.
#[tauri::command]
pub fn tips_queue(state: State<'_, AppState>, closed_since: Option<i64>) -> Result<Vec<QueuedTip>, tidewatch_core::Error> {
    desk(&state)?.tips_queue(closed_since)
}

#[tauri::command]
pub fn tip_photo(state: State<'_, AppState>, id: i64) -> Result<TipPhoto, tidewatch_core::Error> {
    desk(&state)?.tip_photo(id)
}

#[tauri::command]
pub fn tip_to_incident(state: State<'_, AppState>, id: i64, ask: TipIncident) -> Result<TipStep, tidewatch_core::Error> {
    desk(&state)?.tip_to_incident(id, &ask)
}

#[tauri::command]
pub fn tip_pass_on(state: State<'_, AppState>, id: i64, to: PoliceLine, note: String) -> Result<TipStep, tidewatch_core::Error> {
    desk(&state)?.tip_pass_on(id, to, &note)
}

#[tauri::command]
pub fn tip_close(state: State<'_, AppState>, id: i64, reply: String) -> Result<TipStep, tidewatch_core::Error> {
    desk(&state)?.tip_close(id, &reply)
}

#[tauri::command]
pub fn tip_kpis(state: State<'_, AppState>, from: i64, to: i64) -> Result<TipKpis, tidewatch_core::Error> {
    desk(&state)?.tip_kpis(from, to)
}

/// Polled every few seconds by the map on a seat on the service.
#[tauri::command]
pub fn unit_fixes(state: State<'_, AppState>) -> Result<Vec<MapFix>, tidewatch_core::Error> {
    desk(&state)?.unit_fixes()
}

/// A unit's track with its incidents (the supervisor's replay; a seat on the service).
#[tauri::command]
pub fn unit_track(state: State<'_, AppState>, unit: UnitId, from: i64, to: i64) -> Result<Track, tidewatch_core::Error> {
    desk(&state)?.unit_track(&unit, from, to)
}
