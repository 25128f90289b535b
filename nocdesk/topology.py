"""Topology from neighbour tables: match LLDP/CDP neighbours to devices and ports, keep links, derive parents.

Links found by discovery are never deleted when a neighbour goes quiet: they are marked stale (and an event
says so) until seen again. Manual links are the admin's and discovery never touches them.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from .collectors.neighbours import Neighbour
from .errors import ConfigError
from .i18n import _
from .store import Store

# Interface names and aliases that say "this port is optical" when no optical sensor tells us.
_FIBER_HINT = re.compile(r"(sfp|xfp|qsfp|fib(er|re)|\bfo\b|optic|gpon|epon|\blx\b|\bsx\b|\bzx\b)", re.I)


@dataclass(frozen=True)
class Candidate:
    """A neighbour that is not yet a known device: offered for adding, never added silently."""

    address: str
    sys_name: str
    sys_descr: str
    chassis_id: str
    seen_from: str
    via_port: str


@dataclass(frozen=True)
class LinkChange:
    """A link that appeared, came back or went stale in one discovery pass."""

    link_id: int
    change: str       # appeared | returned | stale
    name: str


def _norm(text: str) -> str:
    return text.strip().lower()


def _short(name: str) -> str:
    """A host name without its domain: 'sw1.kab.go.id' -> 'sw1'."""
    return _norm(name).split(".")[0] if name and not _is_ip(name) else _norm(name)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


class DeviceIndex:
    """Lookup of known devices by address, chassis id / MAC and name."""

    def __init__(self, store: Store) -> None:
        self.by_address: dict[str, int] = {}
        self.by_chassis: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for row in store.conn.execute("SELECT id, name, address, sys_name, chassis_id FROM devices"):
            self.names[row["id"]] = row["name"]
            self.by_address[_norm(row["address"])] = row["id"]
            if row["chassis_id"]:
                self.by_chassis[_norm(row["chassis_id"])] = row["id"]
            for name in (row["name"], row["sys_name"] or ""):
                if name:
                    self.by_name.setdefault(_short(name), row["id"])
        for row in store.conn.execute("SELECT device_id, mac FROM interfaces WHERE mac IS NOT NULL AND mac != ''"):
            self.by_chassis.setdefault(_norm(row["mac"]), row["device_id"])

    def match(self, n: Neighbour) -> int | None:
        """The known device a neighbour is, by management address, then chassis id, then name."""
        for address in n.remote_addresses:
            if _norm(address) in self.by_address:
                return self.by_address[_norm(address)]
        if n.remote_chassis_id and _norm(n.remote_chassis_id) in self.by_chassis:
            return self.by_chassis[_norm(n.remote_chassis_id)]
        if n.remote_sys_name and _short(n.remote_sys_name) in self.by_name:
            return self.by_name[_short(n.remote_sys_name)]
        return None


def _interfaces(store: Store, device_id: int) -> list[dict]:
    return [dict(r) for r in store.conn.execute(
        "SELECT id, if_index, name, descr, alias, mac, speed_bps, speed_override_bps FROM interfaces WHERE device_id = ?",
        (device_id,))]


def match_interface(interfaces: list[dict], *, port_id: str = "", port_desc: str = "",
                    if_index: int | None = None) -> dict | None:
    """The interface a port id / description / number names: exact name, then descr, alias, MAC, ifIndex."""
    for key in (port_id, port_desc):
        if not key:
            continue
        k = _norm(key)
        for field in ("name", "descr", "alias", "mac"):
            for itf in interfaces:
                if itf[field] and _norm(itf[field]) == k:
                    return itf
    if if_index is not None:
        for itf in interfaces:
            if itf["if_index"] == if_index:
                return itf
    return None


def _is_fiber(store: Store, *interfaces: dict | None) -> bool:
    for itf in interfaces:
        if not itf:
            continue
        if _FIBER_HINT.search(f"{itf['name']} {itf['alias']} {itf['descr']}"):
            return True
        if store.conn.execute("SELECT 1 FROM sensors WHERE interface_id = ? AND kind = 'rx_dbm' LIMIT 1",
                              (itf["id"],)).fetchone():
            return True
    return False


def _capacity(*interfaces: dict | None) -> int | None:
    speeds = [i["speed_override_bps"] or i["speed_bps"] for i in interfaces if i and (i["speed_override_bps"] or i["speed_bps"])]
    return min(speeds) if speeds else None


def _find_link(store: Store, a_dev: int, a_if: int | None, b_dev: int, b_if: int | None) -> dict | None:
    """The existing link between these two ends; an unknown port on either record matches any port."""
    def compatible(x: int | None, y: int | None) -> bool:
        return x is None or y is None or x == y

    rows = store.conn.execute(
        "SELECT * FROM links WHERE (a_device_id = ? AND b_device_id = ?) OR (a_device_id = ? AND b_device_id = ?)",
        (a_dev, b_dev, b_dev, a_dev)).fetchall()
    for row in rows:
        mine_a, mine_b = ((row["a_interface_id"], row["b_interface_id"]) if row["a_device_id"] == a_dev
                          else (row["b_interface_id"], row["a_interface_id"]))
        if compatible(mine_a, a_if) and compatible(mine_b, b_if):
            return dict(row)
    return None


def apply_neighbours(store: Store, device_id: int, neighbours: Iterable[Neighbour], *,
                     now: int | None = None) -> tuple[list[LinkChange], list[Candidate]]:
    """Record what `device_id` sees: links to known devices upserted, quiet ones marked stale, unknowns offered."""
    now = int(time.time()) if now is None else now
    index = DeviceIndex(store)
    local_ifs = _interfaces(store, device_id)
    seen: set[int] = set()
    changes: list[LinkChange] = []
    candidates: list[Candidate] = []
    with store.transaction() as conn:
        for n in neighbours:
            remote = index.match(n)
            local_if = match_interface(local_ifs, port_id=n.local_port_id, port_desc=n.local_port_desc,
                                       if_index=n.local_port_num)
            if remote is None:
                if n.remote_addresses:
                    candidates.append(Candidate(n.remote_addresses[0], n.remote_sys_name, n.remote_sys_descr,
                                                n.remote_chassis_id, index.names[device_id],
                                                local_if["name"] if local_if else n.local_port_id))
                continue
            if remote == device_id:
                continue
            remote_if = match_interface(_interfaces(store, remote), port_id=n.remote_port_id,
                                        port_desc=n.remote_port_desc)
            a_if = local_if["id"] if local_if else None
            b_if = remote_if["id"] if remote_if else None
            link = _find_link(store, device_id, a_if, remote, b_if)
            name = f"{index.names[device_id]} ↔ {index.names[remote]}"
            if link is None:
                link_id = conn.execute(
                    "INSERT INTO links(a_device_id, a_interface_id, b_device_id, b_interface_id, medium, capacity_bps,"
                    " source, name, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (device_id, a_if, remote, b_if, "fiber" if _is_fiber(store, local_if, remote_if) else "copper",
                     _capacity(local_if, remote_if), n.protocol, name, now, now)).lastrowid
                changes.append(LinkChange(link_id, "appeared", name))
                _event(conn, now, "link_appeared", device_id, link_id,
                       _("Link {name} discovered by {protocol}").format(name=name, protocol=n.protocol.upper()))
            else:
                link_id = link["id"]
                if link["source"] == "manual":
                    seen.add(link_id)
                    continue
                fill = {}
                if link["a_device_id"] == device_id:
                    fill = {"a_interface_id": link["a_interface_id"] or a_if, "b_interface_id": link["b_interface_id"] or b_if}
                else:
                    fill = {"b_interface_id": link["b_interface_id"] or a_if, "a_interface_id": link["a_interface_id"] or b_if}
                conn.execute("UPDATE links SET last_seen = ?, stale = 0, a_interface_id = ?, b_interface_id = ?,"
                             " capacity_bps = COALESCE(capacity_bps, ?) WHERE id = ?",
                             (now, fill["a_interface_id"], fill["b_interface_id"], _capacity(local_if, remote_if), link_id))
                if link["stale"]:
                    changes.append(LinkChange(link_id, "returned", link["name"]))
                    _event(conn, now, "link_appeared", device_id, link_id,
                           _("Link {name} is seen again").format(name=link["name"]))
            seen.add(link_id)
        for row in conn.execute(
                "SELECT id, name FROM links WHERE source != 'manual' AND stale = 0 AND (a_device_id = ? OR b_device_id = ?)",
                (device_id, device_id)).fetchall():
            if row["id"] not in seen:
                conn.execute("UPDATE links SET stale = 1 WHERE id = ?", (row["id"],))
                changes.append(LinkChange(row["id"], "stale", row["name"]))
                _event(conn, now, "link_vanished", device_id, row["id"],
                       _("Link {name} is no longer announced by its neighbour (kept, marked stale)").format(name=row["name"]))
    return changes, candidates


def _event(conn, ts: int, kind: str, device_id: int, link_id: int, message: str) -> None:
    conn.execute("INSERT INTO events(ts, severity, kind, device_id, link_id, message, details) VALUES (?,?,?,?,?,?,?)",
                 (ts, "info", kind, device_id, link_id, message, json.dumps({})))


MEDIA = ("fiber", "copper", "wireless", "provider")


def _check_link_ends(conn, a_device: int, b_device: int, a_interface: int | None, b_interface: int | None,
                     medium: str, capacity_bps: int | None) -> dict[int, str]:
    names = dict(conn.execute("SELECT id, name FROM devices WHERE id IN (?, ?)", (a_device, b_device)).fetchall())
    for device_id in (a_device, b_device):
        if device_id not in names:
            raise ConfigError(_("Manual link: device #{id} does not exist — pick a device from the list").format(
                id=device_id))
    if a_device == b_device:
        raise ConfigError(_("Manual link from {name} to itself: pick a different device for the other end").format(
            name=names[a_device]))
    if medium not in MEDIA:
        raise ConfigError(_("Manual link {a} ↔ {b}: medium '{medium}' is not one of {media}").format(
            a=names[a_device], b=names[b_device], medium=medium, media=", ".join(MEDIA)))
    if capacity_bps is not None and capacity_bps <= 0:
        raise ConfigError(_("Manual link {a} ↔ {b}: capacity must be a positive bit rate").format(
            a=names[a_device], b=names[b_device]))
    for device_id, interface_id in ((a_device, a_interface), (b_device, b_interface)):
        if interface_id is not None and not conn.execute(
                "SELECT 1 FROM interfaces WHERE id = ? AND device_id = ?", (interface_id, device_id)).fetchone():
            raise ConfigError(_("Manual link: interface #{iface} is not a port of {name} — pick one of its ports "
                                "or leave it empty").format(iface=interface_id, name=names[device_id]))
    return names


def add_manual_link(store: Store, a_device: int, b_device: int, *, a_interface: int | None = None,
                    b_interface: int | None = None, medium: str = "fiber", capacity_bps: int | None = None,
                    name: str = "") -> int:
    """A link discovery cannot see (media converter, radio, provider fiber), entered by the admin."""
    now = int(time.time())
    with store.transaction() as conn:
        names = _check_link_ends(conn, a_device, b_device, a_interface, b_interface, medium, capacity_bps)
        return conn.execute(
            "INSERT INTO links(a_device_id, a_interface_id, b_device_id, b_interface_id, medium, capacity_bps, source,"
            " name, first_seen, last_seen) VALUES (?,?,?,?,?,?,'manual',?,?,?)",
            (a_device, a_interface, b_device, b_interface, medium, capacity_bps,
             name or f"{names[a_device]} ↔ {names[b_device]}", now, now)).lastrowid


def update_link(store: Store, link_id: int, *, medium: str, capacity_bps: int | None, name: str = "",
                notes: str | None = None, a_interface: int | None = None, b_interface: int | None = None) -> None:
    """Change a link by hand: medium, capacity and name of any link; the ports only of a manual one.

    Discovery keeps what is set here: it fills capacity only when empty and never changes the medium.
    """
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM links WHERE id = ?", (link_id,)).fetchone()
        if row is None:
            raise ConfigError(_("Link #{id} no longer exists — reload the map").format(id=link_id))
        manual = row["source"] == "manual"
        if not manual:  # discovery owns the ports of what it found
            a_interface, b_interface = row["a_interface_id"], row["b_interface_id"]
        names = _check_link_ends(conn, row["a_device_id"], row["b_device_id"], a_interface, b_interface, medium,
                                 capacity_bps)
        conn.execute("UPDATE links SET medium = ?, capacity_bps = ?, name = ?, notes = ?, a_interface_id = ?,"
                     " b_interface_id = ? WHERE id = ?",
                     (medium, capacity_bps,
                      name or row["name"] or f"{names[row['a_device_id']]} ↔ {names[row['b_device_id']]}",
                      row["notes"] if notes is None else notes, a_interface, b_interface, link_id))


def remove_manual_link(store: Store, link_id: int) -> None:
    """Delete a link the admin entered; discovered links are not removable (they come back, or go stale)."""
    with store.transaction() as conn:
        row = conn.execute("SELECT name, source FROM links WHERE id = ?", (link_id,)).fetchone()
        if row is None:
            return
        if row["source"] != "manual":
            raise ConfigError(_("Link {name} was found by {protocol}; only manual links can be removed — "
                                "unplug it and it is marked stale").format(name=row["name"],
                                                                           protocol=row["source"].upper()))
        conn.execute("DELETE FROM links WHERE id = ?", (link_id,))


def station_device(store: Store) -> int | None:
    """The device the monitoring station hangs off: the one marked is_station, else the best-connected router."""
    row = store.conn.execute("SELECT id FROM devices WHERE is_station = 1 LIMIT 1").fetchone()
    if row:
        return row[0]
    setting = store.get_setting("station_device_id")
    if setting:
        return int(setting)
    row = store.conn.execute(
        "SELECT d.id, (SELECT count(*) FROM links l WHERE l.a_device_id = d.id OR l.b_device_id = d.id) AS degree "
        "FROM devices d ORDER BY (d.kind = 'router') DESC, degree DESC, d.id LIMIT 1").fetchone()
    return row[0] if row and row[1] else None


def derive_parents(store: Store) -> dict[int, int | None]:
    """Walk the links outward from the station's device; set each unpinned device's parent to its previous hop.

    Returns the parent every device ends up with: the walked one, or the pinned one where the admin set it.
    """
    root = station_device(store)
    if root is None:
        return {}
    adjacency: dict[int, list[int]] = {}
    for a, b in store.conn.execute("SELECT a_device_id, b_device_id FROM links ORDER BY stale, id"):
        adjacency.setdefault(a, []).append(b)
        adjacency.setdefault(b, []).append(a)
    parents: dict[int, int | None] = {root: None}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for nxt in adjacency.get(node, []):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    with store.transaction() as conn:
        for device_id, parent in parents.items():
            conn.execute("UPDATE devices SET parent_id = ? WHERE id = ? AND parent_pinned = 0", (parent, device_id))
        for device_id, parent in conn.execute(
                "SELECT id, parent_id FROM devices WHERE parent_pinned = 1 AND parent_id IS NOT NULL").fetchall():
            parents[device_id] = parent
    return parents


def pin_parent(store: Store, device_id: int, parent_id: int | None) -> None:
    """Set a device's parent by hand; derive_parents will not change it again (None unpins)."""
    with store.transaction() as conn:
        if parent_id is not None:
            _check_parent(conn, device_id, parent_id)
        conn.execute("UPDATE devices SET parent_id = ?, parent_pinned = ? WHERE id = ?",
                     (parent_id, 1 if parent_id is not None else 0, device_id))


