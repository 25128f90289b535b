"""SNMP walk benchmark: our client (fast path and pysnmp settings) against net-snmp's snmpbulkwalk -Cr50.

Starts its own snmpd on 127.0.0.1 (a free UDP port), walks the whole tree (several thousand varbinds) with
every contender, interleaved, `--reps` times, and prints varbinds/s and ours/snmpbulkwalk (as a speed
ratio: >= 0.5x is the target). A contender that returns a different set of OIDs is flagged with '!'
and the script exits 1. Usage: python bench/bench_snmp_walk.py [--reps 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nocdesk.collectors import snmp, snmp_fast

COMMUNITY = "bench-ro"
USER, AUTH_KEY, PRIV_KEY = "bench", "bench-auth-123", "bench-priv-456"
# Rows that appear and vanish while walking (sockets, processes) are kept out of the view, so every
# contender sees exactly the same tree.
VOLATILE = [".1.3.6.1.2.1.6", ".1.3.6.1.2.1.7", ".1.3.6.1.2.1.25.4", ".1.3.6.1.2.1.25.5", ".1.3.6.1.2.1.4.31",
            ".1.3.6.1.2.1.4.34", ".1.3.6.1.2.1.4.35", ".1.3.6.1.2.1.4.22"]
ENV = {**os.environ, "MIBS": "", "MIBDIRS": "/nonexistent"}
ROOT = "1.3"


def start_snmpd(workdir: Path) -> tuple[subprocess.Popen, int]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    lines = [f"agentAddress udp:127.0.0.1:{port}", "view stable included .1"]
    lines += [f"view stable excluded {oid}" for oid in VOLATILE]
    lines += [f"rocommunity {COMMUNITY} 127.0.0.1 -V stable", f'createUser {USER} SHA "{AUTH_KEY}" AES "{PRIV_KEY}"',
              f"rouser {USER} priv -V stable"]
    (workdir / "snmpd.conf").write_text("\n".join(lines) + "\n")
    snmpd = shutil.which("snmpd") or "/usr/sbin/snmpd"
    process = subprocess.Popen([snmpd, "-f", "-Lo", "-C", "-c", str(workdir / "snmpd.conf"), "-p",
                                str(workdir / "pid"), f"--persistentDir={workdir}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=ENV)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done = subprocess.run(["snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0", f"127.0.0.1:{port}",
                               "1.3.6.1.2.1.1.5.0"], capture_output=True, env=ENV)
        if done.returncode == 0:
            return process, port
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("snmpd did not start")


def net_snmp(port: int, v3: bool) -> Callable[[], list[str]]:
    auth = (["-v3", "-l", "authPriv", "-u", USER, "-a", "SHA", "-A", AUTH_KEY, "-x", "AES", "-X", PRIV_KEY]
            if v3 else ["-v2c", "-c", COMMUNITY])

    def run() -> list[str]:
        out = subprocess.run(["snmpbulkwalk", "-m", "", "-On", "-Cr50", *auth, f"127.0.0.1:{port}", "." + ROOT],
                             capture_output=True, text=True, env=ENV, check=True).stdout
        return [line.split(" = ")[0].lstrip(".") for line in out.splitlines()
                if " = " in line and "No more variables left" not in line]
    return run


def ours(port: int, v3: bool, backend: str, reps: int) -> Callable[[], list[str]]:
    cred = (snmp.SnmpCredential("3", user=USER, auth_protocol="SHA", auth_key=AUTH_KEY, priv_protocol="AES",
                                priv_key=PRIV_KEY, port=port) if v3 else
            snmp.SnmpCredential("2c", community=COMMUNITY, port=port))

    def run() -> list[str]:
        async def walk() -> list[str]:
            with snmp.backend(backend):
                return [oid for oid, _ in await snmp.walk("127.0.0.1", cred, ROOT, max_repetitions=reps)]
        return _LOOP.run_until_complete(walk())  # one loop: the engine is shared between walks
    return run


def new_engine_each_walk(port: int) -> Callable[[], list[str]]:
    cred = snmp.SnmpCredential("2c", community=COMMUNITY, port=port)

    def run() -> list[str]:
        async def walk() -> list[str]:
            with snmp.backend("pysnmp"):
                return [oid for oid, _ in await snmp.walk("127.0.0.1", cred, ROOT, max_repetitions=50)]
        return asyncio.run(walk())  # a new event loop gets a new SnmpEngine
    return run


def pysnmp_lookups_on(port: int) -> Callable[[], list[str]]:
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData,
        ContextData,
        ObjectIdentity,
        ObjectType,
        SnmpEngine,
        UdpTransportTarget,
        bulk_walk_cmd,
    )

    engine = SnmpEngine()

    def run() -> list[str]:
        async def walk() -> list[str]:
            target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=1)
            oids = []
            async for error, status, _index, varbinds in bulk_walk_cmd(
                    engine, CommunityData(COMMUNITY, mpModel=1), target, ContextData(), 0, 50,
                    ObjectType(ObjectIdentity(ROOT)), lexicographicMode=False, lookupMib=True):
                if error or status:
                    raise SystemExit(f"pysnmp lookups-on walk failed: {error or status}")
                oids += [str(vb[0].get_oid()) if hasattr(vb[0], "get_oid") else str(vb[0]) for vb in varbinds]
            return oids
        return _LOOP.run_until_complete(walk())
    return run


_LOOP = asyncio.new_event_loop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, port = start_snmpd(Path(tmp))
        try:
            return run_all(port, args.reps)
        finally:
            process.terminate()
            process.wait(timeout=5)


def run_all(port: int, reps: int) -> int:
    contenders: dict[str, Callable[[], list[str]]] = {
        "snmpbulkwalk -Cr50 v2c": net_snmp(port, False),
        "snmpbulkwalk -Cr50 v3": net_snmp(port, True),
    }
    if snmp_fast.AVAILABLE:
        contenders["ours fast v2c (auto)"] = ours(port, False, "fast", 50)
        contenders["ours fast v3 authPriv"] = ours(port, True, "fast", 50)
    for repetitions in (10, 25, 50, 100):
        contenders[f"ours pysnmp v2c rep {repetitions}"] = ours(port, False, "pysnmp", repetitions)
    contenders["ours pysnmp v3 authPriv rep 50"] = ours(port, True, "pysnmp", 50)
    contenders["pysnmp rep 50 new engine/walk"] = new_engine_each_walk(port)
    contenders["pysnmp rep 50 MIB lookups on"] = pysnmp_lookups_on(port)

    # The agent's tree can change while we run (other tests add namespaces, mounts, addresses): a contender
    # is wrong only when its OIDs match none of the reference walks taken during the run.
    references: list[list[str]] = []
    results: dict[str, list[list[str]]] = {name: [] for name in contenders}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for walk in contenders.values():  # warm-up: engines, key localisation, imports
        walk()
    for _ in range(reps):
        for name, walk in contenders.items():
            start = time.perf_counter()
            oids = walk()
            times[name].append(time.perf_counter() - start)
            results[name].append(oids)
            if name.startswith("snmpbulkwalk"):
                references.append(oids)
    mismatched = {name for name, walks in results.items() if any(w not in references for w in walks)}
    reference = references[0]
    count = len(reference)
    print(f"full walk of {count} varbinds on 127.0.0.1, {reps} reps (median / min wall time)")
    print(f"{'contender':34} {'median s':>9} {'min s':>7} {'varbinds/s':>11} {'vs snmpbulkwalk':>16}")
    for name, samples in times.items():
        median = statistics.median(samples)
        base = statistics.median(times["snmpbulkwalk -Cr50 v3" if " v3" in name else "snmpbulkwalk -Cr50 v2c"])
        flag = " !" if name in mismatched else ""
        print(f"{name:34} {median:9.3f} {min(samples):7.3f} {count / median:11,.0f} {base / median:15.2f}x{flag}")
    if mismatched:
        print("! returned a different set of OIDs than snmpbulkwalk: " + ", ".join(sorted(mismatched)))
    return 1 if mismatched else 0


if __name__ == "__main__":
    sys.exit(main())
