#!/usr/bin/env bash
# Install nocdesk from this unpacked folder:   sudo ./install.sh [--service] [--prefix /opt/nocdesk]
#
# Copies the app to /opt/nocdesk, links /usr/local/bin/nocdesk, adds the menu entry and icons, and lets the
# program send ICMP (ping) without root: `setcap cap_net_raw,cap_net_bind_service+ep` on the binary (or, where
# setcap is missing, explains the net.ipv4.ping_group_range alternative). --service also sets up the headless
# engine as the systemd unit nocdesk-poll (user and group nocdesk, data in /var/lib/nocdesk).
# Every file it creates is listed in <prefix>/.nocdesk-installed, which uninstall.sh reads.
#
# Options:
#   --prefix DIR     where the app goes (default /opt/nocdesk)
#   --bindir DIR     where the `nocdesk` link goes (default /usr/local/bin)
#   --service        also install, enable and start the nocdesk-poll systemd unit
#   --staging        only copy files (no setcap, caches, users or services); for packaging with DESTDIR=...
# Environment: DESTDIR=/some/root installs below that root (implies nothing runs on the live system).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX=/opt/nocdesk
BINDIR=/usr/local/bin
SHAREDIR=/usr/share
UNITDIR=/etc/systemd/system
SERVICE=0
STAGING=0
DESTDIR="${DESTDIR:-}"
CAPS="cap_net_raw,cap_net_bind_service+ep"

say() { printf 'nocdesk: %s\n' "$*"; }
die() { printf 'nocdesk: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --bindir) BINDIR="${2:?--bindir needs a directory}"; shift 2 ;;
        --unitdir) UNITDIR="${2:?--unitdir needs a directory}"; shift 2 ;;
        --service) SERVICE=1; shift ;;
        --staging) STAGING=1; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see ./install.sh --help)" ;;
    esac
