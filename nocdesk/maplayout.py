"""Initial map layout: layers outward from the core along the dependency tree, each subtree kept together.

Computed once for devices without a saved position; after that every node stays where the admin dropped
it (map_positions). Pure apart from load/save helpers at the bottom.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .store import Store

X_STEP, Y_STEP = 150.0, 140.0
_KIND_ORDER = {"router": 0, "firewall": 1, "switch": 2, "wireless_bridge": 3, "access_point": 4, "server": 5,
               "ups": 6, "cctv": 7, "printer": 8, "workstation": 9, "other": 10}


@dataclass(frozen=True)
class MapNode:
    """What the layout needs to know about a device."""

    id: int
    name: str
    kind: str
    site: str
    parent_id: int | None


def layered_layout(nodes: Mapping[int, MapNode]) -> dict[int, tuple[float, float]]:
    """Positions for every node: depth in the tree gives the row, subtrees share contiguous columns."""
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes and node.parent_id != node.id else None
        children.setdefault(parent, []).append(node.id)

    def order(ids: list[int]) -> list[int]:
        return sorted(ids, key=lambda i: (nodes[i].site.lower(), _KIND_ORDER.get(nodes[i].kind, 99), nodes[i].name.lower()))

    positions: dict[int, tuple[float, float]] = {}
    width: dict[int, int] = {}
    visiting: set[int] = set()

    def leaves(i: int) -> int:
        if i in width:
            return width[i]
        visiting.add(i)
        kids = [k for k in children.get(i, []) if k not in visiting]
        width[i] = max(1, sum(leaves(k) for k in kids))
        visiting.discard(i)
        return width[i]

    def place(i: int, depth: int, left: float) -> None:
        span = leaves(i)
        positions[i] = ((left + span / 2.0) * X_STEP, depth * Y_STEP)
        cursor = left
        for k in order(children.get(i, [])):
            if k in positions:
                continue
            place(k, depth + 1, cursor)
            cursor += leaves(k)

    roots = order(children.get(None, []))
    # Trees first (widest first, so the core sits left), then lone devices in a row below, grouped by site.
    trees = [r for r in roots if children.get(r)]
    lone = [r for r in roots if not children.get(r)]
    cursor = 0.0
    for root in sorted(trees, key=lambda r: -leaves(r)):
        place(root, 0, cursor)
        cursor += leaves(root) + 0.5
    deepest = max((y for _, y in positions.values()), default=-Y_STEP)
    for n, i in enumerate(lone):
        positions[i] = ((n + 0.5) * X_STEP, deepest + Y_STEP * 1.5)
    for i in nodes:  # a cycle in hand-set parents: still give every node a place
        positions.setdefault(i, (len(positions) * X_STEP, deepest + Y_STEP * 2.5))
    return positions


def map_key(site_id: int | None) -> str:
    """The key of a map: the overview, or one site's map."""
    return "overview" if site_id is None else f"site:{site_id}"


def load_nodes(store: Store, site_id: int | None = None) -> dict[int, MapNode]:
    """The devices shown on a map (all, or one site's)."""
    sql = ("SELECT d.id, d.name, d.kind, COALESCE(s.name, '') AS site, d.parent_id FROM devices d "
           "LEFT JOIN sites s ON s.id = d.site_id")
    rows = store.conn.execute(sql + (" WHERE d.site_id = ?" if site_id is not None else ""),
                              (() if site_id is None else (site_id,))).fetchall()
    return {r["id"]: MapNode(r["id"], r["name"], r["kind"], r["site"], r["parent_id"]) for r in rows}


def positions_for(store: Store, site_id: int | None = None) -> dict[int, tuple[float, float]]:
    """Saved positions, with a layered layout computed (and saved) for devices that have none yet."""
    key = map_key(site_id)
    nodes = load_nodes(store, site_id)
    saved = {r[0]: (r[1], r[2]) for r in store.conn.execute(
        "SELECT device_id, x, y FROM map_positions WHERE map = ?", (key,))}
    missing = [i for i in nodes if i not in saved]
    if missing:
        layout = layered_layout(nodes)
        if saved:  # only new devices need a place: put them below what the admin arranged
            bottom = max(y for _, y in saved.values()) + Y_STEP
            for n, i in enumerate(missing):
                saved[i] = (layout[i][0], bottom + (n // 8) * Y_STEP)
        else:
            saved.update(layout)
        save_positions(store, key, {i: saved[i] for i in missing})
    return {i: saved[i] for i in nodes}


def save_positions(store: Store, key: str, positions: Mapping[int, tuple[float, float]]) -> None:
    """Remember where nodes are on map `key`."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO map_positions(map, device_id, x, y) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(map, device_id) DO UPDATE SET x = excluded.x, y = excluded.y",
            [(key, i, float(x), float(y)) for i, (x, y) in positions.items()])
