#!/usr/bin/env bash
# Remove nocdesk installed by install.sh:   sudo /opt/nocdesk/uninstall.sh [--purge] [--prefix /opt/nocdesk]
#
# Stops and removes the nocdesk-poll service if present, deletes the app folder and every file listed in
# <prefix>/.nocdesk-installed (command link, menu entry, icons, unit). Monitoring data is kept: each user's
# ~/.local/share/nocdesk and the service's /var/lib/nocdesk. --purge also deletes /var/lib/nocdesk,
# /etc/nocdesk and the system user 'nocdesk' (users' own data directories are never touched).
set -euo pipefail

PREFIX=""
PURGE=0
DESTDIR="${DESTDIR:-}"
say() { printf 'nocdesk: %s\n' "$*"; }
die() { printf 'nocdesk: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --purge) PURGE=1; shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
if [ -z "$PREFIX" ]; then
    # run as <prefix>/uninstall.sh: the folder it sits in; else the default
    self_dir="$(cd "$(dirname "$0")" && pwd)"
    if [ -f "$self_dir/.nocdesk-installed" ]; then PREFIX="${self_dir#"$DESTDIR"}"; else PREFIX=/opt/nocdesk; fi
fi
ROOTED_PREFIX="$DESTDIR$PREFIX"
MANIFEST="$ROOTED_PREFIX/.nocdesk-installed"
[ -f "$MANIFEST" ] || die "no nocdesk installation in $PREFIX (missing $MANIFEST); use --prefix"
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
    die "uninstalling needs root: sudo $0 $*"
fi

if [ -z "$DESTDIR" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    if systemctl list-unit-files nocdesk-poll.service >/dev/null 2>&1; then
        systemctl disable --now nocdesk-poll.service >/dev/null 2>&1 || true
    fi
fi

while IFS= read -r path; do
    case "$path" in ''|'#'*) continue ;; /*) ;; *) continue ;; esac
    rm -f -- "$DESTDIR$path"
done < "$MANIFEST"
# empty icon size folders we may have created are left: the hicolor theme owns them

if [ -z "$DESTDIR" ]; then
    command -v systemctl >/dev/null && [ -d /run/systemd/system ] && systemctl daemon-reload || true
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi

# Delete the app folder last (this script may live in it; bash has already read what it needs).
rm -rf -- "${ROOTED_PREFIX:?}"
say "removed nocdesk from $PREFIX"

if [ "$PURGE" = 1 ]; then
    rm -rf -- "$DESTDIR/var/lib/nocdesk" "$DESTDIR/etc/nocdesk"
    if [ -z "$DESTDIR" ] && id nocdesk >/dev/null 2>&1; then
        userdel nocdesk 2>/dev/null || true
        getent group nocdesk >/dev/null && groupdel nocdesk 2>/dev/null || true
    fi
    say "purged the service data (/var/lib/nocdesk), /etc/nocdesk and the user 'nocdesk'"
else
    say "kept the monitoring data: ~/.local/share/nocdesk of each user and /var/lib/nocdesk (--purge deletes the latter)"
fi
