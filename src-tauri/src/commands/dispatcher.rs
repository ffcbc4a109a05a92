//! The dispatcher's screen: map, gazetteer, intake, recommendation, assignment, board.

use chrono::Utc;
use tauri::State;
use tidewatch_core::dispatch::{Board, Recommendation};
use tidewatch_core::ids::{IncidentId, UnitId};
use tidewatch_core::map::MapView;
use tidewatch_core::region::{IncidentType, Place};
use tidewatch_core::route::Conditions;
use tidewatch_journal::{Ack, CallSource, Event};
use tidewatch_workstation::desk::Intake;
use tidewatch_workstation::{ConditionsView, PreviewQuery, ReassignOption};

use super::desk;
use crate::state::AppState;

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

impl From<IntakeArgs> for Intake {
    fn from(a: IntakeArgs) -> Intake {
        Intake { incident_type: a.incident_type, priority: a.priority, lon: a.lon, lat: a.lat, source: a.source, text: a.text }
    }
}

#[tauri::command]
pub fn map_view(state: State<'_, AppState>) -> Result<MapView, tidewatch_core::Error> {
    let mut d = desk(&state)?;
    // A seat takes up region edits saved on the service; offline (or before sign-in) it
    // draws the region it last had.
    let _ = d.reread_region();
    Ok(tidewatch_core::map::map_view(d.region()))
}

#[tauri::command]
pub fn search_places(state: State<'_, AppState>, query: String, limit: usize) -> Result<Vec<Place>, tidewatch_core::Error> {
    Ok(desk(&state)?.region().search_places(&query, limit).into_iter().cloned().collect())
}

#[tauri::command]
pub fn incident_types(state: State<'_, AppState>) -> Result<Vec<IncidentType>, tidewatch_core::Error> {
    Ok(desk(&state)?.region().incident_types.clone())
}

#[tauri::command]
pub fn set_conditions(state: State<'_, AppState>, conditions: Conditions) -> Result<ConditionsView, tidewatch_core::Error> {
    desk(&state)?.set_conditions(Utc::now(), conditions)
}

#[tauri::command]
pub fn receive_incident(state: State<'_, AppState>, intake: IntakeArgs) -> Result<IncidentId, tidewatch_core::Error> {
    desk(&state)?.receive(Utc::now(), &intake.into())
}

#[tauri::command]
pub fn recommend(state: State<'_, AppState>, id: IncidentId) -> Result<Recommendation, tidewatch_core::Error> {
    desk(&state)?.recommend(Utc::now(), id)
}

#[tauri::command]
pub fn preview_recommendation(state: State<'_, AppState>, query: PreviewQuery) -> Result<Recommendation, tidewatch_core::Error> {
    desk(&state)?.preview(Utc::now(), &query)
}

#[tauri::command]
pub fn assign(
    state: State<'_, AppState>,
    id: IncidentId,
    unit: String,
    override_reason: Option<String>,
    reassign_reason: Option<String>,
) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.assign(Utc::now(), id, &UnitId(unit), override_reason.as_deref(), reassign_reason.as_deref())
}

/// A carried row: the crew and the police boat that carries it, both sent.
#[tauri::command]
pub fn assign_carried(
    state: State<'_, AppState>,
    id: IncidentId,
    unit: String,
    carrier: String,
    override_reason: Option<String>,
) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.assign_carried(Utc::now(), id, &UnitId(unit), &UnitId(carrier), override_reason.as_deref())
}

/// A call to one of the island's community responders, journaled on the incident.
#[tauri::command]
pub fn call_responder(state: State<'_, AppState>, id: IncidentId, responder: String) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.call_responder(Utc::now(), id, &responder)
}

#[tauri::command]
pub fn en_route(state: State<'_, AppState>, id: IncidentId) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.en_route(Utc::now(), id)
}

#[tauri::command]
pub fn on_scene(state: State<'_, AppState>, id: IncidentId) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.on_scene(Utc::now(), id)
}

/// The boat carrying the incident's crew is back at its base (its phone did not say so).
#[tauri::command]
pub fn boat_back(state: State<'_, AppState>, id: IncidentId) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.boat_back(Utc::now(), id)
}

#[tauri::command]
pub fn clear_incident(state: State<'_, AppState>, id: IncidentId, outcome: String) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.clear(Utc::now(), id, &outcome)
}

#[tauri::command]
pub fn cancel_incident(state: State<'_, AppState>, id: IncidentId, reason: String) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.cancel(Utc::now(), id, &reason)
}

/// Polled every second: not the operator's activity (the core's idle timeout runs on).
#[tauri::command]
pub fn board(state: State<'_, AppState>) -> Result<Board, tidewatch_core::Error> {
    desk(&state)?.board(Utc::now())
}

#[tauri::command]
pub fn timeline(state: State<'_, AppState>, id: IncidentId) -> Result<Vec<Event>, tidewatch_core::Error> {
    desk(&state)?.timeline(id)
}

// ---- conditions, incident detail (reassign, note)

/// Polled by the conditions bar: not the operator's activity.
#[tauri::command]
pub fn conditions(state: State<'_, AppState>) -> Result<ConditionsView, tidewatch_core::Error> {
    desk(&state)?.conditions_view()
}

#[tauri::command]
pub fn reassign_options(state: State<'_, AppState>, id: IncidentId) -> Result<Vec<ReassignOption>, tidewatch_core::Error> {
    desk(&state)?.reassign_options(Utc::now(), id)
}

#[tauri::command]
pub fn reassign(state: State<'_, AppState>, id: IncidentId, unit: String, reason: String) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.reassign(Utc::now(), id, &UnitId(unit), &reason)
}

/// A carried reassign option: `unit`'s crew carried by the police boat `carrier`.
#[tauri::command]
pub fn reassign_carried(
    state: State<'_, AppState>,
    id: IncidentId,
    unit: String,
    carrier: String,
    reason: String,
) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.reassign_carried(Utc::now(), id, &UnitId(unit), &UnitId(carrier), &reason)
}

#[tauri::command]
pub fn add_note(state: State<'_, AppState>, id: IncidentId, text: String) -> Result<Ack, tidewatch_core::Error> {
    desk(&state)?.note(Utc::now(), id, &text)
}
