#!/usr/bin/env bash
# The packages as an office installs them (make test-packages; docs/install.md), in a
# throwaway Debian 12 root made with debootstrap (no container, no systemd):
#
#   1. the desk's .deb with apt (its dependencies from Debian's mirror), `tidewatch` on the
#      PATH at the workspace's version with its man pages and completions, the desk started
#      under Xvfb and a screenshot taken (refused when blank);
#   2. tidewatch-server's .deb (PostgreSQL comes with it, started in the root on a port of
#      its own), tidewatch-server-setup (database, first administrator), the service
#      started with its unit's ExecStart, User and EnvironmentFile, then /api/health, a
#      sign-in, `audit verify` on its journal, pg_dump and pg_restore; then the packaged
#      desk as a seat on it, driven through tauri-driver and the root's WebKitWebDriver from
#      the host (tests/e2e/package-seat.mjs): sign-in at the centre seat, an incident a
#      scripted client reports reaches its board, its session in the service's report (a
#      second screenshot). Then the upgrade (a later version of tidewatch-server over it: settings kept, postinst
#      asks systemd for try-restart, the new binary starts on the same database), and
#      systemd-analyze verify and security on the unit (systemd installed, not running);
#   3. both removed: what is left must be only what is kept by design (the settings, the
#      state, the database, the desk user's data), then tidewatch-server purged;
#   4. the .rpms installed with Debian's rpm (--nodeps; scriptlets run), checked, erased;
#   5. tidewatch-server's .deb in a second root booted with systemd-nspawn (systemd as PID
#      1): setup enables and starts the unit, the service runs under its hardening, is
#      restarted when killed and on the upgrade, and removal stops and disables it.
#
# As root (chroot, mounts). The debootstrap tarball and the .debs apt fetched are cached
# in $HOME/.cache/tidewatch/pkg-test, so a second run needs no download. Every step is
# bounded; the root is unmounted and deleted at the end, whatever happened.
# PROFILE=bundle (default) or release: which packages (scripts/package/desk.sh, server.sh).
# PKGTEST_PARTS="desk server rpm systemd" (default): a run of some parts says so and is not a pass
# of the whole test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${CARGO_TARGET_DIR:=$HOME/.cache/tidewatch/target}"
PROFILE="${PROFILE:-bundle}"
VERSION="$("$ROOT/scripts/package/version.sh")"
CACHE="$HOME/.cache/tidewatch/pkg-test"
TARBALL="$CACHE/bookworm-minbase.tgz"
OUT="$CARGO_TARGET_DIR/package-test"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PG_PORT="${PKGTEST_PG_PORT:-55432}"
SERVICE_PORT="${PKGTEST_SERVICE_PORT:-58640}"
ADMIN="admin"
ADMIN_PASSWORD="pkgtest-$RANDOM-$RANDOM"
# The highest exposure `systemd-analyze security` may give the unit, in tenths as its
# --threshold takes it (it prints 0.0 best to 10.0 worst): 30 is 3.0.
UNIT_EXPOSURE_MAX=30
STARTED=$SECONDS

say() { printf '[test-packages %3ds] %s\n' "$((SECONDS - STARTED))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, chroot and mounts)"
for tool in debootstrap curl python3 dpkg-deb; do
    command -v "$tool" >/dev/null || fail "$tool is missing (make setup installs it)"
done
PARTS="${PKGTEST_PARTS:-desk server rpm systemd}"
part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
DESK_DEB="" SERVER_DEB="" PKGS=()
DRIVER_PORT="${PKGTEST_DRIVER_PORT:-58650}"
TAURI_DRIVER=""
if part desk && part server; then
    # The desk as a seat is driven from the host (tests/e2e's webdriverio) through
    # tauri-driver in the root.
    TAURI_DRIVER="$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")"
    [ -x "$TAURI_DRIVER" ] || fail "tauri-driver is missing (make setup installs it)"
    command -v node >/dev/null || fail "node is missing"
    [ -d "$ROOT/tests/e2e/node_modules/webdriverio" ] || fail "tests/e2e/node_modules has no webdriverio (make setup)"
fi
if part desk; then
    DESK_DEB="$(find "$CARGO_TARGET_DIR/$PROFILE/bundle/deb" -maxdepth 1 -name "*_${VERSION}_*.deb" 2>/dev/null | head -1)"
    [ -n "$DESK_DEB" ] || fail "no desk .deb of version $VERSION in $CARGO_TARGET_DIR/$PROFILE/bundle/deb: make bundle first"
    PKGS+=("$(dpkg-deb -f "$DESK_DEB" Package)")
fi
if part server; then
    SERVER_DEB="$(find "$CARGO_TARGET_DIR/$PROFILE/bundle/server" -maxdepth 1 -name "tidewatch-server_${VERSION}_*.deb" 2>/dev/null | head -1)"
    [ -n "$SERVER_DEB" ] || fail "no tidewatch-server .deb of version $VERSION in $CARGO_TARGET_DIR/$PROFILE/bundle/server: make bundle first"
    PKGS+=(tidewatch-server)
