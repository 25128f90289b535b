"""The discovery dialog's "Follow neighbours" page against the real namespace lab, driven as a user would.

The app runs with its worker threads in the station namespace (they are created inside `in_netns`), so the
crawl reaches core's snmpd and reads the LLDP neighbours lldpd put there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import fresh_store, open_app, table_names, ui_data_dir  # noqa: F401

from nocdesk.credentials import save_snmp_credential
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store


def test_follow_neighbours_offers_cores_neighbours_and_adds_the_ticked_one(qtbot, open_app, tmp_path, monkeypatch,  # noqa: F811
                                                                          netlab):
    from nsutil import in_netns

    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "correct horse battery staple")
    db = fresh_store(tmp_path / "nocdesk.db")
    with open_store(db) as store:
        save_snmp_credential(store, "lab", version="2c", community=netlab.node("core").community, timeout_s=1.0,
                             retries=0)
        add_device(store, DeviceSpec(name="core", address=netlab.node("core").addr, kind="router",
                                     snmp_credential="lab"))
        # kec2 (198.18.3.2) lies outside these: it is listed, greyed, and cannot be ticked.
        store.set_setting("discovery.allowed_ranges", ["198.18.1.0/24", "198.18.2.0/24"])
    with in_netns(netlab.station_ns):
        window = open_app(db).window
        window.act_discover.trigger()
        dlg = window._last_dialog
        dlg.show_crawl()
        panel = dlg.crawl
        qtbot.waitUntil(lambda: panel.seeds.count() == 1 and dlg.allowed.count() == 2, timeout=10_000)
        panel.start()
        assert "Tick at least one device" in panel.status.text()  # nothing runs without a seed
        panel.tick_seed("core")
        panel.depth.setValue(1)
        qtbot.mouseClick(panel.start_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.start_btn.isEnabled() and panel.table.rowCount() == 2, timeout=20_000)
        rows = {panel.table.item(r, 0).text(): r for r in range(panel.table.rowCount())}
        assert set(rows) == {"kec1", "kec2"}
        kec1, kec2 = panel.table.item(rows["kec1"], 0), panel.table.item(rows["kec2"], 0)
        assert panel.table.item(rows["kec1"], 1).text() == netlab.node("kec1").addr
        assert panel.table.item(rows["kec1"], 2).text() == "core · kec1"
        assert kec1.checkState() == Qt.CheckState.Checked and kec1.flags() & Qt.ItemFlag.ItemIsEnabled
        assert kec2.checkState() == Qt.CheckState.Unchecked and not kec2.flags() & Qt.ItemFlag.ItemIsEnabled
        assert "outside the allowed discovery ranges" in kec2.toolTip()
        assert "1 can be added" in panel.status.text()
        with open_store(db) as store:  # a crawl alone adds nothing
            assert store.conn.execute("SELECT count(*) FROM devices").fetchone()[0] == 1
        qtbot.mouseClick(panel.add_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: sorted(table_names(window)) == ["core", "kec1"], timeout=10_000)
        assert panel.table.item(rows["kec1"], 5).text() == "added"
        assert not panel.add_btn.isEnabled()
        with open_store(db) as store:
            row = store.conn.execute("SELECT address, snmp_credential, sys_name FROM devices WHERE name = 'kec1'"
                                     ).fetchone()
        assert tuple(row) == (netlab.node("kec1").addr, "lab", "kec1")
        dlg.reject()
