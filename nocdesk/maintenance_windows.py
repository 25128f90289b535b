"""Maintenance windows in the store: check, save, list and delete them (the dialog and the CLI share this).

A window is either one-off (start_ts < end_ts) or weekly (weekdays Monday=0 … Sunday=6, a start minute after
local midnight and a duration, in its time zone). It covers everything, one device, a site, a group or a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ConfigError
from .i18n import _
from .maintenance import DEFAULT_TZ, Window
from .store import Store

FIELDS = ("name", "target_type", "target_id", "start_ts", "end_ts", "weekdays", "start_minute", "duration_min",
          "timezone", "comment", "created_by")
TARGET_TABLES = {"device": "devices", "site": "sites", "group": "device_groups", "link": "links"}
MAX_WEEKLY_MIN = 7 * 1440


def _weekdays(value: Any) -> str:
    """'0,2,4' from '0,2,4', [0, 2, 4] or (6,); raises ValueError on anything else."""
    if value is None or value == "":
        return ""
    parts = value if isinstance(value, list | tuple) else str(value).replace(" ", "").split(",")
    days = sorted({int(p) for p in parts if str(p) != ""})
    if any(d < 0 or d > 6 for d in days):
        raise ValueError(value)
    return ",".join(str(d) for d in days)


def check_window(store: Store, window: Mapping[str, Any]) -> list[str]:
    """Every problem with `window`, in words a user can act on (empty when it can be saved)."""
    problems: list[str] = []
    if not str(window.get("name") or "").strip():
        problems.append(_("name is empty"))
    target_type = window.get("target_type") or "all"
    if target_type != "all" and target_type not in TARGET_TABLES:
        problems.append(_("unknown target type {kind!r} (all, device, site, group or link)").format(kind=target_type))
    elif target_type != "all":
        target_id = window.get("target_id")
        if target_id is None:
            problems.append(_("choose what the window covers"))
        elif store.conn.execute(f"SELECT 1 FROM {TARGET_TABLES[target_type]} WHERE id = ?",
                                (target_id,)).fetchone() is None:
            problems.append(_("the {kind} it covers no longer exists").format(kind=target_type))
    try:
        ZoneInfo(str(window.get("timezone") or DEFAULT_TZ))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(_("unknown time zone {tz!r} (e.g. Asia/Jakarta)").format(tz=window.get("timezone")))
    try:
        weekdays = _weekdays(window.get("weekdays"))
    except (TypeError, ValueError):
        problems.append(_("weekdays must be numbers 0 (Monday) to 6 (Sunday)"))
        return problems
    one_off = window.get("start_ts") is not None or window.get("end_ts") is not None
    if one_off and weekdays:
        problems.append(_("a window is either one-off (start and end) or weekly (weekdays), not both"))
    elif one_off:
        start, end = window.get("start_ts"), window.get("end_ts")
        if start is None or end is None or int(end) <= int(start):
            problems.append(_("the end must be after the start"))
    elif not weekdays:
        problems.append(_("give a start and end, or at least one weekday"))
    else:
        minute, duration = window.get("start_minute"), window.get("duration_min")
        if minute is None or not 0 <= int(minute) < 1440:
            problems.append(_("the start time must be between 00:00 and 23:59"))
        if not duration or not 0 < int(duration) <= MAX_WEEKLY_MIN:
            problems.append(_("a weekly window needs a duration between 1 minute and 7 days"))
    return problems


def save_window(store: Store, window: Mapping[str, Any]) -> int:
    """Create or (when `window` has an 'id') update a maintenance window; returns its id."""
    problems = check_window(store, window)
    if problems:
        raise ConfigError(_("maintenance window: ") + "; ".join(problems))
    values = {k: window.get(k) for k in FIELDS if k in window}
    values["weekdays"] = _weekdays(window.get("weekdays")) or None
    values["timezone"] = window.get("timezone") or DEFAULT_TZ
    values["target_type"] = window.get("target_type") or "all"
    if values["target_type"] == "all":
        values["target_id"] = None
    values["name"] = str(window["name"]).strip()
    with store.transaction() as conn:
        if window.get("id"):
            done = conn.execute(f"UPDATE maintenance_windows SET {', '.join(f'{k} = ?' for k in values)} "
                                "WHERE id = ?", [*values.values(), window["id"]])
            if done.rowcount == 0:
                raise ConfigError(_("maintenance window #{id} no longer exists").format(id=window["id"]))
            return int(window["id"])
        return int(conn.execute(f"INSERT INTO maintenance_windows({', '.join(values)}) VALUES "
                                f"({', '.join('?' * len(values))})", list(values.values())).lastrowid)


def delete_window(store: Store, window_id: int) -> None:
    """Remove a maintenance window (no error when it is already gone)."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM maintenance_windows WHERE id = ?", (window_id,))


def list_windows(store: Store) -> list[dict[str, Any]]:
    """Every window as a row dict, with 'target_name' (device/site/group name or link ends) and 'active_now'."""
    rows = [dict(r) for r in store.conn.execute("SELECT * FROM maintenance_windows ORDER BY id")]
    names = {
        "device": dict(store.conn.execute("SELECT id, name FROM devices").fetchall()),
        "site": dict(store.conn.execute("SELECT id, name FROM sites").fetchall()),
        "group": dict(store.conn.execute("SELECT id, name FROM device_groups").fetchall()),
        "link": {r[0]: f"{r[1]} ↔ {r[2]}" for r in store.conn.execute(
            "SELECT l.id, a.name, b.name FROM links l JOIN devices a ON a.id = l.a_device_id "
            "JOIN devices b ON b.id = l.b_device_id")},
    }
    now = dt.datetime.now(dt.UTC).timestamp()
    for row in rows:
        kind = row["target_type"]
        row["target_name"] = _("everything") if kind == "all" else names.get(kind, {}).get(row["target_id"], "?")
        row["active_now"] = Window.from_row(row).is_active(now)
    return rows
