fn main() {
    // The app's own commands get generated permissions (`allow-map-view`, ...) that
    // capabilities/default.json grants explicitly; nothing is allowed by default.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
        "sign_in_state",
        "create_first_administrator",
        "login",
        "logout",
        "create_account",
        "map_view",
        "search_places",
        "incident_types",
        "receive_incident",
        "set_conditions",
        "recommend",
        "assign",
        "en_route",
        "on_scene",
        "clear_incident",
        "cancel_incident",
        "board",
        "timeline",
        "startup_painted",
        "list_accounts",
        // dispatcher: conditions, incident detail
        "conditions",
        "reassign_options",
        "reassign",
        "add_note",
        "set_account_disabled",
        "reset_password",
        "desk_sessions",
        "export_folder",
        "supervisor_dashboard",
        "export_report",
        "export_journal",
        "audit_journal",
    ])))
    .expect("failed to run tauri-build");
}
