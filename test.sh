#!/usr/bin/env bash
# Quick start, command 2: install what the tests need (apt packages when run as root) and run the whole suite.
# Extra arguments go to pytest, e.g. `./test.sh -k store`.
source "$(dirname "$0")/scripts/common.sh"
TEST_APT="snmpd snmp lldpd openssh-server fping iperf3 xvfb iproute2 poppler-utils procps desktop-file-utils $QT_APT"
if [ "$(id -u)" -eq 0 ]; then
    apt_install $TEST_APT
elif [ "${CI:-}" = "true" ]; then
    echo "nocdesk: CI=true needs root (namespaces, snmpd, apt)" >&2; exit 1
fi
make_venv "[test]"
if [ "${CI:-}" = "true" ]; then
    # Nothing may silently skip for lack of a tool in CI.
    for tool in snmpd snmpget snmpbulkwalk snmptrap lldpd lldpcli /usr/sbin/sshd fping ip Xvfb pdftotext; do
        command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "nocdesk: CI needs $tool but it is missing" >&2; exit 1; }
    done
    ip netns add nocdesk-ci-probe && ip netns del nocdesk-ci-probe || { echo "nocdesk: no network namespace support" >&2; exit 1; }
fi
cd "$ROOT"
"$VENV/bin/ruff" check .
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
[ $status -eq 5 ] && { echo "nocdesk: pytest collected no tests" >&2; exit 1; }
exit $status
