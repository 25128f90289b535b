#!/usr/bin/env bash
# Build the Linux release from a clone:   installer/build_linux.sh [--no-deb] [--smoke]
#
#   1. a build venv (build/venv; NOCDESK_BUILD_VENV overrides) with PyInstaller and nocdesk installed from
#      this tree (a normal, non-editable install, so nocdesk.ui / nocdesk.collectors are real packages)
#   2. icons: build/icons (hicolor PNGs 16..256, nocdesk.ico) from resources/icons/nocdesk.svg
#   3. PyInstaller one-folder app: dist/nocdesk/ (nocdesk executable + _internal/)
#   4. dist/nocdesk-<version>-linux-<arch>.tar.gz with install.sh / uninstall.sh
#   5. dist/nocdesk_<version>_<debarch>.deb (dpkg-deb; skipped with --no-deb or when dpkg-deb is missing)
#   6. with --smoke: installer/smoke_test.sh on the result
# Build outputs stay in build/ and dist/ (ignored by git). Needs python3 (3.10+) with venv, and network
# access to PyPI the first time. Prints build time and installed size at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$ROOT/build"
DIST="$ROOT/dist"
VENV="${NOCDESK_BUILD_VENV:-$BUILD/venv}"
PYTHON="${PYTHON:-python3}"
PYINSTALLER_SPEC="${PYINSTALLER_SPEC:-pyinstaller>=6.10,<7}"
MAKE_DEB=1
SMOKE=0
say() { printf '[build] %s\n' "$*"; }
logged() {  # run a noisy step with its output in a log file, shown only when it fails
    local log="$1"; shift
    "$@" >>"$log" 2>&1 || { tail -40 "$log" >&2; die "failed: $* (whole log: ${log#"$ROOT/"})"; }
}
die() { printf '[build] %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --no-deb) MAKE_DEB=0; shift ;;
        --smoke) SMOKE=1; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[ "$(uname -s)" = Linux ] || die "this script builds the Linux release; see installer/windows/BUILD.md for Windows"
started=$SECONDS
cd "$ROOT"
mkdir -p "$BUILD"
: >"$BUILD/pip.log"
: >"$BUILD/pyinstaller.log"

# --- 1. build venv ----------------------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "creating the build venv in $VENV"
    "$PYTHON" -m venv "$VENV" || die "cannot create a venv with $PYTHON (Debian/Ubuntu: apt install python3-venv)"
    logged "$BUILD/pip.log" "$VENV/bin/python" -m pip install -q --upgrade pip wheel
fi
say "installing PyInstaller and nocdesk (from $ROOT) into the build venv"
logged "$BUILD/pip.log" "$VENV/bin/python" -m pip install -q "$PYINSTALLER_SPEC"
logged "$BUILD/pip.log" "$VENV/bin/python" -m pip install -q "$ROOT"                             # dependencies
logged "$BUILD/pip.log" "$VENV/bin/python" -m pip install -q --no-deps --force-reinstall "$ROOT" # this tree's code
VERSION="$("$VENV/bin/python" -c 'import nocdesk; print(nocdesk.__version__)')"
ARCH="$(uname -m)"
say "nocdesk $VERSION for linux-$ARCH"

# --- 2. icons ---------------------------------------------------------------------------------------------
rm -rf "$BUILD/icons"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" installer/make_icons.py "$BUILD/icons" >/dev/null

# --- 3. PyInstaller ---------------------------------------------------------------------------------------
pyi_started=$SECONDS
rm -rf "$DIST/nocdesk"
export NOCDESK_ICON_DIR="$BUILD/icons"
logged "$BUILD/pyinstaller.log" "$VENV/bin/pyinstaller" --noconfirm \
    --log-level WARN --distpath "$DIST" --workpath "$BUILD/pyinstaller" installer/nocdesk.spec
say "PyInstaller warnings (mostly optional imports of other platforms): build/pyinstaller.log"
pyi_s=$((SECONDS - pyi_started))
"$DIST/nocdesk/nocdesk" --version >/dev/null || die "the built dist/nocdesk/nocdesk does not start"

