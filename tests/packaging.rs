//! What the packages install beside the desk and the service (docs/install.md): one version
//! for everything, the commands the README and the install guide name (their `--help`
//! is what the man pages are made from), the completions and man pages, and `serve`'s
//! settings from the environment (the service unit's EnvironmentFile).

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn tidewatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(args).output().expect("tidewatch runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_version_comes_from_the_workspace_alone() {
    // tauri.conf.json has no version of its own, so the bundler takes the desk crate's,
    // which is the workspace's, as is every crate's and so `tidewatch --version`.
    let conf: serde_json::Value = serde_json::from_str(&read("src-tauri/tauri.conf.json")).unwrap();
    assert!(conf.get("version").is_none(), "tauri.conf.json must not carry a version: the workspace's Cargo.toml has it");
    let mut manifests = vec!["src-tauri/Cargo.toml".to_string()];
    for crate_dir in std::fs::read_dir(Path::new(ROOT).join("crates")).unwrap() {
        manifests.push(format!("crates/{}/Cargo.toml", crate_dir.unwrap().file_name().to_string_lossy()));
    }
    for manifest in &manifests {
        assert!(read(manifest).contains("\nversion.workspace = true\n"), "{manifest} must take the workspace's version");
    }
    let script = Command::new(Path::new(ROOT).join("scripts/package/version.sh")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&script.stdout).trim(), env!("CARGO_PKG_VERSION"));
    assert_eq!(text(&tidewatch(&["--version"])).trim(), format!("tidewatch {}", env!("CARGO_PKG_VERSION")));
}

/// The command words of every `tidewatch …` (or `tidewatch-server …`, the same binary)
/// line in the code blocks of `doc`: the words up to the first option or value.
fn commands_in(doc: &str) -> Vec<Vec<String>> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in read(doc).lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let line = line.trim_start().trim_start_matches("$ ").trim_start_matches("sudo ");
        let rest = line.strip_prefix("tidewatch ").or_else(|| line.strip_prefix("tidewatch-server "));
        let Some(rest) = rest.filter(|_| in_code) else { continue };
        let words: Vec<String> = rest
            .split_whitespace()
            .take_while(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-'))
            .map(str::to_string)
            .collect();
        found.push(words);
    }
    found
}

#[test]
fn every_command_the_readme_and_the_install_guide_show_exists() {
    let mut checked = 0;
    for doc in ["README.md", "docs/install.md", "docs/service.md"] {
        for words in commands_in(doc) {
            let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
            args.push("--help");
            let out = tidewatch(&args);
            assert!(out.status.success(), "{doc}: `tidewatch {}` is not a command:\n{}", words.join(" "), text(&out));
            checked += 1;
        }
    }
    // The guide shows the first run, backup and restore; the README the daily commands.
    assert!(checked >= 20, "only {checked} commands found in the docs' code blocks");
    let install = commands_in("docs/install.md");
    for needed in [&["first-administrator"][..], &["backup"], &["restore"], &["audit", "verify"]] {
        assert!(
            install.iter().any(|w| w.starts_with(&needed.iter().map(|s| s.to_string()).collect::<Vec<_>>())),
            "docs/install.md shows no `{needed:?}`"
        );
    }
}

#[test]
fn completions_name_every_command_and_man_pages_are_made_per_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = tidewatch(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out));
        let script = String::from_utf8_lossy(&out.stdout);
        for command in ["serve", "first-administrator", "backup", "audit", "recommend"] {
            assert!(script.contains(command), "{shell} completions lack {command}");
        }
    }
    let refused = tidewatch(&["completions", "tcsh"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));

    let dir = tempfile::tempdir().unwrap();
    let out = tidewatch(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let serve = std::fs::read_to_string(dir.path().join("tidewatch-serve.1")).expect("a page for serve");
    assert!(serve.contains("tls\\-dir") && serve.contains("TIDEWATCH_PG_URL"), "the serve page has its options");
    assert!(dir.path().join("tidewatch.1").is_file() && dir.path().join("tidewatch-audit-verify.1").is_file());
    let missing = tidewatch(&["man", "--dir", dir.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing));
    assert!(text(&missing).contains("is not a directory"), "{}", text(&missing));
}

#[test]
fn serve_takes_its_settings_from_the_environment() {
    // Without --region on the command line the pack named by TIDEWATCH_REGION is loaded
    // (and refused here, as it does not exist): the unit's EnvironmentFile is enough.
    let out = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .arg("serve")
        .env("TIDEWATCH_PG_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("TIDEWATCH_REGION", "/nonexistent/tidewatch-pack")
        .env("TIDEWATCH_LISTEN", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("/nonexistent/tidewatch-pack"), "{}", text(&out));
    let bad_listen = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["serve", "--pg", "postgres://x/y", "--region", "x"])
        .env("TIDEWATCH_LISTEN", "not an address")
        .output()
        .unwrap();
    assert_eq!(bad_listen.status.code(), Some(2), "{}", text(&bad_listen));
    // A service not yet set up has an empty database line: said, and exit 2 (the unit's
    // RestartPreventExitStatus), not a retry every few seconds.
    let not_set_up =
        Command::new(env!("CARGO_BIN_EXE_tidewatch")).args(["serve", "--region", "x"]).env("TIDEWATCH_PG_URL", "").output().unwrap();
    assert_eq!(not_set_up.status.code(), Some(2), "{}", text(&not_set_up));
    assert!(text(&not_set_up).contains("tidewatch-server-setup"), "{}", text(&not_set_up));
    let empty_tls = Command::new(env!("CARGO_BIN_EXE_tidewatch"))
        .args(["serve", "--pg", "postgres://x/y", "--region", "x"])
        .env("TIDEWATCH_TLS_DIR", "")
        .output()
        .unwrap();
    assert_eq!(empty_tls.status.code(), Some(2), "{}", text(&empty_tls));
    assert!(text(&empty_tls).contains("--tls-dir"), "{}", text(&empty_tls));
}
