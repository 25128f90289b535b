"""The Credentials dialog and the master-password prompts, driven as a user would, with the encrypted secrets file
(no OS keyring), a real store and a real snmpd with SNMPv3 users."""

from __future__ import annotations

import asyncio
import logging

import pytest
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from snmp_agents import AUTH_KEY, PRIV_KEY, SYS_NAME, snmpd_agent  # noqa: F401
from uihelpers import fresh_store, ui_data_dir, when_modal  # noqa: F401

from nocdesk import credentials
from nocdesk.collectors.profiles import load_profiles
from nocdesk.collectors.snmp import SnmpCredential
from nocdesk.engineconfig import load_config
from nocdesk.inventory import DeviceSpec, add_device
from nocdesk.polling import CREDENTIAL_RETRY_S, Poller
from nocdesk.samples import Batch
from nocdesk.scheduler import Scheduler
from nocdesk.states import StateMachine
from nocdesk.store import open_store
from nocdesk.ui.credentials_dialog import CredentialsDialog, open_credentials
from nocdesk.ui.ops import OpRunner
from nocdesk.ui.unlock import ChooseMasterPassword, UnlockPrompt, ask_unlock, offer_unlock

MASTER = "kunci-rahasia-99"
COMMUNITY, SSH_PASSWORD, ENABLE = "komunitas-S3CRET", "ssh-S3CRET-pass", "enable-S3CRET-x"
NEW_PRIV = "priv-NEW-S3CRET"


@pytest.fixture
def secret_env(ui_data_dir, monkeypatch):  # noqa: F811
    """Secrets in the encrypted file of a private data dir, no master password known yet."""
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.delenv("NOCDESK_MASTER_PASSWORD", raising=False)
    monkeypatch.setattr(credentials, "SCRYPT_N", 2**12)  # the cost is stored in the file; keep tests quick
    monkeypatch.setattr(credentials, "_unlocked_with", None)
    return ui_data_dir


@pytest.fixture
def db(qtbot, tmp_path, secret_env):
    path = fresh_store(tmp_path / "nocdesk.db")
    runner = OpRunner(lambda: open_store(path))
    yield path
    runner.shutdown()


def _dialog(qtbot, db) -> CredentialsDialog:  # noqa: ANN001
    dlg = open_credentials(None, db)  # deletes itself on close (qtbot must not close it again)
    qtbot.waitUntil(lambda: dlg.test_device.count() >= 0 and dlg.isVisible(), timeout=5_000)
    return dlg


def _child(qtbot, parent, cls):  # noqa: ANN001, ANN202
    found: list = []

    def shown() -> bool:
        found[:] = [w for w in parent.findChildren(cls) if w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=10_000)
    return found[0]


def _fill_v3(dlg: CredentialsDialog, name: str, port: int) -> None:
    dlg.new("snmp")
    dlg.name.setText(name)
    dlg.snmp.version.setCurrentIndex(dlg.snmp.version.findData("3"))
    dlg.snmp.user.setText("monitor")
    dlg.snmp.level.setCurrentIndex(dlg.snmp.level.findData("authPriv"))
    dlg.snmp.auth_protocol.setCurrentIndex(dlg.snmp.auth_protocol.findData("SHA"))
    dlg.snmp.auth_key.setText(AUTH_KEY)
    dlg.snmp.priv_protocol.setCurrentIndex(dlg.snmp.priv_protocol.findData("AES"))
    dlg.snmp.priv_key.setText(PRIV_KEY)
    dlg.snmp.port.setValue(port)
    dlg.snmp.timeout.setValue(1.0)


def _row(dlg: CredentialsDialog, name: str) -> list[str]:
    for r in range(dlg.table.rowCount()):
        if dlg.table.item(r, 0).text() == name:
            return [dlg.table.item(r, c).text() for c in range(dlg.table.columnCount())]
    return []


