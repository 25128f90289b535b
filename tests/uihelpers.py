"""Helpers for the UI tests and benchmark: a store filled with a plausible Pemda network and its history.

`populate()` writes sites, groups, devices, interfaces, links, sensors, samples and rollups, state changes,
events, alerts and an engine heartbeat straight into the tables (as the engine would), so UI tests and the
benchmark have realistic data without polling for weeks. Deterministic for a given seed.
"""

from __future__ import annotations

import math
import os
import random
import time
from dataclasses import dataclass

from nocdesk.store import Store

SITES = [("DC Diskominfo", "datacenter"), ("Kecamatan Kutaraja", "kecamatan"), ("Kecamatan Baiturrahman", "kecamatan"),
         ("Kecamatan Meuraxa", "kecamatan"), ("Kecamatan Syiah Kuala", "kecamatan"), ("Dinas Kesehatan", "opd"),
         ("Dinas Pendidikan", "opd"), ("BPKAD", "opd"), ("Kantor Walikota", "opd")]
GROUPS = [("Core", 99.9), ("Distribution", 99.5), ("Access", 99.0), ("Servers", 99.9), ("CCTV", 98.0)]
KIND_MIX = [("switch", 0.45), ("access_point", 0.15), ("cctv", 0.15), ("server", 0.1), ("router", 0.05),
            ("firewall", 0.02), ("ups", 0.04), ("printer", 0.04)]
SENSORS = [("rtt_ms", "ms"), ("loss_pct", "%"), ("jitter_ms", "ms"), ("cpu_pct", "%"), ("mem_pct", "%")]


@dataclass
class Populated:
    device_ids: list[int]
    rich_device_id: int
    rich_interface_id: int


def _day_curve(ts: float) -> float:
    """0..1 traffic shape peaking at 10:00 and 14:00 WIB, low at night."""
    hour = ((ts + 7 * 3600) % 86400) / 3600
    return 0.15 + 0.85 * max(0.0, math.sin(math.pi * (hour - 6) / 12)) ** 1.5


