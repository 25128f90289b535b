"""Topology discovery against the demo network's real SNMP agents on loopback (no root needed)."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from nocdesk.collectors.neighbours import read_neighbours
from nocdesk.collectors.snmp import SnmpCredential
from nocdesk.demo.network import DEMO_COMMUNITY, FiberCut, demo_devices
from nocdesk.demo.runner import DemoNetwork, seed_demo_db
from nocdesk.errors import UnreachableError
from nocdesk.store import open_store
from nocdesk.topology import apply_neighbours, derive_parents, pin_parent


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.77.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(tmp_path):
    cut = FiberCut("core-dc:sfp-kutaraja", every_s=10_000, down_s=0, offset_s=10_000)  # no cut unless a test asks
    net = DemoNetwork(cut=cut, port=free_udp_port()).start()
    store = open_store(tmp_path / "demo.db")
    seed_demo_db(store, save_credential=False)
    store.demo_net = net
    yield net, store
    store.close()
    net.stop()


def discover_all(store) -> None:
    """Walk every device's neighbour tables, as the engine's rediscovery does for devices that answer."""
    net = store.demo_net
    # The demo agents answer from a thread of this process: generous on a loaded machine.
    cred = SnmpCredential(version="2c", community=DEMO_COMMUNITY, port=net.port, timeout_s=5, retries=1)
    rows = [r for r in store.conn.execute("SELECT id, name, address FROM devices").fetchall()
            if net.state.alive(r["name"])]  # the engine only rediscovers devices that are up

    async def read_all() -> list:
        return await asyncio.gather(*(read_neighbours(r["address"], cred) for r in rows), return_exceptions=True)

    for row, neighbours in zip(rows, asyncio.run(read_all()), strict=True):
        if isinstance(neighbours, UnreachableError):
            continue  # a silent device keeps its links; its neighbours' view decides
        if isinstance(neighbours, BaseException):
            raise neighbours
        apply_neighbours(store, row["id"], neighbours)


def wiring(store) -> set[frozenset[str]]:
    rows = store.conn.execute(
        "SELECT da.name || ':' || ia.name AS a, db.name || ':' || ib.name AS b FROM links l "
        "JOIN devices da ON da.id = l.a_device_id JOIN devices db ON db.id = l.b_device_id "
        "JOIN interfaces ia ON ia.id = l.a_interface_id JOIN interfaces ib ON ib.id = l.b_interface_id")
    return {frozenset((r["a"], r["b"])) for r in rows}


def test_discovered_links_equal_the_real_wiring_with_both_ports(demo):
    _, store = demo
    discover_all(store)
    expected = {frozenset((f"{d.name}:{p.name}", p.peer)) for d in demo_devices() for p in d.ports if p.peer}
    assert wiring(store) == expected
    fiber = {r[0] for r in store.conn.execute("SELECT name FROM links WHERE medium = 'fiber'")}
    # The 10G SFP+ uplink to dist-dc counts as fiber too (an SFP port with no optic readings).
    assert fiber == {"core-dc ↔ sw-kec-kutaraja", "core-dc ↔ sw-kec-baiturrahman", "core-dc ↔ dist-dc"}
    # Seen from both ends, each link is still one row.
    assert store.conn.execute("SELECT count(*) FROM links").fetchone()[0] == len(expected)


def test_dependency_tree_walks_out_from_the_core_and_respects_pins(demo):
    _, store = demo
    store.conn.execute("UPDATE devices SET parent_id = NULL")
    discover_all(store)
    parents = derive_parents(store)
    names = dict(store.conn.execute("SELECT id, name FROM devices").fetchall())
    by_name = {names[k]: (names[v] if v else None) for k, v in parents.items()}
    assert by_name["core-dc"] is None
    assert by_name["sw-kec-kutaraja"] == "core-dc"
    assert by_name["cctv-kec-kutaraja"] == "sw-kec-kutaraja"
    assert by_name["srv-db"] == "dist-dc"
    ids = {v: k for k, v in names.items()}
    pin_parent(store, ids["srv-db"], ids["core-dc"])
    derive_parents(store)
    row = store.conn.execute("SELECT parent_id FROM devices WHERE name = 'srv-db'").fetchone()
    assert row[0] == ids["core-dc"]


def test_a_cut_fiber_marks_its_link_stale_not_deleted_then_back(demo):
    net, store = demo
    discover_all(store)
    total = store.conn.execute("SELECT count(*) FROM links").fetchone()[0]
    net.state.cut = FiberCut("core-dc:sfp-kutaraja", every_s=10_000, down_s=10_000, offset_s=0)
    net.state.started = time.time()
    discover_all(store)
    stale = [r[0] for r in store.conn.execute("SELECT name FROM links WHERE stale = 1")]
    assert stale == ["core-dc ↔ sw-kec-kutaraja"]
    assert store.conn.execute("SELECT count(*) FROM links").fetchone()[0] == total
    assert store.conn.execute("SELECT count(*) FROM events WHERE kind = 'link_vanished'").fetchone()[0] == 1
    net.state.cut = FiberCut("core-dc:sfp-kutaraja", every_s=10_000, down_s=0, offset_s=10_000)
    discover_all(store)
    assert store.conn.execute("SELECT count(*) FROM links WHERE stale = 1").fetchone()[0] == 0


def test_layout_puts_children_below_parents_and_keeps_dragged_positions(demo):
    from nocdesk.maplayout import positions_for, save_positions

    _, store = demo
    names = {r[0]: r[1] for r in store.conn.execute("SELECT id, name FROM devices")}
    ids = {v: k for k, v in names.items()}
    pos = positions_for(store)
    assert len(pos) == len(names)
    assert pos[ids["core-dc"]][1] < pos[ids["sw-kec-kutaraja"]][1] < pos[ids["cctv-kec-kutaraja"]][1]
    assert len(set(pos.values())) == len(pos)  # no two devices on the same spot
    save_positions(store, "overview", {ids["srv-db"]: (999.0, -50.0)})
    assert positions_for(store)[ids["srv-db"]] == (999.0, -50.0)


def test_link_state_follows_the_ports_and_optics(demo):
    from nocdesk.linkstate import update_link_states

    _, store = demo
    discover_all(store)
    store.conn.execute("UPDATE devices SET state = 'up'")
    store.conn.execute("UPDATE interfaces SET admin_status = 'up', oper_status = 'up'")
    update_link_states(store)
    assert {r[0] for r in store.conn.execute("SELECT state FROM links")} == {"up"}
    store.conn.execute("UPDATE interfaces SET oper_status = 'down' WHERE name = 'sfp-kutaraja'")
    changes = update_link_states(store)
    assert [(c.state, c.previous) for c in changes] == [("down", "up")]
    row = store.conn.execute("SELECT name, state FROM links WHERE id = ?", (changes[0].target_id,)).fetchone()
    assert tuple(row) == ("core-dc ↔ sw-kec-kutaraja", "down")
    assert update_link_states(store) == []  # no change, no new rows
    assert store.conn.execute("SELECT count(*) FROM state_changes WHERE target_type = 'link' AND state = 'down'").fetchone()[0] == 1