def _select(qtbot, dlg: CredentialsDialog, name: str) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: bool(_row(dlg, name)), timeout=10_000)
    row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == name)
    dlg.table.setCurrentCell(row, 0)
    assert dlg.editing == name


def _no_secret_in_db(db, secrets: tuple[str, ...]) -> None:  # noqa: ANN001
    for path in db.parent.glob(db.name + "*"):
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} found in {path.name}"


def test_new_v3_credential_needs_a_master_password_then_polls_snmpd(qtbot, db, snmpd_agent, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    with open_store(db) as store:
        add_device(store, DeviceSpec(name="agent-v3", address="127.0.0.1", check_method="snmp"))
    dlg = _dialog(qtbot, db)
    _fill_v3(dlg, "core-v3", snmpd_agent.port)
    dlg.save_btn.click()
    choose = _child(qtbot, dlg, ChooseMasterPassword)  # the first secret creates the encrypted file
    choose.password.setText("short")
    choose.again.setText("short")
    choose.ok_btn.click()
    assert f"at least {credentials.MIN_MASTER_PASSWORD} characters" in choose.error.text()
    choose.password.setText(MASTER)
    choose.again.setText(MASTER + "x")
    choose.ok_btn.click()
    assert "differ" in choose.error.text() and choose.again.text() == ""
    choose.again.setText(MASTER)
    choose.ok_btn.click()
    qtbot.waitUntil(lambda: "core-v3" in dlg.status.text(), timeout=10_000)
    assert not choose.isVisible() and dlg.error.text() == ""
    qtbot.waitUntil(lambda: bool(_row(dlg, "core-v3")), timeout=10_000)
    assert _row(dlg, "core-v3") == ["core-v3", "SNMP", "v3 authPriv", "monitor", "Encrypted file", "0"]
    assert dlg.snmp.auth_key.text() == "" and dlg.snmp.priv_key.text() == ""  # never shown again
    assert credentials.secret_file_path().exists()

    with open_store(db) as store:
        cred = credentials.load_snmp_credential(store, "core-v3")
    assert cred == SnmpCredential(version="3", user="monitor", auth_protocol="SHA", auth_key=AUTH_KEY,
                                  priv_protocol="AES", priv_key=PRIV_KEY, port=snmpd_agent.port, timeout_s=1.0,
                                  retries=1)
    # Test on device: the saved credential reads the real agent.
    qtbot.waitUntil(lambda: dlg.test_btn.isEnabled(), timeout=5_000)
    dlg.test_device.setCurrentIndex(dlg.test_device.findText("agent-v3"))
    dlg.test_btn.click()
    qtbot.waitUntil(lambda: "SNMP answers" in dlg.test_result.text(), timeout=20_000)
    assert SYS_NAME in dlg.test_result.text()

    secrets = (AUTH_KEY, PRIV_KEY, MASTER)
    _no_secret_in_db(db, secrets)
    assert not any(s in caplog.text for s in secrets)
    assert not any(s.encode() in credentials.secret_file_path().read_bytes() for s in secrets)
    dlg.close()


def test_editing_without_retyping_keeps_the_secrets(qtbot, db, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    dlg = _dialog(qtbot, db)
    _fill_v3(dlg, "core-v3", 161)
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: bool(_row(dlg, "core-v3")), timeout=10_000)
    _select(qtbot, dlg, "core-v3")
    assert dlg.snmp.auth_key.text() == "" and "unchanged" in dlg.snmp.auth_key.placeholderText()
    dlg.snmp.retries.setValue(3)
    dlg.snmp.priv_protocol.setCurrentIndex(dlg.snmp.priv_protocol.findData("AES256"))
    dlg.snmp.priv_key.setText(NEW_PRIV)  # only the privacy password retyped
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "Saved" in dlg.status.text(), timeout=10_000)
    with open_store(db) as store:
        cred = credentials.load_snmp_credential(store, "core-v3")
    assert (cred.auth_key, cred.priv_key, cred.priv_protocol, cred.retries) == (AUTH_KEY, NEW_PRIV, "AES256", 3)

    # SSH: add with password and enable secret, then change the user only; then forget the password.
    dlg.new("ssh")
    dlg.name.setText("backup-ssh")
    dlg.ssh.username.setText("backup")
    dlg.ssh.password.setText(SSH_PASSWORD)
    dlg.ssh.enable_secret.setText(ENABLE)
    dlg.ssh.port.setValue(2222)
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: bool(_row(dlg, "backup-ssh")), timeout=10_000)
    _select(qtbot, dlg, "backup-ssh")
    dlg.ssh.username.setText("netops")
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: _row(dlg, "backup-ssh")[3:4] == ["netops"], timeout=10_000)
    with open_store(db) as store:
        ssh = credentials.load_ssh_credential(store, "backup-ssh")
    assert (ssh.username, ssh.password, ssh.enable_secret, ssh.port) == ("netops", SSH_PASSWORD, ENABLE, 2222)
    _select(qtbot, dlg, "backup-ssh")
    dlg.ssh.forget.setChecked(True)
    dlg.status.clear()
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "Saved" in dlg.status.text(), timeout=10_000)
    with open_store(db) as store:
        ssh = credentials.load_ssh_credential(store, "backup-ssh")
    assert (ssh.password, ssh.enable_secret) == (None, None)

    # A private key file instead of the password: it must exist; its path (not a secret) is kept.
    _select(qtbot, dlg, "backup-ssh")
    assert dlg.ssh.password.text() == "" and dlg.ssh.forget.isVisible()
    dlg.ssh.key_file.setText(str(db.parent / "no_such_key"))
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "no_such_key does not exist" in dlg.error.text(), timeout=10_000)
    key = db.parent / "id_ed25519"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    dlg.ssh.key_file.setText(str(key))
    dlg.status.clear()
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "Saved" in dlg.status.text(), timeout=10_000)
    with open_store(db) as store:
        ssh = credentials.load_ssh_credential(store, "backup-ssh")
    assert (ssh.username, ssh.key_file, ssh.password) == ("netops", str(key), None)

    # A new credential under an existing name is refused; a core validation error is shown in its own words.
    dlg.new("snmp")
    dlg.name.setText("core-v3")
    dlg.snmp.community.setText(COMMUNITY)
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "already exists" in dlg.error.text(), timeout=10_000)
    dlg.name.setText("weak-v3")
    dlg.snmp.version.setCurrentIndex(dlg.snmp.version.findData("3"))
    dlg.snmp.user.setText("monitor")
    dlg.snmp.auth_key.setText("short")
    dlg.snmp.priv_key.setText(PRIV_KEY)
    dlg.save_btn.click()
    qtbot.waitUntil(lambda: "at least 8 characters" in dlg.error.text(), timeout=10_000)
    assert "weak-v3" in dlg.error.text() and not _row(dlg, "weak-v3")
    _no_secret_in_db(db, (AUTH_KEY, NEW_PRIV, SSH_PASSWORD, ENABLE, MASTER))
    assert not any(s in caplog.text for s in (AUTH_KEY, NEW_PRIV, SSH_PASSWORD, ENABLE, MASTER))
    dlg.close()


