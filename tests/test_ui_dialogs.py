"""Settings, maintenance windows, discovery and the Test button against a real snmpd, driven as a user would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from snmp_agents import COMMUNITY, SYS_NAME, snmpd_agent  # noqa: F401
from uihelpers import fresh_store, open_app, populate, table_names, ui_data_dir  # noqa: F401

from nocdesk import credentials
from nocdesk.store import open_store
from nocdesk.ui import fmt


def test_settings_are_stored_in_the_database_and_applied(qtbot, open_app, tmp_path):  # noqa: F811
    db = fresh_store(tmp_path / "nocdesk.db")
    window = open_app(db).window
    window.act_settings.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.default_snmp.count() > 0, timeout=10_000)
    zone = dlg.fields["ui.timezone"]
    zone.setCurrentIndex(zone.findData("Asia/Makassar"))
    dlg.fields["polling.interval_s"].setValue(120)
    dlg.fields["agency.name"].setText("Dinas Kominfo Kota Contoh")
    dlg.fields["notify.webhook.enabled"].setChecked(True)
    dlg.fields["notify.webhook.url"].setText("ftp://wrong")
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert "notify.webhook.url" in dlg.error.text()  # refused before anything is written
    dlg.fields["notify.webhook.url"].setText("http://127.0.0.1:9/hook")
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    with open_store(db) as store:
        assert store.get_setting("ui.timezone") == "Asia/Makassar"
        assert store.get_setting("polling.interval_s") == 120
        assert store.get_setting("agency.name") == "Dinas Kominfo Kota Contoh"
    assert fmt.zone().key == "Asia/Makassar"
    assert fmt.when(0, zone_name=True).endswith("WITA")
    fmt.configure(timezone="Asia/Jakarta")


def test_maintenance_window_weekly_and_one_off(qtbot, open_app, tmp_path):  # noqa: F811
    db = tmp_path / "nocdesk.db"
    with open_store(db) as store:
        populate(store, devices=8, rich_devices=0)
        site = store.conn.execute("SELECT name FROM sites ORDER BY id LIMIT 1").fetchone()[0]
    window = open_app(db).window
    window.act_maint.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: bool(dlg.targets), timeout=10_000)
    dlg.name.setText("Sunday patching")
    dlg.target_type.setCurrentIndex(dlg.target_type.findData("site"))
    dlg.target.setCurrentIndex(dlg.target.findText(site))
    dlg.weekly.setChecked(True)
    dlg.days[6].setChecked(True)  # Sunday
    dlg.duration.setValue(90)
    dlg.save()
    qtbot.waitUntil(lambda: dlg.list.count() == 1, timeout=10_000)
    dlg.new()
    dlg.name.setText("")  # a window needs a name: the core says so and nothing is saved
    dlg.save()
    qtbot.waitUntil(lambda: "name is empty" in dlg.error.text(), timeout=10_000)
    dlg.name.setText("Fiber splice Kutaraja")
    dlg.save()
    qtbot.waitUntil(lambda: dlg.list.count() == 2, timeout=10_000)
    with open_store(db) as store:
        rows = store.conn.execute("SELECT name, target_type, weekdays, duration_min, start_ts, end_ts "
                                  "FROM maintenance_windows ORDER BY id").fetchall()
    assert tuple(rows[0]) == ("Sunday patching", "site", "6", 90, None, None)
    assert rows[1]["name"] == "Fiber splice Kutaraja" and rows[1]["end_ts"] - rows[1]["start_ts"] == 7200
    dlg.list.setCurrentRow(0)
    assert dlg.weekly.isChecked() and dlg.days[6].isChecked() and dlg.duration.value() == 90
    dlg.accept()


def test_discovery_sweeps_only_allowed_ranges_and_adds_ticked_hosts(qtbot, open_app, tmp_path):  # noqa: F811
    db = fresh_store(tmp_path / "nocdesk.db")
    window = open_app(db).window
    window.act_discover.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.snmp.count() > 0, timeout=10_000)  # its own read of the ranges is in
    dlg.cidr.setText("127.0.0.0/29")
    dlg.start()
    assert "outside the allowed discovery ranges" in dlg.status.text()  # nothing was sent
    dlg.set_allowed(["127.0.0.0/24"])
    qtbot.waitUntil(lambda: dlg.allowed.count() == 1, timeout=10_000)
    with open_store(db) as store:
        assert store.get_setting("discovery.allowed_ranges") == ["127.0.0.0/24"]
    qtbot.mouseClick(dlg.start_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.start_btn.isEnabled() and dlg.table.rowCount() > 0, timeout=20_000)
    assert [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())] == [f"127.0.0.{i}" for i in range(1, 7)]
    assert dlg.progress.value() == dlg.progress.maximum() == 6
    for r in range(2, 6):
        dlg.table.item(r, 0).setCheckState(Qt.CheckState.Unchecked)
    dlg.table.item(0, 1).setText("lo-one")
    dlg.kind.setCurrentIndex(dlg.kind.findData("server"))
    qtbot.mouseClick(dlg.add_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sorted(table_names(window)) == ["host-127-0-0-2", "lo-one"], timeout=10_000)
    dlg.reject()


def test_test_button_reads_sysname_and_profile_from_a_real_agent(qtbot, open_app, tmp_path, monkeypatch,  # noqa: F811
                                                                 snmpd_agent):  # noqa: F811
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "correct horse battery staple")
    db = fresh_store(tmp_path / "nocdesk.db")
    with open_store(db) as store:
        credentials.save_snmp_credential(store, "lab-ro", version="2c", community=COMMUNITY, port=snmpd_agent.port,
                                         timeout_s=1.0)
    window = open_app(db).window
    window.act_add.trigger()
    dlg = window._last_dialog
    qtbot.waitUntil(lambda: dlg.snmp.findData("lab-ro") >= 0, timeout=10_000)
    dlg.snmp.setCurrentIndex(dlg.snmp.findData("lab-ro"))
    qtbot.keyClicks(dlg.address, "127.0.0.1")
    qtbot.mouseClick(dlg.test_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.test_btn.isEnabled(), timeout=15_000)
    text = dlg.test_result.text()
    assert "Ping: answered" in text
    assert f"sysName <b>{SYS_NAME}</b>" in text
    assert "1.3.6.1.4.1.8072" in text  # net-snmp's sysObjectID
    assert "Profile: " in text
    assert dlg.name.text() == SYS_NAME  # an empty name is filled from sysName
    dlg.reject()
