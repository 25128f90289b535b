#!/usr/bin/env bash
# Smoke test of the built app:   installer/smoke_test.sh [APP_DIR]      (default: dist/nocdesk)
#
# Checks, each printed as "ok - ..." or "FAIL - ...", then "N passed, M failed":
#   contents      the bundle holds the Qt plugins, profiles, icons and catalogues it needs; size < 250 MB
#   version       `nocdesk --version`
#   poll          `device add` 127.0.0.1 + `poll --once`: the device comes out "up"
#   window        the main window opens offscreen (QT_QPA_PLATFORM=offscreen); with NOCDESK_EXIT_AFTER_SHOWN=1
#                 the app quits once it is shown, otherwise it must still be running after the timeout
#   x11           a real X window under Xvfb (installer/measure_start.py, which also prints the start time)
#   icmp-nonroot  (root only) a copy with setcap cap_net_raw runs as 'nobody' with CAP_NET_RAW and polls
# Everything runs in a temporary data directory; nothing is sent anywhere but 127.0.0.1.
# Under CI=true a check that cannot run (no Xvfb, not root) fails instead of being skipped.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
APP_DIR="$(cd "${1:-$ROOT/dist/nocdesk}" 2>/dev/null && pwd)" || { echo "smoke: no app folder ${1:-dist/nocdesk}; build it first (installer/build_linux.sh)" >&2; exit 2; }
BIN="$APP_DIR/nocdesk"
WINDOW_TIMEOUT_S="${SMOKE_WINDOW_TIMEOUT_S:-20}"
MAX_SIZE_MB=250
TMP="$(mktemp -d /tmp/nocdesk-smoke.XXXXXX)"
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
export NOCDESK_DATA_DIR="$TMP/data" NOCDESK_LANG=en NOCDESK_SECRET_BACKEND=file
DB="$TMP/smoke.db"
passed=0; failed=0; skipped=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1"; failed=$((failed + 1)); }
skip() {
    if [ "${CI:-}" = true ]; then fail "$1 (cannot run here, and CI=true)"; else echo "skip - $1"; skipped=$((skipped + 1)); fi
}

# --- contents ---------------------------------------------------------------------------------------------
missing=()
internal="$APP_DIR/_internal"
for rel in PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
           PySide6/Qt/plugins/imageformats/libqsvg.so PySide6/Qt/plugins/iconengines/libqsvgicon.so \
           nocdesk/resources/icons/nocdesk.svg pysnmp/smi/mibs/SNMPv2-MIB.py; do
    [ -e "$internal/$rel" ] || missing+=("$rel")
