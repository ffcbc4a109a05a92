//! The start-up probe for `make bench-startup` (benches/startup/): the UI reports its first
//! painted screen; with `TIDEWATCH_STARTUP_PROBE=1` the shell prints it on stdout, where the
//! benchmark times it from the process spawn, and leaves. Otherwise it does nothing.

/// Environment variable that turns the probe on.
pub const PROBE_ENV: &str = "TIDEWATCH_STARTUP_PROBE";

#[tauri::command]
pub fn startup_painted() {
    if std::env::var_os(PROBE_ENV).is_some() {
        println!("painted");
        // The benchmark reads memory at this moment, then stops the process.
        use std::io::Write;
        let _ = std::io::stdout().flush();
    }
}