def _check_parent(conn, device_id: int, parent_id: int) -> None:
    names = dict(conn.execute("SELECT id, name FROM devices").fetchall())
    if parent_id not in names or device_id not in names:
        raise ConfigError(_("Parent: device #{id} does not exist — reload and pick again").format(
            id=parent_id if parent_id not in names else device_id))
    up = dict(conn.execute("SELECT id, parent_id FROM devices").fetchall())
    hop, seen = parent_id, set()
    while hop is not None and hop not in seen:
        if hop == device_id:
            raise ConfigError(_("{name} cannot hang off {parent}: {parent} already depends on {name} — "
                                "pick a device closer to the station").format(name=names[device_id],
                                                                              parent=names[parent_id]))
        seen.add(hop)
        hop = up.get(hop)


@dataclass(frozen=True)
class Dependency:
    """One device in the dependency tree: its parent and whether the admin pinned it."""

    device_id: int
    name: str
    kind: str
    site: str
    state: str
    parent_id: int | None
    parent: str
    pinned: bool


def dependency_rows(store: Store) -> list[Dependency]:
    """Every device with its parent (name) and how that parent was set, in name order."""
    return [Dependency(r["id"], r["name"], r["kind"], r["site"] or "", r["state"], r["parent_id"], r["parent"] or "",
                       bool(r["parent_pinned"]))
            for r in store.conn.execute(
                "SELECT d.id, d.name, d.kind, d.state, d.parent_id, d.parent_pinned, p.name AS parent, s.name AS site"
                " FROM devices d LEFT JOIN devices p ON p.id = d.parent_id LEFT JOIN sites s ON s.id = d.site_id"
                " ORDER BY d.name COLLATE NOCASE")]
