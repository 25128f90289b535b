"""Events and alerts view: filter, acknowledge with a comment, jump to the device; the import wizard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from uihelpers import fresh_store, open_app, populate, table_names, ui_data_dir, when_modal  # noqa: F401

from nocdesk.store import open_store
from nocdesk.ui.models import ROW_ROLE


def _alerts_shown(view) -> list:  # noqa: ANN001
    return [view.alert_proxy.index(r, 0).data(ROW_ROLE) for r in range(view.alert_proxy.rowCount())]


def test_acknowledge_an_alert_with_a_comment(qtbot, open_app, tmp_path):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=60, rich_devices=0)
        open_ids = [r[0] for r in store.conn.execute("SELECT id FROM alerts WHERE status = 'open'")]
    assert open_ids, "the generated network has open alerts"
    window = open_app(db).window
    window.act_events.trigger()
    view = window.events
    qtbot.waitUntil(lambda: len(_alerts_shown(view)) == len(open_ids), timeout=10_000)
    assert view.tabs.tabText(0) == f"Alerts ({len(open_ids)} open)"

    target = _alerts_shown(view)[0]
    view.alert_table.selectRow(0)
    assert view.ack_btn.isEnabled()

    def fill(dialog) -> None:  # noqa: ANN001
        qtbot.keyClicks(dialog.comment, "Fiber crew dispatched, ETA 14.00")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    when_modal(qtbot, fill)
    qtbot.mouseClick(view.ack_btn, Qt.MouseButton.LeftButton)

    def acked() -> bool:
        row = next((a for a in _alerts_shown(view) if a.id == target.id), None)
        return row is not None and row.status == "acknowledged"

    qtbot.waitUntil(acked, timeout=10_000)
    with open_store(db) as store:
        status, comment, by = store.conn.execute("SELECT status, ack_comment, acked_by FROM alerts WHERE id = ?",
                                                 (target.id,)).fetchone()
    assert (status, comment) == ("acknowledged", "Fiber crew dispatched, ETA 14.00") and by
    assert view.tabs.tabText(0) == f"Alerts ({len(open_ids) - 1} open)"
    # The acknowledged one goes below the open ones and can no longer be acknowledged.
    assert _alerts_shown(view)[-1].id == target.id
    view.alert_table.selectRow(view.alert_proxy.rowCount() - 1)
    assert not view.ack_btn.isEnabled()

    # "Open only" hides it; jumping to the device of another alert opens that device's page.
    view.status.setCurrentIndex(view.status.findText("Open only"))
    qtbot.waitUntil(lambda: target.id not in [a.id for a in _alerts_shown(view)], timeout=10_000)
    view.alert_table.selectRow(0)
    other = _alerts_shown(view)[0]
    qtbot.mouseClick(view.goto_btn, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.device_page
    qtbot.waitUntil(lambda: window.device_page.title.text() == other.device_name, timeout=10_000)


def test_event_log_filters_by_severity_and_site(qtbot, open_app, tmp_path):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=60, rich_devices=0)
        site_id, site = store.conn.execute(
            "SELECT s.id, s.name FROM events e JOIN devices d ON d.id = e.device_id JOIN sites s ON s.id = d.site_id "
            "WHERE e.severity = 'critical' LIMIT 1").fetchone()
        in_site = store.conn.execute(
            "SELECT count(*) FROM events e JOIN devices d ON d.id = e.device_id WHERE e.severity = 'critical' "
            "AND d.site_id = ? AND e.ts > strftime('%s','now') - 7 * 86400", (site_id,)).fetchone()[0]
    window = open_app(db).window
    window.show_events()
    view = window.events
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.event_proxy.rowCount() > 0, timeout=10_000)
    everything = view.event_proxy.rowCount()
    view.severity.setCurrentIndex(view.severity.findText("Critical"))
    qtbot.waitUntil(lambda: view.event_proxy.rowCount() < everything, timeout=10_000)
    assert all(view.event_proxy.index(r, 0).data(ROW_ROLE).severity == "critical"
               for r in range(view.event_proxy.rowCount()))
    qtbot.waitUntil(lambda: view.site.findText(site) >= 0, timeout=10_000)
    view.site.setCurrentIndex(view.site.findText(site))
    qtbot.waitUntil(lambda: view.event_proxy.rowCount() == in_site, timeout=10_000)
    assert {view.event_proxy.index(r, 0).data(ROW_ROLE).site for r in range(in_site)} == {site}


def test_import_wizard_lists_the_bad_row_with_its_line_and_imports_the_rest(qtbot, open_app, tmp_path):  # noqa: F811
    csv = tmp_path / "devices.csv"
    csv.write_text("name,address,kind,site\n"
                   "sw-kec-kutaraja,198.18.2.1,switch,Kecamatan Kutaraja\n"
                   "sw-kec-meuraxa,198.18.300.1,switch,Kecamatan Meuraxa\n"
                   "cam-alun-alun,198.18.5.20,camera,Kantor Walikota\n")
    db = fresh_store(tmp_path / "nocdesk.db")
    window = open_app(db).window
    window.act_import.trigger()
    wizard = window._last_dialog
    wizard.file_page.path.setText(str(csv))
    wizard.next()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: page.preview is not None, timeout=10_000)
    assert page.rejected.rowCount() == 1
    assert page.rejected.item(0, 0).text() == "3"  # the header is line 1
    assert page.rejected.item(0, 1).text() == "sw-kec-meuraxa"
    assert "198.18.300.1" in page.rejected.item(0, 2).text()
    assert "2 row(s) can be imported, 1 row(s) rejected" in page.summary.text()

    # "All or nothing" imports nothing at all.
    page.all_or_nothing.setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.result_page.added is not None, timeout=10_000)
    assert "Nothing was imported" in wizard.result_page.result.text()
    with open_store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 0

    # Back, choose "valid rows only": the two good rows arrive in the table.
    wizard.back()
    page.valid_only.setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.result_page.added == 2, timeout=10_000)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.waitUntil(lambda: sorted(table_names(window)) == ["cam-alun-alun", "sw-kec-kutaraja"], timeout=10_000)