done
ls "$internal"/nocdesk/resources/profiles/*.yaml >/dev/null 2>&1 || missing+=("nocdesk/resources/profiles/*.yaml")
ls "$internal"/nocdesk/resources/locale/*/LC_MESSAGES/*.mo >/dev/null 2>&1 || missing+=("nocdesk/resources/locale/*/LC_MESSAGES/*.mo")
unwanted="$(find "$internal" \( -name 'libQt6Quick*' -o -name 'libQt6Qml*' -o -name 'libQt6WebEngine*' -o -name 'libQt63D*' \
             -o -name 'libQt6Multimedia*' \) | head -3)"
size_mb="$(du -sm "$APP_DIR" | cut -f1)"
if [ ${#missing[@]} -gt 0 ]; then
    fail "contents: missing ${missing[*]}"
elif [ -n "$unwanted" ]; then
    fail "contents: Qt modules that should have been left out: $unwanted"
elif [ "$size_mb" -ge "$MAX_SIZE_MB" ]; then
    fail "contents: $size_mb MB installed, over the $MAX_SIZE_MB MB budget"
else
    ok "contents ($size_mb MB installed)"
fi

# --- version ----------------------------------------------------------------------------------------------
version_out="$("$BIN" --version 2>&1)"
if [[ "$version_out" =~ ^nocdesk\ [0-9] ]]; then ok "version ($version_out)"; else fail "version: got '$version_out'"; fi

# --- poll 127.0.0.1 once ----------------------------------------------------------------------------------
if "$BIN" --lang en --db "$DB" device add --name loopback --address 127.0.0.1 >"$TMP/add.log" 2>&1 \
   && "$BIN" --lang en --db "$DB" poll --once --log-file "$TMP/engine.log" >"$TMP/poll.log" 2>&1; then
    if grep -Eq '^loopback +127\.0\.0\.1 +up ' "$TMP/poll.log"; then
        ok "poll (127.0.0.1 up, rtt $(grep -E '^loopback' "$TMP/poll.log" | grep -Eo '[0-9.]+ ms' | head -1))"
    else
        fail "poll: loopback is not 'up':"; sed 's/^/    /' "$TMP/poll.log"
    fi
else
    fail "poll: a command failed:"; cat "$TMP/add.log" "$TMP/poll.log" 2>/dev/null | sed 's/^/    /' | tail -20
fi

# --- main window offscreen --------------------------------------------------------------------------------
started_ns=$(date +%s%N)
QT_QPA_PLATFORM=offscreen NOCDESK_EXIT_AFTER_SHOWN=1 "$BIN" --db "$DB" >"$TMP/gui.log" 2>&1 &
gui_pid=$!
status=""
for _ in $(seq 1 $((WINDOW_TIMEOUT_S * 10))); do
    if ! kill -0 "$gui_pid" 2>/dev/null; then wait "$gui_pid"; status=$?; break; fi
    sleep 0.1
done
elapsed_s="$(awk -v a="$started_ns" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b - a) / 1e9}')"
if [ -z "$status" ]; then
    kill -TERM "$gui_pid" 2>/dev/null; sleep 2; kill -KILL "$gui_pid" 2>/dev/null; wait "$gui_pid" 2>/dev/null
    if grep -q "Traceback" "$TMP/gui.log"; then
        fail "window: the app logged an error:"; tail -20 "$TMP/gui.log" | sed 's/^/    /'
    else
        ok "window (still running offscreen after ${WINDOW_TIMEOUT_S} s without errors; this app does not honour NOCDESK_EXIT_AFTER_SHOWN)"
    fi
elif [ "$status" = 0 ] && grep -q "main window shown" "$TMP/gui.log"; then
    ok "window (shown offscreen and quit after ${elapsed_s} s)"
else
    fail "window: the app exited with status $status after ${elapsed_s} s:"; tail -20 "$TMP/gui.log" | sed 's/^/    /'
fi

# --- a real X11 window (Xvfb) -----------------------------------------------------------------------------
if command -v Xvfb >/dev/null && command -v xwininfo >/dev/null && command -v python3 >/dev/null; then
    if python3 "$ROOT/installer/measure_start.py" --bin "$BIN" --runs 1 >"$TMP/x11.log" 2>&1; then
        ok "x11 ($(tail -1 "$TMP/x11.log"))"
    else
        fail "x11: no main window under Xvfb:"; tail -20 "$TMP/x11.log" | sed 's/^/    /'
    fi
else
    skip "x11 (needs Xvfb, xwininfo and python3: apt install xvfb x11-utils)"
fi

# --- ICMP as a normal user through the file capability ----------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setcap >/dev/null && command -v setpriv >/dev/null; then
    cp -a "$APP_DIR" "$TMP/app"
    setcap cap_net_raw,cap_net_bind_service+ep "$TMP/app/nocdesk"
    mkdir -p "$TMP/nobody" && cp "$DB" "$TMP/nobody/" && chown -R nobody "$TMP/nobody"
    as_nobody=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --inh-caps=-all
               env HOME="$TMP/nobody" NOCDESK_DATA_DIR="$TMP/nobody/data")
    "${as_nobody[@]}" "$TMP/app/nocdesk" --db "$TMP/nobody/smoke.db" poll --log-file "$TMP/nobody/engine.log" \
        >/dev/null 2>&1 &
    poll_pid=$!
    cap_eff=""
    for _ in $(seq 1 50); do
        # read it once setpriv has exec'ed the app (before that the pid is root's setpriv with every capability)
        if [ "$(readlink "/proc/$poll_pid/exe" 2>/dev/null)" = "$TMP/app/nocdesk" ]; then
            cap_eff="$(awk '/^CapEff/ {print $2}' "/proc/$poll_pid/status" 2>/dev/null)"
            break
        fi
        sleep 0.1
    done
    kill -TERM "$poll_pid" 2>/dev/null; wait "$poll_pid" 2>/dev/null
    "${as_nobody[@]}" "$TMP/app/nocdesk" --lang en --db "$TMP/nobody/smoke.db" poll --once \
        --log-file "$TMP/nobody/engine.log" >"$TMP/nobody-poll.log" 2>&1
    if [ -n "$cap_eff" ] && (( (16#$cap_eff >> 13) & 1 )) && grep -Eq '^loopback +127\.0\.0\.1 +up ' "$TMP/nobody-poll.log"; then
        ok "icmp-nonroot (runs as nobody with CapEff=$cap_eff, 127.0.0.1 up)"
    else
        fail "icmp-nonroot: CapEff='$cap_eff' (needs bit 13, cap_net_raw):"; sed 's/^/    /' "$TMP/nobody-poll.log" | tail -10
    fi
else
    skip "icmp-nonroot (needs root, setcap and setpriv)"
fi

echo
echo "smoke: $passed passed, $failed failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
[ "$failed" -eq 0 ]
