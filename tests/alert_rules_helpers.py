"""Feeding measurements into a real store the way the engine does (Batch → Ingest.flush), for the rule tests."""

from __future__ import annotations

from collections.abc import Iterable

from nocdesk.samples import Batch, Ingest, SensorKey, ensure_interfaces
from nocdesk.store import Store


def add_port(store: Store, device_id: int, if_index: int = 1, name: str = "Gi0/1", alias: str = "") -> int:
    """An interface row (up), as discovery would create it; returns its id."""
    ids = ensure_interfaces(store, device_id, [{"if_index": if_index, "name": name, "alias": alias,
                                                "speed_bps": 1_000_000_000, "admin_status": "up",
                                                "oper_status": "up"}])
    store.conn.execute("UPDATE interfaces SET state = 'up' WHERE id = ?", (ids[if_index],))
    return ids[if_index]


def feed(store: Store, ingest: Ingest, key: SensorKey, points: Iterable[tuple[int, float]]) -> None:
    """Write (ts, value) samples of one sensor through the engine's ingest path (one batch)."""
    batch = Batch()
    for ts, value in points:
        batch.add_sample(key, ts, value)
    ingest.flush(batch)


def every_minute(start: int, end: int, value: float) -> list[tuple[int, float]]:
    """A sample each minute from start to end inclusive."""
    return [(ts, value) for ts in range(start, end + 1, 60)]
