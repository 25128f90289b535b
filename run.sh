#!/usr/bin/env bash
# Quick start, command 1: make the virtual environment, install nocdesk and start the desktop app.
# Extra arguments go to nocdesk, e.g. `./run.sh --demo` or `./run.sh device list`.
source "$(dirname "$0")/scripts/common.sh"
if [ "$(id -u)" -eq 0 ]; then apt_install $QT_APT; fi
make_venv ""
exec "$VENV/bin/nocdesk" "$@"
