// The start-up benchmark's peer: a blank Tauri window with the desk's window settings, CSP
// and release profile, whose page reports its first paint the way the desk does.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[tauri::command]
fn startup_painted(marks: std::collections::BTreeMap<String, f64>) {
    use std::io::Write;
    let marks: Vec<String> = marks.iter().map(|(k, v)| format!("{k}={v:.0}")).collect();
    println!("marks {}", marks.join(" "));
    println!("painted");
    let _ = std::io::stdout().flush();
}

// The desk's choice of compositing, so both windows draw the same way.
#[path = "../../../../src-tauri/src/rendering.rs"]
mod rendering;

fn main() {
    let compositing = rendering::configure();
    println!("compositing {compositing:?}");
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![startup_painted])
        .run(tauri::generate_context!())
        .expect("error while running the blank window");
}
