//! One clock: nothing below the shells reads the wall clock. The desk (`src-tauri`) and the
//! CLI (`src/`) make the one `SystemClock` and hand it down; the crates under `crates/` tell
//! the time by the `Clock` they were given (`tidewatch-core/src/time.rs`), so replays, the demo's history and tests run on
//! a clock they choose. Monotonic `Instant`s that only measure elapsed solver or lock time
//! are not wall time and are allowed.

use std::path::{Path, PathBuf};

/// Reads of the wall clock.
const WALL_CLOCK: [&str; 3] = ["Utc::now(", "SystemTime::now(", "Local::now("];

/// The one place the core may read it: the `SystemClock` the shells use.
const SYSTEM_CLOCK_FILE: &str = "crates/tidewatch-core/src/time.rs";

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// `(line number, line)` of every line of `text` that contains one of `needles`.
fn lines_with<'a>(text: &'a str, needles: &[&str]) -> Vec<(usize, &'a str)> {
    text.lines().enumerate().filter(|(_, l)| needles.iter().any(|n| l.contains(n))).map(|(i, l)| (i + 1, l.trim())).collect()
}

/// Every source file below the shells (`crates/`), as `(crates/..., text)`.
fn core_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    files.sort();
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|p| (p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"), p))
        .filter(|(rel, _)| rel.contains("/src/"))
        .map(|(rel, p)| (rel, std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))))
        .collect();
    assert!(files.iter().any(|(rel, _)| rel == SYSTEM_CLOCK_FILE), "{SYSTEM_CLOCK_FILE} not found: the walk is broken");
    assert!(files.len() > 50, "only {} core files found: the walk is broken", files.len());
    files
}

#[test]
fn the_finder_sees_a_wall_clock_read() {
    let text = "fn a() {}\n    let now = chrono::Utc::now().timestamp();\nlet t = std::time::Instant::now();\n";
    assert_eq!(lines_with(text, &WALL_CLOCK), vec![(2, "let now = chrono::Utc::now().timestamp();")]);
}

#[test]
fn nothing_below_the_shells_reads_the_wall_clock() {
    let mut found = Vec::new();
    for (rel, text) in core_sources() {
        let hits = lines_with(&text, &WALL_CLOCK);
        // The SystemClock itself: one read, the one the shells hand down.
        let allowed = usize::from(rel == SYSTEM_CLOCK_FILE);
        found.extend(hits.into_iter().skip(allowed).map(|(n, line)| format!("{rel}:{n}: {line}")));
    }
    assert!(found.is_empty(), "the core reads the wall clock; take the time from the injected Clock instead:\n{}", found.join("\n"));
}

#[test]
fn only_the_shells_make_a_system_clock() {
    let mut found = Vec::new();
    for (rel, text) in core_sources().into_iter().filter(|(rel, _)| rel != SYSTEM_CLOCK_FILE) {
        found.extend(lines_with(&text, &["SystemClock"]).into_iter().map(|(n, line)| format!("{rel}:{n}: {line}")));
    }
    assert!(found.is_empty(), "the core makes its own wall clock; let the shell pass one:\n{}", found.join("\n"));
}
