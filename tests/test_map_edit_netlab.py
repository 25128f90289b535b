"""The map of the namespace test network (tests/netlab.py): LLDP rediscovery builds the links between the lldpd
speakers, manual links join what speaks no LLDP, the tree hangs off the core, and a cut fiber turns its link red
and dashed on the map. With NOCDESK_SHOTS_DIR set, the map is saved there as map-netlab.png (docs/)."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_engine_netlab import DEVICES, device_ids, engine, lab_db, query, wait_for  # noqa: E402,F401

from nocdesk.housekeeping import rediscover  # noqa: E402
from nocdesk.mapdata import map_snapshot  # noqa: E402
from nocdesk.store import open_store  # noqa: E402
from nocdesk.topology import add_manual_link, derive_parents, update_link  # noqa: E402

try:
    from nsutil import in_netns
except ImportError:  # tests/ collected as a package
    from tests.nsutil import in_netns

pytestmark = [pytest.mark.netns, pytest.mark.slow]
KINDS = {"core": "router", "kec1": "switch", "kec2": "switch", "cam1": "cctv", "srv1": "server", "srv2": "server"}


def port(store, device: str, name: str) -> int:  # noqa: ANN001
    return store.conn.execute("SELECT i.id FROM interfaces i JOIN devices d ON d.id = i.device_id "
                              "WHERE d.name = ? AND i.name = ?", (device, name)).fetchone()[0]


def test_rediscovered_netlab_map_with_a_cut_fiber(qtbot, netlab_rw, lab_db: Path, engine) -> None:  # noqa: ANN001, F811
    from nocdesk.ui.topology_view import DOWN_COLOR, TopologyView

    ids = device_ids(lab_db)
    with open_store(lab_db) as store:
        for name, kind in KINDS.items():
            store.conn.execute("UPDATE devices SET kind = ?, parent_pinned = 0 WHERE name = ?", (kind, name))
    wait_for(lambda: query(lab_db, "SELECT count(*) FROM devices WHERE state = 'up'")[0][0] == len(DEVICES),
             "every device up", on_timeout=lambda: query(lab_db, "SELECT name, state, last_error FROM devices"))
    wait_for(lambda: query(lab_db, "SELECT count(DISTINCT device_id) FROM interfaces")[0][0] == len(DEVICES),
             "every interface list read")
    netlab_rw.wait_lldp("core", {"kec1", "kec2"}, timeout_s=15)
    with open_store(lab_db) as store:
        with in_netns(netlab_rw.station_ns):
            result = asyncio.run(rediscover(store))
        assert result["failed"] == 0
        wiring = {frozenset((f"{r[0]}:{r[1]}", f"{r[2]}:{r[3]}")) for r in store.conn.execute(
            "SELECT da.name, ia.name, db.name, ib.name FROM links l JOIN devices da ON da.id = l.a_device_id "
            "JOIN devices db ON db.id = l.b_device_id JOIN interfaces ia ON ia.id = l.a_interface_id "
            "JOIN interfaces ib ON ib.id = l.b_interface_id")}
        # In node X the port facing Y is named Y: LLDP saw exactly the two cables between lldpd speakers.
        assert wiring == {frozenset(("core:kec1", "kec1:core")), frozenset(("core:kec2", "kec2:core"))}
        # The admin tells the map what LLDP cannot: the two kecamatan cables are fiber, the camera and the
        # servers (no LLDP) hang off their switches.
        for (link_id,) in store.conn.execute("SELECT id FROM links").fetchall():
            update_link(store, link_id, medium="fiber", capacity_bps=1_000_000_000)
        add_manual_link(store, ids["kec1"], ids["cam1"], a_interface=port(store, "kec1", "cam1"),
                        b_interface=port(store, "cam1", "kec1"), medium="copper", capacity_bps=100_000_000)
        for srv in ("srv1", "srv2"):
            add_manual_link(store, ids["core"], ids[srv], b_interface=port(store, srv, "core"), medium="copper")
        parents = derive_parents(store)
        assert parents[ids["kec1"]] == ids["core"] and parents[ids["cam1"]] == ids["kec1"]
        assert parents[ids["srv2"]] == ids["core"] and parents[ids["core"]] is None

    # The engine re-reads the configuration every 2 s: cut only once it knows the new parents, else on a slow
    # machine cam1 can fail twice, parentless, and be judged down before the tree reaches the engine.
    trackers = engine.engine.machine.trackers
    wait_for(lambda: getattr(trackers.get(("device", ids["cam1"])), "parent", None) == ("device", ids["kec1"]),
             "the engine loading cam1's derived parent", timeout_s=15)
    netlab_rw.cut("core-kec1")
    wait_for(lambda: query(lab_db, "SELECT 1 FROM devices WHERE id = ? AND state = 'unreachable'", ids["cam1"]),
             "cam1 unreachable", timeout_s=20)
    wait_for(lambda: query(lab_db, "SELECT 1 FROM links l JOIN devices d ON d.id = l.b_device_id "
                                   "WHERE d.name = 'kec1' AND l.state = 'down'"), "the fiber link down", timeout_s=20)
    with open_store(lab_db) as store:
        snapshot = map_snapshot(store)
    view = TopologyView()
    qtbot.addWidget(view)
    view.resize(900, 520)
    view.show()
    view.show_snapshot(snapshot)
    view.fit()
    cut = next(item for item in view.links.values() if {item.link.a, item.link.b} == {ids["core"], ids["kec1"]})
    assert cut.pen().color().name() == DOWN_COLOR and cut.link.medium == "fiber"
    assert {view.nodes[ids[n]].device.state for n in ("kec1", "cam1")} == {"down", "unreachable"}
    assert len(view.links) == 5 and len(view.nodes) == len(DEVICES)
    shots = os.environ.get("NOCDESK_SHOTS_DIR")
    if shots:
        time.sleep(0.1)
        view.grab().save(str(Path(shots) / "map-netlab.png"))
