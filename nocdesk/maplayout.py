"""Initial map layout: layers outward from the core along the dependency tree, each subtree kept together.

Computed once for devices without a saved position; after that every node stays where the admin dropped
it (map_positions). Pure apart from load/save helpers at the bottom.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .store import Store

X_STEP, Y_STEP = 150.0, 140.0
LEAF_COLUMNS = 4      # leaves under one device wrap into rows this wide
BAND_GAP = 0.3        # rows of space between stacked bands of subtrees
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


def layered_layout(nodes: Mapping[int, MapNode], *, band_cols: int | None = None) -> dict[int, tuple[float, float]]:
    """Positions for every node: depth in the tree gives the row, subtrees share contiguous columns.

    Past a few leaves (cameras, APs under one switch) the leaves wrap into a small grid, and a device whose
    subtrees are together wider than `band_cols` columns stacks them in bands below each other, so a 500-device
    network is a readable block instead of a strip 400 columns wide.
    """
    band_cols = band_cols or max(24, int(math.sqrt(max(1, len(nodes))) * 3))
    children: dict[int | None, list[int]] = {}
    for node in nodes.values():
        parent = node.parent_id if node.parent_id in nodes and node.parent_id != node.id else None
        children.setdefault(parent, []).append(node.id)

    def order(ids: list[int]) -> list[int]:
        return sorted(ids, key=lambda i: (nodes[i].site.lower(), _KIND_ORDER.get(nodes[i].kind, 99), nodes[i].name.lower()))

    sizes: dict[int, tuple[float, float, list]] = {}
    visiting: set[int] = set()

    def size(i: int) -> tuple[float, float, list]:
        """(width in columns, height in rows, bands) of the subtree of i; a band is [(kid or leaf list, w, h)]."""
        if i in sizes:
            return sizes[i]
        visiting.add(i)
        kids = [k for k in order(children.get(i, [])) if k not in visiting]
        trees = [k for k in kids if children.get(k)]
        leaves = [k for k in kids if not children.get(k)]
        items: list[tuple[object, float, float]] = [(k, *size(k)[:2]) for k in trees]
        if leaves:
            cols = min(len(leaves), LEAF_COLUMNS)
            items.append((leaves, float(cols), float(math.ceil(len(leaves) / cols))))
        bands: list[list[tuple[object, float, float]]] = []
        for item in items:
            if bands and sum(w for _, w, _h in bands[-1]) + item[1] <= band_cols:
                bands[-1].append(item)
            else:
                bands.append([item])
        width = max([1.0] + [sum(w for _, w, _h in band) for band in bands])
        height = 1.0 + sum(max(h for _, _w, h in band) for band in bands) + BAND_GAP * max(0, len(bands) - 1)
        visiting.discard(i)
        sizes[i] = (width, height, bands)
        return sizes[i]

    positions: dict[int, tuple[float, float]] = {}

    def place(i: int, row: float, left: float) -> None:
        width, _height, bands = size(i)
        positions[i] = ((left + width / 2.0) * X_STEP, row * Y_STEP)
        row += 1
        for band in bands:
            cursor = left + (width - sum(w for _, w, _h in band)) / 2.0
            for item, w, _h in band:
                if isinstance(item, list):  # a grid of leaves
                    for n, leaf in enumerate(item):
                        if leaf not in positions:
                            r, c = divmod(n, int(w))
                            positions[leaf] = ((cursor + c + 0.5) * X_STEP, (row + r) * Y_STEP)
                elif item not in positions:
                    place(item, row, cursor)
                cursor += w
            row += max(h for _, _w, h in band) + BAND_GAP

    roots = order(children.get(None, []))
    # Trees first (widest first, so the core sits left), then lone devices in rows below, grouped by site.
    trees = [r for r in roots if children.get(r)]
    lone = [r for r in roots if not children.get(r)]
    cursor = 0.0
    for root in sorted(trees, key=lambda r: -size(r)[0]):
        place(root, 0, cursor)
        cursor += size(root)[0] + 0.5
    deepest = max((y for _, y in positions.values()), default=-Y_STEP)
    for n, i in enumerate(lone):
        r, c = divmod(n, band_cols)
        positions[i] = ((c + 0.5) * X_STEP, deepest + Y_STEP * (1.5 + r))
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


def relayout(store: Store, site_id: int | None = None) -> dict[int, tuple[float, float]]:
    """Forget the saved positions of a map and lay it out again in layers (the admin asked for it)."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM map_positions WHERE map = ?", (map_key(site_id),))
    return positions_for(store, site_id)


def save_positions(store: Store, key: str, positions: Mapping[int, tuple[float, float]]) -> None:
    """Remember where nodes are on map `key`."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO map_positions(map, device_id, x, y) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(map, device_id) DO UPDATE SET x = excluded.x, y = excluded.y",
            [(key, i, float(x), float(y)) for i, (x, y) in positions.items()])
