"""What keeps the window responsive while the engine runs Python in the same process.

Every entry from Qt into Python waits for the GIL, up to the switch interval when the engine thread holds it,
so a redraw must enter Python once per painted cell rather than once per role; and the garbage collector's
full passes (which hold the GIL for 100+ ms over a large heap) must not walk what lives for the whole session.
bench/bench_ui.py measures the resulting stalls; these tests pin down the mechanisms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from uihelpers import open_app, populate, ui_data_dir  # noqa: F401

from nocdesk.store import open_store
from nocdesk.ui.models import ID_ROLE, ROW_ROLE, RowTableModel, SortProxy

ROLES = [ID_ROLE, ROW_ROLE, 0, 1, 2, 3, 6, 7, 9]  # id, row, display, decoration, edit, tooltip, font, align, fg


class CountingModel(RowTableModel):
    """The app's table model, counting how often Qt enters Python."""

    calls = {"data": 0, "multiData": 0}

    def data(self, index, role=0):  # noqa: ANN001, ANN201
        self.calls["data"] += 1
        return super().data(index, role)

    def multiData(self, index, span):  # noqa: ANN001, ANN201, N802
        self.calls["multiData"] += 1
        return super().multiData(index, span)


def _one_role(model, index, role):  # noqa: ANN001, ANN202
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    role_data = QModelRoleData(role)
    model.multiData(index, QModelRoleDataSpan(role_data))
    return _comparable(role_data.data())


def _comparable(value):  # noqa: ANN001, ANN202
    from PySide6.QtGui import QFont, QIcon

    if isinstance(value, QIcon):
        return ("icon", value.cacheKey())
    if isinstance(value, QFont):
        return ("font", value.bold())
    return value


def test_table_redraw_enters_python_once_per_cell_and_shows_the_same_values(qtbot, open_app, tmp_path):  # noqa: F811
    from PySide6.QtWidgets import QTableView

    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=60, rich_devices=0)
    window = open_app(db).window
    source = window.dashboard.model
    model = CountingModel(source.columns)
    model.set_bold(lambda row: row.state == "down")
    model.set_rows(source.rows)
    proxy = SortProxy()
    proxy.setSourceModel(model)
    proxy.set_text("")
    view = QTableView()
    view.setModel(proxy)
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    model.calls.update(data=0, multiData=0)
    view.grab()
    visible_rows = view.rowAt(view.viewport().height() - 1) - view.rowAt(0) + 1
    assert model.calls["data"] == 0
    assert 0 < model.calls["multiData"] <= visible_rows * len(model.columns)

    # Whatever Qt asks through multiData is what data() answers, through the proxy as well.
    for row in range(0, proxy.rowCount(), 7):
        for col in range(proxy.columnCount()):
            index = proxy.index(row, col)
            for role in ROLES:
                assert _one_role(proxy, index, role) == _comparable(index.data(role)), (row, col, role)
    bold = [r for r in range(model.rowCount()) if model.rows[r].state == "down"]
    assert bold and _one_role(model, model.index(bold[0], 1), 6) == ("font", True)
    view.close()


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
        populate(store, devices=5, rich_devices=0, engine_alive=False)
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
