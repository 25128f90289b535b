"""ICMP collector against real hosts: a `station` namespace pings addresses in a `hosts` namespace over a veth.

Every sending mode (raw sockets, unprivileged ping sockets, the fping fallback) and the ping3 single-host
path are checked against the same live, dead, unreachable and unroutable addresses. Namespaces are named
per test run and removed afterwards; all addresses are in 198.18.0.0/15 or loopback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from nsutil import add_addr, add_ns, add_veth, delete_ns, in_netns, require_netns, require_tool, sh

from nocdesk.collectors.icmp import icmp_capability, ping, sweep_sync
from nocdesk.collectors.icmp_model import (
    HOST_UNREACHABLE,
    NO_ROUTE,
    PERMISSION_DENIED,
    TIMEOUT,
    UNKNOWN_HOST,
    summarise,
)
from nocdesk.errors import ConfigError

PREFIX = f"ndi{os.getpid() % 100000}-"
STATION, HOSTS = PREFIX + "st", PREFIX + "ho"
LIVE = [f"198.18.40.{i}" for i in range(2, 52)]  # 50 addresses on the hosts side
DEAD = [f"198.18.40.{i}" for i in range(100, 125)]  # 25 in the subnet, assigned to nobody
UNROUTED = "198.19.250.1"  # no route from the station
FAST_LIVE, FAST_DEAD = "198.18.41.2", "198.18.41.77"  # a second link whose ARP gives up after ~0.1 s
MODES = ["raw", "dgram", "fping"]

pytestmark = pytest.mark.netns


@pytest.fixture(scope="module")
def lab():
    """station <-> hosts over two veths; the station may open ping sockets, the hosts namespace may not."""
    require_netns()
    require_tool("fping")
    try:
        add_ns(STATION)
        add_ns(HOSTS)
        add_veth(STATION, "st0", HOSTS, "ho0")
        add_addr(STATION, "st0", "198.18.40.1/24")
        for address in LIVE:
            add_addr(HOSTS, "ho0", address + "/24")
        add_veth(STATION, "st1", HOSTS, "ho1")
        add_addr(STATION, "st1", "198.18.41.1/24")
        add_addr(HOSTS, "ho1", FAST_LIVE + "/24")
        # One ARP try, 100 ms: the kernel then reports "host unreachable" instead of waiting ~3 s.
        sh("sysctl", "-qw", "net.ipv4.neigh.st1.mcast_solicit=1", "net.ipv4.neigh.st1.retrans_time_ms=100",
           ns=STATION)
        sh("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647", ns=STATION)
        sh("sysctl", "-qw", "net.ipv4.ping_group_range=1 0", ns=HOSTS)
        yield
    finally:
        delete_ns(STATION)
        delete_ns(HOSTS)


def station_sweep(addresses: list[str], **options: object) -> tuple[dict, float]:
    """Sweep from inside the station namespace; the results and the wall time in seconds."""
    with in_netns(STATION):
        start = time.monotonic()
        results = sweep_sync(addresses, **options)
        return results, time.monotonic() - start


@pytest.mark.parametrize("mode", MODES)
def test_live_hosts_are_up_with_plausible_rtt(lab, mode):
    results, _ = station_sweep(LIVE, count=2, timeout_s=1.0, interval_s=0.05, mode=mode)
    assert list(results) == LIVE
    for address, result in results.items():
        assert result.ok, result
        assert (result.address, result.sent, result.received, result.loss_pct) == (address, 2, 2, 0.0)
        assert 0 < result.rtt_min_ms <= result.rtt_avg_ms <= result.rtt_max_ms < 100, result
        assert result.reason is None


@pytest.mark.parametrize("mode", MODES)
def test_dead_hosts_are_down_and_do_not_serialise_the_sweep(lab, mode):
    timeout_s = 1.0
    results, elapsed_s = station_sweep(LIVE + DEAD, count=1, timeout_s=timeout_s, mode=mode)
    assert all(results[address].ok for address in LIVE)
    for address in DEAD:
        result = results[address]
        assert (result.ok, result.sent, result.received, result.loss_pct) == (False, 1, 0, 100.0), result
        assert result.rtt_avg_ms is None and result.jitter_ms is None
        assert result.reason in (TIMEOUT, HOST_UNREACHABLE)
    # One timeout plus overhead; 25 dead hosts one after another would take 25 s.
    assert elapsed_s < 2.5 * timeout_s, elapsed_s


@pytest.mark.parametrize("mode", MODES)
def test_no_route_is_not_ok_and_says_so(lab, mode):
    results, _ = station_sweep([UNROUTED, LIVE[0]], count=3, timeout_s=2.0, interval_s=0.1, mode=mode)
    result = results[UNROUTED]
    assert (result.ok, result.received, result.loss_pct) == (False, 0, 100.0)
    assert "no route" in result.reason
    assert results[LIVE[0]].ok


@pytest.mark.parametrize("mode", MODES)
def test_count_five_gives_sent_five_and_jitter(lab, mode):
    results, _ = station_sweep(LIVE[:3], count=5, timeout_s=1.0, interval_s=0.02, mode=mode)
    for result in results.values():
        assert (result.sent, result.received, result.ok) == (5, 5, True)
        # Consecutive differences cannot exceed the spread (plus the 1 us rounding of each value).
        assert result.jitter_ms is not None
        assert 0 <= result.jitter_ms <= result.rtt_max_ms - result.rtt_min_ms + 0.002, result


@pytest.mark.parametrize("mode", MODES)
def test_host_unreachable_is_reported_before_the_timeout(lab, mode):
    timeout_s = 2.0
    results, elapsed_s = station_sweep([FAST_DEAD, FAST_LIVE], count=1, timeout_s=timeout_s, mode=mode)
    assert (results[FAST_DEAD].ok, results[FAST_DEAD].reason) == (False, HOST_UNREACHABLE)
    assert results[FAST_LIVE].ok
    if mode != "fping":  # fping waits out its own timeout even after the ICMP error
        assert elapsed_s < timeout_s, elapsed_s


@pytest.mark.parametrize("mode", MODES)
def test_hostnames_resolve_and_unknown_host_is_a_result(lab, mode):
    # Resolution runs in the station namespace, where no DNS server is reachable: nothing leaves.
    results, _ = station_sweep(["localhost", "no-such-host.invalid", "127.0.0.1"], count=1, mode=mode)
    assert results["localhost"].ok and results["localhost"].address in ("127.0.0.1", "::1")
    unknown = results["no-such-host.invalid"]
    assert (unknown.ok, unknown.reason, unknown.sent, unknown.address) == (
        False, UNKNOWN_HOST, 0, "no-such-host.invalid")
    assert results["127.0.0.1"].ok


@pytest.mark.parametrize("mode", [None, "raw", "fping"])
def test_loopback_works_in_the_root_namespace(mode):
    require_netns()  # root, for raw sockets
    results = sweep_sync(["127.0.0.1", "::1", "127.0.0.1"], count=2, interval_s=0.02, mode=mode)
    assert list(results) == ["127.0.0.1", "::1"]  # duplicates collapse, input order kept
    assert all(r.ok and r.received == 2 for r in results.values()), results
    assert ping("127.0.0.1", count=1, mode=mode).ok


def test_ping_sockets_where_the_kernel_forbids_them_are_permission_denied(lab):
    with in_netns(HOSTS):  # ping_group_range "1 0"; we are root, but that only helps raw sockets
        result = sweep_sync(["127.0.0.1"], count=2, mode="dgram")["127.0.0.1"]
    assert (result.ok, result.reason, result.loss_pct) == (False, PERMISSION_DENIED, 100.0)


def test_ping3_single_host_path(lab):
    with in_netns(STATION):
        live = ping(LIVE[0], count=3, interval_s=0.02)
        dead = ping(DEAD[0], count=1, timeout_s=0.5)
        # ping3 raises OSError(101) here even with its exceptions off; that must become data, never "up".
        unrouted = ping(UNROUTED, count=3)
        unknown = ping("no-such-host.invalid")
        v6 = ping("::1", count=2, interval_s=0.02)
    assert (live.ok, live.sent, live.received) == (True, 3, 3) and live.jitter_ms is not None
    assert (dead.ok, dead.reason, dead.loss_pct) == (False, TIMEOUT, 100.0)
    assert (unrouted.ok, unrouted.reason, unrouted.loss_pct) == (False, NO_ROUTE, 100.0)
    assert (unknown.ok, unknown.reason) == (False, UNKNOWN_HOST)
    assert v6.ok


def test_mode_none_marks_everything_down_with_permission_denied():
    result = sweep_sync(["127.0.0.1"], count=2, mode="none")["127.0.0.1"]
    assert (result.ok, result.reason, result.sent, result.loss_pct) == (False, PERMISSION_DENIED, 2, 100.0)


def test_root_has_raw_sockets():
    require_netns()
    assert icmp_capability().mode == "raw" and icmp_capability().advice == ""


_UNPRIVILEGED = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING)
from nocdesk.collectors.icmp import icmp_capability, sweep_sync
cap = icmp_capability()
oks = [sweep_sync([sys.argv[1]], count=1)[sys.argv[1]].ok for _ in range(2)]
print(json.dumps({"mode": cap.mode, "advice": cap.advice, "ok": oks}))
"""


