"""Benchmark: the real engine polling 500 x 24-port switches served by net-snmp's snmpd (C) in a namespace.

bench_scale.py could not show the scale target because snmpsim itself used 1.6 of the 2 cores. Here the
agents are net-snmp: namespace `nbs<pid>-agents` holds 24 veth ports (ge1..ge24, their peers pe1..pe24 in
the station) plus the uplink, so IF-MIB shows 26 interfaces with real 64-bit counters; one (or
--snmpd-procs) snmpd listens on 500 addresses 198.18.1.1.. (given as `udp:A:161` arguments: one
11 kB agentAddress line is too long for snmpd's config reader; v2c community,
a view of only system + IF-MIB and a switch sysObjectID, so the engine reads what it reads of a switch).
Namespace `nbs<pid>-station` (198.18.0.1/24, route to 198.18.0.0/15 over the uplink) runs the engine:
`ip netns exec STATION python bench/bench_scale_snmpd.py --child CFG` builds the production engine
(Engine + enginesetup.attach_all, as `nocdesk poll` does) on a store of 500 switches (v2c, interval 60 s,
check_method icmp = the default) and reports per 60-s window: devices polled, start lag p50/p99, our CPU
(% of one core), snmpd CPU, RSS, samples written/s, varbinds per interface walk, store growth.
A little UDP traffic crosses ge1/ge2 so their counters move.

Reference, same run, same agents, from the station: net-snmp `snmpbulkwalk -Cr50` of the 21 IF-MIB
columns the engine walks after its first poll (one process per column, as snmpbulkwalk takes one OID),
for every agent: sequentially and with `xargs -P 32`. Ratio: our CPU per device poll / snmpbulkwalk's.

    python bench/bench_scale_snmpd.py [--switches 500] [--duration-s 240] [--snmpd-procs 1] [--profile]

Needs root (namespaces, port 161). Addresses only from 198.18.0.0/15; namespaces are removed by name at
the end, on Ctrl-C and on failure (and stale ones of dead runs at the start).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from nsutil import delete_ns, in_netns, list_ns  # noqa: E402

from nocdesk.collectors import ifmib  # noqa: E402

PREFIX = f"nbs{os.getpid()}-"
AGENTS, STATION = PREFIX + "agents", PREFIX + "station"
COMMUNITY = "switch24"
SKIPPED = ifmib.LEGACY_OCTETS | ifmib.LEGACY_PACKETS
STEADY_COLUMNS = [oid for name, oid in ifmib.COLUMNS.items() if name not in SKIPPED]  # 21 after the first poll
NET_ENV = {**os.environ, "MIBS": ""}


def agent_addresses(n: int) -> list[str]:
    return [f"198.18.{1 + k // 250}.{k % 250 + 1}" for k in range(n)]


def ip_batch(ns: str | None, lines: list[str]) -> None:
    argv = ["ip", *(["-n", ns] if ns else []), "-batch", "-"]
    r = subprocess.run(argv, input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode:
        raise RuntimeError(f"ip -batch in {ns or 'root namespace (netns add only)'} failed: {r.stderr.strip()}")


def sweep_stale() -> None:
    """Remove nbs<pid>-* namespaces and temp dirs whose run is gone (a killed earlier run)."""
    for name in list_ns("nbs"):
        m = re.match(r"^nbs(\d+)-", name)
        if m and not Path(f"/proc/{m.group(1)}").exists():
            delete_ns(name)
    for d in Path(tempfile.gettempdir()).glob("nbs*-*"):
        m = re.match(r"^nbs(\d+)-", d.name)
        if m and d.is_dir() and (d / "snmpd0").exists() and not Path(f"/proc/{m.group(1)}").exists():
            shutil.rmtree(d, ignore_errors=True)


def build_net(addresses: list[str], ports: int) -> None:
    ip_batch(None, [f"netns add {AGENTS}", f"netns add {STATION}"])
    agents = ["link set lo up", f"link add up0 type veth peer name st0 netns {STATION}",
              "addr add 198.18.0.2/24 dev up0", "link set up0 up"]
    for k in range(1, ports + 1):
        agents += [f"link add ge{k} type veth peer name pe{k} netns {STATION}", f"link set ge{k} up"]
    agents += ["addr add 198.18.3.1/30 dev ge1", "addr add 198.18.3.5/30 dev ge2"]
    agents += [f"addr add {a}/32 dev lo" for a in addresses]
    ip_batch(AGENTS, agents)
    station = ["link set lo up", "addr add 198.18.0.1/24 dev st0", "link set st0 up",
               "addr add 198.18.3.2/30 dev pe1", "addr add 198.18.3.6/30 dev pe2"]
    station += [f"link set pe{k} up" for k in range(1, ports + 1)]
    # One gateway instead of 500 ARP neighbours (the default gc_thresh2 is 512).
    station += ["route add 198.18.0.0/15 via 198.18.0.2"]
    ip_batch(STATION, station)


def snmpd_config() -> str:
    """Listening addresses go on the command line: with all 500 on one agentAddress line (11 kB) snmpd did
    not answer on the last ones (its config line buffer is shorter); as arguments all 500 sockets open."""
    return "\n".join([
        "view switch included .1.3.6.1.2.1.1", "view switch included .1.3.6.1.2.1.2",
        "view switch included .1.3.6.1.2.1.31.1",
        f"rocommunity {COMMUNITY} 198.18.0.0/24 -V switch",
        "sysObjectID .1.3.6.1.4.1.99999.1.24", "sysName sw-snmpd", "sysLocation Lab",
        "sysContact noc@pemda.example", "sysDescr net-snmp serving as a 24-port access switch",
        "dontLogTCPWrappersConnects yes", "",
    ])


def start_snmpd(work: Path, addresses: list[str], procs: int) -> list[subprocess.Popen]:
    exe = shutil.which("snmpd") or "/usr/sbin/snmpd"
    share = -(-len(addresses) // procs)
    started = []
    for k in range(procs):
        mine = addresses[k * share:(k + 1) * share]
        d = work / f"snmpd{k}"
        d.mkdir()
        (d / "snmpd.conf").write_text(snmpd_config())
        log = open(d / "log", "wb")  # noqa: SIM115 - lives as long as the process
        started.append((subprocess.Popen(
            ["ip", "netns", "exec", AGENTS, exe, "-f", "-Lf", str(d / "snmpd.log"), "-C", "-c", str(d / "snmpd.conf"),
             "-p", str(d / "pid"), f"--persistentDir={d}", *(f"udp:{a}:161" for a in mine)],
            stdout=log, stderr=subprocess.STDOUT, env=NET_ENV), mine[-1], d))
    for proc, last, d in started:
        deadline = time.monotonic() + 60
        while subprocess.run(["ip", "netns", "exec", STATION, "snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.5", "-r", "0",
                              "-On", f"{last}:161", "1.3.6.1.2.1.1.5.0"], capture_output=True, env=NET_ENV).returncode:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"snmpd did not answer on {last}: {(d / 'snmpd.log').read_text()[-1500:]}")
            time.sleep(0.3)
    return [p for p, _, _ in started]


def cpu_of(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def snmpd_pids(procs: list[subprocess.Popen]) -> list[int]:
    """The snmpd processes themselves (ip netns exec execs into snmpd, so the Popen pid is snmpd's)."""
    return [p.pid for p in procs]


def traffic(stop: threading.Event, rate_pps: int = 200) -> None:
    """~200 kB/s of UDP from the station's pe1/pe2 to ge1/ge2, so those ports' counters move."""
    with in_netns(AGENTS):
        sinks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
    with in_netns(STATION):
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for s, addr in zip(sinks, ("198.18.3.1", "198.18.3.5"), strict=True):
        s.bind((addr, 9))
        s.setblocking(False)
    payload = b"\x00" * 1000
    while not stop.wait(0.1):
        for _ in range(rate_pps // 10):
            tx.sendto(payload, ("198.18.3.1", 9))
            tx.sendto(payload[:500], ("198.18.3.5", 9))
        for s in sinks:
            try:
                while s.recv(2048):
                    pass
            except BlockingIOError:
                pass
    for s in [*sinks, tx]:
        s.close()


def reference(work: Path, addresses: list[str], parallel: int, snmpd: list[int], *, rows: int = 0) -> dict[str, float]:
    """net-snmp reading the 21 columns of each agent, from the station: wall, CPU, snmpd CPU, varbinds.

    rows=0: one `snmpbulkwalk -Cr50` process per column (snmpbulkwalk takes one OID); rows=N: one
    `snmpbulkget -Cr N` process per agent asking all columns at once (needs the row count: the cheapest
    net-snmp can do it, process start paid once per agent).
    """
    script = work / f"ref{rows}.sh"
    if rows:
        body = f"snmpbulkget -v2c -c {COMMUNITY} -Cn0 -Cr{rows} -On -Oq -t 2 -r 1 \"$1\" {' '.join(STEADY_COLUMNS)}"
    else:
        body = "\n".join(f"snmpbulkwalk -v2c -c {COMMUNITY} -Cr50 -On -Oq -t 2 -r 1 \"$1\" {c}" for c in STEADY_COLUMNS)
    script.write_text(f"#!/bin/sh\nexport MIBS=\n{body}\n")
    per_agent = subprocess.run(["ip", "netns", "exec", STATION, "sh", str(script), addresses[0]], capture_output=True,
                               text=True, check=True).stdout.count("\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sim0, t0 = cpu_of(snmpd), time.monotonic()
    r = subprocess.run(["ip", "netns", "exec", STATION, "xargs", "-P", str(parallel), "-n", "1", "sh", str(script)],
                       input="\n".join(addresses) + "\n", capture_output=True, text=True)
    wall, sim = time.monotonic() - t0, cpu_of(snmpd) - sim0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"reference net-snmp run failed: {r.stderr[-800:]}")
    return {"agents": len(addresses), "wall_s": wall,
            "cpu_s": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "snmpd_cpu_s": sim, "varbinds_per_agent": per_agent, "varbinds": len(r.stdout.splitlines())}


def fill_store(db: Path, addresses: list[str], interval_s: int, check_method: str) -> None:
    from nocdesk.credentials import save_snmp_credential
    from nocdesk.store import open_store

    now = int(time.time())
    with open_store(db) as store:
        save_snmp_credential(store, "switches", version="2c", community=COMMUNITY)
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO devices(name, address, kind, snmp_credential, interval_s, check_method, created_at, "
                "updated_at) VALUES (?, ?, 'switch', 'switches', ?, ?, ?, ?)",
                [(f"sw{n:03d}", a, interval_s, check_method, now, now) for n, a in enumerate(addresses)])


# --- the engine side (runs inside the station namespace) ---------------------------------------------------

def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def rss_kb() -> tuple[int, int]:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]), int(status["VmHWM"].split()[0])


