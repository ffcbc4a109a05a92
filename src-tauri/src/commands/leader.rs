//! The patrol leader's shift-planning screen: demand curves, the background plan with its
//! progress events, this session's rosters, exports. On a seat of the command centre too:
//! the plan and the what-if run in this process either way (`LeaderApi`).

use std::path::PathBuf;

use chrono::Utc;
use tauri::{AppHandle, Emitter, Manager, State};
use tidewatch_plan::roster::job::PlanStatus;
use tidewatch_workstation::leader::{
    DemandRequest, DemandView, ExportedFiles, PlanRequest, PlanState, ReachCompareRequest, ReachComparison, ReachRequest, RosterSummary,
    RosterView, WhatIf, WhatIfRequest,
};

use super::desk;
use crate::state::AppState;

/// The event a running plan's progress (and, last, its end) is sent on.
pub const PLAN_EVENT: &str = "roster-plan";

/// Exports go to the downloads folder, else the desk's own `exports/` folder.
fn exports_dir(app: &AppHandle) -> Result<PathBuf, tidewatch_core::Error> {
    let path = app.path();
    path.download_dir()
        .or_else(|_| path.app_data_dir().map(|d| d.join("exports")))
        .map_err(|e| tidewatch_core::Error::Io(std::io::Error::other(e.to_string())))
}

#[tauri::command]
pub fn roster_demand(state: State<'_, AppState>, request: DemandRequest) -> Result<DemandView, tidewatch_core::Error> {
    desk(&state)?.roster_demand(&request)
}

#[tauri::command]
pub fn start_plan(app: AppHandle, state: State<'_, AppState>, request: PlanRequest) -> Result<PlanStatus, tidewatch_core::Error> {
    desk(&state)?.start_plan(&request, Box::new(move |s| drop(app.emit(PLAN_EVENT, s))))
}

#[tauri::command]
pub fn stop_plan(state: State<'_, AppState>) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.stop_plan()
}

/// Polled while a plan runs: not the operator's activity.
#[tauri::command]
pub fn plan_status(state: State<'_, AppState>) -> Result<PlanState, tidewatch_core::Error> {
    desk(&state)?.plan_status()
}

#[tauri::command]
pub fn session_rosters(state: State<'_, AppState>) -> Result<Vec<RosterSummary>, tidewatch_core::Error> {
    desk(&state)?.session_rosters()
}

#[tauri::command]
pub fn roster_view(state: State<'_, AppState>, id: u32) -> Result<RosterView, tidewatch_core::Error> {
    desk(&state)?.roster_view(id)
}

#[tauri::command]
pub fn export_roster(app: AppHandle, state: State<'_, AppState>, id: u32) -> Result<ExportedFiles, tidewatch_core::Error> {
    desk(&state)?.export_roster(id, &exports_dir(&app)?, Utc::now())
}

#[tauri::command]
pub fn publish_roster(state: State<'_, AppState>, id: u32) -> Result<RosterSummary, tidewatch_core::Error> {
    desk(&state)?.publish_session_roster(id, Utc::now())
}

#[tauri::command]
pub fn what_if(state: State<'_, AppState>, request: WhatIfRequest) -> Result<WhatIf, tidewatch_core::Error> {
    desk(&state)?.what_if(&request)
}

/// The reach view: every inhabited island by its best police ETA (issue #16).
#[tauri::command]
pub fn reach(
    state: State<'_, AppState>,
    request: ReachRequest,
) -> Result<Vec<tidewatch_core::dispatch::IslandReach>, tidewatch_core::Error> {
    desk(&state)?.reach(&request)
}

/// The reach view under a baseline and a what-if scenario, the islands that change band.
#[tauri::command]
pub fn reach_compare(state: State<'_, AppState>, request: ReachCompareRequest) -> Result<ReachComparison, tidewatch_core::Error> {
    desk(&state)?.reach_compare(&request)
}