# The oldest glibc the build can run on: the newest GLIBC_x.y symbol any bundled file needs.
glibc_required() {
    if command -v objdump >/dev/null; then
        find "$DIST/nocdesk" -type f \( -name '*.so*' -o -name nocdesk \) -exec objdump -T {} + 2>/dev/null \
            | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1
    else
        getconf GNU_LIBC_VERSION | awk '{print $2}'
    fi
}
GLIBC_REQ="$(glibc_required)"

# --- 4. tarball -------------------------------------------------------------------------------------------
NAME="nocdesk-$VERSION-linux-$ARCH"
STAGE="$BUILD/pkg/$NAME"
rm -rf "$BUILD/pkg"
bash installer/stage.sh "$DIST/nocdesk" "$BUILD/icons" "$STAGE" "$VERSION" "$GLIBC_REQ"
TARBALL="$DIST/$NAME.tar.gz"
tar -C "$BUILD/pkg" -czf "$TARBALL" "$NAME"
say "wrote $TARBALL ($(du -h "$TARBALL" | cut -f1))"

# --- 5. .deb ----------------------------------------------------------------------------------------------
if [ "$MAKE_DEB" = 1 ] && command -v dpkg-deb >/dev/null; then
    DEBARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
    DEBROOT="$BUILD/deb/root"
    rm -rf "$BUILD/deb"
    DESTDIR="$DEBROOT" bash "$STAGE/install.sh" --staging --bindir /usr/bin --unitdir /lib/systemd/system >/dev/null
    rm -f "$DEBROOT/opt/nocdesk/.nocdesk-installed" "$DEBROOT/opt/nocdesk/uninstall.sh"   # dpkg owns the files
    mkdir -p "$DEBROOT/DEBIAN"
    cat > "$DEBROOT/DEBIAN/control" <<EOF
Package: nocdesk
Version: $VERSION
Section: net
Priority: optional
Architecture: $DEBARCH
Maintainer: nocdesk developers <nocdesk@localhost>
Depends: libc6 (>= $GLIBC_REQ), libcap2-bin, libxcb1, libgl1, libegl1, fontconfig
Recommends: fping
Installed-Size: $(du -sk "$DEBROOT" | cut -f1)
Homepage: file:///opt/nocdesk/README.txt
Description: network monitoring for a small NOC team, on one workstation
 nocdesk polls switches, routers, servers and fiber links over ICMP and SNMP,
 keeps all history in one SQLite file and shows it in a Qt desktop app: live
 status, topology, uptime and bandwidth graphs, events and alerts. The
 headless engine can run as the systemd unit nocdesk-poll.
EOF
    cat > "$DEBROOT/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    setcap cap_net_raw,cap_net_bind_service+ep /opt/nocdesk/nocdesk || \
        echo "nocdesk: setcap failed; to ping without root: sysctl net.ipv4.ping_group_range='0 2147483647'" >&2
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
EOF
    cat > "$DEBROOT/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
exit 0
EOF
    chmod 755 "$DEBROOT/DEBIAN/postinst" "$DEBROOT/DEBIAN/postrm"
    DEB="$DIST/nocdesk_${VERSION}_$DEBARCH.deb"
    dpkg-deb --root-owner-group -Zgzip --build "$DEBROOT" "$DEB" >/dev/null
    say "wrote $DEB ($(du -h "$DEB" | cut -f1))"
elif [ "$MAKE_DEB" = 1 ]; then
    say "dpkg-deb not found: no .deb (the tarball is enough; apt install dpkg-dev for a .deb)"
fi

# --- summary ----------------------------------------------------------------------------------------------
say "PyInstaller: ${pyi_s} s; whole build: $((SECONDS - started)) s"
say "installed size (du -sh dist/nocdesk): $(du -sh "$DIST/nocdesk" | cut -f1); needs glibc >= $GLIBC_REQ"
if [ "$SMOKE" = 1 ]; then
    bash installer/smoke_test.sh "$DIST/nocdesk"
fi
