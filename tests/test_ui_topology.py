"""The topology map widget over a real store discovered from the demo agents."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, Qt  # noqa: E402
from test_topology_demo import demo, discover_all  # noqa: E402,F401

from nocdesk.linkstate import update_link_states  # noqa: E402
from nocdesk.mapdata import map_snapshot  # noqa: E402
from nocdesk.maplayout import save_positions  # noqa: E402


@pytest.fixture
def discovered(demo):  # noqa: F811
    _, store = demo
    discover_all(store)
    store.conn.execute("UPDATE devices SET state = 'up'")
    store.conn.execute("UPDATE interfaces SET admin_status = 'up', oper_status = 'up', util_in_pct = 20, in_bps = 2e8")
    store.conn.execute("UPDATE interfaces SET util_in_pct = 91 WHERE name = 'sfp-baiturrahman'")
    update_link_states(store)
    return store


def test_map_shows_every_device_and_link_and_colours_them(qtbot, discovered, tmp_path):
    from nocdesk.ui.topology_view import DOWN_COLOR, UTIL_COLORS, TopologyView

    store = discovered
    view = TopologyView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show_snapshot(map_snapshot(store))
    assert len(view.nodes) == store.conn.execute("SELECT count(*) FROM devices").fetchone()[0]
    assert len(view.links) == store.conn.execute("SELECT count(*) FROM links").fetchone()[0]
    by_name = {item.link.name: item for item in view.links.values()}
    assert by_name["core-dc ↔ sw-kec-baiturrahman"].pen().color().name() == UTIL_COLORS[2]  # 91 % → red
    assert by_name["core-dc ↔ dist-dc"].pen().color().name() == UTIL_COLORS[0]
    view.set_thresholds(10, 95)  # the settings' map thresholds: 20 % is now amber, 91 % no longer red
    assert by_name["core-dc ↔ dist-dc"].pen().color().name() == UTIL_COLORS[1]
    assert by_name["core-dc ↔ sw-kec-baiturrahman"].pen().color().name() == UTIL_COLORS[1]
    view.set_thresholds(50, 80)
    # Cut the fiber: the same items turn red and dashed, nothing is rebuilt.
    item = by_name["core-dc ↔ sw-kec-kutaraja"]
    store.conn.execute("UPDATE interfaces SET oper_status = 'down' WHERE name = 'sfp-kutaraja'")
    update_link_states(store)
    view.show_snapshot(map_snapshot(store))
    assert view.links[item.link.id] is item
    assert item.pen().color().name() == DOWN_COLOR and item.pen().style() == Qt.PenStyle.DashLine
    view.fit()
    view.export_png(str(tmp_path / "map.png"))
    view.export_svg(str(tmp_path / "map.svg"))
    assert (tmp_path / "map.png").stat().st_size > 5000
    assert "<svg" in (tmp_path / "map.svg").read_text()[:2000]


def test_dragged_node_stays_where_it_was_dropped(qtbot, discovered):
    from nocdesk.ui.topology_view import TopologyView

    store = discovered
    view = TopologyView()
    qtbot.addWidget(view)
    view.show_snapshot(map_snapshot(store))
    node = next(n for n in view.nodes.values() if n.device.name == "srv-db")
    moved = []
    view.node_moved.connect(lambda key, device_id, x, y: moved.append((key, device_id, x, y)))
    node.setPos(QPointF(777, 333))
    node._on_moved(node)
    assert moved == [("overview", node.device.id, 777.0, 333.0)]
    save_positions(store, moved[0][0], {moved[0][1]: (moved[0][2], moved[0][3])})
    again = {d.name: (d.x, d.y) for d in map_snapshot(store).devices}
    assert again["srv-db"] == (777.0, 333.0)
    # Links follow the node.
    link = next(k for k in node.links)
    ends = {link.path().pointAtPercent(0).toPoint(), link.path().pointAtPercent(1).toPoint()}
    assert QPointF(777, 333).toPoint() in ends
