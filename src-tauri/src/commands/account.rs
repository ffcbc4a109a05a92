//! Sign-in, first start and accounts.

use chrono::Utc;
use tauri::State;
use tidewatch::accounts::{Role, Session};
use tidewatch::store::AccountRow;
use tidewatch::workstation::SignIn;

use super::station;
use crate::state::AppState;

#[tauri::command]
pub fn sign_in_state(state: State<'_, AppState>) -> Result<SignIn, tidewatch::Error> {
    station(&state)?.sign_in_state()
}

#[tauri::command]
pub fn create_first_administrator(state: State<'_, AppState>, username: String, password: String) -> Result<Session, tidewatch::Error> {
    station(&state)?.create_first_administrator(&username, &password, Utc::now().timestamp())
}

#[tauri::command]
pub fn login(state: State<'_, AppState>, username: String, password: String) -> Result<Session, tidewatch::Error> {
    station(&state)?.login(&username, &password)
}

#[tauri::command]
pub fn logout(state: State<'_, AppState>) -> Result<(), tidewatch::Error> {
    station(&state).map(|mut s| s.logout())
}

#[tauri::command]
pub fn create_account(state: State<'_, AppState>, username: String, role: Role, password: String) -> Result<(), tidewatch::Error> {
    station(&state)?.create_account(&username, role, &password, Utc::now().timestamp())
}

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountRow>, tidewatch::Error> {
    station(&state)?.accounts()
}
