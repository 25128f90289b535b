"""What alerting reads from the store: the dependency tree for root-cause grouping, the facts a message
names (device, address, site, interface), and whether a maintenance window covers an incident.
"""

from __future__ import annotations

from typing import Any

from .maintenance import Window, active_window
from .rootcause import Incident, Link, Node, Tree
from .store import Store
from .topology import station_device


def _interface_owners(store: Store) -> dict[int, int]:
    """{interface id: device id}, re-read only when the interfaces changed (12,000 rows on a big network)."""
    from .engineconfig import interfaces_mark

    mark = interfaces_mark(store)  # before the rows: a write in between only costs one more read later
    cached = getattr(store, "_interface_owners", None)  # kept on the connection's Store: one per database
    if cached is not None and mark >= 0 and cached[0] == mark:
        return cached[1]
    owners = dict(store.conn.execute("SELECT id, device_id FROM interfaces").fetchall())
    store._interface_owners = (mark, owners)  # type: ignore[attr-defined]
    return owners


def load_tree(store: Store) -> Tree:
    """The devices (with their live state and parent), links, and which device owns each interface/service."""
    station = station_device(store)
    nodes = {}
    for r in store.conn.execute(
            "SELECT d.id, d.name, d.parent_id, d.state, d.address, d.is_station, d.enabled, "
            "COALESCE(s.name, '') AS site FROM devices d LEFT JOIN sites s ON s.id = d.site_id"):
        nodes[r["id"]] = Node(r["id"], r["name"], r["parent_id"], r["state"], r["address"], r["site"],
                              bool(r["is_station"]) or r["id"] == station, bool(r["enabled"]))
    links = tuple(Link(r["id"], r["a_device_id"], r["b_device_id"], r["medium"], r["state"], r["a_interface_id"],
                       r["b_interface_id"]) for r in store.conn.execute(
        "SELECT id, a_device_id, b_device_id, medium, state, a_interface_id, b_interface_id FROM links "
        "WHERE stale = 0 ORDER BY id"))
    interfaces = _interface_owners(store)
    services = dict(store.conn.execute("SELECT id, device_id FROM services").fetchall())
    return Tree(nodes, links, interfaces, services)


def incident_facts(store: Store, incident: Incident) -> dict[str, Any]:
    """The facts a message about `incident` names, kept in the alert's details."""
    facts: dict[str, Any] = {
        "rule": incident.rule, "title": incident.title, "medium": incident.medium,
        "affected": list(incident.affected), "affected_names": list(incident.affected_names),
        "reason": incident.reason, "started_at": incident.ts,
    }
    if incident.rule == "monitor_offline":
        station = station_device(store)
        row = store.conn.execute("SELECT name FROM devices WHERE id = ?", (station,)).fetchone() if station else None
        facts["first_hop"] = row[0] if row else ""
    if incident.device_id is not None:
        row = store.conn.execute(
            "SELECT d.name, d.address, s.name AS site, s.timezone FROM devices d "
            "LEFT JOIN sites s ON s.id = d.site_id WHERE d.id = ?", (incident.device_id,)).fetchone()
        if row:
            facts.update(device=row["name"], address=row["address"], site=row["site"] or "",
                         timezone=row["timezone"] or "Asia/Jakarta")
            facts["title"] = facts["title"] or row["name"]
    if incident.target_type == "interface":
        row = store.conn.execute("SELECT name, alias, if_index FROM interfaces WHERE id = ?",
                                 (incident.target_id,)).fetchone()
        if row:
            label = row["name"] or f"ifIndex {row['if_index']}"
            facts["interface"] = f"{label} ({row['alias']})" if row["alias"] else label
            facts["title"] = f"{facts.get('device', '?')} {label}"
    if incident.target_type == "service":
        row = store.conn.execute("SELECT name FROM services WHERE id = ?", (incident.target_id,)).fetchone()
        if row:
            facts["service"] = row["name"]
            facts["title"] = f"{facts.get('device', '?')} {row['name']}"
    return facts


def load_windows(store: Store) -> list[Window]:
    """Every maintenance window."""
    return [Window.from_row(dict(r)) for r in store.conn.execute("SELECT * FROM maintenance_windows")]


def maintenance_for(store: Store, incident: Incident, ts: int, windows: list[Window] | None = None) -> str | None:
    """The name of a maintenance window covering the incident at `ts`, or None."""
    windows = load_windows(store) if windows is None else windows
    if not windows:
        return None
    if incident.target_type == "monitor":
        hit = next((w for w in windows if w.target_type == "all" and w.is_active(ts)), None)
        return hit.name if hit else None
    if incident.target_type == "link":
        hit = next((w for w in windows if w.target_type == "link" and w.target_id == incident.target_id
                    and w.is_active(ts)), None)
        if hit:
            return hit.name
    if incident.device_id is None:
        return None
    row = store.conn.execute("SELECT site_id, group_id FROM devices WHERE id = ?", (incident.device_id,)).fetchone()
    if row is None:
        return None
    hit = active_window(windows, ts, device_id=incident.device_id, site_id=row["site_id"], group_id=row["group_id"])
    return hit.name if hit else None


def subtree(tree: Tree, device_id: int) -> list[int]:
    """A device and everything behind it on the dependency tree."""
    out, stack, seen = [], [device_id], set()
    while stack:
        ident = stack.pop()
        if ident in seen or ident not in tree.nodes:
            continue
        seen.add(ident)
        out.append(ident)
        stack.extend(c.id for c in tree.children(ident))
    return out


def undecided(store: Store, device_ids: list[int], *, since: int) -> list[int]:
    """Devices whose verdict is still open: the last check failed but the state is not down/unreachable yet, or
    not checked at all since `since` (the problem that may have taken them down).

    Times are whole seconds: a check in the very second the problem began may have run just before it, so it
    does not count as a verdict (at worst the message waits one more check)."""
    if not device_ids:
        return []
    marks = ",".join("?" * len(device_ids))
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM devices WHERE id IN ({marks}) AND enabled = 1 AND state NOT IN ('down', 'unreachable', "
        "'maintenance') AND ((last_error IS NOT NULL AND last_rtt_ms IS NULL) OR COALESCE(last_check_at, 0) <= ?)",
        (*device_ids, since))]


def slowest_interval_s(store: Store, device_ids: list[int]) -> int:
    """The longest polling interval among some devices (60 s when none)."""
    if not device_ids:
        return 60
    marks = ",".join("?" * len(device_ids))
    row = store.conn.execute(f"SELECT max(interval_s) FROM devices WHERE id IN ({marks})", device_ids).fetchone()
    return int(row[0] or 60)
