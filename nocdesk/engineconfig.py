"""What the engine polls, read from the store: devices, services, interfaces, maintenance windows, settings.

A snapshot is immutable; the engine re-reads it when PRAGMA data_version says another connection wrote, and
diffs old and new to add, drop or reschedule jobs without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import appsettings
from .maintenance import Window
from .states import StateConfig
from .store import Store


@dataclass(frozen=True)
class DeviceConf:
    """One enabled device as the engine polls it."""

    id: int
    name: str
    address: str
    site_id: int | None
    group_id: int | None
    parent_id: int | None
    snmp_credential: str | None
    profile: str | None
    interval_s: int
    check_method: str = "icmp"     # how up/down is decided: icmp, snmp or tcp:PORT

    @property
    def tcp_port(self) -> int | None:
        """The port of a 'tcp:PORT' check method, else None."""
        method, _, port = self.check_method.partition(":")
        return int(port) if method == "tcp" and port.isdigit() else None


@dataclass(frozen=True)
class ServiceConf:
    """One enabled service check."""

    id: int
    device_id: int
    kind: str
    name: str
    port: int | None
    url: str | None
    keyword: str | None
    interval_s: int

    def as_row(self) -> dict[str, Any]:
        return {"kind": self.kind, "port": self.port, "url": self.url, "keyword": self.keyword}


@dataclass(frozen=True)
class InterfaceConf:
    """An interface row the engine already knows (by device and ifIndex)."""

    id: int
    device_id: int
    if_index: int
    name: str
    monitored: bool
    speed_override_bps: int | None


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs to know about what to poll and how."""

    devices: dict[int, DeviceConf]
    services: dict[int, ServiceConf]
    interfaces: dict[tuple[int, int], InterfaceConf]
    windows: tuple[Window, ...]
    settings: dict[str, Any]
    states: StateConfig
    credentials: tuple[tuple[str, str], ...]   # (name, params JSON): a change reloads secrets
    all_parents: dict[int, int | None]         # parent of every device, enabled or not
    interfaces_mark: int = -1                  # change_marks counter the interfaces were read at

    def setting(self, key: str, default: Any) -> Any:
        value = self.settings.get(key, default)
        return default if value is None else value

    @property
    def ping_count(self) -> int:
        return max(1, int(self.setting("polling.ping_count", 3)))

    @property
    def ping_timeout_s(self) -> float:
        return max(0.1, float(self.setting("polling.timeout_ms", 1000)) / 1000)

    def parent_of(self, device_id: int) -> int | None:
        """The nearest enabled ancestor (a disabled or removed parent is skipped over)."""
        seen = {device_id}
        parent = self.devices[device_id].parent_id if device_id in self.devices else None
        while parent is not None and parent not in self.devices and parent not in seen:
            seen.add(parent)
            parent = self.all_parents.get(parent)
        return parent if parent in self.devices and parent != device_id else None


def interfaces_mark(store: Store) -> int:
    """The interfaces table's change counter (bumped by triggers on the columns the engine uses)."""
    row = store.conn.execute("SELECT n FROM change_marks WHERE tbl = 'interfaces'").fetchone()
    return int(row[0]) if row else -1


def _load_interfaces(store: Store) -> dict[tuple[int, int], InterfaceConf]:
    return {(r[1], r[2]): InterfaceConf(r[0], r[1], r[2], r[3] or "", bool(r[4]), r[5])
            for r in store.conn.execute("SELECT id, device_id, if_index, name, monitored, speed_override_bps "
                                        "FROM interfaces")}


def load_config(store: Store, previous: EngineConfig | None = None) -> EngineConfig:
    """Read a fresh snapshot from the store; interfaces are taken over from `previous` when none changed."""
    conn = store.conn
    rows = [dict(r) for r in conn.execute("SELECT * FROM devices ORDER BY id")]
    devices = {r["id"]: DeviceConf(r["id"], r["name"], r["address"], r["site_id"], r["group_id"], r["parent_id"],
                                   r["snmp_credential"] or None, r["profile"] or None, int(r["interval_s"] or 60),
                                   (r.get("check_method") or "icmp").strip().lower())
               for r in rows if r["enabled"]}
    services = {r["id"]: ServiceConf(r["id"], r["device_id"], r["kind"], r["name"], r["port"], r["url"], r["keyword"],
                                     int(r["interval_s"] or 60))
                for r in map(dict, conn.execute("SELECT * FROM services WHERE enabled = 1 ORDER BY id"))
                if r["device_id"] in devices}
    mark = interfaces_mark(store)  # before the rows: a write in between only costs one more read later
    if previous is not None and mark >= 0 and previous.interfaces_mark == mark:
        interfaces = previous.interfaces
    else:
        interfaces = _load_interfaces(store)
    windows = tuple(Window.from_row(dict(r)) for r in conn.execute("SELECT * FROM maintenance_windows"))
    settings = appsettings.load(store)
    credentials = tuple((r[0], r[1]) for r in conn.execute("SELECT name, params FROM credentials ORDER BY name"))
    return EngineConfig(devices, services, interfaces, windows, settings, StateConfig.from_settings(settings),
                        credentials, {r["id"]: r["parent_id"] for r in rows}, mark)
