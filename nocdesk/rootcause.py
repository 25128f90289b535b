"""Root-cause grouping: one cycle's state changes plus the dependency tree in, a few incidents out.

Pure: no store, no clock, no I/O, so the engine and the alert manager can call it and tables of cases test it.
The outcome is computed from the *final* state of the tree after the cycle (the transitions are laid over the
states the caller read), then compared with the root alerts already open:

- a failed device whose parent is fine is a root; every failed device behind it is listed inside that one
  root (a cut fiber = one incident listing the whole kecamatan), never alerted on its own;
- a device's uplink (the link joining it to its parent) names the root when it is known: "Fiber link core ↔
  kec1 down", and a link-down seen first (a linkDown trap) and the devices found dead behind it a cycle later
  stay one incident;
- when every device including the station's first hop fails, the monitoring station itself lost the network:
  one 'monitor offline' incident, nothing else, until it is back;
- a root that is fine again gives one recovery naming what came back and the outage duration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FAILING = frozenset({"down", "unreachable"})
MONITOR_KEY = ("monitor", 0)
MIN_DEVICES_FOR_MONITOR_OFFLINE = 2

Key = tuple[str, int]


@dataclass(frozen=True)
class Node:
    """A device as the grouping sees it."""

    id: int
    name: str
    parent_id: int | None = None
    state: str = "unknown"
    address: str = ""
    site: str = ""
    is_station: bool = False
    enabled: bool = True


@dataclass(frozen=True)
class Link:
    """A link between two devices (and the interfaces at each end, when known)."""

    id: int
    a_device_id: int
    b_device_id: int
    medium: str = "copper"
    state: str = "unknown"
    a_interface_id: int | None = None
    b_interface_id: int | None = None


@dataclass(frozen=True)
class Tree:
    """The dependency tree (devices.parent_id), the links, and which device each interface/service is on."""

    nodes: Mapping[int, Node]
    links: tuple[Link, ...] = ()
    interface_device: Mapping[int, int] = field(default_factory=dict)
    service_device: Mapping[int, int] = field(default_factory=dict)

    def children(self, device_id: int) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.parent_id == device_id), key=lambda n: n.name.lower())

    def uplink(self, device_id: int) -> Link | None:
        """The link joining a device to its parent, if the topology knows it."""
        node = self.nodes.get(device_id)
        if node is None or node.parent_id is None:
            return None
        ends = {device_id, node.parent_id}
        return next((lk for lk in self.links if {lk.a_device_id, lk.b_device_id} == ends), None)


@dataclass(frozen=True)
class OpenRoot:
    """A root alert that is open now: when it started and which devices it lists."""

    opened_at: int
    affected: tuple[int, ...] = ()


@dataclass(frozen=True)
class Incident:
    """What the alert manager should do: open a root alert, update its list, or announce its recovery."""

    kind: str  # 'problem', 'update' (more devices behind an open root), 'recovery'
    rule: str  # device_down, link_down, interface_down, service_down, monitor_offline
    target_type: str  # device, link, interface, service, monitor
    target_id: int
    ts: int
    device_id: int | None = None  # the device the root sits on (the far end of a link)
    title: str = ""  # "kec1" or "core ↔ kec1"
    medium: str = ""
    affected: tuple[int, ...] = ()
    affected_names: tuple[str, ...] = ()
    reason: str = ""
    duration_s: int | None = None
    severity: str = "critical"

    @property
    def key(self) -> Key:
        return (self.target_type, self.target_id)


@dataclass(frozen=True)
class _Net:
    previous: str | None
    state: str
    first_ts: int
    last_ts: int
    reason: str


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def cause_of(transition: Any) -> Key | None:
    """The upstream target a transition blames, whatever shape the engine gives it."""
    cause = _attr(transition, "cause")
    if cause is None and _attr(transition, "cause_type") is not None:
        return (_attr(transition, "cause_type"), int(_attr(transition, "cause_id")))
    if cause is None:
        return None
    if isinstance(cause, tuple | list) and len(cause) == 2:
        return (str(cause[0]), int(cause[1]))
    kind = _attr(cause, "target_type") or _attr(cause, "cause_type")
    ident = _attr(cause, "target_id", _attr(cause, "cause_id"))
    return (str(kind), int(ident)) if kind is not None and ident is not None else None


def net_changes(transitions: Iterable[Any]) -> dict[Key, _Net]:
    """Collapse each target's transitions of one cycle into (state before, state after)."""
    by_key: dict[Key, list[Any]] = {}
    for t in transitions:
        by_key.setdefault((str(_attr(t, "target_type")), int(_attr(t, "target_id"))), []).append(t)
    out = {}
    for key, items in by_key.items():
        items.sort(key=lambda t: int(_attr(t, "ts")))
        first, last = items[0], items[-1]
        out[key] = _Net(_attr(first, "previous"), str(_attr(last, "state")), int(_attr(first, "ts")),
                        int(_attr(last, "ts")), str(_attr(last, "reason", "") or ""))
    return out


