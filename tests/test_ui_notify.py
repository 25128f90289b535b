"""The Notifications tab and the delivery log, driven as a user would: secrets typed in the app, "Send test" against
a real aiosmtpd server with AUTH and a local HTTP server standing in for the Telegram Bot API and a webhook,
contacts with quiet hours, and the log of what was delivered and what failed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from notify_peers import free_port, http_server, smtp_server
from uihelpers import fresh_store, ui_data_dir  # noqa: F401

from nocdesk import credentials
from nocdesk.notify import queue
from nocdesk.notify.secrets import read_secret
from nocdesk.store import open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

PASSWORD, TOKEN = "smtp-S3CRET-pw", "123456:TOKEN-S3CRET"
SHOTS = Path("/tmp/shots")


@pytest.fixture
def db(qtbot, tmp_path, ui_data_dir, monkeypatch):  # noqa: F811
    """A fresh store, secrets in the encrypted file (master password from the environment), an op runner."""
    from nocdesk.ui.ops import OpRunner

    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "kunci-rahasia-99")
    monkeypatch.setattr(credentials, "SCRYPT_N", 2**12)
    monkeypatch.setattr(credentials, "_unlocked_with", None)
    path = fresh_store(tmp_path / "nocdesk.db")
    runner = OpRunner(lambda: open_store(path))
    yield path
    runner.shutdown()


def _dialog(qtbot):  # noqa: ANN202
    from PySide6.QtWidgets import QTabWidget

    from nocdesk.ui.settings_dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.default_snmp.count() > 0, timeout=10_000)
    tabs = dlg.findChild(QTabWidget)
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Notifications"))
    return dlg


def _press_test(qtbot, dlg, channel: str) -> str:  # noqa: ANN001
    row = dlg.notify.tests[channel]
    row.button.click()
    qtbot.waitUntil(lambda: row.button.isEnabled() and row.result.text() not in ("", "Sending…"), timeout=15_000)
    return row.result.text()


def _mail_form(dlg, port: int, password: str) -> None:  # noqa: ANN001
    f = dlg.fields
    f["notify.email.smtp_host"].setText("127.0.0.1")
    f["notify.email.smtp_port"].setValue(port)
    f["notify.email.security"].setCurrentIndex(f["notify.email.security"].findData("none"))
    f["notify.email.user"].setText("nocdesk")
    f["notify.email.from"].setText("nocdesk@kominfo.example")
    f["notify.email.to"].setText("noc@kominfo.example")
    dlg.notify.secret["email"].edit.setText(password)


def test_typed_smtp_password_sends_the_test_and_is_stored_outside_the_database(qtbot, db):
    with smtp_server(users={"nocdesk": PASSWORD}) as (handler, port):
        dlg = _dialog(qtbot)
        assert dlg.notify.secret["email"].state.text() == "not set"
        _mail_form(dlg, port, "wrong-password")
        text = _press_test(qtbot, dlg, "email")
        assert "authentication failed" in text and "noc@kominfo.example" in text and handler.mails == []
        assert "wrong-password" not in text

        dlg.notify.secret["email"].edit.setText(PASSWORD)
        text = _press_test(qtbot, dlg, "email")
        assert "delivered" in text, text
        (mail,) = handler.mails
        assert mail.authenticated_as == "nocdesk" and mail.rcpt_tos == ["noc@kominfo.example"]
        assert "Test message from nocdesk" in mail.body

        SHOTS.mkdir(exist_ok=True)
        dlg.grab().save(str(SHOTS / "settings-notifications.png"))
        dlg.save()
        qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
        with open_store(db) as store:
            name = store.get_setting("notify.email.password_credential")
            assert name == "smtp-password" and read_secret(store, name) == PASSWORD
        data = b"".join(p.read_bytes() for p in db.parent.glob("nocdesk.db*"))
        assert PASSWORD.encode() not in data and b"wrong-password" not in data

        again = _dialog(qtbot)  # the saved secret: field empty, state "saved", and Send test uses it
        qtbot.waitUntil(lambda: again.notify.secret["email"].state.text() == "saved", timeout=10_000)
        assert again.notify.secret["email"].edit.text() == ""
        assert "delivered" in _press_test(qtbot, again, "email")
        assert len(handler.mails) == 2 and handler.mails[1].authenticated_as == "nocdesk"


def test_connection_refused_is_said_in_words(qtbot, db):
    dlg = _dialog(qtbot)
    _mail_form(dlg, free_port(), PASSWORD)
    assert "connection refused" in _press_test(qtbot, dlg, "email")


def test_telegram_webhook_and_desktop_tests(qtbot, db):
    with http_server() as api, http_server(lambda r: (401, {"error": "no key"})) as hook:
        dlg = _dialog(qtbot)
        f = dlg.fields
        dlg.notify.secret["telegram"].edit.setText(TOKEN)
        f["notify.telegram.chat_id"].setText("-100777")
        f["notify.telegram.api_base"].setText(api.base)
        assert "delivered" in _press_test(qtbot, dlg, "telegram")
        (request,) = api.requests
        assert request.path == f"/bot{TOKEN}/sendMessage" and request.json()["chat_id"] == "-100777"

        f["notify.webhook.url"].setText(hook.base + "/wa")
        text = _press_test(qtbot, dlg, "webhook")
        assert "HTTP 401" in text and hook.requests[0].path == "/wa"
        assert "queued for the desktop" in _press_test(qtbot, dlg, "desktop")
    with open_store(db) as store:  # nothing was saved: the tests used the form
        assert store.get_setting("notify.telegram.chat_id") is None
        assert {(d.channel, d.status) for d in queue.history(store)} == {
            ("telegram", "sent"), ("webhook", "failed"), ("desktop", "queued")}


def test_contacts_round_trip_and_a_malformed_one_shows_the_parsers_error(qtbot, db):
    dlg = _dialog(qtbot)
    contacts = dlg.notify.contacts
    row = contacts.add_row({})
    for col, text in ((0, "Ana"), (1, "ana@kominfo.example"), (2, "42"), (4, "22:00-06:00")):
        contacts.table.item(row, col).setText(text)
    role = contacts.table.cellWidget(row, 3)
    role.setCurrentIndex(role.findData("escalation"))
    zone = contacts.table.cellWidget(row, 5)
    zone.setCurrentIndex(zone.findData("Asia/Makassar"))
    bad = contacts.add_row({"name": "Budi", "email": "budi@kominfo.example", "quiet_hours": "25:00-6"})
    dlg.fields["notify.escalate_after_minutes"].setValue(15)
    dlg.save()
    qtbot.waitUntil(lambda: "quiet hours '25:00-6' of Budi" in dlg.error.text(), timeout=5_000)
    assert dlg.isVisible()
    contacts.table.selectRow(bad)
    contacts.remove_selected()
    dlg.save()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10_000)
    with open_store(db) as store:
        assert store.get_setting("notify.contacts") == [
            {"name": "Ana", "email": "ana@kominfo.example", "telegram_chat_id": "42", "role": "escalation",
             "quiet_hours": "22:00-06:00", "timezone": "Asia/Makassar"}]
        assert store.get_setting("notify.escalate_after_minutes") == 15
        from nocdesk.notify.settings import load_notify_settings

        (ana_mail,) = [r for r in load_notify_settings(store).recipients if r.name == "Ana" and r.channel == "email"]
        assert ana_mail.role == "escalation" and ana_mail.quiet.start_minute == 22 * 60
    again = _dialog(qtbot)
    qtbot.waitUntil(lambda: again.notify.contacts.table.rowCount() == 1, timeout=10_000)
    table = again.notify.contacts.table
    assert [table.item(0, c).text() for c in (0, 1, 2, 4)] == ["Ana", "ana@kominfo.example", "42", "22:00-06:00"]
    assert table.cellWidget(0, 3).currentData() == "escalation" and table.cellWidget(0, 5).currentData() == "Asia/Makassar"
    assert again.fields["notify.escalate_after_minutes"].value() == 15


def test_delivery_log_lists_delivered_and_failed_and_filters(qtbot, db):
    from nocdesk.ui.delivery_log import open_delivery_log

    with open_store(db) as store:
        ok = queue.enqueue(store, channel="email", recipient="noc@kominfo.example", now=1_790_000_000,
                           payload={"subject": "[nocdesk] DOWN: sw-kec-kutaraja down", "text": "x"})
        queue.mark_sent(store, [ok], now=1_790_000_005)
        bad = queue.enqueue(store, channel="telegram", recipient="-100777", now=1_790_000_000,
                            payload={"subject": "[nocdesk] DOWN: sw-kec-kutaraja down", "text": "x"})
        queue.mark_failed(store, [bad], error="Telegram (http://127.0.0.1:9) answered 401: bot token refused",
                          now=1_790_000_010, permanent=True)
    dlg = open_delivery_log(None, db)
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 2, timeout=10_000)
    rows = [[dlg.table.item(r, c).text() for c in range(7)] for r in range(2)]
    assert rows[0][1:6] == ["Telegram", "-100777", "DOWN: sw-kec-kutaraja down", "failed", "1"]
    assert "answered 401" in rows[0][6]
    assert rows[1][1:6] == ["E-mail", "noc@kominfo.example", "DOWN: sw-kec-kutaraja down", "delivered", "1"]
    dlg.table.selectRow(0)
    assert dlg.detail.text() == "Telegram (http://127.0.0.1:9) answered 401: bot token refused"
    SHOTS.mkdir(exist_ok=True)
    dlg.grab().save(str(SHOTS / "delivery-log.png"))
    dlg.status.setCurrentIndex(dlg.status.findData("failed"))
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1 and dlg.table.item(0, 1).text() == "Telegram", timeout=10_000)
    dlg.status.setCurrentIndex(0)
    dlg.channel.setCurrentIndex(dlg.channel.findData("email"))
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1 and dlg.table.item(0, 1).text() == "E-mail", timeout=10_000)
    dlg.close()
