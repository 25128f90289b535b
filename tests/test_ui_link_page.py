"""The link page: clicking a link on the map opens it; a fiber link shows both ends' optics side by side with
history at a fitting resolution, over a real store discovered from the demo agents."""

from __future__ import annotations

import os
import random
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from test_topology_demo import demo, discover_all  # noqa: E402,F401
from uihelpers import _day_curve  # noqa: E402

from nocdesk.linkstate import update_link_states  # noqa: E402
from nocdesk.rollups import run_rollups  # noqa: E402
from nocdesk.store import open_store  # noqa: E402

FIBER = "core-dc ↔ sw-kec-kutaraja"
RX_DBM = {"core-dc": -7.9, "sw-kec-kutaraja": -8.4}


def port_history(store, link_name: str, *, hours: int = 30, step_s: int = 60, now: int | None = None) -> int:  # noqa: ANN001
    """Rx/Tx, traffic and error samples for both ports of a link, written as the engine writes them, rolled up."""
    now = int(time.time()) if now is None else now
    rnd = random.Random(3)
    link = store.conn.execute("SELECT * FROM links WHERE name = ?", (link_name,)).fetchone()
    c = store.conn
    c.execute("BEGIN")
    for side in ("a", "b"):
        device = c.execute("SELECT name FROM devices WHERE id = ?", (link[f"{side}_device_id"],)).fetchone()[0]
        if_id = link[f"{side}_interface_id"]
        rx = RX_DBM.get(device, -9.0)
        shapes = {"rx_dbm": lambda t, rx=rx: rx - (1.5 if now - 6 * 3600 < t < now - 5 * 3600 else 0) + rnd.uniform(-.2, .2),
                  "tx_dbm": lambda _t: -2.1 + rnd.uniform(-.05, .05),
                  "in_bps": lambda t: 1.2e8 * _day_curve(t) * rnd.uniform(0.85, 1.15),
                  "out_bps": lambda t: 4e7 * _day_curve(t) * rnd.uniform(0.85, 1.15),
                  "in_errors_ps": lambda _t: 0.0 if rnd.random() > 0.01 else rnd.uniform(0.1, 3)}
        last: dict[str, float] = {}
        for kind, shape in shapes.items():
            unit = {"rx_dbm": "dBm", "tx_dbm": "dBm", "in_errors_ps": "/s"}.get(kind, "bit/s")
            sid = c.execute("INSERT INTO sensors(device_id, interface_id, kind, unit) VALUES (?,?,?,?)",
                            (link[f"{side}_device_id"], if_id, kind, unit)).lastrowid
            rows = [(sid, ts, shape(ts)) for ts in range(now - hours * 3600, now, step_s)]
            c.executemany("INSERT INTO samples(sensor_id, ts, value) VALUES (?,?,?)", rows)
            c.execute("UPDATE sensors SET last_value = ?, last_ts = ? WHERE id = ?", (rows[-1][2], rows[-1][1], sid))
            last[kind] = rows[-1][2]
        c.execute("UPDATE interfaces SET admin_status = 'up', oper_status = 'up', in_bps = ?, out_bps = ?, "
                  "util_in_pct = ? / speed_bps * 100, util_out_pct = ? / speed_bps * 100 WHERE id = ?",
                  (last["in_bps"], last["out_bps"], last["in_bps"], last["out_bps"], if_id))
    c.execute("UPDATE devices SET state = 'up'")
    c.execute("COMMIT")
    run_rollups(store, now)
    update_link_states(store, now=now - hours * 3600)
    return link["id"]


@pytest.fixture
def fiber_store(demo):  # noqa: ANN001, F811
    _, store = demo
    discover_all(store)
    link_id = port_history(store, FIBER)
    return store, link_id


@pytest.fixture
def runner(fiber_store):  # noqa: ANN001
    from nocdesk.ui.ops import OpRunner

    store, _ = fiber_store
    path = store.conn.execute("PRAGMA database_list").fetchone()[2]
    ops = OpRunner(lambda: open_store(path))
    yield ops
    ops.shutdown()


