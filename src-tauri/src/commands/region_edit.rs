//! The region editor (administrators): the desk's own pack copy, or on a seat the edits
//! the service stores for every process.

use chrono::Utc;
use tauri::State;
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_workstation::{RegionEditorView, RegionSave};

use super::desk;
use crate::state::AppState;

#[tauri::command]
pub fn region_editor(state: State<'_, AppState>) -> Result<RegionEditorView, tidewatch_core::Error> {
    desk(&state)?.region_editor()
}

#[tauri::command]
pub fn edit_region(state: State<'_, AppState>, edit: RegionEdit) -> Result<RegionSave, tidewatch_core::Error> {
    desk(&state)?.edit_region(Utc::now(), &edit)
}
