//! IPC commands: each one is a one-line delegation to the core. The only error that crosses
//! IPC is `tidewatch::Error` (`{"kind": ..., "message": ...}`).

use tauri::State;
use tidewatch::map::MapView;

use crate::state::AppState;

#[tauri::command]
pub fn map_view(state: State<'_, AppState>) -> Result<MapView, tidewatch::Error> {
    Ok(tidewatch::map::map_view(&state.region))
}
