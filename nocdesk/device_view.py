"""What a device page shows: the device, its interfaces and sensors, and chart series at a fitting resolution.

Series are read from raw samples or the 5 min / 1 h / 1 day rollups, whichever is the finest that keeps a
range under `max_points` points; a chart never plots a million raw points.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from . import rollups
from .store import Store
from .views import timeline

# Which chart a sensor kind goes on: (chart key, title, unit), matched in order on the kind's name.
# Data, not logic: add a row when the engine learns a new kind.
CHART_RULES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("rtt_ms", "jitter_ms"), "latency", "ms"),
    (("loss_pct",), "loss", "%"),
    (("in_bps", "out_bps"), "traffic", "bit/s"),
    (("error", "discard"), "errors", "/s"),
    (("cpu",), "cpu", "%"),
    (("mem", "storage", "disk"), "memory", "%"),
    (("radio_dbm",), "radio", "dBm"),
    (("dbm",), "optical", "dBm"),
    (("temp",), "temperature", "°C"),
    (("sessions",), "sessions", ""),
)
CHART_ORDER = ("latency", "loss", "traffic", "errors", "cpu", "memory", "optical", "radio", "temperature", "sessions")
INTERFACE_CHARTS = frozenset({"traffic", "errors", "optical"})

DEFAULT_MAX_POINTS = 2500


def chart_of(kind: str) -> str:
    """The chart key a sensor kind is drawn on ('other' when no rule matches)."""
    for needles, key, _unit in CHART_RULES:
        if any(n in kind for n in needles):
            return key
    return "other"


@dataclass(frozen=True)
class InterfaceRow:
    """One line of a device's interface table."""

    id: int
    if_index: int
    name: str
    alias: str
    speed_bps: int | None
    admin_status: str
    oper_status: str
    state: str
    in_bps: float | None
    out_bps: float | None
    util_in_pct: float | None
    util_out_pct: float | None
    monitored: bool


@dataclass(frozen=True)
class SensorInfo:
    """A measured series of the device."""

    id: int
    kind: str
    label: str
    unit: str
    interface_id: int | None
    last_value: float | None
    chart: str


@dataclass(frozen=True)
class DeviceDetail:
    """The device row (with site, group and parent names), its interfaces and sensors."""

    device: dict[str, Any]
    interfaces: list[InterfaceRow]
    sensors: list[SensorInfo]


@dataclass
class Series:
    """Points of one sensor: ts (epoch s), avg, and min/max when read from a rollup."""

    sensor: SensorInfo
    resolution: str
    ts: list[float] = field(default_factory=list)
    avg: list[float] = field(default_factory=list)
    min: list[float] | None = None
    max: list[float] | None = None


@dataclass(frozen=True)
class DevicePageData:
    """A device page at one time range: detail, series per chart, uptime timeline."""

    detail: DeviceDetail
    start_ts: int
    end_ts: int
    series: list[Series]
    segments: list[tuple[int, int, str]]
    availability_pct: float | None
    interface_id: int | None


def device_detail(store: Store, device_id: int) -> DeviceDetail | None:
    """The device with its interfaces and sensors; None when it was removed."""
    row = store.conn.execute(
        "SELECT d.*, s.name AS site, g.name AS device_group, p.name AS parent FROM devices d "
        "LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN device_groups g ON g.id = d.group_id "
        "LEFT JOIN devices p ON p.id = d.parent_id WHERE d.id = ?", (device_id,)).fetchone()
    if row is None:
        return None
    ifs = [InterfaceRow(r["id"], r["if_index"], r["name"], r["alias"], r["speed_override_bps"] or r["speed_bps"],
                        r["admin_status"] or "", r["oper_status"] or "", r["state"], r["in_bps"], r["out_bps"],
                        r["util_in_pct"], r["util_out_pct"], bool(r["monitored"]))
           for r in store.conn.execute("SELECT * FROM interfaces WHERE device_id = ? ORDER BY if_index", (device_id,))]
    sensors = [SensorInfo(r["id"], r["kind"], r["label"], r["unit"], r["interface_id"], r["last_value"],
                          chart_of(r["kind"]))
               for r in store.conn.execute(
                   "SELECT * FROM sensors WHERE device_id = ? AND service_id IS NULL ORDER BY kind, label, id",
                   (device_id,))]
    return DeviceDetail(dict(row), ifs, sensors)


