# Shared by run.sh and test.sh: find Python, make the virtual environment, install nocdesk into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${NOCDESK_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Libraries Qt's xcb plugin needs on a real screen or under Xvfb (the pip wheels bring Qt itself).
QT_APT="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0 libxkbcommon-x11-0 libxcb-shape0 \
libxcb-randr0 libxcb-render-util0 libxcb-image0 libegl1 libgl1 libfontconfig1 libdbus-1-3"

apt_install() {
    # Installs only what is missing; needs root (no sudo prompt in scripts).
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "nocdesk: please install these packages first (as root): apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "nocdesk: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

make_venv() {
    # $1: pip extras, e.g. "[test]" or ""
    if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
        apt_install python3-venv
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        echo "nocdesk: creating virtual environment in $VENV"
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
    fi
    local stamp="$VENV/.installed$1"
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        echo "nocdesk: installing nocdesk$1 and its dependencies (first time takes a minute)"
        "$VENV/bin/python" -m pip install -q -e "$ROOT$1"
        touch "$stamp"
    fi
}
