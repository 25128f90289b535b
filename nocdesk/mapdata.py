"""What the topology map shows, read from the store in one go: devices with positions, links with live load."""

from __future__ import annotations

from dataclasses import dataclass

from .maplayout import positions_for
from .store import Store


@dataclass(frozen=True)
class MapDevice:
    """A node on the map."""

    id: int
    name: str
    kind: str
    state: str
    site: str
    address: str
    x: float
    y: float


@dataclass(frozen=True)
class MapLink:
    """An edge on the map with what the hover read-out needs."""

    id: int
    name: str
    a: int
    b: int
    a_port: str
    b_port: str
    medium: str
    state: str
    stale: bool
    capacity_bps: int | None
    util_pct: float | None       # the busier direction of the busier end
    in_bps: float | None
    out_bps: float | None
    rx_a_dbm: float | None
    rx_b_dbm: float | None
    loss_pct: float | None       # packet loss of the far device, as an indication of the path
    source: str = "lldp"         # lldp | cdp | manual: only manual links can be removed by hand


@dataclass(frozen=True)
class MapSnapshot:
    """One consistent view of a map."""

    key: str
    devices: tuple[MapDevice, ...]
    links: tuple[MapLink, ...]


_LINKS_SQL = """
SELECT l.id, l.name, l.a_device_id AS a, l.b_device_id AS b, l.medium, l.state, l.stale, l.capacity_bps, l.source,
       COALESCE(ia.name, '') AS a_port, COALESCE(ib.name, '') AS b_port,
       ia.util_in_pct AS a_in_util, ia.util_out_pct AS a_out_util, ib.util_in_pct AS b_in_util, ib.util_out_pct AS b_out_util,
       ia.in_bps AS a_in, ia.out_bps AS a_out, ib.in_bps AS b_in, ib.out_bps AS b_out,
       ia.speed_bps AS a_speed, ib.speed_bps AS b_speed,
       (SELECT last_value FROM sensors s WHERE s.interface_id = ia.id AND s.kind = 'rx_dbm' LIMIT 1) AS rx_a,
       (SELECT last_value FROM sensors s WHERE s.interface_id = ib.id AND s.kind = 'rx_dbm' LIMIT 1) AS rx_b,
       db.last_loss_pct AS loss
FROM links l
LEFT JOIN interfaces ia ON ia.id = l.a_interface_id
LEFT JOIN interfaces ib ON ib.id = l.b_interface_id
JOIN devices db ON db.id = l.b_device_id
"""


def _max(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def map_snapshot(store: Store, site_id: int | None = None) -> MapSnapshot:
    """Devices (with saved or computed positions) and the links among them, for the overview or one site."""
    positions = positions_for(store, site_id)
    rows = store.conn.execute(
        "SELECT d.id, d.name, d.kind, d.state, d.address, COALESCE(s.name, '') AS site FROM devices d "
        "LEFT JOIN sites s ON s.id = d.site_id").fetchall()
    devices = tuple(MapDevice(r["id"], r["name"], r["kind"], r["state"], r["site"], r["address"], *positions[r["id"]])
                    for r in rows if r["id"] in positions)
    shown = {d.id for d in devices}
    links = []
    for r in store.conn.execute(_LINKS_SQL):
        if r["a"] not in shown or r["b"] not in shown:
            continue
        # Utilisation: the busier direction as seen from whichever end has readings.
        util = _max(r["a_in_util"], r["a_out_util"], r["b_in_util"], r["b_out_util"])
        in_bps = r["a_in"] if r["a_in"] is not None else r["b_out"]
        out_bps = r["a_out"] if r["a_out"] is not None else r["b_in"]
        capacity = r["capacity_bps"] or _max(r["a_speed"], r["b_speed"])
        links.append(MapLink(r["id"], r["name"], r["a"], r["b"], r["a_port"], r["b_port"], r["medium"], r["state"],
                             bool(r["stale"]), int(capacity) if capacity else None, util, in_bps, out_bps,
                             r["rx_a"], r["rx_b"], r["loss"], r["source"]))
    return MapSnapshot("overview" if site_id is None else f"site:{site_id}", devices, tuple(links))
