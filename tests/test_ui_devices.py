"""The desktop app as a user drives it: add a device through the dialog, watch the real engine turn it up,
open its page and find the RTT chart; test an address; edit and remove devices."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from uihelpers import fresh_store, open_app, populate, row_of, table_names, ui_data_dir  # noqa: F401

from nocdesk.store import open_store

ENGINE = {"config_check_s": 0.5, "heartbeat_s": 2.0}


def _add_through_dialog(qtbot, window, *, name: str, address: str, kind_text: str, interval_s: int = 10):  # noqa: ANN001
    window.act_add.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.snmp.count() > 0)  # choices arrived from the worker
    qtbot.keyClicks(dlg.name, name)
    qtbot.keyClicks(dlg.address, address)
    dlg.kind.setCurrentIndex(dlg.kind.findText(kind_text))
    dlg.interval.setValue(interval_s)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    return dlg


def test_added_device_appears_turns_up_and_its_page_shows_rtt(qtbot, open_app, tmp_path):  # noqa: F811
    db = fresh_store(tmp_path / "nocdesk.db")
    parts = open_app(db, engine=True, **ENGINE)
    window = parts.window
    qtbot.waitUntil(lambda: window.engine.mode == "running", timeout=20_000)

    _add_through_dialog(qtbot, window, name="srv-loopback", address="127.0.0.1", kind_text="Server")
    qtbot.waitUntil(lambda: "srv-loopback" in table_names(window), timeout=10_000)
    assert row_of(window, "srv-loopback").kind == "server"

    # The engine polls it for real (ICMP to loopback) and the table follows without any click.
    qtbot.waitUntil(lambda: row_of(window, "srv-loopback").state == "up", timeout=30_000)
    assert row_of(window, "srv-loopback").rtt_ms is not None
    assert window.dashboard.tiles["up"].number.text() == "1"
    assert window.banner.isHidden()

    # Double-click the row: the device page opens and its latency chart gets the measured points.
    proxy = window.dashboard.proxy
    r = next(i for i in range(proxy.rowCount()) if proxy.index(i, 1).data() == "srv-loopback")
    window.dashboard.table.doubleClicked.emit(proxy.index(r, 1))
    page = window.device_page
    assert window.pages.currentWidget() is page
    page.set_range("1h")
    qtbot.waitUntil(lambda: page.data is not None and page.title.text() == "srv-loopback", timeout=10_000)

    def rtt_points() -> int:
        page.reload()
        return sum(len(line.ts) for p in page.charts._plots if p.spec.key == "latency" for line in p.spec.lines)

    qtbot.waitUntil(lambda: rtt_points() > 0, timeout=30_000)
    assert "RTT" in page.charts.show_at(time.time() - 1)
    assert page.state_chip.text() == "Up"


def test_test_button_pings_the_address_without_blocking(qtbot, open_app, tmp_path):  # noqa: F811
    parts = open_app(fresh_store(tmp_path / "nocdesk.db"))
    window = parts.window
    window.act_add.trigger()
    dlg = window._last_dialog
    qtbot.keyClicks(dlg.address, "127.0.0.1")
    qtbot.mouseClick(dlg.test_btn, Qt.MouseButton.LeftButton)
    assert not dlg.test_btn.isEnabled()  # the probe runs in a worker; the dialog stays responsive
    qtbot.waitUntil(lambda: dlg.test_btn.isEnabled(), timeout=15_000)
    assert "Ping: answered" in dlg.test_result.text()
    assert "no SNMP credential chosen" in dlg.test_result.text()
    dlg.reject()


def test_bad_input_is_shown_in_the_dialog_and_nothing_is_saved(qtbot, open_app, tmp_path):  # noqa: F811
    db = fresh_store(tmp_path / "nocdesk.db")
    window = open_app(db).window
    dlg = _add_through_dialog(qtbot, window, name="sw-x", address="10.0.0.300", kind_text="Switch")
    assert dlg.error.isVisible()
    assert "10.0.0.300" in dlg.error.text() and "address" in dlg.error.text()
    # A duplicate is found by the store (in a worker) and also shown in the dialog, which stays open.
    with open_store(db) as store:
        store.conn.execute("INSERT INTO devices(name, address, kind, created_at, updated_at) "
                           "VALUES ('sw-core', '198.18.200.1', 'switch', 0, 0)")
    dlg.address.setText("198.18.200.1")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already used by 'sw-core'" in dlg.error.text(), timeout=10_000)
    assert dlg.isVisible()
    dlg.reject()


def test_edit_renames_and_delete_key_removes(qtbot, open_app, tmp_path, monkeypatch):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=12, rich_devices=0)
        first, second = [r[0] for r in store.conn.execute("SELECT name FROM devices ORDER BY name LIMIT 2")]
    window = open_app(db).window
    window.dashboard.filter_edit.setText(first)
    window.dashboard.table.selectRow(0)
    window.act_edit.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.name.text() == first, timeout=10_000)
    dlg.name.setText("renamed-device")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    window.dashboard.filter_edit.clear()
    qtbot.waitUntil(lambda: "renamed-device" in table_names(window), timeout=10_000)
    assert first not in table_names(window)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.dashboard.filter_edit.setText(second)
    window.activateWindow()  # the edit dialog had the focus; shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.dashboard.table.setFocus()
    window.dashboard.table.selectRow(0)
    qtbot.keyClick(window.dashboard.table, Qt.Key.Key_Delete)
    window.dashboard.filter_edit.clear()
    qtbot.waitUntil(lambda: second not in table_names(window), timeout=10_000)
    with open_store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM devices WHERE name = ?", (second,)).fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 11
