"""Benchmark: the real engine polling 500 simulated 24-port switches (snmpsim on loopback) every 60 s.

Builds a recording of a 24-port switch (system group, ifTable + ifXTable with 64-bit counters), serves it from
several snmpsim processes on 127.1.x.y:161 (one UDP endpoint per switch, as many switches per process as
--per-process), fills a store with one device per endpoint (v2c, interval 60 s), and runs nocdesk's Engine
in this process for --cycles 60-s cycles (the first only primes the counters). Reports, per cycle: devices
polled, cycle span (first start to last poll done), our process's CPU as % of one core, p50/p99 start jitter
(how late each check started after its deadline), per-device SNMP poll time, and the simulators' CPU.
Reference, same run: net-snmp's snmpbulkwalk of the same two tables for --reference-devices switches (CPU
time per device walk), printed as ours/reference CPU per device.

    python bench/bench_scale.py [--switches 500] [--per-process 125] [--cycles 2] [--reference-devices 20]

Needs root (port 161 on loopback) and snmpsim; talks only to 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nocdesk.credentials import save_snmp_credential
from nocdesk.engine import Engine
from nocdesk.store import open_store

COMMUNITY = "switch24"
PORTS = 24
IF = "1.3.6.1.2.1.2.2.1"
IFX = "1.3.6.1.2.1.31.1.1.1"


def recording() -> str:
    """A 24-port access switch plus a VLAN interface: what the engine walks, in snmprec format."""
    rows: list[tuple[str, int, object]] = [
        ("1.3.6.1.2.1.1.1.0", 4, "Simulated 24-port access switch"), ("1.3.6.1.2.1.1.2.0", 6, "1.3.6.1.4.1.99999.1.24"),
        ("1.3.6.1.2.1.1.3.0", 67, 8640000), ("1.3.6.1.2.1.1.4.0", 4, "noc@pemda.example"),
        ("1.3.6.1.2.1.1.5.0", 4, "sw-sim"), ("1.3.6.1.2.1.1.6.0", 4, "Lab"),
    ]
    indexes = list(range(1, PORTS + 1)) + [1000]
    columns = {
        f"{IF}.1": (2, lambda i: i), f"{IF}.2": (4, lambda i: f"GigabitEthernet0/{i}" if i <= PORTS else "Vlan1"),
        f"{IF}.3": (2, lambda i: 6 if i <= PORTS else 53), f"{IF}.5": (66, lambda i: 1_000_000_000),
        f"{IF}.7": (2, lambda i: 1), f"{IF}.8": (2, lambda i: 1 if i % 3 else 2),
        f"{IF}.10": (65, lambda i: 1000 * i), f"{IF}.11": (65, lambda i: 10 * i), f"{IF}.13": (65, lambda i: 0),
        f"{IF}.14": (65, lambda i: 0), f"{IF}.16": (65, lambda i: 2000 * i), f"{IF}.17": (65, lambda i: 20 * i),
        f"{IF}.19": (65, lambda i: 0), f"{IF}.20": (65, lambda i: 0),
        f"{IFX}.1": (4, lambda i: f"Gi0/{i}" if i <= PORTS else "Vl1"), f"{IFX}.2": (65, lambda i: 0),
        f"{IFX}.3": (65, lambda i: 0), f"{IFX}.4": (65, lambda i: 0), f"{IFX}.5": (65, lambda i: 0),
        f"{IFX}.6": (70, lambda i: 10**9 * i), f"{IFX}.7": (70, lambda i: 10**6 * i), f"{IFX}.8": (70, lambda i: 0),
        f"{IFX}.9": (70, lambda i: 0), f"{IFX}.10": (70, lambda i: 2 * 10**9 * i), f"{IFX}.11": (70, lambda i: 10**6),
        f"{IFX}.12": (70, lambda i: 0), f"{IFX}.13": (70, lambda i: 0), f"{IFX}.15": (66, lambda i: 1000),
        f"{IFX}.18": (4, lambda i: f"ruang {i}"), f"{IFX}.19": (67, lambda i: 0),
    }
    for column, (kind, make) in columns.items():
        rows += [(f"{column}.{i}", kind, make(i)) for i in indexes]
    rows.sort(key=lambda r: tuple(int(p) for p in r[0].split(".")))
    return "".join(f"{oid}|{kind}|{val}\n" for oid, kind, val in rows)


def endpoints(switches: int) -> list[str]:
    return [f"127.1.{n // 250}.{n % 250 + 1}" for n in range(switches)]


def start_simulators(work: Path, addresses: list[str], per_process: int) -> list[subprocess.Popen]:
    exe = shutil.which("snmpsim-command-responder") or str(Path(sys.executable).parent / "snmpsim-command-responder")
    data = work / "data"
    data.mkdir()
    (data / f"{COMMUNITY}.snmprec").write_text(recording())
    procs = []
    for k in range(0, len(addresses), per_process):
        args = [exe, f"--data-dir={data}", f"--cache-dir={work / f'cache{k}'}", "--log-level=error",
                *[f"--agent-udpv4-endpoint={a}:161" for a in addresses[k:k + per_process]]]
        if os.geteuid() == 0:
            args += ["--process-user=root", "--process-group=root"]
        log = open(work / f"snmpsim{k}.log", "wb")  # noqa: SIM115 - lives as long as the process
        procs.append(subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT))
    for k, proc in zip(range(0, len(addresses), per_process), procs, strict=True):
        last = addresses[min(len(addresses), k + per_process) - 1]
        deadline = time.monotonic() + 120
        while subprocess.run(["snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.5", "-r", "0", "-On", f"{last}:161",
                              "1.3.6.1.2.1.1.5.0"], capture_output=True, env={**os.environ, "MIBS": ""}).returncode:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"snmpsim did not start: {(work / f'snmpsim{k}.log').read_text()[-1500:]}")
            time.sleep(0.5)
    return procs


def cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def reference(addresses: list[str]) -> float:
    """CPU seconds per switch for net-snmp to bulk-walk ifTable and ifXTable (children's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for address in addresses:
        for table in (IF, IFX):
            subprocess.run(["snmpbulkwalk", "-v2c", "-c", COMMUNITY, "-Cr50", "-On", "-t", "2", f"{address}:161",
                            table], capture_output=True, env={**os.environ, "MIBS": ""}, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / len(addresses)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run_engine(db: Path, *, cycles: int, interval_s: int, sims: list[int]) -> list[dict[str, float]]:
    engine = Engine(db, rollup_every_s=10**9)
    results: list[dict[str, float]] = []
    polls: list[tuple[float, float, int]] = []   # (start, end, device) of every SNMP poll

    task = asyncio.ensure_future(engine.run())
    while not engine.ready.is_set():
        await asyncio.sleep(0.1)
    original = engine.poller._snmp

    async def timed(dev):  # noqa: ANN001, ANN202 - wraps Poller._snmp to time each device's poll
        start = time.monotonic()
        result = await original(dev)
        polls.append((start, time.monotonic(), dev.id))
        return result

    engine.poller._snmp = timed
    for _ in range(cycles):
        t0, cpu0, sim0, lag0, n0 = time.monotonic(), time.process_time(), cpu_of(sims), len(engine.start_lags_s), len(polls)
        await asyncio.sleep(interval_s)
        wall, cpu, sim = time.monotonic() - t0, time.process_time() - cpu0, cpu_of(sims) - sim0
        cycle = polls[n0:]
        lags = engine.start_lags_s[lag0:]
        results.append({
            "devices": len({d for _s, _e, d in cycle}), "span_s": (max(e for _s, e, _d in cycle) - min(s for s, _e, _d in cycle)) if cycle else 0.0,
            "cpu_pct": 100 * cpu / wall, "sim_cpu_pct": 100 * sim / wall,
            "lag_p50_ms": 1000 * pct(lags, 0.5), "lag_p99_ms": 1000 * pct(lags, 0.99),
            "poll_p50_ms": 1000 * pct([e - s for s, e, _d in cycle], 0.5),
            "poll_p99_ms": 1000 * pct([e - s for s, e, _d in cycle], 0.99),
            "failed": sum(1 for r in engine.poller.hints.values() if r.has_host_resources is None),
        })
    engine.request_stop()
    await task
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--switches", type=int, default=500)
    parser.add_argument("--per-process", type=int, default=125)
    parser.add_argument("--cycles", type=int, default=2)
    parser.add_argument("--interval-s", type=int, default=60)
    parser.add_argument("--reference-devices", type=int, default=20)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root (snmpsim listens on port 161 of 127.1.x.y)")
    work = Path(tempfile.mkdtemp(prefix="nocdesk-bench-scale-"))
    os.environ.update(NOCDESK_DATA_DIR=str(work / "nocdesk"), NOCDESK_SECRET_BACKEND="file",
                      NOCDESK_MASTER_PASSWORD="bench-master-pass")
    addresses = endpoints(args.switches)
    procs: list[subprocess.Popen] = []
    try:
        t = time.monotonic()
        procs = start_simulators(work, addresses, args.per_process)
        print(f"{len(procs)} snmpsim processes serving {len(addresses)} switches ({time.monotonic() - t:.0f} s to start)")
        ref_cpu = reference(addresses[:args.reference_devices])
        db = work / "scale.db"
        now = int(time.time())
        with open_store(db) as store:
            save_snmp_credential(store, "sim", version="2c", community=COMMUNITY, timeout_s=5, retries=1)
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO devices(name, address, kind, snmp_credential, interval_s, created_at, updated_at) "
                    "VALUES (?, ?, 'switch', 'sim', ?, ?, ?)",
                    [(f"sw{n:03d}", a, args.interval_s, now, now) for n, a in enumerate(addresses)])
        results = asyncio.run(run_engine(db, cycles=args.cycles, interval_s=args.interval_s,
                                         sims=[p.pid for p in procs]))
        with open_store(db, readonly=True) as store:
            rows = store.conn.execute("SELECT count(*) FROM samples").fetchone()[0]
            interfaces = store.conn.execute("SELECT count(*) FROM interfaces").fetchone()[0]
            up = store.conn.execute("SELECT count(*) FROM devices WHERE state = 'up'").fetchone()[0]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.switches} switches x {PORTS + 1} interfaces, interval {args.interval_s} s, {os.cpu_count()} cores")
    print(f"{'cycle':>5} {'polled':>7} {'span':>7} {'our CPU':>8} {'snmpsim CPU':>12} {'start lag p50/p99':>18} "
          f"{'poll p50/p99':>16}")
    for n, r in enumerate(results, start=1):
        print(f"{n:>5} {r['devices']:>7} {r['span_s']:6.1f}s {r['cpu_pct']:7.1f}% {r['sim_cpu_pct']:11.1f}% "
              f"{r['lag_p50_ms']:8.0f}/{r['lag_p99_ms']:<6.0f}ms {r['poll_p50_ms']:7.0f}/{r['poll_p99_ms']:<6.0f}ms")
    last = results[-1]
    ours_per_device = last["cpu_pct"] / 100 * args.interval_s / max(1, last["devices"])
    print(f"devices up: {up}/{args.switches}; interfaces stored: {interfaces}; samples: {rows}")
    print(f"CPU per device poll: ours {1000 * ours_per_device:.1f} ms (ICMP, SNMP, rates, store), net-snmp "
          f"snmpbulkwalk of the two tables {1000 * ref_cpu:.1f} ms -> ours/reference {ours_per_device / ref_cpu:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
