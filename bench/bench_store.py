"""Benchmark: the engine's write path and the size of history on disk.

1. Ingest: batches as the engine writes them (`nocdesk.samples.Ingest.flush`: sensor lookup, samples via
   executemany, sensors.last_value, live columns, heartbeat — one transaction per batch) for 1,000 sensors.
   Reports samples/s and p50/p99 commit time per batch. Reference, same run and file system: a bare
   sqlite3 executemany of the same rows into the same WITHOUT ROWID table in one transaction per batch.
   Targets: >= 50,000 samples/s, p99 commit <= 50 ms.
2. Size: one day of realistic values (1,000 sensors every 60 s: bit rates as integers, RTT/utilisation as
   floats, error rates mostly 0) measured with dbstat; bytes per raw sample (target <= 25) and per rollup row.
3. Projection: 1,000 sensors polled every 60 s after 400 days at default retention (raw 7 d, 5 min 90 d,
   1 h 5 y, 1 d forever).

    python bench/bench_store.py [--batches 200] [--batch-samples 2500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from nocdesk.rollups import DAY_S, run_rollups
from nocdesk.samples import Batch, Ingest, SensorKey
from nocdesk.store import Store, open_store

SENSORS = 1000
INTERFACES = 87                     # 87 interfaces x 8 kinds + 100 devices x 3 kinds + 4 CPU = 1,000 sensors
DEVICES = 100
IF_KINDS = ("in_bps", "out_bps", "util_in_pct", "util_out_pct", "in_errors_ps", "out_errors_ps",
            "in_discards_ps", "out_discards_ps")
DEV_KINDS = ("rtt_ms", "loss_pct", "jitter_ms")


def build(store: Store) -> list[SensorKey]:
    """Devices and interfaces for 1,000 sensors; returns the sensor keys."""
    now = int(time.time())
    keys: list[SensorKey] = []
    with store.transaction() as conn:
        for d in range(1, DEVICES + 1):
            conn.execute("INSERT INTO devices(id, name, address, kind, created_at, updated_at) "
                         "VALUES (?, ?, ?, 'switch', ?, ?)", (d, f"sw{d}", f"198.18.{d // 250}.{d % 250 + 1}", now, now))
            keys += [SensorKey(d, k) for k in DEV_KINDS]
        for i in range(1, INTERFACES + 1):
            d = 1 + (i - 1) % DEVICES
            conn.execute("INSERT INTO interfaces(id, device_id, if_index, name) VALUES (?, ?, ?, ?)",
                         (i, d, i, f"ge-0/0/{i}"))
            keys += [SensorKey(d, k, interface_id=i) for k in IF_KINDS]
        keys += [SensorKey(d, "cpu_pct") for d in range(1, 5)]
    assert len(keys) == SENSORS
    return keys


def value(rnd: random.Random, kind: str) -> float:
    """What the engine stores for a kind (checks.py rounds the same way)."""
    if kind.endswith("_bps"):
        return int(rnd.lognormvariate(15, 2))            # ~3 Mbit/s median, integers
    if kind.endswith("_ps"):
        return 0 if rnd.random() < 0.97 else round(rnd.random() * 5, 3)
    if kind == "loss_pct":
        return 0.0 if rnd.random() < 0.98 else 33.33
    if kind.endswith("_pct"):
        return round(rnd.random() * 60, 2)
    return round(rnd.lognormvariate(1, 1), 3)            # rtt_ms, jitter_ms


def ingest_bench(path: Path, *, batches: int, batch_samples: int) -> tuple[float, list[float]]:
    store = open_store(path)
    keys = build(store)
    ingest = Ingest(store)
    rnd = random.Random(1)
    ts0 = int(time.time()) - batches * 60
    prepared = []
    for b in range(batches):
        batch = Batch()
        for j in range(batch_samples):
            key = keys[(b * batch_samples + j) % SENSORS]
            batch.add_sample(key, ts0 + (b * batch_samples + j) // SENSORS * 60, value(rnd, key.kind))
        for d in range(1, 11):
            batch.set_device(d, last_check_at=ts0 + b, last_rtt_ms=1.0, last_loss_pct=0.0)
        prepared.append(batch)
    run_id = store.conn.execute("INSERT INTO engine_runs(started_at, last_beat_at) VALUES (?, ?)",
                                (ts0, ts0)).lastrowid
    commits = []
    start = time.perf_counter()
    for b, batch in enumerate(prepared):
        stats = ingest.flush(batch, heartbeat={"last_beat_at": ts0 + b, "last_cycle_s": 0.1, "lag_s": 0.0},
                             run_id=run_id)
        commits.append(stats.commit_s)
    elapsed = time.perf_counter() - start
    store.close()
    return batches * batch_samples / elapsed, commits


def reference_bench(path: Path, *, batches: int, batch_samples: int) -> tuple[float, list[float]]:
    """Bare sqlite3: the same table definition and pragmas, executemany per batch, nothing else."""
    store = open_store(path)
    rnd = random.Random(1)
    rows = [[(1 + (b * batch_samples + j) % SENSORS, (b * batch_samples + j) // SENSORS * 60, value(rnd, "rtt_ms"))
             for j in range(batch_samples)] for b in range(batches)]
    commits = []
    start = time.perf_counter()
    for batch in rows:
        t = time.perf_counter()
        store.conn.execute("BEGIN IMMEDIATE")
        store.conn.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)", batch)
        store.conn.execute("COMMIT")
        commits.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - start
    store.close()
    return batches * batch_samples / elapsed, commits


def size_bench(path: Path) -> dict[str, float]:
    """One day of 60 s samples for 1,000 sensors, then its rollups; bytes per row from dbstat."""
    store = open_store(path)
    keys = build(store)
    rnd = random.Random(2)
    day0 = (int(time.time()) // DAY_S - 3) * DAY_S
    with store.transaction() as conn:
        ids = {k: i for i, k in enumerate(keys, start=1)}
        conn.executemany("INSERT INTO sensors(id, device_id, interface_id, kind) VALUES (?, ?, ?, ?)",
                         [(i, k.device_id, k.interface_id, k.kind) for k, i in ids.items()])
        for minute in range(1440):
            conn.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)",
                             [(i, day0 + minute * 60 + (i % 60), value(rnd, k.kind)) for k, i in ids.items()])
    run_rollups(store, day0 + DAY_S + 3600)
    out = {}
    for table in ("samples", "rollup_5m", "rollup_1h", "rollup_1d"):
        rows = store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        size = store.conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", (table,)).fetchone()[0] or 0
        out[table] = size / rows if rows else 0.0
        out[table + "_rows"] = rows
    store.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--batch-samples", type=int, default=2000)  # engine.MAX_BATCH_SAMPLES
    parser.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="nocdesk-bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ours, commits = ingest_bench(work / "ingest.db", batches=args.batches, batch_samples=args.batch_samples)
        ref, ref_commits = reference_bench(work / "reference.db", batches=args.batches,
                                           batch_samples=args.batch_samples)
        sizes = size_bench(work / "size.db")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Ingest, {args.batches} batches of {args.batch_samples} samples over {SENSORS} sensors "
          f"(one transaction per batch, WAL, synchronous=NORMAL)")
    print(f"  {'':28} {'samples/s':>10} {'p50 commit':>11} {'p99 commit':>11}")
    for name, rate, times in (("ours (Ingest.flush)", ours, commits), ("reference (bare executemany)", ref, ref_commits)):
        print(f"  {name:28} {rate:10,.0f} {statistics.median(times) * 1000:9.1f} ms {pct(times, 0.99) * 1000:9.1f} ms")
    print(f"  ours / reference throughput: {ours / ref:.2f}x   target >= 50,000 samples/s, p99 <= 50 ms: "
          f"{'met' if ours >= 50_000 and pct(commits, 0.99) <= 0.05 else 'NOT met'}")
    print()
    print("Size on disk (dbstat, one day of 60 s samples for 1,000 sensors, then rolled up)")
    for table in ("samples", "rollup_5m", "rollup_1h", "rollup_1d"):
        print(f"  {table:10} {sizes[table + '_rows']:>10,} rows  {sizes[table]:6.1f} bytes/row")
    print(f"  bytes per raw sample: {sizes['samples']:.1f} (target <= 25: "
          f"{'met' if sizes['samples'] <= 25 else 'NOT met'})")
    days = 400
    projection = {
        "raw (7 d)": 7 * 1440 * SENSORS * sizes["samples"],
        "5 min (90 d)": 90 * 288 * SENSORS * sizes["rollup_5m"],
        f"1 h ({days} d of 5 y)": days * 24 * SENSORS * sizes["rollup_1h"],
        f"1 d ({days} d, forever)": days * SENSORS * sizes["rollup_1d"],
    }
    print()
    print(f"Projected size, {SENSORS:,} sensors every 60 s after {days} days at default retention")
    for name, size in projection.items():
        print(f"  {name:22} {size / 1e6:8.1f} MB")
    print(f"  {'total':22} {sum(projection.values()) / 1e6:8.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