def _final_states(tree: Tree, changes: Mapping[Key, _Net]) -> tuple[dict[int, str], dict[int, str]]:
    devices = {n.id: n.state for n in tree.nodes.values() if n.enabled}
    links = {lk.id: lk.state for lk in tree.links}
    for (kind, ident), net in changes.items():
        if kind == "device" and ident in devices:
            devices[ident] = net.state
        elif kind == "link" and ident in links:
            links[ident] = net.state
    return devices, links


def _monitor_offline(tree: Tree, devices: Mapping[int, str], changes: Mapping[Key, _Net]) -> bool:
    if any(k[0] == "engine" and n.state in FAILING | {"offline"} for k, n in changes.items()):
        return True
    # Devices never checked (unknown) or in maintenance say nothing about the station's network.
    known = {i: s for i, s in devices.items() if s not in ("unknown", "maintenance")}
    if len(known) < MIN_DEVICES_FOR_MONITOR_OFFLINE or not all(s in FAILING for s in known.values()):
        return False
    stations = [n.id for n in tree.nodes.values() if n.is_station and n.id in known]
    first_hop = stations or [n.id for n in tree.nodes.values() if n.id in known and n.parent_id not in devices]
    return bool(first_hop) and all(known[i] in FAILING for i in first_hop)


def _behind(tree: Tree, root_id: int, devices: Mapping[int, str]) -> list[int]:
    """The root device and every failed device below it, depth first, names in order."""
    out, stack = [], [root_id]
    while stack:
        ident = stack.pop()
        out.append(ident)
        kids = [c.id for c in tree.children(ident) if devices.get(c.id) in FAILING]
        stack.extend(reversed(kids))
    return out


def _is_failing_root(tree: Tree, ident: int, devices: Mapping[int, str]) -> bool:
    node = tree.nodes[ident]
    seen = {ident}
    parent = node.parent_id
    while parent is not None and parent in tree.nodes and parent not in seen:
        if devices.get(parent) in FAILING:
            return False
        seen.add(parent)
        parent = tree.nodes[parent].parent_id
    return True


@dataclass
class _Root:
    rule: str
    target_type: str
    target_id: int
    device_id: int | None
    title: str
    medium: str = ""
    affected: list[int] = field(default_factory=list)


def _link_title(tree: Tree, link: Link, near_id: int) -> str:
    far_id = link.b_device_id if link.a_device_id == near_id else link.a_device_id
    return f"{tree.nodes[near_id].name} ↔ {tree.nodes[far_id].name}"


def desired_roots(tree: Tree, devices: Mapping[int, str], links: Mapping[int, str],
                  changes: Mapping[Key, _Net]) -> dict[Key, _Root]:
    """Every root problem the final states call for (monitor offline excluded)."""
    roots: dict[Key, _Root] = {}
    covered_links: set[int] = set()
    covered_ifaces: set[int] = set()
    for ident in sorted(devices, key=lambda i: tree.nodes[i].name.lower()):
        if devices[ident] not in FAILING or not _is_failing_root(tree, ident, devices):
            continue
        affected = _behind(tree, ident, devices)
        uplink = tree.uplink(ident)
        # A link whose far side is unreachable through it is down (ARCHITECTURE.md), whatever its port says.
        if uplink is not None:
            parent = tree.nodes[ident].parent_id
            roots[("link", uplink.id)] = _Root("link_down", "link", uplink.id, ident,
                                               _link_title(tree, uplink, parent), uplink.medium, affected)
            covered_links.add(uplink.id)
            covered_ifaces.update(i for i in (uplink.a_interface_id, uplink.b_interface_id) if i is not None)
        else:
            roots[("device", ident)] = _Root("device_down", "device", ident, ident, tree.nodes[ident].name,
                                             affected=affected)
    link_ports = {i for lk in tree.links for i in (lk.a_interface_id, lk.b_interface_id) if i is not None}
    # A device at the live end of a failed link whose port there is unknown (a manual link): any of its ports
    # that is on no known link may be that port, so it goes under the link rather than into a second alert.
    blind_ends: set[int] = set()
    for link in tree.links:
        covered_ifaces_of_link = {i for i in (link.a_interface_id, link.b_interface_id) if i is not None}
        failing_end = any(devices.get(d) in FAILING for d in (link.a_device_id, link.b_device_id))
        if failing_end:
            covered_links.add(link.id)
            covered_ifaces.update(covered_ifaces_of_link)
            for dev, port in ((link.a_device_id, link.a_interface_id), (link.b_device_id, link.b_interface_id)):
                if port is None and devices.get(dev) not in FAILING:
                    blind_ends.add(dev)
        elif links.get(link.id) in FAILING and link.id not in covered_links:
            roots[("link", link.id)] = _Root("link_down", "link", link.id, link.b_device_id,
                                             _link_title(tree, link, link.a_device_id), link.medium)
            covered_ifaces.update(covered_ifaces_of_link)
    for (kind, ident), net in changes.items():
        if net.state not in FAILING:
            continue
        if kind == "interface" and ident not in covered_ifaces:
            dev = tree.interface_device.get(ident)
            if dev in blind_ends and ident not in link_ports:
                continue
            if dev is None or devices.get(dev) not in FAILING:
                roots[(kind, ident)] = _Root("interface_down", kind, ident, dev, "")
        elif kind == "service":
            dev = tree.service_device.get(ident)
            if dev is None or devices.get(dev) not in FAILING:
                roots[(kind, ident)] = _Root("service_down", kind, ident, dev, "")
    return roots