def run_as_nobody(namespace: str, target: str) -> tuple[dict, str]:
    setpriv = require_tool("setpriv")
    argv = ["ip", "netns", "exec", namespace, setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
            sys.executable, "-c", _UNPRIVILEGED, target]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def test_unprivileged_user_falls_back_to_fping_and_is_told_once_how_to_fix_it(lab):
    report, stderr = run_as_nobody(HOSTS, LIVE[0])  # ping_group_range "1 0": no ping sockets for anyone
    assert report["mode"] == "fping"
    assert report["ok"] == [True, True]
    assert "setcap cap_net_raw+ep" in report["advice"]
    assert 'net.ipv4.ping_group_range="65534 65534"' in report["advice"]
    assert stderr.count("setcap cap_net_raw+ep") == 1, stderr  # two sweeps, one warning


def test_unprivileged_user_uses_ping_sockets_where_the_kernel_allows(lab):
    report, stderr = run_as_nobody(STATION, LIVE[0])  # ping_group_range opened for every group
    assert (report["mode"], report["advice"], report["ok"]) == ("dgram", "", [True, True])
    assert "setcap" not in stderr


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([1.0, 2.0, 4.0], dict(ok=True, received=3, loss_pct=0.0, rtt_avg_ms=2.333, jitter_ms=1.5, reason=None)),
        ([1.0, TIMEOUT, 3.0], dict(ok=True, received=2, loss_pct=33.33, rtt_max_ms=3.0, jitter_ms=2.0)),
        ([5.0], dict(ok=True, received=1, rtt_min_ms=5.0, jitter_ms=None)),
        ([TIMEOUT, TIMEOUT], dict(ok=False, received=0, loss_pct=100.0, rtt_avg_ms=None, reason=TIMEOUT)),
        ([TIMEOUT, HOST_UNREACHABLE], dict(ok=False, reason=HOST_UNREACHABLE)),
        ([NO_ROUTE] * 3, dict(ok=False, sent=3, loss_pct=100.0, reason=NO_ROUTE)),
    ],
)
def test_summarise(outcomes, expected):
    result = summarise("198.18.40.2", outcomes)
    assert {key: getattr(result, key) for key in expected} == expected


@pytest.mark.parametrize(
    "options",
    [dict(count=0), dict(timeout_s=0), dict(interval_s=-1), dict(concurrency=0), dict(mode="icmp"),
     dict(count=100, concurrency=1000)],
)
def test_bad_arguments_are_config_errors(options):
    with pytest.raises(ConfigError):
        sweep_sync(["127.0.0.1"], **options)
