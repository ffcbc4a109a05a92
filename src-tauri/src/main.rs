// Tidewatch desk: the Tauri 2 shell over the `tidewatch` core.
// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod rendering;
mod state;

use std::sync::Arc;

use tauri::{Emitter, Manager};

use state::{AppState, Mode};
use tidewatch_client::Live;

/// The UI's events from a seat on the service: a new seq (the board is fetched at once),
/// and the link to the service lost or back (the banner).
pub const JOURNAL_CHANGED: &str = "journal-changed";
pub const SERVICE_STATUS: &str = "service-status";
/// Crews' phones reported: the map re-reads the fixes.
pub const FIXES_CHANGED: &str = "fixes-changed";
/// A region edit was saved on the service (by any seat): the map re-reads the region.
pub const REGION_CHANGED: &str = "region-changed";

/// Passes the live thread's news to the window.
fn emit(app: &tauri::AppHandle, live: Live) {
    let _ = match live {
        Live::Seq(seq) => app.emit(JOURNAL_CHANGED, serde_json::json!({ "seq": seq })),
        Live::Fixes => app.emit(FIXES_CHANGED, ()),
        Live::Region(version) => app.emit(REGION_CHANGED, serde_json::json!({ "version": version })),
        Live::Status(status) => app.emit(SERVICE_STATUS, status),
        Live::Pinned(fingerprint) => {
            eprintln!("tidewatch: trusting the command centre's certificate SHA-256 {fingerprint} (first use; compare it with what `tidewatch serve` printed)");
            Ok(())
        }
    };
}

fn main() {
    let started = std::time::Instant::now();
    let compositing = rendering::configure();
    commands::startup::report_rendering(compositing);
    tauri::Builder::default()
        .setup(move |app| {
            let data_dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&data_dir)?;
            let dir = state::region_dir(
                std::env::var_os(state::REGION_ENV).map(Into::into),
                app.path().resource_dir().ok().as_deref(),
                Some(&data_dir),
            );
            let events = app.handle().clone();
            let mode = Mode::from_env(Arc::new(move |live| emit(&events, live)));
            app.manage(AppState::new(dir, data_dir, mode));
            // Load the pack and open the journal while the window and its web view start.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                handle.state::<AppState>().seat();
                commands::startup::setup_done(started);
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::account::sign_in_state,
            commands::account::create_first_administrator,
            commands::account::login,
            commands::account::logout,
            commands::account::still_here,
            commands::account::create_account,
            commands::dispatcher::map_view,
            commands::dispatcher::search_places,
            commands::dispatcher::incident_types,
            commands::dispatcher::set_conditions,
            commands::dispatcher::receive_incident,
            commands::dispatcher::recommend,
            commands::dispatcher::preview_recommendation,
            commands::dispatcher::assign,
            commands::dispatcher::assign_carried,
            commands::dispatcher::call_responder,
            commands::dispatcher::en_route,
            commands::dispatcher::on_scene,
            commands::dispatcher::boat_back,
            commands::dispatcher::clear_incident,
            commands::dispatcher::cancel_incident,
            commands::dispatcher::board,
            commands::dispatcher::timeline,
            commands::startup::startup_painted,
            commands::account::list_accounts,
            // dispatcher: conditions, incident detail
            commands::dispatcher::conditions,
            commands::dispatcher::reassign_options,
            commands::dispatcher::reassign,
            commands::dispatcher::reassign_carried,
            commands::dispatcher::add_note,
            commands::account::set_account_disabled,
            commands::account::reset_password,
            commands::account::desk_sessions,
            commands::account::refused_sign_ins,
            commands::leader::roster_demand,
            commands::leader::start_plan,
            commands::leader::stop_plan,
            commands::leader::plan_status,
            commands::leader::session_rosters,
            commands::leader::roster_view,
            commands::leader::export_roster,
            commands::leader::publish_roster,
            commands::leader::what_if,
            commands::leader::reach,
            commands::leader::reach_compare,
            commands::region_edit::region_editor,
            commands::region_edit::edit_region,
            commands::supervisor::export_folder,
            commands::supervisor::supervisor_dashboard,
            commands::supervisor::export_report,
            commands::supervisor::export_journal,
            commands::supervisor::audit_journal,
            commands::supervisor::board_thresholds,
            commands::supervisor::set_board_thresholds,
            commands::tips::tips_queue,
            commands::tips::tip_photo,
            commands::tips::tip_to_incident,
            commands::tips::tip_pass_on,
            commands::tips::tip_close,
            commands::tips::tip_kpis,
            commands::tips::unit_fixes,
            commands::tips::unit_track,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Tidewatch desk");
}
