"""Benchmark: nocdesk's ICMP sweep against `fping -i1 -c1` over 254 hosts in namespaces made here.

Run as root:  python bench/bench_icmp.py [--reps 5] [--timeout-s 1.0]

Builds a `station` and a `hosts` namespace joined by a veth (198.18.0.1/23 on the station side, 254 host
addresses 198.18.1.1-254 on the far side), then sweeps two scenarios, each `--reps` times after one warm-up
(cold ARP caches are not what a poller sees): all 254 alive, and 254 targets of which 25 are unassigned
addresses in the subnet (dead). Contenders, one ICMP probe per target, `--timeout-s` each:
  ours raw      collectors.icmp.sweep, raw sockets (root), default 5000 pps cap
  ours raw nocap  the same without the send-rate cap
  ours dgram    unprivileged ping sockets (ping_group_range opened inside the station namespace)
  ours fping    our fping fallback (what users without the ICMP right get)
  fping         `ip netns exec STATION fping -i1 -c1 -t TIMEOUT -q ADDR...`, the reference
Prints median/min wall time, probes/s and the ratio ours/fping of median wall times (target <= 1.0) and
checks that every contender found exactly the live hosts. Namespaces are deleted on exit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from nsutil import add_addr, add_ns, add_veth, delete_ns, in_netns, sh  # noqa: E402

from nocdesk.collectors.icmp import sweep_sync  # noqa: E402

PREFIX = f"ndb{os.getpid() % 100000}-"
STATION, HOSTS = PREFIX + "st", PREFIX + "ho"
LIVE = [f"198.18.1.{i}" for i in range(1, 255)]
DEAD = [f"198.18.0.{i}" for i in range(200, 225)]  # in the /23, assigned to nobody


def build() -> None:
    """Create the two namespaces, the veth and the 254 host addresses."""
    add_ns(STATION)
    add_ns(HOSTS)
    add_veth(STATION, "st0", HOSTS, "ho0")
    add_addr(STATION, "st0", "198.18.0.1/23")
    for address in LIVE:
        add_addr(HOSTS, "ho0", address + "/23")
    sh("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647", ns=STATION)


def run_ours(targets: list[str], timeout_s: float, **options: object) -> tuple[float, set[str]]:
    """Wall time of one sweep inside the station namespace, and the addresses found up."""
    with in_netns(STATION):
        start = time.perf_counter()
        results = sweep_sync(targets, count=1, timeout_s=timeout_s, **options)
        wall_s = time.perf_counter() - start
    return wall_s, {address for address, result in results.items() if result.ok}


def run_fping(targets: list[str], timeout_s: float) -> tuple[float, set[str]]:
    """Wall time of the reference fping run, and the addresses it found up."""
    argv = ["ip", "netns", "exec", STATION, "fping", "-i1", "-c1", "-t", str(round(timeout_s * 1000)), "-q"]
    start = time.perf_counter()
    proc = subprocess.run(argv + targets, capture_output=True, text=True, timeout=60)
    wall_s = time.perf_counter() - start
    up = set()
    for line in proc.stderr.splitlines():  # "198.18.1.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = ..."
        address, _, stats = line.partition(" : ")
        if "= 1/1/" in stats:
            up.add(address.strip())
    return wall_s, up


def contenders(timeout_s: float) -> dict[str, Callable[[list[str]], tuple[float, set[str]]]]:
    return {
        "ours raw": lambda t: run_ours(t, timeout_s, mode="raw"),
        "ours raw nocap": lambda t: run_ours(t, timeout_s, mode="raw", max_rate_pps=None),
        "ours dgram": lambda t: run_ours(t, timeout_s, mode="dgram"),
        "ours fping": lambda t: run_ours(t, timeout_s, mode="fping"),
        "fping": lambda t: run_fping(t, timeout_s),
    }


def bench(name: str, targets: list[str], expected_up: set[str], reps: int, timeout_s: float) -> bool:
    """Run every contender `reps` times (interleaved) on one scenario and print a table; False on wrong answers."""
    runners = contenders(timeout_s)
    walls: dict[str, list[float]] = {label: [] for label in runners}
    correct = True
    for rep in range(reps + 1):
        for label, runner in runners.items():
            wall_s, up = runner(targets)
            if up != expected_up:
                correct = False
                print(f"  ! {label}: found {len(up)} up, expected {len(expected_up)}")
            if rep:  # rep 0 warms the neighbour caches
                walls[label].append(wall_s)
    reference_s = statistics.median(walls["fping"])
    print(f"\n{name}: {len(targets)} targets ({len(expected_up)} alive), 1 probe each, timeout {timeout_s} s,"
          f" {reps} reps")
    print(f"  {'tool':<15} {'median s':>9} {'min s':>7} {'probes/s':>9} {'ours/fping':>10}")
    for label, values in walls.items():
        median_s = statistics.median(values)
        ratio = "" if label == "fping" else f"{median_s / reference_s:.2f}x"
        print(f"  {label:<15} {median_s:9.3f} {min(values):7.3f} {len(targets) / median_s:9.0f} {ratio:>10}")
    return correct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--timeout-s", type=float, default=1.0)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench_icmp needs root (network namespaces)", file=sys.stderr)
        return 2
    try:
        build()
        ok = bench("all alive", LIVE, set(LIVE), args.reps, args.timeout_s)
        mixed = LIVE[: 254 - len(DEAD)] + DEAD
        ok &= bench("25 dead", mixed, set(LIVE[: 254 - len(DEAD)]), args.reps, args.timeout_s)
    finally:
        delete_ns(STATION)
        delete_ns(HOSTS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