fi
DESK_RPM="" SERVER_RPM=""
if part rpm; then
    DESK_RPM="$(find "$CARGO_TARGET_DIR/$PROFILE/bundle/rpm" -maxdepth 1 -name "*-${VERSION}-*.rpm" 2>/dev/null | head -1)"
    SERVER_RPM="$(find "$CARGO_TARGET_DIR/$PROFILE/bundle/server" -maxdepth 1 -name "tidewatch-server-${VERSION}-*.rpm" 2>/dev/null | head -1)"
    [ -n "$DESK_RPM" ] && [ -n "$SERVER_RPM" ] || fail "no .rpms of version $VERSION in $CARGO_TARGET_DIR/$PROFILE/bundle/{rpm,server}: make bundle first"
    command -v rpm >/dev/null || fail "rpm is missing (make setup installs it)"
fi
if part systemd; then
    [ -n "$SERVER_DEB" ] || fail "the part systemd needs the part server"
    command -v systemd-nspawn >/dev/null || fail "systemd-nspawn is missing (make setup installs systemd-container)"
fi
((${#PKGS[@]})) || part rpm || fail "PKGTEST_PARTS='$PARTS' names none of desk, server, rpm"
mkdir -p "$CACHE/apt-archives/partial" "$OUT"
# One run at a time: two would share the apt cache and the output folder.
exec 9>"$CACHE/lock"
flock -n 9 || fail "another test-packages run holds $CACHE/lock"
rm -f "$OUT"/*.png "$OUT"/*.xwd "$OUT"/*.log

# --- the throwaway root ---------------------------------------------------------------
SD_ROOT="" SD_NSPAWN=""   # part 5's root and its systemd-nspawn (cleanup stops and removes them)
R="$(mktemp -d /var/tmp/tidewatch-pkgtest.XXXXXX)"
chmod 0755 "$R"   # the root of a system: other users (postgres, tidewatch) must enter it

# Processes whose root is the throwaway root (the ones this test started there).
in_root_pids() {
    local p
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && echo "${p#/proc/}"
    done
    return 0
}

UP_VERSION="$VERSION+pkgtest1"
# tidewatch-server's .deb as the later version UP_VERSION (the same files): repack_later OUT.deb
repack_later() {
    local dir
    dir="$(mktemp -d)"
    dpkg-deb -R "$SERVER_DEB" "$dir/pkg"
    sed -i "s/^Version: .*/Version: $UP_VERSION/" "$dir/pkg/DEBIAN/control"
    dpkg-deb -Zgzip -z1 --build "$dir/pkg" "$1" >/dev/null   # only for this test: fast
    rm -rf "$dir"
}

# The root's processes running one of these programs (by the file's name), stopped (SIG=INT: with SIGINT).
stop_in_root() {
    local p exe n
    for p in $(in_root_pids); do
        exe="$(readlink "/proc/$p/exe" 2>/dev/null)" || continue
        for n in "$@"; do [ "${exe##*/}" = "$n" ] && kill "-${SIG:-TERM}" "$p" 2>/dev/null; done
    done
    return 0
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$SD_ROOT" ]; then
        if [ -n "$SD_NSPAWN" ] && kill "$SD_NSPAWN" 2>/dev/null; then
            for _ in $(seq 20); do kill -0 "$SD_NSPAWN" 2>/dev/null || break; sleep 1; done
            kill -9 "$SD_NSPAWN" 2>/dev/null
        fi
        if findmnt -rn -o TARGET | grep -q "^$SD_ROOT"; then
            say "left $SD_ROOT in place: something is still mounted there"
        else
            rm -rf --one-file-system "$SD_ROOT"
        fi
    fi
    local pids
    pids="$(in_root_pids)"
    [ -n "$pids" ] && kill $pids 2>/dev/null && sleep 2
    pids="$(in_root_pids)"
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null && sleep 1
    for m in $(findmnt -rn -o TARGET | grep "^$R" | sort -r); do
        umount -l "$m"
    done
    if findmnt -rn -o TARGET | grep -q "^$R"; then
        say "left $R in place: something is still mounted there"
    else
        rm -rf --one-file-system "$R"
    fi
    say "done in $((SECONDS - STARTED)) s (exit $rc)"
}
trap cleanup EXIT

if [ ! -s "$TARBALL" ]; then
    say "caching Debian $SUITE (minbase) as $TARBALL"
    timeout 900 debootstrap --variant=minbase --make-tarball="$TARBALL.part" "$SUITE" "$R.dl" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 \
        || fail "debootstrap --make-tarball (see $OUT/debootstrap.log)"
    mv "$TARBALL.part" "$TARBALL"
    rm -rf "$R.dl"
fi
say "unpacking Debian $SUITE into $R"
timeout 600 debootstrap --variant=minbase --unpack-tarball="$TARBALL" "$SUITE" "$R" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 \
    || fail "debootstrap (see $OUT/debootstrap.log)"

mount -t proc proc "$R/proc"
mount -t sysfs sys "$R/sys"
mount --rbind /dev "$R/dev" && mount --make-rslave "$R/dev"
mount -t tmpfs tmpfs "$R/run"
mount --bind "$CACHE/apt-archives" "$R/var/cache/apt/archives"
cp /etc/resolv.conf "$R/etc/resolv.conf"
# No package starts a service here (PostgreSQL is started by hand on a port of its own).
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d" && chmod +x "$R/usr/sbin/policy-rc.d"
# Debian's mirror as the host has it (the release, its updates and security), if it can.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    cp /etc/apt/sources.list.d/debian.sources "$R/etc/apt/sources.list.d/" && rm -f "$R/etc/apt/sources.list"
fi
cp $DESK_DEB $SERVER_DEB "$R/tmp/"

# Runs a command in the root, bounded: in_root SECONDS command...
in_root() {
    local t="$1"
    shift
    timeout "$t" chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
apt_in_root() { in_root 900 apt-get -q -o Dpkg::Use-Pty=0 "$@" >>"$OUT/apt.log" 2>&1 || fail "apt-get $* (see $OUT/apt.log)"; }

say "apt-get update in the root"
apt_in_root update

DESK_DB=/root/.local/share/org.tidewatch.desk/tidewatch.db
# --- 1. the desk -----------------------------------------------------------------------
if part desk; then
say "installing $(basename "$DESK_DEB") with apt (and Xvfb, xwd, CJK fonts, as a desktop has)"
apt_in_root install -y --no-install-recommends "/tmp/$(basename "$DESK_DEB")" xvfb xauth x11-apps x11-utils fonts-noto-cjk \
    $([ -n "$TAURI_DRIVER" ] && echo webkit2gtk-driver)
got="$(in_root 30 tidewatch --version)"
[ "$got" = "tidewatch $VERSION" ] || fail "tidewatch --version says '$got'"
say "tidewatch --version: $got"
for f in /usr/bin/tidewatch-desk /usr/share/man/man1/tidewatch.1.gz /usr/share/man/man1/tidewatch-serve.1.gz \
    /usr/share/bash-completion/completions/tidewatch /usr/share/zsh/vendor-completions/_tidewatch \
    /usr/share/fish/vendor_completions.d/tidewatch.fish; do
    [ -s "$R$f" ] || fail "$f is not installed"
done
in_root 30 tidewatch region check /usr/lib/Tidewatch/regions/dinghai >"$OUT/region-check.log" 2>&1 \
    || fail "tidewatch region check on the installed pack (see $OUT/region-check.log)"
say "man pages, completions and the bundled pack are there"

# Starts the desk under Xvfb in the root and takes a screenshot once it shows something:
# desk_screenshot NAME [VAR=value...] (the desk's environment).
desk_screenshot() {
    local name="$1"
    shift
    cat >"$R/tmp/shot.sh" <<'SHOT'
#!/bin/sh
# In the root, under xvfb-run: the desk, then a dump of the screen whenever the last one
# has been looked at (outside: blank ones are removed), until one is kept (shot.done) or
# 100 s have passed.
"$@" tidewatch-desk >/tmp/desk.log 2>&1 &
desk=$!
i=0
while [ "$i" -lt 50 ] && [ ! -e /tmp/shot.done ]; do
    sleep 2
    i=$((i + 1))
    kill -0 "$desk" 2>/dev/null || { echo "the desk exited" >>/tmp/desk.log; exit 1; }
    xwininfo -root -tree 2>/dev/null | grep -q Tidewatch || continue
    [ -e /tmp/shot.xwd ] || { xwd -root -silent >/tmp/shot.part && mv /tmp/shot.part /tmp/shot.xwd; }
done
kill "$desk" 2>/dev/null
wait "$desk" 2>/dev/null
exit 0
SHOT
    chmod +x "$R/tmp/shot.sh"
    rm -f "$R/tmp/shot.xwd" "$R/tmp/shot.done"
    in_root 150 xvfb-run -a -s "-screen 0 1400x900x24" /tmp/shot.sh env "$@" &
    local runner=$! shown=""
    local deadline=$((SECONDS + 120))
    while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$runner" 2>/dev/null; do
        if [ -e "$R/tmp/shot.xwd" ]; then
            # The window paints after it maps: a blank dump is taken again.
            if shown="$(python3 "$ROOT/scripts/package/xwd2png.py" "$R/tmp/shot.xwd" "$OUT/$name.png")"; then
                touch "$R/tmp/shot.done"
                rm -f "$R/tmp/shot.xwd"
                break
            fi
            rm -f "$R/tmp/shot.xwd"
        fi
        sleep 1
    done
    wait "$runner" || true
    cp "$R/tmp/desk.log" "$OUT/$name.log" 2>/dev/null || true
    [ -e "$R/tmp/shot.done" ] || fail "the desk showed nothing within 100 s (${shown:-no window}; see $OUT/$name.log)"
    say "screenshot $OUT/$name.png: $shown"
}

# The packaged desk as a seat on the packaged service (after part 2 started it): a
# dispatcher for the desk and a supervisor for a scripted client made with the
# administrator's token, tauri-driver (the host's, copied in) and the root's own
# WebKitWebDriver opening /usr/bin/tidewatch-desk under Xvfb in the root with
# TIDEWATCH_SERVICE, driven from the host by tests/e2e/package-seat.mjs over the loopback:
# sign-in screen naming the service, sign-in at the centre seat, an incident the client
# reports on the desk's board, the session in the service's report, sign-out. desk_as_seat TOKEN
desk_as_seat() {
    local admin_token="$1" who name role pw
    local seat_pw="pkgtest-seat-$RANDOM$RANDOM" super_pw="pkgtest-super-$RANDOM$RANDOM"
    for who in seat.dispatch:dispatcher:"$seat_pw" seat.super:supervisor:"$super_pw"; do
        IFS=: read -r name role pw <<<"$who"
        curl -ksf -H "authorization: Bearer $admin_token" -H 'content-type: application/json' \
            -d "{\"username\":\"$name\",\"password\":\"$pw\",\"role\":\"$role\"}" "$BASE/api/accounts" >/dev/null \
            || fail "the administrator could not make the account $name ($role)"
    done
    install -m 0755 "$TAURI_DRIVER" "$R/usr/local/bin/tauri-driver"
    rm -rf "$R/root/seat"
    in_root 300 env XDG_DATA_HOME=/root/seat/data XDG_CONFIG_HOME=/root/seat/config XDG_CACHE_HOME=/root/seat/cache \
        TIDEWATCH_SERVICE="$BASE" TIDEWATCH_SEAT=centre \
        xvfb-run -a -s "-screen 0 1400x900x24" /usr/local/bin/tauri-driver --port "$DRIVER_PORT" --native-port "$((DRIVER_PORT + 1))" \
        >"$OUT/desk-seat-driver.log" 2>&1 &
    local driver=$! rc=0
    NODE_EXTRA_CA_CERTS="$R/var/lib/tidewatch/tls/cert.pem" PKGSEAT_DRIVER_PORT="$DRIVER_PORT" PKGSEAT_SERVICE="$BASE" \
        PKGSEAT_USER=seat.dispatch PKGSEAT_PASSWORD="$seat_pw" PKGSEAT_SUPERVISOR=seat.super PKGSEAT_SUPERVISOR_PASSWORD="$super_pw" \
        PKGSEAT_SHOT="$OUT/desk-seat.png" timeout 300 node "$ROOT/tests/e2e/package-seat.mjs" >"$OUT/desk-seat.log" 2>&1 || rc=$?
    sed 's/^/    /' "$OUT/desk-seat.log"
    stop_in_root tidewatch-desk WebKitWebDriver tauri-driver Xvfb
    wait "$driver" 2>/dev/null || true
    [ "$rc" -eq 0 ] || fail "the packaged desk as a seat (see $OUT/desk-seat.log, $OUT/desk-seat-driver.log)"
    [ -s "$R/root/seat/data/org.tidewatch.desk/service-pin" ] || fail "the desk did not pin the service's certificate"
    say "the packaged desk was a seat on the packaged service; it pinned its certificate (screenshot $OUT/desk-seat.png)"
}

# The README's supervisor steps with the installed command: a week of SYNTHETIC history
# into the desk's journal, then the backup and restore docs/install.md shows.
mkdir -p "$R$(dirname "$DESK_DB")"
in_root 300 tidewatch demo seed --db "$DESK_DB" --region /usr/lib/Tidewatch/regions/dinghai --from 2026-11-01 --to 2026-11-08 \
    >"$OUT/desk-cli.log" 2>&1 || fail "tidewatch demo seed (see $OUT/desk-cli.log)"
desk_screenshot desk XDG_DATA_HOME=/root/.local/share
in_root 120 tidewatch backup --db "$DESK_DB" --out /root/desk-backup.db >>"$OUT/desk-cli.log" 2>&1 \
    || fail "tidewatch backup (see $OUT/desk-cli.log)"
in_root 120 tidewatch restore --from /root/desk-backup.db --db /root/desk-restored.db >>"$OUT/desk-cli.log" 2>&1 \
    || fail "tidewatch restore (see $OUT/desk-cli.log)"
in_root 120 tidewatch audit verify --db /root/desk-restored.db >>"$OUT/desk-cli.log" 2>&1 \
    || fail "audit verify of the restored desk journal (see $OUT/desk-cli.log)"
say "desk journal: demo seed, backup, restore, audit verify: $(grep -m1 '^restored' "$OUT/desk-cli.log")"

fi

# --- 2. the service ----------------------------------------------------------------------
if part server; then
say "installing $(basename "$SERVER_DEB") with apt (PostgreSQL comes with it)"
apt_in_root install -y --no-install-recommends "/tmp/$(basename "$SERVER_DEB")"
in_root 10 getent passwd tidewatch >/dev/null || fail "postinst made no user tidewatch"
[ "$(in_root 10 stat -c %U:%G:%a /etc/tidewatch/server.env)" = root:tidewatch:640 ] || fail "server.env is not root:tidewatch 0640"
PG_VER="$(ls "$R/usr/lib/postgresql" | sort -n | tail -1)"
[ -d "$R/etc/postgresql/$PG_VER/main" ] || in_root 120 pg_createcluster "$PG_VER" main >>"$OUT/apt.log" 2>&1
sed -i "s/^port = .*/port = $PG_PORT/" "$R/etc/postgresql/$PG_VER/main/postgresql.conf"
in_root 120 pg_ctlcluster "$PG_VER" main start || fail "PostgreSQL $PG_VER in the root did not start on port $PG_PORT"
say "PostgreSQL $PG_VER runs in the root on port $PG_PORT"

# The office's first run. This machine's cluster, as tidewatch-server-setup finds it.
in_root 300 env TIDEWATCH_ADMIN="$ADMIN" TIDEWATCH_ADMIN_PASSWORD="$ADMIN_PASSWORD" tidewatch-server-setup \
    >"$OUT/setup.log" 2>&1 || fail "tidewatch-server-setup (see $OUT/setup.log)"
grep -q "administrator $ADMIN created" "$OUT/setup.log" || fail "setup made no administrator (see $OUT/setup.log)"
say "tidewatch-server-setup: database and administrator made"
# Run again, it keeps both.
in_root 300 env TIDEWATCH_ADMIN="$ADMIN" TIDEWATCH_ADMIN_PASSWORD="$ADMIN_PASSWORD" tidewatch-server-setup \
    >>"$OUT/setup.log" 2>&1 || fail "tidewatch-server-setup a second time (see $OUT/setup.log)"
grep -q "an administrator exists already: kept" "$OUT/setup.log" || fail "setup's second run did not keep the administrator"
# The address: this test's own port on the loopback (an office keeps 0.0.0.0:8640).
sed -i "s/^TIDEWATCH_LISTEN=.*/TIDEWATCH_LISTEN=127.0.0.1:$SERVICE_PORT/" "$R/etc/tidewatch/server.env"

# The unit's own command line, user and settings, as systemd would run them.
UNIT="$R/lib/systemd/system/tidewatch-server.service"
unit() { sed -n "s/^$1=//p" "$UNIT" | head -1; }
BASE="https://127.0.0.1:$SERVICE_PORT"
# Starts the service in the background and waits for /api/health: start_service LOG
start_service() {
    local log="$1" exec_start user env_file
    exec_start="$(unit ExecStart)" user="$(unit User)" env_file="$(unit EnvironmentFile)"
    say "starting the service as systemd would: User=$user EnvironmentFile=$env_file ExecStart=$exec_start"
    mkdir -p "$R/var/lib/tidewatch"  # StateDirectory= (postinst made it too)
    in_root 600 runuser -u "$user" -- sh -c 'set -a; . "$1"; set +a; shift; exec "$@"' sh "$env_file" $exec_start \
        >"$log" 2>&1 &
    for _ in $(seq 60); do
        curl -ksf "$BASE/api/health" >/dev/null 2>&1 && break
        sleep 1
    done
    health="$(curl -ksf "$BASE/api/health")" || fail "no answer on $BASE/api/health (see $log)"
    say "GET /api/health: $health; $(grep -o 'certificate SHA-256 [0-9A-F:]*' "$log" | head -1)"
}
# Whether a process of the root runs this program (its path in the root).
running_in_root() {
    local p
    for p in $(in_root_pids); do
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$R$1" ] && return 0
    done
    return 1
}
# Stops it as the unit's KillSignal= would (SIGINT), and waits until it has exited.
stop_service() {
    SIG=INT stop_in_root tidewatch-server
    for _ in $(seq 30); do
        running_in_root /usr/bin/tidewatch-server || return 0
        sleep 1
    done
    fail "the service did not stop within 30 s of SIGINT"
}
# Signs in as the administrator: the token.
admin_token() {
    local signed_in
    signed_in="$(curl -ksf -H 'content-type: application/json' \
        -d "{\"username\":\"$ADMIN\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/sign-in")" || fail "sign-in refused"
    printf '%s' "$signed_in" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
start_service "$OUT/service.log"
token="$(admin_token)"
session="$(curl -ksf -H "authorization: Bearer $token" "$BASE/api/session")" || fail "GET /api/session refused the token"
say "signed in as $ADMIN: $session"
in_root 120 sh -c 'set -a; . /etc/tidewatch/server.env; set +a; tidewatch-server audit verify --pg "$TIDEWATCH_PG_URL"' \
    >"$OUT/audit.log" 2>&1 || fail "audit verify on the service's journal (see $OUT/audit.log)"
say "audit verify --pg: $(head -1 "$OUT/audit.log")"
# The service's backup and restore as docs/install.md shows: pg_dump, pg_restore into a new
# database, audit verify on the copy.
in_root 120 sh -c "runuser -u postgres -- pg_dump -p $PG_PORT -Fc tidewatch >/var/backups/tidewatch.dump" \
    || fail "pg_dump of the service's database"
in_root 120 runuser -u postgres -- createdb -p "$PG_PORT" -O tidewatch tidewatch_restored || fail "createdb tidewatch_restored"
in_root 120 runuser -u postgres -- pg_restore -p "$PG_PORT" -d tidewatch_restored --no-owner --role=tidewatch /var/backups/tidewatch.dump \
    >"$OUT/restore.log" 2>&1 || fail "pg_restore (see $OUT/restore.log)"
in_root 120 sh -c 'set -a; . /etc/tidewatch/server.env; set +a; tidewatch-server audit verify --pg "${TIDEWATCH_PG_URL%/*}/tidewatch_restored"' \
    >>"$OUT/audit.log" 2>&1 || fail "audit verify on the restored database (see $OUT/audit.log)"
say "service: pg_dump, pg_restore into tidewatch_restored, audit verify there: $(tail -1 "$OUT/audit.log")"
if part desk; then
    desk_as_seat "$token"
fi
stop_service
# The upgrade: the same package as a later version (repacked on the host), installed over
# it with a stand-in systemctl that records what postinst asks of systemd (its check for a
# running systemd, /run/systemd/system, made for the while). The settings must stay as the
# office changed them, postinst must ask for daemon-reload and try-restart, and the new
# binary must start on the same database (its migrations run on start) with the same
# administrator.
repack_later "$R/tmp/tidewatch-server-upgrade.deb"
cp "$R/tmp/tidewatch-server-upgrade.deb" "$OUT/tidewatch-server-upgrade.deb"   # for part 5
env_before="$(sha256sum <"$R/etc/tidewatch/server.env")"
# /usr/sbin comes before /usr/bin on the maintainer scripts' PATH.
printf '#!/bin/sh\necho "$*" >>/tmp/systemctl.log\n' >"$R/usr/sbin/systemctl" && chmod 0755 "$R/usr/sbin/systemctl"
mkdir -p "$R/run/systemd/system"
rm -f "$R/tmp/systemctl.log"
apt_in_root install -y --no-install-recommends /tmp/tidewatch-server-upgrade.deb
rm -f "$R/usr/sbin/systemctl"
rm -rf "$R/run/systemd"
[ "$(in_root 10 dpkg-query -W -f '${Version}' tidewatch-server)" = "$UP_VERSION" ] || fail "the upgrade did not install $UP_VERSION"
[ "$(sha256sum <"$R/etc/tidewatch/server.env")" = "$env_before" ] || fail "the upgrade changed /etc/tidewatch/server.env"
grep -qx 'try-restart tidewatch-server.service' "$R/tmp/systemctl.log" 2>/dev/null \
    || fail "the upgrade's postinst did not ask systemd to restart the service (it asked: $(tr '\n' ';' <"$R/tmp/systemctl.log" 2>/dev/null))"
say "upgrade to $UP_VERSION: settings kept, postinst asked systemctl: $(tr '\n' ';' <"$R/tmp/systemctl.log")"
start_service "$OUT/service-upgraded.log"
token="$(admin_token)"
say "the upgraded service runs on the same database: $ADMIN signed in again"
stop_service

# What systemd itself would say of the unit (systemd installed in the root, not running):
# verify (directives, the command's path) and the hardening's exposure score.
apt_in_root install -y --no-install-recommends systemd
in_root 60 systemd-analyze verify /lib/systemd/system/tidewatch-server.service >"$OUT/unit-verify.log" 2>&1 \
    || fail "systemd-analyze verify (see $OUT/unit-verify.log)"
[ -s "$OUT/unit-verify.log" ] && fail "systemd-analyze verify warns (see $OUT/unit-verify.log)"
in_root 60 systemd-analyze security --offline=yes --threshold="$UNIT_EXPOSURE_MAX" /lib/systemd/system/tidewatch-server.service \
    >"$OUT/unit-security.log" 2>&1 || fail "the unit's exposure is above $((UNIT_EXPOSURE_MAX / 10)).$((UNIT_EXPOSURE_MAX % 10)) (see $OUT/unit-security.log)"
say "systemd-analyze: verify clean; $(grep -o 'Overall exposure level.*' "$OUT/unit-security.log")"
fi

# --- 3. removal --------------------------------------------------------------------------
if ((${#PKGS[@]})); then
in_root 20 dpkg -L "${PKGS[@]}" >"$OUT/files.txt"
apt_in_root remove -y "${PKGS[@]}"
left="$(while read -r f; do [ -e "$R$f" ] && [ ! -d "$R$f" ] && echo "$f"; done <"$OUT/files.txt"; true)"
say "left after remove (files of the packages): ${left:-none}"
expected=""
part server && expected=/etc/tidewatch/server.env
[ "$left" = "$expected" ] || fail "after remove, expected only '${expected:-nothing}' to stay"
for d in /usr/lib/Tidewatch /usr/share/tidewatch /usr/share/doc/tidewatch-server; do
    [ -e "$R$d" ] && fail "$d is left after remove"
done
if part desk; then
    [ -e "$R$DESK_DB" ] || fail "the desk user's journal went with the package"
    say "kept by design: the desk user's ~/.local/share/org.tidewatch.desk"
fi
if part server; then
[ -e "$R/var/lib/tidewatch/tls/cert.pem" ] || fail "/var/lib/tidewatch went with the package"
pg_db() { in_root 30 runuser -u postgres -- psql -X -p "$PG_PORT" -tAc "SELECT count(*) FROM pg_database WHERE datname = 'tidewatch'"; }
[ "$(pg_db)" = 1 ] || fail "the database went with the package"
say "kept by design: /etc/tidewatch/server.env, /var/lib/tidewatch (TLS), the database tidewatch, the user tidewatch"
apt_in_root purge -y tidewatch-server
[ -e "$R/etc/tidewatch" ] && fail "/etc/tidewatch is left after purge"
[ -e "$R/var/lib/tidewatch" ] && fail "/var/lib/tidewatch is left after purge"
[ "$(pg_db)" = 1 ] || fail "purge dropped the database"
say "after purge: /etc/tidewatch and /var/lib/tidewatch gone; the database kept (dropped only by hand)"
in_root 60 pg_ctlcluster "$PG_VER" main stop || true
fi
fi

# --- 4. the .rpms ------------------------------------------------------------------------
# Debian's rpm in the root (not dnf: the .rpms' dependencies are Fedora's names, so
# --nodeps): the files land where they should, the scriptlets run (%pre's user, %post's
# state directory), the commands answer with the version, and erasing leaves none of the
# packages' files.
if part rpm; then
    say "installing $(basename "$DESK_RPM") and $(basename "$SERVER_RPM") with Debian's rpm (--nodeps)"
    apt_in_root install -y --no-install-recommends rpm
    cp "$DESK_RPM" "$SERVER_RPM" "$R/tmp/"
    rpm -qpl "$DESK_RPM" "$SERVER_RPM" >"$OUT/rpm-files.txt" 2>/dev/null
    in_root 300 rpm -i --nodeps "/tmp/$(basename "$DESK_RPM")" "/tmp/$(basename "$SERVER_RPM")" >"$OUT/rpm.log" 2>&1 \
        || fail "rpm -i (see $OUT/rpm.log)"
    for cmd in tidewatch tidewatch-server; do
        got="$(in_root 30 "$cmd" --version)"
        [ "$got" = "tidewatch $VERSION" ] || fail "$cmd --version from the .rpm says '$got'"
    done
    for f in /usr/bin/tidewatch-desk /usr/lib/systemd/system/tidewatch-server.service /usr/share/man/man1/tidewatch.1.gz; do
        [ -s "$R$f" ] || fail "$f is not installed from the .rpms"
    done
    [ "$(in_root 10 stat -c %U:%G:%a /etc/tidewatch/server.env)" = root:tidewatch:640 ] || fail "the .rpm's server.env is not root:tidewatch 0640"
    [ "$(in_root 10 stat -c %U:%a /var/lib/tidewatch)" = tidewatch:750 ] || fail "the .rpm's %post made no /var/lib/tidewatch owned by tidewatch"
    say "rpm: both installed, tidewatch and tidewatch-server --version: $VERSION, the unit, man pages, settings and state in place"
    in_root 300 rpm -e "$(rpm -qp --qf '%{NAME}' "$DESK_RPM" 2>/dev/null)" tidewatch-server >>"$OUT/rpm.log" 2>&1 \
        || fail "rpm -e (see $OUT/rpm.log)"
    left="$(while read -r f; do [ -e "$R$f" ] && [ ! -d "$R$f" ] && echo "$f"; done <"$OUT/rpm-files.txt"; true)"
    [ -z "$left" ] || fail "after rpm -e, files of the packages are left: $left"
    say "rpm -e: none of the packages' files left (/var/lib/tidewatch, made by %post, is kept)"
fi

# --- 5. under systemd ----------------------------------------------------------------------
# What needs systemd as PID 1: a second root from the same tarball with tidewatch-server's
# .deb, booted with systemd-nspawn (systemd is its PID 1; the host's network, so ports of
# this test's own). tidewatch-server-setup enables and starts the unit; the service runs
# under the unit's hardening (checked on the running process: seccomp, no new privileges,
# no capabilities); killed, systemd restarts it; the upgrade's postinst restarts it on the
# new binary; removal stops and disables it.
if part systemd; then
    SD_ROOT="$(mktemp -d /var/tmp/tidewatch-pkgtest-systemd.XXXXXX)"
    chmod 0755 "$SD_ROOT"
    SD_PG_PORT=$((PG_PORT + 1)) SD_PORT=$((SERVICE_PORT + 1))
    SD_BASE="https://127.0.0.1:$SD_PORT"
    say "a second root, booted with systemd-nspawn: $SD_ROOT"
    timeout 600 debootstrap --variant=minbase --unpack-tarball="$TARBALL" "$SUITE" "$SD_ROOT" "$MIRROR" >"$OUT/systemd-debootstrap.log" 2>&1 \
        || fail "debootstrap of the systemd root (see $OUT/systemd-debootstrap.log)"
    cp /etc/resolv.conf "$SD_ROOT/etc/resolv.conf"
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        cp /etc/apt/sources.list.d/debian.sources "$SD_ROOT/etc/apt/sources.list.d/" && rm -f "$SD_ROOT/etc/apt/sources.list"
    fi
    cp "$SERVER_DEB" "$SD_ROOT/root/"
    if [ -s "$OUT/tidewatch-server-upgrade.deb" ]; then
        mv "$OUT/tidewatch-server-upgrade.deb" "$SD_ROOT/root/"
    else
        repack_later "$SD_ROOT/root/tidewatch-server-upgrade.deb"
    fi
    nspawn=(systemd-nspawn -q --register=no --keep-unit -D "$SD_ROOT")
    timeout 900 "${nspawn[@]}" --bind="$CACHE/apt-archives:/var/cache/apt/archives" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
        sh -c "apt-get -q update && apt-get -q -y --no-install-recommends install /root/$(basename "$SERVER_DEB") systemd systemd-sysv dbus" \
        >"$OUT/systemd-apt.log" 2>&1 || fail "installing tidewatch-server and systemd in the systemd root (see $OUT/systemd-apt.log)"
    PG_VER="$(ls "$SD_ROOT/usr/lib/postgresql" | sort -n | tail -1)"
    sed -i "s/^port = .*/port = $SD_PG_PORT/" "$SD_ROOT/etc/postgresql/$PG_VER/main/postgresql.conf"
    sed -i "s/^TIDEWATCH_LISTEN=.*/TIDEWATCH_LISTEN=127.0.0.1:$SD_PORT/" "$SD_ROOT/etc/tidewatch/server.env"
    # Not under timeout: SD_NSPAWN must be systemd-nspawn itself, which cleanup stops (it
    # then shuts the container down); make's timeout bounds the whole test.
    "${nspawn[@]}" -b --console=passive >"$OUT/systemd-boot.log" 2>&1 &
    SD_NSPAWN=$!
    # The container's PID 1: systemd-nspawn's child once it is systemd (its first children
    # are transient, and /proc/PID/root says / after nspawn's pivot_root).
    sd_pid=""
    for _ in $(seq 60); do
        for p in $(pgrep -P "$SD_NSPAWN"); do
            [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] && sd_pid="$p" && break
        done
        [ -n "$sd_pid" ] && break
        sleep 1
    done
    [ -n "$sd_pid" ] || fail "systemd-nspawn started no systemd within 60 s (see $OUT/systemd-boot.log)"
    in_sd() { local t="$1"; shift; timeout "$t" nsenter -t "$sd_pid" -a /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
    state="$(in_sd 120 systemctl is-system-running --wait 2>/dev/null)" || true
    # degraded: some unit of the minimal system failed in the container; the test goes on.
    case "$state" in running | degraded) ;; *) fail "systemd in the root is '$state', not running" ;; esac
    say "systemd runs as PID 1 in the root ($state); PostgreSQL $PG_VER on port $SD_PG_PORT"
    in_sd 300 env TIDEWATCH_ADMIN="$ADMIN" TIDEWATCH_ADMIN_PASSWORD="$ADMIN_PASSWORD" tidewatch-server-setup \
        >"$OUT/systemd-setup.log" 2>&1 || fail "tidewatch-server-setup under systemd (see $OUT/systemd-setup.log)"
    sd_show() { in_sd 10 systemctl show -p "$1" --value tidewatch-server; }
    sd_healthy() {
        for _ in $(seq 30); do
            [ "$(sd_show ActiveState)" = active ] && curl -ksf "$SD_BASE/api/health" >/dev/null 2>&1 && return 0
            sleep 1
        done
        fail "tidewatch-server is not active and healthy under systemd within 30 s (ActiveState $(sd_show ActiveState))"
    }
    sd_healthy
    [ "$(sd_show UnitFileState)" = enabled ] || fail "tidewatch-server-setup did not enable the unit"
    BASE="$SD_BASE" admin_token >/dev/null
    main="$(sd_show MainPID)"
    status="$(in_sd 10 cat "/proc/$main/status")"
    for want in 'Seccomp:[[:space:]]*2' 'NoNewPrivs:[[:space:]]*1' 'CapBnd:[[:space:]]*0000000000000000' 'CapEff:[[:space:]]*0000000000000000'; do
        grep -Eq "^$want$" <<<"$status" || fail "the running service's /proc status lacks '$want'"
    done
    say "setup enabled and started the unit; the service answers and signs in under its hardening (seccomp filter, no new privileges, no capabilities)"
    in_sd 10 systemctl kill -s SIGKILL tidewatch-server
    sleep 6   # RestartSec=5
    sd_healthy
    [ "$(sd_show NRestarts)" = 1 ] && [ "$(sd_show MainPID)" != "$main" ] || fail "systemd did not restart the killed service"
    say "killed with SIGKILL, systemd restarted it (NRestarts=1)"
    main="$(sd_show MainPID)"
    in_sd 300 dpkg -i /root/tidewatch-server-upgrade.deb >"$OUT/systemd-upgrade.log" 2>&1 || fail "the upgrade under systemd (see $OUT/systemd-upgrade.log)"
    sd_healthy
    [ "$(sd_show MainPID)" != "$main" ] || fail "the upgrade did not restart the service"
    BASE="$SD_BASE" admin_token >/dev/null
    say "upgraded to $UP_VERSION: postinst restarted the service on the new binary, $ADMIN signs in"
    in_sd 300 apt-get -q -y remove tidewatch-server >>"$OUT/systemd-upgrade.log" 2>&1 || fail "apt remove under systemd"
    [ "$(sd_show ActiveState)" = inactive ] || fail "removal left the service $(sd_show ActiveState)"
    [ -e "$SD_ROOT/etc/systemd/system/multi-user.target.wants/tidewatch-server.service" ] && fail "removal left the unit enabled"
    say "removed: the service stopped and disabled"
    in_sd 60 systemctl poweroff || true
    for _ in $(seq 30); do kill -0 "$SD_NSPAWN" 2>/dev/null || break; sleep 1; done
    wait "$SD_NSPAWN" 2>/dev/null || true
    SD_NSPAWN=""
fi

if [ "$PARTS" = "desk server rpm systemd" ]; then
    say "PASSED: desk $(basename "$DESK_DEB"), service $(basename "$SERVER_DEB"), their .rpms, the unit under systemd (screenshots in $OUT)"
else
    say "PASSED the part(s) '$PARTS' only: not the whole test"
fi
