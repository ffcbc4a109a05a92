//! The region editor (administrators).

use chrono::Utc;
use tauri::State;
use tidewatch_core::region::edit::RegionEdit;
use tidewatch_workstation::{RegionEditorView, RegionSave};

use super::local;
use crate::state::AppState;

#[tauri::command]
pub fn region_editor(state: State<'_, AppState>) -> Result<RegionEditorView, tidewatch_core::Error> {
    local(&state, |w| w.region_editor())
}

#[tauri::command]
pub fn edit_region(state: State<'_, AppState>, edit: RegionEdit) -> Result<RegionSave, tidewatch_core::Error> {
    local(&state, |w| w.edit_region(Utc::now(), &edit))
}
