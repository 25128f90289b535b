"""Read-only views of the store for the desktop app: plain functions returning dataclasses.

Every function here takes an open Store and answers one screen's question (the device table, the site
tree, the dashboard, a device page, the events list) with a bounded number of indexed queries, so the UI
can run it off the GUI thread and redraw from the result. Nothing here writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .availability import Availability, StateChange, compute
from .reportdata import engine_gaps
from .store import Store

STATES = ("up", "down", "unreachable", "degraded", "maintenance", "unknown")
# Worst first: the tray icon and tree nodes show the worst state of what they hold.
SEVERITY_ORDER = {"down": 5, "unreachable": 4, "degraded": 3, "unknown": 2, "maintenance": 1, "up": 0}
DAY_S = 86400
ENGINE_HEARTBEAT_S = 10  # the engine beats at least this often; stale after twice this


def worst_state(states: Any) -> str:
    """The worst of some states ('up' when there are none)."""
    return max(states, key=lambda s: SEVERITY_ORDER.get(s, 2), default="up")


@dataclass(frozen=True)
class DeviceRow:
    """One line of the device table."""

    id: int
    name: str
    address: str
    kind: str
    site: str
    site_id: int | None
    group: str
    group_id: int | None
    state: str
    state_since: int | None
    rtt_ms: float | None
    loss_pct: float | None
    uptime_pct: float | None
    enabled: bool
    last_error: str


@dataclass(frozen=True)
class TreeNode:
    """A node of the site/group tree: key is 'all', 'sitekind:<kind>', 'site:<id>', 'group:<id>' or 'nosite'."""

    key: str
    label: str
    counts: dict[str, int]
    children: tuple[TreeNode, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worst(self) -> str:
        return worst_state(s for s, n in self.counts.items() if n)


@dataclass(frozen=True)
class LinkRow:
    """A link on the dashboard's worst-links list."""

    id: int
    name: str
    a_device: str
    b_device: str
    medium: str
    state: str
    util_pct: float | None
    loss_pct: float | None
    b_device_id: int


@dataclass(frozen=True)
class AlertRow:
    """An alert as the events view shows it."""

    id: int
    rule: str
    severity: str
    status: str
    message: str
    device_id: int | None
    device_name: str
    site: str
    opened_at: int
    resolved_at: int | None
    acked_by: str
    acked_at: int | None
    ack_comment: str


@dataclass(frozen=True)
class EventRow:
    """One line of the event log."""

    id: int
    ts: int
    severity: str
    kind: str
    device_id: int | None
    device_name: str
    site: str
    message: str


@dataclass(frozen=True)
class EngineStatus:
    """Is a poller running on this database? `alive` is False when its heartbeat is older than 2x."""

    alive: bool
    last_beat_at: int | None
    started_at: int | None
    pid: int | None
    host: str
    last_cycle_s: float | None
    lag_s: float | None


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page shows."""

    totals: dict[str, int]
    device_count: int
    interface_count: int
    worst_links: list[LinkRow]
    open_alerts: list[AlertRow]
    availability_24h_pct: float | None
    engine: EngineStatus
    generated_at: int


@dataclass(frozen=True)
class Overview:
    """The main window's periodic read: tree, table and dashboard in one consistent snapshot."""

    devices: list[DeviceRow]
    tree: TreeNode
    dashboard: Dashboard


@dataclass
class Filter:
    """What the events view is filtered on (None: no filter)."""

    severities: tuple[str, ...] = ()
    site_id: int | None = None
    since_ts: int | None = None
    device_id: int | None = None
    limit: int = 2000
    statuses: tuple[str, ...] = field(default_factory=lambda: ("open", "acknowledged"))


def _now(now: int | None) -> int:
    return int(time.time()) if now is None else int(now)


def _availability(changes: list[tuple[int, str]], initial: str | None, start: int, end: int,
                  gaps: list[tuple[int, int]]) -> Availability:
    rows = [StateChange(start, initial)] if initial else []
    rows += [StateChange(ts, state) for ts, state in changes]
    return compute(rows, start=start, end=end, unknown_gaps=gaps)


def timeline(store: Store, target_type: str, target_id: int, start_ts: int, end_ts: int,
             *, now: int | None = None) -> tuple[list[tuple[int, int, str]], float | None]:
    """State segments (start, end, kind) of one target over a time range, and its availability %.

    Kinds are those of nocdesk.availability (degraded counts as up); time without an engine is unknown.
    """
    now = _now(now)
    end_ts = min(end_ts, now)
    row = store.conn.execute(
        "SELECT state FROM state_changes WHERE target_type = ? AND target_id = ? AND ts <= ? "
        "ORDER BY ts DESC LIMIT 1", (target_type, target_id, start_ts)).fetchone()
    changes = store.conn.execute(
        "SELECT ts, state FROM state_changes WHERE target_type = ? AND target_id = ? AND ts > ? AND ts <= ? "
        "ORDER BY ts, id", (target_type, target_id, start_ts, end_ts)).fetchall()
    result = _availability([(c[0], c[1]) for c in changes], row[0] if row else None, start_ts, end_ts,
                           engine_gaps(store, start_ts, end_ts))
    return [(seg.start, seg.end, seg.kind) for seg in result.segments], result.availability_pct


