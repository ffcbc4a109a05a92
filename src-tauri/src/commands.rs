//! IPC commands: each one is a one-line delegation to the core. The only error that crosses
//! IPC is `tidewatch::Error` (`{"kind": ..., "message": ...}`).
//!
//! Every desk action is journaled as operator "desk": accounts and login come later, and
//! will then pass the signed-in operator here instead.

use chrono::Utc;
use tauri::State;
use tidewatch::dispatch::{Board, Desk, Intake, Recommendation, Thresholds};
use tidewatch::ids::UnitId;
use tidewatch::map::MapView;
use tidewatch::region::{IncidentType, Place};
use tidewatch::route::Conditions;
use tidewatch::store::{Ack, CallSource, Event};

use crate::state::AppState;

/// The operator every action is journaled under until accounts exist (see module doc).
const OPERATOR: &str = "desk";

/// The desk, locked for one call. A poisoned lock (a panic in an earlier call) is reported.
fn desk<'a>(state: &'a State<'_, AppState>) -> Result<std::sync::MutexGuard<'a, Desk>, tidewatch::Error> {
    state.desk.lock().map_err(|_| tidewatch::Error::Storage("the desk lock is poisoned".into()))
}

/// The intake form as the UI sends it (`Intake` itself is not deserialisable).
#[derive(serde::Deserialize)]
pub struct IntakeArgs {
    pub incident_type: String,
    pub priority: Option<u8>,
    pub lon: f64,
    pub lat: f64,
    pub source: CallSource,
    #[serde(default)]
    pub text: String,
}

#[tauri::command]
pub fn map_view(state: State<'_, AppState>) -> Result<MapView, tidewatch::Error> {
    Ok(tidewatch::map::map_view(&state.region))
}

#[tauri::command]
pub fn search_places(state: State<'_, AppState>, query: String, limit: usize) -> Result<Vec<Place>, tidewatch::Error> {
    Ok(state.region.search_places(&query, limit).into_iter().cloned().collect())
}

#[tauri::command]
pub fn incident_types(state: State<'_, AppState>) -> Result<Vec<IncidentType>, tidewatch::Error> {
    Ok(state.region.incident_types.clone())
}

#[tauri::command]
pub fn receive_incident(state: State<'_, AppState>, intake: IntakeArgs) -> Result<i64, tidewatch::Error> {
    desk(&state)?.receive(
        OPERATOR,
        Utc::now(),
        &Intake {
            incident_type: intake.incident_type,
            priority: intake.priority,
            lon: intake.lon,
            lat: intake.lat,
            source: intake.source,
            text: intake.text,
        },
    )
}

#[tauri::command]
pub fn recommend(state: State<'_, AppState>, id: i64, conditions: Option<Conditions>) -> Result<Recommendation, tidewatch::Error> {
    desk(&state)?.recommend(id, Utc::now(), &conditions.unwrap_or_default())
}

#[tauri::command]
pub fn assign(
    state: State<'_, AppState>,
    id: i64,
    unit: String,
    override_reason: Option<String>,
    conditions: Option<Conditions>,
) -> Result<Ack, tidewatch::Error> {
    desk(&state)?.dispatch(OPERATOR, Utc::now(), id, &UnitId(unit), &conditions.unwrap_or_default(), override_reason.as_deref(), None)
}

#[tauri::command]
pub fn en_route(state: State<'_, AppState>, id: i64) -> Result<Ack, tidewatch::Error> {
    desk(&state)?.en_route(OPERATOR, Utc::now(), id)
}

#[tauri::command]
pub fn on_scene(state: State<'_, AppState>, id: i64) -> Result<Ack, tidewatch::Error> {
    desk(&state)?.on_scene(OPERATOR, Utc::now(), id)
}

#[tauri::command]
pub fn clear_incident(state: State<'_, AppState>, id: i64, outcome: String) -> Result<Ack, tidewatch::Error> {
    desk(&state)?.clear(OPERATOR, Utc::now(), id, &outcome)
}

#[tauri::command]
pub fn cancel_incident(state: State<'_, AppState>, id: i64, reason: String) -> Result<Ack, tidewatch::Error> {
    desk(&state)?.cancel(OPERATOR, Utc::now(), id, &reason)
}

#[tauri::command]
pub fn board(state: State<'_, AppState>) -> Result<Board, tidewatch::Error> {
    tidewatch::dispatch::board(&*desk(&state)?, Utc::now().timestamp(), &Thresholds::default())
}

#[tauri::command]
pub fn timeline(state: State<'_, AppState>, id: i64) -> Result<Vec<Event>, tidewatch::Error> {
    desk(&state)?.timeline(id)
}
