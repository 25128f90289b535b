"""Maintenance windows: is a device covered right now? Weekly or one-off windows, in the window's time zone.

Pure functions over rows of the maintenance_windows table; the engine asks once per check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Asia/Jakarta"


@dataclass(frozen=True)
class Window:
    """One maintenance window (a row of maintenance_windows)."""

    id: int
    name: str
    target_type: str = "all"          # all, device, site, group, link
    target_id: int | None = None
    start_ts: int | None = None       # one-off
    end_ts: int | None = None
    weekdays: tuple[int, ...] = ()    # weekly: Monday=0 … Sunday=6, in `timezone`
    start_minute: int | None = None
    duration_min: int | None = None
    timezone: str = DEFAULT_TZ

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Window:
        days = tuple(int(d) for d in str(row.get("weekdays") or "").replace(" ", "").split(",") if d != "")
        return cls(id=row["id"], name=row.get("name") or "", target_type=row.get("target_type") or "all",
                   target_id=row.get("target_id"), start_ts=row.get("start_ts"), end_ts=row.get("end_ts"),
                   weekdays=days, start_minute=row.get("start_minute"), duration_min=row.get("duration_min"),
                   timezone=row.get("timezone") or DEFAULT_TZ)

    def is_active(self, ts: float) -> bool:
        """True when `ts` (epoch seconds) falls inside this window."""
        if self.weekdays and self.start_minute is not None and self.duration_min:
            return _weekly_active(self, ts)
        if self.start_ts is not None and self.end_ts is not None:
            return self.start_ts <= ts < self.end_ts
        return False

    def covers(self, *, device_id: int, site_id: int | None, group_id: int | None) -> bool:
        """True when the window's target includes this device."""
        if self.target_type == "all":
            return True
        wanted = {"device": device_id, "site": site_id, "group": group_id}.get(self.target_type)
        return wanted is not None and wanted == self.target_id


def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def _weekly_active(w: Window, ts: float) -> bool:
    local = dt.datetime.fromtimestamp(ts, _zone(w.timezone))
    minute_of_week = local.weekday() * 1440 + local.hour * 60 + local.minute + local.second / 60
    week = 7 * 1440
    for day in w.weekdays:
        start = day * 1440 + (w.start_minute or 0)
        # A window may run past midnight or past Sunday night into Monday.
        offset = (minute_of_week - start) % week
        if offset < (w.duration_min or 0):
            return True
    return False


def active_window(windows: Iterable[Window], ts: float, *, device_id: int, site_id: int | None = None,
                  group_id: int | None = None) -> Window | None:
    """The first window active at `ts` that covers the device, or None."""
    for w in windows:
        if w.covers(device_id=device_id, site_id=site_id, group_id=group_id) and w.is_active(ts):
            return w
    return None
