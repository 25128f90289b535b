"""Benchmark: config backup of 50 emulated Cisco IOS switches over SSH, 10 at a time; target under 2 minutes.

Run from the repository root:  python bench/bench_backup.py [--devices 50] [--parallel 10] [--processes 2]

Starts `--devices` fakenos switches (tests/fakenos_plugins, Cisco IOS with enable secret and a ~150-line
running config) on 127.0.0.10 and up, one shared port, spread over `--processes` child processes. Then:
  ours first      nocdesk.configbackup.run_backups: host-key probe, strict login, enable, show running-config,
                  filtering, hashing, compressed versions in a fresh store (all 'first')
  ours unchanged  the same again (all 'unchanged': nothing new stored)
  netmiko         reference: plain netmiko ConnectHandler + enable + send_command + disconnect in a pool
                  of the same size, no host-key check, no store
Prints wall times, devices/s, ours/netmiko, and the worst stall of a 10 ms ticker thread while ours runs
(how long a UI thread next to the backup could have waited). Exits 1 if a device fails or the target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sshtargets import FakeSwitches, free_port  # noqa: E402

USER, PASSWORD, ENABLE, MASTER = "bench", "bench-login-pass", "bench-enable-pass", "bench master password"
TARGET_S = 120.0


def running_config(name: str, lines: int = 150) -> str:
    body = [f"interface GigabitEthernet1/0/{i}\n description access-{name}-{i}\n switchport access vlan {10 + i % 5}"
            for i in range(1, lines // 3)]
    return ("Building configuration...\n\nCurrent configuration : 4096 bytes\n! Last configuration change at "
            f"10:00:00 WIB Mon Nov 23 2026\nhostname {name}\nsnmp-server community bench-ro RO\n"
            + "\n".join(body) + "\nend\n")


class Ticker(threading.Thread):
    """Wakes every 10 ms and remembers the longest it was late: what a UI thread would feel."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop_event, self.worst_s = threading.Event(), 0.0

    def run(self) -> None:
        while not self.stop_event.is_set():
            before = time.perf_counter()
            time.sleep(0.01)
            self.worst_s = max(self.worst_s, time.perf_counter() - before - 0.01)


def start_switches(workdir: Path, count: int, processes: int, port: int) -> list[FakeSwitches]:
    names = [f"bsw{i:02d}" for i in range(count)]
    groups = [names[i::processes] for i in range(processes)]
    fleets = []
    for n, group in enumerate(groups):
        hosts = {name: (f"127.0.0.{10 + names.index(name)}", port) for name in group}
        fleet = FakeSwitches("cisco_ios", hosts, workdir / f"p{n}", username=USER, password=PASSWORD,
                             enable_secret=ENABLE)
        for name in group:
            fleet.set_config(name, running_config(name))
        fleets.append(fleet.start(timeout_s=120))
    return fleets


def run_ours(store, parallel: int) -> tuple[float, dict[str, int], float]:
    from nocdesk.configbackup import run_backups

    ticker = Ticker()
    ticker.start()
    started = time.perf_counter()
    run = run_backups(store, parallel=parallel, conn_timeout_s=20)
    wall_s = time.perf_counter() - started
    ticker.stop_event.set()
    for outcome in run.results:
        if outcome.result == "failed":
            print(f"  FAILED {outcome.reason}")
    return wall_s, run.counts(), ticker.worst_s


def run_netmiko(addresses: list[str], port: int, parallel: int) -> tuple[float, int]:
    from netmiko import ConnectHandler

    def one(address: str) -> bool:
        conn = ConnectHandler(device_type="cisco_ios", host=address, port=port, username=USER, password=PASSWORD,
                              secret=ENABLE, conn_timeout=20)
        try:
            conn.enable()
            return "hostname" in conn.send_command("show running-config", read_timeout=60)
        finally:
            conn.disconnect()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        ok = sum(pool.map(one, addresses))
    return time.perf_counter() - started, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2, help="fakenos child processes serving the switches")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="nocdesk-bench-backup-"))
    os.environ.update(NOCDESK_DATA_DIR=str(workdir / "data"), NOCDESK_SECRET_BACKEND="file",
                      NOCDESK_MASTER_PASSWORD=MASTER, NOCDESK_LANG="en")
    from nocdesk.credentials import save_ssh_credential
    from nocdesk.inventory import DeviceSpec, insert_devices
    from nocdesk.store import open_store

    port = free_port()
    started = time.perf_counter()
    fleets = start_switches(workdir, args.devices, args.processes, port)
    print(f"{args.devices} fakenos Cisco IOS switches on 127.0.0.10-{9 + args.devices}:{port} in "
          f"{args.processes} processes, started in {time.perf_counter() - started:.1f} s")
    addresses = [f"127.0.0.{10 + i}" for i in range(args.devices)]
    try:
        with open_store(workdir / "bench.db") as store:
            save_ssh_credential(store, "bench", username=USER, password=PASSWORD, enable_secret=ENABLE, port=port)
            with store.transaction():
                insert_devices(store, [DeviceSpec(name=f"bsw{i:02d}", address=address, kind="switch",
                                                  ssh_credential="bench", profile="cisco_ios")
                                       for i, address in enumerate(addresses)])
            first_s, first_counts, stall_s = run_ours(store, args.parallel)
            again_s, again_counts, stall2_s = run_ours(store, args.parallel)
        ref_s, ref_ok = run_netmiko(addresses, port, args.parallel)
    finally:
        for fleet in fleets:
            fleet.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    n = args.devices
    print("\n| contender | wall | devices/s | result | worst 10 ms-ticker stall |\n|---|---|---|---|---|")
    print(f"| ours first | {first_s:.1f} s | {n / first_s:.1f} | {first_counts['first']} first, "
          f"{first_counts['failed']} failed | {stall_s * 1000:.0f} ms |")
    print(f"| ours unchanged | {again_s:.1f} s | {n / again_s:.1f} | {again_counts['unchanged']} unchanged, "
          f"{again_counts['failed']} failed | {stall2_s * 1000:.0f} ms |")
    print(f"| netmiko (reference) | {ref_s:.1f} s | {n / ref_s:.1f} | {ref_ok} ok | - |")
    print(f"\nours/netmiko: {first_s / ref_s:.2f}x (first), {again_s / ref_s:.2f}x (unchanged); "
          f"target {n} devices < {TARGET_S:.0f} s with {args.parallel} in parallel: "
          f"{'met' if max(first_s, again_s) < TARGET_S else 'MISSED'}")
    ok = first_counts["first"] == n and again_counts["unchanged"] == n and max(first_s, again_s) < TARGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