def map_and_link_page(qtbot):  # noqa: ANN001, ANN201
    """The topology page and the link page in one stack, wired as the main window wires them."""
    from PySide6.QtWidgets import QStackedWidget

    from nocdesk.ui.link_page import LinkPage
    from nocdesk.ui.topology_page import TopologyPage

    stack = QStackedWidget()
    qtbot.addWidget(stack)
    topo, page = TopologyPage(), LinkPage()
    stack.addWidget(topo)
    stack.addWidget(page)
    topo.link_activated.connect(lambda i: (stack.setCurrentWidget(page), page.show_link(i)))
    page.back_requested.connect(lambda: stack.setCurrentWidget(topo))
    stack.resize(1300, 860)
    stack.show()
    return stack, topo, page


def test_clicking_a_link_on_the_map_opens_its_page_with_both_ends_rx(qtbot, fiber_store, runner):  # noqa: ANN001
    store, link_id = fiber_store
    stack, topo, page = map_and_link_page(qtbot)
    with qtbot.waitSignal(topo.shown, timeout=10_000):
        topo.refresh(fit=True)
    item = topo.view.links[link_id]
    at = topo.view.mapFromScene(item.path().pointAtPercent(0.5))
    assert topo.view.item_at(at) is item  # the middle of the line is the link, not a node's label
    qtbot.mouseClick(topo.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: page.data is not None and page.data.detail.link["id"] == link_id, timeout=10_000)
    assert stack.currentWidget() is page
    assert page.title.text() == FIBER
    cards = {page.a_card.end.device: page.a_card, page.b_card.end.device: page.b_card}
    for device, rx in RX_DBM.items():
        shown = cards[device].values["rx"].text()
        assert shown.endswith("dBm") and abs(float(shown.split()[0].replace(",", ".")) - rx) < 0.5, shown
    assert cards["core-dc"].values["port"].text().startswith("sfp-kutaraja")
    assert cards["sw-kec-kutaraja"].values["port"].text().startswith("sfp1")
    # Esc goes back to the map.
    page.back_requested.emit()
    assert stack.currentWidget() is topo


@pytest.mark.parametrize(("range_key", "resolution"), [("1h", "1 min"), ("24h", "5 min"), ("7d", "5 min")])
def test_fiber_link_page_charts_rx_of_both_ends(qtbot, fiber_store, runner, range_key, resolution):  # noqa: ANN001
    from nocdesk.ui.link_page import LinkPage

    store, link_id = fiber_store
    page = LinkPage()
    qtbot.addWidget(page)
    page.resize(1300, 860)
    page.show()
    page.range_key = range_key
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show_link(link_id)
    plots = {p.spec.key: p.spec for p in page.charts._plots}
    rx = plots["rx"]
    assert sorted(line.name.split()[-1] for line in rx.lines) == ["core-dc", "sw-kec-kutaraja"]
    assert all(len(line.ts) > 10 for line in rx.lines)
    means = {line.name.split()[-1]: float(line.values.mean()) for line in rx.lines}
    assert abs(means["core-dc"] - RX_DBM["core-dc"]) < 1.0 and abs(means["sw-kec-kutaraja"] - RX_DBM["sw-kec-kutaraja"]) < 1.0
    assert len(plots["tx"].lines) == 2
    assert {"traffic", "utilisation", "errors"} <= set(plots)
    assert [line.name for line in plots["traffic"].lines] == ["core-dc → sw-kec-kutaraja", "sw-kec-kutaraja → core-dc"]
    assert resolution in page.resolution_label.text()
    assert "%" in page.avail_label.text()
    # The crosshair reads both ends' Rx at one moment.
    readout = page.charts.show_at(float(rx.lines[0].ts[len(rx.lines[0].ts) // 2]))
    assert "Rx core-dc" in readout and "Rx sw-kec-kutaraja" in readout
