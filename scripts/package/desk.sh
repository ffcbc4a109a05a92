#!/usr/bin/env bash
# The desk's packages (.deb and .rpm, by Tauri's bundler) with the `tidewatch` command
# beside the desk: /usr/bin/tidewatch (the same version), its man pages and its bash, zsh
# and fish completions, all made from the CLI's own clap definitions (`tidewatch man`,
# `tidewatch completions`). make bundle; the packages land in
# $CARGO_TARGET_DIR/<profile>/bundle/{deb,rpm}/.
#
# PROFILE=bundle (the default: release without debug info, stripped; Cargo.toml) or
# PROFILE=release (what `make bundle` built before, to compare sizes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
: "${CARGO_TARGET_DIR:=$HOME/.cache/tidewatch/target}"
export CARGO_TARGET_DIR
PROFILE="${PROFILE:-bundle}"
VERSION="$(scripts/package/version.sh)"
STAGE="$CARGO_TARGET_DIR/package/$PROFILE/desk-extra"
BIN="$CARGO_TARGET_DIR/$PROFILE/tidewatch"

cargo build --profile "$PROFILE" --bin tidewatch
got="$("$BIN" --version)"
[ "$got" = "tidewatch $VERSION" ] || { echo "desk.sh: the CLI says '$got', the workspace $VERSION" >&2; exit 1; }

rm -rf "$STAGE"
mkdir -p "$STAGE/completions" "$STAGE/man/man1"
cp "$BIN" "$STAGE/tidewatch"
"$BIN" completions bash >"$STAGE/completions/tidewatch"
"$BIN" completions zsh >"$STAGE/completions/_tidewatch"
"$BIN" completions fish >"$STAGE/completions/tidewatch.fish"
"$BIN" man --dir "$STAGE/man/man1" >/dev/null
gzip -n -9 "$STAGE"/man/man1/*.1

# The extra files, as Tauri's bundle config (bundle > linux > deb|rpm > files: the path in
# the package → the file here), merged over tauri.conf.json with --config.
files="$(cat <<JSON
{
  "/usr/bin/tidewatch": "$STAGE/tidewatch",
  "/usr/share/bash-completion/completions/tidewatch": "$STAGE/completions/tidewatch",
  "/usr/share/zsh/vendor-completions/_tidewatch": "$STAGE/completions/_tidewatch",
  "/usr/share/fish/vendor_completions.d/tidewatch.fish": "$STAGE/completions/tidewatch.fish",
  "/usr/share/man/man1": "$STAGE/man/man1/"
}
JSON
)"
# "beforeBuildCommand": null drops tauri.conf.json's `npm run build`: the UI is built
# below by make, only when one of its sources changed. A fresh ui/dist would make cargo
# re-embed it and rebuild the desk that `make desk` had already built (minutes in make test).
OVERLAY="$CARGO_TARGET_DIR/package/$PROFILE/tauri.bundle.json"
printf '{ "build": { "beforeBuildCommand": null }, "bundle": { "linux": { "deb": { "files": %s }, "rpm": { "files": %s } } } }\n' \
    "$files" "$files" >"$OVERLAY"
make -C "$ROOT" --no-print-directory ui

BUNDLE_DIR="$CARGO_TARGET_DIR/$PROFILE/bundle"
rm -rf "$BUNDLE_DIR/deb" "$BUNDLE_DIR/rpm"
cargo_profile=(--profile "$PROFILE")
(cd ui && TAURI_APP_PATH=../src-tauri npx tauri build --bundles deb,rpm --config "$OVERLAY" -- "${cargo_profile[@]}")

DEB="$(find "$BUNDLE_DIR/deb" -maxdepth 1 -name '*.deb' | head -1)"
RPM="$(find "$BUNDLE_DIR/rpm" -maxdepth 1 -name '*.rpm' | head -1)"
# What the packages say they are must be the workspace's version, and the CLI must be in.
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] || { echo "desk.sh: $DEB is not version $VERSION" >&2; exit 1; }
dpkg-deb -c "$DEB" | grep -Eq ' (\./)?usr/bin/tidewatch$' || { echo "desk.sh: $DEB has no /usr/bin/tidewatch" >&2; exit 1; }
for p in "$DEB" "$RPM"; do
    echo "desk.sh: $p ($(du -h "$p" | cut -f1))"
done
