"""What a link page shows: both ends side by side, the link's traffic, errors and optics history, its timeline.

Series come from the interface sensors of either end, read at the finest stored resolution that fits the range
(device_view.read_series). A link has no sensors of its own: its traffic is what its ports count.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .device_view import DEFAULT_MAX_POINTS, SensorInfo, Series, chart_of, read_series
from .store import Store
from .views import timeline

# The interface sensor kinds a link page charts; everything else of the device stays on its device page.
LINK_KINDS = ("in_bps", "out_bps", "in_errors_ps", "out_errors_ps", "in_discards_ps", "out_discards_ps",
              "rx_dbm", "tx_dbm")


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link: the device, its port and the port's latest readings."""

    side: str                    # 'a' or 'b'
    device_id: int
    device: str
    address: str
    kind: str
    device_state: str
    interface_id: int | None
    port: str
    alias: str
    admin_status: str
    oper_status: str
    speed_bps: int | None
    in_bps: float | None
    out_bps: float | None
    util_in_pct: float | None
    util_out_pct: float | None
    interval_s: int
    sensors: tuple[SensorInfo, ...]

    def last(self, kind: str) -> float | None:
        """The latest value of this port's sensor of `kind` (None when it has none)."""
        return next((s.last_value for s in self.sensors if s.kind == kind), None)


@dataclass(frozen=True)
class LinkDetail:
    """The link row and its two ends."""

    link: dict[str, Any]
    a: LinkEnd
    b: LinkEnd

    @property
    def capacity_bps(self) -> int | None:
        """The set capacity, else the slower port's speed."""
        if self.link["capacity_bps"]:
            return int(self.link["capacity_bps"])
        speeds = [e.speed_bps for e in (self.a, self.b) if e.speed_bps]
        return min(speeds) if speeds else None


@dataclass(frozen=True)
class LinkSeries:
    """A series of one end's port."""

    side: str
    series: Series


@dataclass(frozen=True)
class LinkPageData:
    """A link page at one time range."""

    detail: LinkDetail
    start_ts: int
    end_ts: int
    series: list[LinkSeries]
    segments: list[tuple[int, int, str]]
    availability_pct: float | None

    def of(self, kind: str, side: str) -> Series | None:
        """The series of `kind` at end `side`, if that port has one."""
        return next((s.series for s in self.series if s.side == side and s.series.sensor.kind == kind), None)


def _end(store: Store, side: str, device_id: int, interface_id: int | None) -> LinkEnd:
    d = store.conn.execute("SELECT id, name, address, kind, state, interval_s FROM devices WHERE id = ?",
                           (device_id,)).fetchone()
    i = store.conn.execute("SELECT * FROM interfaces WHERE id = ?", (interface_id,)).fetchone() if interface_id else None
    sensors: tuple[SensorInfo, ...] = ()
    if i is not None:
        sensors = tuple(SensorInfo(r["id"], r["kind"], r["label"], r["unit"], r["interface_id"], r["last_value"],
                                   chart_of(r["kind"]))
                        for r in store.conn.execute(
                            "SELECT * FROM sensors WHERE interface_id = ? ORDER BY kind, id", (interface_id,))
                        if r["kind"] in LINK_KINDS)
    return LinkEnd(side, d["id"], d["name"], d["address"], d["kind"], d["state"], interface_id,
                   i["name"] if i else "", i["alias"] if i else "", (i["admin_status"] or "") if i else "",
                   (i["oper_status"] or "") if i else "", (i["speed_override_bps"] or i["speed_bps"]) if i else None,
                   i["in_bps"] if i else None, i["out_bps"] if i else None, i["util_in_pct"] if i else None,
                   i["util_out_pct"] if i else None, int(d["interval_s"] or 60), sensors)


def link_detail(store: Store, link_id: int) -> LinkDetail | None:
    """The link with both ends; None when it was removed."""
    row = store.conn.execute("SELECT * FROM links WHERE id = ?", (link_id,)).fetchone()
    if row is None:
        return None
    return LinkDetail(dict(row), _end(store, "a", row["a_device_id"], row["a_interface_id"]),
                      _end(store, "b", row["b_device_id"], row["b_interface_id"]))


def link_page(store: Store, link_id: int, start_ts: int, end_ts: int, *, max_points: int = DEFAULT_MAX_POINTS,
              now: int | None = None) -> LinkPageData | None:
    """Everything a link page draws for one range: both ends' port series and the link's state timeline."""
    now = int(time.time()) if now is None else now
    detail = link_detail(store, link_id)
    if detail is None:
        return None
    series = [LinkSeries(end.side, read_series(store, sensor, start_ts, end_ts, interval_s=end.interval_s,
                                               max_points=max_points, now=now))
              for end in (detail.a, detail.b) for sensor in end.sensors]
    segments, availability = timeline(store, "link", link_id, start_ts, end_ts, now=now)
    return LinkPageData(detail, start_ts, end_ts, series, segments, availability)


def link_stamp(store: Store, link_id: int) -> tuple | None:
    """A cheap fingerprint of what a link page shows: equal stamps mean nothing to redraw."""
    row = store.conn.execute(
        "SELECT l.state, l.state_since, l.stale, l.medium, l.capacity_bps, l.name, l.a_interface_id, l.b_interface_id,"
        " (SELECT max(last_ts) FROM sensors WHERE interface_id IN (l.a_interface_id, l.b_interface_id)),"
        " (SELECT max(updated_at) FROM interfaces WHERE id IN (l.a_interface_id, l.b_interface_id)),"
        " (SELECT group_concat(state) FROM devices WHERE id IN (l.a_device_id, l.b_device_id))"
        " FROM links l WHERE l.id = ?", (link_id,)).fetchone()
    return None if row is None else tuple(row)


@dataclass(frozen=True)
class LinkFormData:
    """What the add/edit link and pin-parent dialogs offer: devices and their ports."""

    devices: list[tuple[int, str]]
    interfaces: dict[int, list[tuple[int, str]]]
    link: dict[str, Any] | None = None


def link_form_data(store: Store, link_id: int | None = None) -> LinkFormData:
    """Devices (by name) and each one's ports, plus the link being edited."""
    devices = [(r[0], r[1]) for r in store.conn.execute("SELECT id, name FROM devices ORDER BY name COLLATE NOCASE")]
    interfaces: dict[int, list[tuple[int, str]]] = {}
    for r in store.conn.execute("SELECT id, device_id, name, alias FROM interfaces ORDER BY device_id, if_index"):
        label = r["name"] + (f" ({r['alias']})" if r["alias"] else "")
        interfaces.setdefault(r["device_id"], []).append((r["id"], label))
    link = None
    if link_id is not None:
        row = store.conn.execute("SELECT * FROM links WHERE id = ?", (link_id,)).fetchone()
        link = dict(row) if row else None
    return LinkFormData(devices, interfaces, link)