def _uptime_by_device(store: Store, device_ids: list[int], start: int, end: int) -> dict[int, Availability]:
    initial = dict(store.conn.execute(
        "SELECT d.id, (SELECT state FROM state_changes c WHERE c.target_type = 'device' AND c.target_id = d.id "
        "AND c.ts <= ? ORDER BY c.ts DESC LIMIT 1) FROM devices d", (start,)).fetchall())
    changes: dict[int, list[tuple[int, str]]] = {}
    for target_id, ts, state in store.conn.execute(
            "SELECT target_id, ts, state FROM state_changes WHERE ts > ? AND ts <= ? AND target_type = 'device' "
            "ORDER BY ts, id", (start, end)):
        changes.setdefault(target_id, []).append((ts, state))
    gaps = engine_gaps(store, start, end)
    return {dev_id: _availability(changes.get(dev_id, []), initial.get(dev_id), start, end, gaps)
            for dev_id in device_ids}


def device_rows(store: Store, *, now: int | None = None, cache: dict[str, Any] | None = None) -> list[DeviceRow]:
    """Every device with its live state and 24-hour uptime, ordered by name.

    `cache` (any dict the caller keeps between calls) saves recomputing every device's uptime when no state
    changed and the minute did not turn: the live table refreshes every second, uptime moves slowly.
    """
    now = _now(now)
    rows = store.conn.execute(
        "SELECT d.id, d.name, d.address, d.kind, d.site_id, s.name AS site, d.group_id, g.name AS grp, d.state, "
        "d.state_since, d.last_rtt_ms, d.last_loss_pct, d.enabled, d.last_error FROM devices d "
        "LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN device_groups g ON g.id = d.group_id "
        "ORDER BY d.name COLLATE NOCASE").fetchall()
    ids = [r["id"] for r in rows]
    key = (store.conn.execute("SELECT IFNULL(MAX(id), 0) FROM state_changes").fetchone()[0],
           store.conn.execute("SELECT IFNULL(MAX(last_beat_at), 0) / 60 FROM engine_runs").fetchone()[0],
           now // 60, tuple(ids))
    if cache is not None and cache.get("key") == key:
        uptime = cache["uptime"]
    else:
        uptime = _uptime_by_device(store, ids, now - DAY_S, now)
        if cache is not None:
            cache.update(key=key, uptime=uptime)
    return [DeviceRow(id=r["id"], name=r["name"], address=r["address"], kind=r["kind"], site=r["site"] or "",
                      site_id=r["site_id"], group=r["grp"] or "", group_id=r["group_id"], state=r["state"],
                      state_since=r["state_since"], rtt_ms=r["last_rtt_ms"], loss_pct=r["last_loss_pct"],
                      uptime_pct=uptime[r["id"]].availability_pct, enabled=bool(r["enabled"]),
                      last_error=r["last_error"] or "")
            for r in rows]


SITE_KIND_ORDER = ("datacenter", "kecamatan", "opd", "site")


def site_tree(store: Store, devices: list[DeviceRow]) -> TreeNode:
    """The sidebar tree: all devices, sites grouped by kind, device groups, each with counts per state."""
    def counts(rows: list[DeviceRow]) -> dict[str, int]:
        c = dict.fromkeys(STATES, 0)
        for d in rows:
            c[d.state if d.state in c else "unknown"] += 1
        return c

    by_site: dict[int | None, list[DeviceRow]] = {}
    by_group: dict[int, list[DeviceRow]] = {}
    for d in devices:
        by_site.setdefault(d.site_id, []).append(d)
        if d.group_id is not None:
            by_group.setdefault(d.group_id, []).append(d)
    sites = store.conn.execute("SELECT id, name, kind FROM sites ORDER BY name COLLATE NOCASE").fetchall()
    kind_nodes = []
    for kind in SITE_KIND_ORDER + tuple(sorted({s["kind"] for s in sites} - set(SITE_KIND_ORDER))):
        members = [s for s in sites if s["kind"] == kind]
        if not members:
            continue
        children = tuple(TreeNode(f"site:{s['id']}", s["name"], counts(by_site.get(s["id"], []))) for s in members)
        kind_rows = [d for s in members for d in by_site.get(s["id"], [])]
        kind_nodes.append(TreeNode(f"sitekind:{kind}", kind, counts(kind_rows), children))
    if by_site.get(None):
        kind_nodes.append(TreeNode("nosite", "", counts(by_site[None])))
    groups = store.conn.execute("SELECT id, name FROM device_groups ORDER BY name COLLATE NOCASE").fetchall()
    group_nodes = tuple(TreeNode(f"group:{g['id']}", g["name"], counts(by_group.get(g["id"], []))) for g in groups)
    top = list(kind_nodes)
    if group_nodes:
        top.append(TreeNode("groups", "", counts([d for d in devices if d.group_id is not None]), group_nodes))
    return TreeNode("all", "", counts(devices), tuple(top))


def engine_status(store: Store, *, now: int | None = None, heartbeat_s: int = ENGINE_HEARTBEAT_S) -> EngineStatus:
    """The most recent engine run and whether its heartbeat is fresh (newer than 2x the beat interval)."""
    now = _now(now)
    r = store.conn.execute("SELECT * FROM engine_runs ORDER BY last_beat_at DESC LIMIT 1").fetchone()
    if r is None:
        return EngineStatus(False, None, None, None, "", None, None)
    alive = r["stopped_at"] is None and now - r["last_beat_at"] <= 2 * heartbeat_s
    return EngineStatus(alive, r["last_beat_at"], r["started_at"], r["pid"], r["host"] or "", r["last_cycle_s"],
                        r["lag_s"])


def worst_links(store: Store, *, limit: int = 8) -> list[LinkRow]:
    """Links ordered by how bad they look: not up first, then highest utilisation or far-end loss."""
    rows = store.conn.execute(
        "SELECT l.id, l.name, l.medium, l.state, l.b_device_id, a.name AS a_name, b.name AS b_name, "
        "MAX(IFNULL(ia.util_in_pct, 0), IFNULL(ia.util_out_pct, 0), IFNULL(ib.util_in_pct, 0), "
        "IFNULL(ib.util_out_pct, 0)) AS util, "
        "(ia.util_in_pct IS NULL AND ib.util_in_pct IS NULL) AS no_util, b.last_loss_pct AS loss "
        "FROM links l JOIN devices a ON a.id = l.a_device_id JOIN devices b ON b.id = l.b_device_id "
        "LEFT JOIN interfaces ia ON ia.id = l.a_interface_id LEFT JOIN interfaces ib ON ib.id = l.b_interface_id "
        "WHERE l.stale = 0").fetchall()

    def badness(r: Any) -> tuple:
        return (SEVERITY_ORDER.get(r["state"], 2) if r["state"] != "unknown" else 0,
                max(r["util"] or 0, (r["loss"] or 0) * 10))

    rows = sorted(rows, key=badness, reverse=True)[:limit]
    return [LinkRow(r["id"], r["name"] or f"{r['a_name']} — {r['b_name']}", r["a_name"], r["b_name"], r["medium"],
                    r["state"], None if r["no_util"] else r["util"], r["loss"], r["b_device_id"]) for r in rows]


_ALERT_SQL = (
    "SELECT a.*, d.name AS device_name, s.name AS site FROM alerts a LEFT JOIN devices d ON d.id = a.device_id "
    "LEFT JOIN sites s ON s.id = d.site_id ")
SEVERITY_RANK_SQL = "CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 WHEN 'info' THEN 2 ELSE 3 END"


def _alert(r: Any) -> AlertRow:
    return AlertRow(r["id"], r["rule"], r["severity"], r["status"], r["message"], r["device_id"],
                    r["device_name"] or "", r["site"] or "", r["opened_at"], r["resolved_at"], r["acked_by"] or "",
                    r["acked_at"], r["ack_comment"] or "")


def alerts(store: Store, flt: Filter | None = None) -> list[AlertRow]:
    """Alerts matching a filter (by default the open and acknowledged ones), most severe and newest first."""
    flt = flt or Filter()
    where, args = _common_where(flt, "a.opened_at")
    if flt.statuses:
        where.append(f"a.status IN ({','.join('?' * len(flt.statuses))})")
        args.extend(flt.statuses)
    sql = _ALERT_SQL + ("WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY a.status = 'acknowledged', {SEVERITY_RANK_SQL}, a.opened_at DESC LIMIT ?"
    return [_alert(r) for r in store.conn.execute(sql, [*args, flt.limit])]


def _common_where(flt: Filter, ts_col: str) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if flt.severities:
        where.append(f"{ts_col.split('.')[0]}.severity IN ({','.join('?' * len(flt.severities))})")
        args.extend(flt.severities)
    if flt.site_id is not None:
        where.append("d.site_id = ?")
        args.append(flt.site_id)
    if flt.device_id is not None:
        where.append("d.id = ?")
        args.append(flt.device_id)
    if flt.since_ts is not None:
        where.append(f"{ts_col} >= ?")
        args.append(flt.since_ts)
    return where, args


def events(store: Store, flt: Filter | None = None) -> list[EventRow]:
    """The event log, newest first, filtered by severity, site, device and time."""
    flt = flt or Filter()
    where, args = _common_where(flt, "e.ts")
    sql = ("SELECT e.*, d.name AS device_name, s.name AS site FROM events e LEFT JOIN devices d ON d.id = e.device_id "
           "LEFT JOIN sites s ON s.id = d.site_id ")
    sql += ("WHERE " + " AND ".join(where) if where else "") + " ORDER BY e.ts DESC, e.id DESC LIMIT ?"
    return [EventRow(r["id"], r["ts"], r["severity"], r["kind"], r["device_id"], r["device_name"] or "",
                     r["site"] or "", r["message"]) for r in store.conn.execute(sql, [*args, flt.limit])]


def dashboard(store: Store, devices: list[DeviceRow], *, now: int | None = None,
              heartbeat_s: int = ENGINE_HEARTBEAT_S) -> Dashboard:
    """Totals per state, worst links, open alerts and the network's availability over the last 24 h."""
    now = _now(now)
    totals = dict.fromkeys(STATES, 0)
    for d in devices:
        totals[d.state if d.state in totals else "unknown"] += 1
    known = [d.uptime_pct for d in devices if d.uptime_pct is not None]
    interfaces = store.conn.execute("SELECT count(*) FROM interfaces").fetchone()[0]
    return Dashboard(totals=totals, device_count=len(devices), interface_count=interfaces,
                     worst_links=worst_links(store), open_alerts=alerts(store, Filter(limit=50)),
                     availability_24h_pct=sum(known) / len(known) if known else None,
                     engine=engine_status(store, now=now, heartbeat_s=heartbeat_s), generated_at=now)


def overview(store: Store, *, now: int | None = None, heartbeat_s: int = ENGINE_HEARTBEAT_S,
             cache: dict[str, Any] | None = None) -> Overview:
    """Tree, device table and dashboard in one read (what the main window refreshes on every change)."""
    now = _now(now)
    devices = device_rows(store, now=now, cache=cache)
    return Overview(devices, site_tree(store, devices), dashboard(store, devices, now=now, heartbeat_s=heartbeat_s))


@dataclass(frozen=True)
class Choices:
    """Names a device form offers: sites, groups, other devices (parents), credentials by kind."""

    sites: list[str]
    groups: list[str]
    devices: list[str]
    snmp_credentials: list[str]
    ssh_credentials: list[str]
    site_kinds: dict[str, str]


def choices(store: Store) -> Choices:
    """What the add/edit forms and filters can pick from."""
    q = store.conn.execute
    sites = q("SELECT name, kind FROM sites ORDER BY name COLLATE NOCASE").fetchall()
    creds = q("SELECT name, kind FROM credentials ORDER BY name COLLATE NOCASE").fetchall()
    return Choices(
        sites=[r[0] for r in sites],
        groups=[r[0] for r in q("SELECT name FROM device_groups ORDER BY name COLLATE NOCASE")],
        devices=[r[0] for r in q("SELECT name FROM devices ORDER BY name COLLATE NOCASE")],
        snmp_credentials=[r[0] for r in creds if r[1] == "snmp"],
        ssh_credentials=[r[0] for r in creds if r[1] == "ssh"],
        site_kinds={r[0]: r[1] for r in sites})


def site_ids(store: Store) -> list[tuple[int, str]]:
    """(id, name) of every site, for filters."""
    return [(r[0], r[1]) for r in store.conn.execute("SELECT id, name FROM sites ORDER BY name COLLATE NOCASE")]


def maintenance_windows(store: Store) -> list[dict[str, Any]]:
    """Every maintenance window with the name of what it covers."""
    rows = store.conn.execute(
        "SELECT m.*, CASE m.target_type WHEN 'device' THEN (SELECT name FROM devices WHERE id = m.target_id) "
        "WHEN 'site' THEN (SELECT name FROM sites WHERE id = m.target_id) "
        "WHEN 'group' THEN (SELECT name FROM device_groups WHERE id = m.target_id) "
        "WHEN 'link' THEN (SELECT name FROM links WHERE id = m.target_id) END AS target_name "
        "FROM maintenance_windows m ORDER BY m.id").fetchall()
    return [dict(r) for r in rows]
