//! The supervisor's screen: dashboard, exports, audit. Exports go to the user's download
//! directory when there is one, else to `exports/` in the app-data directory. The heavier
//! commands are `async` so that Tauri runs them off the window's main thread: a year's
//! dashboard or a whole-journal export does not freeze the window meanwhile.

use std::path::PathBuf;

use chrono::Utc;
use tauri::{AppHandle, Manager, Runtime, State};
use tidewatch_core::dispatch::Thresholds;
use tidewatch_journal::AuditReport;
use tidewatch_report::Dashboard;
use tidewatch_workstation::{BoardThresholdsView, ExportedFile, ReportFormat, ReportQuery};

use super::desk;
use crate::state::AppState;

/// Where exports are written: the download directory if it exists, else app-data `exports/`.
fn export_dir<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, tidewatch_core::Error> {
    match app.path().download_dir() {
        Ok(dir) if dir.is_dir() => Ok(dir),
        _ => app
            .path()
            .app_data_dir()
            .map(|d| d.join("exports"))
            .map_err(|e| tidewatch_core::Error::Storage(format!("no app-data directory: {e}"))),
    }
}

#[tauri::command]
pub fn export_folder(app: AppHandle) -> Result<String, tidewatch_core::Error> {
    export_dir(&app).map(|d| d.display().to_string())
}

#[tauri::command]
pub async fn supervisor_dashboard(state: State<'_, AppState>, query: ReportQuery) -> Result<Dashboard, tidewatch_core::Error> {
    desk(&state)?.supervisor_dashboard(Utc::now(), &query)
}

#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    query: ReportQuery,
    by: Vec<String>,
    format: ReportFormat,
) -> Result<ExportedFile, tidewatch_core::Error> {
    desk(&state)?.export_report(Utc::now(), &query, &by, format, &export_dir(&app)?)
}

#[tauri::command]
pub async fn export_journal(app: AppHandle, state: State<'_, AppState>) -> Result<ExportedFile, tidewatch_core::Error> {
    desk(&state)?.export_journal(Utc::now(), &export_dir(&app)?)
}

#[tauri::command]
pub async fn audit_journal(state: State<'_, AppState>) -> Result<AuditReport, tidewatch_core::Error> {
    desk(&state)?.audit_journal()
}

// ---- the status board's thresholds: anyone signed in reads them, supervisors set them

#[tauri::command]
pub fn board_thresholds(state: State<'_, AppState>) -> Result<BoardThresholdsView, tidewatch_core::Error> {
    desk(&state)?.board_thresholds()
}

#[tauri::command]
pub fn set_board_thresholds(state: State<'_, AppState>, thresholds: Thresholds) -> Result<BoardThresholdsView, tidewatch_core::Error> {
    desk(&state)?.set_board_thresholds(Utc::now(), thresholds)
}
