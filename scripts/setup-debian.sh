#!/usr/bin/env bash
# Installs what building and testing Tidewatch needs on Debian. Idempotent: each step is
# skipped when its result is already there, so `make test` can call it every time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages: the Tauri 2 / WebKitGTK 4.1 build, WebKitWebDriver + Xvfb for the e2e,
# ImageMagick for screenshots, CJK fonts for the Chinese UI, and cmake/g++/libclang for the
# solver that a later issue adds; Chromium for the browser tests (ui/tests/playwright, driven by
# playwright-core, which downloads no browser of its own); rpmbuild for tidewatch-server's
# .rpm, debootstrap for the packages' test and systemd-nspawn for its part under systemd
# (make bundle, make test-packages); poppler to render the tips poster's PDF in its test
# (tests/tips_poster.rs).
PACKAGES=(
  build-essential pkg-config
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth imagemagick fonts-noto-cjk
  cmake g++ libclang-dev
  chromium
  rpm debootstrap systemd-container
  poppler-utils poppler-data
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Toolchains come with the machine; say so clearly when one is not there.
for tool in cargo node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup: '$tool' is not installed (needs Rust stable, Node >= 20.19 with npm)" >&2
    exit 1
  fi
done

# tauri-driver (major 2) for the e2e: it drives /usr/bin/WebKitWebDriver.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$CARGO_BIN/tauri-driver" ]; then
  echo "setup: installing tauri-driver ^2"
  cargo install tauri-driver --locked --version '^2'
fi

# npm dependencies from the committed lock files; skipped when node_modules already
# matches the lock. --ignore-scripts: no package may download a browser or a driver.
npm_ci() {
  local dir="$1" stamp
  stamp="$dir/node_modules/.tidewatch-lock.sha256"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  echo "setup: npm ci in ${dir#"$ROOT"/}"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund)
  echo "$want" >"$stamp"
}
npm_ci "$ROOT/ui"
npm_ci "$ROOT/tests/e2e"

echo "setup: ok"
