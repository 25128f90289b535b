"""What keeps the window responsive while the engine runs Python in the same process.

Every entry from Qt into Python waits for the GIL, up to the switch interval when the engine thread holds it,
so a redraw must not enter Python at all (the table models keep formatted values in C++ items); and the garbage collector's
full passes (which hold the GIL for 100+ ms over a large heap) must not walk what lives for the whole session.
bench/bench_ui.py measures the resulting stalls; these tests pin down the mechanisms.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
import time
from dataclasses import replace

import pytest
from uihelpers import open_app, populate, ui_data_dir  # noqa: F401

from nocdesk.store import open_store
from nocdesk.ui.models import ID_ROLE, ROW_ROLE, RowTableModel, SortProxy, device_columns
from nocdesk.views import DeviceRow

ROLES = [ID_ROLE, ROW_ROLE, 0, 1, 3, 6, 7, 9]  # id, row, display, decoration, tooltip, font, alignment, foreground
STATES = ["up", "down", "unreachable", "degraded", "unknown", "maintenance"]


def _device(i: int, rnd: random.Random) -> DeviceRow:
    state = rnd.choice(STATES)
    return DeviceRow(id=i, name=f"sw-{i:03d}", address=f"198.18.{i // 250}.{i % 250 + 1}", kind=rnd.choice(["switch", "router"]),
                     site=rnd.choice(["DC", "Kec A", "Kec B"]), site_id=None, group="", group_id=None, state=state,
                     state_since=int(time.time()) - rnd.randrange(10, 90_000),
                     rtt_ms=rnd.choice([None, rnd.uniform(0.2, 80)]), loss_pct=rnd.choice([0.0, 0.0, 20.0, None]),
                     uptime_pct=rnd.choice([100.0, 99.1, 90.0, None]), enabled=True,
                     last_error="" if state == "up" else "no answer")


def _comparable(value):  # noqa: ANN001, ANN202
    from PySide6.QtGui import QFont, QIcon

    if isinstance(value, QIcon):
        return ("icon", value.cacheKey())
    if isinstance(value, QFont):
        return ("font", value.bold())
    return value


def _shown(proxy) -> list[list]:  # noqa: ANN001
    """Every role of every visible cell, as a view would read it."""
    return [[[_comparable(proxy.index(r, c).data(role)) for role in ROLES] for c in range(proxy.columnCount())]
            for r in range(proxy.rowCount())]


def _fresh(rows, sort_col, order, predicate, text) -> list[list]:  # noqa: ANN001
    """What a newly built model shows for the same rows, sort and filter."""
    model = RowTableModel(device_columns())
    model.set_bold(lambda d: d.state in ("down", "unreachable"))
    proxy = SortProxy()
    proxy.setSourceModel(model)
    model.sort(sort_col, order)
    model.set_rows(rows)
    proxy.set_predicate(predicate)
    proxy.set_text(text)
    return _shown(proxy)


def test_incremental_updates_show_exactly_what_a_fresh_table_shows(qapp):  # noqa: ANN001
    from PySide6.QtCore import Qt

    rnd = random.Random(7)
    rows = [_device(i, rnd) for i in range(120)]
    model = RowTableModel(device_columns())
    model.set_bold(lambda d: d.state in ("down", "unreachable"))
    proxy = SortProxy()
    proxy.setSourceModel(model)
    sort_col, order, predicate, text = 0, Qt.SortOrder.AscendingOrder, None, ""
    proxy.sort(sort_col, order)
    model.set_rows(rows)
    for step in range(40):
        action = step % 5
        if action == 0:  # values change (RTT moves, states flip)
            rows = [replace(r, rtt_ms=rnd.uniform(0.2, 80), state=rnd.choice(STATES)) if rnd.random() < 0.3 else r
                    for r in rows]
        elif action == 1:  # devices added and removed
            rows = [r for r in rows if rnd.random() > 0.1] + [_device(1000 + step * 10 + k, rnd) for k in range(3)]
        elif action == 2:
            sort_col = rnd.randrange(len(model.columns))
            order = rnd.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
            proxy.sort(sort_col, order)
        elif action == 3:
            predicate = rnd.choice([None, lambda d: d.site == "Kec A", lambda d: d.state == "down"])
            proxy.set_predicate(predicate)
        else:
            text = rnd.choice(["", "sw-0", "198.18.0.1", "router"])
            proxy.set_text(text)
        model.set_rows(rows)
        assert _shown(proxy) == _fresh(rows, sort_col, order, predicate, text), step
    assert proxy.rowCount() > 0


def test_a_big_new_table_is_prepared_in_steps_and_swapped_in_whole(qtbot):  # noqa: ANN001
    from PySide6.QtCore import Qt

    rnd = random.Random(5)
    model = RowTableModel(device_columns())
    proxy = SortProxy()
    proxy.setSourceModel(model)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    small = [_device(i, rnd) for i in range(30)]
    model.set_rows(small)
    big = [_device(100 + i, rnd) for i in range(2000)]
    model.set_rows(big)
    assert proxy.rowCount() == 30  # the old rows stay until the new ones are ready
    qtbot.waitUntil(lambda: proxy.rowCount() == 2000, timeout=10_000)
    assert [proxy.index(r, 1).data() for r in range(3)] == sorted(r.name for r in big)[:3]

    newer = [_device(5000 + i, rnd) for i in range(1500)]
    model.set_rows([_device(9000 + i, rnd) for i in range(1800)])
    model.set_rows(newer)  # supersedes the rebuild still being prepared
    qtbot.waitUntil(lambda: proxy.rowCount() == 1500, timeout=10_000)
    qtbot.wait(100)
    assert proxy.rowCount() == 1500 and {r.id for r in model.rows} == {r.id for r in newer}

    model.set_rows(big)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)  # re-sorting finishes the pending rebuild first
    assert proxy.rowCount() == 2000 and proxy.index(0, 1).data() == max(r.name for r in big)


def test_selection_follows_its_row_through_new_order_and_new_rows(qtbot):  # noqa: ANN001
    from PySide6.QtCore import QItemSelectionModel, Qt
    from PySide6.QtWidgets import QTableView

    rnd = random.Random(3)
    rows = [_device(i, rnd) for i in range(50)]
    model = RowTableModel(device_columns())
    proxy = SortProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # RTT: the order changes on every poll
    model.set_rows(rows)
    picked = proxy.index(10, 1)
    name = picked.data()
    view.selectionModel().select(picked, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                 | QItemSelectionModel.SelectionFlag.Rows)
    for step in range(5):
        rows = [replace(r, rtt_ms=rnd.uniform(0.2, 80)) for r in rows] + [_device(500 + step, rnd)]
        model.set_rows(rows)
        selected = {i.data() for i in view.selectionModel().selectedRows(1)}
        assert selected == {name}, step


def test_redrawing_a_table_runs_no_python(qtbot, open_app, tmp_path):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=60, rich_devices=0)
    window = open_app(db).window
    table = window.dashboard.table
    window.dashboard.filter_edit.setText("kutaraja")  # the filter is applied in C++ too
    qtbot.waitUntil(lambda: 0 < window.dashboard.proxy.rowCount() < 60, timeout=5_000)
    table.grab()
    calls = []

    def profile(frame, event, _arg):  # noqa: ANN001, ANN202
        if event == "call":
            calls.append(f"{frame.f_code.co_filename}:{frame.f_code.co_name}")

    sys.setprofile(profile)
    try:
        image = table.grab()
    finally:
        sys.setprofile(None)
    assert calls == []
    assert not image.isNull() and table.model().index(0, 1).data()  # there was something to paint


HEAP_SCRIPT = textwrap.dedent("""
    import gc, weakref
    from nocdesk.heap import freeze_long_lived

    class Node:
        pass

    def cycle():
        a, b = Node(), Node()
        a.other, b.other = b, a
        return a

    def old_garbage():
        old = cycle()
        gc.collect()                               # `old` now sits in the oldest generation...
        return weakref.ref(old)                    # ...and dies there

    kept = [cycle() for _ in range(1000)]          # lives for the session
    solo = Node(); solo_ref = weakref.ref(solo)    # no cycle: freed by reference counting
    first_old = old_garbage()
    print("full freeze collects old garbage", freeze_long_lived(full=True) > 2000 and first_old() is None)
    later_old = old_garbage()
    young = weakref.ref(cycle())                   # garbage in the young generation
    freeze_long_lived()
    tracked = {id(o) for o in gc.get_objects()}
    print("young garbage collected", young() is None)
    print("session objects exempt", id(kept[0]) not in tracked and id(kept) not in tracked)
    print("old garbage kept by a quick freeze", later_old() is not None)
    del solo
    print("frozen object freed when dropped", solo_ref() is None)
