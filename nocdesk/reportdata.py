"""Read the store into the data of one monthly report: targets, their availability, incidents, maintenance.

Each target's month runs from local midnight in its site's zone (devices without a site use the `ui.timezone`
setting, default Asia/Jakarta). Engine gaps come from engine_runs heartbeats: time not covered by any run
(started_at until stopped_at, or last_beat_at + ENGINE_GRACE_S after a crash) is unknown; a database with no
engine_runs row at all (imported history) has no gap information and relies on its 'unknown' state rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .availability import (
    DEFAULT_RULES,
    Availability,
    Rules,
    StateChange,
    complement,
    compute,
    merge_intervals,
    month_bounds,
    weekly_windows,
)
from .errors import ConfigError
from .i18n import _
from .store import Store

DEFAULT_TIMEZONE = "Asia/Jakarta"
ENGINE_GRACE_S = 180
ALERT_MATCH_BEFORE_S = 300


@dataclass(frozen=True)
class Scope:
    """Which devices a report covers: everything, one site or one device group."""

    kind: str = "all"
    name: str = ""

    def __str__(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}:{self.name}"


def parse_scope(text: str | Scope | None) -> Scope:
    """'site:NAME' or 'group:NAME' (None or 'all' = the whole agency)."""
    if isinstance(text, Scope):
        return text
    if not text or text.strip().lower() == "all":
        return Scope()
    kind, sep, name = text.partition(":")
    if not sep or kind.strip().lower() not in ("site", "group") or not name.strip():
        raise ConfigError(_("scope '{scope}' is not understood; use site:NAME or group:NAME").format(scope=text))
    return Scope(kind.strip().lower(), name.strip())


@dataclass
class Target:
    """A device, link or service with what the report needs to know about it."""

    type: str
    id: int
    name: str
    tz: str
    created_at: int | None = None
    site: str = ""
    site_id: int | None = None
    group: str = ""
    group_id: int | None = None
    sla_target_pct: float | None = None
    device_id: int | None = None
    address: str = ""
    kind: str = ""
    bounds: tuple[int, int] = (0, 0)
    result: Availability | None = None
    maintenance: list[tuple[int, int]] = field(default_factory=list)


def agency_timezone(store: Store) -> str:
    """The zone for agency-wide dates and devices without a site (setting 'ui.timezone')."""
    return store.get_setting("ui.timezone", DEFAULT_TIMEZONE) or DEFAULT_TIMEZONE


def load_targets(store: Store, scope: Scope) -> tuple[list[Target], list[Target], list[Target]]:
    """Devices, links and services in scope (a link is in scope when either end is)."""
    default_tz = agency_timezone(store)
    devices = [
        Target("device", r["id"], r["name"], r["timezone"] or default_tz, r["created_at"], r["site"] or "", r["site_id"],
               r["grp"] or "", r["group_id"], r["sla_target_pct"], r["id"], r["address"], r["kind"])
        for r in store.conn.execute(
            "SELECT d.id, d.name, d.address, d.kind, d.created_at, d.site_id, d.group_id, s.name AS site, s.timezone,"
            " g.name AS grp, g.sla_target_pct FROM devices d LEFT JOIN sites s ON s.id = d.site_id"
            " LEFT JOIN device_groups g ON g.id = d.group_id ORDER BY d.name COLLATE NOCASE")]
    if scope.kind != "all":
        table = "sites" if scope.kind == "site" else "device_groups"
        row = store.conn.execute(f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE", (scope.name,)).fetchone()
        if row is None:
            raise ConfigError(_("no {kind} named '{name}' (check the --scope value)").format(kind=scope.kind, name=scope.name))
        attr = "site_id" if scope.kind == "site" else "group_id"
        devices = [d for d in devices if getattr(d, attr) == row[0]]
    by_id = {d.id: d for d in devices}
    links = []
    for r in store.conn.execute(
            "SELECT l.id, l.name, l.first_seen, l.a_device_id, l.b_device_id, a.name AS a_name, b.name AS b_name"
            " FROM links l JOIN devices a ON a.id = l.a_device_id JOIN devices b ON b.id = l.b_device_id ORDER BY l.id"):
        end = by_id.get(r["a_device_id"]) or by_id.get(r["b_device_id"])
        if end is None:
            continue
        name = r["name"] or f"{r['a_name']} – {r['b_name']}"
        links.append(Target("link", r["id"], name, end.tz, r["first_seen"], end.site, end.site_id, end.group,
                            end.group_id, None, end.id))
    services = []
    for r in store.conn.execute("SELECT id, device_id, name FROM services ORDER BY device_id, name"):
        dev = by_id.get(r["device_id"])
        if dev is not None:
            services.append(Target("service", r["id"], f"{dev.name} / {r['name']}", dev.tz, dev.created_at, dev.site,
                                   dev.site_id, dev.group, dev.group_id, dev.sla_target_pct, dev.id))
    return devices, links, services


def load_changes(store: Store, target_type: str, ids: Iterable[int], lo: int, hi: int) -> dict[int, list[StateChange]]:
    """State rows of the targets in [lo, hi), plus the last row before lo and the first row at or after hi."""
    wanted = set(ids)
    rows: dict[int, list[StateChange]] = defaultdict(list)
    cols = "target_id, ts, state, cause_type, cause_id, reason"
    queries = [
        (f"SELECT {cols}, max(ts) FROM state_changes WHERE target_type = ? AND ts < ? GROUP BY target_id", (lo,)),
        (f"SELECT {cols} FROM state_changes WHERE target_type = ? AND ts >= ? AND ts < ? ORDER BY ts, id", (lo, hi)),
        (f"SELECT {cols}, min(ts) FROM state_changes WHERE target_type = ? AND ts >= ? GROUP BY target_id", (hi,)),
    ]
    for sql, args in queries:
        for r in store.conn.execute(sql, (target_type, *args)):
            if r[0] in wanted:
                rows[r[0]].append(StateChange(r[1], r[2], r[3], r[4], r[5] or ""))
    return rows


def engine_gaps(store: Store, lo: int, hi: int) -> list[tuple[int, int]]:
    """Parts of [lo, hi) when no engine was running; empty when the database has no engine_runs at all."""
    if store.conn.execute("SELECT 1 FROM engine_runs LIMIT 1").fetchone() is None:
        return []
    runs = [(r[0], r[1] if r[1] is not None else r[2] + ENGINE_GRACE_S) for r in store.conn.execute(
        "SELECT started_at, stopped_at, last_beat_at FROM engine_runs WHERE started_at < ? "
        "AND coalesce(stopped_at, last_beat_at + ?) > ?", (hi, ENGINE_GRACE_S, lo))]
    return complement(runs, lo, hi)


@dataclass(frozen=True)
class MaintenanceWindow:
    """One occurrence of a maintenance window and whom it applies to."""

    name: str
    target_type: str
    target_id: int | None
    start: int
    end: int
    tz: str
    comment: str
    created_by: str


def maintenance_windows(store: Store, lo: int, hi: int) -> list[MaintenanceWindow]:
    """Every occurrence of every maintenance window that overlaps [lo, hi)."""
    found = []
    for r in store.conn.execute("SELECT * FROM maintenance_windows ORDER BY id"):
        if r["start_ts"] is not None and r["end_ts"] is not None:
            spans = [(r["start_ts"], r["end_ts"])] if r["end_ts"] > lo and r["start_ts"] < hi else []
        elif r["weekdays"] and r["start_minute"] is not None and r["duration_min"]:
            days = [int(x) for x in str(r["weekdays"]).replace(" ", "").split(",") if x != ""]
            spans = weekly_windows(days, r["start_minute"], r["duration_min"], r["timezone"], lo, hi)
        else:
            spans = []
        found += [MaintenanceWindow(r["name"], r["target_type"], r["target_id"], s, e, r["timezone"], r["comment"],
                                    r["created_by"]) for s, e in spans]
    return found


def window_applies(window: MaintenanceWindow, target: Target, device: Target | None) -> bool:
    """Whether a maintenance window covers a target (a service or link follows its device's windows)."""
    if window.target_type == "all":
        return True
    if window.target_type == "link":
        return target.type == "link" and window.target_id == target.id
    owner = device or target
    return ((window.target_type == "device" and window.target_id == owner.device_id)
            or (window.target_type == "site" and window.target_id == owner.site_id)
            or (window.target_type == "group" and window.target_id == owner.group_id))


def compute_targets(store: Store, targets: list[Target], *, year: int, month: int, now: int,
                    windows: list[MaintenanceWindow], gaps: list[tuple[int, int]], rules: Rules = DEFAULT_RULES,
                    devices_by_id: dict[int, Target] | None = None) -> None:
    """Fill bounds, maintenance and result of every target of one type (all of the same type)."""
    if not targets:
        return
    for t in targets:
        t.bounds = month_bounds(year, month, t.tz)
    lo, hi = min(t.bounds[0] for t in targets), max(t.bounds[1] for t in targets)
    changes = load_changes(store, targets[0].type, [t.id for t in targets], lo, hi)
    for t in targets:
        device = (devices_by_id or {}).get(t.device_id) if t.type != "device" else None
        t.maintenance = merge_intervals((w.start, w.end) for w in windows if window_applies(w, t, device))
        t.result = compute(changes.get(t.id, []), start=t.bounds[0], end=t.bounds[1], created_at=t.created_at,
                           now=now, maintenance=t.maintenance, unknown_gaps=gaps, rules=rules)


@dataclass(frozen=True)
class AlertInfo:
    """The acknowledgement of the alert raised for an incident."""

    opened_at: int
    acked_by: str
    ack_comment: str


def load_alerts(store: Store, lo: int, hi: int) -> dict[tuple[str, int], list[AlertInfo]]:
    """Alerts opened around [lo, hi) (from a month before: long outages), by (target_type, target_id), oldest first."""
    index: dict[tuple[str, int], list[AlertInfo]] = defaultdict(list)
    for r in store.conn.execute(
            "SELECT target_type, target_id, opened_at, acked_by, ack_comment FROM alerts "
            "WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at", (lo - 31 * 86400, hi + 86400)):
        index[(r[0], r[1])].append(AlertInfo(r[2], r[3] or "", r[4] or ""))
    return index


def match_alert(alerts: dict[tuple[str, int], list[AlertInfo]], keys: list[tuple[str, int]], start: int,
                end: int | None) -> AlertInfo | None:
    """The first alert of the incident's target (else of its root cause) opened during the incident."""
    for key in keys:
        for alert in alerts.get(key, []):
            if start - ALERT_MATCH_BEFORE_S <= alert.opened_at and (end is None or alert.opened_at <= end):
                return alert
    return None


def names_by_id(store: Store) -> dict[str, dict[int, str]]:
    """Display names of devices, links, interfaces, services, sites and groups by id."""
    devices = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM devices")}
    links = {r[0]: r[1] or f"{devices.get(r[2], '?')} – {devices.get(r[3], '?')}"
             for r in store.conn.execute("SELECT id, name, a_device_id, b_device_id FROM links")}
    interfaces = {r[0]: f"{devices.get(r[1], '?')}/{r[2] or r[3]}"
                  for r in store.conn.execute("SELECT id, device_id, name, if_index FROM interfaces")}
    services = {r[0]: f"{devices.get(r[1], '?')} / {r[2]}" for r in store.conn.execute(
        "SELECT id, device_id, name FROM services")}
    sites = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM sites")}
    groups = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM device_groups")}
    return {"device": devices, "link": links, "interface": interfaces, "service": services, "site": sites,
            "group": groups}


def config_changes(store: Store, devices: list[Target]) -> list[dict[str, Any]]:
    """Config versions saved within each device's month, with whether it was the first backup."""
    by_id = {d.id: d for d in devices}
    if not by_id:
        return []
    lo, hi = min(d.bounds[0] for d in devices), max(d.bounds[1] for d in devices)
    out = []
    for r in store.conn.execute(
            "SELECT cv.device_id, cv.ts, cv.summary, cv.size, EXISTS (SELECT 1 FROM config_versions p "
            "WHERE p.device_id = cv.device_id AND p.ts < cv.ts) AS has_previous FROM config_versions cv "
            "WHERE cv.ts >= ? AND cv.ts < ? ORDER BY cv.ts", (lo, hi)):
        dev = by_id.get(r["device_id"])
        if dev is not None and dev.bounds[0] <= r["ts"] < dev.bounds[1]:
            out.append({"device": dev, "ts": r["ts"], "summary": r["summary"], "size": r["size"],
                        "first": not r["has_previous"]})
    return out


def backups_configured(store: Store) -> bool:
    """Whether config backup has ever run (else the report says it is not set up)."""
    return store.conn.execute("SELECT 1 FROM backup_runs LIMIT 1").fetchone() is not None or \
        store.conn.execute("SELECT 1 FROM config_versions LIMIT 1").fetchone() is not None
