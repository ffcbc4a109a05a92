fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&["startup_painted"])))
        .expect("failed to run tauri-build");
}
