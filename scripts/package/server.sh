#!/usr/bin/env bash
# The command-centre service's packages, tidewatch-server_<version>_amd64.deb and
# tidewatch-server-<version>-1.x86_64.rpm, into $CARGO_TARGET_DIR/<profile>/bundle/server/
# (make bundle). The binary is `tidewatch` built with PROFILE (bundle by default: no debug
# info, stripped; release to compare), installed as /usr/bin/tidewatch-server so that the desk's package (which
# installs /usr/bin/tidewatch) can sit beside it. The files: packaging/server/.
# The .rpm is made when rpmbuild is there (Debian's package `rpm`), else skipped, saying so.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
: "${CARGO_TARGET_DIR:=$HOME/.cache/tidewatch/target}"
export CARGO_TARGET_DIR
PROFILE="${PROFILE:-bundle}"
SRC=packaging/server
OUT="$CARGO_TARGET_DIR/$PROFILE/bundle/server"
VERSION="$(scripts/package/version.sh)"
BIN="$CARGO_TARGET_DIR/$PROFILE/tidewatch"

cargo build --profile "$PROFILE" --bin tidewatch
got="$("$BIN" --version)"
[ "$got" = "tidewatch $VERSION" ] || { echo "server.sh: the binary says '$got', the workspace $VERSION" >&2; exit 1; }

# The files as installed, under one root; the .deb and the .rpm are made from it.
stage() {
    local root="$1" unitdir="$2"
    rm -rf "$root"
    install -D -m 0755 "$BIN" "$root/usr/bin/tidewatch-server"
    install -D -m 0755 "$SRC/tidewatch-server-setup" "$root/usr/sbin/tidewatch-server-setup"
    install -D -m 0644 "$SRC/tidewatch-server.service" "$root$unitdir/tidewatch-server.service"
    install -D -m 0640 "$SRC/server.env" "$root/etc/tidewatch/server.env"
    install -d "$root/usr/share/tidewatch/regions"
    cp -r assets/regions/dinghai "$root/usr/share/tidewatch/regions/"
    find "$root/usr/share/tidewatch" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +
    install -D -m 0644 docs/install.md "$root/usr/share/doc/tidewatch-server/install.md"
    install -D -m 0644 docs/service.md "$root/usr/share/doc/tidewatch-server/service.md"
}

mkdir -p "$OUT"
rm -f "$OUT"/tidewatch-server*

# What an office gets (the bundle profile): the .deb xz-compressed as Debian's own, the
# .rpm with rpmbuild's default. The release profile's packages only feed make test, where
# compressing 200 MB of debug info that way takes minutes: gzip -1 there.
if [ "$PROFILE" = bundle ]; then
    DEB_COMPRESS=(-Zxz) RPM_COMPRESS=()
else
    DEB_COMPRESS=(-Zgzip -z1) RPM_COMPRESS=(--define "_binary_payload w1.gzdio")
fi

# .deb: dpkg-deb from the staged root; the shared libraries the binary needs by
# dpkg-shlibdeps (it reads a debian/control, so it runs in a scratch directory).
DEB_ROOT="$CARGO_TARGET_DIR/package/$PROFILE/server-deb"
stage "$DEB_ROOT" /lib/systemd/system
install -d -m 0755 "$DEB_ROOT/DEBIAN"
install -m 0755 "$SRC"/debian/{postinst,prerm,postrm} "$DEB_ROOT/DEBIAN/"
install -m 0644 "$SRC/debian/conffiles" "$DEB_ROOT/DEBIAN/"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/debian"
printf 'Source: tidewatch\n\nPackage: tidewatch-server\nArchitecture: any\n' >"$scratch/debian/control"
shlibs="$(cd "$scratch" && dpkg-shlibdeps -O "$DEB_ROOT/usr/bin/tidewatch-server" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$shlibs" ] || { echo "server.sh: dpkg-shlibdeps found no libraries" >&2; exit 1; }
size="$(du -sk --exclude=DEBIAN "$DEB_ROOT" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$(dpkg --print-architecture)/" \
    -e "s/@SHLIBS@/$shlibs/" -e "s/@SIZE@/$size/" "$SRC/debian/control.in" >"$DEB_ROOT/DEBIAN/control"
DEB="$OUT/tidewatch-server_${VERSION}_$(dpkg --print-architecture).deb"
dpkg-deb --root-owner-group "${DEB_COMPRESS[@]}" --build "$DEB_ROOT" "$DEB" >/dev/null
echo "server.sh: $DEB ($(du -h "$DEB" | cut -f1))"

# .rpm: rpmbuild's %install copies the staged root.
if command -v rpmbuild >/dev/null 2>&1; then
    RPM_ROOT="$CARGO_TARGET_DIR/package/$PROFILE/server-rpm-root"
    TOP="$CARGO_TARGET_DIR/package/$PROFILE/rpmbuild"
    stage "$RPM_ROOT" /usr/lib/systemd/system
    rm -rf "$TOP" && mkdir -p "$TOP"/{SPECS,RPMS,BUILD,BUILDROOT}
    sed -e "s/@VERSION@/$VERSION/" -e "s|@STAGE@|$RPM_ROOT|" "$SRC/rpm/tidewatch-server.spec.in" >"$TOP/SPECS/tidewatch-server.spec"
    rpmbuild --quiet -bb --define "_topdir $TOP" --define "_build_id_links none" "${RPM_COMPRESS[@]}" \
        "$TOP/SPECS/tidewatch-server.spec" 2>&1 | grep -v 'does not exist - using root' >&2 || true
    RPM="$(find "$TOP/RPMS" -name 'tidewatch-server-*.rpm' | head -1)"
    [ -n "$RPM" ] || { echo "server.sh: rpmbuild made no package" >&2; exit 1; }
    cp "$RPM" "$OUT/"
    echo "server.sh: $OUT/$(basename "$RPM") ($(du -h "$RPM" | cut -f1))"
else
    echo "server.sh: rpmbuild is not installed (apt-get install rpm): no .rpm made" >&2
fi