def db_bytes(db: Path) -> int:
    """Logical size of the store (used pages, WAL content included), read through a separate connection."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        pages, free, size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    finally:
        conn.close()
    return (pages - free) * size


async def engine_run(cfg: dict) -> dict:
    import cProfile
    import io
    import pstats

    from nocdesk.engine import Engine
    from nocdesk.enginesetup import attach_all

    db, interval_s, snmpd = Path(cfg["db"]), cfg["interval_s"], cfg["snmpd_pids"]
    walked = {"walks": 0, "varbinds": 0, "columns": 0}
    original_walk = ifmib.walk_columns

    async def counting_walk(target, cred, oids, **kw):  # noqa: ANN001, ANN202 - counts what the engine walks
        cols = await original_walk(target, cred, oids, **kw)
        walked["walks"] += 1
        walked["columns"] += len(oids)
        walked["varbinds"] += sum(len(v) for v in cols.values())
        return cols

    ifmib.walk_columns = counting_walk
    engine = Engine(db)
    attach_all(engine)
    task = asyncio.ensure_future(engine.run())
    while not engine.ready.is_set():
        await asyncio.sleep(0.05)
    polls: list[tuple[float, float, int, bool]] = []
    original_snmp, original_flush = engine.poller._snmp, engine.ingest.flush
    written = {"samples": 0}
    failures: dict[str, int] = {}

    async def timed(dev):  # noqa: ANN001, ANN202
        start = time.monotonic()
        result = await original_snmp(dev)
        polls.append((start, time.monotonic(), dev.id, result.ok))
        if not result.ok:
            failures[result.reason[:160]] = failures.get(result.reason[:160], 0) + 1
        return result

    def flush(batch, **kw):  # noqa: ANN001, ANN202
        stats = original_flush(batch, **kw)
        written["samples"] += stats.samples
        return stats

    engine.poller._snmp, engine.ingest.flush = timed, flush
    windows, profile_text = [], ""
    t_start = time.monotonic()
    for w in range(cfg["windows"]):
        profiler = cProfile.Profile() if cfg["profile"] and w == 1 else None
        t0, cpu0, sim0 = time.monotonic(), time.process_time(), cpu_of(snmpd)
        lag0, n0, s0, v0, b0 = len(engine.start_lags_s), len(polls), written["samples"], dict(walked), db_bytes(db)
        if profiler:
            profiler.enable()
        await asyncio.sleep(max(0.0, t_start + (w + 1) * interval_s - time.monotonic()))
        if profiler:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            profile_text = out.getvalue()
        wall = time.monotonic() - t0
        done = [p for p in polls[n0:]]
        lags = engine.start_lags_s[lag0:]
        walks = walked["walks"] - v0["walks"]
        windows.append({
            "devices": len({d for _s, _e, d, ok in done if ok}), "polls": len(done),
            "failed": sum(1 for *_, ok in done if not ok), "cpu_pct": 100 * (time.process_time() - cpu0) / wall,
            "snmpd_cpu_pct": 100 * (cpu_of(snmpd) - sim0) / wall,
            "lag_p50_ms": 1000 * pct(lags, 0.5), "lag_p99_ms": 1000 * pct(lags, 0.99), "lag_max_ms": 1000 * max(lags or [0]),
            "poll_p50_ms": 1000 * pct([e - s for s, e, *_ in done], 0.5),
            "poll_p99_ms": 1000 * pct([e - s for s, e, *_ in done], 0.99),
            "samples_per_s": (written["samples"] - s0) / wall, "rss_kb": rss_kb()[0],
            "varbinds_per_walk": (walked["varbinds"] - v0["varbinds"]) / walks if walks else 0,
            "columns_per_walk": (walked["columns"] - v0["columns"]) / walks if walks else 0,
            "db_growth_b": db_bytes(db) - b0, "wall_s": wall,
        })
        print(f"window {w + 1}: {windows[-1]['devices']} devices, CPU {windows[-1]['cpu_pct']:.1f} %", file=sys.stderr,
              flush=True)
    engine.request_stop()
    await task
    from nocdesk.store import open_store

    with open_store(db, readonly=True) as store:
        q = store.conn.execute
        end = {"samples": q("SELECT count(*) FROM samples").fetchone()[0],
               "interfaces": q("SELECT count(*) FROM interfaces").fetchone()[0],
               "up": q("SELECT count(*) FROM devices WHERE state = 'up'").fetchone()[0]}
    starts: dict[int, list[float]] = {}
    for start, _end, device, ok in polls:
        if ok and start >= t_start + interval_s:  # after the first window: every device had its first poll
            starts.setdefault(device, []).append(start)
    gaps = [b - a for s in starts.values() for a, b in zip(s, s[1:], strict=False)]
    return {"windows": windows, "end": end, "peak_rss_kb": rss_kb()[1], "profile": profile_text,
            "gap_max_s": max(gaps or [0.0]), "gap_p50_s": pct(gaps, 0.5), "gaps": len(gaps),
            "gaps_late": sum(1 for g in gaps if g > interval_s + 1),
            "failures": sorted(failures.items(), key=lambda kv: -kv[1])[:5]}


def child(cfg_path: str) -> int:
    cfg = json.loads(Path(cfg_path).read_text())
    result = asyncio.run(engine_run(cfg))
    Path(cfg["out"]).write_text(json.dumps(result))
    return 0


# --- the orchestration (root namespace: namespaces and processes only, no addresses or routes) ----------------

def report(args: argparse.Namespace, result: dict, refs: dict[str, dict[str, float]], loads: list[str]) -> None:
    n = args.switches
    print(f"\n{n} switches x {args.ports + 2} interfaces (snmpd, {args.snmpd_procs} process(es)), interval "
          f"{args.interval_s} s, check_method {args.check_method}, {os.cpu_count()} cores; load average {' -> '.join(loads)}")
    print(f"{'window':>6} {'polled':>7} {'fail':>5} {'our CPU':>8} {'snmpd CPU':>10} {'start lag p50/p99/max':>22} "
          f"{'poll p50/p99':>15} {'samples/s':>10} {'vb/walk':>8} {'RSS':>7} {'store':>8}")
    for k, w in enumerate(result["windows"], start=1):
        flag = " (profiled)" if args.profile and k == 2 else (" (first polls)" if k == 1 else "")
        print(f"{k:>6} {w['devices']:>4}/{n:<3} {w['failed']:>4} {w['cpu_pct']:7.1f}% {w['snmpd_cpu_pct']:9.1f}% "
              f"{w['lag_p50_ms']:7.0f}/{w['lag_p99_ms']:.0f}/{w['lag_max_ms']:.0f} ms "
              f"{w['poll_p50_ms']:6.0f}/{w['poll_p99_ms']:<5.0f}ms {w['samples_per_s']:9.0f} "
              f"{w['varbinds_per_walk']:4.0f}/{w['columns_per_walk']:<3.0f}{w['rss_kb'] / 1024:6.0f}M "
              f"{w['db_growth_b'] / 1e6:+6.1f}MB{flag}")
    steady = [w for k, w in enumerate(result["windows"], start=1) if k > 1 and not (args.profile and k == 2)]
    steady = steady or result["windows"][1:]
    cpu = sum(w["cpu_pct"] for w in steady) / len(steady)
    # Window 2 creates the ~100k rate sensors (the first poll gives no rates): growth from window 3 on.
    later = [w for k, w in enumerate(result["windows"], start=1) if k > 2] or steady
    growth = sum(w["db_growth_b"] for w in later) / sum(w["wall_s"] for w in later) * 3600
    per_sample = growth / 3600 / max(1.0, sum(w["samples_per_s"] for w in later) / len(later))
    polls = sum(w["polls"] for w in steady) / len(steady)
    end = result["end"]
    print(f"steady windows: {min(w['devices'] for w in steady)}-{max(w['devices'] for w in steady)} of {n} devices per "
          f"window, our CPU {cpu:.1f} % of one core, peak RSS {result['peak_rss_kb'] / 1024:.0f} MB, store growth "
          f"~{growth / 1e6:.0f} MB/h from window 3 (used pages; {per_sample:.0f} B per raw sample incl. rollups); devices up {end['up']}/{n}, interfaces {end['interfaces']}, "
          f"samples {end['samples']}")
    print(f"time between two polls of a device (after window 1): median {result['gap_p50_s']:.1f} s, max "
          f"{result['gap_max_s']:.1f} s; {result['gaps_late']} of {result['gaps']} over {args.interval_s + 1} s")
    if result["failures"]:
        print("failed polls:", "; ".join(f"{c}x {r}" for r, c in result["failures"]))
    ours_cpu_per_poll = cpu / 100 * args.interval_s / max(1.0, polls)
    snmpd_per_poll = sum(w["snmpd_cpu_pct"] for w in steady) / len(steady) / 100 * args.interval_s / max(1.0, polls)
    print(f"ours: {1000 * ours_cpu_per_poll:.1f} ms CPU per device poll (ICMP, SNMP system + {len(STEADY_COLUMNS)} "
          f"columns, rates, states, store); snmpd {1000 * snmpd_per_poll:.1f} ms CPU per poll")
    for name, ref in refs.items():
        per_dev, scale = ref["cpu_s"] / ref["agents"], n / ref["agents"]
        print(f"reference {name}: {ref['varbinds_per_agent']} varbinds/agent; {n} agents: wall {ref['wall_s'] * scale:.1f} s"
              f"{' (extrapolated)' if scale != 1 else ''}, CPU {ref['cpu_s'] * scale:.1f} s ({1000 * per_dev:.1f} ms/agent), "
              f"snmpd {ref['snmpd_cpu_s'] * scale:.1f} s -> ours/reference CPU {ours_cpu_per_poll / per_dev:.2f}x")
    if result["profile"]:
        path = Path(tempfile.gettempdir()) / f"bench_scale_snmpd_profile_{os.getpid()}.txt"
        path.write_text(result["profile"])
        print(f"cProfile of window 2 (tottime, cumulative): {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--switches", type=int, default=500)
    parser.add_argument("--ports", type=int, default=24)
    parser.add_argument("--snmpd-procs", type=int, default=1)
    parser.add_argument("--duration-s", type=int, default=240, help="engine run (whole 60-s windows)")
    parser.add_argument("--interval-s", type=int, default=60)
    parser.add_argument("--check-method", default="icmp", choices=["icmp", "snmp"])
    parser.add_argument("--no-reference", dest="reference", action="store_false")
    parser.add_argument("--ref-seq-agents", type=int, default=100, help="agents walked sequentially (extrapolated)")
    parser.add_argument("--parallel", type=int, default=32)
    parser.add_argument("--profile", action="store_true", help="cProfile the engine during window 2")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    if os.geteuid() != 0:
        raise SystemExit("run as root (network namespaces, snmpd on port 161)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sweep_stale()
    work = Path(tempfile.mkdtemp(prefix=PREFIX))
    addresses = agent_addresses(args.switches)
    stop = threading.Event()
    procs: list[subprocess.Popen] = []
    loads = [" ".join(Path("/proc/loadavg").read_text().split()[:3])]
    try:
        t = time.monotonic()
        build_net(addresses, args.ports)
        procs = start_snmpd(work, addresses, args.snmpd_procs)
        print(f"namespaces {AGENTS}/{STATION}, {len(procs)} snmpd serving {len(addresses)} agents "
              f"({time.monotonic() - t:.1f} s to start)", flush=True)
        pids = snmpd_pids(procs)
        refs: dict[str, dict[str, float]] = {}
        plan = [(f"snmpbulkwalk per column, sequential ({args.ref_seq_agents} agents)", 1, args.ref_seq_agents, 0),
                (f"snmpbulkwalk per column, xargs -P {args.parallel}", args.parallel, len(addresses), 0)]
        for name, par, agents, rows in plan if args.reference else []:
            refs[name] = reference(work, addresses[:agents], par, pids, rows=rows)
            print(f"reference {name}: {refs[name]['wall_s']:.1f} s", flush=True)
        threading.Thread(target=traffic, args=(stop,), daemon=True).start()
        db = work / "scale.db"
        os.environ.update(NOCDESK_DATA_DIR=str(work / "nocdesk"), NOCDESK_SECRET_BACKEND="file",
                          NOCDESK_MASTER_PASSWORD="bench-master-pass")
        fill_store(db, addresses, args.interval_s, args.check_method)
        cfg = {"db": str(db), "interval_s": args.interval_s, "snmpd_pids": pids, "profile": args.profile,
               "windows": max(2, args.duration_s // args.interval_s), "out": str(work / "result.json")}
        (work / "cfg.json").write_text(json.dumps(cfg))
        subprocess.run(["ip", "netns", "exec", STATION, sys.executable, str(Path(__file__).resolve()),
                        "--child", str(work / "cfg.json")], check=True, env=os.environ)
        result = json.loads((work / "result.json").read_text())
        loads.append(" ".join(Path("/proc/loadavg").read_text().split()[:3]))
        report(args, result, refs, loads)
    finally:
        stop.set()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for ns in (STATION, AGENTS):
            delete_ns(ns)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