def test_delete_is_refused_while_a_device_uses_the_credential(qtbot, db, monkeypatch):
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    with open_store(db) as store:
        credentials.save_snmp_credential(store, "office", version="2c", community=COMMUNITY)
        credentials.save_snmp_credential(store, "spare", version="2c", community=COMMUNITY)
        add_device(store, DeviceSpec(name="sw-kutaraja", address="198.18.5.1", snmp_credential="office"))
    dlg = _dialog(qtbot, db)
    _select(qtbot, dlg, "office")
    assert _row(dlg, "office")[4:] == ["Encrypted file", "1"]
    dlg.delete_btn.click()
    qtbot.waitUntil(lambda: "sw-kutaraja" in dlg.error.text(), timeout=10_000)
    with open_store(db) as store:
        assert [c.name for c in credentials.list_credentials(store)] == ["office", "spare"]
    _select(qtbot, dlg, "spare")
    when_modal(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    dlg.delete_btn.click()
    qtbot.waitUntil(lambda: not _row(dlg, "spare"), timeout=10_000)
    with open_store(db) as store:
        assert [c.name for c in credentials.list_credentials(store)] == ["office"]
    dlg.close()


def _poller(store, now):  # noqa: ANN001, ANN202
    config = load_config(store)
    poller = Poller(store, config, scheduler=Scheduler(), machine=StateMachine(config.states),
                    profiles=load_profiles(), batch=Batch, clock=lambda: now[0])
    return poller, config


def test_unlock_prompt_wrong_then_right_and_the_engine_polls_again(qtbot, db, snmpd_agent, monkeypatch):  # noqa: F811
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    with open_store(db) as store:
        cred = snmpd_agent.cred("3")
        credentials.save_snmp_credential(store, "core-v3", version="3", user=cred.user, auth_protocol="SHA",
                                         auth_key=AUTH_KEY, priv_protocol="AES", priv_key=PRIV_KEY,
                                         port=snmpd_agent.port, timeout_s=1.0)
        device_id = add_device(store, DeviceSpec(name="agent-v3", address="127.0.0.1", snmp_credential="core-v3",
                                                 check_method="snmp"))
    monkeypatch.delenv("NOCDESK_MASTER_PASSWORD")  # the app restarts: nobody typed the password yet
    now = [1000.0]
    with open_store(db) as store:
        poller, config = _poller(store, now)
        dev = config.devices[device_id]
        first = asyncio.run(poller._snmp(dev))
        assert not first.ok and "master password" in first.reason

        window = QMainWindow()
        qtbot.addWidget(window)
        window.show()
        offer_unlock(window)
        prompt = _child(qtbot, window, UnlockPrompt)
        prompt.password.setText("not-the-password")
        prompt.unlock_btn.click()
        qtbot.waitUntil(lambda: "wrong master password" in prompt.error.text(), timeout=10_000)
        assert prompt.isVisible() and prompt.password.text() == "" and credentials.needs_master_password()
        prompt.password.setText(MASTER)
        prompt.unlock_btn.click()
        qtbot.waitUntil(lambda: not prompt.isVisible(), timeout=10_000)
        assert not credentials.needs_master_password()
        assert "unlocked" in window.statusBar().currentMessage()

        assert isinstance(poller.credential("core-v3"), str)  # the error is still cached for a moment …
        now[0] += CREDENTIAL_RETRY_S + 1
        polled = asyncio.run(poller._snmp(dev))  # … and then the engine's next poll reads the agent
        assert polled.ok, polled.reason
        assert polled.system is not None and polled.system.sys_name == SYS_NAME

        ask_unlock(window)  # File ▸ Unlock saved passwords… once unlocked: nothing to ask
        qtbot.waitUntil(lambda: "already available" in window.statusBar().currentMessage(), timeout=10_000)


def test_later_leaves_a_status_message_and_the_file_menu_asks_again(qtbot, db, monkeypatch):
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    with open_store(db) as store:
        credentials.save_snmp_credential(store, "office", version="2c", community=COMMUNITY)
    monkeypatch.delenv("NOCDESK_MASTER_PASSWORD")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    offer_unlock(window)
    prompt = _child(qtbot, window, UnlockPrompt)
    prompt.later_btn.click()
    assert not prompt.isVisible()
    assert "File ▸ Unlock saved passwords" in window.statusBar().currentMessage()
    ask_unlock(window)
    again = _child(qtbot, window, UnlockPrompt)
    again.password.setText(MASTER)
    again.password.returnPressed.emit()
    qtbot.waitUntil(lambda: not credentials.needs_master_password(), timeout=10_000)


def test_no_prompt_without_a_secrets_file(qtbot, db):
    window = QMainWindow()
    qtbot.addWidget(window)
    offer_unlock(window)
    ask_unlock(window)  # nothing saved yet: the first save will ask to choose a password
    qtbot.waitUntil(lambda: "No saved passwords yet" in window.statusBar().currentMessage(), timeout=10_000)
    assert not window.findChildren(UnlockPrompt)


def test_poller_retries_a_credential_error_after_a_while(tmp_path, secret_env, monkeypatch):
    """Core only: a load error is cached for CREDENTIAL_RETRY_S, not until the credentials table changes."""
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    with open_store(tmp_path / "nocdesk.db") as store:
        credentials.save_snmp_credential(store, "office", version="2c", community=COMMUNITY)
        monkeypatch.delenv("NOCDESK_MASTER_PASSWORD")
        now = [50.0]
        poller, _config = _poller(store, now)
        assert "master password" in poller.credential("office")
        credentials.unlock_secret_file(MASTER)
        now[0] += CREDENTIAL_RETRY_S - 1
        assert isinstance(poller.credential("office"), str)
        now[0] += 2
        assert poller.credential("office") == SnmpCredential(version="2c", community=COMMUNITY)
        monkeypatch.setattr(credentials, "_unlocked_with", None)
        now[0] += 10 * CREDENTIAL_RETRY_S
        assert poller.credential("office").community == COMMUNITY  # a good credential stays cached


def test_screenshots(qtbot, db, monkeypatch, tmp_path):
    """The dialog and the prompt as a user sees them (written to /tmp/shots for a look)."""
    from pathlib import Path

    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", MASTER)
    with open_store(db) as store:
        credentials.save_snmp_credential(store, "snmp-kantor", version="2c", community=COMMUNITY)
        credentials.save_snmp_credential(store, "core-v3", version="3", user="monitor", auth_protocol="SHA-256",
                                         auth_key=AUTH_KEY, priv_protocol="AES", priv_key=PRIV_KEY)
        credentials.save_ssh_credential(store, "backup-ssh", username="backup", password=SSH_PASSWORD)
        for i in range(3):
            add_device(store, DeviceSpec(name=f"sw-kec-{i}", address=f"198.18.9.{i + 1}", snmp_credential="core-v3",
                                         ssh_credential="backup-ssh"))
    dlg = _dialog(qtbot, db)
    dlg.resize(900, 660)
    _select(qtbot, dlg, "backup-ssh")
    assert dlg.pages.currentWidget() is dlg.ssh and dlg.ssh.username.text() == "backup"
    assert not dlg.test_btn.isEnabled()  # SSH logins are tried by Back up now
    _select(qtbot, dlg, "snmp-kantor")
    assert dlg.snmp.community.isVisible() and not dlg.snmp.user.isVisible()
    _select(qtbot, dlg, "core-v3")
    assert dlg.snmp.auth_key.isVisible() and not dlg.snmp.community.isVisible()
    assert dlg.snmp.auth_protocol.currentData() == "SHA-256" and dlg.snmp.priv_key.isEnabled()
    assert dlg.table.item(dlg.table.currentRow(), 5).toolTip() == "sw-kec-0, sw-kec-1, sw-kec-2"
    shots = Path("/tmp/shots")
    shots.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert dlg.grab().save(str(shots / "credentials.png"))
    prompt = UnlockPrompt(dlg)
    prompt.show()
    prompt.error.setText("wrong master password for the secrets file /home/it/.local/share/nocdesk/secrets.enc. "
                         "Try again, or choose Later.")
    QApplication.processEvents()
    assert prompt.grab().save(str(shots / "unlock.png"))
    choose = ChooseMasterPassword(dlg)
    choose.show()
    QApplication.processEvents()
    assert choose.grab().save(str(shots / "choose_master.png"))
    dlg.close()
