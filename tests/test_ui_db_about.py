"""Database menu actions and the About dialog, driven as a user would: a backup that opens and passes the
integrity check, a restore that replaces the data only after the user confirms, and the licences table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from uihelpers import populate, ui_data_dir, when_modal  # noqa: F401

from nocdesk.dbbackup import verify_backup_file
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store
from nocdesk.ui.about_dialog import open_about
from nocdesk.ui.db_dialogs import backup_database, restore_database
from nocdesk.ui.ops import OpRunner


@pytest.fixture
def db(tmp_path: Path, ui_data_dir) -> Path:  # noqa: F811
    path = tmp_path / "nocdesk.db"
    with open_store(path) as store:
        populate(store, devices=12, rich_devices=1, history_days=2)
    yield path
    if OpRunner._instance is not None:
        OpRunner._instance.shutdown()


def _device_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM devices")}
    finally:
        conn.close()


def test_backup_from_the_menu_is_a_sound_copy(qtbot, db: Path, tmp_path: Path):
    target = tmp_path / "copies" / "nocdesk-backup.db"
    dlg = backup_database(None, db, target=target)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.ok is not None, timeout=30_000)
    assert dlg.ok, dlg.message.text()
    assert str(target) in dlg.message.text() and dlg.close_btn.isEnabled()
    verify_backup_file(target)  # raises unless it is a sound nocdesk database
    with open_store(target, readonly=True) as copy:
        assert copy.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.conn.execute("SELECT count(*) FROM samples").fetchone()[0] > 1000
    assert _device_names(target) == _device_names(db) and len(_device_names(db)) == 12


def test_restore_asks_first_and_replaces_the_data_after_confirm(qtbot, db: Path, tmp_path: Path):
    backup = tmp_path / "before.db"
    with open_store(db) as store:
        from nocdesk.dbbackup import backup_database as core_backup

        core_backup(store, backup)
        add_device(store, DeviceSpec(name="sw-added-later", address="198.18.9.9"))
    released, relaunched = [], []
    app_connection = open_store(db)  # the window's own connection, which `release` must close

    def release() -> None:
        app_connection.close()
        released.append(True)

    when_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Cancel).click())
    assert restore_database(None, db, source=backup, release=release) is None
    assert not released and "sw-added-later" in _device_names(db)  # cancelled: nothing touched

    questions = []

    def confirm(box: QMessageBox) -> None:
        questions.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal(qtbot, confirm)
    dlg = restore_database(None, db, source=backup, release=release, relaunch=lambda: relaunched.append(True))
    qtbot.addWidget(dlg)
    assert released == [True]
    assert str(backup) in questions[0] and "before-restore" in questions[0] and "restarts" in questions[0]
    qtbot.waitUntil(lambda: dlg.ok is not None, timeout=30_000)
    assert dlg.ok, dlg.message.text()
    assert "sw-added-later" not in _device_names(db) and len(_device_names(db)) == 12
    kept = list(db.parent.glob("nocdesk.db.before-restore-*"))
    assert len(kept) == 1 and "sw-added-later" in _device_names(kept[0])
    assert str(kept[0]) in dlg.message.text()
    dlg.close_btn.click()
    assert relaunched == [True]


def test_restore_refuses_a_file_that_is_not_a_nocdesk_database(qtbot, db: Path, tmp_path: Path):
    junk = tmp_path / "holiday.db"
    sqlite3.connect(junk).execute("CREATE TABLE photos(x)").connection.close()
    shown = []
    when_modal(qtbot, lambda box: (shown.append(box.text()), box.button(QMessageBox.StandardButton.Ok).click()))
    assert restore_database(None, db, source=junk, release=lambda: shown.append("released")) is None
    assert "not a nocdesk database" in shown[0] and "released" not in shown
    assert len(_device_names(db)) == 12


def test_about_lists_versions_paths_and_licences(qtbot, db: Path, ui_data_dir):  # noqa: F811
    dlg = open_about(None, db)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.table.rowCount() > 10, timeout=20_000)
    rows = {dlg.table.item(r, 0).text().lower().replace("_", "-"): (dlg.table.item(r, 1).text(),
                                                                    dlg.table.item(r, 2).text())
            for r in range(dlg.table.rowCount())}
    from PySide6 import __version__ as pyside_version

    assert rows["pyside6-essentials"][0] == pyside_version and "LGPL-3.0" in rows["pyside6-essentials"][1]
    assert "reportlab" in rows and "pyqtgraph" in rows and rows["pyqtgraph"][1] == "MIT"
    assert "pytest" not in rows and "aiosmtpd" not in rows  # test tools are not bundled
    assert all(licence and licence != "?" for _v, licence in rows.values())
    text = dlg.text()
    assert str(db) in text and str(ui_data_dir) in text and "PySide6" in text
