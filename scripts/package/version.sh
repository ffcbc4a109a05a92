#!/bin/sh
# The one version of Tidewatch: [workspace.package] version in the workspace's Cargo.toml.
# Every crate inherits it (version.workspace = true), tauri.conf.json has none (the bundler
# takes the desk crate's), and the packaging scripts check what they built against it.
set -eu
cd "$(dirname "$0")/../.."
v=$(awk '/^\[workspace.package\]/ { on = 1; next } /^\[/ { on = 0 } on && $1 == "version" { gsub(/"/, "", $3); print $3; exit }' Cargo.toml)
[ -n "$v" ] || { echo "version.sh: no [workspace.package] version in Cargo.toml" >&2; exit 1; }
echo "$v"