def _names(tree: Tree, ids: Iterable[int]) -> tuple[str, ...]:
    return tuple(tree.nodes[i].name for i in ids if i in tree.nodes)


def _started(root: _Root, changes: Mapping[Key, _Net], default_ts: int) -> int:
    keys = [(root.target_type, root.target_id)] + [("device", i) for i in root.affected]
    stamps = [changes[k].first_ts for k in keys if k in changes and changes[k].state in FAILING]
    return min(stamps, default=default_ts)


def analyse(transitions: Iterable[Any], tree: Tree, *,
            open_roots: Mapping[Key, OpenRoot] | None = None) -> list[Incident]:
    """Turn one cycle's transitions into root incidents, given the tree and the root alerts open now."""
    open_roots = dict(open_roots or {})
    changes = net_changes(transitions)
    if not changes:
        return []
    now = max(n.last_ts for n in changes.values())
    devices, links = _final_states(tree, changes)
    incidents: list[Incident] = []
    if _monitor_offline(tree, devices, changes):
        if MONITOR_KEY not in open_roots:
            failing = sorted((i for i, s in devices.items() if s in FAILING), key=lambda i: tree.nodes[i].name.lower())
            started = min((n.first_ts for n in changes.values() if n.state in FAILING | {"offline"}), default=now)
            incidents.append(Incident("problem", "monitor_offline", "monitor", 0, started, title="monitor",
                                      affected=tuple(failing), affected_names=_names(tree, failing)))
        # Nothing else is decided while the station is blind: open roots stay open, no new ones.
        return incidents
    if MONITOR_KEY in open_roots:
        opened = open_roots.pop(MONITOR_KEY)
        incidents.append(Incident("recovery", "monitor_offline", "monitor", 0, now, title="monitor",
                                  duration_s=max(0, now - opened.opened_at)))
    wanted = desired_roots(tree, devices, links, changes)
    for key, root in wanted.items():
        reason = changes[key].reason if key in changes else (
            changes[("device", root.device_id)].reason if ("device", root.device_id) in changes else "")
        common = dict(rule=root.rule, target_type=root.target_type, target_id=root.target_id,
                      device_id=root.device_id, title=root.title, medium=root.medium,
                      affected=tuple(root.affected), affected_names=_names(tree, root.affected), reason=reason)
        if key not in open_roots:
            incidents.append(Incident("problem", ts=_started(root, changes, now), **common))
        elif set(root.affected) - set(open_roots[key].affected):
            incidents.append(Incident("update", ts=now, **common))
    for key, opened in open_roots.items():
        if key in wanted or key == MONITOR_KEY:
            continue
        if not _recovered(key, tree, devices, links, changes):
            continue
        kind, ident = key
        title, medium, device_id = _describe_key(tree, key)
        incidents.append(Incident("recovery", _rule_of(kind), kind, ident, now, device_id=device_id, title=title,
                                  medium=medium, affected=opened.affected,
                                  affected_names=_names(tree, opened.affected),
                                  duration_s=max(0, now - opened.opened_at)))
    return incidents


def _recovered(key: Key, tree: Tree, devices: Mapping[int, str], links: Mapping[int, str],
               changes: Mapping[Key, _Net]) -> bool:
    """A root that is no longer wanted is over unless its target went blind (unknown/maintenance) instead."""
    kind, ident = key
    if kind == "device":
        return devices.get(ident, "up") not in FAILING and devices.get(ident) != "unknown"
    if kind == "link":
        link = next((lk for lk in tree.links if lk.id == ident), None)
        if link is None:
            return True
        ends_ok = all(devices.get(d, "up") not in FAILING for d in (link.a_device_id, link.b_device_id))
        return ends_ok and links.get(ident) not in FAILING
    net = changes.get(key)
    return net is not None and net.state not in FAILING and net.state != "unknown"


def _rule_of(kind: str) -> str:
    return {"device": "device_down", "link": "link_down", "interface": "interface_down",
            "service": "service_down"}.get(kind, f"{kind}_down")


def _describe_key(tree: Tree, key: Key) -> tuple[str, str, int | None]:
    kind, ident = key
    if kind == "device" and ident in tree.nodes:
        return tree.nodes[ident].name, "", ident
    if kind == "link":
        link = next((lk for lk in tree.links if lk.id == ident), None)
        if link is not None:
            near, far = link.a_device_id, link.b_device_id
            if tree.nodes.get(far) and tree.nodes[far].parent_id == near:
                return _link_title(tree, link, near), link.medium, far
            if tree.nodes.get(near) and tree.nodes[near].parent_id == far:
                return _link_title(tree, link, far), link.medium, near
            return _link_title(tree, link, near), link.medium, far
    if kind == "interface":
        return "", "", tree.interface_device.get(ident)
    if kind == "service":
        return "", "", tree.service_device.get(ident)
    return "", "", None
