"""Batched writes of the engine: samples, live columns, state changes and events in one transaction per batch.

Samples go in with a plain executemany on `samples(sensor_id, ts, value)` (the hot path); sensors are created
on first use and cached. Rows that belong to a device removed in the meantime are dropped, not failed on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .states import Transition
from .store import Store

UNITS = {
    "rtt_ms": "ms", "loss_pct": "%", "jitter_ms": "ms", "in_bps": "bit/s", "out_bps": "bit/s",
    "util_in_pct": "%", "util_out_pct": "%", "in_errors_ps": "1/s", "out_errors_ps": "1/s",
    "in_discards_ps": "1/s", "out_discards_ps": "1/s", "cpu_pct": "%", "mem_pct": "%", "disk_pct": "%",
    "temp_c": "°C", "rx_dbm": "dBm", "tx_dbm": "dBm", "uptime_s": "s", "response_ms": "ms", "cert_days": "d",
}

SEVERITY = {"down": "critical", "unreachable": "warning", "degraded": "warning", "up": "info",
            "unknown": "info", "maintenance": "info"}


@dataclass(frozen=True)
class SensorKey:
    """What a sensor measures; the UNIQUE key of the sensors table."""

    device_id: int
    kind: str
    label: str = ""
    interface_id: int | None = None
    service_id: int | None = None

    def db_key(self) -> tuple[int, int, int, str, str]:
        return (self.device_id, self.interface_id or 0, self.service_id or 0, self.kind, self.label)


@dataclass
class Batch:
    """What the engine produced since the last write; flushed in one transaction."""

    samples: list[tuple[SensorKey, int, float]] = field(default_factory=list)
    devices: dict[int, dict[str, Any]] = field(default_factory=dict)
    interfaces: dict[int, dict[str, Any]] = field(default_factory=dict)
    services: dict[int, dict[str, Any]] = field(default_factory=dict)
    transitions: list[Transition] = field(default_factory=list)
    events: list[tuple[int, str, str, int | None, int | None, str, str]] = field(default_factory=list)
    commands: list[tuple[str, str, int, int]] = field(default_factory=list)  # status, result, finished_at, id
    started_at: float = field(default_factory=time.monotonic)

    def __len__(self) -> int:
        return (len(self.samples) + len(self.devices) + len(self.interfaces) + len(self.services)
                + len(self.transitions) + len(self.events) + len(self.commands))

    def merge(self, later: Batch) -> None:
        """Append what `later` collected (used when a write failed and is retried with newer rows)."""
        self.samples += later.samples
        for mine, theirs in ((self.devices, later.devices), (self.interfaces, later.interfaces),
                             (self.services, later.services)):
            for row_id, values in theirs.items():
                mine.setdefault(row_id, {}).update(values)
        self.transitions += later.transitions
        self.events += later.events
        self.commands += later.commands

    def add_sample(self, key: SensorKey, ts: int, value: float | None) -> None:
        if value is not None and value == value:  # NaN never reaches the store
            self.samples.append((key, ts, value))

    def set_device(self, device_id: int, **values: Any) -> None:
        self.devices.setdefault(device_id, {}).update(values)

    def set_interface(self, interface_id: int, **values: Any) -> None:
        self.interfaces.setdefault(interface_id, {}).update(values)

    def set_service(self, service_id: int, **values: Any) -> None:
        self.services.setdefault(service_id, {}).update(values)

    def add_event(self, ts: int, kind: str, message: str, *, severity: str = "info", device_id: int | None = None,
                  interface_id: int | None = None, details: dict[str, Any] | None = None) -> None:
        self.events.append((ts, severity, kind, device_id, interface_id, message, json.dumps(details or {})))

    def finish_command(self, command_id: int, status: str, result: dict[str, Any] | None = None) -> None:
        self.commands.append((status, json.dumps(result or {}), int(time.time()), command_id))


@dataclass(frozen=True)
class FlushStats:
    """What one flush wrote and how long the transaction took."""

    samples: int
    rows: int
    commit_s: float


class Ingest:
    """Writes batches for one engine; keeps the sensor-id cache."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sensors: dict[tuple[int, int, int, str, str], int] = {}
        self.load()

    def load(self) -> None:
        """(Re)load the sensor cache from the store."""
        rows = self.store.conn.execute(
            "SELECT id, device_id, IFNULL(interface_id, 0), IFNULL(service_id, 0), kind, label FROM sensors")
        self._sensors = {(r[1], r[2], r[3], r[4], r[5]): r[0] for r in rows}

    def forget_device(self, device_id: int) -> None:
        """Drop cached sensors of a removed device (its ids may be reused)."""
        self._sensors = {k: v for k, v in self._sensors.items() if k[0] != device_id}

    def sensor_id(self, key: SensorKey) -> int:
        """The id of a sensor, creating it (call inside a transaction)."""
        dbk = key.db_key()
        sid = self._sensors.get(dbk)
        if sid is None:
            conn = self.store.conn
            conn.execute("INSERT OR IGNORE INTO sensors(device_id, interface_id, service_id, kind, label, unit) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         (key.device_id, key.interface_id, key.service_id, key.kind, key.label, UNITS.get(key.kind, "")))
            sid = conn.execute("SELECT id FROM sensors WHERE device_id = ? AND IFNULL(interface_id, 0) = ? AND "
                               "IFNULL(service_id, 0) = ? AND kind = ? AND label = ?", dbk).fetchone()[0]
            self._sensors[dbk] = sid
        return sid

    def flush(self, batch: Batch, *, heartbeat: dict[str, Any] | None = None, run_id: int | None = None) -> FlushStats:
        """Write the whole batch (and the heartbeat) in one transaction."""
        started = time.perf_counter()
        conn = self.store.conn
        with self.store.transaction():
            devices = {r[0] for r in conn.execute("SELECT id FROM devices")}
            services = {r[0] for r in conn.execute("SELECT id FROM services")} if batch.services or any(
                k.service_id for k, _, _ in batch.samples) else set()
            rows: list[tuple[int, int, float]] = []
            latest: dict[int, tuple[int, float]] = {}
            for key, ts, value in batch.samples:
                if key.device_id not in devices or (key.service_id and key.service_id not in services):
                    continue
                sid = self.sensor_id(key)
                rows.append((sid, ts, value))
                if sid not in latest or latest[sid][0] <= ts:
                    latest[sid] = (ts, value)
            conn.executemany("INSERT OR REPLACE INTO samples(sensor_id, ts, value) VALUES (?, ?, ?)", rows)
            conn.executemany("UPDATE sensors SET last_value = ?, last_ts = ? WHERE id = ?",
                             [(v, ts, sid) for sid, (ts, v) in latest.items()])
            _update_many(conn, "devices", {k: v for k, v in batch.devices.items() if k in devices})
            _update_many(conn, "interfaces", batch.interfaces)
            _update_many(conn, "services", batch.services)
            conn.executemany(
                "INSERT INTO state_changes(target_type, target_id, ts, state, previous, reason, cause_type, cause_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(t.target_type, t.target_id, t.ts, t.state, t.previous, t.reason, t.cause_type, t.cause_id)
                 for t in batch.transitions if t.device_id is None or t.device_id in devices])
            conn.executemany(
                "INSERT INTO events(ts, severity, kind, device_id, interface_id, message, details) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [e if e[3] is None or e[3] in devices else (*e[:3], None, None, *e[5:]) for e in batch.events])
            conn.executemany("UPDATE commands SET status = ?, result = ?, finished_at = ? WHERE id = ?", batch.commands)
            if heartbeat and run_id is not None:
                _update_many(conn, "engine_runs", {run_id: heartbeat})
        return FlushStats(len(rows), len(batch), time.perf_counter() - started)


def _update_many(conn: Any, table: str, updates: dict[int, dict[str, Any]]) -> None:
    """UPDATE rows by id, one executemany per distinct set of columns."""
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    for row_id, values in updates.items():
        cols = tuple(sorted(values))
        if cols:
            groups.setdefault(cols, []).append([values[c] for c in cols] + [row_id])
    for cols, params in groups.items():
        assignments = ", ".join(f"{c} = ?" for c in cols)
        conn.executemany(f"UPDATE {table} SET {assignments} WHERE id = ?", params)


def ensure_interfaces(store: Store, device_id: int, rows: Iterable[dict[str, Any]]) -> dict[int, int]:
    """Create or refresh interface rows of a device (by ifIndex); returns {if_index: interface_id}."""
    now = int(time.time())
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM devices WHERE id = ?", (device_id,)).fetchone() is None:
            return {}
        for r in rows:
            conn.execute(
                "INSERT INTO interfaces(device_id, if_index, name, alias, descr, if_type, mac, speed_bps, "
                "admin_status, oper_status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(device_id, if_index) DO UPDATE SET name = excluded.name, alias = excluded.alias, "
                "descr = excluded.descr, if_type = excluded.if_type, mac = excluded.mac, "
                "speed_bps = excluded.speed_bps, updated_at = excluded.updated_at",
                (device_id, r["if_index"], r.get("name") or "", r.get("alias") or "", r.get("descr") or "",
                 r.get("if_type"), r.get("mac"), r.get("speed_bps"), r.get("admin_status"), r.get("oper_status"), now))
        return {row[0]: row[1] for row in conn.execute(
            "SELECT if_index, id FROM interfaces WHERE device_id = ?", (device_id,))}
