// Tidewatch desk: the Tauri 2 shell over the `tidewatch` core.
// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use std::sync::Mutex;
use tauri::Manager;

use tidewatch::dispatch::Desk;
use tidewatch::region::Region;

use state::AppState;

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let dir = state::region_dir(std::env::var_os(state::REGION_ENV).map(Into::into), app.path().resource_dir().ok().as_deref());
            let region = match Region::load(&dir) {
                Ok(region) => region,
                Err(errors) => {
                    // A pack with errors is not loaded: say what and where, and stop.
                    eprintln!("tidewatch: cannot load the region pack {}:\n{}", dir.display(), tidewatch::Error::from(errors));
                    std::process::exit(2);
                }
            };
            let data_dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&data_dir)?;
            let db_path = data_dir.join("tidewatch.db");
            let desk = match Desk::open(region.clone(), &db_path) {
                Ok(desk) => desk,
                Err(e) => {
                    eprintln!("tidewatch: cannot open the journal {}: {e}", db_path.display());
                    std::process::exit(2);
                }
            };
            app.manage(AppState { region, desk: Mutex::new(desk) });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::map_view,
            commands::search_places,
            commands::incident_types,
            commands::receive_incident,
            commands::recommend,
            commands::assign,
            commands::en_route,
            commands::on_scene,
            commands::clear_incident,
            commands::cancel_incident,
            commands::board,
            commands::timeline
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Tidewatch desk");
}
