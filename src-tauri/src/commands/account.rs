//! Sign-in, first start and accounts.

use chrono::Utc;
use tauri::State;
use tidewatch_journal::{AccountRow, SignOutReason};
use tidewatch_workstation::accounts::{DeskSession, RefusedSignIn, Role, Session};
use tidewatch_workstation::SignIn;

use super::desk;
use crate::state::AppState;

#[tauri::command]
pub fn sign_in_state(state: State<'_, AppState>) -> Result<SignIn, tidewatch_core::Error> {
    desk(&state)?.sign_in_state()
}

#[tauri::command]
pub fn create_first_administrator(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<Session, tidewatch_core::Error> {
    desk(&state)?.create_first_administrator(&username, &password, Utc::now().timestamp())
}

#[tauri::command]
pub fn login(state: State<'_, AppState>, username: String, password: String) -> Result<Session, tidewatch_core::Error> {
    desk(&state)?.login(&username, &password)
}

/// Signs out (journaled); `reason` is `idle` when the UI's idle lock signs the operator out.
#[tauri::command]
pub fn logout(state: State<'_, AppState>, reason: Option<SignOutReason>) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.sign_out(reason.unwrap_or(SignOutReason::SignedOut), Utc::now().timestamp())
}

/// The UI saw a key, click or wheel that called nothing else: the operator is still at the
/// desk (the core's idle timeout starts again). Never revives a lapsed session.
#[tauri::command]
pub fn still_here(state: State<'_, AppState>) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.still_here()
}

#[tauri::command]
pub fn create_account(state: State<'_, AppState>, username: String, role: Role, password: String) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.create_account(&username, role, &password, Utc::now().timestamp())
}

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountRow>, tidewatch_core::Error> {
    desk(&state)?.accounts()
}

#[tauri::command]
pub fn set_account_disabled(state: State<'_, AppState>, username: String, disabled: bool) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.set_account_disabled(&username, disabled, Utc::now().timestamp())
}

#[tauri::command]
pub fn reset_password(state: State<'_, AppState>, username: String, password: String) -> Result<(), tidewatch_core::Error> {
    desk(&state)?.reset_password(&username, &password, Utc::now().timestamp())
}

#[tauri::command]
pub fn desk_sessions(state: State<'_, AppState>, from_utc: i64, to_utc: i64) -> Result<Vec<DeskSession>, tidewatch_core::Error> {
    desk(&state)?.desk_sessions(from_utc, to_utc)
}

#[tauri::command]
pub fn refused_sign_ins(state: State<'_, AppState>, from_utc: i64, to_utc: i64) -> Result<Vec<RefusedSignIn>, tidewatch_core::Error> {
    desk(&state)?.refused_sign_ins(from_utc, to_utc)
}