""")


def test_freeze_exempts_session_objects_and_collects_young_garbage_first():
    out = subprocess.run([sys.executable, "-c", HEAP_SCRIPT], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.returncode == 0, out.stderr
    lines = dict(line.rsplit(" ", 1) for line in out.stdout.splitlines())
    assert lines == {"young garbage collected": "True", "session objects exempt": "True",
                     "old garbage kept by a quick freeze": "True", "full freeze collects old garbage": "True",
                     "frozen object freed when dropped": "True"}


@pytest.fixture
def unfreeze_after():  # noqa: ANN201
    import gc

    yield
    gc.unfreeze()  # hand the test process's objects back to the collector


def test_app_freezes_at_start_and_again_once_the_engine_is_ready(qtbot, open_app, tmp_path, monkeypatch,  # noqa: F811
                                                                 unfreeze_after):
    import gc

    from nocdesk.ui import app as app_module

    monkeypatch.setattr(app_module, "HEAP_SETTLE_AFTER_ENGINE_S", (0.0, 0.5))
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=5, rich_devices=0, engine_alive=False, loopback=True)  # the engine polls them
    gc.unfreeze()
    parts = open_app(db)
    app_module.keep_heap_settled(parts)
    at_start = gc.get_freeze_count()
    assert at_start > 10_000  # modules, Qt wrappers, the window
    settled = []
    parts.window.engine_ready.connect(lambda: settled.append(gc.get_freeze_count()))
    parts.window.start_polling()
    qtbot.waitUntil(lambda: parts.window.engine.mode == "running", timeout=20_000)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > at_start, timeout=5_000)  # the engine's trackers and config
    assert settled  # the signal the freezes hang on was sent
