"""Benchmark: a month report (PDF + XLSX + CSV) for 500 devices with 30 days of 60 s history, budget 10 s.

Builds a store the way the engine fills it (state changes on 60 s check boundaries, unreachable children
behind failed parents, an engine restart gap, maintenance, acknowledged alerts, config versions, raw 60 s
in_bps/out_bps samples for some interfaces, rolled up to 5 min by nocdesk.rollups as the engine does), then
times generate_report(). --raw-only skips the rollups: the report then buckets 30 days of raw samples itself
(the slowest path). The reference printed next to it is the time to merely read the month's raw rows.

    python bench/bench_report.py [--devices 500] [--interfaces 40] [--raw-only] [--keep DIR]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

from nocdesk.availability import month_bounds
from nocdesk.reports import generate_report
from nocdesk.rollups import run_rollups
from nocdesk.store import Store, open_store

BUDGET_S = 10.0
SITES = [("Kantor Bupati", "datacenter", "Asia/Jakarta"), ("Kecamatan Kuta Alam", "kecamatan", "Asia/Jakarta"),
         ("Kecamatan Syiah Kuala", "kecamatan", "Asia/Jakarta"), ("Kecamatan Baiturrahman", "kecamatan", "Asia/Jakarta"),
         ("Dinas Kesehatan", "opd", "Asia/Jakarta"), ("Kantor Perwakilan Makassar", "site", "Asia/Makassar")]
GROUPS = [("Inti", 99.9), ("Distribusi", 99.5), ("Akses OPD", 99.0), ("CCTV", 98.0)]
SIGNERS = [
    {"label": "Mengetahui,", "position": "Kepala Dinas Komunikasi, Informatika\ndan Persandian Kabupaten Contoh,",
     "name": "Dr. Ir. Teuku Ahmad Fauzi, M.T.", "rank": "Pembina Utama Muda (IV/c)", "nip": "19720514 199803 1 004"},
    {"label": "Dibuat oleh,", "position": "Kepala Bidang Infrastruktur TIK,", "name": "Cut Nurul Hidayati, S.Kom.",
     "rank": "Penata Tingkat I (III/d)", "nip": "19850321 201001 2 017"},
]


def populate(store: Store, *, year: int, month: int, devices: int = 500, interfaces: int = 40, seed: int = 7,
             step_s: int = 60) -> dict[str, int]:
    """Fill `store` with a month of realistic history; returns row counts."""
    rnd = random.Random(seed)
    start, end = month_bounds(year, month, "Asia/Jakarta")
    before = start - 30 * 86400
    conn = store.conn
    settings = {"agency.parent": "Pemerintah Kabupaten Contoh",
                "agency.name": "Dinas Komunikasi, Informatika dan Persandian",
                "agency.address": "Jl. Teuku Umar No. 12, Kota Contoh 23111 · Telp. (0651) 7551234 · diskominfo.contoh.go.id",
                "report.city": "Kota Contoh", "report.signers": SIGNERS, "report.sla_target_pct": 99.5}
    for key, value in settings.items():
        store.set_setting(key, value)
    with store.transaction():
        site_ids = [conn.execute("INSERT INTO sites(name, kind, timezone) VALUES (?, ?, ?)", s).lastrowid for s in SITES]
        group_ids = [conn.execute("INSERT INTO device_groups(name, sla_target_pct) VALUES (?, ?)", g).lastrowid
                     for g in GROUPS]
        dev_rows = []
        for i in range(devices):
            site = 0 if i < 4 else 1 + (i % (len(SITES) - 1))
            group = 0 if i < 4 else (1 if i < 4 + len(SITES) else (3 if i % 7 == 0 else 2))
            kind = "router" if group < 2 else ("cctv" if group == 3 else "switch")
            created = before if i % 50 != 49 else start + rnd.randrange(5, 25) * 86400
            parent = None if i < 4 else (1 + (i % 4) if group == 1 else 5 + (i % (len(SITES) - 1)))
            dev_rows.append((i + 1, f"{kind[:2]}-{SITES[site][0].split()[-1].lower()}-{i + 1:03d}",
                             f"198.18.{i // 250}.{i % 250 + 1}", kind, site_ids[site], group_ids[group],
                             parent if parent and parent <= devices and parent != i + 1 else None, created, created))
        conn.executemany("INSERT INTO devices(id, name, address, kind, site_id, group_id, parent_id, created_at, "
                         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", dev_rows)
        changes, alerts = [], []
        children: dict[int, list[int]] = {}
        for row in dev_rows:
            if row[6]:
                children.setdefault(row[6], []).append(row[0])
        for dev_id, *_rest, created, _u in dev_rows:
            t0 = max(created, before)
            changes.append(("device", dev_id, t0, "up", None, "", None, None))
            flappy = dev_id % 97 == 13
            n = rnd.randint(20, 40) if flappy else (0 if dev_id % 5 == 0 else rnd.randint(1, 4))
            for _k in range(n):
                s = (rnd.randrange(max(t0, start - 3 * 86400), end + 86400) // step_s) * step_s
                dur = step_s * max(2, int(rnd.expovariate(1 / (3 if flappy else 25))))
                changes.append(("device", dev_id, s, "down", "up", "no reply to ping", None, None))
                changes.append(("device", dev_id, s + dur, "up", "down", "", None, None))
                if rnd.random() < 0.6:
                    alerts.append(("device_down", "device", dev_id, dev_id, "resolved", f"device {dev_id} down",
                                   s + 2 * step_s, s + dur, rnd.choice(["andi", "rina", "noc"]), s + 3 * step_s,
                                   rnd.choice(["", "listrik padam di lokasi", "kabel LAN dicabut", "restart perangkat"])))
                for child in children.get(dev_id, []) if dur > 600 else []:
                    changes.append(("device", child, s + step_s, "unreachable", "up", "parent down", "device", dev_id))
                    changes.append(("device", child, s + dur, "up", "unreachable", "", None, None))
        conn.executemany("INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason, cause_type, "
                         "cause_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sorted(changes, key=lambda c: (c[1], c[2])))
        conn.executemany("INSERT INTO alerts(rule, target_type, target_id, device_id, status, message, opened_at, "
                         "resolved_at, acked_by, acked_at, ack_comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", alerts)
        conn.executemany("INSERT INTO engine_runs(started_at, last_beat_at, stopped_at) VALUES (?, ?, ?)",
                         [(before, start + 11 * 86400, start + 11 * 86400), (start + 11 * 86400 + 2400, end + 86400, None)])
        conn.execute("INSERT INTO maintenance_windows(name, target_type, target_id, weekdays, start_minute, duration_min,"
                     " comment, created_by) VALUES ('Pemeliharaan mingguan CCTV', 'group', ?, '6', 60, 120, "
                     "'restart NVR terjadwal', 'noc')", (group_ids[3],))
        conn.execute("INSERT INTO maintenance_windows(name, target_type, target_id, start_ts, end_ts, comment, created_by)"
                     " VALUES ('Penggantian UPS Kantor Bupati', 'site', ?, ?, ?, 'vendor PT Daya Prima', 'andi')",
                     (site_ids[0], start + 17 * 86400 + 7200, start + 17 * 86400 + 4 * 3600))
        samples = 0
        for j in range(min(interfaces, devices)):
            dev_id = 1 + j
            if_id = conn.execute("INSERT INTO interfaces(device_id, if_index, name, speed_bps) VALUES (?, ?, ?, ?)",
                                 (dev_id, 1, "GigabitEthernet0/1" if j % 2 else "ether1", 1_000_000_000 if j < 4
                                  else 100_000_000)).lastrowid
            if j and j < 6:
                link_id = conn.execute(
                    "INSERT INTO links(a_device_id, b_device_id, b_interface_id, medium, capacity_bps, name) "
                    "VALUES (1, ?, ?, 'fiber', ?, ?)", (dev_id, if_id, 100_000_000 if j > 3 else None,
                                                        f"FO Kantor Bupati – {dev_rows[j][1]}")).lastrowid
                cut = start + (3 + 5 * j) * 86400 + 9 * 3600
                conn.executemany("INSERT INTO state_changes(target_type, target_id, ts, state, reason) VALUES "
                                 "('link', ?, ?, ?, ?)", [(link_id, before, "up", ""),
                                                          (link_id, cut, "down", "oper-down (linkDown trap)"),
                                                          (link_id, cut + 3600 * j, "up", "")])
            peak = (0.6 if j % 3 else 0.25) * (1e9 if j < 4 else 1e8)
            for kind, share in (("in_bps", 1.0), ("out_bps", 0.35)):
                sid = conn.execute("INSERT INTO sensors(device_id, interface_id, kind, unit) VALUES (?, ?, ?, 'bps')",
                                   (dev_id, if_id, kind)).lastrowid
                rows = []
                for ts in range(start, end, step_s):
                    hour = (ts // 3600 + 7) % 24
                    day_curve = 0.15 + 0.85 * max(0.0, math.sin(math.pi * (hour - 6) / 13)) if 6 <= hour <= 19 else 0.1
                    rows.append((sid, ts, peak * share * day_curve * (0.8 + 0.4 * rnd.random())))
                conn.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)", rows)
                samples += len(rows)
        for k in range(12):
            dev_id = 1 + (k * 7) % devices
            ts = start + rnd.randrange(0, end - start)
            text = f"hostname dev{dev_id}\ninterface vlan{k}\n"
            conn.execute("INSERT INTO config_versions(device_id, ts, text_hash, content, size, summary) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (dev_id, ts, f"h{k}", zlib.compress(text.encode()), len(text),
                                                       f"+{k % 4 + 1} -{k % 3} baris"))
        conn.execute("INSERT INTO backup_runs(device_id, ts, result) VALUES (1, ?, 'changed')", (start + 3600,))
    return {"devices": devices, "state_changes": len(changes), "samples": samples, "alerts": len(alerts)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--interfaces", type=int, default=40)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--raw-only", action="store_true", help="no 5-minute rollups (worst case)")
    parser.add_argument("--keep", type=Path, help="write the reports here instead of a temporary folder")
    args = parser.parse_args(argv)
    year, month = (int(x) for x in args.month.split("-"))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store = open_store(Path(tmp) / "bench.db")
        counts = populate(store, year=year, month=month, devices=args.devices, interfaces=args.interfaces)
        start, end = month_bounds(year, month, "Asia/Jakarta")
        if not args.raw_only:
            run_rollups(store, end + 3600)
            counts["rollup_5m"] = store.conn.execute("SELECT count(*) FROM rollup_5m").fetchone()[0]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as after the engine's regular checkpoints
        print(f"setup: {counts} in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        store.conn.execute("SELECT count(*), sum(value) FROM samples WHERE ts >= ? AND ts < ?", (start, end)).fetchone()
        store.conn.execute("SELECT count(*) FROM state_changes WHERE ts >= ? AND ts < ?", (start, end)).fetchone()
        reference_s = time.perf_counter() - t
        out = args.keep or Path(tmp) / "out"
        t, cpu = time.perf_counter(), time.process_time()
        files = generate_report(store, year=year, month=month, formats="pdf,xlsx,csv", lang="id", out_dir=out,
                                now=end + 3600)
        report_s, cpu_s = time.perf_counter() - t, time.process_time() - cpu
        store.close()
    pdf = next(f for f in files if f.suffix == ".pdf")
    mode = "raw samples only" if args.raw_only else "with 5-minute rollups"
    print(f"report ({mode}): {len(files)} files in {report_s:.2f} s wall, {cpu_s:.2f} s CPU (budget {BUDGET_S:.0f} s, {report_s / BUDGET_S:.0%} of it); "
          f"reading the month's raw rows alone: {reference_s:.2f} s (ratio {report_s / max(reference_s, 1e-9):.1f}x)")
    print(f"pdf: {pdf.name}" + (f" in {out}" if args.keep else ""))
    return 0 if report_s < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
