"""`nocdesk alert …` and `nocdesk notify …` as a user types them, against a real store, secret file and peers."""

from __future__ import annotations

import io

import pytest
from alert_helpers import build_lab, channel_settings
from notify_peers import http_server, smtp_server

from nocdesk.cli import main


@pytest.fixture
def secret_env(tmp_path, monkeypatch):
    monkeypatch.setenv("NOCDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NOCDESK_SECRET_BACKEND", "file")
    monkeypatch.setenv("NOCDESK_MASTER_PASSWORD", "correct horse battery")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_ack_resolve(tmp_path, capsys, secret_env):
    lab = build_lab(tmp_path)
    lab.alerts.on_transitions(lab.down("kec1") + lab.down("cam1", cause="kec1"))
    db = str(tmp_path / "nocdesk.db")
    lab.store.close()
    code, out, _ = run(capsys, "--db", db, "alert", "list")
    assert code == 0 and "#1" in out and "Fiber link core ↔ kec1 down: 2 devices unreachable (kec1, cam1)" in out
    code, out, _ = run(capsys, "--db", db, "alert", "ack", "1", "--by", "budi", "--comment", "tim ke lokasi")
    assert code == 0 and "acknowledged by budi" in out
    code, out, _ = run(capsys, "--db", db, "alert", "list")
    assert "acknowledged" in out and "budi: tim ke lokasi" in out
    code, _, err = run(capsys, "--db", db, "alert", "ack", "1", "--by", "sari")
    assert code == 2 and "alert 1 is not open any more" in err
    code, out, _ = run(capsys, "--db", db, "alert", "resolve", "1", "--by", "budi")
    assert code == 0 and "resolved" in out
    code, out, _ = run(capsys, "--db", db, "alert", "list")
    assert out.strip() == "No alerts."
    code, out, _ = run(capsys, "--db", db, "alert", "list", "--status", "resolved")
    assert "#1" in out


def test_notify_test_telegram_uses_the_stored_token(tmp_path, capsys, monkeypatch, secret_env):
    with http_server() as api:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=api.base))
        lab.store.close()
        db = str(tmp_path / "nocdesk.db")
        monkeypatch.setattr("sys.stdin", io.StringIO("777:from-the-secret-file\n"))
        code, out, _ = run(capsys, "--db", db, "notify", "set-secret", "bot")
        assert code == 0 and "Stored secret 'bot'" in out
        code, out, _ = run(capsys, "--db", db, "notify", "test", "telegram")
        assert code == 0 and "test message sent to -100777" in out
        (request,) = api.requests
        assert request.path == "/bot777:from-the-secret-file/sendMessage"
        assert "Test message from nocdesk via telegram" in request.json()["text"]
    code, out, _ = run(capsys, "--db", db, "notify", "log")
    assert "telegram" in out and "sent" in out


def test_notify_test_reports_a_failing_channel(tmp_path, capsys, secret_env):
    with smtp_server(refuse="550 5.7.1 relaying denied") as (_smtp, port):
        lab = build_lab(tmp_path, settings=channel_settings(smtp_port=port))
        lab.store.close()
        code, _, err = run(capsys, "--db", str(tmp_path / "nocdesk.db"), "notify", "test", "email")
    assert code == 1 and "550" in err and "noc@pemda.example" in err


def test_notify_test_without_a_recipient_says_which_settings(tmp_path, capsys, secret_env):
    lab = build_lab(tmp_path)
    lab.store.close()
    code, _, err = run(capsys, "--db", str(tmp_path / "nocdesk.db"), "notify", "test", "telegram")
    assert code == 2 and "notify.telegram" in err


def test_missing_secret_is_explained(tmp_path, capsys, secret_env):
    with http_server() as api:
        lab = build_lab(tmp_path, settings=channel_settings(api_base=api.base))
        lab.store.close()
        code, _, err = run(capsys, "--db", str(tmp_path / "nocdesk.db"), "notify", "test", "telegram")
    assert code == 1 and "nocdesk notify set-secret bot" in err and api.requests == []
