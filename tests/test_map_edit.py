"""Editing the topology from the map, as an admin does it with the context menu: pin a parent, add, edit and
remove a manual link; over a real store discovered from the demo agents (rediscovery included)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_topology_demo import demo, discover_all  # noqa: E402,F401
from uihelpers import when_modal  # noqa: E402

from nocdesk.store import open_store  # noqa: E402
from nocdesk.topology import derive_parents  # noqa: E402


@pytest.fixture
def page(qtbot, demo, tmp_path):  # noqa: ANN001, ANN201, F811
    from nocdesk.ui.ops import OpRunner
    from nocdesk.ui.topology_page import TopologyPage

    _, store = demo
    discover_all(store)
    store.conn.execute("UPDATE devices SET parent_pinned = 0")  # the demo seeds hand-set parents; start derived
    derive_parents(store)
    runner = OpRunner(lambda: open_store(tmp_path / "demo.db"))
    topo = TopologyPage()
    qtbot.addWidget(topo)
    topo.resize(1200, 800)
    topo.show()
    with qtbot.waitSignal(topo.shown, timeout=10_000):
        topo.refresh(fit=True)
    topo.store = store
    yield topo
    runner.shutdown()


def ids(store) -> dict[str, int]:  # noqa: ANN001
    return {r[1]: r[0] for r in store.conn.execute("SELECT id, name FROM devices")}


def node(topo, name: str):  # noqa: ANN001, ANN201
    return next(n for n in topo.view.nodes.values() if n.device.name == name)


def trigger(menu, text: str) -> None:  # noqa: ANN001
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), text
    action.trigger()


def choose(combo, text: str) -> None:  # noqa: ANN001
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_pinning_a_parent_in_the_map_changes_the_tree_and_survives_rediscovery(qtbot, page):  # noqa: ANN001
    store = page.store
    dev = ids(store)
    assert derive_parents(store)[dev["srv-db"]] == dev["dist-dc"]

    def pick(dialog) -> None:  # noqa: ANN001
        choose(dialog.choice, "core-dc")
        dialog.accept()

    when_modal(qtbot, pick)
    with qtbot.waitSignal(page.edited, timeout=10_000):
        trigger(page.view.menu_for(node(page, "srv-db")), "Pin parent…")
    assert derive_parents(store)[dev["srv-db"]] == dev["core-dc"]
    discover_all(store)  # the engine's rediscovery: walk every neighbour table, derive the tree again
    assert derive_parents(store)[dev["srv-db"]] == dev["core-dc"]
    # The dependency dialog lists it as pinned, its siblings as derived.
    dialog = page.show_dependencies()
    qtbot.waitUntil(lambda: dialog.item_of("srv-db") is not None, timeout=10_000)
    row = dialog.item_of("srv-db")
    assert (row.text(1), row.text(2)) == ("core-dc", "pinned")
    assert row.parent().text(0) == "core-dc"
    assert dialog.item_of("srv-mail").text(2) == "derived"
    # Back to automatic: the walk decides again.
    dialog.tree.setCurrentItem(row)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.auto_btn.click()
    assert dialog.item_of("srv-db").text(1) == "dist-dc"
    assert derive_parents(store)[dev["srv-db"]] == dev["dist-dc"]
    dialog.close()


def test_a_manual_link_is_drawn_survives_a_relayout_and_can_be_removed(qtbot, page):  # noqa: ANN001
    store = page.store
    dev = ids(store)
    before = set(page.view.links)

    def fill(dialog) -> None:  # noqa: ANN001
        choose(dialog.b_device, "sw-kec-baiturrahman")
        choose(dialog.b_port, "ether2 (AP pelayanan)")
        choose(dialog.medium, "Wireless")
        dialog.capacity.setValue(300)
        dialog.name.setText("Radio Kutaraja–Baiturrahman")
        dialog.accept()

    when_modal(qtbot, fill)
    with qtbot.waitSignal(page.shown, timeout=10_000):
        trigger(page.view.menu_for(node(page, "sw-kec-kutaraja")), "Add manual link…")
    (new_id,) = set(page.view.links) - before
    item = page.view.links[new_id]
    assert (item.link.a, item.link.b, item.link.medium, item.link.capacity_bps, item.link.source) == (
        dev["sw-kec-kutaraja"], dev["sw-kec-baiturrahman"], "wireless", 300_000_000, "manual")
    assert item.link.b_port == "ether2"
    # Re-layout moves the nodes; the manual link is still there and still joins them.
    a_node = node(page, "sw-kec-kutaraja")
    a_node.setPos(2000, 2000)
    a_node._on_moved(a_node)
    qtbot.waitUntil(lambda: store.conn.execute(
        "SELECT x FROM map_positions WHERE device_id = ?", (dev["sw-kec-kutaraja"],)).fetchone()[0] == 2000)
    with qtbot.waitSignal(page.shown, timeout=10_000):
        page.relayout()
    assert store.conn.execute("SELECT x FROM map_positions WHERE device_id = ?", (dev["sw-kec-kutaraja"],)).fetchone()[0] != 2000
    item = page.view.links[new_id]
    ends = {item.path().pointAtPercent(0).toPoint(), item.path().pointAtPercent(1).toPoint()}
    assert ends == {node(page, "sw-kec-kutaraja").pos().toPoint(), node(page, "sw-kec-baiturrahman").pos().toPoint()}
    assert node(page, "sw-kec-kutaraja").pos().x() != 2000
    discover_all(store)  # discovery never touches a manual link
    assert tuple(store.conn.execute("SELECT stale, source FROM links WHERE id = ?", (new_id,)).fetchone()) == (0, "manual")
    # A discovered link cannot be removed by hand; the manual one can.
    discovered = next(i for i in page.view.links.values() if i.link.source == "lldp")
    remove = next(a for a in page.view.menu_for(discovered).actions() if a.text() == "Remove manual link")
    assert not remove.isEnabled()
    when_modal(qtbot, lambda box: box.button(box.StandardButton.Yes).click())
    with qtbot.waitSignal(page.shown, timeout=10_000):
        trigger(page.view.menu_for(page.view.links[new_id]), "Remove manual link")
    assert new_id not in page.view.links
    assert store.conn.execute("SELECT count(*) FROM links WHERE id = ?", (new_id,)).fetchone()[0] == 0


def test_editing_a_discovered_link_keeps_the_admins_capacity_and_medium(qtbot, page):  # noqa: ANN001
    store = page.store
    link = next(i for i in page.view.links.values() if i.link.name == "core-dc ↔ dist-dc")

    def edit(dialog) -> None:  # noqa: ANN001
        assert not dialog.a_port.isEnabled()  # discovery owns the ports of what it found
        choose(dialog.medium, "Copper")
        dialog.capacity.setValue(2000)
        dialog.accept()

    when_modal(qtbot, edit)
    with qtbot.waitSignal(page.shown, timeout=10_000):
        trigger(page.view.menu_for(link), "Edit link…")
    assert page.view.links[link.link.id].link.capacity_bps == 2_000_000_000
    discover_all(store)
    assert tuple(store.conn.execute("SELECT medium, capacity_bps FROM links WHERE id = ?", (link.link.id,)).fetchone()) == (
        "copper", 2_000_000_000)


def test_layout_wraps_many_leaves_and_stacks_wide_subtrees_in_bands():
    from nocdesk.maplayout import LEAF_COLUMNS, X_STEP, MapNode, layered_layout

    # A core, 12 access switches, 8 cameras under each: 109 devices.
    nodes = {1: MapNode(1, "core", "router", "DC", None)}
    for s in range(12):
        sw = 100 + s
        nodes[sw] = MapNode(sw, f"sw{s:02}", "switch", "DC", 1)
        for c in range(8):
            nodes[1000 + 10 * s + c] = MapNode(1000 + 10 * s + c, f"cam{s:02}{c}", "cctv", "DC", sw)
    pos = layered_layout(nodes, band_cols=24)
    assert len(pos) == len(nodes) and len(set(pos.values())) == len(nodes)  # every node, no two on one spot
    cams = [pos[1000 + c] for c in range(8)]
    assert len({x for x, _ in cams}) == LEAF_COLUMNS and len({y for _, y in cams}) == 2  # 4 x 2 grid
    xs = [x for x, _ in pos.values()]
    assert (max(xs) - min(xs)) / X_STEP < 24  # 12 switches x 4 columns = 48 wide: stacked in two bands
    assert len({pos[100 + s][1] for s in range(12)}) == 2
    assert all(pos[1][1] < pos[100 + s][1] < pos[1000 + 10 * s][1] for s in range(12))  # parents above children