done
case "$PREFIX" in /*) ;; *) die "--prefix must be an absolute path, not '$PREFIX'" ;; esac
[ -n "$DESTDIR" ] && STAGING=1
[ "$SERVICE" = 1 ] && [ "$STAGING" = 1 ] && die "--service cannot be combined with --staging or DESTDIR"
if [ "$STAGING" = 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "installing needs root: sudo $0 $*"
fi
[ -x "$HERE/nocdesk/nocdesk" ] || die "$HERE/nocdesk/nocdesk is missing: run install.sh from the unpacked nocdesk tarball"

# --- will it run here? ------------------------------------------------------------------------------------
if [ "$STAGING" = 0 ] && [ -f "$HERE/GLIBC_REQUIRED" ] && command -v getconf >/dev/null; then
    need="$(cat "$HERE/GLIBC_REQUIRED")"
    have="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
    if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]; then
        die "this build needs glibc $need or newer, this system has $have (e.g. Debian 12, Ubuntu 23.04 or newer); build nocdesk on this system instead (installer/README.md)"
    fi
fi

ROOTED_PREFIX="$DESTDIR$PREFIX"
MANIFEST="$ROOTED_PREFIX/.nocdesk-installed"
if [ -e "$ROOTED_PREFIX" ]; then
    if [ -f "$MANIFEST" ]; then
        say "replacing the nocdesk already in $PREFIX"
        rm -rf "${ROOTED_PREFIX:?}/nocdesk" "${ROOTED_PREFIX:?}/_internal"
    elif [ -n "$(ls -A "$ROOTED_PREFIX" 2>/dev/null)" ]; then
        die "$PREFIX exists and was not installed by this script; remove it or choose --prefix"
    fi
fi

# --- files ------------------------------------------------------------------------------------------------
installed=()
mkdir -p "$ROOTED_PREFIX"
cp -a "$HERE/nocdesk/." "$ROOTED_PREFIX/"
install -m 755 "$HERE/uninstall.sh" "$ROOTED_PREFIX/uninstall.sh"
if [ -f "$HERE/README.txt" ]; then install -m 644 "$HERE/README.txt" "$ROOTED_PREFIX/README.txt"; fi
chmod -R u=rwX,go=rX "$ROOTED_PREFIX"

mkdir -p "$DESTDIR$BINDIR"
ln -sfn "$PREFIX/nocdesk" "$DESTDIR$BINDIR/nocdesk"
installed+=("$BINDIR/nocdesk")

desktop="$SHAREDIR/applications/nocdesk.desktop"
install -d "$DESTDIR$SHAREDIR/applications"
sed -e "s|^Exec=nocdesk|Exec=$PREFIX/nocdesk|" -e "s|^TryExec=nocdesk|TryExec=$PREFIX/nocdesk|" \
    "$HERE/share/applications/nocdesk.desktop" > "$DESTDIR$desktop"
chmod 644 "$DESTDIR$desktop"
installed+=("$desktop")

while IFS= read -r icon; do
    rel="${icon#"$HERE/share/"}"
    install -D -m 644 "$icon" "$DESTDIR$SHAREDIR/$rel"
    installed+=("$SHAREDIR/$rel")
done < <(find "$HERE/share/icons" -type f | sort)

unit="$UNITDIR/nocdesk-poll.service"
install -d "$DESTDIR$UNITDIR"
sed -e "s|/opt/nocdesk/|$PREFIX/|g" "$HERE/share/systemd/nocdesk-poll.service" > "$DESTDIR$unit"
chmod 644 "$DESTDIR$unit"
installed+=("$unit")

{
    echo "# nocdesk $(cat "$HERE/VERSION" 2>/dev/null || echo '?') installed $(date -u +%Y-%m-%dT%H:%M:%SZ); files outside $PREFIX:"
    printf '%s\n' "${installed[@]}"
} > "$MANIFEST"
say "installed to $DESTDIR$PREFIX (command: $BINDIR/nocdesk)"
[ "$STAGING" = 1 ] && exit 0

# --- ICMP without root ------------------------------------------------------------------------------------
ping_help() {
    cat <<EOF
nocdesk: $1
  nocdesk then pings through fping when it is installed (apt install fping), which is slower for big sweeps.
  To let nocdesk ping by itself, either
    - install setcap and run this script again:   apt install libcap2-bin
    - or allow unprivileged ping sockets for all users (no file capability needed):
        echo 'net.ipv4.ping_group_range = 0 2147483647' > /etc/sysctl.d/60-nocdesk-ping.conf
        sysctl --system
  The systemd service (--service) does not need either: its unit grants CAP_NET_RAW itself.
EOF
}
if command -v setcap >/dev/null; then
    if setcap "$CAPS" "$PREFIX/nocdesk"; then
        say "ICMP allowed without root ($(getcap "$PREFIX/nocdesk" 2>/dev/null | cut -d' ' -f2-))"
    else
        ping_help "setcap failed on $PREFIX/nocdesk (a file system without extended attributes?)"
    fi
else
    ping_help "setcap is not installed, so nocdesk may not open ICMP sockets as a normal user."
fi

# --- desktop integration ----------------------------------------------------------------------------------
command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHAREDIR/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f "$SHAREDIR/icons/hicolor" || true

# Qt's X11 plugin needs a few system libraries that desktops have but minimal servers may not.
qpa="$PREFIX/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
if [ -f "$qpa" ] && command -v ldd >/dev/null; then
    missing="$(LD_LIBRARY_PATH="$PREFIX/_internal:$PREFIX/_internal/PySide6/Qt/lib" ldd "$qpa" "$PREFIX/_internal/PySide6/Qt/lib/libQt6Gui.so.6" 2>/dev/null \
        | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
    if [ -n "$missing" ]; then
        say "the desktop app needs these libraries for its window: $missing"
        say "  on Debian/Ubuntu: apt install libxcb1 libgl1 libegl1 libfontconfig1 libdbus-1-3 (headless commands work without them)"
    fi
fi

# --- optional headless service ----------------------------------------------------------------------------
if [ "$SERVICE" = 1 ]; then
    if ! id nocdesk >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/nocdesk --no-create-home --shell /usr/sbin/nologin nocdesk
        say "created the system user and group 'nocdesk'"
    fi
    install -d -o nocdesk -g nocdesk -m 2770 /var/lib/nocdesk
    # Create the shared database and engine lock group-writable before the engine does (SQLite makes files
    # 0644 minus umask, and gives -wal/-shm the database file's mode), so viewers in group nocdesk can write.
    if [ ! -e /var/lib/nocdesk/nocdesk.db ]; then
        NOCDESK_DATA_DIR=/var/lib/nocdesk "$PREFIX/nocdesk" --db /var/lib/nocdesk/nocdesk.db device list >/dev/null
    fi
    touch /var/lib/nocdesk/nocdesk.db.lock
    chown -R nocdesk:nocdesk /var/lib/nocdesk
    chmod 660 /var/lib/nocdesk/nocdesk.db /var/lib/nocdesk/nocdesk.db.lock
    if [ ! -f /etc/nocdesk/poll.env ]; then
        install -d -m 755 /etc/nocdesk
        install -m 640 -g nocdesk /dev/null /etc/nocdesk/poll.env
        cat > /etc/nocdesk/poll.env <<'EOF'
# Environment of the nocdesk-poll service. Secrets (SNMP communities, SSH passwords) live in the encrypted
# file /var/lib/nocdesk/secrets.enc; set its master password here and use the same one in the app.
NOCDESK_SECRET_BACKEND=file
#NOCDESK_MASTER_PASSWORD=
EOF
    fi
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        systemctl enable --now nocdesk-poll.service
        say "service nocdesk-poll enabled and started (systemctl status nocdesk-poll)"
    else
        say "systemd is not running here: start the engine with: sudo -u nocdesk NOCDESK_DATA_DIR=/var/lib/nocdesk $PREFIX/nocdesk poll --db /var/lib/nocdesk/nocdesk.db"
    fi
    say "viewers: usermod -aG nocdesk USER (log in again), then: NOCDESK_DATA_DIR=/var/lib/nocdesk nocdesk --db /var/lib/nocdesk/nocdesk.db"
fi
say "done. Start it from the applications menu or with: nocdesk   (uninstall: sudo $PREFIX/uninstall.sh)"
