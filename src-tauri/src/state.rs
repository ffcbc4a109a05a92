//! What the desk keeps while it runs: the loaded region pack and where its journal lives.

use std::path::{Path, PathBuf};

use std::sync::Mutex;

use tidewatch::region::Region;
use tidewatch::workstation::Workstation;

/// Environment variable naming a region pack folder to load instead of the bundled one.
pub const REGION_ENV: &str = "TIDEWATCH_REGION";

/// The default pack in a source checkout (used by `cargo run` and the e2e tests).
pub const DEV_REGION_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/regions/dinghai");

/// Where the default pack sits inside the installed bundle's resource directory
/// (tauri.conf.json `bundle.resources`).
pub const BUNDLED_REGION_DIR: &str = "regions/dinghai";

pub struct AppState {
    /// The loaded pack, for the map and the gazetteer (the desk holds its own copy).
    pub region: Region,
    /// The desk over the SQLite journal `tidewatch.db` in the app-data directory, as the
    /// signed-in operator uses it. One call at a time: each command locks it for one core call.
    pub station: Mutex<Workstation>,
}

/// The pack to load: `$TIDEWATCH_REGION`, else the source checkout's pack when this binary
/// was built from one that still exists, else the copy bundled with the installed app.
pub fn region_dir(env_value: Option<PathBuf>, resource_dir: Option<&Path>) -> PathBuf {
    if let Some(dir) = env_value.filter(|p| !p.as_os_str().is_empty()) {
        return dir;
    }
    let dev = PathBuf::from(DEV_REGION_DIR);
    if dev.join("region.toml").is_file() {
        return dev;
    }
    if let Some(res) = resource_dir {
        let bundled = res.join(BUNDLED_REGION_DIR);
        if bundled.join("region.toml").is_file() {
            return bundled;
        }
    }
    dev
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_var_wins() {
        let p = region_dir(Some("/tmp/other-pack".into()), None);
        assert_eq!(p, PathBuf::from("/tmp/other-pack"));
    }

    #[test]
    fn empty_env_var_is_ignored() {
        let p = region_dir(Some(PathBuf::new()), None);
        assert_eq!(p, PathBuf::from(DEV_REGION_DIR));
    }
}
