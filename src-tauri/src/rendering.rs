//! How the web view draws: with or without WebKit's accelerated compositing.
//!
//! Without a GPU (no DRM render node: a VDI or remote-desktop seat, a server under Xvfb)
//! WebKitGTK's compositor runs OpenGL on the CPU (llvmpipe). Measured on such a machine
//! (`make bench-startup`): every frame then costs 70–170 ms, the first screen paints
//! ~150 ms later and the web processes hold ~90 MB more than when WebKit paints directly.
//! So the desk turns compositing off when there is no render node, and leaves WebKit's
//! default alone where a GPU can do the work. The start-up benchmark's blank window
//! includes this file, so both are measured with the same choice.

use std::path::Path;

/// Operator override: `on` or `off` (anything else: decide from the machine).
pub const COMPOSITING_ENV: &str = "TIDEWATCH_COMPOSITING";
/// WebKitGTK's own switch; when the user has set it, their setting stands.
const WEBKIT_SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What the web view will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// WebKit's default (hardware when it can).
    Default,
    /// Painted directly on the CPU, no GL compositor.
    Off,
}

/// Decides from the override and whether `/dev/dri` has a render node.
pub fn choose(override_value: Option<&str>, dri: &Path) -> Compositing {
    match override_value.map(str::trim) {
        Some("on") => Compositing::Default,
        Some("off") => Compositing::Off,
        _ if has_render_node(dri) => Compositing::Default,
        _ => Compositing::Off,
    }
}

fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
}

/// Applies the choice for this process and the web processes it starts. Call first thing
/// in `main`, before any thread exists (it sets an environment variable).
pub fn configure() -> Compositing {
    if std::env::var_os(WEBKIT_SWITCH).is_some() {
        return Compositing::Off;
    }
    let choice = choose(std::env::var(COMPOSITING_ENV).ok().as_deref(), Path::new("/dev/dri"));
    if choice == Compositing::Off {
        std::env::set_var(WEBKIT_SWITCH, "1");
    }
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_render_node_turns_compositing_off_and_the_override_wins() {
        let dir = std::env::temp_dir().join(format!("tidewatch-dri-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(choose(None, &dir), Compositing::Off, "no /dev/dri at all");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("card0"), "").unwrap();
        assert_eq!(choose(None, &dir), Compositing::Off, "a card without a render node");
        std::fs::write(dir.join("renderD128"), "").unwrap();
        assert_eq!(choose(None, &dir), Compositing::Default);
        assert_eq!(choose(Some("off"), &dir), Compositing::Off);
        assert_eq!(choose(Some("on"), Path::new("/nonexistent")), Compositing::Default);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
