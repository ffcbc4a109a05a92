//! The start-up probe for `make bench-startup` (benches/startup/): the UI reports its first
//! painted screen; with `TIDEWATCH_STARTUP_PROBE=1` the shell prints it on stdout, where the
//! benchmark times it from the process spawn, and leaves. Otherwise it does nothing.

/// Environment variable that turns the probe on.
pub const PROBE_ENV: &str = "TIDEWATCH_STARTUP_PROBE";

/// How the web view draws (see `rendering`).
pub fn report_rendering(compositing: crate::rendering::Compositing) {
    if std::env::var_os(PROBE_ENV).is_some() {
        println!("compositing {compositing:?}");
    }
}

/// The pack is loaded and the journal open (on its own thread, beside the window).
pub fn setup_done(started: std::time::Instant) {
    if std::env::var_os(PROBE_ENV).is_some() {
        println!("setup {:.1}", started.elapsed().as_secs_f64() * 1000.0);
    }
}

/// `marks`: the page's own milliseconds since its navigation began (app start, data in,
/// painted), printed with the paint so the benchmark can say where the time went.
#[tauri::command]
pub fn startup_painted(marks: std::collections::BTreeMap<String, f64>) {
    if std::env::var_os(PROBE_ENV).is_some() {
        let marks: Vec<String> = marks.iter().map(|(k, v)| format!("{k}={v:.0}")).collect();
        println!("marks {}", marks.join(" "));
        println!("painted");
        // The benchmark reads memory at this moment, then stops the process.
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
}