def populate(store: Store, *, devices: int = 40, interfaces_per_switch: int = 24, history_days: int = 30,
             rich_devices: int = 1, now: int | None = None, seed: int = 7, engine_alive: bool = True,
             interfaces_per_device: int | None = None, loopback: bool = False) -> Populated:
    """Fill a fresh store; `rich_devices` devices get full chart history over `history_days`.

    `interfaces_per_device` gives every device that many interfaces (default: 24 on switches, routers and
    firewalls, 2 elsewhere); `loopback` puts every device on a 127.1.x.y address so a real engine can poll
    them all without sending a packet off this machine.
    """
    rnd = random.Random(seed)
    now = int(time.time()) if now is None else now
    c = store.conn
    c.execute("BEGIN")
    for name, kind in SITES:
        c.execute("INSERT INTO sites(name, kind) VALUES (?, ?)", (name, kind))
    for name, sla in GROUPS:
        c.execute("INSERT INTO device_groups(name, sla_target_pct) VALUES (?, ?)", (name, sla))
    kinds = [k for k, share in KIND_MIX for _ in range(int(share * 100))]
    device_ids: list[int] = []
    rows = []
    for i in range(devices):
        kind = "router" if i == 0 else rnd.choice(kinds)
        site_id = 1 if i < max(3, devices // 10) else 2 + (i % (len(SITES) - 1))
        group_id = {"switch": 2 if i % 5 == 0 else 3, "router": 1, "firewall": 1, "server": 4, "cctv": 5}.get(kind, 3)
        prefix = {"switch": "sw", "access_point": "ap", "cctv": "cam", "server": "srv", "router": "rtr",
                  "firewall": "fw", "ups": "ups", "printer": "prn"}[kind]
        state = "up"
        roll = rnd.random()
        if roll < 0.03:
            state = "down"
        elif roll < 0.06:
            state = "unreachable"
        elif roll < 0.08:
            state = "degraded"
        elif roll < 0.09:
            state = "maintenance"
        elif roll < 0.10:
            state = "unknown"
        since = now - rnd.randint(600, 20 * 86400) if state == "up" else now - rnd.randint(60, 7200)
        rtt = round(rnd.uniform(0.4, 25.0), 2) if state in ("up", "degraded") else None
        loss = {"up": 0.0, "degraded": rnd.choice([10.0, 30.0]), "down": 100.0, "unreachable": 100.0}.get(state)
        site_name = SITES[site_id - 1][0].split()[-1].lower()
        address = f"127.1.{i // 250}.{i % 250 + 1}" if loopback else f"198.19.{(site_id * 8 + i // 250) % 256}.{i % 250 + 1}"
        rows.append((f"{prefix}-{site_name}-{i:03d}", address, kind, site_id,
                     group_id, 1 if i > 0 else None, now - 90 * 86400, now, state, since, now - rnd.randint(0, 50),
                     rtt, loss, 60))
    c.executemany(
        "INSERT INTO devices(name, address, kind, site_id, group_id, parent_id, created_at, updated_at, state, "
        "state_since, last_check_at, last_rtt_ms, last_loss_pct, interval_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    device_ids = [r[0] for r in c.execute("SELECT id FROM devices ORDER BY id")]
    kinds_by_id = {r[0]: r[1] for r in c.execute("SELECT id, kind FROM devices")}
    state_rows, if_rows = [], []
    for dev_id in device_ids:
        row = c.execute("SELECT state, state_since FROM devices WHERE id = ?", (dev_id,)).fetchone()
        state_rows.append(("device", dev_id, now - 95 * 86400, "up", "unknown"))
        if row[0] != "up":
            if row[0] in ("down", "unreachable") and rnd.random() < 0.5:
                state_rows.append(("device", dev_id, now - 3 * 86400, "down", "up"))
                state_rows.append(("device", dev_id, now - 3 * 86400 + 1800, "up", "down"))
            state_rows.append(("device", dev_id, row[1], row[0], "up"))
        n_if = interfaces_per_device or (interfaces_per_switch if kinds_by_id[dev_id] in ("switch", "router",
                                                                                          "firewall") else 2)
        for k in range(1, n_if + 1):
            speed = 10_000_000_000 if k > n_if - 2 and n_if > 2 else 1_000_000_000
            up = rnd.random() > 0.3
            in_bps = rnd.uniform(1e5, 4e8) if up else 0.0
            out_bps = rnd.uniform(1e5, 2e8) if up else 0.0
            name = f"GigabitEthernet0/{k}" if speed < 1e10 else f"TenGigabitEthernet1/{k}"
            if_rows.append((dev_id, k, name, "uplink" if k == n_if else "", 6, speed, "up" if up else "down",
                            "up" if up else "down", "up" if up else "down", in_bps, out_bps,
                            100 * in_bps / speed, 100 * out_bps / speed, now))
    c.executemany("INSERT INTO state_changes(target_type, target_id, ts, state, previous) VALUES (?,?,?,?,?)",
                  state_rows)
    c.executemany(
        "INSERT INTO interfaces(device_id, if_index, name, alias, if_type, speed_bps, admin_status, oper_status, "
        "state, in_bps, out_bps, util_in_pct, util_out_pct, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", if_rows)
    _links(c, device_ids, now, rnd)
    _events(c, device_ids, now, rnd)
    c.execute("INSERT INTO engine_runs(started_at, last_beat_at, pid, host, version, last_cycle_s, lag_s) "
              "VALUES (?, ?, ?, 'noc-server', '0.1.0', 1.2, 0.1)",
              (now - 95 * 86400, now if engine_alive else now - 3600, os.getpid()))
    c.execute("COMMIT")
    rich_if = 0
    for dev_id in device_ids[:rich_devices]:
        rich_if = history(store, dev_id, days=history_days, now=now, seed=seed + dev_id)
    return Populated(device_ids, device_ids[0], rich_if)


def _links(c: object, device_ids: list[int], now: int, rnd: random.Random) -> None:
    core = device_ids[0]
    rows = []
    for i, dev in enumerate(device_ids[1:9]):
        a_if = c.execute("SELECT id FROM interfaces WHERE device_id = ? ORDER BY if_index LIMIT 1 OFFSET ?",  # type: ignore[attr-defined]
                         (core, i)).fetchone()
        b_if = c.execute("SELECT id FROM interfaces WHERE device_id = ? ORDER BY if_index DESC LIMIT 1",  # type: ignore[attr-defined]
                         (dev,)).fetchone()
        state = c.execute("SELECT state FROM devices WHERE id = ?", (dev,)).fetchone()[0]  # type: ignore[attr-defined]
        rows.append((core, a_if[0] if a_if else None, dev, b_if[0] if b_if else None,
                     "fiber" if i % 3 else "wireless", 1_000_000_000, "lldp", state if state != "maintenance" else "up",
                     now - 30 * 86400, now))
    c.executemany("INSERT INTO links(a_device_id, a_interface_id, b_device_id, b_interface_id, medium, capacity_bps, "  # type: ignore[attr-defined]
                  "source, state, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)


def _events(c: object, device_ids: list[int], now: int, rnd: random.Random) -> None:
    bad = c.execute("SELECT id, name, state, state_since FROM devices WHERE state IN ('down', 'unreachable', "  # type: ignore[attr-defined]
                    "'degraded') ORDER BY id").fetchall()
    for dev_id, name, state, since in bad:
        sev = "warning" if state == "degraded" else "critical"
        msg = {"down": f"{name} is down (no reply to ping)", "unreachable": f"{name} is unreachable (parent down)",
               "degraded": f"{name} is degraded: packet loss 30%"}[state]
        c.execute("INSERT INTO events(ts, severity, kind, device_id, message) VALUES (?, ?, 'state', ?, ?)",  # type: ignore[attr-defined]
                  (since, sev, dev_id, msg))
        if state != "unreachable":
            c.execute("INSERT INTO alerts(rule, target_type, target_id, device_id, severity, message, opened_at) "  # type: ignore[attr-defined]
                      "VALUES (?, 'device', ?, ?, ?, ?, ?)",
                      ("device_down" if state == "down" else "loss_high", dev_id, dev_id, sev, msg, since))
    for k in range(30):
        dev = rnd.choice(device_ids)
        c.execute("INSERT INTO events(ts, severity, kind, device_id, message) VALUES (?, 'info', 'state', ?, ?)",  # type: ignore[attr-defined]
                  (now - rnd.randint(3600, 10 * 86400), dev, f"device {dev} is up again after {k + 1} min"))


def history(store: Store, device_id: int, *, days: int = 30, now: int | None = None, seed: int = 1,
            interval_s: int = 60) -> int:
    """Chart history for one device: raw samples for 7 days, 5-minute rollups for `days`, hourly for a year."""
    rnd = random.Random(seed)
    now = int(time.time()) if now is None else now
    c = store.conn
    c.execute("BEGIN")
    ifs = c.execute("SELECT id, speed_bps FROM interfaces WHERE device_id = ? ORDER BY if_index DESC LIMIT 2",
                    (device_id,)).fetchall()
    sensor_ids: dict[tuple[str, int | None], int] = {}
    for kind, unit in SENSORS:
        sensor_ids[(kind, None)] = c.execute("INSERT INTO sensors(device_id, kind, unit) VALUES (?, ?, ?)",
                                             (device_id, kind, unit)).lastrowid
    for if_id, _speed in ifs:
        for kind, unit in (("in_bps", "bit/s"), ("out_bps", "bit/s"), ("in_errors_ps", "/s"), ("rx_dbm", "dBm"),
                           ("tx_dbm", "dBm")):
            sensor_ids[(kind, if_id)] = c.execute(
                "INSERT INTO sensors(device_id, interface_id, kind, unit) VALUES (?, ?, ?, ?)",
                (device_id, if_id, kind, unit)).lastrowid
    speeds = {if_id: speed for if_id, speed in ifs}

    def value(kind: str, if_id: int | None, ts: float) -> float:
        curve = _day_curve(ts)
        if kind == "rtt_ms":
            return 1.2 + 6 * curve + rnd.expovariate(1.5)
        if kind == "jitter_ms":
            return 0.2 + rnd.expovariate(3)
        if kind == "loss_pct":
            return 0.0 if rnd.random() > 0.01 else rnd.choice([33.3, 66.7])
        if kind == "cpu_pct":
            return 8 + 40 * curve + rnd.uniform(-3, 3)
        if kind == "mem_pct":
            return 52 + 6 * math.sin(ts / 86400) + rnd.uniform(-0.5, 0.5)
        if kind == "in_bps":
            return (speeds[if_id] or 1e9) * (0.04 + 0.55 * curve) * rnd.uniform(0.85, 1.15)
        if kind == "out_bps":
            return (speeds[if_id] or 1e9) * (0.02 + 0.25 * curve) * rnd.uniform(0.85, 1.15)
        if kind == "in_errors_ps":
            return 0.0 if rnd.random() > 0.02 else rnd.uniform(0.1, 4)
        if kind == "rx_dbm":
            return -7.5 + rnd.uniform(-0.2, 0.2)
        return -2.1 + rnd.uniform(-0.1, 0.1)

    raw_start = now - 7 * 86400
    raw = [(sid, ts, value(kind, if_id, ts)) for (kind, if_id), sid in sensor_ids.items()
           for ts in range(raw_start - raw_start % interval_s, now, interval_s)
           if not (now - 9 * 3600 < ts < now - 8.5 * 3600)]  # a half-hour gap: a missed stretch of polls
    c.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)", raw)
    for table, step, span in (("rollup_5m", 300, days * 86400), ("rollup_1h", 3600, 365 * 86400),
                              ("rollup_1d", 86400, 2 * 365 * 86400)):
        rows = []
        for (kind, if_id), sid in sensor_ids.items():
            start = now - span
            for ts in range(start - start % step, now - step, step):
                v = value(kind, if_id, ts + step / 2)
                spread = abs(v) * 0.15 + (0.5 if kind.endswith("ms") else 0)
                rows.append((sid, ts, v - spread, v, v + spread, max(1, step // interval_s)))
        c.executemany(f"INSERT INTO {table}(sensor_id, ts, min, avg, max, count) VALUES (?,?,?,?,?,?)", rows)
        c.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",  # as nocdesk.rollups leaves it
                  (f"rollup.watermark_{table.removeprefix('rollup_')}", str(now - now % step - step)))
    for sid in sensor_ids.values():
        c.execute("UPDATE sensors SET last_value = (SELECT value FROM samples WHERE sensor_id = ? ORDER BY ts DESC "
                  "LIMIT 1), last_ts = ? WHERE id = ?", (sid, now, sid))
    c.execute("UPDATE devices SET sys_name = name, sys_descr = ?, sys_object_id = '1.3.6.1.4.1.9.1.2134', "
              "matched_profile = 'cisco_ios', uptime_s = ? WHERE id = ?",
              ("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8", 41 * 86400 + 3600,
               device_id))
    c.execute("INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason) VALUES "
              "('device', ?, ?, 'down', 'up', 'timeout'), ('device', ?, ?, 'up', 'down', '')",
              (device_id, now - 5 * 86400, device_id, now - 5 * 86400 + 2400))
    c.execute("INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason) VALUES "
              "('device', ?, ?, 'maintenance', 'up', 'window'), ('device', ?, ?, 'up', 'maintenance', '')",
              (device_id, now - 12 * 86400, device_id, now - 12 * 86400 + 7200))
    c.execute("COMMIT")
    return ifs[0][0] if ifs else 0


# --- fixtures and helpers for driving the real windows (pytest-qt) ------------------------------------------

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def ui_data_dir(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A private data dir (UI geometry file, secrets) so tests never touch the user's own."""
    data = tmp_path / "data"
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(data))
    monkeypatch.setenv("NOCDESK_NO_RDNS", "1")
    return data


@pytest.fixture
def open_app(qtbot, ui_data_dir):  # noqa: ANN001, ANN201
    """open_app(db_path, engine=False, **engine_options) -> AppParts with the window shown; shut down after."""
    from nocdesk.ui.app import build

    opened = []

    def _open(db_path, *, engine: bool = False, size: tuple[int, int] = (1360, 820), **engine_options):  # noqa: ANN001, ANN202
        parts = build(db_path, start_engine=engine, engine_options=engine_options or None)
        opened.append(parts)
        parts.window.resize(*size)
        parts.window.show()
        qtbot.waitUntil(lambda: parts.window.overview is not None, timeout=10_000)
        return parts

    yield _open
    for parts in opened:
        parts.window.settings["ui.close_to_tray"] = False
        parts.shutdown()
        parts.window.close()
        parts.window.deleteLater()


def table_names(window) -> list[str]:  # noqa: ANN001
    """Device names in the dashboard table, in the order shown."""
    proxy = window.dashboard.proxy
    return [proxy.index(r, 1).data() for r in range(proxy.rowCount())]


def row_of(window, name: str):  # noqa: ANN001, ANN201
    """The DeviceRow shown for `name`, or None."""
    from nocdesk.ui.models import ROW_ROLE

    proxy = window.dashboard.proxy
    for r in range(proxy.rowCount()):
        row = proxy.index(r, 0).data(ROW_ROLE)
        if row.name == name:
            return row
    return None


def when_modal(qtbot, handler) -> None:  # noqa: ANN001
    """Run `handler(dialog)` on the next modal dialog that opens (for code that calls exec())."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handler(dialog)

    QTimer.singleShot(0, poll)


def fresh_store(path):  # noqa: ANN001, ANN201
    """An empty store file at `path` (schema applied)."""
    from nocdesk.store import open_store

    store = open_store(path)
    store.close()
    return path
