"""The Config backups window driven as a user would, against real SSH targets: fakenos Cisco IOS switches on
loopback and a silent SSH port (a hung device) for the slow ones; a real store; settings for backups.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QTabWidget
from sshtargets import FakeSwitches, free_port, require_fakenos
from uihelpers import when_modal

from nocdesk.configversions import list_versions
from nocdesk.credentials import save_ssh_credential
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.store import open_store

MASTER = "ui-backup master pw"
USER, PASSWORD, ENABLE = "ndt-admin", "ios-login-S3cret", "ios-enable-S3cret"
IOS = """Building configuration...

Current configuration : 1234 bytes
!
! Last configuration change at {stamp}
!
version 15.2
hostname {name}
enable secret 9 $9$ENABLEhash0Secret
!
interface GigabitEthernet1/0/1
 description uplink-core
 switchport mode trunk
!
snmp-server community Pemda-RO-s3cret RO
end
"""
SWITCHES = {"sw-a": "127.0.0.1", "sw-b": "127.0.0.2"}
HOSTS = SWITCHES | {"sw-typo": "127.0.0.3"}


class Tarpit:
    """A hung device: accepts TCP on some loopback addresses and never says a word (no SSH banner)."""

    def __init__(self, addresses: list[str], port: int) -> None:
        self.port, self.accepted = port, 0
        self.listeners = []
        for address in addresses:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(16)
            self.listeners.append(sock)
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            ready, _w, _x = select.select(self.listeners, [], [], 0.1)
            for sock in ready:
                conn, _addr = sock.accept()
                self.held.append(conn)
                self.accepted += 1

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.listeners + self.held:
            sock.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_fakenos()
    workdir = tmp_path_factory.mktemp("ui-backup-lab")
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NOCDESK_DATA_DIR", str(workdir / "data"))
        env.setenv("NOCDESK_SECRET_BACKEND", "file")
        env.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
        env.setenv("NOCDESK_LANG", "en")
        env.setenv("NOCDESK_NO_RDNS", "1")
        ios = FakeSwitches("cisco_ios", {n: (a, port) for n, a in HOSTS.items()}, workdir, username=USER,
                           password=PASSWORD, enable_secret=ENABLE)
        with ios:
            ios.port = port
            yield ios


def set_config(lab, name: str, *, stamp: str = "10:00:00 WIB Mon Nov 23 2026", extra: str = "",
               description: str = "uplink-core") -> None:
    text = IOS.format(name=name, stamp=stamp).replace("uplink-core", description)
    lab.set_config(name, text.replace("version 15.2\n", "version 15.2\n" + extra))


@pytest.fixture
def db(lab, tmp_path, qapp):
    """A store with sw-a and sw-b (IOS), sw-typo (wrong password) and a printer without SSH; a worker pool on it."""
    from nocdesk.ui import style
    from nocdesk.ui.ops import OpRunner

    style.apply(qapp)
    for name in HOSTS:
        set_config(lab, name)
    path = tmp_path / "nocdesk.db"
    with open_store(path) as store:
        save_ssh_credential(store, "ios", username=USER, password=PASSWORD, enable_secret=ENABLE, port=lab.port)
        save_ssh_credential(store, "ios-typo", username=USER, password="ios-login-typo", port=lab.port)
        for name, address in SWITCHES.items():
            add_device(store, DeviceSpec(name=name, address=address, kind="switch", ssh_credential="ios",
                                         profile="cisco_ios"))
        add_device(store, DeviceSpec(name="sw-typo", address="127.0.0.3", kind="switch", ssh_credential="ios-typo",
                                     profile="cisco_ios"))
        add_device(store, DeviceSpec(name="prn-lobby", address="127.0.0.9", kind="printer"))
    runner = OpRunner(lambda: open_store(path))
    yield path
    runner.shutdown()


def open_page(qtbot, db, **kw):
    from nocdesk.ui.backup_page import open_config_backups

    dlg = open_config_backups(None, db, **kw)
    qtbot.addWidget(dlg)
    page = dlg.page
    qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=10_000)
    return dlg, page


def cells(page, name: str) -> list[str]:
    for r in range(page.table.rowCount()):
        if page.table.item(r, 0).text() == name:
            return [page.table.item(r, c).text() for c in range(page.table.columnCount())]
    raise AssertionError(f"{name} not listed: {[page.table.item(r, 0).text() for r in range(page.table.rowCount())]}")


def pick(page, *names: str) -> None:
    page.table.clearSelection()
    model = page.table.selectionModel()
    for r in range(page.table.rowCount()):
        if page.table.item(r, 0).text() in names:
            model.select(page.table.model().index(r, 0), model.SelectionFlag.Select | model.SelectionFlag.Rows)


def run_and_wait(qtbot, page, button, timeout_ms: int = 60_000):
    with qtbot.waitSignal(page.run_finished, timeout=timeout_ms) as blocker:
        button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() > 0 and not page.cancel_btn.isEnabled(), timeout=5_000)
    return blocker.args[0]


def shoot(widget, name: str) -> None:
    """Save a screenshot under $NOCDESK_SHOTS (for looking at the window; nothing is asserted)."""
    shots = os.environ.get("NOCDESK_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(shots) / name))


def wait_cell(qtbot, page, name: str, col: int, text: str) -> None:
    qtbot.waitUntil(lambda: text in cells(page, name)[col], timeout=10_000)


def test_back_up_now_fills_history_and_highlights_the_changed_line(qtbot, lab, db):
    dlg, page = open_page(qtbot, db)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["sw-a", "sw-b", "sw-typo"]
    assert cells(page, "sw-a")[2:] == ["Never", "Not backed up yet", "0", "Not seen yet"]

    run = run_and_wait(qtbot, page, page.backup_all_btn)
    assert {r.name: r.result for r in run.results} == {"sw-a": "first", "sw-b": "first", "sw-typo": "failed"}
    wait_cell(qtbot, page, "sw-a", 2, "First backup")
    assert cells(page, "sw-a")[4:] == ["1", "Trusted"] and "first version" in cells(page, "sw-a")[3]
    typo = cells(page, "sw-typo")
    assert typo[2] == "Failed" and typo[3].startswith("authentication failed") and "ios-login-typo" not in typo[3]
    assert "2 first, 1 failed" in page.status.text()

    pick(page, "sw-a")
    qtbot.waitUntil(lambda: page.history.version_table.rowCount() == 1, timeout=10_000)
    assert page.history.version_table.item(0, 4).text().startswith("first version, ")
    qtbot.waitUntil(lambda: "hostname sw-a" in page.history.diff.toPlainText(), timeout=10_000)
    assert "Pemda-RO-s3cret" not in page.history.diff.toPlainText() and "<redacted>" in page.history.diff.toPlainText()

    # On the switch: one line edited, one added, and the change stamp moves (an ignored line).
    set_config(lab, "sw-a", stamp="14:02:11 WIB Mon Nov 23 2026", extra="ip domain-name pemda.go.id\n",
               description="uplink-core-fiber")
    set_config(lab, "sw-b", stamp="23:59:59 WIB Mon Nov 23 2026")  # only the clock: no change
    pick(page, "sw-a", "sw-b")
    run = run_and_wait(qtbot, page, page.backup_sel_btn)
    assert {r.name: r.result for r in run.results} == {"sw-a": "changed", "sw-b": "unchanged"}
    wait_cell(qtbot, page, "sw-a", 2, "Changed")
    assert cells(page, "sw-a")[3] == "+2 -1 lines" and cells(page, "sw-a")[4] == "2"
    assert cells(page, "sw-b")[2:5] == ["Unchanged", "", "1"]

    pick(page, "sw-a")
    qtbot.waitUntil(lambda: page.history.version_table.rowCount() == 2, timeout=10_000)
    assert page.history.version_table.item(0, 4).text() == "+2 -1 lines"
    qtbot.waitUntil(lambda: "+ description uplink-core-fiber" in page.history.diff.toPlainText(), timeout=10_000)
    diff = page.history.diff.toPlainText().splitlines()
    v2, v1 = (v.id for v in page.history.versions)
    assert diff[0].startswith(f"--- sw-a v{v1} ") and diff[0].endswith("WIB")  # shown in the display zone
    changed = sorted(line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))
    assert changed == ["+ description uplink-core-fiber", "+ip domain-name pemda.go.id", "- description uplink-core"]
    assert page.history.diff.line_background("+ description uplink-core-fiber") == "#dff3e2"  # green
    assert page.history.diff.line_background("- description uplink-core") == "#fbe2e0"  # red
    assert page.history.diff.line_background(" switchport mode trunk") is None
    page.history.show_ignored.setChecked(True)  # the moved clock only shows with the ignored lines
    qtbot.waitUntil(lambda: "+! Last configuration change at 14:02:11" in page.history.diff.toPlainText(),
                    timeout=10_000)
    page.history.show_ignored.setChecked(False)
    qtbot.waitUntil(lambda: "Last configuration change" not in page.history.diff.toPlainText(), timeout=10_000)

    # The oldest version alone: nothing before it, so its whole text, uncoloured.
    page.history.select_versions([v1])
    qtbot.waitUntil(lambda: "oldest stored version" in page.history.diff_title.text(), timeout=10_000)
    assert " description uplink-core" in page.history.diff.toPlainText().splitlines()
    assert page.history.diff.line_background("hostname sw-a") is None

    # A third version; then any two, picked with Ctrl+click.
    set_config(lab, "sw-a", stamp="15:00:00 WIB Mon Nov 23 2026", extra="ip domain-name pemda.go.id\n",
               description="uplink-core-fiber")
    lab.set_config("sw-a", (lab.config_dir / "sw-a.cfg").read_text().replace("mode trunk", "mode access"))
    run = run_and_wait(qtbot, page, page.backup_sel_btn)
    assert [r.result for r in run.results] == ["changed"]
    qtbot.waitUntil(lambda: page.history.version_table.rowCount() == 3, timeout=10_000)
    v3 = page.history.versions[0].id
    page.history.select_versions([v3, v1])
    qtbot.waitUntil(lambda: page.history.diff_title.text() == f"Changes from v{v1} to v{v3}", timeout=10_000)
    both = page.history.diff.toPlainText()
    assert "+ip domain-name pemda.go.id" in both and "+ switchport mode access" in both
    assert not page.history.export_btn.isEnabled()  # export takes one version
    dlg.resize(1180, 780)
    qtbot.wait(100)
    shoot(dlg, "backups.png")
    dlg.close()


def test_export_is_redacted_unless_confirmed(qtbot, lab, db, tmp_path):
    dlg, page = open_page(qtbot, db)
    pick(page, "sw-b")
    run_and_wait(qtbot, page, page.backup_sel_btn)
    qtbot.waitUntil(lambda: len(page.history.selected_versions()) == 1, timeout=10_000)
    assert page.history.export_btn.isEnabled()
    out = tmp_path / "export" / "sw-b.cfg"
    page.history.export_selected(out)
    qtbot.waitUntil(out.exists, timeout=10_000)
    text = out.read_text()
    assert "hostname sw-b" in text and "<redacted>" in text
    assert "Pemda-RO-s3cret" not in text and "$9$ENABLEhash0Secret" not in text
    qtbot.waitUntil(lambda: "secrets redacted" in page.status.text(), timeout=10_000)  # told after the write

    page.history.unredacted.setChecked(True)
    plain = tmp_path / "export" / "sw-b-plain.cfg"
    seen = []

    def answer(button):
        def handler(box):
            seen.append(box.text())
            box.button(button).click()
        return handler

    when_modal(qtbot, answer(QMessageBox.StandardButton.No))
    page.history.export_selected(plain)
    assert "passwords" in seen[0] and not plain.exists()  # refused: nothing written
    when_modal(qtbot, answer(QMessageBox.StandardButton.Yes))
    page.history.export_selected(plain)
    qtbot.waitUntil(plain.exists, timeout=10_000)
    assert "Pemda-RO-s3cret" in plain.read_text() and (plain.stat().st_mode & 0o077) == 0
    dlg.close()


def test_cancel_stops_a_run_of_slow_devices(qtbot, lab, db):
    hung = [f"127.0.0.{n}" for n in range(21, 27)]
    tarpit = Tarpit(hung, free_port(hung[0]))
    try:
        with open_store(db) as store:
            save_ssh_credential(store, "slow", username=USER, password=PASSWORD, port=tarpit.port)
            store.conn.execute("UPDATE devices SET enabled = 0")
            for i, address in enumerate(hung):
                add_device(store, DeviceSpec(name=f"sw-hung-{i}", address=address, kind="switch",
                                             ssh_credential="slow", profile="cisco_ios"))
            store.set_setting("config_backup_parallel", 2)
        dlg, page = open_page(qtbot, db)
        page.conn_timeout_s = 4.0
        started = time.monotonic()
        page.backup_all_btn.click()
        assert page.cancel_btn.isEnabled() and not page.backup_all_btn.isEnabled()
        qtbot.waitUntil(lambda: tarpit.accepted >= 2, timeout=10_000)  # two devices hang, four wait their turn
        with qtbot.waitSignal(page.run_finished, timeout=30_000) as blocker:
            page.cancel_btn.click()
        run = blocker.args[0]
        elapsed_s = time.monotonic() - started
        # Normally 2 tried and 4 cancelled; a very busy machine may start a third before the click lands.
        assert len(run.results) + len(run.cancelled) == 6 and len(run.cancelled) >= 3
        assert {r.result for r in run.results} == {"failed"} and all("timeout" in r.reason for r in run.results)
        assert elapsed_s < 3 * page.conn_timeout_s  # all six, two at a time, would take three timeouts
        assert tarpit.accepted == len(run.results)  # the cancelled ones never opened a connection
        assert "Cancelled before they started" in page.status.text()
        with open_store(db) as store:
            recorded = store.conn.execute("SELECT COUNT(*) FROM backup_runs").fetchone()[0]
        assert recorded == len(run.results)
        qtbot.waitUntil(lambda: sum(cells(page, f"sw-hung-{i}")[2] == "Failed" for i in range(6)) == recorded,
                        timeout=10_000)
        assert page.backup_all_btn.isEnabled() and not page.progress.isVisible()
        dlg.close()
    finally:
        tarpit.close()


def test_accepting_a_changed_host_key_unblocks_the_next_backup(qtbot, lab, db):
    with open_store(db) as store:
        device_id = store.conn.execute("SELECT id FROM devices WHERE name = 'sw-a'").fetchone()[0]
    dlg, page = open_page(qtbot, db, device_id=device_id)  # opened on one device, as from its device page
    qtbot.waitUntil(lambda: [r.name for r in page.selected_rows()] == ["sw-a"], timeout=10_000)
    run_and_wait(qtbot, page, page.backup_sel_btn)
    wait_cell(qtbot, page, "sw-a", 5, "Trusted")
    with open_store(db) as store:
        old = store.conn.execute("SELECT fingerprint FROM ssh_host_keys WHERE device_id = ?",
                                 (device_id,)).fetchone()[0]

    lab.new_host_key()  # the switch was replaced
    run = run_and_wait(qtbot, page, page.backup_sel_btn)
    assert [r.result for r in run.results] == ["blocked"]
    wait_cell(qtbot, page, "sw-a", 5, "CHANGED")
    assert cells(page, "sw-a")[2] == "Blocked" and "host key changed" in cells(page, "sw-a")[3]
    qtbot.waitUntil(lambda: page.accept_key_btn.isVisible(), timeout=10_000)
    assert "sw-a" in page.key_warning.text()
    shoot(dlg, "backups-hostkey.png")
    new = page.current_row().pending_fingerprint
    assert new.startswith("SHA256:") and new != old

    shown = []

    def refuse(box):
        shown.append(box.informativeText())
        shoot(box, "backups-acceptkey.png")
        box.button(QMessageBox.StandardButton.No).click()

    when_modal(qtbot, refuse)
    page.accept_key_btn.click()
    assert old in shown[0] and new in shown[0]
    assert "CHANGED" in cells(page, "sw-a")[5]  # refused: still blocked

    when_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    page.accept_key_btn.click()
    wait_cell(qtbot, page, "sw-a", 5, "Trusted")
    assert not page.accept_key_btn.isVisible() and "accepted" in page.status.text()
    run = run_and_wait(qtbot, page, page.backup_sel_btn)
    assert [r.result for r in run.results] == ["unchanged"]
    with open_store(db) as store:
        assert store.conn.execute("SELECT fingerprint FROM ssh_host_keys WHERE device_id = ?",
                                  (device_id,)).fetchone()[0] == new
        assert len(list_versions(store, device_id)) == 1
    dlg.close()


def test_settings_dialog_saves_backup_settings(qtbot, db):
    from nocdesk.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.default_snmp.count() > 0, timeout=10_000)
    f = dlg.fields
    assert f["config_backup_interval_h"].value() == 24 and f["config_git_redact"].isChecked()
    assert f["config_keep_versions"].text() == "All versions" and f["config_backup_parallel"].value() == 10
    f["config_backup_interval_h"].setValue(0)
    assert f["config_backup_interval_h"].text() == "Never (on demand only)"
    f["config_keep_versions"].setValue(30)
    f["config_backup_parallel"].setValue(4)
    f["config_git_path"].setText("/srv/nocdesk/configs")
    f["config_git_redact"].setChecked(False)
    f["config_backup_at"].setText("25:00")  # refused with the reason, the dialog stays open
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: "config_backup_at" in dlg.error.text(), timeout=10_000)
    assert dlg.isVisible()
    f["config_backup_at"].setText("02:30")
    tabs = dlg.findChild(QTabWidget)
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Config backup"))
    shoot(dlg, "settings-backup.png")
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    with open_store(db) as store:
        assert [store.get_setting(k) for k in ("config_backup_interval_h", "config_keep_versions",
                                               "config_backup_parallel", "config_git_path", "config_git_redact",
                                               "config_backup_at")] \
            == [0, 30, 4, "/srv/nocdesk/configs", False, "02:30"]
        from nocdesk.configbackup import backup_if_due

        assert backup_if_due(store) is None  # the schedule the core follows is off
