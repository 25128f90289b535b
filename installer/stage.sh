#!/usr/bin/env bash
# Lay out the Linux tarball's folder:   installer/stage.sh APP_DIR ICON_DIR OUT_DIR VERSION GLIBC_REQUIRED
#
# APP_DIR: the PyInstaller one-folder app (dist/nocdesk); ICON_DIR: make_icons.py output (with hicolor/);
# OUT_DIR is created: nocdesk/ (the app), share/{applications,icons/hicolor,systemd}, install.sh,
# uninstall.sh, README.txt, VERSION, GLIBC_REQUIRED. Used by build_linux.sh (and the installer tests).
set -euo pipefail
[ $# -eq 5 ] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
APP_DIR="$1"; ICON_DIR="$2"; OUT="$3"; VERSION="$4"; GLIBC_REQ="$5"
HERE="$(cd "$(dirname "$0")" && pwd)"
[ -x "$APP_DIR/nocdesk" ] || { echo "stage: $APP_DIR/nocdesk is missing" >&2; exit 1; }
[ -d "$ICON_DIR/hicolor" ] || { echo "stage: $ICON_DIR/hicolor is missing (run installer/make_icons.py)" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT/share/applications" "$OUT/share/icons" "$OUT/share/systemd"
cp -a "$APP_DIR" "$OUT/nocdesk"
cp "$HERE/nocdesk.desktop" "$OUT/share/applications/"
cp -a "$ICON_DIR/hicolor" "$OUT/share/icons/"
cp "$HERE/nocdesk-poll.service" "$OUT/share/systemd/"
install -m 755 "$HERE/install.sh" "$HERE/uninstall.sh" "$OUT/"
echo "$VERSION" > "$OUT/VERSION"
echo "$GLIBC_REQ" > "$OUT/GLIBC_REQUIRED"
cat > "$OUT/README.txt" <<EOF
nocdesk $VERSION for Linux ($(uname -m)), needs glibc $GLIBC_REQ or newer.

Install:    sudo ./install.sh             (app in /opt/nocdesk, command 'nocdesk', menu entry, ICMP rights)
            sudo ./install.sh --service   (also the headless engine as the systemd unit nocdesk-poll)
Uninstall:  sudo /opt/nocdesk/uninstall.sh [--purge]
Try it without installing:  ./nocdesk/nocdesk --demo

Ping without root: install.sh runs 'setcap cap_net_raw,cap_net_bind_service+ep /opt/nocdesk/nocdesk'.
Without setcap, allow unprivileged ping sockets instead:
    echo 'net.ipv4.ping_group_range = 0 2147483647' > /etc/sysctl.d/60-nocdesk-ping.conf && sysctl --system

Headless engine (--service): data in /var/lib/nocdesk; add desktop users to the group 'nocdesk' and open
the shared database with
    NOCDESK_DATA_DIR=/var/lib/nocdesk nocdesk --db /var/lib/nocdesk/nocdesk.db
(the app sees the running engine and attaches as a viewer). Secrets for the service: /etc/nocdesk/poll.env.
EOF
