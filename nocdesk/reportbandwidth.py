"""Bandwidth of interfaces over a report period: average, 95th percentile and peak of in_bps / out_bps.

The 95th percentile is taken over 5-minute averages (the usual burstable-billing rule, nearest rank). The
5-minute rollups are used when the engine wrote them for the period; otherwise raw samples are averaged into
5-minute buckets here (raw samples are only kept for a few days, rollups for months).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .store import Store

BUCKET_S = 300
PERCENTILE = 95


@dataclass(frozen=True)
class SeriesStats:
    """Statistics of one rate series in bits per second."""

    avg_bps: float
    p95_bps: float
    peak_bps: float
    buckets: int


@dataclass(frozen=True)
class InterfaceBandwidth:
    """One interface's traffic in the period and its capacity."""

    device_id: int
    device: str
    interface: str
    link: str
    speed_bps: float | None
    rx: SeriesStats | None   # in_bps
    tx: SeriesStats | None   # out_bps

    def util_pct(self, attr: str) -> float | None:
        """Utilisation of the busier direction for statistic `attr` (avg_bps, p95_bps, peak_bps)."""
        if not self.speed_bps:
            return None
        values = [getattr(s, attr) for s in (self.rx, self.tx) if s is not None]
        return max(values) / self.speed_bps * 100.0 if values else None


def nearest_rank(sorted_values: Sequence[float], pct: float = PERCENTILE) -> float:
    """The pct-th percentile by nearest rank (the value below which pct% of the samples fall)."""
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def stats_from_buckets(rows: Sequence[tuple[float, float, int]]) -> SeriesStats | None:
    """Statistics from (avg, max, count) buckets; None when there are none."""
    if not rows:
        return None
    weight = sum(c for _, _, c in rows) or len(rows)
    avg = sum(a * c for a, _, c in rows) / weight if weight else 0.0
    return SeriesStats(avg, nearest_rank(sorted(a for a, _, _ in rows)), max(m for _, m, _ in rows), len(rows))


def series_stats(store: Store, sensor_id: int, start: int, end: int) -> SeriesStats | None:
    """Stats of one sensor over [start, end) from rollup_5m, else from raw samples."""
    rows = store.conn.execute(
        "SELECT avg, max, count FROM rollup_5m WHERE sensor_id = ? AND ts >= ? AND ts < ?", (sensor_id, start, end)
    ).fetchall()
    if not rows:
        rows = store.conn.execute(
            "SELECT avg(value), max(value), count(*) FROM samples WHERE sensor_id = ? AND ts >= ? AND ts < ? "
            "GROUP BY ts / ?", (sensor_id, start, end, BUCKET_S)).fetchall()
    return stats_from_buckets([(r[0], r[1], r[2]) for r in rows])


def interface_bandwidth(store: Store, bounds_by_device: dict[int, tuple[int, int]],
                        names_by_device: dict[int, str]) -> list[InterfaceBandwidth]:
    """Traffic of every interface with in_bps/out_bps sensors on the given devices, within each device's period."""
    links: dict[int, tuple[str, int | None]] = {}
    for r in store.conn.execute(
            "SELECT l.name, l.a_interface_id, l.b_interface_id, l.capacity_bps, a.name, b.name FROM links l "
            "JOIN devices a ON a.id = l.a_device_id JOIN devices b ON b.id = l.b_device_id"):
        for if_id in (r[1], r[2]):
            if if_id is not None:
                links[if_id] = (r[0] or f"{r[4]} – {r[5]}", r[3])
    per_interface: dict[int, dict] = {}
    for r in store.conn.execute(
            "SELECT s.id, s.kind, s.device_id, i.id, i.name, i.if_index, i.speed_bps, i.speed_override_bps "
            "FROM sensors s JOIN interfaces i ON i.id = s.interface_id WHERE s.kind IN ('in_bps', 'out_bps') "
            "ORDER BY s.device_id, i.if_index"):
        sensor_id, kind, device_id, if_id, if_name, if_index, speed, override = r
        if device_id not in bounds_by_device:
            continue
        start, end = bounds_by_device[device_id]
        stats = series_stats(store, sensor_id, start, end)
        if stats is None:
            continue
        link_name, capacity = links.get(if_id, ("", None))
        entry = per_interface.setdefault(if_id, {
            "device_id": device_id, "device": names_by_device[device_id], "interface": if_name or f"ifIndex {if_index}",
            "link": link_name, "speed_bps": override or capacity or speed or None, "rx": None, "tx": None})
        entry["rx" if kind == "in_bps" else "tx"] = stats
    return [InterfaceBandwidth(**v) for v in per_interface.values()]