def points_for(span_s: int, interval_s: int, max_points: int) -> int:
    """The point count to ask nocdesk.rollups for, so a range is read at a whole stored resolution.

    The finest of raw (one point per polling interval), 5 min, 1 h and 1 d whose points over `span_s` fit in
    `max_points`: 24 h of 60 s polls is raw (1,440 points), 7 d is 5 min, 30 d is 1 h, a year is 1 d.
    """
    for step_s in (max(1, interval_s), *(level.step_s for level in rollups.LEVELS)):
        if span_s / step_s <= max_points:
            return max(1, math.ceil(span_s / step_s))
    return max_points


def read_series(store: Store, sensor: SensorInfo, start_ts: int, end_ts: int, *, interval_s: int = 60,
                max_points: int = DEFAULT_MAX_POINTS, now: int | None = None) -> Series:
    """One sensor's points in [start_ts, end_ts] at the finest whole resolution that fits `max_points`."""
    points = points_for(end_ts - start_ts, interval_s, max_points)
    rows = rollups.read_series(store, sensor.id, start_ts, end_ts, max_points=points, now=now)
    ts = [r[0] for r in rows]
    lo, avg, hi = [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]
    step = _typical_step(ts)
    flat = all(a == b for a, b in zip(lo, hi, strict=False))
    return Series(sensor, resolution_name(step), ts, avg, None if flat else lo, None if flat else hi)


def _typical_step(ts: list[int]) -> int | None:
    if len(ts) < 2:
        return None
    steps = sorted(b - a for a, b in zip(ts, ts[1:], strict=False))
    return steps[len(steps) // 2]


def resolution_name(step_s: int | None) -> str:
    """'1 d', '1 h', '5 min', '1 min' or e.g. '78 s': the spacing of a series' points."""
    if step_s is None:
        return ""
    for secs, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if step_s >= secs and step_s % secs == 0:
            return f"{step_s // secs} {unit}"
    return f"{step_s} s"


def device_page(store: Store, device_id: int, start_ts: int, end_ts: int, *, interface_id: int | None = None,
                max_points: int = DEFAULT_MAX_POINTS, now: int | None = None) -> DevicePageData | None:
    """Everything a device page draws for one range; interface charts are for `interface_id` (default: busiest)."""
    now = int(time.time()) if now is None else now
    detail = device_detail(store, device_id)
    if detail is None:
        return None
    if interface_id is None or not any(i.id == interface_id for i in detail.interfaces):
        interface_id = default_interface(detail)
    interval_s = int(detail.device.get("interval_s") or 60)
    wanted = [s for s in detail.sensors
              if s.chart not in INTERFACE_CHARTS or s.interface_id is None or s.interface_id == interface_id]
    series = [read_series(store, s, start_ts, end_ts, interval_s=interval_s, max_points=max_points, now=now)
              for s in wanted]
    segments, avail = timeline(store, "device", device_id, start_ts, end_ts, now=now)
    return DevicePageData(detail, start_ts, end_ts, series, segments, avail, interface_id)


def device_stamp(store: Store, device_id: int) -> tuple | None:
    """A cheap fingerprint of everything a device page shows: equal stamps mean nothing to redraw."""
    row = store.conn.execute(
        "SELECT d.updated_at, d.state, d.state_since, d.last_check_at, d.last_rtt_ms, d.last_error, "
        "(SELECT max(last_ts) FROM sensors WHERE device_id = d.id), "
        "(SELECT max(updated_at) FROM interfaces WHERE device_id = d.id), "
        "(SELECT max(ts) FROM state_changes WHERE target_type = 'device' AND target_id = d.id) "
        "FROM devices d WHERE d.id = ?", (device_id,)).fetchone()
    return None if row is None else tuple(row)


def default_interface(detail: DeviceDetail) -> int | None:
    """The interface charted when none is chosen: the busiest one that has traffic sensors."""
    with_traffic = {s.interface_id for s in detail.sensors if s.chart == "traffic" and s.interface_id}
    candidates = [i for i in detail.interfaces if i.id in with_traffic] or detail.interfaces
    if not candidates:
        return None
    return max(candidates, key=lambda i: (i.oper_status == "up", (i.in_bps or 0) + (i.out_bps or 0))).id
